/* Lookups in an ISA table and the names of its enums; shared by every reader of the table. */
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/isa.h"

static const char *const sem_names[] = {
#define ISA_SEM_STR(name, str) str,
    ISA_SEM_LIST(ISA_SEM_STR)
#undef ISA_SEM_STR
};

const char *isa_sem_name(unsigned sem)
{
	return sem < ISA_SEM_COUNT ? sem_names[sem] : "?";
}

int isa_sem_from_name(const char *name)
{
	for (unsigned i = 0; i < ISA_SEM_COUNT; i++)
		if (strcmp(sem_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *isa_class_name(unsigned cls)
{
	static const char *const names[] = {"LD", "LDX", "ST", "STX", "ALU", "JMP", "JMP32", "ALU64"};
	return cls < 8 ? names[cls] : "?";
}

const char *isa_mode_name(unsigned mode)
{
	static const char *const names[] = {"K", "X", "IMM", "ABS", "IND", "MEM", "MEMSX", "ATOMIC"};
	return mode < 8 ? names[mode] : "?";
}

const char *isa_field_name(enum isa_field f)
{
	switch (f) {
	case ISA_FIELD_DST: return "dst_reg";
	case ISA_FIELD_SRC: return "src_reg";
	case ISA_FIELD_OFF: return "offset";
	case ISA_FIELD_IMM: return "imm";
	default: return "?";
	}
}

int64_t isa_slot_field(const struct isa_slot *s, enum isa_field f)
{
	switch (f) {
	case ISA_FIELD_DST: return s->dst;
	case ISA_FIELD_SRC: return s->src;
	case ISA_FIELD_OFF: return s->off;
	case ISA_FIELD_IMM: return s->imm;
	default: return 0;
	}
}

const struct isa_entry *isa_lookup(const struct isa_table *t, const struct isa_slot *s)
{
	unsigned n = t->count[s->opcode];
	const struct isa_entry *e = &t->entries[t->first[s->opcode]];
	/* Most opcodes have one entry and no discriminator: one load, one compare. */
	if (n == 1 && e->match_field == ISA_FIELD_NONE)
		return e;
	for (unsigned i = 0; i < n; i++, e++) {
		if (e->match_field == ISA_FIELD_NONE ||
		    isa_slot_field(s, (enum isa_field)e->match_field) == e->match_value)
			return e;
	}
	return NULL;
}

enum isa_jump_operand isa_jump_operand(unsigned sem)
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
	case ISA_SEM_MAY_GOTO: return ISA_JUMP_OFF;
	case ISA_SEM_JA32:
	case ISA_SEM_CALL_LOCAL: return ISA_JUMP_IMM;
	default: return ISA_JUMP_NONE;
	}
}

bool isa_jump_target(const struct isa_entry *e, const struct isa_slot *s, size_t idx, int64_t *target)
{
	switch (isa_jump_operand(e->sem)) {
	case ISA_JUMP_OFF: *target = (int64_t)idx + 1 + s->off; return true;
	case ISA_JUMP_IMM: *target = (int64_t)idx + 1 + s->imm; return true;
	default: return false;
	}
}

int isa_group_find(const struct isa_table *t, const char *name)
{
	for (size_t i = 0; i < t->group_count; i++)
		if (strcmp(t->groups[i].name, name) == 0)
			return (int)i;
	return -1;
}
