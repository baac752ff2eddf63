/* Verifier test for --kconfig: the unchecked lookup result is dereferenced only when CONFIG_HZ is
 * not 250, so with CONFIG_HZ=250 known that path is dead and the program is safe. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_HZ __kconfig;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

SEC("xdp") int hz_gate(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&vals, &k);
	if (CONFIG_HZ != 250)
		return *v ? XDP_DROP : XDP_PASS;
	return v && *v ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
