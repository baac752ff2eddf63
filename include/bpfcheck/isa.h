/* The instruction set as data: decoded slots, the ISA table (from specs/isa) and lookups in it. */
#ifndef BPFCHECK_ISA_H
#define BPFCHECK_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One 8-byte instruction slot, decoded to host order with the register nibbles split. */
struct isa_slot {
	uint8_t opcode;
	uint8_t dst; /* 0..15 as encoded; > 10 is invalid */
	uint8_t src; /* 0..15 as encoded */
	int16_t off;
	int32_t imm;
};

enum isa_byte_order { ISA_LITTLE_ENDIAN = 0, ISA_BIG_ENDIAN = 1 };

enum isa_class {
	ISA_CLS_LD = 0,
	ISA_CLS_LDX = 1,
	ISA_CLS_ST = 2,
	ISA_CLS_STX = 3,
	ISA_CLS_ALU = 4,
	ISA_CLS_JMP = 5,
	ISA_CLS_JMP32 = 6,
	ISA_CLS_ALU64 = 7,
};

/* Source bit (arithmetic/jump classes) or mode modifier (load/store classes). */
enum isa_mode {
	ISA_MODE_K,
	ISA_MODE_X,
	ISA_MODE_IMM,
	ISA_MODE_ABS,
	ISA_MODE_IND,
	ISA_MODE_MEM,
	ISA_MODE_MEMSX,
	ISA_MODE_ATOMIC,
};

/* What an encoding allows in a field. */
enum isa_rule {
	ISA_RULE_ZERO,  /* unused: SHALL be zero (RFC 9669 s3.1) */
	ISA_RULE_REG,   /* a register number 0..10 */
	ISA_RULE_ANY,   /* any value */
	ISA_RULE_MATCH, /* must equal the entry's match_value */
};

enum isa_field {
	ISA_FIELD_DST = 0,
	ISA_FIELD_SRC,
	ISA_FIELD_OFF,
	ISA_FIELD_IMM,
	ISA_FIELD_COUNT,
	ISA_FIELD_NONE = -1
};

enum isa_dst_role { ISA_DST_NONE, ISA_DST_READ, ISA_DST_WRITE, ISA_DST_READWRITE, ISA_DST_BASE };

/* Semantic tags: the operation an encoding performs; name strings match specs/isa "sem". */
// clang-format off
#define ISA_SEM_LIST(X) \
	X(WIDE_SLOT2, "wide_slot2") \
	X(ADD, "add") \
	X(SUB, "sub") \
	X(MUL, "mul") \
	X(DIV, "div") \
	X(SDIV, "sdiv") \
	X(OR, "or") \
	X(AND, "and") \
	X(LSH, "lsh") \
	X(RSH, "rsh") \
	X(NEG, "neg") \
	X(MOD, "mod") \
	X(SMOD, "smod") \
	X(XOR, "xor") \
	X(MOV, "mov") \
	X(MOVSX, "movsx") \
	X(ARSH, "arsh") \
	X(LE, "le") \
	X(BE, "be") \
	X(BSWAP, "bswap") \
	X(ADDR_SPACE_CAST, "addr_space_cast") \
	X(JA, "ja") \
	X(JA32, "ja32") \
	X(JEQ, "jeq") \
	X(JGT, "jgt") \
	X(JGE, "jge") \
	X(JSET, "jset") \
	X(JNE, "jne") \
	X(JSGT, "jsgt") \
	X(JSGE, "jsge") \
	X(JLT, "jlt") \
	X(JLE, "jle") \
	X(JSLT, "jslt") \
	X(JSLE, "jsle") \
	X(CALL_HELPER, "call_helper") \
	X(CALL_LOCAL, "call_local") \
	X(CALL_BTF, "call_btf") \
	X(EXIT, "exit") \
	X(CALLX, "callx") \
	X(MAY_GOTO, "may_goto") \
	X(GOTOX, "gotox") \
	X(LDX, "ldx") \
	X(LDXSX, "ldxsx") \
	X(ST, "st") \
	X(STX, "stx") \
	X(LD_ABS, "ld_abs") \
	X(LD_IND, "ld_ind") \
	X(ATOMIC_ADD, "atomic_add") \
	X(ATOMIC_FETCH_ADD, "atomic_fetch_add") \
	X(ATOMIC_OR, "atomic_or") \
	X(ATOMIC_FETCH_OR, "atomic_fetch_or") \
	X(ATOMIC_AND, "atomic_and") \
	X(ATOMIC_FETCH_AND, "atomic_fetch_and") \
	X(ATOMIC_XOR, "atomic_xor") \
	X(ATOMIC_FETCH_XOR, "atomic_fetch_xor") \
	X(ATOMIC_XCHG, "atomic_xchg") \
	X(ATOMIC_CMPXCHG, "atomic_cmpxchg") \
	X(LOAD_ACQUIRE, "load_acquire") \
	X(STORE_RELEASE, "store_release") \
	X(LDDW, "lddw") \
	X(LDDW_MAP_FD, "lddw_map_fd") \
	X(LDDW_MAP_VAL_FD, "lddw_map_val_fd") \
	X(LDDW_VAR_ADDR, "lddw_var_addr") \
	X(LDDW_CODE_ADDR, "lddw_code_addr") \
	X(LDDW_MAP_IDX, "lddw_map_idx") \
	X(LDDW_MAP_VAL_IDX, "lddw_map_val_idx")
// clang-format on

enum isa_sem {
#define ISA_SEM_ENUM(name, str) ISA_SEM_##name,
	ISA_SEM_LIST(ISA_SEM_ENUM)
#undef ISA_SEM_ENUM
	    ISA_SEM_COUNT
};

