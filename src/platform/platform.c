/* Loads a platform description (the JSON files under specs/platforms/<name>/ and specs/properties) into the
 * lookup tables of bpfcheck/platform.h. Every field is checked, with the strictness of a schema
 * (unknown keys, wrong types, dangling references are errors), so a bad description gives a
 * message naming the file and the entry instead of a verifier that silently guesses. */
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/platform.h"
#include "bpfcheck/specs.h"

#define MAX_HELPER_ID 65535u /* helper ids are call immediates; anything larger is a typo */
#define MAX_MAP_TYPE_ID 63u  /* map type sets are 64-bit masks */
#define MAX_PROG_TYPE_ID 65535u
#define MAX_CTX_SIZE 65535u

enum { ACC_READ = 1, ACC_WRITE = 2, ACC_READ_PRIV = 4, ACC_WRITE_PRIV = 8 };
enum { HB_PRIV = 1, HB_UNPRIV = 2 };

struct plat_platform {
	char name[32];
	json_t *roots[5];            /* parsed files; every const char * below points into them */
	struct plat_helper *helpers; /* indexed by id, helper_limit entries */
	uint8_t *helper_known;
	uint32_t helper_limit;
	size_t helper_count, proto_count;
	uint64_t *helper_map_types; /* per helper id: allowed map type ids, 0 = unrestricted */
	struct plat_ctx_layout *layouts;
	size_t layout_count;
	struct plat_ctx_field **layout_fields; /* storage per layout */
	struct plat_prog_type *types;
	size_t type_count;
	uint8_t **type_store; /* access bits and helper bits per type */
	struct plat_map_type *maps;
	size_t map_count;
	uint8_t **map_store; /* map_store_len entries, NULL where a type lists no helpers */
	size_t map_store_len;
	struct plat_property *props;
	size_t prop_count;
	struct plat_privilege priv, unpriv;
	struct plat_kfunc *kfuncs; /* kfuncs.json (optional file) */
	size_t kfunc_count;
	uint8_t *kfunc_types; /* kfunc_count rows of types_len bytes */
};

/* ---- error and JSON access helpers ---- */

struct pctx {
	const char *file;
	struct bpfc_error *err;
};

__attribute__((format(printf, 2, 3))) static int perr(struct pctx *c, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bpfc_error_set(c->err, BPFC_ERR_INPUT, "%s: %s", c->file, msg);
}

/* Rejects keys outside allowed (NULL-terminated): a misspelt key must not be silently ignored. */
static int check_keys(struct pctx *c, json_t *obj, const char *const *allowed, const char *where)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(key, *a) == 0)
				ok = 1;
		if (!ok)
			return perr(c, "%s: unknown key \"%s\"", where, key);
	}
	return 0;
}

static int get_uint(struct pctx *c, json_t *obj, const char *key, uint64_t max, uint64_t *out, int required,
                    const char *where)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return perr(c, "%s: missing \"%s\"", where, key);
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return perr(c, "%s: \"%s\" must be an integer from 0 to %llu", where, key,
		            (unsigned long long)max);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int get_bool(struct pctx *c, json_t *obj, const char *key, bool *out, const char *where)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return perr(c, "%s: \"%s\" must be true or false", where, key);
	*out = json_is_true(v);
	return 0;
}

static int get_string(struct pctx *c, json_t *obj, const char *key, const char **out, int required,
                      const char *where)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			return perr(c, "%s: missing \"%s\"", where, key);
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return perr(c, "%s: \"%s\" must be a non-empty string", where, key);
	*out = json_string_value(v);
	return 0;
}

