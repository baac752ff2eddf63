// expect: reject VF-REF-RELEASE
/* Releases a looked-up socket twice on one path. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int sk_double_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;

	t.ipv4.dport = skb->mark;
	sk = bpf_sk_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	bpf_sk_release(sk);
	if (skb->len > 100)
		bpf_sk_release(sk); /* released already */
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
