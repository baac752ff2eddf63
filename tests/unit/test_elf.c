/* The ELF loader on objects compiled from tests/programs/elf_*.c: programs, subprogram linking,
 * maps, global data, CO-RE, line info, both byte orders; then the same objects corrupted, each
 * corruption giving its own error and never a crash (run under ASan in CI). */
#define _GNU_SOURCE
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/elf.h"
#include "elftest.h"
#include "testutil.h"

static struct bpfc_object *load(const char *name)
{
	return load_opts(name, NULL);
}

static const struct bpfc_prog *prog_named(const struct bpfc_object *obj, const char *name)
{
	for (size_t i = 0; i < obj->prog_cnt; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	ck_abort_msg("no program %s", name);
	return NULL;
}

/* Every call src=1 and lddw src=4 must land on the start of one of the program's functions. */
static void check_calls_land_on_funcs(const struct bpfc_prog *p)
{
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct isa_slot *s = &p->insns[i];
		if (!((s->opcode == 0x85 && s->src == 1) || (s->opcode == 0x18 && s->src == 4)))
			continue;
		int64_t t = (int64_t)i + s->imm + 1;
		int ok = 0;
		for (size_t f = 1; f < p->func_cnt; f++)
			ok |= p->funcs[f].start == t;
		ck_assert_msg(ok, "%s: insn %zu targets %lld, not a function start", p->name, i,
		              (long long)t);
	}
}

START_TEST(multi_programs_and_types)
{
	struct bpfc_object *obj = load("elf_multi");
	ck_assert_uint_eq(obj->prog_cnt, 9);
	ck_assert(obj->has_btf);
	ck_assert(obj->has_line_info);
	ck_assert_str_eq(obj->license, "GPL");
	const struct {
		const char *name, *section, *type;
	} want[] = {{"xdp_first", "xdp", "xdp"},
	            {"xdp_second", "xdp", "xdp"},
	            {"sock_prog", "socket", "socket_filter"},
	            {"kp", "kprobe/do_sys_open", "kprobe"},
	            {"tc_prog", "tc", "sched_cls"},
	            {"tp", "tracepoint/syscalls/sys_enter_openat", "tracepoint"},
	            {"cg", "cgroup_skb/ingress", "cgroup_skb"},
	            {"custom", "my_custom/section", NULL},
	            {"lonely", ".text", NULL}};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct bpfc_prog *p = prog_named(obj, want[i].name);
		ck_assert_str_eq(p->section, want[i].section);
		if (want[i].type)
			ck_assert_str_eq(p->type, want[i].type);
		else
			ck_assert_ptr_null(p->type);
		ck_assert_str_eq(p->funcs[0].name, want[i].name);
		ck_assert_uint_eq(p->funcs[0].start, 0);
		check_calls_land_on_funcs(p);
	}
	/* Subprograms are not programs. */
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		ck_assert_str_ne(obj->progs[i].name, "leaf");
		ck_assert_str_ne(obj->progs[i].name, "middle");
		ck_assert_str_ne(obj->progs[i].name, "global_helper");
	}
	/* xdp_first -> global_helper -> middle -> leaf, each appended once, in call order. */
	const struct bpfc_prog *p = prog_named(obj, "xdp_first");
	ck_assert_uint_eq(p->func_cnt, 4);
	ck_assert_str_eq(p->funcs[1].name, "global_helper");
	ck_assert_str_eq(p->funcs[2].name, "middle");
	ck_assert_str_eq(p->funcs[3].name, "leaf");
	ck_assert_uint_eq(p->funcs[3].end, p->insn_cnt);
	for (size_t f = 1; f < p->func_cnt; f++)
		ck_assert_uint_eq(p->funcs[f].start, p->funcs[f - 1].end);
	/* middle calls leaf twice: both calls reach funcs[3]. */
	int calls_to_leaf = 0;
	for (uint32_t i = p->funcs[2].start; i < p->funcs[2].end; i++)
		if (p->insns[i].opcode == 0x85 && p->insns[i].src == 1)
			calls_to_leaf += (int64_t)i + p->insns[i].imm + 1 == p->funcs[3].start;
	ck_assert_int_eq(calls_to_leaf, 2);
	ck_assert_uint_eq(prog_named(obj, "xdp_second")->func_cnt, 2);
	bpfc_object_free(obj);
}
END_TEST

START_TEST(options_filter_and_override)
{
	struct bpfc_elf_opts o = {.section = "xdp"};
	struct bpfc_object *obj = load_opts("elf_multi", &o);
	ck_assert_uint_eq(obj->prog_cnt, 2);
	bpfc_object_free(obj);
	o = (struct bpfc_elf_opts){.program = "xdp_second", .prog_type = "sched_cls"};
	obj = load_opts("elf_multi", &o);
	ck_assert_uint_eq(obj->prog_cnt, 1);
	ck_assert_str_eq(obj->progs[0].type, "sched_cls");
	bpfc_object_free(obj);

	struct blob b = read_prog("elf_multi");
	struct bpfc_error err;
	o = (struct bpfc_elf_opts){.program = "nope"};
	ck_assert_int_eq(elf_load_object("m.o", b.data, b.len, &o, &obj, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "no program named 'nope'"));
	o = (struct bpfc_elf_opts){.section = "nosuch"};
	ck_assert_int_eq(elf_load_object("m.o", b.data, b.len, &o, &obj, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "no program in section 'nosuch'"));
	free(b.data);
}
END_TEST

