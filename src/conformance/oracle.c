/* The oracle: RFC 9669 semantics in the most direct host C (signed types, the compiler's
 * byte-swap built-ins, memcpy), deliberately unlike the interpreter's unsigned-only code. The
 * few cases where direct C would be undefined (INT_MIN / -1, negating INT_MIN, shifting a
 * negative value left) are spelled out from the RFC's text instead. */
#include <endian.h>
#include <string.h>

#include "conformance/oracle.h"

uint64_t oracle_k_operand(enum isa_class cls, int32_t imm)
{
	if (cls == ISA_CLS_ALU || cls == ISA_CLS_JMP32)
		return (uint32_t)imm;
	return (uint64_t)(int64_t)imm;
}

/* movsx: the low off bits of the source, sign-extended; the 32-bit form has no 32-bit source. */
static bool movsx(uint64_t s, int off, bool is64, int64_t *out)
{
	switch (off) {
	case 8: *out = (int8_t)(uint8_t)s; return true;
	case 16: *out = (int16_t)(uint16_t)s; return true;
	case 32: *out = (int32_t)(uint32_t)s; return is64;
	default: return false;
	}
}

/* One body for both widths: U and S are the unsigned and signed operand types, S_MIN the most
 * negative value, SHIFT_MASK the bits of a shift count that count (RFC 9669 s4.1). */
#define ALU_BODY(U, S, S_MIN, SHIFT_MASK)                                                                    \
	S sd = (S)d, ss = (S)s;                                                                              \
	switch (sem) {                                                                                       \
	case ISA_SEM_ADD: return d + s;                                                                      \
	case ISA_SEM_SUB: return d - s;                                                                      \
	case ISA_SEM_MUL: return (U)((uint64_t)d * s);                                                       \
	case ISA_SEM_DIV: return s == 0 ? 0 : d / s;                                                         \
	case ISA_SEM_SDIV:                                                                                   \
		if (ss == 0)                                                                                 \
			return 0;                                                                            \
		if (sd == S_MIN && ss == -1)                                                                 \
			return (U)S_MIN; /* the quotient wraps */                                            \
		return (U)(sd / ss);                                                                         \
	case ISA_SEM_MOD: return s == 0 ? d : d % s;                                                         \
	case ISA_SEM_SMOD:                                                                                   \
		if (ss == 0)                                                                                 \
			return d;                                                                            \
		if (ss == -1)                                                                                \
			return 0;                                                                            \
		return (U)(sd % ss);                                                                         \
	case ISA_SEM_OR: return d | s;                                                                       \
	case ISA_SEM_AND: return d & s;                                                                      \
	case ISA_SEM_XOR: return d ^ s;                                                                      \
	case ISA_SEM_LSH: return d << (s & SHIFT_MASK);                                                      \
	case ISA_SEM_RSH: return d >> (s & SHIFT_MASK);                                                      \
	case ISA_SEM_ARSH: return (U)(sd >> (s & SHIFT_MASK));                                               \
	case ISA_SEM_NEG: return ~d + 1;                                                                     \
	case ISA_SEM_MOV: return s;                                                                          \
	case ISA_SEM_MOVSX: {                                                                                \
		int64_t v;                                                                                   \
		if (movsx(s, off, sizeof(U) == 8, &v))                                                       \
			return (U)v;                                                                         \
		break;                                                                                       \
	}                                                                                                    \
	default: break;                                                                                      \
	}                                                                                                    \
	*ok = false;                                                                                         \
	return 0;

static uint64_t alu64(enum isa_sem sem, uint64_t d, uint64_t s, int off, bool *ok)
{
	ALU_BODY(uint64_t, int64_t, INT64_MIN, 0x3f)
}

static uint32_t alu32(enum isa_sem sem, uint32_t d, uint32_t s, int off, bool *ok)
{
	ALU_BODY(uint32_t, int32_t, INT32_MIN, 0x1f)
}

