/* The engine's zone tracking (specs/verifier.md, "Relations between locations (the zone)"):
 * which locations of the current frame are zone variables, what comparisons, copies, spills and
 * constant additions tell the zone, and what the zone tells back (packet and metadata bounds,
 * ranges of numbers). Called from transfer.c around each instruction; the state's zone itself
 * and its variables are in state.h, the domain in zone.h. */
#include "verifier/zone_track.h"

#include "bpfcheck/isa.h"
#include "verifier/branch.h"

bool vf_zt_pkt_type(uint8_t t)
{
	return t == VT_PKT || t == VT_PKT_META;
}

/* The zone's upper bound of (the offset of packet pointer p, held in register regno or -1) + k
 * minus data_end (a meta pointer: minus data); VF_ZONE_INF when unknown. Only the register's own
 * variable counts: like Linux, a pointer loaded anew after a check is not in bounds. */
int64_t vf_zt_pkt_upper(const struct vf_state *st, int regno, const struct vf_reg *p, int64_t k)
{
	if (!st->zone || regno < 0 || k <= -0xffff || k >= 0xffff)
		return VF_ZONE_INF;
	int64_t u = vf_zone_upper(st->zone, VF_ZV_REG(regno), p->type == VT_PKT ? VF_ZV_END : VF_ZONE_ZERO);
	if (u == INT64_MIN)
		return u; /* bottom: no execution reaches here */
	int64_t t;
	return u == VF_ZONE_INF || __builtin_add_overflow(u, k, &t) ? VF_ZONE_INF : t;
}

/* The registers sharing pointer r's variable part (same type and pid, as Linux's packet ids)
 * enter the zone with the offsets their values give, so a comparison bounds them all. */
void vf_zt_pkt_family(struct vf_state *st, int r)
{
	const struct vf_reg *P = &st->r[r];
	for (int i = 0; i < 10; i++) {
		const struct vf_reg *Q = &st->r[i];
		if (Q->type == P->type && Q->pid == P->pid)
			vf_state_zone_bounds(st, VF_ZV_REG(i));
	}
}

/* The range of scalar r (zone variable id) as an integer: its interval met with the zone's
 * bounds (the zone closed first); lo > hi when empty. */
static void zone_range(struct vf_state *st, uint32_t id, const struct vf_reg *r, int64_t *lo, int64_t *hi)
{
	*lo = r->v.u64.lo > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)r->v.u64.lo;
	*hi = r->v.u64.hi >= (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)r->v.u64.hi;
	if (!st->zone || !vf_zone_has(st->zone, id))
		return;
	vf_zone_ensure_closed(st->zone);
	int64_t u = vf_zone_upper(st->zone, id, VF_ZONE_ZERO), d = vf_zone_upper(st->zone, VF_ZONE_ZERO, id);
	if (u < *hi)
		*hi = u;
	if (d != VF_ZONE_INF && d != INT64_MIN && -d > *lo)
		*lo = -d;
}

/* Whether scalar r (variable id) lies in [0, lim] by its interval or the zone. */
bool vf_zt_fits(struct vf_state *st, uint32_t id, const struct vf_reg *r, uint64_t lim)
{
	int64_t lo, hi;
	if (r->type != VT_SCALAR)
		return false;
	if (r->v.u64.hi <= lim)
		return true;
	zone_range(st, id, r, &lo, &hi);
	return lo >= 0 && hi >= lo && (uint64_t)hi <= lim;
}

/* The zone's bounds of its scalar variables refine their ranges (x < y with y <= 100 bounds x
 * where widening lost it). False when some range becomes empty (the state is infeasible);
 * nothing is changed then. */
static bool zone_refine(struct vf_state *st)
{
	struct vf_zone *z = st->zone;
	if (!z)
		return true;
	vf_zone_ensure_closed(z);
	if (vf_zone_is_bottom(z))
		return false;
	struct {
		uint32_t id;
		struct vf_scalar v;
	} nw[VF_ZONE_MAX_VARS];
	uint32_t cnt = 0;
	for (uint32_t i = 1; i < vf_zone_size(z) && cnt < VF_ZONE_MAX_VARS; i++) {
		uint32_t id = z->ids[i];
		const struct vf_reg *l = vf_state_zone_loc(st, id);
		if (!l || l->type != VT_SCALAR)
			continue;
		int64_t hi = vf_zone_upper(z, id, VF_ZONE_ZERO), nlo = vf_zone_upper(z, VF_ZONE_ZERO, id);
		uint64_t lo = nlo < 0 ? (uint64_t)-nlo : 0;
		if (hi < 0 || (hi != VF_ZONE_INF && lo > (uint64_t)hi))
			return false;
		uint64_t uhi = hi == VF_ZONE_INF ? UINT64_MAX : (uint64_t)hi;
		if (uhi >= l->v.u64.hi && lo <= l->v.u64.lo)
			continue;
		bool empty = false;
		nw[cnt].id = id;
		nw[cnt].v = vn_meet(l->v, vn_urange(lo, uhi), &empty);
		if (empty)
			return false;
		cnt++;
	}
	for (uint32_t i = 0; i < cnt; i++) {
		uint32_t id = nw[i].id;
		if (id < VF_ZV_SLOT(0)) {
			st->r[id - VF_ZV_REG(0)].v = nw[i].v;
			vf_link_refine(st, (int)(id - VF_ZV_REG(0)));
			continue;
		}
		struct vf_frame *fr = vf_frame_mut(st, st->nframes - 1);
		struct vf_reg *sr = fr ? vf_frame_spills_mut(fr) : NULL;
		if (sr)
			sr[id - VF_ZV_SLOT(0)].v = nw[i].v;
	}
	return true;
}

