/* One program per kfunc rule for tests/unit/test_verify_kfunc.c (each checked against Linux 6.18
 * with kload; the kernel's message is in the comment). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
static struct task_struct *(*get_current_task_btf)(void) = (void *)158;

/* Linux: unmatched rcu read unlock */
SEC("tc")
int rcu_unlock_only(struct __sk_buff *skb)
{
	bpf_rcu_read_unlock();
	return 0;
}

/* Linux: nested rcu read lock (kernel function bpf_rcu_read_lock) */
SEC("tc")
int rcu_nested(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_rcu_read_unlock();
	return 0;
}

/* Linux: expected uninitialized iter_num as arg #0 */
SEC("tc")
int iter_double_new(struct __sk_buff *skb)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 4);
	bpf_iter_num_new(&it, 0, 4);
	bpf_iter_num_destroy(&it);
	return 0;
}

/* Linux: expected an initialized iter_num as arg #0 */
SEC("tc")
int iter_next_uninit(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	int *p;

	p = bpf_iter_num_next(&it);
	return p ? *p : 0;
}

/* Linux: R0 cannot write into rdonly_mem */
SEC("tc")
int iter_write(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	int *p;

	bpf_iter_num_new(&it, 0, 4);
	p = bpf_iter_num_next(&it);
	if (p)
		*(volatile int *)p = 5;
	bpf_iter_num_destroy(&it);
	return 0;
}

/* Linux: R7 invalid mem access 'scalar' (the number dies with the iterator) */
SEC("tc")
int iter_use_after_destroy(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	volatile int *p;
	int v = 0;

	bpf_iter_num_new(&it, 0, 4);
	p = bpf_iter_num_next(&it);
	bpf_iter_num_destroy(&it);
	if (p)
		v = *p;
	return v;
}

/* Linux: nested bpf_for loops are accepted */
SEC("tc")
int iter_nested(struct __sk_buff *skb)
{
	int i, j, s = 0;

	bpf_for(i, 0, 4)
	{
		bpf_for(j, 0, 4) s += i * j;
	}
	return s & 1;
}

/* Linux: calling kernel function bpf_task_from_pid is not allowed */
SEC("kprobe/do_nanosleep")
int task_in_kprobe(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);
	int pid = 0;

	if (t) {
		pid = t->pid;
		bpf_task_release(t);
	}
	return pid == 1;
}

/* Linux: accepted (xdp is among the generic kfunc set's program types) */
SEC("xdp")
int task_in_xdp(struct xdp_md *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);
	int pid = 0;

	if (t) {
		pid = t->pid;
		bpf_task_release(t);
	}
	return pid == 1 ? XDP_PASS : XDP_DROP;
}

/* Linux: arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar */
SEC("tc")
int task_release_twice(struct __sk_buff *skb)
{
	struct task_struct *t = bpf_task_from_pid(1);
	int pid;

	if (!t)
		return 0;
	pid = t->pid;
	bpf_task_release(t);
	bpf_task_release(t);
	return pid == 1;
}

/* not modelled by bpfcheck (Linux accepts it) */
SEC("tc")
int unmodelled(struct __sk_buff *skb)
{
	return bpf_cast_to_kern_ctx(skb) != 0;
}

/* Linux: accepted (a trusted task from bpf_get_current_task_btf, acquired and released) */
SEC("tp_btf/sched_switch")
int current_acquire(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(get_current_task_btf());
	int pid;

	if (!t)
		return 0;
	pid = t->pid;
	bpf_task_release(t);
	return pid == 1;
}

/* Linux: release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID */
SEC("tp_btf/sched_switch")
int current_release(void *ctx)
{
	bpf_task_release(get_current_task_btf());
	return 0;
}

static long (*copy_from_user)(void *dst, __u32 size, const void *user_ptr) = (void *)148;

/* Linux: helper call might sleep in a non-sleepable prog (it checks that first; bpfcheck has no
 * sleepable programs and reports the section: Linux says "sleepable helper ... in rcu_read_lock
 * region" for a sleepable program) */
SEC("tp_btf/sched_switch")
int rcu_sleepable_helper(void *ctx)
{
	char buf[8];

	bpf_rcu_read_lock();
	copy_from_user(buf, sizeof(buf), (void *)0x1000);
	bpf_rcu_read_unlock();
	return buf[0];
}

/* Linux: calling kernel function bpf_cpumask_create is not allowed */
SEC("tc")
int cpumask_in_tc(struct __sk_buff *skb)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	if (m)
		bpf_cpumask_release(m);
	return 0;
}

/* Linux: R2 type=scalar expected=fp (the released mask is no pointer any more) */
SEC("tp_btf/sched_switch")
int cpumask_after_release(void *ctx)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	if (!m)
		return 0;
	bpf_cpumask_release(m);
	bpf_cpumask_set_cpu(0, m);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
