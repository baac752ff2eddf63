/* Shared by the domain test runners: a seeded generator, random abstract values built around
 * concrete seeds (so they are never empty and have known members), member draws, and a tiny
 * concrete evaluator of RFC 9669 ALU and jump semantics written independently of src/verifier. */
#ifndef BPFCHECK_DOMTEST_H
#define BPFCHECK_DOMTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "bpfcheck/isa.h"
#include "verifier/scalar.h"

static inline uint64_t dt_rand(uint64_t *st)
{
	/* splitmix64: a fixed seed reproduces every failure */
	uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The seed of a test: fixed, so failures reproduce; BPFCHECK_DOMTEST_SEED=n explores others. */
static inline uint64_t dt_seed(uint64_t base)
{
	const char *env = getenv("BPFCHECK_DOMTEST_SEED");
	return env ? base ^ (strtoull(env, NULL, 0) * 0x9e3779b97f4a7c15ULL) : base;
}

/* A concrete value biased to the interesting places: small, near 0, near the signed and
 * unsigned boundaries of 32 and 64 bits, or anything. */
static inline uint64_t dt_value(uint64_t *st)
{
	static const uint64_t edges[] = {0,
	                                 1,
	                                 2,
	                                 0x7f,
	                                 0x80,
	                                 0xff,
	                                 0x7fff,
	                                 0xffff,
	                                 0x7fffffff,
	                                 0x80000000,
	                                 0xffffffff,
	                                 0x100000000,
	                                 0x7fffffffffffffff,
	                                 0x8000000000000000,
	                                 0xffffffffffffffff,
	                                 0xffffffff80000000};
	uint64_t r = dt_rand(st);
	int delta = (int)(dt_rand(st) % 9) - 4;
	switch (r % 6) {
	case 0: return r >> 56;                                /* small */
	case 1: return (uint64_t)delta;                        /* around 0 */
	case 2: return edges[(r >> 8) % 16] + (uint64_t)delta; /* around a boundary */
	case 3: return (uint64_t)(int64_t)(int32_t)(r >> 16);  /* a sign-extended 32-bit value */
	case 4: return (r >> 20) & 0xffffffff;                 /* a zero-extended 32-bit value */
	default: return dt_rand(st);
	}
}

/* A mask of unknown bits: none, a few random bits, a run of low bits, or all. */
static inline uint64_t dt_mask(uint64_t *st)
{
	uint64_t r = dt_rand(st), m = 0;
	switch (r % 6) {
	case 0: return 0;
	case 1:
	case 2:
		for (unsigned i = 0, n = 1 + (unsigned)(r >> 8) % 5; i < n; i++)
			m |= 1ULL << (dt_rand(st) % 64);
		return m;
	case 3: return (1ULL << ((r >> 8) % 64)) - 1;
	case 4: return ~0ULL << ((r >> 8) % 64);
	default: return (r >> 8) % 8 == 0 ? ~0ULL : dt_rand(st) & dt_rand(st);
	}
}

static inline struct vf_tnum dt_tnum_around(uint64_t *st, uint64_t x)
{
	uint64_t m = dt_mask(st);
	return (struct vf_tnum){x & ~m, m};
}

static inline uint64_t dt_tnum_member(uint64_t *st, struct vf_tnum t)
{
	return t.value | (dt_rand(st) & t.mask);
}

/* An abstract scalar holding the seeds seeds[0..n-1]: their join, possibly widened in some
 * component (a range grown by random amounts, the full range, a looser tnum), then reduced. */
static inline struct vf_scalar dt_scalar(uint64_t *st, uint64_t *seeds, unsigned *nseeds)
{
	unsigned n = 1 + (unsigned)(dt_rand(st) % 3);
	uint64_t base = dt_value(st);
	struct vf_scalar s = vf_scalar_bottom();
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = dt_rand(st);
		uint64_t x = i == 0 ? base : (r & 1) ? base + (dt_rand(st) >> (40 + r % 24)) : dt_value(st);
		seeds[i] = x;
		struct vf_scalar c = vf_scalar_const(x);
		s = vf_scalar_join(&s, &c);
	}
	*nseeds = n;
	uint64_t how = dt_rand(st) % 8;
	struct vf_scalar w = s;
	switch (how) {
	case 0: break; /* the join itself (constants when n == 1) */
	case 1: {      /* unsigned range grown */
		uint64_t grow_lo = dt_rand(st) >> (dt_rand(st) % 64),
		         grow_hi = dt_rand(st) >> (dt_rand(st) % 64);
		w = vf_scalar_unknown();
		w.u64.lo = s.u64.lo > grow_lo ? s.u64.lo - grow_lo : 0;
		w.u64.hi = s.u64.hi < UINT64_MAX - grow_hi ? s.u64.hi + grow_hi : UINT64_MAX;
		break;
	}
	case 2: { /* signed range grown */
		uint64_t g1 = dt_rand(st) >> (1 + dt_rand(st) % 63),
		         g2 = dt_rand(st) >> (1 + dt_rand(st) % 63);
		w = vf_scalar_unknown();
		w.s64.lo = s.s64.lo > INT64_MIN + (int64_t)g1 ? s.s64.lo - (int64_t)g1 : INT64_MIN;
		w.s64.hi = s.s64.hi < INT64_MAX - (int64_t)g2 ? s.s64.hi + (int64_t)g2 : INT64_MAX;
		break;
	}
	case 3: { /* 32-bit ranges grown, upper half from the tnum */
		uint64_t g = dt_rand(st) >> (32 + dt_rand(st) % 32);
		w = s;
		w.u32.lo = s.u32.lo > g ? s.u32.lo - g : 0;
		w.u32.hi = s.u32.hi + g <= 0xffffffff ? s.u32.hi + g : 0xffffffff;
		w.s32 = vf_srange_full(32);
		w.u64 = vf_urange_full(64);
		w.s64 = vf_srange_full(64);
		w.var = vf_tnum_join(s.var, (struct vf_tnum){0, dt_mask(st) & 0xffffffff});
		break;
	}
	case 4: /* a looser tnum only */
		w = vf_scalar_unknown();
		w.var = vf_tnum_join(s.var, dt_tnum_around(st, base));
		break;
	case 5: w = vf_scalar_unknown(); break;
	default: /* small unsigned range around the seeds intersected with a tnum */
		w = vf_scalar_unknown();
		uint64_t d = dt_rand(st) % 8;
		w.u64 = (struct vf_urange){s.u64.lo - (s.u64.lo < d ? s.u64.lo : d), s.u64.hi};
		w.var = vf_tnum_join(s.var, (struct vf_tnum){0, dt_mask(st) & 0xfff});
		break;
	}
	return vf_scalar_reduce(w);
}

