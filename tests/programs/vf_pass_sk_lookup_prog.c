// expect: pass
/* An sk_lookup program reads the socket the context may carry, after its NULL check. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("sk_lookup")
int sk_lookup_ctx(struct bpf_sk_lookup *ctx)
{
	struct bpf_sock *sk = ctx->sk;

	if (sk && sk->family == 10)
		return SK_DROP;
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
