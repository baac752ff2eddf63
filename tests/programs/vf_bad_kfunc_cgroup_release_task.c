// expect: reject VF-HELPER-ARG
/* A task is released with bpf_cgroup_release: the argument must point to a struct cgroup. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int cgroup_release_task(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1);
	int pid;

	if (!t)
		return 0;
	pid = t->pid;
	bpf_cgroup_release((struct cgroup *)t);
	return pid == 1;
}

char LICENSE[] SEC("license") = "GPL";
