/* Transfer functions of the engine, one instruction at a time, with the safety checks attached
 * to each instruction (memory, arithmetic on pointers, helper calls, exits). Every check names a
 * property id; after reporting, the state is made safe so one mistake gives one finding.
 * See specs/verifier.md. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/branch.h"
#include "verifier/calls.h"
#include "verifier/engine.h"
#include "verifier/zone_track.h"

enum { ACC_READ = 1, ACC_WRITE = 2 };

#define MAX_VAR_OFF (INT64_C(1) << 29)

/* ---- reporting ---- */

static uint64_t prop_hash(const char *p)
{
	uint64_t h = 1469598103934665603ull;
	for (; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	return h;
}

static bool seen_before(struct vf_actx *ctx, uint32_t idx, const char *prop)
{
	uint64_t key = ((uint64_t)idx << 20) ^ (prop_hash(prop) & 0xfffff) ^ (prop_hash(prop) << 40);
	if (key == 0)
		key = 1;
	if (ctx->reported_cnt * 2 >= ctx->reported_cap) {
		size_t ncap = ctx->reported_cap ? ctx->reported_cap * 2 : 64;
		uint64_t *nt = calloc(ncap, sizeof(*nt));
		if (!nt) {
			ctx->nomem = true;
			return true;
		}
		for (size_t i = 0; i < ctx->reported_cap; i++) {
			uint64_t k = ctx->reported[i];
			if (!k)
				continue;
			size_t j = (size_t)(k * 0x9e3779b97f4a7c15ull) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			nt[j] = k;
		}
		free(ctx->reported);
		ctx->reported = nt;
		ctx->reported_cap = ncap;
	}
	size_t j = (size_t)(key * 0x9e3779b97f4a7c15ull) & (ctx->reported_cap - 1);
	while (ctx->reported[j]) {
		if (ctx->reported[j] == key)
			return true;
		j = (j + 1) & (ctx->reported_cap - 1);
	}
	ctx->reported[j] = key;
	ctx->reported_cnt++;
	return false;
}

static const char *func_of(const struct vf_actx *ctx, uint32_t idx)
{
	const struct bpfc_prog *p = ctx->prog;
	for (size_t i = 0; i < p->func_cnt; i++)
		if (idx >= p->funcs[i].start && idx < p->funcs[i].end)
			return p->funcs[i].name;
	return p->func_cnt ? NULL : p->name;
}

static struct vf_finding *vreport(struct vf_actx *ctx, uint32_t idx, const char *prop, enum vf_severity sev,
                                  const char *fmt, va_list ap)
{
	if (ctx->probe) {
		if (idx == ctx->probe->insn && strcmp(prop, ctx->probe->prop) == 0)
			ctx->probe->hit = true;
		return NULL;
	}
	if (!ctx->report || seen_before(ctx, idx, prop))
		return NULL;
	struct vf_finding *f = vf_findings_vadd(ctx->findings, prop, sev, idx, func_of(ctx, idx), fmt, ap);
	if (!f)
		ctx->nomem = true;
	if (f && ctx->cur)
		f->path_kind = VF_PATH_MERGED;
	for (uint32_t i = 0; f && ctx->cur && i < ctx->cur->path_n; i++)
		if (vf_finding_add_branch(f, ctx->cur->path[i].insn, ctx->cur->path[i].taken))
			ctx->nomem = true;
	return f;
}

struct vf_finding *vf_report(struct vf_actx *ctx, uint32_t idx, const char *prop, bool warn_if_privileged,
                             const char *fmt, ...)
{
	enum vf_severity sev = (warn_if_privileged && ctx->opts->privileged) ? VF_SEV_WARNING : VF_SEV_ERROR;
	va_list ap;
	va_start(ap, fmt);
	struct vf_finding *f = vreport(ctx, idx, prop, sev, fmt, ap);
	va_end(ap);
	return f;
}

struct vf_finding *vf_report_kernel(struct vf_actx *ctx, uint32_t idx, const char *fmt, ...)
{
	enum vf_severity sev = ctx->opts->linux_compat ? VF_SEV_ERROR : VF_SEV_NOTE;
	va_list ap;
	va_start(ap, fmt);
	struct vf_finding *f = vreport(ctx, idx, "VF-KERNEL-IMPRECISE", sev, fmt, ap);
	va_end(ap);
	return f;
}

static void note_reg(struct vf_actx *ctx, struct vf_finding *f, const struct vf_state *st, int regno)
{
	if (f)
		vf_finding_reg(ctx, f, st, regno);
}

/* ---- small helpers ---- */

static struct vf_frame *cur_frame(struct vf_state *st)
{
	return st->fr[st->nframes - 1];
}

static const struct bpfc_map *map_of(const struct vf_actx *ctx, const struct vf_reg *r)
{
	return r->map < ctx->map_cnt ? &ctx->maps[r->map] : NULL;
}

static const char *map_name(const struct vf_actx *ctx, const struct vf_reg *r)
{
	const struct bpfc_map *m = map_of(ctx, r);
	return m && m->name ? m->name : "?";
}

/* Applies fn to every register and spilled slot of every frame. */
static void for_each_reg(struct vf_state *st, void (*fn)(struct vf_reg *, void *), void *arg)
{
	for (int i = 0; i < VF_NREGS; i++)
		fn(&st->r[i], arg);
	for (uint32_t f = 0; f < st->nframes; f++) {
		struct vf_frame *fr = vf_frame_mut(st, f);
		if (!fr)
			continue;
		for (int i = 0; i < 5; i++)
			fn(&fr->saved[i], arg);
		if (fr->callback)
			fn(&fr->cb_arg, arg);
		struct vf_reg *sr = NULL;
		for (int s = 0; s < VF_STACK_SLOTS; s++)
			if (fr->sb[s * 8] == SB_SPILL) {
				if (!sr)
					sr = vf_frame_spills_mut(fr);
				if (sr)
					fn(&sr[s], arg);
			}
	}
}

struct null_mark {
	uint32_t nid;
	bool is_null;
	uint32_t released_ref;
};

static void mark_null_fn(struct vf_reg *r, void *arg)
{
	struct null_mark *m = arg;
	if ((r->type != VT_MAP_VALUE_OR_NULL && r->type != VT_MEM_OR_NULL && r->type != VT_MAP_PTR_OR_NULL &&
	     r->type != VT_BTF_PTR_OR_NULL && !vf_sock_nullable(r->type)) ||
	    r->nid != m->nid)
		return;
	if (vf_sock_nullable(r->type)) {
		if (!m->is_null) {
			r->type = vf_sock_nonnull(r->type);
			return;
		}
		/* a derived pointer (bpf_sk_fullsock) that is NULL leaves its parent's reference held */
		if (r->ref && !(r->size & VF_SOCK_DERIVED))
			m->released_ref = r->ref;
		uint32_t origin = r->origin;
		vf_reg_scalar(r, vn_const(0));
		r->origin = origin;
		return;
	}
	if (m->is_null) {
		if (r->ref)
			m->released_ref = r->ref;
		uint32_t origin = r->origin;
		vf_reg_scalar(r, vn_const(0));
		r->origin = origin;
	} else {
		r->type = r->type == VT_MAP_VALUE_OR_NULL ? VT_MAP_VALUE
		          : r->type == VT_MAP_PTR_OR_NULL ? VT_MAP_PTR
		          : r->type == VT_BTF_PTR_OR_NULL ? VT_BTF_PTR
		                                          : VT_MEM;
	}
}

/* The pointer known NULL or non-NULL: every copy (same nid) follows; NULL releases its reference. */
static void mark_null(struct vf_state *st, const struct vf_reg *r, bool is_null)
{
	struct null_mark m = {r->nid, is_null, 0};
	if (!r->nid) {
		/* an unlinked nullable pointer: only this register is known */
		return;
	}
	for_each_reg(st, mark_null_fn, &m);
	if (m.released_ref)
		vf_state_del_ref(st, m.released_ref);
}

static void mark_reg_null(struct vf_state *st, struct vf_reg *r, bool is_null)
{
	if (r->nid) {
		struct vf_reg copy = *r;
		mark_null(st, &copy, is_null);
		return;
	}
	struct null_mark m = {0, is_null, 0};
	mark_null_fn(r, &m);
	if (m.released_ref)
		vf_state_del_ref(st, m.released_ref);
}

struct pkt_mark {
	uint32_t pid;
	int32_t range;
};

static void pkt_range_fn(struct vf_reg *r, void *arg)
{
	struct pkt_mark *m = arg;
	if (r->type == VT_PKT && r->pid == m->pid && r->pkt_range < m->range)
		r->pkt_range = m->range;
}

/* Packet pointers sharing the variable part pid: the variable part is at most max_var. */
struct pkt_cap {
	uint32_t pid;
	int64_t max_var;
};

static void pkt_cap_fn(struct vf_reg *r, void *arg)
{
	const struct pkt_cap *c = arg;
	if (r->type != VT_PKT || r->pid != c->pid || r->v.s64.hi <= c->max_var)
		return;
	bool empty = false;
	struct vf_scalar v = vn_meet(r->v, vn_srange(INT64_MIN, c->max_var), &empty);
	if (!empty)
		r->v = v;
}

static void pkt_invalidate_fn(struct vf_reg *r, void *arg)
{
	(void)arg;
	if (r->type == VT_PKT || r->type == VT_PKT_END || r->type == VT_PKT_META) {
		uint32_t origin = r->origin;
		memset(r, 0, sizeof(*r));
		r->type = VT_UNUSABLE;
		r->origin = origin;
	}
}

static void ref_invalidate_fn(struct vf_reg *r, void *arg)
{
	uint32_t ref = *(uint32_t *)arg;
	if (r->ref == ref && (r->type == VT_MEM || r->type == VT_MEM_OR_NULL || vf_sock_type(r->type) ||
	                      r->type == VT_BTF_PTR || r->type == VT_BTF_PTR_OR_NULL)) {
		uint32_t origin = r->origin;
		memset(r, 0, sizeof(*r));
		r->type = VT_UNUSABLE;
		r->origin = origin;
	}
}

/* Offset range [lo, hi] of a pointer's fixed + variable part (saturating). */
static void ptr_off_range(const struct vf_reg *r, int64_t extra, int64_t *lo, int64_t *hi)
{
	int64_t base = r->off + extra;
	if (__builtin_add_overflow(base, r->v.s64.lo, lo))
		*lo = INT64_MIN;
	if (__builtin_add_overflow(base, r->v.s64.hi, hi))
		*hi = INT64_MAX;
}

static bool check_init(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, int regno)
{
	if (st->r[regno].type != VT_UNINIT)
		return true;
	struct vf_finding *f = vf_report(ctx, idx, "VF-UNINIT-REG", false,
	                                 "r%d is read before it is written on some path", regno);
	if (f)
		vf_finding_set_hint(f, "initialise r%d on every path that reaches this instruction", regno);
	vf_reg_unknown(&st->r[regno]);
	return false;
}

static void set_scalar(struct vf_state *st, int regno, struct vf_scalar v, uint32_t idx)
{
	vf_reg_scalar(&st->r[regno], v);
	st->r[regno].origin = idx + 1;
}

static bool is_zero_const(const struct vf_reg *r);

/* ---- memory ---- */

static struct vf_scalar size_range(unsigned size)
{
	return size >= 8 ? vn_top() : vn_urange(0, (UINT64_C(1) << (size * 8)) - 1);
}

/* Stack bytes [lo, lo + n) of frame f: any uninitialised? */
static bool stack_uninit(const struct vf_frame *fr, int64_t lo, int64_t n)
{
	for (int64_t i = lo; i < lo + n; i++)
		if (fr->sb[i + VF_STACK_SIZE] == SB_INVALID)
			return true;
	return false;
}

/* Turns the spilled slots overlapping [lo, lo + n) into plain bytes before a partial overwrite. */
static void stack_break_spills(struct vf_frame *fr, int64_t lo, int64_t n)
{
	for (int64_t i = lo; i < lo + n; i++) {
		int64_t b = i + VF_STACK_SIZE;
		int slot = (int)(b / 8);
		if (fr->sb[b] == SB_SPILL) {
			bool zero = fr->sp->r[slot].type == VT_SCALAR && vn_is_const(fr->sp->r[slot].v) &&
			            fr->sp->r[slot].v.u64.lo == 0;
			for (int k = 0; k < 8; k++)
				if (fr->sb[slot * 8 + k] == SB_SPILL)
					fr->sb[slot * 8 + k] = zero ? SB_ZERO : SB_MISC;
		}
	}
}

static void stack_mark(struct vf_frame *fr, int64_t lo, int64_t n, uint8_t kind)
{
	stack_break_spills(fr, lo, n);
	for (int64_t i = lo; i < lo + n; i++)
		fr->sb[i + VF_STACK_SIZE] = kind;
}

static void note_depth(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, struct vf_frame *fr,
                       int64_t lo)
{
	uint32_t d = (uint32_t)(-lo);
	if (ctx->fdepth && ctx->cfg) {
		uint32_t fi = vf_cfg_func_of(ctx->cfg, fr->func_start);
		if (fi != VF_NONE && d > ctx->fdepth[fi])
			ctx->fdepth[fi] = d;
	}
	if (d <= fr->depth)
		return;
	for (uint32_t f = 0; f < st->nframes; f++)
		if (st->fr[f] == fr) {
			struct vf_frame *m = vf_frame_mut(st, f);
			if (m)
				m->depth = d;
			break;
		}
	uint32_t total = 0;
	for (uint32_t f = 0; f < st->nframes; f++)
		total += (st->fr[f]->depth + 7) & ~7u;
	if (total > VF_STACK_SIZE)
		vf_report(ctx, idx, "VF-STACK-SIZE", false,
		          "the combined stack of %u call frames reaches %u bytes, more than the %d allowed",
		          st->nframes, total, VF_STACK_SIZE);
}

void vf_stack_note_depth(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, uint32_t frame, int64_t lo)
{
	struct vf_frame *fr = frame < st->nframes ? vf_frame_mut(st, frame) : NULL;
	if (fr)
		note_depth(ctx, st, idx, fr, lo);
}

struct access {
	uint32_t idx;
	int regno;   /* pointer register */
	int64_t off; /* instruction offset added to the pointer */
	uint64_t size_lo, size_hi;
	int acc;     /* ACC_READ | ACC_WRITE */
	bool helper; /* a helper's memory argument */
	bool atomic;
	int strict_align;
	const struct vf_reg *val; /* value written (register store), or NULL */
	bool val_zero;            /* store of the constant 0 */
	bool imm;                 /* a store of an immediate (BPF_ST) */
	bool non_mem;             /* an atomic-mode instruction (BPF_ATOMIC, load-acquire, ...) */
	int val_regno;            /* register stored (STX), -1 otherwise */
	struct vf_reg loaded;     /* result of a read */
};

static const char *bound_prop(const struct access *a, const char *prop)
{
	return a->helper ? "VF-HELPER-ARG" : prop;
}

static void access_stack(struct vf_actx *ctx, struct vf_state *st, struct access *a, struct vf_reg *p)
{
	int64_t lo, hi;
	ptr_off_range(p, a->off, &lo, &hi);
	uint32_t fi = p->frame < st->nframes ? p->frame : st->nframes - 1;
	struct vf_frame *fr = st->fr[fi];
	if (lo < -VF_STACK_SIZE || hi > 0 || (int64_t)a->size_hi > -hi || hi + (int64_t)a->size_hi > 0 ||
	    lo == INT64_MIN) {
		struct vf_finding *f =
		    vf_report(ctx, a->idx, bound_prop(a, "VF-STACK-BOUNDS"), false,
		              "%s of %llu byte(s) at stack offset [%lld, %lld] is outside the frame "
		              "[-512, 0)",
		              a->acc & ACC_WRITE ? "write" : "read", (unsigned long long)a->size_hi,
		              (long long)lo, (long long)hi);
		note_reg(ctx, f, st, a->regno);
		vf_reg_unknown(&a->loaded);
		return;
	}
	note_depth(ctx, st, a->idx, fr, lo);
	fr = st->fr[fi];
	bool fixed = lo == hi;
	if (fixed && !a->helper && a->size_hi > 1 && (lo % (int64_t)a->size_hi) != 0) {
		vf_report(ctx, a->idx, "VF-MISALIGNED", false,
		          "misaligned stack access at offset %lld, size %llu", (long long)lo,
		          (unsigned long long)a->size_hi);
	}
	int64_t n = (int64_t)a->size_hi;
	if (a->acc & ACC_READ) {
		vf_reg_scalar(&a->loaded, size_range((unsigned)(n > 8 ? 8 : n)));
		int64_t span = hi - lo + n;
		if (stack_uninit(fr, lo, span)) {
			struct vf_finding *f = vf_report(
			    ctx, a->idx, "VF-UNINIT-STACK", true,
			    "reads %lld stack byte(s) at offset %lld that were not initialised on some path",
			    (long long)n, (long long)lo);
			if (f)
				vf_finding_set_hint(
				    f, "initialise the buffer (e.g. = {0} or __builtin_memset) first");
			note_reg(ctx, f, st, a->regno);
		} else if (fixed && !a->helper) {
			int slot = (int)((lo + VF_STACK_SIZE) / 8);
			bool whole = n == 8 && (lo & 7) == 0;
			if (!whole && fr->sb[lo + VF_STACK_SIZE] == SB_SPILL &&
			    (vf_reg_is_ptr(&fr->sp->r[slot]) || fr->sp->r[slot].type == VT_UNUSABLE)) {
				/* Linux: "invalid size of register fill" */
				struct vf_finding *f = vf_report(
				    ctx, a->idx, "VF-INVALID-DEREF", false,
				    "reads %lld byte(s) of a spilled %s pointer at stack offset %lld: a "
				    "spilled pointer "
				    "can only be filled whole (8 bytes)",
				    (long long)n, vf_rtype_name(fr->sp->r[slot].type), (long long)lo);
				note_reg(ctx, f, st, a->regno);
			} else if (fr->sb[lo + VF_STACK_SIZE] == SB_SPILL &&
			           fr->sp->r[slot].type == VT_ITER_NUM) {
				/* Linux: an iterator's stack slots are not readable (STACK_ITER) */
				vf_report(
				    ctx, a->idx, "VF-INVALID-DEREF", false,
				    "reads the struct bpf_iter_num at stack offset %lld: an iterator is "
				    "used only through its kfuncs",
				    (long long)lo);
			} else if (whole && fr->sb[slot * 8] == SB_SPILL) {
				a->loaded = fr->sp->r[slot];
			} else if (n <= 8 && fr->sb[lo + VF_STACK_SIZE] == SB_SPILL && (lo & 7) == 0 &&
			           fr->sp->r[slot].type == VT_SCALAR) {
				a->loaded.v = vn_trunc(fr->sp->r[slot].v, (unsigned)n);
			} else if (n < 8 && fr->sb[lo + VF_STACK_SIZE] == SB_SPILL && (lo & 7) + n <= 8 &&
			           fr->sp->r[slot].type == VT_SCALAR && vn_is_const(fr->sp->r[slot].v)) {
				/* bytes of a spilled constant, in the program's byte order */
				unsigned at = (unsigned)(lo & 7);
				unsigned shift = ctx->prog->byte_order == ISA_BIG_ENDIAN
				                     ? 8 * (8 - at - (unsigned)n)
				                     : 8 * at;
				uint64_t c = fr->sp->r[slot].v.u64.lo >> shift;
				a->loaded.v = vn_trunc(vn_const(c), (unsigned)n);
			} else {
				bool zero = true;
				for (int64_t i = lo; i < lo + n; i++)
					if (fr->sb[i + VF_STACK_SIZE] != SB_ZERO)
						zero = false;
				if (zero)
					a->loaded.v = vn_const(0);
			}
		}
	}
	if (a->acc & ACC_WRITE) {
		fr = vf_frame_mut(st, fi);
		if (!fr) {
			ctx->nomem = true;
			return;
		}
		if (!fixed) {
			/* variable offset: each byte may or may not be written */
			stack_break_spills(fr, lo, hi - lo + n);
			return;
		}
		if (a->val && a->val->type == VT_STACK && p->frame + 1u < st->nframes) {
			/* Linux: "cannot spill pointers to stack into stack frame of the caller" */
			vf_report(
			    ctx, a->idx, "VF-INVALID-DEREF", false,
			    "a stack pointer is stored into the stack of a caller (frame %u): Linux refuses "
			    "stack pointers spilled into a caller's frame",
			    p->frame);
		}
		if (!a->helper && n == 8 && (lo & 7) == 0 && a->val && !a->atomic) {
			int slot = (int)((lo + VF_STACK_SIZE) / 8);
			struct vf_reg *sr = vf_frame_spills_mut(fr);
			if (!sr) {
				ctx->nomem = true;
				return;
			}
			memset(&fr->sb[slot * 8], SB_SPILL, 8);
			sr[slot] = *a->val;
			return;
		}
		if (a->val && vf_reg_is_ptr(a->val) && !a->atomic) {
			vf_report(ctx, a->idx, "VF-POINTER-LEAK", true,
			          "a %s pointer is stored as %lld byte(s) into the stack: only whole 8-byte "
			          "aligned "
			          "spills keep a pointer",
			          vf_rtype_name(a->val->type), (long long)n);
		}
		stack_mark(fr, lo, n, a->val_zero ? SB_ZERO : SB_MISC);
	}
}

static void access_sized(struct vf_actx *ctx, struct vf_state *st, struct access *a, struct vf_reg *p,
                         uint64_t region, const char *prop, const char *what)
{
	int64_t lo, hi;
	ptr_off_range(p, a->off, &lo, &hi);
	if (p->v.u64.hi > (uint64_t)MAX_VAR_OFF && p->v.s64.lo < -MAX_VAR_OFF) {
		lo = INT64_MIN;
	}
	if (lo < 0 || lo == INT64_MIN || hi == INT64_MAX || (uint64_t)hi > region ||
	    a->size_hi > region - (uint64_t)hi) {
		struct vf_finding *f;
		if (lo == INT64_MIN || hi == INT64_MAX || p->v.u64.hi >= (uint64_t)MAX_VAR_OFF)
			f = vf_report(
			    ctx, a->idx, bound_prop(a, prop), false,
			    "unbounded %s access through r%d: the offset is not bounded, check it against "
			    "the size (%llu) first",
			    what, a->regno, (unsigned long long)region);
		else
			f = vf_report(
			    ctx, a->idx, bound_prop(a, prop), false,
			    "%s of %llu byte(s) at offset [%lld, %lld] is outside the %s of %llu byte(s)",
			    a->acc & ACC_WRITE ? "write" : "read", (unsigned long long)a->size_hi,
			    (long long)lo, (long long)hi, what, (unsigned long long)region);
		note_reg(ctx, f, st, a->regno);
		/* one finding per root cause: from here on the pointer is taken to be in bounds */
		int64_t room = (int64_t)(region >= a->size_hi ? region - a->size_hi : 0);
		int64_t vlo = -(p->off + a->off), vhi = room - (p->off + a->off);
		bool empty = vhi < vlo;
		if (!empty)
			p->v = vn_meet(p->v, vn_srange(vlo, vhi), &empty);
		if (empty) {
			p->off = 0;
			p->v = vn_const(0);
		}
	}
	vf_reg_unknown(&a->loaded);
	if (a->size_hi <= 8 && a->size_hi)
		a->loaded.v = size_range((unsigned)a->size_hi);
}

static void access_ctx(struct vf_actx *ctx, struct vf_state *st, struct access *a, struct vf_reg *p)
{
	vf_reg_unknown(&a->loaded);
	const struct vf_progtype *pt = ctx->pt;
	int64_t lo, hi;
	ptr_off_range(p, a->off, &lo, &hi);
	if (a->helper) {
		vf_report(ctx, a->idx, "VF-HELPER-ARG", false,
		          "the context cannot be passed as helper memory");
		return;
	}
	if (!pt) {
		vf_report(ctx, a->idx, "VF-CTX-ACCESS", false,
		          "context access with an unknown program type (give --type)");
		return;
	}
	if (p->off != 0 && lo == hi) {
		struct vf_finding *f =
		    vf_report(ctx, a->idx, "VF-CTX-ACCESS", false,
		              "dereference of a modified context pointer (r%d has offset %lld): "
		              "put the field offset in the instruction",
		              a->regno, (long long)p->off);
		note_reg(ctx, f, st, a->regno);
		return;
	}
	if (lo != hi) {
		struct vf_finding *f = vf_report(ctx, a->idx, "VF-CTX-ACCESS", false,
		                                 "variable-offset context access [%lld, %lld] is not allowed",
		                                 (long long)lo, (long long)hi);
		note_reg(ctx, f, st, a->regno);
		return;
	}
	bool write = (a->acc & ACC_WRITE) != 0;
	uint64_t size = a->size_hi;
	if (a->atomic) {
		vf_report(ctx, a->idx, "VF-CTX-ACCESS", false, "atomic operation on the context");
		return;
	}
	const struct plat_ctx_field *fd = NULL;
	enum plat_ctx_result r =
	    plat_ctx_access(pt->plat, lo, (uint32_t)size, write, ctx->opts->privileged, &fd);
	if (r != PLAT_CTX_OK) {
		const char *prop = r == PLAT_CTX_MISALIGNED ? "VF-MISALIGNED" : "VF-CTX-ACCESS";
		if (r == PLAT_CTX_UNMODELLED)
			vf_report(ctx, a->idx, prop, false,
			          "the context of %s programs is not modelled by bpfcheck yet (access at "
			          "offset %lld)",
			          pt->name, (long long)lo);
		else
			vf_report(ctx, a->idx, prop, false,
			          "invalid %s of %llu byte(s) at context offset %lld%s%s: %s",
			          write ? "write" : "read", (unsigned long long)size, (long long)lo,
			          fd ? ", field " : "", fd ? fd->name : "", plat_ctx_result_str(r));
		return;
	}
	if (write) {
		if (a->val && vf_reg_is_ptr(a->val))
			vf_report(ctx, a->idx, "VF-POINTER-LEAK", true,
			          "a pointer is written into the context");
		return;
	}
	switch (fd ? fd->kind : PLAT_FIELD_SCALAR) {
	case PLAT_FIELD_SCALAR: a->loaded.v = size_range((unsigned)(size > 8 ? 8 : size)); return;
	case PLAT_FIELD_PACKET:
	case PLAT_FIELD_PACKET_END:
	case PLAT_FIELD_PACKET_META:
		memset(&a->loaded, 0, sizeof(a->loaded));
		a->loaded.type = fd->kind == PLAT_FIELD_PACKET       ? VT_PKT
		                 : fd->kind == PLAT_FIELD_PACKET_END ? VT_PKT_END
		                                                     : VT_PKT_META;
		a->loaded.v = vn_const(0);
		return;
	case PLAT_FIELD_SOCK_COMMON:
	case PLAT_FIELD_SOCK_COMMON_OR_NULL:
	case PLAT_FIELD_SOCKET:
	case PLAT_FIELD_SOCKET_OR_NULL:
		/* a socket the kernel holds for the program: no reference to release */
		memset(&a->loaded, 0, sizeof(a->loaded));
		a->loaded.type = vf_sock_field_type(fd->kind);
		a->loaded.v = vn_const(0);
		if (vf_sock_nullable(a->loaded.type))
			a->loaded.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		return;
	default:
		vf_report(ctx, a->idx, "VF-UNSUPPORTED", false,
		          "context field '%s' holds a %s pointer, which bpfcheck does not model yet",
		          fd->name, plat_field_kind_name(fd->kind));
		memset(&a->loaded, 0, sizeof(a->loaded));
		a->loaded.type = VT_UNUSABLE;
		return;
	}
}

/* A load from the .kconfig map at a fixed offset whose bytes --kconfig gave (m->data_known) is
 * that constant: the kernel fills the map before the program runs and programs cannot write it. */
static void kconfig_load(const struct vf_actx *ctx, struct access *a, const struct vf_reg *p,
                         const struct bpfc_map *m)
{
	if (!m || m->kind != BPFC_MAP_KCONFIG || !m->data || !m->data_known || a->helper ||
	    a->acc != ACC_READ || a->loaded.type != VT_SCALAR)
		return;
	int64_t lo, hi;
	ptr_off_range(p, a->off, &lo, &hi);
	uint64_t n = a->size_hi;
	if (lo != hi || lo < 0 || (n != 1 && n != 2 && n != 4 && n != 8) || (uint64_t)lo > m->value_size ||
	    n > m->value_size - (uint64_t)lo)
		return;
	bool be = ctx->prog->byte_order == ISA_BIG_ENDIAN;
	uint64_t v = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (!m->data_known[lo + (int64_t)i])
			return;
		v |= (uint64_t)m->data[lo + (int64_t)(be ? n - 1 - i : i)] << (8 * i);
	}
	vf_reg_scalar(&a->loaded, vn_const(v));
}

