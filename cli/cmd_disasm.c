/* bpfcheck disasm: a listing per program (slot index, raw bytes, instruction), with the source
 * lines interleaved when the program carries line info. */
#include <stdio.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/input.h"
#include "commands.h"
#include "options.h"

static const char usage_text[] =
    "usage: bpfcheck disasm [options] FILE...\n"
    "\n"
    "Prints every program as '   0: b7 00 00 00 00 00 00 00  r0 = 0' (slot index, raw bytes,\n"
    "instruction). With line info the source lines are shown as '; file:line' and '; text'.\n"
    "FILE is an ELF object, raw bytecode, assembly text or a bpf_conformance .data test.\n"
    "\n"
    "options:\n"
    "  --dialect D        output syntax: llvm (default) or ubpf; for assembly input also the\n"
    "                     input dialect\n"
    "  --no-raw           omit the raw bytes\n"
    "  --format F         force the input format: raw, asm, data, elf (default: detect)\n"
    "  --isa FILE         decode with another ISA table (specs/isa JSON format)\n"
    "  --big-endian       raw bytecode is big-endian\n"
    "  --section NAME     ELF: only programs in this section\n"
    "  --program NAME     only the program with this name\n"
    "  --type TYPE        program type for inputs that do not carry one\n"
    "  --kconfig FILE     ELF: kernel .config giving the .kconfig externs' values\n"
    "  --help             this text\n"
    "\n"
    "exit: 0 listed, 2 usage or input error\n";

static void print_slot(const struct cli_opts *o, const struct bpfc_prog *p, size_t idx, const char *text)
{
	printf("%4zu:", idx);
	if (o->no_raw) {
		printf("%s%s\n", text[0] ? " " : "", text);
		return;
	}
	uint8_t raw[8];
	isa_encode_slot(&p->insns[idx], p->byte_order, raw);
	for (int k = 0; k < 8; k++)
		printf(" %02x", raw[k]);
	printf("%s%s\n", text[0] ? "  " : "", text);
}

static void list_prog(const struct cli_opts *o, const struct bpfc_object *obj, const struct bpfc_prog *p)
{
	const struct isa_table *t = o->isa_loaded ? o->isa_loaded : isa_table_default();
	enum isa_dialect d = o->input.dialect == ISA_DIALECT_UBPF ? ISA_DIALECT_UBPF : ISA_DIALECT_LLVM;
	char label[4096], text[512];
	const char *last_file = NULL;
	uint32_t last_line = 0;
	cli_prog_label(obj, p, label, sizeof(label));
	printf("%s: %s (%zu insns)\n", label, p->name, p->insn_cnt);
	for (size_t i = 0; i < p->insn_cnt;) {
		const struct bpfc_line *ln = p->lines ? &p->lines[i] : NULL;
		if (ln && ln->file &&
		    (ln->line != last_line || !last_file || strcmp(ln->file, last_file) != 0)) {
			printf("; %s:%u\n", ln->file, ln->line);
			if (ln->text)
				printf("; %s\n", ln->text);
			last_file = ln->file;
			last_line = ln->line;
		}
		size_t n = isa_disasm_insn(t, p->insns, p->insn_cnt, i, d, text, sizeof(text));
		print_slot(o, p, i, text);
		if (n == 2 && i + 1 < p->insn_cnt)
			print_slot(o, p, i + 1, "");
		i += n ? n : 1;
	}
}

int cmd_disasm(int argc, char **argv)
{
	struct cli_opts o;
	int rc = cli_parse_options(argc, argv, CLI_OPT_INPUT | CLI_OPT_DISASM, usage_text, &o);
	if (rc >= 0) {
		cli_opts_free(&o);
		return rc;
	}
	rc = EXIT_OK;
	for (size_t i = 0; i < o.file_cnt; i++) {
		struct bpfc_object *obj = cli_load_programs("disasm", &o.input, o.files[i]);
		if (!obj) {
			rc = EXIT_USAGE;
			continue;
		}
		for (size_t k = 0; k < obj->prog_cnt; k++) {
			if (k || i)
				printf("\n");
			list_prog(&o, obj, &obj->progs[k]);
		}
		bpfc_object_free(obj);
	}
	cli_opts_free(&o);
	return rc;
}