/* The locations linked to scalar register r (same nid: copies, spills and fills of one value)
 * are equal to it in the zone, so a comparison of one relates them all. */
static void zone_scalar_family(struct vf_state *st, int r)
{
	const struct vf_reg *R = &st->r[r];
	if (!R->nid || !st->zone || !vf_zone_has(st->zone, VF_ZV_REG(r)))
		return;
	const struct vf_frame *fr = st->fr[st->nframes - 1];
	for (uint32_t id = VF_ZV_REG(0); id < VF_ZV_SLOT(VF_STACK_SLOTS); id++) {
		if (id == VF_ZV_REG(r) || (id >= VF_ZV_REG(10) && id < VF_ZV_SLOT(0)))
			continue;
		if (id >= VF_ZV_SLOT(0) && fr->sb[(id - VF_ZV_SLOT(0)) * 8] != SB_SPILL)
			continue;
		const struct vf_reg *l = vf_state_zone_loc(st, id);
		if (!l || l->nid != R->nid || l->type != VT_SCALAR)
			continue;
		vf_state_zone_constrain(st, id, VF_ZV_REG(r), 0);
		vf_state_zone_constrain(st, VF_ZV_REG(r), id, 0);
	}
}

/* Scalars compared "ra cmp rb" (rb < 0: with a constant) on the side where it holds: two zone
 * scalars whose compared values are their integer values (both in [0, 2^62]; for a 32-bit
 * comparison below 2^32, or 2^31 when signed) get the difference constraint; a zone variable compared with a
 * constant gets its refined range; then the zone refines every zone scalar. False when infeasible. */
bool vf_zt_scalar_cond(struct vf_state *st, int cmp, bool is32, int ra, int rb)
{
	const struct vf_reg *A = &st->r[ra], *B = rb >= 0 ? &st->r[rb] : NULL;
	bool sgn = cmp == VF_CMP_SGT || cmp == VF_CMP_SGE || cmp == VF_CMP_SLT || cmp == VF_CMP_SLE;
	uint64_t lim = !is32 ? VF_ZONE_SCALAR_MAX : sgn ? INT32_MAX : UINT32_MAX;
	uint32_t a = VF_ZV_REG(ra), b = rb >= 0 ? VF_ZV_REG(rb) : 0;
	bool rel = B && rb != ra && cmp != VF_CMP_NE && cmp != VF_CMP_SET && cmp != VF_CMP_NSET &&
	           vf_zt_fits(st, a, A, lim) && vf_zt_fits(st, b, B, lim);
	if (!rel && (!st->zone || !(vf_zone_has(st->zone, a) || (B && vf_zone_has(st->zone, b)))))
		return true;
	if (rel &&
	    !vf_state_zone_room(st, (st->zone ? !vf_zone_has(st->zone, a) + !vf_zone_has(st->zone, b) : 2)))
		rel = false;
	if (rel || vf_zone_has(st->zone, a))
		vf_state_zone_bounds(st, a);
	if (B && (rel || vf_zone_has(st->zone, b)))
		vf_state_zone_bounds(st, b);
	if (!st->zone)
		return true;
	if (rel) {
		zone_scalar_family(st, ra);
		zone_scalar_family(st, rb);
	}
	if (rel && vf_zone_has(st->zone, a) && vf_zone_has(st->zone, b) &&
	    vf_zone_assume(st->zone, (enum vf_cmp)cmp, a, b, 0) != BPFC_OK) {
		vf_state_zone_drop(st);
		return true;
	}
	return zone_refine(st);
}

/* Packet pointer pr compared "pr s2 data_end": the zone learns pr - end <= 0 or <= -1 where
 * it is in bounds, end - pr <= -1 or <= 0 where it is not. Only for offsets that cannot wrap. */
