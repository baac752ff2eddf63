/* The abstract-interpretation pass: a fixpoint over the program's blocks in weak topological
 * order, states kept only where paths meet and partitioned by shape, widening at loop heads,
 * then one reporting pass over the stable states that emits the findings and proves every loop
 * bounded. See specs/verifier.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/engine.h"
#include "verifier/verifier.h"
#include "verifier/witness.h"

#define K_WIDEN 8     /* callback entry: a widening point that is not a loop */
#define MAX_DISJ 12   /* states of different shapes kept per block head and call stack */
#define WIDEN_DELAY 2 /* plain joins at a widening point before widening */
#define MAX_PROCESSED (UINT64_C(200) * 1000 * 1000)
#define NARROW_ROUNDS 6 /* decreasing passes after the fixpoint, at most */

/* ---- worklist: a min-heap of head indexes by WTO position ---- */

static uint64_t prio_of(const struct vf_actx *A, uint32_t h, const uint64_t *prio)
{
	(void)A;
	return prio[h]; /* WTO position << 32 | slot */
}

static void heap_push(struct vf_actx *A, const uint64_t *prio, uint32_t h)
{
	if (A->heads[h].queued)
		return;
	A->heads[h].queued = true;
	uint32_t i = A->heap_cnt++;
	A->heap[i] = h;
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (prio_of(A, A->heap[p], prio) <= prio_of(A, A->heap[i], prio))
			break;
		uint32_t t = A->heap[p];
		A->heap[p] = A->heap[i];
		A->heap[i] = t;
		i = p;
	}
}

static uint32_t heap_pop(struct vf_actx *A, const uint64_t *prio)
{
	uint32_t top = A->heap[0];
	A->heap[0] = A->heap[--A->heap_cnt];
	uint32_t i = 0;
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < A->heap_cnt && prio_of(A, A->heap[l], prio) < prio_of(A, A->heap[m], prio))
			m = l;
		if (r < A->heap_cnt && prio_of(A, A->heap[r], prio) < prio_of(A, A->heap[m], prio))
			m = r;
		if (m == i)
			break;
		uint32_t t = A->heap[m];
		A->heap[m] = A->heap[i];
		A->heap[i] = t;
		i = m;
	}
	A->heads[top].queued = false;
	return top;
}

struct run {
	struct vf_actx *A;
	const struct vf_ctx *V;
	const uint64_t *prio;
	uint32_t *loop_block_slots; /* per loop: slots inside the loop */
	struct vf_state **entry;    /* one_pass: the states that entered the open loop */
	uint32_t *entry_slot;       /* and the head each entered */
	uint32_t entry_cnt;
};

/* ---- termination ---- */

static uint64_t iter_bound(const struct vf_reg *r, const struct vf_delta *d, bool inc)
{
	uint64_t lo, hi;
	if (r->type == VT_SCALAR) {
		lo = r->v.u64.lo;
		hi = r->v.u64.hi;
	} else {
		int64_t a, b;
		if (__builtin_add_overflow(r->off, r->v.s64.lo, &a) ||
		    __builtin_add_overflow(r->off, r->v.s64.hi, &b))
			return UINT64_MAX;
		lo = (uint64_t)a;
		hi = (uint64_t)b;
		if (a > b)
			return UINT64_MAX;
		/* a packet pointer proven not past data_end stays within the packet, at most 64 KiB
		 * (Linux MAX_PACKET_OFF): a pointer walking forward through it is bounded */
		if (r->type == VT_PKT && inc && a >= 0 && r->off >= 0 && r->pkt_range >= 0 &&
		    r->pkt_range >= r->off && hi > 0xffff)
			hi = 0xffff;
	}
	uint64_t step = inc ? (uint64_t)d->dmin : (uint64_t)(-d->dmax);
	uint64_t n = (hi - lo) / step;
	return n == UINT64_MAX ? n : n + 1;
}

/* Follows every path from state st entering loop head h (reporting off, nothing stored) and tells
 * whether one comes back to h: 0 no path does (this back edge is taken at most once from st),
 * 1 some path does, -1 unknown (the budget ran out). Paths leaving the loop's component in the
 * head's frame end there. */
static int reenters_head(struct run *R, uint32_t h, const struct vf_state *st)
{
	struct vf_actx *A = R->A;
	const struct vf_ctx *V = R->V;
	const struct vf_wto *w = V->wto;
	uint32_t l = w->head_loop[V->cfg->block_of[h]];
	uint32_t nframes = st->nframes;
	struct vf_succ *work = NULL;
	size_t wcnt = 0, wcap = 0;
	int verdict = 0;
	uint32_t budget = 512;
	bool was = A->report;
	A->report = false;
	struct vf_state *cur = vf_state_dup(st);
	uint32_t idx = h;
	if (!cur) {
		A->report = was;
		return -1;
	}
	for (;;) {
		if (!budget--) {
			verdict = -1;
			vf_state_free(cur);
			break;
		}
		struct vf_succ out[2];
		memset(out, 0, sizeof(out));
		int k = vf_transfer(A, idx, cur, out);
		bool kept = false;
		for (int i = 0; i < k; i++) {
			uint32_t t = out[i].slot;
			bool drop = t >= A->n || verdict;
			if (!drop && t == h && out[i].st->nframes == nframes) {
				verdict = 1;
				drop = true;
			}
			if (!drop && out[i].st->nframes == nframes) {
				uint32_t b = V->cfg->block_of[t];
				uint32_t pos = b == VF_NONE ? VF_NONE : w->pos[b];
				if (pos == VF_NONE || pos < w->loops[l].first || pos >= w->loops[l].end)
					drop = true; /* left the loop */
			}
			if (!drop && out[i].st->nframes < nframes)
				drop = true; /* returned from the function holding the loop */
			if (drop) {
				if (out[i].st != cur)
					vf_state_free(out[i].st);
				continue;
			}
			if (wcnt == wcap) {
				size_t nc = wcap ? wcap * 2 : 16;
				struct vf_succ *nw = realloc(work, nc * sizeof(*nw));
				if (!nw) {
					verdict = -1;
					if (out[i].st != cur)
						vf_state_free(out[i].st);
					continue;
				}
				work = nw;
				wcap = nc;
			}
			work[wcnt].slot = t;
			work[wcnt].st = out[i].st == cur ? cur : out[i].st;
			if (out[i].st == cur)
				kept = true;
			wcnt++;
		}
		if (!kept)
			vf_state_free(cur);
		if (verdict || !wcnt)
			break;
		wcnt--;
		cur = work[wcnt].st;
		idx = work[wcnt].slot;
	}
	for (size_t i = 0; i < wcnt; i++)
		vf_state_free(work[i].st);
	free(work);
	A->report = was;
	return verdict;
}

