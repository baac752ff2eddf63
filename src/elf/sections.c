/* Program type from an ELF section name, by the table in specs/platforms/linux/sections.json
 * (libbpf's SEC() conventions). */
#include <jansson.h>
#include <string.h>

#include "bpfcheck/elf.h"
#include "bpfcheck/specs.h"

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

int elf_section_prog_type(const char *section, char *type, size_t len, struct bpfc_error *err)
{
	size_t text_len;
	const char *text = bpfc_spec_text("platforms/linux/sections.json", &text_len);
	if (type && len)
		type[0] = '\0';
	if (!text) {
		bpfc_error_set(err, BPFC_ERR_UNSUPPORTED, "platforms/linux/sections.json is not embedded");
		return -1;
	}
	json_error_t jerr;
	json_t *root = json_loadb(text, text_len, 0, &jerr);
	json_t *rules = root ? json_object_get(root, "sections") : NULL;
	if (!json_is_array(rules)) {
		json_decref(root);
		bpfc_error_set(err, BPFC_ERR_INPUT,
		               "platforms/linux/sections.json: no \"sections\" array (%s)", jerr.text);
		return -1;
	}
	size_t best = 0, i;
	const char *best_type = NULL;
	json_t *rule;
	json_array_foreach(rules, i, rule)
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
	int found = best_type != NULL;
	if (found && type && len) {
		strncpy(type, best_type, len - 1);
		type[len - 1] = '\0';
	}
	json_decref(root);
	return found;
}
