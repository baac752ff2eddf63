// expect: pass
/* A cpumask made with bpf_cpumask_create (acquired, may be NULL), written and tested through
 * kfuncs that take the struct cpumask at its start, acquired once more and released twice. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tp_btf/sched_switch")
int cpumask_use(void *ctx)
{
	struct bpf_cpumask *m = bpf_cpumask_create(), *m2;
	unsigned long bits;
	int r;

	if (!m)
		return 0;
	bpf_cpumask_set_cpu(0, m);
	r = bpf_cpumask_test_cpu(0, (const struct cpumask *)m) + bpf_cpumask_weight(&m->cpumask);
	bits = m->cpumask.bits[0];
	m2 = bpf_cpumask_acquire(m);
	bpf_cpumask_release(m2);
	bpf_cpumask_release(m);
	return r + (bits & 1);
}

char LICENSE[] SEC("license") = "GPL";