/* Relational progress on a back edge of the loop headed at tag - 1: pairs of zone scalars
 * (a, b), each a location whose delta is its own, such that a - b shrinks by at least `step`
 * per iteration (a's delta minus b's) and lies in [lo, hi] here by the zone; the loop then
 * runs at most (hi - lo) / step + 1 times ("for (i = 0; i < n; i++)" with n unchanged:
 * i - n grows towards -1). Writes up to VF_ZPAIRS pairs within the limit to out; the best
 * pair beyond it explains why in *why_n (iterations) and names (a, b, step). */
static uint32_t zone_progress(const struct vf_state *st, uint32_t tag, uint64_t limit, uint16_t *out,
                              uint64_t *why_n, uint16_t *why_pair, int64_t *why_step)
{
	*why_n = 0;
	if (!st->zone || vf_zone_is_bottom(st->zone))
		return 0;
	struct vf_zone z;
	memset(&z, 0, sizeof(z));
	if (vf_zone_copy(&z, st->zone) != BPFC_OK) {
		vf_zone_free(&z);
		return 0;
	}
	vf_zone_close(&z);
	struct cand {
		uint32_t id;
		const struct vf_delta *d;
	} c[VF_ZONE_MAX_VARS];
	uint32_t cn = 0, cnt = 0;
	for (uint32_t i = 1; i < vf_zone_size(&z) && cn < VF_ZONE_MAX_VARS; i++) {
		uint32_t id = z.ids[i];
		const struct vf_reg *l = vf_state_zone_loc(st, id);
		if (!l || l->type != VT_SCALAR || id == VF_ZV_REG(10))
			continue;
		/* the delta's location ids name the same places as the zone's variable ids */
		_Static_assert(VF_LOC_REG(3) == VF_ZV_REG(3) && VF_LOC_SLOT(5) == VF_ZV_SLOT(5),
		               "delta locations and zone variables share their numbering");
		const struct vf_delta *d = vf_reg_delta(l, tag);
		if (d && d->base == id)
			c[cn++] = (struct cand){id, d};
	}
	for (uint32_t i = 0; i < cn && !z.bottom; i++)
		for (uint32_t j = 0; j < cn; j++) {
			if (i == j)
				continue;
			int64_t shrink =
			    (int64_t)c[i].d->dmax - c[j].d->dmin; /* a - b changes by at most this */
			int64_t hi = vf_zone_upper(&z, c[i].id, c[j].id),
			        nlo = vf_zone_upper(&z, c[j].id, c[i].id);
			if (shrink > -1 || hi == VF_ZONE_INF || nlo == VF_ZONE_INF)
				continue;
			int64_t span; /* hi - lo */
			if (__builtin_add_overflow(hi, nlo, &span) || span < 0)
				continue;
			uint64_t n = (uint64_t)span / (uint64_t)-shrink + 1;
			if (n > limit) {
				if (!*why_n || n < *why_n) {
					*why_n = n;
					*why_pair = (uint16_t)(c[i].id << 8 | c[j].id);
					*why_step = -shrink;
				}
				continue;
			}
			if (cnt < VF_ZPAIRS)
				out[cnt++] = (uint16_t)(c[i].id << 8 | c[j].id);
		}
	vf_zone_free(&z);
	return cnt;
}

static void zone_var_name(uint32_t id, char *buf, size_t len)
{
	if (id >= VF_ZV_SLOT(0))
		snprintf(buf, len, "fp%d", -(VF_STACK_SIZE - (int)(id - VF_ZV_SLOT(0)) * 8));
	else
		snprintf(buf, len, "r%u", id - VF_ZV_REG(0));
}

static void check_back_edge(struct run *R, uint32_t to, const struct vf_state *st)
{
	struct vf_actx *A = R->A;
	uint32_t l = A->loop_of[to] - 1;
	struct vf_aloop *L = &A->loops[l];
	uint32_t tag = to + 1;
	uint64_t limit = 1000000 / (R->loop_block_slots[l] ? R->loop_block_slots[l] : 1);
	uint64_t inc_r = 0, inc_s = 0, dec_r = 0, dec_s = 0;
	const struct vf_frame *fr = st->fr[st->nframes - 1];
	for (int i = 0; i < 10 + VF_STACK_SLOTS; i++) {
		const struct vf_reg *r;
		if (i < 10) {
			r = &st->r[i];
		} else {
			int s = i - 10;
			if (fr->sb[s * 8] != SB_SPILL)
				continue;
			r = &fr->sp->r[s];
		}
		if (r->type == VT_UNINIT || r->type == VT_UNUSABLE)
			continue;
		const struct vf_delta *d = vf_reg_delta(r, tag);
		/* only a location's own progress counts: a copy of another counter does not */
		if (!d || d->base != (i < 10 ? VF_LOC_REG(i) : VF_LOC_SLOT(i - 10)))
			continue;
		for (int dir = 0; dir < 2; dir++) {
			bool inc = dir == 0;
			if (inc ? d->dmin < 1 : d->dmax > -1)
				continue;
			uint64_t n = iter_bound(r, d, inc);
			char name[16];
			if (i < 10)
				snprintf(name, sizeof(name), "r%d", i);
			else
				snprintf(name, sizeof(name), "fp%d", -(VF_STACK_SIZE - (i - 10) * 8));
			if (n > limit) {
				if (!L->why[0] || n != UINT64_MAX)
					snprintf(L->why, sizeof(L->why),
					         "%s %s by %lld per iteration but its bound allows %s "
					         "iterations (limit %llu)",
					         name, inc ? "grows" : "shrinks",
					         (long long)(inc ? d->dmin : -d->dmax),
					         n == UINT64_MAX ? "2^64" : "too many",
					         (unsigned long long)limit);
				continue;
			}
			uint64_t bit = UINT64_C(1) << (i < 10 ? i : i - 10);
			if (i < 10)
				*(inc ? &inc_r : &dec_r) |= bit;
			else
				*(inc ? &inc_s : &dec_s) |= bit;
		}
	}
	uint16_t zp[VF_ZPAIRS];
	uint64_t zwhy_n;
	uint16_t zwhy_pair = 0;
	int64_t zwhy_step = 0;
	uint32_t zcnt = zone_progress(st, tag, limit, zp, &zwhy_n, &zwhy_pair, &zwhy_step);
	if (zwhy_n && !L->why[0]) {
		char a[16], b[16];
		zone_var_name(zwhy_pair >> 8, a, sizeof(a));
		zone_var_name(zwhy_pair & 0xff, b, sizeof(b));
		snprintf(L->why, sizeof(L->why),
		         "%s - %s shrinks by %lld per iteration but its bounds allow %llu iterations "
		         "(limit %llu)",
		         a, b, (long long)zwhy_step, (unsigned long long)zwhy_n, (unsigned long long)limit);
	}
	bool any = st->may_goto;
	/* no progress, but from this state the loop cannot come round again (a branch that was
	 * taken now goes the other way): this back edge is taken at most once */
	if (!any && !(inc_r | inc_s | dec_r | dec_s) && !zcnt && reenters_head(R, to, st) == 0)
		any = true;
	if (any)
		inc_r = inc_s = dec_r = dec_s = UINT64_MAX;
	if (!any) { /* relational candidates: those of every back edge so far */
		if (!L->seen) {
			memcpy(L->zpair, zp, zcnt * sizeof(zp[0]));
			L->zpair_cnt = (uint8_t)zcnt;
			L->zpair_all = false;
		} else if (L->zpair_all) {
			memcpy(L->zpair, zp, zcnt * sizeof(zp[0]));
			L->zpair_cnt = (uint8_t)zcnt;
			L->zpair_all = false;
		} else {
			uint8_t k = 0;
			for (uint8_t i = 0; i < L->zpair_cnt; i++)
				for (uint32_t j = 0; j < zcnt; j++)
					if (L->zpair[i] == zp[j]) {
						L->zpair[k++] = L->zpair[i];
						break;
					}
			L->zpair_cnt = k;
		}
	} else if (!L->seen) {
		L->zpair_all = true; /* this edge bounds itself: neutral for the pairs */
	}
	if (!L->seen) {
		L->seen = true;
		L->inc_regs = inc_r;
		L->inc_slots = inc_s;
		L->dec_regs = dec_r;
		L->dec_slots = dec_s;
	} else {
		L->inc_regs &= inc_r;
		L->inc_slots &= inc_s;
		L->dec_regs &= dec_r;
		L->dec_slots &= dec_s;
	}
}

