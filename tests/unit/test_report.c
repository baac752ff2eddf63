/* The report layer: golden outputs of every format for failing and passing programs (C with line
 * info, raw bytecode without), schema validation of JSON and SARIF, byte-stable output, colour only
 * when asked, follow-on suppression, statistics, compare, and the parallel runner.
 * Goldens live in tests/golden/report/; regenerate with BPFCHECK_UPDATE_GOLDEN=1 after a deliberate
 * change of the engine's messages or of a format, and review the diff. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfcheck/report.h"
#include "testutil.h"

#define GOLDEN_DIR BPFCHECK_TEST_SRC_DIR "/golden/report"
#define BUILD_ROOT BPFCHECK_TEST_BUILD_DIR "/.."

/* ---- helpers ---- */

static char *render_mem(const struct report *r, int fmt, const struct report_render_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	int rc;
	if (fmt >= 100)
		rc = report_render_stats(r, (enum report_stats_format)(fmt - 100), o, f);
	else
		rc = report_render(r, (enum report_format)fmt, o, f, NULL);
	ck_assert_int_eq(rc, BPFC_OK);
	fclose(f);
	return buf;
}

/* Replaces every occurrence of from by to (new string; frees s). */
static char *replace_all(char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	for (const char *p = strstr(s, from); p; p = strstr(p + fl, from))
		n++;
	char *out = malloc(strlen(s) + n * tl + 1), *o = out;
	const char *p = s, *q;
	while ((q = strstr(p, from))) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, tl);
		o += tl;
		p = q + fl;
	}
	strcpy(o, p);
	free(s);
	return out;
}

/* Output with the machine's directories replaced, so goldens hold no absolute paths. */
static char *normalise(char *s)
{
	char build[PATH_MAX], src[PATH_MAX];
	ck_assert_ptr_nonnull(realpath(BUILD_ROOT, build));
	ck_assert_ptr_nonnull(realpath(BPFCHECK_SOURCE_DIR, src));
	s = replace_all(s, build, "$BUILD");
	return replace_all(s, src, "$SRC");
}

static void check_golden(const char *name, const char *ext, char *out)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s.%s", GOLDEN_DIR, name, ext);
	out = normalise(out);
	if (getenv("BPFCHECK_UPDATE_GOLDEN")) {
		mkdir(BPFCHECK_TEST_SRC_DIR "/golden", 0755);
		mkdir(GOLDEN_DIR, 0755);
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(out, f);
		fclose(f);
	}
	char *want = tu_read_file(path, NULL);
	ck_assert_msg(want != NULL, "missing golden %s (BPFCHECK_UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(want, out) != 0) {
		/* name the first differing line, the whole output is in the log */
		size_t i = 0, line = 1;
		while (want[i] && want[i] == out[i]) {
			if (want[i] == '\n')
				line++;
			i++;
		}
		ck_abort_msg("%s differs from the golden at line %zu:\n%s", path, line, out);
	}
	free(want);
	free(out);
}

/* Verifies paths (relative to the build root, as a user in the build directory types them). */
static struct report *run(const char *const *paths, size_t n, const char *prog_type, unsigned jobs)
{
	ck_assert_int_eq(chdir(BUILD_ROOT), 0);
	struct report_run_opts ro;
	report_run_opts_default(&ro);
	ro.jobs = jobs;
	ro.input.prog_type = prog_type;
	struct report *r = NULL;
	struct bpfc_error err;
	int rc = report_verify_many(paths, n, &ro, &r, &err);
	ck_assert_msg(rc == BPFC_OK, "%s", err.msg);
	return r;
}

