/* bpfcheck list: what an ELF object holds (programs, maps, externs, BTF, line info, CO-RE). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/elf.h"
#include "bpfcheck/platform.h"
#include "commands.h"
#include "common/fileio.h"

#define MAX_INPUT_BYTES (512u << 20)

static void list_usage(FILE *f)
{
	fprintf(f, "usage: bpfcheck list [options] FILE.o...\n"
	           "Lists the programs, maps and externs of eBPF ELF objects.\n\n"
	           "  --section NAME    only programs in ELF section NAME\n"
	           "  --program NAME    only the program (function) NAME\n"
	           "  --type TYPE       program type for every program (default: from the section name)\n"
	           "  --btf FILE        target BTF for CO-RE relocations (default: the object's own BTF)\n"
	           "  --kconfig FILE    kernel .config giving the .kconfig externs' values\n"
	           "  --verbose         also list each program's functions and every CO-RE relocation\n"
	           "                    and the initial slots of map-in-map and prog-array maps\n"
	           "  --help            this text\n\n"
	           "exit codes: 0 listed, 2 usage error or an object that cannot be loaded\n");
}

static const char *map_kind_name(enum bpfc_map_kind k)
{
	switch (k) {
	case BPFC_MAP_USER: return "";
	case BPFC_MAP_DATA: return "data";
	case BPFC_MAP_RODATA: return "rodata";
	case BPFC_MAP_BSS: return "bss";
	case BPFC_MAP_KCONFIG: return "kconfig";
	}
	return "";
}

/* " = VALUE" for a .kconfig extern given by --kconfig: a string for char arrays, else the
 * integer in the object's byte order; " = unknown" without --kconfig. */
static void print_kconfig_value(const struct bpfc_object *obj, const struct bpfc_extern *e)
{
	const struct bpfc_map *km = NULL;
	for (size_t i = 0; i < obj->map_cnt; i++)
		if (obj->maps[i].kind == BPFC_MAP_KCONFIG)
			km = &obj->maps[i];
	if (!e->known || !km || !km->data || e->offset > km->value_size ||
	    e->size > km->value_size - e->offset) {
		printf(" = unknown");
		return;
	}
	const uint8_t *p = km->data + e->offset;
	uint32_t t = obj->btf ? btf_skip_mods(obj->btf, btf_size_or_type(obj->btf, e->btf_type_id)) : 0;
	if (t && btf_kind(obj->btf, t) == BTF_K_ARRAY) {
		printf(" = \"%.*s\"", (int)strnlen((const char *)p, e->size), (const char *)p);
		return;
	}
	bool be = obj->prog_cnt && obj->progs[0].byte_order == ISA_BIG_ENDIAN;
	unsigned long long v = 0;
	for (uint32_t i = 0; i < e->size && i < 8; i++)
		v |= (unsigned long long)p[be ? e->size - 1 - i : i] << (8 * i);
	printf(" = %llu", v);
}

