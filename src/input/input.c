/* Reading programs from files: the format is recognised by content first (ELF magic, text with
 * .data section headers, other text, binary), then by extension; each non-ELF file gives one
 * program named after the file. ELF objects go to the ELF loader. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bpfcheck/elf.h"
#include "bpfcheck/input.h"
#include "common/fileio.h"

/* Inputs larger than this are refused before any parsing (32M slots of raw bytecode). */
#define BPFC_INPUT_MAX_BYTES ((size_t)256 << 20)

const char *bpfc_format_name(enum bpfc_format f)
{
	switch (f) {
	case BPFC_FORMAT_RAW: return "raw";
	case BPFC_FORMAT_ASM: return "asm";
	case BPFC_FORMAT_DATA: return "data";
	case BPFC_FORMAT_ELF: return "elf";
	default: return "auto";
	}
}

static const char *extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? dot + 1 : "";
}

/* Text: no NUL and no control bytes other than white space (DEL and bytes >= 0x80 allowed: UTF-8,
 * stray characters in comments) in the first 64 KiB. Raw bytecode practically always has a zero
 * byte (register nibbles, offsets, immediates). */
static bool looks_text(const uint8_t *data, size_t len)
{
	size_t n = len < 65536 ? len : 65536;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = data[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v')
			return false;
	}
	return true;
}

/* A line that is exactly a .data program section header ("-- asm", "-- raw"). */
static bool has_data_header(const uint8_t *data, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		size_t s = i, t = e;
		while (s < t && (data[s] == ' ' || data[s] == '\t'))
			s++;
		while (t > s && (data[t - 1] == ' ' || data[t - 1] == '\t' || data[t - 1] == '\r'))
			t--;
		if (t - s >= 3 && data[s] == '-' && data[s + 1] == '-') {
			size_t k = s + 2;
			while (k < t && (data[k] == ' ' || data[k] == '\t'))
				k++;
			if (k > s + 2 && t - k == 3 &&
			    (memcmp(data + k, "asm", 3) == 0 || memcmp(data + k, "raw", 3) == 0))
				return true;
		}
		i = e + 1;
	}
	return false;
}

enum bpfc_format bpfc_input_detect(const char *path, const uint8_t *data, size_t len)
{
	const char *ext = extension(path ? path : "");
	if (len > 0) {
		if (elf_is_elf(data, len))
			return BPFC_FORMAT_ELF;
		/* A .data file is text by definition: its parser names a binary line, which says
		 * more than decoding it as raw slots would. */
		if (strcmp(ext, "data") == 0)
			return BPFC_FORMAT_DATA;
		if (looks_text(data, len))
			return has_data_header(data, len) ? BPFC_FORMAT_DATA : BPFC_FORMAT_ASM;
		return BPFC_FORMAT_RAW;
	}
	if (strcmp(ext, "data") == 0)
		return BPFC_FORMAT_DATA;
	if (strcmp(ext, "s") == 0 || strcmp(ext, "asm") == 0 || strcmp(ext, "S") == 0)
		return BPFC_FORMAT_ASM;
	if (strcmp(ext, "o") == 0 || strcmp(ext, "elf") == 0)
		return BPFC_FORMAT_ELF;
	return BPFC_FORMAT_RAW;
}

/* The program name of a non-ELF file: its base name without the extension. */
static char *base_name(const char *path)
{
	if (strcmp(path, "-") == 0)
		return strdup("stdin");
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, base, n);
		s[n] = 0;
	}
	return s;
}

/* Source lines of an assembled program, so disassembly can show them like llvm-objdump -S. */
struct text_lines {
	char *text;    /* a copy of the source with each line NUL-terminated */
	char **starts; /* per 1-based line */
	size_t count;
};

static void text_lines_free(void *p)
{
	struct text_lines *tl = p;
	if (!tl)
		return;
	free(tl->text);
	free(tl->starts);
	free(tl);
}

static struct text_lines *text_lines_new(const char *text, size_t len, const char *file_name)
{
	struct text_lines *tl = calloc(1, sizeof(*tl));
	if (!tl)
		return NULL;
	size_t nlen = strlen(file_name);
	tl->text = malloc(len + nlen + 2);
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	tl->starts = calloc(lines + 1, sizeof(char *));
	if (!tl->text || !tl->starts) {
		text_lines_free(tl);
		return NULL;
	}
	/* The file name is stored first so line records can point at it. */
	memcpy(tl->text, file_name, nlen + 1);
	char *body = tl->text + nlen + 1;
	memcpy(body, text, len);
	body[len] = 0;
	size_t ln = 1;
	tl->starts[ln] = body;
	for (size_t i = 0; i < len; i++) {
		if (body[i] == '\n') {
			body[i] = 0;
			if (i > 0 && body[i - 1] == '\r')
				body[i - 1] = 0;
			tl->starts[++ln] = body + i + 1;
		}
	}
	tl->count = ln;
	return tl;
}