static void goldens(const char *name, struct report *r)
{
	struct report_render_opts o = {0};
	o.source_root = BPFCHECK_SOURCE_DIR;
	o.width = 80;
	check_golden(name, "txt", render_mem(r, REPORT_TEXT, &o));
	check_golden(name, "json", render_mem(r, REPORT_JSON, &o));
	check_golden(name, "lsp.json", render_mem(r, REPORT_LSP, &o));
	check_golden(name, "sarif", render_mem(r, REPORT_SARIF, &o));
	check_golden(name, "stats.csv", render_mem(r, 100 + REPORT_STATS_CSV, &o));
}

/* Validates text against a schema with scripts/validate-json-schema; returns its exit code. */
static int validate_to(const char *schema, const char *text, const char *out);
static int validate(const char *schema, const char *text)
{
	return validate_to(schema, text, "&2");
}

/* Same, its messages to out ("&2", "/dev/null"): the expected failures stay out of the log. */
static int validate_to(const char *schema, const char *text, const char *out)
{
	char *doc = tu_write_temp(text, strlen(text), ".json");
	char cmd[2 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "python3 %s/scripts/validate-json-schema %s %s >%s", BPFCHECK_SOURCE_DIR,
	         schema, doc, out);
	int st = system(cmd);
	unlink(doc);
	free(doc);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define REPORT_SCHEMA BPFCHECK_SOURCE_DIR "/specs/report/report.schema.json"
#define SARIF_SCHEMA BPFCHECK_TEST_SRC_DIR "/data/schemas/sarif-schema-2.1.0.json"

/* Raw little-endian bytecode without line info: an unreachable instruction and a recursive
 * subprogram (findings of the structural passes). */
static const char *raw_structural_path(void)
{
	static const unsigned char code[] = {
	    0x85, 0x10, 0, 0, 3,    0,    0,    0,    /* 0: call pc+3 (subprogram at 4) */
	    0x05, 0x00, 1, 0, 0,    0,    0,    0,    /* 1: goto +1 */
	    0xb7, 0x00, 0, 0, 1,    0,    0,    0,    /* 2: r0 = 1 (unreachable) */
	    0x95, 0,    0, 0, 0,    0,    0,    0,    /* 3: exit */
	    0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff, /* 4: call pc-1: itself */
	    0x95, 0,    0, 0, 0,    0,    0,    0,    /* 5: exit */
	};
	const char *path = BPFCHECK_TEST_BUILD_DIR "/rep_structural.bin";
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fwrite(code, 1, sizeof(code), f), sizeof(code));
	fclose(f);
	return "tests/rep_structural.bin";
}

/* ---- goldens ---- */

START_TEST(golden_failing_c)
{
#if BPF_PROGRAMS_ENABLED
	const char *paths[] = {"examples/broken_null_deref.o",         "tests/programs/vf_bad_packet_oob.o",
	                       "tests/programs/vf_bad_ringbuf_leak.o", "tests/programs/rep_null_twice.o",
	                       "tests/programs/rep_followon.o",        "tests/programs/rep_long_lines.o",
	                       "tests/programs/rep_witness.o"};
	struct report *r = run(paths, 7, NULL, 2);
	goldens("failing", r);
	report_free(r);
#endif
}
END_TEST

START_TEST(golden_passing_c)
{
#if BPF_PROGRAMS_ENABLED
	const char *paths[] = {"examples/xdp_pass.o", "examples/socket_filter.o",
	                       "tests/programs/vf_pass_xdp_parse_tcp.o"};
	struct report *r = run(paths, 3, NULL, 2);
	goldens("passing", r);
	report_free(r);
#endif
}
END_TEST

START_TEST(golden_raw_without_line_info)
{
	const char *paths[] = {raw_structural_path(), "tests/no-such-file.o"};
	struct report *r = run(paths, 2, "xdp", 1);
	struct report_summary s;
	report_summarize(r, &s);
	ck_assert_uint_eq(s.input_errors, 1);
	ck_assert_uint_eq(s.failed, 1);
	goldens("raw", r);
	/* without line info the header names the program and the instruction */
	struct report_render_opts o = {0};
	char *t = render_mem(r, REPORT_TEXT, &o);
	ck_assert_msg(strstr(t, "tests/rep_structural.bin:insn 2: error: ") != NULL, "%s", t);
	ck_assert_msg(strstr(t, "[VF-UNREACHABLE]") && strstr(t, "[VF-RECURSION]"), "%s", t);
	ck_assert_msg(strstr(t, "ERROR tests/no-such-file.o: ") != NULL, "%s", t);
	free(t);
	report_free(r);
}
END_TEST

