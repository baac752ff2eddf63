// expect: reject VF-PACKET-BOUNDS
/* Off-by-one bounds check: checks the Ethernet header but reads the IPv4 protocol byte after it. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_oob(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	return ip->protocol == 6 ? XDP_DROP : XDP_PASS; /* missing: ip + 1 > data_end */
}

char LICENSE[] SEC("license") = "GPL";
