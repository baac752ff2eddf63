/* ISA validation: every slot against the ISA table, every finding kept, plus the groups the
 * program needs. The table is flattened once per call into a per-opcode summary so that the
 * common case (an opcode with one encoding) is a handful of masks and one predictable branch;
 * anything unusual drops to a slow path that works out what exactly is wrong. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/validate.h"

#define ISA_MAX_REG 10

static const char *const check_ids[ISA_CHECK_COUNT] = {
    "ISA-UNKNOWN-OPCODE", "ISA-RESERVED-FIELD", "ISA-BAD-REGISTER",      "ISA-BAD-IMM",
    "ISA-BAD-OFFSET",     "ISA-BAD-SRC",        "ISA-JUMP-OUT-OF-RANGE", "ISA-JUMP-INTO-WIDE",
    "ISA-WIDE-TRUNCATED", "ISA-NONSTANDARD",    "ISA-GROUP-NOT-ALLOWED",
};

const char *isa_check_id(enum isa_check c)
{
	return (unsigned)c < ISA_CHECK_COUNT ? check_ids[c] : "?";
}

enum op_kind { OP_UNKNOWN = 0, OP_BARE_SLOT2, OP_SIMPLE, OP_MULTI };
enum jump_kind { JUMP_NONE = 0, JUMP_OFF, JUMP_IMM };

/* Gate results per entry, as bits. */
enum { GATE_NONSTANDARD = 1, GATE_GROUP = 2, GATE_CPU = 4 };

/* What the hot loop needs about one opcode. Masks are all-ones for fields that must be zero. */
struct op_info {
	const struct isa_entry *entry; /* OP_SIMPLE: the only encoding */
	uint32_t imm_zmask;
	uint16_t off_zmask;
	uint8_t dst_zmask, src_zmask;
	uint8_t dst_reg, src_reg; /* 1: the field must be a register number */
	uint8_t kind, jump, gate, cpu;
	bool wide;
	isa_group_mask group_bit;
};

struct pending_jump {
	size_t insn, target;
};

struct vctx {
	const struct isa_table *t;
	const struct isa_validate_opts *o;
	struct isa_validation *v;
	const struct isa_slot *insns;
	size_t n;
	uint8_t *gates; /* per table entry */
	uint8_t *wide2; /* bitmap: slot is the second half of a wide load */
	struct pending_jump *pend;
	size_t pend_cnt, pend_cap;
	size_t cap;
	bool nomem;
};

static enum jump_kind jump_kind_of(unsigned sem)
{
	switch (sem) {
	case ISA_SEM_JA:
	case ISA_SEM_JEQ:
	case ISA_SEM_JGT:
	case ISA_SEM_JGE:
	case ISA_SEM_JSET:
	case ISA_SEM_JNE:
	case ISA_SEM_JSGT:
	case ISA_SEM_JSGE:
	case ISA_SEM_JLT:
	case ISA_SEM_JLE:
	case ISA_SEM_JSLT:
	case ISA_SEM_JSLE:
	case ISA_SEM_MAY_GOTO: return JUMP_OFF;
	case ISA_SEM_JA32:
	case ISA_SEM_CALL_LOCAL: return JUMP_IMM;
	default: return JUMP_NONE;
	}
}

static bool accepted_extension(const struct isa_validate_opts *o, const struct isa_entry *e)
{
	return o->profile == ISA_PROFILE_LINUX && e->platform && strcmp(e->platform, "linux") == 0;
}

static uint8_t entry_gate(const struct vctx *c, const struct isa_entry *e)
{
	if (!e->standard && !accepted_extension(c->o, e))
		return GATE_NONSTANDARD; /* one root cause: the group/cpu gates are not asked too */
	uint8_t g = 0;
	if (c->o->restrict_groups && !(c->v->allowed_groups & ((isa_group_mask)1 << e->group)))
		g |= GATE_GROUP;
	if (c->o->cpu && e->cpu > c->o->cpu)
		g |= GATE_CPU;
	return g;
}

