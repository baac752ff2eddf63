/* Input loading (format detection, raw/.data/asm readers, bad inputs) and the `bpfcheck isa` and
 * `bpfcheck disasm` commands as a user runs them: output lines and exit codes. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfcheck/input.h"
#include "testutil.h"

static const uint8_t mov_exit[] = {0xb7, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00,
                                   0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static char *tmp(const void *data, size_t len, const char *suffix)
{
	char *p = tu_write_temp(data, len, suffix);
	ck_assert_ptr_nonnull(p);
	return p;
}

static struct tu_result cli(const char *a0, const char *a1, const char *a2, const char *a3, const char *a4)
{
	const char *args[] = {a0, a1, a2, a3, a4, NULL};
	return tu_run_cli(args, NULL);
}

static void has(const char *text, const char *needle)
{
	ck_assert_msg(text && strstr(text, needle), "'%s' lacks '%s'", text ? text : "(null)", needle);
}

START_TEST(detect_by_content_then_extension)
{
	ck_assert_int_eq(bpfc_input_detect("x.bin", (const uint8_t *)"\177ELF\2\1", 6), BPFC_FORMAT_ELF);
	ck_assert_int_eq(bpfc_input_detect("x", mov_exit, sizeof(mov_exit)), BPFC_FORMAT_RAW);
	ck_assert_int_eq(bpfc_input_detect("x.s", mov_exit, sizeof(mov_exit)), BPFC_FORMAT_RAW);
	/* .data is text by definition; DEL and UTF-8 in comments do not make text binary. */
	ck_assert_int_eq(bpfc_input_detect("x.data", mov_exit, sizeof(mov_exit)), BPFC_FORMAT_DATA);
	const char *del = "# RFC 9669 \302\247 4.1 \177\n-- asm\nexit\n";
	ck_assert_int_eq(bpfc_input_detect("x", (const uint8_t *)del, strlen(del)), BPFC_FORMAT_DATA);
	const char *data = "# t\n-- asm\nexit\n-- result\n0\n";
	ck_assert_int_eq(bpfc_input_detect("x.txt", (const uint8_t *)data, strlen(data)), BPFC_FORMAT_DATA);
	const char *text = "r0 = 0\nexit\n";
	ck_assert_int_eq(bpfc_input_detect("x", (const uint8_t *)text, strlen(text)), BPFC_FORMAT_ASM);
	ck_assert_int_eq(bpfc_input_detect("x.data", (const uint8_t *)text, strlen(text)), BPFC_FORMAT_DATA);
	/* Empty files: by extension only. */
	ck_assert_int_eq(bpfc_input_detect("a.data", NULL, 0), BPFC_FORMAT_DATA);
	ck_assert_int_eq(bpfc_input_detect("a.s", NULL, 0), BPFC_FORMAT_ASM);
	ck_assert_int_eq(bpfc_input_detect("a.o", NULL, 0), BPFC_FORMAT_ELF);
	ck_assert_int_eq(bpfc_input_detect("dir.x/a", NULL, 0), BPFC_FORMAT_RAW);
	ck_assert_str_eq(bpfc_format_name(BPFC_FORMAT_DATA), "data");
	ck_assert_str_eq(bpfc_format_name(BPFC_FORMAT_ELF), "elf");
}
END_TEST

START_TEST(load_raw_little_and_big_endian)
{
	char *p = tmp(mov_exit, sizeof(mov_exit), ".bin");
	struct bpfc_object *obj;
	struct bpfc_error err;
	struct bpfc_input_opts o = {.prog_type = "xdp"};
	ck_assert_int_eq(bpfc_input_load(p, &o, &obj, &err), BPFC_OK);
	ck_assert_uint_eq(obj->prog_cnt, 1);
	ck_assert_uint_eq(obj->progs[0].insn_cnt, 2);
	ck_assert_int_eq(obj->progs[0].insns[0].imm, 42);
	ck_assert_str_eq(obj->progs[0].type, "xdp");
	ck_assert_ptr_null(obj->progs[0].section);
	/* Named after the file's base name, without the extension. */
	const char *base = strrchr(p, '/') + 1;
	ck_assert_int_eq(strncmp(obj->progs[0].name, base, strlen(base) - 4), 0);
	ck_assert_uint_eq(strlen(obj->progs[0].name), strlen(base) - 4);
	bpfc_object_free(obj);
	o.byte_order = ISA_BIG_ENDIAN;
	ck_assert_int_eq(bpfc_input_load(p, &o, &obj, &err), BPFC_OK);
	ck_assert_int_eq(obj->progs[0].insns[0].imm, 0x2a000000);
	ck_assert_int_eq(obj->progs[0].byte_order, ISA_BIG_ENDIAN);
	bpfc_object_free(obj);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(load_data_raw_section)
{
	const char *text =
	    "-- asm\nthis would not assemble\n-- raw\n0x0000002a000000b7\n0x95\n-- result\n42\n";
	char *p = tmp(text, strlen(text), ".data");
	struct bpfc_object *obj;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_input_load(p, NULL, &obj, &err), BPFC_OK);
	ck_assert_uint_eq(obj->progs[0].insn_cnt, 2);
	ck_assert_uint_eq(obj->progs[0].insns[0].opcode, 0xb7);
	ck_assert_int_eq(obj->progs[0].insns[0].imm, 42);
	bpfc_object_free(obj);
	unlink(p);
	free(p);
}
END_TEST