static void access_pkt(struct vf_actx *ctx, struct vf_state *st, struct access *a, struct vf_reg *p)
{
	vf_reg_unknown(&a->loaded);
	if (a->size_hi <= 8 && a->size_hi)
		a->loaded.v = size_range((unsigned)a->size_hi);
	if ((a->acc & ACC_WRITE) && !a->helper && (!ctx->pt || !ctx->pt->pkt_write)) {
		vf_report(ctx, a->idx, "VF-READ-ONLY", false, "%s programs cannot write packet data directly",
		          ctx->pt ? ctx->pt->name : "these");
		return;
	}
	if (a->atomic) {
		vf_report(ctx, a->idx, "VF-INVALID-DEREF", false,
		          "atomic operations on packet data are not allowed");
		return;
	}
	int64_t lo = p->off + a->off;
	int64_t end = lo + (int64_t)a->size_hi;
	/* the zone may relate this pointer to data_end where its proven range cannot (the
	 * relation survived a join, or came from a copy with another fixed offset); a meta pointer
	 * is in bounds only by the zone, below data */
	bool zone_ok = vf_zt_pkt_upper(st, p == &st->r[a->regno] ? a->regno : -1, p,
	                               (int64_t)a->off + (int64_t)a->size_hi) <= 0;
	bool beyond = p->type == VT_PKT_META ? !zone_ok : end > p->pkt_range && !zone_ok;
	if (lo < 0 || beyond || p->v.u64.hi >= 0xffff || (p->type == VT_PKT_META && p->v.s64.lo < 0)) {
		struct vf_finding *f = vf_report(
		    ctx, a->idx, bound_prop(a, "VF-PACKET-BOUNDS"), false,
		    "%s of %llu byte(s) at %s offset %lld%s is not proven below %s (proven: %d byte(s))",
		    a->acc & ACC_WRITE ? "write" : "read", (unsigned long long)a->size_hi,
		    p->type == VT_PKT_META ? "metadata" : "packet", (long long)lo,
		    p->pid ? " + variable" : "", p->type == VT_PKT_META ? "data" : "data_end",
		    p->type == VT_PKT_META ? 0 : p->pkt_range);
		if (f)
			vf_finding_set_hint(f, "compare the end of the access with data_end first, e.g. "
			                       "if ((void *)(hdr + 1) > data_end) return XDP_DROP;");
		note_reg(ctx, f, st, a->regno);
		if (p->type == VT_PKT && end > p->pkt_range && end < 0xffff) {
			struct pkt_mark m = {p->pid, (int32_t)end};
			for_each_reg(st, pkt_range_fn, &m);
		}
	} else if (p->type == VT_PKT && end > p->pkt_range) {
		/* proven by the zone alone: Linux knows only the range a comparison of this very
		 * pointer (or one sharing its id) with data_end gave it */
		struct vf_finding *f = vf_report_kernel(
		    ctx, a->idx,
		    "%s of %llu byte(s) at packet offset %lld%s is proven below data_end only through "
		    "relations Linux does not track (the pointer's own proven range is %d byte(s)): "
		    "Linux will likely reject it (\"offset is outside of the packet\" or \"invalid access "
		    "to packet\")",
		    a->acc & ACC_WRITE ? "write" : "read", (unsigned long long)a->size_hi, (long long)lo,
		    p->pid ? " + variable" : "", p->pkt_range);
		if (f)
			vf_finding_set_hint(f,
			                    "compare the pointer itself with data_end right before the "
			                    "access, e.g. if ((void *)p + %llu > data_end) return ...;",
			                    (unsigned long long)(end - p->off));
		note_reg(ctx, f, st, a->regno);
	}
}

