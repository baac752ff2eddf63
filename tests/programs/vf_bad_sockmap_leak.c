// expect: reject VF-REF-LEAK
/* A socket taken from a sockmap is not released when bpf_sk_assign fails. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} socks SEC(".maps");

SEC("sk_lookup")
int steer_leak(struct bpf_sk_lookup *ctx)
{
	__u32 key = 0;
	struct bpf_sock *sk;

	sk = bpf_map_lookup_elem(&socks, &key);
	if (!sk)
		return SK_DROP;
	if (bpf_sk_assign(ctx, sk, 0))
		return SK_DROP; /* leaks sk */
	bpf_sk_release(sk);
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
