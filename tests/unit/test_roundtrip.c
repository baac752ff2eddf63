/* assemble(disassemble(p)) == p: for every entry of the ISA table with typical field values, in
 * both dialects, one instruction at a time and as a whole program; and for arbitrary slots,
 * which come back through the raw directive when the table does not describe them. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "testutil.h"

#define VARIANTS 6

static const uint8_t dst_vals[VARIANTS] = {1, 0, 10, 5, 9, 3};
static const uint8_t src_vals[VARIANTS] = {2, 10, 0, 7, 1, 4};
static const int16_t off_vals[VARIANTS] = {0, -8, 5, INT16_MAX, INT16_MIN, 1};
static const int32_t imm_vals[VARIANTS] = {0, -1, 5, INT32_MAX, INT32_MIN, 0x12345678};
static const int32_t next_vals[VARIANTS] = {0, 1, -1, INT32_MAX, INT32_MIN, 0x10};

static int64_t pick(const struct isa_entry *e, enum isa_field f, int v)
{
	if (e->rule[f] == ISA_RULE_MATCH)
		return e->match_value;
	if (e->rule[f] == ISA_RULE_ZERO)
		return 0;
	switch (f) {
	case ISA_FIELD_DST: return dst_vals[v];
	case ISA_FIELD_SRC: return src_vals[v];
	case ISA_FIELD_OFF: return off_vals[v];
	default: return imm_vals[v];
	}
}

/* Slots for entry e with the v-th set of typical values; returns the number of slots. */
static size_t build(const struct isa_entry *e, int v, struct isa_slot out[2])
{
	memset(out, 0, 2 * sizeof(*out));
	out[0].opcode = e->opcode;
	out[0].dst = (uint8_t)pick(e, ISA_FIELD_DST, v);
	out[0].src = (uint8_t)pick(e, ISA_FIELD_SRC, v);
	out[0].off = (int16_t)pick(e, ISA_FIELD_OFF, v);
	out[0].imm = (int32_t)pick(e, ISA_FIELD_IMM, v);
	if (!e->wide)
		return 1;
	out[1].imm = next_vals[v];
	return 2;
}

static bool slot_eq(const struct isa_slot *a, const struct isa_slot *b)
{
	return a->opcode == b->opcode && a->dst == b->dst && a->src == b->src && a->off == b->off &&
	       a->imm == b->imm;
}

static void roundtrip_text(const struct isa_slot *slots, size_t n, enum isa_dialect d, const char *what)
{
	const struct isa_table *t = isa_table_default();
	size_t cap = n * 128 + 1, pos = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n;) {
		char line[128];
		size_t k = isa_disasm_insn(t, slots, n, i, d, line, sizeof(line));
		ck_assert_uint_ge(k, 1);
		pos += (size_t)snprintf(text + pos, cap - pos, "%s\n", line);
		i += k;
	}
	struct isa_slot *back = NULL;
	size_t count = 0;
	struct bpfc_error err;
	int rc = isa_assemble(t, text, pos, d, "rt", &back, &count, NULL, &err);
	ck_assert_msg(rc == 0, "%s: %s\n%s", what, err.msg, n < 4 ? text : "");
	ck_assert_msg(count == n, "%s: %zu slots back, %zu expected\n%s", what, count, n, n < 4 ? text : "");
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(slot_eq(&back[i], &slots[i]),
		              "%s: slot %zu is %016" PRIx64 ", expected %016" PRIx64 "\n%s", what, i,
		              isa_slot_to_word(&back[i]), isa_slot_to_word(&slots[i]), n < 4 ? text : "");
	free(back);
	free(text);
}

