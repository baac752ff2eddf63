/* The assembler for both dialects. Every line is matched against the syntax templates of the ISA
 * table's entries (asm_syntax.c), the same templates the disassembler prints, so the table alone
 * decides what is accepted; labels are resolved in a second pass, in slots. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isa/asm_syntax.h"

#define TPL_MAX_TOKS 24
#define LINE_MAX_TOKS 64
#define TPL_VARIANTS 2
#define MAX_EXPECT 5

struct tpl {
	const struct isa_entry *e;
	char text[96];
	struct asm_tok toks[TPL_MAX_TOKS];
	uint8_t ntok;
	uint8_t mn_words; /* uBPF: leading identifier literals, the mnemonic ("lock fetch add") */
	uint8_t nops;     /* uBPF: operands after the mnemonic */
};

struct label {
	const char *name;
	uint32_t len;
	uint32_t line;
	size_t slot;
};

struct fixup {
	const char *name;
	uint32_t len;
	uint32_t line, col;
	size_t slot;
	uint8_t field; /* ISA_FIELD_OFF or ISA_FIELD_IMM */
};

struct ctx {
	const struct isa_table *t;
	enum isa_dialect d;
	const char *origin;
	struct bpfc_error *err;
	struct tpl *tpls;
	size_t ntpl;
	struct isa_slot *slots;
	uint32_t *lines;
	size_t nslots, slot_cap;
	struct label *labels; /* open-addressing hash table */
	size_t label_cap, nlabels;
	struct fixup *fix;
	size_t nfix, fix_cap;
	bool have_exit;
	size_t first_exit;
	/* the line being assembled */
	const char *line;
	size_t line_len;
	uint32_t lineno;
};

/* One template's attempt at a line. */
struct attempt {
	size_t pos; /* line token where matching stopped */
	bool value; /* the shape matched but a value is wrong (msg says which, at col) */
	uint32_t col;
	char msg[240];
	const struct asm_tok *want; /* mismatch: the template token expected at pos (NULL: end of line) */
};

struct match {
	struct isa_slot s[2];
	const struct asm_tok *label;
	uint8_t label_field;
	bool seen[3];
};

