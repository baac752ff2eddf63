/* The reference interpreter (RFC 9669). The program is decoded once into an array of internal
 * operations (the table's semantic tag refined by width, and for le/be by the program's byte
 * order) with operands and jump targets resolved, so the hot loop never consults the table. Every arithmetic
 * step is written on unsigned integers: signed division, INT_MIN / -1 and shifts by any count have defined
 * results here, never host traps or C undefined behaviour. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/interp.h"
#include "bpfcheck/validate.h"

/* Internal operations: one per (semantic tag, width) the loop distinguishes; K or X is a flag. */
enum op {
	OP_INVALID = 0,
	OP_ADD64,
	OP_SUB64,
	OP_MUL64,
	OP_DIV64,
	OP_SDIV64,
	OP_OR64,
	OP_AND64,
	OP_LSH64,
	OP_RSH64,
	OP_NEG64,
	OP_MOD64,
	OP_SMOD64,
	OP_XOR64,
	OP_MOV64,
	OP_MOVSX64,
	OP_ARSH64,
	OP_ADD32,
	OP_SUB32,
	OP_MUL32,
	OP_DIV32,
	OP_SDIV32,
	OP_OR32,
	OP_AND32,
	OP_LSH32,
	OP_RSH32,
	OP_NEG32,
	OP_MOD32,
	OP_SMOD32,
	OP_XOR32,
	OP_MOV32,
	OP_MOVSX32,
	OP_ARSH32,
	OP_SWAP16,
	OP_SWAP32,
	OP_SWAP64,
	OP_ZEXT16,
	OP_ZEXT32,
	OP_NOP_END64,
	OP_JA,
	OP_JEQ,
	OP_JGT,
	OP_JGE,
	OP_JSET,
	OP_JNE,
	OP_JSGT,
	OP_JSGE,
	OP_JLT,
	OP_JLE,
	OP_JSLT,
	OP_JSLE,
	OP_JEQ32,
	OP_JGT32,
	OP_JGE32,
	OP_JSET32,
	OP_JNE32,
	OP_JSGT32,
	OP_JSGE32,
	OP_JLT32,
	OP_JLE32,
	OP_JSLT32,
	OP_JSLE32,
	OP_CALL_HELPER,
	OP_CALL_BTF,
	OP_CALL_LOCAL,
	OP_CALLX,
	OP_EXIT,
	OP_MAY_GOTO,
	OP_LDX,
	OP_LDXSX,
	OP_ST,
	OP_STX,
	OP_ATOMIC,
	OP_LOAD_ACQ,
	OP_STORE_REL,
	OP_LDDW,
	OP_LDDW_PLATFORM,
	OP_LD_ABS,
	OP_LD_IND,
	OP_UNSUPPORTED, /* gotox, addr_space_cast: need a platform the interpreter does not model */
};

struct pinsn {
	uint8_t op;
	uint8_t sem;
	uint8_t dst;
	uint8_t src;
	uint8_t size; /* access size for memory operations */
	uint8_t x;    /* operand comes from src_reg */
	int16_t off;
	int32_t imm;
	uint64_t k;      /* the immediate operand as the operation reads it (or the 64-bit lddw value) */
	uint32_t target; /* jump or local-call target (slot index) */
	const struct isa_entry *entry;
};

struct isa_interp_prog {
	struct pinsn *insns;
	struct isa_slot *slots; /* a copy, for traces and messages */
	size_t count;
	enum isa_byte_order order;
};

struct frame {
	size_t ret_pc;
	uint64_t saved[5]; /* r6..r10 of the caller */
};

struct isa_interp_vm {
	uint64_t r[11];
	uint8_t *mem;
	size_t mem_len;
	bool mem_writable;
	uint8_t *stack; /* max_depth frames of stack_size bytes */
	uint32_t stack_size;
	unsigned depth; /* index of the current frame */
	unsigned max_depth;
	const struct isa_interp_region *regions;
	size_t region_count;
};

const char *isa_interp_fault_name(enum isa_interp_fault f)
{
	static const char *const names[] = {"none",   "invalid_insn", "memory", "readonly",    "packet",
	                                    "budget", "call_depth",   "helper", "unsupported", "fell_off"};
	return (unsigned)f < ISA_FAULT_COUNT ? names[f] : "?";
}

/* ---- arithmetic without undefined behaviour ---- */

static inline uint64_t sext(uint64_t v, unsigned bits)
{
	uint64_t sign = 1ull << (bits - 1);
	uint64_t mask = bits == 64 ? ~0ull : (sign << 1) - 1;
	return ((v & mask) ^ sign) - sign;
}

static inline uint64_t sdiv64(uint64_t a, uint64_t b)
{
	bool na = a >> 63, nb = b >> 63;
	uint64_t q = (na ? 0 - a : a) / (nb ? 0 - b : b);
	return na != nb ? 0 - q : q;
}

static inline uint64_t smod64(uint64_t a, uint64_t b)
{
	bool na = a >> 63, nb = b >> 63;
	uint64_t m = (na ? 0 - a : a) % (nb ? 0 - b : b);
	return na ? 0 - m : m; /* truncated division: the remainder takes the dividend's sign */
}

static inline uint32_t sdiv32(uint32_t a, uint32_t b)
{
	return (uint32_t)sdiv64(sext(a, 32), sext(b, 32));
}

static inline uint32_t smod32(uint32_t a, uint32_t b)
{
	return (uint32_t)smod64(sext(a, 32), sext(b, 32));
}

static inline uint64_t ashr64(uint64_t v, unsigned n)
{
	return v >> 63 ? ~(~v >> n) : v >> n;
}

static inline uint32_t ashr32(uint32_t v, unsigned n)
{
	return v >> 31 ? ~(~v >> n) : v >> n;
}

/* Signed comparisons as unsigned ones with the sign bit flipped. */
static inline bool slt64(uint64_t a, uint64_t b)
{
	return (a ^ (1ull << 63)) < (b ^ (1ull << 63));
}