START_TEST(section_types_table)
{
	char t[64];
	const struct {
		const char *sec, *type;
	} cases[] = {{"xdp", "xdp"},
	             {"xdp.frags", "xdp"},
	             {"socket", "socket_filter"},
	             {"socket1", "socket_filter"},
	             {"kprobe/foo", "kprobe"},
	             {"kretprobe/foo", "kprobe"},
	             {"tc", "sched_cls"},
	             {"classifier/x", "sched_cls"},
	             {"tracepoint/a/b", "tracepoint"},
	             {"tp/a/b", "tracepoint"},
	             {"raw_tp/x", "raw_tracepoint"},
	             {"fentry/do_unlinkat", "tracing"},
	             {"lsm/file_open", "lsm"},
	             {"cgroup_skb/ingress", "cgroup_skb"},
	             {"cgroup/connect4", "cgroup_sock_addr"},
	             {"cgroup/dev", "cgroup_device"},
	             {"sk_msg", "sk_msg"},
	             {"sockops", "sock_ops"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(elf_section_prog_type(cases[i].sec, t, sizeof(t), NULL), 1);
		ck_assert_str_eq(t, cases[i].type);
	}
	ck_assert_int_eq(elf_section_prog_type("kprobefoo", t, sizeof(t), NULL), 0);
	ck_assert_int_eq(elf_section_prog_type(".text", t, sizeof(t), NULL), 0);
	ck_assert_int_eq(elf_section_prog_type("cgroup/unknown", t, sizeof(t), NULL), 0);
}
END_TEST

START_TEST(btf_maps_and_map_in_map)
{
	struct bpfc_object *obj = load("elf_maps");
	int flows = map_named(obj, "flows"), counters = map_named(obj, "counters");
	int outer = map_named(obj, "outer"), inner = map_named(obj, "outer.inner"),
	    events = map_named(obj, "events");
	const struct bpfc_map *m = &obj->maps[flows];
	ck_assert_uint_eq(m->type, 1); /* hash */
	ck_assert_uint_eq(m->key_size, 8);
	ck_assert_uint_eq(m->value_size, 32);
	ck_assert_uint_eq(m->max_entries, 1024);
	ck_assert_uint_eq(m->flags, 1); /* BPF_F_NO_PREALLOC */
	ck_assert_str_eq(btf_name(obj->btf, m->btf_key_type_id), "key");
	ck_assert_str_eq(btf_name(obj->btf, m->btf_value_type_id), "value");
	m = &obj->maps[counters];
	ck_assert_uint_eq(m->type, 6);
	ck_assert_uint_eq(m->pinning, 1);
	ck_assert_uint_eq(m->value_size, 8);
	m = &obj->maps[outer];
	ck_assert_uint_eq(m->type, 12);
	ck_assert_int_eq(m->inner_map, inner);
	ck_assert_uint_eq(obj->maps[inner].type, 2);
	ck_assert_uint_eq(obj->maps[inner].max_entries, 8);
	ck_assert_uint_eq(obj->maps[events].type, 27);
	ck_assert_uint_eq(obj->maps[events].max_entries, 4096);
	/* Each map reference is lddw src=5 with imm = map index. */
	const struct bpfc_prog *p = &obj->progs[0];
	int seen[8] = {0};
	for (size_t i = 0; i < p->insn_cnt; i++)
		if (p->insns[i].opcode == 0x18 && p->insns[i].src == 5) {
			ck_assert_int_lt(p->insns[i].imm, (int)obj->map_cnt);
			ck_assert_int_eq(p->insns[i + 1].imm, 0);
			seen[p->insns[i].imm] = 1;
		}
	ck_assert(seen[flows] && seen[counters] && seen[outer] && seen[events]);
	ck_assert(!seen[inner]);
	char buf[512];
	btf_decl_to_c(obj->btf, obj->maps[flows].btf_value_type_id, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "struct value {"));
	ck_assert_ptr_nonnull(strstr(buf, "char name[16]; /* offset 16 */"));
	bpfc_object_free(obj);
}
END_TEST

START_TEST(legacy_maps_and_version)
{
	struct bpfc_object *obj = load("elf_legacy");
	ck_assert_uint_eq(obj->map_cnt, 2);
	int a = map_named(obj, "my_map"), h = map_named(obj, "other_map");
	ck_assert_uint_eq(obj->maps[a].type, 2);
	ck_assert_uint_eq(obj->maps[a].key_size, 4);
	ck_assert_uint_eq(obj->maps[a].value_size, 8);
	ck_assert_uint_eq(obj->maps[a].max_entries, 256);
	ck_assert_uint_eq(obj->maps[h].type, 1);
	ck_assert_uint_eq(obj->maps[h].flags, 1);
	ck_assert_uint_eq(obj->kern_version, 0x050a00);
	const struct bpfc_prog *p = &obj->progs[0];
	ck_assert_str_eq(p->type, "socket_filter");
	int refs = 0;
	for (size_t i = 0; i < p->insn_cnt; i++)
		if (p->insns[i].opcode == 0x18 && p->insns[i].src == 5)
			refs |= 1 << p->insns[i].imm;
	ck_assert_int_eq(refs, (1 << a) | (1 << h));
	bpfc_object_free(obj);
}
END_TEST

