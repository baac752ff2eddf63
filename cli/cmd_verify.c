/* bpfcheck verify: runs the verifier on every program of every FILE (or directory) through
 * report_verify_many and writes the report in the chosen format (src/report: text, JSON, LSP,
 * SARIF, statistics). Also the default command when the first argument is a file. */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/input.h"
#include "bpfcheck/report.h"
#include "bpfcheck/verify.h"
#include "commands.h"
#include "options.h"

static const char usage_text[] =
    "usage: bpfcheck verify [options] FILE|DIR...\n"
    "\n"
    "Checks that every program is safe to load (abstract interpretation, see specs/verifier.md).\n"
    "FILE is an ELF object, raw bytecode or assembly text; DIR stands for every .o under it.\n"
    "Prints 'PASS label' or 'FAIL label' per program, then each finding compiler-style\n"
    "('file.c:LINE:COL: error: message [PROPERTY-ID]' with the source line, the instruction,\n"
    "the abstract values of the registers involved, notes, the branch path and a hint), and a\n"
    "summary. Reports: specs/report/README.md.\n"
    "\n"
    "output:\n"
    "  --format F         report format: text (default), json, lsp, sarif (raw, asm, data,\n"
    "                     elf, auto still force the input format, as --input-format does)\n"
    "  --color[=WHEN]     colours in text: auto (default: on a terminal, unless NO_COLOR is\n"
    "                     set), always, never\n"
    "  -q, --quiet        print nothing (exit code only)\n"
    "  --stats            print per-program statistics (after the report)\n"
    "  --stats-format F   table (default), csv or json\n"
    "  --source-root DIR  write paths under DIR relative to it (SARIF: uriBaseId %SRCROOT%)\n"
    "  --timing           include times in the text summaries and JSON (not byte-stable;\n"
    "                     default: on for text on a terminal only); --no-timing: never\n"
    "  --show-suppressed  also print follow-on findings of an already reported root cause\n"
    "  --width N          wrap text at N columns (default: the terminal's width, none in a pipe)\n"
    "  -j, --jobs N       verify with N threads (default: the number of CPUs)\n"
    "  --warn-only        report findings but exit 0 (input errors still exit 2)\n"
    "\n"
    "verification:\n"
    "  --type TYPE        program type (xdp, sched_cls, socket_filter, cgroup_skb, kprobe,\n"
    "                     tracepoint, ...) for inputs that do not carry one, or to override\n"
    "  --kconfig FILE     ELF: kernel .config (CONFIG_X=y|m|n|\"str\"|123) giving the\n"
    "                     .kconfig externs' values; without it they are unknown\n"
    "  --map NAME:TYPE:KEY:VALUE:ENTRIES\n"
    "                     declare a map for raw/assembly input (repeatable; lddw src=5 imm=K\n"
    "                     names the K-th, src=6 imm=K its value); TYPE is a number or hash,\n"
    "                     array, percpu_hash, percpu_array, prog_array, perf_event_array,\n"
    "                     lru_hash, ringbuf\n"
    "  --unprivileged     apply the rules for unprivileged loaders (warnings become errors)\n"
    "  --linux-compat     also fail programs bpfcheck proves safe in ways the Linux\n"
    "                     verifier cannot (VF-KERNEL-IMPRECISE notes become errors)\n"
    "  --witness N        search a witness path for at most N errors per program (default\n"
    "                     8; 0: none, every path is one to the merged state)\n"
    "  --witness-steps N  instructions each witness search may run (default 100000)\n"
    "  -v, --verbose      print the abstract state before each instruction (final pass; one\n"
    "                     line per instruction and state; verifies with one thread; on\n"
    "                     stderr when the report is not text)\n"
    "\n"
    "input:\n"
    "  --input-format F   force the input format: raw, asm, data, elf (default: detect)\n"
    "  --dialect D        assembly dialect: llvm, ubpf or auto\n"
    "  --big-endian       raw bytecode is big-endian\n"
    "  --section NAME     ELF: only programs in this section\n"
    "  --program NAME     only the program with this name\n"
    "  --isa FILE         decode with another ISA table\n"
    "  --help             this text\n"
    "\n"
    "exit: 0 every program accepted, 1 some program rejected, 2 usage or input error\n";

