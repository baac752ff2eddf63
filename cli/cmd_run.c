/* bpfcheck run: execute one program on the reference interpreter and print r0, optionally with
 * a trace of every executed instruction and the registers it changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/conformance.h"
#include "bpfcheck/input.h"
#include "commands.h"
#include "options.h"
#include "common/fileio.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: bpfcheck run FILE [--mem HEX | --mem-file F] [-v] [--program NAME] [--max-insns N]\n"
	        "\n"
	        "Runs the program in FILE (raw bytecode, assembly, a bpf_conformance .data test or an ELF\n"
	        "object) on the reference interpreter and prints r0 in hexadecimal. r1 points to the\n"
	        "memory (--mem hex bytes, --mem-file raw bytes, or a .data test's own -- mem section)\n"
	        "and r2 holds its length. Helper 5 returns its argument; other helpers fault.\n"
	        "\n"
	        "  -v, --verbose    trace: instruction index, disassembly, registers it changed\n"
	        "  --program NAME   the program to run when FILE holds several (default: the first)\n"
	        "  --max-insns N    instruction budget (default %llu)\n"
	        "\n"
	        "Exit: 0 the program exited, 1 it faulted (message on stderr), 2 usage or input error.\n",
	        (unsigned long long)ISA_INTERP_DEFAULT_BUDGET);
}

struct tracer {
	const struct isa_table *t;
	const struct isa_slot *slots;
	size_t count;
};

static void trace(void *ctx, size_t idx, const struct isa_slot *slot, const uint64_t before[11],
                  const uint64_t after[11])
{
	const struct tracer *tr = ctx;
	char text[128];
	(void)slot;
	isa_disasm_insn(tr->t, tr->slots, tr->count, idx, ISA_DIALECT_LLVM, text, sizeof(text));
	bool changed = false;
	for (int r = 0; r < 11; r++)
		changed |= before[r] != after[r];
	printf(changed ? "%5zu: %-40s" : "%5zu: %s", idx, text);
	for (int r = 0; r < 11; r++)
		if (before[r] != after[r])
			printf(" r%d=0x%llx", r, (unsigned long long)after[r]);
	printf("\n");
}

int cmd_run(int argc, char **argv)
{
	const char *file = NULL, *mem_hex = NULL, *mem_file = NULL, *program = NULL;
	struct bpfc_input_opts io = {0};
	bool verbose = false;
	unsigned long long budget = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			verbose = true;
		} else if (strcmp(a, "--mem") == 0 && i + 1 < argc) {
			mem_hex = argv[++i];
		} else if (strcmp(a, "--mem-file") == 0 && i + 1 < argc) {
			mem_file = argv[++i];
		} else if (strcmp(a, "--program") == 0 && i + 1 < argc) {
			program = argv[++i];
		} else if (strcmp(a, "--big-endian") == 0) {
			io.byte_order = ISA_BIG_ENDIAN;
		} else if (strcmp(a, "--dialect") == 0 && i + 1 < argc) {
			const char *d = argv[++i];
			if (!cli_dialect_from_name(d, &io.dialect)) {
				fprintf(stderr, "bpfcheck run: --dialect is llvm, ubpf or auto, not '%s'\n",
				        d);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
			const char *fm = argv[++i];
			if (!cli_format_from_name(fm, &io.format)) {
				fprintf(stderr,
				        "bpfcheck run: --format is raw, asm, data, elf or auto, not '%s'\n",
				        fm);
				return EXIT_USAGE;
			}
		} else if (strcmp(a, "--max-insns") == 0 && i + 1 < argc) {
			int brc = cli_parse_budget("run", argv[++i], &budget);
			if (brc >= 0)
				return brc;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "bpfcheck run: unknown option or missing value: '%s'\n", a);
			usage(stderr);
			return EXIT_USAGE;
		} else if (!file) {
			file = a;
		} else {
			fprintf(stderr, "bpfcheck run: one FILE only ('%s' and '%s' given)\n", file, a);
			return EXIT_USAGE;
		}
	}
	if (!file) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (mem_hex && mem_file) {
		fprintf(stderr, "bpfcheck run: --mem and --mem-file are exclusive\n");
		return EXIT_USAGE;
	}

	struct bpfc_error err;
	uint8_t *mem = NULL;
	size_t mem_len = 0;
	struct bpfc_object *obj = NULL;
	int rc = EXIT_USAGE;
	if (mem_hex && bpfc_conf_hex_decode(mem_hex, &mem, &mem_len, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck run: --mem: %s\n", err.msg);
		goto out;
	}
	if (mem_file && bpfc_read_file(mem_file, 256u << 20, &mem, &mem_len, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck run: --mem-file: %s\n", err.msg);
		goto out;
	}
	io.program = program;
	if (bpfc_input_load(file, &io, &obj, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck run: %s\n", err.msg);
		goto out;
	}
	if (obj->prog_cnt == 0) {
		fprintf(stderr, "bpfcheck run: %s: no program%s%s\n", file, program ? " named " : "",
		        program ? program : "");
		goto out;
	}
	/* a .data test carries its own memory */
	size_t flen = strlen(file);
	if (!mem_hex && !mem_file && flen > 5 && strcmp(file + flen - 5, ".data") == 0) {
		uint8_t *text = NULL;
		size_t len = 0;
		struct bpfc_data_test dt;
		if (bpfc_read_file(file, 16u << 20, &text, &len, &err) == BPFC_OK &&
		    bpfc_data_parse((const char *)text, len, file, &dt, &err) == BPFC_OK) {
			if (dt.mem_len) {
				mem = dt.mem;
				mem_len = dt.mem_len;
				dt.mem = NULL;
			}
			bpfc_data_free(&dt);
		}
		free(text);
	}
	const struct bpfc_prog *p = &obj->progs[0];
	struct isa_interp_opts o;
	bpfc_conf_interp_opts(NULL, &o);
	o.byte_order = p->byte_order;
	o.max_insns = budget;
	struct tracer tr = {.t = isa_table_default(), .slots = p->insns, .count = p->insn_cnt};
	if (verbose) {
		o.trace = trace;
		o.trace_ctx = &tr;
	}
	struct isa_interp_result res;
	if (isa_interp_exec(p->insns, p->insn_cnt, mem, mem_len, &o, &res, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck run: %s\n", err.msg);
		goto out;
	}
	if (res.fault != ISA_FAULT_NONE) {
		fprintf(stderr, "bpfcheck run: %s: %s fault after %llu instructions: %s\n", file,
		        isa_interp_fault_name(res.fault), (unsigned long long)res.executed, res.msg);
		rc = EXIT_FINDINGS;
		goto out;
	}
	if (verbose)
		printf("executed %llu instructions\n", (unsigned long long)res.executed);
	printf("0x%llx\n", (unsigned long long)res.r0);
	rc = EXIT_OK;
out:
	bpfc_object_free(obj);
	free(mem);
	return rc;
}
