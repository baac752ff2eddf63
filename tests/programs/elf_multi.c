/* ELF loader test: several programs per section, programs in many section kinds, static and
 * global subprograms in .text and in a program section, nested calls. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int leaf(int x)
{
	return x * 3 + 1;
}

static __attribute__((noinline)) int middle(int x)
{
	return leaf(x) + leaf(x + 1);
}

__attribute__((noinline)) int global_helper(int x)
{
	return middle(x) ^ 5;
}

/* Global .text function nobody calls: loadable on its own. */
__attribute__((noinline)) int lonely(void *ctx)
{
	return 7;
}

SEC("xdp") int xdp_first(struct xdp_md *ctx)
{
	return global_helper((int)ctx->ingress_ifindex) & 3;
}

SEC("xdp") int xdp_second(struct xdp_md *ctx)
{
	return leaf((int)ctx->rx_queue_index) & 3;
}

SEC("socket") int sock_prog(struct __sk_buff *skb)
{
	return middle((int)skb->len);
}

SEC("kprobe/do_sys_open") int kp(void *ctx)
{
	return 0;
}

SEC("tc") int tc_prog(struct __sk_buff *skb)
{
	return skb->mark ? 0 : 2;
}

SEC("tracepoint/syscalls/sys_enter_openat") int tp(void *ctx)
{
	return 0;
}

SEC("cgroup_skb/ingress") int cg(struct __sk_buff *skb)
{
	return 1;
}

static __attribute__((noinline)) int in_section_helper(int x)
{
	return x + 11;
}

SEC("my_custom/section") int custom(void *ctx)
{
	return in_section_helper(3);
}

char LICENSE[] SEC("license") = "GPL";
