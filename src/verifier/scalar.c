/* The scalar reduced product: constructors, the reduction, the lattice and the ALU transfer
 * functions. Each operation is computed at its width on a "view" (tnum, unsigned and signed
 * range of that width), then turned back into a 64-bit value (zero-extended for 32-bit ALU)
 * and reduced, so every component profits from the precision of the others. */
#include "verifier/scalar.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 i128;

#define LOW32 0xffffffffULL

struct vf_scalar vf_scalar_bottom(void)
{
	struct vf_scalar s = {
	    .var = vf_tnum_const(0),
	    .u64 = vf_urange_empty(),
	    .s64 = vf_srange_empty(),
	    .u32 = vf_urange_empty(),
	    .s32 = vf_srange_empty(),
	};
	return s;
}

struct vf_scalar vf_scalar_unknown(void)
{
	struct vf_scalar s = {
	    .var = vf_tnum_unknown(),
	    .u64 = vf_urange_full(64),
	    .s64 = vf_srange_full(64),
	    .u32 = vf_urange_full(32),
	    .s32 = vf_srange_full(32),
	};
	return s;
}

struct vf_scalar vf_scalar_const(uint64_t v)
{
	struct vf_scalar s = {
	    .var = vf_tnum_const(v),
	    .u64 = vf_urange_const(v),
	    .s64 = vf_srange_const((int64_t)v),
	    .u32 = vf_urange_const(v & LOW32),
	    .s32 = vf_srange_const((int32_t)(uint32_t)v),
	};
	return s;
}

struct vf_scalar vf_scalar_urange(uint64_t lo, uint64_t hi)
{
	struct vf_scalar s = vf_scalar_unknown();
	s.u64 = (struct vf_urange){lo, hi};
	return vf_scalar_reduce(s);
}

struct vf_scalar vf_scalar_srange(int64_t lo, int64_t hi)
{
	struct vf_scalar s = vf_scalar_unknown();
	s.s64 = (struct vf_srange){lo, hi};
	return vf_scalar_reduce(s);
}

struct vf_scalar vf_scalar_from_tnum(struct vf_tnum t)
{
	struct vf_scalar s = vf_scalar_unknown();
	s.var = t;
	return vf_scalar_reduce(s);
}

static bool any_empty(const struct vf_scalar *s)
{
	return vf_urange_is_empty(s->u64) || vf_srange_is_empty(s->s64) || vf_urange_is_empty(s->u32) ||
	       vf_srange_is_empty(s->s32);
}

/* Bounds of a range of 64-bit values (signed or unsigned, as i128) whose low 32 bits lie in
 * [l32, h32]: move lo up and hi down to the nearest values with such low bits. */
static void clamp_low32(i128 *lo, i128 *hi, uint64_t l32, uint64_t h32)
{
	i128 base = *lo - (i128)((uint64_t)*lo & LOW32);
	uint64_t low = (uint64_t)*lo & LOW32;
	if (low < l32)
		*lo = base + l32;
	else if (low > h32)
		*lo = base + ((i128)1 << 32) + l32;
	base = *hi - (i128)((uint64_t)*hi & LOW32);
	low = (uint64_t)*hi & LOW32;
	if (low > h32)
		*hi = base + h32;
	else if (low < l32)
		*hi = base - ((i128)1 << 32) + h32;
}

/* Moves [lo, hi] onto members of t in the order where `flip` (0, or the sign bit of the
 * width) is complemented: flipping the sign bit turns signed order into unsigned order. */
static bool bounds_onto(uint64_t *lo, uint64_t *hi, struct vf_tnum t, uint64_t flip)
{
	struct vf_tnum f = {t.value ^ (flip & ~t.mask), t.mask};
	uint64_t l, h;
	if (!vf_tnum_next_ge(f, *lo ^ flip, &l) || !vf_tnum_prev_le(f, *hi ^ flip, &h))
		return false;
	*lo = l ^ flip;
	*hi = h ^ flip;
	return true;
}

static bool urange_onto(struct vf_urange *r, struct vf_tnum t)
{
	return bounds_onto(&r->lo, &r->hi, t, 0) && r->lo <= r->hi;
}

