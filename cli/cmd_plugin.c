/* bpfcheck plugin: the reference interpreter as a bpf_conformance plugin. The original runner
 * starts it as `bpfcheck plugin [MEMHEX] [OPTIONS...]`, writes the program as hex bytes on
 * standard input, and reads r0 in hex from standard output (exit 0), or an error (exit 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/conformance.h"
#include "commands.h"
#include "options.h"
#include "common/fileio.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: bpfcheck plugin [MEMHEX] [--max-insns N]\n"
	        "\n"
	        "Runs the reference interpreter as a bpf_conformance plugin: the program comes as hex\n"
	        "bytes (little-endian 8-byte instructions) on standard input, MEMHEX is the memory r1\n"
	        "points to (hex bytes, r2 = its length). Prints r0 in hexadecimal and exits 0, or\n"
	        "prints the fault on standard error and exits 1 (2 for unusable input or options).\n"
	        "Helper 5 returns its argument; no other helper exists.\n"
	        "\n"
	        "  --max-insns N   instruction budget (default %llu)\n"
	        "  --elf           not supported (exits 2): programs must be raw bytecode\n",
	        (unsigned long long)ISA_INTERP_DEFAULT_BUDGET);
}

int cmd_plugin(int argc, char **argv)
{
	const char *mem_hex = NULL;
	unsigned long long budget = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--max-insns") == 0 && i + 1 < argc) {
			int brc = cli_parse_budget("plugin", argv[++i], &budget);
			if (brc >= 0)
				return brc;
		} else if (strcmp(a, "--elf") == 0) {
			fprintf(stderr, "bpfcheck plugin: --elf is not supported; pass raw bytecode\n");
			return EXIT_USAGE;
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "bpfcheck plugin: unknown option '%s'\n", a);
			usage(stderr);
			return EXIT_USAGE;
		} else if (!mem_hex) {
			mem_hex = a;
		} else {
			fprintf(stderr,
			        "bpfcheck plugin: unexpected argument '%s' (memory was already given)\n", a);
			return EXIT_USAGE;
		}
	}

	struct bpfc_error err;
	uint8_t *mem = NULL, *code = NULL, *prog_text = NULL;
	size_t mem_len = 0, code_len = 0, text_len = 0;
	struct isa_slot *slots = NULL;
	size_t count = 0;
	int rc = EXIT_USAGE;
	if (mem_hex && bpfc_conf_hex_decode(mem_hex, &mem, &mem_len, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck plugin: memory argument: %s\n", err.msg);
		goto out;
	}
	if (bpfc_read_file("-", 64u << 20, &prog_text, &text_len, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck plugin: standard input: %s\n", err.msg);
		goto out;
	}
	if (bpfc_conf_hex_decode((const char *)prog_text, &code, &code_len, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck plugin: program on standard input: %s\n", err.msg);
		goto out;
	}
	if (isa_decode(code, code_len, ISA_LITTLE_ENDIAN, &slots, &count, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck plugin: program on standard input: %s\n", err.msg);
		goto out;
	}
	struct isa_interp_opts o;
	bpfc_conf_interp_opts(NULL, &o);
	o.max_insns = budget;
	struct isa_interp_result res;
	if (isa_interp_exec(slots, count, mem, mem_len, &o, &res, &err) != BPFC_OK) {
		fprintf(stderr, "bpfcheck plugin: %s\n", err.msg);
		goto out;
	}
	if (res.fault != ISA_FAULT_NONE) {
		fprintf(stderr, "%s: %s\n", isa_interp_fault_name(res.fault), res.msg);
		rc = EXIT_FINDINGS;
		goto out;
	}
	printf("%llx\n", (unsigned long long)res.r0);
	rc = EXIT_OK;
out:
	free(mem);
	free(code);
	free(prog_text);
	free(slots);
	return rc;
}
