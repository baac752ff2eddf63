/* Reading the kernel's raw verifier tests (JSON lines) into programs and maps: slot decoding, the
 * maps the kernel's test harness creates for each fixup kind, and the lddw rewriting that points a
 * fixed-up instruction at one of those maps by index. */
#include "linux_raw_parse.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/platform.h"
#include "common/text.h"

int lr_decode_slot(const char *tok, size_t len, struct isa_slot *out, struct bpfc_error *err)
{
	if (len != 16)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "slot '%.*s': expected 16 hex digits, got %zu",
		                      (int)(len > 40 ? 40 : len), tok, len);
	uint64_t v = 0;
	for (size_t i = 0; i < 16; i++) {
		int h = bpfc_hex_digit(tok[i]);
		if (h < 0)
			return bpfc_error_set(err, BPFC_ERR_INPUT,
			                      "slot '%.16s': '%c' at position %zu is not a hex digit", tok,
			                      tok[i], i + 1);
		v = v << 4 | (uint64_t)h;
	}
	out->opcode = (uint8_t)(v >> 56);
	out->src = (uint8_t)(v >> 52 & 0xf);
	out->dst = (uint8_t)(v >> 48 & 0xf);
	out->off = (int16_t)(uint16_t)(v >> 32);
	out->imm = (int32_t)(uint32_t)v;
	return BPFC_OK;
}

/* Sizes as test_verifier.c's do_test_fixup() creates them: struct test_val is 48 bytes, the ring
 * buffer is one 4096-byte page, the kptr map's value is struct btf_ptr with three kptr fields (below). */
static const struct {
	const char *kind;
	uint32_t type, key_size, value_size, max_entries, flags;
	bool kptrs; /* the value holds the kptr fields of kptr_fields */
} fixup_maps[] = {
    {"fixup_map_hash_8b", 1, 8, 8, 1, 1, false}, /* BPF_F_NO_PREALLOC */
    {"fixup_map_hash_48b", 1, 8, 48, 1, 1, false},    {"fixup_map_hash_16b", 1, 8, 16, 1, 1, false},
    {"fixup_map_array_48b", 2, 4, 48, 1, 0, false},   {"fixup_map_array_small", 2, 4, 1, 1, 0, false},
    {"fixup_map_event_output", 4, 4, 4, 1, 0, false}, {"fixup_map_ringbuf", 27, 0, 0, 4096, 0, false},
    {"fixup_map_kptr", 2, 4, 24, 1, 0, true},
};

/* The BTF test_verifier.c's create_map_kptr() loads for the kptr map's value (struct btf_ptr):
 * an untrusted kptr to struct prog_test_ref_kfunc at 0, referenced kptrs to it at 8 and to struct
 * prog_test_member at 16 (the tests' messages agree: "off=0 kptr isn't referenced kptr",
 * "expected=ptr_prog_test_member" at 16). The structs' sizes are the kernel's (net/bpf/test_run.c:
 * prog_test_ref_kfunc is 32 bytes, "access beyond struct prog_test_ref_kfunc at off 32"). */
static const struct bpfc_map_field kptr_fields[] = {
    {.kind = BPFC_FIELD_KPTR_UNTRUSTED,
     .offset = 0,
     .size = 8,
     .kptr_struct = "prog_test_ref_kfunc",
     .kptr_size = 32},
    {.kind = BPFC_FIELD_KPTR_REF,
     .offset = 8,
     .size = 8,
     .kptr_struct = "prog_test_ref_kfunc",
     .kptr_size = 32},
    {.kind = BPFC_FIELD_KPTR_REF, .offset = 16, .size = 8, .kptr_struct = "prog_test_member", .kptr_size = 8},
};

const char *lr_fixup_map(const char *kind, struct bpfc_map *out)
{
	for (size_t i = 0; i < sizeof(fixup_maps) / sizeof(fixup_maps[0]); i++) {
		if (strcmp(kind, fixup_maps[i].kind))
			continue;
		memset(out, 0, sizeof(*out));
		out->type = fixup_maps[i].type;
		out->key_size = fixup_maps[i].key_size;
		out->value_size = fixup_maps[i].value_size;
		out->max_entries = fixup_maps[i].max_entries;
		out->flags = fixup_maps[i].flags;
		out->inner_map = -1;
		out->kind = BPFC_MAP_USER;
		if (fixup_maps[i].kptrs) {
			/* the harness gives this map BTF: its layout is known */
			out->fields_known = true;
			out->fields = malloc(sizeof(kptr_fields));
			if (!out->fields)
				return NULL;
			memcpy(out->fields, kptr_fields, sizeof(kptr_fields));
			out->field_cnt = sizeof(kptr_fields) / sizeof(kptr_fields[0]);
		}
		return fixup_maps[i].kind;
	}
	return NULL;
}

