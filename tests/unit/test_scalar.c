/* The scalar reduced product: soundness of the reduction and of every ALU transfer function
 * (32- and 64-bit, register and constant operands) by sampling members against an independent
 * concrete evaluator, constant folding, and the precision the verifier relies on. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "domtest.h"
#include "verifier/branch.h"
#include "verifier/scalar.h"
#include "testutil.h"

#define PAIRS 5000 /* abstract pairs per operation; 6 concrete pairs each */
#define DRAWS 6

struct opdesc {
	enum isa_sem sem;
	bool is64;
	unsigned width;
};

static const struct opdesc ops[] = {
    {ISA_SEM_ADD, true, 0},    {ISA_SEM_ADD, false, 0},    {ISA_SEM_SUB, true, 0},
    {ISA_SEM_SUB, false, 0},   {ISA_SEM_MUL, true, 0},     {ISA_SEM_MUL, false, 0},
    {ISA_SEM_DIV, true, 0},    {ISA_SEM_DIV, false, 0},    {ISA_SEM_SDIV, true, 0},
    {ISA_SEM_SDIV, false, 0},  {ISA_SEM_MOD, true, 0},     {ISA_SEM_MOD, false, 0},
    {ISA_SEM_SMOD, true, 0},   {ISA_SEM_SMOD, false, 0},   {ISA_SEM_OR, true, 0},
    {ISA_SEM_OR, false, 0},    {ISA_SEM_AND, true, 0},     {ISA_SEM_AND, false, 0},
    {ISA_SEM_XOR, true, 0},    {ISA_SEM_XOR, false, 0},    {ISA_SEM_LSH, true, 0},
    {ISA_SEM_LSH, false, 0},   {ISA_SEM_RSH, true, 0},     {ISA_SEM_RSH, false, 0},
    {ISA_SEM_ARSH, true, 0},   {ISA_SEM_ARSH, false, 0},   {ISA_SEM_NEG, true, 0},
    {ISA_SEM_NEG, false, 0},   {ISA_SEM_MOV, true, 0},     {ISA_SEM_MOV, false, 0},
    {ISA_SEM_MOVSX, true, 8},  {ISA_SEM_MOVSX, true, 16},  {ISA_SEM_MOVSX, true, 32},
    {ISA_SEM_MOVSX, false, 8}, {ISA_SEM_MOVSX, false, 16}, {ISA_SEM_LE, false, 16},
    {ISA_SEM_LE, false, 32},   {ISA_SEM_LE, false, 64},    {ISA_SEM_BE, false, 16},
    {ISA_SEM_BE, false, 32},   {ISA_SEM_BE, false, 64},    {ISA_SEM_BSWAP, true, 16},
    {ISA_SEM_BSWAP, true, 32}, {ISA_SEM_BSWAP, true, 64},
};
#define NOPS (int)(sizeof(ops) / sizeof(ops[0]))

static void fail_alu(const struct opdesc *o, const struct vf_scalar *a, const struct vf_scalar *b, uint64_t x,
                     uint64_t y, uint64_t c, const struct vf_scalar *r)
{
	char sa[256], sb[256], sr[256];
	ck_abort_msg("%s%s w%u: dst %s src %s x=%#llx y=%#llx: %#llx not in %s", isa_sem_name(o->sem),
	             o->is64 ? "64" : "32", o->width, vf_scalar_str(a, sa, sizeof(sa)),
	             vf_scalar_str(b, sb, sizeof(sb)), (unsigned long long)x, (unsigned long long)y,
	             (unsigned long long)c, vf_scalar_str(r, sr, sizeof(sr)));
}

