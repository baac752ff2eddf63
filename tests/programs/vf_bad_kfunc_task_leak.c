// expect: reject VF-REF-LEAK
/* The task bpf_task_from_pid returns is never released ("Unreleased reference"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int task_leak(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1);

	return t ? t->pid == 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
