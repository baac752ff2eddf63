// expect: reject VF-LOOP-UNBOUNDED
/* The loop makes a new iterator in every iteration: its next() bounds nothing, the loop runs
 * forever (Linux: infinite loop detected, or the program is too large). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int iter_renew(struct __sk_buff *skb)
{
	volatile int n = 0;

	for (;;) {
		struct bpf_iter_num it;
		int *p, got;

		bpf_iter_num_new(&it, 0, 4);
		p = bpf_iter_num_next(&it);
		got = p != 0;
		if (p)
			n += *p;
		bpf_iter_num_destroy(&it);
		if (!got)
			break;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
