/* The disassembler against golden text: the LLVM dialect exactly as llvm-objdump-19 -d prints it
 * (checked by hand; 32-bit atomics as with --mattr=+alu32, the <sym+off> annotation left out),
 * the uBPF dialect as bpf_conformance writes it, and our own forms for what LLVM cannot show. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "testutil.h"

struct golden {
	uint64_t word, next; /* next: second slot of a wide load */
	const char *llvm, *ubpf;
};

/* The words are the little-endian slot (imm<<32 | off<<16 | src<<12 | dst<<8 | opcode). */
static const struct golden golden[] = {
    {0x0000000000001061, 0, "r0 = *(u32 *)(r1 + 0x0)", "ldxw %r0, [%r1]"},
    {0x00000000fffc1071, 0, "r0 = *(u8 *)(r1 - 0x4)", "ldxb %r0, [%r1-4]"},
    {0x0000000000021069, 0, "r0 = *(u16 *)(r1 + 0x2)", "ldxh %r0, [%r1+2]"},
    {0x00000000fff8a079, 0, "r0 = *(u64 *)(r10 - 0x8)", "ldxdw %r0, [%r10-8]"},
    {0x00000000fff81a7b, 0, "*(u64 *)(r10 - 0x8) = r1", "stxdw [%r10-8], %r1"},
    {0x0000000700040162, 0, "*(u32 *)(r1 + 0x4) = 0x7", "stw [%r1+4], 7"},
    {0xfffffff900040162, 0, "*(u32 *)(r1 + 0x4) = -0x7", "stw [%r1+4], -7"},
    {0x000000ff00040172, 0, "*(u8 *)(r1 + 0x4) = 0xff", "stb [%r1+4], 255"},
    {0x0000000500030125, 0, "if r1 > 0x5 goto +0x3", "jgt %r1, 5, +3"},
    {0xfffffffb00030125, 0, "if r1 > -0x5 goto +0x3", "jgt %r1, -5, +3"},
    {0x00000000fffc21ce, 0, "if w1 s< w2 goto -0x4", "jslt32 %r1, %r2, -4"},
    {0x7fffffff00000116, 0, "if w1 == 0x7fffffff goto +0x0", "jeq32 %r1, 2147483647, +0"},
    {0x000000000001214d, 0, "if r1 & r2 goto +0x1", "jset %r1, %r2, +1"},
    {0x000000000001215d, 0, "if r1 != r2 goto +0x1", "jne %r1, %r2, +1"},
    {0x000000000001103c, 0, "w0 s/= w1", "sdiv32 %r0, %r1"},
    {0x0000000300010097, 0, "r0 s%= 0x3", "smod %r0, 3"},
    {0xfffffffd00010037, 0, "r0 s/= -0x3", "sdiv %r0, -3"},
    {0x0000000300000037, 0, "r0 /= 0x3", "div %r0, 3"},
    {0x00000040000001d7, 0, "r1 = bswap64 r1", "bswap64 %r1"},
    {0x00000010000001d7, 0, "r1 = bswap16 r1", "bswap16 %r1"},
    {0x00000010000001dc, 0, "r1 = be16 r1", "be16 %r1"},
    {0x00000020000001d4, 0, "r1 = le32 r1", "le32 %r1"},
    {0x00000040000001d4, 0, "r1 = le64 r1", "le64 %r1"},
    {0x00000000000021db, 0, "lock *(u64 *)(r1 + 0x0) += r2", "lock add [%r1], %r2"},
    {0x00000000000021c3, 0, "lock *(u32 *)(r1 + 0x0) += w2", "lock add32 [%r1], %r2"},
    {0x00000040000021db, 0, "lock *(u64 *)(r1 + 0x0) |= r2", "lock or [%r1], %r2"},
    {0x00000050000021db, 0, "lock *(u64 *)(r1 + 0x0) &= r2", "lock and [%r1], %r2"},
    {0x000000a0000021db, 0, "lock *(u64 *)(r1 + 0x0) ^= r2", "lock xor [%r1], %r2"},
    {0x00000001000001db, 0, "r0 = atomic_fetch_add((u64 *)(r1 + 0x0), r0)", "lock fetch add [%r1], %r0"},
    {0x00000001000001c3, 0, "w0 = atomic_fetch_add((u32 *)(r1 + 0x0), w0)", "lock fetch add32 [%r1], %r0"},
    {0x00000041000001db, 0, "r0 = atomic_fetch_or((u64 *)(r1 + 0x0), r0)", "lock fetch or [%r1], %r0"},
    {0x00000051000001db, 0, "r0 = atomic_fetch_and((u64 *)(r1 + 0x0), r0)", "lock fetch and [%r1], %r0"},
    {0x000000a1000001db, 0, "r0 = atomic_fetch_xor((u64 *)(r1 + 0x0), r0)", "lock fetch xor [%r1], %r0"},
    {0x000000e1000001db, 0, "r0 = xchg_64(r1 + 0x0, r0)", "lock xchg [%r1], %r0"},
    {0x000000e1000001c3, 0, "w0 = xchg32_32(r1 + 0x0, w0)", "lock xchg32 [%r1], %r0"},
    {0x000000f1000021db, 0, "r0 = cmpxchg_64(r1 + 0x0, r0, r2)", "lock cmpxchg [%r1], %r2"},
    {0x000000f1000021c3, 0, "w0 = cmpxchg32_32(r1 + 0x0, w0, w2)", "lock cmpxchg32 [%r1], %r2"},
    {0x5566778800000118, 0x1122334400000000, "r1 = 0x1122334455667788 ll", "lddw %r1, 0x1122334455667788"},
    {0xffffffff00000118, 0xffffffff00000000, "r1 = -0x1 ll", "lddw %r1, 0xffffffffffffffff"},
    {0x0000000000000018, 0x8000000000000000, "r0 = -0x8000000000000000 ll", "lddw %r0, 0x8000000000000000"},
    {0x0000000000000018, 0, "r0 = 0x0 ll", "lddw %r0, 0x0"},
    {0x00000000000810bf, 0, "r0 = (s8)r1", "movsx864 %r0, %r1"},
    {0x00000000001010bf, 0, "r0 = (s16)r1", "movsx1664 %r0, %r1"},
    {0x00000000002010bf, 0, "r0 = (s32)r1", "movsx3264 %r0, %r1"},
    {0x00000000000810bc, 0, "w0 = (s8)w1", "movsx832 %r0, %r1"},
    {0x00000000001010bc, 0, "w0 = (s16)w1", "movsx1632 %r0, %r1"},
    {0x0000000000021089, 0, "r0 = *(s16 *)(r1 + 0x2)", "ldxsh %r0, [%r1+2]"},
    {0x0000000000021091, 0, "r0 = *(s8 *)(r1 + 0x2)", "ldxsb %r0, [%r1+2]"},
    {0x0000000000021081, 0, "r0 = *(s32 *)(r1 + 0x2)", "ldxsw %r0, [%r1+2]"},
    {0x0000000100000085, 0, "call 0x1", "call 1"},
    {0xffffffff00000085, 0, "call -0x1", "call -1"},
    {0x000000000000028d, 0, "callx r2", "call %r2"},
    {0x0000000000000095, 0, "exit", "exit"},
    {0x0000000000050005, 0, "goto +0x5", "ja +5"},
    {0x00000000ffff0005, 0, "goto -0x1", "ja -1"},
    {0x0000000700000006, 0, "gotol +0x7", "ja32 +7"},
    {0x8000000000000006, 0, "gotol -0x80000000", "ja32 -2147483648"},
    {0x00000000000200e5, 0, "may_goto +0x2", "may_goto +2"},
    {0x0000000000000184, 0, "w1 = -w1", "neg32 %r1"},
    {0x0000000000000187, 0, "r1 = -r1", "neg %r1"},
    {0x0000000300000167, 0, "r1 <<= 0x3", "lsh %r1, 3"},
    {0x000000000000217c, 0, "w1 >>= w2", "rsh32 %r1, %r2"},
    {0x00000001000001c7, 0, "r1 s>>= 0x1", "arsh %r1, 1"},
    {0x00000001000001c4, 0, "w1 s>>= 0x1", "arsh32 %r1, 1"},
    {0xffffffff000001b7, 0, "r1 = -0x1", "mov %r1, -1"},
    {0xffffffff000001b4, 0, "w1 = -0x1", "mov32 %r1, -1"},
    {0x80000000000001b7, 0, "r1 = -0x80000000", "mov %r1, -2147483648"},
    {0x8000000000000107, 0, "r1 += -0x80000000", "add %r1, -2147483648"},
    {0x00000000000021bf, 0, "r1 = r2", "mov %r1, %r2"},
    {0x00000000000021bc, 0, "w1 = w2", "mov32 %r1, %r2"},
    {0x000000000000212f, 0, "r1 *= r2", "mul %r1, %r2"},
    {0x00000005000001a4, 0, "w1 ^= 0x5", "xor32 %r1, 5"},
    {0x0000000300000030, 0, "r0 = *(u8 *)skb[0x3]", "ldabsb 3"},
    {0x0000000300000028, 0, "r0 = *(u16 *)skb[0x3]", "ldabsh 3"},
    {0x0000000300000020, 0, "r0 = *(u32 *)skb[0x3]", "ldabsw 3"},
    {0x0000000000003050, 0, "r0 = *(u8 *)skb[r3]", "ldindb %r3, 0"},
    {0x0001000200010abf, 0, "r10 = addr_space_cast(r0, 0x1, 0x2)", "addr_space_cast %r10, %r0, 1, 2"},
    /* Our forms where llvm-objdump-19 prints a relocation target, <unknown> or drops a field. */
    {0x0000000500003040, 0, "r0 = *(u32 *)skb[r3 + 0x5]", "ldindw %r3, 5"},
    {0x0000000300001085, 0, "call pc+0x3", "call local +3"},
    {0xfffffffe00001085, 0, "call pc-0x2", "call local -2"},
    {0x0000000500002085, 0, "call kfunc 0x5", "call runtime 5"},
    {0x000000000000010d, 0, "gotox r1", "gotox %r1"},
    {0x0000000300001118, 0, "r1 = map_by_fd(0x3) ll", "lddw %r1, map_by_fd(3)"},
    {0x0000000300002118, 0x0000001000000000, "r1 = map_val_by_fd(0x3, 0x10) ll",
     "lddw %r1, map_val_by_fd(3, 16)"},
    {0x0000000300003118, 0, "r1 = var_addr(0x3) ll", "lddw %r1, var_addr(3)"},
    {0x0000000300004118, 0, "r1 = code_addr(0x3) ll", "lddw %r1, code_addr(3)"},
    {0x0000000300005118, 0, "r1 = map_by_idx(0x3) ll", "lddw %r1, map_by_idx(3)"},
    {0x0000000300006118, 0x0000000400000000, "r1 = map_val_by_idx(0x3, 0x4) ll",
     "lddw %r1, map_val_by_idx(3, 4)"},
    {0x00000100000001db, 0, "r1 = load_acquire((u64 *)(r0 + 0x0))", "load_acquiredw %r1, [%r0]"},
    {0x00000100000001cb, 0, "w1 = load_acquire((u16 *)(r0 + 0x0))", "load_acquireh %r1, [%r0]"},
    {0x00000110000821d3, 0, "store_release((u8 *)(r1 + 0x8), w2)", "store_releaseb [%r1+8], %r2"},
    {0x00000110000021db, 0, "store_release((u64 *)(r1 + 0x0), r2)", "store_releasedw [%r1], %r2"},
};

