// expect: reject VF-TAIL-CALL
/* A subprogram tail-calls while its caller uses 256 bytes of stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jumps SEC(".maps");

static __attribute__((noinline)) int jump(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jumps, 0);
	return XDP_PASS;
}

SEC("xdp")
int deep_tail(struct xdp_md *ctx)
{
	volatile __u64 buf[32];

	for (int i = 0; i < 32; i++)
		buf[i] = ctx->rx_queue_index + i;
	return jump(ctx) + (int)(buf[ctx->rx_queue_index & 31] & 1);
}

char LICENSE[] SEC("license") = "GPL";