static int valid_ident(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* The top level of a spec file: an object holding only the allowed keys. */
static int check_top(struct pctx *c, json_t *root, const char *const *allowed)
{
	if (!json_is_object(root))
		return perr(c, "top level must be an object");
	return check_keys(c, root, allowed, "top level");
}

/* root[key] as a non-empty array in *out. */
static int get_array(struct pctx *c, json_t *root, const char *key, json_t **out)
{
	*out = json_object_get(root, key);
	if (!json_is_array(*out) || json_array_size(*out) == 0)
		return perr(c, "\"%s\" must be a non-empty array", key);
	return 0;
}

/* Element i of the array named name in *out: an object holding only the allowed keys (NULL: any
 * keys). where receives "name[i]" for the messages that follow. */
static int get_element(struct pctx *c, json_t *arr, const char *name, size_t i, const char *const *allowed,
                       char *where, size_t where_len, json_t **out)
{
	snprintf(where, where_len, "%s[%zu]", name, i);
	*out = json_array_get(arr, i);
	if (!json_is_object(*out))
		return perr(c, "%s: must be an object", where);
	return allowed ? check_keys(c, *out, allowed, where) : 0;
}

static int check_ident(struct pctx *c, const char *name, const char *where)
{
	return valid_ident(name) ? 0 : perr(c, "%s: name must be lower-case letters, digits and _", where);
}

static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static const char *const arg_kind_names[PLAT_ARG_KIND_COUNT] = {
    "none",
    "anything",
    "const_map_ptr",
    "ptr_to_map_key",
    "ptr_to_map_value",
    "ptr_to_mem",
    "const_size",
    "const_size_or_zero",
    "const_alloc_size_or_zero",
    "ptr_to_ctx",
    "ptr_to_stack",
    "ptr_to_func",
    "ptr_to_const_str",
    "ptr_to_ringbuf_mem",
    "ptr_to_spin_lock",
    "ptr_to_timer",
    "ptr_to_sock_common",
    "ptr_to_btf_sock_common",
    "ptr_to_btf_id",
    "ptr_to_percpu_btf_id",
    "ptr_to_dynptr",
    "ptr_to_kptr",
};

static const char *const ret_kind_names[PLAT_RET_KIND_COUNT] = {
    "integer",
    "void",
    "map_value",
    "map_value_or_null",
    "ptr_to_mem_or_null",
    "socket_or_null",
    "sock_common_or_null",
    "tcp_sock_or_null",
    "btf_id",
    "btf_id_or_null",
    "ptr_to_mem_or_btf_id",
};

static const char *const field_kind_names[PLAT_FIELD_KIND_COUNT] = {
    "scalar",
    "packet",
    "packet_end",
    "packet_meta",
    "flow_keys",
    "sock_common",
    "sock_common_or_null",
    "socket",
    "socket_or_null",
    "tp_buffer",
    "btf_id",
};

static const char *const category_names[] = {"terminates", "safe_memory", "platform_contract",
                                             "defined_behavior"};
static const char *const severity_names[] = {"error", "warning", "note"};
static const char *const entries_names[] = {"any", "positive", "zero", "one", "pow2_pages"};
static const char *const lookup_names[] = {"none",      "value",  "value_readonly",
                                           "inner_map", "socket", "xdp_sock"};

const char *plat_arg_kind_name(enum plat_arg_kind k)
{
	return (unsigned)k < PLAT_ARG_KIND_COUNT ? arg_kind_names[k] : "?";
}

const char *plat_ret_kind_name(enum plat_ret_kind k)
{
	return (unsigned)k < PLAT_RET_KIND_COUNT ? ret_kind_names[k] : "?";
}

const char *plat_field_kind_name(enum plat_field_kind k)
{
	return (unsigned)k < PLAT_FIELD_KIND_COUNT ? field_kind_names[k] : "?";
}

const char *plat_category_name(enum plat_category c)
{
	return (unsigned)c < 4 ? category_names[c] : "?";
}

const char *plat_severity_name(enum plat_severity s)
{
	return (unsigned)s < 3 ? severity_names[s] : "?";
}

/* ---- helpers.json ---- */

static int is_size_kind(enum plat_arg_kind k)
{
	return k == PLAT_ARG_CONST_SIZE || k == PLAT_ARG_CONST_SIZE_OR_ZERO;
}

static int parse_arg(struct pctx *c, json_t *v, struct plat_arg *a, const char *where)
{
	static const char *const keys[] = {"kind",     "size_arg", "size",     "readonly", "uninit",
	                                   "nullable", "release",  "btf_type", NULL};
	const char *kind = NULL;
	json_t *obj = NULL;
	if (json_is_string(v)) {
		kind = json_string_value(v);
	} else if (json_is_object(v)) {
		obj = v;
		if (check_keys(c, obj, keys, where) || get_string(c, obj, "kind", &kind, 1, where))
			return c->err ? c->err->code : BPFC_ERR_INPUT;
	} else {
		return perr(c, "%s: an argument is a kind name or an object", where);
	}
	int k = name_index(arg_kind_names, PLAT_ARG_KIND_COUNT, kind);
	if (k <= 0)
		return perr(c, "%s: unknown argument kind \"%s\"", where, kind);
	memset(a, 0, sizeof(*a));
	a->kind = (enum plat_arg_kind)k;
	if (!obj)
		return 0;
	uint64_t size_arg = 0, size = 0;
	bool ro = false, uninit = false, nullable = false, release = false;
	if (get_uint(c, obj, "size_arg", PLAT_MAX_ARGS, &size_arg, 0, where) ||
	    get_uint(c, obj, "size", 1u << 20, &size, 0, where) || get_bool(c, obj, "readonly", &ro, where) ||
	    get_bool(c, obj, "uninit", &uninit, where) || get_bool(c, obj, "nullable", &nullable, where) ||
	    get_bool(c, obj, "release", &release, where) ||
	    get_string(c, obj, "btf_type", &a->btf_type, 0, where))
		return BPFC_ERR_INPUT;
	a->size_arg = (uint8_t)size_arg;
	a->fixed_size = (uint32_t)size;
	a->flags = (uint8_t)((ro ? PLAT_ARG_F_READONLY : 0) | (uninit ? PLAT_ARG_F_UNINIT : 0) |
	                     (nullable ? PLAT_ARG_F_NULLABLE : 0) | (release ? PLAT_ARG_F_RELEASE : 0));
	if ((size_arg || size) && a->kind != PLAT_ARG_PTR_TO_MEM)
		return perr(c, "%s: size_arg/size only apply to ptr_to_mem", where);
	if (ro && uninit)
		return perr(c, "%s: memory cannot be both readonly and uninit", where);
	if (a->btf_type && a->kind != PLAT_ARG_PTR_TO_BTF_ID)
		return perr(c, "%s: btf_type only applies to ptr_to_btf_id", where);
	return 0;
}

static int parse_ret(struct pctx *c, json_t *v, struct plat_ret *r, const char *where)
{
	static const char *const keys[] = {"kind",     "range",    "range_max_arg", "size_arg",
	                                   "nullable", "readonly", "btf_type",      NULL};
	const char *kind = NULL;
	json_t *obj = NULL;
	if (json_is_string(v)) {
		kind = json_string_value(v);
	} else if (json_is_object(v)) {
		obj = v;
		if (check_keys(c, obj, keys, where) || get_string(c, obj, "kind", &kind, 1, where))
			return BPFC_ERR_INPUT;
	} else {
		return perr(c, "%s: \"ret\" is a kind name or an object", where);
	}
	int k = name_index(ret_kind_names, PLAT_RET_KIND_COUNT, kind);
	if (k < 0)
		return perr(c, "%s: unknown return kind \"%s\"", where, kind);
	memset(r, 0, sizeof(*r));
	r->kind = (enum plat_ret_kind)k;
	if (!obj)
		return 0;
	json_t *range = json_object_get(obj, "range");
	if (range) {
		if (!json_is_array(range) || json_array_size(range) != 2 ||
		    !json_is_integer(json_array_get(range, 0)) || !json_is_integer(json_array_get(range, 1)))
			return perr(c, "%s: \"range\" must be [min, max]", where);
		r->has_range = true;
		r->min = json_integer_value(json_array_get(range, 0));
		r->max = json_integer_value(json_array_get(range, 1));
		if (r->min > r->max)
			return perr(c, "%s: range minimum %lld is above maximum %lld", where,
			            (long long)r->min, (long long)r->max);
	}
	uint64_t max_arg = 0, size_arg = 0;
	if (get_uint(c, obj, "range_max_arg", PLAT_MAX_ARGS, &max_arg, 0, where) ||
	    get_uint(c, obj, "size_arg", PLAT_MAX_ARGS, &size_arg, 0, where) ||
	    get_bool(c, obj, "nullable", &r->nullable, where) ||
	    get_bool(c, obj, "readonly", &r->readonly, where) ||
	    get_string(c, obj, "btf_type", &r->btf_type, 0, where))
		return BPFC_ERR_INPUT;
	r->max_arg = (uint8_t)max_arg;
	r->size_arg = (uint8_t)size_arg;
	if ((range || max_arg) && r->kind != PLAT_RET_INTEGER)
		return perr(c, "%s: range only applies to integer returns", where);
	if (size_arg && r->kind != PLAT_RET_PTR_TO_MEM_OR_NULL)
		return perr(c, "%s: size_arg only applies to ptr_to_mem_or_null", where);
	if (r->kind == PLAT_RET_PTR_TO_MEM_OR_NULL && !size_arg)
		return perr(c, "%s: ptr_to_mem_or_null needs size_arg", where);
	return 0;
}

/* The relations between arguments that a prototype must respect. */
static int check_proto(struct pctx *c, const struct plat_helper *h, const char *where)
{
	int releases = 0;
	for (int i = 0; i < h->arg_count; i++) {
		const struct plat_arg *a = &h->args[i];
		if (a->flags & PLAT_ARG_F_RELEASE)
			releases++;
		if (a->kind == PLAT_ARG_PTR_TO_MEM) {
			if (!a->size_arg == !a->fixed_size)
				return perr(
				    c, "%s: argument %d (ptr_to_mem) needs exactly one of size_arg and size",
				    where, i + 1);
			if (a->size_arg && (a->size_arg > h->arg_count || a->size_arg <= i + 1 ||
			                    !is_size_kind(h->args[a->size_arg - 1].kind)))
				return perr(c,
				            "%s: argument %d: size_arg %d is not a later const_size argument",
				            where, i + 1, a->size_arg);
		}
		if (is_size_kind(a->kind)) {
			int used = 0;
			for (int j = 0; j < i; j++)
				if (h->args[j].kind == PLAT_ARG_PTR_TO_MEM && h->args[j].size_arg == i + 1)
					used = 1;
			if (!used)
				return perr(c, "%s: argument %d (%s) is the size of no ptr_to_mem argument",
				            where, i + 1, arg_kind_names[a->kind]);
		}
	}
	if (releases > 1)
		return perr(c, "%s: more than one argument is released", where);
	const struct plat_ret *r = &h->ret;
	if (r->max_arg && (r->max_arg > h->arg_count || !is_size_kind(h->args[r->max_arg - 1].kind)))
		return perr(c, "%s: range_max_arg %d is not a const_size argument", where, r->max_arg);
	if (r->size_arg && (r->size_arg > h->arg_count ||
	                    h->args[r->size_arg - 1].kind != PLAT_ARG_CONST_ALLOC_SIZE_OR_ZERO))
		return perr(c, "%s: return size_arg %d is not a const_alloc_size_or_zero argument", where,
		            r->size_arg);
	if (h->acquires && (r->kind == PLAT_RET_INTEGER || r->kind == PLAT_RET_VOID))
		return perr(c, "%s: \"acquires\" needs a pointer return", where);
	return 0;
}

static int parse_helpers(struct plat_platform *p, struct pctx *c, json_t *root)
{
	static const char *const top_keys[] = {"platform", "kernel", "helpers", NULL};
	static const char *const keys[] = {
	    "id",          "name", "args", "ret", "gpl_only", "acquires", "changes_pkt_data",
	    "might_sleep", "note", NULL};
	if (check_top(c, root, top_keys))
		return BPFC_ERR_INPUT;
	json_t *arr;
	if (get_array(c, root, "helpers", &arr))
		return BPFC_ERR_INPUT;
	uint32_t limit = 0;
	size_t n = json_array_size(arr);
	for (size_t i = 0; i < n; i++) {
		uint64_t id = 0;
		char where[64];
		json_t *h;
		if (get_element(c, arr, "helpers", i, NULL, where, sizeof(where), &h) ||
		    get_uint(c, h, "id", MAX_HELPER_ID, &id, 1, where))
			return BPFC_ERR_INPUT;
		if (id + 1 > limit)
			limit = (uint32_t)id + 1;
	}
	p->helper_limit = limit;
	p->helpers = calloc(limit, sizeof(*p->helpers));
	p->helper_known = calloc(limit, 1);
	p->helper_map_types = calloc(limit, sizeof(uint64_t));
	if (!p->helpers || !p->helper_known || !p->helper_map_types)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory loading helpers");
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		uint64_t id = 0;
		const char *name = NULL;
		char where[160];
		if (get_element(c, arr, "helpers", i, keys, where, sizeof(where), &o) ||
		    get_uint(c, o, "id", MAX_HELPER_ID, &id, 1, where) ||
		    get_string(c, o, "name", &name, 1, where))
			return BPFC_ERR_INPUT;
		snprintf(where, sizeof(where), "helper %u (%s)", (unsigned)id, name ? name : "");
		if (check_ident(c, name, where))
			return BPFC_ERR_INPUT;
		if (p->helper_known[id])
			return perr(c, "%s: id already used by %s", where, p->helpers[id].name);
		for (uint32_t j = 0; j < limit; j++)
			if (p->helper_known[j] && strcmp(p->helpers[j].name, name) == 0)
				return perr(c, "%s: name already used by helper %u", where, j);
		struct plat_helper *h = &p->helpers[id];
		h->id = (uint32_t)id;
		h->name = name;
		p->helper_known[id] = 1;
		p->helper_count++;
		json_t *args = json_object_get(o, "args"), *ret = json_object_get(o, "ret");
		if (!args != !ret)
			return perr(c, "%s: a prototype needs both \"args\" and \"ret\"", where);
		if (get_bool(c, o, "gpl_only", &h->gpl_only, where) ||
		    get_bool(c, o, "acquires", &h->acquires, where) ||
		    get_bool(c, o, "changes_pkt_data", &h->changes_pkt_data, where) ||
		    get_bool(c, o, "might_sleep", &h->might_sleep, where) ||
		    get_string(c, o, "note", &h->note, 0, where))
			return BPFC_ERR_INPUT;
		if (!args) {
			if (h->gpl_only || h->acquires || h->changes_pkt_data || h->might_sleep)
				return perr(c, "%s: flags without a prototype", where);
			continue;
		}
		if (!json_is_array(args) || json_array_size(args) > PLAT_MAX_ARGS)
			return perr(c, "%s: \"args\" must be an array of at most %d arguments", where,
			            PLAT_MAX_ARGS);
		h->arg_count = (uint8_t)json_array_size(args);
		for (size_t a = 0; a < h->arg_count; a++) {
			char aw[200];
			snprintf(aw, sizeof(aw), "%s: argument %zu", where, a + 1);
			if (parse_arg(c, json_array_get(args, a), &h->args[a], aw))
				return BPFC_ERR_INPUT;
		}
		if (parse_ret(c, ret, &h->ret, where) || check_proto(c, h, where))
			return BPFC_ERR_INPUT;
		h->has_proto = true;
		p->proto_count++;
	}
	return 0;
}