static bool is_back_edge(const struct run *R, uint32_t from, uint32_t to)
{
	const struct vf_ctx *V = R->V;
	const struct vf_wto *w = V->wto;
	uint32_t hb = V->cfg->block_of[to], fb = V->cfg->block_of[from];
	uint32_t l = w->head_loop[hb];
	if (l == VF_NONE || w->pos[fb] == VF_NONE)
		return false;
	return w->pos[fb] >= w->loops[l].first && w->pos[fb] < w->loops[l].end;
}

/* ---- storing states at heads ---- */

static void abort_limit(struct vf_actx *A, uint32_t slot, const char *what)
{
	if (A->aborted)
		return;
	A->aborted = true;
	bool was = A->report;
	A->report = true;
	struct vf_finding *f =
	    vf_report(A, slot, "VF-LIMIT-REACHED", false, "analysis limit reached: %s", what);
	if (f)
		vf_finding_set_hint(f, "simplify the loop or raise the limit; the program is not verified");
	A->report = was;
}

/* A loop head reached anew from outside (an enclosing loop's next iteration): its states get
 * WIDEN_DELAY plain joins again before widening, so the inner loop is widened only on what it
 * changes itself. The enclosing heads widen what enters, so this happens finitely often. */
static void restart_widening(struct vf_ahead *hd)
{
	for (uint32_t i = 0; i < hd->cnt; i++)
		hd->d[i].joins = 0;
}

static void propagate(struct run *R, uint32_t from, uint32_t to, const struct vf_state *st)
{
	struct vf_actx *A = R->A;
	if (A->report && !A->one_pass) {
		if ((A->kind[to] & K_LOOP) && A->loop_of[to] && is_back_edge(R, from, to))
			check_back_edge(R, to, st);
		return;
	}
	if (A->one_pass && A->open_end) {
		uint32_t pos = (uint32_t)(R->prio[A->head_of[to] ? A->head_of[to] - 1 : 0] >> 32);
		bool inside = A->head_of[to] && pos >= A->open_first && pos < A->open_end;
		if (A->report && inside) {
			/* the loop's stable states: check its back edges, store nothing in it */
			if ((A->kind[to] & K_LOOP) && A->loop_of[to] && is_back_edge(R, from, to))
				check_back_edge(R, to, st);
			return;
		}
		/* while the loop is being stabilised its exits are not stored: they are computed from
		 * its final (narrowed) states */
		if (!A->report && !inside)
			return;
	}
	if (!A->head_of[to]) {
		vf_report(A, to, "VF-UNSUPPORTED", false,
		          "control reaches instruction %u that is not a block start", to);
		return;
	}
	uint32_t hi = A->head_of[to] - 1;
	struct vf_ahead *hd = &A->heads[hi];
	if (++hd->visits > (uint64_t)A->opts->max_iters_per_head * MAX_DISJ) {
		abort_limit(A, to, "too many fixpoint iterations at this instruction");
		return;
	}
	bool widen_point = (A->kind[to] & (K_LOOP | K_WIDEN)) != 0;
	struct vf_disj *match = NULL, *same_types = NULL, *first_same_calls = NULL;
	uint32_t same_calls = 0;
	for (uint32_t i = 0; i < hd->cnt; i++) {
		struct vf_disj *d = &hd->d[i];
		if (!vf_state_same_calls(d->st, st))
			continue;
		same_calls++;
		if (!first_same_calls)
			first_same_calls = d;
		if (!same_types && vf_state_same_shape(d->st, st, false))
			same_types = d;
		/* flags (registers holding 0 or 1) partition only outside loop heads, where a counter
		 * starting at 0 would otherwise split every loop */
		if (vf_state_same_shape(d->st, st, !widen_point)) {
			match = d;
			break;
		}
	}
	/* over the bound: join with a state of the same types (flags merge), else conservatively */
	if (!match && same_calls >= MAX_DISJ)
		match = same_types ? same_types : first_same_calls;
	if (match) {
		/* at a loop head only the loop's own back edges widen: a value entering from outside
		 * grows only as the enclosing loops iterate, and their heads widen it there; widening
		 * it here too would lose bounds that no decreasing pass can recover (a value carried
		 * unchanged round the inner loop feeds its widened self back) */
		bool counts = (A->kind[to] & K_WIDEN) || is_back_edge(R, from, to);
		if (counts)
			match->joins++;
		bool widen = widen_point && counts && match->joins > WIDEN_DELAY && !A->narrow;
		struct vf_state *tmp = vf_state_dup(match->st);
		if (!tmp) {
			A->nomem = true;
			return;
		}
		vf_state_join(tmp, st, widen, A->thr, A->thr_cnt, to + 1);
		A->widened |= widen;
		if (vf_state_eq(tmp, match->st)) {
			vf_state_free(tmp);
			return;
		}
		vf_state_free(match->st);
		match->st = tmp;
		match->dirty = true;
		if (!counts)
			restart_widening(hd);
		heap_push(A, R->prio, hi);
		return;
	}
	if (hd->cnt == hd->cap) {
		uint32_t nc = hd->cap ? hd->cap * 2 : 2;
		struct vf_disj *nd = realloc(hd->d, nc * sizeof(*nd));
		if (!nd) {
			A->nomem = true;
			return;
		}
		hd->d = nd;
		hd->cap = nc;
	}
	struct vf_state *c = vf_state_dup(st);
	if (!c) {
		A->nomem = true;
		return;
	}
	vf_state_canon(c, to + 1);
	if ((A->kind[to] & K_LOOP) && !is_back_edge(R, from, to))
		restart_widening(hd);
	hd->d[hd->cnt].st = c;
	hd->d[hd->cnt].joins = 0;
	hd->d[hd->cnt].dirty = true;
	hd->cnt++;
	A->live_states++;
	if (A->live_states > A->stats->peak_states)
		A->stats->peak_states = A->live_states;
	if (A->live_states > A->opts->max_states)
		abort_limit(A, to, "too many abstract states");
	heap_push(A, R->prio, hi);
}

