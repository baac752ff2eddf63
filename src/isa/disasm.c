/* The disassembler: one instruction to text in the LLVM/kernel or the uBPF dialect, by filling
 * the entry's syntax template (asm_syntax.c). A slot that the table does not describe exactly
 * is written as a raw directive so that assembling the text gives back the same slots. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "isa/asm_syntax.h"

struct out {
	char *buf;
	size_t len, pos;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	if (o->pos >= o->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos = (size_t)n < o->len - o->pos ? o->pos + (size_t)n : o->len;
}

/* A signed number the way the dialect prints it: hex for LLVM, decimal for uBPF. */
static void emit_num(struct out *o, bool llvm, int64_t v)
{
	char tmp[32];
	if (llvm)
		asm_fmt_shex(tmp, sizeof(tmp), v);
	else
		snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	emit(o, "%s", tmp);
}

/* A relative target: "+0x3" / "-0x4" (LLVM), "+3" / "-4" (uBPF). */
static void emit_rel(struct out *o, bool llvm, int64_t v)
{
	if (v >= 0)
		emit(o, "+");
	emit_num(o, llvm, v);
}

static void emit_reg(struct out *o, const struct asm_ph *ph, const struct isa_slot *s)
{
	unsigned r = ph->field == ASM_RF_DST ? s->dst : ph->field == ASM_RF_SRC ? s->src : 0;
	switch (ph->style) {
	case ASM_RS_W:
	case ASM_RS_ANY_W: emit(o, "w%u", r); break;
	case ASM_RS_UBPF: emit(o, "%%r%u", r); break;
	default: emit(o, "r%u", r); break;
	}
}

static void render(struct out *o, const char *tpl, const struct isa_slot *s, const struct isa_slot *next,
                   bool llvm)
{
	for (const char *p = tpl; *p;) {
		struct asm_ph ph;
		size_t k = *p == '$' ? asm_ph_parse(p + 1, &ph) : 0;
		if (k == 0) {
			emit(o, "%c", *p++);
			continue;
		}
		p += 1 + k;
		switch (ph.kind) {
		case ASM_PH_REG: emit_reg(o, &ph, s); break;
		case ASM_PH_IMM: emit_num(o, llvm, s->imm); break;
		case ASM_PH_IMM64: {
			uint64_t v = (uint64_t)(uint32_t)next->imm << 32 | (uint32_t)s->imm;
			if (llvm)
				emit_num(o, true, (int64_t)v);
			else
				emit(o, "0x%" PRIx64, v);
			break;
		}
		case ASM_PH_NEXT:
			if (next->imm != 0) {
				emit(o, ", ");
				emit_num(o, llvm, next->imm);
			}
			break;
		case ASM_PH_MEMOFF:
			if (llvm) {
				emit(o, "%s ", s->off < 0 ? "-" : "+");
				emit_num(o, true, s->off < 0 ? -(int64_t)s->off : s->off);
			} else if (s->off != 0) {
				emit_rel(o, false, s->off);
			}
			break;
		case ASM_PH_IMMOFF:
			if (s->imm != 0) {
				emit(o, " %s ", s->imm < 0 ? "-" : "+");
				emit_num(o, llvm, s->imm < 0 ? -(int64_t)s->imm : s->imm);
			}
			break;
		case ASM_PH_TGT: emit_rel(o, llvm, s->off); break;
		case ASM_PH_ITGT: emit_rel(o, llvm, s->imm); break;
		case ASM_PH_PCTGT:
			emit(o, "pc");
			emit_rel(o, llvm, s->imm);
			break;
		case ASM_PH_AS_HI: emit_num(o, llvm, (uint32_t)s->imm >> 16); break;
		case ASM_PH_AS_LO: emit_num(o, llvm, (uint32_t)s->imm & 0xffff); break;
		default: break;
		}
	}
}

/* Why the slot is not exactly the entry's encoding (a reserved field set, a register that does
 * not exist), or NULL. */
static const char *field_problem(const struct isa_entry *e, const struct isa_slot *s, char *why, size_t len)
{
	for (int f = 0; f < ISA_FIELD_COUNT; f++) {
		int64_t v = isa_slot_field(s, (enum isa_field)f);
		if (e->rule[f] == ISA_RULE_ZERO && v != 0) {
			snprintf(why, len, "%s with %s %" PRId64 " (must be 0)", e->mnemonic,
			         isa_field_name((enum isa_field)f), v);
			return why;
		}
		if (e->rule[f] == ISA_RULE_REG && v > 10) {
			snprintf(why, len, "%s with %s %" PRId64 " (no such register)", e->mnemonic,
			         isa_field_name((enum isa_field)f), v);
			return why;
		}
	}
	return NULL;
}

static size_t raw(struct out *o, const struct isa_slot *s, bool llvm, const char *why)
{
	emit(o, "%s 0x%016" PRIx64 " %s %s", llvm ? ".8byte" : ".raw", isa_slot_to_word(s), llvm ? ";" : "#",
	     why);
	return 1;
}

size_t isa_disasm_insn(const struct isa_table *t, const struct isa_slot *slots, size_t count, size_t idx,
                       enum isa_dialect dialect, char *buf, size_t buflen)
{
	struct out o = {buf, buflen, 0};
	if (buflen)
		buf[0] = '\0';
	if (!slots || idx >= count)
		return 0;
	if (!t)
		t = isa_table_default();
	bool llvm = dialect != ISA_DIALECT_UBPF;
	const struct isa_slot *s = &slots[idx];
	const struct isa_entry *e = isa_lookup(t, s);
	char why[160];
	if (!e) {
		if (t->count[s->opcode] == 0)
			snprintf(why, sizeof(why), "unknown opcode 0x%02x", s->opcode);
		else
			snprintf(why, sizeof(why),
			         "opcode 0x%02x: no encoding with these src/offset/imm values", s->opcode);
		return raw(&o, s, llvm, why);
	}
	if (e->sem == ISA_SEM_WIDE_SLOT2)
		return raw(&o, s, llvm,
		           "not an instruction: second slot of a 64-bit load without its first slot");
	if (field_problem(e, s, why, sizeof(why)))
		return raw(&o, s, llvm, why);
	const struct isa_slot *next = s;
	if (e->wide) {
		if (count - idx < 2)
			return raw(&o, s, llvm, "64-bit load whose second slot is missing (end of program)");
		next = &slots[idx + 1];
		const struct isa_entry *e2 = isa_lookup(t, next);
		if (!e2 || e2->sem != ISA_SEM_WIDE_SLOT2 || field_problem(e2, next, why, sizeof(why)))
			return raw(&o, s, llvm,
			           "64-bit load whose second slot is not opcode 0 with zero fields");
	}
	char tpl[96];
	if (!asm_template(e, llvm ? ISA_DIALECT_LLVM : ISA_DIALECT_UBPF, 0, tpl, sizeof(tpl)))
		return raw(&o, s, llvm, "no syntax for this encoding");
	render(&o, tpl, s, next, llvm);
	return e->wide ? 2 : 1;
}
