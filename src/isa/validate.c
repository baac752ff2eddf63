/* ISA validation: every slot against the ISA table, every finding kept, plus the groups the
 * program needs. The table is flattened once per call into a per-opcode summary so that the
 * common case (an opcode with one encoding) is a handful of masks and one predictable branch;
 * anything unusual drops to a slow path that works out what exactly is wrong. */
#include <inttypes.h>
#include <stddef.h>
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

enum op_kind { OP_UNKNOWN = 0, OP_BARE_SLOT2, OP_DIRECT, OP_MATCH, OP_LOOKUP };

/* Gate results per entry, as bits. GATE_HIDDEN: an extension told apart from standard encodings
 * of its opcode only by a field value; outside its profile the value is simply not allowed. */
enum { GATE_NONSTANDARD = 1, GATE_GROUP = 2, GATE_CPU = 4, GATE_HIDDEN = 8 };

/* What the hot loop needs about one encoding. The first 8 bytes of a slot (opcode, dst, src,
 * off; padding masked out) are checked as one word: zmask has all-ones over fields that must be
 * zero, regmask 0xf0 over register fields (a register r11..r15 shows as bit 4 once 5 is added,
 * anything above 15 shows in the high nibble itself). */
struct einfo {
	uint64_t zmask;
	uint64_t regmask;
	uint32_t imm_zmask;
	uint32_t next_imm_zmask; /* wide loads whose second slot's imm is unused */
	uint32_t match_key;      /* the selector value as the hot loop extracts it (masked to the field) */
	/* The fast pass's jump delta is (off & off_sel) | (imm & imm_sel) | not_jump: the offset of
	 * a jump, -1 for anything else (a harmless "jump" to itself). */
	int32_t off_sel, imm_sel, not_jump;
	isa_group_mask group_bit;
	uint16_t idx; /* index of the entry in the table */
	uint8_t gate, jump, cpu;
	uint8_t is_jump; /* jump != ISA_JUMP_NONE */
	uint8_t special; /* a jump or a wide load: the rare path of the loop */
};

_Static_assert(offsetof(struct isa_slot, opcode) == 0 && offsetof(struct isa_slot, dst) == 1 &&
                   offsetof(struct isa_slot, src) == 2 && offsetof(struct isa_slot, off) == 4 &&
                   offsetof(struct isa_slot, imm) == 8,
               "the word checks assume this slot layout");

/* A mask over the first 8 bytes of a slot with the given byte values in dst, src and off. */
static uint64_t slot_word_mask(uint8_t dst, uint8_t src, uint16_t off)
{
	unsigned char b[sizeof(struct isa_slot)];
	memset(b, 0, sizeof(b));
	b[offsetof(struct isa_slot, dst)] = dst;
	b[offsetof(struct isa_slot, src)] = src;
	memcpy(b + offsetof(struct isa_slot, off), &off, sizeof(off));
	uint64_t w;
	memcpy(&w, b, sizeof(w));
	return w;
}

/* What the hot loop needs about one opcode. */
struct op_info {
	struct einfo e0;   /* a copy of the first encoding's: the common case needs one load */
	uint32_t key_mask; /* selector = (imm, or first word >> key_shift) & key_mask; 0: none */
	uint16_t first;
	uint8_t count; /* entries searched in the hot loop (0: the slow path decides) */
	uint8_t kind;
	uint8_t key_shift;
	bool key_from_imm;
	bool wide;
};

/* The work areas share one allocation: einfo follows the op_info array, uint32 targets follow. */
_Static_assert(_Alignof(struct einfo) <= _Alignof(struct op_info) &&
                   _Alignof(uint32_t) <= _Alignof(struct einfo),
               "work area layout");

struct vctx {
	const struct isa_table *t;
	const struct isa_validate_opts *o;
	struct isa_validation *v;
	const struct isa_slot *insns;
	size_t n;
	struct einfo *ei;   /* per table entry */
	uint8_t *wide2;     /* bitmap (n + 1 bits): slot is the second half of a wide load */
	uint8_t *fwd;       /* bitmap (n + 1 bits): slot is the target of a forward jump */
	uint8_t *seen;      /* per table entry: present in the program (the fast pass) */
	uint32_t *targets;  /* the fast pass's jump targets (n + 1) */
	bool fwd_into_wide; /* some forward jump lands in a second slot: one more pass finds it */
	size_t cap;
	bool nomem;
};

