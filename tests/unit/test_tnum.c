/* The known-bits domain: soundness of every operation by sampling members of random tnums
 * against the concrete operation, and exactness on the cases the verifier relies on. */
#include <check.h>
#include <stdlib.h>

#include "domtest.h"
#include "verifier/tnum.h"
#include "testutil.h"

#define SAMPLES 40000

enum top { T_ADD, T_SUB, T_MUL, T_AND, T_OR, T_XOR, T_NEG, T_LSH, T_RSH, T_ARSH, T_UDIV, T_UMOD, T_COUNT };

static struct vf_tnum apply(enum top op, struct vf_tnum a, struct vf_tnum b, unsigned k)
{
	switch (op) {
	case T_ADD: return vf_tnum_add(a, b);
	case T_SUB: return vf_tnum_sub(a, b);
	case T_MUL: return vf_tnum_mul(a, b);
	case T_AND: return vf_tnum_and(a, b);
	case T_OR: return vf_tnum_or(a, b);
	case T_XOR: return vf_tnum_xor(a, b);
	case T_NEG: return vf_tnum_neg(a);
	case T_LSH: return vf_tnum_lsh(a, k);
	case T_RSH: return vf_tnum_rsh(a, k);
	case T_ARSH: return vf_tnum_arsh(a, k);
	case T_UDIV: return vf_tnum_udiv(a, b);
	default: return vf_tnum_umod(a, b);
	}
}

static uint64_t conc(enum top op, uint64_t x, uint64_t y, unsigned k)
{
	switch (op) {
	case T_ADD: return x + y;
	case T_SUB: return x - y;
	case T_MUL: return x * y;
	case T_AND: return x & y;
	case T_OR: return x | y;
	case T_XOR: return x ^ y;
	case T_NEG: return 0 - x;
	case T_LSH: return x << k;
	case T_RSH: return x >> k;
	case T_ARSH: return (uint64_t)((int64_t)x >> k);
	case T_UDIV: return y ? x / y : 0;
	default: return y ? x % y : x;
	}
}

START_TEST(ops_sound)
{
	enum top op = (enum top)_i;
	uint64_t st = dt_seed(0x7a11 + (uint64_t)_i);
	for (int n = 0; n < SAMPLES / 4; n++) {
		struct vf_tnum a = dt_tnum_around(&st, dt_value(&st)), b = dt_tnum_around(&st, dt_value(&st));
		unsigned k = (unsigned)(dt_rand(&st) % 64);
		struct vf_tnum r = apply(op, a, b, k);
		ck_assert_uint_eq(r.value & r.mask, 0);
		for (int m = 0; m < 4; m++) {
			uint64_t x = dt_tnum_member(&st, a), y = dt_tnum_member(&st, b);
			uint64_t c = conc(op, x, y, k);
			if (!vf_tnum_contains(r, c))
				ck_abort_msg("op %d: a=(%#llx,%#llx) b=(%#llx,%#llx) x=%#llx y=%#llx k=%u -> "
				             "%#llx not in "
				             "(%#llx,%#llx)",
				             op, (unsigned long long)a.value, (unsigned long long)a.mask,
				             (unsigned long long)b.value, (unsigned long long)b.mask,
				             (unsigned long long)x, (unsigned long long)y, k,
				             (unsigned long long)c, (unsigned long long)r.value,
				             (unsigned long long)r.mask);
		}
	}
}
END_TEST