static inline bool slt32(uint32_t a, uint32_t b)
{
	return (a ^ (1u << 31)) < (b ^ (1u << 31));
}

static inline uint16_t swap16(uint64_t v)
{
	return (uint16_t)(((v & 0xff) << 8) | ((v >> 8) & 0xff));
}

static inline uint32_t swap32(uint64_t v)
{
	return (uint32_t)(((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >> 8) & 0xff00) |
	                  ((v >> 24) & 0xff));
}

static inline uint64_t swap64(uint64_t v)
{
	return (uint64_t)swap32(v) << 32 | swap32(v >> 32);
}

/* Loads and stores in the program's byte order, whatever the host's. */
static inline uint64_t mem_load(const uint8_t *p, unsigned size, bool big)
{
	uint64_t v = 0;
	if (big)
		for (unsigned i = 0; i < size; i++)
			v = v << 8 | p[i];
	else
		for (unsigned i = size; i-- > 0;)
			v = v << 8 | p[i];
	return v;
}

static inline void mem_store(uint8_t *p, unsigned size, bool big, uint64_t v)
{
	if (big)
		for (unsigned i = size; i-- > 0; v >>= 8)
			p[i] = (uint8_t)v;
	else
		for (unsigned i = 0; i < size; i++, v >>= 8)
			p[i] = (uint8_t)v;
}

/* ---- loading: decode, check and resolve once ---- */

static int alu_op(unsigned sem, bool is64)
{
	static const struct {
		uint8_t sem, op64, op32;
	} map[] = {
	    {ISA_SEM_ADD, OP_ADD64, OP_ADD32},       {ISA_SEM_SUB, OP_SUB64, OP_SUB32},
	    {ISA_SEM_MUL, OP_MUL64, OP_MUL32},       {ISA_SEM_DIV, OP_DIV64, OP_DIV32},
	    {ISA_SEM_SDIV, OP_SDIV64, OP_SDIV32},    {ISA_SEM_OR, OP_OR64, OP_OR32},
	    {ISA_SEM_AND, OP_AND64, OP_AND32},       {ISA_SEM_LSH, OP_LSH64, OP_LSH32},
	    {ISA_SEM_RSH, OP_RSH64, OP_RSH32},       {ISA_SEM_NEG, OP_NEG64, OP_NEG32},
	    {ISA_SEM_MOD, OP_MOD64, OP_MOD32},       {ISA_SEM_SMOD, OP_SMOD64, OP_SMOD32},
	    {ISA_SEM_XOR, OP_XOR64, OP_XOR32},       {ISA_SEM_MOV, OP_MOV64, OP_MOV32},
	    {ISA_SEM_MOVSX, OP_MOVSX64, OP_MOVSX32}, {ISA_SEM_ARSH, OP_ARSH64, OP_ARSH32},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].sem == sem)
			return is64 ? map[i].op64 : map[i].op32;
	return OP_INVALID;
}

static int jmp_op(unsigned sem, bool is32)
{
	static const struct {
		uint8_t sem, op64, op32;
	} map[] = {
	    {ISA_SEM_JEQ, OP_JEQ, OP_JEQ32},    {ISA_SEM_JGT, OP_JGT, OP_JGT32},
	    {ISA_SEM_JGE, OP_JGE, OP_JGE32},    {ISA_SEM_JSET, OP_JSET, OP_JSET32},
	    {ISA_SEM_JNE, OP_JNE, OP_JNE32},    {ISA_SEM_JSGT, OP_JSGT, OP_JSGT32},
	    {ISA_SEM_JSGE, OP_JSGE, OP_JSGE32}, {ISA_SEM_JLT, OP_JLT, OP_JLT32},
	    {ISA_SEM_JLE, OP_JLE, OP_JLE32},    {ISA_SEM_JSLT, OP_JSLT, OP_JSLT32},
	    {ISA_SEM_JSLE, OP_JSLE, OP_JSLE32},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].sem == sem)
			return is32 ? map[i].op32 : map[i].op64;
	return OP_INVALID;
}

/* The internal operation for an entry; le/be resolve against the program's byte order. */
static int op_for(const struct isa_entry *e, const struct isa_slot *s, enum isa_byte_order order)
{
	bool big = order == ISA_BIG_ENDIAN;
	switch (e->sem) {
	case ISA_SEM_LE:
	case ISA_SEM_BE:
		if ((e->sem == ISA_SEM_BE) == big) /* conversion to the host's own order: truncate */
			return s->imm == 16 ? OP_ZEXT16 : s->imm == 32 ? OP_ZEXT32 : OP_NOP_END64;
		/* fall through */
	case ISA_SEM_BSWAP: return s->imm == 16 ? OP_SWAP16 : s->imm == 32 ? OP_SWAP32 : OP_SWAP64;
	case ISA_SEM_JA: return OP_JA;
	case ISA_SEM_JA32: return OP_JA;
	case ISA_SEM_CALL_HELPER: return OP_CALL_HELPER;
	case ISA_SEM_CALL_BTF: return OP_CALL_BTF;
	case ISA_SEM_CALL_LOCAL: return OP_CALL_LOCAL;
	case ISA_SEM_CALLX: return OP_CALLX;
	case ISA_SEM_EXIT: return OP_EXIT;
	case ISA_SEM_MAY_GOTO: return OP_MAY_GOTO;
	case ISA_SEM_LDX: return OP_LDX;
	case ISA_SEM_LDXSX: return OP_LDXSX;
	case ISA_SEM_ST: return OP_ST;
	case ISA_SEM_STX: return OP_STX;
	case ISA_SEM_ATOMIC_ADD:
	case ISA_SEM_ATOMIC_FETCH_ADD:
	case ISA_SEM_ATOMIC_OR:
	case ISA_SEM_ATOMIC_FETCH_OR:
	case ISA_SEM_ATOMIC_AND:
	case ISA_SEM_ATOMIC_FETCH_AND:
	case ISA_SEM_ATOMIC_XOR:
	case ISA_SEM_ATOMIC_FETCH_XOR:
	case ISA_SEM_ATOMIC_XCHG:
	case ISA_SEM_ATOMIC_CMPXCHG: return OP_ATOMIC;
	case ISA_SEM_LOAD_ACQUIRE: return OP_LOAD_ACQ;
	case ISA_SEM_STORE_RELEASE: return OP_STORE_REL;
	case ISA_SEM_LDDW: return OP_LDDW;
	case ISA_SEM_LDDW_MAP_FD:
	case ISA_SEM_LDDW_MAP_VAL_FD:
	case ISA_SEM_LDDW_VAR_ADDR:
	case ISA_SEM_LDDW_CODE_ADDR:
	case ISA_SEM_LDDW_MAP_IDX:
	case ISA_SEM_LDDW_MAP_VAL_IDX: return OP_LDDW_PLATFORM;
	case ISA_SEM_LD_ABS: return OP_LD_ABS;
	case ISA_SEM_LD_IND: return OP_LD_IND;
	case ISA_SEM_GOTOX:
	case ISA_SEM_ADDR_SPACE_CAST: return OP_UNSUPPORTED;
	default: break;
	}
	if (e->cls == ISA_CLS_ALU || e->cls == ISA_CLS_ALU64)
		return alu_op(e->sem, e->cls == ISA_CLS_ALU64);
	if (e->cls == ISA_CLS_JMP || e->cls == ISA_CLS_JMP32)
		return jmp_op(e->sem, e->cls == ISA_CLS_JMP32);
	return OP_INVALID;
}

