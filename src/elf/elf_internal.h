/* Pieces of the ELF loader shared between its files. Internal to src/elf. */
#ifndef BPFCHECK_ELF_INTERNAL_H
#define BPFCHECK_ELF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/error.h"
#include "bpfcheck/prog.h"

/* A string pool owned by the object (messages, readable CO-RE specs). */
struct elf_strpool {
	char **strs;
	size_t cnt, cap;
};

/* Adds a printf-formatted string to the pool; NULL on allocation failure. */
const char *elf_pool_printf(struct elf_strpool *pool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void elf_pool_free(struct elf_strpool *pool);

/* Resolves one CO-RE relocation of the given kind on prog->insns[r->insn] against local BTF, or
 * target BTF when target is not NULL; patches the instruction when it can. Fills r->resolved,
 * value, spec and reason (strings in pool). Never fails on what it cannot resolve. */
void elf_core_resolve(const struct btf *local, const struct btf *target, struct bpfc_prog *prog,
                      struct bpfc_core_relo *r, struct elf_strpool *pool);

/* The section-name table (specs/platforms/linux/sections.json), built once per process and
 * immutable; NULL with err filled if the embedded table is missing or broken. */
const void *elf_sections_table(struct bpfc_error *err);
/* Program type for a section name (longest matching rule), or NULL; owned by the table. */
const char *elf_sections_table_type(const void *table, const char *section);

/* Fills the KCONFIG map value data (the object's byte order) from a kernel .config-style text
 * (CONFIG_X=y|m|n|"str"|123, "# CONFIG_X is not set") for each .kconfig extern, as libbpf does,
 * and sets e->known. A non-weak extern without a value (except LINUX_*), a value its BTF type
 * cannot hold or a malformed line fail with BPFC_ERR_INPUT naming path:line. */
int elf_kconfig_fill(const char *path, const char *text, size_t len, const struct btf *btf, bool big_endian,
                     struct bpfc_extern *externs, size_t extern_cnt, uint8_t *data, struct bpfc_error *err);

/* Finds the special fields (kptrs, spin lock, timer, ...) of the map value type `type` (a struct or
 * a DATASEC; var_off[i], when given for i < var_cnt, is the offset of the DATASEC's i-th variable,
 * which objects leave 0) and sets m->fields (malloc'd, sorted), field_cnt and fields_known. Does
 * nothing when btf or type is missing. -1 on allocation failure. */
int elf_map_fields(const struct btf *btf, uint32_t type, const uint32_t *var_off, size_t var_cnt,
                   struct bpfc_map *m);
#endif