/* ---- schemas ---- */

START_TEST(schemas_validate)
{
#if BPF_PROGRAMS_ENABLED
	const char *paths[] = {"examples", "tests/programs", raw_structural_path()};
	struct report *r = run(paths, 3, NULL, 2);
	struct report_render_opts o = {0};
	o.source_root = BPFCHECK_SOURCE_DIR;
	o.timing = true;
	char *json = render_mem(r, REPORT_JSON, &o);
	char *sarif = render_mem(r, REPORT_SARIF, &o);
	ck_assert_int_eq(validate(REPORT_SCHEMA, json), 0);
	ck_assert_int_eq(validate(SARIF_SCHEMA, sarif), 0);
	/* the validator does reject: a report without its version, SARIF with a bad level */
	char *bad = replace_all(strdup(json), "\"schema_version\": 1", "\"schema_versio\": 1");
	ck_assert_int_eq(validate_to(REPORT_SCHEMA, bad, "/dev/null"), 1);
	free(bad);
	bad = replace_all(strdup(sarif), "\"level\": \"error\"", "\"level\": \"fatal\"");
	ck_assert_int_eq(validate_to(SARIF_SCHEMA, bad, "/dev/null"), 1);
	free(bad);
	/* the JSON report reads back and renders the same */
	struct report *back;
	struct bpfc_error err;
	ck_assert_int_eq(report_from_json(json, strlen(json), "mem", &back, &err), BPFC_OK);
	char *again = render_mem(back, REPORT_JSON, &o);
	ck_assert_str_eq(again, json);
	free(again);
	report_free(back);
	free(json);
	free(sarif);
	report_free(r);
#endif
}
END_TEST

START_TEST(from_json_errors)
{
	struct report *r;
	struct bpfc_error err;
	ck_assert_int_eq(report_from_json("{", 1, "a.json", &r, &err), BPFC_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "a.json:1:") && strstr(err.msg, "not JSON"), "%s", err.msg);
	const char *v2 = "{\"schema_version\": 2, \"inputs\": [], \"programs\": []}";
	ck_assert_int_eq(report_from_json(v2, strlen(v2), "b.json", &r, &err), BPFC_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "schema_version 2"), "%s", err.msg);
	const char *other = "{\"results\": []}";
	ck_assert_int_eq(report_from_json(other, strlen(other), "c.json", &r, &err), BPFC_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "not a bpfcheck report"), "%s", err.msg);
	/* odd but acceptable members: every renderer copes (defaults, no crash) */
	const char *odd =
	    "{\"schema_version\": 1, \"inputs\": [3, {\"path\": 5, \"error\": 1}], \"programs\": "
	    "[{\"name\": \"x\", \"verdict\": \"fail\", \"findings\": [1, \"a\", {\"location\": \"s\", "
	    "\"related\": 4, \"path\": [{\"location\": 3}], \"registers\": [5]}, {\"property\": \"P\", "
	    "\"location\": {\"file\": 3, \"line\": \"x\", \"text\": 4}}], \"stats\": [1]}], "
	    "\"properties\": [{\"id\": 3}, 5]}";
	ck_assert_int_eq(report_from_json(odd, strlen(odd), "e.json", &r, &err), BPFC_OK);
	struct report_render_opts o = {0};
	o.width = 40;
	o.source_root = "/";
	for (int fmt = REPORT_TEXT; fmt <= REPORT_SARIF; fmt++)
		free(render_mem(r, fmt, &o));
	for (int fmt = REPORT_STATS_TABLE; fmt <= REPORT_STATS_JSON; fmt++)
		free(render_mem(r, 100 + fmt, &o));
	char *b = NULL;
	size_t bl = 0;
	FILE *mf = open_memstream(&b, &bl);
	size_t regress = 99;
	ck_assert_int_eq(report_compare(r, r, &o, mf, &regress, &err), BPFC_OK);
	fclose(mf);
	ck_assert_uint_eq(regress, 0);
	free(b);
	report_free(r);
	const char *badprog = "{\"schema_version\": 1, \"inputs\": [], \"programs\": [{\"name\": 3}]}";
	ck_assert_int_eq(report_from_json(badprog, strlen(badprog), "d.json", &r, &err), BPFC_ERR_INPUT);
	ck_assert_msg(strstr(err.msg, "programs[0]"), "%s", err.msg);
}
END_TEST

