// expect: pass
/* Reads TCP statistics of the packet's socket through bpf_tcp_sock. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup_skb/egress")
int tcp_stats(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct bpf_tcp_sock *tp;

	if (!sk)
		return 1;
	tp = bpf_tcp_sock(sk);
	if (!tp)
		return 1;
	return tp->snd_cwnd > 10 && tp->bytes_acked > 4096 ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
