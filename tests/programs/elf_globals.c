/* ELF loader test: global data in .data, .rodata and .bss, a custom .data.* section, and a
 * bpf_loop callback (lddw src=4 function address). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int counter = 5;                    /* .data */
const volatile int limit = 42;      /* .rodata */
const char greeting[] = "hello";    /* .rodata */
long total;                         /* .bss */
int extra SEC(".data.extra") = 9;   /* .data.extra */

struct loop_ctx {
	long sum;
};

static int step(__u32 i, void *data)
{
	struct loop_ctx *lc = data;
	lc->sum += i;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write") int globals(void *ctx)
{
	struct loop_ctx lc = {0};
	bpf_loop(limit, step, &lc, 0);
	total += lc.sum + counter + extra + greeting[1];
	counter++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