static int fail_at(struct ctx *c, uint32_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(struct ctx *c, uint32_t col, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bpfc_error_set(c->err, BPFC_ERR_INPUT, "%s:%" PRIu32 ":%" PRIu32 ": %s", c->origin, c->lineno,
	                      col + 1, msg);
}

static bool tok_is(const struct asm_tok *t, const char *s)
{
	size_t n = strlen(s);
	return t->len == n && strncasecmp(t->s, s, n) == 0;
}

static bool punct_is(const struct asm_tok *t, const char *s)
{
	return t->kind == ASM_TK_PUNCT && tok_is(t, s);
}

static bool lit_eq(const struct asm_tok *a, const struct asm_tok *b)
{
	if (a->kind == ASM_TK_NUM && b->kind == ASM_TK_NUM)
		return a->num == b->num && !a->overflow && !b->overflow;
	return a->kind == b->kind && a->len == b->len && strncasecmp(a->s, b->s, a->len) == 0;
}

/* ---- templates ---- */

static int build_templates(struct ctx *c)
{
	c->tpls = calloc(c->t->entry_count * TPL_VARIANTS + 1, sizeof(*c->tpls));
	if (!c->tpls)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory building assembler templates");
	for (size_t i = 0; i < c->t->entry_count; i++) {
		const struct isa_entry *e = &c->t->entries[i];
		for (unsigned v = 0; v < TPL_VARIANTS; v++) {
			struct tpl *tp = &c->tpls[c->ntpl];
			if (!asm_template(e, c->d, v, tp->text, sizeof(tp->text)))
				continue;
			uint32_t bad;
			const char *why;
			int n = asm_lex(tp->text, strlen(tp->text), true, tp->toks, TPL_MAX_TOKS, &bad, &why);
			if (n <= 0)
				return bpfc_error_set(c->err, BPFC_ERR_INPUT,
				                      "ISA table entry '%s': bad syntax template '%s'",
				                      e->mnemonic, tp->text);
			tp->e = e;
			tp->ntok = (uint8_t)n;
			while (tp->mn_words < n && tp->toks[tp->mn_words].kind == ASM_TK_IDENT)
				tp->mn_words++;
			if (tp->mn_words < n) {
				int depth = 0;
				tp->nops = 1;
				for (int k = tp->mn_words; k < n; k++) {
					const struct asm_tok *t = &tp->toks[k];
					if (punct_is(t, "(") || punct_is(t, "["))
						depth++;
					else if (punct_is(t, ")") || punct_is(t, "]"))
						depth--;
					else if (depth == 0 && punct_is(t, ","))
						tp->nops++;
				}
			}
			c->ntpl++;
		}
	}
	return BPFC_OK;
}

/* ---- operands ---- */

static int reg_value(const struct ctx *c, const struct asm_tok *t, uint8_t style, unsigned *out, char *msg,
                     size_t mlen)
{
	const char *s = t->s;
	size_t len = t->len;
	char kind;
	if (style == ASM_RS_UBPF) {
		if (t->kind != ASM_TK_UREG)
			return 0;
		s++;
		len--;
		kind = 'r';
		if (len < 2 || tolower((unsigned char)s[0]) != 'r')
			goto bad;
	} else {
		if (t->kind != ASM_TK_IDENT || len < 2)
			return 0;
		kind = (char)tolower((unsigned char)s[0]);
		if (kind != 'r' && kind != 'w')
			return 0;
	}
	unsigned v = 0;
	for (size_t i = 1; i < len; i++) {
		if (!isdigit((unsigned char)s[i])) {
			if (style == ASM_RS_UBPF)
				goto bad;
			return 0;
		}
		if (v < 1000)
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 10)
		goto bad;
	if ((style == ASM_RS_R && kind != 'r') || (style == ASM_RS_W && kind != 'w'))
		return 0;
	*out = v;
	return 1;
bad:
	snprintf(msg, mlen, "invalid register '%.*s' (registers are %s0..%s10)", (int)t->len, t->s,
	         c->d == ISA_DIALECT_UBPF ? "%r" : "r", c->d == ISA_DIALECT_UBPF ? "%r" : "r");
	return -1;
}

enum num_kind { NK_IMM32, NK_IMM64, NK_OFF16, NK_TGT16, NK_TGT32, NK_U16 };

/* An optionally signed number at toks[*i]. Returns 1 and advances *i, 0 when there is no number
 * there, -1 when the number is out of range for kind (msg says so). Decimal literals must fit
 * the signed range; hex literals may also use the unsigned range (0xffffffff is -1), except for
 * LLVM offsets, which LLVM itself requires to be signed 16-bit. */
static int take_num(const struct ctx *c, const struct asm_tok *toks, size_t n, size_t *i, enum num_kind k,
                    int64_t *out, char *msg, size_t mlen)
{
	size_t j = *i;
	bool neg = false, sign = false;
	if (j < n && (punct_is(&toks[j], "-") || punct_is(&toks[j], "+"))) {
		neg = toks[j].s[0] == '-';
		sign = true;
		j++;
	}
	if (j >= n || toks[j].kind != ASM_TK_NUM)
		return 0;
	const struct asm_tok *t = &toks[j];
	char text[48];
	snprintf(text, sizeof(text), "%s%.*s", sign ? (neg ? "-" : "+") : "",
	         (int)(t->len < 40 ? t->len : 40), t->s);
	*i = j + 1; /* past the number even when it is out of range: the shape matched */
	if (t->overflow) {
		snprintf(msg, mlen, "number '%s' does not fit in 64 bits", text);
		return -1;
	}
	uint64_t mag = t->num, neg_max, pos_max;
	bool ubpf = c->d == ISA_DIALECT_UBPF;
	const char *what;
	switch (k) {
	case NK_IMM64:
		neg_max = (uint64_t)1 << 63;
		pos_max = UINT64_MAX;
		what = "a 64-bit immediate takes -9223372036854775808..18446744073709551615";
		break;
	case NK_IMM32:
		neg_max = (uint64_t)1 << 31;
		pos_max = ubpf && !t->hex ? INT32_MAX : UINT32_MAX;
		what = ubpf ? "a 32-bit immediate takes -2147483648..2147483647 in decimal, up to 0xffffffff "
		              "in hex"
		            : "a 32-bit immediate takes -2147483648..4294967295";
		break;
	case NK_OFF16:
		neg_max = 32768;
		pos_max = ubpf && t->hex ? 0xffff : 32767;
		what = ubpf ? "offsets are 16-bit: -32768..32767 in decimal, up to 0xffff in hex"
		            : "offsets are 16-bit: -32768..32767";
		break;
	case NK_TGT16:
		neg_max = 32768;
		pos_max = 32767;
		what = "a jump offset is 16-bit: -32768..32767";
		break;
	case NK_TGT32:
		neg_max = (uint64_t)1 << 31;
		pos_max = INT32_MAX;
		what = "this target is 32-bit: -2147483648..2147483647";
		break;
	default:
		neg_max = 0;
		pos_max = 0xffff;
		what = "an address space is 0..65535";
		break;
	}
	if (neg ? mag > neg_max : mag > pos_max) {
		const char *kindname = k == NK_OFF16                      ? "offset"
		                       : (k == NK_TGT16 || k == NK_TGT32) ? "jump offset"
		                       : k == NK_U16                      ? "address space"
		                                                          : "immediate";
		snprintf(msg, mlen, "%s %s is out of range (%s)%s", kindname, text, what,
		         k == NK_IMM32 && !ubpf && !neg && mag > UINT32_MAX
		             ? "; write 'rN = VALUE ll' for a 64-bit constant"
		             : "");
		return -1;
	}
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	if (k == NK_IMM32 || k == NK_OFF16)
		*out = k == NK_IMM32 ? (int32_t)(uint32_t)*out : (int16_t)(uint16_t)*out;
	return 1;
}

/* A jump or call target: "+3", "-0x4", "3", "pc+3", or a label. */
static int take_target(const struct ctx *c, const struct asm_tok *toks, size_t n, size_t *i, uint8_t kind,
                       int64_t *out, const struct asm_tok **label, char *msg, size_t mlen)
{
	size_t j = *i;
	enum num_kind k = kind == ASM_PH_TGT ? NK_TGT16 : NK_TGT32;
	if (j >= n)
		return 0;
	bool pc = toks[j].kind == ASM_TK_IDENT && tok_is(&toks[j], "pc") && j + 1 < n &&
	          (punct_is(&toks[j + 1], "+") || punct_is(&toks[j + 1], "-"));
	if (pc) {
		j++;
		int r = take_num(c, toks, n, &j, k, out, msg, mlen);
		if (r != 0)
			*i = j;
		return r;
	}
	if (toks[j].kind == ASM_TK_IDENT) {
		*label = &toks[j];
		*out = 0;
		*i = j + 1;
		return 1;
	}
	if (kind == ASM_PH_PCTGT)
		return 0;
	return take_num(c, toks, n, i, k, out, msg, mlen);
}

static bool set_reg(struct match *m, uint8_t field, unsigned v, const struct asm_tok *t, char *msg,
                    size_t mlen)
{
	if (field == ASM_RF_ZERO) {
		if (v != 0) {
			snprintf(msg, mlen, "only r0 can be used here, not '%.*s'", (int)t->len, t->s);
			return false;
		}
		return true;
	}
	uint8_t *slot = field == ASM_RF_DST ? &m->s[0].dst : &m->s[0].src;
	if (m->seen[field] && *slot != v) {
		snprintf(msg, mlen, "'%.*s' must be the same register as the one written before (r%u)",
		         (int)t->len, t->s, *slot);
		return false;
	}
	m->seen[field] = true;
	*slot = (uint8_t)v;
	return true;
}

/* Matches the line tokens against one template. */
static bool match_tpl(const struct ctx *c, const struct tpl *tp, const struct asm_tok *toks, size_t n,
                      struct match *m, struct attempt *a)
{
	memset(m, 0, sizeof(*m));
	memset(a, 0, sizeof(*a));
	const struct isa_entry *e = tp->e;
	m->s[0].opcode = e->opcode;
	switch (e->match_field) {
	case ISA_FIELD_SRC: m->s[0].src = (uint8_t)e->match_value; break;
	case ISA_FIELD_OFF: m->s[0].off = (int16_t)e->match_value; break;
	case ISA_FIELD_IMM: m->s[0].imm = e->match_value; break;
	default: break;
	}
	size_t i = 0;
	bool soft = false; /* a value error seen; reported only if the whole line has this shape */
	char soft_msg[sizeof(a->msg)];
	uint32_t soft_col = 0;
	for (size_t k = 0; k < tp->ntok; k++) {
		const struct asm_tok *w = &tp->toks[k];
		size_t at = i;
		a->pos = i;
		a->want = w;
		int r = 1;
		int64_t v = 0;
		if (w->kind != ASM_TK_PH) {
			if (i >= n || !lit_eq(w, &toks[i]))
				return false;
			i++;
			continue;
		}
		switch (w->ph.kind) {
		case ASM_PH_REG: {
			unsigned reg = 0;
			r = i < n ? reg_value(c, &toks[i], w->ph.style, &reg, a->msg, sizeof(a->msg)) : 0;
			if (r == 1 && !set_reg(m, w->ph.field, reg, &toks[i], a->msg, sizeof(a->msg)))
				r = -1;
			if (r != 0)
				i++;
			break;
		}
		case ASM_PH_IMM:
			r = take_num(c, toks, n, &i, NK_IMM32, &v, a->msg, sizeof(a->msg));
			m->s[0].imm = (int32_t)v;
			break;
		case ASM_PH_IMM64:
			r = take_num(c, toks, n, &i, NK_IMM64, &v, a->msg, sizeof(a->msg));
			m->s[0].imm = (int32_t)(uint32_t)(uint64_t)v;
			m->s[1].imm = (int32_t)(uint32_t)((uint64_t)v >> 32);
			break;
		case ASM_PH_NEXT:
			if (i < n && punct_is(&toks[i], ",")) {
				i++;
				a->pos = i;
				r = take_num(c, toks, n, &i, NK_IMM32, &v, a->msg, sizeof(a->msg));
				m->s[1].imm = (int32_t)v;
			}
			break;
		case ASM_PH_MEMOFF:
		case ASM_PH_IMMOFF:
			if (i + 1 < n && (punct_is(&toks[i], "+") || punct_is(&toks[i], "-")) &&
			    toks[i + 1].kind == ASM_TK_NUM) {
				bool mem = w->ph.kind == ASM_PH_MEMOFF;
				r = take_num(c, toks, n, &i, mem ? NK_OFF16 : NK_IMM32, &v, a->msg,
				             sizeof(a->msg));
				if (mem)
					m->s[0].off = (int16_t)v;
				else
					m->s[0].imm = (int32_t)v;
			}
			break;
		case ASM_PH_TGT:
		case ASM_PH_ITGT:
		case ASM_PH_PCTGT:
			r = take_target(c, toks, n, &i, w->ph.kind, &v, &m->label, a->msg, sizeof(a->msg));
			if (w->ph.kind == ASM_PH_TGT)
				m->s[0].off = (int16_t)v;
			else
				m->s[0].imm = (int32_t)v;
			m->label_field = w->ph.kind == ASM_PH_TGT ? ISA_FIELD_OFF : ISA_FIELD_IMM;
			break;
		case ASM_PH_AS_HI:
		case ASM_PH_AS_LO: {
			r = take_num(c, toks, n, &i, NK_U16, &v, a->msg, sizeof(a->msg));
			uint32_t imm = (uint32_t)m->s[0].imm;
			imm = w->ph.kind == ASM_PH_AS_HI ? (imm & 0xffff) | (uint32_t)v << 16
			                                 : (imm & 0xffff0000u) | (uint32_t)v;
			m->s[0].imm = (int32_t)imm;
			break;
		}
		default: r = 0; break;
		}
		if (r == 0)
			return false;
		if (r < 0 && !soft) {
			soft = true;
			memcpy(soft_msg, a->msg, sizeof(soft_msg));
			soft_col = at < n ? toks[at].col : 0;
		}
	}
	if (i != n) {
		a->pos = i;
		a->want = NULL;
		return false;
	}
	if (soft) {
		a->value = true;
		a->pos = n;
		a->col = soft_col;
		memcpy(a->msg, soft_msg, sizeof(a->msg));
		return false;
	}
	return true;
}

/* What a template token stands for, in an error message. */
static void describe(const struct ctx *c, const struct asm_tok *w, char *buf, size_t len)
{
	if (!w) {
		snprintf(buf, len, "end of line");
		return;
	}
	if (w->kind != ASM_TK_PH) {
		if (c->d == ISA_DIALECT_UBPF && punct_is(w, "["))
			snprintf(buf, len, "a memory operand such as [%%r1+8]");
		else
			snprintf(buf, len, "'%.*s'", (int)w->len, w->s);
		return;
	}
	switch (w->ph.kind) {
	case ASM_PH_REG:
		if (w->ph.field == ASM_RF_ZERO)
			snprintf(buf, len, "r0");
		else if (w->ph.style == ASM_RS_UBPF)
			snprintf(buf, len, "a register %%r0..%%r10");
		else if (w->ph.style == ASM_RS_R)
			snprintf(buf, len, "a 64-bit register r0..r10");
		else if (w->ph.style == ASM_RS_W)
			snprintf(buf, len, "a 32-bit register w0..w10");
		else
			snprintf(buf, len, "a register");
		break;
	case ASM_PH_TGT:
	case ASM_PH_ITGT: snprintf(buf, len, "a jump target (+N, -N or a label)"); break;
	case ASM_PH_PCTGT: snprintf(buf, len, "a call target (pc+N or a label)"); break;
	case ASM_PH_MEMOFF: snprintf(buf, len, "an offset"); break;
	default: snprintf(buf, len, "a number"); break;
	}
}

/* Tries the candidate templates; on failure reports the most specific problem: a wrong value
 * in an instruction whose shape matched, else what was expected where matching got furthest. */
static int match_line(struct ctx *c, const struct tpl **cands, size_t ncand, const struct asm_tok *toks,
                      size_t n, struct match *out, const struct tpl **which)
{
	struct attempt a, best_value = {0}, best_shape = {0};
	bool have_value = false, have_shape = false;
	char expect[MAX_EXPECT][64];
	int nexp = 0;
	for (size_t k = 0; k < ncand; k++) {
		struct match m;
		if (match_tpl(c, cands[k], toks, n, &m, &a)) {
			*out = m;
			*which = cands[k];
			return BPFC_OK;
		}
		if (a.value) {
			if (!have_value)
				best_value = a;
			have_value = true;
			continue;
		}
		if (!have_shape || a.pos > best_shape.pos) {
			best_shape = a;
			nexp = 0;
		}
		have_shape = true;
		if (a.pos == best_shape.pos && nexp < MAX_EXPECT) {
			char d[64];
			describe(c, a.want, d, sizeof(d));
			bool dup = false;
			for (int x = 0; x < nexp; x++)
				dup |= strcmp(expect[x], d) == 0;
			if (!dup)
				memcpy(expect[nexp++], d, sizeof(d));
		}
	}
	uint32_t eol = n ? toks[n - 1].col + toks[n - 1].len : 0;
	if (have_value)
		return fail_at(c, best_value.col, "%s", best_value.msg);
	if (!have_shape || best_shape.pos == 0)
		return fail_at(c, n ? toks[0].col : 0, "unknown instruction '%.*s'",
		               (int)(eol - (n ? toks[0].col : 0)), n ? toks[0].s : "");
	char list[400] = "";
	for (int x = 0; x < nexp; x++) {
		size_t l = strlen(list);
		snprintf(list + l, sizeof(list) - l, "%s%s",
		         x == 0          ? ""
		         : x == nexp - 1 ? " or "
		                         : ", ",
		         expect[x]);
	}
	if (best_shape.pos >= n)
		return fail_at(c, eol, "expected %s at the end of '%.*s'", list, (int)(eol - toks[0].col),
		               toks[0].s);
	const struct asm_tok *got = &toks[best_shape.pos];
	return fail_at(c, got->col, "expected %s, got '%.*s'", list, (int)got->len, got->s);
}

/* ---- output ---- */

static int push_slot(struct ctx *c, const struct isa_slot *s)
{
	if (c->nslots == c->slot_cap) {
		size_t cap = c->slot_cap ? c->slot_cap * 2 : 64;
		struct isa_slot *ns = realloc(c->slots, cap * sizeof(*ns));
		if (!ns)
			return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory assembling %s",
			                      c->origin);
		c->slots = ns;
		uint32_t *nl = realloc(c->lines, cap * sizeof(*nl));
		if (!nl)
			return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory assembling %s",
			                      c->origin);
		c->lines = nl;
		c->slot_cap = cap;
	}
	c->lines[c->nslots] = c->lineno;
	c->slots[c->nslots++] = *s;
	return BPFC_OK;
}