int lr_rewrite_fixup(struct isa_slot *insns, size_t insn_cnt, int64_t idx, uint32_t map_idx,
                     struct bpfc_error *err)
{
	if (idx < 0 || (uint64_t)idx >= insn_cnt || insn_cnt - (size_t)idx < 2)
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "fixup at insn %lld: outside the program's %zu slots (a lddw needs 2)",
		                      (long long)idx, insn_cnt);
	struct isa_slot *s = &insns[idx];
	if (s->opcode != 0x18)
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "fixup at insn %lld: opcode 0x%02x is not lddw (0x18)", (long long)idx,
		                      s->opcode);
	if (s->src == 1)
		s->src = 5;
	else if (s->src == 2)
		s->src = 6;
	else
		return bpfc_error_set(
		    err, BPFC_ERR_INPUT,
		    "fixup at insn %lld: lddw src %u is neither 1 (map fd) nor 2 (map value)", (long long)idx,
		    s->src);
	s->imm = (int32_t)map_idx;
	return BPFC_OK;
}

void lr_test_free(struct lr_test *t)
{
	if (!t)
		return;
	free(t->descr);
	free(t->errstr);
	free(t->errstr_unpriv);
	free(t->insns);
	for (size_t i = 0; i < t->map_cnt; i++) {
		free(t->maps[i].name);
		free(t->maps[i].fields);
	}
	memset(t, 0, sizeof(*t));
}

static int get_int(json_t *obj, const char *key, bool required, int64_t *out, struct bpfc_error *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		*out = 0;
		return required ? bpfc_error_set(err, BPFC_ERR_INPUT, "field '%s' missing", key) : BPFC_OK;
	}
	if (!json_is_integer(v))
		return bpfc_error_set(err, BPFC_ERR_INPUT, "field '%s' is not an integer", key);
	*out = json_integer_value(v);
	return BPFC_OK;
}

static int get_str(json_t *obj, const char *key, char **out, struct bpfc_error *err)
{
	json_t *v = json_object_get(obj, key);
	const char *s = "";
	if (v && !json_is_null(v)) {
		if (!json_is_string(v))
			return bpfc_error_set(err, BPFC_ERR_INPUT, "field '%s' is not a string", key);
		s = json_string_value(v);
	}
	*out = strdup(s);
	return *out ? BPFC_OK : bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
}

static int verdict_field(json_t *obj, const char *key, bool allow_undef, int *out, struct bpfc_error *err)
{
	int64_t v = 0;
	int rc = get_int(obj, key, !allow_undef, &v, err);
	if (rc)
		return rc;
	if (v < (allow_undef ? 0 : 1) || v > 3)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "field '%s' is %lld, expected %s", key,
		                      (long long)v, allow_undef ? "0..3" : "1..3");
	*out = (int)v;
	return BPFC_OK;
}

static int parse_insns(const char *text, struct lr_test *t, struct bpfc_error *err)
{
	size_t n = 0, len = strlen(text);
	for (size_t i = 0; i < len;) {
		while (i < len && text[i] == ' ')
			i++;
		if (i < len)
			n++;
		while (i < len && text[i] != ' ')
			i++;
	}
	if (n == 0)
		return BPFC_OK; /* the kernel has an "empty prog" test: vf_verify must reject it */
	t->insns = calloc(n, sizeof(*t->insns));
	if (!t->insns)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < len && k < n;) {
		while (i < len && text[i] == ' ')
			i++;
		size_t start = i;
		while (i < len && text[i] != ' ')
			i++;
		if (i == start)
			break;
		int rc = lr_decode_slot(text + start, i - start, &t->insns[k], err);
		if (rc) {
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s", err->msg);
			return bpfc_error_set(err, (enum bpfc_err)rc, "insn %zu: %s", k, msg);
		}
		k++;
	}
	t->insn_cnt = k;
	return BPFC_OK;
}

