/* Options shared by the subcommands that read programs (isa, disasm; run and plugin use the
 * value parsers): input format, byte order,
 * program selection, dialect, ISA table and the validation gates. */
#ifndef BPFCHECK_CLI_OPTIONS_H
#define BPFCHECK_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bpfcheck/input.h"
#include "bpfcheck/prog.h"
#include "bpfcheck/validate.h"

/* Which option families a command accepts. */
enum { CLI_OPT_INPUT = 1, CLI_OPT_VALIDATE = 2, CLI_OPT_DISASM = 4 };

struct cli_opts {
	struct bpfc_input_opts input;
	struct isa_validate_opts validate;
	struct isa_table *isa_loaded; /* --isa FILE, owned */
	bool no_raw;                  /* disasm: omit the raw bytes column */
	char **files;                 /* the FILE arguments (pointers into argv) */
	size_t file_cnt;
};

/* Parses argv (argv[0] is the command name). Returns -1 to go on, or the exit code to return
 * at once: 0 after --help (usage printed to stdout), 2 after a usage error (message on stderr). */
int cli_parse_options(int argc, char **argv, unsigned families, const char *usage_text, struct cli_opts *o);

void cli_opts_free(struct cli_opts *o);

/* "file" for a one-program non-ELF input, "file:section/program" for ELF programs. */
void cli_prog_label(const struct bpfc_object *obj, const struct bpfc_prog *p, char *buf, size_t len);

/* The input format named name ("raw", "asm", "data", "elf", "auto"); false for any other name. */
bool cli_format_from_name(const char *name, enum bpfc_format *out);

/* The assembly dialect named name ("llvm", "ubpf", "auto"); false for any other name. */
bool cli_dialect_from_name(const char *name, enum isa_dialect *out);

/* Parses the value of --max-insns (a positive number) into *out. Returns -1 on success, or
 * prints "bpfcheck CMD: --max-insns needs ..." and returns the usage exit code. */
int cli_parse_budget(const char *cmd, const char *arg, unsigned long long *out);

/* Loads file with the input options and prints "bpfcheck CMD: error: ..." when it cannot be
 * read or holds no (selected) program. Returns the object, or NULL after such an error. */
struct bpfc_object *cli_load_programs(const char *cmd, const struct bpfc_input_opts *in, const char *file);

/* Exit code for a failed load: 2 for every input error. Prints "bpfcheck CMD: message". */
int cli_report_load_error(const char *cmd, const struct bpfc_error *err);

#endif
