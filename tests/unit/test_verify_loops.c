/* The engine's loop handling and limits: the decreasing pass that recovers widened bounds, nests
 * of bounded loops deeper than three, findings after loops, packet walks bounded by data_end,
 * the memory limit and the analysis statistics. Each
 * program (LLVM assembly) that must pass has a near miss that must fail. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/verify.h"
#include "verifier/state.h"
#include "testutil.h"
#include "vftest.h"

static struct vft_outcome run(const char *src, const char *prop, const struct vf_options *o)
{
	struct bpfc_map map = {
	    .name = "table", .type = 2, .key_size = 4, .value_size = 64, .max_entries = 1, .inner_map = -1};
	return vft_verify_asm("xdp", src, &map, 1, o, prop);
}

#define PASS(src)                                                                                            \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(src, NULL, NULL);                                               \
		ck_assert_msg(oc_.accepted, "expected pass, got %s", oc_.first);                             \
	} while (0)
#define REJECT(src, prop)                                                                                    \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(src, prop, NULL);                                               \
		ck_assert_msg(!oc_.accepted && oc_.count > 0, "expected %s, got %s", prop,                   \
		              oc_.first[0] ? oc_.first : "pass");                                            \
	} while (0)

/* r0 = a value of the 64-byte map or exit */
#define LOOKUP                                                                                               \
	"r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(0) ll\ncall 1\n"                \
	"if r0 == 0 goto out\n"

/* The counter is compared with a register (no threshold for widening): widening takes its bound
 * to the extreme, the decreasing pass brings it back to [0, N + 2] at the head, [N, N + 2] after
 * the loop, where it indexes the map value. */
#define COUNTED(N, SIZE)                                                                                     \
	LOOKUP "r1 = 0\nr2 = " #N "\nl:\nr1 += 3\nif r1 < r2 goto l\nr0 += r1\nr3 = *(" SIZE                 \
	       " *)(r0 + 0)\nout:\nr0 = 0\nexit\n"

START_TEST(narrowing_recovers_loop_bound)
{
	PASS(COUNTED(48, "u64")); /* [48, 50] + 8 <= 64 */
	PASS(COUNTED(60, "u8"));  /* [60, 62] + 1 <= 64 */
	/* near misses: one byte too far */
	REJECT(COUNTED(57, "u64"), "VF-MAP-VALUE-BOUNDS");
	REJECT(COUNTED(62, "u8"), "VF-MAP-VALUE-BOUNDS");
}
END_TEST

/* Nested counted loops 1..D, each running 0..B-1; the innermost reads the map value at the
 * sum of the counters. Counters 1-6 are r1-r6, deeper ones live in stack slots (fill, add,
 * spill through r9). SKIP names a counter that is never incremented (the near miss). */
static char *nest_steps(int depth, int bound, int skip, bool outer_first);

static char *nest(int depth, int bound, int skip)
{
	return nest_steps(depth, bound, skip, false);
}

/* outer_first: the outermost counter r1 steps at the top of its body, before the inner loops
 * (its change since its own head then differs from its change since theirs) */
static char *nest_steps(int depth, int bound, int skip, bool outer_first)
{
	static char buf[8192];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", LOOKUP);
	for (int d = 1; d <= depth; d++)
		if (d <= 6)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "r%d = 0\nh%d:\n%s", d, d,
			                      d == 1 && outer_first ? (skip == 1 ? "r1 += 0\n" : "r1 += 1\n")
			                                            : "");
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			                      "r9 = 0\n*(u64 *)(r10 - %d) = r9\nh%d:\n", 8 + 8 * (d - 6), d);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "r7 = r0\n");
	for (int d = 1; d <= depth; d++)
		if (d <= 6)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "r7 += r%d\n", d);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "r9 = *(u64 *)(r10 - %d)\nr7 += r9\n",
			                      8 + 8 * (d - 6));
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "r8 = *(u8 *)(r7 + 0)\n");
	for (int d = depth; d >= 1; d--)
		if (d == 1 && outer_first)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "if r1 < %d goto h1\n", bound);
		else if (d <= 6)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "r%d += %d\nif r%d < %d goto h%d\n",
			                      d, d == skip ? 0 : 1, d, bound, d);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			                      "r9 = *(u64 *)(r10 - %d)\nr9 += %d\n*(u64 *)(r10 - %d) = r9\n"
			                      "if r9 < %d goto h%d\n",
			                      8 + 8 * (d - 6), d == skip ? 0 : 1, 8 + 8 * (d - 6), bound, d);
	snprintf(buf + n, sizeof(buf) - n, "out:\nr0 = 0\nexit\n");
	return buf;
}

