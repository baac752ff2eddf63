/* Compiler-style text: "file:line:col: error: message [PROPERTY]" headers that editors and CI
 * problem matchers parse, the source line with a caret, the instruction, register states, notes,
 * the branch path and a hint; a PASS/FAIL line per program and a summary per run. */
#include <string.h>

#include "report_internal.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_DIM "\033[2m"

struct tctx {
	FILE *f;
	const struct report_render_opts *o;
	bool color;
	unsigned width;
};

static const char *col(const struct tctx *t, const char *c)
{
	return t->color ? c : "";
}

static const char *sev_color(const char *sev)
{
	if (strcmp(sev, "error") == 0)
		return C_RED;
	if (strcmp(sev, "warning") == 0)
		return C_MAGENTA;
	return C_CYAN;
}

/* Writes prefix then text, word-wrapped at the width with continuation lines indented by hang
 * columns. A word longer than a line is written whole: breaking inside a word would make a
 * register state unreadable. */
static void wrapped(const struct tctx *t, const char *prefix, size_t prefix_cols, const char *text,
                    size_t hang)
{
	fputs(prefix, t->f);
	if (!t->width || prefix_cols + strlen(text) <= t->width) {
		fputs(text, t->f);
		fputc('\n', t->f);
		return;
	}
	size_t colno = prefix_cols;
	const char *p = text;
	bool first = true;
	while (*p) {
		const char *sp = p;
		while (*sp == ' ')
			sp++;
		const char *we = sp;
		while (*we && *we != ' ')
			we++;
		size_t wl = (size_t)(we - sp);
		if (!first && colno + 1 + wl > t->width) {
			fprintf(t->f, "\n%*s", (int)hang, "");
			colno = hang;
		} else if (!first) {
			fputc(' ', t->f);
			colno++;
		}
		fwrite(sp, 1, wl, t->f);
		colno += wl;
		first = false;
		p = we;
		while (*p == ' ' && p[1] == ' ')
			p++;
		if (*p == ' ' && !p[1])
			break;
	}
	fputc('\n', t->f);
}

/* The source line with tabs expanded to 8-column stops (as compilers show them), and the display
 * column of the 1-based character column. */
static size_t expand_tabs(const char *src, char *out, size_t outlen, uint32_t colno, size_t *caret)
{
	size_t n = 0;
	*caret = 0;
	for (size_t i = 0; src[i] && src[i] != '\n' && n + 9 < outlen; i++) {
		if (i + 1 == colno)
			*caret = n;
		if (src[i] == '\t') {
			do
				out[n++] = ' ';
			while (n % 8);
		} else {
			out[n++] = src[i];
		}
	}
	if (colno > 0 && *caret == 0 && colno > 1)
		*caret = n;
	out[n] = 0;
	return n;
}

static void source_excerpt(const struct tctx *t, const json_t *loc)
{
	const char *text = rj_str(loc, "text", NULL);
	if (!text)
		return;
	long long line = rj_int(loc, "line", 0);
	long long column = rj_int(loc, "column", 0);
	char buf[4096];
	size_t caret;
	size_t n = expand_tabs(text, buf, sizeof(buf), (uint32_t)column, &caret);
	char gutter[32];
	int gw = snprintf(gutter, sizeof(gutter), " %5lld | ", line);
	/* a long line is shown as a window that keeps the caret in view */
	size_t start = 0, avail = t->width > (unsigned)gw + 8 ? t->width - (unsigned)gw : 0;
	bool cut_left = false, cut_right = false;
	if (avail && n > avail) {
		if (column > 0 && caret + 8 > avail) /* caret in the middle: context on both sides */
			start = caret > avail / 2 ? caret - avail / 2 : 0;
		if (start) {
			cut_left = true;
			avail -= 3;
		}
		if (n - start > avail) {
			cut_right = true;
			n = start + avail - 3;
		}
	}
	fprintf(t->f, "%s%s%s%.*s%s\n", gutter, cut_left ? "..." : "", "", (int)(n - start), buf + start,
	        cut_right ? "..." : "");
	if (column > 0 && caret >= start)
		fprintf(t->f, "%*s| %*s%s^%s\n", gw - 2, "", (int)(caret - start + (cut_left ? 3 : 0)), "",
		        col(t, C_GREEN), col(t, C_RESET));
}