static uint64_t hash_name(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static struct label *label_find(const struct ctx *c, const char *name, size_t len)
{
	if (!c->label_cap)
		return NULL;
	for (size_t i = hash_name(name, len) & (c->label_cap - 1);; i = (i + 1) & (c->label_cap - 1)) {
		struct label *l = &c->labels[i];
		if (!l->name)
			return NULL;
		if (l->len == len && memcmp(l->name, name, len) == 0)
			return l;
	}
}

static int label_define(struct ctx *c, const struct asm_tok *t)
{
	struct label *old = label_find(c, t->s, t->len);
	if (old)
		return fail_at(c, t->col, "duplicate label '%.*s' (first defined on line %" PRIu32 ")",
		               (int)t->len, t->s, old->line);
	if ((c->nlabels + 1) * 2 > c->label_cap) {
		size_t cap = c->label_cap ? c->label_cap * 2 : 64;
		struct label *nl = calloc(cap, sizeof(*nl));
		if (!nl)
			return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory assembling %s",
			                      c->origin);
		for (size_t i = 0; i < c->label_cap; i++) {
			if (!c->labels[i].name)
				continue;
			size_t j = hash_name(c->labels[i].name, c->labels[i].len) & (cap - 1);
			while (nl[j].name)
				j = (j + 1) & (cap - 1);
			nl[j] = c->labels[i];
		}
		free(c->labels);
		c->labels = nl;
		c->label_cap = cap;
	}
	size_t j = hash_name(t->s, t->len) & (c->label_cap - 1);
	while (c->labels[j].name)
		j = (j + 1) & (c->label_cap - 1);
	c->labels[j] = (struct label){t->s, t->len, c->lineno, c->nslots};
	c->nlabels++;
	return BPFC_OK;
}

