// expect: pass
/* Correlated branches: the pointer is looked up and later dereferenced under the same condition.
 * A verifier that joins a NULL scalar with a map value pointer at the merge rejects this; the
 * kernel (path-sensitive) and bpfcheck (states partitioned by shape) accept it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

SEC("socket")
int correlated(struct __sk_buff *skb)
{
	__u32 key = skb->len & 3;
	__u64 *v = 0;
	int have = skb->protocol == 8;

	if (have) {
		v = bpf_map_lookup_elem(&vals, &key);
		if (!v)
			return 0;
	}
	__u64 extra = bpf_get_prandom_u32() & 7;
	extra += bpf_ktime_get_ns() & 7;
	extra += bpf_get_smp_processor_id() & 7;
	asm volatile("" : "+r"(have)); /* keep one merge point: no tail duplication */
	if (have)
		*v += extra;
	return (int)extra;
}

char LICENSE[] SEC("license") = "GPL";
