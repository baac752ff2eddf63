// expect: reject VF-NULL-DEREF
/* Reads through the result of bpf_skc_to_tcp_sock without checking it: the socket may not be a
 * TCP socket, and then it is NULL ("R0 invalid mem access 'ptr_or_null_'"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct tcp_sock {
	__u32 snd_cwnd;
} __attribute__((preserve_access_index));

SEC("tc")
int skc_to_null(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return 0;
	return bpf_skc_to_tcp_sock(sk)->snd_cwnd > 10;
}

char LICENSE[] SEC("license") = "GPL";