START_TEST(deep_nests_terminate)
{
	/* depths 1-6: every loop, the outermost included, keeps its termination argument */
	for (int depth = 1; depth <= 6; depth++) {
		struct vft_outcome oc = run(nest(depth, 3, 0), NULL, NULL);
		ck_assert_msg(oc.accepted, "depth %d: expected pass, got %s", depth, oc.first);
	}
	/* near misses: the outermost (or a middle) counter never moves */
	for (int depth = 4; depth <= 6; depth++) {
		struct vft_outcome oc = run(nest(depth, 3, 1), "VF-LOOP-UNBOUNDED", NULL);
		ck_assert_msg(!oc.accepted && oc.count == 1, "depth %d: expected VF-LOOP-UNBOUNDED, got %s",
		              depth, oc.first[0] ? oc.first : "pass");
		oc = run(nest(depth, 3, 3), "VF-LOOP-UNBOUNDED", NULL);
		ck_assert_msg(!oc.accepted && oc.count == 1, "depth %d: expected VF-LOOP-UNBOUNDED, got %s",
		              depth, oc.first[0] ? oc.first : "pass");
	}
	/* deeper nests, counters past the sixth in stack slots: every loop keeps its argument */
	static const int deep[] = {7, 8, 12};
	for (size_t i = 0; i < sizeof(deep) / sizeof(deep[0]); i++) {
		int depth = deep[i];
		struct vft_outcome oc = run(nest(depth, 3, 0), NULL, NULL);
		ck_assert_msg(oc.accepted, "depth %d: expected pass, got %s", depth, oc.first);
		/* near misses: the outermost, a middle, a stack-slot and the innermost counter */
		int skips[] = {1, 4, depth - 1, depth};
		for (int k = 0; k < 4; k++) {
			oc = run(nest(depth, 3, skips[k]), "VF-LOOP-UNBOUNDED", NULL);
			ck_assert_msg(!oc.accepted && oc.count == 1,
			              "depth %d, counter %d stuck: expected VF-LOOP-UNBOUNDED, got %s", depth,
			              skips[k], oc.first[0] ? oc.first : "pass");
		}
	}
	/* the outermost counter steps before the inner loops: it has moved since its own head but
	 * not since theirs, two runs of loops; a nest of 12 still keeps its argument */
	struct vft_outcome ofs = run(nest_steps(12, 3, 0, true), NULL, NULL);
	ck_assert_msg(ofs.accepted, "expected pass, got %s", ofs.first);
	ofs = run(nest_steps(12, 3, 1, true), "VF-LOOP-UNBOUNDED", NULL);
	ck_assert_msg(!ofs.accepted && ofs.count == 1, "expected VF-LOOP-UNBOUNDED, got %s",
	              ofs.first[0] ? ofs.first : "pass");
	/* the sum of six counters in [0, 10] reaches 60: in bounds; in [0, 11] it reaches 66: not */
	PASS(nest(6, 11, 0));
	REJECT(nest(6, 12, 0), "VF-MAP-VALUE-BOUNDS");
}
END_TEST

/* The runs of deltas directly (state.h): loops numbered 1 (outermost), 2 inside it, 3 and 4
 * siblings inside 2. */