START_TEST(global_data_and_callback)
{
	struct bpfc_object *obj = load("elf_globals");
	int data = map_named(obj, ".data"), ro = map_named(obj, ".rodata"), bss = map_named(obj, ".bss");
	int extra = map_named(obj, ".data.extra");
	ck_assert_int_eq(obj->maps[data].kind, BPFC_MAP_DATA);
	ck_assert_int_eq(obj->maps[ro].kind, BPFC_MAP_RODATA);
	ck_assert_int_eq(obj->maps[bss].kind, BPFC_MAP_BSS);
	ck_assert_int_eq(obj->maps[extra].kind, BPFC_MAP_DATA);
	ck_assert_uint_eq(obj->maps[data].max_entries, 1);
	int32_t v;
	memcpy(&v, obj->maps[data].data, 4);
	ck_assert_int_eq(v, 5);
	memcpy(&v, obj->maps[extra].data, 4);
	ck_assert_int_eq(v, 9);
	ck_assert_uint_eq(obj->maps[bss].value_size, 8);
	ck_assert_int_eq(obj->maps[bss].data[0], 0);
	/* .rodata: limit (42) then "hello" in some order; both must be there. */
	const struct bpfc_map *r = &obj->maps[ro];
	ck_assert_uint_ge(r->value_size, 10);
	ck_assert_ptr_nonnull(memmem(r->data, r->value_size, "hello", 6));
	int32_t fortytwo = 42;
	ck_assert_ptr_nonnull(memmem(r->data, r->value_size, &fortytwo, 4));

	const struct bpfc_prog *p = &obj->progs[0];
	ck_assert_uint_eq(p->func_cnt, 2);
	ck_assert_str_eq(p->funcs[1].name, "step");
	int maps_seen = 0, callbacks = 0;
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct isa_slot *s = &p->insns[i];
		if (s->opcode == 0x18 && s->src == 6) {
			ck_assert_int_lt(s->imm, (int)obj->map_cnt);
			ck_assert_uint_lt((uint32_t)p->insns[i + 1].imm, obj->maps[s->imm].value_size);
			maps_seen |= 1 << s->imm;
		}
		if (s->opcode == 0x18 && s->src == 4) {
			ck_assert_int_eq((int64_t)i + s->imm + 1, p->funcs[1].start);
			callbacks++;
		}
	}
	ck_assert_int_eq(callbacks, 1);
	ck_assert(maps_seen & (1 << data));
	ck_assert(maps_seen & (1 << ro));
	ck_assert(maps_seen & (1 << bss));
	ck_assert(maps_seen & (1 << extra));
	bpfc_object_free(obj);
}
END_TEST

static const struct bpfc_core_relo *relo_for(const struct bpfc_object *obj, uint32_t kind, const char *spec)
{
	for (size_t i = 0; i < obj->core_relo_cnt; i++)
		if (obj->core_relos[i].kind == kind && strcmp(obj->core_relos[i].spec, spec) == 0)
			return &obj->core_relos[i];
	ck_abort_msg("no CO-RE relocation %u on %s", kind, spec);
	return NULL;
}

START_TEST(core_relocations)
{
	struct bpfc_object *obj = load("elf_core");
	ck_assert_uint_eq(obj->core_unresolved, 0);
	const struct {
		uint32_t kind;
		const char *spec;
		uint64_t value;
	} want[] = {{0, "task_like.pid", 4},
	            {0, "task_like.times.flags", 16},
	            {2, "task_like.comm", 1},
	            {9, "struct task_like", 48},
	            /* flag_b: bits 35..39 of the struct, read as the u32 at byte 40 */
	            {0, "task_like.flag_b", 40},
	            {1, "task_like.flag_b", 4},
	            {4, "task_like.flag_b", 56},
	            {5, "task_like.flag_b", 59},
	            {11, "task_state_like::TS_SLEEPING", 7}};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct bpfc_core_relo *r = relo_for(obj, want[i].kind, want[i].spec);
		ck_assert(r->resolved);
		ck_assert_msg(r->value == want[i].value, "%s kind %u: %llu, expected %llu", want[i].spec,
		              want[i].kind, (unsigned long long)r->value, (unsigned long long)want[i].value);
	}
	/* Resolved against the object's own BTF, nothing changes (clang emitted the local values),
	 * except the bitfield's load size: LLVM emits the record's alignment (8), libbpf (and we)
	 * the smallest window from the field type's size (4). */
	uint32_t bitfield_size_insn = relo_for(obj, 1, "task_like.flag_b")->insn;
	struct blob b = read_prog("elf_core");
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b.data;
	const char *strs =
	    (const char *)b.data + ((Elf64_Shdr *)(b.data + eh->e_shoff))[eh->e_shstrndx].sh_offset;
	const struct bpfc_prog *p = &obj->progs[0];
	for (size_t i = 1; i < eh->e_shnum; i++) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(b.data + eh->e_shoff) + i;
		if (strcmp(strs + sh->sh_name, "kprobe/core_test") != 0)
			continue;
		ck_assert_uint_eq(sh->sh_size / 8, p->funcs[0].end);
		for (size_t k = 0; k < sh->sh_size / 8; k++) {
			struct isa_slot s;
			isa_decode_slot(b.data + sh->sh_offset + 8 * k, ISA_LITTLE_ENDIAN, &s);
			if (k == bitfield_size_insn) {
				ck_assert_int_eq(s.imm, 8);
				ck_assert_int_eq(p->insns[k].imm, 4);
				continue;
			}
			ck_assert_int_eq(s.imm, p->insns[k].imm);
			ck_assert_int_eq(s.off, p->insns[k].off);
		}
	}
	free(b.data);
	bpfc_object_free(obj);
}
END_TEST

