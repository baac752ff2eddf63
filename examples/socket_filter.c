/* A socket filter that keeps only the first 64 bytes of IPv4 TCP packets and drops the rest. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int tcp_only(struct __sk_buff *skb)
{
	__u8 proto;

	if (skb->protocol != __builtin_bswap16(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN + 9, &proto, 1) < 0)
		return 0;
	return proto == IPPROTO_TCP ? 64 : 0;
}

char LICENSE[] SEC("license") = "GPL";