static int apply_fixups(json_t *fixups, struct lr_test *t, struct bpfc_error *err)
{
	if (!fixups || json_is_null(fixups))
		return BPFC_OK;
	if (!json_is_object(fixups))
		return bpfc_error_set(err, BPFC_ERR_INPUT, "field 'fixups' is not an object");
	const char *kind;
	json_t *idxs;
	json_object_foreach(fixups, kind, idxs)
	{
		if (t->map_cnt == LR_MAX_MAPS)
			return bpfc_error_set(err, BPFC_ERR_UNSUPPORTED, "more than %d fixup kinds",
			                      LR_MAX_MAPS);
		struct bpfc_map *m = &t->maps[t->map_cnt];
		const char *known = lr_fixup_map(kind, m);
		if (!known)
			return bpfc_error_set(err, BPFC_ERR_UNSUPPORTED, "fixup kind '%s' is not modelled",
			                      kind);
		const char *name = strncmp(kind, "fixup_", 6) ? kind : kind + 6;
		m->name = strdup(name);
		if (!m->name)
			return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
		t->map_kinds[t->map_cnt] = known;
		uint32_t map_idx = (uint32_t)t->map_cnt++;
		if (!json_is_array(idxs))
			return bpfc_error_set(err, BPFC_ERR_INPUT, "fixup '%s' is not an array of indexes",
			                      kind);
		size_t i;
		json_t *v;
		json_array_foreach(idxs, i, v)
		{
			if (!json_is_integer(v))
				return bpfc_error_set(err, BPFC_ERR_INPUT,
				                      "fixup '%s' entry %zu is not an integer", kind, i);
			int rc = lr_rewrite_fixup(t->insns, t->insn_cnt, json_integer_value(v), map_idx, err);
			if (rc)
				return rc;
		}
	}
	return BPFC_OK;
}

static int parse_obj(json_t *root, struct lr_test *t, struct bpfc_error *err)
{
	if (!json_is_object(root))
		return bpfc_error_set(err, BPFC_ERR_INPUT, "line is not a JSON object");
	int64_t v = 0;
	int rc;
	if ((rc = get_int(root, "id", true, &t->id, err)) || (rc = get_str(root, "descr", &t->descr, err)))
		return rc;
	if ((rc = get_int(root, "prog_type", false, &v, err)))
		return rc;
	if (v < 0 || v > UINT32_MAX)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "field 'prog_type' is %lld", (long long)v);
	t->prog_type = (uint32_t)v;
	if ((rc = verdict_field(root, "result", false, &t->result, err)) ||
	    (rc = verdict_field(root, "result_unpriv", true, &t->result_unpriv, err)) ||
	    (rc = get_str(root, "errstr", &t->errstr, err)) ||
	    (rc = get_str(root, "errstr_unpriv", &t->errstr_unpriv, err)))
		return rc;
	if ((rc = get_int(root, "flags", false, &v, err)))
		return rc;
	t->flags = (uint32_t)v;
	if ((rc = get_int(root, "fill", false, &v, err)))
		return rc;
	t->fill = v != 0;
	json_t *insns = json_object_get(root, "insns");
	if (t->fill)
		return BPFC_OK;
	if (!json_is_string(insns))
		return bpfc_error_set(err, BPFC_ERR_INPUT, "field 'insns' is not a string");
	if ((rc = parse_insns(json_string_value(insns), t, err)))
		return rc;
	return apply_fixups(json_object_get(root, "fixups"), t, err);
}

int lr_parse_line(const char *line, size_t len, struct lr_test *out, struct bpfc_error *err)
{
	memset(out, 0, sizeof(*out));
	json_error_t jerr;
	json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "malformed JSON at column %d: %s", jerr.column,
		                      jerr.text);
	int rc = parse_obj(root, out, err);
	json_decref(root);
	if (rc == BPFC_ERR_UNSUPPORTED) {
		/* keep id and descr so the caller can name the test it skips */
		free(out->insns);
		out->insns = NULL;
		out->insn_cnt = 0;
	} else if (rc) {
		lr_test_free(out);
	}
	return rc;
}

const char *lr_prog_type_name(uint32_t prog_type)
{
	const struct plat_platform *p = plat_linux();
	if (!p)
		return NULL;
	const struct plat_prog_type *t = plat_prog_type_by_id(p, prog_type ? prog_type : 1);
	return t ? t->name : NULL;
}

bool lr_runs_unprivileged(const struct lr_test *t)
{
	return t->prog_type == 0 || t->prog_type == 1 || t->prog_type == 8;
}