static int bad_insn(struct bpfc_error *err, size_t *bad_idx, size_t idx, const struct isa_slot *s,
                    const char *what)
{
	if (bad_idx)
		*bad_idx = idx;
	return bpfc_error_set(
	    err, BPFC_ERR_INPUT, "instruction %zu (0x%016llx: opcode 0x%02x dst=%u src=%u off=%d imm=%d): %s",
	    idx, (unsigned long long)isa_slot_to_word(s), s->opcode, s->dst, s->src, s->off, s->imm, what);
}

static bool writes_dst(const struct isa_entry *e)
{
	return (e->dst_role == ISA_DST_WRITE || e->dst_role == ISA_DST_READWRITE) && e->cls != ISA_CLS_ST &&
	       e->cls != ISA_CLS_STX;
}

/* What the validator cannot know: r10 is read-only when the instruction executes. Returns a
 * description of the violation or NULL. */
static const char *writes_frame_pointer(const struct isa_entry *e, const struct isa_slot *s, char *buf,
                                        size_t len)
{
	if (writes_dst(e) && s->dst == 10) {
		snprintf(buf, len, "%s writes r10, the read-only frame pointer", e->mnemonic);
		return buf;
	}
	bool fetch = e->sem == ISA_SEM_ATOMIC_FETCH_ADD || e->sem == ISA_SEM_ATOMIC_FETCH_OR ||
	             e->sem == ISA_SEM_ATOMIC_FETCH_AND || e->sem == ISA_SEM_ATOMIC_FETCH_XOR ||
	             e->sem == ISA_SEM_ATOMIC_XCHG;
	if (fetch && s->src == 10) {
		snprintf(buf, len, "%s writes its old value to r10, the read-only frame pointer",
		         e->mnemonic);
		return buf;
	}
	if (e->sem == ISA_SEM_LOAD_ACQUIRE && s->dst == 10) {
		snprintf(buf, len, "%s writes r10, the read-only frame pointer", e->mnemonic);
		return buf;
	}
	return NULL;
}

static bool is_jump_finding(const struct isa_finding *f)
{
	return f->check == ISA_CHECK_JUMP_OUT_OF_RANGE || f->check == ISA_CHECK_JUMP_INTO_WIDE;
}

/* The interpreter's wording of a validator finding (the slot s is the finding's). */
static const char *finding_reason(const struct isa_table *t, const struct isa_finding *f,
                                  const struct isa_slot *s, size_t count, char *buf, size_t len)
{
	const char *name = f->entry ? f->entry->mnemonic : "?";
	switch ((enum isa_check)f->check) {
	case ISA_CHECK_UNKNOWN_OPCODE:
		if (f->entry && f->entry->sem == ISA_SEM_WIDE_SLOT2)
			return "opcode 0x00 is only valid as the second slot of a 64-bit immediate load";
		return "no such instruction in the ISA table";
	case ISA_CHECK_RESERVED_FIELD:
		if (f->wide_second)
			return "second slot of a 64-bit immediate load must have opcode, dst_reg, src_reg "
			       "and offset zero (RFC 9669 s3)";
		if (!isa_lookup(t, s)) /* a selector value no encoding has (mov with offset 1) */
			return "no such instruction in the ISA table";
		snprintf(buf, len, "%s: field %s is %lld but must be zero (RFC 9669 s3.1)", name,
		         isa_field_name((enum isa_field)f->field), (long long)f->value);
		return buf;
	case ISA_CHECK_BAD_REGISTER:
		snprintf(buf, len, "%s: %s is r%lld, but registers are r0-r10", name,
		         isa_field_name((enum isa_field)f->field), (long long)f->value);
		return buf;
	case ISA_CHECK_WIDE_TRUNCATED:
		return "64-bit immediate load is missing its second slot at the end of the program";
	case ISA_CHECK_JUMP_OUT_OF_RANGE:
		snprintf(buf, len, "%s: target %lld is outside the program (0..%zu)", name,
		         (long long)f->value, count - 1);
		return buf;
	case ISA_CHECK_JUMP_INTO_WIDE:
		snprintf(buf, len, "%s: target %lld is the second slot of a 64-bit immediate load", name,
		         (long long)f->value);
		return buf;
	default: return "no such instruction in the ISA table"; /* ISA-BAD-IMM/OFFSET/SRC */
	}
}

