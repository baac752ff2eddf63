/* The engine's abstract state: numeric ranges, registers, stack frames, references, and the
 * join/widen/equality per shape (specs/verifier.md "The state"). */
#include "verifier/state.h"

#include <stdlib.h>
#include <string.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"

/* ---- numeric values: wrappers over the domains module ---- */

struct vf_scalar vn_const(uint64_t c)
{
	return vf_scalar_const(c);
}

struct vf_scalar vn_top(void)
{
	return vf_scalar_unknown();
}

struct vf_scalar vn_urange(uint64_t lo, uint64_t hi)
{
	return vf_scalar_urange(lo, hi);
}

struct vf_scalar vn_srange(int64_t lo, int64_t hi)
{
	return vf_scalar_srange(lo, hi);
}

bool vn_is_const(struct vf_scalar a)
{
	return vf_scalar_is_const(&a, NULL);
}

bool vn_eq(struct vf_scalar a, struct vf_scalar b)
{
	return vf_scalar_eq(&a, &b);
}

bool vn_contains(struct vf_scalar a, uint64_t x)
{
	return vf_scalar_contains(&a, x);
}

struct vf_scalar vn_join(struct vf_scalar a, struct vf_scalar b)
{
	return vf_scalar_join(&a, &b);
}

/* The domains' widening sends a growing bound to the extreme; here it first tries the next
 * constant the program compares with, so `i != 32` loops keep their bound. */
struct vf_scalar vn_widen(struct vf_scalar old, struct vf_scalar nw, const uint64_t *thr, size_t thr_cnt)
{
	struct vf_scalar j = vf_scalar_join(&old, &nw);
	struct vf_scalar r = vf_scalar_widen(&old, &nw);
	if (j.u64.hi > old.u64.hi)
		for (size_t i = 0; i < thr_cnt; i++)
			if (thr[i] >= j.u64.hi) {
				r.u64.hi = thr[i];
				break;
			}
	if (j.s64.hi > old.s64.hi)
		for (size_t i = 0; i < thr_cnt; i++)
			if (thr[i] <= (uint64_t)INT64_MAX && (int64_t)thr[i] >= j.s64.hi) {
				r.s64.hi = (int64_t)thr[i];
				break;
			}
	if (j.s64.lo < old.s64.lo && j.s64.lo >= 0)
		r.s64.lo = 0;
	if (j.u64.lo < old.u64.lo)
		for (size_t i = thr_cnt; i-- > 0;)
			if (thr[i] <= j.u64.lo) {
				r.u64.lo = thr[i];
				if (thr[i] <= (uint64_t)INT64_MAX && j.s64.lo >= 0 &&
				    (int64_t)thr[i] > r.s64.lo)
					r.s64.lo = (int64_t)thr[i];
				break;
			}
	if (j.u32.hi > old.u32.hi)
		for (size_t i = 0; i < thr_cnt; i++)
			if (thr[i] <= UINT32_MAX && thr[i] >= j.u32.hi) {
				r.u32.hi = thr[i];
				break;
			}
	if (j.s32.hi > old.s32.hi)
		for (size_t i = 0; i < thr_cnt; i++)
			if (thr[i] <= INT32_MAX && (int64_t)thr[i] >= j.s32.hi) {
				r.s32.hi = (int64_t)thr[i];
				break;
			}
	if (j.s32.lo < old.s32.lo && j.s32.lo >= 0)
		r.s32.lo = 0;
	return r;
}

struct vf_scalar vn_meet(struct vf_scalar a, struct vf_scalar b, bool *empty)
{
	struct vf_scalar r = vf_scalar_meet(&a, &b);
	*empty = vf_scalar_is_bottom(&r);
	return *empty ? a : r;
}

struct vf_scalar vn_trunc(struct vf_scalar a, unsigned bytes)
{
	return vf_scalar_zext(&a, bytes);
}

struct vf_scalar vn_sext(struct vf_scalar a, unsigned bits)
{
	return bits >= 64 ? a : vf_scalar_sext(&a, bits);
}

struct vf_scalar vn_alu(unsigned sem, bool is64, struct vf_scalar a, struct vf_scalar b)
{
	return vf_scalar_alu((enum isa_sem)sem, is64, &a, &b, 0);
}

/* ---- registers ---- */

void vf_reg_uninit(struct vf_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->type = VT_UNINIT;
}

void vf_reg_scalar(struct vf_reg *r, struct vf_scalar v)
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

/* Sorts the runs by lo, unused ones last, and merges neighbours with the same delta whose
 * loop ranges touch (no loop lies between them). */
static void delta_normalize(struct vf_reg *r)
{
	struct vf_delta *d = r->dl;
	for (int i = 1; i < VF_DELTA_SLOTS; i++) {
		struct vf_delta x = d[i];
		int j = i;
		while (j > 0 && x.lo && (!d[j - 1].lo || d[j - 1].lo > x.lo)) {
			d[j] = d[j - 1];
			j--;
		}
		d[j] = x;
	}
	int n = 0;
	for (int i = 0; i < VF_DELTA_SLOTS && d[i].lo; i++) {
		if (n && d[n - 1].hi + 1 == d[i].lo && d[n - 1].base == d[i].base &&
		    d[n - 1].dmin == d[i].dmin && d[n - 1].dmax == d[i].dmax)
			d[n - 1].hi = d[i].hi;
		else
			d[n++] = d[i];
	}
	for (int i = n; i < VF_DELTA_SLOTS; i++)
		memset(&d[i], 0, sizeof(d[i]));
}

