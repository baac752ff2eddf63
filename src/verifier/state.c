/* The engine's abstract state: numeric ranges, registers, stack frames, references, and the
 * join/widen/equality per shape (specs/verifier.md "The state"). */
#include "verifier/state.h"

#include <stdlib.h>
#include <string.h>

#include "bpfcheck/isa.h"

/* ---- numeric ranges ---- */

static struct vn vn_norm(struct vn a)
{
	if (a.umax <= (uint64_t)INT64_MAX || a.umin > (uint64_t)INT64_MAX) {
		if ((int64_t)a.umin > a.smin)
			a.smin = (int64_t)a.umin;
		if ((int64_t)a.umax < a.smax)
			a.smax = (int64_t)a.umax;
	}
	if (a.smin >= 0 || a.smax < 0) {
		if ((uint64_t)a.smin > a.umin)
			a.umin = (uint64_t)a.smin;
		if ((uint64_t)a.smax < a.umax)
			a.umax = (uint64_t)a.smax;
	}
	return a;
}

struct vn vn_const(uint64_t c)
{
	struct vn a = {c, c, (int64_t)c, (int64_t)c};
	return a;
}

struct vn vn_top(void)
{
	struct vn a = {0, UINT64_MAX, INT64_MIN, INT64_MAX};
	return a;
}

struct vn vn_urange(uint64_t lo, uint64_t hi)
{
	struct vn a = {lo, hi, INT64_MIN, INT64_MAX};
	return vn_norm(a);
}

struct vn vn_srange(int64_t lo, int64_t hi)
{
	struct vn a = {0, UINT64_MAX, lo, hi};
	return vn_norm(a);
}

bool vn_is_const(struct vn a)
{
	return a.umin == a.umax;
}

bool vn_eq(struct vn a, struct vn b)
{
	return a.umin == b.umin && a.umax == b.umax && a.smin == b.smin && a.smax == b.smax;
}

bool vn_contains(struct vn a, uint64_t x)
{
	return x >= a.umin && x <= a.umax && (int64_t)x >= a.smin && (int64_t)x <= a.smax;
}

struct vn vn_join(struct vn a, struct vn b)
{
	struct vn r;
	r.umin = a.umin < b.umin ? a.umin : b.umin;
	r.umax = a.umax > b.umax ? a.umax : b.umax;
	r.smin = a.smin < b.smin ? a.smin : b.smin;
	r.smax = a.smax > b.smax ? a.smax : b.smax;
	return vn_norm(r);
}

struct vn vn_widen(struct vn old, struct vn nw, const uint64_t *thr, size_t thr_cnt)
{
	struct vn j = vn_join(old, nw);
	struct vn r = j;
	if (j.umax > old.umax) {
		r.umax = UINT64_MAX;
		for (size_t i = 0; i < thr_cnt; i++)
			if (thr[i] >= j.umax) {
				r.umax = thr[i];
				break;
			}
	}
	if (j.umin < old.umin) {
		r.umin = 0;
		for (size_t i = thr_cnt; i-- > 0;)
			if (thr[i] <= j.umin) {
				r.umin = thr[i];
				break;
			}
	}
	if (j.smax > old.smax) {
		r.smax = INT64_MAX;
		for (size_t i = 0; i < thr_cnt; i++)
			if (thr[i] <= (uint64_t)INT64_MAX && (int64_t)thr[i] >= j.smax) {
				r.smax = (int64_t)thr[i];
				break;
			}
	}
	if (j.smin < old.smin)
		r.smin = j.smin >= 0 ? 0 : INT64_MIN;
	return vn_norm(r);
}

struct vn vn_meet(struct vn a, struct vn b, bool *empty)
{
	struct vn r;
	r.umin = a.umin > b.umin ? a.umin : b.umin;
	r.umax = a.umax < b.umax ? a.umax : b.umax;
	r.smin = a.smin > b.smin ? a.smin : b.smin;
	r.smax = a.smax < b.smax ? a.smax : b.smax;
	*empty = r.umin > r.umax || r.smin > r.smax;
	if (*empty)
		return a;
	r = vn_norm(r);
	*empty = r.umin > r.umax || r.smin > r.smax;
	return *empty ? a : r;
}

