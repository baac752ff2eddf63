/* Internal to the assembler and disassembler: the syntax template of every ISA table entry in
 * each dialect, the placeholders those templates use, and the lexer both sides share. One
 * template serves both directions, so what the disassembler prints is what the assembler reads. */
#ifndef BPFCHECK_ISA_ASM_SYNTAX_H
#define BPFCHECK_ISA_ASM_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/asm.h"

/* Placeholders in a template ("$rd", "$i", ...). */
enum asm_ph_kind {
	ASM_PH_REG,    /* a register; style and field below */
	ASM_PH_IMM,    /* 32-bit immediate in imm */
	ASM_PH_IMM64,  /* 64-bit immediate over both slots of a wide load */
	ASM_PH_NEXT,   /* optional ", next_imm" of a pseudo wide load */
	ASM_PH_MEMOFF, /* memory offset in off: "+ 0x4" (LLVM), "+4" (uBPF), may be absent */
	ASM_PH_IMMOFF, /* legacy packet load offset in imm, printed only when not 0 */
	ASM_PH_TGT,    /* jump target in off */
	ASM_PH_ITGT,   /* jump target in imm (ja32, uBPF local call) */
	ASM_PH_PCTGT,  /* local call target in imm written "pc+N" (LLVM) */
	ASM_PH_AS_HI,  /* addr_space_cast: imm >> 16 */
	ASM_PH_AS_LO,  /* addr_space_cast: imm & 0xffff */
};

enum asm_reg_style {
	ASM_RS_R,     /* rN only (64-bit operation) */
	ASM_RS_W,     /* wN only (32-bit operation) */
	ASM_RS_ANY_R, /* rN or wN accepted, rN printed (memory operands) */
	ASM_RS_ANY_W, /* rN or wN accepted, wN printed */
	ASM_RS_UBPF,  /* %rN */
};

enum asm_reg_field { ASM_RF_DST, ASM_RF_SRC, ASM_RF_ZERO /* the implicit r0 */ };

struct asm_ph {
	uint8_t kind;  /* enum asm_ph_kind */
	uint8_t style; /* enum asm_reg_style */
	uint8_t field; /* enum asm_reg_field */
};

/* Decodes the placeholder whose name starts at s (just after '$'); returns the number of
 * characters of the name, 0 if s is not a placeholder name. */
size_t asm_ph_parse(const char *s, struct asm_ph *out);

/* Writes template number `variant` of entry e in dialect d (LLVM or UBPF) into buf. Variant 0
 * is the canonical form the disassembler prints; higher variants are aliases the assembler also
 * accepts. Returns false when there is no such variant (or e is not a stand-alone instruction). */
bool asm_template(const struct isa_entry *e, enum isa_dialect d, unsigned variant, char *buf, size_t len);

enum asm_tok_kind {
	ASM_TK_IDENT, /* r1, goto, LBB0_3, .8byte */
	ASM_TK_UREG,  /* %r1 (uBPF register, any %name) */
	ASM_TK_NUM,   /* 42, 0x2a (unsigned; a sign is a separate token) */
	ASM_TK_PUNCT, /* = += ( ) [ ] , : ... */
	ASM_TK_PH,    /* $placeholder (templates only) */
};

struct asm_tok {
	uint8_t kind;
	bool hex;      /* ASM_TK_NUM written in hex */
	bool overflow; /* ASM_TK_NUM larger than 64 bits */
	struct asm_ph ph;
	const char *s;
	uint32_t len;
	uint32_t col; /* 0-based offset in the lexed text */
	uint64_t num;
};

/* Splits s[0..len) into at most max tokens. Returns the count, or -1 with *bad_col set to the
 * column of a character that starts no token (or of the token past max), and *why to a reason. */
int asm_lex(const char *s, size_t len, bool template_mode, struct asm_tok *toks, int max, uint32_t *bad_col,
            const char **why);

/* Formats v as LLVM prints it: "0x1f", "-0x1f". */
int asm_fmt_shex(char *buf, size_t len, int64_t v);

#endif
