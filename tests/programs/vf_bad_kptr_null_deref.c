// expect: reject VF-NULL-DEREF
/* Reads through an untrusted kptr without checking it against NULL: the field may be empty
 * ("R1 invalid mem access 'untrusted_ptr_or_null_'"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))

/* Linux finds the kptr's struct by name in its own BTF and needs its definition in the object's:
 * CO-RE access makes clang describe it (and relocates the members read) */
struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct val {
	struct task_struct __kptr_untrusted *last;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} lasts SEC(".maps");

SEC("tc")
int kptr_null_deref(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&lasts, &key);

	if (!v)
		return 0;
	return v->last->pid == 1;
}

char LICENSE[] SEC("license") = "GPL";