/* ---- suppression (synthetic findings) ---- */

static struct bpfc_object *tiny_object(void)
{
	struct bpfc_object *obj = bpfc_object_new("synthetic.o");
	struct isa_slot *insns = calloc(4, sizeof(*insns));
	insns[0].opcode = 0xb7; /* r0 = 0 */
	insns[1].opcode = 0x79; /* r1 = *(u64 *)(r0 + 0) */
	insns[1].dst = 1;
	insns[2].opcode = 0x79; /* r2 = *(u64 *)(r0 + 8) */
	insns[2].dst = 2;
	insns[2].off = 8;
	insns[3].opcode = 0x95;
	ck_assert_ptr_nonnull(bpfc_object_add_prog(obj, "p", "xdp", "xdp", insns, 4));
	return obj;
}

START_TEST(suppress_follow_on)
{
	struct bpfc_object *obj = tiny_object();
	struct vf_result res = {0};
	vf_findings_init(&res.findings);
	struct vf_finding *f =
	    vf_findings_add(&res.findings, "VF-NULL-DEREF", VF_SEV_ERROR, 1, "p", "r0 may be NULL");
	vf_finding_add_related(f, 0, "r0 got its value here");
	/* same property, same origin: a follow-on */
	f = vf_findings_add(&res.findings, "VF-NULL-DEREF", VF_SEV_ERROR, 2, "p", "r0 may be NULL");
	vf_finding_add_related(f, 0, "r0 got its value here");
	/* same instruction, same property again (another calling context): a follow-on */
	vf_findings_add(&res.findings, "VF-NULL-DEREF", VF_SEV_ERROR, 1, "p", "r0 may be NULL (2nd context)");
	/* another property at the same place: its own root cause */
	vf_findings_add(&res.findings, "VF-UNINIT-REG", VF_SEV_ERROR, 2, "p", "r2 is not initialised");
	/* same property, different origin: its own root cause */
	f = vf_findings_add(&res.findings, "VF-NULL-DEREF", VF_SEV_ERROR, 2, "p", "r3 may be NULL");
	vf_finding_add_related(f, 1, "r3 got its value here");
	struct report *r;
	ck_assert_int_eq(report_new(NULL, &r, NULL), BPFC_OK);
	ck_assert_int_ge(report_add_input(r, "synthetic.o", obj, NULL), 0);
	ck_assert_int_eq(report_add_program(r, 0, obj, 0, &res, NULL, NULL, NULL), BPFC_OK);
	struct report_summary s;
	report_summarize(r, &s);
	ck_assert_uint_eq(s.findings, 3);
	ck_assert_uint_eq(s.suppressed, 2);
	struct report_render_opts o = {0};
	char *t = render_mem(r, REPORT_TEXT, &o);
	ck_assert_msg(strstr(t, "(2 follow-on findings of the same root cause suppressed)"), "%s", t);
	ck_assert_msg(!strstr(t, "2nd context"), "%s", t);
	ck_assert_msg(strstr(t, "r3 may be NULL") && strstr(t, "r2 is not initialised"), "%s", t);
	ck_assert_msg(strstr(t, "3 findings (3 errors, 0 warnings), 2 follow-on suppressed"), "%s", t);
	free(t);
	o.show_suppressed = true;
	t = render_mem(r, REPORT_TEXT, &o);
	ck_assert_msg(strstr(t, "2nd context") && strstr(t, "(follow-on of finding 1 of this program"), "%s",
	              t);
	free(t);
	/* JSON keeps them, marked; LSP and SARIF leave them out */
	char *j = render_mem(r, REPORT_JSON, &o);
	ck_assert_msg(strstr(j, "\"suppressed_by\": 0") != NULL, "%s", j);
	free(j);
	char *sarif = render_mem(r, REPORT_SARIF, &o);
	size_t n = 0;
	for (const char *p = strstr(sarif, "\"ruleId\""); p; p = strstr(p + 1, "\"ruleId\""))
		n++;
	ck_assert_uint_eq(n, 3);
	free(sarif);
	report_free(r);
	vf_result_free(&res);
	bpfc_object_free(obj);
}
END_TEST

