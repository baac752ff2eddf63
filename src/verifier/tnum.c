/* Known-bits domain (tnum): the algorithms follow the published tnum operations (Vishwanathan et
 * al., "Sound, Precise, and Fast Abstract Interpretation with Tristate Numbers", CGO 2022) as
 * used by the Linux verifier; written here from their descriptions. */
#include "verifier/tnum.h"

#include <stdio.h>

#define TN(v, m) ((struct vf_tnum){.value = (v), .mask = (m)})

struct vf_tnum vf_tnum_const(uint64_t v)
{
	return TN(v, 0);
}

struct vf_tnum vf_tnum_unknown(void)
{
	return TN(0, UINT64_MAX);
}

struct vf_tnum vf_tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max;
	unsigned bits = chi ? 64 - (unsigned)__builtin_clzll(chi) : 0;
	if (bits > 63)
		return vf_tnum_unknown();
	uint64_t delta = (1ULL << bits) - 1;
	return TN(min & ~delta, delta);
}

bool vf_tnum_is_const(struct vf_tnum a)
{
	return a.mask == 0;
}

bool vf_tnum_is_unknown(struct vf_tnum a)
{
	return a.mask == UINT64_MAX;
}

bool vf_tnum_contains(struct vf_tnum a, uint64_t x)
{
	return (x & ~a.mask) == a.value;
}

uint64_t vf_tnum_umin(struct vf_tnum a)
{
	return a.value;
}

uint64_t vf_tnum_umax(struct vf_tnum a)
{
	return a.value | a.mask;
}

int64_t vf_tnum_smin(struct vf_tnum a)
{
	return (int64_t)(a.value | (a.mask & (1ULL << 63)));
}

int64_t vf_tnum_smax(struct vf_tnum a)
{
	return (int64_t)(a.value | (a.mask & ~(1ULL << 63)));
}

/* A member above lo agrees with lo down to some bit p where it has 1 and lo has 0, then takes
 * its smallest continuation (unknown bits 0). The lowest usable p gives the smallest member:
 * it must lie at or above the highest bit where lo contradicts a known bit. */
bool vf_tnum_next_ge(struct vf_tnum a, uint64_t lo, uint64_t *out)
{
	uint64_t conflict = (lo ^ a.value) & ~a.mask;
	if (!conflict) {
		*out = lo;
		return true;
	}
	unsigned h = 63 - (unsigned)__builtin_clzll(conflict), p;
	if (!(lo >> h & 1)) {
		p = h;
	} else {
		uint64_t above = h == 63 ? 0 : ~((1ULL << (h + 1)) - 1);
		uint64_t usable = a.mask & ~lo & above;
		if (!usable)
			return false;
		p = (unsigned)__builtin_ctzll(usable);
	}
	uint64_t high = p == 63 ? 0 : lo & ~((1ULL << (p + 1)) - 1);
	*out = high | (1ULL << p) | (a.value & ((1ULL << p) - 1));
	return true;
}

/* Complementing every bit reverses the order. */
bool vf_tnum_prev_le(struct vf_tnum a, uint64_t hi, uint64_t *out)
{
	uint64_t r;
	if (!vf_tnum_next_ge(TN(~a.value & ~a.mask, a.mask), ~hi, &r))
		return false;
	*out = ~r;
	return true;
}

struct vf_tnum vf_tnum_join(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t mu = a.mask | b.mask | (a.value ^ b.value);
	return TN(a.value & ~mu, mu);
}

struct vf_tnum vf_tnum_meet(struct vf_tnum a, struct vf_tnum b, bool *empty)
{
	uint64_t mu = a.mask & b.mask;
	*empty = ((a.value ^ b.value) & ~a.mask & ~b.mask) != 0;
	return TN((a.value | b.value) & ~mu, mu);
}

/* Bits that became unknown make every bit above the lowest of them unknown: a loop counter
 * then stabilises in one step instead of one bit per iteration, and low known bits (alignment)
 * survive. */
struct vf_tnum vf_tnum_widen(struct vf_tnum a, struct vf_tnum b)
{
	struct vf_tnum j = vf_tnum_join(a, b);
	uint64_t grown = j.mask & ~a.mask;
	if (!grown)
		return j;
	uint64_t mu = j.mask | ~((1ULL << __builtin_ctzll(grown)) - 1);
	return TN(j.value & ~mu, mu);
}

bool vf_tnum_leq(struct vf_tnum a, struct vf_tnum b)
{
	return (a.mask & ~b.mask) == 0 && ((a.value ^ b.value) & ~b.mask) == 0;
}

bool vf_tnum_eq(struct vf_tnum a, struct vf_tnum b)
{
	return a.value == b.value && a.mask == b.mask;
}

/* Carries out of unknown bits are unknown: compare the sums with all unknowns 0 and all 1. */
struct vf_tnum vf_tnum_add(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t sv = a.value + b.value;
	uint64_t sigma = sv + a.mask + b.mask;
	uint64_t mu = (sigma ^ sv) | a.mask | b.mask;
	return TN(sv & ~mu, mu);
}

