// expect: reject VF-HELPER-ARG
/* The task may be NULL when it is released: it must be checked first. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int task_release_null(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1);
	int pid = t ? t->pid : 0;

	bpf_task_release(t);
	return pid == 1;
}

char LICENSE[] SEC("license") = "GPL";