START_TEST(hint_from_catalogue_and_unknown_property)
{
	struct bpfc_object *obj = tiny_object();
	struct vf_result res = {0};
	vf_findings_init(&res.findings);
	vf_findings_add(&res.findings, "VF-UNREACHABLE", VF_SEV_ERROR, 2, NULL, "unreachable");
	vf_findings_add(&res.findings, "X-NOT-IN-CATALOGUE", VF_SEV_WARNING, VF_NO_INSN, NULL,
	                "whole program");
	struct report *r;
	ck_assert_int_eq(report_new(NULL, &r, NULL), BPFC_OK);
	report_add_input(r, "synthetic.o", obj, NULL);
	ck_assert_int_eq(report_add_program(r, 0, obj, 0, &res, NULL, NULL, NULL), BPFC_OK);
	struct report_render_opts o = {0};
	char *t = render_mem(r, REPORT_TEXT, &o);
	/* the catalogue's hint when the finding has none; program-level header without insn */
	ck_assert_msg(strstr(t, "hint: Remove the dead code"), "%s", t);
	ck_assert_msg(strstr(t, "synthetic.o:xdp/p: warning: whole program [X-NOT-IN-CATALOGUE]"), "%s", t);
	ck_assert_msg(strstr(t, "synthetic.o:xdp/p:insn 2: error: unreachable [VF-UNREACHABLE]"), "%s", t);
	free(t);
	char *sarif = render_mem(r, REPORT_SARIF, &o);
	ck_assert_int_eq(validate(SARIF_SCHEMA, sarif), 0);
	ck_assert_msg(strstr(sarif, "\"name\": \"UnreachableInstruction\""), "%s", sarif);
	free(sarif);
	report_free(r);
	vf_result_free(&res);
	bpfc_object_free(obj);
}
END_TEST

/* ---- text: width, colour, stability (through the CLI) ---- */

START_TEST(text_width_80)
{
#if BPF_PROGRAMS_ENABLED
	const char *paths[] = {"tests/programs/rep_long_lines.o", "examples/broken_null_deref.o",
	                       "tests/programs/vf_bad_ringbuf_leak.o"};
	struct report *r = run(paths, 3, NULL, 1);
	struct report_render_opts o = {0};
	o.source_root = BPFCHECK_SOURCE_DIR;
	o.width = 80;
	char *t = render_mem(r, REPORT_TEXT, &o);
	/* every detail line (indented) fits; headers are exempt: problem matchers need them whole */
	for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] != ' ')
			continue;
		bool one_word = !strchr(line + 8, ' ');
		ck_assert_msg(strlen(line) <= 80 || one_word, "line of %zu columns: %s", strlen(line), line);
	}
	free(t);
	/* the long source line is windowed around its caret */
	t = render_mem(r, REPORT_TEXT, &o);
	ck_assert_msg(strstr(t, "| ...") && strstr(t, "pars...\n"), "%s", t);
	free(t);
	report_free(r);