static void add_finding(struct vctx *c, size_t idx, const struct isa_slot *s, enum isa_check check,
                        const struct isa_entry *e, int field, int64_t value, int64_t aux, bool wide_second)
{
	struct isa_validation *v = c->v;
	v->finding_total++;
	v->check_counts[check]++;
	if (c->o->max_findings && v->finding_cnt >= c->o->max_findings)
		return;
	if (v->finding_cnt == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct isa_finding *nf = realloc(v->findings, ncap * sizeof(*nf));
		if (!nf) {
			c->nomem = true;
			return;
		}
		v->findings = nf;
		c->cap = ncap;
	}
	struct isa_finding *f = &v->findings[v->finding_cnt++];
	memset(f, 0, sizeof(*f));
	f->insn_idx = idx;
	f->entry = e;
	f->value = value;
	f->aux = aux;
	f->check = (uint8_t)check;
	f->field = (int8_t)field;
	f->wide_second = wide_second;
	isa_encode_slot(s, c->o->byte_order, f->raw);
}

static void check_field_rule(struct vctx *c, size_t i, const struct isa_slot *s, const struct isa_entry *e,
                             enum isa_field f, unsigned rule)
{
	int64_t val = isa_slot_field(s, f);
	if (rule == ISA_RULE_ZERO && val != 0)
		add_finding(c, i, s, ISA_CHECK_RESERVED_FIELD, e, f, val, 0, false);
	else if (rule == ISA_RULE_REG && val > ISA_MAX_REG)
		add_finding(c, i, s, ISA_CHECK_BAD_REGISTER, e, f, val, 0, false);
}

static void check_gates(struct vctx *c, size_t i, const struct isa_slot *s, const struct isa_entry *e,
                        uint8_t gate)
{
	if (gate & GATE_NONSTANDARD)
		add_finding(c, i, s, ISA_CHECK_NONSTANDARD, e, ISA_FIELD_NONE, 0, 0, false);
	if (gate & GATE_GROUP)
		add_finding(c, i, s, ISA_CHECK_GROUP_NOT_ALLOWED, e, ISA_FIELD_NONE, e->group, 0, false);
	if (gate & GATE_CPU)
		add_finding(c, i, s, ISA_CHECK_GROUP_NOT_ALLOWED, e, ISA_FIELD_NONE, e->cpu, 1, false);
}

static void check_jump(struct vctx *c, size_t i, const struct isa_slot *s, const struct isa_entry *e,
                       enum jump_kind kind)
{
	int64_t delta = kind == JUMP_OFF ? s->off : s->imm;
	int64_t target = (int64_t)i + 1 + delta;
	if (target < 0 || (uint64_t)target >= c->n) {
		add_finding(c, i, s, ISA_CHECK_JUMP_OUT_OF_RANGE, e,
		            kind == JUMP_OFF ? ISA_FIELD_OFF : ISA_FIELD_IMM, target, delta, false);
		return;
	}
	size_t t = (size_t)target;
	if (t <= i) {
		if (c->wide2[t / 8] & (1u << (t % 8)))
			add_finding(c, i, s, ISA_CHECK_JUMP_INTO_WIDE, e,
			            kind == JUMP_OFF ? ISA_FIELD_OFF : ISA_FIELD_IMM, target, target - 1,
			            false);
		return;
	}
	/* Forward: whether the target is a second slot is known only later. */
	if (c->pend_cnt == c->pend_cap) {
		size_t ncap = c->pend_cap ? c->pend_cap * 2 : 64;
		struct pending_jump *np = realloc(c->pend, ncap * sizeof(*np));
		if (!np) {
			c->nomem = true;
			return;
		}
		c->pend = np;
		c->pend_cap = ncap;
	}
	c->pend[c->pend_cnt++] = (struct pending_jump){i, t};
}