/* Attaches per-slot source lines (line_of[i] is 1-based within text, shifted by line_base). */
static int attach_lines(struct bpfc_object *obj, struct bpfc_prog *prog, const char *path, const char *text,
                        size_t len, const uint32_t *line_of, uint32_t line_base, struct bpfc_error *err)
{
	if (!line_of || !prog->insn_cnt)
		return BPFC_OK;
	struct text_lines *tl = text_lines_new(text, len, path);
	prog->lines = tl ? calloc(prog->insn_cnt, sizeof(*prog->lines)) : NULL;
	if (!tl || !prog->lines) {
		text_lines_free(tl);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
	}
	obj->priv = tl;
	obj->priv_free = text_lines_free;
	obj->has_line_info = true;
	for (size_t i = 0; i < prog->insn_cnt; i++) {
		uint32_t l = line_of[i];
		if (l == 0 || l > tl->count)
			continue;
		prog->lines[i].file = tl->text;
		prog->lines[i].text = tl->starts[l];
		prog->lines[i].line = l + line_base;
	}
	return BPFC_OK;
}

static int assemble(const struct bpfc_input_opts *o, const char *path, const char *text, size_t len,
                    struct isa_slot **slots, size_t *cnt, uint32_t **line_of, struct bpfc_error *err)
{
	const struct isa_table *t = o->isa ? o->isa : isa_table_default();
	return isa_assemble(t, text, len, o->dialect, path, slots, cnt, line_of, err);
}

/* One .data test: the "-- raw" program when present (it overrides "-- asm"), else "-- asm". */
static int load_data(const struct bpfc_input_opts *o, const char *path, const char *text, size_t len,
                     struct bpfc_object *obj, struct bpfc_prog **prog, struct bpfc_error *err)
{
	struct bpfc_data_test t;
	int rc = bpfc_data_parse(text, len, path, &t, err);
	if (rc)
		return rc;
	struct isa_slot *slots = NULL;
	size_t cnt = 0;
	uint32_t *line_of = NULL;
	char *name = base_name(path);
	if (!name) {
		rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
	} else if (t.raw) {
		slots = t.raw;
		cnt = t.raw_cnt;
		t.raw = NULL;
	} else if (t.asm_text) {
		/* Assembled as its own text; messages and line info are shifted to file lines. */
		rc = assemble(o, path, t.asm_text, strlen(t.asm_text), &slots, &cnt, &line_of, err);
		if (rc && t.asm_first_line > 1) {
			/* "path:L:C:" from the assembler counts lines of the section; make them file lines.
			 */
			size_t plen = strlen(path);
			unsigned long l;
			char *end;
			if (strncmp(err->msg, path, plen) == 0 && err->msg[plen] == ':' &&
			    (l = strtoul(err->msg + plen + 1, &end, 10)) > 0 && *end == ':') {
				char rest[sizeof(err->msg)];
				snprintf(rest, sizeof(rest), "%s", end);
				bpfc_error_set(err, (enum bpfc_err)rc, "%s:%lu%s", path,
				               l + t.asm_first_line - 1, rest);
			}
		}
	} else {
		rc = bpfc_error_set(err, BPFC_ERR_INPUT,
		                    "%s: no program: the file has neither -- asm nor -- raw", path);
	}
	if (rc == BPFC_OK && cnt == 0)
		rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: the program section is empty", path);
	if (rc == BPFC_OK) {
		*prog = bpfc_object_add_prog(obj, name, NULL, o->prog_type, slots, cnt);
		if (!*prog)
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
		else {
			slots = NULL;
			if (line_of)
				rc = attach_lines(obj, *prog, path, t.asm_text, strlen(t.asm_text), line_of,
				                  t.asm_first_line - 1, err);
		}
	}
	free(slots);
	free(line_of);
	free(name);
	bpfc_data_free(&t);
	return rc;
}