START_TEST(width_and_lattice_sound)
{
	uint64_t st = dt_seed(0xbeef);
	static const unsigned bytes[] = {1, 2, 4, 8}, bits[] = {8, 16, 32, 64}, swaps[] = {16, 32, 64};
	for (int n = 0; n < SAMPLES; n++) {
		struct vf_tnum a = dt_tnum_around(&st, dt_value(&st)), b = dt_tnum_around(&st, dt_value(&st));
		uint64_t x = dt_tnum_member(&st, a), y = dt_tnum_member(&st, b);
		unsigned by = bytes[n % 4], bi = bits[(n / 4) % 4], sw = swaps[n % 3];
		ck_assert(vf_tnum_contains(vf_tnum_cast(a, by), by == 8 ? x : x & ((1ULL << (8 * by)) - 1)));
		ck_assert(vf_tnum_contains(vf_tnum_sext(a, bi), dt_sext(x, bi)));
		ck_assert(vf_tnum_contains(vf_tnum_bswap(vf_tnum_cast(a, sw / 8), sw), dt_bswap(x, sw)));
		ck_assert(vf_tnum_contains(vf_tnum_subreg(a), (uint32_t)x));
		ck_assert(vf_tnum_contains(vf_tnum_with_subreg(a, vf_tnum_subreg(b)),
		                           (x & ~0xffffffffULL) | (uint32_t)y));
		struct vf_tnum j = vf_tnum_join(a, b);
		ck_assert(vf_tnum_contains(j, x) && vf_tnum_contains(j, y));
		ck_assert(vf_tnum_leq(a, j) && vf_tnum_leq(b, j));
		bool empty;
		struct vf_tnum ab = vf_tnum_meet(a, b, &empty);
		if (vf_tnum_contains(b, x)) {
			ck_assert(!empty);
			ck_assert(vf_tnum_contains(ab, x));
		}
		if (!empty)
			ck_assert(vf_tnum_leq(ab, a) && vf_tnum_leq(ab, b));
		ck_assert(vf_tnum_umin(a) <= x && x <= vf_tnum_umax(a));
		ck_assert(vf_tnum_smin(a) <= (int64_t)x && (int64_t)x <= vf_tnum_smax(a));
		/* ranges */
		uint64_t lo = x < y ? x : y, hi = x < y ? y : x, mid = lo + (hi - lo) / 2;
		struct vf_tnum r = vf_tnum_range(lo, hi);
		ck_assert(vf_tnum_contains(r, lo) && vf_tnum_contains(r, hi) && vf_tnum_contains(r, mid));
	}
}
END_TEST

/* next_ge / prev_le against brute force on tnums whose unknown bits are few (enumerable). */
START_TEST(nearest_members)
{
	uint64_t st = dt_seed(0x4e47);
	for (int n = 0; n < 10000; n++) {
		uint64_t m = 0;
		for (int k = 0, bits = 1 + (int)(dt_rand(&st) % 8); k < bits; k++)
			m |= 1ULL << (dt_rand(&st) % 64);
		if (n % 5 == 0)
			m = 0;
		struct vf_tnum t = {dt_value(&st) & ~m, m};
		uint64_t bound = n % 3 ? dt_tnum_member(&st, t) + (uint64_t)((int64_t)(dt_rand(&st) % 7) - 3)
		                       : dt_value(&st);
		bool have_ge = false, have_le = false;
		uint64_t best_ge = 0, best_le = 0;
		/* enumerate every member: each subset of the unknown bits */
		uint64_t sub = 0;
		do {
			uint64_t x = t.value | sub;
			if (x >= bound && (!have_ge || x < best_ge))
				best_ge = x, have_ge = true;
			if (x <= bound && (!have_le || x > best_le))
				best_le = x, have_le = true;
			sub = (sub - m) & m;
		} while (sub);
		uint64_t r;
		ck_assert_int_eq(vf_tnum_next_ge(t, bound, &r), have_ge);
		if (have_ge)
			ck_assert_uint_eq(r, best_ge);
		ck_assert_int_eq(vf_tnum_prev_le(t, bound, &r), have_le);
		if (have_le)
			ck_assert_uint_eq(r, best_le);
	}
}
END_TEST

START_TEST(constants_fold_exactly)
{
	uint64_t st = dt_seed(99);
	for (int n = 0; n < SAMPLES / 4; n++) {
		uint64_t x = dt_value(&st), y = dt_value(&st);
		unsigned k = (unsigned)(dt_rand(&st) % 64);
		for (int op = 0; op < T_COUNT; op++) {
			struct vf_tnum r = apply((enum top)op, vf_tnum_const(x), vf_tnum_const(y), k);
			ck_assert(vf_tnum_is_const(r));
			ck_assert_uint_eq(r.value, conc((enum top)op, x, y, k));
		}
	}
}
END_TEST