/* Writes the .BTF section of a compiled test program to a temporary file. */
static char *btf_file_of(const char *name)
{
	struct blob b = read_prog(name);
	Elf64_Shdr *s = sec_named(b.data, ".BTF");
	char *path = tu_write_temp(b.data + s->sh_offset, s->sh_size, ".btf");
	free(b.data);
	return path;
}

START_TEST(core_against_target_btf)
{
	/* Target = the object's own BTF: the same values. */
	char *own = btf_file_of("elf_core");
	struct bpfc_elf_opts o = {.btf_path = own};
	struct bpfc_object *obj = load_opts("elf_core", &o);
	ck_assert_uint_eq(obj->core_unresolved, 0);
	ck_assert_uint_eq(relo_for(obj, 0, "task_like.times.flags")->value, 16);
	bpfc_object_free(obj);
	remove(own);
	free(own);
	/* Target without struct task_like: field accesses unresolved with the reason, existence 0. */
	char *other = btf_file_of("elf_maps");
	o.btf_path = other;
	obj = load_opts("elf_core", &o);
	const struct bpfc_core_relo *r = relo_for(obj, 0, "task_like.pid");
	ck_assert(!r->resolved);
	ck_assert_str_eq(r->reason, "field not found in the target BTF");
	r = relo_for(obj, 2, "task_like.comm");
	ck_assert(r->resolved);
	ck_assert_uint_eq(r->value, 0);
	ck_assert_int_eq(obj->progs[r->prog].insns[r->insn].imm, 0);
	r = relo_for(obj, 9, "struct task_like");
	ck_assert(!r->resolved);
	ck_assert_str_eq(r->reason, "type not found in the target BTF");
	ck_assert_uint_eq(obj->core_unresolved, obj->core_relo_cnt - 1);
	bpfc_object_free(obj);
	remove(other);
	free(other);
	/* A missing target file is an I/O error. */
	struct blob b = read_prog("elf_core");
	struct bpfc_error err;
	o.btf_path = "/nonexistent/vmlinux";
	ck_assert_int_eq(elf_load_object("c.o", b.data, b.len, &o, &obj, &err), BPFC_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/vmlinux"));
	free(b.data);
}
END_TEST

START_TEST(line_info_every_instruction)
{
	const char *names[] = {"elf_multi", "elf_maps", "elf_legacy", "elf_globals", "elf_core"};
	for (size_t n = 0; n < 5; n++) {
		struct bpfc_object *obj = load(names[n]);
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			const struct bpfc_prog *p = &obj->progs[i];
			ck_assert_ptr_nonnull(p->lines);
			for (size_t k = 0; k < p->insn_cnt; k++) {
				ck_assert_msg(p->lines[k].file && p->lines[k].line > 0,
				              "%s/%s insn %zu has no line", names[n], p->name, k);
				ck_assert_ptr_nonnull(strstr(p->lines[k].file, names[n]));
			}
		}
		bpfc_object_free(obj);
	}
	struct bpfc_object *obj = load("elf_globals");
	const struct bpfc_prog *p = &obj->progs[0];
	/* The callback's instructions point at its own source lines. */
	ck_assert_ptr_nonnull(strstr(p->lines[p->funcs[1].start].text, "lc"));
	bpfc_object_free(obj);
}
END_TEST

