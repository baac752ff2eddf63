/* The assembler: every instruction form the bpf_conformance suite uses (uBPF dialect), the
 * LLVM/kernel dialect with labels, comments and directives, immediate and offset ranges, dialect
 * detection, and one test per kind of error message. */
#define _GNU_SOURCE /* memmem */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/specs.h"
#include "testutil.h"

struct form {
	const char *text;
	uint64_t word;
};

/* Every mnemonic and operand shape of the bpf_conformance corpus (and every ALU, jump and atomic
 * operation in both widths), one line each; the words were checked against clang-19 -target bpf
 * assembling the same instructions in LLVM syntax. */
static const struct form ubpf_forms[] = {
    {"mov %r1, 5", 0x00000005000001b7ull},
    {"mov %r1, -1", 0xffffffff000001b7ull},
    {"mov %r1, %r2", 0x00000000000021bfull},
    {"mov32 %r0, 0", 0x00000000000000b4ull},
    {"mov32 %r0, 0xffffffff", 0xffffffff000000b4ull},
    {"mov32 %r1, %r2", 0x00000000000021bcull},
    {"mov64 %r1, 1", 0x00000001000001b7ull},
    {"add64 %r1, %r2", 0x000000000000210full},
    {"add32 %r0, -3", 0xfffffffd00000004ull},
    {"sub %r1, 2", 0x0000000200000117ull},
    {"mul32 %r1, %r2", 0x000000000000212cull},
    {"div %r1, 3", 0x0000000300000137ull},
    {"sdiv32 %r1, -2", 0xfffffffe00010134ull},
    {"mod32 %r1, 3", 0x0000000300000194ull},
    {"smod %r1, %r2", 0x000000000001219full},
    {"or %r0, %r1", 0x000000000000104full},
    {"and32 %r1, 0xff", 0x000000ff00000154ull},
    {"lsh %r1, 32", 0x0000002000000167ull},
    {"rsh32 %r1, %r2", 0x000000000000217cull},
    {"arsh %r1, -1", 0xffffffff000001c7ull},
    {"xor32 %r1, 5", 0x00000005000001a4ull},
    {"neg %r1", 0x0000000000000187ull},
    {"neg32 %r1", 0x0000000000000184ull},
    {"be16 %r0", 0x00000010000000dcull},
    {"be32 %r0", 0x00000020000000dcull},
    {"be64 %r0", 0x00000040000000dcull},
    {"le16 %r0", 0x00000010000000d4ull},
    {"le32 %r0", 0x00000020000000d4ull},
    {"le64 %r0", 0x00000040000000d4ull},
    {"swap16 %r0", 0x00000010000000d7ull},
    {"swap32 %r0", 0x00000020000000d7ull},
    {"swap64 %r0", 0x00000040000000d7ull},
    {"bswap16 %r0", 0x00000010000000d7ull},
    {"bswap32 %r0", 0x00000020000000d7ull},
    {"bswap64 %r0", 0x00000040000000d7ull},
    {"movsx832 %r0, %r1", 0x00000000000810bcull},
    {"movsx1632 %r0, %r1", 0x00000000001010bcull},
    {"movsx864 %r0, %r1", 0x00000000000810bfull},
    {"movsx1664 %r0, %r1", 0x00000000001010bfull},
    {"movsx3264 %r0, %r1", 0x00000000002010bfull},
    {"ldxb %r0, [%r1+2]", 0x0000000000021071ull},
    {"ldxh %r0, [%r1]", 0x0000000000001069ull},
    {"ldxw %r0, [%r10-4]", 0x00000000fffca061ull},
    {"ldxdw %r0, [%r1+8]", 0x0000000000081079ull},
    {"ldxsb %r0, [%r1]", 0x0000000000001091ull},
    {"ldxsh %r0, [%r1+2]", 0x0000000000021089ull},
    {"ldxsw %r0, [%r10-4]", 0x00000000fffca081ull},
    {"stb [%r1+2], 5", 0x0000000500020172ull},
    {"sth [%r10-2], -1", 0xfffffffffffe0a6aull},
    {"stw [%r1], 0x12345678", 0x1234567800000162ull},
    {"stdw [%r10-8], 1", 0x00000001fff80a7aull},
    {"stxb [%r1+2], %r2", 0x0000000000022173ull},
    {"stxh [%r1+2], %r2", 0x000000000002216bull},
    {"stxw [%r1-4], %r2", 0x00000000fffc2163ull},
    {"stxdw [%r10-8], %r0", 0x00000000fff80a7bull},
    {"lock add [%r10-8], %r1", 0x00000000fff81adbull},
    {"lock add32 [%r10-8], %r1", 0x00000000fff81ac3ull},
    {"lock fetch add [%r10-8], %r1", 0x00000001fff81adbull},
    {"lock or [%r10-8], %r1", 0x00000040fff81adbull},
    {"lock fetch xor32 [%r10-8], %r1", 0x000000a1fff81ac3ull},
    {"lock xchg [%r10-8], %r1", 0x000000e1fff81adbull},
    {"lock cmpxchg [%r10-8], %r1", 0x000000f1fff81adbull},
    {"lock cmpxchg32 [%r10-8], %r1", 0x000000f1fff81ac3ull},
    {"lock fetch and [%r10-8], %r1", 0x00000051fff81adbull},
    {"lock and32 [%r10-8], %r1", 0x00000050fff81ac3ull},
    {"lddw %r0, 0x123456789abcdef0", 0x9abcdef000000018ull},
    {"lddw %r1, 2147483648", 0x8000000000000118ull},
    {"jeq %r1, 0, +3", 0x0000000000030115ull},
    {"jne32 %r1, %r2, -1", 0x00000000ffff215eull},
    {"jset %r1, 0x80000000, +1", 0x8000000000010145ull},
    {"jsge32 %r1, -5, +2", 0xfffffffb00020176ull},
    {"jslt %r1, %r2, +0", 0x00000000000021cdull},
    {"jle32 %r1, 7, +4", 0x00000007000401b6ull},
    {"ja +2", 0x0000000000020005ull},
    {"ja32 +1", 0x0000000100000006ull},
    {"call 5", 0x0000000500000085ull},
    {"call %r2", 0x000000000000028dull},
    {"callx %r2", 0x000000000000028dull},
    {"call local +2", 0x0000000200001085ull},
    {"add %r1, 7", 0x0000000700000107ull},
    {"add %r1, %r2", 0x000000000000210full},
    {"add32 %r1, 7", 0x0000000700000104ull},
    {"add32 %r1, %r2", 0x000000000000210cull},
    {"sub %r1, 7", 0x0000000700000117ull},
    {"sub %r1, %r2", 0x000000000000211full},
    {"sub32 %r1, 7", 0x0000000700000114ull},
    {"sub32 %r1, %r2", 0x000000000000211cull},
    {"mul %r1, 7", 0x0000000700000127ull},
    {"mul %r1, %r2", 0x000000000000212full},
    {"mul32 %r1, 7", 0x0000000700000124ull},
    {"div %r1, 7", 0x0000000700000137ull},
    {"div %r1, %r2", 0x000000000000213full},
    {"div32 %r1, 7", 0x0000000700000134ull},
    {"div32 %r1, %r2", 0x000000000000213cull},
    {"sdiv %r1, 7", 0x0000000700010137ull},
    {"sdiv %r1, %r2", 0x000000000001213full},
    {"sdiv32 %r1, 7", 0x0000000700010134ull},
    {"sdiv32 %r1, %r2", 0x000000000001213cull},
    {"mod %r1, 7", 0x0000000700000197ull},
    {"mod %r1, %r2", 0x000000000000219full},
    {"mod32 %r1, 7", 0x0000000700000194ull},
    {"mod32 %r1, %r2", 0x000000000000219cull},
    {"smod %r1, 7", 0x0000000700010197ull},
    {"smod32 %r1, 7", 0x0000000700010194ull},
    {"smod32 %r1, %r2", 0x000000000001219cull},
    {"or %r1, 7", 0x0000000700000147ull},
    {"or %r1, %r2", 0x000000000000214full},
    {"or32 %r1, 7", 0x0000000700000144ull},
    {"or32 %r1, %r2", 0x000000000000214cull},
    {"and %r1, 7", 0x0000000700000157ull},
    {"and %r1, %r2", 0x000000000000215full},
    {"and32 %r1, 7", 0x0000000700000154ull},
    {"and32 %r1, %r2", 0x000000000000215cull},
    {"lsh %r1, 7", 0x0000000700000167ull},
    {"lsh %r1, %r2", 0x000000000000216full},
    {"lsh32 %r1, 7", 0x0000000700000164ull},
    {"lsh32 %r1, %r2", 0x000000000000216cull},
    {"rsh %r1, 7", 0x0000000700000177ull},
    {"rsh %r1, %r2", 0x000000000000217full},
    {"rsh32 %r1, 7", 0x0000000700000174ull},
    {"arsh %r1, 7", 0x00000007000001c7ull},
    {"arsh %r1, %r2", 0x00000000000021cfull},
    {"arsh32 %r1, 7", 0x00000007000001c4ull},
    {"arsh32 %r1, %r2", 0x00000000000021ccull},
    {"xor %r1, 7", 0x00000007000001a7ull},
    {"xor %r1, %r2", 0x00000000000021afull},
    {"xor32 %r1, 7", 0x00000007000001a4ull},
    {"xor32 %r1, %r2", 0x00000000000021acull},
    {"mov %r1, 7", 0x00000007000001b7ull},
    {"mov32 %r1, 7", 0x00000007000001b4ull},
    {"jeq %r1, -7, +1", 0xfffffff900010115ull},
    {"jeq %r1, %r2, +1", 0x000000000001211dull},
    {"jeq32 %r1, -7, +1", 0xfffffff900010116ull},
    {"jeq32 %r1, %r2, +1", 0x000000000001211eull},
    {"jgt %r1, -7, +1", 0xfffffff900010125ull},
    {"jgt %r1, %r2, +1", 0x000000000001212dull},
    {"jgt32 %r1, -7, +1", 0xfffffff900010126ull},
    {"jgt32 %r1, %r2, +1", 0x000000000001212eull},
    {"jge %r1, -7, +1", 0xfffffff900010135ull},
    {"jge %r1, %r2, +1", 0x000000000001213dull},
    {"jge32 %r1, -7, +1", 0xfffffff900010136ull},
    {"jge32 %r1, %r2, +1", 0x000000000001213eull},
    {"jset %r1, -7, +1", 0xfffffff900010145ull},
    {"jset %r1, %r2, +1", 0x000000000001214dull},
    {"jset32 %r1, -7, +1", 0xfffffff900010146ull},
    {"jset32 %r1, %r2, +1", 0x000000000001214eull},
    {"jne %r1, -7, +1", 0xfffffff900010155ull},
    {"jne %r1, %r2, +1", 0x000000000001215dull},
    {"jne32 %r1, -7, +1", 0xfffffff900010156ull},
    {"jne32 %r1, %r2, +1", 0x000000000001215eull},
    {"jsgt %r1, -7, +1", 0xfffffff900010165ull},
    {"jsgt %r1, %r2, +1", 0x000000000001216dull},
    {"jsgt32 %r1, -7, +1", 0xfffffff900010166ull},
    {"jsgt32 %r1, %r2, +1", 0x000000000001216eull},
    {"jsge %r1, -7, +1", 0xfffffff900010175ull},
    {"jsge %r1, %r2, +1", 0x000000000001217dull},
    {"jsge32 %r1, -7, +1", 0xfffffff900010176ull},
    {"jsge32 %r1, %r2, +1", 0x000000000001217eull},
    {"jlt %r1, -7, +1", 0xfffffff9000101a5ull},
    {"jlt %r1, %r2, +1", 0x00000000000121adull},
    {"jlt32 %r1, -7, +1", 0xfffffff9000101a6ull},
    {"jlt32 %r1, %r2, +1", 0x00000000000121aeull},
    {"jle %r1, -7, +1", 0xfffffff9000101b5ull},
    {"jle %r1, %r2, +1", 0x00000000000121bdull},
    {"jle32 %r1, -7, +1", 0xfffffff9000101b6ull},
    {"jle32 %r1, %r2, +1", 0x00000000000121beull},
    {"jslt %r1, -7, +1", 0xfffffff9000101c5ull},
    {"jslt %r1, %r2, +1", 0x00000000000121cdull},
    {"jslt32 %r1, -7, +1", 0xfffffff9000101c6ull},
    {"jslt32 %r1, %r2, +1", 0x00000000000121ceull},
    {"jsle %r1, -7, +1", 0xfffffff9000101d5ull},
    {"jsle %r1, %r2, +1", 0x00000000000121ddull},
    {"jsle32 %r1, -7, +1", 0xfffffff9000101d6ull},
    {"jsle32 %r1, %r2, +1", 0x00000000000121deull},
    {"lock or32 [%r10-8], %r1", 0x00000040fff81ac3ull},
    {"lock and [%r10-8], %r1", 0x00000050fff81adbull},
    {"lock xor [%r10-8], %r1", 0x000000a0fff81adbull},
    {"lock xor32 [%r10-8], %r1", 0x000000a0fff81ac3ull},
    {"lock fetch add32 [%r10-8], %r1", 0x00000001fff81ac3ull},
    {"lock fetch or [%r10-8], %r1", 0x00000041fff81adbull},
    {"lock fetch or32 [%r10-8], %r1", 0x00000041fff81ac3ull},
    {"lock fetch and32 [%r10-8], %r1", 0x00000051fff81ac3ull},
    {"lock fetch xor [%r10-8], %r1", 0x000000a1fff81adbull},
    {"lock xchg32 [%r10-8], %r1", 0x000000e1fff81ac3ull},
    {"exit", 0x0000000000000095ull},
};

