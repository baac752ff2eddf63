/* The independent oracle for generated conformance tests: what RFC 9669 says each operation
 * computes, written with plain host C arithmetic and compiler built-ins, separately from the
 * interpreter (src/isa/interp.c) so that a mistake in one is caught by the other. Internal. */
#ifndef BPFCHECK_CONFORMANCE_ORACLE_H
#define BPFCHECK_CONFORMANCE_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

#include "bpfcheck/isa.h"

/* dst OP src for an arithmetic tag (add ... arsh, movsx, neg) at 64 or 32 bits; off is the
 * movsx width. src is the operand as the instruction reads it (see oracle_k_operand). Returns
 * false for a tag the oracle does not know. */
bool oracle_alu(enum isa_sem sem, bool is64, uint64_t dst, uint64_t src, int off, uint64_t *out);

/* The operand value of an immediate for a class: ALU64 and JMP sign-extend imm to 64 bits,
 * ALU and JMP32 use its 32 bits. */
uint64_t oracle_k_operand(enum isa_class cls, int32_t imm);

/* Whether a conditional jump tag is taken, at 64 or 32 bits. */
bool oracle_jump(enum isa_sem sem, bool is32, uint64_t dst, uint64_t src, bool *taken);

/* le/be/bswap of width 16/32/64 for a little-endian program. */
bool oracle_end(enum isa_sem sem, int width, uint64_t dst, uint64_t *out);

/* A little-endian load of size bytes (1, 2, 4, 8), sign-extended when sx. */
uint64_t oracle_load(const uint8_t *p, int size, bool sx);

/* A little-endian store of the low size bytes of v. */
void oracle_store(uint8_t *p, int size, uint64_t v);

/* A big-endian (network order) load, as the legacy packet loads read. */
uint64_t oracle_load_be(const uint8_t *p, int size);

#endif
