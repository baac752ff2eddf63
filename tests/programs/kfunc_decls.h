/* Declarations of the kfuncs the vf_*kfunc* test programs call (Linux 6.18 signatures), and the
 * bpf_for loop written the way libbpf's bpf_helpers.h writes it: open-coded number iterator,
 * destroyed by the cleanup attribute when the loop is left. */
#ifndef KFUNC_DECLS_H
#define KFUNC_DECLS_H

#include <stdbool.h>

#ifndef __ksym
#define __ksym __attribute__((section(".ksyms")))
#endif

struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

/* defined (CO-RE) rather than forward-declared: libbpf finds a kfunc prototype naming a mere
 * forward declaration incompatible with the kernel's (the programs read a member of each) */
struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct cgroup {
	int level;
} __attribute__((preserve_access_index));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct cgroup *bpf_cgroup_from_id(__u64 cgid) __ksym;
extern struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) __ksym;
extern struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
extern long bpf_task_under_cgroup(struct task_struct *task, struct cgroup *ancestor) __ksym;

struct cpumask {
	unsigned long bits[1];
} __attribute__((preserve_access_index));

struct bpf_cpumask {
	struct cpumask cpumask;
} __attribute__((preserve_access_index));

extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern struct bpf_cpumask *bpf_cpumask_acquire(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_set_cpu(__u32 cpu, struct bpf_cpumask *cpumask) __ksym;
extern bool bpf_cpumask_test_cpu(__u32 cpu, const struct cpumask *cpumask) __ksym;
extern __u32 bpf_cpumask_weight(const struct cpumask *cpumask) __ksym;

#define bpf_for(i, start, end)                                                                               \
	for (struct bpf_iter_num ___it __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))),           \
	     *___p __attribute__((unused)) =                                                                 \
	         (bpf_iter_num_new(&___it, (start), (end)), (void)bpf_iter_num_destroy, (void *)0);          \
	     ({                                                                                              \
		     int *___t = bpf_iter_num_next(&___it);                                                  \
		     (___t && ((i) = *___t, (i) >= (start) && (i) < (end)));                                 \
	     });)

#endif
