/* The calls the engine models beyond plain helpers (specs/verifier.md "Sockets", "Spin locks",
 * "Tail calls", "Unprivileged loads", kfuncs): for each rule a small program (LLVM assembly) that
 * must be rejected with its property id, and near misses that must pass. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/verify.h"
#include "testutil.h"
#include "vftest.h"
#include "verifier/state.h"

/* 0: hash (value 16 bytes), 1: prog_array, 2: sockmap, 3: array (value 8 bytes) */
static struct bpfc_map maps[4];

static void init_maps(void)
{
	memset(maps, 0, sizeof(maps));
	maps[0] = (struct bpfc_map){
	    .name = "locked", .type = 1, .key_size = 4, .value_size = 16, .max_entries = 4, .inner_map = -1};
	maps[1] = (struct bpfc_map){
	    .name = "jumps", .type = 3, .key_size = 4, .value_size = 4, .max_entries = 4, .inner_map = -1};
	maps[2] = (struct bpfc_map){
	    .name = "socks", .type = 15, .key_size = 4, .value_size = 8, .max_entries = 4, .inner_map = -1};
	maps[3] = (struct bpfc_map){
	    .name = "small", .type = 2, .key_size = 4, .value_size = 8, .max_entries = 1, .inner_map = -1};
}

static struct vft_outcome run(const char *type, const char *src, const char *prop, bool privileged)
{
	init_maps();
	struct vf_options o;
	vf_options_default(&o);
	o.privileged = privileged;
	return vft_verify_asm(type, src, maps, 4, &o, prop);
}

#define REJECT_P(type, src, prop, priv)                                                                      \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(type, src, prop, priv);                                         \
		ck_assert_msg(!oc_.accepted && oc_.count == 1, "expected one %s rejection, got%s", prop,     \
		              oc_.all);                                                                      \
	} while (0)
#define PASS_P(type, src, priv)                                                                              \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(type, src, NULL, priv);                                         \
		ck_assert_msg(oc_.accepted, "expected acceptance, got%s", oc_.all);                          \
	} while (0)
#define REJECT(type, src, prop) REJECT_P(type, src, prop, true)
#define PASS(type, src) PASS_P(type, src, true)

/* a zeroed 12-byte IPv4 tuple at fp-16 (r2), r3 = 12, r4 = -1 (current netns), r5 = 0 */
#define TUPLE                                                                                                \
	"r2 = 0\n*(u64 *)(r10 - 16) = r2\n*(u64 *)(r10 - 8) = r2\nr2 = r10\nr2 += -16\nr3 = 12\nr4 = -1\n"   \
	"r5 = 0\n"
#define SK_LOOKUP_TCP TUPLE "call 84\n"
#define SK_LOOKUP_TCP_SKC TUPLE "call 99\n"
/* r0 = value of map 0 (key 0 on the stack at fp-20), NULL-checked: exits with 0 otherwise */
#define LOOKUP0                                                                                              \
	"r1 = 0\n*(u32 *)(r10 - 20) = r1\nr2 = r10\nr2 += -20\nr1 = map_by_idx(0) ll\ncall 1\n"              \
	"if r0 != 0 goto +2\nr0 = 0\nexit\nr6 = r0\n"