/* The entries sharing an opcode are told apart by one field; no entry matched it. */
static void no_matching_entry(struct vctx *c, size_t i, const struct isa_slot *s)
{
	const struct isa_table *t = c->t;
	const struct isa_entry *first = &t->entries[t->first[s->opcode]];
	unsigned n = t->count[s->opcode];
	int mf = first->match_field;
	enum isa_check check = mf == ISA_FIELD_SRC   ? ISA_CHECK_BAD_SRC
	                       : mf == ISA_FIELD_OFF ? ISA_CHECK_BAD_OFFSET
	                       : mf == ISA_FIELD_IMM ? ISA_CHECK_BAD_IMM
	                                             : ISA_CHECK_UNKNOWN_OPCODE;
	add_finding(c, i, s, check, first, mf, mf >= 0 ? isa_slot_field(s, (enum isa_field)mf) : 0, 0, false);
	/* The other fields are still checked where every encoding of the opcode agrees on them. */
	for (int f = 0; f < ISA_FIELD_COUNT; f++) {
		if (f == mf)
			continue;
		bool same = true;
		for (unsigned k = 1; k < n && same; k++)
			same = first[k].rule[f] == first->rule[f];
		if (same)
			check_field_rule(c, i, s, NULL, (enum isa_field)f, first->rule[f]);
	}
}

static void check_entry(struct vctx *c, size_t i, const struct isa_slot *s, const struct isa_entry *e)
{
	for (int f = 0; f < ISA_FIELD_COUNT; f++)
		check_field_rule(c, i, s, e, (enum isa_field)f, e->rule[f]);
	uint8_t gate = c->gates[e - c->t->entries];
	if (gate)
		check_gates(c, i, s, e, gate);
	c->v->groups_used |= (isa_group_mask)1 << e->group;
	if (e->cpu > c->v->cpu_needed)
		c->v->cpu_needed = e->cpu;
	enum jump_kind jk = jump_kind_of(e->sem);
	if (jk != JUMP_NONE)
		check_jump(c, i, s, e, jk);
}

/* A wide load at slot i: its second slot carries only imm; the rest is reserved. */
static void check_wide_second(struct vctx *c, size_t i, const struct isa_entry *e)
{
	const struct isa_slot *s2 = &c->insns[i + 1];
	c->wide2[(i + 1) / 8] |= (uint8_t)(1u << ((i + 1) % 8));
	if (s2->opcode)
		add_finding(c, i + 1, s2, ISA_CHECK_RESERVED_FIELD, e, ISA_FINDING_FIELD_OPCODE, s2->opcode,
		            (int64_t)i, true);
	if (s2->dst)
		add_finding(c, i + 1, s2, ISA_CHECK_RESERVED_FIELD, e, ISA_FIELD_DST, s2->dst, (int64_t)i,
		            true);
	if (s2->src)
		add_finding(c, i + 1, s2, ISA_CHECK_RESERVED_FIELD, e, ISA_FIELD_SRC, s2->src, (int64_t)i,
		            true);
	if (s2->off)
		add_finding(c, i + 1, s2, ISA_CHECK_RESERVED_FIELD, e, ISA_FIELD_OFF, s2->off, (int64_t)i,
		            true);
}

