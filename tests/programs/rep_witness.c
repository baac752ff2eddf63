// expect: reject VF-MAP-VALUE-BOUNDS
/* Report tests (tests/unit/test_report.c), finding paths (specs/verifier.md "Finding paths").
 * join_index: the index is 2 or 3 on one side of the branch and up to 7 on the other; after the
 * join the analysis knows only [0, 7], and the path the joined state inherited is the harmless
 * side (it reached the join first). The witness path takes the side with the random index.
 * long_loop: a loop of 30000 rounds before the overrun; replaying it needs more than the witness
 * search's budget, so the report keeps one path to the merged state and says so. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64[4]);
} vals SEC(".maps");

SEC("xdp")
int join_index(struct xdp_md *ctx)
{
	__u32 key = 0, idx;
	/* both sides call a helper, so the states meeting after them have the same shape and are
	 * joined */
	if (ctx->ingress_ifindex != 7)
		idx = (bpf_ktime_get_ns() & 1) + 2; /* 2 or 3 */
	else
		idx = bpf_get_prandom_u32() & 7; /* up to 7: past the value's four elements */
	__u64 *v = bpf_map_lookup_elem(&vals, &key);
	if (!v)
		return XDP_PASS;
	return v[idx] ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int long_loop(struct xdp_md *ctx)
{
	__u32 key = 0, idx = ctx->rx_queue_index & 7; /* up to 7: past the value's end */
	__u64 sum = 0;
#pragma nounroll
	for (__u32 i = 0; i < 30000; i++)
		sum ^= (sum << 3) + i;
	__u64 *v = bpf_map_lookup_elem(&vals, &key);
	if (!v)
		return XDP_PASS;
	return v[idx] + sum ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