START_TEST(delta_runs)
{
	static const uint32_t c1[] = {1}, c2[] = {2, 1}, c3[] = {3, 2, 1}, c4[] = {4, 2, 1};
	struct vf_reg r;
	memset(&r, 0, sizeof(r));
	vf_reg_scalar(&r, vn_const(0));
	uint16_t self = VF_LOC_REG(3);
	/* unchanged across the heads of 1, 2, 3: one run [1, 3] */
	vf_reg_delta_enter(&r, c1, 1, self);
	vf_reg_delta_enter(&r, c2, 2, self);
	vf_reg_delta_enter(&r, c3, 3, self);
	ck_assert_uint_eq(r.dl[0].lo, 1);
	ck_assert_uint_eq(r.dl[0].hi, 3);
	ck_assert_uint_eq(r.dl[1].lo, 0);
	vf_reg_delta_add(&r, 1, 1);
	ck_assert_ptr_eq(vf_reg_delta(&r, 2), &r.dl[0]);
	ck_assert_int_eq(vf_reg_delta(&r, 2)->dmin, 1);
	/* the sibling 4: 3 is left, 1 and 2 keep +1, 4 starts at 0 */
	vf_reg_delta_enter(&r, c4, 3, self);
	ck_assert_ptr_null(vf_reg_delta(&r, 3));
	const struct vf_delta *d2 = vf_reg_delta(&r, 2), *d4 = vf_reg_delta(&r, 4);
	ck_assert(d2 && d4 && d2 != d4);
	ck_assert_int_eq(d2->dmin, 1);
	ck_assert_uint_eq(d2->lo, 1);
	ck_assert_int_eq(d4->dmin, 0);
	ck_assert_int_eq(d4->dmax, 0);
	/* joined with a value that moved by 1 since every head: loop 4's delta becomes [0, 1] */
	struct vf_reg s = r;
	memset(s.dl, 0, sizeof(s.dl));
	vf_reg_delta_enter(&s, c1, 1, self);
	vf_reg_delta_enter(&s, c2, 2, self);
	vf_reg_delta_enter(&s, c4, 3, self);
	vf_reg_delta_add(&s, 1, 1);
	struct vf_state *a = vf_state_new(), *b = vf_state_new();
	ck_assert(a && b);
	a->r[3] = r;
	b->r[3] = s;
	vf_state_join(a, b, false, NULL, 0, 1);
	d4 = vf_reg_delta(&a->r[3], 4);
	ck_assert(d4 && d4->dmin == 0 && d4->dmax == 1);
	ck_assert(vf_reg_delta(&a->r[3], 1) && vf_reg_delta(&a->r[3], 1)->dmin == 1);
	/* another base on one side: nothing is known */
	b->r[3].dl[0].base = VF_LOC_REG(4);
	b->r[3].dl[1].base = VF_LOC_REG(4);
	vf_state_join(a, b, false, NULL, 0, 1);
	ck_assert_ptr_null(vf_reg_delta(&a->r[3], 1));
	ck_assert_ptr_null(vf_reg_delta(&a->r[3], 4));
	vf_state_free(a);
	vf_state_free(b);
	/* a value changing between every pair of heads of a nest of 6 needs 6 runs: the 4 innermost
	 * are kept, the outermost forgotten */
	memset(r.dl, 0, sizeof(r.dl));
	uint32_t chain[6];
	for (uint32_t k = 1; k <= 6; k++) {
		for (uint32_t i = 0; i < k; i++)
			chain[i] = k - i;
		vf_reg_delta_enter(&r, chain, k, self);
		vf_reg_delta_add(&r, 1, 1);
	}
	ck_assert_ptr_null(vf_reg_delta(&r, 1));
	ck_assert_ptr_null(vf_reg_delta(&r, 2));
	for (uint32_t k = 3; k <= 6; k++)
		ck_assert_msg(vf_reg_delta(&r, k) && vf_reg_delta(&r, k)->dmin == (int32_t)(7 - k), "loop %u",
		              k);
}
END_TEST

START_TEST(findings_after_loops)
{
	/* two loops in a row, each followed by code that is no join point: the code after the last
	 * loop is analysed once that loop is stable, and its bug found */
	const char *two = "r6 = r1\nr7 = 0\nr2 = 0\nl:\nr2 += 1\nif r2 < 4 goto l\n"
	                  "r1 = *(u32 *)(r6 + 16)\nif r1 > 100 goto +1\nr7 += 1\nr3 = 0\nm:\nr3 += 1\n"
	                  "if r3 < 4 goto m\nr0 = %s\nexit\n";
	char src[512];
	snprintf(src, sizeof(src), two, "r7");
	struct vft_outcome oc = run(src, NULL, NULL);
	ck_assert_msg(oc.accepted, "expected pass, got %s", oc.first);
	snprintf(src, sizeof(src), two, "r8");
	oc = run(src, "VF-UNINIT-REG", NULL);
	ck_assert_msg(!oc.accepted && oc.count == 1, "expected VF-UNINIT-REG after the loop, got %s",
	              oc.first[0] ? oc.first : "pass");
	/* a loop inside a branch, its exit joining the other side */
	PASS("r6 = r1\nr0 = 0\nr1 = *(u32 *)(r6 + 16)\nif r1 > 7 goto +3\nl:\nr1 += 1\n"
	     "if r1 < 8 goto l\nr0 = r1\nexit\n");
	REJECT("r6 = r1\nr1 = *(u32 *)(r6 + 16)\nif r1 > 7 goto +3\nl:\nr1 += 1\n"
	       "if r1 < 8 goto l\nr0 = r1\nexit\n",
	       "VF-RETURN-UNINIT");
}
END_TEST

