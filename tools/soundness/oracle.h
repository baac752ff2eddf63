/* Soundness oracle: verifies a program with vf_verify and, when bpfcheck accepts it, runs it in the
 * reference interpreter on several concrete contexts. An accepted program that faults (a memory
 * access outside every region, a store to the read-only context, a bad helper argument, falling
 * off the end, an invalid instruction) is a soundness bug of the verifier. */
#ifndef BPFCHECK_TOOLS_ORACLE_H
#define BPFCHECK_TOOLS_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/isa.h"
#include "progen.h"

enum or_verdict {
	OR_REJECTED, /* bpfcheck rejects: nothing to check */
	OR_SAFE,     /* accepted, and every run ended normally */
	OR_UNSOUND,  /* accepted, and a run faulted */
	OR_BUDGET,   /* accepted, and a run hit the instruction budget (a loop bpfcheck bounded?) */
	OR_HARNESS,  /* the harness could not judge (vf_verify error, helper it does not model) */
};

struct or_outcome {
	enum or_verdict verdict;
	char what[1536];         /* for OR_UNSOUND / OR_BUDGET / OR_HARNESS: what happened */
	char first_finding[256]; /* for OR_REJECTED: "ID insn N" of the first error */
	uint32_t first_insn;     /* for OR_REJECTED: the first error's instruction (UINT32_MAX: none) */
};

/* Judges insns[0..cnt) as a program of the given type with the generator's array map. runs: how
 * many concrete runs (different contexts, packet lengths and helper results, derived from seed). */
void or_check(const struct isa_slot *insns, size_t cnt, enum pg_type type, unsigned runs, uint64_t seed,
              struct or_outcome *out);

#endif
