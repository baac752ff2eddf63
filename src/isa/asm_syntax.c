/* The syntax of every ISA table entry in both dialects, derived from the entry's class, mode,
 * size, semantic tag, match value and mnemonic, and the lexer shared by the assembler (input
 * lines and templates alike). See specs/isa/syntax.md for the resulting syntax. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "isa/asm_syntax.h"
#include "common/text.h"

/* LLVM operator of each arithmetic and conditional-jump tag; the class picks rN or wN. */
static const char *const llvm_op[ISA_SEM_COUNT] = {
    [ISA_SEM_ADD] = "+=",   [ISA_SEM_SUB] = "-=",    [ISA_SEM_MUL] = "*=",   [ISA_SEM_DIV] = "/=",
    [ISA_SEM_SDIV] = "s/=", [ISA_SEM_OR] = "|=",     [ISA_SEM_AND] = "&=",   [ISA_SEM_LSH] = "<<=",
    [ISA_SEM_RSH] = ">>=",  [ISA_SEM_MOD] = "%=",    [ISA_SEM_SMOD] = "s%=", [ISA_SEM_XOR] = "^=",
    [ISA_SEM_MOV] = "=",    [ISA_SEM_ARSH] = "s>>=", [ISA_SEM_JEQ] = "==",   [ISA_SEM_JGT] = ">",
    [ISA_SEM_JGE] = ">=",   [ISA_SEM_JSET] = "&",    [ISA_SEM_JNE] = "!=",   [ISA_SEM_JSGT] = "s>",
    [ISA_SEM_JSGE] = "s>=", [ISA_SEM_JLT] = "<",     [ISA_SEM_JLE] = "<=",   [ISA_SEM_JSLT] = "s<",
    [ISA_SEM_JSLE] = "s<=",
};

/* LLVM spelling of the atomic read-modify-write operations. */
static const char *const llvm_lock_op[ISA_SEM_COUNT] = {
    [ISA_SEM_ATOMIC_ADD] = "+=",
    [ISA_SEM_ATOMIC_OR] = "|=",
    [ISA_SEM_ATOMIC_AND] = "&=",
    [ISA_SEM_ATOMIC_XOR] = "^=",
};
static const char *const llvm_fetch_fn[ISA_SEM_COUNT] = {
    [ISA_SEM_ATOMIC_FETCH_ADD] = "atomic_fetch_add",
    [ISA_SEM_ATOMIC_FETCH_OR] = "atomic_fetch_or",
    [ISA_SEM_ATOMIC_FETCH_AND] = "atomic_fetch_and",
    [ISA_SEM_ATOMIC_FETCH_XOR] = "atomic_fetch_xor",
};

