/* The zone (DBM) domain: random sequences of operations applied both to a zone and to a set
 * of concrete assignments; every concrete assignment must satisfy the zone's constraints, the
 * incremental closure must equal a full closure, and the packet-bounds and loop-counter
 * patterns the verifier needs must be proved. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "domtest.h"
#include "verifier/zone.h"
#include "testutil.h"

#define K 6  /* variables 1..K, 0 is ZERO */
#define S 96 /* concrete assignments tracked */
#define RUNS 400
#define STEPS 60

struct cset {
	int n;
	int64_t v[2 * S][K + 1]; /* v[i][0] == 0 */
};

static int64_t rnd(uint64_t *st, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(dt_rand(st) % (uint64_t)(hi - lo + 1));
}

static void cset_random(uint64_t *st, struct cset *c)
{
	c->n = S;
	for (int i = 0; i < S; i++) {
		c->v[i][0] = 0;
		for (int k = 1; k <= K; k++)
			c->v[i][k] = rnd(st, -100, 100);
	}
}

static void cset_filter(struct cset *c, int x, int y, int64_t bound)
{
	int w = 0;
	for (int i = 0; i < c->n; i++)
		if (c->v[i][x] - c->v[i][y] <= bound)
			memcpy(c->v[w++], c->v[i], sizeof(c->v[i]));
	c->n = w;
}

static bool satisfies(const struct vf_zone *z, const int64_t *v)
{
	if (z->bottom)
		return false;
	for (uint32_t i = 0; i < z->n; i++)
		for (uint32_t j = 0; j < z->n; j++) {
			int64_t m = z->m[(size_t)i * z->cap + j];
			if (m != VF_ZONE_INF && v[z->ids[i]] - v[z->ids[j]] > m)
				return false;
		}
	return true;
}

static void check_all(const struct vf_zone *z, const struct cset *c, const char *what)
{
	for (int i = 0; i < c->n; i++)
		if (!satisfies(z, c->v[i]))
			ck_abort_msg("%s: concrete assignment %d violates the zone", what, i);
}

/* The matrix kept by the incremental operations is closed: a full closure changes nothing. */
static void check_closed(const struct vf_zone *z)
{
	struct vf_zone c;
	ck_assert_int_eq(vf_zone_init(&c), 0);
	ck_assert_int_eq(vf_zone_copy(&c, z), 0);
	vf_zone_close(&c);
	ck_assert_int_eq(c.bottom, z->bottom);
	for (uint32_t i = 0; i < z->n && !z->bottom; i++)
		for (uint32_t j = 0; j < z->n; j++)
			ck_assert_int_eq(c.m[(size_t)i * c.cap + j], z->m[(size_t)i * z->cap + j]);
	vf_zone_free(&c);
}

/* A second zone with a few random constraints, and concrete assignments satisfying it. */
static void random_other(uint64_t *st, struct vf_zone *z2, struct cset *c2)
{
	vf_zone_free(z2);
	ck_assert_int_eq(vf_zone_init(z2), 0);
	cset_random(st, c2);
	for (int k = 0; k < 3; k++) {
		int x = (int)rnd(st, 0, K), y = (int)rnd(st, 0, K);
		int64_t b = rnd(st, 0, 120);
		ck_assert_int_eq(vf_zone_add_constraint(z2, (uint32_t)x, (uint32_t)y, b), 0);
		cset_filter(c2, x, y, b);
	}
}

static void cset_union(uint64_t *st, struct cset *c, const struct cset *c2)
{
	for (int i = 0; i < c2->n && c->n < 2 * S; i++)
		memcpy(c->v[c->n++], c2->v[i], sizeof(c2->v[i]));
	while (c->n > S) { /* drop random members */
		int64_t victim = rnd(st, 0, c->n - 1);
		c->n--;
		memcpy(c->v[victim], c->v[c->n], sizeof(c->v[0]));
	}
}

