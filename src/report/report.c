/* The report model: a JSON document in the schema of specs/report/report.schema.json, built from
 * loaded objects and verification results (everything copied), read back from a JSON file, and
 * written out. Every renderer reads this one model, so the formats cannot disagree. */
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/report.h"
#include "bpfcheck/validate.h"
#include "report_internal.h"

#ifndef BPFCHECK_VERSION
#define BPFCHECK_VERSION "0"
#endif

int report_new(const struct plat_platform *plat, struct report **out, struct bpfc_error *err)
{
	*out = NULL;
	struct report *r = calloc(1, sizeof(*r));
	if (!r)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory creating a report");
	r->plat = plat ? plat : plat_linux();
	r->root = json_object();
	json_t *tool = json_object();
	r->inputs = json_array();
	r->programs = json_array();
	r->properties = json_object();
	if (!r->root || !tool || !r->inputs || !r->programs || !r->properties) {
		json_decref(tool);
		report_free(r);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory creating a report");
	}
	json_object_set_new(tool, "name", json_string("bpfcheck"));
	json_object_set_new(tool, "version", json_string(BPFCHECK_VERSION));
	json_object_set_new(r->root, "schema_version", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(r->root, "tool", tool);
	json_object_set(r->root, "inputs", r->inputs);
	json_object_set(r->root, "programs", r->programs);
	json_object_set(r->root, "properties", r->properties);
	*out = r;
	return BPFC_OK;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	json_decref(r->inputs);
	json_decref(r->programs);
	json_decref(r->properties);
	json_decref(r->root);
	free(r);
}

const void *report_json(const struct report *r)
{
	return r->root;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

long report_add_input(struct report *r, const char *path, const struct bpfc_object *obj,
                      const char *load_error)
{
	json_t *in = json_object();
	if (!in)
		return -1;
	json_object_set_new(in, "path", json_string(path ? path : "?"));
	json_object_set_new(in, "programs", json_integer(obj ? (json_int_t)obj->prog_cnt : 0));
	json_object_set_new(in, "has_line_info", json_boolean(obj && obj->has_line_info));
	if (!obj || load_error)
		json_object_set_new(in, "error",
		                    json_string(load_error ? load_error : "could not be loaded"));
	if (json_array_append_new(r->inputs, in))
		return -1;
	return (long)json_array_size(r->inputs) - 1;
}

static json_t *location_json(const struct bpfc_prog *p, uint32_t insn)
{
	if (!p->lines || insn >= p->insn_cnt || !p->lines[insn].file)
		return json_null();
	const struct bpfc_line *ln = &p->lines[insn];
	json_t *loc = json_object();
	json_object_set_new(loc, "file", json_string(ln->file));
	json_object_set_new(loc, "line", json_integer(ln->line));
	json_object_set_new(loc, "column", json_integer(ln->col));
	json_object_set_new(loc, "text", str_or_null(ln->text));
	return loc;
}

static json_t *disasm_json(const struct isa_table *isa, const struct bpfc_prog *p, uint32_t insn)
{
	if (insn >= p->insn_cnt)
		return json_null();
	char text[256];
	isa_disasm_insn(isa ? isa : isa_table_default(), p->insns, p->insn_cnt, insn, ISA_DIALECT_LLVM, text,
	                sizeof(text));
	return json_string(text);
}

static json_t *insn_json(uint32_t insn)
{
	return insn == VF_NO_INSN ? json_null() : json_integer(insn);
}

static json_t *groups_json(const struct bpfc_prog *p, const struct isa_table *isa)
{
	json_t *arr = json_array();
	struct isa_validate_opts vo = {0};
	struct isa_validation v;
	vo.table = isa;
	vo.profile = ISA_PROFILE_LINUX;
	vo.max_findings = 1;
	if (isa_validate(p->insns, p->insn_cnt, &vo, &v, NULL) != BPFC_OK)
		return arr;
	char buf[1024];
	isa_groups_format(v.table ? v.table : isa_table_default(), v.groups_needed, buf, sizeof(buf));
	if (v.groups_needed) {
		char *save = NULL;
		for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
			json_array_append_new(arr, json_string(tok));
	}
	isa_validation_free(&v);
	return arr;
}

static json_t *stats_json(const struct vf_stats *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "insns", json_integer((json_int_t)s->insns));
	json_object_set_new(o, "slots", json_integer((json_int_t)s->slots));
	json_object_set_new(o, "blocks", json_integer((json_int_t)s->blocks));
	json_object_set_new(o, "edges", json_integer((json_int_t)s->edges));
	json_object_set_new(o, "call_edges", json_integer((json_int_t)s->call_edges));
	json_object_set_new(o, "loop_heads", json_integer((json_int_t)s->loop_heads));
	json_object_set_new(o, "max_loop_depth", json_integer(s->max_loop_depth));
	json_object_set_new(o, "funcs", json_integer(s->funcs));
	json_object_set_new(o, "max_call_depth", json_integer(s->max_call_depth));
	json_object_set_new(o, "iterations", json_integer((json_int_t)s->iterations));
	json_object_set_new(o, "peak_states", json_integer((json_int_t)s->peak_states));
	json_object_set_new(o, "peak_mem_bytes", json_integer((json_int_t)s->peak_mem_bytes));
	json_object_set_new(o, "time_ns", json_integer((json_int_t)s->time_ns));
	return o;
}

/* Records the catalogue entry of a property the first time a finding uses it. */
static void note_property(struct report *r, const char *id)
{
	if (json_object_get(r->properties, id))
		return;
	const struct plat_property *pp = r->plat ? plat_property_find(r->plat, id) : NULL;
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	if (pp) {
		json_object_set_new(o, "title", json_string(pp->title));
		json_object_set_new(o, "category", json_string(plat_category_name(pp->category)));
		json_object_set_new(o, "default_severity",
		                    json_string(plat_severity_name(pp->default_severity)));
		json_object_set_new(o, "explanation", json_string(pp->explanation));
		json_object_set_new(o, "hint", str_or_null(pp->hint));
	} else {
		json_object_set_new(o, "title", json_string(id));
		json_object_set_new(o, "category", json_null());
		json_object_set_new(o, "default_severity", json_string("error"));
		json_object_set_new(o, "explanation", json_string(""));
		json_object_set_new(o, "hint", json_null());
	}
	json_object_set_new(r->properties, id, o);
}

/* The follow-on rule (specs/report/README.md): a finding repeats an earlier reported one when both
 * have the same property and either the same instruction, or the same first related location
 * (the same origin of the value, e.g. the one map lookup whose result is dereferenced twice). */
static long follow_on_of(const struct vf_findings *list, size_t i, const long *suppressed_by)
{
	const struct vf_finding *b = &list->items[i];
	for (size_t j = 0; j < i; j++) {
		const struct vf_finding *a = &list->items[j];
		if (suppressed_by[j] >= 0 || strcmp(a->property, b->property) != 0)
			continue;
		if (a->insn == b->insn && a->insn != VF_NO_INSN)
			return (long)j;
		if (a->related_cnt && b->related_cnt && a->related[0].insn == b->related[0].insn)
			return (long)j;
	}
	return -1;
}

static json_t *finding_json(struct report *r, const struct bpfc_prog *p, const struct isa_table *isa,
                            const struct vf_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "property", json_string(f->property));
	json_object_set_new(o, "severity", json_string(vf_severity_name(f->severity)));
	json_object_set_new(o, "message", json_string(f->message ? f->message : ""));
	json_object_set_new(o, "insn", insn_json(f->insn));
	json_object_set_new(o, "func", str_or_null(f->func));
	json_object_set_new(o, "disasm", f->insn == VF_NO_INSN ? json_null() : disasm_json(isa, p, f->insn));
	json_object_set_new(o, "location", f->insn == VF_NO_INSN ? json_null() : location_json(p, f->insn));
	const struct plat_property *pp = r->plat ? plat_property_find(r->plat, f->property) : NULL;
	json_object_set_new(o, "hint", str_or_null(f->hint ? f->hint : pp ? pp->hint : NULL));
	json_t *regs = json_array();
	for (size_t i = 0; i < f->reg_cnt; i++) {
		json_t *reg = json_object();
		json_object_set_new(reg, "name", json_string(f->regs[i].name ? f->regs[i].name : "?"));
		json_object_set_new(reg, "state", json_string(f->regs[i].state ? f->regs[i].state : ""));
		json_array_append_new(regs, reg);
	}
	json_object_set_new(o, "registers", regs);
	json_t *rel = json_array();
	for (size_t i = 0; i < f->related_cnt; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "insn", insn_json(f->related[i].insn));
		json_object_set_new(x, "message",
		                    json_string(f->related[i].message ? f->related[i].message : ""));
		json_object_set_new(x, "disasm", disasm_json(isa, p, f->related[i].insn));
		json_object_set_new(x, "location", location_json(p, f->related[i].insn));
		json_array_append_new(rel, x);
	}
	json_object_set_new(o, "related", rel);
	json_t *path = json_array();
	for (size_t i = 0; i < f->path_cnt; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "insn", json_integer(f->path[i].insn));
		json_object_set_new(x, "taken", json_boolean(f->path[i].taken));
		json_object_set_new(x, "location", location_json(p, f->path[i].insn));
		json_array_append_new(path, x);
	}
	json_object_set_new(o, "path", path);
	static const char *const kinds[] = {"none", "merged", "witness"};
	json_object_set_new(o, "path_kind",
	                    json_string(f->path_kind <= VF_PATH_WITNESS ? kinds[f->path_kind] : "none"));
	json_object_set_new(o, "path_omitted", json_integer((json_int_t)f->path_omitted));
	note_property(r, f->property);
	return o;
}

