// expect: pass
/* bpf-to-bpf calls: two non-inlined static functions, one calling the other, with a pointer to
 * the caller's stack passed down. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 mix(__u32 a, __u32 b)
{
	return (a * 31) ^ (b >> 3);
}

static __attribute__((noinline)) int fill(__u32 *out, __u32 n)
{
	__u32 acc = n;

	for (int i = 0; i < 4; i++) {
		acc = mix(acc, i);
		out[i] = acc;
	}
	return acc & 1;
}

SEC("socket")
int subprog_filter(struct __sk_buff *skb)
{
	__u32 buf[4];

	if (fill(buf, skb->len))
		return 0;
	return buf[3] & 0xffff;
}

char LICENSE[] SEC("license") = "GPL";
