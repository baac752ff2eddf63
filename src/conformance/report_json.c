/* The conformance report as JSON (Jansson), in the shape specs/conformance/result.schema.json
 * describes; 64-bit values are hex strings so no JSON reader loses precision. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "bpfcheck/conformance.h"

static json_t *hex64(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

static json_t *group_names(const struct isa_table *t, isa_group_mask m)
{
	json_t *a = json_array();
	for (size_t g = 0; a && g < t->group_count && g < ISA_MAX_GROUPS; g++)
		if (m & (1u << g))
			json_array_append_new(a, json_string(t->groups[g].name));
	return a;
}

char *bpfc_conf_report_json(const struct bpfc_conf_report *r, const char *suite,
                            const struct bpfc_conf_opts *o)
{
	const struct isa_table *t = r->isa ? r->isa : isa_table_default();
	isa_group_mask selected = o && o->groups ? o->groups : (isa_group_mask)((1ull << t->group_count) - 1);
	json_t *root = json_object();
	json_t *tests = json_array();
	json_t *groups = json_array();
	if (!root || !tests || !groups) {
		json_decref(root);
		json_decref(tests);
		json_decref(groups);
		return NULL;
	}
	json_object_set_new(root, "format", json_string("bpfcheck-conformance"));
	json_object_set_new(root, "format_version", json_integer(1));
	json_object_set_new(root, "suite", json_string(suite ? suite : ""));
	json_object_set_new(root, "runtime", json_string(o && o->runtime ? o->runtime : "builtin"));
	json_object_set_new(root, "cpu", json_integer(o && o->cpu ? o->cpu : 4));
	json_object_set_new(root, "groups_selected", group_names(t, selected));
	for (size_t i = 0; i < r->count; i++) {
		const struct bpfc_conf_case *c = &r->cases[i];
		json_t *j = json_object();
		if (!j)
			continue;
		json_object_set_new(j, "name", json_string(c->name ? c->name : ""));
		json_object_set_new(j, "file", json_string(c->path ? c->path : ""));
		json_object_set_new(j, "status", json_string(bpfc_conf_status_name(c->status)));
		json_object_set_new(j, "expect_error", json_boolean(c->expect_error));
		json_object_set_new(j, "expected", c->expect_error ? json_null() : hex64(c->expected));
		json_object_set_new(j, "got", c->got_value ? hex64(c->got) : json_null());
		json_object_set_new(j, "detail", c->detail ? json_string(c->detail) : json_null());
		json_object_set_new(j, "groups", group_names(t, c->needs));
		json_object_set_new(j, "cpu", json_integer(c->cpu));
		json_object_set_new(j, "instructions", json_integer((json_int_t)c->insn_count));
		json_object_set_new(j, "seconds", json_real(c->seconds));
		json_array_append_new(tests, j);
	}
	json_object_set_new(root, "tests", tests);
	for (size_t g = 0; g < t->group_count && g < ISA_MAX_GROUPS; g++) {
		if (!r->group_total[g])
			continue;
		json_t *j = json_object();
		if (!j)
			continue;
		json_object_set_new(j, "name", json_string(t->groups[g].name));
		json_object_set_new(j, "passed", json_integer((json_int_t)r->group_passed[g]));
		json_object_set_new(j, "total", json_integer((json_int_t)r->group_total[g]));
		json_array_append_new(groups, j);
	}
	json_object_set_new(root, "groups", groups);
	json_t *sum = json_object();
	if (sum) {
		json_object_set_new(sum, "passed", json_integer((json_int_t)r->passed));
		json_object_set_new(sum, "failed", json_integer((json_int_t)(r->failed + r->errors)));
		json_object_set_new(sum, "fail", json_integer((json_int_t)r->failed));
		json_object_set_new(sum, "error", json_integer((json_int_t)r->errors));
		json_object_set_new(sum, "skipped", json_integer((json_int_t)r->skipped));
		json_object_set_new(sum, "total", json_integer((json_int_t)r->count));
		json_object_set_new(root, "summary", sum);
	}
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}
