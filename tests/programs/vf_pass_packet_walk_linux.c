// expect: pass
/* vf_note_packet_walk.c with a counter bounded by a constant as well: Linux follows at most 64
 * iterations and accepts it; no VF-KERNEL-IMPRECISE. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int packet_walk_counted(struct xdp_md *ctx)
{
	void *p = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 sum = 0;

	for (int i = 0; i < 64; i++) {
		asm volatile("" : "+r"(p));
		if (p + 4 > end)
			break;
		sum += *(__u32 *)p;
		p += 4;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