/* Whether the loop headed at slot tag - 1 contains slot h (its own head included). */
static bool loop_holds(const struct run *R, uint32_t tag, uint32_t h)
{
	const struct vf_ctx *V = R->V;
	const struct vf_wto *w = V->wto;
	uint32_t hb = V->cfg->block_of[tag - 1], b = V->cfg->block_of[h];
	if (hb == VF_NONE || b == VF_NONE || w->head_loop[hb] == VF_NONE || w->pos[b] == VF_NONE)
		return false;
	const struct vf_loop *L = &w->loops[w->head_loop[hb]];
	return w->pos[b] >= L->first && w->pos[b] < L->end;
}

/* Forgets the deltas of loops that do not contain slot h (left behind): the slots then hold
 * only enclosing loops, so nests as deep as VF_DELTA_SLOTS keep every loop's argument. */
static void drop_outside_deltas(const struct run *R, struct vf_reg *r, uint32_t h)
{
	for (int k = 0; k < VF_DELTA_SLOTS; k++)
		if (r->dl[k].head && !loop_holds(R, r->dl[k].head, h))
			memset(&r->dl[k], 0, sizeof(r->dl[k]));
}

static void reset_deltas(const struct run *R, struct vf_state *st, uint32_t tag)
{
	uint32_t h = tag - 1;
	for (int i = 0; i < 10; i++)
		if (st->r[i].type != VT_UNINIT) {
			drop_outside_deltas(R, &st->r[i], h);
			vf_reg_delta_reset(&st->r[i], tag, VF_LOC_REG(i));
		}
	const struct vf_frame *cf = st->fr[st->nframes - 1];
	bool spills = false;
	for (int s = 0; s < VF_STACK_SLOTS && !spills; s++)
		spills = cf->sb[s * 8] == SB_SPILL;
	struct vf_frame *fr = spills ? vf_frame_mut(st, st->nframes - 1) : NULL;
	struct vf_reg *sr = fr ? vf_frame_spills_mut(fr) : NULL;
	for (int s = 0; sr && s < VF_STACK_SLOTS; s++)
		if (fr->sb[s * 8] == SB_SPILL) {
			drop_outside_deltas(R, &sr[s], h);
			vf_reg_delta_reset(&sr[s], tag, VF_LOC_SLOT(s));
		}
	st->may_goto = false;
}

/* Runs from head slot h with state in through every block that has no state of its own (blocks
 * with a single predecessor are run in line, depth first), propagating to the heads reached. */
static void run_block(struct run *R, uint32_t h, const struct vf_state *in)
{
	struct vf_actx *A = R->A;
	struct vf_succ *work = NULL;
	size_t wcnt = 0, wcap = 0;
	struct vf_state *st = vf_state_dup(in);
	if (!st) {
		A->nomem = true;
		return;
	}
	if (A->kind[h] & K_LOOP)
		reset_deltas(R, st, h + 1);
	A->stats->iterations++;
	uint32_t idx = h;
	for (;;) {
		bool path_done = false;
		if (idx >= A->n || A->aborted || A->nomem) {
			path_done = true;
		} else if (++A->processed > MAX_PROCESSED) {
			abort_limit(A, idx, "too many instructions processed");
			path_done = true;
		} else if (A->mem.cur + A->fixed_mem > A->opts->max_mem_bytes) {
			char what[96];
			snprintf(what, sizeof(what),
			         "the abstract states need more than %llu bytes of memory",
			         (unsigned long long)A->opts->max_mem_bytes);
			abort_limit(A, idx, what);
			path_done = true;
		}
		if (!path_done) {
			if (A->report && A->opts->trace) {
				char buf[4096];
				vf_describe_state(A, st, buf, sizeof(buf));
				A->opts->trace(A->opts->trace_arg, idx, buf);
			}
			struct vf_succ out[2];
			memset(out, 0, sizeof(out));
			A->cur = st;
			int k = vf_transfer(A, idx, st, out);
			A->cur = NULL;
			bool continued = false;
			struct vf_state *next_st = NULL;
			uint32_t next_idx = 0;
			for (int i = 0; i < k; i++) {
				bool inline_ok =
				    out[i].slot < A->n && !(A->kind[out[i].slot] & K_HEAD) && !A->nomem;
				if (inline_ok && !continued) {
					continued = true;
					next_st = out[i].st;
					next_idx = out[i].slot;
					continue;
				}
				if (inline_ok) {
					if (wcnt == wcap) {
						size_t nc = wcap ? wcap * 2 : 8;
						struct vf_succ *nw = realloc(work, nc * sizeof(*nw));
						if (!nw) {
							A->nomem = true;
						} else {
							work = nw;
							wcap = nc;
						}
					}
					if (wcnt < wcap) {
						work[wcnt].slot = out[i].slot;
						work[wcnt].st =
						    out[i].st == st ? vf_state_dup(st) : out[i].st;
						if (!work[wcnt].st)
							A->nomem = true;
						else
							wcnt++;
						continue;
					}
				}
				if (out[i].slot < A->n && !A->nomem)
					propagate(R, idx, out[i].slot, out[i].st);
				if (out[i].st != st)
					vf_state_free(out[i].st);
			}
			if (continued) {
				if (next_st != st)
					vf_state_free(st);
				st = next_st;
				idx = next_idx;
				continue;
			}
		}
		vf_state_free(st);
		if (!wcnt)
			break;
		wcnt--;
		st = work[wcnt].st;
		idx = work[wcnt].slot;
	}
	free(work);
}

