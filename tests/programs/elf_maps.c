/* ELF loader test: BTF-defined maps (hash, array, per-CPU, ring buffer), map-in-map, pinning. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key {
	__u32 addr;
	__u16 port;
	__u16 proto;
};

struct value {
	__u64 packets;
	__u64 bytes;
	char name[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct key);
	__type(value, struct value);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps");

SEC("xdp") int use_maps(struct xdp_md *ctx)
{
	struct key k = {.addr = ctx->ingress_ifindex};
	struct value *v = bpf_map_lookup_elem(&flows, &k);
	if (v)
		v->packets++;
	__u32 i = 0;
	__u64 *c = bpf_map_lookup_elem(&counters, &i);
	if (c)
		(*c)++;
	void *in = bpf_map_lookup_elem(&outer, &i);
	if (in) {
		__u32 *x = bpf_map_lookup_elem(in, &i);
		if (x)
			*x += 1;
	}
	bpf_ringbuf_output(&events, &i, sizeof(i), 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
