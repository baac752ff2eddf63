// expect: pass
/* bpf_loop with a callback that accumulates into a context struct on the caller's stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct acc {
	__u64 sum;
	__u32 limit;
};

static long add_index(__u32 index, void *data)
{
	struct acc *a = data;

	a->sum += index;
	return a->sum > a->limit ? 1 : 0;
}

SEC("xdp")
int loop_sum(struct xdp_md *ctx)
{
	struct acc a = {.sum = 0, .limit = 5000};

	bpf_loop(100, add_index, &a, 0);
	return a.sum > 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