#undef ALU_BODY

bool oracle_alu(enum isa_sem sem, bool is64, uint64_t dst, uint64_t src, int off, uint64_t *out)
{
	bool ok = true;
	/* ALU: operands are the low 32 bits, the result is zero-extended (RFC 9669 s4.1) */
	*out = is64 ? alu64(sem, dst, src, off, &ok)
	            : (uint64_t)alu32(sem, (uint32_t)dst, (uint32_t)src, off, &ok);
	return ok;
}

bool oracle_jump(enum isa_sem sem, bool is32, uint64_t dst, uint64_t src, bool *taken)
{
	uint64_t d = is32 ? (uint32_t)dst : dst, s = is32 ? (uint32_t)src : src;
	int64_t sd = is32 ? (int64_t)(int32_t)(uint32_t)dst : (int64_t)dst;
	int64_t ss = is32 ? (int64_t)(int32_t)(uint32_t)src : (int64_t)src;
	switch (sem) {
	case ISA_SEM_JEQ: *taken = d == s; return true;
	case ISA_SEM_JNE: *taken = d != s; return true;
	case ISA_SEM_JGT: *taken = d > s; return true;
	case ISA_SEM_JGE: *taken = d >= s; return true;
	case ISA_SEM_JLT: *taken = d < s; return true;
	case ISA_SEM_JLE: *taken = d <= s; return true;
	case ISA_SEM_JSET: *taken = (d & s) != 0; return true;
	case ISA_SEM_JSGT: *taken = sd > ss; return true;
	case ISA_SEM_JSGE: *taken = sd >= ss; return true;
	case ISA_SEM_JSLT: *taken = sd < ss; return true;
	case ISA_SEM_JSLE: *taken = sd <= ss; return true;
	default: return false;
	}
}

bool oracle_end(enum isa_sem sem, int width, uint64_t dst, uint64_t *out)
{
	/* le on a little-endian program only truncates; be and bswap reverse the bytes */
	bool swap = sem == ISA_SEM_BE || sem == ISA_SEM_BSWAP;
	if (sem != ISA_SEM_LE && !swap)
		return false;
	switch (width) {
	case 16: *out = swap ? __builtin_bswap16((uint16_t)dst) : (uint16_t)dst; return true;
	case 32: *out = swap ? __builtin_bswap32((uint32_t)dst) : (uint32_t)dst; return true;
	case 64: *out = swap ? __builtin_bswap64(dst) : dst; return true;
	default: return false;
	}
}

uint64_t oracle_load(const uint8_t *p, int size, bool sx)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	switch (size) {
	case 1: memcpy(&u8, p, 1); return sx ? (uint64_t)(int64_t)(int8_t)u8 : u8;
	case 2:
		memcpy(&u16, p, 2);
		u16 = le16toh(u16);
		return sx ? (uint64_t)(int64_t)(int16_t)u16 : u16;
	case 4:
		memcpy(&u32, p, 4);
		u32 = le32toh(u32);
		return sx ? (uint64_t)(int64_t)(int32_t)u32 : u32;
	default: memcpy(&u64, p, 8); return le64toh(u64);
	}
}

void oracle_store(uint8_t *p, int size, uint64_t v)
{
	uint16_t u16 = htole16((uint16_t)v);
	uint32_t u32 = htole32((uint32_t)v);
	uint64_t u64 = htole64(v);
	switch (size) {
	case 1: *p = (uint8_t)v; break;
	case 2: memcpy(p, &u16, 2); break;
	case 4: memcpy(p, &u32, 4); break;
	default: memcpy(p, &u64, 8); break;
	}
}

uint64_t oracle_load_be(const uint8_t *p, int size)
{
	uint16_t u16;
	uint32_t u32;
	switch (size) {
	case 1: return p[0];
	case 2: memcpy(&u16, p, 2); return be16toh(u16);
	default: memcpy(&u32, p, 4); return be32toh(u32);
	}
}