void vf_zt_pkt_cond(struct vf_state *good, struct vf_state *bad, int pr, unsigned s2)
{
	bool strict_good = s2 == ISA_SEM_JGE || s2 == ISA_SEM_JLT; /* good: pr < end */
	struct vf_state *sts[2] = {good, bad};
	for (int i = 0; i < 2; i++) {
		struct vf_state *t = sts[i];
		if (!t)
			continue;
		const struct vf_reg *P = &t->r[pr];
		if (P->type != VT_PKT || P->v.u64.hi >= 0xffff || P->off <= -0xffff || P->off >= 0xffff)
			continue;
		vf_zt_pkt_family(t, pr);
		if (i == 0)
			vf_state_zone_constrain(t, VF_ZV_REG(pr), VF_ZV_END, strict_good ? -1 : 0);
		else
			vf_state_zone_constrain(t, VF_ZV_END, VF_ZV_REG(pr), strict_good ? 0 : -1);
	}
}

struct zrel {
	uint32_t x, y;
	int64_t c; /* x - y <= c; VF_ZONE_INF: none */
};

/* Two packet pointers compared unsigned, "ra sem rb": their offsets are ordered the same way
 * (data + 64 KiB does not wrap); the zone relates them, and through data_end, the others. */
void vf_zt_pkt_pair(struct vf_state *taken, struct vf_state *fall, int ra, int rb, unsigned sem)
{
	uint32_t a = VF_ZV_REG(ra), b = VF_ZV_REG(rb);
	struct zrel t[2] = {{0, 0, VF_ZONE_INF}, {0, 0, VF_ZONE_INF}},
	            f[2] = {{0, 0, VF_ZONE_INF}, {0, 0, VF_ZONE_INF}};
	switch (sem) { /* taken: x - y <= c; fall: its negation */
	case ISA_SEM_JGT:
		t[0] = (struct zrel){b, a, -1};
		f[0] = (struct zrel){a, b, 0};
		break;
	case ISA_SEM_JGE:
		t[0] = (struct zrel){b, a, 0};
		f[0] = (struct zrel){a, b, -1};
		break;
	case ISA_SEM_JLT:
		t[0] = (struct zrel){a, b, -1};
		f[0] = (struct zrel){b, a, 0};
		break;
	case ISA_SEM_JLE:
		t[0] = (struct zrel){a, b, 0};
		f[0] = (struct zrel){b, a, -1};
		break;
	case ISA_SEM_JEQ:
		t[0] = (struct zrel){a, b, 0};
		t[1] = (struct zrel){b, a, 0};
		break;
	case ISA_SEM_JNE:
		f[0] = (struct zrel){a, b, 0};
		f[1] = (struct zrel){b, a, 0};
		break;
	default: return;
	}
	struct vf_state *sts[2] = {taken, fall};
	for (int i = 0; i < 2; i++) {
		struct vf_state *st = sts[i];
		if (!st)
			continue;
		const struct vf_reg *A = &st->r[ra], *B = &st->r[rb];
		if (!vf_zt_pkt_type(A->type) || !vf_zt_pkt_type(B->type) || A->v.u64.hi >= 0xffff ||
		    B->v.u64.hi >= 0xffff || A->off <= -0xffff || A->off >= 0xffff || B->off <= -0xffff ||
		    B->off >= 0xffff)
			continue;
		/* each offset where its own value places it (data, or data_meta <= data) */
		vf_zt_pkt_family(st, ra);
		vf_zt_pkt_family(st, rb);
		for (int k = 0; k < 2; k++) {
			int64_t c = i == 0 ? t[k].c : f[k].c;
			if (c != VF_ZONE_INF)
				vf_state_zone_constrain(st, i == 0 ? t[k].x : f[k].x,
				                        i == 0 ? t[k].y : f[k].y, c);
		}
	}
}

/* Register r's range met with the zone's bounds of its variable (and its linked copies'). */
void vf_zt_refine_reg(struct vf_state *st, int r)
{
	struct vf_reg *R = &st->r[r];
	if (R->type != VT_SCALAR || !vf_zone_has(st->zone, VF_ZV_REG(r)))
		return;
	vf_zone_ensure_closed(st->zone);
	int64_t u = vf_zone_upper(st->zone, VF_ZV_REG(r), VF_ZONE_ZERO);
	int64_t d = vf_zone_upper(st->zone, VF_ZONE_ZERO, VF_ZV_REG(r));
	if (u == INT64_MIN)
		return; /* bottom: an infeasible path, left to the branches */
	/* the zone's bounds only where it has them: no bound is not "at most INT64_MAX" */
	uint64_t hi = u == VF_ZONE_INF || u < 0 ? R->v.u64.hi : (uint64_t)u;
	uint64_t lo = d == VF_ZONE_INF || d > 0 ? R->v.u64.lo : (uint64_t)-d;
	if (u < 0 || hi < lo || (hi >= R->v.u64.hi && lo <= R->v.u64.lo))
		return;
	bool empty = false;
	struct vf_scalar v = vn_meet(R->v, vn_urange(lo, hi), &empty);
	if (empty)
		return;
	R->v = v;
	vf_link_refine(st, r);
}