static int assemble(const char *text, enum isa_dialect d, struct isa_slot **s, size_t *n,
                    struct bpfc_error *err)
{
	return isa_assemble(isa_table_default(), text, strlen(text), d, "t.s", s, n, NULL, err);
}

/* Assembles text that must succeed and returns its slots as words. */
static size_t words_of(const char *text, enum isa_dialect d, uint64_t *w, size_t max)
{
	struct isa_slot *s = NULL;
	size_t n = 0;
	struct bpfc_error err;
	int rc = assemble(text, d, &s, &n, &err);
	ck_assert_msg(rc == 0, "'%s': %s", text, err.msg);
	ck_assert_uint_le(n, max);
	for (size_t i = 0; i < n; i++)
		w[i] = isa_slot_to_word(&s[i]);
	free(s);
	return n;
}

/* Assembles text that must fail with a message containing want. */
static void fails_with(const char *text, enum isa_dialect d, const char *want)
{
	struct isa_slot *s = (struct isa_slot *)1;
	size_t n = 99;
	struct bpfc_error err;
	int rc = assemble(text, d, &s, &n, &err);
	ck_assert_msg(rc == BPFC_ERR_INPUT, "'%s' assembled (rc %d)", text, rc);
	ck_assert_ptr_null(s);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strstr(err.msg, want) != NULL, "'%s': message '%s' lacks '%s'", text, err.msg, want);
}

