/* Interval domains for the scalar value: unsigned and signed ranges of a given width (64 bits,
 * or 32 bits for the sub-register bounds). A 32-bit range stores its bounds in the 64-bit
 * fields: unsigned in [0, 2^32-1], signed in [-2^31, 2^31-1]. Every transfer function takes the
 * width and wraps modulo 2^bits as the ISA does; a result that may wrap only partly is the full
 * range. A range with lo > hi is empty (bottom). */
#ifndef BPFCHECK_VF_INTERVAL_H
#define BPFCHECK_VF_INTERVAL_H

#include <stdbool.h>
#include <stdint.h>

struct vf_urange {
	uint64_t lo, hi;
};

struct vf_srange {
	int64_t lo, hi;
};

/* Largest unsigned, smallest and largest signed value of a width (32 or 64). */
uint64_t vf_umax_of(unsigned bits);
int64_t vf_smin_of(unsigned bits);
int64_t vf_smax_of(unsigned bits);

/* Constructors and predicates. */
struct vf_urange vf_urange_full(unsigned bits);
struct vf_urange vf_urange_const(uint64_t v);
struct vf_urange vf_urange_empty(void);
bool vf_urange_is_empty(struct vf_urange a);
bool vf_urange_is_const(struct vf_urange a);
bool vf_urange_contains(struct vf_urange a, uint64_t x);
struct vf_srange vf_srange_full(unsigned bits);
struct vf_srange vf_srange_const(int64_t v);
struct vf_srange vf_srange_empty(void);
bool vf_srange_is_empty(struct vf_srange a);
bool vf_srange_is_const(struct vf_srange a);
bool vf_srange_contains(struct vf_srange a, int64_t x);

/* Lattice. widen drops a bound that grew to the type's extreme; narrow refines only bounds
 * that are at the extreme. join of an empty range is the other one. */
struct vf_urange vf_urange_join(struct vf_urange a, struct vf_urange b);
struct vf_urange vf_urange_meet(struct vf_urange a, struct vf_urange b);
struct vf_urange vf_urange_widen(struct vf_urange a, struct vf_urange b, unsigned bits);
struct vf_urange vf_urange_narrow(struct vf_urange a, struct vf_urange b, unsigned bits);
bool vf_urange_leq(struct vf_urange a, struct vf_urange b);
struct vf_srange vf_srange_join(struct vf_srange a, struct vf_srange b);
struct vf_srange vf_srange_meet(struct vf_srange a, struct vf_srange b);
struct vf_srange vf_srange_widen(struct vf_srange a, struct vf_srange b, unsigned bits);
struct vf_srange vf_srange_narrow(struct vf_srange a, struct vf_srange b, unsigned bits);
bool vf_srange_leq(struct vf_srange a, struct vf_srange b);

/* Unsigned transfer functions at a width (operands non-empty). div by 0 gives 0, mod by 0
 * gives the dividend (RFC 9669 s4.1); shift counts are already masked (< bits). */
struct vf_urange vf_urange_add(struct vf_urange a, struct vf_urange b, unsigned bits);
struct vf_urange vf_urange_sub(struct vf_urange a, struct vf_urange b, unsigned bits);
struct vf_urange vf_urange_mul(struct vf_urange a, struct vf_urange b, unsigned bits);
struct vf_urange vf_urange_div(struct vf_urange a, struct vf_urange b);
struct vf_urange vf_urange_mod(struct vf_urange a, struct vf_urange b);
struct vf_urange vf_urange_neg(struct vf_urange a, unsigned bits);
struct vf_urange vf_urange_lsh(struct vf_urange a, unsigned k, unsigned bits);
struct vf_urange vf_urange_rsh(struct vf_urange a, unsigned k);
/* The low `bits` bits of a 64-bit range (a sub-range when the high bits do not change). */
struct vf_urange vf_urange_trunc(struct vf_urange a, unsigned bits);

/* Signed transfer functions at a width. sdiv by 0 gives 0 and INT_MIN / -1 wraps to INT_MIN;
 * smod by 0 gives the dividend, truncated remainder (sign of the dividend). */
struct vf_srange vf_srange_add(struct vf_srange a, struct vf_srange b, unsigned bits);
struct vf_srange vf_srange_sub(struct vf_srange a, struct vf_srange b, unsigned bits);
struct vf_srange vf_srange_mul(struct vf_srange a, struct vf_srange b, unsigned bits);
struct vf_srange vf_srange_div(struct vf_srange a, struct vf_srange b, unsigned bits);
struct vf_srange vf_srange_mod(struct vf_srange a, struct vf_srange b, unsigned bits);
struct vf_srange vf_srange_neg(struct vf_srange a, unsigned bits);
struct vf_srange vf_srange_lsh(struct vf_srange a, unsigned k, unsigned bits);
struct vf_srange vf_srange_arsh(struct vf_srange a, unsigned k);

/* Same set seen the other way: exact when the range does not cross the sign boundary
 * (signed -> unsigned: both bounds >= 0 or both < 0), else the full range. */
struct vf_urange vf_urange_of_srange(struct vf_srange a, unsigned bits);
struct vf_srange vf_srange_of_urange(struct vf_urange a, unsigned bits);

#endif
