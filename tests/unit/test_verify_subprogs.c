/* Programs with bpf-to-bpf calls and bpf_loop callbacks in the one-pass analysis
 * (specs/verifier.md "The analysis"): each function runs per calling context at its call, loops
 * and callbacks are stabilised in their context, findings and termination proofs come out as for
 * programs without calls, and the states held stay those of the frontier, not of every join
 * point. Each program that must pass has a near miss that must fail. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/verify.h"
#include "testutil.h"
#include "vftest.h"

static struct vft_outcome run_opts(const char *src, const char *prop, const struct vf_options *o)
{
	struct bpfc_map map = {
	    .name = "table", .type = 2, .key_size = 4, .value_size = 64, .max_entries = 1, .inner_map = -1};
	return vft_verify_asm("xdp", src, &map, 1, o, prop);
}

static struct vft_outcome run(const char *src, const char *prop)
{
	return run_opts(src, prop, NULL);
}

#define PASS(src)                                                                                            \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(src, NULL);                                                     \
		ck_assert_msg(oc_.accepted, "expected pass, got%s", oc_.all);                                \
	} while (0)
/* rejected with exactly one finding, of property prop, at instruction insn */
#define REJECT_AT(src, prop, insn)                                                                           \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(src, prop);                                                     \
		char at_[32];                                                                                \
		snprintf(at_, sizeof(at_), "[%s insn %d:", prop, insn);                                      \
		ck_assert_msg(!oc_.accepted && oc_.count == 1 && strstr(oc_.all, at_) == oc_.all + 1,        \
		              "expected one %s at %d, got%s", prop, insn, oc_.all[0] ? oc_.all : " pass");   \
	} while (0)

/* f(r1): reads the 64-byte map value at offset r1 * 8 */
#define F_INDEX                                                                                              \
	"f:\nr7 = r1\nr1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(0) ll\ncall 1\n"   \
	"if r0 == 0 goto out\nr7 <<= 3\nr0 += r7\nr2 = *(u64 *)(r0 + 0)\nout:\nr0 = 0\nexit\n"