static void build_ops(struct vctx *c, struct op_info *ops)
{
	const struct isa_table *t = c->t;
	for (size_t k = 0; k < t->entry_count; k++)
		c->gates[k] = entry_gate(c, &t->entries[k]);
	for (unsigned op = 0; op < 256; op++) {
		struct op_info *oi = &ops[op];
		memset(oi, 0, sizeof(*oi));
		unsigned n = t->count[op];
		if (n == 0)
			continue;
		const struct isa_entry *e = &t->entries[t->first[op]];
		oi->wide = true;
		for (unsigned k = 0; k < n; k++)
			oi->wide = oi->wide && e[k].wide;
		if (n == 1 && e->sem == ISA_SEM_WIDE_SLOT2) {
			oi->kind = OP_BARE_SLOT2;
			oi->entry = e;
			continue;
		}
		if (n > 1 || e->match_field != ISA_FIELD_NONE || e->wide) {
			oi->kind = OP_MULTI;
			continue;
		}
		oi->kind = OP_SIMPLE;
		oi->entry = e;
		oi->dst_zmask = e->rule[ISA_FIELD_DST] == ISA_RULE_ZERO ? 0xff : 0;
		oi->src_zmask = e->rule[ISA_FIELD_SRC] == ISA_RULE_ZERO ? 0xff : 0;
		oi->off_zmask = e->rule[ISA_FIELD_OFF] == ISA_RULE_ZERO ? 0xffff : 0;
		oi->imm_zmask = e->rule[ISA_FIELD_IMM] == ISA_RULE_ZERO ? 0xffffffffu : 0;
		oi->dst_reg = e->rule[ISA_FIELD_DST] == ISA_RULE_REG;
		oi->src_reg = e->rule[ISA_FIELD_SRC] == ISA_RULE_REG;
		oi->jump = (uint8_t)jump_kind_of(e->sem);
		oi->gate = c->gates[e - t->entries];
		oi->cpu = e->cpu;
		oi->group_bit = (isa_group_mask)1 << e->group;
	}
}

/* Appends the findings of forward jumps into second slots, keeping slot order. */
static void resolve_pending(struct vctx *c)
{
	size_t late = 0;
	for (size_t k = 0; k < c->pend_cnt; k++) {
		size_t t = c->pend[k].target;
		if (c->wide2[t / 8] & (1u << (t % 8)))
			late++;
	}
	if (!late)
		return;
	size_t before = c->v->finding_cnt;
	for (size_t k = 0; k < c->pend_cnt; k++) {
		size_t t = c->pend[k].target, i = c->pend[k].insn;
		if (!(c->wide2[t / 8] & (1u << (t % 8))))
			continue;
		const struct isa_slot *s = &c->insns[i];
		const struct isa_entry *e = isa_lookup(c->t, s);
		enum jump_kind jk = e ? jump_kind_of(e->sem) : JUMP_OFF;
		add_finding(c, i, s, ISA_CHECK_JUMP_INTO_WIDE, e,
		            jk == JUMP_IMM ? ISA_FIELD_IMM : ISA_FIELD_OFF, (int64_t)t, (int64_t)t - 1,
		            false);
	}
	/* Both runs are in slot order: merge them (stable, the earlier run first on ties). */
	size_t total = c->v->finding_cnt, added = total - before;
	if (!added || c->nomem)
		return;
	struct isa_finding *tmp = malloc(added * sizeof(*tmp));
	if (!tmp) {
		c->nomem = true;
		return;
	}
	struct isa_finding *f = c->v->findings;
	memcpy(tmp, f + before, added * sizeof(*tmp));
	size_t a = before, b = added, out = total;
	while (b > 0) {
		if (a > 0 && f[a - 1].insn_idx > tmp[b - 1].insn_idx)
			f[--out] = f[--a];
		else
			f[--out] = tmp[--b];
	}
	free(tmp);
}

