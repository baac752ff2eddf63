/* CO-RE relocations (.BTF.ext core_relo): walk the access string over the local BTF type, find
 * the same access in the target BTF (by names, like libbpf) when one is given, and patch the
 * instruction. What cannot be resolved is recorded with the reason, never an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_internal.h"

enum {
	CORE_FIELD_BYTE_OFFSET = 0,
	CORE_FIELD_BYTE_SIZE = 1,
	CORE_FIELD_EXISTS = 2,
	CORE_FIELD_SIGNED = 3,
	CORE_FIELD_LSHIFT_U64 = 4,
	CORE_FIELD_RSHIFT_U64 = 5,
	CORE_TYPE_ID_LOCAL = 6,
	CORE_TYPE_ID_TARGET = 7,
	CORE_TYPE_EXISTS = 8,
	CORE_TYPE_SIZE = 9,
	CORE_ENUMVAL_EXISTS = 10,
	CORE_ENUMVAL_VALUE = 11,
	CORE_TYPE_MATCHES = 12,
};

#define MAX_ACCESS 64

/* Where a field access ends: its bit offset from the root, type and bitfield width. */
struct field {
	uint64_t bit_off;
	uint32_t type;
	uint32_t bitfield;
};

static int parse_access(const char *s, uint32_t *idx, int *n)
{
	*n = 0;
	while (*s) {
		if (*n == MAX_ACCESS || *s < '0' || *s > '9')
			return -1;
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (v > UINT32_MAX)
			return -1;
		idx[(*n)++] = (uint32_t)v;
		s = end;
		if (*s == ':')
			s++;
		else if (*s)
			return -1;
	}
	return *n ? 0 : -1;
}

/* Name without libbpf's "___flavor" suffix (struct task_struct___old matches task_struct). */
static size_t essential_len(const char *name)
{
	const char *p = strstr(name, "___");
	return p ? (size_t)(p - name) : strlen(name);
}

static bool same_essential(const char *a, const char *b)
{
	size_t la = essential_len(a), lb = essential_len(b);
	return la == lb && strncmp(a, b, la) == 0;
}

/* Walks access indices over the local type; names[i] gets each member name ("" for arrays). */
static const char *walk_local(const struct btf *btf, uint32_t root, const uint32_t *idx, int n,
                              struct field *f, const char **names, bool *is_member)
{
	uint32_t t = btf_skip_mods(btf, root);
	uint64_t size;
	if (btf_resolve_size(btf, t, &size, NULL))
		return "root type has no size";
	f->bit_off = (uint64_t)idx[0] * size * 8;
	f->type = t;
	f->bitfield = 0;
	names[0] = "";
	is_member[0] = false;
	for (int i = 1; i < n; i++) {
		t = btf_skip_mods(btf, f->type);
		enum btf_kind k = btf_kind(btf, t);
		struct btf_member m;
		uint32_t elem, cnt;
		if (k == BTF_K_STRUCT || k == BTF_K_UNION) {
			if (!btf_member(btf, t, idx[i], &m))
				return "access string names a member past the end of the local struct";
			f->bit_off += m.bit_offset;
			f->type = m.type;
			f->bitfield = m.bitfield_size;
			names[i] = m.name;
			is_member[i] = true;
		} else if (btf_array(btf, t, &elem, &cnt)) {
			if (btf_resolve_size(btf, elem, &size, NULL))
				return "array element has no size";
			f->bit_off += (uint64_t)idx[i] * size * 8;
			f->type = elem;
			f->bitfield = 0;
			names[i] = "";
			is_member[i] = false;
		} else {
			return "access string goes through a type that is neither a struct, union nor array";
		}
	}
	return NULL;
}

static bool find_member(const struct btf *btf, uint32_t t, const char *name, struct btf_member *out,
                        uint64_t *base, int depth)
{
	struct btf_member m;
	for (uint32_t i = 0; btf_member(btf, t, i, &m); i++) {
		if (*m.name && strcmp(m.name, name) == 0) {
			*out = m;
			return true;
		}
		uint32_t mt = btf_skip_mods(btf, m.type);
		enum btf_kind k = btf_kind(btf, mt);
		if (!*m.name && depth < 8 && (k == BTF_K_STRUCT || k == BTF_K_UNION)) {
			uint64_t sub = 0;
			if (find_member(btf, mt, name, out, &sub, depth + 1)) {
				*base += m.bit_offset + sub;
				return true;
			}
		}
	}
	return false;
}

/* The same access (by member names) in a target type. Anonymous members of the local access are
 * skipped: find_member looks through anonymous structs and unions for the next named one. */