static int add_fixup(struct ctx *c, const struct asm_tok *label, uint8_t field)
{
	if (c->nfix == c->fix_cap) {
		size_t cap = c->fix_cap ? c->fix_cap * 2 : 32;
		struct fixup *nf = realloc(c->fix, cap * sizeof(*nf));
		if (!nf)
			return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory assembling %s",
			                      c->origin);
		c->fix = nf;
		c->fix_cap = cap;
	}
	c->fix[c->nfix++] = (struct fixup){label->s, label->len, c->lineno, label->col, c->nslots, field};
	return BPFC_OK;
}

static int resolve_fixups(struct ctx *c)
{
	for (size_t i = 0; i < c->nfix; i++) {
		const struct fixup *f = &c->fix[i];
		const struct label *l = label_find(c, f->name, f->len);
		size_t target;
		c->lineno = f->line;
		if (l)
			target = l->slot;
		else if (c->d == ISA_DIALECT_UBPF && c->have_exit && f->len == 4 &&
		         memcmp(f->name, "exit", 4) == 0)
			target = c->first_exit; /* bpf_conformance: "exit" names the first exit */
		else
			return fail_at(c, f->col, "unknown label '%.*s'", (int)f->len, f->name);
		int64_t rel = (int64_t)target - (int64_t)f->slot - 1;
		struct isa_slot *s = &c->slots[f->slot];
		if (f->field == ISA_FIELD_OFF) {
			if (rel < INT16_MIN || rel > INT16_MAX)
				return fail_at(c, f->col,
				               "jump to label '%.*s' is out of range: offset %" PRId64
				               " does not fit in 16 bits (use a 32-bit jump: gotol / ja32)",
				               (int)f->len, f->name, rel);
			s->off = (int16_t)rel;
		} else {
			if (rel < INT32_MIN || rel > INT32_MAX)
				return fail_at(c, f->col, "target label '%.*s' is out of range", (int)f->len,
				               f->name);
			s->imm = (int32_t)rel;
		}
	}
	return BPFC_OK;
}

