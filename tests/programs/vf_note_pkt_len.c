// expect: note VF-KERNEL-IMPRECISE
/* An offset checked against the packet length (data_end - data) instead of the pointer against
 * data_end. Sound, and bpfcheck proves it through the zone (len - off >= 4), but Linux makes len an
 * unknown number and rejects the read ("R2 offset is outside of the packet", Linux 6.x): a VF-KERNEL-IMPRECISE note, an error with --linux-compat.
 * vf_pass_pkt_len_linux.c is the same read written the way Linux proves it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int pkt_len_offset(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u64 len = end - data;
	__u64 off = ctx->rx_queue_index & 0xff;

	if (off + 4 > len)
		return XDP_PASS;
	return *(__u8 *)(data + off + 3) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