/* Adds a run (the runs normalised, one slot free or the outermost forgotten). */
static void delta_push(struct vf_reg *r, struct vf_delta x)
{
	int slot = -1;
	for (int i = 0; i < VF_DELTA_SLOTS && slot < 0; i++)
		if (!r->dl[i].lo)
			slot = i;
	if (slot < 0) { /* forget the outermost run (the lowest lo, first) unless x is outer still */
		if (x.lo < r->dl[0].lo)
			return;
		slot = 0;
	}
	r->dl[slot] = x;
	delta_normalize(r);
}

void vf_reg_delta_enter(struct vf_reg *r, const uint32_t *chain, uint32_t len, uint16_t base)
{
	if (!len || chain[0] >= VF_DELTA_MAX_LOOP)
		return;
	/* keep the loops of the chain: within a run they are contiguous (nested loops are numbered
	 * outer first) */
	bool holes = false;
	for (int i = 0; i < VF_DELTA_SLOTS; i++) {
		struct vf_delta *e = &r->dl[i];
		if (!e->lo)
			continue;
		uint32_t nlo = 0, nhi = 0;
		for (uint32_t k = 0; k < len; k++)
			if (chain[k] >= e->lo && chain[k] <= e->hi) {
				if (!nhi)
					nhi = chain[k];
				nlo = chain[k];
			}
		if (!nhi) {
			memset(e, 0, sizeof(*e));
			holes = true;
			continue;
		}
		e->lo = nlo;
		e->hi = nhi;
	}
	uint32_t h = chain[0], parent = len > 1 ? chain[1] : 0;
	struct vf_delta fresh = {.lo = h, .base = base, .hi = h, .dmin = 0, .dmax = 0};
	for (int i = 0; i < VF_DELTA_SLOTS; i++) {
		struct vf_delta *e = &r->dl[i];
		if (!e->lo || e->hi != h)
			continue;
		if (e->base == base && e->dmin == 0 && e->dmax == 0)
			goto done; /* unchanged since the run's heads: this head's value too */
		if (e->lo == h) {
			*e = fresh;
			goto done;
		}
		e->hi = parent; /* the enclosing loops keep the run's delta */
		delta_normalize(r);
		delta_push(r, fresh);
		return;
	}
	for (int i = 0; i < VF_DELTA_SLOTS && parent; i++) {
		struct vf_delta *e = &r->dl[i];
		if (e->lo && e->hi == parent && e->base == base && e->dmin == 0 && e->dmax == 0) {
			e->hi = h; /* unchanged since the enclosing loop's head */
			goto done;
		}
	}
	delta_normalize(r);
	delta_push(r, fresh);
	return;
done:
	if (holes)
		delta_normalize(r);
}

void vf_reg_delta_add(struct vf_reg *r, int64_t lo, int64_t hi)
{
	bool dropped = false;
	for (int i = 0; i < VF_DELTA_SLOTS; i++) {
		if (!r->dl[i].lo)
			continue;
		int64_t a = (int64_t)r->dl[i].dmin + lo, b = (int64_t)r->dl[i].dmax + hi;
		if (lo < INT32_MIN || lo > INT32_MAX || hi < INT32_MIN || hi > INT32_MAX || a < INT32_MIN ||
		    a > INT32_MAX || b < INT32_MIN || b > INT32_MAX) {
			memset(&r->dl[i], 0, sizeof(r->dl[i]));
			dropped = true;
			continue;
		}
		r->dl[i].dmin = (int32_t)a;
		r->dl[i].dmax = (int32_t)b;
	}
	if (dropped)
		delta_normalize(r);
}

const struct vf_delta *vf_reg_delta(const struct vf_reg *r, uint32_t loop)
{
	for (int i = 0; i < VF_DELTA_SLOTS; i++)
		if (r->dl[i].lo && r->dl[i].lo <= loop && loop <= r->dl[i].hi)
			return &r->dl[i];
	return NULL;
}

/* ---- states ---- */

static void acct_add(struct vf_memacct *a, size_t n)
{
	if (!a)
		return;
	a->cur += n;
	if (a->cur > a->peak)
		a->peak = a->cur;
}

static void acct_sub(struct vf_memacct *a, size_t n)
{
	if (a)
		a->cur -= n;
}

static struct vf_frame *frame_new(struct vf_memacct *acct)
{
	struct vf_frame *f = calloc(1, sizeof(*f));
	if (f) {
		f->callsite = VF_NONE_SLOT;
		f->refs = 1;
		f->acct = acct;
		acct_add(acct, sizeof(*f));
	}
	return f;
}

