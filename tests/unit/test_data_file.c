/* The bpf_conformance .data parser: every section, both raw layouts, skipped and unknown sections,
 * and the error messages for malformed lines. All test texts are written here. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/input.h"
#include "testutil.h"

static int parse(const char *text, struct bpfc_data_test *t, struct bpfc_error *err)
{
	return bpfc_data_parse(text, strlen(text), "t.data", t, err);
}

START_TEST(full_file)
{
	const char *text = "# Copyright line\n"
	                   "# another comment\n"
	                   "-- asm\n"
	                   "mov %r0, 1 # set r0\n"
	                   "\n"
	                   "exit\n"
	                   "-- mem\n"
	                   "00 01 02 ff\r\n"
	                   "  aa\tBB  \n"
	                   "-- result\n"
	                   "0x1122334455667788\n";
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse(text, &t, &err), BPFC_OK);
	ck_assert_ptr_nonnull(t.asm_text);
	/* Comments are cut but lines are kept so assembler line numbers map back to the file. */
	ck_assert_str_eq(t.asm_text, "mov %r0, 1 \n\nexit\n");
	ck_assert_uint_eq(t.asm_first_line, 4);
	ck_assert_ptr_null(t.raw);
	ck_assert_uint_eq(t.mem_len, 6);
	const uint8_t mem[] = {0x00, 0x01, 0x02, 0xff, 0xaa, 0xbb};
	ck_assert_mem_eq(t.mem, mem, 6);
	ck_assert(t.has_result);
	ck_assert_uint_eq(t.result, 0x1122334455667788ull);
	ck_assert_ptr_null(t.error);
	bpfc_data_free(&t);
	ck_assert_ptr_null(t.asm_text);
}
END_TEST

START_TEST(raw_words)
{
	const char *text = "-- asm\nlddw %r0, 0x1122334455667788\nexit\n"
	                   "-- raw\n0x5566778800000018\n0x1122334400000000\n0x0000000000000095\n"
	                   "-- result\n0x1122334455667788\n";
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse(text, &t, &err), BPFC_OK);
	ck_assert_uint_eq(t.raw_cnt, 3);
	ck_assert_uint_eq(t.raw[0].opcode, 0x18);
	ck_assert_int_eq(t.raw[0].imm, 0x55667788);
	ck_assert_int_eq(t.raw[1].opcode, 0);
	ck_assert_int_eq(t.raw[1].imm, 0x11223344);
	ck_assert_uint_eq(t.raw[2].opcode, 0x95);
	ck_assert_ptr_nonnull(t.asm_text);
	bpfc_data_free(&t);
}
END_TEST

START_TEST(raw_bytes_and_decimal)
{
	/* 8 byte tokens: little-endian layout; offset 1 and imm 1. Decimal words also accepted. */
	const char *text = "-- raw\n04 21 01 00 01 00 00 00\n149\n-- error\n";
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse(text, &t, &err), BPFC_OK);
	ck_assert_uint_eq(t.raw_cnt, 2);
	ck_assert_uint_eq(t.raw[0].opcode, 0x04);
	ck_assert_uint_eq(t.raw[0].dst, 1);
	ck_assert_uint_eq(t.raw[0].src, 2);
	ck_assert_int_eq(t.raw[0].off, 1);
	ck_assert_int_eq(t.raw[0].imm, 1);
	ck_assert_uint_eq(t.raw[1].opcode, 0x95);
	/* An empty error section is an expected error with no particular text. */
	ck_assert_ptr_nonnull(t.error);
	ck_assert_str_eq(t.error, "");
	ck_assert(!t.has_result);
	bpfc_data_free(&t);
}
END_TEST

START_TEST(error_text_verbatim)
{
	const char *text = "-- asm\nor %r0, %r10\nexit\n-- error\n  Invalid # not a comment  \n\nsecond\n";
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse(text, &t, &err), BPFC_OK);
	ck_assert_str_eq(t.error, "Invalid # not a comment\nsecond");
	bpfc_data_free(&t);
}
END_TEST

START_TEST(skipped_sections)
{
	const char *text = "-- c\n#include <stdint.h>\nint x = 3 -- 2;\n-- asm\nexit\n-- result\n7\n"
	                   "-- no register offset\ncall instruction\n";
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse(text, &t, &err), BPFC_OK);
	ck_assert_str_eq(t.asm_text, "exit\n");
	ck_assert_uint_eq(t.asm_first_line, 5);
	ck_assert_uint_eq(t.result, 7);
	bpfc_data_free(&t);
}
END_TEST

START_TEST(empty_and_comment_only)
{
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse("", &t, &err), BPFC_OK);
	ck_assert_ptr_null(t.asm_text);
	ck_assert_ptr_null(t.raw);
	ck_assert_ptr_null(t.error);
	ck_assert(!t.has_result);
	bpfc_data_free(&t);
	ck_assert_int_eq(parse("# only\n# comments\n", &t, &err), BPFC_OK);
	bpfc_data_free(&t);
	/* An empty -- asm section is present (not NULL) and empty. */
	ck_assert_int_eq(parse("-- asm\n-- error\nx\n", &t, &err), BPFC_OK);
	ck_assert_str_eq(t.asm_text, "");
	bpfc_data_free(&t);
}
END_TEST

