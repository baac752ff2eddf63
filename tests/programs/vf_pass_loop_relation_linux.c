// expect: pass
/* vf_note_loop_relation.c written the Linux way: the counter runs from 0 to a constant, so Linux
 * follows ten iterations and accepts it; no VF-KERNEL-IMPRECISE. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int loop_constant(struct xdp_md *ctx)
{
	__u64 s = ctx->rx_queue_index;
	__u64 sum = 0;

	for (__u64 i = 0; i < 10; i++) {
		asm volatile("" : "+r"(i));
		sum += s + i;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
