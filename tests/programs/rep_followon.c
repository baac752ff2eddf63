// expect: reject VF-NULL-DEREF
/* Report tests: two unchecked lookups whose results reach the same dereference in a subprogram,
 * and a second dereference of the first result. Every finding after the first comes from the
 * same missing check pattern at the same instruction or the same lookup; the report keeps one
 * per root cause. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

static __attribute__((noinline)) __u64 read_val(__u64 *p)
{
	return *p;
}

SEC("xdp")
int followon(struct xdp_md *ctx)
{
	__u32 k1 = 1, k2 = 2;
	__u64 *a = bpf_map_lookup_elem(&vals, &k1);
	__u64 *b = bpf_map_lookup_elem(&vals, &k2);

	return (read_val(a) + read_val(b)) & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
