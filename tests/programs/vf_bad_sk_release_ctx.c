// expect: reject VF-REF-RELEASE
/* Releases the socket of the packet (skb->sk), which the program does not own. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup_skb/ingress")
int sk_release_not_owned(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 1;
	bpf_sk_release(sk);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