/* Checks an access through register a->regno and computes the loaded value. */
static void access_mem(struct vf_actx *ctx, struct vf_state *st, struct access *a)
{
	struct vf_reg *p = &st->r[a->regno];
	if (ctx->report && ctx->base_seen && !a->helper && vf_reg_is_ptr(p)) {
		uint8_t bit = p->type == VT_CTX ? 1 : 2;
		ctx->base_seen[a->idx] |= bit;
		if (ctx->base_seen[a->idx] == 3)
			vf_report(
			    ctx, a->idx, "VF-CTX-ACCESS", false,
			    "this instruction accesses the context on one path and other memory on another "
			    "(Linux rewrites each context access for its field)");
	}
	vf_reg_unknown(&a->loaded);
	if (a->size_hi <= 8 && a->size_hi)
		a->loaded.v = size_range((unsigned)a->size_hi);
	switch (p->type) {
	case VT_UNINIT: check_init(ctx, st, a->idx, a->regno); return;
	case VT_SOCK:
	case VT_SOCK_COMMON:
	case VT_TCP_SOCK:
		if (a->helper) {
			vf_report(ctx, a->idx, "VF-HELPER-ARG", false,
			          "a socket (r%d) cannot be passed as helper memory", a->regno);
			return;
		}
		vf_sock_access(ctx, a->idx, a->regno, p, a->off, a->size_hi, (a->acc & ACC_WRITE) != 0,
		               a->atomic, &a->loaded);
		return;
	case VT_BTF_PTR:
		vf_btf_access(ctx, a->idx, a->regno, p, a->off, a->size_hi, (a->acc & ACC_WRITE) != 0,
		              a->atomic, a->helper, &a->loaded);
		return;
	case VT_BTF_PTR_OR_NULL:
	case VT_SOCK_OR_NULL:
	case VT_SOCK_COMMON_OR_NULL:
	case VT_TCP_SOCK_OR_NULL:
	case VT_MAP_VALUE_OR_NULL:
	case VT_MAP_PTR_OR_NULL:
	case VT_MEM_OR_NULL: {
		struct vf_finding *f = vf_report(
		    ctx, a->idx, a->helper ? "VF-HELPER-ARG" : "VF-NULL-DEREF", false,
		    "r%d may be NULL here (%s): check it against NULL before %s", a->regno,
		    vf_rtype_name(p->type), a->helper ? "passing it to a helper" : "dereferencing it");
		note_reg(ctx, f, st, a->regno);
		if (f)
			vf_finding_set_hint(f, "if (!ptr) return ...; before the access");
		mark_reg_null(st, p, false);
		access_mem(ctx, st, a);
		return;
	}
	case VT_STACK: access_stack(ctx, st, a, p); return;
	case VT_CTX: access_ctx(ctx, st, a, p); return;
	case VT_PKT:
	case VT_PKT_META: access_pkt(ctx, st, a, p); return;
	case VT_MAP_VALUE: {
		const struct bpfc_map *m = map_of(ctx, p);
		/* read-only for programs: .rodata, maps created with BPF_F_RDONLY_PROG (0x80), and map
		 * types whose lookups return read-only values */
		const struct plat_map_type *mt = m ? plat_map_type_by_id(ctx->plat, m->type) : NULL;
		bool ro = m && (m->kind == BPFC_MAP_RODATA || (m->flags & 0x80u) ||
		                (mt && mt->lookup == PLAT_LOOKUP_VALUE_READONLY));
		if ((a->acc & ACC_WRITE) && ro)
			vf_report(ctx, a->idx, "VF-READ-ONLY", false, "%s into the read-only map '%s'",
			          a->helper ? "a helper writes" : "write", map_name(ctx, p));
		/* special fields (kptrs, spin lock, timer, ...): a kptr load gives a BTF pointer, and
		 * storing a pointer into a kptr is what it is for */
		struct vf_field_access fa = {
		    a->idx,    a->regno,   a->off, a->size_hi, (a->acc & ACC_WRITE) != 0,
		    a->helper, a->non_mem, a->imm, a->val,     a->val_regno};
		struct vf_reg kload;
		bool kptr = m && vf_mapfield_access(ctx, &fa, p, &kload);
		if ((a->acc & ACC_WRITE) && a->val && vf_reg_is_ptr(a->val) && !kptr)
			vf_report(ctx, a->idx, "VF-POINTER-LEAK", true,
			          "a %s pointer is stored into map '%s', where user space can read it",
			          vf_rtype_name(a->val->type), map_name(ctx, p));
		access_sized(ctx, st, a, p, m ? m->value_size : 0, "VF-MAP-VALUE-BOUNDS", "map value");
		if (kptr && a->acc == ACC_READ && !a->helper)
			a->loaded = kload;
		kconfig_load(ctx, a, p, m);
		return;
	}
	case VT_MEM:
		if ((a->acc & ACC_WRITE) && (p->frame & VF_MEM_RDONLY))
			vf_report(ctx, a->idx, "VF-READ-ONLY", false, "%s into read-only memory (r%d: %s)",
			          a->helper ? "a helper writes" : "write", a->regno,
			          "the number a kfunc returned");
		access_sized(ctx, st, a, p, p->size, "VF-MEM-BOUNDS", "memory region");
		return;
	default: {
		char d[160];
		vf_describe_reg(ctx, p, d, sizeof(d));
		if (!a->helper && is_zero_const(p) && p->origin) {
			struct vf_finding *f = vf_report(ctx, a->idx, "VF-NULL-DEREF", false,
			                                 "r%d is NULL here and is dereferenced", a->regno);
			note_reg(ctx, f, st, a->regno);
			return;
		}
		struct vf_finding *f =
		    vf_report(ctx, a->idx, a->helper ? "VF-HELPER-ARG" : "VF-INVALID-DEREF", false,
		              "r%d is not a pointer to memory that may be %s here: %s", a->regno,
		              a->acc & ACC_WRITE ? "written" : "read", d);
		note_reg(ctx, f, st, a->regno);
		return;
	}
	}
}

/* ---- ALU ---- */

static void alu_delta(struct vf_reg *dst, const struct vf_reg *before, unsigned sem, bool is64,
                      struct vf_scalar srcv)
{
	if ((sem != ISA_SEM_ADD && sem != ISA_SEM_SUB) || !vn_is_const(srcv)) {
		vf_reg_delta_clear(dst);
		return;
	}
	int64_t k = is64 ? (int64_t)srcv.u64.lo : (int64_t)(int32_t)(uint32_t)srcv.u64.lo;
	if (sem == ISA_SEM_SUB) {
		if (k == INT64_MIN) {
			vf_reg_delta_clear(dst);
			return;
		}
		k = -k;
	}
	/* the change is exactly k only if no wrap-around happened */
	uint64_t limit = is64 ? UINT64_MAX : UINT32_MAX;
	bool ok;
	if (before->type == VT_SCALAR) {
		if (!is64 && before->v.u64.hi > UINT32_MAX)
			ok = false;
		else if (k >= 0)
			ok = before->v.u64.hi <= limit - (uint64_t)k;
		else
			ok = before->v.u64.lo >= (uint64_t)(-k);
	} else {
		ok = true;
	}
	memcpy(dst->dl, before->dl, sizeof(dst->dl));
	if (ok)
		vf_reg_delta_add(dst, k, k);
	else
		vf_reg_delta_clear(dst);
}

static bool ptr_arith_ok_type(uint8_t t)
{
	return t == VT_STACK || t == VT_MAP_VALUE || t == VT_MEM || t == VT_PKT || t == VT_PKT_META ||
	       t == VT_CTX || t == VT_BTF_PTR;
}

static void do_ptr_arith(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, int dst, struct vf_reg *ptr,
                         const struct vf_reg *sc, unsigned sem, bool is64, int ptr_reg, int sc_reg)
{
	struct vf_reg res = *ptr;
	res.origin = ptr->origin;
	const char *op = isa_sem_name(sem);
	if (!is64) {
		vf_report(ctx, idx, "VF-POINTER-ARITH", false, "32-bit arithmetic (%s) on pointer r%d", op,
		          ptr_reg);
		set_scalar(st, dst, vn_urange(0, UINT32_MAX), idx);
		return;
	}
	if (sem != ISA_SEM_ADD && sem != ISA_SEM_SUB) {
		vf_report(ctx, idx, "VF-POINTER-ARITH", false,
		          "%s on pointer r%d is not allowed (only add and sub)", op, ptr_reg);
		set_scalar(st, dst, vn_top(), idx);
		return;
	}
	if (!ptr_arith_ok_type(ptr->type)) {
		struct vf_finding *f =
		    vf_report(ctx, idx, "VF-POINTER-ARITH", false, "arithmetic on r%d (%s) is not allowed%s",
		              ptr_reg, vf_rtype_name(ptr->type),
		              (ptr->type == VT_MAP_VALUE_OR_NULL || ptr->type == VT_MEM_OR_NULL ||
		               ptr->type == VT_BTF_PTR_OR_NULL)
		                  ? ": null-check it first"
		                  : "");
		note_reg(ctx, f, st, ptr_reg);
		if (ptr->type == VT_MAP_VALUE_OR_NULL || ptr->type == VT_MEM_OR_NULL ||
		    ptr->type == VT_BTF_PTR_OR_NULL) {
			mark_reg_null(st, ptr, false);
			res = *ptr;
		} else {
			set_scalar(st, dst, vn_top(), idx);
			return;
		}
	}
	if (vn_is_const(sc->v)) {
		int64_t k = (int64_t)sc->v.u64.lo;
		if (sem == ISA_SEM_SUB)
			k = -k;
		if (k >= MAX_VAR_OFF || k <= -MAX_VAR_OFF || res.off + k >= MAX_VAR_OFF ||
		    res.off + k <= -MAX_VAR_OFF) {
			vf_report(ctx, idx, "VF-POINTER-ARITH", false, "pointer offset %lld is out of range",
			          (long long)(res.off + k));
			set_scalar(st, dst, vn_top(), idx);
			return;
		}
		res.off += k;
		memcpy(res.dl, ptr->dl, sizeof(res.dl));
		vf_reg_delta_add(&res, k, k);
		vf_unpriv_ptr_arith(ctx, idx, dst, sc, sc_reg, &res);
		st->r[dst] = res;
		return;
	}
	if (ptr->type == VT_CTX) {
		struct vf_finding *f = vf_report(ctx, idx, "VF-POINTER-ARITH", false,
		                                 "variable offset added to the context pointer r%d", ptr_reg);
		note_reg(ctx, f, st, sc_reg);
		set_scalar(st, dst, vn_top(), idx);
		return;
	}
	if (sc->v.s64.lo <= -MAX_VAR_OFF || (sem == ISA_SEM_SUB && sc->v.s64.hi >= MAX_VAR_OFF)) {
		struct vf_finding *f =
		    vf_report(ctx, idx, ptr->type == VT_PKT ? "VF-PACKET-BOUNDS" : "VF-POINTER-ARITH", false,
		              "r%d added to pointer r%d is unbounded (%s): bound it first", sc_reg, ptr_reg,
		              sc->v.s64.lo == INT64_MIN ? "no lower bound" : "out of range");
		note_reg(ctx, f, st, sc_reg);
		/* keep the pointer type so later accesses are still checked, with an unbounded offset */
	}
	res.v = vn_alu(sem, true, res.v, sc->v);
	if (res.type == VT_PKT || res.type == VT_PKT_META) {
		res.pid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		res.pkt_range = 0;
	}
	vf_reg_delta_clear(&res);
	vf_unpriv_ptr_arith(ctx, idx, dst, sc, sc_reg, &res);
	st->r[dst] = res;
}