/* The generator's seeds must be members: checks the constructors, join and the reduction. */
START_TEST(reduction_keeps_members)
{
	uint64_t st = dt_seed(0x5eed), seeds[3];
	unsigned n;
	for (int i = 0; i < 60000; i++) {
		struct vf_scalar s = dt_scalar(&st, seeds, &n);
		for (unsigned k = 0; k < n; k++)
			if (!vf_scalar_contains(&s, seeds[k])) {
				char b[256];
				ck_abort_msg("seed %#llx lost: %s", (unsigned long long)seeds[k],
				             vf_scalar_str(&s, b, 256));
			}
		struct vf_scalar again = vf_scalar_reduce(s);
		ck_assert(vf_scalar_eq(&again, &s)); /* idempotent */
	}
}
END_TEST

START_TEST(alu_sound)
{
	const struct opdesc *o = &ops[_i];
	uint64_t st = dt_seed(0xa1u * 1000003u + (uint64_t)_i), sa[3], sb[3];
	unsigned na, nb;
	for (int i = 0; i < PAIRS; i++) {
		struct vf_scalar a = dt_scalar(&st, sa, &na), b = dt_scalar(&st, sb, &nb);
		struct vf_scalar r = vf_scalar_alu(o->sem, o->is64, &a, &b, o->width);
		for (int d = 0; d < DRAWS; d++) {
			uint64_t x = dt_member(&st, &a, sa, na), y = dt_member(&st, &b, sb, nb);
			uint64_t c = dt_alu(o->sem, o->is64, x, y, o->width);
			if (!vf_scalar_contains(&r, c))
				fail_alu(o, &a, &b, x, y, c, &r);
		}
	}
}
END_TEST

START_TEST(constants_fold_exactly)
{
	const struct opdesc *o = &ops[_i];
	uint64_t st = dt_seed(0xc0 + (uint64_t)_i);
	for (int i = 0; i < 4000; i++) {
		uint64_t x = dt_value(&st), y = dt_value(&st);
		struct vf_scalar a = vf_scalar_const(x), b = vf_scalar_const(y);
		struct vf_scalar r = vf_scalar_alu(o->sem, o->is64, &a, &b, o->width);
		uint64_t v, c = dt_alu(o->sem, o->is64, x, y, o->width);
		if (!vf_scalar_is_const(&r, &v) || v != c)
			fail_alu(o, &a, &b, x, y, c, &r);
	}
}
END_TEST

START_TEST(lattice_sound)
{
	uint64_t st = dt_seed(0x1a77), sa[3], sb[3];
	unsigned na, nb;
	for (int i = 0; i < 20000; i++) {
		struct vf_scalar a = dt_scalar(&st, sa, &na), b = dt_scalar(&st, sb, &nb);
		struct vf_scalar j = vf_scalar_join(&a, &b), w = vf_scalar_widen(&a, &b),
		                 m = vf_scalar_meet(&a, &b);
		ck_assert(vf_scalar_leq(&a, &j) && vf_scalar_leq(&b, &j));
		ck_assert(vf_scalar_leq(&a, &w) && vf_scalar_leq(&b, &w));
		ck_assert(vf_scalar_leq(&m, &a) && vf_scalar_leq(&m, &b));
		for (int d = 0; d < 4; d++) {
			uint64_t x = dt_member(&st, &a, sa, na), y = dt_member(&st, &b, sb, nb);
			ck_assert(vf_scalar_contains(&j, x) && vf_scalar_contains(&j, y));
			ck_assert(vf_scalar_contains(&w, x) && vf_scalar_contains(&w, y));
			if (vf_scalar_contains(&b, x))
				ck_assert(vf_scalar_contains(&m, x));
		}
		/* narrowing stays between the precise value and the widened one */
		struct vf_scalar n = vf_scalar_narrow(&w, &b);
		ck_assert(vf_scalar_leq(&b, &n));
		ck_assert(vf_scalar_leq(&n, &w));
	}
}
END_TEST

