/* Program type from an ELF section name, by the table in specs/platforms/linux/sections.json
 * (libbpf's SEC() conventions). The table is parsed once per process (pthread_once) into an
 * immutable array, as plat_linux() does: parsing it per object cost 0.1 ms, the whole load. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/elf.h"
#include "bpfcheck/specs.h"
#include "elf_internal.h"

enum match { MATCH_EXACT, MATCH_SLASH, MATCH_PREFIX };

struct sec_rule {
	char *prefix;
	char *type;
	size_t len;
	enum match match;
};

struct sec_table {
	struct sec_rule *rules;
	size_t cnt;
	struct bpfc_error err; /* why the table could not be built (rules NULL) */
};

static struct sec_table g_table; /* written once under pthread_once, read-only after */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
	struct sec_table *t = &g_table;
	size_t text_len;
	const char *text = bpfc_spec_text("platforms/linux/sections.json", &text_len);
	if (!text) {
		bpfc_error_set(&t->err, BPFC_ERR_UNSUPPORTED,
		               "platforms/linux/sections.json is not embedded");
		return;
	}
	json_error_t jerr;
	json_t *root = json_loadb(text, text_len, 0, &jerr);
	json_t *rules = json_object_get(root, "sections");
	if (!json_is_array(rules)) {
		bpfc_error_set(&t->err, BPFC_ERR_INPUT,
		               "platforms/linux/sections.json: no \"sections\" array (%s)",
		               root ? "missing" : jerr.text);
		json_decref(root);
		return;
	}
	struct sec_rule *out = calloc(json_array_size(rules) + 1, sizeof(*out));
	size_t n = 0, i;
	json_t *rule;
	json_array_foreach(rules, i, rule)
	{
		const char *prefix = json_string_value(json_object_get(rule, "prefix"));
		const char *type = json_string_value(json_object_get(rule, "type"));
		const char *match = json_string_value(json_object_get(rule, "match"));
		enum match m = match && strcmp(match, "exact") == 0    ? MATCH_EXACT
		               : match && strcmp(match, "slash") == 0  ? MATCH_SLASH
		               : match && strcmp(match, "prefix") == 0 ? MATCH_PREFIX
		                                                       : (enum match) - 1;
		if (!out || !prefix || !type || (int)m < 0) {
			bpfc_error_set(&t->err, BPFC_ERR_INPUT,
			               "platforms/linux/sections.json: rule %zu needs \"prefix\", \"type\" "
			               "and \"match\" "
			               "(exact, slash or prefix)",
			               i);
			for (size_t k = 0; out && k < n; k++) {
				free(out[k].prefix);
				free(out[k].type);
			}
			free(out);
			json_decref(root);
			return;
		}
		out[n] = (struct sec_rule){strdup(prefix), strdup(type), strlen(prefix), m};
		n++;
	}
	json_decref(root);
	t->rules = out;
	t->cnt = n;
}

const void *elf_sections_table(struct bpfc_error *err)
{
	pthread_once(&g_once, build_table);
	if (!g_table.rules) {
		if (err)
			*err = g_table.err;
		return NULL;
	}
	return &g_table;
}

const char *elf_sections_table_type(const void *table, const char *section)
{
	const struct sec_table *t = table;
	size_t best = 0;
	const char *best_type = NULL;
	for (size_t i = 0; i < t->cnt; i++) {
		const struct sec_rule *r = &t->rules[i];
		if (r->len <= best || strncmp(section, r->prefix, r->len) != 0)
			continue;
		char next = section[r->len];
		bool ok =
		    r->match == MATCH_PREFIX || next == '\0' || (r->match == MATCH_SLASH && next == '/');
		if (ok) {
			best = r->len;
			best_type = r->type;
		}
	}
	return best_type;
}

int elf_section_prog_type(const char *section, char *type, size_t len, struct bpfc_error *err)
{
	if (type && len)
		type[0] = '\0';
	const void *table = elf_sections_table(err);
	if (!table)
		return -1;
	const char *t = elf_sections_table_type(table, section);
	if (t && type && len) {
		strncpy(type, t, len - 1);
		type[len - 1] = '\0';
	}
	return t != NULL;
}
