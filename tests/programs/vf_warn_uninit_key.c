// expect: warn VF-UNINIT-STACK
/* Passes a map key whose bytes were never written: the kernel tolerates this uninitialised stack
 * read for root (allow_uninit_stack) but rejects it for unprivileged loaders. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u64);
	__type(value, __u64);
} m SEC(".maps");

SEC("xdp")
int uninit_key(struct xdp_md *ctx)
{
	__u64 key;
	__u64 *v;

	asm volatile("" : "=m"(key)); /* pretend key is written; it is not */
	v = bpf_map_lookup_elem(&m, &key);
	return v ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
