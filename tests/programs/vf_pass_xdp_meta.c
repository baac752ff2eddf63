// expect: pass
/* XDP metadata: a 4-byte mark in front of the packet, read only after the meta pointer plus its
 * size is compared with data (data_meta <= data; the zone relates the two, see specs/verifier.md
 * "Zone"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_meta_mark(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *meta = (void *)(long)ctx->data_meta;
	__u32 *mark = meta;

	if ((void *)(mark + 1) > data)
		return XDP_PASS;
	if (*mark == 0xdead)
		return XDP_DROP;
	*mark = 0;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
