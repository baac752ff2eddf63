/* A deliberately wrong bpf_conformance plugin, for the runner's tests: it runs programs on the
 * reference interpreter after turning every signed modulo (smod, smod32) into unsigned modulo,
 * so exactly the tests with negative signed-modulo operands get wrong results. With --hang it
 * never answers (for the timeout tests). Protocol: PLUGIN [MEMHEX] [--hang], program as hex on
 * standard input, r0 in hex on standard output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfcheck/conformance.h"
#include "common/fileio.h"

int main(int argc, char **argv)
{
	const char *mem_hex = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--hang") == 0) {
			for (;;)
				pause();
		} else if (!mem_hex) {
			mem_hex = argv[i];
		}
	}
	struct bpfc_error err;
	uint8_t *mem = NULL, *text = NULL, *code = NULL;
	size_t mem_len = 0, text_len = 0, code_len = 0;
	struct isa_slot *slots = NULL;
	size_t count = 0;
	if ((mem_hex && bpfc_conf_hex_decode(mem_hex, &mem, &mem_len, &err) != BPFC_OK) ||
	    bpfc_read_file("-", 1u << 24, &text, &text_len, &err) != BPFC_OK ||
	    bpfc_conf_hex_decode((const char *)text, &code, &code_len, &err) != BPFC_OK ||
	    isa_decode(code, code_len, ISA_LITTLE_ENDIAN, &slots, &count, &err) != BPFC_OK) {
		fprintf(stderr, "broken_runtime: %s\n", err.msg);
		return 2;
	}
	for (size_t i = 0; i < count; i++) {
		uint8_t op = slots[i].opcode;
		if ((op == 0x94 || op == 0x97 || op == 0x9c || op == 0x9f) && slots[i].off == 1)
			slots[i].off = 0; /* the bug: signed modulo computed as unsigned */
		if (op == 0x18)
			i++;
	}
	struct isa_interp_opts o;
	bpfc_conf_interp_opts(NULL, &o);
	struct isa_interp_result res;
	if (isa_interp_exec(slots, count, mem, mem_len, &o, &res, &err) != BPFC_OK ||
	    res.fault != ISA_FAULT_NONE) {
		fprintf(stderr, "broken_runtime: %s\n", res.fault ? res.msg : err.msg);
		return 1;
	}
	printf("%llx\n", (unsigned long long)res.r0);
	free(mem);
	free(text);
	free(code);
	free(slots);
	return 0;
}