START_TEST(big_endian_matches_little_endian)
{
	struct bpfc_object *le = load("elf_multi"), *be = load("elf_multi_eb");
	ck_assert_uint_eq(le->prog_cnt, be->prog_cnt);
	for (size_t i = 0; i < le->prog_cnt; i++) {
		const struct bpfc_prog *a = &le->progs[i], *b = prog_named(be, le->progs[i].name);
		ck_assert_int_eq(b->byte_order, ISA_BIG_ENDIAN);
		ck_assert_uint_eq(a->insn_cnt, b->insn_cnt);
		ck_assert_uint_eq(a->func_cnt, b->func_cnt);
		for (size_t k = 0; k < a->insn_cnt; k++) {
			ck_assert_uint_eq(a->insns[k].opcode, b->insns[k].opcode);
			ck_assert_int_eq(a->insns[k].imm, b->insns[k].imm);
			ck_assert_int_eq(a->insns[k].off, b->insns[k].off);
		}
		ck_assert_uint_eq(a->lines[0].line, b->lines[0].line);
	}
	bpfc_object_free(le);
	bpfc_object_free(be);
}
END_TEST

/* ---- hand-made BTF ---- */

struct btfw {
	uint8_t buf[512];
	size_t types, strs;
	uint32_t tw[96];
	char sv[96];
};

static size_t build_btf(uint8_t *out, const uint32_t *types, size_t ntypes_words, const char *strs,
                        size_t strs_len)
{
	uint32_t hdr[6] = {
	    0x0001eb9f,        24, 0, (uint32_t)(ntypes_words * 4), (uint32_t)(ntypes_words * 4),
	    (uint32_t)strs_len};
	memcpy(out, hdr, 24);
	memcpy(out + 24, types, ntypes_words * 4);
	memcpy(out + 24 + ntypes_words * 4, strs, strs_len);
	return 24 + ntypes_words * 4 + strs_len;
}

#define INFO(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))

START_TEST(btf_parse_and_errors)
{
	uint8_t buf[512];
	const char strs[] = "\0int\0s\0a\0b";
	/* [1] int 4 bytes; [2] struct s {int a; int b[3];}; [3] array int[3]; [4] ptr -> 2 */
	uint32_t t[] = {1, INFO(1, 0), 4, 32,         5, INFO(4, 2), 16, 7, 1, 0,          9,
	                3, 32,         0, INFO(3, 0), 0, 1,          1,  3, 0, INFO(2, 0), 2};
	size_t n = build_btf(buf, t, sizeof(t) / 4, strs, sizeof(strs));
	struct btf *b;
	struct bpfc_error err;
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), 0);
	ck_assert_uint_eq(btf_type_count(b), 5);
	uint64_t size;
	ck_assert_int_eq(btf_resolve_size(b, 3, &size, &err), 0);
	ck_assert_uint_eq(size, 12);
	ck_assert_int_eq(btf_resolve_size(b, 2, &size, &err), 0);
	ck_assert_uint_eq(size, 16);
	char c[256];
	btf_type_to_c(b, 4, c, sizeof(c));
	ck_assert_str_eq(c, "struct s *");
	btf_decl_to_c(b, 2, c, sizeof(c));
	ck_assert_str_eq(c, "struct s {\n\tint a; /* offset 0 */\n\tint b[3]; /* offset 4 */\n};");
	ck_assert_uint_eq(btf_find(b, "s", BTF_K_STRUCT), 2);
	ck_assert_uint_eq(btf_find(b, "s", BTF_K_UNION), 0);
	/* Truncating the buffer into a short string: reported. */
	ck_assert_int_eq(btf_size_or_type(b, 99), 0);
	btf_free(b);

	/* Name offset past the strings. */
	uint32_t t2[] = {100, INFO(1, 0), 4, 32};
	n = build_btf(buf, t2, 4, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "type [1]: name offset 100 is past the string section"));
	/* Type id out of range. */
	uint32_t t3[] = {0, INFO(2, 0), 7};
	n = build_btf(buf, t3, 3, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "refers to type 7"));
	/* Struct vlen larger than the data. */
	uint32_t t4[] = {0, INFO(4, 1000), 4};
	n = build_btf(buf, t4, 3, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "runs past the type section"));
	/* Unknown kind. */
	uint32_t t5[] = {0, INFO(30, 0), 4};
	n = build_btf(buf, t5, 3, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown kind 30"));
	/* Strings not NUL-terminated. */
	n = build_btf(buf, t, sizeof(t) / 4, "\0int", 4);
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "NUL"));
	/* Bad magic, short header. */
	ck_assert_int_eq(btf_parse((const uint8_t *)"nope, not btf at all, really", 28, "t", &b, &err),
	                 BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "magic"));
	ck_assert_int_eq(btf_parse(buf, 10, "t", &b, &err), BPFC_ERR_INPUT);
	/* Header lengths past the end. */
	n = build_btf(buf, t, sizeof(t) / 4, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n - 1, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "string section"));
}
END_TEST