static int bad_finding(struct bpfc_error *err, size_t *bad_idx, const struct isa_table *t,
                       const struct isa_finding *f, const struct isa_slot *slots, size_t count)
{
	char why[256];
	const struct isa_slot *s = &slots[f->insn_idx];
	return bad_insn(err, bad_idx, f->insn_idx, s, finding_reason(t, f, s, count, why, sizeof(why)));
}

int isa_interp_load(const struct isa_slot *slots, size_t count, const struct isa_interp_opts *opts,
                    struct isa_interp_prog **out, size_t *bad_idx, struct bpfc_error *err)
{
	*out = NULL;
	const struct isa_table *t = opts && opts->isa ? opts->isa : isa_table_default();
	enum isa_byte_order order = opts ? opts->byte_order : ISA_LITTLE_ENDIAN;
	if (count == 0) {
		if (bad_idx)
			*bad_idx = 0;
		return bpfc_error_set(err, BPFC_ERR_INPUT, "the program has no instructions");
	}
	if (count > UINT32_MAX - 1)
		return bpfc_error_set(err, BPFC_ERR_LIMIT,
		                      "%zu instructions is more than the interpreter handles", count);
	/* Well-formedness (encodings, fields, wide loads, jump targets) is the validator's call. */
	struct isa_validate_opts vopts = {.table = t, .profile = ISA_PROFILE_ANY, .byte_order = order};
	struct isa_validation v;
	int rc = isa_validate(slots, count, &vopts, &v, err);
	if (rc != BPFC_OK)
		return rc;
	/* Execution was refused at the first bad slot, and jump targets checked only once every slot
	 * was decoded; the first finding of each kind keeps that order of reporting. */
	const struct isa_finding *bad = NULL, *bad_jump = NULL;
	for (size_t k = 0; k < v.finding_cnt; k++) {
		const struct isa_finding *f = &v.findings[k];
		if (!is_jump_finding(f) && !bad)
			bad = f;
		else if (is_jump_finding(f) && !bad_jump)
			bad_jump = f;
	}
	struct isa_interp_prog *p = calloc(1, sizeof(*p));
	bool *second = calloc(count, sizeof(*second));
	if (p) {
		p->insns = calloc(count, sizeof(*p->insns));
		p->slots = malloc(count * sizeof(*p->slots));
	}
	if (!p || !second || !p->insns || !p->slots) {
		free(second);
		isa_interp_prog_free(p);
		isa_validation_free(&v);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory preparing %zu instructions", count);
	}
	memcpy(p->slots, slots, count * sizeof(*slots));
	p->count = count;
	p->order = order;
	char why[256];

	for (size_t i = 0; i < count && rc == BPFC_OK; i++) {
		const struct isa_slot *s = &slots[i];
		struct pinsn *d = &p->insns[i];
		if (second[i])
			continue;
		if (bad && bad->insn_idx == i && bad->check != ISA_CHECK_WIDE_TRUNCATED) {
			rc = bad_finding(err, bad_idx, t, bad, slots, count);
			break;
		}
		const struct isa_entry *e = isa_lookup(t, s);
		if (!e) { /* the validator found nothing wrong: cannot happen with the same table */
			rc = bad_insn(err, bad_idx, i, s, "no such instruction in the ISA table");
			break;
		}
		if (writes_frame_pointer(e, s, why, sizeof(why))) {
			rc = bad_insn(err, bad_idx, i, s, why);
			break;
		}
		int op = op_for(e, s, order);
		if (op == OP_INVALID) {
			snprintf(why, sizeof(why), "%s: semantic tag '%s' has no execution rule", e->mnemonic,
			         isa_sem_name(e->sem));
			rc = bad_insn(err, bad_idx, i, s, why);
			break;
		}
		d->op = (uint8_t)op;
		d->sem = e->sem;
		d->dst = s->dst;
		d->src = s->src;
		d->off = s->off;
		d->imm = s->imm;
		d->size = e->size;
		d->x = e->mode == ISA_MODE_X;
		d->entry = e;
		if (e->cls == ISA_CLS_ALU || e->cls == ISA_CLS_JMP32)
			d->k = (uint32_t)s->imm;
		else
			d->k = sext((uint32_t)s->imm, 32);
		if (e->wide) {
			/* A missing or malformed second slot is a finding at i or i + 1. */
			if (bad && (bad->insn_idx == i || (bad->insn_idx == i + 1 && bad->wide_second))) {
				rc = bad_finding(err, bad_idx, t, bad, slots, count);
				break;
			}
			d->k = (uint64_t)(uint32_t)slots[i + 1].imm << 32 | (uint32_t)s->imm;
			second[i + 1] = true;
			p->insns[i + 1].op = OP_INVALID;
		}
	}
	if (rc == BPFC_OK && bad) /* a finding the walk above did not meet (never expected) */
		rc = bad_finding(err, bad_idx, t, bad, slots, count);
	if (rc == BPFC_OK && bad_jump)
		rc = bad_finding(err, bad_idx, t, bad_jump, slots, count);
	/* Every target is now known to be in the program and at the start of an instruction. */
	for (size_t i = 0; i < count && rc == BPFC_OK; i++) {
		int64_t target;
		if (!second[i] && isa_jump_target(p->insns[i].entry, &slots[i], i, &target))
			p->insns[i].target = (uint32_t)target;
	}
	isa_validation_free(&v);
	free(second);
	if (rc != BPFC_OK) {
		isa_interp_prog_free(p);
		return rc;
	}
	*out = p;
	return BPFC_OK;
}

void isa_interp_prog_free(struct isa_interp_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	free(prog->slots);
	free(prog);
}

/* ---- execution ---- */

