// expect: reject VF-MAP-VALUE-BOUNDS
/* The near miss of vf_pass_loop_two_counters: n <= 57, so j reaches slot 64, one past the
 * array. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct hist {
	__u64 slot[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

SEC("xdp")
int sum_window(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct hist *h = bpf_map_lookup_elem(&hists, &key);
	if (!h)
		return XDP_PASS;
	__u32 n = ctx->rx_queue_index;
	if (n > 57)
		return XDP_PASS;
	__u64 sum = 0;
#pragma nounroll
	for (__u32 i = 0, j = 8; i < n; i++, j++)
		sum += h->slot[j];
	return sum & 1;
}

char LICENSE[] SEC("license") = "GPL";
