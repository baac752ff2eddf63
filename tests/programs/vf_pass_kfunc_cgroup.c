// expect: pass
/* Cgroup references: bpf_cgroup_from_id and bpf_cgroup_ancestor acquire (or return NULL),
 * bpf_task_under_cgroup takes a trusted task and cgroup, bpf_cgroup_release releases. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int cgroup_ref(struct __sk_buff *skb)
{
	struct cgroup *c = bpf_cgroup_from_id(1), *a;
	struct task_struct *t;
	long under = 0;
	int level;

	if (!c)
		return 0;
	level = c->level;
	a = bpf_cgroup_ancestor(c, 0);
	if (a) {
		t = bpf_task_from_pid(1);
		if (t) {
			under = bpf_task_under_cgroup(t, a);
			bpf_task_release(t);
		}
		bpf_cgroup_release(a);
	}
	bpf_cgroup_release(c);
	return level + under > 1;
}

char LICENSE[] SEC("license") = "GPL";
