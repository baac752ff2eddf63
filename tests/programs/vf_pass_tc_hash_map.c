// expect: pass
/* tc: count bytes per ingress interface in a hash map (lookup, then update on miss). */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} bytes_by_ifindex SEC(".maps");

SEC("tc")
int tc_count_bytes(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;
	__u64 *bytes = bpf_map_lookup_elem(&bytes_by_ifindex, &key);

	if (bytes) {
		__sync_fetch_and_add(bytes, skb->len);
	} else {
		__u64 init = skb->len;
		bpf_map_update_elem(&bytes_by_ifindex, &key, &init, BPF_NOEXIST);
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
