/* Helpers shared by the ELF loader's tests (test_elf.c, test_elf2.c). */
#ifndef BPFCHECK_ELFTEST_H
#define BPFCHECK_ELFTEST_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/elf.h"

/* A whole file in memory (data is malloc'd). */
struct blob {
	uint8_t *data;
	size_t len;
};

/* Reads build/tests/programs/NAME.o; fails the test if it is missing. */
struct blob read_prog(const char *name);
/* Loads NAME.o with opts; fails the test with the loader's message on an error. */
struct bpfc_object *load_opts(const char *name, const struct bpfc_elf_opts *opts);
/* Index of the map called name in obj; fails the test if there is none. */
int map_named(const struct bpfc_object *obj, const char *name);
/* Section header i of the ELF image d, and the header of the section called name (fails the test
 * if there is none). */
Elf64_Shdr *shdr(uint8_t *d, size_t i);
Elf64_Shdr *sec_named(uint8_t *d, const char *name);
/* Symbol table index of the symbol called name in d; fails the test if there is none. */
size_t sym_index(uint8_t *d, const char *name);
/* Loading b (as "bad.o") must fail, load nothing, and give a message that names the file and
 * contains want. */
void expect_error(const struct blob *b, const char *want);

#endif
