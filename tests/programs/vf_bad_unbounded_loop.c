// expect: reject VF-LOOP-UNBOUNDED
/* The loop bound comes from a map value with no upper limit, so the loop is not provably finite
 * (the kernel gives up: "BPF program is too large"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} config SEC(".maps");

SEC("xdp")
int spin(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&config, &key);
	volatile __u64 acc = 0;

	if (!n)
		return XDP_PASS;
	for (__u64 i = 0; i < *n; i++)
		acc += i;
	return acc & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