/* A signed range of width 32 or 64, its bounds seen as raw bits of that width. */
static bool srange_onto(struct vf_srange *r, struct vf_tnum t, uint64_t sign)
{
	uint64_t width_mask = sign | (sign - 1);
	uint64_t lo = (uint64_t)r->lo & width_mask, hi = (uint64_t)r->hi & width_mask;
	if (!bounds_onto(&lo, &hi, t, sign))
		return false;
	r->lo = sign == 1ULL << 63 ? (int64_t)lo : (int64_t)(int32_t)(uint32_t)lo;
	r->hi = sign == 1ULL << 63 ? (int64_t)hi : (int64_t)(int32_t)(uint32_t)hi;
	return r->lo <= r->hi;
}

/* One round of the reduction; returns false when the set is found empty. */
static bool reduce_once(struct vf_scalar *s)
{
	bool empty = false;
	struct vf_tnum t = s->var, t32 = vf_tnum_subreg(t);
	/* known bits -> ranges: each bound moves onto the nearest member of the tnum */
	if (!urange_onto(&s->u64, t) || !srange_onto(&s->s64, t, 1ULL << 63) || !urange_onto(&s->u32, t32) ||
	    !srange_onto(&s->s32, t32, 1ULL << 31))
		return false;
	/* signed <-> unsigned, per width */
	s->u64 = vf_urange_meet(s->u64, vf_urange_of_srange(s->s64, 64));
	s->s64 = vf_srange_meet(s->s64, vf_srange_of_urange(s->u64, 64));
	s->u32 = vf_urange_meet(s->u32, vf_urange_of_srange(s->s32, 32));
	s->s32 = vf_srange_meet(s->s32, vf_srange_of_urange(s->u32, 32));
	if (any_empty(s))
		return false;
	/* 64 -> 32: the low halves of a range that stays within one 2^32 block */
	s->u32 = vf_urange_meet(s->u32, vf_urange_trunc(s->u64, 32));
	if (s->s64.lo >> 32 == s->s64.hi >> 32)
		s->u32 = vf_urange_meet(
		    s->u32, (struct vf_urange){(uint64_t)s->s64.lo & LOW32, (uint64_t)s->s64.hi & LOW32});
	s->s32 = vf_srange_meet(s->s32, vf_srange_of_urange(s->u32, 32));
	s->u32 = vf_urange_meet(s->u32, vf_urange_of_srange(s->s32, 32));
	if (any_empty(s))
		return false;
	/* 32 -> 64 */
	i128 lo = s->u64.lo, hi = s->u64.hi;
	clamp_low32(&lo, &hi, s->u32.lo, s->u32.hi);
	if (lo > hi || lo < 0 || hi > (i128)UINT64_MAX)
		return false;
	s->u64 = (struct vf_urange){(uint64_t)lo, (uint64_t)hi};
	lo = s->s64.lo, hi = s->s64.hi;
	clamp_low32(&lo, &hi, s->u32.lo, s->u32.hi);
	if (lo > hi || lo < INT64_MIN || hi > INT64_MAX)
		return false;
	s->s64 = (struct vf_srange){(int64_t)lo, (int64_t)hi};
	/* ranges -> known bits */
	t = vf_tnum_meet(t, vf_tnum_range(s->u64.lo, s->u64.hi), &empty);
	if (empty)
		return false;
	if (s->s64.lo >= 0 || s->s64.hi < 0) {
		t = vf_tnum_meet(t, vf_tnum_range((uint64_t)s->s64.lo, (uint64_t)s->s64.hi), &empty);
		if (empty)
			return false;
	}
	t32 = vf_tnum_meet(vf_tnum_subreg(t), vf_tnum_range(s->u32.lo, s->u32.hi), &empty);
	if (empty)
		return false;
	s->var = vf_tnum_with_subreg(t, t32);
	return true;
}

struct vf_scalar vf_scalar_reduce(struct vf_scalar s)
{
	if (any_empty(&s))
		return vf_scalar_bottom();
	for (int round = 0; round < 4; round++) {
		struct vf_scalar before = s;
		if (!reduce_once(&s))
			return vf_scalar_bottom();
		if (vf_scalar_eq(&before, &s))
			break;
	}
	return s;
}