START_TEST(ubpf_every_conformance_form)
{
	for (size_t i = 0; i < sizeof(ubpf_forms) / sizeof(ubpf_forms[0]); i++) {
		uint64_t w[2];
		size_t n = words_of(ubpf_forms[i].text, ISA_DIALECT_UBPF, w, 2);
		ck_assert_msg(w[0] == ubpf_forms[i].word, "'%s' gave %016" PRIx64 ", expected %016" PRIx64,
		              ubpf_forms[i].text, w[0], ubpf_forms[i].word);
		if (n == 2) /* lddw: the high half in the second slot */
			ck_assert_uint_eq(w[1],
			                  strstr(ubpf_forms[i].text, "0x1234") ? 0x1234567800000000ull : 0);
		/* Detection alone finds the dialect, except for lines both dialects read the same way. */
		bool both =
		    strcmp(ubpf_forms[i].text, "exit") == 0 || strcmp(ubpf_forms[i].text, "call 5") == 0;
		ck_assert_int_eq(isa_asm_detect(ubpf_forms[i].text, strlen(ubpf_forms[i].text)),
		                 both ? ISA_DIALECT_LLVM : ISA_DIALECT_UBPF);
	}
	uint64_t w[2];
	ck_assert_uint_eq(words_of("lddw %r0, 0x123456789abcdef0", ISA_DIALECT_UBPF, w, 2), 2);
	ck_assert_uint_eq(w[1], 0x1234567800000000ull);
	ck_assert_uint_eq(words_of("lddw %r0, -1", ISA_DIALECT_UBPF, w, 2), 2);
	ck_assert_uint_eq(w[0], 0xffffffff00000018ull);
	ck_assert_uint_eq(w[1], 0xffffffff00000000ull);
}
END_TEST

