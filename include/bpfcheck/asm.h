/* Assembler and disassembler for the two text dialects of eBPF:
 *  - LLVM/kernel syntax as llvm-objdump -d prints it: "r0 = *(u32 *)(r1 + 0)", "if r1 > 0x5 goto +3",
 *    "w0 s/= w1", "r1 = bswap64 r1", "lock *(u64 *)(r1 + 0) += r2", "call 1", "exit";
 *  - uBPF/bpf_conformance syntax: "mov32 %r0, 1", "ldxw %r0, [%r1+4]", "jeq %r1, 0, label",
 *    "lock add [%r1+0], %r2", "call local f".
 * Both accept labels ("name:") as jump and local-call targets. */
#ifndef BPFCHECK_ASM_H
#define BPFCHECK_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

enum isa_dialect { ISA_DIALECT_AUTO = 0, ISA_DIALECT_LLVM, ISA_DIALECT_UBPF };

/* Guesses the dialect of an assembly text (never returns ISA_DIALECT_AUTO). */
enum isa_dialect isa_asm_detect(const char *text, size_t len);

/* Assembles text into slots (*out, freed with free(); *count slots). With ISA_DIALECT_AUTO the
 * dialect is detected. If line_of is not NULL it receives a malloc'd array giving, per slot, the
 * 1-based source line it came from. Errors name origin:line:column and what was expected; text
 * without instructions is an error. t NULL means isa_table_default(). Syntax: specs/isa/syntax.md. */
int isa_assemble(const struct isa_table *t, const char *text, size_t len, enum isa_dialect dialect,
                 const char *origin, struct isa_slot **out, size_t *count, uint32_t **line_of,
                 struct bpfc_error *err);

/* Writes the instruction at slots[idx] in the given dialect (LLVM when AUTO) into buf (always
 * NUL-terminated when buflen > 0). Jump and local-call targets are written as relative offsets
 * ("goto +0x3", "call pc+0x3"). Returns the number of slots the instruction occupies (2 for a
 * complete wide load, else 1; 0 when idx >= count), never reading past count. A slot the table
 * does not describe exactly (unknown encoding, reserved field set, register > 10, wide load cut
 * short) is written as ".8byte 0x..." (LLVM) / ".raw 0x..." (uBPF) with the reason in a comment,
 * so nothing is silently lost and the text assembles back to the same slot. */
size_t isa_disasm_insn(const struct isa_table *t, const struct isa_slot *slots, size_t count, size_t idx,
                       enum isa_dialect dialect, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif
#endif
