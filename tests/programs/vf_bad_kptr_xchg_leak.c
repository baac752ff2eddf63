// expect: reject VF-REF-LEAK
/* Takes the task out of a referenced kptr with bpf_kptr_xchg and drops it: the reference it
 * returns must be stored back or released ("Unreleased reference"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __kptr __attribute__((btf_type_tag("kptr")))

/* Linux finds the kptr's struct by name in its own BTF and needs its definition in the object's:
 * CO-RE access makes clang describe it (and relocates the members read) */
struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct val {
	struct task_struct __kptr *owner;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} owners SEC(".maps");

static void *(*kptr_xchg)(void *dst, void *ptr) = (void *)194;

SEC("tc")
int kptr_xchg_leak(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&owners, &key);
	struct task_struct *t;

	if (!v)
		return 0;
	t = kptr_xchg(&v->owner, 0);
	if (!t)
		return 0;
	return t->pid == 1;
}

char LICENSE[] SEC("license") = "GPL";
