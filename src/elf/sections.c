/* Program type from an ELF section name, by the table in specs/platforms/linux/sections.json
 * (libbpf's SEC() conventions). */
#include <jansson.h>
#include <string.h>

#include "bpfcheck/elf.h"
#include "bpfcheck/specs.h"
#include "elf_internal.h"

static int rule_matches(const char *sec, const char *prefix, const char *match)
{
	size_t n = strlen(prefix);
	if (strcmp(match, "exact") == 0)
		return strcmp(sec, prefix) == 0;
	if (strncmp(sec, prefix, n) != 0)
		return 0;
	if (strcmp(match, "prefix") == 0)
		return 1;
	return sec[n] == '\0' || sec[n] == '/'; /* "slash" */
}

void *elf_sections_table_load(struct bpfc_error *err)
{
	size_t text_len;
	const char *text = bpfc_spec_text("platforms/linux/sections.json", &text_len);
	if (!text) {
		bpfc_error_set(err, BPFC_ERR_UNSUPPORTED, "platforms/linux/sections.json is not embedded");
		return NULL;
	}
	json_error_t jerr;
	json_t *root = json_loadb(text, text_len, 0, &jerr);
	if (!json_is_array(json_object_get(root, "sections"))) {
		json_decref(root);
		bpfc_error_set(err, BPFC_ERR_INPUT,
		               "platforms/linux/sections.json: no \"sections\" array (%s)", jerr.text);
		return NULL;
	}
	return root;
}

void elf_sections_table_free(void *table)
{
	json_decref(table);
}

const char *elf_sections_table_type(void *table, const char *section)
{
	size_t best = 0, i;
	const char *best_type = NULL;
	json_t *rule;
	json_array_foreach(json_object_get(table, "sections"), i, rule)
	{
		const char *prefix = json_string_value(json_object_get(rule, "prefix"));
		const char *t = json_string_value(json_object_get(rule, "type"));
		const char *match = json_string_value(json_object_get(rule, "match"));
		if (!prefix || !t || !match)
			continue;
		size_t n = strlen(prefix);
		if (n > best && rule_matches(section, prefix, match)) {
			best = n;
			best_type = t;
		}
	}
	return best_type;
}

int elf_section_prog_type(const char *section, char *type, size_t len, struct bpfc_error *err)
{
	if (type && len)
		type[0] = '\0';
	void *table = elf_sections_table_load(err);
	if (!table)
		return -1;
	const char *t = elf_sections_table_type(table, section);
	if (t && type && len) {
		strncpy(type, t, len - 1);
		type[len - 1] = '\0';
	}
	elf_sections_table_free(table);
	return t != NULL;
}
