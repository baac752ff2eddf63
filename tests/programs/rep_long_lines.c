// expect: reject VF-PACKET-BOUNDS
/* Report tests: a finding on a very long source line, far to the right, with a long path; the
 * text report must keep the caret in view on an 80-column terminal. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int a_program_with_a_rather_long_name_to_stress_labels(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end; unsigned char *bytes_of_the_packet_being_parsed = data; if ((void *)(bytes_of_the_packet_being_parsed + 4) > data_end) return XDP_PASS; return bytes_of_the_packet_being_parsed[3] + bytes_of_the_packet_being_parsed[9] > 0x40 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
