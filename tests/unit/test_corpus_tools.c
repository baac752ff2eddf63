/* The corpus measurement tools' parsers (tools/corpus): the kernel raw-test JSONL reader decodes
 * slots field by field, creates the maps named by fixups and points the fixed-up lddw at them by
 * index, and reports malformed lines instead of crashing. The JSON lines are written here. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/verify.h"
#include "linux_raw_parse.h"

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
	bool approx = false;
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_kptr", &m, &approx));
	ck_assert(approx);
	ck_assert_uint_eq(m.value_size, 24);
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_ringbuf", &m, &approx));
	ck_assert(!approx);
	ck_assert_uint_eq(m.type, 27);
	ck_assert_uint_eq(m.max_entries, 4096);
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_event_output", &m, &approx));
	ck_assert_uint_eq(m.type, 4);
	ck_assert_ptr_nonnull(lr_fixup_map("fixup_map_array_small", &m, &approx));
	ck_assert_uint_eq(m.value_size, 1);
	ck_assert_ptr_null(lr_fixup_map("fixup_prog1", &m, &approx));
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
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