int report_add_program(struct report *r, size_t input_idx, const struct bpfc_object *obj, size_t prog_idx,
                       const struct vf_result *res, const char *verify_error, const struct isa_table *isa,
                       struct bpfc_error *err)
{
	json_t *in = json_array_get(r->inputs, input_idx);
	if (!in || !obj || prog_idx >= obj->prog_cnt)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "report: no input %zu or program %zu", input_idx,
		                      prog_idx);
	const struct bpfc_prog *p = &obj->progs[prog_idx];
	json_t *o = json_object();
	if (!o)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	json_object_set(o, "input", json_object_get(in, "path"));
	json_object_set_new(o, "section", str_or_null(p->section));
	json_object_set_new(o, "name", json_string(p->name ? p->name : "?"));
	json_object_set_new(o, "type", str_or_null(p->type));
	json_object_set_new(o, "groups", groups_json(p, isa));
	json_t *findings = json_array();
	size_t suppressed = 0;
	const char *verdict = "error";
	if (res) {
		verdict = vf_result_accepted(res) ? "pass" : "fail";
		json_object_set_new(o, "stats", stats_json(&res->stats));
		long *by = calloc(res->findings.cnt + 1, sizeof(long));
		if (!by) {
			json_decref(o);
			json_decref(findings);
			return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
		}
		for (size_t i = 0; i < res->findings.cnt; i++) {
			by[i] = follow_on_of(&res->findings, i, by);
			json_t *fj = finding_json(r, p, isa, &res->findings.items[i]);
			if (by[i] >= 0) {
				json_object_set_new(fj, "suppressed_by", json_integer(by[i]));
				suppressed++;
			}
			json_array_append_new(findings, fj);
		}
		free(by);
	} else {
		struct vf_stats zero = {0};
		zero.slots = p->insn_cnt;
		json_object_set_new(o, "stats", stats_json(&zero));
		json_object_set_new(o, "error", json_string(verify_error ? verify_error : "not verified"));
	}
	json_object_set_new(o, "verdict", json_string(verdict));
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "suppressed", json_integer((json_int_t)suppressed));
	if (json_array_append_new(r->programs, o))
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	return BPFC_OK;
}