struct vn vn_trunc(struct vn a, unsigned bytes)
{
	if (bytes >= 8)
		return a;
	unsigned bits = bytes * 8;
	uint64_t mask = (UINT64_C(1) << bits) - 1;
	if ((a.umin >> bits) == (a.umax >> bits))
		return vn_urange(a.umin & mask, a.umax & mask);
	return vn_urange(0, mask);
}

struct vn vn_sext(struct vn a, unsigned bits)
{
	if (bits >= 64)
		return a;
	struct vn t = vn_trunc(a, bits / 8);
	uint64_t half = UINT64_C(1) << (bits - 1);
	int64_t span = (int64_t)(UINT64_C(1) << bits);
	if (t.umax < half)
		return vn_srange((int64_t)t.umin, (int64_t)t.umax);
	if (t.umin >= half)
		return vn_srange((int64_t)t.umin - span, (int64_t)t.umax - span);
	return vn_srange(-(int64_t)half, (int64_t)half - 1);
}

static uint64_t fill_ones(uint64_t x)
{
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	x |= x >> 32;
	return x;
}

static struct vn from_u(uint64_t lo, uint64_t hi)
{
	return vn_urange(lo, hi);
}

static struct vn alu64(unsigned sem, struct vn a, struct vn b)
{
	uint64_t lo, hi;
	int64_t slo, shi;
	struct vn r = vn_top();
	if (vn_is_const(a) && vn_is_const(b)) {
		uint64_t x = a.umin, y = b.umin;
		switch (sem) {
		case ISA_SEM_ADD: return vn_const(x + y);
		case ISA_SEM_SUB: return vn_const(x - y);
		case ISA_SEM_MUL: return vn_const(x * y);
		case ISA_SEM_DIV: return vn_const(y ? x / y : 0);
		case ISA_SEM_MOD: return vn_const(y ? x % y : x);
		case ISA_SEM_OR: return vn_const(x | y);
		case ISA_SEM_AND: return vn_const(x & y);
		case ISA_SEM_XOR: return vn_const(x ^ y);
		case ISA_SEM_LSH: return vn_const(x << (y & 63));
		case ISA_SEM_RSH: return vn_const(x >> (y & 63));
		case ISA_SEM_ARSH: return vn_const((uint64_t)((int64_t)x >> (y & 63)));
		case ISA_SEM_NEG: return vn_const(0 - x);
		default: break;
		}
	}
	switch (sem) {
	case ISA_SEM_ADD:
		if (!__builtin_add_overflow(a.umin, b.umin, &lo) && !__builtin_add_overflow(a.umax, b.umax, &hi)) {
			r.umin = lo;
			r.umax = hi;
		}
		if (!__builtin_add_overflow(a.smin, b.smin, &slo) && !__builtin_add_overflow(a.smax, b.smax, &shi)) {
			r.smin = slo;
			r.smax = shi;
		}
		return vn_norm(r);
	case ISA_SEM_SUB:
		if (a.umin >= b.umax) {
			r.umin = a.umin - b.umax;
			r.umax = a.umax - b.umin;
		}
		if (!__builtin_sub_overflow(a.smin, b.smax, &slo) && !__builtin_sub_overflow(a.smax, b.smin, &shi)) {
			r.smin = slo;
			r.smax = shi;
		}
		return vn_norm(r);
	case ISA_SEM_MUL:
		if (a.umax <= UINT32_MAX && b.umax <= UINT32_MAX)
			return from_u(a.umin * b.umin, a.umax * b.umax);
		return r;
	case ISA_SEM_DIV:
		if (b.umin > 0)
			return from_u(a.umin / b.umax, a.umax / b.umin);
		return from_u(0, a.umax);
	case ISA_SEM_MOD:
		if (b.umin > 0)
			return from_u(0, a.umax < b.umax - 1 ? a.umax : b.umax - 1);
		return from_u(0, a.umax);
	case ISA_SEM_AND:
		hi = a.umax < b.umax ? a.umax : b.umax;
		r = from_u(0, hi);
		if (a.smin >= 0 || b.smin >= 0) {
			int64_t m = a.smin >= 0 ? a.smax : b.smax;
			if (a.smin >= 0 && b.smin >= 0 && b.smax < m)
				m = b.smax;
			struct vn s = vn_srange(0, m);
			bool e;
			r = vn_meet(r, s, &e);
		}
		return r;
	case ISA_SEM_OR:
		lo = a.umin > b.umin ? a.umin : b.umin;
		return from_u(lo, fill_ones(a.umax | b.umax));
	case ISA_SEM_XOR: return from_u(0, fill_ones(a.umax | b.umax));
	case ISA_SEM_LSH:
		if (vn_is_const(b) && b.umin < 64) {
			unsigned k = (unsigned)b.umin;
			if (k == 0)
				return a;
			if ((a.umax >> (64 - k)) == 0)
				return from_u(a.umin << k, a.umax << k);
		}
		return r;
	case ISA_SEM_RSH:
		if (vn_is_const(b) && b.umin < 64)
			return from_u(a.umin >> b.umin, a.umax >> b.umin);
		return from_u(0, a.umax);
	case ISA_SEM_ARSH:
		if (vn_is_const(b) && b.umin < 64)
			return vn_srange(a.smin >> b.umin, a.smax >> b.umin);
		return vn_srange(a.smin < 0 ? a.smin : 0, a.smax > 0 ? a.smax : 0);
	case ISA_SEM_NEG:
		if (a.smin != INT64_MIN)
			return vn_srange(-a.smax, -a.smin);
		return r;
	case ISA_SEM_MOV: return b;
	default: return r;
	}
}

