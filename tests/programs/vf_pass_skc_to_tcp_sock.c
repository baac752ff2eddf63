// expect: pass
/* bpf_skc_to_tcp_sock turns the socket of a packet into a BTF pointer to the kernel's struct
 * tcp_sock (or NULL): checked, then a member read through it (its layout from the object's BTF;
 * CO-RE relocates the offset for the running kernel). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct tcp_sock {
	__u32 snd_cwnd;
} __attribute__((preserve_access_index));

SEC("tc")
int skc_to_tcp(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct tcp_sock *tp;

	if (!sk)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	return tp->snd_cwnd > 10;
}

char LICENSE[] SEC("license") = "GPL";
