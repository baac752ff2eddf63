/* The scalar value of a register: a reduced product of known bits (tnum), unsigned and signed
 * 64-bit ranges and unsigned and signed 32-bit sub-register ranges. The set it stands for is
 * the intersection of the five components; vf_scalar_reduce (run by every constructor and
 * transfer function here) lets each component tighten the others. See specs/verifier-domains.md. */
#ifndef BPFCHECK_VF_SCALAR_H
#define BPFCHECK_VF_SCALAR_H

#include <stdbool.h>
#include <stdint.h>

#include "bpfcheck/isa.h"
#include "verifier/interval.h"
#include "verifier/tnum.h"

struct vf_scalar {
	struct vf_tnum var; /* known bits of the 64-bit value */
	struct vf_urange u64;
	struct vf_srange s64;
	struct vf_urange u32; /* of the low 32 bits */
	struct vf_srange s32; /* of the low 32 bits, as signed */
};

/* Constructors: a constant, every value, the empty set, an unsigned or signed 64-bit range. */
struct vf_scalar vf_scalar_const(uint64_t v);
struct vf_scalar vf_scalar_unknown(void);
struct vf_scalar vf_scalar_bottom(void);
struct vf_scalar vf_scalar_urange(uint64_t lo, uint64_t hi);
struct vf_scalar vf_scalar_srange(int64_t lo, int64_t hi);
struct vf_scalar vf_scalar_from_tnum(struct vf_tnum t);

/* Tightens every component from the others (to a fixpoint, at most a few rounds) and
 * canonicalises an empty set to vf_scalar_bottom(). Idempotent. */
struct vf_scalar vf_scalar_reduce(struct vf_scalar s);

/* Predicates. is_const: a single value (*v set when not NULL). contains: x is a member. */
bool vf_scalar_is_bottom(const struct vf_scalar *s);
bool vf_scalar_is_const(const struct vf_scalar *s, uint64_t *v);
bool vf_scalar_contains(const struct vf_scalar *s, uint64_t x);

/* Lattice. join: component-wise hull, then reduced. meet: component-wise intersection, then
 * reduced (may be bottom). widen: ranges that grew go to the type's extreme, tnum joins (finite
 * height); not reduced, so iteration terminates. narrow: extreme bounds take b's. leq: every
 * component of a inside b's (sound; complete on reduced values up to the reduction). */
struct vf_scalar vf_scalar_join(const struct vf_scalar *a, const struct vf_scalar *b);
struct vf_scalar vf_scalar_meet(const struct vf_scalar *a, const struct vf_scalar *b);
struct vf_scalar vf_scalar_widen(const struct vf_scalar *a, const struct vf_scalar *b);
struct vf_scalar vf_scalar_narrow(const struct vf_scalar *a, const struct vf_scalar *b);
bool vf_scalar_leq(const struct vf_scalar *a, const struct vf_scalar *b);
bool vf_scalar_eq(const struct vf_scalar *a, const struct vf_scalar *b);

/* The ALU transfer function: the result of `dst = dst OP src` for an ALU (is64 false: 32-bit
 * operation, result zero-extended) or ALU64 (is64 true) instruction whose semantic tag is sem.
 * For a K operand pass vf_scalar_const((uint64_t)(int64_t)imm) (RFC 9669 sign extension).
 * width: for MOVSX the source width in bits (the insn's offset: 8, 16, 32); for LE, BE and
 * BSWAP the width in bits (the insn's imm: 16, 32, 64); ignored otherwise. LE and BE assume a
 * little-endian program (LE truncates, BE swaps); for a big-endian program swap the two tags.
 * NEG, LE, BE and BSWAP ignore src. An unsupported tag gives vf_scalar_unknown(). */
struct vf_scalar vf_scalar_alu(enum isa_sem sem, bool is64, const struct vf_scalar *dst,
                               const struct vf_scalar *src, unsigned width);

/* Width changes: the low `bytes` bytes zero-extended (1, 2, 4, 8; w1 = w1 is bytes 4), and
 * the low `bits` bits sign-extended to 64 (8, 16, 32). */
struct vf_scalar vf_scalar_zext(const struct vf_scalar *s, unsigned bytes);
struct vf_scalar vf_scalar_sext(const struct vf_scalar *s, unsigned bits);

/* Loads of `bytes` (1, 2, 4, 8) bytes whose contents are unknown: zero-extended (LDX) or
 * sign-extended (LDXSX; bytes 1, 2, 4). */
struct vf_scalar vf_scalar_load_unknown(unsigned bytes);
struct vf_scalar vf_scalar_load_unknown_sx(unsigned bytes);

/* Writes a short human-readable form ("42", "[0, 255] (0x0; 0xff)", ...) into buf. */
const char *vf_scalar_str(const struct vf_scalar *s, char *buf, unsigned size);

#endif
