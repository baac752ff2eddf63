/* libFuzzer harness for the ELF loader: any bytes must load or fail with a message, never crash,
 * hang or read out of bounds. Walks what a loaded object exposes so that bad pointers show up. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	if (elf_load_object("fuzz.o", data, size, NULL, &obj, &err)) {
		if (!err.msg[0])
			__builtin_trap(); /* every failure must say why */
		return 0;
	}
	volatile size_t sink = 0;
	char buf[256];
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		const struct bpfc_prog *p = &obj->progs[i];
		for (size_t k = 0; k < p->insn_cnt; k++) {
			sink += p->insns[k].opcode;
			if (p->lines && p->lines[k].file)
				sink += strlen(p->lines[k].file) +
				        (p->lines[k].text ? strlen(p->lines[k].text) : 0);
		}
		for (size_t f = 0; f < p->func_cnt; f++)
			if (p->funcs[f].end > p->insn_cnt || p->funcs[f].start > p->funcs[f].end)
				__builtin_trap();
	}
	for (size_t i = 0; i < obj->map_cnt; i++) {
		const struct bpfc_map *m = &obj->maps[i];
		if (m->data && m->value_size)
			sink += m->data[m->value_size - 1];
		if (obj->btf) {
			btf_decl_to_c(obj->btf, m->btf_value_type_id, buf, sizeof(buf));
			btf_type_to_c(obj->btf, m->btf_key_type_id, buf, sizeof(buf));
		}
	}
	for (size_t i = 0; i < obj->core_relo_cnt; i++)
		sink += strlen(obj->core_relos[i].type_name ? obj->core_relos[i].type_name : "");
	for (uint32_t id = 0; obj->btf && id < btf_type_count(obj->btf) && id < 2000; id++) {
		uint64_t s;
		btf_resolve_size(obj->btf, id, &s, NULL);
		btf_decl_to_c(obj->btf, id, buf, sizeof(buf));
	}
	(void)sink;
	bpfc_object_free(obj);
	return 0;
}
