/* Special fields of map values and BTF-typed pointers (specs/verifier.md "Special fields in map
 * values"): the rules of Linux check_map_access / check_map_kptr_access for kptrs (8-byte access
 * at the field's constant offset; loads give an untrusted BTF pointer or NULL; stores only of NULL
 * or a pointer to the same struct, and only to untrusted kptrs), loads and stores that touch a
 * spin lock, timer or other special field, helpers that would read or write them, the arguments
 * of bpf_kptr_xchg, and loads through BTF pointers (within the struct, as numbers). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "verifier/calls.h"

struct btf_struct {
	const char *name;
	uint32_t size;   /* 0: not known */
	uint32_t btf_id; /* in the object's BTF, 0: none */
};

/* The struct a BTF pointer's handle names; false when the handle is not valid. */
static bool struct_of(const struct vf_actx *ctx, uint32_t handle, struct btf_struct *out)
{
	if ((handle & 0xc0000000u) == 0x40000000u) { /* VF_BTF_OBJ: a struct of the object's BTF */
		const struct btf *btf = ctx->opts->btf;
		uint32_t id = handle & 0x3fffffffu;
		if (!btf || (btf_kind(btf, id) != BTF_K_STRUCT && btf_kind(btf, id) != BTF_K_FWD))
			return false;
		out->name = btf_name(btf, id);
		out->btf_id = btf_kind(btf, id) == BTF_K_STRUCT ? id : 0;
		out->size = out->btf_id ? btf_size_or_type(btf, id) : 0;
		return true;
	}
	if (handle & 0x80000000u) {
		const struct plat_helper *ph = NULL;
		if (plat_helper_lookup(ctx->plat, handle & 0x7fffffffu, &ph) != PLAT_HELPER_OK || !ph ||
		    !ph->ret.btf_type)
			return false;
		out->name = ph->ret.btf_type;
		const struct btf *btf = ctx->opts->btf;
		out->btf_id = btf ? btf_find(btf, out->name, BTF_K_STRUCT) : 0;
		out->size = out->btf_id ? btf_size_or_type(btf, out->btf_id) : 0;
		return true;
	}
	uint32_t mi = (handle >> 8) - 1, fi = handle & 0xffu;
	if ((handle >> 8) == 0 || mi >= ctx->map_cnt || fi >= ctx->maps[mi].field_cnt)
		return false;
	const struct bpfc_map_field *f = &ctx->maps[mi].fields[fi];
	out->name = f->kptr_struct;
	out->size = f->kptr_size;
	out->btf_id = f->kptr_btf_id;
	return true;
}

static const char *struct_name(const struct vf_actx *ctx, uint32_t handle)
{
	struct btf_struct s;
	return struct_of(ctx, handle, &s) ? s.name : "?";
}

static bool is_kptr(enum bpfc_field_kind k)
{
	return k == BPFC_FIELD_KPTR_UNTRUSTED || k == BPFC_FIELD_KPTR_REF || k == BPFC_FIELD_KPTR_PERCPU;
}

void vf_btf_describe(const struct vf_actx *ctx, const struct vf_reg *r, char *buf, size_t len)
{
	char off[64];
	if (vn_is_const(r->v))
		snprintf(off, sizeof(off), "%" PRId64, r->off + (int64_t)r->v.u64.lo);
	else
		snprintf(off, sizeof(off), "%" PRId64 "+var", r->off);
	struct btf_struct s = {"?", 0, 0};
	struct_of(ctx, r->size, &s);
	char ref[48] = "";
	if (r->ref)
		snprintf(ref, sizeof(ref), ", acquired at insn %u", r->ref - 1);
	snprintf(buf, len, "%s%s%s(struct %s, size=%u, off=%s%s)",
	         (r->frame & VF_BTF_UNTRUSTED) ? "untrusted_" : "",
	         (r->frame & VF_BTF_PERCPU) ? "percpu_" : "",
	         r->type == VT_BTF_PTR_OR_NULL ? "ptr_or_null" : "ptr", s.name, s.size, off, ref);
}

/* Linux btf_struct_ids_match: the pointer's struct at offset off is the target struct (strict:
 * only at offset 0; otherwise also a struct member at off, nested first members included, in the
 * object's BTF). */