START_TEST(ubpf_labels)
{
	/* As bpf_conformance writes them: labels named like mnemonics, "exit" meaning the first exit
	 * when no label has that name, ja32 and local calls to labels, comments, blank lines; a wide
	 * load counts two slots. */
	const char *prog = "# header comment\n"
	                   "mov %r0, 0\n"
	                   "jne %r0, 0, exit   # not taken\n"
	                   "lddw %r1, 0x100000000\n"
	                   "ja L1\n"
	                   "\n"
	                   "exit\n"
	                   "L1:\n"
	                   "  call local func\n"
	                   "ja32 done\n"
	                   "func: mov %r0, 1\n"
	                   "exit\n"
	                   "done:\n"
	                   "jeq %r0, 1, L1\n"
	                   "exit\n";
	uint64_t w[16];
	size_t n = words_of(prog, ISA_DIALECT_AUTO, w, 16);
	ck_assert_uint_eq(n, 12);
	ck_assert_uint_eq(w[1], 0x0000000000030055ull);  /* jne -> slot 5 (first exit): 5 - 1 - 1 */
	ck_assert_uint_eq(w[4], 0x0000000000010005ull);  /* ja L1 (slot 6) from slot 4 */
	ck_assert_uint_eq(w[6], 0x0000000100001085ull);  /* call local func (slot 8) from slot 6 */
	ck_assert_uint_eq(w[7], 0x0000000200000006ull);  /* ja32 done (slot 10) from slot 7 */
	ck_assert_uint_eq(w[10], 0x00000001fffb0015ull); /* jeq back to L1 (slot 6) from slot 10 */

	/* An explicit "exit:" label wins over the implicit one. */
	n = words_of("jne %r0, %r1, exit\nexit\nexit:\nexit\n", ISA_DIALECT_UBPF, w, 16);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(w[0], 0x000000000001105dull);
}
END_TEST

