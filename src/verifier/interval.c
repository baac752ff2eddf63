/* Interval domains (unsigned and signed, 32 and 64 bits). Bounds are computed in 128-bit
 * arithmetic so overflow of the width is a comparison, not undefined behaviour. */
#include "verifier/interval.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define UR(l, h) ((struct vf_urange){.lo = (l), .hi = (h)})
#define SR(l, h) ((struct vf_srange){.lo = (l), .hi = (h)})

uint64_t vf_umax_of(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
}

int64_t vf_smin_of(unsigned bits)
{
	return bits >= 64 ? INT64_MIN : -(int64_t)(1ULL << (bits - 1));
}

int64_t vf_smax_of(unsigned bits)
{
	return bits >= 64 ? INT64_MAX : (int64_t)((1ULL << (bits - 1)) - 1);
}

struct vf_urange vf_urange_full(unsigned bits)
{
	return UR(0, vf_umax_of(bits));
}

struct vf_urange vf_urange_const(uint64_t v)
{
	return UR(v, v);
}

struct vf_urange vf_urange_empty(void)
{
	return UR(UINT64_MAX, 0);
}

bool vf_urange_is_empty(struct vf_urange a)
{
	return a.lo > a.hi;
}

bool vf_urange_is_const(struct vf_urange a)
{
	return a.lo == a.hi;
}

bool vf_urange_contains(struct vf_urange a, uint64_t x)
{
	return a.lo <= x && x <= a.hi;
}

struct vf_srange vf_srange_full(unsigned bits)
{
	return SR(vf_smin_of(bits), vf_smax_of(bits));
}

struct vf_srange vf_srange_const(int64_t v)
{
	return SR(v, v);
}

struct vf_srange vf_srange_empty(void)
{
	return SR(INT64_MAX, INT64_MIN);
}

bool vf_srange_is_empty(struct vf_srange a)
{
	return a.lo > a.hi;
}

bool vf_srange_is_const(struct vf_srange a)
{
	return a.lo == a.hi;
}

bool vf_srange_contains(struct vf_srange a, int64_t x)
{
	return a.lo <= x && x <= a.hi;
}

struct vf_urange vf_urange_join(struct vf_urange a, struct vf_urange b)
{
	if (vf_urange_is_empty(a))
		return b;
	if (vf_urange_is_empty(b))
		return a;
	return UR(a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi);
}

struct vf_urange vf_urange_meet(struct vf_urange a, struct vf_urange b)
{
	return UR(a.lo > b.lo ? a.lo : b.lo, a.hi < b.hi ? a.hi : b.hi);
}

struct vf_urange vf_urange_widen(struct vf_urange a, struct vf_urange b, unsigned bits)
{
	if (vf_urange_is_empty(a))
		return b;
	if (vf_urange_is_empty(b))
		return a;
	return UR(b.lo < a.lo ? 0 : a.lo, b.hi > a.hi ? vf_umax_of(bits) : a.hi);
}

struct vf_urange vf_urange_narrow(struct vf_urange a, struct vf_urange b, unsigned bits)
{
	return UR(a.lo == 0 ? b.lo : a.lo, a.hi == vf_umax_of(bits) ? b.hi : a.hi);
}

bool vf_urange_leq(struct vf_urange a, struct vf_urange b)
{
	return vf_urange_is_empty(a) || (b.lo <= a.lo && a.hi <= b.hi);
}

struct vf_srange vf_srange_join(struct vf_srange a, struct vf_srange b)
{
	if (vf_srange_is_empty(a))
		return b;
	if (vf_srange_is_empty(b))
		return a;
	return SR(a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi);
}

struct vf_srange vf_srange_meet(struct vf_srange a, struct vf_srange b)
{
	return SR(a.lo > b.lo ? a.lo : b.lo, a.hi < b.hi ? a.hi : b.hi);
}

struct vf_srange vf_srange_widen(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	if (vf_srange_is_empty(a))
		return b;
	if (vf_srange_is_empty(b))
		return a;
	return SR(b.lo < a.lo ? vf_smin_of(bits) : a.lo, b.hi > a.hi ? vf_smax_of(bits) : a.hi);
}

struct vf_srange vf_srange_narrow(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	return SR(a.lo == vf_smin_of(bits) ? b.lo : a.lo, a.hi == vf_smax_of(bits) ? b.hi : a.hi);
}