void report_summarize(const struct report *r, struct report_summary *s)
{
	memset(s, 0, sizeof(*s));
	size_t i, j;
	json_t *v, *f;
	json_array_foreach(r->inputs, i, v)
	{
		s->inputs++;
		if (json_object_get(v, "error"))
			s->input_errors++;
	}
	json_array_foreach(r->programs, i, v)
	{
		s->programs++;
		const char *verdict = rj_str(v, "verdict", "error");
		if (strcmp(verdict, "pass") == 0)
			s->passed++;
		else if (strcmp(verdict, "fail") == 0)
			s->failed++;
		else
			s->errors++;
		json_array_foreach(json_object_get(v, "findings"), j, f)
		{
			if (json_object_get(f, "suppressed_by")) {
				s->suppressed++;
				continue;
			}
			s->findings++;
			const char *sev = rj_str(f, "severity", "error");
			if (strcmp(sev, "error") == 0)
				s->errors_found++;
			else if (strcmp(sev, "warning") == 0)
				s->warnings++;
			else
				s->notes++;
		}
	}
}

const char *rj_str(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

long long rj_int(const json_t *o, const char *key, long long dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

const char *report_rel_path(const struct report_render_opts *opts, const char *path)
{
	if (!path || !opts || !opts->source_root || !*opts->source_root)
		return path;
	size_t n = strlen(opts->source_root);
	while (n > 1 && opts->source_root[n - 1] == '/')
		n--;
	if (strncmp(path, opts->source_root, n) == 0 && path[n] == '/')
		return path + n + 1;
	if (n == 1 && opts->source_root[0] == '.' && strncmp(path, "./", 2) == 0)
		return path + 2;
	return path;
}

/* Paths relative to the source root and times dropped unless asked: the copy that is written. */
static void rewrite_location(json_t *loc, const struct report_render_opts *opts)
{
	if (!json_is_object(loc))
		return;
	const char *file = rj_str(loc, "file", NULL);
	const char *rel = report_rel_path(opts, file);
	if (file && rel != file)
		json_object_set_new(loc, "file", json_string(rel));
}

json_t *report_output_copy(const struct report *r, const struct report_render_opts *opts)
{
	json_t *root = json_deep_copy(r->root);
	if (!root)
		return NULL;
	size_t i, j, k;
	json_t *v, *f, *x;
	json_array_foreach(json_object_get(root, "inputs"), i, v)
	{
		const char *path = rj_str(v, "path", NULL);
		const char *rel = report_rel_path(opts, path);
		if (path && rel != path)
			json_object_set_new(v, "path", json_string(rel));
	}
	json_array_foreach(json_object_get(root, "programs"), i, v)
	{
		const char *path = rj_str(v, "input", NULL);
		const char *rel = report_rel_path(opts, path);
		if (path && rel != path)
			json_object_set_new(v, "input", json_string(rel));
		if (!opts || !opts->timing)
			json_object_del(json_object_get(v, "stats"), "time_ns");
		json_array_foreach(json_object_get(v, "findings"), j, f)
		{
			rewrite_location(json_object_get(f, "location"), opts);
			json_array_foreach(json_object_get(f, "related"), k, x)
			    rewrite_location(json_object_get(x, "location"), opts);
			json_array_foreach(json_object_get(f, "path"), k, x)
			    rewrite_location(json_object_get(x, "location"), opts);
		}
	}
	struct report_summary s;
	report_summarize(r, &s);
	json_t *sum = json_object();
	json_object_set_new(sum, "inputs", json_integer((json_int_t)s.inputs));
	json_object_set_new(sum, "input_errors", json_integer((json_int_t)s.input_errors));
	json_object_set_new(sum, "programs", json_integer((json_int_t)s.programs));
	json_object_set_new(sum, "passed", json_integer((json_int_t)s.passed));
	json_object_set_new(sum, "failed", json_integer((json_int_t)s.failed));
	json_object_set_new(sum, "errors", json_integer((json_int_t)s.errors));
	json_object_set_new(sum, "findings", json_integer((json_int_t)s.findings));
	json_object_set_new(sum, "suppressed", json_integer((json_int_t)s.suppressed));
	json_object_set_new(root, "summary", sum);
	/* properties: an object keyed by id in memory, a sorted array in the file */
	json_t *props = json_array();
	const char *key;
	json_t *pv;
	void *tmp;
	json_object_foreach_safe(json_object_get(root, "properties"), tmp, key, pv)
	    json_array_append(props, pv);
	json_object_set_new(root, "properties", props);
	size_t n = json_array_size(props);
	for (size_t a = 1; a < n; a++) /* insertion sort by id: the catalogue used is small */
		for (size_t b = a; b > 0; b--) {
			json_t *p0 = json_array_get(props, b - 1), *p1 = json_array_get(props, b);
			if (strcmp(rj_str(p0, "id", ""), rj_str(p1, "id", "")) <= 0)
				break;
			json_incref(p0);
			json_array_set(props, b - 1, p1);
			json_array_set_new(props, b, p0);
		}
	return root;
}

char *report_to_json(const struct report *r, const struct report_render_opts *opts)
{
	json_t *root = report_output_copy(r, opts);
	if (!root)
		return NULL;
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(root);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return NULL;
	}
	t[n] = '\n';
	t[n + 1] = 0;
	return t;
}

int report_from_json(const char *text, size_t len, const char *origin, struct report **out,
                     struct bpfc_error *err)
{
	*out = NULL;
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "%s:%d:%d: not JSON: %s", origin, je.line,
		                      je.column, je.text);
	json_t *ver = json_object_get(root, "schema_version");
	json_t *progs = json_object_get(root, "programs");
	json_t *inputs = json_object_get(root, "inputs");
	json_t *props = json_object_get(root, "properties");
	if (!json_is_object(root) || !json_is_integer(ver) || !json_is_array(progs) ||
	    !json_is_array(inputs)) {
		json_decref(root);
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "%s: not a bpfcheck report (expected an object with schema_version, "
		                      "inputs and programs)",
		                      origin);
	}
	if (json_integer_value(ver) != REPORT_SCHEMA_VERSION) {
		long long v = (long long)json_integer_value(ver);
		json_decref(root);
		return bpfc_error_set(err, BPFC_ERR_INPUT, "%s: schema_version %lld, this bpfcheck reads %d",
		                      origin, v, REPORT_SCHEMA_VERSION);
	}
	size_t i;
	json_t *v;
	json_array_foreach(progs, i, v)
	{
		if (!json_is_object(v) || !json_is_string(json_object_get(v, "name")) ||
		    !json_is_string(json_object_get(v, "verdict")) ||
		    !json_is_array(json_object_get(v, "findings"))) {
			json_decref(root);
			return bpfc_error_set(err, BPFC_ERR_INPUT,
			                      "%s: programs[%zu]: expected name, verdict and findings",
			                      origin, i);
		}
	}
	struct report *r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(root);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	}
	r->plat = NULL;
	r->root = root;
	r->inputs = json_incref(inputs);
	r->programs = json_incref(progs);
	r->properties = json_object();
	json_array_foreach(props, i, v)
	{
		const char *id = rj_str(v, "id", NULL);
		if (id)
			json_object_set(r->properties, id, v);
	}
	json_object_del(root, "summary");
	json_object_set(root, "properties", r->properties);
	*out = r;
	return BPFC_OK;
}