START_TEST(operations_sound)
{
	uint64_t st = dt_seed(0x20e5);
	static struct cset c, c2;
	struct vf_zone z, z2, out;
	ck_assert_int_eq(vf_zone_init(&z), 0);
	ck_assert_int_eq(vf_zone_init(&z2), 0);
	ck_assert_int_eq(vf_zone_init(&out), 0);
	long checks = 0;
	for (int run = 0; run < RUNS; run++) {
		vf_zone_free(&z);
		ck_assert_int_eq(vf_zone_init(&z), 0);
		cset_random(&st, &c);
		for (int step = 0; step < STEPS && c.n > 0; step++) {
			uint32_t x = (uint32_t)rnd(&st, 1, K), y = (uint32_t)rnd(&st, 0, K);
			int64_t k = rnd(&st, -30, 30);
			const char *what = "?";
			switch (dt_rand(&st) % 9) {
			case 0:
			case 1:
				what = "add_constraint";
				if (dt_rand(&st) % 3 == 0) /* sometimes constrain the zero variable's side */
					x = 0, y = (uint32_t)rnd(&st, 1, K);
				k = rnd(&st, -20, 150);
				ck_assert_int_eq(vf_zone_add_constraint(&z, x, y, k), 0);
				cset_filter(&c, (int)x, (int)y, k);
				break;
			case 2:
				what = "assign";
				if (dt_rand(&st) % 4 == 0)
					y = x;
				ck_assert_int_eq(vf_zone_assign(&z, x, y, k), 0);
				for (int i = 0; i < c.n; i++)
					c.v[i][x] = c.v[i][y] + k;
				break;
			case 3: {
				what = "assign_interval";
				int64_t lo = rnd(&st, -100, 100), hi = lo + rnd(&st, 0, 50);
				ck_assert_int_eq(vf_zone_assign_interval(&z, x, lo, hi), 0);
				for (int i = 0; i < c.n; i++)
					c.v[i][x] = rnd(&st, lo, hi);
				break;
			}
			case 4:
				what = "forget";
				vf_zone_forget(&z, x);
				for (int i = 0; i < c.n; i++)
					c.v[i][x] = rnd(&st, -1000, 1000);
				break;
			case 5:
				what = "join";
				random_other(&st, &z2, &c2);
				ck_assert_int_eq(vf_zone_join(&out, &z, &z2), 0);
				check_all(&out, &c2, "join (other side)");
				ck_assert(vf_zone_leq(&z, &out) && vf_zone_leq(&z2, &out));
				ck_assert_int_eq(vf_zone_copy(&z, &out), 0);
				cset_union(&st, &c, &c2);
				break;
			case 6:
				what = "widen";
				random_other(&st, &z2, &c2);
				ck_assert_int_eq(vf_zone_join(&out, &z, &z2), 0);
				ck_assert_int_eq(vf_zone_widen(&z2, &z, &out), 0);
				ck_assert(vf_zone_leq(&z, &z2) && vf_zone_leq(&out, &z2));
				check_all(&z2, &c2, "widen (other side)");
				ck_assert_int_eq(vf_zone_copy(&z, &z2), 0);
				vf_zone_close(&z); /* as the engine would before using it */
				cset_union(&st, &c, &c2);
				break;
			case 7: {
				what = "meet";
				random_other(&st, &z2, &c2);
				ck_assert_int_eq(vf_zone_meet(&out, &z, &z2), 0);
				int w = 0;
				for (int i = 0; i < c.n; i++)
					if (satisfies(&z2, c.v[i]))
						memcpy(c.v[w++], c.v[i], sizeof(c.v[i]));
				c.n = w;
				ck_assert_int_eq(vf_zone_copy(&z, &out), 0);
				break;
			}
			default: {
				what = "leq";
				random_other(&st, &z2, &c2);
				if (vf_zone_leq(&z, &z2))
					check_all(&z2, &c, "leq");
				if (vf_zone_leq(&z2, &z))
					check_all(&z, &c2, "leq");
				/* upper() agrees with the members */
				int64_t u = vf_zone_upper(&z, x, y);
				for (int i = 0; i < c.n; i++)
					ck_assert(u == VF_ZONE_INF || c.v[i][x] - c.v[i][y] <= u);
				break;
			}
			}
			if (c.n > 0)
				ck_assert_msg(!vf_zone_is_bottom(&z), "%s: bottom with %d members", what,
				              c.n);
			check_all(&z, &c, what);
			check_closed(&z);
			checks += c.n;
		}
	}
	ck_assert_int_gt(checks, 100000);
	vf_zone_free(&z);
	vf_zone_free(&z2);
	vf_zone_free(&out);
}
END_TEST

enum { R2 = 2, R3 = 3, R4 = 4, R5 = 5, I = 6, N = 7 };