static bool put(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

/* "lddw map_by_fd" -> "map_by_fd": the pseudo wide loads are named by their mnemonic. */
static const char *second_word(const char *mnemonic)
{
	const char *sp = strchr(mnemonic, ' ');
	return sp ? sp + 1 : mnemonic;
}

static bool is_wide_pseudo(unsigned sem)
{
	return sem >= ISA_SEM_LDDW_MAP_FD && sem <= ISA_SEM_LDDW_MAP_VAL_IDX;
}

static bool llvm_template(const struct isa_entry *e, unsigned variant, char *b, size_t n)
{
	/* llvm-objdump's own spelling of a pseudo wide load: "ld_pseudo r1, 0x1, 0x3" (src, imm). */
	if (variant == 1 && is_wide_pseudo(e->sem))
		return put(b, n, "ld_pseudo $rd, %d, $i", (int)e->match_value);
	if (variant != 0)
		return false;
	bool narrow = e->cls == ISA_CLS_ALU || e->cls == ISA_CLS_JMP32;
	const char *rd = narrow ? "$wd" : "$rd", *rs = narrow ? "$ws" : "$rs";
	const char *operand = e->mode == ISA_MODE_K ? "$i" : rs;
	unsigned bits = e->size * 8u;
	/* 32-bit atomics print wN (llvm-objdump --mattr=+alu32, the only form LLVM decodes right). */
	const char *data = bits == 64 ? "$as" : "$As", *data_dst = bits == 64 ? "$ad" : "$Ad";
	const char *zero = bits == 64 ? "$a0" : "$A0";
	switch (e->sem) {
	case ISA_SEM_WIDE_SLOT2: return false;
	case ISA_SEM_NEG: return put(b, n, "%s = -%s", rd, rd);
	case ISA_SEM_MOVSX: return put(b, n, "%s = (s%d)%s", rd, (int)e->match_value, rs);
	case ISA_SEM_LE:
	case ISA_SEM_BE:
	case ISA_SEM_BSWAP: return put(b, n, "$rd = %s%d $rd", isa_sem_name(e->sem), (int)e->match_value);
	case ISA_SEM_ADDR_SPACE_CAST: return put(b, n, "$rd = addr_space_cast($rs, $h, $l)");
	case ISA_SEM_JA: return put(b, n, "goto $t");
	case ISA_SEM_JA32: return put(b, n, "gotol $T");
	case ISA_SEM_MAY_GOTO: return put(b, n, "may_goto $t");
	case ISA_SEM_GOTOX: return put(b, n, "gotox $rd");
	case ISA_SEM_CALL_HELPER: return put(b, n, "call $i");
	case ISA_SEM_CALL_LOCAL: return put(b, n, "call $p");
	case ISA_SEM_CALL_BTF: return put(b, n, "call kfunc $i");
	case ISA_SEM_CALLX: return put(b, n, "callx $rd");
	case ISA_SEM_EXIT: return put(b, n, "exit");
	case ISA_SEM_LDX: return put(b, n, "$ad = *(u%u *)($as $o)", bits);
	case ISA_SEM_LDXSX: return put(b, n, "$ad = *(s%u *)($as $o)", bits);
	case ISA_SEM_ST: return put(b, n, "*(u%u *)($ad $o) = $i", bits);
	case ISA_SEM_STX: return put(b, n, "*(u%u *)($ad $o) = $as", bits);
	case ISA_SEM_ATOMIC_XCHG:
		return put(b, n, "%s = xchg%s($ad $o, %s)", data, bits == 64 ? "_64" : "32_32", data);
	case ISA_SEM_ATOMIC_CMPXCHG:
		return put(b, n, "%s = cmpxchg%s($ad $o, %s, %s)", zero, bits == 64 ? "_64" : "32_32", zero,
		           data);
	case ISA_SEM_LOAD_ACQUIRE: return put(b, n, "%s = load_acquire((u%u *)($as $o))", data_dst, bits);
	case ISA_SEM_STORE_RELEASE: return put(b, n, "store_release((u%u *)($ad $o), %s)", bits, data);
	case ISA_SEM_LD_ABS: return put(b, n, "$a0 = *(u%u *)skb[$i]", bits);
	case ISA_SEM_LD_IND: return put(b, n, "$a0 = *(u%u *)skb[$as$x]", bits);
	case ISA_SEM_LDDW: return put(b, n, "$rd = $I ll");
	default: break;
	}
	if (is_wide_pseudo(e->sem))
		return put(b, n, "$rd = %s($i$n) ll", second_word(e->mnemonic));
	if (llvm_lock_op[e->sem])
		return put(b, n, "lock *(u%u *)($ad $o) %s %s", bits, llvm_lock_op[e->sem], data);
	if (llvm_fetch_fn[e->sem])
		return put(b, n, "%s = %s((u%u *)($ad $o), %s)", data, llvm_fetch_fn[e->sem], bits, data);
	if (!llvm_op[e->sem])
		return false;
	if (e->cls == ISA_CLS_JMP || e->cls == ISA_CLS_JMP32)
		return put(b, n, "if %s %s %s goto $t", rd, llvm_op[e->sem], operand);
	return put(b, n, "%s %s %s", rd, llvm_op[e->sem], operand);
}

static bool ubpf_template(const struct isa_entry *e, unsigned variant, char *b, size_t n)
{
	const char *m = e->mnemonic;
	bool k = e->mode == ISA_MODE_K;
	switch (e->sem) {
	case ISA_SEM_WIDE_SLOT2: return false;
	case ISA_SEM_BSWAP:
		/* bpf_conformance also spells the unconditional byte swap "swapN". */
		if (variant == 1)
			return put(b, n, "swap%d $ud", (int)e->match_value);
		return variant == 0 && put(b, n, "%s $ud", m);
	case ISA_SEM_CALLX:
		/* bpf_conformance writes callx as "call %rN"; "callx %rN" is accepted too. */
		if (variant == 1)
			return put(b, n, "%s $ud", m);
		return variant == 0 && put(b, n, "call $ud");
	case ISA_SEM_CALL_HELPER:
		if (variant == 1)
			return put(b, n, "call helper $i");
		return variant == 0 && put(b, n, "%s $i", m);
	default: break;
	}
	/* ALU64 operations also answer to "<op>64" (add64, mov64), as bpf_conformance accepts. */
	bool plain_alu64 = e->cls == ISA_CLS_ALU64 && (llvm_op[e->sem] || e->sem == ISA_SEM_NEG);
	if (variant == 1 && plain_alu64) {
		if (e->sem == ISA_SEM_NEG)
			return put(b, n, "%s64 $ud", m);
		return put(b, n, "%s64 $ud, %s", m, k ? "$i" : "$us");
	}
	if (variant != 0)
		return false;
	switch (e->sem) {
	case ISA_SEM_NEG:
	case ISA_SEM_LE:
	case ISA_SEM_BE:
	case ISA_SEM_GOTOX: return put(b, n, "%s $ud", m);
	case ISA_SEM_MOVSX: return put(b, n, "%s $ud, $us", m);
	case ISA_SEM_ADDR_SPACE_CAST: return put(b, n, "%s $ud, $us, $h, $l", m);
	case ISA_SEM_JA:
	case ISA_SEM_MAY_GOTO: return put(b, n, "%s $t", m);
	case ISA_SEM_JA32:
	case ISA_SEM_CALL_LOCAL: return put(b, n, "%s $T", m);
	case ISA_SEM_CALL_BTF: return put(b, n, "%s $i", m);
	case ISA_SEM_EXIT: return put(b, n, "%s", m);
	case ISA_SEM_LDX:
	case ISA_SEM_LDXSX:
	case ISA_SEM_LOAD_ACQUIRE: return put(b, n, "%s $ud, [$us$o]", m);
	case ISA_SEM_ST: return put(b, n, "%s [$ud$o], $i", m);
	case ISA_SEM_LD_ABS: return put(b, n, "%s $i", m);
	case ISA_SEM_LD_IND: return put(b, n, "%s $us, $i", m);
	case ISA_SEM_LDDW: return put(b, n, "%s $ud, $I", m);
	default: break;
	}
	if (is_wide_pseudo(e->sem))
		return put(b, n, "lddw $ud, %s($i$n)", second_word(m));
	if (e->cls == ISA_CLS_STX) /* stx and every atomic store form */
		return put(b, n, "%s [$ud$o], $us", m);
	if (!llvm_op[e->sem])
		return false;
	if (e->cls == ISA_CLS_JMP || e->cls == ISA_CLS_JMP32)
		return put(b, n, "%s $ud, %s, $t", m, k ? "$i" : "$us");
	return put(b, n, "%s $ud, %s", m, k ? "$i" : "$us");
}

bool asm_template(const struct isa_entry *e, enum isa_dialect d, unsigned variant, char *buf, size_t len)
{
	if (e->sem >= ISA_SEM_COUNT)
		return false;
	return d == ISA_DIALECT_UBPF ? ubpf_template(e, variant, buf, len)
	                             : llvm_template(e, variant, buf, len);
}

size_t asm_ph_parse(const char *s, struct asm_ph *out)
{
	static const char styles[] = "rwaAu";
	const char *st = s[0] ? strchr(styles, s[0]) : NULL;
	if (st && (s[1] == 'd' || s[1] == 's' || s[1] == '0')) {
		out->kind = ASM_PH_REG;
		out->style = (uint8_t)(st - styles);
		out->field = s[1] == 'd' ? ASM_RF_DST : s[1] == 's' ? ASM_RF_SRC : ASM_RF_ZERO;
		return 2;
	}
	static const struct {
		char c;
		uint8_t kind;
	} simple[] = {
	    {'i', ASM_PH_IMM},    {'I', ASM_PH_IMM64}, {'n', ASM_PH_NEXT}, {'o', ASM_PH_MEMOFF},
	    {'x', ASM_PH_IMMOFF}, {'t', ASM_PH_TGT},   {'T', ASM_PH_ITGT}, {'p', ASM_PH_PCTGT},
	    {'h', ASM_PH_AS_HI},  {'l', ASM_PH_AS_LO},
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		if (s[0] == simple[i].c) {
			out->kind = simple[i].kind;
			out->style = 0;
			out->field = 0;
			return 1;
		}
	}
	return 0;
}

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Longest first, so "<<=" wins over "<" and "+=" over "+". */
static const char *const puncts[] = {
    "<<=", ">>=", "==", "!=", ">=", "<=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "=", ">", "<",
    "&",   "+",   "-",  "*",  "/",  "(",  ")",  "[",  "]",  ",",  ":",  "|",  "^",  "%",  "!", "~"};

int asm_lex(const char *s, size_t len, bool template_mode, struct asm_tok *toks, int max, uint32_t *bad_col,
            const char **why)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
			i++;
			continue;
		}
		if (n == max) {
			*bad_col = (uint32_t)i;
			*why = "too many tokens on one line";
			return -1;
		}
		struct asm_tok *t = &toks[n];
		memset(t, 0, sizeof(*t));
		t->s = s + i;
		t->col = (uint32_t)i;
		size_t start = i;
		if (template_mode && c == '$') {
			size_t k = asm_ph_parse(s + i + 1, &t->ph);
			if (k == 0) {
				*bad_col = (uint32_t)i;
				*why = "bad placeholder";
				return -1;
			}
			t->kind = ASM_TK_PH;
			i += 1 + k;
		} else if (ident_start(c)) {
			t->kind = ASM_TK_IDENT;
			while (i < len && ident_char(s[i]))
				i++;
		} else if (c == '%' && i + 1 < len && ident_start(s[i + 1])) {
			t->kind = ASM_TK_UREG;
			i++;
			while (i < len && ident_char(s[i]))
				i++;
		} else if (digit(c)) {
			t->kind = ASM_TK_NUM;
			size_t end = i;
			while (end < len && ident_char(s[end]))
				end++;
			bool hex = end - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
			uint64_t v = 0;
			for (size_t k = hex ? i + 2 : i; k < end; k++) {
				int dv = hex ? bpfc_hex_digit(s[k]) : (digit(s[k]) ? s[k] - '0' : -1);
				if (dv < 0) {
					*bad_col = (uint32_t)i;
					*why = "malformed number";
					return -1;
				}
				unsigned base = hex ? 16 : 10;
				if (v > (UINT64_MAX - (uint64_t)dv) / base)
					t->overflow = true;
				v = v * base + (uint64_t)dv;
			}
			t->num = v;
			t->hex = hex;
			i = end;
		} else {
			size_t k;
			for (k = 0; k < sizeof(puncts) / sizeof(puncts[0]); k++) {
				size_t pl = strlen(puncts[k]);
				if (len - i >= pl && memcmp(s + i, puncts[k], pl) == 0)
					break;
			}
			if (k == sizeof(puncts) / sizeof(puncts[0])) {
				*bad_col = (uint32_t)i;
				*why = "unexpected character";
				return -1;
			}
			t->kind = ASM_TK_PUNCT;
			i += strlen(puncts[k]);
		}
		t->len = (uint32_t)(i - start);
		n++;
	}
	return n;
}

int asm_fmt_shex(char *buf, size_t len, int64_t v)
{
	if (v < 0)
		return snprintf(buf, len, "-0x%" PRIx64, (uint64_t)0 - (uint64_t)v);
	return snprintf(buf, len, "0x%" PRIx64, (uint64_t)v);
}