const char *report_format_name(enum report_format fmt)
{
	switch (fmt) {
	case REPORT_TEXT: return "text";
	case REPORT_JSON: return "json";
	case REPORT_LSP: return "lsp";
	case REPORT_SARIF: return "sarif";
	}
	return "?";
}

int report_format_parse(const char *name)
{
	for (int f = REPORT_TEXT; f <= REPORT_SARIF; f++)
		if (strcmp(name, report_format_name((enum report_format)f)) == 0)
			return f;
	return -1;
}

int report_stats_format_parse(const char *name)
{
	if (strcmp(name, "table") == 0)
		return REPORT_STATS_TABLE;
	if (strcmp(name, "csv") == 0)
		return REPORT_STATS_CSV;
	if (strcmp(name, "json") == 0)
		return REPORT_STATS_JSON;
	return -1;
}

int report_render(const struct report *r, enum report_format fmt, const struct report_render_opts *opts,
                  FILE *f, struct bpfc_error *err)
{
	int rc;
	switch (fmt) {
	case REPORT_TEXT: rc = report_render_text(r, opts, f); break;
	case REPORT_LSP: rc = report_render_lsp(r, opts, f); break;
	case REPORT_SARIF: rc = report_render_sarif(r, opts, f); break;
	case REPORT_JSON:
	default: {
		char *s = report_to_json(r, opts);
		if (!s)
			return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory writing the JSON report");
		rc = fputs(s, f) < 0 ? BPFC_ERR_IO : BPFC_OK;
		free(s);
	}
	}
	if (rc == BPFC_OK && fflush(f) != 0)
		rc = BPFC_ERR_IO;
	if (rc != BPFC_OK)
		return bpfc_error_set(err, (enum bpfc_err)rc, "writing the %s report failed",
		                      report_format_name(fmt));
	return BPFC_OK;
}

int report_dump_json(json_t *v, FILE *f)
{
	if (json_dumpf(v, f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0 || fputc('\n', f) == EOF)
		return BPFC_ERR_IO;
	return BPFC_OK;
}