bool vf_srange_leq(struct vf_srange a, struct vf_srange b)
{
	return vf_srange_is_empty(a) || (b.lo <= a.lo && a.hi <= b.hi);
}

/* A mathematical result range [lo, hi] brought back into the width: exact if it fits, shifted
 * by 2^bits if it lies wholly past one end, else every value. */
static struct vf_urange u_fit(i128 lo, i128 hi, unsigned bits)
{
	i128 max = (i128)vf_umax_of(bits), span = max + 1;
	if (hi - lo > max)
		return vf_urange_full(bits);
	if (lo >= 0 && hi <= max)
		return UR((uint64_t)lo, (uint64_t)hi);
	if (lo > max && hi <= 2 * max + 1)
		return UR((uint64_t)(lo - span), (uint64_t)(hi - span));
	if (hi < 0 && lo >= -span)
		return UR((uint64_t)(lo + span), (uint64_t)(hi + span));
	return vf_urange_full(bits);
}

static struct vf_srange s_fit(i128 lo, i128 hi, unsigned bits)
{
	i128 min = vf_smin_of(bits), max = vf_smax_of(bits), span = max - min + 1;
	if (hi - lo > max - min)
		return vf_srange_full(bits);
	if (lo >= min && hi <= max)
		return SR((int64_t)lo, (int64_t)hi);
	if (lo > max && hi - span <= max)
		return SR((int64_t)(lo - span), (int64_t)(hi - span));
	if (hi < min && lo + span >= min)
		return SR((int64_t)(lo + span), (int64_t)(hi + span));
	return vf_srange_full(bits);
}

struct vf_urange vf_urange_add(struct vf_urange a, struct vf_urange b, unsigned bits)
{
	return u_fit((i128)a.lo + b.lo, (i128)a.hi + b.hi, bits);
}

struct vf_urange vf_urange_sub(struct vf_urange a, struct vf_urange b, unsigned bits)
{
	return u_fit((i128)a.lo - b.hi, (i128)a.hi - b.lo, bits);
}

struct vf_urange vf_urange_mul(struct vf_urange a, struct vf_urange b, unsigned bits)
{
	u128 hi = (u128)a.hi * b.hi;
	if (hi > vf_umax_of(bits))
		return vf_urange_full(bits);
	return UR(a.lo * b.lo, (uint64_t)hi);
}

struct vf_urange vf_urange_div(struct vf_urange a, struct vf_urange b)
{
	if (b.hi == 0)
		return UR(0, 0);
	uint64_t lo = b.lo == 0 ? 0 : a.lo / b.hi;
	return UR(lo, a.hi / (b.lo ? b.lo : 1));
}

struct vf_urange vf_urange_mod(struct vf_urange a, struct vf_urange b)
{
	if (b.hi == 0 || b.lo > a.hi)
		return a;
	uint64_t hi = (b.lo == 0 || a.hi < b.hi - 1) ? a.hi : b.hi - 1;
	return UR(0, hi);
}

struct vf_urange vf_urange_neg(struct vf_urange a, unsigned bits)
{
	return u_fit(-(i128)a.hi, -(i128)a.lo, bits);
}

struct vf_urange vf_urange_lsh(struct vf_urange a, unsigned k, unsigned bits)
{
	u128 hi = (u128)a.hi << k;
	if (hi > vf_umax_of(bits))
		return vf_urange_full(bits);
	return UR(a.lo << k, (uint64_t)hi);
}

struct vf_urange vf_urange_rsh(struct vf_urange a, unsigned k)
{
	return UR(a.lo >> k, a.hi >> k);
}

struct vf_urange vf_urange_trunc(struct vf_urange a, unsigned bits)
{
	if (bits >= 64)
		return a;
	uint64_t m = vf_umax_of(bits);
	if (a.lo >> bits != a.hi >> bits)
		return UR(0, m);
	return UR(a.lo & m, a.hi & m);
}

struct vf_srange vf_srange_add(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	return s_fit((i128)a.lo + b.lo, (i128)a.hi + b.hi, bits);
}

struct vf_srange vf_srange_sub(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	return s_fit((i128)a.lo - b.hi, (i128)a.hi - b.lo, bits);
}

static i128 min4(i128 a, i128 b, i128 c, i128 d)
{
	i128 m = a < b ? a : b;
	m = m < c ? m : c;
	return m < d ? m : d;
}

static i128 max4(i128 a, i128 b, i128 c, i128 d)
{
	i128 m = a > b ? a : b;
	m = m > c ? m : c;
	return m > d ? m : d;
}