/* ---- narrowing ---- */

/* A digest of the numeric contents of every head's states, to see whether a decreasing round
 * changed anything (only the number of rounds depends on it, never soundness). */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
	return h;
}

static uint64_t reg_digest(uint64_t h, const struct vf_reg *r)
{
	h = mix(h, r->type);
	h = mix(h, (uint64_t)r->off);
	h = mix(h, r->v.u64.lo);
	h = mix(h, r->v.u64.hi);
	h = mix(h, (uint64_t)r->v.s64.lo);
	h = mix(h, (uint64_t)r->v.s64.hi);
	h = mix(h, r->v.var.value);
	return mix(h, r->v.var.mask);
}

static uint64_t head_digest(uint64_t h, const struct vf_ahead *hd)
{
	h = mix(h, hd->cnt);
	for (uint32_t j = 0; j < hd->cnt; j++) {
		const struct vf_state *st = hd->d[j].st;
		for (int i = 0; i < VF_NREGS; i++)
			h = reg_digest(h, &st->r[i]);
		for (uint32_t f = 0; f < st->nframes; f++) {
			const struct vf_frame *fr = st->fr[f];
			for (int k = 0; k < VF_STACK_SLOTS; k++)
				if (fr->sb[k * 8] == SB_SPILL && fr->sp)
					h = reg_digest(h, &fr->sp->r[k]);
		}
	}
	return h;
}

/* Decreasing iterations after widening: every head's states are recomputed, without widening,
 * from the stable states of all heads (and the entry state), and replace them. The stable
 * states over-approximate every execution, so the recomputed ones do too, and a bound that
 * widening pushed to a threshold or an extreme comes back to what the loop's exit test and
 * body allow. Each old state is run once and freed at once, so a round holds about one set of
 * states. Rounds stop when nothing changes, after NARROW_ROUNDS at most. */
static void narrow(struct run *R, const struct vf_state *init)
{
	struct vf_actx *A = R->A;
	A->narrow = true;
	uint64_t before = 0;
	for (uint32_t h = 0; h < A->head_cnt; h++)
		before = head_digest(before, &A->heads[h]);
	for (int round = 0; round < NARROW_ROUNDS && !A->aborted && !A->nomem; round++) {
		struct vf_ahead *old = A->heads;
		A->heads = calloc(A->head_cnt ? A->head_cnt : 1, sizeof(*A->heads));
		if (!A->heads) {
			A->heads = old;
			A->nomem = true;
			break;
		}
		propagate(R, 0, 0, init);
		for (uint32_t h = 0; h < A->head_cnt && !A->aborted && !A->nomem; h++) {
			uint32_t slot = (uint32_t)(R->prio[h] & 0xffffffffu);
			for (uint32_t i = 0; i < old[h].cnt; i++) {
				if (!A->aborted && !A->nomem)
					run_block(R, slot, old[h].d[i].st);
				vf_state_free(old[h].d[i].st);
			}
			A->live_states -= old[h].cnt;
			free(old[h].d);
			old[h].d = NULL;
			old[h].cnt = 0;
		}
		for (uint32_t h = 0; h < A->head_cnt; h++) {
			for (uint32_t i = 0; i < old[h].cnt; i++)
				vf_state_free(old[h].d[i].st);
			A->live_states -= old[h].cnt;
			free(old[h].d);
		}
		free(old);
		A->heap_cnt = 0;
		uint64_t after = 0;
		for (uint32_t h = 0; h < A->head_cnt; h++) {
			A->heads[h].queued = false;
			after = head_digest(after, &A->heads[h]);
		}
		if (after == before)
			break;
		before = after;
	}
	A->narrow = false;
}

/* ---- one pass: outermost loops one at a time ---- */

/* Removes the heads of WTO positions [first, end) from the worklist. */
static void heap_drop_range(struct run *R, uint32_t first, uint32_t end)
{
	struct vf_actx *A = R->A;
	uint32_t keep = 0;
	for (uint32_t i = 0; i < A->heap_cnt; i++) {
		uint32_t h = A->heap[i];
		uint32_t pos = (uint32_t)(R->prio[h] >> 32);
		if (pos >= first && pos < end)
			A->heads[h].queued = false;
		else
			A->heap[keep++] = h;
	}
	A->heap_cnt = 0;
	for (uint32_t i = 0; i < keep; i++) {
		uint32_t h = A->heap[i];
		A->heads[h].queued = false;
		heap_push(A, R->prio, h);
	}
}