START_TEST(btf_type_loops_terminate)
{
	uint8_t buf[256];
	const char strs[] = "\0a\0b";
	/* [1] typedef a -> 2, [2] typedef b -> 1: a loop through two types. [3] ptr -> 3 is refused. */
	uint32_t t[] = {1, INFO(8, 0), 2, 3, INFO(8, 0), 1};
	size_t n = build_btf(buf, t, 6, strs, sizeof(strs));
	struct btf *b;
	struct bpfc_error err;
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), 0);
	uint64_t size;
	ck_assert_int_eq(btf_resolve_size(b, 1, &size, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "loop"));
	ck_assert_uint_eq(btf_skip_mods(b, 1), 0);
	char c[128];
	btf_type_to_c(b, 1, c, sizeof(c));
	ck_assert_ptr_nonnull(strstr(c, "a"));
	btf_free(b);
	uint32_t self[] = {0, INFO(2, 0), 1};
	n = build_btf(buf, self, 3, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "refers to itself"));
	/* Pointer loop through an array: ptr -> array of ptr -> ... resolves (pointers have a size). */
	uint32_t pa[] = {0, INFO(2, 0), 2, 0, INFO(3, 0), 0, 1, 1, 4};
	n = build_btf(buf, pa, 9, strs, sizeof(strs));
	ck_assert_int_eq(btf_parse(buf, n, "t", &b, &err), 0);
	ck_assert_int_eq(btf_resolve_size(b, 2, &size, &err), 0);
	ck_assert_uint_eq(size, 32);
	btf_type_to_c(b, 1, c, sizeof(c));
	btf_free(b);
}
END_TEST

/* ---- corrupted objects ---- */

static struct blob copy(const struct blob *b)
{
	struct blob c = {malloc(b->len), b->len};
	memcpy(c.data, b->data, b->len);
	return c;
}

START_TEST(malformed_header)
{
	struct blob orig = read_prog("elf_globals"), b;
	b = copy(&orig);
	b.len = 40;
	expect_error(&b, "shorter than the 64-byte ELF header");
	memcpy(b.data, orig.data, orig.len);
	b.len = orig.len;
	b.data[EI_CLASS] = ELFCLASS32;
	expect_error(&b, "not 64-bit");
	b.data[EI_CLASS] = ELFCLASS64;
	b.data[EI_DATA] = 7;
	expect_error(&b, "unknown ELF byte order 7");
	b.data[EI_DATA] = ELFDATA2LSB;
	((Elf64_Ehdr *)b.data)->e_type = ET_EXEC;
	expect_error(&b, "not ET_REL");
	((Elf64_Ehdr *)b.data)->e_type = ET_REL;
	((Elf64_Ehdr *)b.data)->e_machine = 62;
	expect_error(&b, "not EM_BPF");
	((Elf64_Ehdr *)b.data)->e_machine = 247;
	uint16_t shstrndx = ((Elf64_Ehdr *)b.data)->e_shstrndx;
	((Elf64_Ehdr *)b.data)->e_shstrndx = 200;
	expect_error(&b, "section-name table");
	((Elf64_Ehdr *)b.data)->e_shstrndx = shstrndx;
	((Elf64_Ehdr *)b.data)->e_shoff = orig.len - 10;
	expect_error(&b, "section header table");
	memcpy(b.data, "\177ELX", 4);
	expect_error(&b, "not an ELF file");
	memcpy(b.data, orig.data, orig.len);
	/* Old LLVM wrote EM_NONE: accepted. */
	((Elf64_Ehdr *)b.data)->e_machine = 0;
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	ck_assert_int_eq(elf_load_object("old.o", b.data, b.len, NULL, &obj, &err), 0);
	ck_assert_uint_eq(obj->prog_cnt, 1);
	bpfc_object_free(obj);
	free(b.data);
	free(orig.data);
}
END_TEST

START_TEST(malformed_truncated)
{
	struct blob orig = read_prog("elf_globals");
	/* Every cut must fail cleanly (most cut the section header table, at the end of the file). */
	for (size_t cut = 0; cut < orig.len; cut += cut < 128 ? 1 : 61) {
		struct blob b = copy(&orig);
		b.len = cut;
		struct bpfc_object *obj = NULL;
		struct bpfc_error err;
		ck_assert_int_ne(elf_load_object("cut.o", b.data, b.len, NULL, &obj, &err), 0);
		ck_assert_ptr_null(obj);
		ck_assert(err.msg[0] != '\0');
		free(b.data);
	}
	free(orig.data);
}
END_TEST

START_TEST(malformed_sections_and_relocations)
{
	struct blob orig = read_prog("elf_globals");
	struct blob b = copy(&orig);
	const char *prog_sec = "tracepoint/syscalls/sys_enter_write";
	char rel_name[128];
	snprintf(rel_name, sizeof(rel_name), ".rel%s", prog_sec);

	sec_named(b.data, prog_sec)->sh_offset = orig.len + 100;
	expect_error(&b, "is past the end of the file");
	memcpy(b.data, orig.data, orig.len);

	sec_named(b.data, prog_sec)->sh_size = 12;
	expect_error(&b, "not a whole number of 8-byte instructions");
	memcpy(b.data, orig.data, orig.len);

	Elf64_Shdr *rs = sec_named(b.data, rel_name);
	Elf64_Rel *rel = (Elf64_Rel *)(b.data + rs->sh_offset);
	rel[0].r_offset = 1u << 20;
	expect_error(&b, "not an instruction inside");
	memcpy(b.data, orig.data, orig.len);

	rel[0].r_offset = 4;
	expect_error(&b, "not an instruction inside");
	memcpy(b.data, orig.data, orig.len);

	rel[0].r_info = ELF64_R_INFO(5000, ELF64_R_TYPE(rel[0].r_info));
	expect_error(&b, "refers to symbol 5000, which does not exist");
	memcpy(b.data, orig.data, orig.len);

	rel[0].r_info = ELF64_R_INFO(ELF64_R_SYM(rel[0].r_info), 3);
	expect_error(&b, "has type 3");
	memcpy(b.data, orig.data, orig.len);

	/* The first relocation's lddw turned into a mov. */
	uint8_t *code = b.data + sec_named(b.data, prog_sec)->sh_offset;
	code[rel[0].r_offset] = 0xb7;
	expect_error(&b, "which is neither lddw nor call");
	memcpy(b.data, orig.data, orig.len);

	/* A relocation moved onto a plain instruction (the first: a store). */
	rel[0].r_offset = 0;
	expect_error(&b, "neither lddw nor call");
	free(b.data);
	free(orig.data);
}
END_TEST

