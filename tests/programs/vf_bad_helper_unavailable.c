// expect: reject VF-HELPER-UNAVAILABLE
/* bpf_probe_write_user is a tracing helper; XDP programs cannot call it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_write_user(struct xdp_md *ctx)
{
	__u32 v = 1;

	bpf_probe_write_user((void *)(long)ctx->rx_queue_index, &v, sizeof(v));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
