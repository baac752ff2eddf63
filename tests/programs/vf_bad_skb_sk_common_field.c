// expect: reject VF-INVALID-DEREF
/* Reads the protocol of skb->sk without bpf_sk_fullsock: the common part has no protocol. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup_skb/egress")
int skb_sk_protocol(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 1;
	return sk->protocol == 6 ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