START_TEST(packet_bounds)
{
	struct vf_zone z;
	ck_assert_int_eq(vf_zone_init(&z), 0);
	/* r4 = r2 (data); r4 += 14; if r4 > r3 (data_end) goto out;  -- fall-through: */
	ck_assert_int_eq(vf_zone_assign(&z, R4, R2, 0), 0);
	ck_assert_int_eq(vf_zone_assign(&z, R4, R4, 14), 0);
	ck_assert_int_eq(vf_zone_upper(&z, R4, R2), 14);
	ck_assert_int_eq(vf_zone_upper(&z, R2, R3), VF_ZONE_INF);
	ck_assert_int_eq(vf_zone_assume(&z, vf_cmp_negate(VF_CMP_UGT), R4, R3, 0), 0);
	/* data + 14 <= data_end */
	ck_assert_int_eq(vf_zone_upper(&z, R2, R3), -14);
	/* a copy keeps it, and survives the original being overwritten */
	ck_assert_int_eq(vf_zone_assign(&z, R5, R4, 0), 0);
	ck_assert_int_eq(vf_zone_upper(&z, R5, R3), 0);
	vf_zone_forget(&z, R4);
	ck_assert(!vf_zone_has(&z, R4));
	ck_assert_int_eq(vf_zone_upper(&z, R5, R3), 0);
	ck_assert_int_eq(vf_zone_upper(&z, R2, R3), -14);
	/* data += 4: now data + 10 <= data_end */
	ck_assert_int_eq(vf_zone_assign(&z, R2, R2, 4), 0);
	ck_assert_int_eq(vf_zone_upper(&z, R2, R3), -10);
	/* an access of 8 bytes at r5 - 8 is in bounds: (r5 - 8) + 8 <= r3 */
	ck_assert_int_le(vf_zone_upper(&z, R5, R3), 0);
	/* the other side of the check contradicts it: r4 > r3 is r3 - r4 <= -1 */
	struct vf_zone t;
	ck_assert_int_eq(vf_zone_init(&t), 0);
	ck_assert_int_eq(vf_zone_copy(&t, &z), 0);
	ck_assert_int_eq(vf_zone_add_constraint(&t, R3, R5, -1), 0);
	ck_assert(vf_zone_is_bottom(&t));
	ck_assert_int_eq(vf_zone_upper(&t, R2, R3), INT64_MIN);
	vf_zone_free(&t);
	vf_zone_free(&z);
}
END_TEST

START_TEST(loop_counter)
{
	/* i = 0; n in [0, 100]; while (i < n) i++;  */
	struct vf_zone entry, head, body, next, w;
	ck_assert_int_eq(vf_zone_init(&entry), 0);
	ck_assert_int_eq(vf_zone_init(&head), 0);
	ck_assert_int_eq(vf_zone_init(&body), 0);
	ck_assert_int_eq(vf_zone_init(&next), 0);
	ck_assert_int_eq(vf_zone_init(&w), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&entry, I, 0, 0), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&entry, N, 0, 100), 0);
	ck_assert_int_le(vf_zone_upper(&entry, I, N), 0);
	ck_assert_int_eq(vf_zone_copy(&head, &entry), 0);
	int iterations = 0;
	for (;;) {
		iterations++;
		ck_assert_int_lt(iterations, 10);
		ck_assert_int_eq(vf_zone_copy(&body, &head), 0);
		ck_assert_int_eq(vf_zone_add_constraint(&body, I, N, -1), 0); /* i < n */
		ck_assert_int_eq(vf_zone_assign(&body, I, I, 1), 0);          /* i++ */
		ck_assert_int_eq(vf_zone_join(&next, &entry, &body), 0);
		if (vf_zone_leq(&next, &head))
			break;
		ck_assert_int_eq(vf_zone_widen(&w, &head, &next), 0);
		ck_assert_int_eq(vf_zone_copy(&head, &w), 0);
	}
	/* the relation i <= n is stable; the constant bound on i was widened away */
	ck_assert_int_eq(vf_zone_upper(&head, I, N), 0);
	ck_assert_int_eq(vf_zone_upper(&head, I, VF_ZONE_ZERO), VF_ZONE_INF);
	ck_assert_int_eq(vf_zone_upper(&head, VF_ZONE_ZERO, I), 0); /* i >= 0 */
	/* closing recovers i <= 100 through n */
	vf_zone_close(&head);
	ck_assert_int_eq(vf_zone_upper(&head, I, VF_ZONE_ZERO), 100);
	/* on exit (i >= n): i == n */
	ck_assert_int_eq(vf_zone_add_constraint(&head, N, I, 0), 0);
	ck_assert_int_eq(vf_zone_upper(&head, N, I), 0);
	ck_assert_int_eq(vf_zone_upper(&head, I, N), 0);
	vf_zone_free(&entry);
	vf_zone_free(&head);
	vf_zone_free(&body);
	vf_zone_free(&next);
	vf_zone_free(&w);
}
END_TEST