/* ---- map_types.json ---- */

static int parse_size_rule(struct pctx *c, json_t *v, struct plat_size_rule *r, const char *where)
{
	static const char *const keys[] = {"eq", "min", "max", "multiple_of", "one_of", NULL};
	if (!json_is_object(v))
		return perr(c,
		            "%s: a size rule is an object ({\"eq\": N}, {\"min\": N, \"max\": M}, "
		            "{\"one_of\": [...]})",
		            where);
	if (check_keys(c, v, keys, where))
		return BPFC_ERR_INPUT;
	uint64_t eq = 0, min = 0, max = UINT32_MAX, mult = 0;
	json_t *one_of = json_object_get(v, "one_of");
	int has_eq = json_object_get(v, "eq") != NULL;
	if (get_uint(c, v, "eq", UINT32_MAX, &eq, 0, where) ||
	    get_uint(c, v, "min", UINT32_MAX, &min, 0, where) ||
	    get_uint(c, v, "max", UINT32_MAX, &max, 0, where) ||
	    get_uint(c, v, "multiple_of", UINT32_MAX, &mult, 0, where))
		return BPFC_ERR_INPUT;
	memset(r, 0, sizeof(*r));
	r->min = (uint32_t)min;
	r->max = (uint32_t)max;
	r->multiple_of = (uint32_t)mult;
	if (has_eq)
		r->min = r->max = (uint32_t)eq;
	if (one_of) {
		if (!json_is_array(one_of) || json_array_size(one_of) == 0 || json_array_size(one_of) > 4)
			return perr(c, "%s: \"one_of\" must list 1 to 4 sizes", where);
		for (size_t i = 0; i < json_array_size(one_of); i++) {
			json_t *x = json_array_get(one_of, i);
			if (!json_is_integer(x) || json_integer_value(x) < 0 ||
			    json_integer_value(x) > UINT32_MAX)
				return perr(c, "%s: \"one_of\" entries must be sizes", where);
			r->one_of[r->one_of_count++] = (uint32_t)json_integer_value(x);
		}
	}
	if (r->min > r->max)
		return perr(c, "%s: min %u is above max %u", where, r->min, r->max);
	return 0;
}

