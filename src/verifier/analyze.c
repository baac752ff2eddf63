/* The abstract-interpretation pass: one pass over the program's blocks in weak topological
 * order, extended through calls (each function analysed per calling context, its blocks placed
 * at the call), states kept only where paths meet and partitioned by shape, each outermost loop
 * (or bpf_loop callback) stabilised with widening, narrowed and reported on its own, and every
 * loop proven bounded. See specs/verifier.md. */
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
#define NODE_CHUNK 64   /* nodes are allocated in chunks, so their addresses stay put */

/* A calling context: the call stack below main's frame, interned so that it is a number.
 * Context 0 is main's own (no call). */
struct acall {
	uint32_t parent;     /* the caller's context */
	uint32_t callsite;   /* the call (or the helper call taking the callback) */
	uint32_t func_start; /* the callee */
	uint32_t depth;      /* frames below main's: 1 for a function main calls */
	uint32_t next;       /* hash chain (index + 1, 0: end) */
	bool callback;
};

/* The states of one head in one calling context. Nodes are freed once their head is done. */
struct anode {
	uint64_t prio; /* slot_prio(slot) */
	uint32_t ctx, slot;
	uint32_t next; /* hash chain, or the free list (index + 1, 0: end) */
	bool member;   /* listed among the open region's nodes */
	struct vf_ahead h;
};

/* A key orders nodes: the WTO position (and slot) of each call site on the context's chain,
 * then of the head, compared element by element, a prefix first. A function's blocks then come
 * right after the call and before the return site, and the heads of one function in one
 * context in WTO order: every edge but a loop's back edges (and a callback's calls after the
 * first) goes forward. */
struct akey {
	uint32_t n;
	uint64_t e[VF_MAX_FRAMES + 1];   /* position << 32 | slot */
	uint64_t sub[VF_MAX_FRAMES + 1]; /* 0 for the head; 1 + callee for a call site */
};

struct run {
	struct vf_actx *A;
	const struct vf_ctx *V;
	uint32_t *loop_block_slots; /* per loop: slots inside the loop */
	uint32_t *chain;            /* the loops holding a head (index + 1), innermost first */
	/* calling contexts */
	struct acall *calls;
	uint32_t call_cnt, call_cap;
	uint32_t *call_bucket; /* hash buckets (index + 1), call_nb of them (a power of 2) */
	uint32_t call_nb;
	/* nodes */
	struct anode **chunks;
	uint32_t chunk_cap, node_cnt; /* node_cnt: nodes ever allocated */
	uint32_t free_node;           /* free list (index + 1) */
	uint32_t *node_bucket;        /* hash buckets (index + 1) */
	uint32_t node_nb, node_live;
	/* the worklist: a min-heap of nodes by key */
	uint32_t *heap;
	uint32_t heap_cnt, heap_cap;
	/* the open region (an outermost loop or a callback in one context, with every context
	 * it calls): its nodes are kept until it is stable; reg_ctx's element at reg_ctx's level
	 * has a position in [reg_first, reg_end) */
	bool open;
	uint32_t reg_ctx;
	uint64_t reg_first, reg_end;
	uint32_t *members;
	uint32_t member_cnt, member_cap;
	struct vf_state **entry; /* the states that entered the open region */
	uint32_t *entry_slot;    /* and the head each entered */
	uint32_t entry_cnt;
};

/* Adds (or removes, n < 0) bookkeeping memory to the analysis's account. */
static void acct_bytes(struct vf_actx *A, int64_t n)
{
	A->mem.cur += (uint64_t)n;
	if (A->mem.cur > A->mem.peak)
		A->mem.peak = A->mem.cur;
}

static bool grow(struct vf_actx *A, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	uint32_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	void *p = realloc(*arr, (size_t)nc * elem);
	if (!p) {
		A->nomem = true;
		return false;
	}
	acct_bytes(A, (int64_t)((nc - *cap) * elem));
	*arr = p;
	*cap = nc;
	return true;
}

static uint32_t hash3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t h = a * 0x9e3779b1u ^ b * 0x85ebca6bu ^ c * 0xc2b2ae35u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	return h ^ (h >> 13);
}

/* WTO position of the block holding slot s (UINT32_MAX when unreachable) << 32 | s. */
static uint64_t slot_prio(const struct run *R, uint32_t s)
{
	const struct vf_ctx *V = R->V;
	uint32_t b = s < V->cfg->slot_cnt ? V->cfg->block_of[s] : VF_NONE;
	uint64_t pos = (b != VF_NONE && V->wto->pos[b] != VF_NONE) ? V->wto->pos[b] : UINT32_MAX;
	return pos << 32 | s;
}

