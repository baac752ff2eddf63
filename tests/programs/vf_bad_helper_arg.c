// expect: reject VF-HELPER-ARG
/* bpf_probe_read_kernel with a size that is not bounded by the destination buffer. */
#define __TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/vfs_read")
int read_too_much(struct pt_regs *ctx)
{
	char buf[16];
	__u32 len = (__u32)PT_REGS_PARM3(ctx); /* unbounded */

	bpf_probe_read_kernel(buf, len, (void *)PT_REGS_PARM2(ctx));
	return buf[0];
}

char LICENSE[] SEC("license") = "GPL";