static int helper_by_name_idx(const struct plat_platform *p, const char *name)
{
	for (uint32_t i = 0; i < p->helper_limit; i++)
		if (p->helper_known[i] && strcmp(p->helpers[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int parse_maps(struct plat_platform *p, struct pctx *c, json_t *root)
{
	static const char *const top_keys[] = {"platform", "kernel", "map_types", "helper_map_types", NULL};
	static const char *const keys[] = {"name",   "id",      "key_size", "value_size", "max_entries",
	                                   "lookup", "helpers", "percpu",   "note",       "program_update",
	                                   NULL};
	if (check_top(c, root, top_keys))
		return BPFC_ERR_INPUT;
	json_t *arr;
	if (get_array(c, root, "map_types", &arr))
		return BPFC_ERR_INPUT;
	size_t n = json_array_size(arr);
	p->maps = calloc(n, sizeof(*p->maps));
	p->map_store = calloc(n, sizeof(*p->map_store));
	if (!p->maps || !p->map_store)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory loading map types");
	p->map_store_len = n;
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		struct plat_map_type *m = &p->maps[i];
		uint64_t id = 0;
		const char *entries = NULL, *lookup = NULL;
		char where[160];
		if (get_element(c, arr, "map_types", i, keys, where, sizeof(where), &o) ||
		    get_string(c, o, "name", &m->name, 1, where) ||
		    get_uint(c, o, "id", MAX_MAP_TYPE_ID, &id, 1, where))
			return BPFC_ERR_INPUT;
		snprintf(where, sizeof(where), "map type %u (%s)", (unsigned)id, m->name);
		m->id = (uint32_t)id;
		m->program_update = true;
		if (check_ident(c, m->name, where))
			return BPFC_ERR_INPUT;
		for (size_t j = 0; j < i; j++)
			if (p->maps[j].id == m->id || strcmp(p->maps[j].name, m->name) == 0)
				return perr(c, "%s: duplicates map type %u (%s)", where, p->maps[j].id,
				            p->maps[j].name);
		char w2[200];
		snprintf(w2, sizeof(w2), "%s: key_size", where);
		json_t *ks = json_object_get(o, "key_size"), *vs = json_object_get(o, "value_size");
		if (!ks || !vs)
			return perr(c, "%s: missing key_size or value_size", where);
		if (parse_size_rule(c, ks, &m->key_size, w2))
			return BPFC_ERR_INPUT;
		snprintf(w2, sizeof(w2), "%s: value_size", where);
		if (parse_size_rule(c, vs, &m->value_size, w2))
			return BPFC_ERR_INPUT;
		if (get_string(c, o, "max_entries", &entries, 1, where) ||
		    get_string(c, o, "lookup", &lookup, 1, where) ||
		    get_bool(c, o, "percpu", &m->percpu, where) ||
		    get_bool(c, o, "program_update", &m->program_update, where) ||
		    get_string(c, o, "note", &m->note, 0, where))
			return BPFC_ERR_INPUT;
		int e = name_index(entries_names, 5, entries), l = name_index(lookup_names, 6, lookup);
		if (e < 0)
			return perr(c, "%s: unknown max_entries rule \"%s\"", where, entries);
		if (l < 0)
			return perr(c, "%s: unknown lookup kind \"%s\"", where, lookup);
		m->max_entries = (enum plat_entries_rule)e;
		m->lookup = (enum plat_lookup_kind)l;
		json_t *hl = json_object_get(o, "helpers");
		if (hl) {
			if (!json_is_array(hl))
				return perr(c, "%s: \"helpers\" must be an array of helper names", where);
			m->restricts_helpers = true;
			p->map_store[i] = calloc(p->helper_limit, 1);
			if (!p->map_store[i])
				return bpfc_error_set(c->err, BPFC_ERR_NOMEM,
				                      "out of memory loading map types");
			m->helper_ok = p->map_store[i];
			m->helper_ok_len = p->helper_limit;
			for (size_t k = 0; k < json_array_size(hl); k++) {
				json_t *x = json_array_get(hl, k);
				int hid =
				    json_is_string(x) ? helper_by_name_idx(p, json_string_value(x)) : -1;
				if (hid < 0)
					return perr(c, "%s: helpers[%zu] is not a helper name", where, k);
				p->map_store[i][hid] = 1;
			}
		}
		p->map_count++;
	}
	json_t *req = json_object_get(root, "helper_map_types");
	if (req) {
		const char *hname;
		json_t *list;
		if (!json_is_object(req))
			return perr(c, "\"helper_map_types\" must map helper names to map type lists");
		json_object_foreach(req, hname, list)
		{
			int hid = helper_by_name_idx(p, hname);
			if (hid < 0)
				return perr(c, "helper_map_types: unknown helper \"%s\"", hname);
			if (!json_is_array(list) || json_array_size(list) == 0)
				return perr(c, "helper_map_types: %s: must list map type names", hname);
			for (size_t k = 0; k < json_array_size(list); k++) {
				json_t *x = json_array_get(list, k);
				const struct plat_map_type *mt =
				    json_is_string(x) ? plat_map_type_by_name(p, json_string_value(x)) : NULL;
				if (!mt)
					return perr(c,
					            "helper_map_types: %s: entry %zu is not a map type name",
					            hname, k);
				p->helper_map_types[hid] |= 1ull << mt->id;
			}
		}
	}
	return 0;
}

/* ---- prog_types.json ---- */

static int parse_sizes(struct pctx *c, json_t *v, uint8_t *out, uint32_t field_size, const char *where)
{
	if (!json_is_array(v) || json_array_size(v) == 0)
		return perr(c, "%s: access sizes must be a non-empty array of 1, 2, 4, 8", where);
	*out = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *x = json_array_get(v, i);
		json_int_t s = json_is_integer(x) ? json_integer_value(x) : 0;
		if (s != 1 && s != 2 && s != 4 && s != 8)
			return perr(c, "%s: access size must be 1, 2, 4 or 8", where);
		if ((uint32_t)s > field_size)
			return perr(c, "%s: access size %d is larger than the field (%u bytes)", where,
			            (int)s, field_size);
		*out |= (uint8_t)s;
	}
	return 0;
}

static int parse_layouts(struct plat_platform *p, struct pctx *c, json_t *arr)
{
	static const char *const lkeys[] = {"name", "size", "fields", NULL};
	static const char *const fkeys[] = {"name",        "offset", "size", "access_sizes",
	                                    "write_sizes", "kind",   "note", NULL};
	if (!json_is_array(arr))
		return perr(c, "\"context_layouts\" must be an array");
	size_t n = json_array_size(arr);
	p->layouts = calloc(n ? n : 1, sizeof(*p->layouts));
	p->layout_fields = calloc(n ? n : 1, sizeof(*p->layout_fields));
	if (!p->layouts || !p->layout_fields)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory loading context layouts");
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		struct plat_ctx_layout *L = &p->layouts[i];
		uint64_t size = 0;
		char where[160];
		if (get_element(c, arr, "context_layouts", i, lkeys, where, sizeof(where), &o) ||
		    get_string(c, o, "name", &L->name, 1, where) ||
		    get_uint(c, o, "size", MAX_CTX_SIZE, &size, 1, where))
			return BPFC_ERR_INPUT;
		snprintf(where, sizeof(where), "layout %s", L->name);
		L->size = (uint32_t)size;
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->layouts[j].name, L->name) == 0)
				return perr(c, "%s: defined twice", where);
		json_t *fa = json_object_get(o, "fields");
		if (!json_is_array(fa) || json_array_size(fa) == 0)
			return perr(c, "%s: \"fields\" must be a non-empty array", where);
		size_t fn = json_array_size(fa);
		struct plat_ctx_field *fields = calloc(fn, sizeof(*fields));
		if (!fields)
			return bpfc_error_set(c->err, BPFC_ERR_NOMEM,
			                      "out of memory loading context layouts");
		p->layout_fields[i] = fields;
		L->fields = fields;
		p->layout_count++;
		for (size_t k = 0; k < fn; k++) {
			json_t *f = json_array_get(fa, k);
			struct plat_ctx_field *F = &fields[k];
			uint64_t off = 0, fsize = 0;
			const char *kind = NULL;
			char fw[240];
			snprintf(fw, sizeof(fw), "%s: fields[%zu]", where, k);
			if (!json_is_object(f))
				return perr(c, "%s: must be an object", fw);
			if (check_keys(c, f, fkeys, fw) || get_string(c, f, "name", &F->name, 1, fw) ||
			    get_uint(c, f, "offset", MAX_CTX_SIZE, &off, 1, fw) ||
			    get_uint(c, f, "size", MAX_CTX_SIZE, &fsize, 1, fw) ||
			    get_string(c, f, "kind", &kind, 0, fw) ||
			    get_string(c, f, "note", &F->note, 0, fw))
				return BPFC_ERR_INPUT;
			snprintf(fw, sizeof(fw), "%s: field %s", where, F->name);
			F->offset = (uint32_t)off;
			F->size = (uint32_t)fsize;
			if (F->size == 0 || F->offset > L->size || L->size - F->offset < F->size)
				return perr(c, "%s: [%u, +%u) is not inside the %u-byte context", fw,
				            F->offset, F->size, L->size);
			if (k > 0 && F->offset < fields[k - 1].offset + fields[k - 1].size)
				return perr(c,
				            "%s: overlaps or precedes field %s (fields are sorted by offset)",
				            fw, fields[k - 1].name);
			for (size_t j = 0; j < k; j++)
				if (strcmp(fields[j].name, F->name) == 0)
					return perr(c, "%s: defined twice", fw);
			if (parse_sizes(c, json_object_get(f, "access_sizes"), &F->read_sizes, F->size, fw))
				return BPFC_ERR_INPUT;
			json_t *ws = json_object_get(f, "write_sizes");
			if (ws) {
				if (parse_sizes(c, ws, &F->write_sizes, F->size, fw))
					return BPFC_ERR_INPUT;
			} else {
				/* Stores go in the field's natural width unless the file says otherwise. */
				uint8_t top = 8;
				while (!(F->read_sizes & top))
					top >>= 1;
				F->write_sizes = top;
			}
			if (kind) {
				int fk = name_index(field_kind_names, PLAT_FIELD_KIND_COUNT, kind);
				if (fk < 0)
					return perr(c, "%s: unknown field kind \"%s\"", fw, kind);
				F->kind = (enum plat_field_kind)fk;
			}
			if (F->kind != PLAT_FIELD_SCALAR && F->read_sizes != 4 && F->read_sizes != 8)
				return perr(c, "%s: a pointer field is read in one size (4 or 8)", fw);
		}
		L->field_count = fn;
	}
	return 0;
}

/* Sets bit in acc for every field listed in names ("*": all fields). */
static int mark_fields(struct pctx *c, const struct plat_ctx_layout *L, json_t *names, uint8_t *acc,
                       uint8_t bit, const char *key, const char *where)
{
	if (!names)
		return 0;
	if (!json_is_array(names))
		return perr(c, "%s: \"%s\" must be an array of field names", where, key);
	if (json_array_size(names) > 0 && !L)
		return perr(c, "%s: \"%s\" lists fields but the type has no context layout", where, key);
	for (size_t i = 0; i < json_array_size(names); i++) {
		json_t *x = json_array_get(names, i);
		if (!json_is_string(x))
			return perr(c, "%s: \"%s\"[%zu] must be a field name", where, key, i);
		const char *s = json_string_value(x);
		int found = 0;
		for (size_t k = 0; k < L->field_count; k++)
			if (strcmp(s, "*") == 0 || strcmp(s, L->fields[k].name) == 0) {
				acc[k] |= bit;
				found = 1;
			}
		if (!found)
			return perr(c, "%s: \"%s\": layout %s has no field \"%s\"", where, key, L->name, s);
	}
	return 0;
}

