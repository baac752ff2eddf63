/* Reports of verification runs: one model (a JSON document, schema specs/report/report.schema.json)
 * built from the results of many programs of many inputs, and renderers writing it as
 * compiler-style text, JSON, LSP diagnostics, SARIF 2.1.0 or a statistics table; a comparison of
 * two reports; and a parallel runner that loads and verifies many files into one report.
 * Field meanings, the follow-on suppression rule and every format: specs/report/README.md. */
#ifndef BPFCHECK_REPORT_H
#define BPFCHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bpfcheck/error.h"
#include "bpfcheck/input.h"
#include "bpfcheck/platform.h"
#include "bpfcheck/prog.h"
#include "bpfcheck/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the JSON report's schema (the "schema_version" field). */
#define REPORT_SCHEMA_VERSION 1

enum report_format { REPORT_TEXT = 0, REPORT_JSON, REPORT_LSP, REPORT_SARIF };
enum report_stats_format { REPORT_STATS_TABLE = 0, REPORT_STATS_CSV, REPORT_STATS_JSON };
enum report_color { REPORT_COLOR_AUTO = 0, REPORT_COLOR_ALWAYS, REPORT_COLOR_NEVER };

struct report_render_opts {
	bool color;     /* text: ANSI colours (the caller decides: TTY, NO_COLOR, --color) */
	bool timing;    /* include wall-clock times (text summaries, JSON, SARIF); off: byte-stable */
	unsigned width; /* text: wrap details and window long source lines at this width; 0: never */
	const char *source_root; /* paths under it are written relative to it (all formats); NULL: as is */
	bool show_suppressed;    /* text: also print follow-on findings (marked as such) */
};

struct report; /* opaque */

/* A new empty report. plat gives the property catalogue (titles, hints, severities); NULL means
 * plat_linux(). Fails only when out of memory. */
int report_new(const struct plat_platform *plat, struct report **out, struct bpfc_error *err);

/* Frees a report. Ignores NULL. */
void report_free(struct report *r);

/* Records an input file. obj is the loaded object (NULL when loading failed: load_error then says
 * why, and the input counts as an error). Returns the input's index, or -1 when out of memory. */
long report_add_input(struct report *r, const char *path, const struct bpfc_object *obj,
                      const char *load_error);

/* Records the verification of obj->progs[prog_idx] of input input_idx: program identity, verdict,
 * conformance groups (computed with isa, NULL: the built-in table), statistics and findings with
 * their source lines and disassembly, copied, so obj and res may be freed afterwards. res NULL with
 * verify_error set records a program that could not be verified (verdict "error"). Follow-on
 * findings are marked as suppressed (specs/report/README.md). */
int report_add_program(struct report *r, size_t input_idx, const struct bpfc_object *obj, size_t prog_idx,
                       const struct vf_result *res, const char *verify_error, const struct isa_table *isa,
                       struct bpfc_error *err);

/* The report as a Jansson object (a const json_t *, borrowed; valid until the report changes or
 * is freed), for C callers that walk it. It holds times; report_to_json() writes them only when
 * asked. Its "properties" member is an object keyed by id (an array in the written form). */
const void *report_json(const struct report *r);

/* The report as a JSON string in the schema (sorted keys, 2-space indent, trailing newline);
 * malloc'd, NULL when out of memory. */
char *report_to_json(const struct report *r, const struct report_render_opts *opts);

/* Reads a JSON report (from report_to_json) back, for compare and renderers. BPFC_ERR_INPUT names
 * the file and what is wrong (not JSON, not a report, a schema_version this version cannot read). */
int report_from_json(const char *text, size_t len, const char *origin, struct report **out,
                     struct bpfc_error *err);

/* Writes the report in format fmt to f. Returns BPFC_OK, BPFC_ERR_IO or BPFC_ERR_NOMEM. */
int report_render(const struct report *r, enum report_format fmt, const struct report_render_opts *opts,
                  FILE *f, struct bpfc_error *err);

/* The renderers report_render dispatches to. */
int report_render_text(const struct report *r, const struct report_render_opts *opts, FILE *f);
int report_render_lsp(const struct report *r, const struct report_render_opts *opts, FILE *f);
int report_render_sarif(const struct report *r, const struct report_render_opts *opts, FILE *f);

/* Per-program statistics (instructions, blocks, loop heads, iterations, peak states, time, peak
 * memory) as an aligned table, CSV or JSON, like veristat. The time column only with opts->timing
 * (opts may be NULL: no times), so the output can be byte-stable. */
int report_render_stats(const struct report *r, enum report_stats_format fmt,
                        const struct report_render_opts *opts, FILE *f);

/* Counts over the whole report. */
struct report_summary {
	size_t inputs, input_errors;
	size_t programs, passed, failed, errors; /* errors: programs that could not be verified */
	size_t findings, suppressed;             /* findings reported; follow-on findings suppressed */
	size_t errors_found, warnings, notes;    /* reported findings by severity */
};
void report_summarize(const struct report *r, struct report_summary *out);

/* Compares report a (before) with b (after) and writes to f: verdict changes first, then findings
 * added and removed, then statistics deltas. *regressions (may be NULL) gets the number of programs
 * that went from pass to fail or error; programs are matched by input file name, section, name. */
int report_compare(const struct report *a, const struct report *b, const struct report_render_opts *opts,
                   FILE *f, size_t *regressions, struct bpfc_error *err);

/* Name of a format as the CLI spells it ("text", "json", "lsp", "sarif"); parse: -1 if unknown. */
const char *report_format_name(enum report_format fmt);
int report_format_parse(const char *name);
int report_stats_format_parse(const char *name);

/* ---- many inputs ---- */

struct report_run_opts {
	struct bpfc_input_opts input; /* how to read each file */
	struct vf_options verify;     /* per program (prog_type overridden by input.prog_type when set) */
	const struct bpfc_map *maps;  /* maps for inputs that declare none (raw/assembly), or NULL */
	size_t map_cnt;
	unsigned jobs;                    /* worker threads; 0: the number of online CPUs */
	const struct plat_platform *plat; /* NULL: plat_linux() */
	/* Called under a lock after each program (done of total), e.g. for a progress line. */
	void (*progress)(void *arg, size_t done, size_t total);
	void *progress_arg;
	/* Called with every abstract state the analysis prints (vf_options.trace) together with the
	 * program; forces one worker so the lines stay in order. */
	void (*trace)(void *arg, const struct bpfc_prog *prog, uint32_t insn, const char *state);
	void *trace_arg;
};

/* Fills opts with defaults: privileged verification, automatic input format, jobs 0. */
void report_run_opts_default(struct report_run_opts *opts);

/* Verifies every program of every path into *out (a new report, freed with report_free). A
 * directory stands for the files under it (recursively) whose name ends in ".o", in name order.
 * Programs are verified in parallel; the report lists inputs and programs in argument order
 * whatever the scheduling. An input that cannot be read or has no program is recorded as an input
 * error in the report, not a failure of the call; the call fails only for usage errors (no path, a
 * directory that cannot be listed is an input error too) or when out of memory. */
int report_verify_many(const char *const *paths, size_t path_cnt, const struct report_run_opts *opts,
                       struct report **out, struct bpfc_error *err);

#ifdef __cplusplus
}
#endif
#endif