START_TEST(loads_and_casts_sound)
{
	uint64_t st = dt_seed(0x10ad), s[3];
	unsigned n;
	static const unsigned bytes[] = {1, 2, 4, 8};
	for (int i = 0; i < 40000; i++) {
		unsigned by = bytes[i % 4];
		struct vf_scalar a = dt_scalar(&st, s, &n);
		uint64_t x = dt_member(&st, &a, s, n), raw = dt_rand(&st) >> (dt_rand(&st) % 64);
		uint64_t zx = by == 8 ? x : x & ((1ULL << (8 * by)) - 1);
		struct vf_scalar z = vf_scalar_zext(&a, by), sx = vf_scalar_sext(&a, 8 * by);
		ck_assert(vf_scalar_contains(&z, zx));
		ck_assert(vf_scalar_contains(&sx, dt_sext(x, 8 * by)));
		struct vf_scalar lu = vf_scalar_load_unknown(by);
		ck_assert(vf_scalar_contains(&lu, by == 8 ? raw : raw & ((1ULL << (8 * by)) - 1)));
		if (by < 8) {
			struct vf_scalar ls = vf_scalar_load_unknown_sx(by);
			ck_assert(vf_scalar_contains(&ls, dt_sext(raw, 8 * by)));
		}
	}
}
END_TEST

static struct vf_scalar alu(enum isa_sem sem, bool is64, struct vf_scalar a, struct vf_scalar b)
{
	return vf_scalar_alu(sem, is64, &a, &b, 0);
}

