/* The corpus measurement tools' parsers (tools/corpus): the kernel raw-test JSONL reader decodes
 * slots field by field, creates the maps named by fixups and points the fixed-up lddw at them by
 * index, and reports malformed lines instead of crashing; the PREVAIL runner rewrites PREVAIL's own
 * assembly forms into text isa_assemble() reads. The JSON lines and assembly are written here. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/verify.h"
#include "linux_raw_parse.h"
#include "prevail_translate.h"
#include "testutil.h"

static int parse(const char *line, struct lr_test *t, struct bpfc_error *err)
{
	bpfc_error_clear(err);
	return lr_parse_line(line, strlen(line), t, err);
}

START_TEST(decode_fields)
{
	struct isa_slot s;
	struct bpfc_error err;
	/* opcode 0x7b (stxdw), src 3, dst 10, off -8, imm 0 */
	ck_assert_int_eq(lr_decode_slot("7b3afff800000000", 16, &s, &err), BPFC_OK);
	ck_assert_uint_eq(s.opcode, 0x7b);
	ck_assert_uint_eq(s.src, 3);
	ck_assert_uint_eq(s.dst, 10);
	ck_assert_int_eq(s.off, -8);
	ck_assert_int_eq(s.imm, 0);
	/* negative imm, upper-case hex */
	ck_assert_int_eq(lr_decode_slot("B7020000FFFFFFFE", 16, &s, &err), BPFC_OK);
	ck_assert_uint_eq(s.opcode, 0xb7);
	ck_assert_uint_eq(s.dst, 2);
	ck_assert_int_eq(s.imm, -2);
	ck_assert_int_eq(lr_decode_slot("b70200000000000", 15, &s, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "16 hex digits"));
	ck_assert_int_eq(lr_decode_slot("b7020000000000zz", 16, &s, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "'z' at position 15"));
}
END_TEST

START_TEST(fixups_rewrite_lddw)
{
	/* r1 = map fd (fixup hash_8b at 1), r2 = map value +4 (fixup array_48b at 3), r0 = 0, exit */
	const char *line =
	    "{\"id\": 7, \"descr\": \"two maps\", \"prog_type\": 6, \"result\": 1, \"result_unpriv\": 0,"
	    " \"errstr\": \"\", \"errstr_unpriv\": \"\", \"flags\": 0, \"fill\": 0,"
	    " \"insns\": \"b700000000000000 1811000000000000 0000000000000000 1822000000000000 "
	    "0000000000000004"
	    " 9500000000000000\","
	    " \"fixups\": {\"fixup_map_hash_8b\": [1], \"fixup_map_array_48b\": [3]}}";
	struct lr_test t;
	struct bpfc_error err;
	ck_assert_msg(parse(line, &t, &err) == BPFC_OK, "%s", err.msg);
	ck_assert_int_eq(t.id, 7);
	ck_assert_str_eq(t.descr, "two maps");
	ck_assert_uint_eq(t.prog_type, 6);
	ck_assert_int_eq(t.result, LR_ACCEPT);
	ck_assert_uint_eq(t.insn_cnt, 6);
	ck_assert_uint_eq(t.map_cnt, 2);
	ck_assert_uint_eq(t.maps[0].type, 1);
	ck_assert_uint_eq(t.maps[0].key_size, 8);
	ck_assert_uint_eq(t.maps[0].value_size, 8);
	ck_assert_uint_eq(t.maps[1].type, 2);
	ck_assert_uint_eq(t.maps[1].key_size, 4);
	ck_assert_uint_eq(t.maps[1].value_size, 48);
	ck_assert_str_eq(t.map_kinds[1], "fixup_map_array_48b");
	/* src 1 -> 5 with imm 0; src 2 -> 6 with imm 1, the offset in the second slot kept */
	ck_assert_uint_eq(t.insns[1].src, 5);
	ck_assert_uint_eq(t.insns[1].dst, 1);
	ck_assert_int_eq(t.insns[1].imm, 0);
	ck_assert_uint_eq(t.insns[3].src, 6);
	ck_assert_int_eq(t.insns[3].imm, 1);
	ck_assert_int_eq(t.insns[4].imm, 4);
	ck_assert_str_eq(lr_prog_type_name(t.prog_type), "xdp");
	ck_assert(!lr_runs_unprivileged(&t));

	/* the rewritten program is one vf_verify accepts structurally with those maps */
	struct bpfc_prog prog = {.name = "t", .type = "xdp", .insns = t.insns, .insn_cnt = t.insn_cnt};
	struct vf_result res;
	ck_assert_int_eq(vf_verify(&prog, t.maps, t.map_cnt, NULL, &res, &err), BPFC_OK);
	ck_assert_msg(vf_result_accepted(&res), "%s", res.findings.cnt ? res.findings.items[0].message : "");
	vf_result_free(&res);
	lr_test_free(&t);
}
END_TEST

