// expect: pass
/* An sk_lookup program clears the assigned socket: its bpf_sk_assign takes NULL. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("sk_lookup")
int clear_assign(struct bpf_sk_lookup *ctx)
{
	if (ctx->local_port == 22)
		return bpf_sk_assign(ctx, NULL, BPF_SK_LOOKUP_F_REPLACE) ? SK_DROP : SK_PASS;
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
