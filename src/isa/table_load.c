/* Reads an ISA table from its JSON form (specs/isa). Used at build time by the generator and at
 * run time by `--isa FILE`; every field is checked so a bad file gives a message, not a bad table. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/isa.h"
#include "../common/fileio.h"

struct table_storage {
	struct isa_entry *entries;
	struct isa_group *groups;
	char *name;
};

static int lookup_name(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const class_names[] = {"LD", "LDX", "ST", "STX", "ALU", "JMP", "JMP32", "ALU64"};
static const char *const mode_names[] = {"K", "X", "IMM", "ABS", "IND", "MEM", "MEMSX", "ATOMIC"};
static const char *const rule_names[] = {"zero", "reg", "any", "match"};
static const char *const role_names[] = {"none", "read", "write", "readwrite", "base"};
static const char *const field_keys[] = {"dst", "src", "offset", "imm"};

static char *dup_str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static const char *get_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct isa_entry *x = a, *y = b;
	if (x->opcode != y->opcode)
		return x->opcode < y->opcode ? -1 : 1;
	if (x->match_value != y->match_value)
		return x->match_value < y->match_value ? -1 : 1;
	return 0;
}

/* The opcode's own bits must agree with the class and mode the row claims. */
static int check_opcode_bits(const struct isa_entry *e)
{
	if ((e->opcode & 7) != e->cls)
		return 0;
	if (e->sem == ISA_SEM_WIDE_SLOT2)
		return e->opcode == 0;
	switch (e->cls) {
	case ISA_CLS_ALU:
	case ISA_CLS_ALU64:
	case ISA_CLS_JMP:
	case ISA_CLS_JMP32: return ((e->opcode >> 3) & 1) == (e->mode == ISA_MODE_X);
	default: {
		static const int mode_bits[] = {
		    [ISA_MODE_IMM] = 0, [ISA_MODE_ABS] = 1,   [ISA_MODE_IND] = 2,
		    [ISA_MODE_MEM] = 3, [ISA_MODE_MEMSX] = 4, [ISA_MODE_ATOMIC] = 6};
		if (e->mode < ISA_MODE_IMM)
			return 0;
		return (e->opcode >> 5) == mode_bits[e->mode];
	}
	}
}

static int parse_groups(json_t *arr, struct isa_group *groups, size_t n, const char *origin,
                        struct bpfc_error *err)
{
	for (size_t i = 0; i < n; i++) {
		json_t *g = json_array_get(arr, i);
		const char *name = get_str(g, "name");
		if (!name || !*name)
			return bpfc_error_set(err, BPFC_ERR_INPUT, "%s: groups[%zu]: missing \"name\"",
			                      origin, i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(groups[j].name, name) == 0)
				return bpfc_error_set(err, BPFC_ERR_INPUT,
				                      "%s: groups[%zu]: duplicate group \"%s\"", origin, i,
				                      name);
		groups[i].name = dup_str(name);
		groups[i].platform = dup_str(get_str(g, "platform"));
		json_t *std = json_object_get(g, "standard");
		groups[i].standard = std ? json_is_true(std) : true;
		groups[i].closure = 1u << i;
		if (!groups[i].name)
			return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	}
	/* Includes may name later groups, so resolve after all names are known; iterate to a
	 * fixpoint for transitive inclusion (the group count is at most 32). */
	for (size_t i = 0; i < n; i++) {
		json_t *inc = json_object_get(json_array_get(arr, i), "includes");
		size_t k;
		json_t *v;
		json_array_foreach(inc, k, v)
		{
			const char *iname = json_string_value(v);
			size_t j;
			for (j = 0; j < n; j++)
				if (iname && strcmp(groups[j].name, iname) == 0)
					break;
			if (j == n)
				return bpfc_error_set(
				    err, BPFC_ERR_INPUT, "%s: group \"%s\" includes unknown group \"%s\"",
				    origin, groups[i].name, iname ? iname : "(not a string)");
			groups[i].closure |= 1u << j;
		}
	}
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++)
				if ((groups[i].closure >> j & 1) &&
				    (groups[i].closure | groups[j].closure) != groups[i].closure) {
					groups[i].closure |= groups[j].closure;
					changed = 1;
				}
	}
	return BPFC_OK;
}