/* First index k of the heads in WTO order (order_heads) whose position is at least pos. */
static uint32_t first_head_at(const struct run *R, const uint32_t *order_heads, uint32_t pos)
{
	uint32_t lo = 0, hi = R->A->head_cnt;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if ((uint32_t)(R->prio[order_heads[mid]] >> 32) < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The loop is reached, every predecessor outside it done: keep the states that entered its
 * heads (the decreasing passes start from them; normally only its head has any) and stabilise
 * it without reporting. */
static bool open_loop(struct run *R, const uint32_t *order_heads, uint32_t first, uint32_t end)
{
	struct vf_actx *A = R->A;
	uint32_t n = 0;
	uint32_t lo = first_head_at(R, order_heads, first), hi = first_head_at(R, order_heads, end);
	for (uint32_t k = lo; k < hi; k++)
		n += A->heads[order_heads[k]].cnt;
	R->entry = calloc(n ? n : 1, sizeof(*R->entry));
	R->entry_slot = calloc(n ? n : 1, sizeof(*R->entry_slot));
	if (!R->entry || !R->entry_slot) {
		A->nomem = true;
		return false;
	}
	for (uint32_t k = lo; k < hi; k++) {
		const struct vf_ahead *hd = &A->heads[order_heads[k]];
		for (uint32_t i = 0; i < hd->cnt; i++) {
			struct vf_state *c = vf_state_dup(hd->d[i].st);
			if (!c) {
				A->nomem = true;
				return false;
			}
			R->entry_slot[R->entry_cnt] = (uint32_t)(R->prio[order_heads[k]] & 0xffffffffu);
			R->entry[R->entry_cnt++] = c;
		}
	}
	A->open_first = first;
	A->open_end = end;
	A->report = false;
	A->widened = false;
	return true;
}

static uint64_t head_digest(uint64_t h, const struct vf_ahead *hd);

/* The open loop is stable: decreasing passes over its heads (from its entry states and its own
 * states, exits not stored), then one reporting run of its final states, which stores its exits
 * in the heads after it; then its states are freed. */
static void close_loop(struct run *R, const uint32_t *order_heads)
{
	struct vf_actx *A = R->A;
	uint32_t first = A->open_first, end = A->open_end;
	/* order_heads[lo, hi): the loop's heads */
	uint32_t lo = first_head_at(R, order_heads, first), hi = first_head_at(R, order_heads, end);
	A->narrow = true;
	uint64_t before = 0;
	for (uint32_t k = lo; k < hi; k++)
		before = head_digest(before, &A->heads[order_heads[k]]);
	for (int round = 0; A->widened && round < NARROW_ROUNDS && !A->aborted && !A->nomem; round++) {
		struct vf_ahead *old = calloc(hi - lo, sizeof(*old));
		if (!old) {
			A->nomem = true;
			break;
		}
		for (uint32_t k = lo; k < hi; k++) {
			old[k - lo] = A->heads[order_heads[k]];
			struct vf_ahead *hd = &A->heads[order_heads[k]];
			hd->d = NULL;
			hd->cnt = hd->cap = 0;
			hd->visits = 0;
		}
		for (uint32_t i = 0; i < R->entry_cnt; i++)
			propagate(R, R->entry_slot[i], R->entry_slot[i], R->entry[i]);
		for (uint32_t k = lo; k < hi; k++) {
			uint32_t slot = (uint32_t)(R->prio[order_heads[k]] & 0xffffffffu);
			struct vf_ahead *o = &old[k - lo];
			for (uint32_t i = 0; i < o->cnt; i++) {
				if (!A->aborted && !A->nomem)
					run_block(R, slot, o->d[i].st);
				vf_state_free(o->d[i].st);
			}
			A->live_states -= o->cnt;
			free(o->d);
		}
		free(old);
		heap_drop_range(R, first, end);
		uint64_t after = 0;
		for (uint32_t k = lo; k < hi; k++)
			after = head_digest(after, &A->heads[order_heads[k]]);
		if (after == before)
			break;
		before = after;
	}
	A->narrow = false;
	heap_drop_range(R, first, end);
	/* report from the final states; exits are stored after the loop */
	A->report = true;
	for (uint32_t k = lo; k < hi && !A->aborted && !A->nomem; k++) {
		struct vf_ahead *hd = &A->heads[order_heads[k]];
		uint32_t slot = (uint32_t)(R->prio[order_heads[k]] & 0xffffffffu);
		for (uint32_t i = 0; i < hd->cnt && !A->aborted && !A->nomem; i++)
			run_block(R, slot, hd->d[i].st);
	}
	for (uint32_t k = lo; k < hi; k++) {
		struct vf_ahead *hd = &A->heads[order_heads[k]];
		for (uint32_t i = 0; i < hd->cnt; i++)
			vf_state_free(hd->d[i].st);
		A->live_states -= hd->cnt;
		hd->cnt = 0;
	}
	for (uint32_t i = 0; i < R->entry_cnt; i++)
		vf_state_free(R->entry[i]);
	free(R->entry);
	free(R->entry_slot);
	R->entry = NULL;
	R->entry_slot = NULL;
	R->entry_cnt = 0;
	A->open_first = A->open_end = 0;
}

/* ---- combined stack size along call chains ---- */

/* Deepest combined stack (each frame rounded up to 8 bytes) from function f down its calls,
 * memoised per function (memo[f] = total + 1, 0: not computed); site[f] gets the call site
 * starting the deepest chain below f. The structural pass has rejected recursion and chains
 * deeper than the frame limit, so the recursion here is bounded by the frame limit. */
static uint32_t chain_depth(const struct vf_actx *A, uint32_t f, uint32_t level, uint32_t *memo,
                            uint32_t *site)
{
	const struct vf_cfg *cfg = A->cfg;
	if (memo[f])
		return memo[f] - 1;
	uint32_t own = (A->fdepth[f] + 7) & ~7u, best = 0;
	site[f] = VF_NONE;
	if (level <= VF_MAX_FRAMES)
		for (uint32_t i = 0; i < cfg->funcs[f].call_cnt; i++) {
			const struct vf_call *c = &cfg->calls[cfg->funcs[f].call_off + i];
			uint32_t d = chain_depth(A, c->callee, level + 1, memo, site);
			if (d > best) {
				best = d;
				site[f] = c->insn;
			}
		}
	memo[f] = own + best + 1;
	return own + best;
}

static void check_stack_chains(struct vf_actx *A)
{
	if (!A->cfg->func_cnt)
		return;
	uint32_t *memo = calloc(A->cfg->func_cnt, sizeof(uint32_t));
	uint32_t *sites = calloc(A->cfg->func_cnt, sizeof(uint32_t));
	if (!memo || !sites) {
		free(memo);
		free(sites);
		A->nomem = true;
		return;
	}
	uint32_t total = chain_depth(A, 0, 1, memo, sites);
	uint32_t site = sites[0];
	free(memo);
	free(sites);
	if (total > VF_STACK_SIZE) {
		bool was = A->report;
		A->report = true;
		vf_report(
		    A, site == VF_NONE ? 0 : site, "VF-STACK-SIZE", false,
		    "the call chain starting here uses %u bytes of stack in all, more than the %d allowed",
		    total, VF_STACK_SIZE);
		A->report = was;
	}
}

/* ---- setup ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static bool build_thresholds(struct vf_actx *A)
{
	size_t cap = 64, cnt = 0;
	uint64_t *t = malloc(cap * sizeof(*t));
	if (!t)
		return false;
	for (size_t i = 0; i < A->n; i++) {
		const struct isa_entry *e = A->ent[i];
		if (!e || (e->cls != ISA_CLS_JMP && e->cls != ISA_CLS_JMP32) || e->mode != ISA_MODE_K)
			continue;
		if (e->sem < ISA_SEM_JEQ || e->sem > ISA_SEM_JSLE)
			continue;
		/* K and K+1, and K - 2^j: where a counter stepping by 2^j stops short of K */
		int64_t k = A->prog->insns[i].imm;
		uint64_t vals[20];
		int nv = 0;
		vals[nv++] = (uint64_t)(k + 1);
		vals[nv++] = (uint64_t)(uint32_t)(k + 1);
		for (int j = -1; j < 8; j++) {
			int64_t v = k - (j < 0 ? 0 : (INT64_C(1) << j));
			vals[nv++] = (uint64_t)v;
			vals[nv++] = (uint64_t)(uint32_t)v;
		}
		for (int j = 0; j < nv; j++) {
			if (cnt == cap) {
				cap *= 2;
				uint64_t *nt = realloc(t, cap * sizeof(*t));
				if (!nt) {
					free(t);
					return false;
				}
				t = nt;
			}
			t[cnt++] = vals[j];
		}
	}
	qsort(t, cnt, sizeof(*t), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < cnt; i++)
		if (u == 0 || t[u - 1] != t[i])
			t[u++] = t[i];
	A->thr = t;
	A->thr_cnt = u;
	return true;
}