START_TEST(narrowing_recovers_bound)
{
	/* i = 0; while (i < 10) i++;  widening loses i <= 10, narrowing gets it back */
	struct vf_zone entry, head, body, next, n;
	ck_assert_int_eq(vf_zone_init(&entry), 0);
	ck_assert_int_eq(vf_zone_init(&head), 0);
	ck_assert_int_eq(vf_zone_init(&body), 0);
	ck_assert_int_eq(vf_zone_init(&next), 0);
	ck_assert_int_eq(vf_zone_init(&n), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&entry, I, 0, 0), 0);
	ck_assert_int_eq(vf_zone_copy(&body, &entry), 0);
	ck_assert_int_eq(vf_zone_assign(&body, I, I, 1), 0);
	ck_assert_int_eq(vf_zone_join(&next, &entry, &body), 0);
	ck_assert_int_eq(vf_zone_widen(&head, &entry, &next), 0);
	ck_assert_int_eq(vf_zone_upper(&head, I, VF_ZONE_ZERO), VF_ZONE_INF);
	/* one descending step */
	ck_assert_int_eq(vf_zone_copy(&body, &head), 0);
	ck_assert_int_eq(vf_zone_add_constraint(&body, I, VF_ZONE_ZERO, 9), 0);
	ck_assert_int_eq(vf_zone_assign(&body, I, I, 1), 0);
	ck_assert_int_eq(vf_zone_join(&next, &entry, &body), 0);
	ck_assert_int_eq(vf_zone_narrow(&n, &head, &next), 0);
	ck_assert_int_eq(vf_zone_upper(&n, I, VF_ZONE_ZERO), 10);
	ck_assert_int_eq(vf_zone_upper(&n, VF_ZONE_ZERO, I), 0);
	vf_zone_free(&entry);
	vf_zone_free(&head);
	vf_zone_free(&body);
	vf_zone_free(&next);
	vf_zone_free(&n);
}
END_TEST

START_TEST(widening_with_thresholds)
{
	/* i = s; n = s + 10; do i++ while (i < n): i - n grows -10, -9, ... towards -1. Plain
	 * widening drops the bound; with thresholds it stops at -1, which the loop keeps. */
	static const uint64_t thr[] = {16, 255, 4096};
	struct vf_zone entry, head, body, next, w;
	ck_assert_int_eq(vf_zone_init(&entry), 0);
	ck_assert_int_eq(vf_zone_init(&head), 0);
	ck_assert_int_eq(vf_zone_init(&body), 0);
	ck_assert_int_eq(vf_zone_init(&next), 0);
	ck_assert_int_eq(vf_zone_init(&w), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&entry, N, 10, 1000), 0);
	ck_assert_int_eq(vf_zone_assign(&entry, I, N, -10), 0);
	ck_assert_int_eq(vf_zone_copy(&head, &entry), 0);
	int iterations = 0;
	for (;;) {
		iterations++;
		ck_assert_int_lt(iterations, 10);
		ck_assert_int_eq(vf_zone_copy(&body, &head), 0);
		ck_assert_int_eq(vf_zone_assign(&body, I, I, 1), 0);          /* i++ */
		ck_assert_int_eq(vf_zone_add_constraint(&body, I, N, -1), 0); /* i < n: back */
		ck_assert_int_eq(vf_zone_join(&next, &head, &body), 0);
		if (vf_zone_leq(&next, &head))
			break;
		ck_assert_int_eq(vf_zone_widen_thr(&w, &head, &next, thr, 3), 0);
		ck_assert(w.open); /* widened: not known closed */
		ck_assert_int_eq(vf_zone_copy(&head, &w), 0);
		ck_assert(head.open);
	}
	ck_assert_int_eq(vf_zone_upper(&head, I, N), -1);
	ck_assert_int_le(vf_zone_upper(&head, N, I), 10); /* the distance never grew */
	/* i's own upper bound grew to n's 1000 - 1: thresholds 4096, then none */
	vf_zone_ensure_closed(&head);
	ck_assert(!head.open);
	ck_assert_int_le(vf_zone_upper(&head, I, VF_ZONE_ZERO), 999);
	/* a bound growing past every threshold is dropped; one below stops at the next */
	struct vf_zone a, b;
	ck_assert_int_eq(vf_zone_init(&a), 0);
	ck_assert_int_eq(vf_zone_init(&b), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&a, I, 0, 5), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&b, I, 0, 17), 0);
	ck_assert_int_eq(vf_zone_widen_thr(&w, &a, &b, thr, 3), 0);
	ck_assert_int_eq(vf_zone_upper(&w, I, VF_ZONE_ZERO), 255);
	ck_assert_int_eq(vf_zone_assign_interval(&b, I, 0, 5000), 0);
	ck_assert_int_eq(vf_zone_widen_thr(&w, &a, &b, thr, 3), 0);
	ck_assert_int_eq(vf_zone_upper(&w, I, VF_ZONE_ZERO), VF_ZONE_INF);
	ck_assert_int_eq(vf_zone_upper(&w, VF_ZONE_ZERO, I), 0);
	/* plain widening drops what grew */
	ck_assert_int_eq(vf_zone_assign_interval(&b, I, 0, 6), 0);
	ck_assert_int_eq(vf_zone_widen(&w, &a, &b), 0);
	ck_assert_int_eq(vf_zone_upper(&w, I, VF_ZONE_ZERO), VF_ZONE_INF);
	vf_zone_free(&a);
	vf_zone_free(&b);
	vf_zone_free(&entry);
	vf_zone_free(&head);
	vf_zone_free(&body);
	vf_zone_free(&next);
	vf_zone_free(&w);
}
END_TEST