struct vn vn_alu(unsigned sem, bool is64, struct vn a, struct vn b)
{
	if (is64)
		return alu64(sem, a, b);
	struct vn a32 = vn_trunc(a, 4), b32 = vn_trunc(b, 4);
	struct vn r;
	switch (sem) {
	case ISA_SEM_ARSH:
		r = alu64(sem, vn_sext(a32, 32), vn_trunc(b32, 1));
		break;
	case ISA_SEM_NEG: r = alu64(ISA_SEM_SUB, vn_const(UINT64_C(1) << 32), a32); break;
	case ISA_SEM_SDIV:
	case ISA_SEM_SMOD: r = vn_top(); break;
	case ISA_SEM_LSH:
	case ISA_SEM_RSH: r = alu64(sem, a32, vn_is_const(b32) ? vn_const(b32.umin & 31) : b32); break;
	default: r = alu64(sem, a32, b32); break;
	}
	return vn_trunc(r, 4);
}

/* ---- registers ---- */

void vf_reg_uninit(struct vf_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = VT_UNINIT;
}

void vf_reg_scalar(struct vf_reg *r, struct vn v)
{
	memset(r, 0, sizeof(*r));
	r->type = VT_SCALAR;
	r->v = v;
}

void vf_reg_unknown(struct vf_reg *r)
{
	vf_reg_scalar(r, vn_top());
}

bool vf_reg_is_ptr(const struct vf_reg *r)
{
	return r->type != VT_UNINIT && r->type != VT_SCALAR && r->type != VT_UNUSABLE;
}

void vf_reg_delta_clear(struct vf_reg *r)
{
	memset(r->dl, 0, sizeof(r->dl));
}