bool vf_scalar_is_bottom(const struct vf_scalar *s)
{
	return any_empty(s);
}

bool vf_scalar_is_const(const struct vf_scalar *s, uint64_t *v)
{
	if (any_empty(s) || !vf_tnum_is_const(s->var))
		return false;
	if (v)
		*v = s->var.value;
	return true;
}

bool vf_scalar_contains(const struct vf_scalar *s, uint64_t x)
{
	return vf_tnum_contains(s->var, x) && vf_urange_contains(s->u64, x) &&
	       vf_srange_contains(s->s64, (int64_t)x) && vf_urange_contains(s->u32, x & LOW32) &&
	       vf_srange_contains(s->s32, (int32_t)(uint32_t)x);
}

struct vf_scalar vf_scalar_join(const struct vf_scalar *a, const struct vf_scalar *b)
{
	if (vf_scalar_is_bottom(a))
		return *b;
	if (vf_scalar_is_bottom(b))
		return *a;
	struct vf_scalar r = {
	    .var = vf_tnum_join(a->var, b->var),
	    .u64 = vf_urange_join(a->u64, b->u64),
	    .s64 = vf_srange_join(a->s64, b->s64),
	    .u32 = vf_urange_join(a->u32, b->u32),
	    .s32 = vf_srange_join(a->s32, b->s32),
	};
	return vf_scalar_reduce(r);
}

struct vf_scalar vf_scalar_meet(const struct vf_scalar *a, const struct vf_scalar *b)
{
	bool empty;
	struct vf_scalar r = {
	    .var = vf_tnum_meet(a->var, b->var, &empty),
	    .u64 = vf_urange_meet(a->u64, b->u64),
	    .s64 = vf_srange_meet(a->s64, b->s64),
	    .u32 = vf_urange_meet(a->u32, b->u32),
	    .s32 = vf_srange_meet(a->s32, b->s32),
	};
	return empty ? vf_scalar_bottom() : vf_scalar_reduce(r);
}

struct vf_scalar vf_scalar_widen(const struct vf_scalar *a, const struct vf_scalar *b)
{
	if (vf_scalar_is_bottom(a))
		return *b;
	if (vf_scalar_is_bottom(b))
		return *a;
	struct vf_scalar r = {
	    .var = vf_tnum_widen(a->var, b->var),
	    .u64 = vf_urange_widen(a->u64, b->u64, 64),
	    .s64 = vf_srange_widen(a->s64, b->s64, 64),
	    .u32 = vf_urange_widen(a->u32, b->u32, 32),
	    .s32 = vf_srange_widen(a->s32, b->s32, 32),
	};
	return r;
}

struct vf_scalar vf_scalar_narrow(const struct vf_scalar *a, const struct vf_scalar *b)
{
	if (vf_scalar_is_bottom(a) || vf_scalar_is_bottom(b))
		return vf_scalar_bottom();
	bool empty;
	struct vf_scalar r = {
	    .var = vf_tnum_meet(a->var, b->var, &empty),
	    .u64 = vf_urange_narrow(a->u64, b->u64, 64),
	    .s64 = vf_srange_narrow(a->s64, b->s64, 64),
	    .u32 = vf_urange_narrow(a->u32, b->u32, 32),
	    .s32 = vf_srange_narrow(a->s32, b->s32, 32),
	};
	return empty ? vf_scalar_bottom() : vf_scalar_reduce(r);
}

bool vf_scalar_leq(const struct vf_scalar *a, const struct vf_scalar *b)
{
	if (vf_scalar_is_bottom(a))
		return true;
	if (vf_scalar_is_bottom(b))
		return false;
	return vf_tnum_leq(a->var, b->var) && vf_urange_leq(a->u64, b->u64) &&
	       vf_srange_leq(a->s64, b->s64) && vf_urange_leq(a->u32, b->u32) &&
	       vf_srange_leq(a->s32, b->s32);
}