START_TEST(lattice)
{
	struct vf_zone a, b, o;
	ck_assert_int_eq(vf_zone_init(&a), 0);
	ck_assert_int_eq(vf_zone_init(&b), 0);
	ck_assert_int_eq(vf_zone_init(&o), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&a, 1, 0, 5), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&a, 2, 0, 0), 0); /* only in a */
	ck_assert_int_eq(vf_zone_assign_interval(&b, 1, 2, 7), 0);
	ck_assert_int_eq(vf_zone_join(&o, &a, &b), 0);
	ck_assert_int_eq(vf_zone_upper(&o, 1, VF_ZONE_ZERO), 7);
	ck_assert_int_eq(vf_zone_upper(&o, VF_ZONE_ZERO, 1), 0);
	ck_assert(!vf_zone_has(&o, 2));
	ck_assert(vf_zone_leq(&a, &o) && vf_zone_leq(&b, &o));
	ck_assert(!vf_zone_leq(&o, &a));
	/* widening keeps the stable lower bound, drops the grown upper bound */
	ck_assert_int_eq(vf_zone_widen(&o, &a, &b), 0);
	ck_assert_int_eq(vf_zone_upper(&o, 1, VF_ZONE_ZERO), VF_ZONE_INF);
	ck_assert_int_eq(vf_zone_upper(&o, VF_ZONE_ZERO, 1), 0);
	/* meet: [0,5] and [2,7] is [2,5]; with [6,9] nothing */
	ck_assert_int_eq(vf_zone_meet(&o, &a, &b), 0);
	ck_assert_int_eq(vf_zone_upper(&o, 1, VF_ZONE_ZERO), 5);
	ck_assert_int_eq(vf_zone_upper(&o, VF_ZONE_ZERO, 1), -2);
	ck_assert_int_eq(vf_zone_upper(&o, 2, VF_ZONE_ZERO), 0);
	ck_assert_int_eq(vf_zone_assign_interval(&b, 1, 6, 9), 0);
	ck_assert_int_eq(vf_zone_meet(&o, &a, &b), 0);
	ck_assert(vf_zone_is_bottom(&o));
	ck_assert(vf_zone_leq(&o, &a));
	ck_assert(!vf_zone_leq(&a, &o));
	/* join with bottom is the other side */
	ck_assert_int_eq(vf_zone_join(&b, &o, &a), 0);
	ck_assert_int_eq(vf_zone_upper(&b, 1, VF_ZONE_ZERO), 5);
	/* x - x <= -1 is a contradiction; an empty interval too */
	ck_assert_int_eq(vf_zone_add_constraint(&a, 1, 1, -1), 0);
	ck_assert(vf_zone_is_bottom(&a));
	ck_assert_int_eq(vf_zone_assign_interval(&b, 3, 5, 4), 0);
	ck_assert(vf_zone_is_bottom(&b));
	vf_zone_free(&a);
	vf_zone_free(&b);
	vf_zone_free(&o);
}
END_TEST

