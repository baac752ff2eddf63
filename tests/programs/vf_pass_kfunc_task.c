// expect: pass
/* bpf_task_from_pid returns a referenced task or NULL; bpf_task_acquire takes a second reference
 * on it; both are released with bpf_task_release. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int task_ref(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1), *t2;
	int pid = 0;

	if (!t)
		return 0;
	t2 = bpf_task_acquire(t);
	if (t2) {
		pid = t2->pid;
		bpf_task_release(t2);
	}
	bpf_task_release(t);
	return pid == 1;
}

char LICENSE[] SEC("license") = "GPL";
