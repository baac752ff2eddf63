/* Per-program statistics as a table, CSV or JSON (veristat's columns, plus bpfcheck's own). */
#include <string.h>

#include "report_internal.h"

static const struct {
	const char *key;
	const char *head;
} cols[] = {
    {"insns", "insns"},
    {"blocks", "blocks"},
    {"loop_heads", "loops"},
    {"iterations", "iterations"},
    {"peak_states", "peak_states"},
    {"time_ns", "time_ms"},
    {"peak_mem_bytes", "peak_mem_kb"},
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static void label_of(const json_t *p, char *buf, size_t len)
{
	const char *sec = rj_str(p, "section", NULL);
	if (sec)
		snprintf(buf, len, "%s:%s/%s", rj_str(p, "input", "?"), sec, rj_str(p, "name", "?"));
	else
		snprintf(buf, len, "%s", rj_str(p, "input", "?"));
}

static void cell(const json_t *st, size_t c, char *buf, size_t len)
{
	long long v = rj_int(st, cols[c].key, 0);
	if (strcmp(cols[c].key, "time_ns") == 0)
		snprintf(buf, len, "%.3f", (double)v / 1e6);
	else if (strcmp(cols[c].key, "peak_mem_bytes") == 0)
		snprintf(buf, len, "%lld", (v + 1023) / 1024);
	else
		snprintf(buf, len, "%lld", v);
}

/* CSV fields with a comma, quote or newline are quoted (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static bool shown(const struct report_render_opts *o, size_t c)
{
	return strcmp(cols[c].key, "time_ns") != 0 || (o && o->timing);
}

int report_render_stats(const struct report *r, enum report_stats_format fmt,
                        const struct report_render_opts *opts, FILE *f)
{
	size_t i;
	json_t *p;
	char label[4096], buf[64];
	if (fmt == REPORT_STATS_JSON) {
		json_t *arr = json_array();
		json_array_foreach(r->programs, i, p)
		{
			json_t *o = json_object();
			json_object_set(o, "input", json_object_get(p, "input"));
			json_object_set(o, "section", json_object_get(p, "section"));
			json_object_set(o, "name", json_object_get(p, "name"));
			json_object_set(o, "verdict", json_object_get(p, "verdict"));
			json_t *st = json_deep_copy(json_object_get(p, "stats"));
			if (!opts || !opts->timing)
				json_object_del(st, "time_ns");
			json_object_set_new(o, "stats", st);
			json_array_append_new(arr, o);
		}
		int rc = report_dump_json(arr, f);
		json_decref(arr);
		return rc;
	}
	if (fmt == REPORT_STATS_CSV) {
		fputs("program,verdict", f);
		for (size_t c = 0; c < NCOLS; c++)
			if (shown(opts, c))
				fprintf(f, ",%s", cols[c].head);
		fputc('\n', f);
		json_array_foreach(r->programs, i, p)
		{
			label_of(p, label, sizeof(label));
			csv_field(f, label);
			fprintf(f, ",%s", rj_str(p, "verdict", "error"));
			for (size_t c = 0; c < NCOLS; c++) {
				if (!shown(opts, c))
					continue;
				cell(json_object_get(p, "stats"), c, buf, sizeof(buf));
				fprintf(f, ",%s", buf);
			}
			fputc('\n', f);
		}
		return ferror(f) ? BPFC_ERR_IO : BPFC_OK;
	}
	/* table: column widths from the widest cell */
	size_t w[NCOLS + 2];
	w[0] = strlen("program");
	w[1] = strlen("verdict");
	for (size_t c = 0; c < NCOLS; c++)
		w[c + 2] = strlen(cols[c].head);
	json_array_foreach(r->programs, i, p)
	{
		label_of(p, label, sizeof(label));
		if (strlen(label) > w[0])
			w[0] = strlen(label);
		for (size_t c = 0; c < NCOLS; c++) {
			cell(json_object_get(p, "stats"), c, buf, sizeof(buf));
			if (strlen(buf) > w[c + 2])
				w[c + 2] = strlen(buf);
		}
	}
	fprintf(f, "%-*s  %-*s", (int)w[0], "program", (int)w[1], "verdict");
	for (size_t c = 0; c < NCOLS; c++)
		if (shown(opts, c))
			fprintf(f, "  %*s", (int)w[c + 2], cols[c].head);
	fputc('\n', f);
	json_array_foreach(r->programs, i, p)
	{
		label_of(p, label, sizeof(label));
		fprintf(f, "%-*s  %-*s", (int)w[0], label, (int)w[1], rj_str(p, "verdict", "error"));
		for (size_t c = 0; c < NCOLS; c++) {
			if (!shown(opts, c))
				continue;
			cell(json_object_get(p, "stats"), c, buf, sizeof(buf));
			fprintf(f, "  %*s", (int)w[c + 2], buf);
		}
		fputc('\n', f);
	}
	return ferror(f) ? BPFC_ERR_IO : BPFC_OK;
}