/* Whether the profile accepts an extension outside RFC 9669 (standard encodings are always accepted). */
static bool profile_accepts_extension(enum isa_profile profile, const struct isa_entry *e)
{
	return profile == ISA_PROFILE_ANY ||
	       (profile == ISA_PROFILE_LINUX && e->platform && strcmp(e->platform, "linux") == 0);
}

static bool accepted_extension(const struct isa_validate_opts *o, const struct isa_entry *e)
{
	return profile_accepts_extension(o->profile, e);
}

static uint8_t entry_gate(const struct vctx *c, const struct isa_entry *e)
{
	if (!e->standard && !accepted_extension(c->o, e)) {
		const struct isa_entry *first = &c->t->entries[c->t->first[e->opcode]];
		for (unsigned k = 0; k < c->t->count[e->opcode]; k++)
			if (first[k].standard && e->match_field != ISA_FIELD_NONE)
				return GATE_HIDDEN;
		return GATE_NONSTANDARD; /* one root cause: the group/cpu gates are not asked too */
	}
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

/* The slow path for a slot whose encoding is known but something about it is not allowed. */
static void no_matching_entry(struct vctx *c, size_t i, const struct isa_slot *s);

static void report_entry(struct vctx *c, size_t i, const struct isa_slot *s, const struct isa_entry *e,
                         uint8_t gate)
{
	if (gate & GATE_HIDDEN) {
		no_matching_entry(c, i, s);
		return;
	}
	for (int f = 0; f < ISA_FIELD_COUNT; f++)
		check_field_rule(c, i, s, e, (enum isa_field)f, e->rule[f]);
	if (gate & GATE_NONSTANDARD)
		add_finding(c, i, s, ISA_CHECK_NONSTANDARD, e, ISA_FIELD_NONE, 0, 0, false);
	if (gate & GATE_GROUP)
		add_finding(c, i, s, ISA_CHECK_GROUP_NOT_ALLOWED, e, ISA_FIELD_NONE, e->group, 0, false);
	if (gate & GATE_CPU)
		add_finding(c, i, s, ISA_CHECK_GROUP_NOT_ALLOWED, e, ISA_FIELD_NONE, e->cpu, 1, false);
}

static int64_t jump_delta(const struct isa_slot *s, unsigned kind)
{
	return kind == ISA_JUMP_OFF ? s->off : s->imm;
}

static bool is_wide2(const struct vctx *c, size_t t)
{
	return c->wide2[t / 8] & (1u << (t % 8));
}

static bool entry_accepted(const struct isa_validate_opts *o, const struct isa_entry *e)
{
	return e->standard || accepted_extension(o, e);
}

/* A field value as the unsigned number of its width, for ordering selector values. */
static uint64_t field_unsigned(int field, int64_t v)
{
	switch (field) {
	case ISA_FIELD_OFF: return (uint16_t)v;
	case ISA_FIELD_IMM: return (uint32_t)v;
	default: return (uint64_t)v;
	}
}

/* The entries sharing an opcode are told apart by one field and no entry (of the profile)
 * matched it. When the opcode has a base encoding (selector 0) and the value is below every
 * other selector, it reads as a stray non-zero in a field the base encoding does not use
 * (mov with offset 1: ISA-RESERVED-FIELD); otherwise as a wrong selector (sdiv offset 2, atomic
 * imm 0x02, lddw src 7: ISA-BAD-OFFSET/IMM/SRC). */
static void no_matching_entry(struct vctx *c, size_t i, const struct isa_slot *s)
{
	const struct isa_table *t = c->t;
	const struct isa_entry *first = &t->entries[t->first[s->opcode]];
	unsigned n = t->count[s->opcode];
	int mf = first->match_field;
	int64_t val = mf >= 0 ? isa_slot_field(s, (enum isa_field)mf) : 0;
	const struct isa_entry *base = NULL;
	uint64_t min_nonzero = UINT64_MAX;
	for (unsigned k = 0; k < n; k++) {
		if (!entry_accepted(c->o, &first[k]) || first[k].match_field != mf)
			continue;
		uint64_t sel = field_unsigned(mf, first[k].match_value);
		if (sel == 0)
			base = &first[k];
		else if (sel < min_nonzero)
			min_nonzero = sel;
	}
	enum isa_check check = mf == ISA_FIELD_SRC   ? ISA_CHECK_BAD_SRC
	                       : mf == ISA_FIELD_OFF ? ISA_CHECK_BAD_OFFSET
	                       : mf == ISA_FIELD_IMM ? ISA_CHECK_BAD_IMM
	                                             : ISA_CHECK_UNKNOWN_OPCODE;
	if (base && mf >= 0 && field_unsigned(mf, val) < min_nonzero)
		add_finding(c, i, s, ISA_CHECK_RESERVED_FIELD, base, mf, val, 0, false);
	else
		add_finding(c, i, s, check, first, mf, val, 0, false);
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
	/* next_imm is an operand only for some subtypes (src 0, 2, 6); otherwise it is unused. */
	if (s2->imm && e->next_imm == ISA_RULE_ZERO)
		add_finding(c, i + 1, s2, ISA_CHECK_RESERVED_FIELD, e, ISA_FIELD_IMM, s2->imm, (int64_t)i,
		            true);
}

/* The bits of a selector field, as the hot loop extracts it. */
static uint32_t key_mask_of(int field)
{
	switch (field) {
	case ISA_FIELD_DST:
	case ISA_FIELD_SRC: return 0xff;
	case ISA_FIELD_OFF: return 0xffff;
	case ISA_FIELD_IMM: return 0xffffffffu;
	default: return 0;
	}
}

static void build_entry(struct vctx *c, size_t k)
{
	const struct isa_entry *e = &c->t->entries[k];
	struct einfo *ei = &c->ei[k];
	memset(ei, 0, sizeof(*ei));
	bool zd = e->rule[ISA_FIELD_DST] == ISA_RULE_ZERO, zs = e->rule[ISA_FIELD_SRC] == ISA_RULE_ZERO;
	bool zo = e->rule[ISA_FIELD_OFF] == ISA_RULE_ZERO;
	ei->zmask = slot_word_mask(zd ? 0xff : 0, zs ? 0xff : 0, zo ? 0xffff : 0);
	ei->regmask = slot_word_mask(e->rule[ISA_FIELD_DST] == ISA_RULE_REG ? 0xf0 : 0,
	                             e->rule[ISA_FIELD_SRC] == ISA_RULE_REG ? 0xf0 : 0, 0);
	ei->imm_zmask = e->rule[ISA_FIELD_IMM] == ISA_RULE_ZERO ? 0xffffffffu : 0;
	ei->next_imm_zmask = e->wide && e->next_imm == ISA_RULE_ZERO ? 0xffffffffu : 0;
	ei->match_key = (uint32_t)e->match_value & key_mask_of(e->match_field);
	ei->jump = (uint8_t)isa_jump_operand(e->sem);
	ei->off_sel = ei->jump == ISA_JUMP_OFF ? -1 : 0;
	ei->imm_sel = ei->jump == ISA_JUMP_IMM ? -1 : 0;
	ei->not_jump = ei->jump == ISA_JUMP_NONE ? -1 : 0;
	ei->is_jump = ei->jump != ISA_JUMP_NONE;
	ei->idx = (uint16_t)k;
	ei->gate = entry_gate(c, e);
	ei->cpu = e->cpu;
	ei->group_bit = (isa_group_mask)1 << e->group;
	if (ei->gate & GATE_HIDDEN) {
		ei->cpu = 0;
		ei->group_bit = 0;
		ei->jump = ISA_JUMP_NONE;
		ei->off_sel = ei->imm_sel = 0;
		ei->not_jump = -1;
		ei->is_jump = 0;
	}
}

/* The hot loop's summary of one opcode, and of its encodings. */
static void build_op(struct vctx *c, struct op_info *ops, unsigned op)
{
	const struct isa_table *t = c->t;
	struct op_info *oi = &ops[op];
	memset(oi, 0, sizeof(*oi));
	oi->e0.match_key = 1; /* never matches: key_mask is 0 */
	unsigned n = t->count[op];
	if (n == 0)
		return;
	for (unsigned k = 0; k < n; k++)
		build_entry(c, t->first[op] + k);
	const struct isa_entry *e = &t->entries[t->first[op]];
	oi->first = t->first[op];
	oi->count = (uint8_t)n;
	oi->key_mask = key_mask_of(e->match_field);
	oi->key_from_imm = e->match_field == ISA_FIELD_IMM;
	if (e->match_field == ISA_FIELD_DST)
		oi->key_shift = (uint8_t)__builtin_ctzll(slot_word_mask(0xff, 0, 0));
	else if (e->match_field == ISA_FIELD_SRC)
		oi->key_shift = (uint8_t)__builtin_ctzll(slot_word_mask(0, 0xff, 0));
	else if (e->match_field == ISA_FIELD_OFF)
		oi->key_shift = (uint8_t)__builtin_ctzll(slot_word_mask(0, 0, 0xffff));
	oi->wide = true;
	bool one_field = true;
	for (unsigned k = 0; k < n; k++) {
		oi->wide = oi->wide && e[k].wide;
		one_field = one_field && e[k].match_field == e->match_field && e[k].match_field >= 0;
	}
	if (n == 1 && e->sem == ISA_SEM_WIDE_SLOT2)
		oi->kind = OP_BARE_SLOT2;
	else if (n == 1 && e->match_field == ISA_FIELD_NONE)
		oi->kind = OP_DIRECT;
	else if (one_field)
		oi->kind = OP_MATCH;
	else
		oi->kind = OP_LOOKUP; /* mixed discriminators: isa_lookup decides */
	if (oi->kind != OP_DIRECT && oi->kind != OP_MATCH)
		oi->count = 0;
	oi->e0 = c->ei[oi->first];
	if (oi->count == 0) {
		oi->key_mask = 0;
		oi->e0.match_key = 1;
	}
}

/* Only the opcodes a small program uses (the interpreter validates many programs of a few slots:
 * summarising the whole table would cost more than the check); the loops never look at others. */
static void build_tables(struct vctx *c, struct op_info *ops)
{
	bool present[256];
	memset(present, c->n < 256 ? 0 : 1, sizeof(present));
	if (c->n < 256)
		for (size_t i = 0; i < c->n; i++)
			present[c->insns[i].opcode] = true;
	for (unsigned op = 0; op < 256; op++)
		if (present[op])
			build_op(c, ops, op);
}

/* The encoding of slot s, as the hot loop finds it; NULL when the slow path must decide. w is
 * the slot's first 8 bytes. Opcodes the loop does not search have key_mask 0 and a first key
 * of 1, so one compare settles the common case. */
static inline const struct einfo *find_einfo(const struct einfo *eis, const struct op_info *op,
                                             const struct isa_slot *s, uint64_t w)
{
	uint64_t imm = (uint32_t)s->imm;
	uint64_t word = w ^ ((w ^ imm) & (0 - (uint64_t)op->key_from_imm)); /* imm or w, no branch */
	uint32_t key = (uint32_t)(word >> op->key_shift) & op->key_mask;
	if (__builtin_expect(op->e0.match_key == key, 1))
		return &op->e0;
	for (unsigned k = op->first + 1u, end = op->first + op->count; k < end; k++)
		if (eis[k].match_key == key)
			return &eis[k];
	return NULL;
}

static const struct einfo *slow_einfo(const struct vctx *c, const struct op_info *op,
                                      const struct isa_slot *s)
{
	if (op->kind != OP_LOOKUP)
		return NULL;
	const struct isa_entry *e = isa_lookup(c->t, s);
	return e ? &c->ei[e - c->t->entries] : NULL;
}

/* The encoding of slot s, through the table probe or else the slow lookup (NULL: none); *w
 * receives the slot's first 8 bytes for the field checks. */
static inline const struct einfo *slot_einfo(const struct vctx *c, const struct op_info *op,
                                             const struct isa_slot *s, uint64_t *w)
{
	memcpy(w, s, sizeof(*w));
	const struct einfo *ei = find_einfo(c->ei, op, s, *w);
	return __builtin_expect(ei != NULL, 1) ? ei : slow_einfo(c, op, s);
}

/* Appends the findings of forward jumps into second slots (one extra pass, only when the main
 * pass saw one), then merges them into slot order. */
static void resolve_forward(struct vctx *c, const struct op_info *ops)
{
	if (!c->fwd_into_wide)
		return;
	size_t before = c->v->finding_cnt;
	for (size_t i = 0; i < c->n; i++) {
		const struct isa_slot *s = &c->insns[i];
		const struct op_info *op = &ops[s->opcode];
		uint64_t w;
		const struct einfo *ei = slot_einfo(c, op, s, &w);
		if (op->wide)
			i++;
		if (!ei || !ei->jump)
			continue;
		int64_t target = (int64_t)i + 1 + jump_delta(s, ei->jump);
		if (op->wide)
			target--; /* i was advanced past the second slot */
		size_t self = op->wide ? i - 1 : i;
		if (target > (int64_t)self && (uint64_t)target < c->n && is_wide2(c, (size_t)target))
			add_finding(c, self, s, ISA_CHECK_JUMP_INTO_WIDE, &c->t->entries[ei->idx],
			            ei->jump == ISA_JUMP_IMM ? ISA_FIELD_IMM : ISA_FIELD_OFF, target,
			            target - 1, false);
	}
	size_t total = c->v->finding_cnt, added = total - before;
	if (!added || c->nomem)
		return;
	struct isa_finding *tmp = malloc(added * sizeof(*tmp));
	if (!tmp) {
		c->nomem = true;
		return;
	}
	/* Both runs are in slot order: merge them (stable, the earlier run first on ties). */
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

/* The second slot of the wide load at i (or its absence). Returns the slots consumed after i. */
static size_t wide_tail(struct vctx *c, size_t i, const struct isa_slot *s, const struct isa_entry *we)
{
	if (i + 1 >= c->n) {
		add_finding(c, i, s, ISA_CHECK_WIDE_TRUNCATED, we, ISA_FIELD_NONE, 0, 0, false);
		return 0;
	}
	check_wide_second(c, i, we);
	if (c->fwd[(i + 1) / 8] & (1u << ((i + 1) % 8)))
		c->fwd_into_wide = true;
	return 1;
}

/* The hot loop: per slot one table probe, a few masks, and branches that are almost never
 * taken; jump bookkeeping is done with bitmaps instead of branches. */
static void validate_loop(struct vctx *c, const struct op_info *ops)
{
	const struct isa_slot *insns = c->insns;
	const struct isa_table *t = c->t;
	const size_t count = c->n;
	uint8_t *fwd = c->fwd, *wide2 = c->wide2;
	const uint64_t add5 = slot_word_mask(5, 5, 0);
	isa_group_mask used = 0;
	unsigned cpu_needed = 0;
	for (size_t i = 0; i < count; i++) {
		const struct isa_slot *s = &insns[i];
		const struct op_info *op = &ops[s->opcode];
		uint64_t w;
		const struct einfo *ei = slot_einfo(c, op, s, &w);
		if (__builtin_expect(ei == NULL, 0)) {
			if (op->kind == OP_UNKNOWN || op->kind == OP_BARE_SLOT2)
				add_finding(c, i, s, ISA_CHECK_UNKNOWN_OPCODE,
				            op->kind == OP_BARE_SLOT2 ? &t->entries[t->first[s->opcode]]
				                                      : NULL,
				            ISA_FIELD_NONE, s->opcode, 0, false);
			else
				no_matching_entry(c, i, s);
			if (op->wide)
				i += wide_tail(c, i, s, &t->entries[op->first]);
			continue;
		}
		uint64_t bad = (w & ei->zmask) | (((w + add5) | w) & ei->regmask) |
		               ((uint32_t)s->imm & ei->imm_zmask) | ei->gate;
		used |= ei->group_bit;
		cpu_needed = ei->cpu > cpu_needed ? ei->cpu : cpu_needed;
		if (__builtin_expect(bad != 0, 0))
			report_entry(c, i, s, &t->entries[ei->idx], ei->gate);
		if (ei->jump) {
			unsigned jk = ei->jump;
			int64_t delta = jk == ISA_JUMP_IMM ? (int64_t)s->imm : (int64_t)s->off;
			int64_t target = (int64_t)i + 1 + delta;
			if (__builtin_expect(target < 0 || (uint64_t)target >= count, 0)) {
				add_finding(c, i, s, ISA_CHECK_JUMP_OUT_OF_RANGE, &t->entries[ei->idx],
				            jk == ISA_JUMP_OFF ? ISA_FIELD_OFF : ISA_FIELD_IMM, target, delta,
				            false);
			} else if ((uint64_t)target > i) {
				/* Whether it lands in a second slot is known when that slot is reached. */
				fwd[target / 8] |= (uint8_t)(1u << (target % 8));
			} else if (__builtin_expect((wide2[target / 8] >> (target % 8)) & 1, 0)) {
				add_finding(c, i, s, ISA_CHECK_JUMP_INTO_WIDE, &t->entries[ei->idx],
				            jk == ISA_JUMP_OFF ? ISA_FIELD_OFF : ISA_FIELD_IMM, target,
				            target - 1, false);
			}
		}
		if (__builtin_expect(op->wide, 0))
			i += wide_tail(c, i, s, &t->entries[ei->idx]);
	}
	c->v->groups_used |= used;
	c->v->cpu_needed = cpu_needed;
}

/* The fast pass, for a program with nothing to report: the same checks as validate_loop
 * folded into one accumulator and without a branch on the kind of instruction; jump targets are
 * queued and checked once every wide load is known. Returns false as soon as anything would be
 * reported (the caller then runs validate_loop, which says what and where). */
static bool validate_fast(struct vctx *c, const struct op_info *ops)
{
	const struct isa_slot *insns = c->insns;
	const size_t count = c->n;
	uint8_t *wide2 = c->wide2, *seen = c->seen;
	uint32_t *targets = c->targets;
	const uint64_t add5 = slot_word_mask(5, 5, 0);
	struct isa_slot opcode_only = {.opcode = 0xff};
	uint64_t head; /* opcode, dst, src and off: all zero in a wide load's second slot */
	memcpy(&head, &opcode_only, sizeof(head));
	head |= slot_word_mask(0xff, 0xff, 0xffff);
	uint64_t anomaly = 0;
	size_t jumps = 0;
	for (size_t i = 0; i < count; i++) {
		const struct isa_slot *s = &insns[i];
		const struct op_info *op = &ops[s->opcode];
		uint64_t w;
		const struct einfo *ei = slot_einfo(c, op, s, &w);
		if (__builtin_expect(ei == NULL, 0))
			return false;
		anomaly |= (w & ei->zmask) | (((w + add5) | w) & ei->regmask) |
		           ((uint32_t)s->imm & ei->imm_zmask) | ei->gate;
		seen[ei->idx] = 1;
		int64_t delta = ((int32_t)s->off & ei->off_sel) | (s->imm & ei->imm_sel) | ei->not_jump;
		int64_t target = (int64_t)i + 1 + delta;
		anomaly |= (uint64_t)target >= count;
		targets[jumps] = (uint32_t)target; /* kept only for a jump */
		jumps += ei->is_jump;
		if (__builtin_expect(op->wide, 0)) {
			if (i + 1 >= count)
				return false;
			uint64_t w2;
			memcpy(&w2, &insns[i + 1], sizeof(w2));
			anomaly |= (w2 & head) | ((uint32_t)insns[i + 1].imm & ei->next_imm_zmask);
			i++;
			wide2[i / 8] |= (uint8_t)(1u << (i % 8));
		}
	}
	if (anomaly)
		return false;
	for (size_t k = 0; k < jumps; k++)
		if (is_wide2(c, targets[k]))
			return false;
	isa_group_mask used = 0;
	unsigned cpu_needed = 0;
	for (size_t k = 0; k < c->t->entry_count; k++)
		if (seen[k]) {
			used |= c->ei[k].group_bit;
			cpu_needed = c->ei[k].cpu > cpu_needed ? c->ei[k].cpu : cpu_needed;
		}
	c->v->groups_used |= used;
	c->v->cpu_needed = cpu_needed;
	return true;
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
	/* One allocation for every work area (a small program's check is otherwise mostly malloc):
	 * the per-opcode and per-entry summaries, the fast pass's targets, then the zeroed parts. */
	size_t entries = t->entry_count ? t->entry_count : 1, bitmap = count / 8 + 1;
	bool fast = count < UINT32_MAX; /* target indexes are 32-bit: larger programs take the exact loop */
	size_t sz_ops = 256 * sizeof(struct op_info), sz_ei = entries * sizeof(struct einfo);
	size_t sz_targets = fast ? (count + 1) * sizeof(uint32_t) : 0;
	size_t sz_zeroed = 2 * bitmap + entries;
	uint8_t *work = NULL;
	if (count < SIZE_MAX / 16)
		work = malloc(sz_ops + sz_ei + sz_targets + sz_zeroed);
	if (work) {
		struct op_info *ops = (struct op_info *)(void *)work;
		c.ei = (struct einfo *)(void *)(work + sz_ops);
		c.targets = fast ? (uint32_t *)(void *)(work + sz_ops + sz_ei) : NULL;
		uint8_t *zeroed = work + sz_ops + sz_ei + sz_targets;
		memset(zeroed, 0, sz_zeroed);
		c.wide2 = zeroed;
		c.fwd = zeroed + bitmap;
		c.seen = zeroed + 2 * bitmap;
		build_tables(&c, ops);
		if (!fast || !validate_fast(&c, ops)) {
			memset(c.wide2, 0, bitmap);
			validate_loop(&c, ops);
			resolve_forward(&c, ops);
		}
		out->groups_needed = isa_groups_closure(t, out->groups_used);
	} else {
		c.nomem = true;
	}
	free(work);
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
		bool ok = e[k].standard || profile_accepts_extension(v->profile, &e[k]);
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

/* When the offending selector value is an extension the profile does not accept, says so. */
static void extension_note(const struct isa_validation *v, const struct isa_finding *f, char *buf, size_t len)
{
	const struct isa_table *t = v->table;
	uint8_t opcode = f->raw[0];
	const struct isa_entry *e = &t->entries[t->first[opcode]];
	buf[0] = 0;
	if (f->wide_second || f->field < 0)
		return;
	for (unsigned k = 0; k < t->count[opcode]; k++) {
		if (e[k].standard || e[k].match_field != f->field || e[k].match_value != f->value)
			continue;
		snprintf(buf, len, "; %s %" PRId64 " selects %s, a %s extension outside RFC 9669%s",
		         isa_field_name((enum isa_field)f->field), f->value, e[k].mnemonic,
		         e[k].platform ? e[k].platform : "platform",
		         e[k].platform && strcmp(e[k].platform, "linux") == 0
		             ? " (accepted under the linux profile)"
		             : "");
		return;
	}
}

char *isa_finding_message(const struct isa_validation *v, const struct isa_finding *f, char *buf, size_t len)
{
	uint8_t opcode = f->raw[0];
	char name[96], val[32], list[640], groups[256], note[256];
	const struct isa_entry *e = f->entry;
	if (!len)
		return buf;
	format_value(f->field, f->value, val, sizeof(val));
	extension_note(v, f, note, sizeof(note));
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
		if (f->wide_second && f->field == ISA_FIELD_IMM)
			snprintf(buf, len,
			         "second slot of the wide load at insn %" PRId64
			         ": next_imm is not used by %s and must be 0, found %s",
			         f->aux, f->entry ? f->entry->mnemonic : "this encoding", val);
		else if (f->wide_second)
			snprintf(buf, len,
			         "second slot of the wide load at insn %" PRId64
			         ": %s is reserved and must be 0, "
			         "found %s",
			         f->aux, field_label(f->field), val);
		else
			snprintf(buf, len, "%s: %s is not used by this encoding and must be 0, found %s%s",
			         insn_name(f, opcode, name, sizeof(name)), field_label(f->field), val, note);
		break;
	case ISA_CHECK_BAD_REGISTER:
		snprintf(buf, len, "%s: %s is r%" PRId64 ", expected a register r0..r10",
		         insn_name(f, opcode, name, sizeof(name)), field_label(f->field), f->value);
		break;
	case ISA_CHECK_BAD_IMM:
	case ISA_CHECK_BAD_OFFSET:
	case ISA_CHECK_BAD_SRC:
		expected_values(v, opcode, f->field, list, sizeof(list));
		snprintf(buf, len, "%s: %s %s matches no encoding; expected %s%s",
		         insn_name(f, opcode, name, sizeof(name)), field_label(f->field), val,
		         list[0] ? list : "none under this profile", note);
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