void vf_reg_delta_reset(struct vf_reg *r, uint32_t head)
{
	int free_i = -1;
	for (int i = 0; i < VF_DELTA_SLOTS; i++) {
		if (r->dl[i].head == head) {
			r->dl[i].dmin = r->dl[i].dmax = 0;
			return;
		}
		if (!r->dl[i].head && free_i < 0)
			free_i = i;
	}
	if (free_i < 0) { /* forget the oldest: slots shift down */
		memmove(&r->dl[0], &r->dl[1], sizeof(r->dl[0]) * (VF_DELTA_SLOTS - 1));
		free_i = VF_DELTA_SLOTS - 1;
	}
	r->dl[free_i].head = head;
	r->dl[free_i].dmin = r->dl[free_i].dmax = 0;
}

void vf_reg_delta_add(struct vf_reg *r, int64_t lo, int64_t hi)
{
	for (int i = 0; i < VF_DELTA_SLOTS; i++) {
		if (!r->dl[i].head)
			continue;
		if (__builtin_add_overflow(r->dl[i].dmin, lo, &r->dl[i].dmin) ||
		    __builtin_add_overflow(r->dl[i].dmax, hi, &r->dl[i].dmax))
			memset(&r->dl[i], 0, sizeof(r->dl[i]));
	}
}

const struct vf_delta *vf_reg_delta(const struct vf_reg *r, uint32_t head)
{
	for (int i = 0; i < VF_DELTA_SLOTS; i++)
		if (r->dl[i].head == head)
			return &r->dl[i];
	return NULL;
}

/* ---- states ---- */

static struct vf_frame *frame_new(void)
{
	struct vf_frame *f = calloc(1, sizeof(*f));
	if (f)
		f->callsite = VF_NONE_SLOT;
	return f;
}

struct vf_state *vf_state_new(void)
{
	struct vf_state *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->fr[0] = frame_new();
	if (!s->fr[0]) {
		free(s);
		return NULL;
	}
	s->nframes = 1;
	return s;
}

bool vf_state_copy(struct vf_state *dst, const struct vf_state *src)
{
	for (uint32_t i = src->nframes; i < dst->nframes; i++) {
		free(dst->fr[i]);
		dst->fr[i] = NULL;
	}
	for (uint32_t i = 0; i < src->nframes; i++) {
		if (!dst->fr[i] || i >= dst->nframes) {
			if (!dst->fr[i])
				dst->fr[i] = malloc(sizeof(struct vf_frame));
			if (!dst->fr[i]) {
				dst->nframes = i;
				return false;
			}
		}
		memcpy(dst->fr[i], src->fr[i], sizeof(struct vf_frame));
	}
	memcpy(dst->r, src->r, sizeof(dst->r));
	dst->nframes = src->nframes;
	memcpy(dst->refs, src->refs, sizeof(dst->refs));
	dst->nrefs = src->nrefs;
	dst->may_goto = src->may_goto;
	return true;
}

struct vf_state *vf_state_dup(const struct vf_state *s)
{
	struct vf_state *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	if (!vf_state_copy(d, s)) {
		vf_state_free(d);
		return NULL;
	}
	return d;
}

void vf_state_free(struct vf_state *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < VF_MAX_FRAMES; i++)
		free(s->fr[i]);
	free(s);
}

bool vf_state_push_frame(struct vf_state *s)
{
	if (s->nframes >= VF_MAX_FRAMES)
		return false;
	struct vf_frame *f = s->fr[s->nframes] ? s->fr[s->nframes] : malloc(sizeof(*f));
	if (!f)
		return false;
	memset(f, 0, sizeof(*f));
	f->callsite = VF_NONE_SLOT;
	s->fr[s->nframes++] = f;
	return true;
}

void vf_state_pop_frame(struct vf_state *s)
{
	if (s->nframes <= 1)
		return;
	s->nframes--;
	free(s->fr[s->nframes]);
	s->fr[s->nframes] = NULL;
}

bool vf_state_has_ref(const struct vf_state *s, uint32_t ref)
{
	for (uint32_t i = 0; i < s->nrefs; i++)
		if (s->refs[i] == ref)
			return true;
	return false;
}

