// expect: reject VF-RETURN-RANGE
/* cgroup_skb programs must return 0 or 1 (drop/allow); this one can return 2. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup_skb/ingress")
int bad_verdict(struct __sk_buff *skb)
{
	return skb->len > 1000 ? 2 : 1;
}

char LICENSE[] SEC("license") = "GPL";