static bool is_wide(uint64_t w)
{
	return (w & 0xff) == 0x18;
}

START_TEST(golden_both_dialects)
{
	const struct isa_table *t = isa_table_default();
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		const struct golden *g = &golden[i];
		struct isa_slot s[2];
		isa_slot_from_word(g->word, &s[0]);
		isa_slot_from_word(g->next, &s[1]);
		size_t n = is_wide(g->word) ? 2 : 1;
		char buf[128];
		ck_assert_uint_eq(isa_disasm_insn(t, s, n, 0, ISA_DIALECT_LLVM, buf, sizeof(buf)), n);
		ck_assert_str_eq(buf, g->llvm);
		ck_assert_uint_eq(isa_disasm_insn(t, s, n, 0, ISA_DIALECT_UBPF, buf, sizeof(buf)), n);
		ck_assert_str_eq(buf, g->ubpf);
		/* AUTO prints LLVM. */
		isa_disasm_insn(t, s, n, 0, ISA_DIALECT_AUTO, buf, sizeof(buf));
		ck_assert_str_eq(buf, g->llvm);
	}
}
END_TEST

static void check_raw(uint64_t word, const char *llvm, const char *ubpf)
{
	struct isa_slot s;
	isa_slot_from_word(word, &s);
	char buf[200];
	ck_assert_uint_eq(isa_disasm_insn(isa_table_default(), &s, 1, 0, ISA_DIALECT_LLVM, buf, sizeof(buf)),
	                  1);
	ck_assert_str_eq(buf, llvm);
	ck_assert_uint_eq(isa_disasm_insn(isa_table_default(), &s, 1, 0, ISA_DIALECT_UBPF, buf, sizeof(buf)),
	                  1);
	ck_assert_str_eq(buf, ubpf);
}

