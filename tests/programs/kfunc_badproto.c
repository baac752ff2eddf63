/* bpf_task_from_pid declared with a result Linux does not give it (struct cgroup *): bpfcheck does
 * not analyse the call (tests/unit/test_verify_kfunc.c); libbpf refuses to load the object ("func_proto
 * incompatible with kernel"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __ksym __attribute__((section(".ksyms")))

struct cgroup {
	int level;
} __attribute__((preserve_access_index));

extern struct cgroup *bpf_task_from_pid(int pid) __ksym;

SEC("tc")
int bad_proto(struct __sk_buff *skb)
{
	struct cgroup *c = bpf_task_from_pid(1);

	return c ? c->level : 0;
}

char LICENSE[] SEC("license") = "GPL";