START_TEST(every_entry_both_dialects)
{
	const struct isa_table *t = isa_table_default();
	size_t tried = 0;
	for (size_t i = 0; i < t->entry_count; i++) {
		const struct isa_entry *e = &t->entries[i];
		if (e->sem == ISA_SEM_WIDE_SLOT2)
			continue; /* covered as the second slot of every wide entry */
		for (int v = 0; v < VARIANTS; v++) {
			struct isa_slot s[2];
			size_t n = build(e, v, s);
			ck_assert_ptr_eq(isa_lookup(t, &s[0]), e);
			char what[96];
			snprintf(what, sizeof(what), "%s (variant %d, LLVM)", e->mnemonic, v);
			roundtrip_text(s, n, ISA_DIALECT_LLVM, what);
			snprintf(what, sizeof(what), "%s (variant %d, uBPF)", e->mnemonic, v);
			roundtrip_text(s, n, ISA_DIALECT_UBPF, what);
			/* A well-formed encoding never falls back to the raw directive. */
			char line[128];
			isa_disasm_insn(t, s, n, 0, ISA_DIALECT_LLVM, line, sizeof(line));
			ck_assert_msg(strncmp(line, ".8byte", 6) != 0, "%s printed raw: %s", e->mnemonic,
			              line);
			isa_disasm_insn(t, s, n, 0, ISA_DIALECT_UBPF, line, sizeof(line));
			ck_assert_msg(strncmp(line, ".raw", 4) != 0, "%s printed raw: %s", e->mnemonic, line);
			tried++;
		}
	}
	ck_assert_uint_eq(tried, (t->entry_count - 1) * VARIANTS);
}
END_TEST

START_TEST(whole_table_as_one_program)
{
	const struct isa_table *t = isa_table_default();
	struct isa_slot *prog = calloc(t->entry_count * 2 * VARIANTS, sizeof(*prog));
	ck_assert_ptr_nonnull(prog);
	size_t n = 0;
	for (int v = 0; v < VARIANTS; v++)
		for (size_t i = 0; i < t->entry_count; i++)
			if (t->entries[i].sem != ISA_SEM_WIDE_SLOT2)
				n += build(&t->entries[i], v, prog + n);
	roundtrip_text(prog, n, ISA_DIALECT_LLVM, "whole table (LLVM)");
	roundtrip_text(prog, n, ISA_DIALECT_UBPF, "whole table (uBPF)");

	/* Detection recognises each dialect's own output. */
	for (int d = ISA_DIALECT_LLVM; d <= ISA_DIALECT_UBPF; d++) {
		char *text = malloc(n * 128);
		size_t pos = 0;
		for (size_t i = 0; i < n;) {
			char line[128];
			i += isa_disasm_insn(t, prog, n, i, (enum isa_dialect)d, line, sizeof(line));
			pos += (size_t)sprintf(text + pos, "%s\n", line);
		}
		ck_assert_int_eq(isa_asm_detect(text, pos), d);
		free(text);
	}
	free(prog);
}
END_TEST

START_TEST(arbitrary_slots_come_back)
{
	/* Random words, including unknown opcodes, reserved fields set, registers 11..15, wide loads
	 * cut short: the text must still give back exactly the same slots. */
	uint64_t x = 0x9e3779b97f4a7c15ull;
	enum { N = 4000 };
	struct isa_slot *prog = calloc(N, sizeof(*prog));
	ck_assert_ptr_nonnull(prog);
	const struct isa_table *t = isa_table_default();
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t w = x;
		/* Half of them start from a real opcode so that most entries are hit with odd fields. */
		if (i % 2 == 0)
			w = (w & ~0xffull) | t->entries[(x >> 40) % t->entry_count].opcode;
		if (i % 4 == 0)
			w &= 0xffffffff0000ffffull; /* offset 0 */
		isa_slot_from_word(w, &prog[i]);
	}
	roundtrip_text(prog, N, ISA_DIALECT_LLVM, "random slots (LLVM)");
	roundtrip_text(prog, N, ISA_DIALECT_UBPF, "random slots (uBPF)");
	free(prog);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("roundtrip");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, every_entry_both_dialects);
	tcase_add_test(tc, whole_table_as_one_program);
	tcase_add_test(tc, arbitrary_slots_come_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