bool vf_state_add_ref(struct vf_state *s, uint32_t ref)
{
	if (vf_state_has_ref(s, ref))
		return true;
	if (s->nrefs >= VF_MAX_REFS)
		return false;
	uint32_t i = s->nrefs++;
	while (i > 0 && s->refs[i - 1] > ref) {
		s->refs[i] = s->refs[i - 1];
		i--;
	}
	s->refs[i] = ref;
	return true;
}

void vf_state_del_ref(struct vf_state *s, uint32_t ref)
{
	for (uint32_t i = 0; i < s->nrefs; i++)
		if (s->refs[i] == ref) {
			memmove(&s->refs[i], &s->refs[i + 1], (s->nrefs - i - 1) * sizeof(s->refs[0]));
			s->nrefs--;
			return;
		}
}

static bool reg_same_shape(const struct vf_reg *a, const struct vf_reg *b)
{
	if (a->type != b->type || a->ref != b->ref)
		return false;
	switch (a->type) {
	case VT_STACK: return a->frame == b->frame;
	case VT_MAP_PTR:
	case VT_MAP_VALUE:
	case VT_MAP_VALUE_OR_NULL: return a->map == b->map;
	case VT_MEM:
	case VT_MEM_OR_NULL:
	case VT_FUNC: return a->size == b->size;
	default: return true;
	}
}

static bool sb_is_spill(uint8_t k)
{
	return k == SB_SPILL;
}

bool vf_state_same_calls(const struct vf_state *a, const struct vf_state *b)
{
	if (a->nframes != b->nframes)
		return false;
	for (uint32_t i = 0; i < a->nframes; i++)
		if (a->fr[i]->callsite != b->fr[i]->callsite || a->fr[i]->func_start != b->fr[i]->func_start ||
		    a->fr[i]->callback != b->fr[i]->callback)
			return false;
	return true;
}

bool vf_state_same_shape(const struct vf_state *a, const struct vf_state *b)
{
	if (!vf_state_same_calls(a, b) || a->nrefs != b->nrefs)
		return false;
	if (memcmp(a->refs, b->refs, a->nrefs * sizeof(a->refs[0])) != 0)
		return false;
	for (int i = 0; i < VF_NREGS; i++)
		if (!reg_same_shape(&a->r[i], &b->r[i]))
			return false;
	for (uint32_t f = 0; f < a->nframes; f++) {
		const struct vf_frame *fa = a->fr[f], *fb = b->fr[f];
		for (int i = 0; i < 5; i++)
			if (!reg_same_shape(&fa->saved[i], &fb->saved[i]))
				return false;
		for (int s = 0; s < VF_STACK_SLOTS; s++) {
			bool sa = sb_is_spill(fa->sb[s * 8]), sbb = sb_is_spill(fb->sb[s * 8]);
			bool pa = sa && vf_reg_is_ptr(&fa->spill[s]), pb = sbb && vf_reg_is_ptr(&fb->spill[s]);
			if (pa != pb)
				return false;
			if (pa && !reg_same_shape(&fa->spill[s], &fb->spill[s]))
				return false;
		}
	}
	return true;
}

static uint32_t mix_id(uint32_t tag, uint32_t a, uint32_t b)
{
	uint32_t h = tag * 0x9e3779b1u ^ (a * 0x85ebca6bu) ^ (b * 0xc2b2ae35u);
	h ^= h >> 15;
	return h | 0x80000000u;
}

static void delta_join(struct vf_reg *d, const struct vf_reg *s, bool widen)
{
	for (int i = 0; i < VF_DELTA_SLOTS; i++) {
		if (!d->dl[i].head)
			continue;
		const struct vf_delta *o = vf_reg_delta(s, d->dl[i].head);
		if (!o) {
			memset(&d->dl[i], 0, sizeof(d->dl[i]));
			continue;
		}
		int64_t lo = o->dmin < d->dl[i].dmin ? o->dmin : d->dl[i].dmin;
		int64_t hi = o->dmax > d->dl[i].dmax ? o->dmax : d->dl[i].dmax;
		if (widen && (lo != d->dl[i].dmin || hi != d->dl[i].dmax)) {
			memset(&d->dl[i], 0, sizeof(d->dl[i]));
			continue;
		}
		d->dl[i].dmin = lo;
		d->dl[i].dmax = hi;
	}
}