START_TEST(type_zero_is_socket_filter_and_fill_skips)
{
	struct lr_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse("{\"id\": 1, \"descr\": \"gen\", \"prog_type\": 0, \"result\": 2,"
	                       " \"result_unpriv\": 0, \"errstr\": \"a\\tb\", \"fill\": 1, \"insns\": null,"
	                       " \"fixups\": {}}",
	                       &t, &err),
	                 BPFC_OK);
	ck_assert(t.fill);
	ck_assert_uint_eq(t.insn_cnt, 0);
	ck_assert_str_eq(t.errstr, "a\tb");
	ck_assert_str_eq(lr_prog_type_name(t.prog_type), "socket_filter");
	ck_assert(lr_runs_unprivileged(&t));
	lr_test_free(&t);
	/* an empty program is a test, not a bad line */
	ck_assert_int_eq(parse("{\"id\": 2, \"descr\": \"e\", \"result\": 2, \"insns\": \"\"}", &t, &err),
	                 BPFC_OK);
	ck_assert_uint_eq(t.insn_cnt, 0);
	lr_test_free(&t);
}
END_TEST

START_TEST(bad_lines_are_errors)
{
	struct lr_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse("{\"id\": 1, \"descr\": ", &t, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "malformed JSON"));
	ck_assert_ptr_null(t.descr);
	ck_assert_int_eq(parse("[1, 2]", &t, &err), BPFC_ERR_INPUT);
	ck_assert_int_eq(
	    parse("{\"id\": 1, \"descr\": \"x\", \"result\": 9, \"insns\": \"9500000000000000\"}", &t, &err),
	    BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "'result' is 9"));
	ck_assert_int_eq(
	    parse("{\"id\": 1, \"descr\": \"x\", \"result\": 1, \"insns\": \"95000000000000g0\"}", &t, &err),
	    BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "insn 0"));
	ck_assert_int_eq(
	    parse("{\"id\": 1, \"descr\": \"x\", \"result\": 1, \"insns\": \"950000000000000\"}", &t, &err),
	    BPFC_ERR_INPUT);
	/* fixup on a slot that is not a lddw, out of range, and on the last slot */
	ck_assert_int_eq(parse("{\"id\": 1, \"descr\": \"x\", \"result\": 1, \"insns\": \"b700000000000000"
	                       " 9500000000000000\", \"fixups\": {\"fixup_map_hash_8b\": [0]}}",
	                       &t, &err),
	                 BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "not lddw"));
	ck_assert_int_eq(parse("{\"id\": 1, \"descr\": \"x\", \"result\": 1, \"insns\": \"9500000000000000\","
	                       " \"fixups\": {\"fixup_map_hash_8b\": [5]}}",
	                       &t, &err),
	                 BPFC_ERR_INPUT);
	ck_assert_int_eq(parse("{\"id\": 1, \"descr\": \"x\", \"result\": 1, \"insns\": \"1810000000000000\","
	                       " \"fixups\": {\"fixup_map_hash_8b\": [0]}}",
	                       &t, &err),
	                 BPFC_ERR_INPUT);
	/* lddw src 0 (a plain constant) cannot take a map */
	ck_assert_int_eq(parse("{\"id\": 1, \"descr\": \"x\", \"result\": 1, \"insns\": \"1800000000000000"
	                       " 0000000000000000\", \"fixups\": {\"fixup_map_hash_8b\": [0]}}",
	                       &t, &err),
	                 BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "src 0"));
	/* an unknown fixup kind is unsupported, and the test is still named */
	ck_assert_int_eq(
	    parse("{\"id\": 42, \"descr\": \"sockmap\", \"result\": 1, \"insns\": \"1810000000000000"
	          " 0000000000000000\", \"fixups\": {\"fixup_map_sockmap\": [0]}}",
	          &t, &err),
	    BPFC_ERR_UNSUPPORTED);
	ck_assert_int_eq(t.id, 42);
	ck_assert_str_eq(t.descr, "sockmap");
	ck_assert_ptr_nonnull(strstr(err.msg, "fixup_map_sockmap"));
	lr_test_free(&t);
}
END_TEST