static void spills_release(struct vf_spills *sp, struct vf_memacct *acct)
{
	if (sp && --sp->refs == 0) {
		acct_sub(acct, sizeof(*sp));
		free(sp);
	}
}

static void frame_release(struct vf_frame *f)
{
	if (f && --f->refs == 0) {
		spills_release(f->sp, f->acct);
		acct_sub(f->acct, sizeof(*f));
		free(f);
	}
}

struct vf_reg *vf_frame_spills_mut(struct vf_frame *f)
{
	if (f->sp && f->sp->refs == 1)
		return f->sp->r;
	struct vf_spills *c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	acct_add(f->acct, sizeof(*c));
	if (f->sp) {
		memcpy(c, f->sp, sizeof(*c));
		f->sp->refs--;
	} else {
		memset(c, 0, sizeof(*c));
	}
	c->refs = 1;
	f->sp = c;
	return c->r;
}

struct vf_frame *vf_frame_mut(struct vf_state *s, uint32_t i)
{
	struct vf_frame *f = s->fr[i];
	if (f->refs == 1)
		return f;
	struct vf_frame *c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	memcpy(c, f, sizeof(*c));
	acct_add(c->acct, sizeof(*c));
	c->refs = 1;
	if (c->sp)
		c->sp->refs++;
	f->refs--;
	s->fr[i] = c;
	return c;
}

struct vf_state *vf_state_new(void)
{
	return vf_state_new_counted(NULL);
}

struct vf_state *vf_state_entry(struct vf_memacct *acct)
{
	struct vf_state *s = vf_state_new_counted(acct);
	if (!s)
		return NULL;
	s->fr[0]->func_start = 0;
	s->r[1].type = VT_CTX;
	s->r[1].v = vn_const(0);
	s->r[10].type = VT_STACK;
	s->r[10].v = vn_const(0);
	return s;
}

struct vf_state *vf_state_new_counted(struct vf_memacct *acct)
{
	struct vf_state *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->acct = acct;
	s->fr[0] = frame_new(acct);
	if (!s->fr[0]) {
		free(s);
		return NULL;
	}
	acct_add(acct, sizeof(*s));
	s->nframes = 1;
	return s;
}

static struct vf_zone *zone_mut(struct vf_state *s);
static size_t zone_bytes(const struct vf_zone *z);
static void zone_recount(struct vf_state *s, size_t before);

bool vf_state_copy(struct vf_state *dst, const struct vf_state *src)
{
	for (uint32_t i = 0; i < src->nframes; i++)
		src->fr[i]->refs++;
	for (uint32_t i = 0; i < VF_MAX_FRAMES; i++) {
		if (i < dst->nframes)
			frame_release(dst->fr[i]);
		dst->fr[i] = i < src->nframes ? src->fr[i] : NULL;
	}
	memcpy(dst->r, src->r, sizeof(dst->r));
	dst->nframes = src->nframes;
	memcpy(dst->refs, src->refs, sizeof(dst->refs));
	dst->nrefs = src->nrefs;
	dst->may_goto = src->may_goto;
	dst->lock = src->lock;
	dst->rcu = src->rcu;
	dst->iter_bound = src->iter_bound;
	dst->path_n = src->path_n;
	memcpy(dst->path, src->path, sizeof(dst->path));
	if (dst == src)
		return true;
	if (!src->zone) {
		vf_state_zone_drop(dst);
		return true;
	}
	if (!dst->zone) {
		/* all-zero: vf_zone_copy sizes it once (no empty zone allocated first) */
		dst->zone = calloc(1, sizeof(*dst->zone));
		if (!dst->zone)
			return false;
		acct_add(dst->acct, zone_bytes(dst->zone));
	}
	size_t before = zone_bytes(dst->zone);
	int rc = vf_zone_copy(dst->zone, src->zone);
	zone_recount(dst, before);
	if (rc != BPFC_OK) {
		vf_state_zone_drop(dst); /* losing relations is sound */
		return false;
	}
	return true;
}

static size_t zone_bytes(const struct vf_zone *z)
{
	if (!z)
		return 0;
	return sizeof(*z) + (size_t)z->cap * z->cap * sizeof(int64_t) + (size_t)z->cap * sizeof(uint32_t);
}

/* The zone's matrix only grows: count what it gained since it was `before` bytes. */
static void zone_recount(struct vf_state *s, size_t before)
{
	size_t now = zone_bytes(s->zone);
	if (now >= before)
		acct_add(s->acct, now - before);
	else
		acct_sub(s->acct, before - now);
}

void vf_state_zone_drop(struct vf_state *s)
{
	if (!s->zone)
		return;
	acct_sub(s->acct, zone_bytes(s->zone));
	vf_zone_free(s->zone);
	free(s->zone);
	s->zone = NULL;
}

void vf_state_zone_forget(struct vf_state *s, int r)
{
	if (s->zone)
		vf_zone_forget(s->zone, VF_ZV_REG(r));
}

void vf_state_zone_forget_id(struct vf_state *s, uint32_t id)
{
	if (s->zone)
		vf_zone_forget(s->zone, id);
}