bool vf_scalar_eq(const struct vf_scalar *a, const struct vf_scalar *b)
{
	return vf_tnum_eq(a->var, b->var) && a->u64.lo == b->u64.lo && a->u64.hi == b->u64.hi &&
	       a->s64.lo == b->s64.lo && a->s64.hi == b->s64.hi && a->u32.lo == b->u32.lo &&
	       a->u32.hi == b->u32.hi && a->s32.lo == b->s32.lo && a->s32.hi == b->s32.hi;
}

/* ---- transfer functions ---- */

/* A value seen at one width: known bits (zero-extended for 32), unsigned and signed range. */
struct view {
	struct vf_tnum t;
	struct vf_urange u;
	struct vf_srange s;
};

static struct view view_of(const struct vf_scalar *s, unsigned bits)
{
	if (bits == 64)
		return (struct view){s->var, s->u64, s->s64};
	return (struct view){vf_tnum_subreg(s->var), s->u32, s->s32};
}

static struct view view_full(unsigned bits)
{
	struct vf_tnum t = bits == 64 ? vf_tnum_unknown() : vf_tnum_subreg(vf_tnum_unknown());
	return (struct view){t, vf_urange_full(bits), vf_srange_full(bits)};
}

static struct view view_empty(void)
{
	return (struct view){vf_tnum_const(0), vf_urange_empty(), vf_srange_empty()};
}

static bool view_is_empty(const struct view *v)
{
	return vf_urange_is_empty(v->u);
}

static struct view view_join(struct view a, struct view b)
{
	if (view_is_empty(&a))
		return b;
	if (view_is_empty(&b))
		return a;
	return (struct view){vf_tnum_join(a.t, b.t), vf_urange_join(a.u, b.u), vf_srange_join(a.s, b.s)};
}

/* Back to a 64-bit scalar: a 32-bit result is zero-extended. */
static struct vf_scalar view_result(struct view v, unsigned bits)
{
	struct vf_scalar r = vf_scalar_unknown();
	if (bits == 64) {
		r.var = v.t;
		r.u64 = v.u;
		r.s64 = v.s;
	} else {
		r.var = vf_tnum_subreg(v.t);
		r.u32 = v.u;
		r.s32 = v.s;
		r.u64 = v.u;
		r.s64 = (struct vf_srange){(int64_t)v.u.lo, (int64_t)v.u.hi};
	}
	return vf_scalar_reduce(r);
}

/* Concrete signed division and remainder at a width, for constant operands. */
static int64_t sext_bits(uint64_t x, unsigned bits)
{
	return bits == 64 ? (int64_t)x : (int64_t)(int32_t)(uint32_t)x;
}

static uint64_t conc_sdiv(uint64_t a, uint64_t b, unsigned bits)
{
	int64_t x = sext_bits(a, bits), y = sext_bits(b, bits);
	if (y == 0)
		return 0;
	if (y == -1)
		return (0 - (uint64_t)x) & vf_umax_of(bits);
	return (uint64_t)(x / y) & vf_umax_of(bits);
}

static uint64_t conc_smod(uint64_t a, uint64_t b, unsigned bits)
{
	int64_t x = sext_bits(a, bits), y = sext_bits(b, bits);
	if (y == 0)
		return a & vf_umax_of(bits);
	if (y == -1)
		return 0;
	return (uint64_t)(x % y) & vf_umax_of(bits);
}

static struct view shift_by(enum isa_sem sem, struct view a, unsigned k, unsigned bits)
{
	struct view r = view_full(bits);
	switch (sem) {
	case ISA_SEM_LSH:
		r.t = vf_tnum_lsh(a.t, k);
		r.u = vf_urange_lsh(a.u, k, bits);
		r.s = vf_srange_lsh(a.s, k, bits);
		break;
	case ISA_SEM_RSH:
		r.t = vf_tnum_rsh(a.t, k);
		r.u = vf_urange_rsh(a.u, k);
		break;
	default: /* ARSH */
		r.t = vf_tnum_arsh(vf_tnum_sext(a.t, bits), k);
		r.s = vf_srange_arsh(a.s, k);
		break;
	}
	if (bits == 32)
		r.t = vf_tnum_subreg(r.t);
	return r;
}

