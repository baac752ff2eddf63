// expect: pass
/* Looks up a TCP socket for a fixed tuple, reads fields of the socket after the NULL check and
 * releases it on every path. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int sk_lookup_release(struct __sk_buff *skb)
{
	struct bpf_sock_tuple t = {};
	struct bpf_sock *sk;
	int ret = TC_ACT_OK;

	t.ipv4.daddr = skb->mark;
	t.ipv4.dport = 80;
	sk = bpf_sk_lookup_tcp(skb, &t, sizeof(t.ipv4), BPF_F_CURRENT_NETNS, 0);
	if (!sk)
		return TC_ACT_OK;
	if (sk->state == 10 /* TCP_LISTEN */ && sk->family == 2)
		ret = TC_ACT_SHOT;
	bpf_sk_release(sk);
	return ret;
}

char LICENSE[] SEC("license") = "GPL";