static bool struct_match(const struct vf_actx *ctx, uint32_t handle, int64_t off, const char *target,
                         bool strict)
{
	struct btf_struct s;
	if (!struct_of(ctx, handle, &s))
		return false;
	if (off == 0 && strcmp(s.name, target) == 0)
		return true;
	const struct btf *btf = ctx->opts->btf;
	if (strict || !btf || !s.btf_id || off < 0)
		return false;
	uint32_t t = s.btf_id;
	for (int depth = 0; depth < BTF_MAX_CHAIN; depth++) {
		if (btf_kind(btf, t) != BTF_K_STRUCT)
			return false;
		if (off == 0 && strcmp(btf_name(btf, t), target) == 0)
			return true;
		struct btf_member m;
		bool found = false;
		for (uint32_t i = 0; btf_member(btf, t, i, &m); i++) {
			uint32_t mt = btf_skip_mods(btf, m.type);
			uint64_t mo = m.bit_offset / 8, msz = 0;
			if (btf_kind(btf, mt) != BTF_K_STRUCT || m.bit_offset % 8)
				continue;
			msz = btf_size_or_type(btf, mt);
			if ((uint64_t)off >= mo && (uint64_t)off < mo + msz) {
				off -= (int64_t)mo;
				t = mt;
				found = true;
				break;
			}
		}
		if (!found)
			return false;
	}
	return false;
}

static bool null_const(const struct vf_reg *r)
{
	return r->type == VT_SCALAR && vn_is_const(r->v) && r->v.u64.lo == 0;
}

/* A register stored into the untrusted kptr f (map mi, field fi): NULL or a BTF pointer (trusted
 * or not, maybe NULL) to the same struct at a constant offset of 0 (Linux map_kptr_match_type). */
static void kptr_store_check(struct vf_actx *ctx, const struct vf_field_access *fa,
                             const struct bpfc_map_field *f)
{
	const struct vf_reg *v = fa->val;
	if (!v || null_const(v))
		return;
	char d[160];
	vf_describe_reg(ctx, v, d, sizeof(d));
	struct vf_finding *fnd = NULL;
	if (v->type != VT_BTF_PTR && v->type != VT_BTF_PTR_OR_NULL)
		fnd = vf_report(ctx, fa->idx, "VF-MAP-FIELD", false,
		                "invalid kptr access: r%d (%s) is stored into the kptr at offset %u, which "
		                "holds NULL or a pointer to struct %s",
		                fa->val_regno, d, f->offset, f->kptr_struct);
	else if (v->frame & VF_BTF_PERCPU)
		fnd =
		    vf_report(ctx, fa->idx, "VF-MAP-FIELD", false,
		              "invalid kptr access: r%d (%s) points to per-CPU memory, the kptr at offset %u "
		              "to struct %s",
		              fa->val_regno, d, f->offset, f->kptr_struct);
	else if (!vn_is_const(v->v) || v->v.u64.lo != 0)
		fnd = vf_report(ctx, fa->idx, "VF-MAP-FIELD", false,
		                "r%d (%s) has a variable offset: Linux refuses it in a kptr (\"variable "
		                "ptr_ access disallowed\")",
		                fa->val_regno, d);
	else if (!struct_match(ctx, v->size, v->off, f->kptr_struct, false))
		fnd = vf_report(ctx, fa->idx, "VF-MAP-FIELD", false,
		                "invalid kptr access, r%d type=%s expected=ptr_%s (the kptr at offset %u)",
		                fa->val_regno, d, f->kptr_struct, f->offset);
	if (fnd)
		vf_finding_set_hint(fnd, "store NULL or a pointer loaded from a kptr of the same struct");
}