START_TEST(fixup_map_models)
{
	struct bpfc_map m;
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_kptr", &m));
	ck_assert_uint_eq(m.value_size, 24);
	/* struct btf_ptr: untrusted kptr at 0, referenced at 8 and 16 */
	ck_assert(m.fields_known);
	ck_assert_uint_eq(m.field_cnt, 3);
	ck_assert_int_eq(m.fields[0].kind, BPFC_FIELD_KPTR_UNTRUSTED);
	ck_assert_int_eq(m.fields[1].kind, BPFC_FIELD_KPTR_REF);
	ck_assert_uint_eq(m.fields[2].offset, 16);
	ck_assert_str_eq(m.fields[2].kptr_struct, "prog_test_member");
	free(m.fields);
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_ringbuf", &m));
	ck_assert(!m.fields_known && m.fields == NULL);
	ck_assert_uint_eq(m.type, 27);
	ck_assert_uint_eq(m.max_entries, 4096);
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_event_output", &m));
	ck_assert_uint_eq(m.type, 4);
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_array_small", &m));
	ck_assert_uint_eq(m.value_size, 1);
	ck_assert_ptr_null(lr_fixup_map("fixup_prog1", &m));
}
END_TEST

static void count_forms(void *ctx, const char *form)
{
	(void)form;
	(*(int *)ctx)++;
}

/* Each PREVAIL line, its rewrite, and whether the rewrite counts as a PREVAIL-only form. */
static const struct {
	const char *in, *out;
	bool is_form;
} rewrites[] = {
    {"r0 = 1 ; set r0", "r0 = 1\n", false},
    {"   ", "", false},
    {"*(u64 *)(r10 - 8) = r1", "*(u64 *)(r10 - 8) = r1\n", false},
    {"if r1 > r2 goto <out>", "if r1 > r2 goto L_out\n", true},
    {"call <sub1>", "call L_sub1\n", true},
    {"w1 <<= r2", "w1 <<= w2\n", true},
    {"w2 = r10", "w2 = w10\n", true},
    {"if w1 s< r2 goto <out>", "if w1 s< w2 goto L_out\n", true},
    {"r2 s8= r1", "r2 = (s8)r1\n", true},
    {"w2 s16= r1", "w2 = (s16)w1\n", true},
    {"r1 = 9223372036854775807ll", "r1 = 9223372036854775807 ll\n", true},
    {"r1 = swap16 r1", "r1 = bswap16 r1\n", true},
    {"lock *(u64 *)(r2 + 4) += r1 fetch", "r1 = atomic_fetch_add((u64 *)(r2 + 4), r1)\n", true},
    {"lock *(u32 *)(r2 + 4) ^= r1 fetch", "w1 = atomic_fetch_xor((u32 *)(r2 + 4), w1)\n", true},
    {"lock *(u32 *)(r2 + 4) x= r1", "w1 = xchg32_32(r2 + 4, w1)\n", true},
    {"lock *(u64 *)(r2 + 4) cx= r1", "r0 = cmpxchg_64(r2 + 4, r0, r1)\n", true},
    {"lock *(u32 *)(r2 + 4) += r1", "lock *(u32 *)(r2 + 4) += w1\n", true},
    {"lock *(u64 *)(r2 + 4) |= r1", "lock *(u64 *)(r2 + 4) |= r1\n", false},
    {"if r1 &== 0 goto <out>", "if r1 & 0 goto L_out\n", true},
    {"r1 = map_fd 1", "r1 = map_by_idx(0) ll\n", true},
    {"r2 = map_val(1) + 8", "r2 = map_val_by_idx(0, 8) ll\n", true},
    {"r2 = mva(map_by_idx(3)) + 4", "r2 = map_val_by_idx(3, 4) ll\n", true},
    {"r1 = map_by_idx(0)", "r1 = map_by_idx(0) ll\n", true},
};

