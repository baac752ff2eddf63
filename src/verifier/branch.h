/* Branch refinement on scalars: what a conditional jump tells about its two operands on the
 * taken and on the fall-through side, and whether each side can happen at all. */
#ifndef BPFCHECK_VF_BRANCH_H
#define BPFCHECK_VF_BRANCH_H

#include <stdbool.h>

#include "bpfcheck/isa.h"
#include "verifier/scalar.h"

/* A relation between two operands; NSET is "(a & b) == 0", the negation of SET. */
enum vf_cmp {
	VF_CMP_EQ,
	VF_CMP_NE,
	VF_CMP_UGT,
	VF_CMP_UGE,
	VF_CMP_ULT,
	VF_CMP_ULE,
	VF_CMP_SGT,
	VF_CMP_SGE,
	VF_CMP_SLT,
	VF_CMP_SLE,
	VF_CMP_SET,
	VF_CMP_NSET,
};

enum vf_outcome {
	VF_NEVER, /* the jump is never taken */
	VF_MAYBE,
	VF_ALWAYS, /* the jump is always taken */
};

struct vf_cond_split {
	struct vf_scalar taken_dst, taken_src; /* bottom when the jump is never taken */
	struct vf_scalar fall_dst, fall_src;   /* bottom when it is always taken */
	enum vf_outcome outcome;
};

/* The relation a conditional-jump tag tests (JEQ..JSLE, JSET); -1 for other tags. */
int vf_cmp_of_sem(enum isa_sem sem);
/* The relation that holds when `op` does not. */
enum vf_cmp vf_cmp_negate(enum vf_cmp op);
/* The same relation with its operands swapped (a < b  <=>  b > a). */
enum vf_cmp vf_cmp_swap(enum vf_cmp op);

/* Narrows *a and *b to the values for which `a op b` holds, compared on 64 bits (is64) or on
 * the low 32 bits (JMP32; the 64-bit bounds follow through the reduction). Returns false, and
 * sets both to bottom, when no pair of members satisfies it (as far as the domain can tell). */
bool vf_scalar_assume(enum vf_cmp op, bool is64, struct vf_scalar *a, struct vf_scalar *b);

/* Both sides of the jump `if dst OP src goto` for a JMP (is64) or JMP32 tag sem; for a K
 * operand pass vf_scalar_const((uint64_t)(int64_t)imm). An unsupported tag: both sides are the
 * operands unchanged and the outcome is VF_MAYBE. */
void vf_scalar_branch(enum isa_sem sem, bool is64, const struct vf_scalar *dst, const struct vf_scalar *src,
                      struct vf_cond_split *out);

#endif