static void expect_load_error(const void *data, size_t len, const char *suffix,
                              const struct bpfc_input_opts *o, int code, const char *needle)
{
	char *p = tmp(data, len, suffix);
	struct bpfc_object *obj = (struct bpfc_object *)1;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_input_load(p, o, &obj, &err), code);
	ck_assert_ptr_null(obj);
	has(err.msg, p);
	has(err.msg, needle);
	unlink(p);
	free(p);
}

START_TEST(bad_inputs)
{
	expect_load_error("", 0, ".bin", NULL, BPFC_ERR_INPUT, "empty file");
	expect_load_error(mov_exit, 13, ".bin", NULL, BPFC_ERR_INPUT, "5 trailing bytes after slot 1");
	expect_load_error("# c\n", 4, ".data", NULL, BPFC_ERR_INPUT, "neither -- asm nor -- raw");
	expect_load_error("-- raw\n-- result\n1\n", 19, ".data", NULL, BPFC_ERR_INPUT,
	                  "program section is empty");
	expect_load_error("-- raw\n0xzz\n", 12, ".data", NULL, BPFC_ERR_INPUT, ":2: expected a 64-bit");
	struct bpfc_input_opts sec = {.section = "xdp"};
	expect_load_error(mov_exit, sizeof(mov_exit), ".bin", &sec, BPFC_ERR_USAGE,
	                  "--section applies to ELF");
	struct bpfc_input_opts prog = {.program = "other"};
	expect_load_error(mov_exit, sizeof(mov_exit), ".bin", &prog, BPFC_ERR_INPUT,
	                  "no program named 'other'");
	struct bpfc_input_opts elf = {.format = BPFC_FORMAT_ELF};
	expect_load_error(mov_exit, sizeof(mov_exit), ".bin", &elf, BPFC_ERR_INPUT, "not an ELF object");
	struct bpfc_object *obj;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_input_load("/nonexistent/x.bin", NULL, &obj, &err), BPFC_ERR_IO);
	has(err.msg, "/nonexistent/x.bin: cannot open");
	ck_assert_int_eq(bpfc_input_load("/tmp", NULL, &obj, &err), BPFC_ERR_INPUT);
	has(err.msg, "/tmp: is a directory");
}
END_TEST

START_TEST(huge_input_refused)
{
	char path[] = "/tmp/bpfcheck-huge-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	/* Sparse: costs no disk space; refused from its size before any read. */
	ck_assert_int_eq(ftruncate(fd, (off_t)300 << 20), 0);
	close(fd);
	struct bpfc_object *obj;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_input_load(path, NULL, &obj, &err), BPFC_ERR_LIMIT);
	has(err.msg, "input limit");
	const char *args[] = {"isa", path, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "256 MiB");
	tu_result_free(&r);
	unlink(path);
}
END_TEST

