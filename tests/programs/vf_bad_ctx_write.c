// expect: reject VF-CTX-ACCESS
/* Writes a read-only __sk_buff field (len) from a tc program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int write_len(struct __sk_buff *skb)
{
	skb->len = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