/* A member of s: a seed, or a candidate from one of its components that lies in all of them
 * (rejection sampling; falls back on a seed). */
static inline uint64_t dt_member(uint64_t *st, const struct vf_scalar *s, const uint64_t *seeds, unsigned n)
{
	for (int tries = 0; tries < 16; tries++) {
		uint64_t r = dt_rand(st), x;
		switch (r % 6) {
		case 0: return seeds[(r >> 8) % n];
		case 1: x = dt_tnum_member(st, s->var); break;
		case 2:
			x = s->u64.lo + (s->u64.hi - s->u64.lo == UINT64_MAX
			                     ? dt_rand(st)
			                     : dt_rand(st) % (s->u64.hi - s->u64.lo + 1));
			break;
		case 3: x = (r >> 8) & 1 ? s->u64.lo : s->u64.hi; break;
		case 4: x = (uint64_t)((r >> 8) & 1 ? s->s64.lo : s->s64.hi); break;
		default:
			x = (s->var.value | (dt_rand(st) & s->var.mask & 0xffffffff00000000ULL)) |
			    ((s->u32.lo + dt_rand(st) % (s->u32.hi - s->u32.lo + 1)) & 0xffffffff);
		}
		if (vf_scalar_contains(s, x))
			return x;
	}
	return seeds[dt_rand(st) % n];
}

/* ---- concrete semantics (RFC 9669 s4) ---- */

static inline uint64_t dt_bswap(uint64_t x, unsigned bits)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < bits / 8; i++)
		r = (r << 8) | ((x >> (8 * i)) & 0xff);
	return r;
}

static inline uint64_t dt_sext(uint64_t x, unsigned bits)
{
	if (bits == 8)
		return (uint64_t)(int64_t)(int8_t)x;
	if (bits == 16)
		return (uint64_t)(int64_t)(int16_t)x;
	if (bits == 32)
		return (uint64_t)(int64_t)(int32_t)x;
	return x;
}