/* The largest 2^k - 1 whose bits are all set in m. */
static uint64_t low_ones(uint64_t m)
{
	return m == UINT64_MAX ? m : (m ^ (m + 1)) >> 1;
}

static void do_alu(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, const struct isa_slot *s,
                   const struct isa_entry *e)
{
	bool is64 = e->cls == ISA_CLS_ALU64;
	unsigned sem = e->sem;
	int dst = s->dst;
	if (dst == 10) {
		vf_report(ctx, idx, "VF-WRITE-R10", false, "r10 (the frame pointer) is read-only");
		return;
	}
	/* The table says whether src is a register: be16/32/64 (0xdc) set the X bit but read none. */
	bool use_src = e->rule[ISA_FIELD_SRC] == ISA_RULE_REG;
	struct vf_reg srcv;
	if (use_src) {
		check_init(ctx, st, idx, s->src);
		srcv = st->r[s->src];
	} else {
		vf_reg_scalar(&srcv, vn_const(is64 ? (uint64_t)(int64_t)s->imm : (uint64_t)(uint32_t)s->imm));
	}
	struct vf_reg *d = &st->r[dst];
	switch (sem) {
	case ISA_SEM_MOV:
		if (!is64 && vf_reg_is_ptr(&srcv)) {
			vf_report(ctx, idx, "VF-POINTER-LEAK", true,
			          "32-bit copy of pointer r%d makes it a number", s->src);
			set_scalar(st, dst, vn_urange(0, UINT32_MAX), idx);
			return;
		}
		if (srcv.type == VT_UNUSABLE) {
			*d = srcv;
			return;
		}
		if (is64) {
			if (use_src && srcv.type == VT_SCALAR && s->src != dst) {
				/* the copy and the original are linked: a comparison on one refines both */
				if (!srcv.nid)
					srcv.nid = st->r[s->src].nid =
					    0x20000000u | (++ctx->id_gen & 0x1fffffffu);
			}
			*d = srcv;
			if (!use_src)
				d->origin = idx + 1;
		} else {
			struct vf_scalar v = vn_trunc(srcv.v, 4);
			if (use_src && srcv.type == VT_SCALAR && srcv.v.u64.hi <= UINT32_MAX) {
				/* the value fits 32 bits: the truncation is a copy, and stays linked */
				if (s->src != dst && !srcv.nid)
					srcv.nid = st->r[s->src].nid =
					    0x20000000u | (++ctx->id_gen & 0x1fffffffu);
				*d = srcv;
				return;
			}
			struct vf_reg nr;
			vf_reg_scalar(&nr, v);
			nr.origin = idx + 1;
			if (use_src && vn_eq(v, srcv.v))
				memcpy(nr.dl, srcv.dl, sizeof(nr.dl));
			*d = nr;
		}
		return;
	case ISA_SEM_MOVSX: {
		unsigned bits = (unsigned)s->off;
		if (vf_reg_is_ptr(&srcv) || srcv.type == VT_UNUSABLE) {
			vf_report(ctx, idx, "VF-POINTER-ARITH", false, "sign extension of pointer r%d",
			          s->src);
			set_scalar(st, dst, vn_top(), idx);
			return;
		}
		struct vf_scalar v = vn_sext(srcv.v, bits);
		if (!is64)
			v = vn_trunc(v, 4);
		set_scalar(st, dst, v, idx);
		return;
	}
	case ISA_SEM_ADDR_SPACE_CAST:
		vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		          "addr_space_cast (arena pointers) is not supported by "
		          "bpfcheck yet");
		set_scalar(st, dst, vn_top(), idx);
		return;
	default: break;
	}
	check_init(ctx, st, idx, dst);
	if (sem == ISA_SEM_NEG || sem == ISA_SEM_LE || sem == ISA_SEM_BE || sem == ISA_SEM_BSWAP) {
		if (d->type != VT_SCALAR) {
			if (vf_reg_is_ptr(d) || d->type == VT_UNUSABLE)
				vf_report(ctx, idx, "VF-POINTER-ARITH", false,
				          "%s on pointer r%d is not allowed", isa_sem_name(sem), dst);
			set_scalar(st, dst, vn_top(), idx);
			return;
		}
		struct vf_scalar v = d->v;
		unsigned bits = (unsigned)s->imm;
		if (sem == ISA_SEM_NEG) {
			v = vn_alu(ISA_SEM_NEG, is64, v, vn_const(0));
		} else if (sem == ISA_SEM_LE) {
			v = vn_trunc(v, bits / 8);
		} else if (vn_is_const(v) && (bits == 16 || bits == 32 || bits == 64)) {
			uint64_t x = v.u64.lo;
			x = bits == 16   ? __builtin_bswap16((uint16_t)x)
			    : bits == 32 ? __builtin_bswap32((uint32_t)x)
			                 : __builtin_bswap64(x);
			v = vn_const(x);
		} else {
			v = bits >= 64 ? vn_top() : vn_urange(0, (UINT64_C(1) << bits) - 1);
		}
		set_scalar(st, dst, v, idx);
		return;
	}
	if (!use_src && s->imm == 0 &&
	    (sem == ISA_SEM_DIV || sem == ISA_SEM_MOD || sem == ISA_SEM_SDIV || sem == ISA_SEM_SMOD)) {
		vf_report(ctx, idx, "VF-DIV-BY-ZERO", false, "division by the constant zero");
		set_scalar(st, dst, vn_top(), idx);
		return;
	}
	if (d->type == VT_UNUSABLE || srcv.type == VT_UNUSABLE) {
		vf_report(ctx, idx, "VF-POINTER-ARITH", false,
		          "r%d has a different type on different paths (pointer on one, not on another)",
		          d->type == VT_UNUSABLE ? dst : s->src);
		set_scalar(st, dst, vn_top(), idx);
		return;
	}
	bool dp = vf_reg_is_ptr(d), sp = vf_reg_is_ptr(&srcv);
	if (dp && sp) {
		/* Linux (allow_ptr_leaks): the difference of two pointers is a number, for root only */
		if (sem == ISA_SEM_SUB && is64 && (d->type == srcv.type || ctx->opts->privileged)) {
			if (!ctx->opts->privileged)
				vf_report(ctx, idx, "VF-POINTER-ARITH", false,
				          "the difference of two pointers needs privileges (r%d %s, r%d %s)",
				          dst, vf_rtype_name(d->type), s->src, vf_rtype_name(srcv.type));
			set_scalar(st, dst, vn_top(), idx);
			return;
		}
		vf_report(ctx, idx, "VF-POINTER-ARITH", false, "%s between pointers r%d (%s) and r%d (%s)",
		          isa_sem_name(sem), dst, vf_rtype_name(d->type), s->src, vf_rtype_name(srcv.type));
		set_scalar(st, dst, vn_top(), idx);
		return;
	}
	if (dp) {
		struct vf_reg ptr = *d;
		do_ptr_arith(ctx, st, idx, dst, &ptr, &srcv, sem, is64, dst, use_src ? s->src : -1);
		return;
	}
	if (sp) {
		if (sem != ISA_SEM_ADD) {
			vf_report(ctx, idx, "VF-POINTER-ARITH", false, "%s with pointer r%d as operand",
			          isa_sem_name(sem), s->src);
			set_scalar(st, dst, vn_top(), idx);
			return;
		}
		struct vf_reg sc = *d;
		struct vf_reg ptr = srcv;
		do_ptr_arith(ctx, st, idx, dst, &ptr, &sc, sem, is64, s->src, dst);
		return;
	}
	if (sem == ISA_SEM_AND && vn_is_const(srcv.v) && d->v.u64.hi <= low_ones(srcv.v.u64.lo) &&
	    (is64 || d->v.u64.hi <= UINT32_MAX))
		return; /* a mask that keeps every bit the value may have: the register is unchanged
		           (and keeps its links: a compare on it still refines its copies) */
	struct vf_reg before = *d;
	struct vf_scalar v = vn_alu(sem, is64, d->v, srcv.v);
	vf_reg_scalar(d, v);
	d->origin = idx + 1;
	alu_delta(d, &before, sem, is64, srcv.v);
}

/* ---- branches ---- */

/* "a op b" with operands swapped: b op' a. */
static unsigned swap_op(unsigned sem)
{
	switch (sem) {
	case ISA_SEM_JGT: return ISA_SEM_JLT;
	case ISA_SEM_JLT: return ISA_SEM_JGT;
	case ISA_SEM_JGE: return ISA_SEM_JLE;
	case ISA_SEM_JLE: return ISA_SEM_JGE;
	case ISA_SEM_JSGT: return ISA_SEM_JSLT;
	case ISA_SEM_JSLT: return ISA_SEM_JSGT;
	case ISA_SEM_JSGE: return ISA_SEM_JSLE;
	case ISA_SEM_JSLE: return ISA_SEM_JSGE;
	default: return sem;
	}
}

struct link_mark {
	uint32_t nid;
	struct vf_scalar v;
};

static void link_fn(struct vf_reg *r, void *arg)
{
	const struct link_mark *m = arg;
	if (r->type == VT_SCALAR && r->nid == m->nid) {
		bool e;
		r->v = vn_meet(r->v, m->v, &e);
	}
}

/* The refined value of a register holds for every copy linked to it. */
static void link_refine(struct vf_state *st, int regno)
{
	const struct vf_reg *R = &st->r[regno];
	if (R->type != VT_SCALAR || !R->nid)
		return;
	struct link_mark m = {R->nid, R->v};
	for_each_reg(st, link_fn, &m);
}

void vf_link_refine(struct vf_state *st, int regno)
{
	link_refine(st, regno);
}

/* Narrows the scalar operands of st to "a op b" holding (the domains' branch refinement);
 * false when it cannot hold. */
static bool apply_scalar_cond(struct vf_state *st, int cmp, bool is32, int ra, int rb,
                              struct vf_scalar bconst)
{
	struct vf_scalar a = st->r[ra].v;
	struct vf_scalar b = rb >= 0 ? st->r[rb].v : bconst;
	if (!vf_scalar_assume((enum vf_cmp)cmp, !is32, &a, &b))
		return false;
	st->r[ra].v = a;
	link_refine(st, ra);
	if (rb >= 0) {
		st->r[rb].v = b;
		link_refine(st, rb);
	}
	return true;
}

static bool is_zero_const(const struct vf_reg *r)
{
	return r->type == VT_SCALAR && vn_is_const(r->v) && r->v.u64.lo == 0;
}

/* A pointer compared with 0 or with another pointer; refines taken (cond true) and fall (false).
 * Returns false if this is not a pointer comparison. */
static bool pointer_cond(struct vf_actx *ctx, uint32_t idx, struct vf_state *taken, struct vf_state *fall,
                         unsigned sem, int ra, int rb, bool imm_zero, bool is32, bool *t_ok, bool *f_ok)
{
	struct vf_reg *A = &fall->r[ra];
	const struct vf_reg *B = rb >= 0 ? &fall->r[rb] : NULL;
	bool ap = vf_reg_is_ptr(A), bp = B && vf_reg_is_ptr(B);
	bool bzero = imm_zero || (B && is_zero_const(B));
	bool azero = is_zero_const(A);
	if (!ap && !bp)
		return false;
	if (!ctx->opts->privileged) {
		/* Linux without allow_ptr_leaks: a pointer may only be NULL-checked (a nullable one,
		 * against the constant 0) or compared with another packet pointer */
		bool pkt_pair = B && (A->type == VT_PKT || A->type == VT_PKT_END || A->type == VT_PKT_META) &&
		                (B->type == VT_PKT || B->type == VT_PKT_END || B->type == VT_PKT_META);
		bool null_check = ap && !bp && bzero && !is32 && (sem == ISA_SEM_JEQ || sem == ISA_SEM_JNE) &&
		                  (A->type == VT_MAP_VALUE_OR_NULL || A->type == VT_MEM_OR_NULL ||
		                   A->type == VT_MAP_PTR_OR_NULL || A->type == VT_BTF_PTR_OR_NULL ||
		                   vf_sock_nullable(A->type));
		if (!pkt_pair && !null_check) {
			struct vf_finding *f = vf_report(
			    ctx, idx, "VF-POINTER-COMPARE", false,
			    "r%d (%s) is compared: unprivileged loads may only NULL-check a pointer "
			    "that may be NULL or compare packet pointers",
			    bp ? rb : ra, vf_rtype_name(bp ? B->type : A->type));
			note_reg(ctx, f, fall, bp ? rb : ra);
			return true;
		}
	}
	if (is32) {
		vf_report(ctx, idx, "VF-POINTER-COMPARE", true, "32-bit comparison of a pointer");
		return true;
	}
	/* pointer vs NULL */
	if ((ap && bzero) || (bp && azero)) {
		int preg = ap ? ra : rb;
		struct vf_reg *P = &fall->r[preg];
		bool nullable = P->type == VT_MAP_VALUE_OR_NULL || P->type == VT_MEM_OR_NULL ||
		                P->type == VT_MAP_PTR_OR_NULL || P->type == VT_BTF_PTR_OR_NULL ||
		                vf_sock_nullable(P->type);
		unsigned eq_sem = sem;
		if (eq_sem != ISA_SEM_JEQ && eq_sem != ISA_SEM_JNE) {
			/* ordering against NULL: only "p > 0"/"p != 0" style make sense; no refinement */
			return true;
		}
		bool taken_is_null = eq_sem == ISA_SEM_JEQ;
		if (!nullable) {
			/* Linux decides the branch only for pointers it knows non-NULL (map values and
			 * helper memory); for the context, stack and packet it follows both ways */
			if (P->type != VT_MAP_VALUE && P->type != VT_MEM)
				return true;
			if (taken_is_null)
				*t_ok = false;
			else
				*f_ok = false;
			return true;
		}
		mark_reg_null(taken, &taken->r[preg], taken_is_null);
		mark_reg_null(fall, &fall->r[preg], !taken_is_null);
		return true;
	}
	/* packet pointer against packet end */
	if (B &&
	    ((A->type == VT_PKT && B->type == VT_PKT_END) || (A->type == VT_PKT_END && B->type == VT_PKT))) {
		int pr = A->type == VT_PKT ? ra : rb;
		unsigned s2 = A->type == VT_PKT ? sem : swap_op(sem); /* now "pkt s2 end" */
		/* which outcome proves pkt <= end (or pkt < end)? */
		struct vf_state *good = NULL, *bad = NULL;
		switch (s2) {
		case ISA_SEM_JGT:
		case ISA_SEM_JGE: /* not (pkt > end): in bounds */
			good = fall;
			bad = taken;
			break;
		case ISA_SEM_JLT:
		case ISA_SEM_JLE:
			good = taken;
			bad = fall;
			break;
		default: break;
		}
		/* a pointer already known past the end (a comparison repeated) decides the branch:
		 * pkt > end decides every order; pkt >= end only the strict ones (pkt >= end, pkt <
		 * end), since pkt == end passes "pkt <= end" and fails "pkt > end" (Linux AT_PKT_END) */
		bool strict = s2 == ISA_SEM_JGE || s2 == ISA_SEM_JLT; /* good side: pkt < end */
		int32_t known = fall->r[pr].pkt_range;
		if (good && (known == VF_PKT_BEYOND || (known == VF_PKT_AT_END && strict))) {
			if (good == fall)
				*f_ok = false;
			else
				*t_ok = false;
			return true;
		}
		if (!is32)
			vf_zt_pkt_cond(good, bad, pr, s2);
		if (bad && bad->r[pr].off > 0 && bad->r[pr].pkt_range < bad->r[pr].off &&
		    bad->r[pr].pkt_range != VF_PKT_BEYOND)
			/* this pointer (only) is past the end: pkt > end, or pkt >= end after a strict test
			 */
			bad->r[pr].pkt_range = strict ? VF_PKT_AT_END : VF_PKT_BEYOND;
		if (good) {
			struct vf_reg *P = &good->r[pr];
			/* data + off + var <= data_end <= data + 64 KiB (Linux MAX_PACKET_OFF): the
			 * variable part, shared by every copy, is bounded above; a pointer walking the
			 * packet then keeps a bounded offset through widening */
			if (P->pid && P->off >= 0 && P->off < 0xffff) {
				struct pkt_cap c = {P->pid, 0xffff - P->off};
				for_each_reg(good, pkt_cap_fn, &c);
			}
			if (P->off > 0 && P->off < 0xffff && P->v.u64.hi < 0xffff) {
				struct pkt_mark m = {P->pid, (int32_t)P->off};
				for_each_reg(good, pkt_range_fn, &m);
			}
		}
		return true;
	}
	bool meta_pair = B && vf_zt_pkt_type(A->type) && vf_zt_pkt_type(B->type);
	if (meta_pair && !is32)
		vf_zt_pkt_pair(taken, fall, ra, rb, sem);
	if (B && (A->type == B->type || (ap && bp))) {
		if (!(ap && bp && A->type == B->type) && !meta_pair)
			vf_report(ctx, idx, "VF-POINTER-COMPARE", true,
			          "comparison of r%d (%s) with r%d (%s)", ra, vf_rtype_name(A->type), rb,
			          B ? vf_rtype_name(B->type) : "imm");
		return true;
	}
	vf_report(ctx, idx, "VF-POINTER-COMPARE", true, "comparison of pointer r%d with a number",
	          ap ? ra : rb);
	return true;
}

