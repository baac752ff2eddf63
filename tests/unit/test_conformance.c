/* The conformance runner, the plugin protocol and the run command, end to end through the CLI:
 * the built-in interpreter passes the hand-written suite in tests/data/conformance, a
 * deliberately broken plugin (signed modulo done unsigned) fails exactly the tests it should,
 * a hanging plugin is killed at the timeout, selection by group/cpu/regex, JSON output, the
 * generator's tests pass on the interpreter and catch the broken plugin. */
#define _GNU_SOURCE /* asprintf */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpfcheck/conformance.h"
#include "bpfcheck/specs.h"
#include "testutil.h"

#define SUITE BPFCHECK_TEST_SRC_DIR "/data/conformance"

static bool has_line(const char *out, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = out; (p = strstr(p, line)) != NULL; p++)
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static size_t count_prefix(const char *out, const char *prefix)
{
	size_t n = 0;
	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(builtin_passes_suite)
{
	const char *args[] = {"conformance", "--suite", SUITE, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s%s", r.exit_code, r.out, r.err);
	ck_assert(has_line(r.out, "PASS smod64-neg (expected 0xfffffffffffffffe, got 0xfffffffffffffffe)"));
	ck_assert(has_line(r.out, "PASS mem-sum (expected 0x2215, got 0x2215)"));
	ck_assert_ptr_nonnull(strstr(r.out, "PASS oob-error (expected an error, got error: memory:"));
	ck_assert(has_line(r.out, "divmul64: 3/3"));
	ck_assert(has_line(r.out, "callx: 1/1"));
	ck_assert(has_line(r.out, "9 passed, 0 failed, 0 skipped"));
	/* sorted by name */
	ck_assert(strstr(r.out, "PASS add64") < strstr(r.out, "PASS callx-helper"));
	ck_assert(strstr(r.out, "PASS smod32-neg") < strstr(r.out, "PASS smod64-neg"));
	tu_result_free(&r);
}
END_TEST

START_TEST(broken_runtime_fails_exactly_signed_modulo)
{
	const char *args[] = {"conformance", "--suite", SUITE, "--runtime", BPFCHECK_BROKEN_RUNTIME, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 1, "exit %d: %s%s", r.exit_code, r.out, r.err);
	ck_assert_uint_eq(count_prefix(r.out, "FAIL "), 2);
	ck_assert(has_line(r.out, "FAIL smod64-neg (expected 0xfffffffffffffffe, got 0x4)"));
	ck_assert(has_line(r.out, "FAIL smod32-neg (expected 0xffffffff, got 0x0)"));
	ck_assert(has_line(r.out, "PASS smod64-pos (expected 0x2, got 0x2)"));
	ck_assert(
	    has_line(r.out, "PASS mem-sum (expected 0x2215, got 0x2215)")); /* memory passed as MEMHEX */
	ck_assert_ptr_nonnull(strstr(r.out, "PASS oob-error (expected an error, got error: exit code 1:"));
	ck_assert(has_line(r.out, "divmul32: 0/1"));
	ck_assert(has_line(r.out, "7 passed, 2 failed, 0 skipped"));
	ck_assert_uint_eq(count_prefix(r.out, "ERROR "), 0);
	tu_result_free(&r);
}
END_TEST

START_TEST(hanging_runtime_times_out)
{
	double t0 = now();
	const char *args[] = {
	    "conformance", "--suite",   SUITE, "--runtime", BPFCHECK_BROKEN_RUNTIME,       "--runtime-arg",
	    "--hang",      "--timeout", "0.3", "--include", "^(add64|smod64-pos)\\.data$", NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	double took = now() - t0;
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert(has_line(r.out, "ERROR add64 (timed out after 0.3 s (runtime killed))"));
	ck_assert(has_line(r.out, "ERROR smod64-pos (timed out after 0.3 s (runtime killed))"));
	ck_assert(has_line(r.out, "SKIP div64-by-zero (excluded by --include/--exclude)"));
	ck_assert(has_line(r.out, "0 passed, 2 failed, 7 skipped"));
	ck_assert_msg(took < 8.0, "took %.1f s", took);
	tu_result_free(&r);
}
END_TEST

START_TEST(runtime_that_cannot_start_or_prints_garbage)
{
	const char *args[] = {"conformance",          "--suite", SUITE, "--include", "add64", "--runtime",
	                      "/nonexistent/runtime", NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "FAIL add64 (expected 0x100000000, got error: exit code 127"));
	tu_result_free(&r);
	const char *garbage[] = {"conformance", "--suite",   SUITE,     "--include",
	                         "add64",       "--runtime", "echo zz", NULL};
	r = tu_run_cli(garbage, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "ERROR add64 (runtime exited 0 but printed"));
	tu_result_free(&r);
}
END_TEST

START_TEST(selection_by_group_cpu_regex)
{
	const char *g[] = {"conformance", "--suite", SUITE, "--groups", "base64,divmul64", NULL};
	struct tu_result r = tu_run_cli(g, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert(has_line(r.out, "SKIP callx-helper (needs group callx, not selected)"));
	ck_assert(has_line(r.out, "8 passed, 0 failed, 1 skipped"));
	tu_result_free(&r);
	const char *cpu[] = {"conformance", "--suite", SUITE, "--cpu", "v3", NULL};
	r = tu_run_cli(cpu, NULL);
	ck_assert(has_line(r.out, "SKIP smod64-neg (needs -mcpu=v4, above v3)"));
	tu_result_free(&r);
	const char *ex[] = {"conformance", "--suite", SUITE, "--exclude", "smod", NULL};
	r = tu_run_cli(ex, NULL);
	ck_assert(has_line(r.out, "6 passed, 0 failed, 3 skipped"));
	tu_result_free(&r);
	const char *bad[] = {"conformance", "--suite", SUITE, "--groups", "nosuch", NULL};
	r = tu_run_cli(bad, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown conformance group 'nosuch'"));
	tu_result_free(&r);
	const char *badre[] = {"conformance", "--suite", SUITE, "--include", "(", NULL};
	r = tu_run_cli(badre, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	const char *nodir[] = {"conformance", "--suite", "/nonexistent/dir", NULL};
	r = tu_run_cli(nodir, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/dir"));
	tu_result_free(&r);
	const char *help[] = {"conformance", "--help", NULL};
	r = tu_run_cli(help, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--suite DIR"));
	tu_result_free(&r);
}
END_TEST

START_TEST(json_report)
{
	const char *args[] = {"conformance",           "--suite",  SUITE,  "--runtime",
	                      BPFCHECK_BROKEN_RUNTIME, "--format", "json", NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	json_error_t je;
	json_t *j = json_loads(r.out, 0, &je);
	ck_assert_msg(j != NULL, "%s", je.text);
	ck_assert_str_eq(json_string_value(json_object_get(j, "format")), "bpfcheck-conformance");
	json_t *sum = json_object_get(j, "summary");
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "passed")), 7);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "failed")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "total")), 9);
	json_t *tests = json_object_get(j, "tests");
	ck_assert_uint_eq(json_array_size(tests), 9);
	size_t i;
	json_t *t;
	bool seen = false;
	json_array_foreach(tests, i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "name")), "smod64-neg") != 0)
			continue;
		seen = true;
		ck_assert_str_eq(json_string_value(json_object_get(t, "status")), "FAIL");
		ck_assert_str_eq(json_string_value(json_object_get(t, "expected")), "0xfffffffffffffffe");
		ck_assert_str_eq(json_string_value(json_object_get(t, "got")), "0x4");
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "groups"), 0)),
		                 "base32");
	}
	ck_assert(seen);

	/* every key the embedded schema requires is present, and no key it does not describe */
	size_t len;
	const char *text = bpfc_spec_text("conformance/result.schema.json", &len);
	ck_assert_ptr_nonnull(text);
	json_t *schema = json_loadb(text, len, 0, &je);
	ck_assert_msg(schema != NULL, "%s", je.text);
	json_t *req = json_object_get(schema, "required"), *props = json_object_get(schema, "properties");
	json_t *k;
	json_array_foreach(req, i, k)
	    ck_assert_msg(json_object_get(j, json_string_value(k)), "missing %s", json_string_value(k));
	const char *key;
	json_t *val;
	json_object_foreach(j, key, val)
	    ck_assert_msg(json_object_get(props, key), "undocumented key %s", key);
	json_t *test_schema = json_object_get(json_object_get(props, "tests"), "items");
	json_t *first = json_array_get(tests, 0);
	json_array_foreach(json_object_get(test_schema, "required"), i, k) ck_assert_msg(
	    json_object_get(first, json_string_value(k)), "test entry lacks %s", json_string_value(k));
	json_object_foreach(first, key, val) ck_assert_msg(
	    json_object_get(json_object_get(test_schema, "properties"), key), "undocumented %s", key);
	json_decref(schema);
	json_decref(j);
	tu_result_free(&r);
}
END_TEST

