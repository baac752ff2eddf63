// expect: reject VF-PACKET-BOUNDS
/* A near miss of vf_pass_packet_walk: the loop checks 4 bytes but reads 8. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int packet_walk_oob(struct xdp_md *ctx)
{
	void *p = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 sum = 0;

	while (p + 4 <= end) {
		sum += *(__u64 *)p;
		p += 4;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