#endif
}
END_TEST

START_TEST(cli_stable_and_colour)
{
#if BPF_PROGRAMS_ENABLED
	char *dir = tu_program_path("vf_bad_null_deref");
	*strrchr(dir, '/') = 0; /* the whole tests/programs directory */
	const char *a1[] = {"verify", "-j", "1", dir, NULL};
	const char *a4[] = {"verify", "-j4", dir, NULL};
	struct tu_result r1 = tu_run_cli(a1, NULL), r4 = tu_run_cli(a4, NULL);
	ck_assert_int_eq(r1.exit_code, 1);
	ck_assert_str_eq(r1.out, r4.out); /* order does not depend on scheduling */
	ck_assert_msg(!strchr(r1.out, '\033'), "colour in a pipe: %s", r1.out);
	ck_assert_msg(strstr(r1.out, " ms") == NULL, "times without --timing: %s", r1.out);
	tu_result_free(&r4);
	const char *j1[] = {"verify", "--format", "json", "-j", "1", dir, NULL};
	const char *j2[] = {"verify", "--format=json", "-j", "2", dir, NULL};
	struct tu_result x = tu_run_cli(j1, NULL), y = tu_run_cli(j2, NULL);
	ck_assert_str_eq(x.out, y.out);
	ck_assert_msg(strstr(x.out, "time_ns") == NULL, "%s", x.out);
	tu_result_free(&x);
	tu_result_free(&y);
	const char *c[] = {"verify", "--color=always", dir, NULL};
	struct tu_result rc = tu_run_cli(c, NULL);
	ck_assert_msg(strstr(rc.out, "\033[1;31mFAIL\033[0m") != NULL, "%s", rc.out);
	tu_result_free(&rc);
	const char *q[] = {"verify", "-q", dir, NULL};
	struct tu_result rq = tu_run_cli(q, NULL);
	ck_assert_int_eq(rq.exit_code, 1);
	ck_assert_str_eq(rq.out, "");
	tu_result_free(&rq);
	const char *w[] = {"verify", "--warn-only", dir, NULL};
	struct tu_result rw = tu_run_cli(w, NULL);
	ck_assert_int_eq(rw.exit_code, 0);
	ck_assert_str_eq(rw.out, r1.out);
	tu_result_free(&rw);
	const char *bad[] = {"verify", "--color=sometimes", dir, NULL};
	struct tu_result rb = tu_run_cli(bad, NULL);
	ck_assert_int_eq(rb.exit_code, 2);
	ck_assert_msg(strstr(rb.err, "expected auto, always or never"), "%s", rb.err);
	tu_result_free(&rb);
	const char *bf[] = {"verify", "--format", "xml", dir, NULL};
	rb = tu_run_cli(bf, NULL);
	ck_assert_msg(rb.exit_code == 2 && strstr(rb.err, "expected text, json, lsp or sarif"), "%s", rb.err);
	tu_result_free(&rb);
	const char *bj[] = {"verify", "-j", "0", dir, NULL};
	rb = tu_run_cli(bj, NULL);
	ck_assert_int_eq(rb.exit_code, 2);
	tu_result_free(&rb);
	tu_result_free(&r1);
	free(dir);
#endif
}
END_TEST

