// expect: reject VF-REF-LEAK
/* Reserves a ring-buffer record and returns early without submitting or discarding it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int leak_record(void *ctx)
{
	__u64 *slot = bpf_ringbuf_reserve(&rb, sizeof(__u64), 0);

	if (!slot)
		return 0;
	*slot = bpf_ktime_get_ns();
	if (*slot & 1)
		return 0; /* leaks the reservation */
	bpf_ringbuf_submit(slot, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