/* A shift by a count that is a set: the join over every count the set allows (after masking
 * with bits - 1), at most `bits` of them. */
static struct view shift(enum isa_sem sem, struct view a, struct view b, unsigned bits)
{
	struct vf_tnum ct = vf_tnum_and(b.t, vf_tnum_const(bits - 1));
	struct vf_urange cr = b.u.hi < bits ? b.u : (struct vf_urange){0, bits - 1};
	struct view r = view_empty();
	for (unsigned k = (unsigned)cr.lo; k <= cr.hi; k++)
		if (vf_tnum_contains(ct, k))
			r = view_join(r, shift_by(sem, a, k, bits));
	return r;
}

static struct view binop(enum isa_sem sem, struct view a, struct view b, unsigned bits)
{
	struct view r = view_full(bits);
	bool consts = vf_tnum_is_const(a.t) && vf_tnum_is_const(b.t);
	switch (sem) {
	case ISA_SEM_ADD:
		r.t = vf_tnum_add(a.t, b.t);
		r.u = vf_urange_add(a.u, b.u, bits);
		r.s = vf_srange_add(a.s, b.s, bits);
		break;
	case ISA_SEM_SUB:
		r.t = vf_tnum_sub(a.t, b.t);
		r.u = vf_urange_sub(a.u, b.u, bits);
		r.s = vf_srange_sub(a.s, b.s, bits);
		break;
	case ISA_SEM_MUL:
		r.t = vf_tnum_mul(a.t, b.t);
		r.u = vf_urange_mul(a.u, b.u, bits);
		r.s = vf_srange_mul(a.s, b.s, bits);
		break;
	case ISA_SEM_DIV:
		r.t = vf_tnum_udiv(a.t, b.t);
		r.u = vf_urange_div(a.u, b.u);
		break;
	case ISA_SEM_MOD:
		r.t = vf_tnum_umod(a.t, b.t);
		r.u = vf_urange_mod(a.u, b.u);
		break;
	case ISA_SEM_SDIV:
		if (consts)
			r.t = vf_tnum_const(conc_sdiv(a.t.value, b.t.value, bits));
		r.s = vf_srange_div(a.s, b.s, bits);
		break;
	case ISA_SEM_SMOD:
		if (consts)
			r.t = vf_tnum_const(conc_smod(a.t.value, b.t.value, bits));
		r.s = vf_srange_mod(a.s, b.s, bits);
		break;
	case ISA_SEM_AND:
		r.t = vf_tnum_and(a.t, b.t);
		r.u = (struct vf_urange){0, a.u.hi < b.u.hi ? a.u.hi : b.u.hi};
		break;
	case ISA_SEM_OR:
		r.t = vf_tnum_or(a.t, b.t);
		r.u = (struct vf_urange){a.u.lo > b.u.lo ? a.u.lo : b.u.lo, vf_umax_of(bits)};
		break;
	case ISA_SEM_XOR: r.t = vf_tnum_xor(a.t, b.t); break;
	case ISA_SEM_LSH:
	case ISA_SEM_RSH:
	case ISA_SEM_ARSH: return shift(sem, a, b, bits);
	case ISA_SEM_NEG:
		r.t = vf_tnum_neg(a.t);
		r.u = vf_urange_neg(a.u, bits);
		r.s = vf_srange_neg(a.s, bits);
		break;
	case ISA_SEM_MOV: return b;
	default: break;
	}
	if (bits == 32)
		r.t = vf_tnum_subreg(r.t);
	return r;
}

struct vf_scalar vf_scalar_zext(const struct vf_scalar *s, unsigned bytes)
{
	if (vf_scalar_is_bottom(s))
		return vf_scalar_bottom();
	if (bytes >= 8)
		return *s;
	if (bytes == 4)
		return view_result(view_of(s, 32), 32);
	unsigned bits = 8 * bytes;
	struct vf_scalar r = vf_scalar_unknown();
	r.var = vf_tnum_cast(s->var, bytes);
	r.u64 = vf_urange_meet(vf_urange_trunc(s->u64, bits), vf_urange_trunc(s->u32, bits));
	return vf_scalar_reduce(r);
}