static int parse_entry(json_t *row, size_t idx, const struct isa_group *groups, size_t ngroups,
                       struct isa_entry *e, const char *origin, struct bpfc_error *err)
{
	const char *s;
	char *end;
#define BAD(...) bpfc_error_set(err, BPFC_ERR_INPUT, __VA_ARGS__)
	s = get_str(row, "opcode");
	unsigned long op = s ? strtoul(s, &end, 0) : 256;
	if (!s || *end || op > 255)
		return BAD("%s: instructions[%zu]: \"opcode\" must be a string 0x00..0xff", origin, idx);
	e->opcode = (uint8_t)op;
	s = get_str(row, "mnemonic");
	if (!s || !*s)
		return BAD("%s: instructions[%zu] (opcode 0x%02lx): missing \"mnemonic\"", origin, idx, op);
	e->mnemonic = dup_str(s);
	const char *mn = s;
	int v;
	if ((s = get_str(row, "class")) == NULL || (v = lookup_name(s, class_names, 8)) < 0)
		return BAD("%s: %s: \"class\" must be one of LD LDX ST STX ALU JMP JMP32 ALU64", origin, mn);
	e->cls = (uint8_t)v;
	if ((s = get_str(row, "mode")) == NULL || (v = lookup_name(s, mode_names, 8)) < 0)
		return BAD("%s: %s: \"mode\" must be one of K X IMM ABS IND MEM MEMSX ATOMIC", origin, mn);
	e->mode = (uint8_t)v;
	json_t *size = json_object_get(row, "size");
	json_int_t sz = json_is_integer(size) ? json_integer_value(size) : -1;
	if (sz != 0 && sz != 1 && sz != 2 && sz != 4 && sz != 8)
		return BAD("%s: %s: \"size\" must be 0, 1, 2, 4 or 8", origin, mn);
	e->size = (uint8_t)sz;
	int has_match_rule = 0;
	for (int f = 0; f < ISA_FIELD_COUNT; f++) {
		if ((s = get_str(row, field_keys[f])) == NULL || (v = lookup_name(s, rule_names, 4)) < 0)
			return BAD("%s: %s: \"%s\" must be one of zero reg any match", origin, mn,
			           field_keys[f]);
		e->rule[f] = (uint8_t)v;
		has_match_rule += v == ISA_RULE_MATCH;
	}
	e->match_field = ISA_FIELD_NONE;
	e->match_value = 0;
	json_t *m = json_object_get(row, "match");
	if (m) {
		const char *field = get_str(m, "field");
		json_t *val = json_object_get(m, "value");
		v = field ? lookup_name(field, field_keys, 4) : -1;
		if (v < 0 || !json_is_integer(val))
			return BAD(
			    "%s: %s: \"match\" needs \"field\" (dst|src|offset|imm) and an integer \"value\"",
			    origin, mn);
		if (e->rule[v] != ISA_RULE_MATCH)
			return BAD("%s: %s: match field \"%s\" must have the rule \"match\"", origin, mn,
			           field);
		json_int_t mv = json_integer_value(val);
		if (mv < INT32_MIN || mv > INT32_MAX)
			return BAD("%s: %s: match value out of range", origin, mn);
		e->match_field = (int8_t)v;
		e->match_value = (int32_t)mv;
		has_match_rule--;
	}
	if (has_match_rule)
		return BAD("%s: %s: a field has rule \"match\" but \"match\" does not name it", origin, mn);
	if ((s = get_str(row, "dst_role")) == NULL || (v = lookup_name(s, role_names, 5)) < 0)
		return BAD("%s: %s: \"dst_role\" must be one of none read write readwrite base", origin, mn);
	e->dst_role = (uint8_t)v;
	s = get_str(row, "group");
	size_t g;
	for (g = 0; s && g < ngroups; g++)
		if (strcmp(groups[g].name, s) == 0)
			break;
	if (!s || g >= ngroups)
		return BAD("%s: %s: \"group\" must name a group of \"groups\"", origin, mn);
	e->group = (uint8_t)g;
	if ((s = get_str(row, "sem")) == NULL || (v = isa_sem_from_name(s)) < 0)
		return BAD("%s: %s: unknown semantic tag \"%s\"", origin, mn, s ? s : "(missing)");
	e->sem = (uint8_t)v;
	s = get_str(row, "cpu");
	if (!s || s[0] != 'v' || s[1] < '1' || s[1] > '4' || s[2])
		return BAD("%s: %s: \"cpu\" must be v1..v4", origin, mn);
	e->cpu = (uint8_t)(s[1] - '0');
	json_t *std = json_object_get(row, "standard");
	e->standard = std ? json_is_true(std) : true;
	e->platform = dup_str(get_str(row, "platform"));
	e->wide = json_is_true(json_object_get(row, "wide"));
	/* next_imm: what the second slot's imm may hold; only wide encodings have one. */
	e->next_imm = ISA_RULE_ANY;
	json_t *next = json_object_get(row, "next_imm");
	if (next) {
		s = json_string_value(next);
		if (!e->wide)
			return BAD("%s: %s: \"next_imm\" is only for wide encodings", origin, mn);
		if (!s || (strcmp(s, "zero") != 0 && strcmp(s, "any") != 0))
			return BAD("%s: %s: \"next_imm\" must be zero or any", origin, mn);
		e->next_imm = strcmp(s, "zero") == 0 ? ISA_RULE_ZERO : ISA_RULE_ANY;
	}
	if (!check_opcode_bits(e))
		return BAD("%s: %s: opcode 0x%02x does not encode class %s mode %s", origin, mn, e->opcode,
		           class_names[e->cls], mode_names[e->mode]);
	return BPFC_OK;
#undef BAD
}