static int parse_prog_types(struct plat_platform *p, struct pctx *c, json_t *root)
{
	static const char *const top_keys[] = {"platform",      "kernel",          "privilege", "helper_sets",
	                                       "program_types", "context_layouts", NULL};
	static const char *const keys[] = {
	    "name",        "id",   "context",      "read",         "write",           "return",
	    "helper_sets", "note", "packet_write", "unprivileged", "read_privileged", "write_privileged",
	    NULL};
	static const char *const set_keys[] = {"privilege", "helpers", NULL};
	static const char *const priv_names[] = {"none", "cap_bpf", "cap_perfmon"};
	if (check_top(c, root, top_keys))
		return BPFC_ERR_INPUT;

	json_t *priv = json_object_get(root, "privilege");
	static const char *const pkeys[] = {"privileged", "unprivileged", NULL};
	static const char *const pvkeys[] = {"allow_ptr_leaks", "allow_uninit_stack", "capabilities", NULL};
	if (!json_is_object(priv) || check_keys(c, priv, pkeys, "privilege"))
		return perr(c, "\"privilege\" must be {\"privileged\": {...}, \"unprivileged\": {...}}");
	for (int i = 0; i < 2; i++) {
		const char *k = pkeys[i];
		json_t *o = json_object_get(priv, k);
		struct plat_privilege *pv = i == 0 ? &p->priv : &p->unpriv;
		if (!json_is_object(o) || check_keys(c, o, pvkeys, k) ||
		    get_bool(c, o, "allow_ptr_leaks", &pv->allow_ptr_leaks, k) ||
		    get_bool(c, o, "allow_uninit_stack", &pv->allow_uninit_stack, k))
			return perr(c, "privilege.%s: must be an object of booleans", k);
	}

	if (parse_layouts(p, c, json_object_get(root, "context_layouts")))
		return BPFC_ERR_INPUT;

	json_t *sets = json_object_get(root, "helper_sets");
	if (!json_is_object(sets))
		return perr(c, "\"helper_sets\" must be an object of named helper sets");
	const char *sname;
	json_t *set;
	json_object_foreach(sets, sname, set)
	{
		const char *pr = NULL;
		char where[120];
		snprintf(where, sizeof(where), "helper set %s", sname);
		if (strcmp(sname, "all") == 0)
			return perr(c, "%s: \"all\" is reserved (every helper with a prototype)", where);
		if (!json_is_object(set) || check_keys(c, set, set_keys, where) ||
		    get_string(c, set, "privilege", &pr, 1, where))
			return perr(c, "%s: must be {\"privilege\": ..., \"helpers\": [...]}", where);
		if (name_index(priv_names, 3, pr) < 0)
			return perr(c, "%s: privilege must be none, cap_bpf or cap_perfmon", where);
		json_t *hl = json_object_get(set, "helpers");
		if (!json_is_array(hl))
			return perr(c, "%s: \"helpers\" must be an array", where);
		for (size_t i = 0; i < json_array_size(hl); i++) {
			json_t *x = json_array_get(hl, i);
			int hid = json_is_string(x) ? helper_by_name_idx(p, json_string_value(x)) : -1;
			if (hid < 0)
				return perr(c, "%s: helpers[%zu] is not a helper name", where, i);
			if (!p->helpers[hid].has_proto)
				return perr(c, "%s: helper %s has no prototype", where, p->helpers[hid].name);
		}
	}

	json_t *arr;
	if (get_array(c, root, "program_types", &arr))
		return BPFC_ERR_INPUT;
	size_t n = json_array_size(arr);
	p->types = calloc(n, sizeof(*p->types));
	p->type_store = calloc(n, sizeof(*p->type_store));
	if (!p->types || !p->type_store)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory loading program types");
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		struct plat_prog_type *t = &p->types[i];
		uint64_t id = 0;
		const char *ctx = NULL;
		char where[160];
		if (get_element(c, arr, "program_types", i, keys, where, sizeof(where), &o) ||
		    get_string(c, o, "name", &t->name, 1, where) ||
		    get_uint(c, o, "id", MAX_PROG_TYPE_ID, &id, 1, where))
			return BPFC_ERR_INPUT;
		snprintf(where, sizeof(where), "program type %s", t->name);
		t->id = (uint32_t)id;
		if (check_ident(c, t->name, where))
			return BPFC_ERR_INPUT;
		for (size_t j = 0; j < i; j++)
			if (p->types[j].id == t->id || strcmp(p->types[j].name, t->name) == 0)
				return perr(c, "%s: duplicates program type %u (%s)", where, p->types[j].id,
				            p->types[j].name);
		if (!json_object_get(o, "context"))
			return perr(c, "%s: missing \"context\" (a layout name or null)", where);
		if (get_string(c, o, "context", &ctx, 0, where) ||
		    get_string(c, o, "note", &t->note, 0, where) ||
		    get_bool(c, o, "packet_write", &t->packet_write, where) ||
		    get_bool(c, o, "unprivileged", &t->unprivileged, where))
			return BPFC_ERR_INPUT;
		if (ctx) {
			t->ctx = plat_ctx_layout_by_name(p, ctx);
			if (!t->ctx)
				return perr(c, "%s: unknown context layout \"%s\"", where, ctx);
		}
		size_t fc = t->ctx ? t->ctx->field_count : 0;
		uint8_t *store = calloc(fc + p->helper_limit + 1, 1);
		if (!store)
			return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory loading program types");
		p->type_store[i] = store;
		p->type_count++;
		if (mark_fields(c, t->ctx, json_object_get(o, "read"), store, ACC_READ, "read", where) ||
		    mark_fields(c, t->ctx, json_object_get(o, "write"), store, ACC_WRITE, "write", where) ||
		    mark_fields(c, t->ctx, json_object_get(o, "read_privileged"), store, ACC_READ_PRIV,
		                "read_privileged", where) ||
		    mark_fields(c, t->ctx, json_object_get(o, "write_privileged"), store, ACC_WRITE_PRIV,
		                "write_privileged", where))
			return BPFC_ERR_INPUT;
		t->field_access = store;
		uint8_t *hb = store + fc;
		t->helper_bits = hb;
		t->helper_bits_len = p->helper_limit;
		json_t *ret = json_object_get(o, "return");
		if (!ret)
			return perr(c, "%s: missing \"return\" ([min, max] or null)", where);
		if (!json_is_null(ret)) {
			if (!json_is_array(ret) || json_array_size(ret) != 2 ||
			    !json_is_integer(json_array_get(ret, 0)) ||
			    !json_is_integer(json_array_get(ret, 1)))
				return perr(c, "%s: \"return\" must be [min, max] or null", where);
			t->has_return_range = true;
			t->ret_min = json_integer_value(json_array_get(ret, 0));
			t->ret_max = json_integer_value(json_array_get(ret, 1));
			if (t->ret_min > t->ret_max)
				return perr(c, "%s: return range [%lld, %lld] is empty", where,
				            (long long)t->ret_min, (long long)t->ret_max);
		}
		json_t *hs = json_object_get(o, "helper_sets");
		if (!json_is_array(hs))
			return perr(c, "%s: \"helper_sets\" must be an array of set names", where);
		for (size_t k = 0; k < json_array_size(hs); k++) {
			json_t *x = json_array_get(hs, k);
			const char *s = json_is_string(x) ? json_string_value(x) : "";
			if (strcmp(s, "all") == 0) {
				for (uint32_t h = 0; h < p->helper_limit; h++)
					if (p->helpers[h].has_proto)
						hb[h] |= HB_PRIV;
				continue;
			}
			json_t *setv = json_object_get(sets, s);
			if (!setv)
				return perr(c, "%s: unknown helper set \"%s\"", where, s);
			int unpriv_ok =
			    strcmp(json_string_value(json_object_get(setv, "privilege")), "none") == 0;
			json_t *hl = json_object_get(setv, "helpers");
			for (size_t h = 0; h < json_array_size(hl); h++) {
				int hid = helper_by_name_idx(p, json_string_value(json_array_get(hl, h)));
				hb[hid] |= (uint8_t)(HB_PRIV | (unpriv_ok ? HB_UNPRIV : 0));
			}
		}
	}
	return 0;
}