START_TEST(not_in_table_prints_raw)
{
	check_raw(0x00000000000000ff, ".8byte 0x00000000000000ff ; unknown opcode 0xff",
	          ".raw 0x00000000000000ff # unknown opcode 0xff");
	check_raw(0x0000000000020037,
	          ".8byte 0x0000000000020037 ; opcode 0x37: no encoding with these src/offset/imm values",
	          ".raw 0x0000000000020037 # opcode 0x37: no encoding with these src/offset/imm values");
	check_raw(0x000000058000016d, ".8byte 0x000000058000016d ; jsgt with imm 5 (must be 0)",
	          ".raw 0x000000058000016d # jsgt with imm 5 (must be 0)");
	check_raw(0x0000000000000b07, ".8byte 0x0000000000000b07 ; add with dst_reg 11 (no such register)",
	          ".raw 0x0000000000000b07 # add with dst_reg 11 (no such register)");
	check_raw(0x0000000000000000,
	          ".8byte 0x0000000000000000 ; not an instruction: second slot of a 64-bit load without its "
	          "first slot",
	          ".raw 0x0000000000000000 # not an instruction: second slot of a 64-bit load without its "
	          "first slot");
}
END_TEST

START_TEST(wide_load_cut_short)
{
	const struct isa_table *t = isa_table_default();
	struct isa_slot s[2];
	isa_slot_from_word(0x0000000500000118, &s[0]);
	char buf[200];
	/* Only one slot available: never reads past count. */
	ck_assert_uint_eq(isa_disasm_insn(t, s, 1, 0, ISA_DIALECT_LLVM, buf, sizeof(buf)), 1);
	ck_assert_str_eq(
	    buf, ".8byte 0x0000000500000118 ; 64-bit load whose second slot is missing (end of program)");
	/* A second slot that is an instruction, not the continuation. */
	isa_slot_from_word(0x0000000000000095, &s[1]);
	ck_assert_uint_eq(isa_disasm_insn(t, s, 2, 0, ISA_DIALECT_UBPF, buf, sizeof(buf)), 1);
	ck_assert_str_eq(
	    buf, ".raw 0x0000000500000118 # 64-bit load whose second slot is not opcode 0 with zero fields");
	ck_assert_uint_eq(isa_disasm_insn(t, s, 2, 1, ISA_DIALECT_UBPF, buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "exit");
}
END_TEST

START_TEST(bounds_and_small_buffers)
{
	const struct isa_table *t = isa_table_default();
	struct isa_slot s;
	isa_slot_from_word(0x00000000fff8a079, &s);
	char buf[8];
	memset(buf, 'x', sizeof(buf));
	ck_assert_uint_eq(isa_disasm_insn(t, &s, 1, 1, ISA_DIALECT_LLVM, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(isa_disasm_insn(t, NULL, 0, 0, ISA_DIALECT_LLVM, buf, sizeof(buf)), 0);
	/* Truncated, still NUL-terminated, still reports the slot count. */
	ck_assert_uint_eq(isa_disasm_insn(t, &s, 1, 0, ISA_DIALECT_LLVM, buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "r0 = *(");
	ck_assert_uint_eq(isa_disasm_insn(t, &s, 1, 0, ISA_DIALECT_LLVM, NULL, 0), 1);
	/* A NULL table means the built-in one. */
	char big[64];
	isa_disasm_insn(NULL, &s, 1, 0, ISA_DIALECT_UBPF, big, sizeof(big));
	ck_assert_str_eq(big, "ldxdw %r0, [%r10-8]");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("disasm");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, golden_both_dialects);
	tcase_add_test(tc, not_in_table_prints_raw);
	tcase_add_test(tc, wide_load_cut_short);
	tcase_add_test(tc, bounds_and_small_buffers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