bool vf_mapfield_access(struct vf_actx *ctx, const struct vf_field_access *fa, const struct vf_reg *p,
                        struct vf_reg *loaded)
{
	if (p->map >= ctx->map_cnt)
		return false;
	const struct bpfc_map *m = &ctx->maps[p->map];
	vf_reg_unknown(loaded);
	if (!m->field_cnt)
		return false;
	const char *mn = m->name ? m->name : "?";
	int64_t lo = p->off + fa->off, hi = lo;
	if (__builtin_add_overflow(lo, p->v.s64.lo, &lo))
		lo = INT64_MIN;
	if (__builtin_add_overflow(hi, p->v.s64.hi, &hi))
		hi = INT64_MAX;
	int64_t end = hi > INT64_MAX - (int64_t)fa->size ? INT64_MAX : hi + (int64_t)fa->size;
	bool touched_kptr = false;
	for (size_t i = 0; i < m->field_cnt; i++) {
		const struct bpfc_map_field *f = &m->fields[i];
		if (!(lo < (int64_t)f->offset + (int64_t)f->size && (int64_t)f->offset < end))
			continue;
		const char *kn = bpfc_field_kind_name(f->kind);
		if (f->kind == BPFC_FIELD_SPIN_LOCK) {
			vf_report(ctx, fa->idx, "VF-LOCK", false,
			          "the struct bpf_spin_lock of map '%s' (offset %u) may only be used through "
			          "bpf_spin_lock/bpf_spin_unlock, not %s",
			          mn, f->offset,
			          fa->helper ? "passed to a helper as memory" : "loaded or stored");
			return false;
		}
		if (!is_kptr(f->kind)) {
			vf_report(ctx, fa->idx, "VF-MAP-FIELD", false,
			          "%s of map '%s' (offset %u, %u bytes) cannot be accessed %s (Linux: \"%s "
			          "cannot be accessed directly by load/store\")",
			          kn, mn, f->offset, f->size,
			          fa->helper ? "by a helper" : "by loads and stores", kn);
			return false;
		}
		const char *why = NULL, *prop = "VF-MAP-FIELD";
		char buf[200];
		if (fa->helper) {
			prop = "VF-HELPER-ARG";
			why = "kptr cannot be accessed indirectly by helper";
		} else if (lo != hi) {
			why = "kptr access cannot have variable offset";
		} else if (lo != (int64_t)f->offset) {
			prop = "VF-MISALIGNED";
			snprintf(buf, sizeof(buf), "kptr access misaligned expected=%u off=%" PRId64,
			         f->offset, lo);
			why = buf;
		} else if (fa->size != 8) {
			snprintf(buf, sizeof(buf),
			         "kptr access size must be BPF_DW (8 bytes, not %" PRIu64 ")", fa->size);
			why = buf;
		} else if (fa->non_mem) {
			why = "kptr in map can only be accessed using BPF_MEM instruction mode (no atomics)";
		} else if (fa->write && f->kind != BPFC_FIELD_KPTR_UNTRUSTED) {
			why = "store to referenced kptr disallowed (exchange it with bpf_kptr_xchg)";
		} else if (fa->write && fa->imm && fa->val && !null_const(fa->val)) {
			snprintf(buf, sizeof(buf), "BPF_ST imm must be 0 when storing to kptr at off=%u",
			         f->offset);
			why = buf;
		}
		if (why) {
			vf_report(ctx, fa->idx, prop, false, "%s (map '%s', %s%s to struct %s at offset %u)",
			          why, mn, f->kind == BPFC_FIELD_KPTR_UNTRUSTED ? "untrusted " : "", kn,
			          f->kptr_struct, f->offset);
			return false; /* one finding; the access goes on as plain bytes */
		}
		touched_kptr = true;
		if (fa->write) {
			kptr_store_check(ctx, fa, f);
			continue;
		}
		memset(loaded, 0, sizeof(*loaded));
		loaded->type = VT_BTF_PTR_OR_NULL;
		loaded->size = VF_BTF_KPTR(p->map, i);
		/* Linux marks loads of referenced kptrs of RCU-protected structs MEM_RCU, every other
		 * one untrusted; the engine keeps them all untrusted (nothing here needs more) */
		loaded->frame = VF_BTF_UNTRUSTED | (f->kind == BPFC_FIELD_KPTR_PERCPU ? VF_BTF_PERCPU : 0);
		loaded->nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		loaded->v = vn_const(0);
	}
	return touched_kptr;
}

