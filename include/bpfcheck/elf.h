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
	const char *section;   /* keep only programs in this section (NULL: all) */
	const char *program;   /* keep only this program (NULL: all) */
	const char *prog_type; /* override the type inferred from the section name */
	const char *btf_path;  /* optional target BTF for CO-RE relocations */
};

/* True when data starts with the ELF magic. */
int elf_is_elf(const uint8_t *data, size_t len);

/* Loads an ELF object from memory (path names it in messages) into a new object. Malformed
 * input fails with BPFC_ERR_INPUT and a message naming the file, section and offset. */
int elf_load_object(const char *path, const uint8_t *data, size_t len, const struct bpfc_elf_opts *opts,
                    struct bpfc_object **out, struct bpfc_error *err);

#ifdef __cplusplus
}
#endif
#endif
