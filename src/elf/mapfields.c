/* Special fields of map values, found in BTF as Linux's btf_parse_fields() finds them
 * (specs/elf.md "Special fields of map values"): members of struct type bpf_spin_lock, bpf_timer,
 * bpf_wq, bpf_list_head/node, bpf_rb_root/node, bpf_refcount, and kptrs (a pointer, optionally
 * volatile, to a BTF type tag "kptr_untrusted", "kptr" or "percpu_kptr" on a struct). Arrays of
 * them are flattened and nested structs searched, like Linux 6.10+. Member types are matched as
 * written (a typedef of struct bpf_spin_lock is not a lock, for Linux neither). */
#include <stdlib.h>
#include <string.h>

#include "elf/elf_internal.h"

/* More fields than Linux allows in one value (BTF_FIELDS_MAX is 11): the rest are not kept. */
#define MAX_FIELDS 64
#define MAX_DEPTH 8

struct finder {
	const struct btf *btf;
	struct bpfc_map_field f[MAX_FIELDS];
	size_t n;
};

static const struct {
	const char *name;
	enum bpfc_field_kind kind;
	uint32_t size, align; /* Linux btf_field_type_size / _align */
} struct_fields[] = {
    {"bpf_spin_lock", BPFC_FIELD_SPIN_LOCK, 4, 4},
    {"bpf_timer", BPFC_FIELD_TIMER, 16, 8},
    {"bpf_wq", BPFC_FIELD_WQ, 16, 8},
    {"bpf_list_head", BPFC_FIELD_LIST_HEAD, 16, 8},
    {"bpf_list_node", BPFC_FIELD_LIST_NODE, 24, 8},
    {"bpf_rb_root", BPFC_FIELD_RB_ROOT, 16, 8},
    {"bpf_rb_node", BPFC_FIELD_RB_NODE, 32, 8},
    {"bpf_refcount", BPFC_FIELD_REFCOUNT, 4, 4},
};

static void add(struct finder *fd, const struct bpfc_map_field *f)
{
	if (fd->n < MAX_FIELDS)
		fd->f[fd->n++] = *f;
}

/* A kptr member: [volatile] PTR -> TYPE_TAG(kind) -> [modifiers] STRUCT. false otherwise. */
static bool kptr_of(const struct btf *btf, uint32_t t, struct bpfc_map_field *f)
{
	if (btf_kind(btf, t) == BTF_K_VOLATILE)
		t = btf_size_or_type(btf, t);
	if (btf_kind(btf, t) != BTF_K_PTR)
		return false;
	uint32_t tag = btf_size_or_type(btf, t);
	if (btf_kind(btf, tag) != BTF_K_TYPE_TAG)
		return false;
	uint32_t under = btf_size_or_type(btf, tag);
	if (btf_kind(btf, under) == BTF_K_TYPE_TAG)
		return false; /* Linux: extra tags are refused */
	const char *tn = btf_name(btf, tag);
	if (strcmp(tn, "kptr_untrusted") == 0)
		f->kind = BPFC_FIELD_KPTR_UNTRUSTED;
	else if (strcmp(tn, "kptr") == 0)
		f->kind = BPFC_FIELD_KPTR_REF;
	else if (strcmp(tn, "percpu_kptr") == 0)
		f->kind = BPFC_FIELD_KPTR_PERCPU;
	else
		return false;
	uint32_t st = btf_skip_mods(btf, under);
	/* a struct only declared (FWD: clang emits no body for a struct whose members the program
	 * never uses) makes Linux refuse the map; kept here with an unknown size, so its accesses
	 * are still checked */
	if (btf_kind(btf, st) != BTF_K_STRUCT && btf_kind(btf, st) != BTF_K_FWD)
		return false;
	f->size = 8;
	f->kptr_btf_id = st;
	f->kptr_size = btf_kind(btf, st) == BTF_K_STRUCT ? btf_size_or_type(btf, st) : 0;
	const char *sn = btf_name(btf, st);
	size_t len = strlen(sn);
	if (len >= sizeof(f->kptr_struct))
		len = sizeof(f->kptr_struct) - 1;
	memcpy(f->kptr_struct, sn, len);
	f->kptr_struct[len] = '\0';
	return true;
}