void vf_btf_access(struct vf_actx *ctx, uint32_t idx, int regno, const struct vf_reg *p, int64_t off,
                   uint64_t size, bool write, bool atomic, bool helper, struct vf_reg *loaded)
{
	vf_reg_unknown(loaded);
	struct btf_struct s = {"?", 0, 0};
	struct_of(ctx, p->size, &s);
	char d[200];
	vf_describe_reg(ctx, p, d, sizeof(d));
	if (helper) {
		vf_report(ctx, idx, "VF-HELPER-ARG", false,
		          "r%d (%s) points to a kernel struct: it cannot be passed as helper memory", regno,
		          d);
		return;
	}
	if (!ctx->opts->privileged) {
		vf_report(ctx, idx, "VF-INVALID-DEREF", false,
		          "'struct %s' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN (r%d: %s)",
		          s.name, regno, d);
		return;
	}
	if (p->frame & VF_BTF_PERCPU) {
		vf_report(ctx, idx, "VF-INVALID-DEREF", false,
		          "r%d (%s) points to per-CPU memory: it is read through bpf_per_cpu_ptr / "
		          "bpf_this_cpu_ptr, not directly (Linux: \"access percpu memory\")",
		          regno, d);
		return;
	}
	if (write || atomic) {
		vf_report(ctx, idx, "VF-READ-ONLY", false,
		          "%s through r%d (%s): kernel structs behind BTF pointers may only be read",
		          atomic ? "atomic operation" : "write", regno, d);
		return;
	}
	if (!vn_is_const(p->v)) {
		vf_report(ctx, idx, "VF-INVALID-DEREF", false,
		          "r%d (%s) has a variable offset: loads through a BTF pointer need a constant "
		          "offset (Linux: \"invalid variable offset\")",
		          regno, d);
		return;
	}
	int64_t at = p->off + (int64_t)p->v.u64.lo + off;
	if (at < 0) {
		vf_report(ctx, idx, "VF-INVALID-DEREF", false,
		          "read at negative offset %" PRId64 " of struct %s through r%d", at, s.name, regno);
		return;
	}
	if (!s.size) {
		vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		          "the layout of struct %s is not known (not in the object's BTF): the read through "
		          "r%d cannot be checked",
		          s.name, regno);
		return;
	}
	if ((uint64_t)at > s.size || size > s.size - (uint64_t)at) {
		vf_report(ctx, idx, "VF-INVALID-DEREF", false,
		          "access beyond struct %s at off %" PRId64 " size %" PRIu64 " (the struct has %u "
		          "bytes)",
		          s.name, at, size, s.size);
		return;
	}
	/* Linux gives a load of a pointer member a BTF pointer to its struct; the engine gives every
	 * load a number of the access size */
	if (size && size < 8)
		loaded->v = vn_urange(0, (UINT64_C(1) << (size * 8)) - 1);
}

struct vf_finding *vf_kptr_xchg_dest(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno,
                                     uint32_t *handle)
{
	const struct vf_reg *R = &st->r[regno];
	*handle = 0;
	char d[160];
	vf_describe_reg(ctx, R, d, sizeof(d));
	if (R->type != VT_MAP_VALUE)
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "argument r%d of bpf_kptr_xchg must point to a kptr field of a map value%s: "
		                 "%s",
		                 regno, R->type == VT_MAP_VALUE_OR_NULL ? " (null-checked)" : "", d);
	if (R->map >= ctx->map_cnt)
		return NULL; /* reported where the pointer was made */
	const struct bpfc_map *m = &ctx->maps[R->map];
	const char *mn = m->name ? m->name : "?";
	if (!vn_is_const(R->v))
		return vf_report(
		    ctx, idx, "VF-HELPER-ARG", false,
		    "r%d doesn't have constant offset. kptr has to be at the constant offset (%s)", regno, d);
	int64_t off = R->off + (int64_t)R->v.u64.lo;
	if (!m->fields_known)
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "map '%s' has to have BTF in order to use bpf_kptr_xchg", mn);
	for (size_t i = 0; i < m->field_cnt; i++) {
		const struct bpfc_map_field *f = &m->fields[i];
		if (!is_kptr(f->kind) || (int64_t)f->offset != off)
			continue;
		if (f->kind == BPFC_FIELD_KPTR_UNTRUSTED)
			return vf_report(ctx, idx, "VF-HELPER-ARG", false,
			                 "off=%" PRId64
			                 " kptr isn't referenced kptr (map '%s': __kptr_untrusted "
			                 "fields are stored directly, not exchanged)",
			                 off, mn);
		*handle = VF_BTF_KPTR(R->map, i);
		return NULL;
	}
	return vf_report(ctx, idx, "VF-HELPER-ARG", false, "off=%" PRId64 " doesn't point to kptr (map '%s')",
	                 off, mn);
}