/* ---- lines ---- */

static const char *const ignored_directives[] = {
    ".text", ".globl", ".global",  ".section",     ".p2align", ".align", ".type",  ".size",
    ".file", ".ident", ".addrsig", ".addrsig_sym", ".local",   ".weak",  ".hidden"};

static bool ignored_directive(const char *s, size_t len)
{
	size_t w = 0;
	while (w < len && (isalnum((unsigned char)s[w]) || s[w] == '_' || s[w] == '.'))
		w++;
	size_t after = w;
	while (after < len && (s[after] == ' ' || s[after] == '\t'))
		after++;
	if (after < len && s[after] == ':')
		return false; /* ".LBB0_2:" is a label */
	for (size_t i = 0; i < sizeof(ignored_directives) / sizeof(ignored_directives[0]); i++)
		if (strlen(ignored_directives[i]) == w && strncmp(s, ignored_directives[i], w) == 0)
			return true;
	return false;
}

static int raw_directive(struct ctx *c, const struct asm_tok *toks, size_t n)
{
	size_t i = 1;
	int64_t v = 0;
	char msg[240];
	int r = take_num(c, toks, n, &i, NK_IMM64, &v, msg, sizeof(msg));
	if (r < 0)
		return fail_at(c, toks[1].col, "%s", msg);
	if (r == 0 || i != n)
		return fail_at(c, toks[0].col,
		               "'%.*s' takes one 64-bit number (the slot as imm<<32 | off<<16 | "
		               "src<<12 | dst<<8 | opcode)",
		               (int)toks[0].len, toks[0].s);
	struct isa_slot s;
	memset(&s, 0, sizeof(s));
	isa_slot_from_word((uint64_t)v, &s);
	return push_slot(c, &s);
}

