/* Branch refinement: a concrete pair that takes (or skips) a jump is in the taken (or
 * fall-through) refinement, the always/never verdicts agree with every sampled pair, and the
 * refinements the verifier needs are as precise as expected. */
#include <check.h>
#include <stdlib.h>

#include "domtest.h"
#include "verifier/branch.h"
#include "testutil.h"

static const enum isa_sem jumps[] = {ISA_SEM_JEQ,  ISA_SEM_JNE,  ISA_SEM_JGT,  ISA_SEM_JGE,
                                     ISA_SEM_JLT,  ISA_SEM_JLE,  ISA_SEM_JSGT, ISA_SEM_JSGE,
                                     ISA_SEM_JSLT, ISA_SEM_JSLE, ISA_SEM_JSET};
#define NJUMPS (int)(sizeof(jumps) / sizeof(jumps[0]))
#define PAIRS 5000
#define DRAWS 8

START_TEST(refinement_sound)
{
	enum isa_sem sem = jumps[_i / 2];
	bool is64 = _i % 2;
	uint64_t st = dt_seed(0xb7a9c4 + (uint64_t)_i), sa[3], sb[3];
	unsigned na, nb;
	long taken_seen = 0, fall_seen = 0;
	for (int i = 0; i < PAIRS; i++) {
		struct vf_scalar a = dt_scalar(&st, sa, &na), b;
		if (dt_rand(&st) % 4 == 0) { /* overlapping operands, so equality happens */
			b = a;
			nb = na;
			for (unsigned k = 0; k < na; k++)
				sb[k] = sa[k];
		} else {
			b = dt_scalar(&st, sb, &nb);
		}
		struct vf_cond_split br;
		vf_scalar_branch(sem, is64, &a, &b, &br);
		for (int d = 0; d < DRAWS; d++) {
			uint64_t x = dt_member(&st, &a, sa, na), y = dt_member(&st, &b, sb, nb);
			if (d == 0 && dt_rand(&st) % 2 && vf_scalar_contains(&b, x))
				y = x;
			bool jumps_ = dt_jump(sem, is64, x, y);
			const struct vf_scalar *rd = jumps_ ? &br.taken_dst : &br.fall_dst;
			const struct vf_scalar *rs = jumps_ ? &br.taken_src : &br.fall_src;
			taken_seen += jumps_;
			fall_seen += !jumps_;
			if (!vf_scalar_contains(rd, x) || !vf_scalar_contains(rs, y) ||
			    br.outcome == (jumps_ ? VF_NEVER : VF_ALWAYS)) {
				char s1[256], s2[256], s3[256], s4[256];
				ck_abort_msg(
				    "%s%s: dst %s src %s x=%#llx y=%#llx %s; outcome %d; refined %s / %s",
				    isa_sem_name(sem), is64 ? "" : "32", vf_scalar_str(&a, s1, 256),
				    vf_scalar_str(&b, s2, 256), (unsigned long long)x, (unsigned long long)y,
				    jumps_ ? "taken" : "not taken", br.outcome, vf_scalar_str(rd, s3, 256),
				    vf_scalar_str(rs, s4, 256));
			}
		}
	}
	/* the sampler exercises both sides */
	ck_assert_int_gt(taken_seen, PAIRS / 20);
	ck_assert_int_gt(fall_seen, PAIRS / 20);
}
END_TEST

static struct vf_cond_split branch(enum isa_sem sem, bool is64, struct vf_scalar a, struct vf_scalar b)
{
	struct vf_cond_split br;
	vf_scalar_branch(sem, is64, &a, &b, &br);
	return br;
}