bool vf_zone_scalar_ok(const struct vf_reg *r)
{
	return r->type == VT_SCALAR && r->v.u64.hi <= VF_ZONE_SCALAR_MAX;
}

const struct vf_reg *vf_state_zone_loc(const struct vf_state *s, uint32_t id)
{
	if (id >= VF_ZV_REG(0) && id < VF_ZV_REG(VF_NREGS))
		return &s->r[id - VF_ZV_REG(0)];
	if (id >= VF_ZV_SLOT(0) && id < VF_ZV_SLOT(VF_STACK_SLOTS)) {
		const struct vf_frame *fr = s->fr[s->nframes - 1];
		uint32_t k = id - VF_ZV_SLOT(0);
		return fr->sb[k * 8] == SB_SPILL && fr->sp ? &fr->sp->r[k] : NULL;
	}
	return NULL;
}

bool vf_state_zone_valid(const struct vf_state *s, uint32_t id)
{
	if (id == VF_ZONE_ZERO || id == VF_ZV_END || id == VF_ZV_META)
		return true;
	const struct vf_reg *r = vf_state_zone_loc(s, id);
	/* a scalar's variable is its value read as an unsigned integer, whatever its range: copies
	 * keep it exactly; arithmetic and comparisons check the range they need */
	return r && (r->type == VT_PKT || r->type == VT_PKT_META || r->type == VT_SCALAR);
}

void vf_state_zone_sweep(struct vf_state *s)
{
	if (!s->zone)
		return;
	for (uint32_t i = vf_zone_size(s->zone); i-- > 1;)
		if (!vf_state_zone_valid(s, s->zone->ids[i]))
			vf_zone_forget(s->zone, s->zone->ids[i]);
}

bool vf_state_zone_room(const struct vf_state *s, uint32_t extra)
{
	return (s->zone ? vf_zone_size(s->zone) : 1) + extra <= VF_ZONE_MAX_VARS;
}

/* What id's location says alone, added to z (see vf_state_zone_bounds); ids absent from z are
 * added only when add is set. */
static int zone_put_bounds(struct vf_zone *z, const struct vf_state *s, uint32_t id, bool add)
{
	const struct vf_reg *r = vf_state_zone_loc(s, id);
	if (!r || (!add && !vf_zone_has(z, id)))
		return BPFC_OK;
	int64_t lo, hi;
	uint32_t base = VF_ZONE_ZERO;
	int rc;
	if (r->type == VT_SCALAR) { /* its value as an unsigned integer */
		if (r->v.u64.lo > (uint64_t)INT64_MAX)
			return BPFC_OK;
		lo = (int64_t)r->v.u64.lo;
		hi = r->v.u64.hi >= (uint64_t)INT64_MAX ? VF_ZONE_INF : (int64_t)r->v.u64.hi;
	} else if ((r->type == VT_PKT || r->type == VT_PKT_META) && r->off > -0xffff && r->off < 0xffff &&
	           r->v.s64.lo > -0xffff && r->v.s64.hi < 0xffff) {
		lo = r->off + r->v.s64.lo;
		hi = r->off + r->v.s64.hi;
		if (r->type == VT_PKT_META) {
			base = VF_ZV_META;
			if ((rc = vf_zone_add_constraint(z, VF_ZV_META, VF_ZONE_ZERO, 0)))
				return rc;
		}
	} else {
		return BPFC_OK;
	}
	if (hi != VF_ZONE_INF && (rc = vf_zone_add_constraint(z, id, base, hi)))
		return rc;
	return vf_zone_add_constraint(z, base, id, -lo);
}

void vf_state_zone_bounds(struct vf_state *s, uint32_t id)
{
	bool has = s->zone && vf_zone_has(s->zone, id);
	if (!has && !vf_state_zone_room(s, 2))
		return;
	if (!zone_mut(s))
		return;
	size_t before = zone_bytes(s->zone);
	int rc = zone_put_bounds(s->zone, s, id, true);
	zone_recount(s, before);
	if (rc != BPFC_OK)
		vf_state_zone_drop(s);
}

static struct vf_zone *zone_mut(struct vf_state *s)
{
	if (s->zone)
		return s->zone;
	struct vf_zone *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	if (vf_zone_init(z) != BPFC_OK) {
		free(z);
		return NULL;
	}
	s->zone = z;
	acct_add(s->acct, zone_bytes(z));
	return z;
}

void vf_state_zone_assign(struct vf_state *s, uint32_t x, uint32_t y, int64_t c)
{
	if (x != y && s->zone) {
		uint32_t n = vf_zone_size(s->zone) - vf_zone_has(s->zone, x) + 1 + !vf_zone_has(s->zone, y);
		if (n > VF_ZONE_MAX_VARS) {
			vf_zone_forget(s->zone, x);
			return;
		}
	}
	if (!zone_mut(s))
		return;
	size_t before = zone_bytes(s->zone);
	int rc = vf_zone_assign(s->zone, x, y, c);
	zone_recount(s, before);
	if (rc != BPFC_OK)
		vf_state_zone_drop(s);
}

