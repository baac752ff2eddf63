// expect: reject VF-PACKET-BOUNDS
/* The near miss of vf_pass_xdp_meta: 4 bytes of metadata are checked, 4 bytes one byte further
 * are read. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_meta_oob(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *meta = (void *)(long)ctx->data_meta;

	if (meta + 4 > data)
		return XDP_PASS;
	return *(volatile __u32 *)(meta + 1) == 0xdead ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