/* ---- properties.json ---- */

static int parse_properties(struct plat_platform *p, struct pctx *c, json_t *root)
{
	static const char *const top_keys[] = {"$schema", "version", "properties", NULL};
	static const char *const keys[] = {
	    "id",          "title", "category", "default_severity", "unprivileged_severity",
	    "explanation", "hint",  NULL};
	uint64_t version = 0;
	if (check_top(c, root, top_keys) || get_uint(c, root, "version", 1000, &version, 1, "top level"))
		return BPFC_ERR_INPUT;
	if (version != 1)
		return perr(c, "unsupported version %llu (expected 1)", (unsigned long long)version);
	json_t *arr;
	if (get_array(c, root, "properties", &arr))
		return BPFC_ERR_INPUT;
	size_t n = json_array_size(arr);
	p->props = calloc(n, sizeof(*p->props));
	if (!p->props)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory loading properties");
	for (size_t i = 0; i < n; i++) {
		json_t *o;
		struct plat_property *pr = &p->props[i];
		const char *cat = NULL, *sev = NULL, *usev = NULL;
		char where[120];
		if (get_element(c, arr, "properties", i, keys, where, sizeof(where), &o) ||
		    get_string(c, o, "id", &pr->id, 1, where))
			return BPFC_ERR_INPUT;
		snprintf(where, sizeof(where), "property %s", pr->id);
		if (get_string(c, o, "title", &pr->title, 1, where) ||
		    get_string(c, o, "category", &cat, 1, where) ||
		    get_string(c, o, "default_severity", &sev, 1, where) ||
		    get_string(c, o, "unprivileged_severity", &usev, 1, where) ||
		    get_string(c, o, "explanation", &pr->explanation, 1, where) ||
		    get_string(c, o, "hint", &pr->hint, 1, where))
			return BPFC_ERR_INPUT;
		/* Ids are rule ids in SARIF and JSON reports: PREFIX-WORD(-WORD)*, upper case. */
		const char *s = pr->id;
		int ok = strncmp(s, "VF-", 3) == 0 || strncmp(s, "ISA-", 4) == 0;
		for (const char *q = s; ok && *q; q++)
			if (!((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
			      (*q == '-' && q[1] && q[1] != '-')))
				ok = 0;
		if (!ok || strlen(s) > 63)
			return perr(c, "%s: id must be VF-... or ISA-... in upper case words joined by -",
			            where);
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->props[j].id, pr->id) == 0)
				return perr(c, "%s: defined twice", where);
		int ci = name_index(category_names, 4, cat), si = name_index(severity_names, 3, sev),
		    ui = name_index(severity_names, 3, usev);
		if (ci < 0)
			return perr(c, "%s: unknown category \"%s\"", where, cat);
		if (si < 0 || ui < 0)
			return perr(c, "%s: severities are \"error\", \"warning\" or \"note\"", where);
		pr->category = (enum plat_category)ci;
		pr->default_severity = (enum plat_severity)si;
		pr->unprivileged_severity = (enum plat_severity)ui;
		/* --unprivileged never tolerates more than a root load does. */
		if (pr->unprivileged_severity > pr->default_severity)
			return perr(c,
			            "%s: the unprivileged severity cannot be weaker than the privileged one",
			            where);
		p->prop_count++;
	}
	return 0;
}

/* ---- kfuncs.json ---- */

static const char *const kfunc_flag_names[] = {
    "KF_ACQUIRE",   "KF_RELEASE",      "KF_RET_NULL", "KF_TRUSTED_ARGS",
    "KF_SLEEPABLE", "KF_DESTRUCTIVE",  "KF_RCU",      "KF_ITER_NEW",
    "KF_ITER_NEXT", "KF_ITER_DESTROY", NULL};

static const char *const kfunc_model_names[PLAT_KM_COUNT] = {
    "prototype", "rcu_read_lock", "rcu_read_unlock", "iter_num_new", "iter_num_next", "iter_num_destroy"};

const char *plat_kfunc_flag_name(uint32_t bit)
{
	for (int i = 0; kfunc_flag_names[i]; i++)
		if (bit == 1u << i)
			return kfunc_flag_names[i];
	return NULL;
}

/* Needs the program types (prog_types.json is parsed first): "prog_types" names them, or is
 * "all". */
static int parse_kfuncs(struct plat_platform *p, struct pctx *c, json_t *root)
{
	static const char *const top[] = {"platform", "kernel", "note", "kfuncs", NULL};
	static const char *const keys[] = {"name", "flags", "model", "proto", "prog_types", "note", NULL};
	json_t *arr;
	if (check_top(c, root, top) || get_array(c, root, "kfuncs", &arr))
		return BPFC_ERR_INPUT;
	size_t n = json_array_size(arr);
	uint32_t tl = 0;
	for (size_t i = 0; i < p->type_count; i++)
		if (p->types[i].id + 1 > tl)
			tl = p->types[i].id + 1;
	p->kfuncs = calloc(n, sizeof(*p->kfuncs));
	p->kfunc_types = calloc(n * (tl ? tl : 1), 1);
	if (!p->kfuncs || !p->kfunc_types)
		return bpfc_error_set(c->err, BPFC_ERR_NOMEM, "out of memory reading %s", c->file);
	for (size_t i = 0; i < n; i++) {
		char where[64];
		json_t *o;
		if (get_element(c, arr, "kfuncs", i, keys, where, sizeof(where), &o))
			return BPFC_ERR_INPUT;
		struct plat_kfunc *k = &p->kfuncs[i];
		const char *model = NULL;
		if (get_string(c, o, "name", &k->name, 1, where) ||
		    get_string(c, o, "model", &model, 0, where) ||
		    get_string(c, o, "note", &k->note, 0, where))
			return BPFC_ERR_INPUT;
		snprintf(where, sizeof(where), "kfunc %.40s", k->name);
		if (!valid_ident(k->name))
			return perr(c, "%s: the name must be a C identifier in lower case", where);
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->kfuncs[j].name, k->name) == 0)
				return perr(c, "%s: listed twice", where);
		k->model = PLAT_KM_PROTOTYPE;
		if (model) {
			int m = name_index(kfunc_model_names, PLAT_KM_COUNT, model);
			if (m < 0)
				return perr(c, "%s: unknown model \"%s\"", where, model);
			k->model = (enum plat_kfunc_model)m;
		}
		json_t *fl = json_object_get(o, "flags"), *f;
		size_t fi;
		if (fl && !json_is_array(fl))
			return perr(c, "%s: \"flags\" must be an array of KF_* names", where);
		json_array_foreach(fl, fi, f)
		{
			int b =
			    json_is_string(f) ? name_index(kfunc_flag_names, 10, json_string_value(f)) : -1;
			if (b < 0)
				return perr(c, "%s: unknown flag %s", where,
				            json_is_string(f) ? json_string_value(f) : "(not a string)");
			k->flags |= 1u << b;
		}
		json_t *pr = json_object_get(o, "proto"), *pe;
		size_t pi;
		if (pr && (!json_is_array(pr) || json_array_size(pr) == 0 || json_array_size(pr) > 6))
			return perr(c,
			            "%s: \"proto\" must be an array of 1 to 6 type names (the result first)",
			            where);
		json_array_foreach(pr, pi, pe)
		{
			const char *t = json_is_string(pe) ? json_string_value(pe) : "";
			bool ok = strcmp(t, "void") == 0 || strcmp(t, "int") == 0 ||
			          (strncmp(t, "struct ", 7) == 0 && valid_ident(t + 7));
			if (!ok || (pi > 0 && strcmp(t, "void") == 0))
				return perr(c,
				            "%s: proto entry %zu must be \"int\", \"struct NAME\" or (the "
				            "result) \"void\"",
				            where, pi);
			k->proto[pi] = t;
			k->proto_cnt = (uint8_t)(pi + 1);
		}
		if (k->model == PLAT_KM_PROTOTYPE && !k->proto_cnt)
			return perr(c, "%s: a kfunc modelled by its prototype needs \"proto\"", where);
		if ((k->flags & PLAT_KF_ACQUIRE) && (k->flags & PLAT_KF_RELEASE))
			return perr(c, "%s: KF_ACQUIRE and KF_RELEASE together", where);
		k->types = p->kfunc_types + i * (tl ? tl : 1);
		k->types_len = tl;
		uint8_t *ty = p->kfunc_types + i * (tl ? tl : 1);
		json_t *pt = json_object_get(o, "prog_types"), *t;
		size_t ti;
		if (json_is_string(pt) && strcmp(json_string_value(pt), "all") == 0) {
			memset(ty, 1, tl);
			continue;
		}
		if (!json_is_array(pt) || json_array_size(pt) == 0)
			return perr(
			    c,
			    "%s: \"prog_types\" must be \"all\" or a non-empty array of program type names",
			    where);
		json_array_foreach(pt, ti, t)
		{
			const struct plat_prog_type *T =
			    json_is_string(t) ? plat_prog_type_by_name(p, json_string_value(t)) : NULL;
			if (!T)
				return perr(c, "%s: unknown program type %s", where,
				            json_is_string(t) ? json_string_value(t) : "(not a string)");
			ty[T->id] = 1;
		}
	}
	p->kfunc_count = n;
	return 0;
}