/* uBPF: pick the templates whose mnemonic (and operand count) the line has, or say why none. */
static int ubpf_candidates(struct ctx *c, const struct asm_tok *toks, size_t n, const struct tpl **cands,
                           size_t *ncand)
{
	size_t words = 0;
	while (words < n && words < 3 && toks[words].kind == ASM_TK_IDENT)
		words++;
	if (words == 0)
		return fail_at(c, toks[0].col, "expected a mnemonic, got '%.*s'", (int)toks[0].len,
		               toks[0].s);
	unsigned best = 0;
	for (size_t k = 0; k < c->ntpl; k++) {
		const struct tpl *tp = &c->tpls[k];
		if (tp->mn_words > words || tp->mn_words <= best)
			continue;
		bool eq = true;
		for (unsigned w = 0; w < tp->mn_words && eq; w++)
			eq = lit_eq(&tp->toks[w], &toks[w]);
		if (eq)
			best = tp->mn_words;
	}
	if (best == 0) {
		char list[200] = "";
		int listed = 0;
		for (size_t k = 0; k < c->ntpl && listed < 4; k++) {
			const struct tpl *tp = &c->tpls[k];
			if (tp->mn_words <= words || !lit_eq(&tp->toks[0], &toks[0]))
				continue;
			bool eq = true;
			for (unsigned w = 1; w < words && eq; w++)
				eq = lit_eq(&tp->toks[w], &toks[w]);
			if (!eq)
				continue;
			size_t l = strlen(list);
			const struct asm_tok *last = &tp->toks[tp->mn_words - 1];
			snprintf(list + l, sizeof(list) - l, "%s'%.*s'", listed ? ", " : "",
			         (int)(last->s + last->len - tp->toks[0].s), tp->toks[0].s);
			listed++;
		}
		bool multi = false; /* the first word starts multi-word mnemonics ("lock", "call") */
		for (size_t k = 0; k < c->ntpl && !multi; k++)
			multi = c->tpls[k].mn_words > 1 && lit_eq(&c->tpls[k].toks[0], &toks[0]);
		const struct asm_tok *lw = &toks[words - 1];
		int mlen = (int)(lw->s + lw->len - toks[0].s);
		if (listed && words == n)
			return fail_at(
			    c, toks[0].col,
			    "wrong number of operands for '%.*s': expected an operation (%s, ...) and its "
			    "operands",
			    mlen, toks[0].s, list);
		return fail_at(c, toks[0].col, "unknown mnemonic '%.*s'", multi ? mlen : (int)toks[0].len,
		               toks[0].s);
	}
	unsigned nops = 0;
	if (n > best) {
		int depth = 0;
		nops = 1;
		for (size_t k = best; k < n; k++) {
			if (punct_is(&toks[k], "(") || punct_is(&toks[k], "["))
				depth++;
			else if (punct_is(&toks[k], ")") || punct_is(&toks[k], "]"))
				depth--;
			else if (depth == 0 && punct_is(&toks[k], ","))
				nops++;
		}
	}
	unsigned want_mask = 0;
	*ncand = 0;
	for (size_t k = 0; k < c->ntpl; k++) {
		const struct tpl *tp = &c->tpls[k];
		if (tp->mn_words != best)
			continue;
		bool eq = true;
		for (unsigned w = 0; w < best && eq; w++)
			eq = lit_eq(&tp->toks[w], &toks[w]);
		if (!eq)
			continue;
		want_mask |= 1u << (tp->nops < 31 ? tp->nops : 31);
		if (tp->nops == nops)
			cands[(*ncand)++] = tp;
	}
	if (*ncand == 0) {
		char list[64] = "";
		for (unsigned b = 0; b < 8; b++) {
			if (!(want_mask & (1u << b)))
				continue;
			size_t l = strlen(list);
			snprintf(list + l, sizeof(list) - l, "%s%u", l ? " or " : "", b);
		}
		const struct asm_tok *lw = &toks[best - 1];
		return fail_at(c, toks[0].col, "wrong number of operands for '%.*s': expected %s, got %u",
		               (int)(lw->s + lw->len - toks[0].s), toks[0].s, list, nops);
	}
	return BPFC_OK;
}