uint8_t vf_kptr_xchg_flags(const struct vf_actx *ctx, uint32_t handle)
{
	uint32_t mi = (handle >> 8) - 1, fi = handle & 0xffu;
	if ((handle & 0x80000000u) || (handle >> 8) == 0 || mi >= ctx->map_cnt ||
	    fi >= ctx->maps[mi].field_cnt)
		return 0;
	return ctx->maps[mi].fields[fi].kind == BPFC_FIELD_KPTR_PERCPU ? VF_BTF_PERCPU : 0;
}

struct vf_finding *vf_kptr_xchg_src(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno,
                                    uint32_t handle, uint32_t *release)
{
	const struct vf_reg *R = &st->r[regno];
	*release = 0;
	if (null_const(R))
		return NULL;
	char d[160];
	vf_describe_reg(ctx, R, d, sizeof(d));
	if ((R->type != VT_BTF_PTR && R->type != VT_BTF_PTR_OR_NULL) || (R->frame & VF_BTF_UNTRUSTED))
		return vf_report(
		    ctx, idx, "VF-HELPER-ARG", false,
		    "argument r%d of bpf_kptr_xchg must be NULL or a trusted BTF pointer (%s): %s", regno,
		    R->type == VT_UNUSABLE ? "released already, or not one on every path"
		                           : "one bpf_kptr_xchg returned",
		    d);
	if (!R->ref || !vf_state_has_ref(st, R->ref))
		return vf_report(ctx, idx, "VF-REF-RELEASE", false,
		                 "r%d must be referenced when passed to release function (bpf_kptr_xchg): %s",
		                 regno, d);
	if (R->off != 0 || !vn_is_const(R->v) || R->v.u64.lo != 0)
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "r%d must have zero offset when passed to release func (bpf_kptr_xchg): %s",
		                 regno, d);
	if (handle && (R->frame & VF_BTF_PERCPU) != vf_kptr_xchg_flags(ctx, handle))
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "invalid kptr access, r%d type=%s: a %sper-CPU object for a %sper-CPU kptr",
		                 regno, d, (R->frame & VF_BTF_PERCPU) ? "" : "non-",
		                 (R->frame & VF_BTF_PERCPU) ? "non-" : "");
	if (handle && !struct_match(ctx, R->size, 0, struct_name(ctx, handle), true))
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "invalid kptr access, r%d type=%s expected=ptr_%s", regno, d,
		                 struct_name(ctx, handle));
	*release = R->ref;
	return NULL;
}

struct vf_finding *vf_btf_arg(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno,
                              const char *helper, const char *want, bool nullable)
{
	const struct vf_reg *R = &st->r[regno];
	if (nullable && null_const(R))
		return NULL;
	char d[160];
	vf_describe_reg(ctx, R, d, sizeof(d));
	if (R->type == VT_BTF_PTR_OR_NULL && !nullable)
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "argument r%d of bpf_%s may be NULL (%s): check it against NULL first",
		                 regno, helper, d);
	if ((R->type != VT_BTF_PTR && R->type != VT_BTF_PTR_OR_NULL) || (R->frame & VF_BTF_UNTRUSTED))
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "argument r%d of bpf_%s must be a trusted BTF pointer to struct %s: %s",
		                 regno, helper, want, d);
	if (!vn_is_const(R->v) || !struct_match(ctx, R->size, R->off + (int64_t)R->v.u64.lo, want, false))
		return vf_report(ctx, idx, "VF-HELPER-ARG", false,
		                 "argument r%d of bpf_%s: %s is not a pointer to struct %s", regno, helper, d,
		                 want);
	return NULL;
}

bool vf_btf_is_sock_common(const struct vf_actx *ctx, const struct vf_reg *r)
{
	return r->type == VT_BTF_PTR && !(r->frame & VF_BTF_UNTRUSTED) && vn_is_const(r->v) &&
	       struct_match(ctx, r->size, r->off + (int64_t)r->v.u64.lo, "sock_common", false);
}
