// expect: reject VF-MAP-FIELD
/* Clears a referenced kptr (__kptr) with a plain store: Linux only lets bpf_kptr_xchg change it,
 * so that the reference it holds is never lost ("store to referenced kptr disallowed"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))

/* Linux finds the kptr's struct by name in its own BTF and needs its definition in the object's:
 * CO-RE access makes clang describe it (and relocates the members read) */
struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct val {
	struct task_struct __kptr_untrusted *last;
	struct task_struct __kptr *owner;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} owners SEC(".maps");

SEC("tc")
int kptr_ref_store(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&owners, &key);

	struct task_struct *t;

	if (!v)
		return 0;
	t = v->last;
	if (t && t->pid == 1)
		return 0;
	v->owner = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
