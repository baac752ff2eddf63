// expect: reject VF-MAP-VALUE-BOUNDS
/* Indexes a map value array with an unchecked packet-derived index. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counters {
	__u64 c[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} table SEC(".maps");

SEC("xdp")
int value_oob(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct counters *v = bpf_map_lookup_elem(&table, &key);
	__u32 idx = ctx->rx_queue_index; /* unbounded: 0..2^32-1 */

	if (!v)
		return XDP_PASS;
	v->c[idx] += 1; /* missing: if (idx >= 16) return ... */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
