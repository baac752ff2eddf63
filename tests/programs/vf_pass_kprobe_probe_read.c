// expect: pass
/* kprobe: read the first argument's pointed-to string with bpf_probe_read_kernel_str into a
 * stack buffer and print it. */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_sys_openat2")
int kprobe_openat(struct pt_regs *ctx)
{
	char name[64];
	const char *filename = (const char *)PT_REGS_PARM2(ctx);
	long n = bpf_probe_read_user_str(name, sizeof(name), filename);

	if (n > 0)
		bpf_printk("open %s (pid %d)", name, (int)(bpf_get_current_pid_tgid() >> 32));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