static void prog_label(const json_t *p, const struct report_render_opts *o, char *buf, size_t len)
{
	const char *in = report_rel_path(o, rj_str(p, "input", "?"));
	const char *sec = rj_str(p, "section", NULL);
	if (sec)
		snprintf(buf, len, "%s:%s/%s", in, sec, rj_str(p, "name", "?"));
	else
		snprintf(buf, len, "%s", in);
}

static void loc_short(const struct tctx *t, const json_t *loc, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%lld", report_rel_path(t->o, rj_str(loc, "file", "?")),
	         rj_int(loc, "line", 0));
}

static void print_finding(const struct tctx *t, const json_t *p, const json_t *f, bool suppressed)
{
	char label[4096], where[4200], line[8192];
	prog_label(p, t->o, label, sizeof(label));
	const json_t *loc = json_object_get(f, "location");
	long long insn = rj_int(f, "insn", -1);
	if (json_is_object(loc)) {
		long long c = rj_int(loc, "column", 0);
		if (c > 0)
			snprintf(where, sizeof(where), "%s:%lld:%lld",
			         report_rel_path(t->o, rj_str(loc, "file", "?")), rj_int(loc, "line", 0), c);
		else
			snprintf(where, sizeof(where), "%s:%lld",
			         report_rel_path(t->o, rj_str(loc, "file", "?")), rj_int(loc, "line", 0));
	} else if (insn >= 0) {
		snprintf(where, sizeof(where), "%s:insn %lld", label, insn);
	} else {
		snprintf(where, sizeof(where), "%s", label);
	}
	const char *sev = rj_str(f, "severity", "error");
	fprintf(t->f, "%s%s:%s %s%s:%s %s%s [%s]%s\n", col(t, C_BOLD), where, col(t, C_RESET),
	        col(t, sev_color(sev)), sev, col(t, C_RESET), col(t, C_BOLD), rj_str(f, "message", ""),
	        rj_str(f, "property", "?"), col(t, C_RESET));
	if (suppressed)
		fprintf(t->f, "  (follow-on of finding %lld of this program: suppressed)\n",
		        rj_int(f, "suppressed_by", 0) + 1);
	if (json_is_object(loc))
		source_excerpt(t, loc);
	const char *dis = rj_str(f, "disasm", NULL);
	if (dis && insn >= 0) {
		const char *func = rj_str(f, "func", NULL);
		if (func && strcmp(func, rj_str(p, "name", "")) != 0)
			snprintf(line, sizeof(line), "insn %lld in %s(): %s", insn, func, dis);
		else
			snprintf(line, sizeof(line), "insn %lld: %s", insn, dis);
		wrapped(t, "  ", 2, line, 6);
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(f, "registers"), i, x)
	{
		snprintf(line, sizeof(line), "%s: %s", rj_str(x, "name", "?"), rj_str(x, "state", ""));
		wrapped(t, "  ", 2, line, 6);
	}
	json_array_foreach(json_object_get(f, "related"), i, x)
	{
		const json_t *rl = json_object_get(x, "location");
		long long ri = rj_int(x, "insn", -1);
		char prefix[64];
		int pn = snprintf(prefix, sizeof(prefix), "  %snote:%s ", col(t, C_CYAN), col(t, C_RESET));
		(void)pn;
		if (json_is_object(rl)) {
			char ls[4200];
			loc_short(t, rl, ls, sizeof(ls));
			snprintf(line, sizeof(line), "%s: %s (insn %lld: %s)", ls, rj_str(x, "message", ""),
			         ri, rj_str(x, "disasm", ""));
		} else if (ri >= 0) {
			snprintf(line, sizeof(line), "insn %lld: %s (%s)", ri, rj_str(x, "message", ""),
			         rj_str(x, "disasm", ""));
		} else {
			snprintf(line, sizeof(line), "%s", rj_str(x, "message", ""));
		}
		wrapped(t, prefix, 8, line, 8);
	}
	const json_t *path = json_object_get(f, "path");
	if (json_array_size(path)) {
		size_t n = 0;
		line[0] = 0;
		size_t cnt = json_array_size(path), shown = 0;
		json_array_foreach(path, i, x)
		{
			/* a run of the same decision (a loop going round) is shown once, "xN" */
			size_t run = 1;
			long long insn = rj_int(x, "insn", 0);
			bool taken = json_is_true(json_object_get(x, "taken"));
			while (i + run < cnt) {
				const json_t *y = json_array_get(path, i + run);
				if (rj_int(y, "insn", 0) != insn ||
				    json_is_true(json_object_get(y, "taken")) != taken)
					break;
				run++;
			}
			char step[4300], ls[4200] = "", times[32] = "";
			if (run > 1)
				snprintf(times, sizeof(times), " x%zu", run);
			const json_t *pl = json_object_get(x, "location");
			if (json_is_object(pl)) {
				loc_short(t, pl, ls, sizeof(ls));
				snprintf(step, sizeof(step), "%s%lld:%s (%s)%s", shown ? ", " : "", insn,
				         taken ? "taken" : "not-taken", ls, times);
			} else {
				snprintf(step, sizeof(step), "%s%lld:%s%s", shown ? ", " : "", insn,
				         taken ? "taken" : "not-taken", times);
			}
			shown++;
			i += run - 1;
			size_t sl = strlen(step);
			if (n + sl + 1 < sizeof(line)) {
				memcpy(line + n, step, sl + 1);
				n += sl;
			}
		}
		/* a witness is a path on which the check fails; otherwise the path only led to the
		 * state the analysis joined there (specs/verifier.md, "Finding paths") */
		const char *kind = rj_str(f, "path_kind", "merged");
		long long omitted = rj_int(f, "path_omitted", 0);
		char prefix[160];
		if (strcmp(kind, "witness") == 0 && omitted > 0)
			snprintf(prefix, sizeof(prefix),
			         "  path (witness, %lld earlier decisions omitted): ", omitted);
		else if (strcmp(kind, "witness") == 0)
			snprintf(prefix, sizeof(prefix), "  path (witness): ");
		else
			snprintf(prefix, sizeof(prefix), "  path (one path to the merged state): ");
		wrapped(t, prefix, strlen(prefix), line, 8);
	}
	const char *hint = rj_str(f, "hint", NULL);
	if (hint) {
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "  %shint:%s ", col(t, C_GREEN), col(t, C_RESET));
		wrapped(t, prefix, 8, hint, 8);
	}
}

