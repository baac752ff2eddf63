/* Option parsing shared by `bpfcheck isa` and `bpfcheck disasm`, so both read files the same way. */
#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

enum {
	OPT_GROUPS = 256,
	OPT_CPU,
	OPT_PROFILE,
	OPT_ISA,
	OPT_DIALECT,
	OPT_FORMAT,
	OPT_BIG_ENDIAN,
	OPT_SECTION,
	OPT_PROGRAM,
	OPT_TYPE,
	OPT_NO_RAW,
	OPT_KCONFIG,
	OPT_MAX_FINDINGS,
	OPT_HELP,
};

struct opt_family {
	struct option opt;
	unsigned families;
};

static const struct opt_family all_opts[] = {
    {{"groups", required_argument, NULL, OPT_GROUPS}, CLI_OPT_VALIDATE},
    {{"cpu", required_argument, NULL, OPT_CPU}, CLI_OPT_VALIDATE},
    {{"profile", required_argument, NULL, OPT_PROFILE}, CLI_OPT_VALIDATE},
    {{"max-findings", required_argument, NULL, OPT_MAX_FINDINGS}, CLI_OPT_VALIDATE},
    {{"isa", required_argument, NULL, OPT_ISA}, CLI_OPT_INPUT},
    {{"dialect", required_argument, NULL, OPT_DIALECT}, CLI_OPT_INPUT},
    {{"format", required_argument, NULL, OPT_FORMAT}, CLI_OPT_INPUT},
    {{"big-endian", no_argument, NULL, OPT_BIG_ENDIAN}, CLI_OPT_INPUT},
    {{"section", required_argument, NULL, OPT_SECTION}, CLI_OPT_INPUT},
    {{"program", required_argument, NULL, OPT_PROGRAM}, CLI_OPT_INPUT},
    {{"type", required_argument, NULL, OPT_TYPE}, CLI_OPT_INPUT},
    {{"kconfig", required_argument, NULL, OPT_KCONFIG}, CLI_OPT_INPUT},
    {{"no-raw", no_argument, NULL, OPT_NO_RAW}, CLI_OPT_DISASM},
    {{"help", no_argument, NULL, OPT_HELP}, CLI_OPT_INPUT | CLI_OPT_VALIDATE | CLI_OPT_DISASM},
};
#define N_OPTS (sizeof(all_opts) / sizeof(all_opts[0]))

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "bpfcheck %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see 'bpfcheck %s --help')\n", cmd);
	return EXIT_USAGE;
}

int cli_parse_options(int argc, char **argv, unsigned families, const char *usage_text, struct cli_opts *o)
{
	const char *cmd = argv[0];
	const char *groups = NULL, *isa_path = NULL;
	struct option longopts[N_OPTS + 1];
	size_t n = 0;
	memset(o, 0, sizeof(*o));
	memset(longopts, 0, sizeof(longopts));
	for (size_t i = 0; i < N_OPTS; i++)
		if (all_opts[i].families & families)
			longopts[n++] = all_opts[i].opt;
	o->files = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->files) {
		fprintf(stderr, "bpfcheck %s: out of memory\n", cmd);
		return EXIT_USAGE;
	}
	/* Bounds the memory a garbage input can cost; the rest are counted, not stored. */
	o->validate.max_findings = 1000000;
	opterr = 0;
	optind = 0; /* 0: glibc reinitialises its scanner */
	int c;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP: fputs(usage_text, stdout); return EXIT_OK;
		case OPT_GROUPS: groups = optarg; break;
		case OPT_CPU:
			if (strlen(optarg) == 2 && optarg[0] == 'v' && optarg[1] >= '1' && optarg[1] <= '4')
				o->validate.cpu = (unsigned)(optarg[1] - '0');
			else
				return usage_error(cmd, "--cpu '%s': expected v1, v2, v3 or v4", optarg);
			break;
		case OPT_PROFILE:
			if (strcmp(optarg, "rfc9669") == 0)
				o->validate.profile = ISA_PROFILE_RFC9669;
			else if (strcmp(optarg, "linux") == 0)
				o->validate.profile = ISA_PROFILE_LINUX;
			else
				return usage_error(cmd, "--profile '%s': expected rfc9669 or linux", optarg);
			break;
		case OPT_MAX_FINDINGS: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (!*optarg || *end || optarg[0] == '-')
				return usage_error(
				    cmd, "--max-findings '%s': expected a number (0: no limit)", optarg);
			o->validate.max_findings = (size_t)v;
			break;
		}
		case OPT_ISA: isa_path = optarg; break;
		case OPT_DIALECT:
			if (!cli_dialect_from_name(optarg, &o->input.dialect))
				return usage_error(cmd, "--dialect '%s': expected llvm, ubpf or auto",
				                   optarg);
			break;
		case OPT_FORMAT:
			if (!cli_format_from_name(optarg, &o->input.format))
				return usage_error(cmd, "--format '%s': expected raw, asm, data, elf or auto",
				                   optarg);
			break;
		case OPT_BIG_ENDIAN: o->input.byte_order = ISA_BIG_ENDIAN; break;
		case OPT_SECTION: o->input.section = optarg; break;
		case OPT_PROGRAM: o->input.program = optarg; break;
		case OPT_TYPE: o->input.prog_type = optarg; break;
		case OPT_KCONFIG: o->input.kconfig_path = optarg; break;
		case OPT_NO_RAW: o->no_raw = true; break;
		case ':': return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default: return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++)
		o->files[o->file_cnt++] = argv[i];
	if (isa_path) {
		struct bpfc_error err;
		if (isa_table_load(isa_path, &o->isa_loaded, &err) != BPFC_OK) {
			fprintf(stderr, "bpfcheck %s: --isa: %s\n", cmd, err.msg);
			return EXIT_USAGE;
		}
		o->input.isa = o->isa_loaded;
		o->validate.table = o->isa_loaded;
	}
	if (groups) {
		struct bpfc_error err;
		const struct isa_table *t = o->isa_loaded ? o->isa_loaded : isa_table_default();
		if (isa_groups_parse(t, groups, &o->validate.allowed_groups, &err) != BPFC_OK)
			return usage_error(cmd, "--groups: %s", err.msg);
		o->validate.restrict_groups = true;
	}
	if (!o->file_cnt)
		return usage_error(cmd, "%s",
		                   "no input file (give one or more FILE arguments, '-' for stdin)");
	return -1;
}