START_TEST(cli_stats_formats)
{
#if BPF_PROGRAMS_ENABLED
	char *path = tu_program_path("vf_pass_loop_const_bound");
	const char *a[] = {"verify", "-q", "--stats", path, NULL};
	struct tu_result r = tu_run_cli(a, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_str_eq(r.out, ""); /* -q prints nothing, statistics included */
	tu_result_free(&r);
	const char *t[] = {"verify", "--stats", path, NULL};
	r = tu_run_cli(t, NULL);
	ck_assert_msg(strstr(r.out, "program") && strstr(r.out, "iterations") && strstr(r.out, "peak_mem_kb"),
	              "%s", r.out);
	tu_result_free(&r);
	const char *c[] = {"verify", "--stats-format", "csv", "--format", "json", path, NULL};
	r = tu_run_cli(c, NULL);
	ck_assert_msg(
	    strstr(r.out,
	           "\nprogram,verdict,insns,blocks,loops,iterations,peak_states,time_ms,peak_mem_kb\n"),
	    "%s", r.out);
	tu_result_free(&r);
	const char *bad[] = {"verify", "--stats-format", "xml", path, NULL};
	r = tu_run_cli(bad, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	free(path);
#endif
}
END_TEST

/* On a terminal (a pty from script(1)): colours by default, none with NO_COLOR. */
START_TEST(cli_colour_on_a_terminal)
{
#if BPF_PROGRAMS_ENABLED
	if (access("/usr/bin/script", X_OK) != 0)
		return; /* util-linux's script is part of every Debian install (bsdutils) */
	char *path = tu_program_path("vf_bad_null_deref");
	char cmd[2 * PATH_MAX];
	for (int no_color = 0; no_color < 2; no_color++) {
		snprintf(cmd, sizeof(cmd), "%s script -qec '%s verify %s' /dev/null",
		         no_color ? "NO_COLOR=1" : "", BPFCHECK_CLI, path);
		FILE *f = popen(cmd, "r");
		ck_assert_ptr_nonnull(f);
		char buf[65536];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		pclose(f);
		ck_assert_msg(strstr(buf, "[VF-NULL-DEREF]") != NULL, "%s", buf);
		if (no_color)
			ck_assert_msg(strstr(buf, "\033[") == NULL, "NO_COLOR ignored: %s", buf);
		else
			ck_assert_msg(strstr(buf, "\033[1;31merror:") != NULL, "no colour on a terminal: %s",
			              buf);
	}
	free(path);
#endif
}
END_TEST

/* ---- compare ---- */

START_TEST(cli_compare)
{
#if BPF_PROGRAMS_ENABLED
	char *good = tu_program_path("vf_pass_xdp_parse_tcp");
	char *bad = tu_program_path("vf_bad_packet_oob");
	const char *ga[] = {"verify", "--format", "json", good, bad, NULL};
	struct tu_result a = tu_run_cli(ga, NULL);
	ck_assert_int_eq(a.exit_code, 1);
	/* "after": the same report with the passing program turned into a failing one */
	char *ja = tu_write_temp(a.out, strlen(a.out), ".json");
	char *bt = strdup(a.out);
	bt = replace_all(bt, "\"verdict\": \"pass\"", "\"verdict\": \"fail\"");
	char *jb = tu_write_temp(bt, strlen(bt), ".json");
	const char *c1[] = {"compare", ja, jb, NULL};
	struct tu_result r = tu_run_cli(c1, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "REGRESS") && strstr(r.out, "pass -> fail"), "%s%s",
	              r.out, r.err);
	ck_assert_msg(strstr(r.out, "verdict changes:") < strstr(r.out, "findings added:"), "%s", r.out);
	tu_result_free(&r);
	const char *c2[] = {"compare", jb, ja, NULL};
	r = tu_run_cli(c2, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "improve") && strstr(r.out, "0 regressions"), "%s",
	              r.out);
	tu_result_free(&r);
	const char *c3[] = {"compare", ja, ja, NULL};
	r = tu_run_cli(c3, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "findings added:\n  (none)"), "%s", r.out);
	tu_result_free(&r);
	/* a finding removed from B shows as removed */
	char *ct = replace_all(strdup(a.out), "\"VF-PACKET-BOUNDS\"", "\"VF-SOMETHING-ELSE\"");
	char *jc = tu_write_temp(ct, strlen(ct), ".json");
	const char *c4[] = {"compare", ja, jc, NULL};
	r = tu_run_cli(c4, NULL);
	ck_assert_msg(strstr(r.out, "  + ") && strstr(r.out, "[VF-SOMETHING-ELSE]") &&
	                  strstr(r.out, "  - ") && strstr(r.out, "[VF-PACKET-BOUNDS]"),
	              "%s", r.out);
	tu_result_free(&r);
	const char *c5[] = {"compare", ja, NULL};
	r = tu_run_cli(c5, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
	const char *c6[] = {"compare", ja, good, NULL};
	r = tu_run_cli(c6, NULL);
	ck_assert_msg(r.exit_code == 2 && strstr(r.err, "not JSON"), "%s", r.err);
	tu_result_free(&r);
	unlink(ja);
	unlink(jb);
	unlink(jc);
	free(ja);
	free(jb);
	free(jc);
	free(bt);
	free(ct);
	tu_result_free(&a);
	free(good);
	free(bad);
#endif
}
END_TEST