START_TEST(llvm_dialect)
{
	const char *prog = "\t.text\n"
	                   "\t.globl\tf  # directives are ignored\n"
	                   "\t.p2align\t3\n"
	                   "f:                      // a function\n"
	                   "\tr0 = *(u32 *)(r1 +0)  ; kernel spacing\n"
	                   "\tif r0 > 5 goto LBB0_3\n"
	                   "\tr1 = 0x1122334455667788 ll\n"
	                   "\tgoto pc+1\n"
	                   "\tcall f\n"
	                   "LBB0_3:\n"
	                   "\tcall pc-2\n"
	                   ".LBB0_4: w0 s/= w1\n"
	                   "\tif w1 s< w2 goto .LBB0_4\n"
	                   "\tlock *(u32 *)(r1 + 0) += r2\n"
	                   "\tr0 = cmpxchg_64(r1 - 0x8, r0, r2)\n"
	                   "\tr1 = map_val_by_idx(2, 16) ll\n"
	                   "\t.8byte 0x00000000000000ff\n"
	                   "\texit\n";
	uint64_t w[32];
	size_t n = words_of(prog, ISA_DIALECT_AUTO, w, 32);
	ck_assert_uint_eq(n, 15);
	ck_assert_uint_eq(w[0], 0x0000000000001061ull);
	ck_assert_uint_eq(w[1], 0x0000000500040025ull); /* to slot 6 from slot 1 */
	ck_assert_uint_eq(w[2], 0x5566778800000118ull);
	ck_assert_uint_eq(w[3], 0x1122334400000000ull);
	ck_assert_uint_eq(w[4], 0x0000000000010005ull);
	ck_assert_uint_eq(w[5], 0xfffffffa00001085ull); /* call f: slot 0 from slot 5 */
	ck_assert_uint_eq(w[6], 0xfffffffe00001085ull);
	ck_assert_uint_eq(w[7], 0x000000000001103cull);
	ck_assert_uint_eq(w[8], 0x00000000fffe21ceull);
	ck_assert_uint_eq(w[9], 0x00000000000021c3ull);
	ck_assert_uint_eq(w[10], 0x000000f1fff821dbull);
	ck_assert_uint_eq(w[11], 0x0000000200006118ull);
	ck_assert_uint_eq(w[12], 0x0000001000000000ull);
	ck_assert_uint_eq(w[13], 0x00000000000000ffull);
	ck_assert_uint_eq(w[14], 0x0000000000000095ull);

	/* llvm-objdump's "ld_pseudo r1, 0x1, 0x3" for a pseudo wide load (src 1, imm 3). */
	n = words_of("ld_pseudo\tr1, 0x1, 0x3\nld_pseudo r2, 6, 7", ISA_DIALECT_LLVM, w, 32);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(w[0], 0x0000000300001118ull);
	ck_assert_uint_eq(w[1], 0);
	ck_assert_uint_eq(w[2], 0x0000000700006218ull);
	fails_with("ld_pseudo r1, 0x7, 0x3", ISA_DIALECT_LLVM, "expected");
}
END_TEST