const struct plat_kfunc *plat_kfunc_by_name(const struct plat_platform *p, const char *name)
{
	for (size_t i = 0; name && i < p->kfunc_count; i++)
		if (strcmp(p->kfuncs[i].name, name) == 0)
			return &p->kfuncs[i];
	return NULL;
}

size_t plat_kfunc_count(const struct plat_platform *p)
{
	return p->kfunc_count;
}

bool plat_kfunc_allowed(const struct plat_kfunc *k, const struct plat_prog_type *t)
{
	return t && t->id < k->types_len && k->types[t->id];
}

/* ---- loading ---- */

static int load_json(struct pctx *c, const char *text, json_t **out)
{
	json_error_t je;
	if (!text)
		return bpfc_error_set(c->err, BPFC_ERR_INPUT, "%s: not embedded in this build", c->file);
	*out = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		return perr(c, "line %d column %d: %s", je.line, je.column, je.text);
	return 0;
}

void plat_platform_free(struct plat_platform *p)
{
	if (!p)
		return;
	for (int i = 0; i < 5; i++)
		json_decref(p->roots[i]);
	free(p->kfuncs);
	free(p->kfunc_types);
	for (size_t i = 0; i < p->layout_count; i++)
		free(p->layout_fields[i]);
	for (size_t i = 0; i < p->type_count; i++)
		free(p->type_store[i]);
	for (size_t i = 0; i < p->map_store_len; i++)
		free(p->map_store[i]);
	free(p->layout_fields);
	free(p->type_store);
	free(p->map_store);
	free(p->helpers);
	free(p->helper_known);
	free(p->helper_map_types);
	free(p->layouts);
	free(p->types);
	free(p->maps);
	free(p->props);
	free(p);
}

int plat_platform_parse(const char *name, const char *helpers_json, const char *prog_types_json,
                        const char *map_types_json, const char *properties_json, struct plat_platform **out,
                        struct bpfc_error *err)
{
	*out = NULL;
	bpfc_error_clear(err);
	if (!name || !valid_ident(name) || strlen(name) >= 32)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "invalid platform name");
	char paths[4][96];
	static const char *const files[4] = {"helpers.json", "map_types.json", "prog_types.json", NULL};
	for (int i = 0; i < 3; i++)
		snprintf(paths[i], sizeof(paths[i]), "platforms/%s/%s", name, files[i]);
	snprintf(paths[3], sizeof(paths[3]), "properties/properties.json");
	const char *texts[4] = {helpers_json, map_types_json, prog_types_json, properties_json};
	if (!helpers_json && !map_types_json && !prog_types_json && !bpfc_spec_text(paths[0], NULL))
		return bpfc_error_set(err, BPFC_ERR_USAGE, "unknown platform \"%s\" (no specs/platforms/%s/)",
		                      name, name);
	struct plat_platform *p = calloc(1, sizeof(*p));
	if (!p)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory loading platform %s", name);
	snprintf(p->name, sizeof(p->name), "%s", name);
	int rc = 0;
	/* Order matters: map types and program types refer to helpers by name. */
	for (int i = 0; i < 4 && !rc; i++) {
		struct pctx c = {paths[i], err};
		const char *text = texts[i] ? texts[i] : bpfc_spec_text(paths[i], NULL);
		rc = load_json(&c, text, &p->roots[i]);
		if (rc)
			break;
		switch (i) {
		case 0: rc = parse_helpers(p, &c, p->roots[i]); break;
		case 1: rc = parse_maps(p, &c, p->roots[i]); break;
		case 2: rc = parse_prog_types(p, &c, p->roots[i]); break;
		default: rc = parse_properties(p, &c, p->roots[i]); break;
		}
	}
	/* kfuncs.json is optional (a platform without kfuncs) and names the embedded program
	 * types: it is read only with them */
	char kpath[96];
	snprintf(kpath, sizeof(kpath), "platforms/%s/kfuncs.json", name);
	const char *ktext = rc || prog_types_json ? NULL : bpfc_spec_text(kpath, NULL);
	if (ktext) {
		struct pctx c = {kpath, err};
		rc = load_json(&c, ktext, &p->roots[4]);
		if (!rc)
			rc = parse_kfuncs(p, &c, p->roots[4]);
	}
	if (rc) {
		plat_platform_free(p);
		return err ? (int)err->code : BPFC_ERR_INPUT;
	}
	*out = p;
	return BPFC_OK;
}

int plat_platform_load(const char *name, struct plat_platform **out, struct bpfc_error *err)
{
	return plat_platform_parse(name, NULL, NULL, NULL, NULL, out, err);
}

static pthread_once_t linux_once = PTHREAD_ONCE_INIT;
static struct plat_platform *linux_platform; /* written once under linux_once, then read-only */

static void linux_init(void)
{
	struct bpfc_error err;
	if (plat_platform_load("linux", &linux_platform, &err))
		linux_platform = NULL;
}

const struct plat_platform *plat_linux(void)
{
	pthread_once(&linux_once, linux_init);
	return linux_platform;
}

const char *plat_platform_name(const struct plat_platform *p)
{
	return p->name;
}

struct plat_privilege plat_privilege(const struct plat_platform *p, bool privileged)
{
	return privileged ? p->priv : p->unpriv;
}

/* ---- queries ---- */

enum plat_helper_status plat_helper_lookup(const struct plat_platform *p, int64_t id,
                                           const struct plat_helper **out)
{
	if (out)
		*out = NULL;
	if (id < 0 || id >= (int64_t)p->helper_limit || !p->helper_known[id])
		return PLAT_HELPER_UNKNOWN;
	if (out)
		*out = &p->helpers[id];
	return p->helpers[id].has_proto ? PLAT_HELPER_OK : PLAT_HELPER_NO_PROTO;
}

const struct plat_helper *plat_helper_by_name(const struct plat_platform *p, const char *name)
{
	if (!name)
		return NULL;
	if (strncmp(name, "bpf_", 4) == 0)
		name += 4;
	int i = helper_by_name_idx(p, name);
	return i < 0 ? NULL : &p->helpers[i];
}

size_t plat_helper_count(const struct plat_platform *p)
{
	return p->helper_count;
}

size_t plat_helper_proto_count(const struct plat_platform *p)
{
	return p->proto_count;
}

uint32_t plat_helper_id_limit(const struct plat_platform *p)
{
	return p->helper_limit;
}

/* Accepts "xdp" and "BPF_PROG_TYPE_XDP" alike (case-insensitive for the prefixed form). */
static int match_name(const char *want, const char *prefix, const char *name)
{
	size_t pl = strlen(prefix);
	if (strncmp(want, prefix, pl) == 0) {
		want += pl;
		size_t n = strlen(name);
		if (strlen(want) != n)
			return 0;
		for (size_t i = 0; i < n; i++) {
			char w = want[i];
			if (w >= 'A' && w <= 'Z')
				w = (char)(w - 'A' + 'a');
			if (w != name[i])
				return 0;
		}
		return 1;
	}
	return strcmp(want, name) == 0;
}

const struct plat_prog_type *plat_prog_type_by_name(const struct plat_platform *p, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < p->type_count; i++)
		if (match_name(name, "BPF_PROG_TYPE_", p->types[i].name))
			return &p->types[i];
	return NULL;
}

