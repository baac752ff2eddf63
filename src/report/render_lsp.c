/* Findings as Language Server Protocol diagnostics grouped by document (an array of
 * PublishDiagnosticsParams), so an editor plugin can hand them to its client unchanged. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_internal.h"

char *report_uri_encode(const char *s)
{
	size_t cap = 3 * strlen(s) + 1;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t n = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c))
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, cap - n, "%%%02X", c);
	}
	out[n] = 0;
	return out;
}

/* file:// URI of a path; relative paths are taken from the source root, else the working
 * directory. */
char *report_file_uri(const struct report_render_opts *o, const char *path)
{
	char base[4096] = "";
	if (path[0] != '/') {
		if (o && o->source_root && o->source_root[0] == '/')
			snprintf(base, sizeof(base), "%s", o->source_root);
		else if (!getcwd(base, sizeof(base)))
			base[0] = 0;
	}
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		base[--bl] = 0;
	if (path[0] == '.' && path[1] == '/')
		path += 2;
	size_t plen = bl + 1 + strlen(path) + 1;
	char *joined = malloc(plen);
	if (!joined)
		return NULL;
	snprintf(joined, plen, "%s%s%s", base, bl ? "/" : "", path);
	char *enc = report_uri_encode(joined);
	free(joined);
	if (!enc)
		return NULL;
	size_t ul = strlen(enc) + 8;
	char *uri = malloc(ul);
	if (uri)
		snprintf(uri, ul, "file://%s", enc);
	free(enc);
	return uri;
}

static json_t *pos(long long line, long long ch)
{
	json_t *p = json_object();
	json_object_set_new(p, "line", json_integer(line));
	json_object_set_new(p, "character", json_integer(ch));
	return p;
}

/* 0-based range of a location: from the column (or the line's first non-blank) to the line's end. */
static json_t *range_of(const json_t *loc)
{
	json_t *r = json_object();
	if (!json_is_object(loc)) {
		json_object_set_new(r, "start", pos(0, 0));
		json_object_set_new(r, "end", pos(0, 0));
		return r;
	}
	long long line = rj_int(loc, "line", 1) - 1;
	long long col = rj_int(loc, "column", 0);
	const char *text = rj_str(loc, "text", "");
	long long len = (long long)strcspn(text, "\n");
	long long start = col > 0 ? col - 1 : (long long)strspn(text, " \t");
	if (line < 0)
		line = 0;
	json_object_set_new(r, "start", pos(line, start));
	json_object_set_new(r, "end", pos(line, len > start ? len : start));
	return r;
}

static int lsp_severity(const char *sev)
{
	if (strcmp(sev, "error") == 0)
		return 1;
	if (strcmp(sev, "warning") == 0)
		return 2;
	return 3;
}

static json_t *doc_list(json_t *docs, const char *path)
{
	char *uri = report_file_uri(NULL, path);
	if (!uri)
		return NULL;
	json_t *d = json_object_get(docs, uri);
	if (!d) {
		d = json_array();
		json_object_set_new(docs, uri, d);
	}
	free(uri);
	return d;
}

int report_render_lsp(const struct report *r, const struct report_render_opts *opts, FILE *f)
{
	json_t *docs = json_object();
	size_t i, j, k;
	json_t *p, *fi, *x;
	json_array_foreach(r->programs, i, p)
	{
		/* URIs from the paths as recorded: absolute for source files, from the working
		 * directory for inputs (where the user named them) */
		const char *input = rj_str(p, "input", "?");
		json_array_foreach(json_object_get(p, "findings"), j, fi)
		{
			if (json_object_get(fi, "suppressed_by"))
				continue;
			const json_t *loc = json_object_get(fi, "location");
			const char *file = json_is_object(loc) ? rj_str(loc, "file", "?") : input;
			json_t *list = doc_list(docs, file);
			if (!list)
				continue;
			json_t *d = json_object();
			json_object_set_new(d, "range", range_of(loc));
			json_object_set_new(d, "severity",
			                    json_integer(lsp_severity(rj_str(fi, "severity", "error"))));
			json_object_set(d, "code", json_object_get(fi, "property"));
			json_object_set_new(d, "source", json_string("bpfcheck"));
			json_object_set(d, "message", json_object_get(fi, "message"));
			json_t *rel = json_array();
			json_array_foreach(json_object_get(fi, "related"), k, x)
			{
				const json_t *rl = json_object_get(x, "location");
				const char *rf = json_is_object(rl) ? rj_str(rl, "file", "?") : input;
				char *uri = report_file_uri(NULL, rf);
				if (!uri)
					continue;
				json_t *ri = json_object(), *l = json_object();
				json_object_set_new(l, "uri", json_string(uri));
				json_object_set_new(l, "range", range_of(rl));
				json_object_set_new(ri, "location", l);
				json_object_set_new(
				    ri, "message",
				    json_sprintf("%s (insn %lld: %s)", rj_str(x, "message", ""),
				                 rj_int(x, "insn", -1), rj_str(x, "disasm", "")));
				json_array_append_new(rel, ri);
				free(uri);
			}
			json_object_set_new(d, "relatedInformation", rel);
			/* what an editor shows on hover: the program, instruction, registers, hint */
			json_t *data = json_object();
			json_object_set_new(data, "input", json_string(report_rel_path(opts, input)));
			json_object_set(data, "section", json_object_get(p, "section"));
			json_object_set(data, "program", json_object_get(p, "name"));
			json_object_set(data, "insn", json_object_get(fi, "insn"));
			json_object_set(data, "disasm", json_object_get(fi, "disasm"));
			json_object_set(data, "registers", json_object_get(fi, "registers"));
			json_object_set(data, "path", json_object_get(fi, "path"));
			if (json_object_get(fi, "path_kind")) {
				json_object_set(data, "path_kind", json_object_get(fi, "path_kind"));
				json_object_set(data, "path_omitted", json_object_get(fi, "path_omitted"));
			}
			json_object_set(data, "hint", json_object_get(fi, "hint"));
			json_object_set_new(d, "data", data);
			json_array_append_new(list, d);
		}
	}
	/* documents in URI order: json_object_keys order is not stable across versions */
	size_t n = json_object_size(docs);
	const char **keys = calloc(n + 1, sizeof(char *));
	json_t *out = json_array();
	if (!keys || !out) {
		free(keys);
		json_decref(out);
		json_decref(docs);
		return BPFC_ERR_NOMEM;
	}
	const char *key;
	json_t *val;
	size_t m = 0;
	json_object_foreach(docs, key, val) keys[m++] = key;
	for (size_t a = 1; a < m; a++)
		for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
			const char *t = keys[b];
			keys[b] = keys[b - 1];
			keys[b - 1] = t;
		}
	for (size_t a = 0; a < m; a++) {
		json_t *e = json_object();
		json_object_set_new(e, "uri", json_string(keys[a]));
		json_object_set(e, "diagnostics", json_object_get(docs, keys[a]));
		json_array_append_new(out, e);
	}
	free(keys);
	int rc = report_dump_json(out, f);
	json_decref(out);
	json_decref(docs);
	return rc;
}
