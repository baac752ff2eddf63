/* ELF loader test: CO-RE relocations on a locally declared kernel-like struct (no vmlinux.h):
 * field offsets, field existence, type size, a bitfield read, an enum value, through
 * __builtin_preserve_access_index. */
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
	unsigned int flag_a : 3, flag_b : 5;
} __attribute__((preserve_access_index));

enum task_state_like { TS_RUNNING = 0, TS_SLEEPING = 7 };

SEC("kprobe/core_test") int core_prog(struct task_like *t)
{
	int pid = 0;
	long flags = 0;
	bpf_probe_read_kernel(&pid, sizeof(pid), &t->pid);
	bpf_probe_read_kernel(&flags, sizeof(flags), &t->times.flags);
	if (bpf_core_field_exists(t->comm))
		pid += bpf_core_type_size(struct task_like);
	pid += BPF_CORE_READ_BITFIELD_PROBED(t, flag_b);
	pid += bpf_core_enum_value(enum task_state_like, TS_SLEEPING);
	return pid + (int)flags;
}

char LICENSE[] SEC("license") = "GPL";