static bool is_nullable_base(uint8_t t)
{
	return t == VT_MAP_VALUE || t == VT_MAP_VALUE_OR_NULL || t == VT_MEM || t == VT_MEM_OR_NULL;
}

static uint8_t or_null(uint8_t t)
{
	return (t == VT_MAP_VALUE || t == VT_MAP_VALUE_OR_NULL) ? VT_MAP_VALUE_OR_NULL : VT_MEM_OR_NULL;
}

static bool is_null_const(const struct vf_reg *r)
{
	return r->type == VT_SCALAR && vn_is_const(r->v) && r->v.umin == 0;
}

static void reg_join(struct vf_reg *d, const struct vf_reg *s, bool widen, const uint64_t *thr, size_t thr_cnt,
                     uint32_t tag)
{
	if (!reg_same_shape(d, s)) {
		if (d->type == VT_UNINIT || s->type == VT_UNINIT) {
			vf_reg_uninit(d);
			return;
		}
		/* NULL joined with a nullable pointer is that pointer or NULL. */
		const struct vf_reg *p = NULL;
		if (is_null_const(d) && is_nullable_base(s->type))
			p = s;
		else if (is_null_const(s) && is_nullable_base(d->type))
			p = d;
		else if (is_nullable_base(d->type) && is_nullable_base(s->type) && d->map == s->map &&
		         d->size == s->size && d->ref == s->ref && or_null(d->type) == or_null(s->type))
			p = d;
		if (p) {
			struct vf_reg r = *p;
			r.type = or_null(p->type);
			r.nid = mix_id(tag, d->nid, s->nid);
			if (is_nullable_base(d->type) && is_nullable_base(s->type)) {
				r.v = vn_join(d->v, s->v);
				if (d->off != s->off) {
					r.v = vn_join(vn_alu(ISA_SEM_ADD, true, d->v, vn_const((uint64_t)d->off)),
					              vn_alu(ISA_SEM_ADD, true, s->v, vn_const((uint64_t)s->off)));
					r.off = 0;
				}
			}
			vf_reg_delta_clear(&r);
			*d = r;
			return;
		}
		uint32_t origin = d->origin;
		memset(d, 0, sizeof(*d));
		d->type = VT_UNUSABLE;
		d->origin = origin;
		return;
	}
	if (d->type == VT_UNINIT || d->type == VT_UNUSABLE)
		return;
	struct vn dv = d->v, sv = s->v;
	bool same_off = d->off == s->off;
	if (!same_off) {
		dv = vn_alu(ISA_SEM_ADD, true, dv, vn_const((uint64_t)d->off));
		sv = vn_alu(ISA_SEM_ADD, true, sv, vn_const((uint64_t)s->off));
		d->off = 0;
	}
	d->v = widen ? vn_widen(dv, sv, thr, thr_cnt) : vn_join(dv, sv);
	if (d->nid != s->nid)
		d->nid = mix_id(tag, d->nid, s->nid);
	if (d->pid != s->pid || !same_off) {
		d->pid = mix_id(tag ^ 0x5bd1e995u, d->pid, s->pid);
		d->pkt_range = 0;
	} else if (s->pkt_range < d->pkt_range) {
		d->pkt_range = s->pkt_range;
	}
	if (s->origin && (!d->origin || s->origin < d->origin))
		d->origin = s->origin;
	delta_join(d, s, widen);
}

