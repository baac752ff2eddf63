/* Known-bits domain ("tristate numbers"): each of 64 bits is known 0, known 1 or unknown.
 * A vf_tnum {value, mask} stands for every x with (x & ~mask) == value; value & mask == 0.
 * Pure functions in the style of the Linux kernel's tnum.c, all on 64 bits; the 32-bit
 * sub-register is handled with vf_tnum_subreg / vf_tnum_with_subreg. See
 * specs/verifier-domains.md. */
#ifndef BPFCHECK_VF_TNUM_H
#define BPFCHECK_VF_TNUM_H

#include <stdbool.h>
#include <stdint.h>

struct vf_tnum {
	uint64_t value; /* known-1 bits */
	uint64_t mask;  /* unknown bits */
};

/* The constant v. */
struct vf_tnum vf_tnum_const(uint64_t v);
/* Every 64-bit value. */
struct vf_tnum vf_tnum_unknown(void);
/* The smallest tnum holding every value of the unsigned range [min, max] (min <= max). */
struct vf_tnum vf_tnum_range(uint64_t min, uint64_t max);
/* True when every bit is known. */
bool vf_tnum_is_const(struct vf_tnum a);
/* True when every bit is unknown. */
bool vf_tnum_is_unknown(struct vf_tnum a);
/* True when the concrete value x is a member of a. */
bool vf_tnum_contains(struct vf_tnum a, uint64_t x);
/* Smallest and largest unsigned members; smallest/largest signed members. */
uint64_t vf_tnum_umin(struct vf_tnum a);
uint64_t vf_tnum_umax(struct vf_tnum a);
int64_t vf_tnum_smin(struct vf_tnum a);
int64_t vf_tnum_smax(struct vf_tnum a);

/* The smallest member >= lo, or the largest member <= hi (unsigned order); false when there is
 * none. The reduction uses them to move range bounds onto members. */
bool vf_tnum_next_ge(struct vf_tnum a, uint64_t lo, uint64_t *out);
bool vf_tnum_prev_le(struct vf_tnum a, uint64_t hi, uint64_t *out);

/* Lattice: join (union of the sets, over-approximated), meet (intersection; *empty set when
 * the known bits conflict, the returned value is then meaningless), order. widen: the join,
 * and when bits became unknown every higher bit too (a tnum has finite height, but climbing it
 * one bit per loop iteration is slow); low known bits survive. */
struct vf_tnum vf_tnum_join(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_meet(struct vf_tnum a, struct vf_tnum b, bool *empty);
struct vf_tnum vf_tnum_widen(struct vf_tnum a, struct vf_tnum b);
bool vf_tnum_leq(struct vf_tnum a, struct vf_tnum b);
bool vf_tnum_eq(struct vf_tnum a, struct vf_tnum b);

/* Arithmetic, modulo 2^64. */
struct vf_tnum vf_tnum_add(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_sub(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_neg(struct vf_tnum a);
struct vf_tnum vf_tnum_mul(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_and(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_or(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_xor(struct vf_tnum a, struct vf_tnum b);
/* Shifts by a known count (0..63; larger counts are masked with & 63). */
struct vf_tnum vf_tnum_lsh(struct vf_tnum a, unsigned shift);
struct vf_tnum vf_tnum_rsh(struct vf_tnum a, unsigned shift);
struct vf_tnum vf_tnum_arsh(struct vf_tnum a, unsigned shift);
/* Unsigned division and remainder; exact on constants, else the high bits a bound allows. */
struct vf_tnum vf_tnum_udiv(struct vf_tnum a, struct vf_tnum b);
struct vf_tnum vf_tnum_umod(struct vf_tnum a, struct vf_tnum b);

/* Width changes: keep the low `bytes` bytes zero-extended (1, 2, 4, 8); sign-extend from the
 * low `bits` bits (8, 16, 32, 64); the low 32 bits zero-extended (the 32-bit sub-register);
 * the high 32 bits cleared/kept. */
struct vf_tnum vf_tnum_cast(struct vf_tnum a, unsigned bytes);
struct vf_tnum vf_tnum_sext(struct vf_tnum a, unsigned bits);
struct vf_tnum vf_tnum_subreg(struct vf_tnum a);
struct vf_tnum vf_tnum_with_subreg(struct vf_tnum a, struct vf_tnum low32);
/* Reverses the low `bits` bits' bytes (16, 32, 64), zero-extended: exact on known bits. */
struct vf_tnum vf_tnum_bswap(struct vf_tnum a, unsigned bits);

/* Formats a as "(value; mask)" in hex into buf; returns buf. */
const char *vf_tnum_str(struct vf_tnum a, char *buf, unsigned size);

#endif
