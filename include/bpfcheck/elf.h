/* Loading eBPF ELF objects (libelf): programs, subprograms, relocations, maps, global data,
 * BTF and line info, resolved into a struct bpfc_object. */
#ifndef BPFCHECK_ELF_H
#define BPFCHECK_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/prog.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bpfc_elf_opts {
	const char *section;      /* keep only programs in this section (NULL: all) */
	const char *program;      /* keep only this program (NULL: all) */
	const char *prog_type;    /* override the type inferred from the section name */
	const char *btf_path;     /* optional target BTF for CO-RE relocations */
	const char *kconfig_path; /* optional kernel .config file giving the .kconfig externs' values */
};

/* True when data starts with the ELF magic. */
int elf_is_elf(const uint8_t *data, size_t len);

/* Loads an ELF object from memory (path names it in messages) into a new object. Malformed
 * input fails with BPFC_ERR_INPUT and a message naming the file, section and offset. */
int elf_load_object(const char *path, const uint8_t *data, size_t len, const struct bpfc_elf_opts *opts,
                    struct bpfc_object **out, struct bpfc_error *err);

/* Program type (as bpftool spells it) for an ELF section name, by libbpf's conventions in
 * specs/platforms/linux/sections.json; the longest matching prefix wins. Returns 1 and fills
 * type (NUL-terminated, truncated to len) when a rule matches, 0 when none does, -1 with err
 * filled when the embedded table is missing or broken. */
int elf_section_prog_type(const char *section, char *type, size_t len, struct bpfc_error *err);

/* Name of a CO-RE relocation kind ("field_byte_offset", ...), "unknown" if out of range. */
const char *elf_core_kind_name(uint32_t kind);

#ifdef __cplusplus
}
#endif
#endif