int isa_validate(const struct isa_slot *insns, size_t count, const struct isa_validate_opts *opts,
                 struct isa_validation *out, struct bpfc_error *err)
{
	static const struct isa_validate_opts defaults = {0};
	const struct isa_validate_opts *o = opts ? opts : &defaults;
	memset(out, 0, sizeof(*out));
	if (o->cpu > 4)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "cpu level v%u does not exist (expected v1..v4)",
		                      o->cpu);
	const struct isa_table *t = o->table ? o->table : isa_table_default();
	out->table = t;
	out->profile = o->profile;
	out->insn_cnt = count;
	out->cpu = o->cpu;
	if (o->restrict_groups)
		out->allowed_groups = isa_groups_closure(t, o->allowed_groups);
	struct vctx c = {.t = t, .o = o, .v = out, .insns = insns, .n = count};
	struct op_info *ops = malloc(256 * sizeof(*ops));
	c.gates = calloc(t->entry_count ? t->entry_count : 1, 1);
	c.wide2 = calloc(count / 8 + 1, 1);
	if (!ops || !c.gates || !c.wide2) {
		c.nomem = true;
		goto out;
	}
	build_ops(&c, ops);

	isa_group_mask used = 0;
	unsigned cpu_needed = 0;
	for (size_t i = 0; i < count; i++) {
		const struct isa_slot *s = &insns[i];
		const struct op_info *op = &ops[s->opcode];
		if (op->kind == OP_SIMPLE) {
			unsigned bad =
			    (unsigned)(s->dst & op->dst_zmask) | (unsigned)(s->src & op->src_zmask) |
			    (unsigned)((uint16_t)s->off & op->off_zmask) |
			    ((uint32_t)s->imm & op->imm_zmask) | ((s->dst > ISA_MAX_REG) & op->dst_reg) |
			    ((s->src > ISA_MAX_REG) & op->src_reg) | op->gate;
			used |= op->group_bit;
			cpu_needed = op->cpu > cpu_needed ? op->cpu : cpu_needed;
			if (__builtin_expect(bad != 0, 0)) {
				const struct isa_entry *e = op->entry;
				for (int f = 0; f < ISA_FIELD_COUNT; f++)
					check_field_rule(&c, i, s, e, (enum isa_field)f, e->rule[f]);
				if (op->gate)
					check_gates(&c, i, s, e, op->gate);
			}
			if (op->jump)
				check_jump(&c, i, s, op->entry, (enum jump_kind)op->jump);
			continue;
		}
		if (op->kind == OP_UNKNOWN) {
			add_finding(&c, i, s, ISA_CHECK_UNKNOWN_OPCODE, NULL, ISA_FIELD_NONE, s->opcode, 0,
			            false);
			continue;
		}
		if (op->kind == OP_BARE_SLOT2) {
			add_finding(&c, i, s, ISA_CHECK_UNKNOWN_OPCODE, op->entry, ISA_FIELD_NONE, s->opcode,
			            0, false);
			continue;
		}
		const struct isa_entry *e = isa_lookup(t, s);
		if (e)
			check_entry(&c, i, s, e);
		else
			no_matching_entry(&c, i, s);
		if (op->wide) {
			const struct isa_entry *we = e ? e : &t->entries[t->first[s->opcode]];
			if (i + 1 >= count) {
				add_finding(&c, i, s, ISA_CHECK_WIDE_TRUNCATED, we, ISA_FIELD_NONE, 0, 0,
				            false);
			} else {
				check_wide_second(&c, i, we);
				i++;
			}
		}
	}
	out->groups_used |= used;
	if (cpu_needed > out->cpu_needed)
		out->cpu_needed = cpu_needed;
	out->groups_needed = isa_groups_closure(t, out->groups_used);
	resolve_pending(&c);
out:
	free(ops);
	free(c.gates);
	free(c.wide2);
	free(c.pend);
	if (c.nomem) {
		isa_validation_free(out);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory validating %zu slots", count);
	}
	return BPFC_OK;
}

void isa_validation_free(struct isa_validation *v)
{
	if (!v)
		return;
	free(v->findings);
	v->findings = NULL;
	v->finding_cnt = 0;
}

isa_group_mask isa_groups_closure(const struct isa_table *t, isa_group_mask mask)
{
	isa_group_mask out = 0;
	for (size_t g = 0; g < t->group_count && g < ISA_MAX_GROUPS; g++)
		if (mask & ((isa_group_mask)1 << g))
			out |= t->groups[g].closure | ((isa_group_mask)1 << g);
	return out;
}

char *isa_groups_format(const struct isa_table *t, isa_group_mask mask, char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = 0;
	for (size_t g = 0; g < t->group_count && g < ISA_MAX_GROUPS; g++) {
		if (!(mask & ((isa_group_mask)1 << g)))
			continue;
		int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", t->groups[g].name);
		if (w < 0 || (size_t)w >= len - used)
			return buf;
		used += (size_t)w;
	}
	if (!used && len)
		snprintf(buf, len, "none");
	return buf;
}

