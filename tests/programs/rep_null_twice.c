// expect: reject VF-NULL-DEREF
/* Report tests (tests/unit/test_report.c): one unchecked lookup result used twice, on two lines,
 * through two registers. One root cause: the report should show one finding, and say that the
 * second was suppressed as a follow-on. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64[2]);
} pairs SEC(".maps");

SEC("xdp")
int twice(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&pairs, &key);
	__u64 first, second;

	first = v[0];               /* missing: if (!v) return XDP_PASS; */
	asm volatile("" ::: "memory");
	second = v[1];
	return first + second > 10 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