START_TEST(counter_bounded_by_register)
{
	/* for (i = 0; i < n; i++) with n a bounded register, either operand order: the counter's
	 * widened bound comes back from n's, and the loop is bounded */
	const char *loop = "r6 = *(u32 *)(r1 + 16)\n%sr1 = 0\nr2 = 0\nl:\nr2 += r1\nr1 += 1\n%s\n"
	                   "r0 = 0\nexit\n";
	char src[512];
	snprintf(src, sizeof(src), loop, "r6 &= 0xff\n", "if r1 < r6 goto l");
	PASS(src);
	snprintf(src, sizeof(src), loop, "r6 &= 0xff\n", "if r6 > r1 goto l");
	PASS(src);
	/* near miss: n up to 2^32 allows too many iterations */
	snprintf(src, sizeof(src), loop, "", "if r1 < r6 goto l");
	REJECT(src, "VF-LOOP-UNBOUNDED");
}
END_TEST

START_TEST(counter_bounded_relationally)
{
	/* i = s; n = s + K; do i++; while (i < n): neither i nor n has a useful range (s is any u32),
	 * but n - i starts at K and shrinks by 1 per iteration while n is unchanged (the zone) */
	const char *loop = "r9 = r1\nr6 = *(u32 *)(r1 + 12)\nr7 = r6\nr7 += %s\nr1 = r6\nl:\nr1 += %s\n%s"
	                   "if r1 < r7 goto l\nr0 = 0\nexit\n";
	char src[512];
	snprintf(src, sizeof(src), loop, "10", "1", "");
	PASS(src);
	snprintf(src, sizeof(src), loop, "1000", "3", "");
	PASS(src);
	/* both ends move towards each other */
	snprintf(src, sizeof(src), loop, "10", "1", "r7 += -1\n");
	PASS(src);
	/* near misses: a distance beyond the iteration limit, a bound that moves away as fast as
	 * the counter, a bound reloaded every iteration */
	snprintf(src, sizeof(src), loop, "1000000", "1", "");
	REJECT(src, "VF-LOOP-UNBOUNDED");
	snprintf(src, sizeof(src), loop, "10", "1", "r7 += 1\n");
	REJECT(src, "VF-LOOP-UNBOUNDED");
	snprintf(src, sizeof(src), loop, "10", "1", "r7 = *(u32 *)(r9 + 12)\n");
	REJECT(src, "VF-LOOP-UNBOUNDED");
	/* the bound recomputed from an unchanged value each iteration is unchanged too */
	snprintf(src, sizeof(src), loop, "10", "1", "r7 = r6\nr7 += 10\n");
	PASS(src);
	/* nested: j runs from i to n, i from s to n = s + 20; the outer loop moving n along with
	 * i never ends */
	const char *nest = "r6 = *(u32 *)(r1 + 12)\nr7 = r6\nr7 += 20\nr1 = r6\nouter:\nr3 = r1\ninner:\n"
	                   "r3 += 1\nif r3 < r7 goto inner\nr1 += 1\n%sif r1 < r7 goto outer\nr0 = 0\nexit\n";
	snprintf(src, sizeof(src), nest, "");
	PASS(src);
	snprintf(src, sizeof(src), nest, "r7 += 1\n");
	REJECT(src, "VF-LOOP-UNBOUNDED");
	/* the counter kept in a stack slot (fill, add, spill) */
	PASS("r6 = *(u32 *)(r1 + 12)\nr7 = r6\nr7 += 16\n*(u64 *)(r10 - 8) = r6\nl:\nr1 = *(u64 *)(r10 - 8)\n"
	     "r1 += 1\n*(u64 *)(r10 - 8) = r1\nif r1 < r7 goto l\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(counter_tested_through_truncation)
{
	/* the exit test reads a truncated copy of the counter (w2 = w2, r2 &= 0xff): while the
	 * counter fits the mask the copy equals it, so the test bounds the counter too */
	const char *loop = "r1 = *(u32 *)(r1 + 16)\nif r1 < 1 goto out\nif r1 > 100 goto out\nr0 = 0\n"
	                   "l:\nr2 = r0\n%s\nif r1 > r2 goto body\ngoto out\nbody:\nr0 += 1\ngoto l\n"
	                   "out:\nr0 = 0\nexit\n";
	char src[512];
	snprintf(src, sizeof(src), loop, "w2 = w2");
	PASS(src);
	snprintf(src, sizeof(src), loop, "r2 &= 0xff");
	PASS(src);
	snprintf(src, sizeof(src), loop, "w2 &= 0xffff");
	PASS(src);
	/* near misses: a mask that drops a bit the counter needs (0x3f < 100: the copy wraps and
	 * the test may never fail), and a mask that is not low ones */
	snprintf(src, sizeof(src), loop, "r2 &= 0x3f");
	REJECT(src, "VF-LOOP-UNBOUNDED");
	snprintf(src, sizeof(src), loop, "r2 &= 0xfe");
	REJECT(src, "VF-LOOP-UNBOUNDED");
}
END_TEST

START_TEST(packet_walk_without_counter)
{
	/* the comparison with data_end caps the pointer's variable part (64 KiB packets): the walk
	 * is bounded and its reads in bounds (Linux follows such a walk until it passes 64 KiB and
	 * rejects it; see specs/verifier.md) */
	const char *walk = "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nl:\nr4 = r2\nr4 += 4\n"
	                   "if r4 > r3 goto out\nr5 = *(%s *)(r2 + 0)\nr2 += %s\ngoto l\nout:\nr0 = 2\n"
	                   "exit\n";
	char src[512];
	snprintf(src, sizeof(src), walk, "u32", "4");
	PASS(src);
	snprintf(src, sizeof(src), walk, "u16", "2");
	PASS(src);
	/* near misses: reading past the 4 bytes checked; a pointer that does not move */
	snprintf(src, sizeof(src), walk, "u64", "4");
	REJECT(src, "VF-PACKET-BOUNDS");
	snprintf(src, sizeof(src), walk, "u32", "0");
	REJECT(src, "VF-LOOP-UNBOUNDED");
	/* no comparison with data_end: nothing bounds the read */
	REJECT("r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr6 = 0\nl:\nr5 = *(u32 *)(r2 + 0)\n"
	       "r2 += 4\nr6 += 1\nif r6 < 8 goto l\nr0 = 2\nexit\n",
	       "VF-PACKET-BOUNDS");
}
END_TEST

START_TEST(memory_limit_and_stats)
{
	const char *src = nest(3, 3, 0);
	struct vf_options o;
	vf_options_default(&o);
	struct vft_outcome ok = run(src, NULL, &o);
	ck_assert_msg(ok.accepted, "expected pass, got %s", ok.first);
	ck_assert(ok.stats.iterations > 0);
	ck_assert(ok.stats.peak_states > 0);
	/* at least the states kept (each holds its registers) */
	ck_assert_msg(ok.stats.peak_mem_bytes > ok.stats.peak_states * 11 * 8, "peak_mem_bytes %llu",
	              (unsigned long long)ok.stats.peak_mem_bytes);
	ck_assert_msg(ok.stats.peak_mem_bytes < 10u * 1024 * 1024, "peak_mem_bytes %llu",
	              (unsigned long long)ok.stats.peak_mem_bytes);
	/* a limit below what the analysis needs: a finding, not an abort or a hang */
	o.max_mem_bytes = ok.stats.peak_mem_bytes / 2;
	struct vft_outcome lim = run(src, "VF-LIMIT-REACHED", &o);
	ck_assert_msg(!lim.accepted && lim.count == 1, "expected VF-LIMIT-REACHED, got %s", lim.first);
	ck_assert_msg(strstr(lim.first, "memory") != NULL, "%s", lim.first);
	/* exactly enough: passes */
	o.max_mem_bytes = ok.stats.peak_mem_bytes;
	struct vft_outcome same = run(src, NULL, &o);
	ck_assert_msg(same.accepted, "expected pass at the measured peak, got %s", same.first);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify_loops");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, narrowing_recovers_loop_bound);
	tcase_add_test(tc, deep_nests_terminate);
	tcase_add_test(tc, delta_runs);
	tcase_add_test(tc, findings_after_loops);
	tcase_add_test(tc, counter_bounded_by_register);
	tcase_add_test(tc, counter_bounded_relationally);
	tcase_add_test(tc, counter_tested_through_truncation);
	tcase_add_test(tc, packet_walk_without_counter);
	tcase_add_test(tc, memory_limit_and_stats);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
