/* Helpers shared by the ELF loader's tests: load a compiled test program, find sections and
 * symbols in its bytes to corrupt them, and expect a specific load error. */
#define _GNU_SOURCE
#include "elftest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct blob read_prog(const char *name)
{
	char *path = tu_program_path(name);
	struct blob b = {0};
	b.data = (uint8_t *)tu_read_file(path, &b.len);
	ck_assert_msg(b.data != NULL, "cannot read %s (were the test programs built?)", path);
	free(path);
	return b;
}

struct bpfc_object *load_opts(const char *name, const struct bpfc_elf_opts *opts)
{
	struct blob b = read_prog(name);
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	int rc = elf_load_object(name, b.data, b.len, opts, &obj, &err);
	ck_assert_msg(rc == 0, "%s: %s", name, err.msg);
	free(b.data);
	return obj;
}

int map_named(const struct bpfc_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->map_cnt; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return (int)i;
	ck_abort_msg("no map %s", name);
	return -1;
}

Elf64_Shdr *shdr(uint8_t *d, size_t i)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)d;
	return (Elf64_Shdr *)(d + eh->e_shoff) + i;
}

Elf64_Shdr *sec_named(uint8_t *d, const char *name)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)d;
	const char *strs = (const char *)d + shdr(d, eh->e_shstrndx)->sh_offset;
	for (size_t i = 1; i < eh->e_shnum; i++)
		if (strcmp(strs + shdr(d, i)->sh_name, name) == 0)
			return shdr(d, i);
	ck_abort_msg("no section %s", name);
	return NULL;
}

size_t sym_index(uint8_t *d, const char *name)
{
	Elf64_Shdr *st = sec_named(d, ".symtab");
	const char *strs = (const char *)d + shdr(d, st->sh_link)->sh_offset;
	Elf64_Sym *syms = (Elf64_Sym *)(d + st->sh_offset);
	for (size_t i = 0; i < st->sh_size / sizeof(Elf64_Sym); i++)
		if (strcmp(strs + syms[i].st_name, name) == 0)
			return i;
	ck_abort_msg("no symbol %s", name);
	return 0;
}

void expect_error(const struct blob *b, const char *want)
{
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	int rc = elf_load_object("bad.o", b->data, b->len, NULL, &obj, &err);
	ck_assert_msg(rc != 0, "expected an error containing '%s', the object loaded", want);
	ck_assert_ptr_null(obj);
	ck_assert_msg(strstr(err.msg, want) != NULL, "error '%s' does not contain '%s'", err.msg, want);
	ck_assert_msg(strncmp(err.msg, "bad.o: ", 7) == 0, "error '%s' does not name the file", err.msg);
}
