/* What changed between two JSON reports: verdict changes, findings added and removed, statistics
 * deltas. Programs match by input file name (not directory: two builds live in two directories),
 * section and name; findings by property, function and source line (or instruction text). */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void prog_key(const json_t *p, char *buf, size_t len)
{
	const char *sec = rj_str(p, "section", NULL);
	snprintf(buf, len, "%s%s%s/%s", base_name(rj_str(p, "input", "?")), sec ? ":" : "", sec ? sec : "",
	         rj_str(p, "name", "?"));
}

static void finding_key(const json_t *f, char *buf, size_t len)
{
	const json_t *loc = json_object_get(f, "location");
	if (json_is_object(loc))
		snprintf(buf, len, "%s|%s|%s|%s", rj_str(f, "property", ""), rj_str(f, "func", ""),
		         base_name(rj_str(loc, "file", "")), rj_str(loc, "text", ""));
	else
		snprintf(buf, len, "%s|%s|%s", rj_str(f, "property", ""), rj_str(f, "func", ""),
		         rj_str(f, "disasm", ""));
}

static const json_t *find_prog(const struct report *r, const char *key)
{
	size_t i;
	json_t *p;
	char k[4096];
	json_array_foreach(r->programs, i, p)
	{
		prog_key(p, k, sizeof(k));
		if (strcmp(k, key) == 0)
			return p;
	}
	return NULL;
}

static void finding_line(FILE *f, const char *sign, const char *label, const json_t *fi,
                         const struct report_render_opts *o)
{
	const json_t *loc = json_object_get(fi, "location");
	fprintf(f, "  %s %s: %s: %s [%s]", sign, label, rj_str(fi, "severity", "error"),
	        rj_str(fi, "message", ""), rj_str(fi, "property", "?"));
	if (json_is_object(loc))
		fprintf(f, " at %s:%lld", report_rel_path(o, rj_str(loc, "file", "?")),
		        rj_int(loc, "line", 0));
	else if (json_is_integer(json_object_get(fi, "insn")))
		fprintf(f, " at insn %lld", rj_int(fi, "insn", 0));
	fputc('\n', f);
}

/* Reported (not suppressed) findings of pa missing from pb, matched one to one. */
static size_t diff_findings(FILE *f, const char *sign, const char *label, const json_t *pa, const json_t *pb,
                            const struct report_render_opts *o, bool print)
{
	const json_t *fa = json_object_get(pa, "findings"), *fb = pb ? json_object_get(pb, "findings") : NULL;
	size_t nb = json_array_size(fb), count = 0;
	bool *used = calloc(nb + 1, sizeof(bool));
	if (!used)
		return 0;
	size_t i, j;
	json_t *x, *y;
	char ka[8192], kb[8192];
	json_array_foreach(fa, i, x)
	{
		if (json_object_get(x, "suppressed_by"))
			continue;
		finding_key(x, ka, sizeof(ka));
		bool found = false;
		json_array_foreach(fb, j, y)
		{
			if (used[j] || json_object_get(y, "suppressed_by"))
				continue;
			finding_key(y, kb, sizeof(kb));
			if (strcmp(ka, kb) == 0) {
				used[j] = found = true;
				break;
			}
		}
		if (!found) {
			count++;
			if (print)
				finding_line(f, sign, label, x, o);
		}
	}
	free(used);
	return count;
}

static const char *const stat_keys[] = {"insns", "iterations", "peak_states", "peak_mem_bytes", "time_ns"};

int report_compare(const struct report *a, const struct report *b, const struct report_render_opts *opts,
                   FILE *f, size_t *regressions, struct bpfc_error *err)
{
	(void)err;
	size_t i, regress = 0, changes = 0, added = 0, removed = 0;
	json_t *p;
	char key[4096];
	fprintf(f, "verdict changes:\n");
	json_array_foreach(b->programs, i, p)
	{
		prog_key(p, key, sizeof(key));
		const json_t *old = find_prog(a, key);
		const char *vb = rj_str(p, "verdict", "error");
		if (!old) {
			fprintf(f, "  new      %s: %s\n", key, vb);
			changes++;
			continue;
		}
		const char *va = rj_str(old, "verdict", "error");
		if (strcmp(va, vb) != 0) {
			bool reg = strcmp(va, "pass") == 0;
			fprintf(f, "  %s %s: %s -> %s\n", reg ? "REGRESS " : "improve ", key, va, vb);
			regress += reg;
			changes++;
		}
	}
	json_array_foreach(a->programs, i, p)
	{
		prog_key(p, key, sizeof(key));
		if (!find_prog(b, key)) {
			fprintf(f, "  gone     %s: was %s\n", key, rj_str(p, "verdict", "error"));
			changes++;
		}
	}
	if (!changes)
		fprintf(f, "  (none)\n");
	fprintf(f, "findings added:\n");
	json_array_foreach(b->programs, i, p)
	{
		prog_key(p, key, sizeof(key));
		added += diff_findings(f, "+", key, p, find_prog(a, key), opts, true);
	}
	if (!added)
		fprintf(f, "  (none)\n");
	fprintf(f, "findings removed:\n");
	json_array_foreach(a->programs, i, p)
	{
		prog_key(p, key, sizeof(key));
		removed += diff_findings(f, "-", key, p, find_prog(b, key), opts, true);
	}
	if (!removed)
		fprintf(f, "  (none)\n");
	fprintf(f, "statistics (before -> after):\n");
	size_t deltas = 0;
	json_array_foreach(b->programs, i, p)
	{
		prog_key(p, key, sizeof(key));
		const json_t *old = find_prog(a, key);
		if (!old)
			continue;
		const json_t *sa = json_object_get(old, "stats"), *sb = json_object_get(p, "stats");
		bool head = false;
		for (size_t k = 0; k < sizeof(stat_keys) / sizeof(stat_keys[0]); k++) {
			json_t *x = json_object_get(sa, stat_keys[k]), *y = json_object_get(sb, stat_keys[k]);
			if (!json_is_integer(x) || !json_is_integer(y) ||
			    json_integer_value(x) == json_integer_value(y))
				continue;
			if (!head)
				fprintf(f, "  %s:", key);
			long long vx = (long long)json_integer_value(x),
			          vy = (long long)json_integer_value(y);
			double pct = vx ? 100.0 * (double)(vy - vx) / (double)vx : 0;
			fprintf(f, "%s %s %lld -> %lld (%+.1f%%)", head ? "," : "", stat_keys[k], vx, vy,
			        pct);
			head = true;
		}
		if (head) {
			fputc('\n', f);
			deltas++;
		}
	}
	if (!deltas)
		fprintf(f, "  (no change)\n");
	fprintf(f,
	        "%zu regression%s (pass -> fail), %zu verdict change%s, %zu finding%s added, %zu removed\n",
	        regress, regress == 1 ? "" : "s", changes, changes == 1 ? "" : "s", added,
	        added == 1 ? "" : "s", removed);
	if (regressions)
		*regressions = regress;
	return ferror(f) ? BPFC_ERR_IO : BPFC_OK;
}
