// expect: pass
/* bpf_for(i, 0, 10) (open-coded number iterator: bpf_iter_num_new/next/destroy) summing into a
 * map value; i indexes an array bounded by the macro's own check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

struct val {
	__u64 sum;
	__u32 w[10];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} sums SEC(".maps");

SEC("tc")
int iter_sum(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&sums, &key);
	int i;

	if (!v)
		return 0;
	bpf_for(i, 0, 10)
	{
		v->sum += i;
		v->w[i] += 1;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