static inline uint64_t dt_alu64(enum isa_sem sem, uint64_t d, uint64_t s, unsigned width)
{
	int64_t sd = (int64_t)d, ss = (int64_t)s;
	switch (sem) {
	case ISA_SEM_ADD: return d + s;
	case ISA_SEM_SUB: return d - s;
	case ISA_SEM_MUL: return d * s;
	case ISA_SEM_DIV: return s ? d / s : 0;
	case ISA_SEM_MOD: return s ? d % s : d;
	case ISA_SEM_SDIV:
		if (ss == 0)
			return 0;
		if (ss == -1)
			return 0 - d;
		return (uint64_t)(sd / ss);
	case ISA_SEM_SMOD:
		if (ss == 0)
			return d;
		if (ss == -1)
			return 0;
		return (uint64_t)(sd % ss);
	case ISA_SEM_OR: return d | s;
	case ISA_SEM_AND: return d & s;
	case ISA_SEM_XOR: return d ^ s;
	case ISA_SEM_LSH: return d << (s & 63);
	case ISA_SEM_RSH: return d >> (s & 63);
	case ISA_SEM_ARSH: return (uint64_t)(sd >> (s & 63));
	case ISA_SEM_NEG: return 0 - d;
	case ISA_SEM_MOV: return s;
	case ISA_SEM_MOVSX: return dt_sext(s, width);
	case ISA_SEM_LE: return width == 64 ? d : d & ((1ULL << width) - 1);
	case ISA_SEM_BE:
	case ISA_SEM_BSWAP: return dt_bswap(d, width);
	default: return 0;
	}
}

static inline uint64_t dt_alu32(enum isa_sem sem, uint64_t d64, uint64_t s64, unsigned width)
{
	uint32_t d = (uint32_t)d64, s = (uint32_t)s64;
	int32_t sd = (int32_t)d, ss = (int32_t)s;
	switch (sem) {
	case ISA_SEM_ADD: return (uint32_t)(d + s);
	case ISA_SEM_SUB: return (uint32_t)(d - s);
	case ISA_SEM_MUL: return (uint32_t)(d * s);
	case ISA_SEM_DIV: return s ? d / s : 0;
	case ISA_SEM_MOD: return s ? d % s : d;
	case ISA_SEM_SDIV:
		if (ss == 0)
			return 0;
		if (ss == -1)
			return (uint32_t)(0 - d);
		return (uint32_t)(sd / ss);
	case ISA_SEM_SMOD:
		if (ss == 0)
			return d;
		if (ss == -1)
			return 0;
		return (uint32_t)(sd % ss);
	case ISA_SEM_OR: return d | s;
	case ISA_SEM_AND: return d & s;
	case ISA_SEM_XOR: return d ^ s;
	case ISA_SEM_LSH: return (uint32_t)(d << (s & 31));
	case ISA_SEM_RSH: return d >> (s & 31);
	case ISA_SEM_ARSH: return (uint32_t)(sd >> (s & 31));
	case ISA_SEM_NEG: return (uint32_t)(0 - d);
	case ISA_SEM_MOV: return s;
	case ISA_SEM_MOVSX: return (uint32_t)dt_sext(s, width);
	/* byte swaps do not depend on the class (RFC 9669 s4.2) */
	case ISA_SEM_LE:
	case ISA_SEM_BE:
	case ISA_SEM_BSWAP: return dt_alu64(sem, d64, s64, width);
	default: return 0;
	}
}

static inline uint64_t dt_alu(enum isa_sem sem, bool is64, uint64_t d, uint64_t s, unsigned width)
{
	return is64 ? dt_alu64(sem, d, s, width) : dt_alu32(sem, d, s, width);
}

/* Whether `if d OP s` jumps, for a JMP (is64) or JMP32 tag. */
static inline bool dt_jump(enum isa_sem sem, bool is64, uint64_t d, uint64_t s)
{
	if (!is64) {
		d = (uint32_t)d;
		s = (uint32_t)s;
	}
	int64_t sd = is64 ? (int64_t)d : (int32_t)(uint32_t)d, ss = is64 ? (int64_t)s : (int32_t)(uint32_t)s;
	switch (sem) {
	case ISA_SEM_JEQ: return d == s;
	case ISA_SEM_JNE: return d != s;
	case ISA_SEM_JGT: return d > s;
	case ISA_SEM_JGE: return d >= s;
	case ISA_SEM_JLT: return d < s;
	case ISA_SEM_JLE: return d <= s;
	case ISA_SEM_JSGT: return sd > ss;
	case ISA_SEM_JSGE: return sd >= ss;
	case ISA_SEM_JSLT: return sd < ss;
	case ISA_SEM_JSLE: return sd <= ss;
	case ISA_SEM_JSET: return (d & s) != 0;
	default: return false;
	}
}

#endif