START_TEST(precision)
{
	struct vf_scalar u = vf_scalar_unknown(), k;
	uint64_t v;
	/* x & 0xff is [0, 255] */
	struct vf_scalar byte = alu(ISA_SEM_AND, true, u, vf_scalar_const(0xff));
	ck_assert_uint_eq(byte.u64.lo, 0);
	ck_assert_uint_eq(byte.u64.hi, 255);
	ck_assert_int_eq(byte.s64.lo, 0);
	ck_assert_int_eq(byte.s64.hi, 255);
	/* (x & 0xff) << 2: low bits known zero, [0, 1020] */
	struct vf_scalar sh = alu(ISA_SEM_LSH, true, byte, vf_scalar_const(2));
	ck_assert_uint_eq(sh.var.value, 0);
	ck_assert_uint_eq(sh.var.mask, 0x3fc);
	ck_assert_uint_eq(sh.u64.hi, 1020);
	/* w1 = w1 zero-extends */
	struct vf_scalar w = alu(ISA_SEM_MOV, false, u, u);
	ck_assert_uint_eq(w.u64.lo, 0);
	ck_assert_uint_eq(w.u64.hi, 0xffffffff);
	ck_assert_uint_eq(w.var.mask, 0xffffffff);
	k = alu(ISA_SEM_MOV, false, u, vf_scalar_const(0xffffffff00000005ULL));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 5);
	/* a 32-bit add wraps inside 32 bits and is zero-extended */
	k = alu(ISA_SEM_ADD, false, vf_scalar_const(0xffffffff), vf_scalar_const(1));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 0);
	/* if r1 < 10 then r1 * 8 is in [0, 72] */
	struct vf_scalar r1 = u, ten = vf_scalar_const(10);
	ck_assert(vf_scalar_assume(VF_CMP_ULT, true, &r1, &ten));
	struct vf_scalar p = alu(ISA_SEM_MUL, true, r1, vf_scalar_const(8));
	ck_assert_uint_eq(p.u64.lo, 0);
	ck_assert_uint_eq(p.u64.hi, 72);
	ck_assert_uint_eq(p.var.value & 7, 0);
	ck_assert_uint_eq(p.var.mask & 7, 0);
	/* division by zero gives 0, modulo by zero leaves dst (ALU: low 32 bits) */
	k = alu(ISA_SEM_DIV, true, u, vf_scalar_const(0));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 0);
	k = alu(ISA_SEM_MOD, true, byte, vf_scalar_const(0));
	ck_assert(vf_scalar_eq(&k, &byte));
	k = alu(ISA_SEM_MOD, false, vf_scalar_const(0xabcd00000007ULL), vf_scalar_const(0));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 7);
	/* x % 16 is [0, 15]; x / 16 of a byte is [0, 15] */
	k = alu(ISA_SEM_MOD, true, u, vf_scalar_const(16));
	ck_assert_uint_eq(k.u64.hi, 15);
	k = alu(ISA_SEM_DIV, true, byte, vf_scalar_const(16));
	ck_assert_uint_eq(k.u64.hi, 15);
	/* sdiv INT_MIN / -1 wraps to INT_MIN; smod by -1 is 0 */
	k = alu(ISA_SEM_SDIV, true, vf_scalar_const(1ULL << 63), vf_scalar_const(UINT64_MAX));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 1ULL << 63);
	k = alu(ISA_SEM_SDIV, false, vf_scalar_const(0x80000000), vf_scalar_const(UINT64_MAX));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 0x80000000);
	k = alu(ISA_SEM_SMOD, true, vf_scalar_srange(-100, 100), vf_scalar_const(UINT64_MAX));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 0);
	/* signed remainder keeps the dividend's sign */
	k = alu(ISA_SEM_SMOD, true, vf_scalar_srange(-100, -1), vf_scalar_const(7));
	ck_assert_int_eq(k.s64.lo, -6);
	ck_assert_int_eq(k.s64.hi, 0);
	/* shift counts are masked */
	k = alu(ISA_SEM_LSH, true, vf_scalar_const(1), vf_scalar_const(65));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 2);
	k = alu(ISA_SEM_LSH, false, vf_scalar_const(1), vf_scalar_const(33));
	ck_assert(vf_scalar_is_const(&k, &v) && v == 2);
	/* a shift by a small range of counts */
	k = alu(ISA_SEM_RSH, true, vf_scalar_const(0x100), vf_scalar_urange(4, 8));
	ck_assert_uint_eq(k.u64.lo, 1);
	ck_assert_uint_eq(k.u64.hi, 16);
	/* arsh of a negative range stays negative */
	k = alu(ISA_SEM_ARSH, true, vf_scalar_srange(-64, -1), vf_scalar_const(3));
	ck_assert_int_eq(k.s64.lo, -8);
	ck_assert_int_eq(k.s64.hi, -1);
	/* movsx: a byte with the sign bit unknown becomes [-128, 127] */
	k = vf_scalar_alu(ISA_SEM_MOVSX, true, &u, &byte, 8);
	ck_assert_int_eq(k.s64.lo, -128);
	ck_assert_int_eq(k.s64.hi, 127);
	struct vf_scalar small = vf_scalar_urange(0, 100);
	k = vf_scalar_alu(ISA_SEM_MOVSX, true, &u, &small, 8);
	ck_assert_int_eq(k.s64.lo, 0);
	ck_assert_int_eq(k.s64.hi, 100);
	k = vf_scalar_alu(ISA_SEM_MOVSX, false, &u, &byte, 8);
	ck_assert_uint_eq(k.u64.hi, 0xffffffff);
	/* loads */
	k = vf_scalar_load_unknown(2);
	ck_assert_uint_eq(k.u64.hi, 0xffff);
	k = vf_scalar_load_unknown_sx(1);
	ck_assert_int_eq(k.s64.lo, -128);
	ck_assert_int_eq(k.s64.hi, 127);
	/* byte swap of a known byte */
	struct vf_scalar c = vf_scalar_const(0x1234);
	k = vf_scalar_alu(ISA_SEM_BE, false, &c, &c, 16);
	ck_assert(vf_scalar_is_const(&k, &v) && v == 0x3412);
	/* add keeps ranges: [0,255] + [10,20] = [10, 275] */
	k = alu(ISA_SEM_ADD, true, byte, vf_scalar_urange(10, 20));
	ck_assert_uint_eq(k.u64.lo, 10);
	ck_assert_uint_eq(k.u64.hi, 275);
	/* sub crossing 0: signed range exact, unsigned wraps to everything */
	k = alu(ISA_SEM_SUB, true, byte, vf_scalar_const(10));
	ck_assert_int_eq(k.s64.lo, -10);
	ck_assert_int_eq(k.s64.hi, 245);
	/* neg of a positive range */
	k = alu(ISA_SEM_NEG, true, vf_scalar_urange(1, 5), u);
	ck_assert_int_eq(k.s64.lo, -5);
	ck_assert_int_eq(k.s64.hi, -1);
	/* bottom propagates */
	struct vf_scalar bot = vf_scalar_bottom();
	k = alu(ISA_SEM_ADD, true, bot, byte);
	ck_assert(vf_scalar_is_bottom(&k));
}
END_TEST