static void fmt_time(char *buf, size_t len, long long ns)
{
	if (ns < 1000000)
		snprintf(buf, len, "%.3f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
}

static void print_program(const struct tctx *t, const json_t *p)
{
	char label[4096], detail[256];
	prog_label(p, t->o, label, sizeof(label));
	const char *verdict = rj_str(p, "verdict", "error");
	const json_t *st = json_object_get(p, "stats");
	long long insns = rj_int(st, "insns", 0);
	if (!insns)
		insns = rj_int(st, "slots", 0);
	size_t errs = 0, warns = 0, i;
	json_t *f;
	json_array_foreach(json_object_get(p, "findings"), i, f)
	{
		if (json_object_get(f, "suppressed_by"))
			continue;
		if (strcmp(rj_str(f, "severity", ""), "error") == 0)
			errs++;
		else if (strcmp(rj_str(f, "severity", ""), "warning") == 0)
			warns++;
	}
	int n = snprintf(detail, sizeof(detail), "%lld insns", insns);
	if (errs)
		n += snprintf(detail + n, sizeof(detail) - (size_t)n, ", %zu error%s", errs,
		              errs == 1 ? "" : "s");
	if (warns)
		n += snprintf(detail + n, sizeof(detail) - (size_t)n, ", %zu warning%s", warns,
		              warns == 1 ? "" : "s");
	if (t->o && t->o->timing && json_object_get(st, "time_ns")) {
		char tm[64];
		fmt_time(tm, sizeof(tm), rj_int(st, "time_ns", 0));
		snprintf(detail + n, sizeof(detail) - (size_t)n, ", %s", tm);
	}
	if (strcmp(verdict, "pass") == 0)
		fprintf(t->f, "%sPASS%s %s (%s)\n", col(t, C_GREEN), col(t, C_RESET), label, detail);
	else if (strcmp(verdict, "fail") == 0)
		fprintf(t->f, "%sFAIL%s %s (%s)\n", col(t, C_RED), col(t, C_RESET), label, detail);
	else
		fprintf(t->f, "%sERROR%s %s: %s\n", col(t, C_RED), col(t, C_RESET), label,
		        rj_str(p, "error", "not verified"));
	bool show = t->o && t->o->show_suppressed;
	json_array_foreach(json_object_get(p, "findings"), i, f)
	{
		bool sup = json_object_get(f, "suppressed_by") != NULL;
		if (!sup || show)
			print_finding(t, p, f, sup);
	}
	long long sup = rj_int(p, "suppressed", 0);
	if (sup && !show)
		fprintf(t->f, "  (%lld follow-on finding%s of the same root cause suppressed)\n", sup,
		        sup == 1 ? "" : "s");
}

/* After many programs the PASS/FAIL lines have scrolled away: the ones not accepted again, with
 * the property ids of their errors, as the run's closing table. */
static void not_accepted_table(const struct tctx *t, const struct report *r)
{
	size_t i, j;
	json_t *p, *f;
	fprintf(t->f, "not accepted:\n");
	json_array_foreach(r->programs, i, p)
	{
		const char *verdict = rj_str(p, "verdict", "error");
		if (strcmp(verdict, "pass") == 0)
			continue;
		char line[8192], prefix[64];
		prog_label(p, t->o, line, sizeof(line));
		size_t n = strlen(line);
		const char *sep = ": ";
		json_array_foreach(json_object_get(p, "findings"), j, f)
		{
			if (json_object_get(f, "suppressed_by") ||
			    strcmp(rj_str(f, "severity", ""), "error") != 0)
				continue;
			n += (size_t)snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, "%s%s", sep,
			                      rj_str(f, "property", "?"));
			if (n >= sizeof(line))
				break;
			sep = ", ";
		}
		snprintf(prefix, sizeof(prefix), "  %s%-5s%s ", col(t, C_RED),
		         strcmp(verdict, "fail") == 0 ? "FAIL" : "ERROR", col(t, C_RESET));
		wrapped(t, prefix, 8, line, 8);
	}
}