START_TEST(result_forms)
{
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse("-- result\n0xFFFFFFFFFFFFFFFF\n", &t, &err), BPFC_OK);
	ck_assert_uint_eq(t.result, UINT64_MAX);
	bpfc_data_free(&t);
	ck_assert_int_eq(parse("-- result\n18446744073709551615\n", &t, &err), BPFC_OK);
	ck_assert_uint_eq(t.result, UINT64_MAX);
	bpfc_data_free(&t);
	ck_assert_int_eq(parse("-- result\n-1\n", &t, &err), BPFC_OK);
	ck_assert_uint_eq(t.result, UINT64_MAX);
	bpfc_data_free(&t);
	ck_assert_int_eq(parse("-- result\n0\n", &t, &err), BPFC_OK);
	ck_assert(t.has_result);
	ck_assert_uint_eq(t.result, 0);
	bpfc_data_free(&t);
}
END_TEST

static void expect_error(const char *text, const char *needle)
{
	struct bpfc_data_test t;
	struct bpfc_error err;
	int rc = parse(text, &t, &err);
	ck_assert_int_eq(rc, BPFC_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, needle) != NULL, "message '%s' lacks '%s'", err.msg, needle);
	/* A failed parse leaves nothing to free. */
	ck_assert_ptr_null(t.asm_text);
	ck_assert_ptr_null(t.raw);
	ck_assert_ptr_null(t.mem);
	ck_assert_ptr_null(t.error);
}

START_TEST(errors_name_the_line)
{
	/* The bpf_conformance negative test invalid_unknown_directive: rejected, not skipped. */
	expect_error("# c\n# d\n-- asm\n-- Unknown directive\n-- error\nInvalid register\n",
	             "t.data:4: unknown section");
	expect_error("-- raw\n0x95\n-- raw\n0x95\n",
	             "t.data:3: second -- raw section (the first is at line 1)");
	expect_error("exit\n", "t.data:1: expected a section header");
	expect_error("-- raw\n0x5566778800000018\n0xzz\n", "t.data:3: expected a 64-bit instruction word");
	expect_error("-- raw\n0x11223344556677889\n", "t.data:2:");
	expect_error("-- raw\n95 00 00 00 00 00 00\n", "t.data:2:"); /* 7 bytes: not a slot */
	expect_error("-- raw\n95 00 00 00 00 00 00 0g\n", "found '95'");
	expect_error("-- mem\n00 11\n123\n", "t.data:3: expected a hex byte (00..ff) in -- mem, found '123'");
	expect_error("-- result\n0x1\n0x2\n", "t.data:3: -- result holds one value");
	expect_error("-- result\n12a\n", "t.data:2: expected the result");
	expect_error("-- result\n18446744073709551616\n", "t.data:2: expected the result");
	expect_error("-- result\n# nothing\n-- asm\nexit\n", "t.data:1: -- result has no value");
}
END_TEST

START_TEST(nul_inside_length)
{
	/* The length, not a NUL, bounds the text. */
	const char text[] = "-- asm\nexit\n\0-- raw\n";
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_data_parse(text, sizeof(text) - 1, "t.data", &t, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.data:3: NUL byte"));
	ck_assert_int_eq(bpfc_data_parse(text, 12, "t.data", &t, &err), BPFC_OK);
	ck_assert_str_eq(t.asm_text, "exit\n");
	ck_assert_ptr_null(t.raw);
	bpfc_data_free(&t);
}
END_TEST

START_TEST(long_token_message_is_cut)
{
	char text[400] = "-- result\n";
	memset(text + strlen(text), '7', 300);
	struct bpfc_data_test t;
	struct bpfc_error err;
	ck_assert_int_eq(parse(text, &t, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "...'"));
	ck_assert_uint_lt(strlen(err.msg), 300);
}
END_TEST

/* Random bytes and random mutations of a valid file: every outcome is OK or a clean error. */
START_TEST(garbage_never_crashes)
{
	const char *valid =
	    "# c\n-- asm\nmov %r0, 1\nexit\n-- raw\n0x00000001000000b7\n95 00 00 00 00 00 00 00\n"
	    "-- mem\n00 01\n-- result\n0x1\n-- error\ntext\n";
	char buf[512];
	uint32_t x = 2463534242u;
	for (int round = 0; round < 3000; round++) {
		size_t n = strlen(valid);
		memcpy(buf, valid, n);
		for (int k = 0; k < 1 + round % 8; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[x % n] = (char)(x >> 8);
		}
		if (round % 3 == 0)
			for (size_t k = 0; k < n; k++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				buf[k] = (char)x;
			}
		struct bpfc_data_test t;
		struct bpfc_error err;
		size_t len = round % 5 == 0 ? x % n : n;
		int rc = bpfc_data_parse(buf, len, "g.data", &t, &err);
		ck_assert(rc == BPFC_OK || rc == BPFC_ERR_INPUT);
		if (rc == BPFC_OK)
			bpfc_data_free(&t);
		else
			ck_assert_ptr_nonnull(strstr(err.msg, "g.data"));
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("data_file");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, full_file);
	tcase_add_test(tc, raw_words);
	tcase_add_test(tc, raw_bytes_and_decimal);
	tcase_add_test(tc, error_text_verbatim);
	tcase_add_test(tc, skipped_sections);
	tcase_add_test(tc, empty_and_comment_only);
	tcase_add_test(tc, result_forms);
	tcase_add_test(tc, errors_name_the_line);
	tcase_add_test(tc, nul_inside_length);
	tcase_add_test(tc, long_token_message_is_cut);
	tcase_add_test(tc, garbage_never_crashes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