START_TEST(reduction_precision)
{
	/* unsigned range -> known bits, signed range, sub-register */
	struct vf_scalar s = vf_scalar_urange(0, 255);
	ck_assert_uint_eq(s.var.mask, 0xff);
	ck_assert_int_eq(s.s64.hi, 255);
	ck_assert_uint_eq(s.u32.hi, 255);
	ck_assert_int_eq(s.s32.lo, 0);
	/* signed range not crossing zero -> unsigned */
	s = vf_scalar_srange(-10, -1);
	ck_assert_uint_eq(s.u64.lo, (uint64_t)-10);
	ck_assert_uint_eq(s.u64.hi, UINT64_MAX);
	ck_assert_int_eq(s.s32.lo, -10);
	/* known bits -> ranges */
	s = vf_scalar_from_tnum((struct vf_tnum){0x100, 0x0f});
	ck_assert_uint_eq(s.u64.lo, 0x100);
	ck_assert_uint_eq(s.u64.hi, 0x10f);
	/* 32-bit bounds tighten 64-bit ones when the upper half is fixed */
	s = vf_scalar_urange(0x500000000ULL, 0x5ffffffffULL);
	s.u32 = (struct vf_urange){16, 32};
	s = vf_scalar_reduce(s);
	ck_assert_uint_eq(s.u64.lo, 0x500000010ULL);
	ck_assert_uint_eq(s.u64.hi, 0x500000020ULL);
	uint64_t v;
	/* contradictions are bottom */
	s = vf_scalar_urange(0, 10);
	s.var = vf_tnum_const(0x100);
	s = vf_scalar_reduce(s);
	ck_assert(vf_scalar_is_bottom(&s));
	/* range bounds move onto members of the known bits: [10, 12] with bits 0b?00 is 12 */
	s = vf_scalar_urange(10, 12);
	s.var = (struct vf_tnum){0, 0xc};
	s = vf_scalar_reduce(s);
	ck_assert(vf_scalar_is_const(&s, &v) && v == 12);
	s = vf_scalar_srange(-7, 7);
	s.var = (struct vf_tnum){0, ~7ULL}; /* a multiple of 8 */
	s = vf_scalar_reduce(s);
	ck_assert(vf_scalar_is_const(&s, &v) && v == 0);
	/* a singleton range is the constant */
	s = vf_scalar_urange(42, 42);
	ck_assert(vf_scalar_is_const(&s, &v) && v == 42);
	char buf[200];
	ck_assert_str_eq(vf_scalar_str(&s, buf, sizeof(buf)), "42");
}
END_TEST

