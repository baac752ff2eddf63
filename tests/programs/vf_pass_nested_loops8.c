// expect: pass
/* Eight nested bounded loops with constant bounds (unrolling disabled): more enclosing loops
 * than a register holds runs of deltas for (VF_DELTA_SLOTS), and every loop, the outermost
 * included, must still be shown to terminate (specs/verifier.md "Loops must terminate"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int nested8(struct xdp_md *ctx)
{
	__u64 sum = ctx->ingress_ifindex;

#pragma clang loop unroll(disable)
	for (__u64 a = 0; a < 3; a++)
#pragma clang loop unroll(disable)
		for (__u64 b = 0; b < 3; b++)
#pragma clang loop unroll(disable)
			for (__u64 d = 0; d < 3; d++)
#pragma clang loop unroll(disable)
				for (__u64 e = 0; e < 3; e++)
#pragma clang loop unroll(disable)
					for (__u64 f = 0; f < 3; f++)
#pragma clang loop unroll(disable)
						for (__u64 g = 0; g < 3; g++)
#pragma clang loop unroll(disable)
							for (__u64 h = 0; h < 3; h++)
#pragma clang loop unroll(disable)
								for (__u64 i = 0; i < 3; i++)
									sum = sum * 3 + (a ^ b ^ d ^ e ^ f ^ g ^ h ^ i);
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