int isa_groups_parse(const struct isa_table *t, const char *list, isa_group_mask *out, struct bpfc_error *err)
{
	*out = 0;
	const char *p = list;
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != ',' && *q != ' ')
			q++;
		char name[64];
		size_t n = (size_t)(q - p);
		int g = -1;
		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = 0;
			g = isa_group_find(t, name);
		}
		if (g < 0 || g >= ISA_MAX_GROUPS) {
			char names[512];
			return bpfc_error_set(err, BPFC_ERR_USAGE,
			                      "unknown conformance group '%.*s' (groups: %s)",
			                      (int)(n > 64 ? 64 : n), p,
			                      isa_groups_format(t, ~(isa_group_mask)0, names, sizeof(names)));
		}
		*out |= t->groups[g].closure | ((isa_group_mask)1 << g);
		p = q;
	}
	return BPFC_OK;
}

/* "add32 (0x04)" for a known encoding, "opcode 0x3f (ALU64, X)" otherwise. */
static const char *insn_name(const struct isa_finding *f, uint8_t opcode, char *buf, size_t len)
{
	if (f->entry && f->entry->sem != ISA_SEM_WIDE_SLOT2 &&
	    (f->check != ISA_CHECK_BAD_IMM && f->check != ISA_CHECK_BAD_OFFSET &&
	     f->check != ISA_CHECK_BAD_SRC))
		snprintf(buf, len, "%s (0x%02x)", f->entry->mnemonic, opcode);
	else
		snprintf(buf, len, "opcode 0x%02x (%s, %s)", opcode, isa_class_name(opcode & 7),
		         f->entry ? isa_mode_name(f->entry->mode) : "?");
	return buf;
}

static const char *field_label(int field)
{
	return field == ISA_FINDING_FIELD_OPCODE ? "opcode" : isa_field_name((enum isa_field)field);
}

static void format_value(int field, int64_t v, char *buf, size_t len)
{
	if (field == ISA_FIELD_IMM || field == ISA_FINDING_FIELD_OPCODE)
		snprintf(buf, len, "0x%" PRIx32, (uint32_t)v);
	else
		snprintf(buf, len, "%" PRId64, v);
}

/* "0 (div), 1 (sdiv)": the values of the discriminating field the opcode's encodings accept
 * under the validation's profile. */