const struct plat_prog_type *plat_prog_type_by_id(const struct plat_platform *p, uint32_t id)
{
	for (size_t i = 0; i < p->type_count; i++)
		if (p->types[i].id == id)
			return &p->types[i];
	return NULL;
}

size_t plat_prog_type_count(const struct plat_platform *p)
{
	return p->type_count;
}

const struct plat_prog_type *plat_prog_type_at(const struct plat_platform *p, size_t i)
{
	return i < p->type_count ? &p->types[i] : NULL;
}

const struct plat_ctx_layout *plat_ctx_layout_by_name(const struct plat_platform *p, const char *name)
{
	for (size_t i = 0; i < p->layout_count; i++)
		if (strcmp(p->layouts[i].name, name) == 0)
			return &p->layouts[i];
	return NULL;
}

enum plat_ctx_result plat_ctx_access(const struct plat_prog_type *t, int64_t off, uint32_t size, bool write,
                                     bool privileged, const struct plat_ctx_field **field)
{
	if (field)
		*field = NULL;
	const struct plat_ctx_layout *L = t->ctx;
	if (!L)
		return PLAT_CTX_UNMODELLED;
	if (off < 0 || off >= (int64_t)L->size)
		return PLAT_CTX_NO_FIELD;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return PLAT_CTX_BAD_SIZE;
	if (off % size)
		return PLAT_CTX_MISALIGNED;
	const struct plat_ctx_field *f = NULL;
	size_t idx = 0;
	for (size_t i = 0; i < L->field_count; i++)
		if (off >= L->fields[i].offset && off - L->fields[i].offset < L->fields[i].size) {
			f = &L->fields[i];
			idx = i;
			break;
		}
	if (!f)
		return PLAT_CTX_NO_FIELD;
	if (field)
		*field = f;
	if ((uint64_t)off - f->offset + size > f->size)
		return PLAT_CTX_SPANS;
	uint8_t acc = t->field_access[idx];
	uint8_t need = write ? ACC_WRITE : ACC_READ, need_priv = write ? ACC_WRITE_PRIV : ACC_READ_PRIV;
	if (!(acc & need) && !(privileged && (acc & need_priv)))
		return PLAT_CTX_DENIED;
	if (!((write ? f->write_sizes : f->read_sizes) & size))
		return PLAT_CTX_BAD_SIZE;
	return PLAT_CTX_OK;
}

const char *plat_ctx_result_str(enum plat_ctx_result r)
{
	switch (r) {
	case PLAT_CTX_OK: return "allowed";
	case PLAT_CTX_NO_FIELD: return "no context field at this offset";
	case PLAT_CTX_SPANS: return "access crosses the end of the field";
	case PLAT_CTX_BAD_SIZE: return "access size not allowed for this field";
	case PLAT_CTX_MISALIGNED: return "offset is not a multiple of the access size";
	case PLAT_CTX_DENIED: return "field not accessible this way by this program type";
	case PLAT_CTX_UNMODELLED: return "context layout of this program type is not described";
	}
	return "?";
}

bool plat_helper_allowed(const struct plat_prog_type *t, uint32_t helper_id, bool privileged)
{
	if (helper_id >= t->helper_bits_len)
		return false;
	return (t->helper_bits[helper_id] & (privileged ? HB_PRIV : HB_UNPRIV)) != 0;
}

const struct plat_map_type *plat_map_type_by_name(const struct plat_platform *p, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < p->map_count; i++)
		if (match_name(name, "BPF_MAP_TYPE_", p->maps[i].name))
			return &p->maps[i];
	return NULL;
}

const struct plat_map_type *plat_map_type_by_id(const struct plat_platform *p, uint32_t id)
{
	for (size_t i = 0; i < p->map_count; i++)
		if (p->maps[i].id == id)
			return &p->maps[i];
	return NULL;
}

int64_t plat_map_type_from_name(const struct plat_platform *p, const char *type)
{
	if (!type || !*type)
		return -1;
	const struct plat_map_type *m = NULL;
	if (type[0] >= '0' && type[0] <= '9') {
		char *end;
		unsigned long v = strtoul(type, &end, 10);
		if (*end || v > MAX_MAP_TYPE_ID)
			return -1;
		m = plat_map_type_by_id(p, (uint32_t)v);
	} else {
		m = plat_map_type_by_name(p, type);
	}
	return m ? (int64_t)m->id : -1;
}

size_t plat_map_type_count(const struct plat_platform *p)
{
	return p->map_count;
}

const struct plat_map_type *plat_map_type_at(const struct plat_platform *p, size_t i)
{
	return i < p->map_count ? &p->maps[i] : NULL;
}

static int size_ok(const struct plat_size_rule *r, uint32_t v)
{
	if (r->one_of_count) {
		for (int i = 0; i < r->one_of_count; i++)
			if (r->one_of[i] == v)
				return 1;
		return 0;
	}
	if (v < r->min || v > r->max)
		return 0;
	return r->multiple_of <= 1 || v % r->multiple_of == 0;
}

static void describe_rule(const struct plat_size_rule *r, char *buf, size_t len)
{
	if (r->one_of_count) {
		size_t o = (size_t)snprintf(buf, len, "one of");
		for (int i = 0; i < r->one_of_count && o < len; i++)
			o += (size_t)snprintf(buf + o, len - o, " %u", r->one_of[i]);
	} else if (r->min == r->max) {
		snprintf(buf, len, "%u", r->min);
	} else if (r->max == UINT32_MAX) {
		if (r->multiple_of > 1)
			snprintf(buf, len, "at least %u and a multiple of %u", r->min, r->multiple_of);
		else
			snprintf(buf, len, "at least %u", r->min);
	} else {
		snprintf(buf, len, "from %u to %u", r->min, r->max);
	}
}

int plat_map_check(const struct plat_map_type *mt, const char *name, uint32_t key_size, uint32_t value_size,
                   uint32_t max_entries, struct bpfc_error *err)
{
	char rule[64];
	const char *nm = name ? name : "(unnamed)";
	if (!size_ok(&mt->key_size, key_size)) {
		describe_rule(&mt->key_size, rule, sizeof(rule));
		return bpfc_error_set(err, BPFC_ERR_INPUT, "map %s (%s): key size %u, expected %s", nm,
		                      mt->name, key_size, rule);
	}
	if (!size_ok(&mt->value_size, value_size)) {
		describe_rule(&mt->value_size, rule, sizeof(rule));
		return bpfc_error_set(err, BPFC_ERR_INPUT, "map %s (%s): value size %u, expected %s", nm,
		                      mt->name, value_size, rule);
	}
	const char *want = NULL;
	switch (mt->max_entries) {
	case PLAT_ENTRIES_ANY: break;
	case PLAT_ENTRIES_POSITIVE:
		if (max_entries == 0)
			want = "more than 0";
		break;
	case PLAT_ENTRIES_ZERO:
		if (max_entries != 0)
			want = "0";
		break;
	case PLAT_ENTRIES_ONE:
		if (max_entries != 1)
			want = "1";
		break;
	case PLAT_ENTRIES_POW2_PAGES:
		if (max_entries < 4096 || (max_entries & (max_entries - 1)))
			want = "a power of 2 and a multiple of 4096";
		break;
	}
	if (want)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "map %s (%s): max_entries %u, expected %s", nm,
		                      mt->name, max_entries, want);
	return BPFC_OK;
}

bool plat_map_helper_ok(const struct plat_platform *p, uint32_t map_type_id, uint32_t helper_id)
{
	const struct plat_map_type *m = plat_map_type_by_id(p, map_type_id);
	if (!m || helper_id >= p->helper_limit || !p->helper_known[helper_id])
		return false;
	if (m->restricts_helpers && !m->helper_ok[helper_id])
		return false;
	uint64_t need = p->helper_map_types[helper_id];
	return need == 0 || (map_type_id <= MAX_MAP_TYPE_ID && (need >> map_type_id) & 1);
}

const struct plat_property *plat_property_find(const struct plat_platform *p, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < p->prop_count; i++)
		if (strcmp(p->props[i].id, id) == 0)
			return &p->props[i];
	return NULL;
}

size_t plat_property_count(const struct plat_platform *p)
{
	return p->prop_count;
}

const struct plat_property *plat_property_at(const struct plat_platform *p, size_t i)
{
	return i < p->prop_count ? &p->props[i] : NULL;
}