static void walk_struct(struct finder *fd, uint32_t st, uint64_t base, int depth);

/* One member (or DATASEC variable) of type t at byte offset off. */
static void member(struct finder *fd, uint32_t t, uint64_t off, int depth)
{
	const struct btf *btf = fd->btf;
	uint64_t nelems = 1;
	uint32_t elem, cnt;
	for (int i = 0; i < MAX_DEPTH && btf_array(btf, t, &elem, &cnt); i++) {
		nelems *= cnt;
		t = elem;
		if (nelems > MAX_FIELDS)
			nelems = MAX_FIELDS; /* only that many can be kept anyway */
	}
	if (nelems == 0 || btf_kind(btf, t) == BTF_K_ARRAY)
		return;
	struct bpfc_map_field f;
	memset(&f, 0, sizeof(f));
	if (btf_kind(btf, t) == BTF_K_STRUCT) {
		const char *n = btf_name(btf, t);
		for (size_t k = 0; k < sizeof(struct_fields) / sizeof(struct_fields[0]); k++) {
			if (strcmp(n, struct_fields[k].name) != 0)
				continue;
			if (off % struct_fields[k].align)
				return; /* Linux skips a misaligned one */
			for (uint64_t e = 0; e < nelems && off + e * struct_fields[k].size <= UINT32_MAX;
			     e++) {
				f.kind = struct_fields[k].kind;
				f.offset = (uint32_t)(off + e * struct_fields[k].size);
				f.size = struct_fields[k].size;
				add(fd, &f);
			}
			return;
		}
		uint32_t sz = btf_size_or_type(btf, t);
		for (uint64_t e = 0; e < nelems && fd->n < MAX_FIELDS; e++)
			walk_struct(fd, t, off + e * sz, depth + 1);
		return;
	}
	if (!kptr_of(btf, t, &f) || off % 8)
		return;
	for (uint64_t e = 0; e < nelems && off + e * 8 <= UINT32_MAX; e++) {
		f.offset = (uint32_t)(off + e * 8);
		add(fd, &f);
	}
}

static void walk_struct(struct finder *fd, uint32_t st, uint64_t base, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	struct btf_member m;
	for (uint32_t i = 0; fd->n < MAX_FIELDS && btf_member(fd->btf, st, i, &m); i++) {
		if (m.bitfield_size || m.bit_offset % 8)
			continue;
		member(fd, m.type, base + m.bit_offset / 8, depth);
	}
}

static int by_offset(const void *a, const void *b)
{
	const struct bpfc_map_field *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int elf_map_fields(const struct btf *btf, uint32_t type, const uint32_t *var_off, size_t var_cnt,
                   struct bpfc_map *m)
{
	if (!btf || !type)
		return 0;
	struct finder *fd = calloc(1, sizeof(*fd));
	if (!fd)
		return -1;
	fd->btf = btf;
	uint32_t t = btf_skip_mods(btf, type);
	if (btf_kind(btf, t) == BTF_K_STRUCT) {
		walk_struct(fd, t, 0, 0); /* its members: a value that is itself a lock has none */
	} else if (btf_kind(btf, t) == BTF_K_DATASEC) {
		struct btf_member v;
		for (uint32_t i = 0; fd->n < MAX_FIELDS && btf_member(btf, t, i, &v); i++) {
			uint64_t off = i < var_cnt && var_off ? var_off[i] : v.bit_offset;
			if (btf_kind(btf, v.type) == BTF_K_VAR)
				member(fd, btf_size_or_type(btf, v.type), off, 0);
		}
	}
	m->fields_known = true;
	m->fields = NULL;
	m->field_cnt = 0;
	if (fd->n) {
		qsort(fd->f, fd->n, sizeof(fd->f[0]), by_offset);
		m->fields = malloc(fd->n * sizeof(*m->fields));
		if (!m->fields) {
			free(fd);
			return -1;
		}
		memcpy(m->fields, fd->f, fd->n * sizeof(*m->fields));
		m->field_cnt = fd->n;
	}
	free(fd);
	return 0;
}
