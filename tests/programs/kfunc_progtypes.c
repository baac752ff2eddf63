/* bpf_task_from_pid / bpf_task_release (Linux generic_btf_ids) from one program of each type, for
 * tests/unit/test_verify_kfunc.c. Linux 6.18 (kload, 2026-11-24) accepts tracepoint, perf_event,
 * cgroup_skb, syscall, cgroup_sock, cgroup_sock_addr, sock_ops, cgroup_sysctl, cgroup_sockopt,
 * cgroup_device and tracing, and refuses raw_tracepoint, socket_filter, sk_skb, sk_msg, lwt_in,
 * sk_lookup and sched_act ("calling kernel function bpf_task_from_pid is not allowed"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kfunc_decls.h"

#define BODY                                                                                                 \
	{                                                                                                    \
		struct task_struct *t = bpf_task_from_pid(1);                                                \
		int pid = 0;                                                                                 \
		if (t) {                                                                                     \
			pid = t->pid;                                                                        \
			bpf_task_release(t);                                                                 \
		}                                                                                            \
		return pid == 1;                                                                             \
	}

SEC("tracepoint/syscalls/sys_enter_getpid")
int ok_tracepoint(void *ctx) BODY SEC("perf_event") int ok_perf_event(void *ctx) BODY
    SEC("cgroup_skb/ingress") int ok_cgroup_skb(struct __sk_buff *ctx) BODY
    SEC("syscall") int ok_syscall(void *ctx) BODY SEC("cgroup/sock_create") int ok_cgroup_sock(void *ctx) BODY
    SEC("cgroup/connect4") int ok_cgroup_sock_addr(void *ctx) BODY
    SEC("sockops") int ok_sock_ops(void *ctx) BODY SEC("cgroup/sysctl") int ok_cgroup_sysctl(void *ctx) BODY
    SEC("cgroup/getsockopt") int ok_cgroup_sockopt(void *ctx) BODY
    SEC("cgroup/dev") int ok_cgroup_device(void *ctx) BODY
    SEC("tp_btf/sched_switch") int ok_tracing(void *ctx) BODY
    SEC("raw_tracepoint/sched_switch") int no_raw_tracepoint(void *ctx) BODY
    SEC("socket") int no_socket_filter(struct __sk_buff *ctx) BODY
    SEC("sk_skb") int no_sk_skb(struct __sk_buff *ctx) BODY SEC("sk_msg") int no_sk_msg(void *ctx) BODY
    SEC("lwt_in") int no_lwt_in(struct __sk_buff *ctx) BODY SEC("sk_lookup") int no_sk_lookup(void *ctx) BODY
    SEC("action") int no_sched_act(struct __sk_buff *ctx) BODY

    char LICENSE[] SEC("license") = "GPL";