void vf_state_zone_constrain(struct vf_state *s, uint32_t x, uint32_t y, int64_t c)
{
	if (s->zone && !vf_state_zone_room(s, !vf_zone_has(s->zone, x) + !vf_zone_has(s->zone, y)))
		return;
	if (!zone_mut(s))
		return;
	size_t before = zone_bytes(s->zone);
	int rc = vf_zone_add_constraint(s->zone, x, y, c);
	zone_recount(s, before);
	if (rc != BPFC_OK)
		vf_state_zone_drop(s);
}

void vf_state_add_branch(struct vf_state *s, uint32_t insn, bool taken)
{
	if (s->path_n == VF_PATH_LEN) {
		memmove(&s->path[0], &s->path[1], sizeof(s->path[0]) * (VF_PATH_LEN - 1));
		s->path_n--;
	}
	s->path[s->path_n].insn = insn;
	s->path[s->path_n].taken = taken;
	s->path_n++;
}

struct vf_state *vf_state_dup(const struct vf_state *s)
{
	struct vf_state *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->acct = s->acct;
	acct_add(d->acct, sizeof(*d));
	vf_state_copy(d, s);
	return d;
}

void vf_state_free(struct vf_state *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->nframes; i++)
		frame_release(s->fr[i]);
	vf_state_zone_drop(s);
	acct_sub(s->acct, sizeof(*s));
	free(s);
}

bool vf_state_push_frame(struct vf_state *s)
{
	if (s->nframes >= VF_MAX_FRAMES)
		return false;
	struct vf_frame *f = frame_new(s->acct);
	if (!f)
		return false;
	vf_state_zone_drop(s); /* the zone relates the current frame's registers */
	s->fr[s->nframes++] = f;
	return true;
}

void vf_state_pop_frame(struct vf_state *s)
{
	if (s->nframes <= 1)
		return;
	vf_state_zone_drop(s);
	s->nframes--;
	frame_release(s->fr[s->nframes]);
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
	case VT_MAP_VALUE_OR_NULL:
	case VT_MAP_PTR_OR_NULL: return a->map == b->map;
	case VT_MEM:
	case VT_MEM_OR_NULL: return a->size == b->size && a->frame == b->frame;
	case VT_FUNC: return a->size == b->size;
	case VT_BTF_PTR:
	case VT_BTF_PTR_OR_NULL: return a->size == b->size && a->frame == b->frame;
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
		if (a->fr[i]->callsite != b->fr[i]->callsite ||
		    a->fr[i]->func_start != b->fr[i]->func_start || a->fr[i]->callback != b->fr[i]->callback)
			return false;
	return true;
}

/* 0: not a boolean constant, 1: the constant 0, 2: the constant 1. */
static int bool_class(const struct vf_reg *r)
{
	uint64_t c;
	if (r->type != VT_SCALAR || !vf_scalar_is_const(&r->v, &c) || c > 1)
		return 0;
	return 1 + (int)c;
}