static uint32_t call_hash(const struct acall *c)
{
	return hash3(c->parent, c->callsite, c->func_start * 2u + c->callback);
}

/* The context of state st (interned); UINT32_MAX on out-of-memory. */
static uint32_t state_ctx(struct run *R, const struct vf_state *st)
{
	struct vf_actx *A = R->A;
	uint32_t c = 0;
	for (uint32_t f = 1; f < st->nframes; f++) {
		const struct vf_frame *fr = st->fr[f];
		struct acall k = {.parent = c,
		                  .callsite = fr->callsite,
		                  .func_start = fr->func_start,
		                  .depth = f,
		                  .callback = fr->callback};
		uint32_t h = call_hash(&k), found = 0;
		for (uint32_t i = R->call_bucket[h & (R->call_nb - 1)]; i; i = R->calls[i - 1].next) {
			const struct acall *o = &R->calls[i - 1];
			if (o->parent == c && o->callsite == k.callsite && o->func_start == k.func_start &&
			    o->callback == k.callback) {
				found = i;
				break;
			}
		}
		if (!found) {
			if (!grow(A, (void **)&R->calls, &R->call_cap, R->call_cnt + 1, sizeof(*R->calls)))
				return UINT32_MAX;
			if (R->call_cnt + 1 > R->call_nb) { /* rehash into twice the buckets */
				uint32_t nb = R->call_nb * 2;
				uint32_t *bk = calloc(nb, sizeof(*bk));
				if (!bk) {
					A->nomem = true;
					return UINT32_MAX;
				}
				acct_bytes(A, (int64_t)(nb - R->call_nb) * (int64_t)sizeof(*bk));
				for (uint32_t i = 1; i < R->call_cnt; i++) {
					uint32_t b = call_hash(&R->calls[i]) & (nb - 1);
					R->calls[i].next = bk[b];
					bk[b] = i + 1;
				}
				free(R->call_bucket);
				R->call_bucket = bk;
				R->call_nb = nb;
			}
			k.next = R->call_bucket[h & (R->call_nb - 1)];
			R->calls[R->call_cnt++] = k;
			found = R->call_cnt;
			R->call_bucket[h & (R->call_nb - 1)] = found;
		}
		c = found - 1;
	}
	return c;
}

static struct anode *node_at(const struct run *R, uint32_t i)
{
	return &R->chunks[i / NODE_CHUNK][i % NODE_CHUNK];
}

static void node_key(const struct run *R, uint32_t ctx, uint32_t slot, struct akey *k)
{
	uint32_t d = R->calls[ctx].depth;
	k->n = d + 1;
	k->e[d] = slot_prio(R, slot);
	k->sub[d] = 0;
	for (uint32_t c = ctx; c; c = R->calls[c].parent) {
		const struct acall *a = &R->calls[c];
		k->e[a->depth - 1] = slot_prio(R, a->callsite);
		k->sub[a->depth - 1] = 1 + ((uint64_t)a->func_start << 1 | a->callback);
	}
}

static int key_cmp(const struct akey *a, const struct akey *b)
{
	uint32_t n = a->n < b->n ? a->n : b->n;
	for (uint32_t i = 0; i < n; i++) {
		if (a->e[i] != b->e[i])
			return a->e[i] < b->e[i] ? -1 : 1;
		if (a->sub[i] != b->sub[i])
			return a->sub[i] < b->sub[i] ? -1 : 1;
	}
	return a->n < b->n ? -1 : a->n > b->n;
}

static bool node_less(const struct run *R, uint32_t x, uint32_t y)
{
	struct akey a, b;
	const struct anode *nx = node_at(R, x), *ny = node_at(R, y);
	if (nx->ctx == ny->ctx)
		return nx->prio < ny->prio;
	node_key(R, nx->ctx, nx->slot, &a);
	node_key(R, ny->ctx, ny->slot, &b);
	return key_cmp(&a, &b) < 0;
}

static uint32_t node_hash(uint32_t ctx, uint32_t slot)
{
	return hash3(ctx, slot, 0x5bd1e995u);
}

/* The node of (ctx, slot), created when absent (create); UINT32_MAX when absent or out of
 * memory. */