static bool walk_target(const struct btf *btf, uint32_t root, const uint32_t *idx, int n,
                        const char *const *names, const bool *is_member, struct field *f)
{
	uint32_t t = btf_skip_mods(btf, root);
	uint64_t size;
	if (btf_resolve_size(btf, t, &size, NULL))
		return false;
	f->bit_off = (uint64_t)idx[0] * size * 8;
	f->type = t;
	f->bitfield = 0;
	for (int i = 1; i < n; i++) {
		t = btf_skip_mods(btf, f->type);
		enum btf_kind k = btf_kind(btf, t);
		uint32_t elem, cnt;
		if (is_member[i] && !*names[i])
			continue;
		if (is_member[i] && (k == BTF_K_STRUCT || k == BTF_K_UNION)) {
			struct btf_member m;
			uint64_t base = 0;
			if (!find_member(btf, t, names[i], &m, &base, 0))
				return false;
			f->bit_off += base + m.bit_offset;
			f->type = m.type;
			f->bitfield = m.bitfield_size;
		} else if (!is_member[i] && btf_array(btf, t, &elem, &cnt)) {
			if (btf_resolve_size(btf, elem, &size, NULL))
				return false;
			f->bit_off += (uint64_t)idx[i] * size * 8;
			f->type = elem;
			f->bitfield = 0;
		} else {
			return false;
		}
	}
	return true;
}

/* libbpf's rule for where a field is loaded from: the smallest naturally aligned power-of-two
 * window, starting at the field type's size, that holds all its bits. */
static const char *field_window(const struct btf *btf, const struct field *f, uint64_t *byte_off,
                                uint64_t *byte_sz, uint64_t *bit_sz)
{
	uint64_t sz;
	if (btf_resolve_size(btf, f->type, &sz, NULL) || sz == 0)
		return "field type has no size";
	if (!f->bitfield) {
		*byte_off = f->bit_off / 8;
		*byte_sz = sz;
		*bit_sz = sz * 8;
		return NULL;
	}
	*bit_sz = f->bitfield;
	if (sz > 8)
		return "bitfield wider than 8 bytes";
	for (int step = 0; step < 4; step++) {
		*byte_sz = sz;
		*byte_off = f->bit_off / 8 / sz * sz;
		if (f->bit_off + *bit_sz - *byte_off * 8 <= sz * 8)
			return NULL;
		if (sz >= 8)
			break;
		sz *= 2;
	}
	return "bitfield does not fit an aligned 8-byte load";
}

static uint32_t find_target_type(const struct btf *target, const struct btf *local, uint32_t local_id)
{
	uint32_t t = btf_skip_mods(local, local_id);
	const char *name = btf_name(local, t);
	enum btf_kind k = btf_kind(local, t);
	if (!*name)
		return 0;
	for (uint32_t id = 1; id < btf_type_count(target); id++) {
		enum btf_kind tk = btf_kind(target, id);
		bool kind_ok = tk == k || ((k == BTF_K_ENUM || k == BTF_K_ENUM64) &&
		                           (tk == BTF_K_ENUM || tk == BTF_K_ENUM64));
		if (kind_ok && same_essential(btf_name(target, id), name))
			return id;
	}
	return 0;
}

static void set_unresolved(struct bpfc_core_relo *r, struct elf_strpool *pool, const char *why)
{
	r->resolved = false;
	r->reason = elf_pool_printf(pool, "%s", why);
}

/* Writes the value into the instruction the relocation is on. */
static const char *patch(struct bpfc_prog *p, struct bpfc_core_relo *r, uint64_t value, bool is_offset)
{
	if (r->insn >= p->insn_cnt)
		return "instruction index outside the program";
	struct isa_slot *in = &p->insns[r->insn];
	uint8_t cls = in->opcode & 7;
	if (in->opcode == 0x18) {
		if (r->insn + 1 >= p->insn_cnt)
			return "lddw without a second slot";
		in->imm = (int32_t)(uint32_t)value;
		p->insns[r->insn + 1].imm = (int32_t)(uint32_t)(value >> 32);
		return NULL;
	}
	if (cls == 4 || cls == 7) { /* ALU / ALU64 with an immediate */
		if (in->opcode & 8)
			return "ALU instruction with a register source cannot take a relocated value";
		if (value > INT32_MAX)
			return "value does not fit a 32-bit immediate";
		in->imm = (int32_t)value;
		return NULL;
	}
	if (cls == 1 || cls == 2 || cls == 3) { /* LDX / ST / STX: the offset field */
		if (!is_offset)
			return "only field offsets can be patched into a load or store";
		if (value > INT16_MAX)
			return "field offset does not fit the 16-bit instruction offset";
		in->off = (int16_t)value;
		return NULL;
	}
	return "relocation on an instruction that is not an ALU immediate, load, store or lddw";
}

void elf_core_resolve(const struct btf *local, const struct btf *target, struct bpfc_prog *p,
                      struct bpfc_core_relo *r, struct elf_strpool *pool)
{
	uint32_t idx[MAX_ACCESS];
	const char *names[MAX_ACCESS];
	int n;
	char tname[256];
	btf_type_to_c(local, r->type_id, tname, sizeof(tname));
	r->type_name = elf_pool_printf(pool, "%s", tname);
	const struct btf *tb = target ? target : local;
	uint32_t troot = target ? find_target_type(target, local, r->type_id) : r->type_id;
	uint64_t value = 0;
	bool is_offset = false;
	const char *why = NULL;