int report_render_text(const struct report *r, const struct report_render_opts *opts, FILE *f)
{
	struct report_render_opts dflt = {0};
	struct tctx t = {f, opts ? opts : &dflt, opts && opts->color, opts ? opts->width : 0};
	size_t i, pi = 0, np = json_array_size(r->programs);
	json_t *in;
	json_array_foreach(r->inputs, i, in)
	{
		const char *path = rj_str(in, "path", "?");
		if (json_object_get(in, "error")) {
			const char *msg = rj_str(in, "error", "");
			const char *shown = report_rel_path(t.o, path);
			if (strncmp(msg, path, strlen(path)) == 0) /* loader messages name the file already */
				fprintf(f, "%sERROR%s %s%s\n", col(&t, C_RED), col(&t, C_RESET), shown,
				        msg + strlen(path));
			else
				fprintf(f, "%sERROR%s %s: %s\n", col(&t, C_RED), col(&t, C_RESET), shown,
				        msg);
			continue;
		}
		while (pi < np && strcmp(rj_str(json_array_get(r->programs, pi), "input", ""), path) == 0)
			print_program(&t, json_array_get(r->programs, pi++));
	}
	while (pi < np) /* programs whose input was not recorded (a report assembled by hand) */
		print_program(&t, json_array_get(r->programs, pi++));
	struct report_summary s;
	report_summarize(r, &s);
	if (s.programs > 1 && s.failed + s.errors > 0)
		not_accepted_table(&t, r);
	fprintf(f, "%zu program%s: %zu passed, %zu failed", s.programs, s.programs == 1 ? "" : "s", s.passed,
	        s.failed);
	if (s.errors)
		fprintf(f, ", %zu not verified", s.errors);
	fprintf(f, "; %zu finding%s (%zu error%s, %zu warning%s", s.findings, s.findings == 1 ? "" : "s",
	        s.errors_found, s.errors_found == 1 ? "" : "s", s.warnings, s.warnings == 1 ? "" : "s");
	if (s.notes)
		fprintf(f, ", %zu note%s", s.notes, s.notes == 1 ? "" : "s");
	fprintf(f, ")");
	if (s.suppressed)
		fprintf(f, ", %zu follow-on suppressed", s.suppressed);
	if (s.input_errors)
		fprintf(f, "; %zu input%s could not be read", s.input_errors, s.input_errors == 1 ? "" : "s");
	fprintf(f, "\n");
	return ferror(f) ? BPFC_ERR_IO : BPFC_OK;
}
