/* The ISA conformance runner: bpf_conformance ".data" suites against the built-in reference
 * interpreter or an external runtime speaking the bpf_conformance plugin protocol
 * ("PLUGIN [MEMHEX] [OPTIONS...]", program as hex text on stdin, r0 in hex on stdout, exit 0; or
 * a non-zero exit and a message), plus the generator of .data tests from the ISA table with
 * expected results from an oracle independent of the interpreter. */
#ifndef BPFCHECK_CONFORMANCE_H
#define BPFCHECK_CONFORMANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/interp.h"
#include "bpfcheck/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpfc_conf_status { BPFC_CONF_PASS = 0, BPFC_CONF_FAIL, BPFC_CONF_ERROR, BPFC_CONF_SKIP };

/* "PASS", "FAIL", "ERROR", "SKIP". */
const char *bpfc_conf_status_name(enum bpfc_conf_status s);

struct bpfc_conf_opts {
	const struct isa_table *isa; /* NULL: the built-in table */
	const char *runtime;         /* NULL: the built-in interpreter; else a shell command (the plugin) */
	char *const *runtime_args;   /* options passed after MEMHEX (NULL-terminated, may be NULL) */
	double timeout_sec;          /* per test; <= 0: 10 seconds */
	unsigned cpu;                /* 1..4: skip tests needing a later -mcpu; 0: 4 */
	isa_group_mask groups;       /* selected groups (closures applied by the caller); 0: all groups */
	const char *include_re;      /* POSIX extended regex on the test name, or NULL */
	const char *exclude_re;
};

/* One test's outcome. */
struct bpfc_conf_case {
	char *name; /* file name without ".data" */
	char *path;
	enum bpfc_conf_status status;
	bool expect_error;    /* the test expects the runtime to report an error */
	uint64_t expected;    /* the expected r0 otherwise */
	bool got_value;       /* the runtime returned a value ... */
	uint64_t got;         /* ... this one */
	char *detail;         /* the runtime's error, the skip reason, why it could not run; or NULL */
	isa_group_mask needs; /* groups the program's instructions belong to */
	unsigned cpu;         /* lowest -mcpu of the program */
	size_t insn_count;
	double seconds;
};

struct bpfc_conf_report {
	struct bpfc_conf_case *cases; /* sorted by file name */
	size_t count;
	size_t passed, failed, errors, skipped;
	/* per group of the table: tests (not skipped) that use the group, and those that passed */
	size_t group_total[ISA_MAX_GROUPS];
	size_t group_passed[ISA_MAX_GROUPS];
	const struct isa_table *isa;
};

/* Runs every *.data file of dir (sorted by name). Fails (BPFC_ERR_IO/USAGE) only when the
 * directory or a regex is unusable; a test that cannot run is an ERROR case in the report. */
int bpfc_conf_run_suite(const char *dir, const struct bpfc_conf_opts *opts, struct bpfc_conf_report **out,
                        struct bpfc_error *err);

/* Runs one .data file into *out (fields freed by bpfc_conf_case_free). */
int bpfc_conf_run_file(const char *path, const struct bpfc_conf_opts *opts, struct bpfc_conf_case *out,
                       struct bpfc_error *err);

void bpfc_conf_case_free(struct bpfc_conf_case *c);
void bpfc_conf_report_free(struct bpfc_conf_report *r);

/* The report as JSON text (specs/conformance/result.schema.json); free() the result. */
char *bpfc_conf_report_json(const struct bpfc_conf_report *r, const char *suite,
                            const struct bpfc_conf_opts *opts);

/* Groups and lowest -mcpu of a program: the union of its instructions' groups; instructions not
 * in the table are ignored (the runtime will be the judge). */
void bpfc_conf_program_needs(const struct isa_table *t, const struct isa_slot *slots, size_t count,
                             isa_group_mask *groups, unsigned *cpu);

/* Mask of the groups named in a comma- or space-separated list, each with the groups it includes. */
int bpfc_conf_parse_groups(const struct isa_table *t, const char *list, isa_group_mask *out,
                           struct bpfc_error *err);

/* The helper convention of bpf_conformance: helper 5 (by id, or through callx) returns its first
 * argument; any other helper is an error. An isa_interp_helper_fn. */
int bpfc_conf_helper(void *ctx, const struct isa_interp_call *call, uint64_t *ret, char *msg, size_t msg_len);

/* Interpreter options for a conformance run (table, helper convention, little-endian). */
void bpfc_conf_interp_opts(const struct isa_table *t, struct isa_interp_opts *o);

/* Decodes whitespace-separated hex bytes ("b7 00 00 00", "0xb7", "b7000000") into *out
 * (free()); an empty text gives *len 0 and a non-NULL *out. Errors name the bad token. */
int bpfc_conf_hex_decode(const char *text, uint8_t **out, size_t *len, struct bpfc_error *err);

/* ---- the plugin protocol, from the runner's side ---- */

struct bpfc_conf_proc_result {
	int exit_code; /* -1 when killed or not exited normally */
	bool timed_out;
	char *out; /* stdout (NUL-terminated; free()) */
	char *err; /* stderr */
};

/* Runs `command` (through /bin/sh) with args (NULL-terminated) appended, feeding stdin_text, with
 * a timeout after which the child's process group is killed. Never hangs. */
int bpfc_conf_proc_run(const char *command, char *const *args, const char *stdin_text, double timeout_sec,
                       struct bpfc_conf_proc_result *res, struct bpfc_error *err);
void bpfc_conf_proc_result_free(struct bpfc_conf_proc_result *r);

/* ---- generated tests ---- */

struct bpfc_conf_gen_stats {
	size_t tests;     /* .data files written */
	size_t encodings; /* distinct table entries covered */
	size_t skipped;   /* table entries with no generated test (platform-dependent ones) */
};

/* Writes .data tests derived from the ISA table into dir (created if missing): every encoding
 * with edge values, expected results from the independent oracle (src/conformance/oracle.c). */
int bpfc_conf_generate(const struct isa_table *t, const char *dir, struct bpfc_conf_gen_stats *stats,
                       struct bpfc_error *err);

#ifdef __cplusplus
}
#endif
#endif