static void print_object(const struct bpfc_object *obj, int verbose, const char *btf_path)
{
	printf("%s: %zu program%s, %zu map%s, BTF %s, line info %s", obj->path, obj->prog_cnt,
	       obj->prog_cnt == 1 ? "" : "s", obj->map_cnt, obj->map_cnt == 1 ? "" : "s",
	       obj->has_btf ? "yes" : "no", obj->has_line_info ? "yes" : "no");
	if (obj->license)
		printf(", license \"%s\"", obj->license);
	if (obj->kern_version)
		printf(", version 0x%x", obj->kern_version);
	printf("\n");
	if (obj->prog_cnt) {
		printf("programs:\n  %-28s %-24s %-16s %6s  %s\n", "SECTION", "NAME", "TYPE", "INSNS",
		       "CALLS");
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			const struct bpfc_prog *p = &obj->progs[i];
			printf("  %-28s %-24s %-16s %6zu ", p->section ? p->section : "-", p->name,
			       p->type ? p->type : "?", p->insn_cnt);
			for (size_t f = 1; f < p->func_cnt; f++)
				printf(" %s%s", p->funcs[f].name, f + 1 < p->func_cnt ? "," : "");
			printf("\n");
			for (size_t f = 0; verbose && f < p->func_cnt; f++)
				printf("      func %-24s insns %u..%u\n", p->funcs[f].name, p->funcs[f].start,
				       p->funcs[f].end);
		}
	}
	if (obj->map_cnt) {
		printf("maps:\n  %-24s %-20s %6s %6s %8s  %s\n", "NAME", "TYPE", "KEY", "VALUE", "ENTRIES",
		       "KIND");
		for (size_t i = 0; i < obj->map_cnt; i++) {
			const struct bpfc_map *m = &obj->maps[i];
			const struct plat_map_type *mt =
			    plat_linux() ? plat_map_type_by_id(plat_linux(), m->type) : NULL;
			const char *tn = mt ? mt->name : NULL;
			char tbuf[32];
			if (!tn) {
				snprintf(tbuf, sizeof(tbuf), "type %u", m->type);
				tn = tbuf;
			}
			printf("  %-24s %-20s %6u %6u %8u  %s", m->name, tn, m->key_size, m->value_size,
			       m->max_entries, map_kind_name(m->kind));
			if (m->inner_map >= 0 && (size_t)m->inner_map < obj->map_cnt)
				printf("inner=%s", obj->maps[m->inner_map].name);
			printf("\n");
			for (size_t k = 0; verbose && k < m->field_cnt; k++) {
				const struct bpfc_map_field *f = &m->fields[k];
				printf("      field %-6u %-14s %u bytes", f->offset,
				       f->kind == BPFC_FIELD_KPTR_UNTRUSTED ? "kptr_untrusted"
				                                            : bpfc_field_kind_name(f->kind),
				       f->size);
				if (f->kind <= BPFC_FIELD_KPTR_PERCPU)
					printf(" -> struct %s (%s)", f->kptr_struct,
					       f->kptr_size ? "defined" : "only declared");
				printf("\n");
			}
			for (size_t k = 0; verbose && k < m->init_cnt; k++)
				printf("      slot %-6u %s %s%s\n", m->init[k].slot,
				       m->init[k].map_idx >= 0 ? "map" : "program", m->init[k].name,
				       m->init[k].map_idx < 0 && m->init[k].prog_idx < 0 ? " (not loaded)"
				                                                         : "");
		}
	}
	if (obj->extern_cnt) {
		printf("externs:\n");
		for (size_t i = 0; i < obj->extern_cnt; i++) {
			const struct bpfc_extern *e = &obj->externs[i];
			printf("  %-24s %s%s%s", e->name, e->kind == BPFC_EXTERN_KCONFIG ? "kconfig" : "ksym",
			       e->is_func ? " function" : "", e->weak ? " weak" : "");
			if (e->kind == BPFC_EXTERN_KCONFIG)
				print_kconfig_value(obj, e);
			printf("\n");
		}
	}
	if (obj->core_relo_cnt) {
		printf("CO-RE relocations: %zu, %zu resolved against %s, %zu unresolved\n",
		       obj->core_relo_cnt, obj->core_relo_cnt - obj->core_unresolved,
		       btf_path ? btf_path : "the object's own BTF", obj->core_unresolved);
		for (size_t i = 0; i < obj->core_relo_cnt; i++) {
			const struct bpfc_core_relo *r = &obj->core_relos[i];
			if (!verbose && r->resolved)
				continue;
			printf("  %s insn %u: %s %s", obj->progs[r->prog].name, r->insn,
			       elf_core_kind_name(r->kind), r->spec ? r->spec : r->type_name);
			if (r->resolved)
				printf(" = %llu\n", (unsigned long long)r->value);
			else
				printf(": unresolved: %s\n", r->reason);
		}
	}
}

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"section", required_argument, NULL, 's'}, {"program", required_argument, NULL, 'p'},
	    {"type", required_argument, NULL, 't'},    {"btf", required_argument, NULL, 'b'},
	    {"kconfig", required_argument, NULL, 'k'}, {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
	struct bpfc_elf_opts opts = {0};
	int verbose = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:p:t:b:k:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opts.section = optarg; break;
		case 'p': opts.program = optarg; break;
		case 't': opts.prog_type = optarg; break;
		case 'b': opts.btf_path = optarg; break;
		case 'k': opts.kconfig_path = optarg; break;
		case 'v': verbose = 1; break;
		case 'h': list_usage(stdout); return EXIT_OK;
		default: list_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bpfcheck list: no input file\n");
		list_usage(stderr);
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		struct bpfc_error err;
		uint8_t *buf = NULL;
		size_t len = 0;
		struct bpfc_object *obj = NULL;
		if (bpfc_read_file(argv[i], MAX_INPUT_BYTES, &buf, &len, &err) == 0) {
			if (!elf_is_elf(buf, len))
				bpfc_error_set(&err, BPFC_ERR_INPUT,
				               "%s: not an ELF object (list reads eBPF ELF objects)",
				               argv[i]);
			else
				elf_load_object(argv[i], buf, len, &opts, &obj, &err);
		}
		free(buf);
		if (!obj) {
			fprintf(stderr, "bpfcheck list: error: %s\n", err.msg);
			rc = EXIT_USAGE;
			continue;
		}
		if (i > optind)
			printf("\n");
		print_object(obj, verbose, opts.btf_path);
		bpfc_object_free(obj);
	}
	return rc;
}
