/* bpfcheck verify from the command line: output format, exit codes, --map, --type,
 * --unprivileged, -v and verify as the default command. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char null_deref_asm[] = "r1 = 0\n"
                                     "*(u32 *)(r10 - 4) = r1\n"
                                     "r2 = r10\n"
                                     "r2 += -4\n"
                                     "r1 = map_by_idx(0) ll\n"
                                     "call 1\n"
                                     "r0 = *(u64 *)(r0 + 0)\n"
                                     "r0 = 0\n"
                                     "exit\n";

START_TEST(reject_output)
{
	char *path = tu_write_temp(null_deref_asm, strlen(null_deref_asm), ".s");
	const char *args[] = {"verify", "--type", "xdp", "--map", "counters:array:4:8:16", path, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 1, "exit %d: %s%s", r.exit_code, r.out, r.err);
	ck_assert_msg(strstr(r.out, "FAIL ") != NULL, "%s", r.out);
	/* assembly carries its own line numbers: the header names the .s line (line 7 = insn 7 here) */
	ck_assert_msg(strstr(r.out, ".s:7: error: r0 may be NULL") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "[VF-NULL-DEREF]") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "r0: map_value_or_null(map=counters, value_size=8") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "7: r0 = *(u64 *)(r0 + 0x0)") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "(insn 6: call 0x1)") != NULL, "%s", r.out);
	tu_result_free(&r);
	free(path);
}
END_TEST

START_TEST(pass_and_default_command)
{
	const char src[] = "r0 = 0\nexit\n";
	char *path = tu_write_temp(src, strlen(src), ".s");
	const char *args[] = {path, "--type", "xdp", NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s%s", r.exit_code, r.out, r.err);
	ck_assert_msg(strncmp(r.out, "PASS ", 5) == 0, "%s", r.out);
	tu_result_free(&r);
	const char *vargs[] = {"verify", "-v", "--type", "xdp", path, NULL};
	r = tu_run_cli(vargs, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "r10=stack(frame=0, off=0)"), "%s", r.out);
	tu_result_free(&r);
	free(path);
}
END_TEST

START_TEST(unprivileged)
{
	const char src[] = "r0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit\n";
	char *path = tu_write_temp(src, strlen(src), ".s");
	const char *a1[] = {"verify", "--type", "xdp", path, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "warning:") && strstr(r.out, "[VF-UNINIT-STACK]"),
	              "%s", r.out);
	tu_result_free(&r);
	const char *a2[] = {"verify", "--unprivileged", "--type", "xdp", path, NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "error:") && strstr(r.out, "[VF-UNINIT-STACK]"), "%s",
	              r.out);
	tu_result_free(&r);
	free(path);
}
END_TEST

START_TEST(usage_errors)
{
	const char src[] = "r0 = 0\nexit\n";
	char *path = tu_write_temp(src, strlen(src), ".s");
	const char *a1[] = {"verify", "--map", "bad", path, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_msg(r.exit_code == 2 && strstr(r.err, "NAME:TYPE:KEY:VALUE:ENTRIES"), "%s", r.err);
	tu_result_free(&r);
	const char *a2[] = {"verify", NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	const char *a3[] = {"verify", "/nonexistent/file.o", NULL};
	r = tu_run_cli(a3, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	const char *a4[] = {"verify", "--help", NULL};
	r = tu_run_cli(a4, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "--unprivileged"), "%s", r.out);
	tu_result_free(&r);
	free(path);
}
END_TEST

START_TEST(elf_program)
{
#if BPF_PROGRAMS_ENABLED
	char *path = tu_program_path("vf_bad_packet_oob");
	const char *args[] = {"verify", path, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "[VF-PACKET-BOUNDS]") &&
	                  strstr(r.out, "vf_bad_packet_oob.c:") &&
	                  strstr(r.out, "path (witness): 5:not-taken"),
	              "%s", r.out);
	tu_result_free(&r);
	free(path);
#endif
}
END_TEST

/* --witness N / --witness-steps N (specs/verifier.md "Finding paths"): the witness of
 * join_index takes the taken side of insn 2 (the random index), the joined state's path the
 * other; long_loop needs more than the default budget. */
START_TEST(witness_options)
{
#if BPF_PROGRAMS_ENABLED
	char *path = tu_program_path("rep_witness");
	const char *a1[] = {"verify", "--program", "join_index", path, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "path (witness): 2:taken"), "%s", r.out);
	tu_result_free(&r);
	const char *a2[] = {"verify", "--witness", "0", "--program", "join_index", path, NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "path (one path to the merged state): 2:not-taken"),
	              "%s", r.out);
	tu_result_free(&r);
	const char *a3[] = {"verify", "--program", "long_loop", path, NULL};
	r = tu_run_cli(a3, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "path (one path to the merged state): "), "%s",
	              r.out);
	tu_result_free(&r);
	const char *a4[] = {"verify", "--witness-steps=400000", "--program", "long_loop", path, NULL};
	r = tu_run_cli(a4, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "path (witness, ") &&
	                  strstr(r.out, "earlier decisions omitted): ") && strstr(r.out, " x30, "),
	              "%s", r.out);
	tu_result_free(&r);
	const char *a5[] = {"verify", "--witness-steps", "0", path, NULL};
	r = tu_run_cli(a5, NULL);
	ck_assert_msg(r.exit_code == 2 && strstr(r.err, "--witness-steps '0'"), "%s", r.err);
	tu_result_free(&r);
	const char *a6[] = {"verify", "--witness", "-1", path, NULL};
	r = tu_run_cli(a6, NULL);
	ck_assert_msg(r.exit_code == 2 && strstr(r.err, "--witness '-1'"), "%s", r.err);
	tu_result_free(&r);
	free(path);
#endif
}
END_TEST

static size_t count_substr(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* One root cause, one finding: a single missing NULL check (used once, or twice through two
 * registers) is reported exactly once, and nothing else is reported. */
START_TEST(one_null_check_mistake_one_finding)
{
#if BPF_PROGRAMS_ENABLED
	const char *names[] = {"vf_bad_null_deref", "rep_null_twice"};
	for (size_t i = 0; i < 2; i++) {
		char *path = tu_program_path(names[i]);
		const char *args[] = {"verify", "--color=never", path, NULL};
		struct tu_result r = tu_run_cli(args, NULL);
		ck_assert_msg(r.exit_code == 1, "%s: exit %d", names[i], r.exit_code);
		ck_assert_msg(count_substr(r.out, "[VF-NULL-DEREF]") == 1, "%s:\n%s", names[i], r.out);
		ck_assert_msg(count_substr(r.out, ": error: ") == 1 &&
		                  count_substr(r.out, ": warning: ") == 0,
		              "%s:\n%s", names[i], r.out);
		tu_result_free(&r);
		free(path);
	}
#endif
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_verify");
	TCase *tc = tcase_create("cli");
	tcase_add_test(tc, reject_output);
	tcase_add_test(tc, pass_and_default_command);
	tcase_add_test(tc, unprivileged);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, elf_program);
	tcase_add_test(tc, witness_options);
	tcase_add_test(tc, one_null_check_mistake_one_finding);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
