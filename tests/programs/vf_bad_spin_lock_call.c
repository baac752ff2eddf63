// expect: reject VF-LOCK
/* Calls a helper while holding the lock. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	struct bpf_spin_lock lock;
	__u64 stamp;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} stamps SEC(".maps");

SEC("tc")
int lock_call(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&stamps, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->stamp = bpf_ktime_get_ns(); /* a helper call under the lock */
	bpf_spin_unlock(&v->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
