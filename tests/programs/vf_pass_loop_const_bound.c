// expect: pass
/* A bounded loop over an array map value with a constant bound (clang keeps the loop with
 * #pragma unroll disabled). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 32
struct hist {
	__u64 slot[SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

SEC("xdp")
int sum_slots(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct hist *h = bpf_map_lookup_elem(&hists, &key);
	__u64 sum = 0;

	if (!h)
		return XDP_PASS;
#pragma clang loop unroll(disable)
	for (int i = 0; i < SLOTS; i++)
		sum += h->slot[i];
	return sum > 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
