/* SARIF 2.1.0 for code scanning (GitHub and others): rules from the property catalogue, results
 * with source regions relative to the source root, related locations, a code flow for the branch
 * path, and fingerprints that survive recompilation (no instruction indexes in them). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define SARIF_SCHEMA                                                                                         \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define SRCROOT "%SRCROOT%"

static json_t *text_msg(const char *s)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", json_string(s && *s ? s : "-"));
	return m;
}

/* "Possible NULL dereference" -> "PossibleNullDereference": SARIF wants rule names that read as
 * identifiers. */
static json_t *rule_name(const char *title)
{
	char buf[256];
	size_t n = 0;
	bool up = true;
	for (const char *p = title; *p && n + 1 < sizeof(buf); p++) {
		if (isalnum((unsigned char)*p)) {
			buf[n++] = up ? (char)toupper((unsigned char)*p) : (char)tolower((unsigned char)*p);
			up = false;
		} else {
			up = true;
		}
	}
	buf[n] = 0;
	return json_string(n ? buf : "Rule");
}

static const char *level_of(const char *sev)
{
	if (strcmp(sev, "error") == 0 || strcmp(sev, "warning") == 0)
		return sev;
	return "note";
}

/* artifactLocation: relative paths (under the source root) with uriBaseId, absolute ones as
 * file:// URIs. */
static json_t *artifact(const struct report_render_opts *o, const char *path)
{
	json_t *a = json_object();
	const char *rel = report_rel_path(o, path);
	if (rel[0] == '/') {
		char *uri = report_file_uri(o, rel);
		json_object_set_new(a, "uri", json_string(uri ? uri : rel));
		free(uri);
	} else {
		if (rel[0] == '.' && rel[1] == '/')
			rel += 2;
		char *uri = report_uri_encode(rel);
		json_object_set_new(a, "uri", json_string(uri ? uri : rel));
		free(uri);
		json_object_set_new(a, "uriBaseId", json_string(SRCROOT));
	}
	return a;
}

static json_t *physical(const struct report_render_opts *o, const json_t *loc, const char *input)
{
	json_t *pl = json_object();
	if (!json_is_object(loc)) {
		json_object_set_new(pl, "artifactLocation", artifact(o, input));
		return pl;
	}
	json_object_set_new(pl, "artifactLocation", artifact(o, rj_str(loc, "file", "?")));
	json_t *region = json_object();
	long long line = rj_int(loc, "line", 1), col = rj_int(loc, "column", 0);
	json_object_set_new(region, "startLine", json_integer(line > 0 ? line : 1));
	if (col > 0)
		json_object_set_new(region, "startColumn", json_integer(col));
	const char *text = rj_str(loc, "text", NULL);
	if (text)
		json_object_set_new(region, "snippet", text_msg(text));
	json_object_set_new(pl, "region", region);
	return pl;
}

/* FNV-1a 64 over the parts, each followed by a NUL so "ab"+"c" differs from "a"+"bc". */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= 0;
	h *= 0x100000001b3ULL;
	return h;
}

/* Source line with whitespace runs collapsed and ends trimmed: reformatting indentation keeps
 * the fingerprint. */
