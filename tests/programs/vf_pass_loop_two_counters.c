// expect: pass
/* Two counters moving together, j = i + 8, the loop bounded by i < n (n <= 56): j indexes a
 * 64-slot array. Only the relation j - i = 8 (the zone) bounds j: the test is on i, and clang
 * keeps only j (32-bit), recomputing i = j - 8 for each test. The zone also proves the loop
 * terminates: n - j shrinks by 1 per iteration within known bounds (specs/verifier.md, "Zone"). */
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
	if (n > 56)
		return XDP_PASS;
	__u64 sum = 0;
#pragma nounroll
	for (__u32 i = 0, j = 8; i < n; i++, j++)
		sum += h->slot[j];
	return sum & 1;
}

char LICENSE[] SEC("license") = "GPL";
