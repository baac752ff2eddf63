/* ELF loader test: a prog array initialized past its max_entries (libbpf fails at load time). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp") int target(struct xdp_md *ctx)
{
	return XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int(void *));
} small SEC(".maps") = {
    .values = {[3] = (void *)&target},
};

SEC("xdp") int entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &small, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