/* Whether scalar r (variable id), known in [0, 2^62], stays non-negative when c is added. */
bool vf_zt_add_fits(struct vf_state *st, uint32_t id, const struct vf_reg *r, int64_t c)
{
	int64_t lo, hi;
	if (c >= 0)
		return true;
	zone_range(st, id, r, &lo, &hi);
	return lo + c >= 0;
}

/* A packet pointer at a known offset from data (no variable part), below 64 KiB. */
bool vf_zt_pkt_const(const struct vf_reg *p)
{
	return vn_is_const(p->v) && p->off > -0xffff && p->off < 0xffff && p->v.u64.lo < 0xffff &&
	       p->off + (int64_t)p->v.u64.lo >= 0;
}

/* Register dst := base + c as a number (a difference of packet pointers), kept in the zone when
 * the zone proves it non-negative (its unsigned value is then that integer); data_end - data
 * lies in [0, 64 KiB] (Linux MAX_PACKET_OFF). */
void vf_zt_ptr_diff(struct vf_state *st, int dst, uint32_t base, int64_t c)
{
	if (base == VF_ZV_END) {
		vf_state_zone_constrain(st, VF_ZV_END, VF_ZONE_ZERO, 0xffff);
		vf_state_zone_constrain(st, VF_ZONE_ZERO, VF_ZV_END, 0);
	}
	if (!st->zone || !vf_zone_has(st->zone, base)) {
		vf_state_zone_forget(st, dst);
		return;
	}
	vf_zone_ensure_closed(st->zone);
	if (vf_zone_upper(st->zone, VF_ZONE_ZERO, base) > c) {
		vf_state_zone_forget(st, dst);
		return;
	}
	vf_state_zone_assign(st, VF_ZV_REG(dst), base, c);
}

/* A scalar whose copy starts relating two registers: in the zone's range and not a constant
 * (a constant's relations are its bounds, added when needed). */
bool vf_zt_copyable(const struct vf_reg *r)
{
	return vf_zone_scalar_ok(r) && !vn_is_const(r->v);
}

/* A store of size bytes at base + off: the current frame's slots it overlaps lose their
 * variables; an 8-byte spill of a zone variable (register val_reg) keeps it as the slot's. */
void vf_zt_stack_store(struct vf_state *st, const struct vf_reg *base, int64_t off, int64_t size, int val_reg)
{
	if (!st->zone || base->type != VT_STACK || base->frame + 1u != st->nframes)
		return;
	if (!vn_is_const(base->v)) {
		for (int k = 0; k < VF_STACK_SLOTS; k++)
			vf_state_zone_forget_id(st, VF_ZV_SLOT(k));
		return;
	}
	int64_t lo = base->off + (int64_t)base->v.u64.lo + off;
	if (lo < -VF_STACK_SIZE || lo >= 0 || size < 1 || size > 8)
		return; /* reported by the access check; nothing in the frame is written */
	int64_t b = lo + VF_STACK_SIZE;
	for (int64_t k = b / 8; k <= (b + size - 1) / 8 && k < VF_STACK_SLOTS; k++)
		vf_state_zone_forget_id(st, VF_ZV_SLOT(k));
	if (val_reg >= 0 && size == 8 && (b & 7) == 0 && vf_zone_has(st->zone, VF_ZV_REG(val_reg)) &&
	    vf_state_zone_valid(st, VF_ZV_SLOT(b / 8)))
		vf_state_zone_assign(st, VF_ZV_SLOT(b / 8), VF_ZV_REG(val_reg), 0);
}

/* The slot an 8-byte fill at base + off reads from the current frame, or -1. */
int vf_zt_fill_slot(const struct vf_state *st, const struct vf_reg *base, int64_t off)
{
	if (base->type != VT_STACK || base->frame + 1u != st->nframes || !vn_is_const(base->v))
		return -1;
	int64_t b = base->off + (int64_t)base->v.u64.lo + off + VF_STACK_SIZE;
	return b >= 0 && b < VF_STACK_SIZE && (b & 7) == 0 ? (int)(b / 8) : -1;
}
