/* Program generator for soundness checking: turns arbitrary bytes into a well-formed eBPF program
 * (kprobe or xdp type, one array map) built from a menu of the constructs the verifier reasons about —
 * ALU on registers and immediates, both jump widths, stack and context accesses, map lookups with
 * or without a NULL check, accesses through any register, pointer arithmetic, helper calls and
 * short backward jumps. Every byte sequence gives a program whose jumps stay inside it; whether it
 * is safe is for the verifier to decide and for the interpreter to witness. */
#ifndef BPFCHECK_TOOLS_PROGEN_H
#define BPFCHECK_TOOLS_PROGEN_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/isa.h"

#define PG_MAX_SLOTS 512

/* The map the generated programs use (declared to the verifier as map 0). */
#define PG_MAP_TYPE 2 /* BPF_MAP_TYPE_ARRAY */
#define PG_MAP_KEY 4
#define PG_MAP_VALUE 16
#define PG_MAP_ENTRIES 4
/* The context: x86-64 struct pt_regs (kprobe), or struct xdp_md (xdp: data, data_end, data_meta
 * as u32 at 0, 4, 8). */
#define PG_CTX_SIZE 168
#define PG_XDP_CTX_SIZE 24

enum pg_type {
	PG_KPROBE, /* context fields are numbers */
	PG_XDP,    /* plus a packet: bounds checks against data_end, packet loads and stores */
};

struct pg_program {
	struct isa_slot insns[PG_MAX_SLOTS];
	size_t cnt;
};

/* splitmix64: the generator's and the oracle's reproducible random numbers (advances *state). */
static inline uint64_t pg_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Builds a program from data[0..len) (bytes past the end read as 0). At most max_ops menu items
 * (each a few slots); always ends with an exit. */
void pg_generate(const uint8_t *data, size_t len, size_t max_ops, enum pg_type type, struct pg_program *out);

#endif
