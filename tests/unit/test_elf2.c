/* The ELF loader's additions: initial values of map-in-map and prog-array maps (.rel.maps), on
 * objects compiled from tests/programs/elf2_*.c, then the same objects corrupted. */
#define _GNU_SOURCE
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/elf.h"
#include "elftest.h"
#include "testutil.h"

static int prog_named(const struct bpfc_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->prog_cnt; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return (int)i;
	ck_abort_msg("no program %s", name);
	return -1;
}

/* The .rel.maps entry whose symbol is name. */
static Elf64_Rel *rel_to(uint8_t *d, const char *name)
{
	Elf64_Shdr *rs = sec_named(d, ".rel.maps");
	Elf64_Rel *rel = (Elf64_Rel *)(d + rs->sh_offset);
	size_t sym = sym_index(d, name);
	for (size_t i = 0; i < rs->sh_size / sizeof(*rel); i++)
		if (ELF64_R_SYM(rel[i].r_info) == sym)
			return &rel[i];
	ck_abort_msg("no .rel.maps relocation to %s", name);
	return NULL;
}

START_TEST(map_in_map_and_prog_array_slots)
{
	struct bpfc_object *obj = load_opts("elf2_mapinit", NULL);
	int outer = map_named(obj, "outer"), jumps = map_named(obj, "jumps");
	const struct bpfc_map *m = &obj->maps[outer];
	ck_assert_uint_eq(m->init_cnt, 2);
	ck_assert_uint_eq(m->init[0].slot, 1);
	ck_assert_int_eq(m->init[0].map_idx, map_named(obj, "first"));
	ck_assert_int_eq(m->init[0].prog_idx, -1);
	ck_assert_str_eq(m->init[0].name, "first");
	ck_assert_uint_eq(m->init[1].slot, 5);
	ck_assert_int_eq(m->init[1].map_idx, map_named(obj, "second"));
	m = &obj->maps[jumps];
	ck_assert_uint_eq(m->init_cnt, 2);
	ck_assert_uint_eq(m->init[0].slot, 0);
	ck_assert_int_eq(m->init[0].map_idx, -1);
	ck_assert_int_eq(m->init[0].prog_idx, prog_named(obj, "tail_a"));
	ck_assert_uint_eq(m->init[1].slot, 3);
	ck_assert_int_eq(m->init[1].prog_idx, prog_named(obj, "tail_b"));
	ck_assert_str_eq(m->init[1].name, "tail_b");
	/* Maps without initial values have none. */
	ck_assert_uint_eq(obj->maps[map_named(obj, "first")].init_cnt, 0);
	ck_assert_ptr_null(obj->maps[map_named(obj, "first")].init);
	bpfc_object_free(obj);

	/* A prog array slot whose program was filtered out keeps its name, without an index. */
	struct bpfc_elf_opts o = {.program = "entry"};
	obj = load_opts("elf2_mapinit", &o);
	ck_assert_uint_eq(obj->prog_cnt, 1);
	m = &obj->maps[map_named(obj, "jumps")];
	ck_assert_uint_eq(m->init_cnt, 2);
	ck_assert_int_eq(m->init[0].prog_idx, -1);
	ck_assert_int_eq(m->init[0].map_idx, -1);
	ck_assert_str_eq(m->init[0].name, "tail_a");
	bpfc_object_free(obj);
}
END_TEST

/* The BTF array type with nelems elements (there must be exactly one): __uint(x, N) is int (*)[N]. */
static uint32_t *btf_array_nelems(uint8_t *d, uint32_t nelems)
{
	uint8_t *b = d + sec_named(d, ".BTF")->sh_offset;
	uint32_t hdr_len, type_off, type_len;
	memcpy(&hdr_len, b + 4, 4);
	memcpy(&type_off, b + 8, 4);
	memcpy(&type_len, b + 12, 4);
	uint8_t *t = b + hdr_len + type_off, *end = t + type_len;
	uint32_t *found = NULL;
	while (t < end) {
		uint32_t info, extra = 0;
		memcpy(&info, t + 4, 4);
		uint32_t kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
		switch (kind) {
		case 1:
		case 14:
		case 17: extra = 4; break; /* int, var, decl_tag */
		case 3: extra = 12; break; /* array */
		case 4:
		case 5:
		case 15:
		case 19: extra = 12 * vlen; break; /* struct, union, datasec, enum64 */
		case 6:
		case 13: extra = 8 * vlen; break; /* enum, func_proto */
		default: break;
		}
		if (kind == 3) {
			uint32_t n;
			memcpy(&n, t + 12 + 8, 4);
			if (n == nelems) {
				ck_assert_msg(!found, "two BTF arrays of %u elements", nelems);
				found = (uint32_t *)(t + 12 + 8);
			}
		}
		t += 12 + extra;
	}
	ck_assert_msg(found != NULL, "no BTF array of %u elements", nelems);
	return found;
}