static const struct {
	const char *name;
	uint32_t type;
} map_types[] = {
    {"hash", 1},        {"array", 2},        {"prog_array", 3}, {"perf_event_array", 4},
    {"percpu_hash", 5}, {"percpu_array", 6}, {"lru_hash", 9},   {"ringbuf", 27},
};

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* NAME:TYPE:KEY:VALUE:ENTRIES */
static int parse_map(const char *spec, struct bpfc_map *m)
{
	char buf[512];
	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	char *parts[5];
	char *p = buf;
	for (int i = 0; i < 5; i++) {
		parts[i] = p;
		char *c = strchr(p, ':');
		if (i < 4) {
			if (!c)
				return -1;
			*c = 0;
			p = c + 1;
		} else if (c) {
			return -1;
		}
	}
	memset(m, 0, sizeof(*m));
	m->inner_map = -1;
	if (!parts[0][0])
		return -1;
	m->name = strdup(parts[0]);
	if (!m->name)
		return -1;
	bool found = false;
	for (size_t i = 0; i < sizeof(map_types) / sizeof(map_types[0]); i++)
		if (strcmp(map_types[i].name, parts[1]) == 0) {
			m->type = map_types[i].type;
			found = true;
		}
	if ((!found && parse_u32(parts[1], &m->type)) || parse_u32(parts[2], &m->key_size) ||
	    parse_u32(parts[3], &m->value_size) || parse_u32(parts[4], &m->max_entries)) {
		free(m->name);
		m->name = NULL;
		return -1;
	}
	return 0;
}

struct trace_ctx {
	const struct cli_opts *o;
	FILE *out; /* stdout for text; stderr when stdout carries a JSON/LSP/SARIF document */
};

static void trace_line(void *arg, const struct bpfc_prog *p, uint32_t insn, const char *state)
{
	const struct trace_ctx *tc = arg;
	char text[256];
	const struct isa_table *t = tc->o->isa_loaded ? tc->o->isa_loaded : isa_table_default();
	isa_disasm_insn(t, p->insns, p->insn_cnt, insn, ISA_DIALECT_LLVM, text, sizeof(text));
	fprintf(tc->out, "  %4u: %-32s ; %s\n", insn, text, state);
}

struct progress {
	struct timespec start;
	bool shown;
};

/* Only runs that last show a progress line: a quick one would just flicker. */
static void progress_line(void *arg, size_t done, size_t total)
{
	struct progress *pg = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed =
	    (double)(now.tv_sec - pg->start.tv_sec) + (double)(now.tv_nsec - pg->start.tv_nsec) / 1e9;
	if (done < total && (pg->shown || elapsed >= 0.5)) {
		fprintf(stderr, "\r[%zu/%zu] verifying...", done, total);
		pg->shown = true;
	} else if (done == total && pg->shown) {
		fprintf(stderr, "\r\033[K");
	}
	fflush(stderr);
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > 4096)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_count(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static bool is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, name, n) == 0 && (a[n] == 0 || a[n] == '=');
}

