// expect: note VF-KERNEL-IMPRECISE
/* A loop from an unknown start s to s + 10: bounded (the distance s + 10 - i shrinks by one per
 * iteration), which bpfcheck proves through the zone, but Linux has no relation between i and
 * s + 10 and follows the loop until its budget runs out ("BPF program is too large", Linux 6.x).
 * The empty asm keeps clang from rewriting the loop with a counter from 0.
 * vf_pass_loop_relation_linux.c bounds the counter with a constant instead. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int loop_relation(struct xdp_md *ctx)
{
	__u64 s = ctx->rx_queue_index;
	__u64 sum = 0;

	for (__u64 i = s; i < s + 10; i++) {
		asm volatile("" : "+r"(i));
		sum += i;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
