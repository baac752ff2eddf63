/* ELF loader test: CO-RE relocations on a locally declared kernel-like struct (no vmlinux.h):
 * field offsets, field existence, type size, through __builtin_preserve_access_index. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_like {
	int pad;
	int pid;
	struct {
		long start;
		long flags;
	} times;
	char comm[16];
} __attribute__((preserve_access_index));

SEC("kprobe/core_test") int core_prog(struct task_like *t)
{
	int pid = 0;
	long flags = 0;
	bpf_probe_read_kernel(&pid, sizeof(pid), &t->pid);
	bpf_probe_read_kernel(&flags, sizeof(flags), &t->times.flags);
	if (bpf_core_field_exists(t->comm))
		pid += bpf_core_type_size(struct task_like);
	return pid + (int)flags;
}

char LICENSE[] SEC("license") = "GPL";
