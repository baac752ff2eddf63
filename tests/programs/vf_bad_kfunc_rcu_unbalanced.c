// expect: reject VF-RCU
/* The RCU read section stays open on the path where the packet is short ("bpf_rcu_read_unlock is
 * missing"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

SEC("tc")
int rcu_unbalanced(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	if (skb->len < 64)
		return 0;
	bpf_rcu_read_unlock();
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