START_TEST(malformed_maps_and_symbols)
{
	struct blob orig = read_prog("elf_legacy");
	struct blob b = copy(&orig);
	sec_named(b.data, "version")->sh_size = 3;
	expect_error(&b, "section 'version' is 3 bytes (expected a 4-byte kernel version)");
	memcpy(b.data, orig.data, orig.len);
	sec_named(b.data, "maps")->sh_size = 24; /* two maps: 12-byte definitions */
	expect_error(&b, "gives 12-byte definitions");
	free(b.data);
	free(orig.data);

	orig = read_prog("elf_maps");
	b = copy(&orig);
	Elf64_Shdr *btf = sec_named(b.data, ".BTF");
	Elf64_Ehdr *eh = (Elf64_Ehdr *)b.data;
	char *name = (char *)b.data + shdr(b.data, eh->e_shstrndx)->sh_offset + btf->sh_name;
	name[3] = 'X'; /* ".BTX": no BTF any more */
	expect_error(&b, "section '.maps' needs BTF");
	free(b.data);
	free(orig.data);

	/* A map reference turned into a reference to the license string. */
	orig = read_prog("elf_globals");
	b = copy(&orig);
	Elf64_Shdr *rs = sec_named(b.data, ".reltracepoint/syscalls/sys_enter_write");
	Elf64_Rel *rel = (Elf64_Rel *)(b.data + rs->sh_offset);
	rel[0].r_info = ELF64_R_INFO(sym_index(b.data, "LICENSE"), ELF64_R_TYPE(rel[0].r_info));
	expect_error(&b, "in section 'license', which is not a map, global data or code section");
	memcpy(b.data, orig.data, orig.len);
	/* .bss takes no room in the file: a huge size is refused, not allocated. */
	sec_named(b.data, ".bss")->sh_size = 1ull << 31;
	expect_error(
	    &b,
	    "section '.bss' is 2147483648 bytes; global data sections over 67108864 bytes are not loaded");
	memcpy(b.data, orig.data, orig.len);
	/* A function symbol running past its section. */
	Elf64_Shdr *st = sec_named(b.data, ".symtab");
	Elf64_Sym *syms = (Elf64_Sym *)(b.data + st->sh_offset);
	syms[sym_index(b.data, "globals")].st_size = 1u << 20;
	expect_error(&b, "function 'globals' (byte 0, 1048576 bytes) runs past the section");
	free(b.data);
	free(orig.data);
}
END_TEST

START_TEST(malformed_btf_and_line_info)
{
	struct blob orig = read_prog("elf_globals");
	struct blob b = copy(&orig);
	Elf64_Shdr *bs = sec_named(b.data, ".BTF");
	uint32_t *h = (uint32_t *)(b.data + bs->sh_offset);
	h[5] = 0x7fffffff; /* str_len */
	expect_error(&b, "section '.BTF': BTF string section");
	memcpy(b.data, orig.data, orig.len);
	b.data[bs->sh_offset] = 0;
	expect_error(&b, "bad BTF magic");
	memcpy(b.data, orig.data, orig.len);

	/* Type [1]'s name offset far past the strings. */
	uint32_t hdr_len = h[1], type_off = h[2];
	uint32_t *t1 = (uint32_t *)(b.data + bs->sh_offset + hdr_len + type_off);
	t1[0] = 0x7ffffff0;
	expect_error(&b, "type [1]: name offset");
	memcpy(b.data, orig.data, orig.len);

	Elf64_Shdr *es = sec_named(b.data, ".BTF.ext");
	uint32_t *eh = (uint32_t *)(b.data + es->sh_offset);
	uint32_t ehdr_len = eh[1], line_off = eh[4];
	uint32_t *line = (uint32_t *)(b.data + es->sh_offset + ehdr_len + line_off);
	line[0] = 0; /* record size 0: PREVAIL looped forever here */
	expect_error(&b, "line_info record size 0 is invalid");
	memcpy(b.data, orig.data, orig.len);
	line[0] = 13;
	expect_error(&b, "line_info record size 13");
	memcpy(b.data, orig.data, orig.len);
	line[2] = 0xffffffff; /* first section's record count */
	expect_error(&b, "claims 4294967295 records");
	memcpy(b.data, orig.data, orig.len);
	line[2] = 0;
	expect_error(&b, "has 0 records");
	memcpy(b.data, orig.data, orig.len);
	line[1] = 0x7fffffff; /* section name offset */
	expect_error(&b, "section name offset");
	memcpy(b.data, orig.data, orig.len);
	line[3] = 0x1001; /* first record's instruction offset: past the section and unaligned */
	expect_error(&b, "not an instruction in the section");
	memcpy(b.data, orig.data, orig.len);
	eh[5] = 0x7fffffff; /* line_info length */
	expect_error(&b, "line_info (offset");
	memcpy(b.data, orig.data, orig.len);
	eh[1] = 3; /* header length */
	expect_error(&b, ".BTF.ext header length 3");
	free(b.data);
	free(orig.data);
}
END_TEST

