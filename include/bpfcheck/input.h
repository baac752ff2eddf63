/* Reading programs from files: format detection and the non-ELF formats (raw bytecode,
 * assembly, bpf_conformance .data). ELF objects go to src/elf. */
#ifndef BPFCHECK_INPUT_H
#define BPFCHECK_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/error.h"
#include "bpfcheck/prog.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpfc_format {
	BPFC_FORMAT_AUTO = 0,
	BPFC_FORMAT_RAW,
	BPFC_FORMAT_ASM,
	BPFC_FORMAT_DATA,
	BPFC_FORMAT_ELF
};

struct bpfc_input_opts {
	enum bpfc_format format;        /* AUTO: by content, then by extension */
	enum isa_dialect dialect;       /* for assembly text */
	enum isa_byte_order byte_order; /* for raw bytecode */
	const char *section;            /* keep only programs in this section (NULL: all) */
	const char *program;            /* keep only the program with this name (NULL: all) */
	const char *prog_type;          /* program type for inputs that do not carry one */
	const char *kconfig_path;       /* ELF: kernel .config for .kconfig externs (NULL: unknown) */
	const struct isa_table *isa;    /* NULL: the built-in table */
};

/* Format of a file from its first bytes and its name. */
enum bpfc_format bpfc_input_detect(const char *path, const uint8_t *data, size_t len);

/* Name of a format ("raw", "asm", "data", "elf"). */
const char *bpfc_format_name(enum bpfc_format f);

/* Loads every program of a file into a new object (freed with bpfc_object_free). Errors
 * (BPFC_ERR_INPUT, BPFC_ERR_IO, ...) name the file and, where it applies, line or offset. */
int bpfc_input_load(const char *path, const struct bpfc_input_opts *opts, struct bpfc_object **out,
                    struct bpfc_error *err);

/* A bpf_conformance .data test: sections "-- asm", "-- raw", "-- mem", "-- result", "-- error". */
struct bpfc_data_test {
	char *asm_text;       /* the "-- asm" section, or NULL */
	struct isa_slot *raw; /* the "-- raw" section decoded, or NULL */
	size_t raw_cnt;
	uint8_t *mem; /* "-- mem" bytes, or NULL */
	size_t mem_len;
	bool has_result;
	uint64_t result;         /* "-- result" */
	char *error;             /* "-- error" text (may be empty), or NULL */
	uint32_t asm_first_line; /* line of the file where the asm text starts, for messages */
};

/* Parses a .data file's text. "-- raw" may be 64-bit words (0x5566778800000018) or 8 hex bytes
 * per line. Unknown "-- " sections are an error naming the line. */
int bpfc_data_parse(const char *text, size_t len, const char *origin, struct bpfc_data_test *out,
                    struct bpfc_error *err);

/* Frees what bpfc_data_parse allocated in t (not t itself). */
void bpfc_data_free(struct bpfc_data_test *t);

#ifdef __cplusplus
}
#endif
#endif
