/* bpfcheck conformance: run a bpf_conformance suite against the built-in interpreter or an
 * external plugin (--suite), or generate a suite from the ISA table (--generate). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/conformance.h"
#include "commands.h"

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: bpfcheck conformance --suite DIR [--builtin | --runtime CMD] [--runtime-arg ARG]...\n"
	    "                            [--cpu v1..v4] [--groups LIST] [--include REGEX] [--exclude REGEX]\n"
	    "                            [--timeout SEC] [--format text|json]\n"
	    "       bpfcheck conformance --generate DIR\n"
	    "\n"
	    "Runs every .data test of DIR (sorted by name) against the built-in reference interpreter\n"
	    "(default, --builtin) or an external runtime speaking the bpf_conformance plugin protocol\n"
	    "(--runtime CMD: run through /bin/sh as `CMD [MEMHEX] [ARGS...]`, program as hex on stdin,\n"
	    "r0 in hex on stdout and exit 0, or a non-zero exit with a message).\n"
	    "\n"
	    "  --cpu vN          skip tests needing a later -mcpu level (default v4)\n"
	    "  --groups LIST     conformance groups to run, comma-separated (each with the groups it\n"
	    "                    includes); tests using other groups are SKIP (default: all groups)\n"
	    "  --include REGEX   run only tests whose file name matches (POSIX extended regex)\n"
	    "  --exclude REGEX   skip tests whose file name matches\n"
	    "  --timeout SEC     per-test limit for --runtime, the child is killed (default 10)\n"
	    "  --runtime-arg A   an option passed to the runtime after MEMHEX (repeatable)\n"
	    "  --format F        text (default) or json (specs/conformance/result.schema.json)\n"
	    "  --generate DIR    write .data tests derived from the ISA table into DIR and exit\n"
	    "\n"
	    "Exit: 0 all selected tests passed, 1 a test failed or could not run, 2 usage error.\n");
}

static void print_text(const struct bpfc_conf_report *r)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct bpfc_conf_case *c = &r->cases[i];
		printf("%s %s", bpfc_conf_status_name(c->status), c->name);
		if (c->status == BPFC_CONF_SKIP || c->status == BPFC_CONF_ERROR) {
			printf(" (%s)\n", c->detail ? c->detail : "");
			continue;
		}
		char want[40], got[600];
		if (c->expect_error)
			snprintf(want, sizeof(want), "an error");
		else
			snprintf(want, sizeof(want), "0x%llx", (unsigned long long)c->expected);
		if (c->got_value)
			snprintf(got, sizeof(got), "0x%llx", (unsigned long long)c->got);
		else
			snprintf(got, sizeof(got), "error: %.560s", c->detail ? c->detail : "");
		printf(" (expected %s, got %s)\n", want, got);
	}
	printf("\n");
	for (size_t g = 0; g < r->isa->group_count && g < ISA_MAX_GROUPS; g++)
		if (r->group_total[g])
			printf("%s: %zu/%zu\n", r->isa->groups[g].name, r->group_passed[g],
			       r->group_total[g]);
	printf("%zu passed, %zu failed, %zu skipped\n", r->passed, r->failed + r->errors, r->skipped);
}

int cmd_conformance(int argc, char **argv)
{
	struct bpfc_conf_opts o = {0};
	const char *suite = NULL, *generate = NULL, *format = "text", *groups = NULL;
	char **rt_args = calloc((size_t)argc + 1, sizeof(*rt_args));
	size_t n_rt = 0;
	int rc = EXIT_USAGE;
	if (!rt_args) {
		fprintf(stderr, "bpfcheck conformance: out of memory\n");
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			free(rt_args);
			return EXIT_OK;
		} else if (strcmp(a, "--builtin") == 0) {
			o.runtime = NULL;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bpfcheck conformance: unknown option or missing value: '%s'\n", a);
			usage(stderr);
			goto out;
		}
		i++;
		if (strcmp(a, "--suite") == 0) {
			suite = v;
		} else if (strcmp(a, "--generate") == 0) {
			generate = v;
		} else if (strcmp(a, "--runtime") == 0) {
			o.runtime = v;
		} else if (strcmp(a, "--runtime-arg") == 0) {
			rt_args[n_rt++] = (char *)v;
		} else if (strcmp(a, "--cpu") == 0) {
			if ((v[0] != 'v' && v[0] != 'V') || v[1] < '1' || v[1] > '4' || v[2]) {
				fprintf(stderr,
				        "bpfcheck conformance: --cpu takes v1, v2, v3 or v4, not '%s'\n", v);
				goto out;
			}
			o.cpu = (unsigned)(v[1] - '0');
		} else if (strcmp(a, "--groups") == 0) {
			groups = v;
		} else if (strcmp(a, "--include") == 0) {
			o.include_re = v;
		} else if (strcmp(a, "--exclude") == 0) {
			o.exclude_re = v;
		} else if (strcmp(a, "--timeout") == 0) {
			char *end;
			o.timeout_sec = strtod(v, &end);
			if (*end || !(o.timeout_sec > 0)) {
				fprintf(
				    stderr,
				    "bpfcheck conformance: --timeout needs a positive number of seconds\n");
				goto out;
			}
		} else if (strcmp(a, "--format") == 0) {
			if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
				fprintf(stderr, "bpfcheck conformance: --format is text or json, not '%s'\n",
				        v);
				goto out;
			}
			format = v;
		} else {
			fprintf(stderr, "bpfcheck conformance: unknown option '%s'\n", a);
			usage(stderr);
			goto out;
		}
	}
	o.runtime_args = rt_args;
	struct bpfc_error err;
	const struct isa_table *t = isa_table_default();
	if (generate) {
		if (suite) {
			fprintf(stderr, "bpfcheck conformance: --generate and --suite are exclusive\n");
			goto out;
		}
		struct bpfc_conf_gen_stats st;
		if (bpfc_conf_generate(t, generate, &st, &err) != BPFC_OK) {
			fprintf(stderr, "bpfcheck conformance: %s\n", err.msg);
			goto out;
		}
		printf("wrote %zu tests for %zu encodings to %s (%zu platform-dependent encodings without "
		       "tests)\n",
		       st.tests, st.encodings, generate, st.skipped);
		rc = EXIT_OK;
		goto out;
	}
	if (!suite) {
		fprintf(stderr, "bpfcheck conformance: --suite DIR or --generate DIR is required\n");
		usage(stderr);
		goto out;
	}
	if (groups && bpfc_conf_parse_groups(t, groups, &o.groups, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck conformance: --groups: %s\n", err.msg);
		goto out;
	}
	struct bpfc_conf_report *r;
	if (bpfc_conf_run_suite(suite, &o, &r, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck conformance: %s\n", err.msg);
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		char *j = bpfc_conf_report_json(r, suite, &o);
		if (!j) {
			fprintf(stderr, "bpfcheck conformance: out of memory writing JSON\n");
			bpfc_conf_report_free(r);
			goto out;
		}
		printf("%s\n", j);
		free(j);
	} else {
		print_text(r);
	}
	rc = r->failed + r->errors ? EXIT_FINDINGS : EXIT_OK;
	bpfc_conf_report_free(r);
out:
	free(rt_args);
	return rc;
}