START_TEST(loop_closed_by_a_return)
{
	/* the call ends the loop's body: its return to the loop head is the back edge, and r6
	 * never moves (insn 3 is the head: reached first from the entry) */
	REJECT_AT("r6 = 0\ngoto +1\ncall f\nif r6 < 10 goto -2\nr0 = 0\nexit\nf:\nr0 = 0\nexit\n",
	          "VF-LOOP-UNBOUNDED", 3);
	PASS("r6 = 0\ngoto +2\nr6 += 1\ncall f\nif r6 < 10 goto -3\nr0 = 0\nexit\nf:\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(call_inside_a_loop)
{
	/* the callee runs in the loop's region: it sees every value of the counter, r6 in [0, 7]
	 * (8 * 7 + 8 = 64 bytes), the near miss [0, 8] */
	const char *loop = "r6 = 0\nl:\nr1 = r6\ncall f\nr6 += 1\nif r6 < %d goto l\nr0 = 0\nexit\n" F_INDEX;
	char src[1024];
	snprintf(src, sizeof(src), loop, 8);
	PASS(src);
	snprintf(src, sizeof(src), loop, 9);
	REJECT_AT(src, "VF-MAP-VALUE-BOUNDS", 18);
	/* the caller's loop, then the callee's, never moving (heads at 1 and 8) */
	REJECT_AT("r6 = 0\nl:\nr1 = r6\ncall f\nr6 += 0\nif r6 < 10 goto l\nr0 = 0\nexit\nf:\nr2 = 0\n"
	          "m:\nr2 += 1\nif r2 < r1 goto m\nr0 = r2\nexit\n",
	          "VF-LOOP-UNBOUNDED", 1);
	REJECT_AT("r6 = 0\nl:\nr1 = r6\ncall f\nr6 += 1\nif r6 < 10 goto l\nr0 = 0\nexit\nf:\nr2 = 0\n"
	          "m:\nr2 += 0\nif r2 < r1 goto m\nr0 = r2\nexit\n",
	          "VF-LOOP-UNBOUNDED", 8);
	PASS("r6 = 0\nl:\nr1 = r6\ncall f\nr6 += 1\nif r6 < 10 goto l\nr0 = 0\nexit\nf:\nr2 = 0\n"
	     "m:\nr2 += 1\nif r2 < r1 goto m\nr0 = r2\nexit\n");
}
END_TEST

START_TEST(nested_calls_with_loops)
{
	/* three functions, each a loop around the call of the next */
	const char *nest = "r6 = 0\nl:\ncall f\nr6 += 1\nif r6 < 3 goto l\nr0 = 0\nexit\n"
	                   "f:\nr6 = 0\nm:\ncall g\nr6 += 1\nif r6 < 3 goto m\nr0 = 0\nexit\n"
	                   "g:\nr2 = 0\nn:\nr2 += %d\nif r2 < 3 goto n\nr0 = r2\nexit\n";
	char src[1024];
	snprintf(src, sizeof(src), nest, 1);
	PASS(src);
	snprintf(src, sizeof(src), nest, 0);
	REJECT_AT(src, "VF-LOOP-UNBOUNDED", 13);
}
END_TEST

START_TEST(each_context_its_own)
{
	/* f reads at 8 * r1: from 7 it fits, from 8 it does not; one finding for the second call */
	const char *two = "r1 = 7\ncall f\nr1 = %d\ncall f\nr0 = 0\nexit\n" F_INDEX;
	char src[1024];
	snprintf(src, sizeof(src), two, 7);
	PASS(src);
	snprintf(src, sizeof(src), two, 8);
	REJECT_AT(src, "VF-MAP-VALUE-BOUNDS", 17);
}
END_TEST

START_TEST(callbacks_with_calls_and_loops)
{
	/* bpf_loop in a loop: the callback's region lies inside the loop's */
	const char *in_loop = "r6 = 0\nl:\nr1 = 4\nr2 = code_addr(8) ll\nr3 = 0\nr4 = 0\ncall 181\nr6 += 1\n"
	                      "if r6 < 3 goto l\nr0 = 0\nexit\ncb:\nr0 = %s\nexit\n";
	char src[1024];
	snprintf(src, sizeof(src), in_loop, "0");
	PASS(src);
	snprintf(src, sizeof(src), in_loop, "2");
	REJECT_AT(src, "VF-RETURN-RANGE", 12);
	/* a callback calling a subprogram with a loop, and the near miss whose loop never ends */
	const char *cb_call = "r1 = 10\nr2 = code_addr(6) ll\nr3 = 0\nr4 = 0\ncall 181\nr0 = 0\nexit\ncb:\n"
	                      "call g\nr0 = 0\nexit\ng:\nr2 = 0\nm:\nr2 += %d\nif r2 < 5 goto m\nr0 = r2\n"
	                      "exit\n";
	snprintf(src, sizeof(src), cb_call, 1);
	PASS(src);
	snprintf(src, sizeof(src), cb_call, 0);
	REJECT_AT(src, "VF-LOOP-UNBOUNDED", 12);
	/* a subprogram calling bpf_loop: the callback's index r1 is in [0, 9], not a boolean */
	const char *sub_cb = "call g\nr0 = 0\nexit\ng:\nr1 = 10\nr2 = code_addr(6) ll\nr3 = 0\nr4 = 0\n"
	                     "call 181\nr0 = 0\nexit\ncb:\nr0 = r1\n%sexit\n";
	snprintf(src, sizeof(src), sub_cb, "r0 &= 1\n");
	PASS(src);
	snprintf(src, sizeof(src), sub_cb, "");
	REJECT_AT(src, "VF-RETURN-RANGE", 12);
}
END_TEST

/* main calls n subprograms in turn (r1 = r7; call; r7 += r0), each with two diamonds and a
 * bounded loop; bad: the last one's loop never moves */
static char *many_calls(int n, bool bad)
{
	size_t cap = (size_t)n * 200 + 256, len = 0;
	char *s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	len += (size_t)snprintf(s + len, cap - len, "r7 = 0\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "r1 = r7\ncall f%d\nr7 += r0\n", i);
	len += (size_t)snprintf(s + len, cap - len, "r0 = 0\nexit\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		                        "f%d:\nr2 = r1\nr2 &= 0xff\nif r2 > 100 goto +1\nr2 += 1\n"
		                        "if r2 > 50 goto +1\nr2 += 2\nr3 = 0\nl%d:\nr3 += %d\nr2 += r3\n"
		                        "if r3 < 4 goto l%d\nr0 = r2\nexit\n",
		                        i, i, bad && i == n - 1 ? 0 : 1, i);
	return s;
}

START_TEST(states_held_stay_the_frontier)
{
	/* the states held do not grow with the number of subprograms: each function's states are
	 * freed once it returned (before: about three per subprogram) */
	char *a = many_calls(40, false), *b = many_calls(80, false), *c = many_calls(80, true);
	struct vft_outcome oa = run(a, NULL), ob = run(b, NULL), oc = run(c, "VF-LOOP-UNBOUNDED");
	ck_assert_msg(oa.accepted && ob.accepted, "expected pass, got%s%s", oa.all, ob.all);
	ck_assert_msg(oa.stats.peak_states == ob.stats.peak_states && ob.stats.peak_states <= 8,
	              "peak states %llu for 40 calls, %llu for 80", (unsigned long long)oa.stats.peak_states,
	              (unsigned long long)ob.stats.peak_states);
	ck_assert_msg(!oc.accepted && oc.count == 1, "expected VF-LOOP-UNBOUNDED, got%s", oc.all);
	/* the memory limit with calls: half the peak stops the analysis with a finding (the nodes
	 * still held are freed), the peak itself passes */
	struct vf_options o;
	vf_options_default(&o);
	o.max_mem_bytes = ob.stats.peak_mem_bytes / 2;
	struct vft_outcome lim = run_opts(b, "VF-LIMIT-REACHED", &o);
	ck_assert_msg(!lim.accepted && lim.count == 1 && strstr(lim.first, "memory"), "got%s", lim.all);
	o.max_mem_bytes = ob.stats.peak_mem_bytes;
	struct vft_outcome same = run_opts(b, NULL, &o);
	ck_assert_msg(same.accepted, "expected pass at the measured peak, got%s", same.all);
	free(a);
	free(b);
	free(c);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify_subprogs");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, loop_closed_by_a_return);
	tcase_add_test(tc, call_inside_a_loop);
	tcase_add_test(tc, nested_calls_with_loops);
	tcase_add_test(tc, each_context_its_own);
	tcase_add_test(tc, callbacks_with_calls_and_loops);
	tcase_add_test(tc, states_held_stay_the_frontier);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