/* ---- helper calls ---- */

static bool arg_is_ptr_to_mem(uint8_t t)
{
	return t == VT_STACK || t == VT_MAP_VALUE || t == VT_PKT || t == VT_MEM || t == VT_PKT_META;
}

static int do_helper(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, int32_t id,
                     struct vf_succ out[2])
{
	struct vf_helper hh;
	const struct vf_helper *h = &hh;
	int status = vf_helper_get(ctx->plat, id, &hh);
	if (status == PLAT_HELPER_UNKNOWN) {
		vf_report(ctx, idx, "VF-HELPER-UNKNOWN", false, "call of unknown helper #%d", id);
		return 0;
	}
	if (status == PLAT_HELPER_NO_PROTO || h->unsupported_arg || h->unsupported_ret) {
		struct vf_finding *f = vf_report(
		    ctx, idx, "VF-HELPER-UNKNOWN", false,
		    "bpf_%s (#%d) is not supported by bpfcheck yet (%s%s)", h->name ? h->name : "?", id,
		    status == PLAT_HELPER_NO_PROTO ? "no prototype in the platform description"
		    : h->unsupported_arg           ? "argument kind "
		                                   : "return kind ",
		    status == PLAT_HELPER_NO_PROTO ? ""
		    : h->unsupported_arg           ? h->unsupported_arg
		                                   : h->unsupported_ret);
		if (f)
			vf_finding_set_hint(f,
			                    "the call is not analysed, so the program cannot be shown safe");
		return 0;
	}
	if (ctx->pt && !plat_helper_allowed(ctx->pt->plat, (uint32_t)id, ctx->opts->privileged)) {
		vf_report(ctx, idx, "VF-HELPER-UNAVAILABLE", false, "%s programs cannot call bpf_%s (#%d)%s",
		          ctx->pt->name, h->name, id, ctx->opts->privileged ? "" : " without privileges");
	}
	bool is_lock = strcmp(h->name, "spin_lock") == 0, is_unlock = strcmp(h->name, "spin_unlock") == 0;
	/* the sk_lookup variant of bpf_sk_assign takes a socket or NULL (platform note) */
	if (ctx->pt && strcmp(ctx->pt->name, "sk_lookup") == 0 && strcmp(h->name, "sk_assign") == 0)
		hh.nullable[1] = 1;
	if (strcmp(h->name, "tail_call") == 0 && st->lock) {
		struct vf_finding *f =
		    vf_report(ctx, idx, "VF-TAIL-CALL", false, "bpf_tail_call while %s a bpf_spin_lock",
		              st->lock == VF_LOCK_MAYBE ? "possibly holding" : "holding");
		if (f)
			vf_finding_set_hint(f, "call bpf_spin_unlock first");
	} else if (!is_lock && !is_unlock) {
		char what[64];
		snprintf(what, sizeof(what), "call of bpf_%s", h->name);
		vf_lock_check_held(ctx, st, idx, what);
	}
	vf_kfunc_check_helper(ctx, st, idx, id);
	if (strcmp(h->name, "tail_call") == 0 && st->nframes > 1 && ctx->fdepth && ctx->cfg) {
		/* Linux check_max_stack_depth: a subprogram with a tail call must be reached with less
		 * than 256 bytes of stack in the frames below it (each rounded up to 32 bytes) */
		uint32_t below = 0;
		for (uint32_t f = 0; f + 1 < st->nframes; f++) {
			uint32_t fi = vf_cfg_func_of(ctx->cfg, st->fr[f]->func_start);
			uint32_t d = fi != VF_NONE ? ctx->fdepth[fi] : st->fr[f]->depth;
			below += ((d ? d : 1) + 31) & ~31u;
		}
		if (below >= 256)
			vf_report(ctx, idx, "VF-TAIL-CALL", false,
			          "bpf_tail_call in a subprogram called with %u bytes of stack in the frames "
			          "below it: Linux allows tail calls from subprograms only below 256 bytes",
			          below);
	}
	if (strcmp(h->name, "tail_call") == 0)
		for (uint32_t i = 0; i < st->nrefs; i++) {
			struct vf_finding *f =
			    vf_report(ctx, idx, "VF-TAIL-CALL", false,
			              "bpf_tail_call while holding the reference acquired at instruction %u: "
			              "a successful tail call never returns, so it would leak",
			              st->refs[i] - 1);
			if (f)
				vf_finding_add_related(f, st->refs[i] - 1, "the reference was acquired here");
		}
	int map_reg = -1, sock_reg = -1;
	uint32_t kptr_handle = 0;
	uint64_t key_size = 0, value_size = 0;
	uint64_t alloc_size = 0;
	uint32_t cb_target = VF_NONE_SLOT;
	for (int i = 0; i < 5 && h->args[i]; i++) {
		int r = i + 1;
		struct vf_reg *R = &st->r[r];
		uint8_t k = h->args[i];
		if (R->type == VT_UNINIT) {
			vf_report(ctx, idx, "VF-UNINIT-REG", false,
			          "argument r%d of bpf_%s is not initialised", r, h->name);
			vf_reg_unknown(R);
			continue;
		}
		struct vf_finding *f = NULL;
		bool bad_size = false;
		switch (k) {
		case A_ANY: break;
		case A_CTX:
			if (R->type != VT_CTX || R->off != 0 || !vn_is_const(R->v) || R->v.u64.lo != 0)
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              "argument r%d of bpf_%s must be the context pointer", r,
				              h->name);
			break;
		case A_MAP:
			if (R->type != VT_MAP_PTR) {
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              R->type == VT_MAP_PTR_OR_NULL
				                  ? "argument r%d of bpf_%s may be NULL (the inner map of a "
				                    "lookup): check it"
				                  : "argument r%d of bpf_%s must be a map (lddw of a map)",
				              r, h->name);
			} else {
				map_reg = r;
				const struct bpfc_map *m = map_of(ctx, R);
				if (m) {
					key_size = m->key_size;
					value_size = m->value_size;
					if (!plat_map_helper_ok(ctx->plat, m->type, (uint32_t)id))
						f = vf_report(
						    ctx, idx, "VF-HELPER-ARG", false,
						    "bpf_%s cannot be used with map '%s' of type %u", h->name,
						    m->name ? m->name : "?", m->type);
				}
			}
			break;
		case A_MAP_KEY:
		case A_MAP_VALUE:
		case A_MEM:
		case A_UNINIT_MEM: {
			uint64_t lo, hi;
			if (k == A_MAP_KEY || k == A_MAP_VALUE) {
				lo = hi = k == A_MAP_KEY ? key_size : value_size;
				if (map_reg < 0)
					break;
			} else if (!h->size_arg[i]) {
				lo = hi = h->fixed[i];
			} else {
				int sr = h->size_arg[i];
				struct vf_reg *S = &st->r[sr];
				if (S->type != VT_SCALAR) {
					if (S->type == VT_UNINIT)
						check_init(ctx, st, idx, sr);
					else
						f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
						              "size argument r%d of bpf_%s must be a number",
						              sr, h->name);
					break;
				}
				if (S->v.s64.lo < 0) {
					bad_size = true;
					f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
					              "size argument r%d of bpf_%s may be negative (min "
					              "%lld): bound it",
					              sr, h->name, (long long)S->v.s64.lo);
					note_reg(ctx, f, st, sr);
					break;
				}
				lo = S->v.u64.lo;
				hi = S->v.u64.hi;
				if (hi >= (UINT64_C(1) << 29)) {
					bad_size = true;
					f = vf_report(
					    ctx, idx, "VF-HELPER-ARG", false,
					    "size argument r%d of bpf_%s is unbounded (max %llu): bound it",
					    sr, h->name, (unsigned long long)hi);
					note_reg(ctx, f, st, sr);
					break;
				}
			}
			if (hi == 0)
				break;
			if (is_zero_const(R) && (lo == 0 || h->nullable[i]))
				break; /* NULL where NULL (or a zero size) is accepted */
			if (!arg_is_ptr_to_mem(R->type) && R->type != VT_MAP_VALUE_OR_NULL &&
			    R->type != VT_MEM_OR_NULL) {
				char d[160];
				vf_describe_reg(ctx, R, d, sizeof(d));
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              "argument r%d of bpf_%s must point to memory (stack, map "
				              "value, packet): %s",
				              r, h->name, d);
				break;
			}
			struct access a = {0};
			a.idx = idx;
			a.regno = r;
			a.size_lo = lo;
			a.size_hi = hi;
			a.acc = k == A_UNINIT_MEM ? ACC_WRITE : ACC_READ;
			a.helper = true;
			access_mem(ctx, st, &a);
			break;
		}
		case A_SIZE: break;
		case A_SPIN_LOCK: f = vf_lock_call(ctx, st, idx, r, is_lock, h->name); break;
		case A_KPTR: f = vf_kptr_xchg_dest(ctx, st, idx, r, &kptr_handle); break;
		case A_BTF_ID: {
			if (h->args[0] != A_KPTR) {
				f = vf_btf_arg(ctx, st, idx, r, h->name,
				               h->btf_type[i] ? h->btf_type[i] : "?", h->nullable[i]);
				break;
			}
			uint32_t ref = 0;
			f = vf_kptr_xchg_src(ctx, st, idx, r, kptr_handle, &ref);
			if (ref) { /* moved into the map: every copy is gone */
				vf_state_del_ref(st, ref);
				for_each_reg(st, ref_invalidate_fn, &ref);
			}
			break;
		}
		case A_BTF_SOCK_COMMON:
		case A_SOCK_COMMON: {
			char d[160];
			vf_describe_reg(ctx, R, d, sizeof(d));
			if (k == A_BTF_SOCK_COMMON && !h->release && vf_btf_is_sock_common(ctx, R))
				break;
			if (h->nullable[i] && !h->release && (is_zero_const(R) || vf_sock_nullable(R->type)))
				break;
			if (vf_sock_nullable(R->type)) {
				f = vf_report(
				    ctx, idx, "VF-HELPER-ARG", false,
				    "argument r%d of bpf_%s may be NULL (%s): check it against NULL "
				    "first",
				    r, h->name, d);
				note_reg(ctx, f, st, r);
				f = NULL;
				mark_reg_null(st, R, false);
			}
			if (!vf_sock_type(R->type)) {
				f = vf_report(
				    ctx, idx, h->release ? "VF-REF-RELEASE" : "VF-HELPER-ARG", false,
				    "argument r%d of bpf_%s must be a socket pointer%s: %s", r, h->name,
				    R->type == VT_UNUSABLE ? " (released already, or not a socket on "
				                             "every path)"
				                           : "",
				    d);
				break;
			}
			sock_reg = r;
			if (!h->release)
				break;
			if (!R->ref || !vf_state_has_ref(st, R->ref)) {
				f = vf_report(
				    ctx, idx, "VF-REF-RELEASE", false,
				    R->ref ? "bpf_%s: the socket in r%d was released already"
				           : "bpf_%s: the socket in r%d was not acquired by the program "
				             "(only sockets from a lookup may be released)",
				    h->name, r);
				break;
			}
			uint32_t ref = R->ref;
			vf_state_del_ref(st, ref);
			for_each_reg(st, ref_invalidate_fn, &ref);
			break;
		}
		case A_CONST_STR: {
			const struct bpfc_map *m = R->type == VT_MAP_VALUE ? map_of(ctx, R) : NULL;
			if (!m || m->kind != BPFC_MAP_RODATA)
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              "argument r%d of bpf_%s must point to a constant string in a "
				              "read-only map",
				              r, h->name);
			break;
		}
		case A_ALLOC_SIZE:
			if (R->type != VT_SCALAR || !vn_is_const(R->v))
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              "size argument r%d of bpf_%s must be a known constant", r,
				              h->name);
			else
				alloc_size = R->v.u64.lo;
			break;
		case A_FUNC:
			if (R->type != VT_FUNC)
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              "argument r%d of bpf_%s must be the address of a function", r,
				              h->name);
			else
				cb_target = R->size;
			break;
		case A_STACK_OR_NULL:
			if (!(R->type == VT_STACK || is_zero_const(R) || R->type == VT_MAP_VALUE ||
			      R->type == VT_CTX))
				f = vf_report(ctx, idx, "VF-HELPER-ARG", false,
				              "argument r%d of bpf_%s must be a stack pointer or NULL", r,
				              h->name);
			break;
		case A_RINGBUF_MEM:
			if (R->type != VT_MEM || !R->ref) {
				f = vf_report(
				    ctx, idx, "VF-REF-RELEASE", false,
				    "bpf_%s needs a reserved ring-buffer record in r%d (null-checked)",
				    h->name, r);
			} else if (R->off != 0 || !vn_is_const(R->v) || R->v.u64.lo != 0) {
				f = vf_report(ctx, idx, "VF-REF-RELEASE", false,
				              "bpf_%s needs the record pointer as reserved (offset 0)",
				              h->name);
			} else if (!vf_state_has_ref(st, R->ref)) {
				f = vf_report(ctx, idx, "VF-REF-RELEASE", false,
				              "the record in r%d was already released", r);
			} else {
				uint32_t ref = R->ref;
				vf_state_del_ref(st, ref);
				for_each_reg(st, ref_invalidate_fn, &ref);
			}
			break;
		default: break;
		}
		if (f)
			note_reg(ctx, f, st, r);
		if (bad_size && k == A_UNINIT_MEM && R->type == VT_STACK && vn_is_const(R->v)) {
			/* one finding per root cause: the buffer counts as written */
			int64_t lo = R->off + (int64_t)R->v.u64.lo;
			struct vf_frame *fr =
			    vf_frame_mut(st, R->frame < st->nframes ? R->frame : st->nframes - 1);
			if (fr && lo >= -VF_STACK_SIZE && lo < 0)
				stack_mark(fr, lo, -lo, SB_MISC);
		}
	}
	/* result */
	struct vf_reg r0;
	vf_reg_unknown(&r0);
	r0.origin = idx + 1;
	switch (h->ret) {
	case R_INT:
		if (h->has_range)
			r0.v = vn_srange(h->ret_min, h->ret_max);
		if (h->ret_max_arg >= 1 && h->ret_max_arg <= 5 && st->r[h->ret_max_arg].type == VT_SCALAR) {
			bool e;
			r0.v =
			    vn_meet(r0.v,
			            vn_srange(INT64_MIN, st->r[h->ret_max_arg].v.u64.hi > (uint64_t)INT64_MAX
			                                     ? INT64_MAX
			                                     : (int64_t)st->r[h->ret_max_arg].v.u64.hi),
			            &e);
		}
		break;
	case R_VOID:
	case R_UNSUPPORTED: break;
	case R_MAP_VALUE:
		if (map_reg >= 0) {
			memset(&r0, 0, sizeof(r0));
			r0.type = VT_MAP_VALUE;
			r0.map = st->r[map_reg].map;
			r0.v = vn_const(0);
			r0.origin = idx + 1;
		}
		break;
	case R_MAP_VALUE_OR_NULL:
		if (map_reg >= 0) {
			const struct bpfc_map *m = map_of(ctx, &st->r[map_reg]);
			const struct plat_map_type *mt = m ? plat_map_type_by_id(ctx->plat, m->type) : NULL;
			if (mt && mt->lookup == PLAT_LOOKUP_INNER_MAP) {
				/* map-in-map: the inner map (its template), or NULL */
				memset(&r0, 0, sizeof(r0));
				if (m->inner_map < 0 || (size_t)m->inner_map >= ctx->map_cnt) {
					vf_report(
					    ctx, idx, "VF-BAD-MAP-REF", false,
					    "map '%s' holds maps but its inner map template is not known",
					    m->name ? m->name : "?");
					vf_reg_unknown(&r0);
					break;
				}
				r0.type = VT_MAP_PTR_OR_NULL;
				r0.map = (uint16_t)m->inner_map;
				r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
				r0.v = vn_const(0);
				r0.origin = idx + 1;
				break;
			}
			if (mt && mt->lookup == PLAT_LOOKUP_SOCKET) {
				/* sockmap/sockhash: a socket reference to release, or NULL */
				memset(&r0, 0, sizeof(r0));
				r0.type = VT_SOCK_OR_NULL;
				r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
				r0.v = vn_const(0);
				r0.origin = idx + 1;
				r0.ref = idx + 1;
				if (!vf_state_add_ref(st, r0.ref))
					vf_report(ctx, idx, "VF-LIMIT-REACHED", false,
					          "more than %d references held at once", VF_MAX_REFS);
				break;
			}
			if (mt && mt->lookup == PLAT_LOOKUP_XDP_SOCK) {
				vf_report(
				    ctx, idx, "VF-HELPER-UNKNOWN", false,
				    "lookups in map '%s' return sockets, which bpfcheck does not model yet",
				    m->name ? m->name : "?");
				memset(&r0, 0, sizeof(r0));
				r0.type = VT_UNUSABLE;
				break;
			}
			memset(&r0, 0, sizeof(r0));
			r0.type = VT_MAP_VALUE_OR_NULL;
			r0.map = st->r[map_reg].map;
			r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
			r0.v = vn_const(0);
			r0.origin = idx + 1;
		}
		break;
	case R_MEM_OR_NULL:
		memset(&r0, 0, sizeof(r0));
		r0.type = VT_MEM_OR_NULL;
		r0.size = (uint32_t)(alloc_size > UINT32_MAX ? UINT32_MAX : alloc_size);
		r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		r0.v = vn_const(0);
		r0.origin = idx + 1;
		if (h->acquire) {
			r0.ref = idx + 1;
			if (!vf_state_add_ref(st, r0.ref))
				vf_report(ctx, idx, "VF-LIMIT-REACHED", false,
				          "more than %d references held at once", VF_MAX_REFS);
		}
		break;
	case R_SOCK_OR_NULL:
	case R_SOCK_COMMON_OR_NULL:
	case R_TCP_SOCK_OR_NULL:
		memset(&r0, 0, sizeof(r0));
		r0.type = vf_sock_ret_type(h->ret);
		r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		r0.v = vn_const(0);
		r0.origin = idx + 1;
		if (h->acquire) {
			r0.ref = idx + 1;
			if (!vf_state_add_ref(st, r0.ref))
				vf_report(ctx, idx, "VF-LIMIT-REACHED", false,
				          "more than %d references held at once", VF_MAX_REFS);
		} else if (sock_reg >= 0 && st->r[sock_reg].ref &&
		           (strcmp(h->name, "sk_fullsock") == 0 || strcmp(h->name, "tcp_sock") == 0)) {
			/* a view of the argument: the same reference, released with it */
			r0.ref = st->r[sock_reg].ref;
			r0.size = VF_SOCK_DERIVED;
		}
		break;
	case R_BTF:
	case R_BTF_OR_NULL:
		/* a kernel struct the platform names (bpf_skc_to_tcp_sock, bpf_get_current_task_btf) */
		memset(&r0, 0, sizeof(r0));
		r0.type = h->ret == R_BTF ? VT_BTF_PTR : VT_BTF_PTR_OR_NULL;
		r0.size = VF_BTF_HELPER(id);
		if (h->ret == R_BTF_OR_NULL)
			r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		r0.v = vn_const(0);
		r0.origin = idx + 1;
		break;
	case R_KPTR_OR_NULL:
		/* the old value of the kptr, acquired: released or stored back before the exit */
		memset(&r0, 0, sizeof(r0));
		r0.type = VT_BTF_PTR_OR_NULL;
		r0.size = kptr_handle;
		r0.frame = vf_kptr_xchg_flags(ctx, kptr_handle);
		r0.nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		r0.v = vn_const(0);
		r0.origin = idx + 1;
		if (!kptr_handle) {
			vf_reg_unknown(&r0); /* the destination was reported */
			break;
		}
		r0.ref = idx + 1;
		if (!vf_state_add_ref(st, r0.ref))
			vf_report(ctx, idx, "VF-LIMIT-REACHED", false, "more than %d references held at once",
			          VF_MAX_REFS);
		break;
	}
	if (h->changes_pkt)
		for_each_reg(st, pkt_invalidate_fn, NULL);
	struct vf_reg args_copy[6];
	memcpy(args_copy, st->r, sizeof(args_copy));
	for (int i = 1; i <= 5; i++)
		vf_reg_uninit(&st->r[i]);
	st->r[0] = r0;
	if (h->callback && cb_target != VF_NONE_SLOT) {
		/* zero or more calls: continue after the call, and enter the callback */
		struct vf_state *cb = vf_state_dup(st);
		if (!cb) {
			ctx->nomem = true;
			out[0].slot = idx + 1;
			out[0].st = st;
			return 1;
		}
		memcpy(cb->r, args_copy, sizeof(args_copy));
		struct vf_reg saved[5];
		memcpy(saved, &cb->r[6], sizeof(saved));
		if (!vf_state_push_frame(cb)) {
			vf_report(ctx, idx, "VF-CALL-DEPTH", false, "more than %d call frames",
			          VF_MAX_FRAMES);
			vf_state_free(cb);
			out[0].slot = idx + 1;
			out[0].st = st;
			return 1;
		}
		struct vf_frame *fr = cur_frame(cb);
		fr->callsite = idx;
		fr->func_start = cb_target;
		fr->callback = true;
		memcpy(fr->saved, saved, sizeof(saved));
		fr->cb_arg = args_copy[3];
		uint64_t n = args_copy[1].type == VT_SCALAR ? args_copy[1].v.u64.hi : UINT32_MAX;
		fr->cb_index = vn_urange(0, n == 0 ? 0 : (n - 1 > UINT32_MAX ? UINT32_MAX : n - 1));
		for (int i = 0; i < VF_NREGS; i++)
			vf_reg_uninit(&cb->r[i]);
		vf_reg_scalar(&cb->r[1], fr->cb_index);
		cb->r[2] = fr->cb_arg;
		memset(&cb->r[10], 0, sizeof(cb->r[10]));
		cb->r[10].type = VT_STACK;
		cb->r[10].frame = (uint8_t)(cb->nframes - 1);
		cb->r[10].v = vn_const(0);
		out[0].slot = idx + 1;
		out[0].st = st;
		out[1].slot = cb_target;
		out[1].st = cb;
		return 2;
	}
	out[0].slot = idx + 1;
	out[0].st = st;
	return 1;
}