static void normalise(const char *s, char *out, size_t len)
{
	size_t n = 0;
	bool space = false;
	for (; s && *s && *s != '\n' && n + 2 < len; s++) {
		if (isspace((unsigned char)*s)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = *s;
	}
	out[n] = 0;
}

static json_t *fingerprint(const struct report_render_opts *o, const json_t *p, const json_t *f)
{
	const json_t *loc = json_object_get(f, "location");
	char norm[4096];
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv(h, rj_str(f, "property", ""));
	if (json_is_object(loc)) {
		h = fnv(h, report_rel_path(o, rj_str(loc, "file", "")));
		normalise(rj_str(loc, "text", ""), norm, sizeof(norm));
	} else {
		const char *in = rj_str(p, "input", "");
		const char *base = strrchr(in, '/');
		h = fnv(h, base ? base + 1 : in);
		normalise(rj_str(f, "disasm", ""), norm, sizeof(norm));
	}
	h = fnv(h, rj_str(p, "section", ""));
	h = fnv(h, rj_str(p, "name", ""));
	h = fnv(h, rj_str(f, "func", ""));
	h = fnv(h, norm);
	json_t *fp = json_object();
	json_object_set_new(fp, "bpfcheck/v1", json_sprintf("%016llx", (unsigned long long)h));
	return fp;
}

static json_t *rules_and_index(const struct report *r, json_t **index)
{
	json_t *copy = report_output_copy(r, NULL);
	json_t *props = json_incref(json_object_get(copy, "properties"));
	json_decref(copy);
	json_t *rules = json_array();
	*index = json_object();
	size_t i;
	json_t *pr;
	json_array_foreach(props, i, pr)
	{
		json_t *rule = json_object();
		const char *id = rj_str(pr, "id", "?");
		json_object_set_new(rule, "id", json_string(id));
		json_object_set_new(rule, "name", rule_name(rj_str(pr, "title", id)));
		json_object_set_new(rule, "shortDescription", text_msg(rj_str(pr, "title", id)));
		json_object_set_new(rule, "fullDescription",
		                    text_msg(rj_str(pr, "explanation", rj_str(pr, "title", id))));
		const char *hint = rj_str(pr, "hint", NULL);
		char help[8192];
		snprintf(help, sizeof(help), "%s%s%s", rj_str(pr, "explanation", ""), hint ? "\n\nFix: " : "",
		         hint ? hint : "");
		json_object_set_new(rule, "help", text_msg(help));
		json_t *cfg = json_object();
		json_object_set_new(cfg, "level",
		                    json_string(level_of(rj_str(pr, "default_severity", "error"))));
		json_object_set_new(rule, "defaultConfiguration", cfg);
		json_t *rp = json_object(), *tags = json_array();
		const char *cat = rj_str(pr, "category", NULL);
		json_array_append_new(tags, json_string("ebpf"));
		if (cat) {
			json_array_append_new(tags, json_string(cat));
			json_object_set_new(rp, "category", json_string(cat));
		}
		json_object_set_new(rp, "tags", tags);
		json_object_set_new(rule, "properties", rp);
		json_array_append_new(rules, rule);
		json_object_set_new(*index, id, json_integer((json_int_t)i));
	}
	json_decref(props);
	return rules;
}

int report_render_sarif(const struct report *r, const struct report_render_opts *opts, FILE *f)
{
	json_t *index;
	json_t *rules = rules_and_index(r, &index);
	json_t *results = json_array();
	size_t i, j, k;
	json_t *p, *fi, *x;
	json_array_foreach(r->programs, i, p)
	{
		const char *input = rj_str(p, "input", "?");
		char prog_name[1024];
		const char *sec = rj_str(p, "section", NULL);
		snprintf(prog_name, sizeof(prog_name), "%s%s%s", sec ? sec : "", sec ? "/" : "",
		         rj_str(p, "name", "?"));
		json_array_foreach(json_object_get(p, "findings"), j, fi)
		{
			if (json_object_get(fi, "suppressed_by"))
				continue;
			const char *prop = rj_str(fi, "property", "?");
			const json_t *loc = json_object_get(fi, "location");
			json_t *res = json_object();
			json_object_set_new(res, "ruleId", json_string(prop));
			json_object_set(res, "ruleIndex", json_object_get(index, prop));
			json_object_set_new(res, "level",
			                    json_string(level_of(rj_str(fi, "severity", "error"))));
			char msg[8192];
			long long insn = rj_int(fi, "insn", -1);
			if (insn >= 0)
				snprintf(msg, sizeof(msg), "%s (%s, insn %lld: %s)",
				         rj_str(fi, "message", ""), prog_name, insn,
				         rj_str(fi, "disasm", ""));
			else
				snprintf(msg, sizeof(msg), "%s (%s)", rj_str(fi, "message", ""), prog_name);
			json_object_set_new(res, "message", text_msg(msg));
			json_t *l = json_object();
			json_object_set_new(l, "physicalLocation", physical(opts, loc, input));
			json_t *logical = json_array(), *ll = json_object();
			const char *func = rj_str(fi, "func", NULL);
			json_object_set_new(ll, "name", json_string(func ? func : rj_str(p, "name", "?")));
			json_object_set_new(ll, "fullyQualifiedName",
			                    json_sprintf("%s/%s", prog_name, func ? func : ""));
			json_object_set_new(ll, "kind", json_string("function"));
			json_array_append_new(logical, ll);
			json_object_set_new(l, "logicalLocations", logical);
			json_t *locs = json_array();
			json_array_append_new(locs, l);
			json_object_set_new(res, "locations", locs);
			json_t *rel = json_array();
			json_array_foreach(json_object_get(fi, "related"), k, x)
			{
				json_t *rl = json_object();
				json_object_set_new(rl, "id", json_integer((json_int_t)k + 1));
				json_object_set_new(rl, "physicalLocation",
				                    physical(opts, json_object_get(x, "location"), input));
				char m[4096];
				snprintf(m, sizeof(m), "%s (insn %lld: %s)", rj_str(x, "message", ""),
				         rj_int(x, "insn", -1), rj_str(x, "disasm", ""));
				json_object_set_new(rl, "message", text_msg(m));
				json_array_append_new(rel, rl);
			}
			if (json_array_size(rel))
				json_object_set_new(res, "relatedLocations", rel);
			else
				json_decref(rel);
			const json_t *path = json_object_get(fi, "path");
			if (json_array_size(path)) {
				json_t *tfl = json_array();
				json_array_foreach(path, k, x)
				{
					json_t *step = json_object(), *sl = json_object();
					json_object_set_new(
					    sl, "physicalLocation",
					    physical(opts, json_object_get(x, "location"), input));
					char m[128];
					snprintf(m, sizeof(m), "insn %lld: branch %s", rj_int(x, "insn", -1),
					         json_is_true(json_object_get(x, "taken")) ? "taken"
					                                                   : "not taken");
					json_object_set_new(sl, "message", text_msg(m));
					json_object_set_new(step, "location", sl);
					json_array_append_new(tfl, step);
				}
				json_t *last = json_object(), *ll2 = json_object();
				json_object_set_new(ll2, "physicalLocation", physical(opts, loc, input));
				json_object_set_new(ll2, "message", text_msg(rj_str(fi, "message", "")));
				json_object_set_new(last, "location", ll2);
				json_object_set_new(last, "importance", json_string("essential"));
				json_array_append_new(tfl, last);
				json_t *tf = json_object(), *tfs = json_array(), *cf = json_object(),
				       *cfs = json_array();
				json_object_set_new(tf, "locations", tfl);
				json_array_append_new(tfs, tf);
				json_object_set_new(cf, "threadFlows", tfs);
				/* whether the fault happens on this path (specs/report/README.md) */
				const char *kind = rj_str(fi, "path_kind", "merged");
				long long omitted = rj_int(fi, "path_omitted", 0);
				char cm[200];
				if (strcmp(kind, "witness") == 0 && omitted > 0)
					snprintf(cm, sizeof(cm),
					         "witness: a path on which the check fails (its first %lld "
					         "branch decisions omitted)",
					         omitted);
				else if (strcmp(kind, "witness") == 0)
					snprintf(cm, sizeof(cm), "witness: a path on which the check fails");
				else
					snprintf(
					    cm, sizeof(cm),
					    "one path to the merged state: the check may not fail on it");
				json_object_set_new(cf, "message", text_msg(cm));
				json_array_append_new(cfs, cf);
				json_object_set_new(res, "codeFlows", cfs);
			}
			json_object_set_new(res, "partialFingerprints", fingerprint(opts, p, fi));
			json_t *props = json_object();
			json_object_set_new(props, "input", json_string(report_rel_path(opts, input)));
			json_object_set_new(props, "program", json_string(prog_name));
			json_object_set(props, "insn", json_object_get(fi, "insn"));
			json_object_set(props, "registers", json_object_get(fi, "registers"));
			json_object_set(props, "hint", json_object_get(fi, "hint"));
			json_object_set_new(res, "properties", props);
			json_array_append_new(results, res);
		}
	}
	json_t *driver = json_object();
	json_t *tool_in = json_object_get(r->root, "tool");
	json_object_set_new(driver, "name", json_string("bpfcheck"));
	json_object_set_new(driver, "version", json_string(rj_str(tool_in, "version", "0")));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object(), *run = json_object(), *runs = json_array(), *doc = json_object();
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);
	if (opts && opts->source_root && opts->source_root[0] == '/') {
		char *uri = report_file_uri(opts, opts->source_root);
		json_t *bases = json_object(), *b = json_object();
		char *slash = uri ? malloc(strlen(uri) + 2) : NULL;
		if (slash) {
			size_t ul = strlen(uri);
			memcpy(slash, uri, ul + 1);
			if (ul && slash[ul - 1] != '/')
				strcat(slash, "/");
			json_object_set_new(b, "uri", json_string(slash));
			json_object_set_new(bases, SRCROOT, b);
			json_object_set_new(run, "originalUriBaseIds", bases);
		} else {
			json_decref(b);
			json_decref(bases);
		}
		free(slash);
		free(uri);
	}
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", results);
	json_array_append_new(runs, run);
	json_object_set_new(doc, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(doc, "runs", runs);
	int rc = report_dump_json(doc, f);
	json_decref(doc);
	json_decref(index);
	return rc;
}
