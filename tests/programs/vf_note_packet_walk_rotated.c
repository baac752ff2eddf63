// expect: note VF-KERNEL-IMPRECISE
/* A loop walking a packet pointer up to data_end with no counter. Linux 6.x rejects it ("R1
 * offset is outside of the packet" after 131074 processed instructions: it follows the pointer
 * iteration by iteration until the offset passes 64 KiB). Safe: clang's rotated loop reads
 * through a pointer 4 bytes behind the one compared, which bpfcheck proves since joins keep the
 * pointer's range across different fixed offsets; the loop is bounded by the packet's size alone,
 * hence the note. (Before, bpfcheck rejected it with VF-PACKET-BOUNDS.) */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int packet_walk_nocounter(struct xdp_md *ctx)
{
	void *p = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 sum = 0;

	while (p + 4 <= end) {
		sum += *(__u32 *)p;
		p += 4;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
