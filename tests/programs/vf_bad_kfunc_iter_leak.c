// expect: reject VF-REF-LEAK
/* The iterator is created and stepped but never destroyed ("Unreleased reference"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int iter_leak(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	int *p;

	bpf_iter_num_new(&it, 0, 4);
	p = bpf_iter_num_next(&it);
	return p ? *p : 0;
}

char LICENSE[] SEC("license") = "GPL";