/* ---- exit ---- */

static int do_exit(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, struct vf_succ out[2])
{
	struct vf_reg *r0 = &st->r[0];
	struct vf_frame *fr = cur_frame(st);
	/* a subprogram may return nothing (void): r0 stays uninitialised in the caller */
	if (r0->type == VT_UNINIT && (st->nframes == 1 || fr->callback)) {
		vf_report(ctx, idx, "VF-RETURN-UNINIT", false,
		          "r0 (the return value) is not set on some path");
		vf_reg_unknown(r0);
	}
	if (st->nframes == 1) {
		vf_lock_check_held(ctx, st, idx, "exit");
		vf_kfunc_check_exit(ctx, st, idx);
		if (vf_reg_is_ptr(r0) || r0->type == VT_UNUSABLE) {
			struct vf_finding *f = vf_report(ctx, idx, "VF-POINTER-LEAK", true,
			                                 "the program returns a pointer (%s) as its result",
			                                 vf_rtype_name(r0->type));
			note_reg(ctx, f, st, 0);
		} else if (ctx->pt && ctx->pt->has_ret_range) {
			int64_t lo = ctx->pt->ret_min, hi = ctx->pt->ret_max;
			struct vf_scalar v = vn_trunc(r0->v, 4);
			if (v.u64.lo < (uint64_t)lo || v.u64.hi > (uint64_t)hi) {
				struct vf_finding *f =
				    vf_report(ctx, idx, "VF-RETURN-RANGE", false,
				              "%s programs must return a value in [%lld, %lld]; r0 may be in "
				              "[%llu, %llu]",
				              ctx->pt->name, (long long)lo, (long long)hi,
				              (unsigned long long)v.u64.lo, (unsigned long long)v.u64.hi);
				note_reg(ctx, f, st, 0);
			}
		}
		for (uint32_t i = 0; i < st->nrefs; i++) {
			struct vf_finding *f =
			    vf_report(ctx, idx, "VF-REF-LEAK", false,
			              "the program exits without releasing the reference acquired "
			              "at instruction %u",
			              st->refs[i] - 1);
			if (f) {
				uint32_t at = st->refs[i] - 1;
				const struct plat_helper *ph = NULL;
				bool rec = at < ctx->n && ctx->prog->insns[at].src == 0 &&
				           plat_helper_lookup(ctx->plat, ctx->prog->insns[at].imm, &ph) ==
				               PLAT_HELPER_OK &&
				           ph && strncmp(ph->name, "ringbuf", 7) == 0;
				bool kptr = at < ctx->n && ctx->prog->insns[at].src == 0 && ph &&
				            strcmp(ph->name, "kptr_xchg") == 0;
				vf_finding_add_related(f, at, "the reference was acquired here");
				const char *kh = vf_kfunc_leak_hint(ctx, at);
				vf_finding_set_hint(
				    f, kh     ? kh
				       : rec  ? "submit or discard the record on every path"
				       : kptr ? "store the pointer back with bpf_kptr_xchg (or release it) "
				                "on every path"
				              : "release the socket with bpf_sk_release on every path");
			}
		}
		return 0;
	}
	/* return from a subprogram or a callback */
	if (r0->type == VT_STACK && r0->frame == st->nframes - 1)
		vf_report(ctx, idx, "VF-INVALID-DEREF", false,
		          "a function returns a pointer to its own stack");
	if (fr->callback) {
		struct vf_scalar v = r0->type == VT_SCALAR ? r0->v : vn_top();
		if (v.u64.hi > 1) {
			struct vf_finding *f = vf_report(ctx, idx, "VF-RETURN-RANGE", false,
			                                 "a bpf_loop callback must return 0 or 1");
			note_reg(ctx, f, st, 0);
		}
	}
	struct vf_frame saved = *fr;
	uint32_t callsite = fr->callsite;
	struct vf_reg ret = *r0;
	vf_state_pop_frame(st);
	/* values pointing into the popped frame are now dangling */
	memcpy(&st->r[6], saved.saved, sizeof(saved.saved));
	for (int i = 1; i <= 5; i++)
		vf_reg_uninit(&st->r[i]);
	if (saved.callback) {
		vf_reg_unknown(&st->r[0]);
		st->r[0].origin = callsite + 1;
		/* bpf_loop may call the callback again */
		struct vf_state *again = vf_state_dup(st);
		if (again && vf_state_push_frame(again)) {
			struct vf_frame *nf = cur_frame(again);
			nf->callsite = callsite;
			nf->func_start = saved.func_start;
			nf->callback = true;
			memcpy(nf->saved, &st->r[6], sizeof(nf->saved));
			nf->cb_arg = saved.cb_arg;
			nf->cb_index = saved.cb_index;
			for (int i = 0; i < VF_NREGS; i++)
				vf_reg_uninit(&again->r[i]);
			vf_reg_scalar(&again->r[1], saved.cb_index);
			again->r[2] = saved.cb_arg;
			again->r[10].type = VT_STACK;
			again->r[10].frame = (uint8_t)(again->nframes - 1);
			again->r[10].v = vn_const(0);
			out[0].slot = callsite + 1;
			out[0].st = st;
			out[1].slot = saved.func_start;
			out[1].st = again;
			return 2;
		}
		vf_state_free(again);
		ctx->nomem = true;
	} else {
		st->r[0] = ret;
		if (ret.type == VT_STACK && ret.frame >= st->nframes)
			vf_reg_unknown(&st->r[0]);
	}
	out[0].slot = callsite + 1;
	out[0].st = st;
	return 1;
}