	if (r->kind <= CORE_FIELD_RSHIFT_U64) {
		struct field lf, tf;
		bool is_member[MAX_ACCESS];
		if (parse_access(r->access, idx, &n)) {
			set_unresolved(r, pool, "malformed access string");
			return;
		}
		if ((why = walk_local(local, r->type_id, idx, n, &lf, names, is_member))) {
			set_unresolved(r, pool, why);
			return;
		}
		char spec[512];
		size_t pos = (size_t)snprintf(spec, sizeof(spec), "%s",
		                              btf_name(local, btf_skip_mods(local, r->type_id)));
		if (idx[0] && pos < sizeof(spec))
			pos += (size_t)snprintf(spec + pos, sizeof(spec) - pos, "[%u]", idx[0]);
		for (int i = 1; i < n && pos < sizeof(spec); i++) {
			if (is_member[i] && !*names[i])
				continue; /* anonymous struct/union: C spells the access without it */
			pos +=
			    (size_t)(is_member[i] ? snprintf(spec + pos, sizeof(spec) - pos, ".%s", names[i])
			                          : snprintf(spec + pos, sizeof(spec) - pos, "[%u]", idx[i]));
		}
		r->spec = elf_pool_printf(pool, "%s", spec);
		bool found = true;
		tf = lf;
		if (target)
			found = troot && walk_target(target, troot, idx, n, names, is_member, &tf);
		uint64_t byte_off = 0, byte_sz = 0, bit_sz = 0;
		if (found && r->kind != CORE_FIELD_EXISTS &&
		    (why = field_window(tb, &tf, &byte_off, &byte_sz, &bit_sz))) {
			set_unresolved(r, pool, why);
			return;
		}
		if (r->kind == CORE_FIELD_EXISTS) {
			value = found;
		} else if (!found) {
			set_unresolved(r, pool, "field not found in the target BTF");
			return;
		} else if (r->kind == CORE_FIELD_BYTE_OFFSET) {
			value = byte_off;
			is_offset = true;
		} else if (r->kind == CORE_FIELD_BYTE_SIZE) {
			value = byte_sz;
		} else if (r->kind == CORE_FIELD_SIGNED) {
			uint32_t ft = btf_skip_mods(tb, tf.type);
			value = btf_kind(tb, ft) == BTF_K_INT    ? (btf_int_encoding(tb, ft) >> 24) & 1
			        : btf_kind(tb, ft) == BTF_K_ENUM ? !btf_kflag(tb, ft)
			                                         : 0;
		} else if (r->kind == CORE_FIELD_LSHIFT_U64) {
			uint64_t in_window =
			    tf.bit_off - byte_off * 8; /* first bit of the field in the window */
			value =
			    btf_is_big_endian(tb) ? 64 - byte_sz * 8 + in_window : 64 - (in_window + bit_sz);
		} else {
			value = 64 - bit_sz;
		}
	} else if (r->kind == CORE_TYPE_ID_LOCAL) {
		value = r->type_id;
	} else if (r->kind == CORE_TYPE_ID_TARGET || r->kind == CORE_TYPE_EXISTS ||
	           r->kind == CORE_TYPE_SIZE || r->kind == CORE_TYPE_MATCHES) {
		r->spec = r->type_name;
		if (r->kind == CORE_TYPE_EXISTS || r->kind == CORE_TYPE_MATCHES)
			value = troot != 0;
		else if (!troot) {
			set_unresolved(r, pool, "type not found in the target BTF");
			return;
		} else if (r->kind == CORE_TYPE_ID_TARGET)
			value = troot;
		else if (btf_resolve_size(tb, troot, &value, NULL)) {
			set_unresolved(r, pool, "type has no size");
			return;
		}
	} else if (r->kind == CORE_ENUMVAL_EXISTS || r->kind == CORE_ENUMVAL_VALUE) {
		struct btf_member lm, tm;
		uint32_t le = btf_skip_mods(local, r->type_id);
		if (parse_access(r->access, idx, &n) || n != 1 || !btf_member(local, le, idx[0], &lm)) {
			set_unresolved(r, pool,
			               "access string does not name an enumerator of the local enum");
			return;
		}
		r->spec = elf_pool_printf(pool, "%s::%s", btf_name(local, le), lm.name);
		bool found = false;
		uint32_t te = troot ? btf_skip_mods(tb, troot) : 0;
		for (uint32_t i = 0; te && btf_member(tb, te, i, &tm); i++)
			if (strcmp(tm.name, lm.name) == 0) {
				found = true;
				break;
			}
		if (r->kind == CORE_ENUMVAL_EXISTS)
			value = found;
		else if (!found) {
			set_unresolved(r, pool, "enumerator not found in the target BTF");
			return;
		} else
			value = (uint64_t)tm.value;
	} else {
		set_unresolved(r, pool, "unknown CO-RE relocation kind");
		return;
	}
	if ((why = patch(p, r, value, is_offset))) {
		set_unresolved(r, pool, why);
		return;
	}
	r->value = value;
	r->resolved = true;
	r->reason = NULL;
}
