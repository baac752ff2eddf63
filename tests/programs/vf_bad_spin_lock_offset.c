// expect: reject VF-LOCK
/* Passes a field other than the value's struct bpf_spin_lock (known from BTF) to bpf_spin_lock. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	struct bpf_spin_lock lock;
	__u32 cnt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} counters SEC(".maps");

SEC("tc")
int lock_wrong_field(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&counters, &key);

	if (!v)
		return 0;
	bpf_spin_lock((struct bpf_spin_lock *)&v->cnt);
	v->cnt++;
	bpf_spin_unlock((struct bpf_spin_lock *)&v->cnt);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