START_TEST(slot_past_max_entries)
{
	struct blob b = read_prog("elf2_mapinit");
	/* outer's max_entries 8 (the only int[8]) becomes 4: its slot 5 is now outside. */
	uint32_t four = 4;
	memcpy(btf_array_nelems(b.data, 8), &four, 4);
	expect_error(&b, "sets slot 5 of map 'outer', outside its max_entries 4");
	expect_error(&b, "section '.rel.maps': relocation 1 (offset 0x");
	free(b.data);
}
END_TEST

START_TEST(malformed_map_relocations)
{
	struct blob orig = read_prog("elf2_mapinit");
	struct blob b = {malloc(orig.len), orig.len};
	memcpy(b.data, orig.data, orig.len);

	Elf64_Rel *r = rel_to(b.data, "second");
	r->r_offset -= 4;
	expect_error(&b, "is not on an 8-byte slot of map 'outer' field 'values'");
	memcpy(b.data, orig.data, orig.len);

	r->r_offset = 1u << 20;
	expect_error(&b, "(offset 0x100000) is not inside any map definition");
	memcpy(b.data, orig.data, orig.len);

	/* Pointing into a map without a 'values' field (first, at offset 0). */
	r->r_offset = 8;
	expect_error(&b, "initializes map 'first', which is not a map-in-map or prog array");
	memcpy(b.data, orig.data, orig.len);

	/* A function in a map-in-map slot, a map in a prog array slot. */
	r->r_info = ELF64_R_INFO(sym_index(b.data, "tail_a"), ELF64_R_TYPE(r->r_info));
	expect_error(&b, "puts symbol 'tail_a' in slot 5 of map-in-map 'outer', but it is not a map");
	memcpy(b.data, orig.data, orig.len);

	r = rel_to(b.data, "tail_b");
	r->r_info = ELF64_R_INFO(sym_index(b.data, "first"), ELF64_R_TYPE(r->r_info));
	expect_error(&b, "puts symbol 'first' in slot 3 of prog array 'jumps', but it is not a function");
	memcpy(b.data, orig.data, orig.len);

	r->r_info = ELF64_R_INFO(5000, ELF64_R_TYPE(r->r_info));
	expect_error(&b, "refers to symbol 5000, which does not exist");
	memcpy(b.data, orig.data, orig.len);

	r->r_info = ELF64_R_INFO(ELF64_R_SYM(r->r_info), 10);
	expect_error(&b, "has type 10; map initial values must be");
	memcpy(b.data, orig.data, orig.len);

	/* Two relocations for one slot. */
	Elf64_Rel *r2 = rel_to(b.data, "tail_a");
	r2->r_offset = r->r_offset;
	expect_error(&b, "sets slot 3 of map 'jumps' twice");
	memcpy(b.data, orig.data, orig.len);

	sec_named(b.data, ".rel.maps")->sh_entsize = 24;
	expect_error(&b, "section '.rel.maps': entry size 24");
	free(b.data);
	free(orig.data);
}
END_TEST

START_TEST(cli_list_shows_slots)
{
	char *p = tu_program_path("elf2_mapinit");
	const char *a1[] = {"list", "--verbose", p, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "slot 1      map first\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "slot 5      map second\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "slot 3      program tail_b\n"));
	tu_result_free(&r);

	const char *a2[] = {"list", "--verbose", "--program", "entry", p, NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "slot 0      program tail_a (not loaded)\n"));
	tu_result_free(&r);

	const char *a3[] = {"list", p, NULL};
	r = tu_run_cli(a3, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_null(strstr(r.out, "slot 1"));
	tu_result_free(&r);
	free(p);
}
END_TEST

static const char good_config[] = "# Automatically generated\n"
                                  "CONFIG_BPF_SYSCALL=y\n"
                                  "  CONFIG_TEST_MOD=m  \r\n"
                                  "CONFIG_CHAR_OPT=m\n"
                                  "CONFIG_HZ=250\n"
                                  "CONFIG_BIG=0x123456789\n"
                                  "CONFIG_NEG=-3\n"
                                  "CONFIG_LOCALVERSION=\"-generic-long\"\n"
                                  "# CONFIG_UNUSED is not set\n"
                                  "CONFIG_OTHER=y\n";

static const struct bpfc_extern *ext_named(const struct bpfc_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->extern_cnt; i++)
		if (strcmp(obj->externs[i].name, name) == 0)
			return &obj->externs[i];
	ck_abort_msg("no extern %s", name);
	return NULL;
}