struct vf_srange vf_srange_mul(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	i128 p1 = (i128)a.lo * b.lo, p2 = (i128)a.lo * b.hi, p3 = (i128)a.hi * b.lo, p4 = (i128)a.hi * b.hi;
	i128 lo = min4(p1, p2, p3, p4), hi = max4(p1, p2, p3, p4);
	if (lo < vf_smin_of(bits) || hi > vf_smax_of(bits))
		return vf_srange_full(bits);
	return SR((int64_t)lo, (int64_t)hi);
}

/* Quotients over a divisor range of one sign: truncated division is monotone in each operand
 * there, so the extremes are at the corners. The only quotient that leaves the width is
 * INT_MIN / -1, which wraps; the caller treats it separately. */
static struct vf_srange sdiv_part(struct vf_srange a, i128 blo, i128 bhi)
{
	i128 q1 = a.lo / blo, q2 = a.lo / bhi, q3 = a.hi / blo, q4 = a.hi / bhi;
	return SR((int64_t)min4(q1, q2, q3, q4), (int64_t)max4(q1, q2, q3, q4));
}

struct vf_srange vf_srange_div(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	struct vf_srange r = vf_srange_empty();
	if (b.lo <= 0 && b.hi >= 0)
		r = vf_srange_join(r, SR(0, 0));
	if (b.hi >= 1)
		r = vf_srange_join(r, sdiv_part(a, b.lo > 1 ? b.lo : 1, b.hi));
	if (b.lo <= -2)
		r = vf_srange_join(r, sdiv_part(a, b.lo, b.hi < -2 ? b.hi : -2));
	if (b.lo <= -1 && b.hi >= -1)
		r = vf_srange_join(r, vf_srange_neg(a, bits));
	return r;
}

static i128 abs128(i128 x)
{
	return x < 0 ? -x : x;
}

struct vf_srange vf_srange_mod(struct vf_srange a, struct vf_srange b, unsigned bits)
{
	if (b.lo == 0 && b.hi == 0)
		return a;
	bool may_zero = b.lo <= 0 && b.hi >= 0;
	i128 big = abs128(b.lo) > abs128(b.hi) ? abs128(b.lo) : abs128(b.hi);
	i128 small = may_zero ? 1 : (abs128(b.lo) < abs128(b.hi) ? abs128(b.lo) : abs128(b.hi));
	if (!may_zero && abs128(a.lo) < small && abs128(a.hi) < small)
		return a;
	i128 r = big - 1;
	i128 lo = a.lo >= 0 ? 0 : (a.lo > -r ? a.lo : -r);
	i128 hi = a.hi <= 0 ? 0 : (a.hi < r ? a.hi : r);
	struct vf_srange res = SR((int64_t)lo, (int64_t)hi);
	(void)bits;
	return may_zero ? vf_srange_join(res, a) : res;
}

struct vf_srange vf_srange_neg(struct vf_srange a, unsigned bits)
{
	return s_fit(-(i128)a.hi, -(i128)a.lo, bits);
}

struct vf_srange vf_srange_lsh(struct vf_srange a, unsigned k, unsigned bits)
{
	i128 f = (i128)1 << k;
	i128 lo = (i128)a.lo * f, hi = (i128)a.hi * f;
	if (lo < vf_smin_of(bits) || hi > vf_smax_of(bits))
		return vf_srange_full(bits);
	return SR((int64_t)lo, (int64_t)hi);
}

struct vf_srange vf_srange_arsh(struct vf_srange a, unsigned k)
{
	return SR(a.lo >> k, a.hi >> k);
}

struct vf_urange vf_urange_of_srange(struct vf_srange a, unsigned bits)
{
	if (a.lo >= 0 || a.hi < 0)
		return UR((uint64_t)a.lo & vf_umax_of(bits), (uint64_t)a.hi & vf_umax_of(bits));
	return vf_urange_full(bits);
}

struct vf_srange vf_srange_of_urange(struct vf_urange a, unsigned bits)
{
	uint64_t smax = (uint64_t)vf_smax_of(bits);
	if (a.hi <= smax)
		return SR((int64_t)a.lo, (int64_t)a.hi);
	if (a.lo > smax) {
		i128 span = (i128)vf_umax_of(bits) + 1;
		return SR((int64_t)((i128)a.lo - span), (int64_t)((i128)a.hi - span));
	}
	return vf_srange_full(bits);
}
