// expect: pass
/* Updates a counter in a hash map value under its bpf_spin_lock. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	__u64 pad;
	struct bpf_spin_lock lock;
	__u32 cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct val);
} counters SEC(".maps");

SEC("tc")
int locked_count(struct __sk_buff *skb)
{
	__u32 key = skb->mark;
	struct val *v = bpf_map_lookup_elem(&counters, &key);

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->cnt++;
	bpf_spin_unlock(&v->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
