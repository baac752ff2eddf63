// expect: note VF-KERNEL-IMPRECISE
/* A loop walking a packet pointer up to data_end with no counter, each read through the pointer
 * just compared. Sound (the packet is at most 64 KiB), and bpfcheck proves it bounded by that, but
 * Linux follows the walk one iteration at a time and rejects it once the offset passes 64 KiB
 * ("R3 offset is outside of the packet" after 147,458 processed instructions, Linux 6.x). The empty asm keeps clang from rotating the loop (see vf_note_packet_walk_rotated.c).
 * vf_pass_packet_walk_linux.c adds a counter bounded by a constant. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int packet_walk(struct xdp_md *ctx)
{
	void *p = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 sum = 0;

	for (;;) {
		asm volatile("" : "+r"(p));
		if (p + 4 > end)
			break;
		sum += *(__u32 *)p;
		p += 4;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