#define ISA_MAX_GROUPS 32
typedef uint32_t isa_group_mask; /* bit i = table->groups[i] */

/* One valid encoding (a row of specs/isa). */
struct isa_entry {
	const char *mnemonic; /* uBPF-style name, e.g. "add32", "lock fetch add" */
	const char *platform; /* NULL for RFC 9669 encodings, else e.g. "linux" */
	int32_t match_value;
	uint8_t opcode;
	uint8_t cls;                   /* enum isa_class */
	uint8_t mode;                  /* enum isa_mode */
	uint8_t size;                  /* access size in bytes for loads/stores, else 0 */
	uint8_t rule[ISA_FIELD_COUNT]; /* enum isa_rule per field */
	int8_t match_field;            /* enum isa_field, ISA_FIELD_NONE when the opcode alone decides */
	uint8_t dst_role;              /* enum isa_dst_role */
	uint8_t group;                 /* index into isa_table.groups */
	uint8_t sem;                   /* enum isa_sem */
	uint8_t cpu;                   /* lowest LLVM -mcpu level (1..4) */
	bool standard;                 /* false: platform extension outside RFC 9669 */
	bool wide;                     /* occupies two slots (64-bit immediate load) */
	uint8_t next_imm; /* wide only: rule for the second slot's imm (ISA_RULE_ZERO or ISA_RULE_ANY) */
};

struct isa_group {
	const char *name;
	const char *platform;   /* NULL for RFC 9669 groups */
	isa_group_mask closure; /* this group plus every group it includes, transitively */
	bool standard;
};

struct isa_table {
	const char *name;
	const struct isa_entry *entries; /* sorted by opcode */
	size_t entry_count;
	const struct isa_group *groups;
	size_t group_count;
	uint16_t first[256]; /* index of the first entry for an opcode */
	uint8_t count[256];  /* number of entries for an opcode (0: unknown opcode) */
	void *owned;         /* storage of a table loaded at run time; NULL for the built-in one */
};

/* The table generated at build time from specs/isa/isa.json. Never NULL. */
const struct isa_table *isa_table_default(void);

/* Loads an ISA table from a JSON file in the specs/isa format; *out is freed with isa_table_free. */
int isa_table_load(const char *path, struct isa_table **out, struct bpfc_error *err);

/* Same as isa_table_load from an in-memory JSON text; origin names it in messages. */
int isa_table_parse(const char *json_text, size_t len, const char *origin, struct isa_table **out,
                    struct bpfc_error *err);

/* Frees a table from isa_table_load/isa_table_parse; ignores NULL and the built-in table. */
void isa_table_free(struct isa_table *table);

/* The entry encoding slot s, or NULL when no entry's opcode and discriminating field match.
 * Only the opcode and the match field are consulted; other fields are left to the validator. */
const struct isa_entry *isa_lookup(const struct isa_table *t, const struct isa_slot *s);

/* Where a jump or local call keeps its target, relative to the next slot: off (ja, the
 * conditional jumps, may_goto) or imm (ja32, call_local). ISA_JUMP_NONE for everything else,
 * including helper calls, exit and gotox, which have no static target. */
enum isa_jump_operand { ISA_JUMP_NONE = 0, ISA_JUMP_OFF, ISA_JUMP_IMM };
enum isa_jump_operand isa_jump_operand(unsigned sem);

/* The slot a jump or local call at slot idx goes to (idx + 1 + off or imm) in *target; false,
 * leaving *target alone, when the encoding e has no static target. The target may lie outside
 * the program or inside a wide load: the caller decides what that means. */
bool isa_jump_target(const struct isa_entry *e, const struct isa_slot *s, size_t idx, int64_t *target);

/* Index of the group named name in t, or -1. */
int isa_group_find(const struct isa_table *t, const char *name);

/* Name of a semantic tag ("add", "lddw_map_idx", ...); "?" when out of range. */
const char *isa_sem_name(unsigned sem);

/* Semantic tag for a name, or -1. */
int isa_sem_from_name(const char *name);

/* Name of a class ("ALU64") and of a mode/source ("K", "MEMSX"). */
const char *isa_class_name(unsigned cls);
const char *isa_mode_name(unsigned mode);

/* Field value of a slot by enum isa_field. */
int64_t isa_slot_field(const struct isa_slot *s, enum isa_field f);

/* Name of a field ("dst_reg", "src_reg", "offset", "imm"). */
const char *isa_field_name(enum isa_field f);

/* Decodes len bytes of 8-byte slots in the given byte order into a new array (*out, freed
 * with free()). Fails with BPFC_ERR_INPUT if len is not a multiple of 8. */
int isa_decode(const uint8_t *bytes, size_t len, enum isa_byte_order order, struct isa_slot **out,
               size_t *count, struct bpfc_error *err);

/* Decodes one slot from 8 bytes. */
void isa_decode_slot(const uint8_t bytes[8], enum isa_byte_order order, struct isa_slot *out);

/* Encodes one slot to 8 bytes in the given byte order. */
void isa_encode_slot(const struct isa_slot *s, enum isa_byte_order order, uint8_t bytes[8]);

/* The slot as the 64-bit word imm<<32 | off<<16 | src<<12 | dst<<8 | opcode (the bpf_conformance
 * "-- raw" and little-endian layout), and back. */
uint64_t isa_slot_to_word(const struct isa_slot *s);
void isa_slot_from_word(uint64_t word, struct isa_slot *out);

#ifdef __cplusplus
}
#endif
#endif
