// expect: pass
/* Tail-calls into a program array and falls through when the slot is empty. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jumps SEC(".maps");

SEC("xdp")
int tail(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jumps, ctx->rx_queue_index & 3);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