static uint32_t node_get(struct run *R, uint32_t ctx, uint32_t slot, bool create)
{
	struct vf_actx *A = R->A;
	uint32_t h = node_hash(ctx, slot);
	for (uint32_t i = R->node_bucket[h & (R->node_nb - 1)]; i; i = node_at(R, i - 1)->next) {
		const struct anode *nd = node_at(R, i - 1);
		if (nd->ctx == ctx && nd->slot == slot)
			return i - 1;
	}
	if (!create)
		return UINT32_MAX;
	if (R->node_live + 1 > R->node_nb) { /* rehash into twice the buckets */
		uint32_t nb = R->node_nb * 2;
		uint32_t *bk = calloc(nb, sizeof(*bk));
		if (!bk) {
			A->nomem = true;
			return UINT32_MAX;
		}
		acct_bytes(A, (int64_t)(nb - R->node_nb) * (int64_t)sizeof(*bk));
		for (uint32_t b = 0; b < R->node_nb; b++)
			for (uint32_t i = R->node_bucket[b]; i;) {
				struct anode *nd = node_at(R, i - 1);
				uint32_t next = nd->next, t = node_hash(nd->ctx, nd->slot) & (nb - 1);
				nd->next = bk[t];
				bk[t] = i;
				i = next;
			}
		free(R->node_bucket);
		R->node_bucket = bk;
		R->node_nb = nb;
	}
	uint32_t idx;
	if (R->free_node) {
		idx = R->free_node - 1;
		R->free_node = node_at(R, idx)->next;
	} else {
		if (R->node_cnt % NODE_CHUNK == 0) {
			uint32_t c = R->node_cnt / NODE_CHUNK;
			if (!grow(A, (void **)&R->chunks, &R->chunk_cap, c + 1, sizeof(*R->chunks)))
				return UINT32_MAX;
			R->chunks[c] = calloc(NODE_CHUNK, sizeof(struct anode));
			if (!R->chunks[c]) {
				A->nomem = true;
				return UINT32_MAX;
			}
			acct_bytes(A, NODE_CHUNK * (int64_t)sizeof(struct anode));
		}
		idx = R->node_cnt++;
	}
	struct anode *nd = node_at(R, idx);
	memset(nd, 0, sizeof(*nd));
	nd->ctx = ctx;
	nd->slot = slot;
	nd->prio = slot_prio(R, slot);
	nd->next = R->node_bucket[h & (R->node_nb - 1)];
	R->node_bucket[h & (R->node_nb - 1)] = idx + 1;
	R->node_live++;
	return idx;
}

/* Frees node i's states and the node itself (its head is done in its context). */
static void node_release(struct run *R, uint32_t i)
{
	struct vf_actx *A = R->A;
	struct anode *nd = node_at(R, i);
	for (uint32_t j = 0; j < nd->h.cnt; j++)
		vf_state_free(nd->h.d[j].st);
	A->live_states -= nd->h.cnt;
	acct_bytes(A, -(int64_t)(nd->h.cap * sizeof(*nd->h.d)));
	free(nd->h.d);
	uint32_t *p = &R->node_bucket[node_hash(nd->ctx, nd->slot) & (R->node_nb - 1)];
	while (*p && *p != i + 1)
		p = &node_at(R, *p - 1)->next;
	if (*p)
		*p = nd->next;
	memset(nd, 0, sizeof(*nd));
	nd->next = R->free_node;
	R->free_node = i + 1;
	R->node_live--;
}

/* ---- worklist: a min-heap of nodes by key ---- */

static void heap_push(struct run *R, uint32_t i)
{
	struct anode *nd = node_at(R, i);
	if (nd->h.queued)
		return;
	if (!grow(R->A, (void **)&R->heap, &R->heap_cap, R->heap_cnt + 1, sizeof(*R->heap)))
		return;
	nd->h.queued = true;
	uint32_t k = R->heap_cnt++;
	R->heap[k] = i;
	while (k > 0) {
		uint32_t p = (k - 1) / 2;
		if (!node_less(R, R->heap[k], R->heap[p]))
			break;
		uint32_t t = R->heap[p];
		R->heap[p] = R->heap[k];
		R->heap[k] = t;
		k = p;
	}
}

static uint32_t heap_pop(struct run *R)
{
	uint32_t top = R->heap[0];
	R->heap[0] = R->heap[--R->heap_cnt];
	uint32_t k = 0;
	for (;;) {
		uint32_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < R->heap_cnt && node_less(R, R->heap[l], R->heap[m]))
			m = l;
		if (r < R->heap_cnt && node_less(R, R->heap[r], R->heap[m]))
			m = r;
		if (m == k)
			break;
		uint32_t t = R->heap[m];
		R->heap[m] = R->heap[k];
		R->heap[k] = t;
		k = m;
	}
	node_at(R, top)->h.queued = false;
	return top;
}

/* ---- regions: an outermost loop or callback, in one context ---- */

/* Whether (ctx, slot) lies in the open region: reg_ctx is ctx or calls it, and the element of
 * its chain at reg_ctx's level (the head, or the call leading down to ctx) is in range. */