START_TEST(precision)
{
	struct vf_tnum u = vf_tnum_unknown();
	struct vf_tnum byte = vf_tnum_and(u, vf_tnum_const(0xff));
	ck_assert_uint_eq(byte.value, 0);
	ck_assert_uint_eq(byte.mask, 0xff);
	struct vf_tnum sh = vf_tnum_lsh(byte, 2);
	ck_assert_uint_eq(sh.mask, 0x3fc); /* low 2 bits known 0 */
	/* range -> tnum */
	struct vf_tnum r = vf_tnum_range(0, 255);
	ck_assert_uint_eq(r.value, 0);
	ck_assert_uint_eq(r.mask, 0xff);
	r = vf_tnum_range(0x1000, 0x10ff);
	ck_assert_uint_eq(r.value, 0x1000);
	ck_assert_uint_eq(r.mask, 0xff);
	ck_assert(vf_tnum_is_unknown(vf_tnum_range(0, UINT64_MAX)));
	ck_assert(vf_tnum_is_const(vf_tnum_range(7, 7)));
	/* x*4 with x in [0,3]: low 2 bits known 0 */
	struct vf_tnum m = vf_tnum_mul(vf_tnum_range(0, 3), vf_tnum_const(4));
	ck_assert_uint_eq(m.value, 0);
	ck_assert_uint_eq(m.mask, 0xc);
	/* adding known-aligned values keeps alignment */
	struct vf_tnum al = vf_tnum_add(vf_tnum_lsh(byte, 3), vf_tnum_const(8));
	ck_assert_uint_eq(al.value & 7, 0);
	ck_assert_uint_eq(al.mask & 7, 0);
	/* sign extension of an unknown sign bit makes the upper bits unknown, of a known one known */
	struct vf_tnum s = vf_tnum_sext(vf_tnum_const(0x80), 8);
	ck_assert_uint_eq(s.value, 0xffffffffffffff80ULL);
	ck_assert_uint_eq(s.mask, 0);
	s = vf_tnum_sext(byte, 8);
	ck_assert_uint_eq(s.mask, 0xffffffffffffffffULL);
	s = vf_tnum_sext((struct vf_tnum){0, 0x7f}, 8);
	ck_assert_uint_eq(s.mask, 0x7f);
	/* arithmetic shift of an unknown sign */
	s = vf_tnum_arsh((struct vf_tnum){0, 1ULL << 63}, 60);
	ck_assert_uint_eq(s.mask, 0xfffffffffffffff8ULL);
	/* join/meet */
	struct vf_tnum j = vf_tnum_join(vf_tnum_const(4), vf_tnum_const(6));
	ck_assert_uint_eq(j.value, 4);
	ck_assert_uint_eq(j.mask, 2);
	bool empty;
	vf_tnum_meet(vf_tnum_const(4), vf_tnum_const(6), &empty);
	ck_assert(empty);
	struct vf_tnum mt = vf_tnum_meet(j, (struct vf_tnum){2, ~2ULL}, &empty);
	ck_assert(!empty);
	ck_assert(vf_tnum_is_const(mt));
	ck_assert_uint_eq(mt.value, 6);
	ck_assert(vf_tnum_leq(vf_tnum_const(4), j));
	ck_assert(!vf_tnum_leq(j, vf_tnum_const(4)));
	/* bswap is exact on known bytes */
	s = vf_tnum_bswap((struct vf_tnum){0x1200, 0x00ff}, 16);
	ck_assert_uint_eq(s.value, 0x12);
	ck_assert_uint_eq(s.mask, 0xff00);
	char buf[64];
	ck_assert_str_eq(vf_tnum_str(byte, buf, sizeof(buf)), "(0x0; 0xff)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tnum");
	TCase *tc = tcase_create("tnum");
	tcase_add_loop_test(tc, ops_sound, 0, T_COUNT);
	tcase_add_test(tc, width_and_lattice_sound);
	tcase_add_test(tc, nearest_members);
	tcase_add_test(tc, constants_fold_exactly);
	tcase_add_test(tc, precision);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