/* i = 0; while (i < 10) i += 4;  the head's fixpoint with widening, then one narrowing step */
START_TEST(loop_fixpoint)
{
	struct vf_scalar entry = vf_scalar_const(0), head = entry, four = vf_scalar_const(4),
	                 ten = vf_scalar_const(10);
	int iterations = 0;
	for (;;) {
		ck_assert_int_lt(++iterations, 8);
		struct vf_scalar i = head, bound = ten;
		ck_assert(vf_scalar_assume(VF_CMP_ULT, true, &i, &bound));
		struct vf_scalar body = vf_scalar_alu(ISA_SEM_ADD, true, &i, &four, 0);
		struct vf_scalar next = vf_scalar_join(&entry, &body);
		if (vf_scalar_leq(&next, &head))
			break;
		head = vf_scalar_widen(&head, &next);
	}
	/* stable, and the alignment survived widening */
	ck_assert_uint_eq(head.var.mask & 3, 0);
	ck_assert_uint_eq(head.var.value & 3, 0);
	struct vf_scalar i = head, bound = ten;
	ck_assert(vf_scalar_assume(VF_CMP_ULT, true, &i, &bound));
	struct vf_scalar body = vf_scalar_alu(ISA_SEM_ADD, true, &i, &four, 0);
	struct vf_scalar next = vf_scalar_join(&entry, &body);
	struct vf_scalar narrowed = vf_scalar_narrow(&head, &next);
	ck_assert_uint_eq(narrowed.u64.lo, 0);
	ck_assert_uint_eq(narrowed.u64.hi, 12);
	ck_assert_uint_eq(narrowed.var.mask & 3, 0);
	/* after the loop (i >= 10): i in [10, 12], a multiple of 4, so 12 */
	struct vf_scalar out = narrowed;
	bound = ten;
	ck_assert(vf_scalar_assume(VF_CMP_UGE, true, &out, &bound));
	uint64_t v;
	ck_assert(vf_scalar_is_const(&out, &v) && v == 12);
}
END_TEST

START_TEST(join_widen_narrow)
{
	struct vf_scalar a = vf_scalar_urange(0, 5), b = vf_scalar_urange(10, 20);
	struct vf_scalar j = vf_scalar_join(&a, &b);
	ck_assert_uint_eq(j.u64.lo, 0);
	ck_assert_uint_eq(j.u64.hi, 20);
	/* a loop counter 0, 1, 2, ...: the upper bound is unstable and goes to the extreme */
	struct vf_scalar i0 = vf_scalar_const(0), i1 = vf_scalar_urange(0, 1);
	struct vf_scalar w = vf_scalar_widen(&i0, &i1);
	ck_assert_uint_eq(w.u64.lo, 0);
	ck_assert_uint_eq(w.u64.hi, UINT64_MAX);
	ck_assert(vf_scalar_leq(&i1, &w));
	/* a stable component stays */
	ck_assert_int_eq(w.s64.lo, 0);
	/* widening again with a value inside is stable */
	struct vf_scalar w2 = vf_scalar_widen(&w, &i1);
	ck_assert(vf_scalar_eq(&w2, &w));
	/* narrowing with the loop guard i < 10 recovers [0, 10] */
	struct vf_scalar guard = vf_scalar_urange(0, 10);
	struct vf_scalar n = vf_scalar_narrow(&w, &guard);
	ck_assert_uint_eq(n.u64.hi, 10);
	/* leq */
	ck_assert(vf_scalar_leq(&a, &j));
	ck_assert(!vf_scalar_leq(&j, &a));
	struct vf_scalar bot = vf_scalar_bottom();
	ck_assert(vf_scalar_leq(&bot, &a));
	struct vf_scalar jb = vf_scalar_join(&bot, &a);
	ck_assert(vf_scalar_eq(&jb, &a));
	struct vf_scalar m = vf_scalar_meet(&a, &b);
	ck_assert(vf_scalar_is_bottom(&m));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scalar");
	TCase *tc = tcase_create("scalar");
	tcase_add_test(tc, reduction_keeps_members);
	tcase_add_loop_test(tc, alu_sound, 0, NOPS);
	tcase_add_loop_test(tc, constants_fold_exactly, 0, NOPS);
	tcase_add_test(tc, lattice_sound);
	tcase_add_test(tc, loads_and_casts_sound);
	tcase_add_test(tc, precision);
	tcase_add_test(tc, reduction_precision);
	tcase_add_test(tc, join_widen_narrow);
	tcase_add_test(tc, loop_fixpoint);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