void *isa_interp_mem_ptr(struct isa_interp_vm *vm, uint64_t addr, size_t len, bool write)
{
	uint64_t off = addr - ISA_INTERP_MEM_BASE; /* wraps to a huge value below the base */
	if (off < vm->mem_len && vm->mem_len - off >= len)
		return write && !vm->mem_writable ? NULL : vm->mem + off;
	off = addr - ISA_INTERP_STACK_BASE;
	if (off < (uint64_t)ISA_INTERP_MAX_FRAMES * ISA_INTERP_FRAME_STRIDE) {
		/* frame k is the top stack_size bytes of stride k; r10 is the stride's end */
		uint64_t k = off / ISA_INTERP_FRAME_STRIDE, in = off % ISA_INTERP_FRAME_STRIDE;
		uint64_t low = ISA_INTERP_FRAME_STRIDE - vm->stack_size;
		if (k <= vm->depth && in >= low && ISA_INTERP_FRAME_STRIDE - in >= len)
			return vm->stack + k * vm->stack_size + (in - low);
		return NULL;
	}
	for (size_t i = 0; i < vm->region_count; i++) {
		const struct isa_interp_region *g = &vm->regions[i];
		off = addr - g->addr;
		if (off < g->len && g->len - off >= len)
			return write && !g->writable ? NULL : g->data + off;
	}
	return NULL;
}

static const char *describe_addr(const struct isa_interp_vm *vm, uint64_t addr, char *buf, size_t len)
{
	uint64_t off = addr - ISA_INTERP_STACK_BASE;
	if (off < (uint64_t)ISA_INTERP_MAX_FRAMES * ISA_INTERP_FRAME_STRIDE) {
		uint64_t k = (off + ISA_INTERP_FRAME_STRIDE / 2) / ISA_INTERP_FRAME_STRIDE;
		k = k ? k - 1 : 0; /* the frame whose r10 is nearest */
		long long rel = (long long)(off - (k + 1) * ISA_INTERP_FRAME_STRIDE);
		snprintf(buf, len,
		         "is at r10%+lld of stack frame %llu%s (a frame is the %u bytes below its r10)", rel,
		         (unsigned long long)k, k > vm->depth ? ", which is not live" : "", vm->stack_size);
		return buf;
	}
	off = addr - ISA_INTERP_MEM_BASE;
	if (off < 2 * (uint64_t)vm->mem_len + 4096)
		snprintf(buf, len, "is outside the input memory [0x%llx, 0x%llx)", ISA_INTERP_MEM_BASE,
		         ISA_INTERP_MEM_BASE + (unsigned long long)vm->mem_len);
	else if (addr < 4096)
		snprintf(buf, len, "is near address 0 (a NULL or scalar used as a pointer)");
	else
		snprintf(buf, len, "is outside the input memory, the stack and every declared region");
	return buf;
}