START_TEST(prevail_rewrites)
{
	struct pv_sb all = {0};
	pv_sb_add(&all, "L_out:\nL_sub1:\nL__sink:\n");
	for (size_t i = 0; i < sizeof(rewrites) / sizeof(rewrites[0]); i++) {
		struct pv_sb out = {0};
		int assume_n = 0, forms = 0;
		pv_translate_line(rewrites[i].in, &out, &assume_n, count_forms, &forms);
		ck_assert_msg(!strcmp(out.p ? out.p : "", rewrites[i].out), "'%s' -> '%s', expected '%s'",
		              rewrites[i].in, out.p ? out.p : "", rewrites[i].out);
		ck_assert_msg((forms > 0) == rewrites[i].is_form, "'%s': %d forms", rewrites[i].in, forms);
		ck_assert_int_eq(assume_n, 0);
		if (out.p)
			pv_sb_add(&all, out.p);
		free(out.p);
	}
	/* every rewrite is text the assembler reads (map indexes are not checked by it) */
	pv_sb_add(&all, "exit\n");
	struct isa_slot *slots = NULL;
	size_t cnt = 0;
	struct bpfc_error err;
	ck_assert_msg(isa_assemble(NULL, all.p, all.len, ISA_DIALECT_LLVM, "t", &slots, &cnt, NULL, &err) ==
	                  BPFC_OK,
	              "%s", err.msg);
	ck_assert_uint_gt(cnt, 20);
	free(slots);
	free(all.p);
}
END_TEST

START_TEST(prevail_assume_and_fallthrough)
{
	struct pv_sb out = {0};
	int assume_n = 0;
	pv_translate_line("assume w1 < r2", &out, &assume_n, NULL, NULL);
	pv_translate_line("assume r0 != 0", &out, &assume_n, NULL, NULL);
	ck_assert_int_eq(assume_n, 2);
	ck_assert_str_eq(out.p, "if w1 < w2 goto L__ok0\ngoto L__sink\nL__ok0:\n"
	                        "if r0 != 0 goto L__ok1\ngoto L__sink\nL__ok1:\n");
	ck_assert(pv_falls_through(out.p)); /* ends with a label */
	free(out.p);
	ck_assert(pv_falls_through(""));
	ck_assert(pv_falls_through("r0 = 0\n"));
	ck_assert(!pv_falls_through("r0 = 0\nexit\n"));
	ck_assert(!pv_falls_through("goto L_x\n\n"));
	/* forms with no eBPF encoding pass through and do not assemble */
	struct pv_sb bad = {0};
	pv_translate_line("if r1 &!= 0 goto <x>", &bad, &assume_n, NULL, NULL);
	ck_assert_str_eq(bad.p, "if r1 &!= 0 goto L_x\n");
	pv_sb_add(&bad, "L_x:\nexit\n");
	struct isa_slot *slots = NULL;
	size_t cnt = 0;
	struct bpfc_error err;
	ck_assert_int_eq(isa_assemble(NULL, bad.p, bad.len, ISA_DIALECT_LLVM, "t", &slots, &cnt, NULL, &err),
	                 BPFC_ERR_INPUT);
	free(bad.p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("corpus_tools");
	TCase *tc = tcase_create("linux_raw");
	tcase_add_test(tc, decode_fields);
	tcase_add_test(tc, fixups_rewrite_lddw);
	tcase_add_test(tc, type_zero_is_socket_filter_and_fill_skips);
	tcase_add_test(tc, bad_lines_are_errors);
	tcase_add_test(tc, fixup_map_models);
	suite_add_tcase(s, tc);
	TCase *tp = tcase_create("prevail");
	tcase_add_test(tp, prevail_rewrites);
	tcase_add_test(tp, prevail_assume_and_fallthrough);
	suite_add_tcase(s, tp);
	return tu_run_suite(s);
}
