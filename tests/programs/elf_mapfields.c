/* Special fields of map values for the ELF loader's field finder (tests/unit/test_verify_kptr.c):
 * an array of kptrs, a nested struct holding a spin lock, a timer, a typedef of the lock (not a
 * field: Linux matches struct names as written), and a spin lock in .data after a variable
 * (its DATASEC offset, 0 in the object, comes from the symbol). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

typedef struct bpf_spin_lock lock_t;

struct inner {
	__u32 n;
	struct bpf_spin_lock lock;
};

struct val {
	__u64 a;                                     /* 0 */
	struct task_struct __kptr_untrusted *t[2];   /* 8, 16 */
	struct inner in;                             /* 24: lock at 28 */
	struct bpf_timer timer;                      /* 32 */
	lock_t not_a_lock;                           /* 48 */
	struct task_struct __kptr *owner;            /* 56 */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val);
} vals SEC(".maps");

__u64 counter = 1;
struct bpf_spin_lock glock SEC(".data");

SEC("tc")
int fields(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct val *v = bpf_map_lookup_elem(&vals, &key);
	struct task_struct *t;

	if (!v)
		return 0;
	t = v->t[1];
	if (t && t->pid == 1)
		return 1;
	bpf_spin_lock(&glock);
	counter++;
	bpf_spin_unlock(&glock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