/* ---- the instruction dispatcher ---- */

static bool valid_reg(int r)
{
	return r >= 0 && r < VF_NREGS;
}

/* A 64-bit immediate load naming map #imm (src 1, 2, 5, 6): false, with the finding made and r
 * unknown, when no such map was declared. */
static bool map_index_ok(struct vf_actx *ctx, uint32_t idx, int32_t imm, struct vf_reg *r)
{
	if ((uint32_t)imm < ctx->map_cnt)
		return true;
	vf_report(ctx, idx, "VF-BAD-MAP-REF", false, "map #%d does not exist (%zu map(s) declared)", imm,
	          ctx->map_cnt);
	vf_reg_unknown(r);
	return false;
}

static int transfer_insn(struct vf_actx *ctx, uint32_t idx, struct vf_state *st, struct vf_succ out[2]);

/* Keeps the zone's invariant (a variable exists only while its location holds the packet
 * pointer or zone scalar its relations were learnt for) around one instruction: local calls
 * and exits drop every relation (frames change), helper calls forget r0-r5, the packet's
 * variables and, when a stack pointer is passed, the slots; other writes forget the location
 * written, except copies (register moves, spills, fills) and additions of a constant, which
 * carry its relations over. Comparisons add relations inside transfer_insn. */
int vf_transfer(struct vf_actx *ctx, uint32_t idx, struct vf_state *st, struct vf_succ out[2])
{
	const struct isa_slot *s = &ctx->prog->insns[idx];
	const struct isa_entry *e = ctx->ent[idx];
	if (!e || !valid_reg(s->dst) || !valid_reg(s->src))
		return transfer_insn(ctx, idx, st, out);
	bool src_reg = e->rule[ISA_FIELD_SRC] == ISA_RULE_REG;
	if (st->zone && (e->cls == ISA_CLS_ALU || e->cls == ISA_CLS_ALU64 || e->cls == ISA_CLS_JMP ||
	                 e->cls == ISA_CLS_JMP32 || e->cls == ISA_CLS_STX)) {
		/* the operands' ranges as the zone knows them (a counter below a bound whose own range
		 * was widened): refined where they are used, the states kept at heads stay as widened */
		if (e->sem == ISA_SEM_CALL_HELPER || e->sem == ISA_SEM_CALL_BTF) {
			for (int r = 1; r <= 5; r++)
				vf_zt_refine_reg(st, r);
		} else {
			vf_zt_refine_reg(st, s->dst);
			if (src_reg)
				vf_zt_refine_reg(st, s->src);
		}
	}
	/* created by the first copy of a scalar, packet length (data_end - data) or comparison that
	 * relates two locations */
	bool alu = e->cls == ISA_CLS_ALU64 || e->cls == ISA_CLS_ALU;
	if (!st->zone &&
	    !(alu && e->sem == ISA_SEM_MOV && src_reg && s->dst != s->src &&
	      vf_zt_copyable(&st->r[s->src])) &&
	    !(alu && e->sem == ISA_SEM_SUB && src_reg && st->r[s->dst].type == VT_PKT_END &&
	      st->r[s->src].type == VT_PKT))
		return transfer_insn(ctx, idx, st, out);
	int dst = s->dst;
	switch (e->cls) {
	case ISA_CLS_ALU:
	case ISA_CLS_ALU64: {
		struct vf_reg before = st->r[dst], src = st->r[s->src];
		int n = transfer_insn(ctx, idx, st, out);
		const struct vf_reg *after = &st->r[dst];
		if (dst == 10)
			return n;
		bool is64 = e->cls == ISA_CLS_ALU64;
		bool mov = e->sem == ISA_SEM_MOV && src_reg;
		int64_t c = 0;
		bool konst = !src_reg || (src.type == VT_SCALAR && vn_is_const(src.v) &&
		                          (int64_t)src.v.u64.lo > -0xffff && (int64_t)src.v.u64.lo < 0xffff);
		if (konst)
			c = src_reg ? (int64_t)src.v.u64.lo : (int64_t)s->imm;
		if (e->sem == ISA_SEM_SUB)
			c = -c;
		if (mov && is64 && vf_zt_pkt_type(src.type) && after->type == src.type) {
			vf_state_zone_assign(st, VF_ZV_REG(dst), VF_ZV_REG(s->src), 0);
		} else if (mov && src.type == VT_SCALAR && after->type == VT_SCALAR &&
		           (st->zone || vf_zt_copyable(&src)) &&
		           (is64 || vf_zt_fits(st, VF_ZV_REG(s->src), &src, UINT32_MAX))) {
			/* a 64-bit copy is exact; a 32-bit one when the value fits 32 bits */
			vf_state_zone_assign(st, VF_ZV_REG(dst), VF_ZV_REG(s->src), 0);
		} else if (is64 && (e->sem == ISA_SEM_ADD || e->sem == ISA_SEM_SUB) &&
		           vf_zt_pkt_type(before.type) && after->type == before.type &&
		           before.pid == after->pid && vn_eq(before.v, after->v) &&
		           after->off - before.off > -0xffff && after->off - before.off < 0xffff) {
			vf_state_zone_assign(st, VF_ZV_REG(dst), VF_ZV_REG(dst), after->off - before.off);
		} else if (konst && (e->sem == ISA_SEM_ADD || e->sem == ISA_SEM_SUB) &&
		           before.type == VT_SCALAR && after->type == VT_SCALAR &&
		           vf_zt_fits(st, VF_ZV_REG(dst), &before,
		                      is64 ? VF_ZONE_SCALAR_MAX : UINT32_MAX - (uint64_t)(c > 0 ? c : 0)) &&
		           vf_zt_add_fits(st, VF_ZV_REG(dst), &before, c)) {
			/* the value in [0, 2^62] (32-bit: [0, 2^32)) before and after: no concrete value
			 * wrapped, so the result is the integer sum */
			vf_state_zone_assign(st, VF_ZV_REG(dst), VF_ZV_REG(dst), c);
		} else if (is64 && e->sem == ISA_SEM_SUB && src_reg && s->src != dst && src.type == VT_PKT &&
		           after->type == VT_SCALAR && vf_zt_pkt_const(&src) &&
		           (before.type == VT_PKT_END ||
		            (before.type == VT_PKT && vf_zone_has(st->zone, VF_ZV_REG(dst))))) {
			/* data_end - (data + k), or p - (data + k): a translate of the minuend's variable;
			 * the pointers of data + k's family enter the zone (as a comparison would) */
			vf_zt_pkt_family(st, s->src);
			vf_zt_ptr_diff(st, dst, before.type == VT_PKT_END ? VF_ZV_END : VF_ZV_REG(dst),
			               -(src.off + (int64_t)src.v.u64.lo));
		} else if (is64 && e->sem == ISA_SEM_ADD && src_reg && s->src != dst &&
		           before.type == VT_PKT && after->type == VT_PKT && vf_zt_pkt_const(&before) &&
		           src.type == VT_SCALAR && vf_zone_has(st->zone, VF_ZV_REG(s->src)) &&
		           vf_zone_has(st->zone, VF_ZV_REG(dst)) &&
		           vf_zt_fits(st, VF_ZV_REG(s->src), &src, 0xffff)) {
			/* (data + k) + x: the offset is x + k (for a pointer in the zone: like Linux, one
			 * loaded anew is not related) */
			vf_state_zone_assign(st, VF_ZV_REG(dst), VF_ZV_REG(s->src),
			                     before.off + (int64_t)before.v.u64.lo);
		} else {
			vf_state_zone_forget(st, dst);
		}
		return n;
	}
	case ISA_CLS_LDX: {
		int slot = e->mode == ISA_MODE_MEM && e->size == 8
		               ? vf_zt_fill_slot(st, &st->r[s->src], s->off)
		               : -1;
		int n = transfer_insn(ctx, idx, st, out);
		if (!st->zone)
			return n;
		if (slot >= 0 && vf_zone_has(st->zone, VF_ZV_SLOT(slot)) &&
		    vf_state_zone_valid(st, VF_ZV_REG(dst)))
			vf_state_zone_assign(st, VF_ZV_REG(dst), VF_ZV_SLOT(slot), 0);
		else
			vf_state_zone_forget(st, dst);
		return n;
	}
	case ISA_CLS_ST:
	case ISA_CLS_STX:
		if (e->mode == ISA_MODE_ATOMIC) { /* fetches write src or r0, acquires dst */
			vf_state_zone_drop(st);
			break;
		}
		if (e->mode == ISA_MODE_MEM) {
			struct vf_reg base = st->r[dst];
			int n = transfer_insn(ctx, idx, st, out);
			vf_zt_stack_store(st, &base, s->off, e->size, e->cls == ISA_CLS_STX ? s->src : -1);
			return n;
		}
		break;
	case ISA_CLS_LD:
		if (e->sem == ISA_SEM_LD_ABS || e->sem == ISA_SEM_LD_IND)
			vf_state_zone_drop(st);
		else
			vf_state_zone_forget(st, dst);
		break;
	case ISA_CLS_JMP:
	case ISA_CLS_JMP32:
		if (e->sem == ISA_SEM_EXIT || e->sem == ISA_SEM_CALL_LOCAL || e->sem == ISA_SEM_CALLX) {
			vf_state_zone_drop(st);
		} else if (e->sem == ISA_SEM_CALL_HELPER || e->sem == ISA_SEM_CALL_BTF) {
			/* r0-r5 change; a helper may move the packet (its pointers become unusable) or
			 * write the stack through a pointer argument */
			bool stack_arg = false;
			for (int r = 1; r <= 5; r++)
				stack_arg |= st->r[r].type == VT_STACK && st->r[r].frame + 1u == st->nframes;
			for (int r = 0; r <= 5; r++)
				vf_state_zone_forget(st, r);
			vf_state_zone_forget_id(st, VF_ZV_END);
			vf_state_zone_forget_id(st, VF_ZV_META);
			for (uint32_t i = vf_zone_size(st->zone); i-- > 1;) {
				uint32_t id = st->zone->ids[i];
				const struct vf_reg *l = vf_state_zone_loc(st, id);
				if ((l && vf_zt_pkt_type(l->type)) || (stack_arg && id >= VF_ZV_SLOT(0)))
					vf_zone_forget(st->zone, id);
			}
		}
		break;
	default: vf_state_zone_drop(st); break;
	}
	return transfer_insn(ctx, idx, st, out);
}