static void expected_values(const struct isa_validation *v, uint8_t opcode, int field, char *buf, size_t len)
{
	const struct isa_table *t = v->table;
	const struct isa_entry *e = &t->entries[t->first[opcode]];
	size_t used = 0;
	buf[0] = 0;
	for (unsigned k = 0; k < t->count[opcode]; k++) {
		bool ok = e[k].standard || (v->profile == ISA_PROFILE_LINUX && e[k].platform &&
		                            strcmp(e[k].platform, "linux") == 0);
		if (!ok || e[k].match_field != field)
			continue;
		char val[24];
		if (field == ISA_FIELD_IMM && e[k].mode == ISA_MODE_ATOMIC)
			snprintf(val, sizeof(val), "0x%x", (unsigned)e[k].match_value);
		else
			snprintf(val, sizeof(val), "%d", e[k].match_value);
		int w = snprintf(buf + used, len - used, "%s%s (%s)", used ? ", " : "", val, e[k].mnemonic);
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

char *isa_finding_message(const struct isa_validation *v, const struct isa_finding *f, char *buf, size_t len)
{
	uint8_t opcode = f->raw[0];
	char name[96], val[32], list[640], groups[256];
	const struct isa_entry *e = f->entry;
	if (!len)
		return buf;
	format_value(f->field, f->value, val, sizeof(val));
	switch ((enum isa_check)f->check) {
	case ISA_CHECK_UNKNOWN_OPCODE:
		if (e && e->sem == ISA_SEM_WIDE_SLOT2)
			snprintf(
			    buf, len,
			    "opcode 0x00 outside a wide load: a 0x00 slot is only valid as the second half "
			    "of a 64-bit immediate load (lddw, 0x18)");
		else
			snprintf(buf, len,
			         "unknown opcode 0x%02x (class %s): no encoding in ISA table '%s' has it",
			         opcode, isa_class_name(opcode & 7), v->table->name ? v->table->name : "?");
		break;
	case ISA_CHECK_RESERVED_FIELD:
		if (f->wide_second)
			snprintf(buf, len,
			         "second slot of the wide load at insn %" PRId64
			         ": %s is reserved and must be 0, "
			         "found %s",
			         f->aux, field_label(f->field), val);
		else
			snprintf(buf, len, "%s: %s is not used by this encoding and must be 0, found %s",
			         insn_name(f, opcode, name, sizeof(name)), field_label(f->field), val);
		break;
	case ISA_CHECK_BAD_REGISTER:
		snprintf(buf, len, "%s: %s is r%" PRId64 ", expected a register r0..r10",
		         insn_name(f, opcode, name, sizeof(name)), field_label(f->field), f->value);
		break;
	case ISA_CHECK_BAD_IMM:
	case ISA_CHECK_BAD_OFFSET:
	case ISA_CHECK_BAD_SRC:
		expected_values(v, opcode, f->field, list, sizeof(list));
		snprintf(buf, len, "%s: %s %s matches no encoding; expected %s",
		         insn_name(f, opcode, name, sizeof(name)), field_label(f->field), val,
		         list[0] ? list : "none under this profile");
		break;
	case ISA_CHECK_JUMP_OUT_OF_RANGE:
		snprintf(buf, len,
		         "%s: target insn %" PRId64 " (%+" PRId64
		         " from the next insn) is outside the program "
		         "(insns 0..%zu)",
		         insn_name(f, opcode, name, sizeof(name)), f->value, f->aux,
		         v->insn_cnt ? v->insn_cnt - 1 : 0);
		break;
	case ISA_CHECK_JUMP_INTO_WIDE:
		snprintf(buf, len,
		         "%s: target insn %" PRId64 " is the second slot of the wide load at insn %" PRId64
		         "; expected the start of an instruction",
		         insn_name(f, opcode, name, sizeof(name)), f->value, f->aux);
		break;
	case ISA_CHECK_WIDE_TRUNCATED:
		snprintf(buf, len,
		         "%s is in the last slot: a 64-bit immediate load takes 2 slots and the second is "
		         "missing",
		         insn_name(f, opcode, name, sizeof(name)));
		break;
	case ISA_CHECK_NONSTANDARD:
		snprintf(buf, len, "%s is a %s extension outside RFC 9669 (group %s); %s",
		         insn_name(f, opcode, name, sizeof(name)),
		         e && e->platform ? e->platform : "platform",
		         e && e->group < v->table->group_count ? v->table->groups[e->group].name : "?",
		         e && e->platform && strcmp(e->platform, "linux") == 0
		             ? "accepted only under the linux profile"
		             : "not accepted under the rfc9669 or linux profiles");
		break;
	case ISA_CHECK_GROUP_NOT_ALLOWED:
		if (f->aux == 1)
			snprintf(buf, len, "%s needs cpu v%" PRId64 ", above the allowed level v%u",
			         insn_name(f, opcode, name, sizeof(name)), f->value, v->cpu);
		else
			snprintf(buf, len, "%s needs conformance group %s, not among the allowed groups (%s)",
			         insn_name(f, opcode, name, sizeof(name)),
			         (size_t)f->value < v->table->group_count ? v->table->groups[f->value].name
			                                                  : "?",
			         isa_groups_format(v->table, v->allowed_groups, groups, sizeof(groups)));
		break;
	default: snprintf(buf, len, "?"); break;
	}
	return buf;
}