static bool in_region(const struct run *R, uint32_t ctx, uint32_t slot)
{
	if (!R->open)
		return false;
	uint32_t rd = R->calls[R->reg_ctx].depth;
	uint32_t c = ctx, s = slot;
	if (R->calls[c].depth < rd)
		return false;
	while (R->calls[c].depth > rd) {
		s = R->calls[c].callsite;
		c = R->calls[c].parent;
	}
	if (c != R->reg_ctx)
		return false;
	uint64_t pos = slot_prio(R, s) >> 32;
	return pos >= R->reg_first && pos < R->reg_end;
}

/* The outermost region holding (ctx, slot): from main down the chain, the first element
 * inside a loop gives that loop in its context, the first call of a callback gives the
 * callback in its context. False when none does (the head runs once). */
static bool outer_region(const struct run *R, uint32_t ctx, uint32_t slot, uint32_t *rctx, uint64_t *first,
                         uint64_t *end)
{
	const struct vf_wto *w = R->V->wto;
	uint32_t chain[VF_MAX_FRAMES + 1], d = R->calls[ctx].depth;
	for (uint32_t c = ctx; c; c = R->calls[c].parent)
		chain[R->calls[c].depth] = c;
	chain[0] = 0;
	for (uint32_t i = 0; i <= d; i++) {
		uint32_t s = i < d ? R->calls[chain[i + 1]].callsite : slot;
		uint32_t b = s < R->V->cfg->slot_cnt ? R->V->cfg->block_of[s] : VF_NONE;
		uint32_t l = b == VF_NONE || w->pos[b] == VF_NONE ? VF_NONE : w->loop_of[b];
		while (l != VF_NONE && w->loops[l].parent != VF_NONE)
			l = w->loops[l].parent;
		if (l != VF_NONE) {
			*rctx = chain[i];
			*first = w->loops[l].first;
			*end = w->loops[l].end;
			return true;
		}
		if (i < d && R->calls[chain[i + 1]].callback) {
			*rctx = chain[i + 1];
			*first = 0;
			*end = UINT64_MAX;
			return true;
		}
	}
	return false;
}

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

/* A number iterator bounds this iteration of loop l (head slot head): since the head, its
 * next() gave a number, and it was made by a bpf_iter_num_new outside the loop in the loop's
 * function, so nothing in the loop can renew its budget (specs/verifier.md "kfuncs"). */
static bool iter_bounded(const struct run *R, uint32_t l, uint32_t head, const struct vf_state *st)
{
	const struct vf_actx *A = R->A;
	if (!st->iter_bound || !A->cfg)
		return false;
	uint32_t c = st->iter_bound - 1;
	if (c >= A->n || vf_cfg_func_of(A->cfg, c) != vf_cfg_func_of(A->cfg, head))
		return false;
	const struct vf_wto *w = R->V->wto;
	const struct vf_cfg *cfg = R->V->cfg;
	uint32_t b = c < cfg->slot_cnt ? cfg->block_of[c] : VF_NONE;
	uint32_t depth = 0;
	for (uint32_t x = b == VF_NONE || w->pos[b] == VF_NONE ? VF_NONE : w->loop_of[b];
	     x != VF_NONE && depth <= w->max_depth; x = w->loops[x].parent, depth++)
		if (x == l)
			return false;
	return true;
}

