// expect: pass
/* Reads skb->sk, makes it a full socket and reads fields only full sockets have. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup_skb/egress")
int skb_fullsock(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 1;
	if (sk->family != 2)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 1;
	return sk->protocol == 6 && sk->mark == 7 ? 0 : 1;
}

char LICENSE[] SEC("license") = "GPL";
