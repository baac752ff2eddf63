/* Deliberately broken: uses the result of bpf_map_lookup_elem without checking it for NULL.
 * The Linux verifier rejects it ("R0 invalid mem access 'map_value_or_null'"); so must bpfcheck. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	*value += 1; /* missing: if (!value) return XDP_PASS; */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