/* ---- runner ---- */

static void count_progress(void *arg, size_t done, size_t total)
{
	size_t *calls = arg;
	calls[0]++;
	ck_assert_uint_le(done, total);
	if (done == total)
		calls[1] = total;
}

START_TEST(runner_directory_and_errors)
{
	struct report_run_opts ro;
	report_run_opts_default(&ro);
	struct report *r;
	struct bpfc_error err;
	ck_assert_int_eq(report_verify_many(NULL, 0, &ro, &r, &err), BPFC_ERR_USAGE);
#if BPF_PROGRAMS_ENABLED
	const char *paths[] = {"tests/programs"};
	struct report *a = run(paths, 1, NULL, 1), *b = run(paths, 1, NULL, 3);
	struct report_render_opts o = {0};
	char *ja = render_mem(a, REPORT_JSON, &o), *jb = render_mem(b, REPORT_JSON, &o);
	ck_assert_str_eq(ja, jb);
	/* the directory's .o files in name order */
	const char *p1 = strstr(ja, "tests/programs/elf_core.o"),
	           *p2 = strstr(ja, "tests/programs/vf_bad_ctx_write.o");
	ck_assert_msg(p1 && p2 && p1 < p2, "order");
	struct report_summary s;
	report_summarize(a, &s);
	ck_assert_uint_ge(s.programs, 20);
	/* progress: called once per program, under the lock, ending at total */
	struct report_run_opts po;
	report_run_opts_default(&po);
	po.jobs = 3;
	size_t calls[2] = {0, 0};
	po.progress = count_progress;
	po.progress_arg = calls;
	struct report *c;
	ck_assert_int_eq(report_verify_many(paths, 1, &po, &c, &err), BPFC_OK);
	ck_assert_uint_eq(calls[0], s.programs);
	ck_assert_uint_eq(calls[1], s.programs);
	report_free(c);
	ck_assert_uint_ge(s.failed, 9);
	free(ja);
	free(jb);
	report_free(a);
	report_free(b);
#endif
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, golden_failing_c);
	tcase_add_test(tc, golden_passing_c);
	tcase_add_test(tc, golden_raw_without_line_info);
	tcase_add_test(tc, schemas_validate);
	tcase_add_test(tc, from_json_errors);
	tcase_add_test(tc, suppress_follow_on);
	tcase_add_test(tc, hint_from_catalogue_and_unknown_property);
	tcase_add_test(tc, text_width_80);
	tcase_add_test(tc, cli_stable_and_colour);
	tcase_add_test(tc, cli_stats_formats);
	tcase_add_test(tc, cli_colour_on_a_terminal);
	tcase_add_test(tc, cli_compare);
	tcase_add_test(tc, runner_directory_and_errors);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