START_TEST(socket_lookup_release)
{
	/* lookup, NULL check, field read, release */
	PASS("sched_cls", "r6 = r1\n" SK_LOOKUP_TCP "if r0 == 0 goto +4\nr1 = r0\nr7 = *(u32 *)(r0 + 4)\n"
	                  "call 86\nr0 = 0\nexit\n");
	/* bpf_skc_lookup_tcp gives a sock_common: released the same way */
	PASS("sched_cls", SK_LOOKUP_TCP_SKC "if r0 == 0 goto +2\nr1 = r0\ncall 86\nr0 = 0\nexit\n");
	/* not released on the non-NULL path */
	REJECT("sched_cls", SK_LOOKUP_TCP "r0 = 0\nexit\n", "VF-REF-LEAK");
	/* released only when a field says so */
	REJECT("sched_cls",
	       SK_LOOKUP_TCP
	       "if r0 == 0 goto +5\nr1 = r0\nr2 = *(u32 *)(r0 + 72)\nif r2 == 1 goto +1\ncall 86\n"
	       "r0 = 0\nexit\n",
	       "VF-REF-LEAK");
	/* a copy spilled to the stack and released through the fill */
	PASS("sched_cls",
	     SK_LOOKUP_TCP "*(u64 *)(r10 - 24) = r0\nif r0 == 0 goto +3\nr1 = *(u64 *)(r10 - 24)\n"
	                   "call 86\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(socket_misuse)
{
	/* field read before the NULL check */
	REJECT("sched_cls", SK_LOOKUP_TCP "r1 = r0\nr2 = *(u32 *)(r0 + 4)\ncall 86\nr0 = 0\nexit\n",
	       "VF-NULL-DEREF");
	/* releasing a pointer that may be NULL */
	REJECT("sched_cls", SK_LOOKUP_TCP "r1 = r0\ncall 86\nr0 = 0\nexit\n", "VF-HELPER-ARG");
	/* double release through a copy */
	REJECT("sched_cls",
	       SK_LOOKUP_TCP
	       "if r0 == 0 goto +5\nr6 = r0\nr1 = r0\ncall 86\nr1 = r6\ncall 86\nr0 = 0\nexit\n",
	       "VF-REF-RELEASE");
	/* use after release */
	REJECT("sched_cls",
	       SK_LOOKUP_TCP
	       "if r0 == 0 goto +4\nr6 = r0\nr1 = r0\ncall 86\nr0 = *(u32 *)(r6 + 4)\nr0 = 0\nexit\n",
	       "VF-INVALID-DEREF");
	/* releasing something that is not a socket */
	REJECT("sched_cls", "r1 = r10\nr1 += -8\ncall 86\nr0 = 0\nexit\n", "VF-REF-RELEASE");
	/* socket fields are read-only, at constant offsets, inside struct bpf_sock */
	REJECT("sched_cls",
	       SK_LOOKUP_TCP
	       "if r0 == 0 goto +4\nr1 = r0\nr2 = 0\n*(u32 *)(r0 + 16) = r2\ncall 86\nr0 = 0\nexit\n",
	       "VF-READ-ONLY");
	REJECT("sched_cls",
	       SK_LOOKUP_TCP "if r0 == 0 goto +4\nr1 = r0\nr1 += 4\nr1 = r0\ncall 86\nr0 = 0\nexit\n",
	       "VF-POINTER-ARITH");
	REJECT("sched_cls",
	       SK_LOOKUP_TCP "if r0 == 0 goto +4\nr1 = r0\nr2 = *(u32 *)(r0 + 80)\ncall 86\nr0 = 0\nexit\n",
	       "VF-INVALID-DEREF");
	REJECT("sched_cls",
	       SK_LOOKUP_TCP "if r0 == 0 goto +4\nr1 = r0\nr2 = *(u32 *)(r0 + 2)\ncall 86\nr0 = 0\nexit\n",
	       "VF-MISALIGNED");
	/* narrow reads where the layout allows them */
	PASS("sched_cls", SK_LOOKUP_TCP
	     "if r0 == 0 goto +5\nr1 = r0\nr2 = *(u8 *)(r0 + 5)\nr2 = *(u16 *)(r0 + 48)\ncall 86\n"
	     "r0 = 0\nexit\n");
	/* bpf_tcp_sock: its own layout, full-size reads only */
	PASS("sched_cls",
	     SK_LOOKUP_TCP "if r0 == 0 goto +9\nr6 = r0\nr1 = r0\ncall 96\nif r0 == 0 goto +3\n"
	                   "r1 = *(u32 *)(r0 + 0)\nr1 = *(u64 *)(r0 + 80)\nr1 = *(u32 *)(r0 + 108)\n"
	                   "r1 = r6\ncall 86\nr0 = 0\nexit\n");
	REJECT("sched_cls",
	       SK_LOOKUP_TCP "if r0 == 0 goto +7\nr6 = r0\nr1 = r0\ncall 96\nif r0 == 0 goto +1\n"
	                     "r1 = *(u32 *)(r0 + 112)\nr1 = r6\ncall 86\nr0 = 0\nexit\n",
	       "VF-INVALID-DEREF");
	REJECT("sched_cls",
	       SK_LOOKUP_TCP "if r0 == 0 goto +7\nr6 = r0\nr1 = r0\ncall 96\nif r0 == 0 goto +1\n"
	                     "r1 = *(u16 *)(r0 + 0)\nr1 = r6\ncall 86\nr0 = 0\nexit\n",
	       "VF-INVALID-DEREF");
	/* a socket is not helper memory */
	REJECT("sched_cls",
	       SK_LOOKUP_TCP
	       "if r0 == 0 goto +9\nr6 = r0\nr1 = r0\nr2 = 4\nr3 = 0\nr4 = 0\nr5 = 0\ncall 28\nr1 = r6\n"
	       "call 86\nr0 = 0\nexit\n",
	       "VF-HELPER-ARG");
}
END_TEST

START_TEST(socket_context_fields)
{
	/* bpf_sk_lookup: 1, 2, 4 and 8-byte reads; sk (offset 0) is a socket or NULL */
	PASS("sk_lookup", "r2 = *(u64 *)(r1 + 0)\nr2 = *(u32 *)(r1 + 8)\nr2 = *(u16 *)(r1 + 8)\n"
	                  "r2 = *(u8 *)(r1 + 8)\nr0 = 0\nexit\n");
	PASS("sk_lookup", "r2 = *(u64 *)(r1 + 0)\nif r2 == 0 goto +1\nr0 = *(u32 *)(r2 + 4)\nr0 = 0\nexit\n");
	REJECT("sk_lookup", "r2 = *(u64 *)(r1 + 0)\nr0 = *(u32 *)(r2 + 4)\nr0 = 0\nexit\n", "VF-NULL-DEREF");
	/* __sk_buff->sk: the common part only; bpf_sk_fullsock gives the full socket */
	REJECT("cgroup_skb",
	       "r2 = *(u64 *)(r1 + 168)\nif r2 == 0 goto +1\nr0 = *(u32 *)(r2 + 16)\nr0 = 1\nexit\n",
	       "VF-INVALID-DEREF");
	PASS("cgroup_skb", "r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +3\ncall 95\nif r0 == 0 goto +1\n"
	                   "r0 = *(u32 *)(r0 + 16)\nr0 = 1\nexit\n");
	/* bpf_sk_assign takes NULL only in its sk_lookup variant */
	PASS("sk_lookup", "r2 = 0\nr3 = 0\ncall 124\nr0 = 1\nexit\n");
	REJECT("sched_cls", "r2 = 0\nr3 = 0\ncall 124\nr0 = 0\nexit\n", "VF-HELPER-ARG");
	/* the kernel holds these sockets: releasing them is an error */
	REJECT("cgroup_skb", "r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +1\ncall 86\nr0 = 1\nexit\n",
	       "VF-REF-RELEASE");
	/* a full socket derived from a lookup shares its reference: NULL on it releases nothing */
	REJECT("sched_cls",
	       SK_LOOKUP_TCP "if r0 == 0 goto +4\nr1 = r0\ncall 95\nif r0 == 0 goto +1\nr0 = 0\n"
	                     "r0 = 0\nexit\n",
	       "VF-REF-LEAK");
	PASS("sched_cls", SK_LOOKUP_TCP "if r0 == 0 goto +7\nr6 = r0\nr1 = r0\ncall 95\nif r0 == 0 goto +1\n"
	                                "r0 = *(u32 *)(r0 + 16)\nr1 = r6\ncall 86\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(sockmap_lookup)
{
	PASS("sk_skb", "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(2) ll\ncall 1\n"
	               "if r0 == 0 goto +2\nr1 = r0\ncall 86\nr0 = 0\nexit\n");
	REJECT("sk_skb",
	       "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(2) ll\ncall 1\nr0 = "
	       "0\nexit\n",
	       "VF-REF-LEAK");
}
END_TEST

START_TEST(spin_locks)
{
	/* raw input has no BTF: the lock is at any aligned offset inside the value */
	PASS("sched_cls", LOOKUP0 "r1 = r6\ncall 93\nr1 = *(u64 *)(r6 + 8)\nr1 += 1\n*(u64 *)(r6 + 8) = r1\n"
	                          "r1 = r6\ncall 94\nr0 = 0\nexit\n");
	PASS("sched_cls", LOOKUP0 "r1 = r6\nr1 += 4\ncall 93\nr1 = r6\nr1 += 4\ncall 94\nr0 = 0\nexit\n");
	REJECT("sched_cls", LOOKUP0 "r1 = r6\ncall 94\nr0 = 0\nexit\n", "VF-LOCK");
	REJECT("sched_cls", LOOKUP0 "r1 = r6\ncall 93\nr1 = r6\ncall 93\nr1 = r6\ncall 94\nr0 = 0\nexit\n",
	       "VF-LOCK");
	REJECT("sched_cls", LOOKUP0 "r1 = r6\ncall 93\nr0 = 0\nexit\n", "VF-LOCK");
	REJECT("sched_cls", LOOKUP0 "r1 = r6\ncall 93\ncall 5\nr1 = r6\ncall 94\nr0 = 0\nexit\n", "VF-LOCK");
	/* unlock of another lock than the one held */
	REJECT("sched_cls", LOOKUP0 "r1 = r6\ncall 93\nr1 = r6\nr1 += 8\ncall 94\nr0 = 0\nexit\n", "VF-LOCK");
	/* misaligned, past the value, not a map value, may be NULL */
	REJECT("sched_cls", LOOKUP0 "r1 = r6\nr1 += 2\ncall 93\nr1 = r6\nr1 += 2\ncall 94\nr0 = 0\nexit\n",
	       "VF-LOCK");
	REJECT("sched_cls", LOOKUP0 "r1 = r6\nr1 += 16\ncall 93\nr1 = r6\nr1 += 16\ncall 94\nr0 = 0\nexit\n",
	       "VF-LOCK");
	REJECT("sched_cls", "r1 = r10\nr1 += -8\ncall 93\nr0 = 0\nexit\n", "VF-LOCK");
	REJECT("sched_cls",
	       "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(0) ll\ncall 1\nr1 = r0\n"
	       "call 93\nr0 = 0\nexit\n",
	       "VF-LOCK");
	/* held on one path only */
	REJECT(
	    "sched_cls",
	    LOOKUP0
	    "r7 = *(u32 *)(r6 + 8)\nif r7 == 0 goto +2\nr1 = r6\ncall 93\nr1 = r6\ncall 94\nr0 = 0\nexit\n",
	    "VF-LOCK");
	/* a legacy packet load may exit the program */
	REJECT("sched_cls",
	       "r7 = r1\n" LOOKUP0
	       "r8 = r6\nr1 = r8\ncall 93\nr6 = r7\nr0 = *(u8 *)skb[0]\nr1 = r8\ncall 94\n"
	       "r0 = 0\nexit\n",
	       "VF-LOCK");
	PASS("sched_cls", "r7 = r1\n" LOOKUP0 "r8 = r6\nr1 = r8\ncall 93\nr1 = r8\ncall 94\nr6 = r7\n"
	                  "r0 = *(u8 *)skb[0]\nr0 = 0\nexit\n");
	/* a tail call under the lock is a tail-call rule */
	const char *tail = "r7 = r1\n" LOOKUP0 "r1 = r6\ncall 93\nr1 = r7\nr2 = map_by_idx(1) ll\nr3 = 0\n"
	                   "call 12\nr1 = r6\ncall 94\nr0 = 0\nexit\n";
	struct vft_outcome oc = run("sched_cls", tail, "VF-TAIL-CALL", true);
	ck_assert_msg(!oc.accepted && oc.count == 1 && strstr(oc.all, "VF-HELPER-ARG") == NULL,
	              "tail under lock:%s", oc.all);
}
END_TEST

START_TEST(tail_calls)
{
	PASS("xdp", "r2 = map_by_idx(1) ll\nr3 = 0\ncall 12\nr0 = 2\nexit\n");
	/* only a prog_array */
	REJECT("xdp", "r2 = map_by_idx(3) ll\nr3 = 0\ncall 12\nr0 = 2\nexit\n", "VF-HELPER-ARG");
	/* the context must be passed unmodified */
	REJECT("xdp", "r1 = r10\nr2 = map_by_idx(1) ll\nr3 = 0\ncall 12\nr0 = 2\nexit\n", "VF-HELPER-ARG");
	/* a legacy packet load may exit the program while a socket is held */
	REJECT("sched_cls",
	       "r6 = r1\n" SK_LOOKUP_TCP "if r0 == 0 goto +4\nr7 = r0\nr0 = *(u8 *)skb[0]\nr1 = r7\ncall 86\n"
	       "r0 = 0\nexit\n",
	       "VF-REF-LEAK");
	/* from a subprogram: the frames below it must use less than 256 bytes of stack */
	const char *deep = "r6 = r1\nr1 = 0\n*(u64 *)(r10 - 256) = r1\nr1 = r6\ncall f\nr0 = 2\nexit\nf:\n"
	                   "r2 = map_by_idx(1) ll\nr3 = 0\ncall 12\nr0 = 0\nexit\n";
	REJECT("xdp", deep, "VF-TAIL-CALL");
	const char *shallow = "r6 = r1\nr1 = 0\n*(u64 *)(r10 - 128) = r1\nr1 = r6\ncall f\nr0 = 2\nexit\nf:\n"
	                      "r2 = map_by_idx(1) ll\nr3 = 0\ncall 12\nr0 = 0\nexit\n";
	PASS("xdp", shallow);
	/* references must be released first */
	REJECT("sched_cls",
	       "r6 = r1\n" SK_LOOKUP_TCP
	       "if r0 == 0 goto +7\nr7 = r0\nr1 = r6\nr2 = map_by_idx(1) ll\nr3 = 0\n"
	       "call 12\nr1 = r7\ncall 86\nr0 = 0\nexit\n",
	       "VF-TAIL-CALL");
	PASS("sched_cls", "r6 = r1\n" SK_LOOKUP_TCP "if r0 == 0 goto +2\nr1 = r0\ncall 86\nr1 = r6\n"
	                  "r2 = map_by_idx(1) ll\nr3 = 0\ncall 12\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(kfuncs)
{
	/* raw and assembly input has no BTF naming the kfunc: rejected, saying why (test_verify_kfunc
	 * covers ELF objects) */
	struct vft_outcome oc = run("xdp", "call kfunc 5\nr0 = 0\nexit\n", "VF-UNSUPPORTED", true);
	ck_assert_msg(!oc.accepted && oc.count == 1, "kfunc:%s", oc.all);
	ck_assert_msg(strstr(oc.first, "names no FUNC of the object's BTF") != NULL, "kfunc message: %s",
	              oc.first);
}
END_TEST

START_TEST(unprivileged)
{
	/* bpf-to-bpf calls and function addresses need CAP_BPF, even where never reached */
	const char *call = "call f\nexit\nf:\nr0 = 0\nexit\n";
	PASS_P("socket_filter", call, true);
	REJECT_P("socket_filter", call, "VF-HELPER-UNAVAILABLE", false);
	REJECT_P("socket_filter", "r0 = 0\nexit\ncall f\nexit\nf:\nr0 = 0\nexit\n", "VF-HELPER-UNAVAILABLE",
	         false);
	REJECT_P("socket_filter", "r1 = code_addr(1) ll\nr0 = 0\nexit\n", "VF-HELPER-UNAVAILABLE", false);
	/* Spectre v1: the side of a decided branch is verified too, from the state before it */
	const char *dead = "r1 = 0\nif r1 == 0 goto +1\nr0 = r9\nr0 = 0\nexit\n";
	PASS_P("socket_filter", dead, true);
	REJECT_P("socket_filter", dead, "VF-UNINIT-REG", false);
	PASS_P("socket_filter", "r1 = 0\nif r1 == 0 goto +1\nr1 = 5\nr0 = 0\nexit\n", false);
	/* pointer arithmetic under Spectre v1 masking */
	const char *varstack = "r2 = *(u32 *)(r1 + 0)\nr2 &= 7\nr1 = r10\nr1 += -16\nr1 += r2\nr0 = 0\n"
	                       "*(u8 *)(r1 + 0) = r0\nexit\n";
	PASS_P("socket_filter", varstack, true);
	REJECT_P("socket_filter", varstack, "VF-POINTER-ARITH", false);
	PASS_P("socket_filter", "r1 = r10\nr1 += -16\nr0 = 0\n*(u8 *)(r1 + 0) = r0\nexit\n", false);
	REJECT_P("socket_filter", "r1 = r10\nr1 += 8\nr0 = 0\nexit\n", "VF-POINTER-ARITH", false);
	const char *mv = "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(3) ll\ncall 1\n"
	                 "if r0 == 0 goto +1\nr0 += 8\nr0 = 0\nexit\n";
	PASS_P("socket_filter", mv, true);
	REJECT_P("socket_filter", mv, "VF-POINTER-ARITH", false);
	const char *mixed =
	    "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(3) ll\ncall 1\n"
	    "if r0 == 0 goto +4\nr1 = *(u8 *)(r0 + 0)\nr1 += -3\nr0 += r1\nr0 = 0\nexit\n";
	REJECT_P("socket_filter", mixed, "VF-POINTER-ARITH", false);
	/* pointers: only NULL checks of nullable pointers (and packet bounds checks) */
	const char *cmp = "if r1 >= 0 goto +0\nr0 = 0\nexit\n";
	PASS_P("socket_filter", cmp, true);
	REJECT_P("socket_filter", cmp, "VF-POINTER-COMPARE", false);
	REJECT_P("socket_filter", "if r1 != 0 goto +0\nr0 = 0\nexit\n", "VF-POINTER-COMPARE", false);
	PASS_P("socket_filter",
	       "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(3) ll\ncall 1\n"
	       "if r0 == 0 goto +1\nr0 = 0\nr0 = 0\nexit\n",
	       false);
	/* a pointer as the compare value of cmpxchg, an atomic on a spilled pointer */
	const char *cx =
	    "r1 = 0\n*(u64 *)(r10 - 8) = r1\nr0 = r10\nr1 = 1\nr0 = cmpxchg_64(r10 - 8, r0, r1)\n"
	    "r0 = 0\nexit\n";
	PASS_P("socket_filter", cx, true);
	REJECT_P("socket_filter", cx, "VF-POINTER-LEAK", false);
	const char *spilled = "*(u64 *)(r10 - 8) = r1\nr2 = 1\nr2 = atomic_fetch_and((u64 *)(r10 - 8), r2)\n"
	                      "r0 = 0\nexit\n";
	PASS_P("socket_filter", spilled, true);
	REJECT_P("socket_filter", spilled, "VF-POINTER-LEAK", false);
}
END_TEST

/* Joins where paths disagree: NULL and a socket give a socket that may be NULL (keeping its
 * reference), different locks give "maybe held". */
START_TEST(state_joins)
{
	struct vf_state *a = vf_state_new(), *b = vf_state_new();
	ck_assert(a && b);
	vf_reg_scalar(&a->r[6], vn_const(0));
	memset(&b->r[6], 0, sizeof(b->r[6]));
	b->r[6].type = VT_SOCK;
	b->r[6].ref = 5;
	b->r[6].v = vn_const(0);
	ck_assert(vf_state_add_ref(b, 5));
	b->lock = VF_LOCK_KEY(1, 0);
	ck_assert(!vf_state_same_shape(a, b, false));
	vf_state_join(a, b, false, NULL, 0, 1);
	ck_assert_int_eq(a->r[6].type, VT_SOCK_OR_NULL);
	ck_assert_uint_eq(a->r[6].ref, 5);
	ck_assert(vf_state_has_ref(a, 5));
	ck_assert(a->lock == VF_LOCK_MAYBE);
	/* equal locks stay */
	struct vf_state *c = vf_state_dup(b);
	ck_assert(c && vf_state_eq(b, c));
	vf_state_join(c, b, false, NULL, 0, 2);
	ck_assert(c->lock == VF_LOCK_KEY(1, 0));
	c->lock = 0;
	ck_assert(!vf_state_eq(b, c));
	vf_state_free(a);
	vf_state_free(b);
	vf_state_free(c);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify_calls");
	TCase *tc = tcase_create("calls");
	tcase_add_test(tc, socket_lookup_release);
	tcase_add_test(tc, socket_misuse);
	tcase_add_test(tc, socket_context_fields);
	tcase_add_test(tc, sockmap_lookup);
	tcase_add_test(tc, spin_locks);
	tcase_add_test(tc, tail_calls);
	tcase_add_test(tc, kfuncs);
	tcase_add_test(tc, unprivileged);
	tcase_add_test(tc, state_joins);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
