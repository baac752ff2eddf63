/* ELF loader test: legacy map definitions in a "maps" section (struct bpf_map_def written by
 * hand, as kernel samples and iproute2 did), old-style section names, a version section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def SEC("maps") my_map = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = sizeof(__u32),
    .value_size = sizeof(long),
    .max_entries = 256,
};

struct legacy_map_def SEC("maps") other_map = {
    .type = BPF_MAP_TYPE_HASH,
    .key_size = 8,
    .value_size = 16,
    .max_entries = 64,
    .map_flags = 1,
};

SEC("socket1") int bpf_prog1(struct __sk_buff *skb)
{
	__u32 index = skb->protocol;
	long *value = bpf_map_lookup_elem(&my_map, &index);
	if (value)
		__sync_fetch_and_add(value, skb->len);
	__u64 k = 1;
	bpf_map_lookup_elem(&other_map, &k);
	return 0;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x050a00;
