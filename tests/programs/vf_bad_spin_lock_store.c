// expect: reject VF-LOCK
/* Writes the struct bpf_spin_lock of a map value directly instead of through the helpers. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	__u32 cnt;
	struct bpf_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} counters SEC(".maps");

SEC("tc")
int lock_store(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&counters, &key);

	if (!v)
		return 0;
	v->lock.val = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