void isa_table_free(struct isa_table *t)
{
	if (!t || !t->owned)
		return;
	struct table_storage *st = t->owned;
	for (size_t i = 0; i < t->entry_count; i++) {
		free((char *)st->entries[i].mnemonic);
		free((char *)st->entries[i].platform);
	}
	for (size_t i = 0; i < t->group_count; i++) {
		free((char *)st->groups[i].name);
		free((char *)st->groups[i].platform);
	}
	free(st->entries);
	free(st->groups);
	free(st->name);
	free(st);
	free(t);
}

int isa_table_parse(const char *text, size_t len, const char *origin, struct isa_table **out,
                    struct bpfc_error *err)
{
	*out = NULL;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "%s:%d:%d: invalid JSON: %s", origin, jerr.line,
		                      jerr.column, jerr.text);
	int rc = BPFC_OK;
	struct isa_table *t = calloc(1, sizeof(*t));
	struct table_storage *st = calloc(1, sizeof(*st));
	if (!t || !st) {
		free(t);
		free(st);
		json_decref(root);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	}
	t->owned = st;
	const char *fmt = get_str(root, "format");
	json_t *groups = json_object_get(root, "groups");
	json_t *insns = json_object_get(root, "instructions");
	if (!fmt || strcmp(fmt, "bpfcheck-isa") != 0) {
		rc = bpfc_error_set(err, BPFC_ERR_INPUT,
		                    "%s: not an ISA table (\"format\" is not \"bpfcheck-isa\")", origin);
		goto out;
	}
	if (!json_is_array(groups) || json_array_size(groups) == 0 ||
	    json_array_size(groups) > ISA_MAX_GROUPS) {
		rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: \"groups\" must be an array of 1..%d groups",
		                    origin, ISA_MAX_GROUPS);
		goto out;
	}
	if (!json_is_array(insns) || json_array_size(insns) == 0 || json_array_size(insns) > 65535) {
		rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: \"instructions\" must be a non-empty array",
		                    origin);
		goto out;
	}
	st->name = dup_str(get_str(root, "name") ? get_str(root, "name") : origin);
	t->name = st->name;
	t->group_count = json_array_size(groups);
	st->groups = calloc(t->group_count, sizeof(*st->groups));
	t->entry_count = json_array_size(insns);
	st->entries = calloc(t->entry_count, sizeof(*st->entries));
	if (!st->name || !st->groups || !st->entries) {
		rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
		goto out;
	}
	t->groups = st->groups;
	t->entries = st->entries;
	if ((rc = parse_groups(groups, st->groups, t->group_count, origin, err)))
		goto out;
	for (size_t i = 0; i < t->entry_count; i++)
		if ((rc = parse_entry(json_array_get(insns, i), i, st->groups, t->group_count,
		                      &st->entries[i], origin, err)))
			goto out;
	qsort(st->entries, t->entry_count, sizeof(*st->entries), entry_cmp);
	for (size_t i = 0; i < t->entry_count; i++) {
		const struct isa_entry *e = &st->entries[i];
		if (t->count[e->opcode] == 0)
			t->first[e->opcode] = (uint16_t)i;
		else {
			const struct isa_entry *p = &st->entries[i - 1];
			if (e->match_field == ISA_FIELD_NONE || p->match_field != e->match_field ||
			    p->match_value == e->match_value) {
				rc = bpfc_error_set(
				    err, BPFC_ERR_INPUT,
				    "%s: opcode 0x%02x: entries \"%s\" and \"%s\" are not told apart by "
				    "one \"match\" field with distinct values",
				    origin, e->opcode, p->mnemonic, e->mnemonic);
				goto out;
			}
		}
		if (t->count[e->opcode] == 255) {
			rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: opcode 0x%02x has too many entries",
			                    origin, e->opcode);
			goto out;
		}
		t->count[e->opcode]++;
	}
out:
	json_decref(root);
	if (rc) {
		isa_table_free(t);
		return rc;
	}
	*out = t;
	return BPFC_OK;
}

int isa_table_load(const char *path, struct isa_table **out, struct bpfc_error *err)
{
	*out = NULL;
	uint8_t *buf;
	size_t len;
	int rc = bpfc_read_file(path, 64u << 20, &buf, &len, err);
	if (rc)
		return rc;
	rc = isa_table_parse((const char *)buf, len, path, out, err);
	free(buf);
	return rc;
}
