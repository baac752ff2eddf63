/* Internal to src/report: the report's representation and helpers shared by the renderers. */
#ifndef BPFCHECK_REPORT_INTERNAL_H
#define BPFCHECK_REPORT_INTERNAL_H

#include <jansson.h>

#include "bpfcheck/report.h"

struct report {
	const struct plat_platform *plat; /* NULL for a report read back from JSON */
	json_t *root;                     /* schema_version, tool, inputs, programs, properties */
	json_t *inputs;                   /* array, shared with root */
	json_t *programs;                 /* array, shared with root */
	json_t *properties;               /* object keyed by id (an array in the written file) */
};

/* String member or dflt; integer member or dflt. */
const char *rj_str(const json_t *o, const char *key, const char *dflt);
long long rj_int(const json_t *o, const char *key, long long dflt);

/* path relative to opts->source_root when it lies under it, else path itself. */
const char *report_rel_path(const struct report_render_opts *opts, const char *path);

/* The document as written: paths relativised, times dropped unless opts->timing, a summary, and
 * the properties as a sorted array. New reference. */
json_t *report_output_copy(const struct report *r, const struct report_render_opts *opts);

/* Percent-encodes everything but unreserved characters and "/" (malloc'd; NULL: out of memory). */
char *report_uri_encode(const char *s);

/* file:// URI of a path (relative paths from the source root, else the working directory). */
char *report_file_uri(const struct report_render_opts *o, const char *path);

/* Writes a JSON value sorted and indented, with a final newline. */
int report_dump_json(json_t *v, FILE *f);

#endif
