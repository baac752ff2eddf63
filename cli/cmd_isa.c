/* bpfcheck isa: every instruction of every program checked against the ISA table. */
#include <stdio.h>
#include <string.h>

#include "bpfcheck/input.h"
#include "bpfcheck/validate.h"
#include "commands.h"
#include "options.h"

static const char usage_text[] =
    "usage: bpfcheck isa [options] FILE...\n"
    "\n"
    "Checks every instruction slot against the ISA table (RFC 9669): unknown opcodes, reserved\n"
    "fields, registers, immediates, offsets, jump targets, wide loads, extensions and groups.\n"
    "FILE is an ELF object, raw bytecode (8-byte slots), assembly text or a bpf_conformance .data\n"
    "test ('-' reads standard input).\n"
    "\n"
    "options:\n"
    "  --groups LIST      allowed conformance groups, comma separated (base32,base64,atomic32,\n"
    "                     atomic64,divmul32,divmul64,packet; included groups are implied)\n"
    "  --cpu vN           reject instructions above LLVM -mcpu level vN (v1..v4)\n"
    "  --profile P        rfc9669 (default: extensions are ISA-NONSTANDARD) or linux\n"
    "  --isa FILE         check against another ISA table (specs/isa JSON format)\n"
    "  --max-findings N   print at most N findings per program (default 1000000, 0: all)\n"
    "  --format F         force the input format: raw, asm, data, elf (default: detect)\n"
    "  --dialect D        assembly dialect: llvm, ubpf (default: detect)\n"
    "  --big-endian       raw bytecode is big-endian\n"
    "  --section NAME     ELF: only programs in this section\n"
    "  --program NAME     only the program with this name\n"
    "  --type TYPE        program type for inputs that do not carry one\n"
    "  --kconfig FILE     ELF: kernel .config giving the .kconfig externs' values\n"
    "  --help             this text\n"
    "\n"
    "exit: 0 every program conforms, 1 findings, 2 usage or input error\n";

static void print_raw(const uint8_t raw[8])
{
	printf("    ");
	for (int k = 0; k < 8; k++)
		printf("%02x%s", raw[k], k < 7 ? " " : "\n");
}

/* Returns true when the program conforms. */
static bool check_prog(const struct cli_opts *o, const struct bpfc_object *obj, const struct bpfc_prog *p,
                       size_t *findings, int *rc)
{
	char label[4096], msg[2048], groups[512];
	struct isa_validate_opts vo = o->validate;
	struct isa_validation v;
	struct bpfc_error err;
	vo.byte_order = p->byte_order;
	cli_prog_label(obj, p, label, sizeof(label));
	if (isa_validate(p->insns, p->insn_cnt, &vo, &v, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck isa: error: %s: %s\n", label, err.msg);
		*rc = EXIT_USAGE;
		return false;
	}
	isa_groups_format(v.table, v.groups_needed, groups, sizeof(groups));
	if (v.finding_total == 0) {
		printf("%s: OK (%zu insns; groups: %s)\n", label, p->insn_cnt, groups);
		isa_validation_free(&v);
		return true;
	}
	for (size_t k = 0; k < v.finding_cnt; k++) {
		const struct isa_finding *f = &v.findings[k];
		printf("%s:insn %zu: error: %s [%s]\n", label, f->insn_idx,
		       isa_finding_message(&v, f, msg, sizeof(msg)), isa_check_id((enum isa_check)f->check));
		print_raw(f->raw);
		if (p->lines && p->lines[f->insn_idx].file)
			printf("    at %s:%u: %s\n", p->lines[f->insn_idx].file, p->lines[f->insn_idx].line,
			       p->lines[f->insn_idx].text ? p->lines[f->insn_idx].text : "");
	}
	if (v.finding_total > v.finding_cnt)
		printf("%s: ... %zu more findings not shown (--max-findings)\n", label,
		       v.finding_total - v.finding_cnt);
	printf("%s: %zu finding%s (%zu insns; groups: %s)\n", label, v.finding_total,
	       v.finding_total == 1 ? "" : "s", p->insn_cnt, groups);
	*findings += v.finding_total;
	isa_validation_free(&v);
	return false;
}

int cmd_isa(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse_options(argc, argv, CLI_OPT_INPUT | CLI_OPT_VALIDATE, usage_text, &o);
	if (rc >= 0) {
		cli_opts_free(&o);
		return rc;
	}
	rc = EXIT_OK;
	size_t progs = 0, ok = 0, findings = 0, bad_inputs = 0;
	for (size_t i = 0; i < o.file_cnt; i++) {
		struct bpfc_object *obj = cli_load_programs("isa", &o.input, o.files[i]);
		if (!obj) {
			bad_inputs++;
			continue;
		}
		for (size_t k = 0; k < obj->prog_cnt; k++) {
			progs++;
			ok += check_prog(&o, obj, &obj->progs[k], &findings, &rc);
		}
		bpfc_object_free(obj);
	}
	printf("%zu program%s checked: %zu conforming, %zu with findings (%zu finding%s)", progs,
	       progs == 1 ? "" : "s", ok, progs - ok, findings, findings == 1 ? "" : "s");
	if (bad_inputs)
		printf("; %zu input%s could not be read", bad_inputs, bad_inputs == 1 ? "" : "s");
	printf("\n");
	cli_opts_free(&o);
	if (bad_inputs || rc == EXIT_USAGE)
		return EXIT_USAGE;
	return ok == progs ? EXIT_OK : EXIT_FINDINGS;
}
