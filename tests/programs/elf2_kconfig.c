/* ELF loader test: .kconfig externs of every kind libbpf supports (bool, tristate, char, integers,
 * char array, __weak, LINUX_KERNEL_VERSION), their values given by --kconfig. */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_TEST_MOD __kconfig;
extern char CONFIG_CHAR_OPT __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned long long CONFIG_BIG __kconfig;
extern short CONFIG_NEG __kconfig;
extern char CONFIG_LOCALVERSION[8] __kconfig;
extern int CONFIG_MISSING_WEAK __kconfig __weak;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;

SEC("xdp") int use_kconfig(struct xdp_md *ctx)
{
	long sum = CONFIG_HZ + CONFIG_BIG + CONFIG_NEG + CONFIG_CHAR_OPT + CONFIG_LOCALVERSION[0] +
	           CONFIG_MISSING_WEAK + LINUX_KERNEL_VERSION;
	if (CONFIG_BPF_SYSCALL && CONFIG_TEST_MOD == TRI_MODULE)
		return sum > 0 ? XDP_PASS : XDP_DROP;
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