static bool holds(enum vf_cmp op, int64_t x, int64_t y, int64_t c)
{
	switch (op) {
	case VF_CMP_EQ: return x == y + c;
	case VF_CMP_NE: return x != y + c;
	case VF_CMP_ULT:
	case VF_CMP_SLT: return x < y + c;
	case VF_CMP_ULE:
	case VF_CMP_SLE: return x <= y + c;
	case VF_CMP_UGT:
	case VF_CMP_SGT: return x > y + c;
	case VF_CMP_UGE:
	case VF_CMP_SGE: return x >= y + c;
	default: return true;
	}
}

/* Pairs that satisfy a relation satisfy the zone it produces, and the relation is implied. */
START_TEST(assume_sound)
{
	uint64_t st = dt_seed(0xa55);
	for (int n = 0; n < 20000; n++) {
		enum vf_cmp op = (enum vf_cmp)(n % 12);
		struct vf_zone z;
		ck_assert_int_eq(vf_zone_init(&z), 0);
		int64_t lo = rnd(&st, -50, 50), c = rnd(&st, -20, 20);
		ck_assert_int_eq(vf_zone_assign_interval(&z, 1, lo, lo + rnd(&st, 0, 40)), 0);
		ck_assert_int_eq(vf_zone_assume(&z, op, 2, 1, c), 0);
		for (int k = 0; k < 8; k++) {
			int64_t v[3] = {0, rnd(&st, lo, lo + 40), rnd(&st, -120, 120)};
			if (vf_zone_upper(&z, 1, VF_ZONE_ZERO) < v[1])
				continue;
			if (holds(op, v[2], v[1], c))
				ck_assert(satisfies(&z, v));
		}
		/* what the zone says about x - y matches the relation */
		int64_t up = vf_zone_upper(&z, 2, 1), down = vf_zone_upper(&z, 1, 2);
		if (op == VF_CMP_EQ)
			ck_assert(up == c && down == -c);
		if (op == VF_CMP_SLT || op == VF_CMP_ULT)
			ck_assert_int_eq(up, c - 1);
		if (op == VF_CMP_SGE || op == VF_CMP_UGE)
			ck_assert_int_eq(down, -c);
		vf_zone_free(&z);
	}
}
END_TEST

START_TEST(many_variables_and_saturation)
{
	struct vf_zone z;
	ck_assert_int_eq(vf_zone_init(&z), 0);
	/* a chain x1 <= x2 - 1 <= x3 - 2 ... over 40 variables: growth and transitive closure */
	for (uint32_t i = 1; i < 40; i++)
		ck_assert_int_eq(vf_zone_add_constraint(&z, i, i + 1, -1), 0);
	ck_assert_int_eq(z.n, 41);
	ck_assert_int_eq(vf_zone_upper(&z, 1, 40), -39);
	ck_assert_int_eq(vf_zone_upper(&z, 40, 1), VF_ZONE_INF);
	vf_zone_forget(&z, 20);
	ck_assert_int_eq(vf_zone_upper(&z, 1, 40), -39); /* already closed: the link survives */
	/* extreme constants saturate instead of overflowing */
	ck_assert_int_eq(vf_zone_assign_interval(&z, 100, INT64_MIN, INT64_MAX - 1), 0);
	ck_assert_int_eq(vf_zone_assign(&z, 101, 100, INT64_MAX - 1), 0);
	ck_assert_int_eq(vf_zone_upper(&z, 101, VF_ZONE_ZERO), VF_ZONE_INF);
	ck_assert_int_eq(vf_zone_assign(&z, 101, 101, INT64_MIN), 0);
	ck_assert(!vf_zone_has(&z, 101));
	ck_assert(!vf_zone_is_bottom(&z));
	vf_zone_free(&z);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("zone");
	TCase *tc = tcase_create("zone");
	tcase_add_test(tc, operations_sound);
	tcase_add_test(tc, packet_bounds);
	tcase_add_test(tc, loop_counter);
	tcase_add_test(tc, narrowing_recovers_bound);
	tcase_add_test(tc, widening_with_thresholds);
	tcase_add_test(tc, lattice);
	tcase_add_test(tc, assume_sound);
	tcase_add_test(tc, many_variables_and_saturation);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