static uint64_t kval(const struct bpfc_object *obj, const char *name)
{
	const struct bpfc_extern *e = ext_named(obj, name);
	const struct bpfc_map *m = &obj->maps[map_named(obj, ".kconfig")];
	ck_assert_uint_le(e->offset + e->size, m->value_size);
	uint64_t v = 0;
	for (uint32_t i = 0; i < e->size && i < 8; i++)
		v |= (uint64_t)m->data[e->offset + i] << (8 * i); /* the test objects are little-endian */
	return v;
}

/* Loads elf2_kconfig with a configuration text; returns the error code, *obj on success. */
static int load_kconfig(const char *text, struct bpfc_object **obj, struct bpfc_error *err)
{
	char *cfg = tu_write_temp(text, strlen(text), ".config");
	struct bpfc_elf_opts o = {.kconfig_path = cfg};
	struct blob b = read_prog("elf2_kconfig");
	int rc = elf_load_object("k.o", b.data, b.len, &o, obj, err);
	free(b.data);
	remove(cfg);
	free(cfg);
	return rc;
}

START_TEST(kconfig_values)
{
	/* Without --kconfig: zeros, and nothing is known. */
	struct bpfc_object *obj = load_opts("elf2_kconfig", NULL);
	ck_assert(!ext_named(obj, "CONFIG_HZ")->known);
	ck_assert_uint_eq(kval(obj, "CONFIG_HZ"), 0);
	bpfc_object_free(obj);

	struct bpfc_error err;
	int rc = load_kconfig(good_config, &obj, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert_uint_eq(kval(obj, "CONFIG_BPF_SYSCALL"), 1);
	ck_assert_uint_eq(kval(obj, "CONFIG_TEST_MOD"), 2); /* TRI_MODULE */
	ck_assert_uint_eq(ext_named(obj, "CONFIG_TEST_MOD")->size, 4);
	ck_assert_uint_eq(kval(obj, "CONFIG_CHAR_OPT"), 'm');
	ck_assert_uint_eq(kval(obj, "CONFIG_HZ"), 250);
	ck_assert_uint_eq(kval(obj, "CONFIG_BIG"), 0x123456789ull);
	ck_assert_uint_eq(kval(obj, "CONFIG_NEG"), 0xfffd);
	const struct bpfc_extern *lv = ext_named(obj, "CONFIG_LOCALVERSION");
	const uint8_t *d = obj->maps[map_named(obj, ".kconfig")].data;
	ck_assert_mem_eq(d + lv->offset, "-generi", 8); /* truncated, NUL kept */
	ck_assert(ext_named(obj, "CONFIG_MISSING_WEAK")->known);
	ck_assert_uint_eq(kval(obj, "CONFIG_MISSING_WEAK"), 0);
	ck_assert(ext_named(obj, "CONFIG_HZ")->known);
	ck_assert(!ext_named(obj, "LINUX_KERNEL_VERSION")->known);
	bpfc_object_free(obj);

	/* LINUX_KERNEL_VERSION from the file; "is not set" means n; a later line wins. */
	char text[1024];
	snprintf(text, sizeof(text),
	         "%sLINUX_KERNEL_VERSION=394240\n# CONFIG_BPF_SYSCALL is not set\n"
	         "CONFIG_HZ=100\nCONFIG_HZ=1000\n",
	         good_config);
	rc = load_kconfig(text, &obj, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert(ext_named(obj, "LINUX_KERNEL_VERSION")->known);
	ck_assert_uint_eq(kval(obj, "LINUX_KERNEL_VERSION"), 394240);
	ck_assert_uint_eq(kval(obj, "CONFIG_BPF_SYSCALL"), 0);
	ck_assert_uint_eq(kval(obj, "CONFIG_HZ"), 1000);
	bpfc_object_free(obj);
}
END_TEST

static void expect_kconfig_error(const char *extra, const char *want)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s%s", good_config, extra);
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	int rc = load_kconfig(text, &obj, &err);
	ck_assert_msg(rc != 0, "'%s' was accepted", extra);
	ck_assert_ptr_null(obj);
	ck_assert_msg(strstr(err.msg, want) != NULL, "error '%s' does not contain '%s'", err.msg, want);
}

START_TEST(kconfig_errors)
{
	expect_kconfig_error("CONFIG_BPF_SYSCALL=m\n",
	                     ":11: CONFIG_BPF_SYSCALL: a bool extern cannot be a module");
	expect_kconfig_error("CONFIG_BPF_SYSCALL=2\n", "a bool extern is 0 or 1, got '2'");
	expect_kconfig_error("CONFIG_HZ=y\n",
	                     "CONFIG_HZ: the extern is an integer, not a bool/tristate/char; got 'y'");
	expect_kconfig_error("CONFIG_HZ=\"x\"\n", "not a char array; got the string '\"x\"'");
	expect_kconfig_error("CONFIG_LOCALVERSION=3\n", "the extern is a char array, not an integer");
	expect_kconfig_error("CONFIG_LOCALVERSION=\"abc\n", "string value without its closing quote");
	expect_kconfig_error("CONFIG_NEG=40000\n", "does not fit its 2-byte signed type: '40000'");
	expect_kconfig_error("CONFIG_NEG=-40000\n", "does not fit its 2-byte signed type");
	expect_kconfig_error("CONFIG_BIG=-1\n", "does not fit its 8-byte unsigned type: '-1'");
	expect_kconfig_error("CONFIG_HZ=12abc\n", "expected y, n, m, a \"string\" or a number, got '12abc'");
	expect_kconfig_error("CONFIG_HZ=\n", "expected y, n, m");
	expect_kconfig_error("CONFIG_BIG=99999999999999999999999\n", "expected y, n, m");
	expect_kconfig_error("just words\n",
	                     ":11: expected NAME=VALUE or '# NAME is not set', got 'just words'");
	expect_kconfig_error("=3\n", "expected NAME=VALUE");

	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	ck_assert_int_ne(load_kconfig("CONFIG_BPF_SYSCALL=y\n", &obj, &err), 0);
	ck_assert_ptr_nonnull(
	    strstr(err.msg, "extern 'CONFIG_TEST_MOD' (.kconfig, not __weak) has no value in the file"));
	struct bpfc_elf_opts o = {.kconfig_path = "/nonexistent/kconfig"};
	struct blob b = read_prog("elf2_kconfig");
	ck_assert_int_eq(elf_load_object("k.o", b.data, b.len, &o, &obj, &err), BPFC_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/kconfig: cannot open the kernel configuration"));
	free(b.data);
}
END_TEST

START_TEST(cli_kconfig)
{
	char *p = tu_program_path("elf2_kconfig");
	char *cfg = tu_write_temp(good_config, strlen(good_config), ".config");
	const char *a1[] = {"list", "--kconfig", cfg, p, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "CONFIG_HZ                kconfig = 250\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "CONFIG_LOCALVERSION      kconfig = \"-generi\"\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "LINUX_KERNEL_VERSION     kconfig = unknown\n"));
	tu_result_free(&r);
	const char *a2[] = {"list", p, NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "CONFIG_HZ                kconfig = unknown\n"));
	tu_result_free(&r);
	const char *a3[] = {"disasm", "--kconfig", "/nonexistent/kconfig", p, NULL};
	r = tu_run_cli(a3, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "cannot open the kernel configuration"));
	tu_result_free(&r);
	remove(cfg);
	free(cfg);
	free(p);
}
END_TEST

START_TEST(verify_uses_kconfig_values)
{
	char *p = tu_program_path("elf2_kconfig_verify");
	char *hz250 = tu_write_temp("CONFIG_HZ=250\n", 14, ".config");
	char *hz100 = tu_write_temp("CONFIG_HZ=100\n", 14, ".config");
	const char *a1[] = {"verify", p, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_int_eq(r.exit_code, 1); /* CONFIG_HZ unknown: the NULL dereference is reachable */
	ck_assert_ptr_nonnull(strstr(r.out, "VF-NULL"));
	tu_result_free(&r);
	const char *a2[] = {"verify", "--kconfig", hz250, p, NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_msg(r.exit_code == 0, "%s%s", r.out, r.err);
	tu_result_free(&r);
	const char *a3[] = {"verify", "--kconfig", hz100, p, NULL};
	r = tu_run_cli(a3, NULL);
	ck_assert_int_eq(r.exit_code, 1);
	tu_result_free(&r);
	remove(hz250);
	remove(hz100);
	free(hz250);
	free(hz100);
	free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("elf2");
	TCase *tc = tcase_create("mapinit");
	if (BPF_PROGRAMS_ENABLED) { /* the tests need clang-19's objects */
		tcase_add_test(tc, map_in_map_and_prog_array_slots);
		tcase_add_test(tc, slot_past_max_entries);
		tcase_add_test(tc, malformed_map_relocations);
		tcase_add_test(tc, cli_list_shows_slots);
		tcase_add_test(tc, kconfig_values);
		tcase_add_test(tc, kconfig_errors);
		tcase_add_test(tc, cli_kconfig);
		tcase_add_test(tc, verify_uses_kconfig_values);
	}
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
