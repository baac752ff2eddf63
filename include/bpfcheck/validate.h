/* ISA validation: every slot of a program checked against an ISA table, every finding reported
 * (rule ids documented in specs/isa/rules.md), plus the conformance groups the program needs and
 * the gates on them (allowed groups, -mcpu level, profile). */
#ifndef BPFCHECK_VALIDATE_H
#define BPFCHECK_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a finding is about; the stable rule id is isa_check_id(). */
enum isa_check {
	ISA_CHECK_UNKNOWN_OPCODE = 0, /* ISA-UNKNOWN-OPCODE */
	ISA_CHECK_RESERVED_FIELD,     /* ISA-RESERVED-FIELD */
	ISA_CHECK_BAD_REGISTER,       /* ISA-BAD-REGISTER */
	ISA_CHECK_BAD_IMM,            /* ISA-BAD-IMM */
	ISA_CHECK_BAD_OFFSET,         /* ISA-BAD-OFFSET */
	ISA_CHECK_BAD_SRC,            /* ISA-BAD-SRC */
	ISA_CHECK_JUMP_OUT_OF_RANGE,  /* ISA-JUMP-OUT-OF-RANGE */
	ISA_CHECK_JUMP_INTO_WIDE,     /* ISA-JUMP-INTO-WIDE */
	ISA_CHECK_WIDE_TRUNCATED,     /* ISA-WIDE-TRUNCATED */
	ISA_CHECK_NONSTANDARD,        /* ISA-NONSTANDARD */
	ISA_CHECK_GROUP_NOT_ALLOWED,  /* ISA-GROUP-NOT-ALLOWED */
	ISA_CHECK_COUNT
};

/* Which encodings are acceptable beyond RFC 9669. */
enum isa_profile {
	ISA_PROFILE_RFC9669 = 0, /* standard encodings only: extensions are ISA-NONSTANDARD */
	ISA_PROFILE_LINUX,       /* also the extensions whose platform is "linux" */
	ISA_PROFILE_ANY,         /* every encoding of the table, whatever its platform (the
	                            interpreter: the table it executes is the contract) */
};

struct isa_validate_opts {
	const struct isa_table *table; /* NULL: isa_table_default() */
	enum isa_profile profile;
	bool restrict_groups;           /* false: every group allowed */
	isa_group_mask allowed_groups;  /* with restrict_groups: groups allowed (closure applied) */
	unsigned cpu;                   /* 1..4: reject encodings whose cpu level is above; 0: no limit */
	enum isa_byte_order byte_order; /* layout of the raw bytes quoted in findings */
	size_t max_findings;            /* findings stored at most (the rest only counted); 0: all */
};

#define ISA_FINDING_FIELD_OPCODE (-2) /* the opcode byte of a wide load's second slot */

struct isa_finding {
	size_t insn_idx;               /* slot index */
	const struct isa_entry *entry; /* the encoding involved, NULL for unknown opcodes */
	int64_t value;                 /* the offending value: field value, jump target, wide-load index */
	int64_t aux;                   /* jump: the wide load's index for JUMP-INTO-WIDE */
	uint8_t raw[8];                /* the slot's 8 bytes as encoded */
	uint8_t check;                 /* enum isa_check */
	int8_t field;                  /* enum isa_field, ISA_FINDING_FIELD_OPCODE, or ISA_FIELD_NONE */
	bool wide_second;              /* about the second slot of a wide load */
};

struct isa_validation {
	const struct isa_table *table;
	enum isa_profile profile;
	size_t insn_cnt;
	struct isa_finding *findings; /* in slot order */
	size_t finding_cnt;           /* stored */
	size_t finding_total;         /* found (>= finding_cnt when max_findings was reached) */
	size_t check_counts[ISA_CHECK_COUNT];
	isa_group_mask groups_used;    /* groups of the encodings present */
	isa_group_mask groups_needed;  /* groups_used with every implied group (base64 -> base32) */
	isa_group_mask allowed_groups; /* closure of the allowed set when restricted */
	unsigned cpu;                  /* the level limit applied, 0 if none */
	unsigned cpu_needed;           /* highest cpu level among the encodings present (0: none) */
};

/* Stable rule id of a check ("ISA-RESERVED-FIELD"); "?" when out of range. */
const char *isa_check_id(enum isa_check c);

/* Validates count slots into *out (freed with isa_validation_free). Returns BPFC_OK whatever the
 * findings; fails only on invalid options (BPFC_ERR_USAGE) or allocation failure. The hot loop
 * allocates nothing per slot. */
int isa_validate(const struct isa_slot *insns, size_t count, const struct isa_validate_opts *opts,
                 struct isa_validation *out, struct bpfc_error *err);

/* Frees the findings of a validation (not the struct). Ignores NULL. */
void isa_validation_free(struct isa_validation *v);

/* Writes a finding's message (what was found, what was expected) into buf; returns buf. */
char *isa_finding_message(const struct isa_validation *v, const struct isa_finding *f, char *buf, size_t len);

/* Parses a comma-separated list of group names into the closure of their groups. Unknown names
 * fail with BPFC_ERR_USAGE naming the name and listing the table's groups. */
int isa_groups_parse(const struct isa_table *t, const char *list, isa_group_mask *out,
                     struct bpfc_error *err);

/* Writes the names of the groups in mask, in table order, comma separated ("base32, base64";
 * "none" for an empty mask) into buf; returns buf. */
char *isa_groups_format(const struct isa_table *t, isa_group_mask mask, char *buf, size_t len);

/* The closure of a group mask: every group plus the groups it includes. */
isa_group_mask isa_groups_closure(const struct isa_table *t, isa_group_mask mask);

#ifdef __cplusplus
}
#endif
#endif