struct vf_scalar vf_scalar_sext(const struct vf_scalar *s, unsigned bits)
{
	if (vf_scalar_is_bottom(s))
		return vf_scalar_bottom();
	if (bits >= 64)
		return *s;
	struct vf_scalar r = vf_scalar_unknown();
	struct vf_urange low = vf_urange_meet(vf_urange_trunc(s->u64, bits), vf_urange_trunc(s->u32, bits));
	struct vf_srange sv = vf_srange_of_urange(low, bits);
	if (bits == 32)
		sv = vf_srange_meet(sv, s->s32);
	r.var = vf_tnum_sext(s->var, bits);
	r.s64 = sv;
	r.s32 = sv;
	return vf_scalar_reduce(r);
}

static struct vf_scalar bswap(const struct vf_scalar *s, unsigned bits)
{
	if (bits != 16 && bits != 32)
		bits = 64;
	return vf_scalar_from_tnum(vf_tnum_bswap(vf_tnum_cast(s->var, bits / 8), bits));
}

struct vf_scalar vf_scalar_alu(enum isa_sem sem, bool is64, const struct vf_scalar *dst,
                               const struct vf_scalar *src, unsigned width)
{
	unsigned bits = is64 ? 64 : 32;
	if (vf_scalar_is_bottom(dst))
		return vf_scalar_bottom();
	switch (sem) {
	case ISA_SEM_LE: return vf_scalar_zext(dst, width >= 64 ? 8 : width / 8);
	case ISA_SEM_BE:
	case ISA_SEM_BSWAP: return bswap(dst, width);
	case ISA_SEM_NEG: return view_result(binop(sem, view_of(dst, bits), view_of(dst, bits), bits), bits);
	case ISA_SEM_MOVSX: {
		struct vf_scalar r = vf_scalar_sext(src, width);
		return is64 ? r : vf_scalar_zext(&r, 4);
	}
	case ISA_SEM_ADD:
	case ISA_SEM_SUB:
	case ISA_SEM_MUL:
	case ISA_SEM_DIV:
	case ISA_SEM_SDIV:
	case ISA_SEM_MOD:
	case ISA_SEM_SMOD:
	case ISA_SEM_AND:
	case ISA_SEM_OR:
	case ISA_SEM_XOR:
	case ISA_SEM_LSH:
	case ISA_SEM_RSH:
	case ISA_SEM_ARSH:
	case ISA_SEM_MOV:
		if (vf_scalar_is_bottom(src))
			return vf_scalar_bottom();
		return view_result(binop(sem, view_of(dst, bits), view_of(src, bits), bits), bits);
	default: return vf_scalar_unknown();
	}
}

struct vf_scalar vf_scalar_load_unknown(unsigned bytes)
{
	struct vf_scalar u = vf_scalar_unknown();
	return vf_scalar_zext(&u, bytes);
}

struct vf_scalar vf_scalar_load_unknown_sx(unsigned bytes)
{
	struct vf_scalar u = vf_scalar_unknown();
	return vf_scalar_sext(&u, 8 * bytes);
}

const char *vf_scalar_str(const struct vf_scalar *s, char *buf, unsigned size)
{
	uint64_t v;
	char t[64];
	if (vf_scalar_is_bottom(s))
		snprintf(buf, size, "bottom");
	else if (vf_scalar_is_const(s, &v))
		snprintf(buf, size, "%lld", (long long)v);
	else
		snprintf(buf, size, "u[%llu, %llu] s[%lld, %lld] u32[%llu, %llu] s32[%lld, %lld] %s",
		         (unsigned long long)s->u64.lo, (unsigned long long)s->u64.hi, (long long)s->s64.lo,
		         (long long)s->s64.hi, (unsigned long long)s->u32.lo, (unsigned long long)s->u32.hi,
		         (long long)s->s32.lo, (long long)s->s32.hi, vf_tnum_str(s->var, t, sizeof(t)));
	return buf;
}
