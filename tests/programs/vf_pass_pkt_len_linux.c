// expect: pass
/* vf_note_pkt_len.c written the Linux way: the pointer itself (data + off) is compared with
 * data_end before the read, so Linux gives it a range of 4 and accepts it; no VF-KERNEL-IMPRECISE. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int pkt_ptr_offset(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 off = ctx->rx_queue_index & 0xff;
	void *p = data + off;

	if (p + 4 > end)
		return XDP_PASS;
	return *(__u8 *)(p + 3) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
