/* ELF loader test: initial values of a map-in-map and a prog array (.rel.maps relocations). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} first SEC(".maps"), second SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
    .values = {[1] = &first, [5] = &second},
};

SEC("xdp") int tail_a(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp") int tail_b(struct xdp_md *ctx)
{
	return XDP_TX;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(void *));
} jumps SEC(".maps") = {
    .values = {[0] = (void *)&tail_a, [3] = (void *)&tail_b},
};

SEC("xdp") int entry(struct xdp_md *ctx)
{
	__u32 k = 0;
	void *in = bpf_map_lookup_elem(&outer, &k);
	if (in) {
		__u64 *v = bpf_map_lookup_elem(in, &k);
		if (v)
			*v += 1;
	}
	bpf_tail_call(ctx, &jumps, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