static void set_fault(struct isa_interp_result *res, const struct isa_interp_prog *p, size_t pc,
                      enum isa_interp_fault kind, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set_fault(struct isa_interp_result *res, const struct isa_interp_prog *p, size_t pc,
                      enum isa_interp_fault kind, const char *fmt, ...)
{
	res->fault = kind;
	res->insn_idx = pc;
	int n = 0;
	if (pc < p->count && p->insns[pc].entry)
		n = snprintf(res->msg, sizeof(res->msg), "instruction %zu (%s): ", pc,
		             p->insns[pc].entry->mnemonic);
	else
		n = snprintf(res->msg, sizeof(res->msg), "instruction %zu: ", pc);
	if (n < 0 || (size_t)n >= sizeof(res->msg))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->msg + n, sizeof(res->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

static uint64_t atomic_apply(unsigned sem, uint64_t old, uint64_t v)
{
	switch (sem) {
	case ISA_SEM_ATOMIC_ADD:
	case ISA_SEM_ATOMIC_FETCH_ADD: return old + v;
	case ISA_SEM_ATOMIC_OR:
	case ISA_SEM_ATOMIC_FETCH_OR: return old | v;
	case ISA_SEM_ATOMIC_AND:
	case ISA_SEM_ATOMIC_FETCH_AND: return old & v;
	case ISA_SEM_ATOMIC_XOR:
	case ISA_SEM_ATOMIC_FETCH_XOR: return old ^ v;
	default: return v; /* xchg */
	}
}

#define MEM_FAULT(kind_word, addr_, size_)                                                                   \
	do {                                                                                                 \
		char where_[160];                                                                            \
		uint64_t a_ = (addr_);                                                                       \
		res->fault_addr = a_;                                                                        \
		res->fault_size = (size_);                                                                   \
		bool ro_ = (kind_word)[0] == 'w' && isa_interp_mem_ptr(vm, a_, (size_), false);              \
		set_fault(res, p, pc, ro_ ? ISA_FAULT_READONLY : ISA_FAULT_MEMORY,                           \
		          "%s of %u bytes at 0x%llx %s", (kind_word), (unsigned)(size_),                     \
		          (unsigned long long)a_,                                                            \
		          ro_ ? "is in a read-only region" : describe_addr(vm, a_, where_, sizeof(where_))); \
		goto out;                                                                                    \
	} while (0)

/* Values for what a verifier treats as uninitialised (isa_interp_opts.poison): distinct per
 * register and per byte, so that a read of any of them can change the outcome. */
static void poison_regs(uint64_t *r, int first, int last, uint64_t poison)
{
	for (int i = first; i <= last; i++)
		r[i] = poison * (uint64_t)(2 * i + 1) ^ ((uint64_t)i << 56);
}

static void poison_bytes(uint8_t *b, size_t n, uint64_t poison)
{
	for (size_t i = 0; i < n; i++)
		b[i] = poison ? (uint8_t)(poison >> (8 * (i % 8))) ^ (uint8_t)i : 0;
}

static inline __attribute__((always_inline)) void run_loop(const struct isa_interp_prog *p,
                                                           struct isa_interp_vm *vm,
                                                           const struct isa_interp_opts *o,
                                                           struct isa_interp_result *res, bool tracing)
{
	const struct pinsn *insns = p->insns;
	const size_t count = p->count;
	const bool big = p->order == ISA_BIG_ENDIAN;
	const uint64_t budget = o->max_insns ? o->max_insns : ISA_INTERP_DEFAULT_BUDGET;
	uint64_t may_goto_left = o->may_goto_budget;
	uint64_t *r = vm->r;
	struct frame frames[ISA_INTERP_MAX_FRAMES];
	uint64_t before[11];
	uint64_t executed = 0;
	size_t pc = 0;

	for (;;) {
		if (pc >= count) {
			set_fault(res, p, pc, ISA_FAULT_FELL_OFF,
			          "execution ran past the last instruction (%zu) without exit", count - 1);
			goto out;
		}
		if (executed >= budget) {
			set_fault(res, p, pc, ISA_FAULT_BUDGET, "instruction budget of %llu exhausted",
			          (unsigned long long)budget);
			goto out;
		}
		executed++;
		const struct pinsn *d = &insns[pc];
		const uint64_t s = d->x ? r[d->src] : d->k;
		const uint64_t v = r[d->dst];
		size_t next = pc + 1;
		if (tracing)
			memcpy(before, r, sizeof(before));
		switch ((enum op)d->op) {
		case OP_ADD64: r[d->dst] = v + s; break;
		case OP_SUB64: r[d->dst] = v - s; break;
		case OP_MUL64: r[d->dst] = v * s; break;
		case OP_DIV64: r[d->dst] = s ? v / s : 0; break;
		case OP_SDIV64: r[d->dst] = s ? sdiv64(v, s) : 0; break;
		case OP_OR64: r[d->dst] = v | s; break;
		case OP_AND64: r[d->dst] = v & s; break;
		case OP_LSH64: r[d->dst] = v << (s & 63); break;
		case OP_RSH64: r[d->dst] = v >> (s & 63); break;
		case OP_NEG64: r[d->dst] = 0 - v; break;
		case OP_MOD64: r[d->dst] = s ? v % s : v; break;
		case OP_SMOD64: r[d->dst] = s ? smod64(v, s) : v; break;
		case OP_XOR64: r[d->dst] = v ^ s; break;
		case OP_MOV64: r[d->dst] = s; break;
		case OP_MOVSX64: r[d->dst] = sext(s, (unsigned)d->off); break;
		case OP_ARSH64: r[d->dst] = ashr64(v, (unsigned)(s & 63)); break;
		case OP_ADD32: r[d->dst] = (uint32_t)(v + s); break;
		case OP_SUB32: r[d->dst] = (uint32_t)(v - s); break;
		case OP_MUL32: r[d->dst] = (uint32_t)v * (uint32_t)s; break;
		case OP_DIV32: r[d->dst] = (uint32_t)s ? (uint32_t)v / (uint32_t)s : 0; break;
		case OP_SDIV32: r[d->dst] = (uint32_t)s ? sdiv32((uint32_t)v, (uint32_t)s) : 0; break;
		case OP_OR32: r[d->dst] = (uint32_t)(v | s); break;
		case OP_AND32: r[d->dst] = (uint32_t)(v & s); break;
		case OP_LSH32: r[d->dst] = (uint32_t)((uint32_t)v << (s & 31)); break;
		case OP_RSH32: r[d->dst] = (uint32_t)v >> (s & 31); break;
		case OP_NEG32: r[d->dst] = (uint32_t)(0u - (uint32_t)v); break;
		case OP_MOD32: r[d->dst] = (uint32_t)s ? (uint32_t)v % (uint32_t)s : (uint32_t)v; break;
		case OP_SMOD32:
			r[d->dst] = (uint32_t)s ? smod32((uint32_t)v, (uint32_t)s) : (uint32_t)v;
			break;
		case OP_XOR32: r[d->dst] = (uint32_t)(v ^ s); break;
		case OP_MOV32: r[d->dst] = (uint32_t)s; break;
		case OP_MOVSX32: r[d->dst] = (uint32_t)sext(s, (unsigned)d->off); break;
		case OP_ARSH32: r[d->dst] = ashr32((uint32_t)v, (unsigned)(s & 31)); break;
		case OP_SWAP16: r[d->dst] = swap16(v); break;
		case OP_SWAP32: r[d->dst] = swap32(v); break;
		case OP_SWAP64: r[d->dst] = swap64(v); break;
		case OP_ZEXT16: r[d->dst] = (uint16_t)v; break;
		case OP_ZEXT32: r[d->dst] = (uint32_t)v; break;
		case OP_NOP_END64: break;

		case OP_JA: next = d->target; break;
		case OP_JEQ: next = v == s ? d->target : next; break;
		case OP_JGT: next = v > s ? d->target : next; break;
		case OP_JGE: next = v >= s ? d->target : next; break;
		case OP_JSET: next = (v & s) ? d->target : next; break;
		case OP_JNE: next = v != s ? d->target : next; break;
		case OP_JSGT: next = slt64(s, v) ? d->target : next; break;
		case OP_JSGE: next = !slt64(v, s) ? d->target : next; break;
		case OP_JLT: next = v < s ? d->target : next; break;
		case OP_JLE: next = v <= s ? d->target : next; break;
		case OP_JSLT: next = slt64(v, s) ? d->target : next; break;
		case OP_JSLE: next = !slt64(s, v) ? d->target : next; break;
		case OP_JEQ32: next = (uint32_t)v == (uint32_t)s ? d->target : next; break;
		case OP_JGT32: next = (uint32_t)v > (uint32_t)s ? d->target : next; break;
		case OP_JGE32: next = (uint32_t)v >= (uint32_t)s ? d->target : next; break;
		case OP_JSET32: next = ((uint32_t)v & (uint32_t)s) ? d->target : next; break;
		case OP_JNE32: next = (uint32_t)v != (uint32_t)s ? d->target : next; break;
		case OP_JSGT32: next = slt32((uint32_t)s, (uint32_t)v) ? d->target : next; break;
		case OP_JSGE32: next = !slt32((uint32_t)v, (uint32_t)s) ? d->target : next; break;
		case OP_JLT32: next = (uint32_t)v < (uint32_t)s ? d->target : next; break;
		case OP_JLE32: next = (uint32_t)v <= (uint32_t)s ? d->target : next; break;
		case OP_JSLT32: next = slt32((uint32_t)v, (uint32_t)s) ? d->target : next; break;
		case OP_JSLE32: next = !slt32((uint32_t)s, (uint32_t)v) ? d->target : next; break;
		case OP_MAY_GOTO:
			if (may_goto_left > 0)
				may_goto_left--;
			else
				next = d->target;
			break;

		case OP_CALL_HELPER:
		case OP_CALL_BTF:
		case OP_CALLX: {
			struct isa_interp_call call = {
			    .kind = d->op == OP_CALL_HELPER ? ISA_CALL_HELPER
			            : d->op == OP_CALL_BTF  ? ISA_CALL_BTF
			                                    : ISA_CALL_REG,
			    .id = d->op == OP_CALLX ? (int64_t)v : d->imm,
			    .args = {r[1], r[2], r[3], r[4], r[5]},
			    .insn_idx = pc,
			    .vm = vm,
			};
			const char *kind = call.kind == ISA_CALL_HELPER ? "helper"
			                   : call.kind == ISA_CALL_BTF  ? "BTF function"
			                                                : "callx target";
			if (!o->helper) {
				set_fault(res, p, pc, ISA_FAULT_HELPER,
				          "call to %s %lld, but no helpers are provided", kind,
				          (long long)call.id);
				goto out;
			}
			char why[200] = "";
			uint64_t ret = 0;
			if (o->helper(o->helper_ctx, &call, &ret, why, sizeof(why)) != 0) {
				set_fault(res, p, pc, ISA_FAULT_HELPER, "call to %s %lld failed: %s", kind,
				          (long long)call.id, why[0] ? why : "refused by the runtime");
				goto out;
			}
			r[0] = ret;
			if (o->poison)
				poison_regs(r, 1, 5, o->poison);
			break;
		}
		case OP_CALL_LOCAL:
			if (vm->depth + 1 >= vm->max_depth) {
				set_fault(res, p, pc, ISA_FAULT_CALL_DEPTH,
				          "local call to instruction %u exceeds %u frames", d->target,
				          vm->max_depth);
				goto out;
			}
			frames[vm->depth].ret_pc = pc + 1;
			memcpy(frames[vm->depth].saved, &r[6], sizeof(frames[0].saved));
			vm->depth++;
			poison_bytes(vm->stack + (size_t)vm->depth * vm->stack_size, vm->stack_size,
			             o->poison);
			if (o->poison)
				poison_regs(r, 6, 9, o->poison);
			r[10] = ISA_INTERP_STACK_BASE + (vm->depth + 1) * ISA_INTERP_FRAME_STRIDE;
			next = d->target;
			break;
		case OP_EXIT:
			if (vm->depth == 0) {
				if (tracing)
					o->trace(o->trace_ctx, pc, &p->slots[pc], before, r);
				res->r0 = r[0];
				res->insn_idx = pc;
				goto out;
			}
			vm->depth--;
			memcpy(&r[6], frames[vm->depth].saved, sizeof(frames[0].saved));
			if (o->poison)
				poison_regs(r, 1, 5, o->poison);
			next = frames[vm->depth].ret_pc;
			break;

		case OP_LDX:
		case OP_LDXSX:
		case OP_LOAD_ACQ: {
			uint64_t a = r[d->src] + (uint64_t)(int64_t)d->off;
			const uint8_t *m = isa_interp_mem_ptr(vm, a, d->size, false);
			if (!m)
				MEM_FAULT("read", a, d->size);
			uint64_t val = mem_load(m, d->size, big);
			r[d->dst] = d->op == OP_LDXSX ? sext(val, d->size * 8u) : val;
			break;
		}
		case OP_ST:
		case OP_STX:
		case OP_STORE_REL: {
			uint64_t a = v + (uint64_t)(int64_t)d->off;
			uint8_t *m = isa_interp_mem_ptr(vm, a, d->size, true);
			if (!m)
				MEM_FAULT("write", a, d->size);
			mem_store(m, d->size, big, d->op == OP_ST ? d->k : r[d->src]);
			break;
		}
		case OP_ATOMIC: {
			uint64_t a = v + (uint64_t)(int64_t)d->off;
			uint8_t *m = isa_interp_mem_ptr(vm, a, d->size, true);
			if (!m)
				MEM_FAULT("write", a, d->size);
			uint64_t mask = d->size == 8 ? ~0ull : 0xffffffffull;
			uint64_t old = mem_load(m, d->size, big);
			uint64_t src = r[d->src] & mask;
			if (d->sem == ISA_SEM_ATOMIC_CMPXCHG) {
				if (old == (r[0] & mask))
					mem_store(m, d->size, big, src);
				r[0] = old;
			} else {
				mem_store(m, d->size, big, atomic_apply(d->sem, old, src) & mask);
				if (d->sem != ISA_SEM_ATOMIC_ADD && d->sem != ISA_SEM_ATOMIC_OR &&
				    d->sem != ISA_SEM_ATOMIC_AND && d->sem != ISA_SEM_ATOMIC_XOR)
					r[d->src] = old;
			}
			break;
		}
		case OP_LDDW:
			r[d->dst] = d->k;
			next = pc + 2;
			break;
		case OP_LDDW_PLATFORM: {
			uint64_t val;
			if (!o->lddw ||
			    o->lddw(o->lddw_ctx, d->src, d->imm, (int32_t)(d->k >> 32), &val) != 0) {
				set_fault(res, p, pc, ISA_FAULT_UNSUPPORTED,
				          "64-bit immediate load subtype src=%u (%s) needs a platform to "
				          "resolve it",
				          d->src, isa_sem_name(d->sem));
				goto out;
			}
			r[d->dst] = val;
			next = pc + 2;
			break;
		}
		case OP_LD_ABS:
		case OP_LD_IND: {
			/* Legacy packet access: the input memory is the packet; the offset is 32-bit
			 * (src + imm for IND) and the value is read in network (big-endian) order. */
			uint32_t offs = (uint32_t)d->imm + (d->op == OP_LD_IND ? (uint32_t)r[d->src] : 0u);
			if ((int32_t)offs < 0 || offs > vm->mem_len || vm->mem_len - offs < d->size) {
				res->fault_addr = offs;
				res->fault_size = d->size;
				set_fault(
				    res, p, pc, ISA_FAULT_PACKET,
				    "packet load of %u bytes at offset %d is outside the %zu-byte packet",
				    d->size, (int32_t)offs, vm->mem_len);
				goto out;
			}
			r[0] = mem_load(vm->mem + offs, d->size, true);
			break;
		}
		case OP_UNSUPPORTED:
			set_fault(res, p, pc, ISA_FAULT_UNSUPPORTED,
			          "%s needs platform support the interpreter lacks", isa_sem_name(d->sem));
			goto out;
		case OP_INVALID:
		default:
			set_fault(res, p, pc, ISA_FAULT_INVALID_INSN, "not an executable instruction");
			goto out;
		}
		if (tracing)
			o->trace(o->trace_ctx, pc, &p->slots[pc], before, r);
		pc = next;
	}
out:
	res->executed = executed;
}

int isa_interp_run(const struct isa_interp_prog *prog, uint8_t *mem, size_t mem_len,
                   const struct isa_interp_opts *opts, struct isa_interp_result *res, struct bpfc_error *err)
{
	static const struct isa_interp_opts defaults;
	const struct isa_interp_opts *o = opts ? opts : &defaults;
	memset(res, 0, sizeof(*res));
	unsigned depth = o->max_call_depth ? o->max_call_depth : ISA_INTERP_DEFAULT_DEPTH;
	uint32_t stack_size = o->stack_size ? o->stack_size : ISA_INTERP_DEFAULT_STACK;
	if (depth > ISA_INTERP_MAX_FRAMES)
		return bpfc_error_set(err, BPFC_ERR_USAGE,
		                      "max_call_depth %u is above the limit of %u frames", depth,
		                      ISA_INTERP_MAX_FRAMES);
	if (stack_size > ISA_INTERP_FRAME_STRIDE)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "stack size %u is above the limit of %llu bytes",
		                      stack_size, ISA_INTERP_FRAME_STRIDE);
	for (size_t i = 0; i < o->region_count; i++) {
		const struct isa_interp_region *g = &o->regions[i];
		if (g->len > UINT64_MAX - g->addr ||
		    (g->addr + g->len > ISA_INTERP_MEM_BASE &&
		     g->addr < ISA_INTERP_STACK_BASE + ISA_INTERP_RESERVED_STACK))
			return bpfc_error_set(err, BPFC_ERR_USAGE,
			                      "region '%s' at 0x%llx (%zu bytes) overlaps the interpreter's "
			                      "reserved range [0x%llx, 0x%llx)",
			                      g->name ? g->name : "?", (unsigned long long)g->addr, g->len,
			                      ISA_INTERP_MEM_BASE,
			                      ISA_INTERP_STACK_BASE + ISA_INTERP_RESERVED_STACK);
	}
	if (mem_len > ISA_INTERP_STACK_BASE - ISA_INTERP_MEM_BASE)
		return bpfc_error_set(err, BPFC_ERR_USAGE,
		                      "input memory of %zu bytes is above the limit of %llu", mem_len,
		                      ISA_INTERP_STACK_BASE - ISA_INTERP_MEM_BASE);
	struct isa_interp_vm vm = {
	    .mem = mem,
	    .mem_len = mem ? mem_len : 0,
	    .mem_writable = !o->readonly_mem,
	    .stack_size = stack_size,
	    .max_depth = depth,
	    .regions = o->regions,
	    .region_count = o->region_count,
	};
	vm.stack = calloc(depth, stack_size);
	if (!vm.stack)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory allocating %u stack frames", depth);
	if (o->poison) {
		poison_regs(vm.r, 0, 9, o->poison);
		poison_bytes(vm.stack, stack_size, o->poison);
	}
	vm.r[1] = vm.mem_len ? ISA_INTERP_MEM_BASE : 0;
	if (!o->poison)
		vm.r[2] = vm.mem_len;
	vm.r[10] = ISA_INTERP_STACK_BASE + ISA_INTERP_FRAME_STRIDE;
	if (o->trace)
		run_loop(prog, &vm, o, res, true);
	else
		run_loop(prog, &vm, o, res, false);
	free(vm.stack);
	return BPFC_OK;
}

int isa_interp_exec(const struct isa_slot *slots, size_t count, uint8_t *mem, size_t mem_len,
                    const struct isa_interp_opts *opts, struct isa_interp_result *res, struct bpfc_error *err)
{
	struct isa_interp_prog *prog;
	struct bpfc_error lerr;
	size_t bad = 0;
	int rc = isa_interp_load(slots, count, opts, &prog, &bad, &lerr);
	if (rc == BPFC_ERR_INPUT) {
		memset(res, 0, sizeof(*res));
		res->fault = ISA_FAULT_INVALID_INSN;
		res->insn_idx = bad;
		size_t n = strnlen(lerr.msg, sizeof(res->msg) - 1);
		memcpy(res->msg, lerr.msg, n);
		res->msg[n] = '\0';
		return BPFC_OK;
	}
	if (rc != BPFC_OK) {
		if (err)
			*err = lerr;
		return rc;
	}
	rc = isa_interp_run(prog, mem, mem_len, opts, res, err);
	isa_interp_prog_free(prog);
	return rc;
}