START_TEST(precision)
{
	struct vf_scalar u = vf_scalar_unknown();
	uint64_t v;
	/* if r1 > 5: taken r1.umin = 6, fall-through r1.umax = 5 */
	struct vf_cond_split br = branch(ISA_SEM_JGT, true, u, vf_scalar_const(5));
	ck_assert_int_eq(br.outcome, VF_MAYBE);
	ck_assert_uint_eq(br.taken_dst.u64.lo, 6);
	ck_assert_uint_eq(br.fall_dst.u64.hi, 5);
	ck_assert_uint_eq(br.fall_dst.var.mask, 7);
	/* signed: if r1 s< 0 → r1 in [INT64_MIN, -1]; fall-through: r1 >= 0 */
	br = branch(ISA_SEM_JSLT, true, u, vf_scalar_const(0));
	ck_assert_int_eq(br.taken_dst.s64.hi, -1);
	ck_assert_uint_eq(br.taken_dst.u64.lo, 1ULL << 63);
	ck_assert_int_eq(br.fall_dst.s64.lo, 0);
	ck_assert_uint_eq(br.fall_dst.u64.hi, INT64_MAX);
	/* always / never */
	br = branch(ISA_SEM_JGT, true, vf_scalar_urange(0, 3), vf_scalar_const(5));
	ck_assert_int_eq(br.outcome, VF_NEVER);
	ck_assert(vf_scalar_is_bottom(&br.taken_dst));
	br = branch(ISA_SEM_JGE, true, vf_scalar_urange(10, 30), vf_scalar_urange(0, 10));
	ck_assert_int_eq(br.outcome, VF_ALWAYS);
	br = branch(ISA_SEM_JSLT, true, vf_scalar_urange(0, 100), vf_scalar_const(0));
	ck_assert_int_eq(br.outcome, VF_NEVER);
	br = branch(ISA_SEM_JEQ, true, vf_scalar_const(3), vf_scalar_const(3));
	ck_assert_int_eq(br.outcome, VF_ALWAYS);
	br = branch(ISA_SEM_JNE, true, vf_scalar_const(3), vf_scalar_const(4));
	ck_assert_int_eq(br.outcome, VF_ALWAYS);
	/* jeq with a constant gives the constant; jne at a range's end trims it */
	br = branch(ISA_SEM_JEQ, true, u, vf_scalar_const(42));
	ck_assert(vf_scalar_is_const(&br.taken_dst, &v) && v == 42);
	br = branch(ISA_SEM_JNE, true, vf_scalar_urange(0, 10), vf_scalar_const(0));
	ck_assert_uint_eq(br.taken_dst.u64.lo, 1);
	ck_assert(vf_scalar_is_const(&br.fall_dst, &v) && v == 0);
	/* two registers: r1 < r2 with r2 in [0, 100] gives r1 <= 99, and r2 >= r1.umin + 1 */
	br = branch(ISA_SEM_JLT, true, vf_scalar_urange(20, 1000), vf_scalar_urange(0, 100));
	ck_assert_uint_eq(br.taken_dst.u64.hi, 99);
	ck_assert_uint_eq(br.taken_src.u64.lo, 21);
	/* jset with one bit: taken knows the bit is 1, fall-through knows it is 0 */
	br = branch(ISA_SEM_JSET, true, u, vf_scalar_const(4));
	ck_assert_uint_eq(br.taken_dst.var.value & 4, 4);
	ck_assert_uint_eq(br.taken_dst.var.mask & 4, 0);
	ck_assert_uint_eq(br.fall_dst.var.value & 4, 0);
	ck_assert_uint_eq(br.fall_dst.var.mask & 4, 0);
	/* jset with several bits: fall-through clears all of them */
	br = branch(ISA_SEM_JSET, true, vf_scalar_urange(0, 255), vf_scalar_const(0xf0));
	ck_assert_uint_eq(br.fall_dst.u64.hi, 15);
	ck_assert_uint_eq(br.taken_dst.u64.lo, 1);
	/* jset that cannot hit */
	br = branch(ISA_SEM_JSET, true, vf_scalar_urange(0, 15), vf_scalar_const(0xf0));
	ck_assert_int_eq(br.outcome, VF_NEVER);
	br = branch(ISA_SEM_JSET, true, vf_scalar_const(0x11), vf_scalar_urange(0x10, 0x1f));
	ck_assert_int_eq(br.outcome, VF_ALWAYS);
	/* 32-bit compare: refines the 32-bit bounds, and the 64-bit ones through the reduction */
	struct vf_scalar w = vf_scalar_load_unknown(4); /* upper 32 bits known zero */
	br = branch(ISA_SEM_JLT, false, w, vf_scalar_const(10));
	ck_assert_uint_eq(br.taken_dst.u32.hi, 9);
	ck_assert_uint_eq(br.taken_dst.u64.hi, 9);
	/* on an unknown 64-bit value only the sub-register is known afterwards */
	br = branch(ISA_SEM_JLT, false, u, vf_scalar_const(10));
	ck_assert_uint_eq(br.taken_dst.u32.hi, 9);
	ck_assert_uint_eq(br.taken_dst.var.mask & 0xffffffff, 0xf);
	ck_assert_uint_eq(br.taken_dst.u64.hi, 0xffffffff00000009ULL);
	/* 32-bit signed compare of a value whose upper half is fixed */
	br = branch(ISA_SEM_JSGT, false, vf_scalar_urange(0x700000000ULL, 0x7ffffffffULL),
	            vf_scalar_const(-1));
	ck_assert_int_eq(br.taken_dst.s32.lo, 0);
	ck_assert_uint_eq(br.taken_dst.u64.hi, 0x77fffffffULL);
	/* assume / negate / swap helpers */
	ck_assert_int_eq(vf_cmp_negate(VF_CMP_ULT), VF_CMP_UGE);
	ck_assert_int_eq(vf_cmp_swap(VF_CMP_SLT), VF_CMP_SGT);
	ck_assert_int_eq(vf_cmp_of_sem(ISA_SEM_ADD), -1);
	struct vf_scalar a = vf_scalar_urange(0, 5), b = vf_scalar_urange(6, 9);
	ck_assert(!vf_scalar_assume(VF_CMP_EQ, true, &a, &b));
	ck_assert(vf_scalar_is_bottom(&a) && vf_scalar_is_bottom(&b));
	/* an unsupported tag leaves both sides alone */
	br = branch(ISA_SEM_ADD, true, vf_scalar_const(1), u);
	ck_assert_int_eq(br.outcome, VF_MAYBE);
	ck_assert(vf_scalar_is_const(&br.taken_dst, &v) && v == 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("branch");
	TCase *tc = tcase_create("branch");
	tcase_add_loop_test(tc, refinement_sound, 0, 2 * NJUMPS);
	tcase_add_test(tc, precision);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