struct vf_tnum vf_tnum_sub(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask, beta = dv - b.mask;
	uint64_t mu = (alpha ^ beta) | a.mask | b.mask;
	return TN(dv & ~mu, mu);
}

struct vf_tnum vf_tnum_neg(struct vf_tnum a)
{
	return vf_tnum_sub(vf_tnum_const(0), a);
}

/* Known parts multiply exactly; each bit of a contributes b (known 1) or b's possible bits
 * (unknown) as unknown partial products, summed with tnum addition. */
struct vf_tnum vf_tnum_mul(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t known = a.value * b.value;
	struct vf_tnum acc = vf_tnum_const(0);
	while (a.value || a.mask) {
		if (a.value & 1)
			acc = vf_tnum_add(acc, TN(0, b.mask));
		else if (a.mask & 1)
			acc = vf_tnum_add(acc, TN(0, b.value | b.mask));
		a = vf_tnum_rsh(a, 1);
		b = vf_tnum_lsh(b, 1);
	}
	return vf_tnum_add(vf_tnum_const(known), acc);
}

struct vf_tnum vf_tnum_and(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t v = a.value & b.value;
	return TN(v, (a.value | a.mask) & (b.value | b.mask) & ~v);
}

struct vf_tnum vf_tnum_or(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t v = a.value | b.value;
	return TN(v, (a.mask | b.mask) & ~v);
}

struct vf_tnum vf_tnum_xor(struct vf_tnum a, struct vf_tnum b)
{
	uint64_t mu = a.mask | b.mask;
	return TN((a.value ^ b.value) & ~mu, mu);
}

struct vf_tnum vf_tnum_lsh(struct vf_tnum a, unsigned shift)
{
	shift &= 63;
	return TN(a.value << shift, a.mask << shift);
}

struct vf_tnum vf_tnum_rsh(struct vf_tnum a, unsigned shift)
{
	shift &= 63;
	return TN(a.value >> shift, a.mask >> shift);
}

/* An unknown sign bit lives in mask, a known one in value: shifting both arithmetically keeps it. */
struct vf_tnum vf_tnum_arsh(struct vf_tnum a, unsigned shift)
{
	shift &= 63;
	return TN((uint64_t)((int64_t)a.value >> shift), (uint64_t)((int64_t)a.mask >> shift));
}

struct vf_tnum vf_tnum_udiv(struct vf_tnum a, struct vf_tnum b)
{
	if (vf_tnum_is_const(a) && vf_tnum_is_const(b))
		return vf_tnum_const(b.value ? a.value / b.value : 0);
	uint64_t bmin = vf_tnum_umin(b), bmax = vf_tnum_umax(b);
	uint64_t lo = bmin == 0 ? 0 : vf_tnum_umin(a) / bmax;
	uint64_t hi = vf_tnum_umax(a) / (bmin ? bmin : 1);
	return vf_tnum_range(lo, hi);
}

struct vf_tnum vf_tnum_umod(struct vf_tnum a, struct vf_tnum b)
{
	if (vf_tnum_is_const(a) && vf_tnum_is_const(b))
		return vf_tnum_const(b.value ? a.value % b.value : a.value);
	uint64_t amax = vf_tnum_umax(a), bmin = vf_tnum_umin(b), bmax = vf_tnum_umax(b);
	if (bmin > amax)
		return a;
	uint64_t hi = (bmin == 0 || amax < bmax - 1) ? amax : bmax - 1;
	return vf_tnum_range(0, hi);
}

struct vf_tnum vf_tnum_cast(struct vf_tnum a, unsigned bytes)
{
	if (bytes >= 8)
		return a;
	uint64_t m = (1ULL << (8 * bytes)) - 1;
	return TN(a.value & m, a.mask & m);
}

struct vf_tnum vf_tnum_sext(struct vf_tnum a, unsigned bits)
{
	if (bits >= 64)
		return a;
	unsigned s = 64 - bits;
	return TN((uint64_t)((int64_t)(a.value << s) >> s), (uint64_t)((int64_t)(a.mask << s) >> s));
}

struct vf_tnum vf_tnum_subreg(struct vf_tnum a)
{
	return vf_tnum_cast(a, 4);
}

struct vf_tnum vf_tnum_with_subreg(struct vf_tnum a, struct vf_tnum low32)
{
	uint64_t hi = ~(uint64_t)UINT32_MAX;
	return TN((a.value & hi) | (low32.value & UINT32_MAX), (a.mask & hi) | (low32.mask & UINT32_MAX));
}

static uint64_t bswap_bits(uint64_t x, unsigned bits)
{
	switch (bits) {
	case 16: return __builtin_bswap16((uint16_t)x);
	case 32: return __builtin_bswap32((uint32_t)x);
	default: return __builtin_bswap64(x);
	}
}

struct vf_tnum vf_tnum_bswap(struct vf_tnum a, unsigned bits)
{
	return TN(bswap_bits(a.value, bits), bswap_bits(a.mask, bits));
}

const char *vf_tnum_str(struct vf_tnum a, char *buf, unsigned size)
{
	snprintf(buf, size, "(0x%llx; 0x%llx)", (unsigned long long)a.value, (unsigned long long)a.mask);
	return buf;
}
