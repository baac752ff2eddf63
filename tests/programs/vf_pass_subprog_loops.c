// expect: pass
/* Subprograms and a bpf_loop callback, each with joins and a bounded loop, called from inside
 * a loop: every function is analysed per calling context at its call, within the loop's
 * region (specs/verifier.md "The analysis"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u64 mix(__u64 x, __u32 n)
{
	__u64 s = x;

#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < 8; i++)
		if (i < n)
			s = s * 31 + i;
	return s;
}

static __attribute__((noinline)) __u64 pick(__u64 x, __u32 k)
{
	if (k & 1)
		return mix(x ^ k, k);
	return mix(x + k, k + 1);
}

static long visit(__u32 index, void *ctx)
{
	__u64 *acc = ctx;

	*acc += index & 3;
	return 0;
}

SEC("xdp")
int subprog_loops(struct xdp_md *ctx)
{
	__u64 acc = ctx->ingress_ifindex;

#pragma clang loop unroll(disable)
	for (__u32 k = 0; k < 6; k++)
		acc = pick(acc, k);
	bpf_loop(4, visit, &acc, 0);
	return acc & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