START_TEST(plugin_protocol)
{
	/* the bytes and spacing exactly as bpf_conformance writes them: "%02x " plus a space */
	const char *args[] = {"plugin", "01  02  03  04  ", NULL};
	/* r0 = r2 (memory length); r0 += *(u8 *)(r1 + 3); exit */
	const char *prog = "bf  20  00  00  00  00  00  00  71  13  03  00  00  00  00  00  "
	                   "0f  30  00  00  00  00  00  00  95  00  00  00  00  00  00  00  \n";
	struct tu_result r = tu_run_cli(args, prog);
	ck_assert_msg(r.exit_code == 0, "%s", r.err);
	ck_assert_str_eq(r.out, "8\n");
	tu_result_free(&r);
	/* no memory argument; helper 5 */
	const char *noargs[] = {"plugin", NULL};
	r = tu_run_cli(noargs, "b7 01 00 00 ff ff ff ff 85 00 00 00 05 00 00 00 95 00 00 00 00 00 00 00");
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_str_eq(r.out, "ffffffffffffffff\n");
	tu_result_free(&r);
	/* a fault: exit 1 and a message */
	const char *mem[] = {"plugin", "00", NULL};
	r = tu_run_cli(mem, "79 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00");
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "memory: instruction 0 (ldxdw)"));
	tu_result_free(&r);
	/* an invalid instruction (nonzero unused field) is rejected */
	r = tu_run_cli(noargs, "95 00 00 00 01 00 00 00");
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "invalid_insn"));
	tu_result_free(&r);
	/* unusable input: exit 2 */
	r = tu_run_cli(noargs, "9 5");
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "not hex bytes"));
	tu_result_free(&r);
	r = tu_run_cli(noargs, "95 00 00 00");
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "8-byte"));
	tu_result_free(&r);
	const char *elf[] = {"plugin", "--elf", NULL};
	r = tu_run_cli(elf, "95 00 00 00 00 00 00 00");
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
}
END_TEST

