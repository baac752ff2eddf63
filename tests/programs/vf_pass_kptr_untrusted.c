// expect: pass
/* An untrusted kptr in a map value: loaded (a BTF pointer to the task or NULL), NULL-checked, a
 * field read through it, stored back and cleared with NULL. The referenced kptr next to it is only
 * declared (exchanging it needs a kfunc to release what comes out). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))

/* Linux finds the kptr's struct by name in its own BTF and needs its definition in the object's:
 * CO-RE access makes clang describe it (and relocates the members read) */
struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct val {
	__u64 hits;
	struct task_struct __kptr_untrusted *last;
	struct task_struct __kptr *owner;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} tasks SEC(".maps");

SEC("tc")
int kptr_untrusted(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&tasks, &key);
	struct task_struct *t;

	if (!v)
		return 0;
	v->hits++;
	t = v->last;
	if (!t)
		return 0;
	if (t->tgid == 1)
		v->last = 0;
	else
		v->last = t;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