void cli_opts_free(struct cli_opts *o)
{
	free(o->files);
	isa_table_free(o->isa_loaded);
	memset(o, 0, sizeof(*o));
}

void cli_prog_label(const struct bpfc_object *obj, const struct bpfc_prog *p, char *buf, size_t len)
{
	if (p->section)
		snprintf(buf, len, "%s:%s/%s", obj->path, p->section, p->name);
	else
		snprintf(buf, len, "%s", obj->path);
}

bool cli_format_from_name(const char *name, enum bpfc_format *out)
{
	static const enum bpfc_format fmts[] = {BPFC_FORMAT_AUTO, BPFC_FORMAT_RAW, BPFC_FORMAT_ASM,
	                                        BPFC_FORMAT_DATA, BPFC_FORMAT_ELF};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (strcmp(name, bpfc_format_name(fmts[i])) == 0) {
			*out = fmts[i];
			return true;
		}
	return false;
}

bool cli_dialect_from_name(const char *name, enum isa_dialect *out)
{
	if (strcmp(name, "llvm") == 0)
		*out = ISA_DIALECT_LLVM;
	else if (strcmp(name, "ubpf") == 0)
		*out = ISA_DIALECT_UBPF;
	else if (strcmp(name, "auto") == 0)
		*out = ISA_DIALECT_AUTO;
	else
		return false;
	return true;
}

int cli_parse_budget(const char *cmd, const char *arg, unsigned long long *out)
{
	char *end;
	*out = strtoull(arg, &end, 0);
	if (*end || *out == 0) {
		fprintf(stderr, "bpfcheck %s: --max-insns needs a positive number, not '%s'\n", cmd, arg);
		return EXIT_USAGE;
	}
	return -1;
}

struct bpfc_object *cli_load_programs(const char *cmd, const struct bpfc_input_opts *in, const char *file)
{
	struct bpfc_object *obj;
	struct bpfc_error err;
	if (bpfc_input_load(file, in, &obj, &err) != BPFC_OK) {
		cli_report_load_error(cmd, &err);
		return NULL;
	}
	if (obj->prog_cnt == 0) {
		fprintf(stderr, "bpfcheck %s: error: %s: no program%s\n", cmd, file,
		        in->section || in->program ? " matches --section/--program" : "");
		bpfc_object_free(obj);
		return NULL;
	}
	return obj;
}

int cli_report_load_error(const char *cmd, const struct bpfc_error *err)
{
	fprintf(stderr, "bpfcheck %s: error: %s\n", cmd, err->msg);
	return EXIT_USAGE;
}