/* The runner against bpfcheck's own plugin: the same protocol end to end. */
START_TEST(runner_against_own_plugin)
{
	char *cmd = NULL;
	ck_assert_int_ge(asprintf(&cmd, "%s plugin", BPFCHECK_CLI), 0);
	const char *args[] = {"conformance", "--suite", SUITE, "--runtime", cmd, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 0, "%s", r.out);
	ck_assert(has_line(r.out, "9 passed, 0 failed, 0 skipped"));
	tu_result_free(&r);
	free(cmd);
	/* through the wrapper the original runner uses (memory first, then options) */
	ck_assert_int_ge(asprintf(&cmd, "env BPFCHECK='%s' '%s/scripts/bpfcheck-plugin'", BPFCHECK_CLI,
	                          BPFCHECK_SOURCE_DIR),
	                 0);
	const char *wrapped[] = {"conformance", "--suite", SUITE, "--runtime", cmd, NULL};
	r = tu_run_cli(wrapped, NULL);
	ck_assert_msg(r.exit_code == 0, "%s", r.out);
	ck_assert(has_line(r.out, "9 passed, 0 failed, 0 skipped"));
	tu_result_free(&r);
	free(cmd);
}
END_TEST

START_TEST(run_command)
{
	const char *args[] = {"run", SUITE "/mem-sum.data", NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 0, "%s", r.err);
	ck_assert_str_eq(r.out, "0x2215\n"); /* the test's own memory */
	tu_result_free(&r);
	const char *mem[] = {"run", SUITE "/mem-sum.data", "--mem", "ff 00 01 00 00 00", NULL};
	r = tu_run_cli(mem, NULL);
	ck_assert_str_eq(r.out, "0x106\n"); /* 0xff + 1 + length 6 */
	tu_result_free(&r);
	const char *v[] = {"run", "-v", SUITE "/add64.data", NULL};
	r = tu_run_cli(v, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "    0: "));
	ck_assert_ptr_nonnull(strstr(r.out, " r0=0xffffffff\n"));
	ck_assert_ptr_nonnull(strstr(r.out, " r0=0x100000000\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "executed 3 instructions\n0x100000000\n"));
	tu_result_free(&r);
	const char *f[] = {"run", SUITE "/oob-error.data", NULL};
	r = tu_run_cli(f, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "memory fault after 1 instructions"));
	tu_result_free(&r);
	const char *missing[] = {"run", "/nonexistent.data", NULL};
	r = tu_run_cli(missing, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	/* a big-endian program: be16 is the identity, and memory is read big-endian */
	static const uint8_t be[] = {0xb7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34, 0xdc, 0x00, 0x00,
	                             0x00, 0x00, 0x00, 0x00, 0x10, 0x69, 0x31, 0x00, 0x00, 0x00, 0x00,
	                             0x00, 0x00, 0x0f, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x95,
	                             0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}; /* r0 = 0x1234; be16 r0; r3 =
	                                                                         *(u16 *)r1; r0 += r3 */
	char *bin = tu_write_temp(be, sizeof(be), ".bin");
	const char *bigend[] = {"run", "--big-endian", bin, "--mem", "01 02", NULL};
	r = tu_run_cli(bigend, NULL);
	ck_assert_msg(r.exit_code == 0, "%s", r.err);
	ck_assert_str_eq(r.out, "0x1336\n");
	tu_result_free(&r);
	unlink(bin);
	free(bin);
	const char *badmem[] = {"run", SUITE "/add64.data", "--mem", "xyz", NULL};
	r = tu_run_cli(badmem, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
}
END_TEST

START_TEST(generated_tests_pass_and_catch_broken_runtime)
{
	char dir[] = "/tmp/bpfcheck-gen-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char out[600];
	snprintf(out, sizeof(out), "%s/suite", dir);
	const char *gen[] = {"conformance", "--generate", out, NULL};
	struct tu_result r = tu_run_cli(gen, NULL);
	ck_assert_msg(r.exit_code == 0, "%s", r.err);
	unsigned long tests = 0, encodings = 0;
	ck_assert_int_eq(sscanf(r.out, "wrote %lu tests for %lu encodings", &tests, &encodings), 2);
	ck_assert_uint_gt(tests, 5000);
	ck_assert_uint_ge(encodings, 170);
	tu_result_free(&r);

	const char *run[] = {"conformance", "--suite", out, NULL};
	r = tu_run_cli(run, NULL);
	ck_assert_msg(r.exit_code == 0, "%.2000s", r.out);
	char want[80];
	snprintf(want, sizeof(want), "%lu passed, 0 failed, 0 skipped", tests);
	ck_assert(has_line(r.out, want));
	tu_result_free(&r);

	/* the signed-modulo tests catch the broken runtime; the unsigned ones do not */
	const char *broken[] = {"conformance",
	                        "--suite",
	                        out,
	                        "--runtime",
	                        BPFCHECK_BROKEN_RUNTIME,
	                        "--include",
	                        "^gen-(97|9c)-s?mod(32)?-[KX]-0[0-3][0-9]",
	                        NULL};
	r = tu_run_cli(broken, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	ck_assert_uint_eq(count_prefix(r.out, "PASS ") + count_prefix(r.out, "FAIL "), 160);
	ck_assert_uint_gt(count_prefix(r.out, "FAIL gen-97-smod-K-"), 5);
	ck_assert_uint_gt(count_prefix(r.out, "FAIL gen-9c-smod32-X-"), 5);
	ck_assert_uint_eq(count_prefix(r.out, "FAIL gen-97-mod-K-"), 0);
	ck_assert_uint_eq(count_prefix(r.out, "FAIL gen-9c-mod32-X-"), 0);
	ck_assert_uint_gt(count_prefix(r.out, "PASS gen-97-smod-K-"), 5); /* non-negative operands */
	tu_result_free(&r);

	char *cmd = NULL;
	ck_assert_int_ge(asprintf(&cmd, "rm -rf '%s'", dir), 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}
END_TEST

START_TEST(proc_run_library)
{
	struct bpfc_conf_proc_result pr;
	struct bpfc_error err;
	char *const args[] = {"x", NULL};
	ck_assert_int_eq(
	    bpfc_conf_proc_run("sh -c 'cat; echo \"$1\"; exit 3' sh", args, "hello\n", 5, &pr, &err),
	    BPFC_OK);
	ck_assert_int_eq(pr.exit_code, 3);
	ck_assert_str_eq(pr.out, "hello\nx\n");
	ck_assert(!pr.timed_out);
	bpfc_conf_proc_result_free(&pr);
	double t0 = now();
	ck_assert_int_eq(bpfc_conf_proc_run("sleep 30", NULL, NULL, 0.2, &pr, &err), BPFC_OK);
	ck_assert(pr.timed_out);
	ck_assert_int_eq(pr.exit_code, -1);
	ck_assert(now() - t0 < 5);
	bpfc_conf_proc_result_free(&pr);
	/* a child that backgrounds a grandchild holding stdout is still bounded by the deadline */
	t0 = now();
	ck_assert_int_eq(bpfc_conf_proc_run("sleep 30 & echo 1", NULL, NULL, 0.3, &pr, &err), BPFC_OK);
	ck_assert(now() - t0 < 5);
	bpfc_conf_proc_result_free(&pr);
	/* a child that exits without reading a large stdin does not kill us with SIGPIPE */
	size_t big = 1u << 20;
	char *in = malloc(big + 1);
	memset(in, 'a', big);
	in[big] = 0;
	ck_assert_int_eq(bpfc_conf_proc_run("true", NULL, in, 5, &pr, &err), BPFC_OK);
	ck_assert_int_eq(pr.exit_code, 0);
	bpfc_conf_proc_result_free(&pr);
	free(in);
}
END_TEST

START_TEST(hex_and_groups_library)
{
	uint8_t *b;
	size_t n;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_conf_hex_decode(" 0xb7 0001\n ff ", &b, &n, &err), BPFC_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(b[0], 0xb7);
	ck_assert_uint_eq(b[2], 0x01);
	ck_assert_uint_eq(b[3], 0xff);
	free(b);
	ck_assert_int_eq(bpfc_conf_hex_decode("", &b, &n, &err), BPFC_OK);
	ck_assert_uint_eq(n, 0);
	free(b);
	ck_assert_int_eq(bpfc_conf_hex_decode("12 3", &b, &n, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "'3' at character 4"));
	ck_assert_int_eq(bpfc_conf_hex_decode("12 zz", &b, &n, &err), BPFC_ERR_INPUT);

	const struct isa_table *t = isa_table_default();
	isa_group_mask m;
	ck_assert_int_eq(bpfc_conf_parse_groups(t, "base64, atomic64", &m, &err), BPFC_OK);
	ck_assert(m & (1u << isa_group_find(t, "base32")));
	ck_assert(m & (1u << isa_group_find(t, "atomic32")));
	ck_assert(!(m & (1u << isa_group_find(t, "divmul32"))));
	ck_assert_int_eq(bpfc_conf_parse_groups(t, " , ", &m, &err), BPFC_ERR_USAGE);

	/* groups and cpu of a program: lddw (base64) + sdiv32 (divmul32, v4) + exit */
	struct isa_slot p[] = {
	    {.opcode = 0x18}, {.opcode = 0}, {.opcode = 0x34, .off = 1, .imm = 3}, {.opcode = 0x95}};
	unsigned cpu;
	bpfc_conf_program_needs(t, p, 4, &m, &cpu);
	ck_assert_uint_eq(cpu, 4);
	ck_assert_uint_eq(m, (1u << isa_group_find(t, "base64")) | (1u << isa_group_find(t, "divmul32")) |
	                         (1u << isa_group_find(t, "base32")));
}
END_TEST

static struct bpfc_conf_case run_text(const char *text)
{
	char *path = tu_write_temp(text, strlen(text), ".data");
	ck_assert_ptr_nonnull(path);
	struct bpfc_conf_case c;
	struct bpfc_error err;
	ck_assert_int_eq(bpfc_conf_run_file(path, NULL, &c, &err), BPFC_OK);
	unlink(path);
	free(path);
	return c;
}

START_TEST(verdicts_of_odd_test_files)
{
	/* the assembler rejects the program and an error is expected: PASS */
	struct bpfc_conf_case c = run_text("-- asm\nnosuchinsn %r0\nexit\n-- error\nanything\n");
	ck_assert_int_eq(c.status, BPFC_CONF_PASS);
	ck_assert_ptr_nonnull(strstr(c.detail, "rejected by the assembler"));
	bpfc_conf_case_free(&c);
	/* ... and a result is expected: ERROR (the test cannot run) */
	c = run_text("-- asm\nnosuchinsn %r0\nexit\n-- result\n0x1\n");
	ck_assert_int_eq(c.status, BPFC_CONF_ERROR);
	ck_assert_ptr_nonnull(strstr(c.detail, "cannot assemble"));
	bpfc_conf_case_free(&c);
	/* a value where an error is expected: FAIL */
	c = run_text("-- asm\nmov %r0, 1\nexit\n-- error\nx\n");
	ck_assert_int_eq(c.status, BPFC_CONF_FAIL);
	ck_assert(c.got_value && c.got == 1);
	bpfc_conf_case_free(&c);
	/* an invalid instruction where a result is expected: FAIL with the reason */
	c = run_text("-- raw\n0x0000000100000095\n-- result\n0x0\n");
	ck_assert_int_eq(c.status, BPFC_CONF_FAIL);
	ck_assert_ptr_nonnull(strstr(c.detail, "invalid_insn"));
	bpfc_conf_case_free(&c);
	/* nothing expected: SKIP; an unparsable file: ERROR */
	c = run_text("-- asm\nexit\n");
	ck_assert_int_eq(c.status, BPFC_CONF_SKIP);
	bpfc_conf_case_free(&c);
	c = run_text("-- asm\nexit\n-- result\nnot-a-number\n");
	ck_assert_int_eq(c.status, BPFC_CONF_ERROR);
	bpfc_conf_case_free(&c);
	/* a program that never ends is stopped by the budget and reported */
	c = run_text("-- asm\nja -1\nexit\n-- result\n0x0\n");
	ck_assert_int_eq(c.status, BPFC_CONF_FAIL);
	ck_assert_ptr_nonnull(strstr(c.detail, "budget"));
	bpfc_conf_case_free(&c);
}
END_TEST

static Suite *conformance_suite(void)
{
	Suite *s = suite_create("conformance");
	TCase *tc = tcase_create("runner");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, builtin_passes_suite);
	tcase_add_test(tc, broken_runtime_fails_exactly_signed_modulo);
	tcase_add_test(tc, hanging_runtime_times_out);
	tcase_add_test(tc, runtime_that_cannot_start_or_prints_garbage);
	tcase_add_test(tc, selection_by_group_cpu_regex);
	tcase_add_test(tc, json_report);
	tcase_add_test(tc, plugin_protocol);
	tcase_add_test(tc, runner_against_own_plugin);
	tcase_add_test(tc, run_command);
	tcase_add_test(tc, generated_tests_pass_and_catch_broken_runtime);
	tcase_add_test(tc, proc_run_library);
	tcase_add_test(tc, hex_and_groups_library);
	tcase_add_test(tc, verdicts_of_odd_test_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(conformance_suite());
}