START_TEST(malformed_random_mutations_never_crash)
{
	const char *names[] = {"elf_multi", "elf_maps", "elf_globals", "elf_core", "elf_legacy"};
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int failures = 0, loads = 0;
	for (size_t n = 0; n < 5; n++) {
		struct blob orig = read_prog(names[n]);
		for (int iter = 0; iter < 300; iter++) {
			struct blob b = copy(&orig);
			for (int k = 0; k < 1 + iter % 8; k++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				size_t pos = (seed >> 17) % b.len;
				b.data[pos] = (uint8_t)(seed >> 56);
			}
			struct bpfc_object *obj = NULL;
			struct bpfc_error err;
			if (elf_load_object("mut.o", b.data, b.len, NULL, &obj, &err)) {
				ck_assert(err.msg[0] != '\0');
				failures++;
			} else {
				loads++;
			}
			bpfc_object_free(obj);
			free(b.data);
		}
		free(orig.data);
	}
	/* Both outcomes happen: some flips land in padding or debug info, some break the object. */
	ck_assert_int_gt(failures, 0);
	ck_assert_int_gt(loads, 0);
}
END_TEST

/* ---- the CLI ---- */

START_TEST(cli_list)
{
	char *p = tu_program_path("elf_multi");
	const char *a1[] = {"list", p, NULL};
	struct tu_result r = tu_run_cli(a1, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "9 programs, 0 maps, BTF yes, line info yes"));
	ck_assert_ptr_nonnull(strstr(r.out, "xdp_first"));
	ck_assert_ptr_nonnull(strstr(r.out, "global_helper, middle, leaf"));
	ck_assert_ptr_nonnull(strstr(r.out, "socket_filter"));
	tu_result_free(&r);

	const char *a2[] = {"list", "--section", "xdp", p, NULL};
	r = tu_run_cli(a2, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "2 programs"));
	ck_assert_ptr_null(strstr(r.out, "sock_prog"));
	tu_result_free(&r);

	const char *a3[] = {"list", "--program", "nope", p, NULL};
	r = tu_run_cli(a3, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "no program named 'nope'"));
	tu_result_free(&r);
	free(p);

	p = tu_program_path("elf_maps");
	const char *a4[] = {"list", p, NULL};
	r = tu_run_cli(a4, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "array_of_maps"));
	ck_assert_ptr_nonnull(strstr(r.out, "inner=outer.inner"));
	tu_result_free(&r);
	free(p);

	char *bad = tu_write_temp("\177ELF\2\1\1", 7, ".o");
	const char *a5[] = {"list", bad, NULL};
	r = tu_run_cli(a5, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "error:"));
	tu_result_free(&r);
	remove(bad);
	free(bad);

	const char *a6[] = {"list", "--help", NULL};
	r = tu_run_cli(a6, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--section NAME"));
	tu_result_free(&r);
	const char *a7[] = {"list", NULL};
	r = tu_run_cli(a7, NULL);
	ck_assert_int_eq(r.exit_code, 2);
	tu_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	if (BPF_PROGRAMS_ENABLED) {
		tcase_add_test(tc, multi_programs_and_types);
		tcase_add_test(tc, options_filter_and_override);
		tcase_add_test(tc, btf_maps_and_map_in_map);
		tcase_add_test(tc, legacy_maps_and_version);
		tcase_add_test(tc, global_data_and_callback);
		tcase_add_test(tc, core_relocations);
		tcase_add_test(tc, core_against_target_btf);
		tcase_add_test(tc, line_info_every_instruction);
		tcase_add_test(tc, big_endian_matches_little_endian);
		tcase_add_test(tc, malformed_header);
		tcase_add_test(tc, malformed_truncated);
		tcase_add_test(tc, malformed_sections_and_relocations);
		tcase_add_test(tc, malformed_btf_and_line_info);
		tcase_add_test(tc, malformed_maps_and_symbols);
		tcase_add_test(tc, malformed_random_mutations_never_crash);
		tcase_add_test(tc, cli_list);
	}
	tcase_add_test(tc, section_types_table);
	tcase_add_test(tc, btf_parse_and_errors);
	tcase_add_test(tc, btf_type_loops_terminate);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