static int assemble_insn(struct ctx *c, const struct asm_tok *toks, size_t n, const struct tpl **cands)
{
	size_t ncand = 0;
	if (c->d == ISA_DIALECT_UBPF) {
		int rc = ubpf_candidates(c, toks, n, cands, &ncand);
		if (rc)
			return rc;
	} else {
		for (size_t k = 0; k < c->ntpl; k++)
			if (c->tpls[k].toks[0].kind == ASM_TK_PH || lit_eq(&c->tpls[k].toks[0], &toks[0]))
				cands[ncand++] = &c->tpls[k];
	}
	struct match m;
	const struct tpl *tp = NULL;
	int rc = match_line(c, cands, ncand, toks, n, &m, &tp);
	if (rc)
		return rc;
	if (m.label && (rc = add_fixup(c, m.label, m.label_field)))
		return rc;
	if (tp->e->sem == ISA_SEM_EXIT && !c->have_exit) {
		c->have_exit = true;
		c->first_exit = c->nslots;
	}
	if ((rc = push_slot(c, &m.s[0])))
		return rc;
	return tp->e->wide ? push_slot(c, &m.s[1]) : BPFC_OK;
}

/* The comment starts at the first ';', '#' or "//". */
static size_t strip_comment(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == ';' || s[i] == '#' || (s[i] == '/' && i + 1 < len && s[i + 1] == '/'))
			return i;
	return len;
}

static int assemble_line(struct ctx *c, const char *s, size_t len, const struct tpl **cands)
{
	struct asm_tok toks[LINE_MAX_TOKS];
	len = strip_comment(s, len);
	size_t lead = 0;
	while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	if (lead < len && s[lead] == '.' && ignored_directive(s + lead, len - lead))
		return BPFC_OK;
	uint32_t bad;
	const char *why;
	int n = asm_lex(s, len, false, toks, LINE_MAX_TOKS, &bad, &why);
	if (n < 0 && strcmp(why, "malformed number") == 0)
		return fail_at(c, bad, "malformed number '%.*s'", (int)strcspn(s + bad, " \t,])"), s + bad);
	if (n < 0 && isprint((unsigned char)s[bad]) && strcmp(why, "unexpected character") == 0)
		return fail_at(c, bad, "%s '%c'", why, s[bad]);
	if (n < 0 && strcmp(why, "unexpected character") == 0)
		return fail_at(c, bad, "%s (byte 0x%02x)", why, (unsigned char)s[bad]);
	if (n < 0)
		return fail_at(c, bad, "%s (at most %d)", why, LINE_MAX_TOKS);
	size_t p = 0;
	while (p + 1 < (size_t)n && toks[p].kind == ASM_TK_IDENT && punct_is(&toks[p + 1], ":")) {
		int rc = label_define(c, &toks[p]);
		if (rc)
			return rc;
		p += 2;
	}
	if (p == (size_t)n)
		return BPFC_OK;
	const struct asm_tok *t = &toks[p];
	if (t->kind == ASM_TK_IDENT && t->s[0] == '.') {
		if (tok_is(t, ".8byte") || tok_is(t, ".quad") || tok_is(t, ".raw"))
			return raw_directive(c, t, (size_t)n - p);
		return fail_at(
		    c, t->col,
		    "unsupported directive '%.*s' (.8byte/.quad/.raw add a raw slot; .text, .globl, .section "
		    "and other layout directives are ignored)",
		    (int)t->len, t->s);
	}
	return assemble_insn(c, t, (size_t)n - p, cands);
}