START_TEST(cli_isa_ok_and_groups)
{
	char *p = tmp(mov_exit, sizeof(mov_exit), ".bin");
	struct tu_result r = cli("isa", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, ": OK (2 insns; groups: base32, base64)");
	has(r.out, "1 program checked: 1 conforming, 0 with findings");
	tu_result_free(&r);
	r = cli("isa", "--groups", "base32", p, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	has(r.out, ":insn 0: error: mov (0xb7) needs conformance group base64");
	has(r.out, "[ISA-GROUP-NOT-ALLOWED]");
	has(r.out, "    b7 00 00 00 2a 00 00 00\n");
	tu_result_free(&r);
	r = cli("isa", "--groups=base64", "--cpu", "v1", p);
	ck_assert_int_eq(r.exit_code, 0);
	tu_result_free(&r);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(cli_isa_findings_from_data)
{
	/* Two findings in one program: both reported, exit 1. */
	const char *text = "# two bad slots\n-- raw\n04 00 01 00 01 00 00 00\nb7 0b 00 00 00 00 00 00\n"
	                   "95 00 00 00 00 00 00 00\n-- error\n";
	char *p = tmp(text, strlen(text), ".data");
	struct tu_result r = cli("isa", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	has(r.out, ":insn 0: error: add32 (0x04): offset is not used by this encoding and must be 0, found 1 "
	           "[ISA-RESERVED-FIELD]\n    04 00 01 00 01 00 00 00\n");
	has(r.out,
	    ":insn 1: error: mov (0xb7): dst_reg is r11, expected a register r0..r10 [ISA-BAD-REGISTER]");
	has(r.out, ": 2 findings (3 insns; groups: base32, base64)");
	has(r.out, "1 program checked: 0 conforming, 1 with findings (2 findings)");
	tu_result_free(&r);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(cli_isa_profile)
{
	/* callx r2: an extension; rejected by default, accepted under --profile linux. */
	const uint8_t callx[] = {0xb7, 0x02, 0, 0, 5,    0, 0, 0, 0x8d, 0x02, 0, 0,
	                         0,    0,    0, 0, 0x95, 0, 0, 0, 0,    0,    0, 0};
	char *p = tmp(callx, sizeof(callx), ".bin");
	struct tu_result r = cli("isa", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	has(r.out, "[ISA-NONSTANDARD]");
	tu_result_free(&r);
	r = cli("isa", "--profile", "linux", p, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, "groups: base32, base64, callx");
	tu_result_free(&r);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(cli_isa_usage_and_input_errors)
{
	struct tu_result r = cli("isa", "--help", NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, "usage: bpfcheck isa [options] FILE...");
	has(r.out, "--groups LIST");
	tu_result_free(&r);
	r = cli("isa", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "no input file");
	tu_result_free(&r);
	r = cli("isa", "--cpu", "v5", "x", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "--cpu 'v5': expected v1, v2, v3 or v4");
	tu_result_free(&r);
	r = cli("isa", "--groups", "base32,bogus", "x", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "unknown conformance group 'bogus'");
	tu_result_free(&r);
	r = cli("isa", "--profile", "windows", "x", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	r = cli("isa", "--frobnicate", "x", NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "unknown option '--frobnicate'");
	tu_result_free(&r);
	r = cli("isa", "x", "--section", NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "needs a value");
	tu_result_free(&r);
	r = cli("isa", "--isa", "/nonexistent.json", "x", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "--isa");
	tu_result_free(&r);
	/* Bad inputs: exit 2, the file named, other files still checked. */
	char *ok = tmp(mov_exit, sizeof(mov_exit), ".bin");
	char *trunc = tmp(mov_exit, 11, ".bin");
	r = cli("isa", trunc, ok, "/tmp", NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, trunc);
	has(r.err, "3 trailing bytes");
	has(r.err, "/tmp: is a directory");
	has(r.out, ": OK (2 insns");
	has(r.out, "2 inputs could not be read");
	tu_result_free(&r);
	/* ELF magic then garbage: handed to the ELF loader, which must fail cleanly. */
	char *elf = tmp("\177ELF\2\1\1\0garbage-garbage-garbage", 31, ".o");
	r = cli("isa", elf, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, elf);
	tu_result_free(&r);
	unlink(elf);
	free(elf);
	char *empty = tmp("", 0, "");
	r = cli("isa", empty, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	has(r.err, "empty file");
	tu_result_free(&r);
	uint8_t garbage[4096];
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (uint8_t)((i * 2654435761u) >> 13);
	char *g = tmp(garbage, sizeof(garbage), "");
	r = cli("isa", g, NULL, NULL, NULL);
	ck_assert(r.exit_code == 1 || r.exit_code == 2); /* decoded as raw slots: findings, no crash */
	ck_assert_int_eq(r.exit_code, 1);
	tu_result_free(&r);
	unlink(ok);
	unlink(trunc);
	unlink(empty);
	unlink(g);
	free(ok);
	free(trunc);
	free(empty);
	free(g);
}
END_TEST

START_TEST(cli_stdin)
{
	const char *args[] = {"isa", "--format", "data", "-", NULL};
	struct tu_result r = tu_run_cli(args, "-- raw\n0x95\n-- result\n0\n");
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, "-: OK (1 insns; groups: base32)");
	tu_result_free(&r);
}
END_TEST

START_TEST(cli_disasm_listing)
{
	/* lddw r1, 0x1122334455667788; exit: the second slot of the wide load is listed without text. */
	const uint8_t prog[] = {0x18, 0x01, 0,    0,    0x88, 0x77, 0x66, 0x55, 0, 0, 0, 0,
	                        0x44, 0x33, 0x22, 0x11, 0x95, 0,    0,    0,    0, 0, 0, 0};
	char *p = tmp(prog, sizeof(prog), ".bin");
	struct tu_result r = cli("disasm", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, " (3 insns)\n");
	has(r.out, "   0: 18 01 00 00 88 77 66 55  ");
	has(r.out, "   2: 95 00 00 00 00 00 00 00  ");
	tu_result_free(&r);
	r = cli("disasm", "--no-raw", p, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_null(strstr(r.out, "95 00 00"));
	tu_result_free(&r);
	r = cli("disasm", "--help", NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, "usage: bpfcheck disasm");
	tu_result_free(&r);
	r = cli("disasm", "--groups", "base32", p, NULL); /* a validation option: not for disasm */
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	r = cli("disasm", "/tmp", NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	unlink(p);
	free(p);
}
END_TEST

/* Assembly input: findings point at the source line; disasm interleaves it. */
START_TEST(cli_assembly_input)
{
	const char *text = "mov %r0, 1\n# comment\nlddw %r1, 0x1122334455667788\njeq %r1, 0, done\n"
	                   "ja +7\ndone:\nexit\n";
	char *p = tmp(text, strlen(text), ".s");
	struct tu_result r = cli("isa", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	has(r.out, ":insn 4: error: ja (0x05): target insn 12 (+7 from the next insn) is outside the program "
	           "(insns 0..5) [ISA-JUMP-OUT-OF-RANGE]");
	has(r.out, ".s:5: ja +7\n");
	tu_result_free(&r);
	r = cli("disasm", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, ".s:3\n; lddw %r1, 0x1122334455667788\n   1: 18 01 00 00 88 77 66 55  ");
	has(r.out, "   2: 00 00 00 00 44 33 22 11\n");
	tu_result_free(&r);
	r = cli("disasm", "--dialect=ubpf", "--no-raw", p, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, "   0: mov %r0, 1\n");
	ck_assert_ptr_null(strstr(r.out, "b7 00"));
	tu_result_free(&r);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(cli_data_asm_errors_use_file_lines)
{
	const char *text = "# x\n# y\n-- asm\nmov %r0, 1\nbogus %r1\nexit\n-- result\n1\n";
	char *p = tmp(text, strlen(text), ".data");
	struct tu_result r = cli("isa", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	char want[512];
	snprintf(want, sizeof(want), "%s:5:", p);
	has(r.err, want);
	tu_result_free(&r);
	unlink(p);
	free(p);
	/* The same test with a valid program: accepted, groups printed. */
	text = "-- asm\nmov32 %r0, 1\nexit\n-- result\n1\n";
	p = tmp(text, strlen(text), ".data");
	r = cli("isa", p, NULL, NULL, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	has(r.out, ": OK (2 insns; groups: base32)");
	tu_result_free(&r);
	unlink(p);
	free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli_isa");
	TCase *tc = tcase_create("input");
	tcase_add_test(tc, detect_by_content_then_extension);
	tcase_add_test(tc, load_raw_little_and_big_endian);
	tcase_add_test(tc, load_data_raw_section);
	tcase_add_test(tc, bad_inputs);
	tcase_add_test(tc, huge_input_refused);
	suite_add_tcase(s, tc);
	TCase *tc2 = tcase_create("cli");
	tcase_add_test(tc2, cli_isa_ok_and_groups);
	tcase_add_test(tc2, cli_isa_findings_from_data);
	tcase_add_test(tc2, cli_isa_profile);
	tcase_add_test(tc2, cli_isa_usage_and_input_errors);
	tcase_add_test(tc2, cli_stdin);
	tcase_add_test(tc2, cli_disasm_listing);
	tcase_add_test(tc2, cli_assembly_input);
	tcase_add_test(tc2, cli_data_asm_errors_use_file_lines);
	suite_add_tcase(s, tc2);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
