// expect: pass
/* Five nested bounded loops with constant bounds (clang keeps each loop with unrolling
 * disabled): every loop, the outer ones included, must be shown to terminate. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cell {
	__u64 v[2][2][2][2][3];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cell);
} cells SEC(".maps");

SEC("xdp")
int nested5(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct cell *c = bpf_map_lookup_elem(&cells, &key);
	__u64 sum = 0;

	if (!c)
		return XDP_PASS;
#pragma clang loop unroll(disable)
	for (int a = 0; a < 2; a++)
#pragma clang loop unroll(disable)
		for (int b = 0; b < 2; b++)
#pragma clang loop unroll(disable)
			for (int d = 0; d < 2; d++)
#pragma clang loop unroll(disable)
				for (int e = 0; e < 2; e++)
#pragma clang loop unroll(disable)
					for (int f = 0; f < 3; f++)
						sum += c->v[a][b][d][e][f];
	return sum > 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