int isa_assemble(const struct isa_table *t, const char *text, size_t len, enum isa_dialect dialect,
                 const char *origin, struct isa_slot **out, size_t *count, uint32_t **line_of,
                 struct bpfc_error *err)
{
	*out = NULL;
	*count = 0;
	if (line_of)
		*line_of = NULL;
	if (!text && len)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "isa_assemble: no text");
	struct ctx c = {.t = t ? t : isa_table_default(),
	                .d = dialect == ISA_DIALECT_AUTO ? isa_asm_detect(text, len) : dialect,
	                .origin = origin ? origin : "<input>",
	                .err = err};
	const struct tpl **cands = NULL;
	int rc = build_templates(&c);
	if (!rc && !(cands = calloc(c.ntpl + 1, sizeof(*cands))))
		rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory assembling %s", c.origin);
	for (size_t pos = 0; !rc && pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		c.lineno++;
		rc = assemble_line(&c, text + pos, end - pos, cands);
		pos = end + 1;
	}
	if (!rc && c.nslots == 0) {
		c.lineno = c.lineno ? c.lineno : 1;
		rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: no instructions", c.origin);
	}
	if (!rc)
		rc = resolve_fixups(&c);
	free(cands);
	free(c.tpls);
	free(c.labels);
	free(c.fix);
	if (rc) {
		free(c.slots);
		free(c.lines);
		return rc;
	}
	*out = c.slots;
	*count = c.nslots;
	if (line_of)
		*line_of = c.lines;
	else
		free(c.lines);
	bpfc_error_clear(err);
	return BPFC_OK;
}

/* ---- dialect detection ---- */

enum isa_dialect isa_asm_detect(const char *text, size_t len)
{
	const struct isa_table *t = isa_table_default();
	long llvm = 0, ubpf = 0;
	for (size_t pos = 0; text && pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + pos;
		size_t l = strip_comment(s, end - pos);
		pos = end + 1;
		bool pct = false, eq = false;
		for (size_t i = 0; i < l; i++) {
			pct |= s[i] == '%' && i + 1 < l && (s[i + 1] == 'r' || s[i + 1] == 'R');
			eq |= s[i] == '=';
		}
		size_t w0 = 0;
		while (w0 < l && (s[w0] == ' ' || s[w0] == '\t'))
			w0++;
		size_t w1 = w0;
		while (w1 < l && (isalnum((unsigned char)s[w1]) || s[w1] == '_'))
			w1++;
		if (pct) {
			ubpf += 2;
			continue;
		}
		if (eq || (w1 - w0 == 2 && strncmp(s + w0, "if", 2) == 0) ||
		    (w1 - w0 == 4 && strncmp(s + w0, "goto", 4) == 0) ||
		    (w1 - w0 == 5 && strncmp(s + w0, "gotol", 5) == 0)) {
			llvm++;
			continue;
		}
		if (w1 - w0 == 4 && strncmp(s + w0, "call", 4) == 0) {
			size_t w2 = w1;
			while (w2 < l && (s[w2] == ' ' || s[w2] == '\t'))
				w2++;
			if (l - w2 >= 5 &&
			    (strncmp(s + w2, "local", 5) == 0 || strncmp(s + w2, "runtime", 5) == 0))
				ubpf++;
			continue;
		}
		/* A first word that is a uBPF mnemonic and not also an LLVM keyword. */
		static const char *const shared[] = {"exit", "call", "callx", "lock", "may_goto", "gotox"};
		bool is_shared = false;
		for (size_t k = 0; k < sizeof(shared) / sizeof(shared[0]); k++)
			is_shared |= strlen(shared[k]) == w1 - w0 && strncmp(s + w0, shared[k], w1 - w0) == 0;
		if (w1 == w0 || is_shared)
			continue;
		for (size_t k = 0; k < t->entry_count; k++) {
			const char *m = t->entries[k].mnemonic;
			size_t ml = strcspn(m, " ");
			if (ml == w1 - w0 && strncmp(m, s + w0, ml) == 0) {
				ubpf++;
				break;
			}
		}
	}
	return ubpf > llvm ? ISA_DIALECT_UBPF : ISA_DIALECT_LLVM;
}