static void check_back_edge(struct run *R, uint32_t to, const struct vf_state *st)
{
	struct vf_actx *A = R->A;
	uint32_t l = A->loop_of[to] - 1;
	struct vf_aloop *L = &A->loops[l];
	uint32_t tag = l + 1;
	uint64_t limit = 1000000 / (R->loop_block_slots[l] ? R->loop_block_slots[l] : 1);
	uint64_t inc_r = 0, inc_s = 0, dec_r = 0, dec_s = 0;
	bool counter = false; /* a location other than a packet pointer progresses, bounded or not */
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
			if (r->type != VT_PKT && r->type != VT_PKT_META)
				counter = true;
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
			/* a packet pointer is bounded only by the packet's size, whether that came from
			 * the comparison with data_end or the 64 KiB cap here */
			if (r->type == VT_PKT || r->type == VT_PKT_META)
				*(i < 10 ? &L->pkt_regs : &L->pkt_slots) |= bit;
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
	bool any = st->may_goto || iter_bounded(R, l, to, st);
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
	L->counter = L->seen ? L->counter && counter : counter;
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

/* A loop proven bounded only in ways Linux does not see (VF-KERNEL-IMPRECISE, reported as a note
 * or, with --linux-compat, an error): by relations (zone_progress) with no counter of its own, or
 * by packet pointers walking towards data_end (at most 64 KiB) with no other location moving on
 * every back edge (a counter bpfcheck could not bound, e.g. after widening, may still bound the
 * loop for Linux, which does not widen). Linux follows such a loop one iteration at a time and
 * gives up at its 1M-instruction budget (or past the packet). Returns whether it reported. */
static bool kernel_imprecise_loop(struct vf_actx *A, const struct vf_aloop *L)
{
	uint64_t regs = L->inc_regs | L->dec_regs, slots = L->inc_slots | L->dec_slots;
	if (L->zpair_all || regs == UINT64_MAX || slots == UINT64_MAX)
		return false;
	struct vf_finding *f = NULL;
	if (!regs && !slots && L->zpair_cnt) {
		f = vf_report_kernel(A, L->head,
		                     "the loop at instruction %u is bounded only by the distance between "
		                     "two values (relations Linux does not track): Linux will likely follow "
		                     "it iteration by iteration and reject it (\"BPF program is too large\" "
		                     "or \"infinite loop detected\")",
		                     L->head);
		if (f)
			vf_finding_set_hint(f, "bound the counter with a constant as well, e.g. for (i = 0; "
			                       "i < N && i < n; i++), or use bpf_loop()");
	} else if ((regs || slots) && !(regs & ~L->pkt_regs) && !(slots & ~L->pkt_slots) && !L->counter) {
		f = vf_report_kernel(
		    A, L->head,
		    "the loop at instruction %u is bounded only because a packet pointer "
		    "cannot pass data_end (at most 64 KiB): Linux follows it iteration by "
		    "iteration and will likely reject it (\"offset is outside of the packet\" or "
		    "\"BPF program is too large\")",
		    L->head);
		if (f)
			vf_finding_set_hint(f, "bound the walk with a counter compared with a constant, "
			                       "e.g. for (i = 0; i < 64; i++) { if (p + 4 > data_end) break; "
			                       "...; p += 4; }");
	}
	return f != NULL;
}

/* Whether the edge from slot `from` to the loop head `to` is one of its loop's back edges. A
 * return from a subprogram (an exit in another function) is the caller's edge from the call
 * to the return site, which is a back edge when the call ends the loop's body. */
static bool is_back_edge(const struct run *R, uint32_t from, uint32_t to)
{
	const struct vf_ctx *V = R->V;
	const struct vf_wto *w = V->wto;
	uint32_t hb = V->cfg->block_of[to], fb = V->cfg->block_of[from];
	if (hb == VF_NONE || fb == VF_NONE || V->cfg->blocks[hb].first != to)
		return false;
	if (V->cfg->blocks[fb].func != V->cfg->blocks[hb].func && to > 0 && R->A->ent[from] &&
	    R->A->ent[from]->sem == ISA_SEM_EXIT)
		fb = V->cfg->block_of[to - 1];
	uint32_t l = w->head_loop[hb];
	if (l == VF_NONE || fb == VF_NONE || w->pos[fb] == VF_NONE)
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

static void add_member(struct run *R, uint32_t ni)
{
	struct anode *nd = node_at(R, ni);
	if (nd->member)
		return;
	if (!grow(R->A, (void **)&R->members, &R->member_cap, R->member_cnt + 1, sizeof(*R->members)))
		return;
	nd->member = true;
	R->members[R->member_cnt++] = ni;
}

/* Stores state st, reaching head `to` from slot `from`, in its node (the head in st's calling
 * context): joined with a state of the same shape, else kept apart. */
static void propagate(struct run *R, uint32_t from, uint32_t to, const struct vf_state *st)
{
	struct vf_actx *A = R->A;
	uint32_t ctx = state_ctx(R, st);
	if (ctx == UINT32_MAX)
		return;
	bool inside = in_region(R, ctx, to);
	if (R->open) {
		if (A->report && inside) {
			/* the region's stable states: check its back edges, store nothing in it */
			if ((A->kind[to] & K_LOOP) && A->loop_of[to] && is_back_edge(R, from, to))
				check_back_edge(R, to, st);
			return;
		}
		/* while the region is being stabilised its exits are not stored: they are computed
		 * from its final (narrowed) states */
		if (!A->report && !inside)
			return;
	}
	if (!A->head_of[to]) {
		vf_report(A, to, "VF-UNSUPPORTED", false,
		          "control reaches instruction %u that is not a block start", to);
		return;
	}
	uint32_t ni = node_get(R, ctx, to, true);
	if (ni == UINT32_MAX)
		return;
	if (inside)
		add_member(R, ni);
	struct vf_ahead *hd = &node_at(R, ni)->h;
	if (++hd->visits > (uint64_t)A->opts->max_iters_per_head * MAX_DISJ) {
		abort_limit(A, to, "too many fixpoint iterations at this instruction");
		return;
	}
	bool widen_point = (A->kind[to] & (K_LOOP | K_WIDEN)) != 0;
	struct vf_disj *match = NULL, *same_types = NULL;
	for (uint32_t i = 0; i < hd->cnt; i++) {
		struct vf_disj *d = &hd->d[i];
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
	if (!match && hd->cnt >= MAX_DISJ)
		match = same_types ? same_types : &hd->d[0];
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
		heap_push(R, ni);
		return;
	}
	if (hd->cnt == hd->cap) {
		uint32_t nc = hd->cap ? hd->cap * 2 : 2;
		struct vf_disj *nd = realloc(hd->d, nc * sizeof(*nd));
		if (!nd) {
			A->nomem = true;
			return;
		}
		acct_bytes(A, (int64_t)((nc - hd->cap) * sizeof(*nd)));
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
	heap_push(R, ni);
}

/* Runs the deltas of every register and spilled slot of the current frame into the loop headed
 * at slot h: runs of loops that do not hold h (left behind) are forgotten, and h's delta starts
 * at 0 (specs/verifier.md "Loops must terminate"). */
static void reset_deltas(const struct run *R, struct vf_state *st, uint32_t h)
{
	const struct vf_wto *w = R->V->wto;
	uint32_t len = 0;
	for (uint32_t l = R->A->loop_of[h] - 1; l != VF_NONE && len <= w->max_depth; l = w->loops[l].parent)
		R->chain[len++] = l + 1;
	for (int i = 0; i < 10; i++)
		if (st->r[i].type != VT_UNINIT)
			vf_reg_delta_enter(&st->r[i], R->chain, len, VF_LOC_REG(i));
	const struct vf_frame *cf = st->fr[st->nframes - 1];
	bool spills = false;
	for (int s = 0; s < VF_STACK_SLOTS && !spills; s++)
		spills = cf->sb[s * 8] == SB_SPILL;
	struct vf_frame *fr = spills ? vf_frame_mut(st, st->nframes - 1) : NULL;
	struct vf_reg *sr = fr ? vf_frame_spills_mut(fr) : NULL;
	for (int s = 0; sr && s < VF_STACK_SLOTS; s++)
		if (fr->sb[s * 8] == SB_SPILL)
			vf_reg_delta_enter(&sr[s], R->chain, len, VF_LOC_SLOT(s));
	st->may_goto = false;
	st->iter_bound = 0;
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
	if ((A->kind[h] & K_LOOP) && A->loop_of[h])
		reset_deltas(R, st, h);
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

/* ---- one pass: outermost regions one at a time ---- */

/* Removes the open region's nodes from the worklist. */
static void heap_drop_region(struct run *R)
{
	uint32_t keep = 0;
	for (uint32_t i = 0; i < R->heap_cnt; i++) {
		struct anode *nd = node_at(R, R->heap[i]);
		nd->h.queued = false;
		if (!in_region(R, nd->ctx, nd->slot))
			R->heap[keep++] = R->heap[i];
	}
	R->heap_cnt = 0;
	for (uint32_t i = 0; i < keep; i++)
		heap_push(R, R->heap[i]);
}

struct keyed {
	struct akey k;
	uint32_t node;
};

static int cmp_keyed(const void *a, const void *b)
{
	return key_cmp(&((const struct keyed *)a)->k, &((const struct keyed *)b)->k);
}

/* Puts the region's nodes in key order (WTO order within each context). */
static void sort_members(struct run *R)
{
	struct keyed *t = malloc((R->member_cnt ? R->member_cnt : 1) * sizeof(*t));
	if (!t) {
		R->A->nomem = true;
		return;
	}
	for (uint32_t i = 0; i < R->member_cnt; i++) {
		const struct anode *nd = node_at(R, R->members[i]);
		node_key(R, nd->ctx, nd->slot, &t[i].k);
		t[i].node = R->members[i];
	}
	qsort(t, R->member_cnt, sizeof(*t), cmp_keyed);
	for (uint32_t i = 0; i < R->member_cnt; i++)
		R->members[i] = t[i].node;
	free(t);
}

/* The region is reached, every predecessor outside it done: keep the states that entered its
 * nodes (the decreasing passes start from them; normally only its head has any) and stabilise
 * it without reporting. */
static bool open_region(struct run *R, uint32_t rctx, uint64_t first, uint64_t end)
{
	struct vf_actx *A = R->A;
	R->open = true;
	R->reg_ctx = rctx;
	R->reg_first = first;
	R->reg_end = end;
	R->member_cnt = 0;
	uint32_t n = 0;
	for (uint32_t i = 0; i < R->heap_cnt; i++) {
		const struct anode *nd = node_at(R, R->heap[i]);
		if (in_region(R, nd->ctx, nd->slot)) {
			add_member(R, R->heap[i]);
			n += nd->h.cnt;
		}
	}
	sort_members(R);
	R->entry = calloc(n ? n : 1, sizeof(*R->entry));
	R->entry_slot = calloc(n ? n : 1, sizeof(*R->entry_slot));
	if (!R->entry || !R->entry_slot || A->nomem) {
		A->nomem = true;
		return false;
	}
	for (uint32_t k = 0; k < R->member_cnt; k++) {
		const struct anode *nd = node_at(R, R->members[k]);
		for (uint32_t i = 0; i < nd->h.cnt; i++) {
			struct vf_state *c = vf_state_dup(nd->h.d[i].st);
			if (!c) {
				A->nomem = true;
				return false;
			}
			R->entry_slot[R->entry_cnt] = nd->slot;
			R->entry[R->entry_cnt++] = c;
		}
	}
	A->report = false;
	A->widened = false;
	return true;
}

static uint64_t members_digest(struct run *R)
{
	uint64_t h = 0;
	for (uint32_t k = 0; k < R->member_cnt; k++)
		h = head_digest(h, &node_at(R, R->members[k])->h);
	return h;
}

/* The open region is stable: decreasing passes over its nodes (from its entry states and its
 * own states, exits not stored), then one reporting run of its final states, which stores its
 * exits in the nodes after it; then its nodes are freed. */
static void close_region(struct run *R)
{
	struct vf_actx *A = R->A;
	A->narrow = true;
	uint64_t before = members_digest(R);
	for (int round = 0; A->widened && round < NARROW_ROUNDS && !A->aborted && !A->nomem; round++) {
		uint32_t cnt = R->member_cnt;
		struct vf_ahead *old = calloc(cnt ? cnt : 1, sizeof(*old));
		if (!old) {
			A->nomem = true;
			break;
		}
		for (uint32_t k = 0; k < cnt; k++) {
			struct vf_ahead *hd = &node_at(R, R->members[k])->h;
			old[k] = *hd;
			hd->d = NULL;
			hd->cnt = hd->cap = 0;
			hd->visits = 0;
		}
		for (uint32_t i = 0; i < R->entry_cnt; i++)
			propagate(R, R->entry_slot[i], R->entry_slot[i], R->entry[i]);
		for (uint32_t k = 0; k < cnt; k++) {
			uint32_t slot = node_at(R, R->members[k])->slot;
			struct vf_ahead *o = &old[k];
			for (uint32_t i = 0; i < o->cnt; i++) {
				if (!A->aborted && !A->nomem)
					run_block(R, slot, o->d[i].st);
				vf_state_free(o->d[i].st);
			}
			A->live_states -= o->cnt;
			acct_bytes(A, -(int64_t)(o->cap * sizeof(*o->d)));
			free(o->d);
		}
		free(old);
		heap_drop_region(R);
		sort_members(R);
		uint64_t after = members_digest(R);
		if (after == before)
			break;
		before = after;
	}
	A->narrow = false;
	heap_drop_region(R);
	sort_members(R);
	/* report from the final states; exits are stored after the region */
	A->report = true;
	for (uint32_t k = 0; k < R->member_cnt && !A->aborted && !A->nomem; k++) {
		const struct anode *nd = node_at(R, R->members[k]);
		for (uint32_t i = 0; i < nd->h.cnt && !A->aborted && !A->nomem; i++)
			run_block(R, nd->slot, nd->h.d[i].st);
	}
	for (uint32_t k = 0; k < R->member_cnt; k++)
		node_release(R, R->members[k]);
	R->member_cnt = 0;
	for (uint32_t i = 0; i < R->entry_cnt; i++)
		vf_state_free(R->entry[i]);
	free(R->entry);
	free(R->entry_slot);
	R->entry = NULL;
	R->entry_slot = NULL;
	R->entry_cnt = 0;
	R->open = false;
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
	free(A->kind);
	free(A->head_of);
	free(A->loop_of);
	free(A->loops);
	free(A->thr);
	free(A->reported);
	free(A->fdepth);
	free(A->base_seen);
}

static void free_run(struct run *R)
{
	for (uint32_t i = 0; i < R->node_cnt; i++) {
		struct anode *nd = node_at(R, i);
		for (uint32_t j = 0; j < nd->h.cnt; j++)
			vf_state_free(nd->h.d[j].st);
		free(nd->h.d);
	}
	for (uint32_t c = 0; c < (R->node_cnt + NODE_CHUNK - 1) / NODE_CHUNK; c++)
		free(R->chunks[c]);
	free(R->chunks);
	free(R->node_bucket);
	free(R->calls);
	free(R->call_bucket);
	free(R->heap);
	free(R->members);
	for (uint32_t i = 0; i < R->entry_cnt; i++)
		vf_state_free(R->entry[i]);
	free(R->entry);
	free(R->entry_slot);
	free(R->loop_block_slots);
	free(R->chain);
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
	struct run R;
	memset(&R, 0, sizeof(R));
	R.A = &A;
	R.V = V;
	int rc = BPFC_OK;
	A.kind = calloc(A.n, 1);
	A.head_of = calloc(A.n, sizeof(uint32_t));
	A.loop_of = calloc(A.n, sizeof(uint32_t));
	A.loops = calloc(w->loop_cnt ? w->loop_cnt : 1, sizeof(*A.loops));
	R.loop_block_slots = calloc(w->loop_cnt ? w->loop_cnt : 1, sizeof(uint32_t));
	R.chain = calloc((size_t)w->max_depth + 1, sizeof(uint32_t));
	R.call_nb = R.node_nb = 64;
	R.call_bucket = calloc(R.call_nb, sizeof(uint32_t));
	R.node_bucket = calloc(R.node_nb, sizeof(uint32_t));
	R.calls = calloc(16, sizeof(*R.calls)); /* context 0: main's */
	R.call_cap = 16;
	R.call_cnt = 1;
	if (!A.kind || !A.head_of || !A.loop_of || !A.loops || !R.loop_block_slots || !R.chain || !A.fdepth ||
	    !A.base_seen || !R.call_bucket || !R.node_bucket || !R.calls || !build_thresholds(&A)) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	acct_bytes(&A, (int64_t)(64 * 2 * sizeof(uint32_t) + 16 * sizeof(*R.calls)));
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

	/* The heads are reached in key order (WTO order, each function's blocks placed at its call
	 * in each calling context), each once all its predecessors are done: outside loops and
	 * callbacks the analysis reports as it goes and frees each node's states after running
	 * them, holding only the states of the nodes not yet reached and those of one outermost
	 * loop or callback. */
	A.report = true;
	A.fixed_mem = A.n * (1 + 2 * sizeof(uint32_t) + 1) +
	              A.loop_cnt * (sizeof(*A.loops) + sizeof(uint32_t)) + A.thr_cnt * sizeof(uint64_t) +
	              cfg->bytes + w->bytes;
	struct vf_state *init = vf_state_entry(&A.mem);
	if (!init) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	propagate(&R, 0, 0, init);
	vf_state_free(init);

	/* the worklist empties when the open region is stable: closing it stores its exits */
	while ((R.heap_cnt || R.open) && !A.aborted && !A.nomem) {
		if (!R.heap_cnt) {
			close_region(&R);
			continue;
		}
		const struct anode *top = node_at(&R, R.heap[0]);
		if (R.open && !in_region(&R, top->ctx, top->slot)) {
			close_region(&R);
			continue;
		}
		uint32_t rctx;
		uint64_t first, end;
		if (!R.open && outer_region(&R, top->ctx, top->slot, &rctx, &first, &end) &&
		    !open_region(&R, rctx, first, end))
			break;
		uint32_t ni = heap_pop(&R);
		struct anode *nd = node_at(&R, ni);
		bool stays = R.open; /* a node of the region being stabilised */
		for (uint32_t i = 0; i < nd->h.cnt && !A.aborted && !A.nomem; i++) {
			if (!nd->h.d[i].dirty)
				continue;
			nd->h.d[i].dirty = false;
			if (!stays) {
				run_block(&R, nd->slot, nd->h.d[i].st);
				continue;
			}
			struct vf_state *snap = vf_state_dup(nd->h.d[i].st);
			if (!snap) {
				A.nomem = true;
				break;
			}
			run_block(&R, nd->slot, snap);
			vf_state_free(snap);
		}
		/* every predecessor came earlier in key order and is done: nothing reaches this node
		 * again */
		if (!stays && !nd->h.queued)
			node_release(&R, ni);
	}
	if (A.nomem) {
		rc = bpfc_error_set(V->err, BPFC_ERR_NOMEM, "out of memory in the analysis");
		goto out;
	}
	if (A.aborted)
		goto out;

	A.report = true;
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
		if (L->seen && kernel_imprecise_loop(&A, L))
			continue;
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
	if (A.mem.peak + A.fixed_mem > V->stats.peak_mem_bytes)
		V->stats.peak_mem_bytes = A.mem.peak + A.fixed_mem;
	free_run(&R);
	free_actx(&A);
	return rc;
}