static void frame_join(struct vf_frame *d, const struct vf_frame *s, bool widen, const uint64_t *thr,
                       size_t thr_cnt, uint32_t tag)
{
	if (s->depth > d->depth)
		d->depth = s->depth;
	for (int i = 0; i < 5; i++)
		reg_join(&d->saved[i], &s->saved[i], widen, thr, thr_cnt, tag);
	if (d->callback) {
		reg_join(&d->cb_arg, &s->cb_arg, widen, thr, thr_cnt, tag);
		d->cb_index = vn_join(d->cb_index, s->cb_index);
	}
	for (int slot = 0; slot < VF_STACK_SLOTS; slot++) {
		uint8_t *db = &d->sb[slot * 8];
		const uint8_t *sbb = &s->sb[slot * 8];
		if (db[0] == SB_SPILL && sbb[0] == SB_SPILL) {
			reg_join(&d->spill[slot], &s->spill[slot], widen, thr, thr_cnt, tag);
			if (d->spill[slot].type == VT_UNUSABLE || d->spill[slot].type == VT_UNINIT)
				memset(db, d->spill[slot].type == VT_UNINIT ? SB_INVALID : SB_MISC, 8);
			continue;
		}
		for (int b = 0; b < 8; b++) {
			uint8_t x = db[b], y = sbb[b];
			if (x == y && x != SB_SPILL)
				continue;
			if (x == SB_INVALID || y == SB_INVALID)
				db[b] = SB_INVALID;
			else
				db[b] = SB_MISC;
		}
		if (db[0] == SB_SPILL && sbb[0] != SB_SPILL) {
			for (int b = 0; b < 8; b++)
				if (db[b] == SB_SPILL)
					db[b] = SB_MISC;
		}
	}
}

void vf_state_join(struct vf_state *dst, const struct vf_state *src, bool widen, const uint64_t *thr,
                   size_t thr_cnt, uint32_t head_tag)
{
	for (int i = 0; i < VF_NREGS; i++)
		reg_join(&dst->r[i], &src->r[i], widen, thr, thr_cnt, head_tag);
	uint32_t n = dst->nframes < src->nframes ? dst->nframes : src->nframes;
	for (uint32_t f = 0; f < n; f++)
		frame_join(dst->fr[f], src->fr[f], widen, thr, thr_cnt, head_tag);
	for (uint32_t i = 0; i < src->nrefs; i++)
		vf_state_add_ref(dst, src->refs[i]);
	dst->may_goto = dst->may_goto && src->may_goto;
}

static bool reg_eq(const struct vf_reg *a, const struct vf_reg *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == VT_UNINIT || a->type == VT_UNUSABLE)
		return true;
	return a->frame == b->frame && a->map == b->map && a->nid == b->nid && a->pid == b->pid &&
	       a->ref == b->ref && a->size == b->size && a->pkt_range == b->pkt_range && a->off == b->off &&
	       vn_eq(a->v, b->v) && memcmp(a->dl, b->dl, sizeof(a->dl)) == 0;
}

bool vf_state_eq(const struct vf_state *a, const struct vf_state *b)
{
	if (!vf_state_same_calls(a, b) || a->nrefs != b->nrefs || a->may_goto != b->may_goto)
		return false;
	if (memcmp(a->refs, b->refs, a->nrefs * sizeof(a->refs[0])) != 0)
		return false;
	for (int i = 0; i < VF_NREGS; i++)
		if (!reg_eq(&a->r[i], &b->r[i]))
			return false;
	for (uint32_t f = 0; f < a->nframes; f++) {
		const struct vf_frame *fa = a->fr[f], *fb = b->fr[f];
		if (fa->depth != fb->depth || memcmp(fa->sb, fb->sb, sizeof(fa->sb)) != 0)
			return false;
		for (int i = 0; i < 5; i++)
			if (!reg_eq(&fa->saved[i], &fb->saved[i]))
				return false;
		if (fa->callback && (!reg_eq(&fa->cb_arg, &fb->cb_arg) || !vn_eq(fa->cb_index, fb->cb_index)))
			return false;
		for (int s = 0; s < VF_STACK_SLOTS; s++)
			if (fa->sb[s * 8] == SB_SPILL && !reg_eq(&fa->spill[s], &fb->spill[s]))
				return false;
	}
	return true;
}