bool vf_state_same_shape(const struct vf_state *a, const struct vf_state *b, bool with_flags)
{
	if (with_flags)
		for (int i = 0; i < VF_NREGS; i++)
			if (bool_class(&a->r[i]) != bool_class(&b->r[i]))
				return false;
	if (!vf_state_same_calls(a, b) || a->nrefs != b->nrefs || a->lock != b->lock || a->rcu != b->rcu)
		return false;
	if (memcmp(a->refs, b->refs, a->nrefs * sizeof(a->refs[0])) != 0)
		return false;
	for (int i = 0; i < VF_NREGS; i++)
		if (!reg_same_shape(&a->r[i], &b->r[i]))
			return false;
	for (uint32_t f = 0; f < a->nframes; f++) {
		const struct vf_frame *fa = a->fr[f], *fb = b->fr[f];
		if (fa == fb)
			continue;
		for (int i = 0; i < 5; i++)
			if (!reg_same_shape(&fa->saved[i], &fb->saved[i]))
				return false;
		for (int s = 0; s < VF_STACK_SLOTS; s++) {
			bool sa = sb_is_spill(fa->sb[s * 8]), sbb = sb_is_spill(fb->sb[s * 8]);
			bool pa = sa && vf_reg_is_ptr(&fa->sp->r[s]),
			     pb = sbb && vf_reg_is_ptr(&fb->sp->r[s]);
			if (pa != pb)
				return false;
			if (pa && !reg_same_shape(&fa->sp->r[s], &fb->sp->r[s]))
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

/* Per loop, the hull of both deltas (same base; widening drops one that grew): the runs of d
 * and s intersected. Both are sorted and disjoint, so the pieces come out sorted; touching
 * pieces with the same delta merge, and past VF_DELTA_SLOTS the outermost are forgotten. */
static void delta_join(struct vf_reg *d, const struct vf_reg *s, bool widen)
{
	struct vf_delta out[2 * VF_DELTA_SLOTS];
	int n = 0;
	for (int i = 0; i < VF_DELTA_SLOTS && d->dl[i].lo; i++) {
		const struct vf_delta *a = &d->dl[i];
		for (int j = 0; j < VF_DELTA_SLOTS && s->dl[j].lo; j++) {
			const struct vf_delta *b = &s->dl[j];
			uint32_t lo = a->lo > b->lo ? a->lo : b->lo, hi = a->hi < b->hi ? a->hi : b->hi;
			if (b->base != a->base || lo > hi)
				continue;
			int32_t mn = b->dmin < a->dmin ? b->dmin : a->dmin;
			int32_t mx = b->dmax > a->dmax ? b->dmax : a->dmax;
			if (widen && (mn != a->dmin || mx != a->dmax))
				continue;
			if (n && out[n - 1].hi + 1 == lo && out[n - 1].base == a->base &&
			    out[n - 1].dmin == mn && out[n - 1].dmax == mx) {
				out[n - 1].hi = hi;
				continue;
			}
			if (n == 2 * VF_DELTA_SLOTS) { /* cannot happen: at most 2 * SLOTS - 1 pieces */
				memmove(out, out + 1, sizeof(out[0]) * (size_t)(n - 1));
				n--;
			}
			out[n++] =
			    (struct vf_delta){.lo = lo, .base = a->base, .hi = hi, .dmin = mn, .dmax = mx};
		}
	}
	int skip = n > VF_DELTA_SLOTS ? n - VF_DELTA_SLOTS : 0;
	memset(d->dl, 0, sizeof(d->dl));
	memcpy(d->dl, out + skip, sizeof(out[0]) * (size_t)(n - skip));
}

static bool is_nullable_base(uint8_t t)
{
	return t == VT_MAP_VALUE || t == VT_MAP_VALUE_OR_NULL || t == VT_MEM || t == VT_MEM_OR_NULL ||
	       (t >= VT_SOCK && t <= VT_TCP_SOCK_OR_NULL) || t == VT_BTF_PTR || t == VT_BTF_PTR_OR_NULL;
}

static uint8_t or_null(uint8_t t)
{
	switch (t) {
	case VT_MAP_VALUE:
	case VT_MAP_VALUE_OR_NULL: return VT_MAP_VALUE_OR_NULL;
	case VT_SOCK:
	case VT_SOCK_OR_NULL: return VT_SOCK_OR_NULL;
	case VT_SOCK_COMMON:
	case VT_SOCK_COMMON_OR_NULL: return VT_SOCK_COMMON_OR_NULL;
	case VT_TCP_SOCK:
	case VT_TCP_SOCK_OR_NULL: return VT_TCP_SOCK_OR_NULL;
	case VT_BTF_PTR:
	case VT_BTF_PTR_OR_NULL: return VT_BTF_PTR_OR_NULL;
	default: return VT_MEM_OR_NULL;
	}
}

static bool is_null_const(const struct vf_reg *r)
{
	return r->type == VT_SCALAR && vn_is_const(r->v) && r->v.u64.lo == 0;
}

static void reg_join(struct vf_reg *d, const struct vf_reg *s, bool widen, const uint64_t *thr,
                     size_t thr_cnt, uint32_t tag)
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
		         d->size == s->size && d->ref == s->ref && d->frame == s->frame &&
		         or_null(d->type) == or_null(s->type))
			p = d;
		if (p) {
			struct vf_reg r = *p;
			r.type = or_null(p->type);
			r.nid = mix_id(tag, d->nid, s->nid);
			if (is_nullable_base(d->type) && is_nullable_base(s->type)) {
				r.v = vn_join(d->v, s->v);
				if (d->off != s->off) {
					r.v = vn_join(
					    vn_alu(ISA_SEM_ADD, true, d->v, vn_const((uint64_t)d->off)),
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
	struct vf_scalar dv = d->v, sv = s->v;
	bool same_off = d->off == s->off;
	bool pkt = d->type == VT_PKT || d->type == VT_PKT_META;
	/* different fixed offsets move into the variable part. For packet pointers only the part
	 * above the smaller offset does: registers that shared a variable part on both paths, with
	 * the same difference of fixed offsets, then still share one (they keep one packet id, below) */
	int64_t d_off = d->off, s_off = s->off, keep = pkt ? (d_off < s_off ? d_off : s_off) : 0;
	if (!same_off) {
		dv = vn_alu(ISA_SEM_ADD, true, dv, vn_const((uint64_t)(d_off - keep)));
		sv = vn_alu(ISA_SEM_ADD, true, sv, vn_const((uint64_t)(s_off - keep)));
		d->off = keep;
	}
	d->v = widen ? vn_widen(dv, sv, thr, thr_cnt) : vn_join(dv, sv);
	if (d->nid != s->nid)
		d->nid = (d->nid && s->nid) ? mix_id(tag, d->nid, s->nid) : 0; /* 0: linked to nothing */
	if (d->pid != s->pid || !same_off) {
		/* the difference of the fixed offsets is part of the new id: two registers sharing a
		 * variable part on each path but moved by different amounts no longer share one */
		d->pid = mix_id(tag ^ 0x5bd1e995u ^ (uint32_t)(uint64_t)(d_off - s_off) * 0x27d4eb2du, d->pid,
		                s->pid);
		/* the range counts bytes from data + the variable part, which now includes the moved
		 * part of the fixed offset: on each path data + var + (range - moved) <= data_end
		 * still holds for this register, as Linux (which does not join) sees on each path */
		if (d->type == VT_PKT && s->type == VT_PKT && d->pkt_range >= 0 && s->pkt_range >= 0) {
			int64_t rd = (int64_t)d->pkt_range - (same_off ? 0 : d_off - keep);
			int64_t rs = (int64_t)s->pkt_range - (same_off ? 0 : s_off - keep);
			int64_t r = rd < rs ? rd : rs;
			d->pkt_range = r > 0 ? (int32_t)r : 0;
		} else {
			d->pkt_range = 0;
		}
	} else if (d->pkt_range < 0 || s->pkt_range < 0) {
		/* at or past the end on every path: the weaker of the two (>=); on one path only:
		 * nothing known */
		if (d->pkt_range != s->pkt_range)
			d->pkt_range = d->pkt_range < 0 && s->pkt_range < 0 ? VF_PKT_AT_END : 0;
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
			if (d->sp != s->sp || !d->sp) {
				struct vf_reg *dr = vf_frame_spills_mut(d);
				if (!dr)
					continue;
				reg_join(&dr[slot], &s->sp->r[slot], widen, thr, thr_cnt, tag);
			}
			if (d->sp->r[slot].type == VT_UNUSABLE || d->sp->r[slot].type == VT_UNINIT)
				memset(db, d->sp->r[slot].type == VT_UNINIT ? SB_INVALID : SB_MISC, 8);
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

/* Ids only say which registers and slots hold the same value: renumbered in order of first
 * appearance, so joining states whose registers share ids the same way gives the same ids again
 * (the fixpoint converges). 0 stays 0 (linked to nothing; for packet pointers: no variable part). */
#define ID_MAP_MAX 192
struct id_map {
	uint32_t from[ID_MAP_MAX], to[ID_MAP_MAX];
	uint32_t n;
	uint32_t base;
};

static uint32_t map_id(struct id_map *m, uint32_t id)
{
	if (id == 0)
		return 0;
	for (uint32_t i = 0; i < m->n; i++)
		if (m->from[i] == id)
			return m->to[i];
	if (m->n == ID_MAP_MAX)
		return id; /* more distinct ids than ever seen in practice: left as they are */
	m->from[m->n] = id;
	m->to[m->n] = m->base | (m->n + 1);
	return m->to[m->n++];
}

static void canon_reg(struct vf_reg *r, struct id_map *nm, struct id_map *pm)
{
	if (r->nid)
		r->nid = map_id(nm, r->nid);
	if (r->pid)
		r->pid = map_id(pm, r->pid);
}

void vf_state_canon(struct vf_state *s, uint32_t tag)
{
	struct id_map nm, pm;
	nm.n = pm.n = 0;
	nm.base = 0x80000000u | ((tag & 0x3fffffu) << 8);
	pm.base = 0xc0000000u | ((tag & 0x3fffffu) << 8);
	for (int i = 0; i < VF_NREGS; i++)
		canon_reg(&s->r[i], &nm, &pm);
	for (uint32_t f = 0; f < s->nframes; f++) {
		const struct vf_frame *cf = s->fr[f];
		bool any = false;
		for (int i = 0; i < 5; i++)
			any |= cf->saved[i].nid || cf->saved[i].pid;
		any |= cf->callback && (cf->cb_arg.nid || cf->cb_arg.pid);
		for (int k = 0; k < VF_STACK_SLOTS && !any; k++)
			any = cf->sb[k * 8] == SB_SPILL && (cf->sp->r[k].nid || cf->sp->r[k].pid);
		if (!any)
			continue;
		struct vf_frame *fr = vf_frame_mut(s, f);
		if (!fr)
			continue;
		for (int i = 0; i < 5; i++)
			canon_reg(&fr->saved[i], &nm, &pm);
		if (fr->callback)
			canon_reg(&fr->cb_arg, &nm, &pm);
		struct vf_reg *sr = NULL;
		for (int k = 0; k < VF_STACK_SLOTS; k++)
			if (fr->sb[k * 8] == SB_SPILL) {
				if (!sr)
					sr = vf_frame_spills_mut(fr);
				if (sr)
					canon_reg(&sr[k], &nm, &pm);
			}
	}
}

/* z (initialised) := s's zone with what each location says alone added for the variables of
 * s's zone and of other: a state without a relation still knows its scalars' ranges, so a
 * counter's link to its bound survives the join of a loop's entry with its back edge. */
static int zone_materialize(struct vf_zone *z, const struct vf_state *s, const struct vf_zone *other)
{
	int rc = s->zone ? vf_zone_copy(z, s->zone) : BPFC_OK;
	for (uint32_t i = 1; !rc && s->zone && i < s->zone->n; i++)
		rc = zone_put_bounds(z, s, s->zone->ids[i], false);
	for (uint32_t i = 1; !rc && other && i < other->n; i++) /* within the cap (ZERO, id, META) */
		rc = zone_put_bounds(z, s, other->ids[i], z->n + 2 <= VF_ZONE_MAX_VARS);
	return rc;
}

/* Relations both states imply, each completed by its locations' own bounds (computed before the
 * registers are joined): *out_set tells whether dst gets out; on failure dst loses its zone. */
static void zone_join_begin(struct vf_state *dst, const struct vf_state *src, bool widen, const uint64_t *thr,
                            size_t thr_cnt, struct vf_zone *out, bool *out_set)
{
	*out_set = false;
	memset(out, 0, sizeof(*out));
	if (!dst->zone && !src->zone)
		return;
	if (!vf_state_same_calls(dst, src)) {
		vf_state_zone_drop(dst);
		return;
	}
	struct vf_zone a, b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	int rc = vf_zone_init(&a);
	rc = rc ? rc : vf_zone_init(&b);
	rc = rc ? rc : vf_zone_init(out);
	rc = rc ? rc : zone_materialize(&a, dst, src->zone);
	rc = rc ? rc : zone_materialize(&b, src, dst->zone);
	if (!rc)
		rc = widen ? vf_zone_widen_thr(out, &a, &b, thr, thr_cnt) : vf_zone_join(out, &a, &b);
	vf_zone_free(&a);
	vf_zone_free(&b);
	if (rc != BPFC_OK) {
		vf_zone_free(out);
		vf_state_zone_drop(dst);
		return;
	}
	*out_set = true;
}

/* Installs the joined zone, then forgets every variable whose location no longer holds a packet
 * pointer or a zone scalar. */
static void zone_join_end(struct vf_state *dst, struct vf_zone *out, bool out_set)
{
	if (!out_set)
		return;
	if (!zone_mut(dst)) {
		vf_zone_free(out);
		return;
	}
	size_t before = zone_bytes(dst->zone);
	vf_zone_free(dst->zone);
	*dst->zone = *out;
	zone_recount(dst, before);
	vf_state_zone_sweep(dst);
}

void vf_state_join(struct vf_state *dst, const struct vf_state *src, bool widen, const uint64_t *thr,
                   size_t thr_cnt, uint32_t head_tag)
{
	struct vf_zone zout;
	bool zset;
	zone_join_begin(dst, src, widen, thr, thr_cnt, &zout, &zset);
	for (int i = 0; i < VF_NREGS; i++)
		reg_join(&dst->r[i], &src->r[i], widen, thr, thr_cnt, head_tag);
	uint32_t n = dst->nframes < src->nframes ? dst->nframes : src->nframes;
	for (uint32_t f = 0; f < n; f++) {
		if (dst->fr[f] == src->fr[f])
			continue; /* shared: the join is the frame itself */
		struct vf_frame *d = vf_frame_mut(dst, f);
		if (d)
			frame_join(d, src->fr[f], widen, thr, thr_cnt, head_tag);
	}
	for (uint32_t i = 0; i < src->nrefs; i++)
		vf_state_add_ref(dst, src->refs[i]);
	dst->may_goto = dst->may_goto && src->may_goto;
	if (dst->lock != src->lock)
		dst->lock = VF_LOCK_MAYBE;
	if (dst->rcu != src->rcu)
		dst->rcu = VF_RCU_MAYBE;
	if (dst->iter_bound != src->iter_bound)
		dst->iter_bound = 0;
	zone_join_end(dst, &zout, zset);
	vf_state_canon(dst, head_tag);
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
	if (!vf_state_same_calls(a, b) || a->nrefs != b->nrefs || a->may_goto != b->may_goto ||
	    a->lock != b->lock || a->rcu != b->rcu || a->iter_bound != b->iter_bound)
		return false;
	if (memcmp(a->refs, b->refs, a->nrefs * sizeof(a->refs[0])) != 0)
		return false;
	for (int i = 0; i < VF_NREGS; i++)
		if (!reg_eq(&a->r[i], &b->r[i]))
			return false;
	if (!a->zone != !b->zone)
		return false;
	if (a->zone && !(vf_zone_leq(a->zone, b->zone) && vf_zone_leq(b->zone, a->zone)))
		return false;
	for (uint32_t f = 0; f < a->nframes; f++) {
		const struct vf_frame *fa = a->fr[f], *fb = b->fr[f];
		if (fa == fb)
			continue;
		if (fa->depth != fb->depth || memcmp(fa->sb, fb->sb, sizeof(fa->sb)) != 0)
			return false;
		for (int i = 0; i < 5; i++)
			if (!reg_eq(&fa->saved[i], &fb->saved[i]))
				return false;
		if (fa->callback && (!reg_eq(&fa->cb_arg, &fb->cb_arg) || !vn_eq(fa->cb_index, fb->cb_index)))
			return false;
		for (int s = 0; s < VF_STACK_SLOTS; s++)
			if (fa->sb[s * 8] == SB_SPILL && !reg_eq(&fa->sp->r[s], &fb->sp->r[s]))
				return false;
	}
	return true;
}
