// expect: reject VF-NULL-DEREF
/* One null-check mistake: the second lookup's result is used unchecked. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

SEC("socket")
int null_deref(struct __sk_buff *skb)
{
	__u32 k1 = 1, k2 = 2;
	__u64 *a = bpf_map_lookup_elem(&stats, &k1);
	__u64 *b = bpf_map_lookup_elem(&stats, &k2);

	if (!a)
		return 0;
	return (int)(*a + *b);
}

char LICENSE[] SEC("license") = "GPL";
