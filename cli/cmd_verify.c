/* bpfcheck verify: runs the verifier on every program of every FILE and prints PASS/FAIL and
 * each finding as "file:insn N: error: message [property-id]" with the instruction and the
 * abstract values of the registers involved. Also the default command when the first argument
 * is a file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/input.h"
#include "bpfcheck/verify.h"
#include "commands.h"
#include "options.h"

static const char usage_text[] =
    "usage: bpfcheck verify [options] FILE...\n"
    "\n"
    "Checks that every program is safe to load (abstract interpretation, see specs/verifier.md).\n"
    "Prints 'PASS label' or 'FAIL label' per program, then each finding as\n"
    "'file:insn N: error|warning: message [PROPERTY-ID]' with the instruction and the abstract\n"
    "values of the registers involved. FILE is an ELF object, raw bytecode or assembly text.\n"
    "\n"
    "options:\n"
    "  --type TYPE        program type (xdp, sched_cls, socket_filter, cgroup_skb, kprobe,\n"
    "                     tracepoint, ...) for inputs that do not carry one, or to override\n"
    "  --map NAME:TYPE:KEY:VALUE:ENTRIES\n"
    "                     declare a map for raw/assembly input (repeatable; lddw src=5 imm=K\n"
    "                     names the K-th, src=6 imm=K its value); TYPE is a number or hash,\n"
    "                     array, percpu_hash, percpu_array, prog_array, perf_event_array,\n"
    "                     lru_hash, ringbuf\n"
    "  --unprivileged     apply the rules for unprivileged loaders (warnings become errors)\n"
    "  -v, --verbose      print the abstract state before each instruction (final pass; one\n"
    "                     line per instruction and state)\n"
    "  --format F         force the input format: raw, asm, elf (default: detect)\n"
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

static void print_finding(const struct cli_opts *o, const struct bpfc_object *obj, const struct bpfc_prog *p,
                          const struct vf_finding *f)
{
	const char *file = obj->path ? obj->path : "?";
	const struct bpfc_line *ln =
	    (p->lines && f->insn != VF_NO_INSN && f->insn < p->insn_cnt) ? &p->lines[f->insn] : NULL;
	if (f->insn == VF_NO_INSN)
		printf("%s: %s: %s [%s]\n", file, vf_severity_name(f->severity), f->message, f->property);
	else
		printf("%s:insn %u: %s: %s [%s]\n", file, f->insn, vf_severity_name(f->severity), f->message,
		       f->property);
	if (ln && ln->file)
		printf("  at %s:%u%s%s\n", ln->file, ln->line, ln->text ? ": " : "",
		       ln->text ? ln->text : "");
	if (f->insn != VF_NO_INSN && f->insn < p->insn_cnt) {
		char text[256];
		const struct isa_table *t = o->isa_loaded ? o->isa_loaded : isa_table_default();
		isa_disasm_insn(t, p->insns, p->insn_cnt, f->insn, ISA_DIALECT_LLVM, text, sizeof(text));
		printf("  %u: %s\n", f->insn, text);
	}
	for (size_t i = 0; i < f->reg_cnt; i++)
		printf("  %s: %s\n", f->regs[i].name, f->regs[i].state);
	for (size_t i = 0; i < f->related_cnt; i++)
		printf("  note: insn %u: %s\n", f->related[i].insn, f->related[i].message);
	if (f->path_cnt) {
		printf("  path:");
		for (size_t i = 0; i < f->path_cnt; i++)
			printf(" %u:%s", f->path[i].insn, f->path[i].taken ? "taken" : "not-taken");
		printf("\n");
	}
	if (f->hint)
		printf("  hint: %s\n", f->hint);
}

struct trace_ctx {
	const struct cli_opts *o;
	const struct bpfc_prog *p;
};

static void trace_line(void *arg, uint32_t insn, const char *state)
{
	const struct trace_ctx *tc = arg;
	char text[256];
	const struct isa_table *t = tc->o->isa_loaded ? tc->o->isa_loaded : isa_table_default();
	isa_disasm_insn(t, tc->p->insns, tc->p->insn_cnt, insn, ISA_DIALECT_LLVM, text, sizeof(text));
	printf("  %4u: %-32s ; %s\n", insn, text, state);
}

int cmd_verify(int argc, char **argv)
{
	/* pull out the verify-only options, hand the rest to the shared parser */
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	struct bpfc_map *maps = NULL;
	size_t map_cnt = 0;
	bool unpriv = false, verbose = false;
	int rc = EXIT_OK;
	if (!rest) {
		fprintf(stderr, "bpfcheck verify: out of memory\n");
		return EXIT_USAGE;
	}
	int rn = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (i > 0 && strcmp(a, "--unprivileged") == 0) {
			unpriv = true;
		} else if (i > 0 && (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)) {
			verbose = true;
		} else if (i > 0 && (strcmp(a, "--map") == 0 || strncmp(a, "--map=", 6) == 0)) {
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
	for (size_t i = 0; i < o.file_cnt; i++) {
		struct bpfc_object *obj;
		struct bpfc_error err;
		if (bpfc_input_load(o.files[i], &o.input, &obj, &err) != BPFC_OK) {
			rc = cli_report_load_error("verify", &err);
			continue;
		}
		if (obj->prog_cnt == 0) {
			fprintf(stderr, "bpfcheck verify: error: %s: no program\n", o.files[i]);
			rc = EXIT_USAGE;
		}
		const struct bpfc_map *use_maps = obj->map_cnt ? obj->maps : maps;
		size_t use_cnt = obj->map_cnt ? obj->map_cnt : map_cnt;
		for (size_t k = 0; k < obj->prog_cnt; k++) {
			const struct bpfc_prog *p = &obj->progs[k];
			struct vf_options vo;
			vf_options_default(&vo);
			vo.privileged = !unpriv;
			vo.isa = o.isa_loaded;
			if (o.input.prog_type)
				vo.prog_type = o.input.prog_type;
			struct trace_ctx tc = {&o, p};
			if (verbose) {
				vo.trace = trace_line;
				vo.trace_arg = &tc;
			}
			struct vf_result res;
			if (vf_verify(p, use_maps, use_cnt, &vo, &res, &err) != BPFC_OK) {
				fprintf(stderr, "bpfcheck verify: error: %s: %s\n", o.files[i], err.msg);
				rc = EXIT_USAGE;
				continue;
			}
			char label[4096];
			cli_prog_label(obj, p, label, sizeof(label));
			bool ok = vf_result_accepted(&res);
			printf("%s %s\n", ok ? "PASS" : "FAIL", label);
			for (size_t j = 0; j < res.findings.cnt; j++)
				print_finding(&o, obj, p, &res.findings.items[j]);
			if (!ok && rc == EXIT_OK)
				rc = EXIT_FINDINGS;
			vf_result_free(&res);
		}
		bpfc_object_free(obj);
	}
	cli_opts_free(&o);
out:
	for (size_t i = 0; i < map_cnt; i++)
		free(maps[i].name);
	free(maps);
	free(rest);
	return rc;
}