static int transfer_insn(struct vf_actx *ctx, uint32_t idx, struct vf_state *st, struct vf_succ out[2])
{
	const struct isa_slot *s = &ctx->prog->insns[idx];
	const struct isa_entry *e = ctx->ent[idx];
	uint32_t next = idx + 1;
	if (!e || !valid_reg(s->dst) || (e->rule[ISA_FIELD_SRC] == ISA_RULE_REG && !valid_reg(s->src))) {
		vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		          "invalid instruction (opcode 0x%02x): not analysed", s->opcode);
		return 0;
	}
	if (e->wide)
		next = idx + 2;
	out[0].slot = next;
	out[0].st = st;
	switch (e->cls) {
	case ISA_CLS_ALU:
	case ISA_CLS_ALU64: do_alu(ctx, st, idx, s, e); return 1;
	case ISA_CLS_LDX: {
		if (!valid_reg(s->src))
			return 0;
		check_init(ctx, st, idx, s->src);
		struct access a = {0};
		a.idx = idx;
		a.regno = s->src;
		a.off = s->off;
		a.size_lo = a.size_hi = e->size;
		a.acc = ACC_READ;
		access_mem(ctx, st, &a);
		if (s->dst == 10) {
			vf_report(ctx, idx, "VF-WRITE-R10", false, "r10 (the frame pointer) is read-only");
			return 1;
		}
		struct vf_reg v = a.loaded;
		if (e->sem == ISA_SEM_LDXSX && v.type == VT_SCALAR) {
			v.v = vn_sext(v.v, e->size * 8u);
			vf_reg_delta_clear(&v);
			v.nid = 0;
		}
		v.origin = idx + 1;
		st->r[s->dst] = v;
		return 1;
	}
	case ISA_CLS_ST:
	case ISA_CLS_STX: {
		bool atomic = e->mode == ISA_MODE_ATOMIC;
		if (e->sem == ISA_SEM_LOAD_ACQUIRE) {
			check_init(ctx, st, idx, s->src);
			struct access a = {0};
			a.idx = idx;
			a.regno = s->src;
			a.off = s->off;
			a.size_lo = a.size_hi = e->size;
			a.acc = ACC_READ;
			a.non_mem = true;
			access_mem(ctx, st, &a);
			if (s->dst == 10) {
				vf_report(ctx, idx, "VF-WRITE-R10", false,
				          "r10 (the frame pointer) is read-only");
				return 1;
			}
			a.loaded.origin = idx + 1;
			st->r[s->dst] = a.loaded;
			return 1;
		}
		check_init(ctx, st, idx, s->dst);
		struct vf_reg val;
		if (e->cls == ISA_CLS_STX) {
			check_init(ctx, st, idx, s->src);
			val = st->r[s->src];
		} else {
			vf_reg_scalar(&val, vn_const((uint64_t)(int64_t)s->imm));
		}
		if (e->cls == ISA_CLS_STX && !atomic && e->size == 8 && val.type == VT_SCALAR && !val.nid &&
		    st->r[s->dst].type == VT_STACK) {
			/* a spilled number stays linked to the register it came from */
			val.nid = st->r[s->src].nid = 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
		}
		struct access a = {0};
		a.idx = idx;
		a.regno = s->dst;
		a.off = s->off;
		a.size_lo = a.size_hi = e->size;
		a.acc = atomic ? (ACC_READ | ACC_WRITE) : ACC_WRITE;
		a.atomic = atomic && e->sem != ISA_SEM_STORE_RELEASE;
		a.val = &val;
		a.val_zero = val.type == VT_SCALAR && vn_is_const(val.v) && val.v.u64.lo == 0;
		a.imm = e->cls == ISA_CLS_ST;
		a.non_mem = atomic;
		a.val_regno = e->cls == ISA_CLS_STX ? s->src : -1;
		bool have_old = false, have_old_reg = false;
		struct vf_scalar old_val = vn_top();
		struct vf_reg old_reg;
		memset(&old_reg, 0, sizeof(old_reg));
		if (a.atomic) {
			int64_t lo, hi;
			struct vf_reg *P = &st->r[s->dst];
			ptr_off_range(P, s->off, &lo, &hi);
			if (vf_reg_is_ptr(P) && lo == hi && (lo % (int64_t)e->size) != 0)
				vf_report(ctx, idx, "VF-MISALIGNED", false,
				          "misaligned atomic access (offset %lld, size %u)", (long long)lo,
				          e->size);
			if (P->type == VT_CTX) {
				vf_report(ctx, idx, "VF-CTX-ACCESS", false,
				          "atomic operation on the context");
				return 1;
			}
			if (vf_reg_is_ptr(&val)) {
				vf_report(ctx, idx, "VF-POINTER-LEAK", true,
				          "atomic operation with a pointer operand");
			} else if (e->sem == ISA_SEM_ATOMIC_CMPXCHG && vf_reg_is_ptr(&st->r[0])) {
				/* the value compared with is stored nowhere, but Linux counts it as a leak */
				vf_report(ctx, idx, "VF-POINTER-LEAK", true,
				          "atomic compare-and-exchange with a pointer in r0");
			}
			bool fetches = e->sem != ISA_SEM_ATOMIC_ADD && e->sem != ISA_SEM_ATOMIC_OR &&
			               e->sem != ISA_SEM_ATOMIC_AND && e->sem != ISA_SEM_ATOMIC_XOR;
			if (fetches && e->sem != ISA_SEM_ATOMIC_CMPXCHG && s->src == 10) {
				vf_report(ctx, idx, "VF-WRITE-R10", false,
				          "the atomic operation fetches into r10 (the frame pointer), which "
				          "is read-only");
				return 1;
			}
			/* the old value of a spilled number is known; a spilled pointer must not be mixed */
			if (P->type == VT_STACK && lo == hi && lo >= -VF_STACK_SIZE &&
			    lo + (int64_t)e->size <= 0 && (lo & 7) == 0) {
				struct vf_frame *fr =
				    st->fr[P->frame < st->nframes ? P->frame : st->nframes - 1];
				int slot = (int)((lo + VF_STACK_SIZE) / 8);
				if (fr->sb[slot * 8] == SB_SPILL) {
					if ((vf_reg_is_ptr(&fr->sp->r[slot]) ||
					     fr->sp->r[slot].type == VT_UNUSABLE) &&
					    e->size != 8) {
						vf_report(ctx, idx, "VF-INVALID-DEREF", false,
						          "%u-byte atomic operation on a stack slot holding "
						          "a spilled %s pointer",
						          e->size, vf_rtype_name(fr->sp->r[slot].type));
					} else if (vf_reg_is_ptr(&fr->sp->r[slot])) {
						if (!ctx->opts->privileged)
							vf_report(ctx, idx, "VF-POINTER-LEAK", false,
							          "atomic operation on a stack slot "
							          "holding a spilled %s pointer: "
							          "unprivileged loads may not read "
							          "it this way",
							          vf_rtype_name(fr->sp->r[slot].type));
						have_old_reg = true;
						old_reg = fr->sp->r[slot];
					} else {
						have_old = true;
						old_val = vn_trunc(fr->sp->r[slot].v, e->size);
					}
				}
			}
			/* the stored bytes become unknown: no spill keeps its value */
			a.val = NULL;
		}
		access_mem(ctx, st, &a);
		if (a.atomic) {
			unsigned sem = e->sem;
			bool fetch = sem == ISA_SEM_ATOMIC_FETCH_ADD || sem == ISA_SEM_ATOMIC_FETCH_OR ||
			             sem == ISA_SEM_ATOMIC_FETCH_AND || sem == ISA_SEM_ATOMIC_FETCH_XOR ||
			             sem == ISA_SEM_ATOMIC_XCHG;
			struct vf_scalar v = e->size == 8 ? vn_top() : vn_urange(0, UINT32_MAX);
			if (have_old)
				v = old_val;
			if (sem == ISA_SEM_ATOMIC_CMPXCHG) {
				check_init(ctx, st, idx, 0);
				set_scalar(st, 0, v, idx);
				if (have_old_reg)
					st->r[0] = old_reg;
			} else if (fetch) {
				set_scalar(st, s->src, v, idx);
				if (have_old_reg)
					st->r[s->src] = old_reg;
			}
		}
		return 1;
	}
	case ISA_CLS_LD: {
		if (e->sem == ISA_SEM_LD_ABS || e->sem == ISA_SEM_LD_IND) {
			if (st->r[6].type != VT_CTX)
				vf_report(ctx, idx, "VF-CTX-ACCESS", false,
				          "legacy packet loads (ld_abs/ld_ind) need the context in r6");
			if (!ctx->pt || !ctx->pt->skb)
				vf_report(ctx, idx, "VF-UNSUPPORTED", false,
				          "legacy packet loads (ld_abs/ld_ind) are only for socket-buffer "
				          "programs");
			if (e->sem == ISA_SEM_LD_IND)
				check_init(ctx, st, idx, s->src);
			/* a legacy packet load past the end exits the program */
			vf_lock_check_held(ctx, st, idx, "a legacy packet load (ld_abs/ld_ind)");
			for (uint32_t i = 0; i < st->nrefs; i++)
				vf_report(
				    ctx, idx, "VF-REF-LEAK", false,
				    "a legacy packet load (ld_abs/ld_ind) may exit the program while it "
				    "holds the reference acquired at instruction %u",
				    st->refs[i] - 1);
			for (int i = 1; i <= 5; i++)
				vf_reg_uninit(&st->r[i]);
			set_scalar(st, 0, size_range(e->size), idx);
			return 1;
		}
		if (idx + 1 >= ctx->n) {
			vf_report(ctx, idx, "VF-UNSUPPORTED", false, "wide load without its second slot");
			return 0;
		}
		const struct isa_slot *s2 = &ctx->prog->insns[idx + 1];
		struct vf_reg r;
		memset(&r, 0, sizeof(r));
		r.origin = idx + 1;
		r.v = vn_const(0);
		switch (s->src) {
		case 0:
			r.type = VT_SCALAR;
			r.v = vn_const((uint64_t)(uint32_t)s->imm | ((uint64_t)(uint32_t)s2->imm << 32));
			break;
		case 1:
		case 5:
			if (!map_index_ok(ctx, idx, s->imm, &r))
				break;
			r.type = VT_MAP_PTR;
			r.map = (uint16_t)s->imm;
			break;
		case 2:
		case 6:
			if (!map_index_ok(ctx, idx, s->imm, &r))
				break;
			if ((uint32_t)s2->imm >= ctx->maps[s->imm].value_size &&
			    ctx->maps[s->imm].value_size) {
				vf_report(ctx, idx, "VF-BAD-MAP-REF", false,
				          "offset %u is past the value of map '%s' (%u bytes)",
				          (uint32_t)s2->imm,
				          ctx->maps[s->imm].name ? ctx->maps[s->imm].name : "?",
				          ctx->maps[s->imm].value_size);
			}
			r.type = VT_MAP_VALUE;
			r.map = (uint16_t)s->imm;
			r.off = (int64_t)(uint32_t)s2->imm;
			break;
		case 4: {
			int64_t t = (int64_t)idx + 1 + s->imm;
			if (t < 0 || (uint64_t)t >= ctx->n) {
				vf_report(ctx, idx, "VF-UNSUPPORTED", false,
				          "code address outside the program");
				vf_reg_unknown(&r);
				break;
			}
			r.type = VT_FUNC;
			r.size = (uint32_t)t;
			break;
		}
		default:
			vf_report(ctx, idx, "VF-UNSUPPORTED", false,
			          "64-bit immediate load with src=%u is not supported by bpfcheck yet",
			          s->src);
			vf_reg_unknown(&r);
			break;
		}
		if (s->dst == 10) {
			vf_report(ctx, idx, "VF-WRITE-R10", false, "r10 (the frame pointer) is read-only");
			return 1;
		}
		st->r[s->dst] = r;
		return 1;
	}
	case ISA_CLS_JMP:
	case ISA_CLS_JMP32: break;
	default: return 0;
	}
	/* jumps, calls, exit */
	switch (e->sem) {
	case ISA_SEM_JA: out[0].slot = (uint32_t)((int64_t)idx + 1 + s->off); return 1;
	case ISA_SEM_JA32: out[0].slot = (uint32_t)((int64_t)idx + 1 + s->imm); return 1;
	case ISA_SEM_EXIT: return do_exit(ctx, st, idx, out);
	case ISA_SEM_CALL_HELPER: return do_helper(ctx, st, idx, s->imm, out);
	case ISA_SEM_CALL_LOCAL: {
		uint32_t target = (uint32_t)((int64_t)idx + 1 + s->imm);
		if (target >= ctx->n) {
			vf_report(ctx, idx, "VF-UNSUPPORTED", false, "call target outside the program");
			return 0;
		}
		for (uint32_t f = 0; f < st->nframes; f++)
			if (st->fr[f]->func_start == target && f > 0) {
				vf_report(ctx, idx, "VF-RECURSION", false,
				          "recursive call of the function at %u", target);
				return 0;
			}
		struct vf_reg saved[5];
		memcpy(saved, &st->r[6], sizeof(saved));
		if (!vf_state_push_frame(st)) {
			vf_report(ctx, idx, "VF-CALL-DEPTH", false, "more than %d call frames",
			          VF_MAX_FRAMES);
			return 0;
		}
		struct vf_frame *fr = cur_frame(st);
		fr->callsite = idx;
		fr->func_start = target;
		memcpy(fr->saved, saved, sizeof(saved));
		vf_reg_uninit(&st->r[0]);
		for (int i = 6; i <= 9; i++)
			vf_reg_uninit(&st->r[i]);
		memset(&st->r[10], 0, sizeof(st->r[10]));
		st->r[10].type = VT_STACK;
		st->r[10].frame = (uint8_t)(st->nframes - 1);
		st->r[10].v = vn_const(0);
		for (int i = 1; i <= 5; i++)
			vf_reg_delta_clear(&st->r[i]);
		out[0].slot = target;
		return 1;
	}
	case ISA_SEM_MAY_GOTO: {
		struct vf_state *t = vf_state_dup(st);
		if (!t) {
			ctx->nomem = true;
			return 0;
		}
		st->may_goto = true;
		t->may_goto = true;
		out[1].slot = (uint32_t)((int64_t)idx + 1 + s->off);
		out[1].st = t;
		return 2;
	}
	case ISA_SEM_CALL_BTF: return vf_kfunc_call(ctx, st, idx, out);
	case ISA_SEM_CALLX:
	case ISA_SEM_GOTOX:
		vf_report(ctx, idx, "VF-UNSUPPORTED", false, "indirect %s is not supported by bpfcheck yet",
		          e->sem == ISA_SEM_CALLX ? "calls" : "jumps");
		return 0;
	default: break;
	}
	/* conditional jumps */
	bool is32 = e->cls == ISA_CLS_JMP32;
	int ra = s->dst, rb = e->rule[ISA_FIELD_SRC] == ISA_RULE_REG ? s->src : -1;
	check_init(ctx, st, idx, ra);
	if (rb >= 0)
		check_init(ctx, st, idx, rb);
	uint32_t target = (uint32_t)((int64_t)idx + 1 + s->off);
	struct vf_state *taken = vf_state_dup(st);
	if (!taken) {
		ctx->nomem = true;
		return 0;
	}
	bool t_ok = true, f_ok = true, tz = true, fz = true;
	unsigned sem = e->sem;
	struct vf_scalar bconst = vn_const(is32 ? (uint64_t)(uint32_t)s->imm : (uint64_t)(int64_t)s->imm);
	if (st->r[ra].type == VT_UNUSABLE || (rb >= 0 && st->r[rb].type == VT_UNUSABLE)) {
		vf_report(ctx, idx, "VF-POINTER-COMPARE", false,
		          "r%d has a different type on different paths and cannot be compared",
		          st->r[ra].type == VT_UNUSABLE ? ra : rb);
	} else if (pointer_cond(ctx, idx, taken, st, sem, ra, rb, rb < 0 && s->imm == 0, is32, &t_ok,
	                        &f_ok)) {
		/* handled */
	} else {
		int cmp = vf_cmp_of_sem((enum isa_sem)sem);
		if (cmp >= 0) {
			t_ok = apply_scalar_cond(taken, cmp, is32, ra, rb, bconst);
			f_ok = apply_scalar_cond(st, vf_cmp_negate((enum vf_cmp)cmp), is32, ra, rb, bconst);
			tz = !t_ok || vf_zt_scalar_cond(taken, cmp, is32, ra, rb);
			fz = !f_ok || vf_zt_scalar_cond(st, vf_cmp_negate((enum vf_cmp)cmp), is32, ra, rb);
			t_ok = t_ok && tz;
			f_ok = f_ok && fz;
		}
	}
	if (!ctx->opts->privileged && t_ok != f_ok) {
		/* Spectre v1: for unprivileged loads Linux also verifies the side of a decided branch
		 * the CPU may run speculatively, from the state before the comparison (whose zone,
		 * if it found the side infeasible, is dropped: it would prove anything) */
		t_ok = f_ok = true;
		if (!tz)
			vf_state_zone_drop(taken);
		if (!fz)
			vf_state_zone_drop(st);
	}
	vf_state_add_branch(st, idx, false);
	vf_state_add_branch(taken, idx, true);
	int n = 0;
	if (f_ok) {
		out[n].slot = idx + 1;
		out[n].st = st;
		n++;
	}
	if (t_ok) {
		out[n].slot = target;
		out[n].st = taken;
		n++;
	} else {
		vf_state_free(taken);
	}
	return n; /* when st is not among the successors, the caller frees it */
}