int cmd_verify(int argc, char **argv)
{
	/* pull out the verify-only options, hand the rest to the shared parser */
	char **rest = calloc(2 * (size_t)argc + 1, sizeof(char *));
	struct bpfc_map *maps = NULL;
	size_t map_cnt = 0;
	bool unpriv = false, linux_compat = false, verbose = false, quiet = false, stats = false,
	     warn_only = false;
	int timing = -1; /* -1: text on a terminal shows times, everything else not */
	bool show_suppressed = false, width_set = false;
	int out_format = REPORT_TEXT, stats_format = REPORT_STATS_TABLE, color = REPORT_COLOR_AUTO;
	unsigned jobs = 0, width = 0;
	uint32_t witness_findings = 0;
	uint64_t witness_steps = 0;
	const char *source_root = NULL;
	int rc = EXIT_OK;
	if (!rest) {
		fprintf(stderr, "bpfcheck verify: out of memory\n");
		return EXIT_USAGE;
	}
	int rn = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v;
		if (i == 0) {
			rest[rn++] = argv[i];
		} else if (is_opt(a, "--format") || is_opt(a, "--input-format")) {
			bool input_only = is_opt(a, "--input-format");
			const char *name = a;
			if (!(v = opt_value(argc, argv, &i, input_only ? "--input-format" : "--format"))) {
				fprintf(stderr, "bpfcheck verify: option '%s' needs a value\n", name);
				rc = EXIT_USAGE;
				goto out;
			}
			int f = input_only ? -1 : report_format_parse(v);
			static const char *const input_formats[] = {"raw", "asm", "data", "elf", "auto"};
			bool is_input = false;
			for (size_t k = 0; k < sizeof(input_formats) / sizeof(input_formats[0]); k++)
				is_input |= strcmp(v, input_formats[k]) == 0;
			if (f >= 0) {
				out_format = f;
			} else if (!is_input && !input_only) {
				fprintf(
				    stderr,
				    "bpfcheck verify: --format '%s': expected text, json, lsp or sarif (or "
				    "an input "
				    "format: raw, asm, data, elf, auto)\n(see 'bpfcheck verify --help')\n",
				    v);
				rc = EXIT_USAGE;
				goto out;
			} else { /* an input format: the shared parser checks it */
				rest[rn++] = "--format";
				rest[rn++] = (char *)v;
			}
		} else if (is_opt(a, "--color") || is_opt(a, "--colour")) {
			v = strchr(a, '=') ? strchr(a, '=') + 1 : "always";
			if (strcmp(v, "auto") == 0)
				color = REPORT_COLOR_AUTO;
			else if (strcmp(v, "always") == 0)
				color = REPORT_COLOR_ALWAYS;
			else if (strcmp(v, "never") == 0)
				color = REPORT_COLOR_NEVER;
			else {
				fprintf(stderr,
				        "bpfcheck verify: --color '%s': expected auto, always or never\n", v);
				rc = EXIT_USAGE;
				goto out;
			}
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			quiet = true;
		} else if (strcmp(a, "--stats") == 0) {
			stats = true;
		} else if (strcmp(a, "--timing") == 0) {
			timing = 1;
		} else if (strcmp(a, "--no-timing") == 0) {
			timing = 0;
		} else if (strcmp(a, "--warn-only") == 0) {
			warn_only = true;
		} else if (strcmp(a, "--show-suppressed") == 0) {
			show_suppressed = true;
		} else if (is_opt(a, "--stats-format")) {
			v = opt_value(argc, argv, &i, "--stats-format");
			if (!v || (stats_format = report_stats_format_parse(v)) < 0) {
				fprintf(stderr,
				        "bpfcheck verify: --stats-format '%s': expected table, csv or json\n",
				        v ? v : "");
				rc = EXIT_USAGE;
				goto out;
			}
			stats = true;
		} else if (is_opt(a, "--source-root")) {
			if (!(source_root = opt_value(argc, argv, &i, "--source-root"))) {
				fprintf(stderr, "bpfcheck verify: --source-root needs a directory\n");
				rc = EXIT_USAGE;
				goto out;
			}
		} else if (is_opt(a, "--width")) {
			v = opt_value(argc, argv, &i, "--width");
			if (!v || parse_uint(v, &width)) {
				fprintf(stderr,
				        "bpfcheck verify: --width '%s': expected a number of columns (0: no "
				        "wrapping)\n",
				        v ? v : "");
				rc = EXIT_USAGE;
				goto out;
			}
			width_set = true;
		} else if (strcmp(a, "-j") == 0 || is_opt(a, "--jobs") ||
		           (strncmp(a, "-j", 2) == 0 && a[2])) {
			v = strncmp(a, "-j", 2) == 0 && a[2] ? a + 2 : opt_value(argc, argv, &i, "--jobs");
			if (!v || parse_uint(v, &jobs) || jobs == 0) {
				fprintf(stderr,
				        "bpfcheck verify: -j '%s': expected a number of threads (1-4096)\n",
				        v ? v : "");
				rc = EXIT_USAGE;
				goto out;
			}
		} else if (is_opt(a, "--witness") || is_opt(a, "--witness-steps")) {
			bool steps = is_opt(a, "--witness-steps");
			v = opt_value(argc, argv, &i, steps ? "--witness-steps" : "--witness");
			unsigned long long n = 0;
			if (!v || parse_count(v, &n) ||
			    (steps ? n == 0 || n > 1000000000ull : n > 1000000ull)) {
				fprintf(
				    stderr,
				    steps ? "bpfcheck verify: --witness-steps '%s': expected a number of "
				            "instructions (1-1000000000)\n"
				          : "bpfcheck verify: --witness '%s': expected a number of findings "
				            "(0-1000000; 0: no search)\n",
				    v ? v : "");
				rc = EXIT_USAGE;
				goto out;
			}
			if (steps)
				witness_steps = n;
			else
				witness_findings = n ? (uint32_t)n : VF_WITNESS_OFF;
		} else if (strcmp(a, "--unprivileged") == 0) {
			unpriv = true;
		} else if (strcmp(a, "--linux-compat") == 0) {
			linux_compat = true;
		} else if ((strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)) {
			verbose = true;
		} else if ((strcmp(a, "--map") == 0 || strncmp(a, "--map=", 6) == 0)) {
			const char *spec = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
			struct bpfc_map m;
			struct bpfc_map *nm = spec ? realloc(maps, (map_cnt + 1) * sizeof(*maps)) : NULL;
			if (nm)
				maps = nm;
			if (!spec || !nm || parse_map(spec, &m)) {
				fprintf(
				    stderr,
				    "bpfcheck verify: --map '%s': expected NAME:TYPE:KEY:VALUE:ENTRIES (e.g. "
				    "counters:array:4:8:16)\n",
				    spec ? spec : "");
				rc = EXIT_USAGE;
				goto out;
			}
			maps[map_cnt++] = m;
		} else {
			rest[rn++] = argv[i];
		}
	}
	struct cli_opts o;
	int prc = cli_parse_options(rn, rest, CLI_OPT_INPUT, usage_text, &o);
	if (prc >= 0) {
		cli_opts_free(&o);
		rc = prc;
		goto out;
	}
	if (o.file_cnt == 0) {
		fprintf(stderr, "bpfcheck verify: no input file\n(see 'bpfcheck verify --help')\n");
		cli_opts_free(&o);
		rc = EXIT_USAGE;
		goto out;
	}
	struct trace_ctx tc = {&o, out_format == REPORT_TEXT ? stdout : stderr};
	struct report_run_opts ro;
	report_run_opts_default(&ro);
	ro.input = o.input;
	ro.verify.privileged = !unpriv;
	ro.verify.linux_compat = linux_compat;
	ro.verify.witness_findings = witness_findings;
	ro.verify.witness_steps = witness_steps;
	ro.verify.isa = o.isa_loaded;
	ro.maps = maps;
	ro.map_cnt = map_cnt;
	ro.jobs = jobs;
	if (verbose) {
		ro.trace = trace_line;
		ro.trace_arg = &tc;
	}
	struct progress pg = {{0, 0}, false};
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	if (!quiet && isatty(STDERR_FILENO) && !verbose) {
		ro.progress = progress_line;
		ro.progress_arg = &pg;
	}
	struct report *rep = NULL;
	struct bpfc_error err;
	if (report_verify_many((const char *const *)o.files, o.file_cnt, &ro, &rep, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck verify: error: %s\n", err.msg);
		cli_opts_free(&o);
		rc = EXIT_USAGE;
		goto out;
	}
	struct report_render_opts rend = {0};
	bool tty = isatty(STDOUT_FILENO);
	const char *no_color = getenv("NO_COLOR");
	rend.color =
	    color == REPORT_COLOR_ALWAYS || (color == REPORT_COLOR_AUTO && tty && !(no_color && no_color[0]));
	rend.timing = timing == 1 || (timing == -1 && tty && out_format == REPORT_TEXT);
	rend.source_root = source_root;
	rend.show_suppressed = show_suppressed;
	rend.width = width;
	if (!width_set && tty) {
		struct winsize ws;
		rend.width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
	}
	if (!quiet) {
		if (report_render(rep, (enum report_format)out_format, &rend, stdout, &err) != BPFC_OK)
			fprintf(stderr, "bpfcheck verify: %s\n", err.msg);
		struct report_render_opts stats_opts = rend;
		stats_opts.timing = true; /* statistics always show times (not byte-stable, by nature) */
		if (stats && report_render_stats(rep, (enum report_stats_format)stats_format, &stats_opts,
		                                 stdout) != BPFC_OK)
			fprintf(stderr, "bpfcheck verify: writing the statistics failed\n");
	}
	struct report_summary sum;
	report_summarize(rep, &sum);
	report_free(rep);
	if (sum.input_errors || sum.errors) {
		if (!quiet && out_format != REPORT_TEXT)
			fprintf(stderr, "bpfcheck verify: %zu input%s could not be read or verified\n",
			        sum.input_errors + sum.errors, sum.input_errors + sum.errors == 1 ? "" : "s");
		rc = EXIT_USAGE;
	} else if (sum.failed && !warn_only) {
		rc = EXIT_FINDINGS;
	}
	cli_opts_free(&o);
out:
	for (size_t i = 0; i < map_cnt; i++)
		free(maps[i].name);
	free(maps);
	free(rest);
	return rc;
}
