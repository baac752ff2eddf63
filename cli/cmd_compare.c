/* bpfcheck compare A.json B.json: what changed between two JSON reports of bpfcheck verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/report.h"
#include "commands.h"
#include "common/fileio.h"

static const char usage_text[] =
    "usage: bpfcheck compare [--source-root DIR] BEFORE.json AFTER.json\n"
    "\n"
    "Compares two reports written by 'bpfcheck verify --format json': verdict changes first\n"
    "(REGRESS: a program that passed now fails), then findings added and removed, then\n"
    "statistics that changed (insns, iterations, peak_states, peak_mem_bytes, time_ns when both\n"
    "reports were written with --timing). Programs match by file name, section and name.\n"
    "\n"
    "exit: 0 no program went from pass to fail, 1 some did, 2 usage or unreadable report\n";

static int load(const char *path, struct report **out)
{
	uint8_t *buf;
	size_t len;
	struct bpfc_error err;
	if (bpfc_read_file(path, (size_t)1 << 30, &buf, &len, &err) != BPFC_OK ||
	    report_from_json((const char *)buf, len, path, out, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck compare: %s\n", err.msg);
		free(buf); /* NULL when reading failed */
		return -1;
	}
	free(buf);
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	const char *files[2];
	int nf = 0;
	struct report_render_opts ro = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--source-root") == 0 && i + 1 < argc) {
			ro.source_root = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr,
			        "bpfcheck compare: unknown option '%s'\n(see 'bpfcheck compare --help')\n",
			        argv[i]);
			return EXIT_USAGE;
		} else if (nf < 2) {
			files[nf++] = argv[i];
		} else {
			fprintf(stderr, "bpfcheck compare: expected two reports, got more\n");
			return EXIT_USAGE;
		}
	}
	if (nf != 2) {
		fprintf(stderr, "bpfcheck compare: expected two reports: BEFORE.json AFTER.json\n"
		                "(see 'bpfcheck compare --help')\n");
		return EXIT_USAGE;
	}
	struct report *a = NULL, *b = NULL;
	if (load(files[0], &a) || load(files[1], &b)) {
		report_free(a);
		return EXIT_USAGE;
	}
	size_t regress = 0;
	struct bpfc_error err;
	int rc = report_compare(a, b, &ro, stdout, &regress, &err);
	report_free(a);
	report_free(b);
	if (rc != BPFC_OK) {
		fprintf(stderr, "bpfcheck compare: %s\n", err.msg);
		return EXIT_USAGE;
	}
	return regress ? EXIT_FINDINGS : EXIT_OK;
}