static int load_non_elf(const struct bpfc_input_opts *o, enum bpfc_format fmt, const char *path,
                        const uint8_t *data, size_t len, struct bpfc_object *obj, struct bpfc_error *err)
{
	struct bpfc_prog *prog = NULL;
	int rc;
	if (fmt == BPFC_FORMAT_DATA)
		return load_data(o, path, (const char *)data, len, obj, &prog, err);
	char *name = base_name(path);
	if (!name)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
	struct isa_slot *slots = NULL;
	size_t cnt = 0;
	uint32_t *line_of = NULL;
	if (fmt == BPFC_FORMAT_RAW) {
		if (len == 0) {
			rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: empty file: no instructions", path);
		} else {
			rc = isa_decode(data, len, o->byte_order, &slots, &cnt, err);
			if (rc == BPFC_ERR_INPUT) {
				char msg[sizeof(err->msg)];
				snprintf(msg, sizeof(msg), "%s", err->msg);
				bpfc_error_set(err, rc, "%s: raw bytecode: %s", path, msg);
			}
		}
	} else {
		rc = assemble(o, path, (const char *)data, len, &slots, &cnt, &line_of, err);
		if (rc == BPFC_OK && cnt == 0)
			rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s: no instructions in the assembly text",
			                    path);
	}
	if (rc == BPFC_OK) {
		prog = bpfc_object_add_prog(obj, name, NULL, o->prog_type, slots, cnt);
		if (!prog) {
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
		} else {
			slots = NULL;
			prog->byte_order = fmt == BPFC_FORMAT_RAW ? o->byte_order : ISA_LITTLE_ENDIAN;
			rc = attach_lines(obj, prog, path, (const char *)data, len, line_of, 0, err);
		}
	}
	free(slots);
	free(line_of);
	free(name);
	return rc;
}

int bpfc_input_load(const char *path, const struct bpfc_input_opts *opts, struct bpfc_object **out,
                    struct bpfc_error *err)
{
	static const struct bpfc_input_opts defaults = {0};
	const struct bpfc_input_opts *o = opts ? opts : &defaults;
	*out = NULL;
	struct stat st;
	if (strcmp(path, "-") != 0) {
		if (stat(path, &st) != 0)
			return bpfc_error_set(err, BPFC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		if (S_ISDIR(st.st_mode))
			return bpfc_error_set(err, BPFC_ERR_INPUT, "%s: is a directory, expected a file",
			                      path);
		if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > BPFC_INPUT_MAX_BYTES)
			return bpfc_error_set(
			    err, BPFC_ERR_LIMIT,
			    "%s: %lld bytes is larger than the %zu-byte (256 MiB) input limit", path,
			    (long long)st.st_size, BPFC_INPUT_MAX_BYTES);
	}
	uint8_t *data;
	size_t len;
	int rc = bpfc_read_file(path, BPFC_INPUT_MAX_BYTES, &data, &len, err);
	if (rc)
		return rc;
	enum bpfc_format fmt = o->format != BPFC_FORMAT_AUTO ? o->format : bpfc_input_detect(path, data, len);
	if (fmt == BPFC_FORMAT_ELF) {
		struct bpfc_elf_opts eo = {.section = o->section,
		                           .program = o->program,
		                           .prog_type = o->prog_type,
		                           .btf_path = NULL,
		                           .kconfig_path = o->kconfig_path};
		if (!elf_is_elf(data, len))
			rc =
			    bpfc_error_set(err, BPFC_ERR_INPUT, "%s: not an ELF object (no ELF magic)", path);
		else
			rc = elf_load_object(path, data, len, &eo, out, err);
		free(data);
		return rc;
	}
	if (o->section) {
		free(data);
		return bpfc_error_set(
		    err, BPFC_ERR_USAGE,
		    "%s: --section applies to ELF objects; this file is %s (one program, no "
		    "sections)",
		    path, bpfc_format_name(fmt));
	}
	struct bpfc_object *obj = bpfc_object_new(path);
	if (!obj) {
		free(data);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
	}
	rc = load_non_elf(o, fmt, path, data, len, obj, err);
	free(data);
	if (rc == BPFC_OK && o->program && obj->prog_cnt && strcmp(obj->progs[0].name, o->program) != 0)
		rc = bpfc_error_set(err, BPFC_ERR_INPUT,
		                    "%s: no program named '%s' (the file holds one program, '%s')", path,
		                    o->program, obj->progs[0].name);
	if (rc) {
		bpfc_object_free(obj);
		return rc;
	}
	*out = obj;
	return BPFC_OK;
}