START_TEST(immediate_and_offset_ranges)
{
	uint64_t w[2];
	words_of("mov32 %r0, 2147483647", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq(w[0] >> 32, 0x7fffffff);
	words_of("mov32 %r0, -2147483648", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq(w[0] >> 32, 0x80000000);
	words_of("mov32 %r0, 0xffffffff", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq(w[0] >> 32, 0xffffffff);
	words_of("jeq %r1, 0x80000000, +1", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq(w[0] >> 32, 0x80000000);
	words_of("mov %r0, -0x80000000", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq(w[0] >> 32, 0x80000000);
	fails_with("mov32 %r0, 2147483648", ISA_DIALECT_UBPF,
	           "t.s:1:12: immediate 2147483648 is out of range");
	fails_with("mov32 %r0, -2147483649", ISA_DIALECT_UBPF, "immediate -2147483649 is out of range");
	fails_with("mov32 %r0, 0x100000000", ISA_DIALECT_UBPF, "immediate 0x100000000 is out of range");
	fails_with("mov32 %r0, -0x80000001", ISA_DIALECT_UBPF, "out of range");
	/* LLVM takes the unsigned 32-bit range in decimal too, as clang does. */
	words_of("w1 = 4294967295", ISA_DIALECT_LLVM, w, 2);
	ck_assert_uint_eq(w[0], 0xffffffff000001b4ull);
	fails_with("r1 = 4294967296", ISA_DIALECT_LLVM, "write 'rN = VALUE ll' for a 64-bit constant");
	/* Offsets are 16-bit; uBPF hex may use the unsigned range. */
	words_of("ldxb %r0, [%r1+32767]", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq((w[0] >> 16) & 0xffff, 0x7fff);
	words_of("ldxb %r0, [%r1-32768]", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq((w[0] >> 16) & 0xffff, 0x8000);
	words_of("ldxb %r0, [%r1+0xffff]", ISA_DIALECT_UBPF, w, 2);
	ck_assert_uint_eq((w[0] >> 16) & 0xffff, 0xffff);
	fails_with("ldxb %r0, [%r1+0x10000]", ISA_DIALECT_UBPF, "t.s:1:15: offset +0x10000 is out of range");
	fails_with("ldxb %r0, [%r1+32768]", ISA_DIALECT_UBPF, "offset +32768 is out of range");
	fails_with("r0 = *(u8 *)(r1 + 0xffff)", ISA_DIALECT_LLVM, "offset +0xffff is out of range");
	fails_with("goto +32768", ISA_DIALECT_LLVM, "jump offset +32768 is out of range");
	words_of("gotol +70000", ISA_DIALECT_LLVM, w, 2);
	ck_assert_uint_eq(w[0], 0x0001117000000006ull);
	fails_with("lddw %r0, 0x10000000000000000", ISA_DIALECT_UBPF, "does not fit in 64 bits");
	fails_with("r10 = addr_space_cast(r1, 65536, 0)", ISA_DIALECT_LLVM,
	           "address space 65536 is out of range");
}
END_TEST

START_TEST(error_messages)
{
	/* From the bpf_conformance negative tests, and one per other kind of error. */
	fails_with("# Invalid mnemonic\nldxq %r0, %r1\nexit\n", ISA_DIALECT_UBPF,
	           "t.s:2:1: unknown mnemonic 'ldxq'");
	fails_with("or %r0, %r50\nexit\n", ISA_DIALECT_UBPF,
	           "t.s:1:9: invalid register '%r50' (registers are %r0..%r10)");
	fails_with("mov %r11, 1", ISA_DIALECT_UBPF, "invalid register '%r11'");
	fails_with("mov %x1, 1", ISA_DIALECT_UBPF, "invalid register '%x1'");
	fails_with("r11 = 1", ISA_DIALECT_LLVM, "t.s:1:1: invalid register 'r11' (registers are r0..r10)");
	fails_with("lddw %r0\nexit\n", ISA_DIALECT_UBPF,
	           "t.s:1:1: wrong number of operands for 'lddw': expected 2, got 1");
	fails_with("exit %r0", ISA_DIALECT_UBPF, "wrong number of operands for 'exit': expected 0, got 1");
	fails_with("lock or [%r10-8]\nexit\n", ISA_DIALECT_UBPF,
	           "wrong number of operands for 'lock or': expected 2, got 1");
	fails_with("lock\nexit\n", ISA_DIALECT_UBPF,
	           "wrong number of operands for 'lock': expected an operation ('lock add32'");
	fails_with("lock foo [%r1], %r2", ISA_DIALECT_UBPF, "unknown mnemonic 'lock foo'");
	fails_with("ja NOT_A_LABEL\nexit\n", ISA_DIALECT_UBPF, "t.s:1:4: unknown label 'NOT_A_LABEL'");
	fails_with("goto out\nexit", ISA_DIALECT_LLVM, "t.s:1:6: unknown label 'out'");
	fails_with("ldxb %r0, %r1\nexit\n", ISA_DIALECT_UBPF,
	           "t.s:1:11: expected a memory operand such as [%r1+8], got '%r1'");
	fails_with("x:\nexit\nx: exit", ISA_DIALECT_UBPF,
	           "t.s:3:1: duplicate label 'x' (first defined on line 1)");
	fails_with("exit\nmov %r0, @1", ISA_DIALECT_UBPF, "t.s:2:10: unexpected character '@'");
	fails_with("mov %r0, 0x1g", ISA_DIALECT_UBPF, "t.s:1:10: malformed number '0x1g'");
	fails_with("exit\x01", ISA_DIALECT_UBPF, "t.s:1:5: unexpected character (byte 0x01)");
	char many[400] = "mov %r0";
	for (int i = 0; i < 70; i++)
		strcat(many, ", 1");
	fails_with(many, ISA_DIALECT_UBPF, "too many tokens on one line (at most 64)");
	fails_with("foo r1", ISA_DIALECT_LLVM, "t.s:1:1: unknown instruction 'foo r1'");
	fails_with("if r1 > 5 got +3", ISA_DIALECT_LLVM, "t.s:1:11: expected 'goto', got 'got'");
	fails_with("r1 = bswap64 r2", ISA_DIALECT_LLVM,
	           "'r2' must be the same register as the one written before (r1)");
	fails_with("w1 += r2", ISA_DIALECT_LLVM,
	           "t.s:1:7: expected a number or a 32-bit register w0..w10, got 'r2'");
	fails_with("r0 = *(u32 *)(r1 + 0", ISA_DIALECT_LLVM, "expected ')' at the end of");
	fails_with("w1 = cmpxchg32_32(r1 + 0, w1, w2)", ISA_DIALECT_LLVM,
	           "only r0 can be used here, not 'w1'");
	fails_with("", ISA_DIALECT_UBPF, "t.s: no instructions");
	fails_with("# only a comment\n\n", ISA_DIALECT_LLVM, "t.s: no instructions");
	fails_with(".data\nexit", ISA_DIALECT_LLVM, "t.s:1:1: unsupported directive '.data'");
	fails_with(".8byte", ISA_DIALECT_LLVM, "'.8byte' takes one 64-bit number");
	fails_with("jeq %r1, 0, %r2", ISA_DIALECT_UBPF,
	           "expected a jump target (+N, -N or a label), got '%r2'");

	/* A label too far for a 16-bit offset. */
	size_t lines = 40000, len = lines * 5 + 64;
	char *big = malloc(len);
	size_t pos = (size_t)snprintf(big, len, "ja far\n");
	for (size_t i = 0; i < lines; i++)
		pos += (size_t)snprintf(big + pos, len - pos, "exit\n");
	snprintf(big + pos, len - pos, "far: exit\n");
	fails_with(big, ISA_DIALECT_UBPF,
	           "t.s:1:4: jump to label 'far' is out of range: offset 40000 does not fit in 16 bits");
	big[0] = 'j', big[1] = 'a', big[2] = '3', big[3] = '2'; /* "ja32far": not valid */
	memcpy(big, "ja32 x\n", 7);
	memcpy(big + pos, "x:   exit\n", 10);
	uint64_t w[1];
	(void)w;
	struct isa_slot *s;
	size_t n;
	struct bpfc_error err;
	ck_assert_int_eq(assemble(big, ISA_DIALECT_UBPF, &s, &n, &err), 0);
	ck_assert_int_eq(s[0].imm, 40000);
	free(s);
	free(big);
}
END_TEST

START_TEST(line_numbers_and_detection)
{
	const char *prog = "mov %r0, 1\n\n# c\nlddw %r1, 5\nL: exit\n";
	struct isa_slot *s;
	size_t n;
	uint32_t *lines;
	struct bpfc_error err;
	ck_assert_int_eq(isa_assemble(isa_table_default(), prog, strlen(prog), ISA_DIALECT_AUTO, NULL, &s, &n,
	                              &lines, &err),
	                 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(lines[0], 1);
	ck_assert_uint_eq(lines[1], 4);
	ck_assert_uint_eq(lines[2], 4);
	ck_assert_uint_eq(lines[3], 5);
	free(s);
	free(lines);
	/* origin NULL names the input "<input>". */
	ck_assert_int_ne(isa_assemble(NULL, "bad", 3, ISA_DIALECT_UBPF, NULL, &s, &n, &lines, &err), 0);
	ck_assert_ptr_null(lines);
	ck_assert_str_eq(err.msg, "<input>:1:1: unknown mnemonic 'bad'");
	/* Text without a terminating newline, with CRLF line ends. */
	ck_assert_int_eq(
	    isa_assemble(NULL, "mov %r0, 1\r\nexit", 16, ISA_DIALECT_UBPF, "x", &s, &n, NULL, &err), 0);
	ck_assert_uint_eq(n, 2);
	free(s);

	const char *llvm = "r0 = 1\nif r0 == 0 goto +1\nexit";
	const char *ubpf = "mov %r0, 1\njeq %r0, 0, +1\nexit";
	const char *ubpf_nopct = "ja +1\nja +0\nexit";
	ck_assert_int_eq(isa_asm_detect(llvm, strlen(llvm)), ISA_DIALECT_LLVM);
	ck_assert_int_eq(isa_asm_detect(ubpf, strlen(ubpf)), ISA_DIALECT_UBPF);
	ck_assert_int_eq(isa_asm_detect(ubpf_nopct, strlen(ubpf_nopct)), ISA_DIALECT_UBPF);
	ck_assert_int_eq(isa_asm_detect("goto +1\nexit", 12), ISA_DIALECT_LLVM);
	ck_assert_int_eq(isa_asm_detect("", 0), ISA_DIALECT_LLVM);
	ck_assert_int_eq(isa_asm_detect(NULL, 0), ISA_DIALECT_LLVM);
}
END_TEST

START_TEST(syntax_follows_the_table)
{
	/* A profile loaded at run time: renaming add32 in the ISA file renames it in the uBPF dialect,
	 * and dropping the 0x8d (callx) row makes callx unknown to both directions. */
	size_t len;
	const char *json = bpfc_spec_text("isa/isa.json", &len);
	ck_assert_ptr_nonnull(json);
	char *edited = malloc(len + 1);
	size_t out = 0;
	for (size_t i = 0; i < len;) {
		const char *line_end = memchr(json + i, '\n', len - i);
		size_t l = line_end ? (size_t)(line_end - (json + i)) + 1 : len - i;
		if (!memmem(json + i, l, "\"opcode\": \"0x8d\"", 16)) {
			memcpy(edited + out, json + i, l);
			out += l;
		}
		i += l;
	}
	edited[out] = '\0';
	for (char *p = edited; (p = strstr(p, "\"mnemonic\": \"add32\"")) != NULL; p += 5)
		memcpy(p, "\"mnemonic\": \"plus2\"", 19);
	struct isa_table *t = NULL;
	struct bpfc_error err;
	ck_assert_msg(isa_table_parse(edited, out, "edited.json", &t, &err) == 0, "%s", err.msg);
	struct isa_slot *s;
	size_t n;
	ck_assert_int_eq(
	    isa_assemble(t, "plus2 %r1, 3\nexit", 17, ISA_DIALECT_UBPF, "t.s", &s, &n, NULL, &err), 0);
	ck_assert_uint_eq(isa_slot_to_word(&s[0]), 0x0000000300000104ull);
	char buf[128];
	isa_disasm_insn(t, s, n, 0, ISA_DIALECT_UBPF, buf, sizeof(buf));
	ck_assert_str_eq(buf, "plus2 %r1, 3");
	free(s);
	ck_assert_int_ne(isa_assemble(t, "add32 %r1, 3", 12, ISA_DIALECT_UBPF, "t.s", &s, &n, NULL, &err), 0);
	ck_assert_str_eq(err.msg, "t.s:1:1: unknown mnemonic 'add32'");
	ck_assert_int_ne(isa_assemble(t, "callx r2", 8, ISA_DIALECT_LLVM, "t.s", &s, &n, NULL, &err), 0);
	ck_assert_str_eq(err.msg, "t.s:1:1: unknown instruction 'callx r2'");
	struct isa_slot callx;
	isa_slot_from_word(0x000000000000028d, &callx);
	isa_disasm_insn(t, &callx, 1, 0, ISA_DIALECT_LLVM, buf, sizeof(buf));
	ck_assert_str_eq(buf, ".8byte 0x000000000000028d ; unknown opcode 0x8d");
	isa_table_free(t);
	free(edited);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("asm");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, ubpf_every_conformance_form);
	tcase_add_test(tc, ubpf_labels);
	tcase_add_test(tc, llvm_dialect);
	tcase_add_test(tc, immediate_and_offset_ranges);
	tcase_add_test(tc, error_messages);
	tcase_add_test(tc, line_numbers_and_detection);
	tcase_add_test(tc, syntax_follows_the_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