static void free_actx(struct vf_actx *A)
{
	if (A->heads)
		for (uint32_t i = 0; i < A->head_cnt; i++) {
			for (uint32_t j = 0; j < A->heads[i].cnt; j++)
				vf_state_free(A->heads[i].d[j].st);
			free(A->heads[i].d);
		}
	free(A->heads);
	free(A->kind);
	free(A->head_of);
	free(A->loop_of);
	free(A->loops);
	free(A->thr);
	free(A->heap);
	free(A->reported);
	free(A->fdepth);
	free(A->base_seen);
}

int vf_analyze(struct vf_ctx *V)
{
	if (V->opts.structure_only)
		return BPFC_OK;
	size_t first_finding = V->findings.cnt;
	struct vf_actx A;
	memset(&A, 0, sizeof(A));
	const struct vf_cfg *cfg = V->cfg;
	const struct vf_wto *w = V->wto;
	A.prog = V->prog;
	A.isa = V->isa;
	A.maps = V->maps;
	A.map_cnt = V->map_cnt;
	A.opts = &V->opts;
	A.plat = plat_linux();
	A.pt = vf_progtype_get(A.plat, V->prog_type, V->prog->section, &A.pt_storage) ? &A.pt_storage : NULL;
	A.findings = &V->findings;
	A.stats = &V->stats;
	A.n = V->prog->insn_cnt;
	A.ent = cfg->entry;
	A.cfg = cfg;
	A.fdepth = calloc(cfg->func_cnt ? cfg->func_cnt : 1, sizeof(uint32_t));
	A.base_seen = calloc(A.n ? A.n : 1, 1);
	struct run R = {&A, V, NULL, NULL, NULL, NULL, 0};
	uint32_t *top_loop = NULL, *order_heads = NULL;
	uint64_t *prio = NULL;
	int rc = BPFC_OK;
	A.kind = calloc(A.n, 1);
	A.head_of = calloc(A.n, sizeof(uint32_t));
	A.loop_of = calloc(A.n, sizeof(uint32_t));
	prio = calloc(A.n, sizeof(uint64_t));
	A.loops = calloc(w->loop_cnt ? w->loop_cnt : 1, sizeof(*A.loops));
	R.loop_block_slots = calloc(w->loop_cnt ? w->loop_cnt : 1, sizeof(uint32_t));
	if (!A.kind || !A.head_of || !A.loop_of || !prio || !A.loops || !R.loop_block_slots || !A.fdepth ||
	    !A.base_seen || !build_thresholds(&A)) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	/* states are stored where paths meet (and at function entries); a block with a single
	 * predecessor is run in line from it */
	for (uint32_t b = 0; b < cfg->block_cnt; b++)
		if (cfg->blocks[b].pred_cnt != 1)
			A.kind[cfg->blocks[b].first] |= K_HEAD;
	for (uint32_t f = 0; f < cfg->func_cnt; f++)
		if (cfg->funcs[f].block_cnt)
			A.kind[cfg->blocks[cfg->funcs[f].first_block].first] |= K_HEAD;
	for (size_t i = 0; i < A.n; i++) {
		const struct isa_entry *e = A.ent[i];
		if (!e)
			continue;
		/* a subprogram's or a callback's exit comes back after its call: a join point; after
		 * any other helper the next instruction has the call as its single predecessor */
		if (e->sem == ISA_SEM_CALL_LOCAL && i + 1 < A.n)
			A.kind[i + 1] |= K_HEAD;
		if (e->sem == ISA_SEM_CALL_HELPER && i + 1 < A.n) {
			struct vf_helper hp;
			if (vf_helper_get(A.plat, A.prog->insns[i].imm, &hp) != PLAT_HELPER_OK || hp.callback)
				A.kind[i + 1] |= K_HEAD;
		}
		if (e->sem == ISA_SEM_LDDW_CODE_ADDR || (e->wide && A.prog->insns[i].src == 4)) {
			int64_t t = (int64_t)i + 1 + A.prog->insns[i].imm;
			if (t >= 0 && (uint64_t)t < A.n)
				A.kind[t] |= K_HEAD | K_WIDEN;
		}
	}
	A.loop_cnt = w->loop_cnt;
	for (uint32_t l = 0; l < w->loop_cnt; l++) {
		uint32_t slot = cfg->blocks[w->loops[l].head].first;
		A.kind[slot] |= K_LOOP | K_HEAD;
		A.loop_of[slot] = l + 1;
		A.loops[l].head = slot;
		uint32_t slots = 0;
		for (uint32_t p = w->loops[l].first; p < w->loops[l].end; p++) {
			const struct vf_block *bk = &cfg->blocks[w->order[p]];
			slots += bk->end - bk->first;
		}
		R.loop_block_slots[l] = slots;
	}
	for (size_t i = 0; i < A.n; i++)
		if (A.kind[i] & K_HEAD)
			A.head_of[i] = ++A.head_cnt;
	A.heads = calloc(A.head_cnt ? A.head_cnt : 1, sizeof(*A.heads));
	A.heap = calloc(A.head_cnt ? A.head_cnt : 1, sizeof(uint32_t));
	uint64_t *hprio = calloc(A.head_cnt ? A.head_cnt : 1, sizeof(uint64_t));
	if (!A.heads || !A.heap || !hprio) {
		free(hprio);
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	for (size_t i = 0; i < A.n; i++) {
		if (!A.head_of[i])
			continue;
		uint32_t b = cfg->block_of[i];
		uint64_t pos =
		    (b != VF_NONE && w->pos[b] != VF_NONE) ? w->pos[b] : (uint64_t)w->order_cnt + i;
		hprio[A.head_of[i] - 1] = (pos << 32) | i;
	}
	free(prio);
	prio = hprio;
	R.prio = prio;

	/* Without loops, callbacks or subprograms the heads are reached in WTO order, each once all
	 * its predecessors are done: the analysis reports as it goes and frees each head's states
	 * after running them, holding only the states of the heads not yet reached. */
	A.one_pass = cfg->func_cnt <= 1;
	for (size_t i = 0; i < A.n && A.one_pass; i++)
		if (A.kind[i] & K_WIDEN)
			A.one_pass = false;
	A.report = A.one_pass;
	/* per head: the outermost loop holding it (VF_NONE outside loops); heads in WTO order */
	top_loop = malloc((A.head_cnt ? A.head_cnt : 1) * sizeof(uint32_t));
	order_heads = malloc((A.head_cnt ? A.head_cnt : 1) * sizeof(uint32_t));
	if (!top_loop || !order_heads) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	for (size_t i = 0; i < A.n; i++) {
		if (!A.head_of[i])
			continue;
		uint32_t b = cfg->block_of[i];
		uint32_t l = b == VF_NONE ? VF_NONE : w->loop_of[b];
		while (l != VF_NONE && w->loops[l].parent != VF_NONE)
			l = w->loops[l].parent;
		top_loop[A.head_of[i] - 1] = l;
	}
	{
		/* sort the keys (position << 32 | slot, all distinct), then map slots back to heads */
		uint64_t *keys = malloc((A.head_cnt ? A.head_cnt : 1) * sizeof(uint64_t));
		if (!keys) {
			rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
			goto out;
		}
		memcpy(keys, prio, A.head_cnt * sizeof(uint64_t));
		qsort(keys, A.head_cnt, sizeof(uint64_t), cmp_u64);
		for (uint32_t k = 0; k < A.head_cnt; k++)
			order_heads[k] = A.head_of[keys[k] & 0xffffffffu] - 1;
		free(keys);
	}

	/* entry state: r1 = context, r10 = frame pointer */
	A.fixed_mem = A.n * (1 + 2 * sizeof(uint32_t) + 1 + sizeof(uint64_t)) +
	              A.head_cnt * (sizeof(*A.heads) + sizeof(uint32_t) + sizeof(uint64_t)) +
	              A.loop_cnt * (sizeof(*A.loops) + sizeof(uint32_t)) + A.thr_cnt * sizeof(uint64_t) +
	              cfg->bytes + w->bytes;
	struct vf_state *init = vf_state_entry(&A.mem);
	if (!init) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	propagate(&R, 0, 0, init);

	/* the worklist empties when the open loop is stable: closing it stores its exits */
	while ((A.heap_cnt || (A.one_pass && A.open_end)) && !A.aborted && !A.nomem) {
		if (!A.heap_cnt) {
			close_loop(&R, order_heads);
			continue;
		}
		uint32_t h = A.heap[0];
		uint32_t pos = (uint32_t)(prio[h] >> 32);
		if (A.one_pass && A.open_end && pos >= A.open_end) {
			close_loop(&R, order_heads);
			continue;
		}
		if (A.one_pass && !A.open_end && top_loop[h] != VF_NONE) {
			const struct vf_loop *L = &w->loops[top_loop[h]];
			if (!open_loop(&R, order_heads, L->first, L->end))
				break;
		}
		h = heap_pop(&A, prio);
		struct vf_ahead *hd = &A.heads[h];
		uint32_t slot = (uint32_t)(prio[h] & 0xffffffffu);
		bool stays = A.one_pass && A.open_end; /* a head of the loop being stabilised */
		for (uint32_t i = 0; i < hd->cnt && !A.aborted && !A.nomem; i++) {
			if (!hd->d[i].dirty)
				continue;
			hd->d[i].dirty = false;
			if (A.one_pass && !stays) {
				run_block(&R, slot, hd->d[i].st);
				continue;
			}
			struct vf_state *snap = vf_state_dup(hd->d[i].st);
			if (!snap) {
				A.nomem = true;
				break;
			}
			run_block(&R, slot, snap);
			vf_state_free(snap);
		}
		if (A.one_pass && !stays) {
			/* every predecessor came earlier in WTO order and is done: nothing reaches this
			 * head again */
			for (uint32_t i = 0; i < hd->cnt; i++)
				vf_state_free(hd->d[i].st);
			A.live_states -= hd->cnt;
			hd->cnt = 0;
		}
	}
	if (!A.one_pass && !A.nomem && !A.aborted && A.widened)
		narrow(&R, init);
	vf_state_free(init);
	if (A.nomem) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	if (A.aborted)
		goto out;

	/* reporting pass over the stable states */
	A.report = true;
	if (A.one_pass)
		goto loops;
	{
		/* heads in WTO order */
		for (uint32_t k = 0; k < A.head_cnt && !A.nomem; k++) {
			uint32_t h = order_heads[k];
			struct vf_ahead *hd = &A.heads[h];
			uint32_t slot = (uint32_t)(prio[h] & 0xffffffffu);
			for (uint32_t i = 0; i < hd->cnt; i++)
				run_block(&R, slot, hd->d[i].st);
		}
	}
loops:
	for (uint32_t l = 0; l < A.loop_cnt; l++) {
		struct vf_aloop *L = &A.loops[l];
		if (L->seen && !A.opts->privileged) {
			/* Linux refuses any back edge without CAP_BPF */
			struct vf_finding *f =
			    vf_report(&A, L->head, "VF-LOOP-UNBOUNDED", false,
			              "the loop at instruction %u needs CAP_BPF: unprivileged "
			              "programs may not jump backwards",
			              L->head);
			if (f)
				vf_finding_set_hint(
				    f, "unroll the loop (#pragma unroll) or load the program with CAP_BPF");
			continue;
		}
		if (!L->seen || L->inc_regs || L->inc_slots || L->dec_regs || L->dec_slots || L->zpair_cnt ||
		    L->zpair_all)
			continue;
		struct vf_finding *f =
		    vf_report(&A, L->head, "VF-LOOP-UNBOUNDED", false,
		              "the loop at instruction %u is not shown to terminate: %s", L->head,
		              L->why[0] ? L->why
		                        : "no register or stack slot moves towards a bound on "
		                          "every iteration");
		if (f)
			vf_finding_set_hint(
			    f, "bound the loop with a constant (for (i = 0; i < N && i < n; i++)), or use "
			       "bpf_loop()");
	}
	if (!vf_findings_count(A.findings, "VF-STACK-SIZE"))
		check_stack_chains(&A);
	vf_witness_search(&A, first_finding);
	if (A.nomem)
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
out:
	for (uint32_t i = 0; i < R.entry_cnt; i++)
		vf_state_free(R.entry[i]);
	free(R.entry);
	free(R.entry_slot);
	if (A.mem.peak + A.fixed_mem > V->stats.peak_mem_bytes)
		V->stats.peak_mem_bytes = A.mem.peak + A.fixed_mem;
	free(prio);
	free(top_loop);
	free(order_heads);
	free(R.loop_block_slots);
	free_actx(&A);
	return rc;
}
