/* Witness search (specs/verifier.md, "Finding paths"). The analysis joins states where paths
 * meet, so the path a finding inherits from its state is one path to the joined state, on which
 * the check may well pass. This searches, per error finding, a path from the entry on which the
 * same check fails at the same instruction, running the engine's transfer functions (with
 * reporting replaced by a probe) on single states that are never joined: best first by the
 * number of branches where both sides were feasible (so the path with the fewest choices comes
 * first), then depth first when that runs out of budget, dropping a state that cannot reach the faulting
 * instruction in the CFG (calls and returns included) and a state at a join point equal to one already run
 * there. Bounded by an instruction budget, a frontier size and a memory budget per search, and a number of
 * searches per program. */
#include <stdlib.h>
#include <string.h>

#include "verifier/witness.h"

#define NO_NODE UINT32_MAX

/* One branch decision; the decisions of a path are a chain of parents back to the entry. */
struct wnode {
	uint32_t parent;
	uint32_t insn;
	bool taken;
};

/* A state waiting to run instruction slot. */
struct witem {
	struct vf_state *st;
	uint32_t slot;
	uint32_t node;  /* its last decision (NO_NODE: none yet) */
	uint32_t forks; /* branches on its path where both sides were feasible */
	uint64_t seq;   /* order of arrival: ties go first come, first served */
};

struct search {
	struct vf_actx *A;
	const struct vf_cfg *cfg;
	uint8_t *reach;    /* per block: the target can be reached from it */
	uint32_t *work;    /* per block, at most once: blocks to look at */
	uint8_t *fdone;    /* per function: the exits of its callbacks are marked */
	uint32_t reach_of; /* block reach[] was computed for (VF_NONE: none) */
	struct wnode *nodes;
	uint32_t node_cnt, node_cap;
	struct witem *heap;
	uint32_t heap_cnt;
	uint64_t *seen; /* hash set of (slot, state digest) run from a join point */
	size_t seen_cap, seen_cnt;
	uint64_t seq;
	bool deep; /* second phase: depth first (the latest state first) */
	struct vf_memacct mem;
	bool nomem;
};

/* ---- where the target can be reached from ---- */

static void mark(struct search *S, uint32_t b, uint32_t *wn)
{
	if (b == VF_NONE || S->reach[b])
		return;
	S->reach[b] = 1;
	S->work[(*wn)++] = b;
}

static void mark_exits(struct search *S, uint32_t f, uint32_t *wn)
{
	const struct vf_func *fn = &S->cfg->funcs[f];
	for (uint32_t b = fn->first_block; b < fn->first_block + fn->block_cnt; b++)
		if (S->cfg->blocks[b].term == VF_TERM_EXIT)
			mark(S, b, wn);
}

/* Backwards from the target block over edges, calls (a function's entry reaches what its call
 * sites reach) and returns (a return site reached makes the callee's exits reach). Callbacks
 * are taken coarsely: every block of the function passing a callback that reaches, and every
 * exit of a callback of a function that reaches. An over-approximation: it only prunes. */
static void compute_reach(struct search *S, uint32_t target_block)
{
	const struct vf_cfg *cfg = S->cfg;
	if (S->reach_of == target_block)
		return;
	memset(S->reach, 0, cfg->block_cnt);
	memset(S->fdone, 0, cfg->func_cnt);
	uint32_t wn = 0;
	mark(S, target_block, &wn);
	while (wn) {
		uint32_t b = S->work[--wn];
		const struct vf_block *bk = &cfg->blocks[b];
		uint32_t f = bk->func;
		if (!S->fdone[f]) {
			S->fdone[f] = 1;
			const struct vf_func *fn = &cfg->funcs[f];
			for (uint32_t i = 0; i < fn->call_cnt; i++) {
				const struct vf_call *c = &cfg->calls[fn->call_off + i];
				if (c->kind == VF_CALL_CALLBACK)
					mark_exits(S, c->callee, &wn);
			}
		}
		for (uint32_t i = 0; i < bk->pred_cnt; i++) {
			uint32_t p = vf_cfg_pred(cfg, b, i)->from;
			mark(S, p, &wn);
			if (cfg->blocks[p].term == VF_TERM_CALL) {
				uint32_t c = vf_cfg_call_at(cfg, cfg->blocks[p].last);
				if (c != VF_NONE)
					mark_exits(S, cfg->calls[c].callee, &wn);
			}
		}
		if (b != cfg->funcs[f].first_block)
			continue;
		for (uint32_t i = 0; i < cfg->call_cnt; i++) {
			const struct vf_call *c = &cfg->calls[i];
			if (c->callee != f)
				continue;
			mark(S, c->block, &wn);
			if (c->kind == VF_CALL_CALLBACK) {
				const struct vf_func *caller = &cfg->funcs[c->caller];
				for (uint32_t k = 0; k < caller->block_cnt; k++)
					mark(S, caller->first_block + k, &wn);
			}
		}
	}
	S->reach_of = target_block;
}

/* ---- states already run from a join point ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
	return h;
}

static uint64_t scalar_digest(uint64_t h, const struct vf_scalar *v)
{
	h = mix(h, v->var.value);
	h = mix(h, v->var.mask);
	h = mix(h, v->u64.lo);
	h = mix(h, v->u64.hi);
	h = mix(h, (uint64_t)v->s64.lo);
	h = mix(h, (uint64_t)v->s64.hi);
	h = mix(h, v->u32.lo ^ (v->u32.hi << 32));
	return mix(h, (uint64_t)v->s32.lo ^ ((uint64_t)v->s32.hi << 32));
}

/* Everything the transfer functions read, except the loop deltas (termination arguments, never
 * a safety check) and the short path. */
static uint64_t reg_digest(uint64_t h, const struct vf_reg *r)
{
	h = mix(h, r->type);
	if (r->type == VT_UNINIT || r->type == VT_UNUSABLE)
		return h;
	h = mix(h, r->frame | (uint64_t)r->map << 8 | (uint64_t)r->size << 32);
	h = mix(h, r->nid | (uint64_t)r->pid << 32);
	h = mix(h, r->ref | (uint64_t)(uint32_t)r->pkt_range << 32);
	h = mix(h, (uint64_t)r->off);
	return scalar_digest(h, &r->v);
}

static uint64_t state_digest(const struct vf_state *st)
{
	uint64_t h = mix(0, st->nframes);
	for (int i = 0; i < VF_NREGS; i++)
		h = reg_digest(h, &st->r[i]);
	for (uint32_t f = 0; f < st->nframes; f++) {
		const struct vf_frame *fr = st->fr[f];
		h = mix(h, fr->callsite ^ ((uint64_t)fr->func_start << 32));
		h = mix(h, fr->callback | (uint64_t)fr->depth << 8);
		for (size_t i = 0; i < sizeof(fr->sb); i += 8) {
			uint64_t w;
			memcpy(&w, fr->sb + i, 8);
			h = mix(h, w);
		}
		for (int s = 0; s < VF_STACK_SLOTS; s++)
			if (fr->sb[s * 8] == SB_SPILL && fr->sp)
				h = reg_digest(h, &fr->sp->r[s]);
		if (f > 0)
			for (int i = 0; i < 5; i++)
				h = reg_digest(h, &fr->saved[i]);
		if (fr->callback) {
			h = reg_digest(h, &fr->cb_arg);
			h = scalar_digest(h, &fr->cb_index);
		}
	}
	h = mix(h, st->nrefs);
	for (uint32_t i = 0; i < st->nrefs; i++)
		h = mix(h, st->refs[i]);
	h = mix(h, st->lock);
	if (st->zone) {
		const struct vf_zone *z = st->zone;
		h = mix(h, z->n | (uint64_t)z->bottom << 32);
		for (uint32_t i = 0; i < z->n; i++) {
			h = mix(h, z->ids[i]);
			for (uint32_t j = 0; j < z->n; j++)
				h = mix(h, (uint64_t)z->m[(size_t)i * z->cap + j]);
		}
	}
	return h;
}

/* Adds key; false when it was there already (or out of memory: the state is then run again,
 * which costs budget, never correctness). */
static bool seen_add(struct search *S, uint64_t key)
{
	if (!key)
		key = 1;
	if (S->seen_cnt * 2 >= S->seen_cap) {
		size_t ncap = S->seen_cap ? S->seen_cap * 2 : 256;
		uint64_t *nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return true;
		for (size_t i = 0; i < S->seen_cap; i++) {
			uint64_t k = S->seen[i];
			if (!k)
				continue;
			size_t j = (size_t)(k * UINT64_C(0x9e3779b97f4a7c15)) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			nt[j] = k;
		}
		free(S->seen);
		S->seen = nt;
		S->seen_cap = ncap;
	}
	size_t j = (size_t)(key * UINT64_C(0x9e3779b97f4a7c15)) & (S->seen_cap - 1);
	while (S->seen[j]) {
		if (S->seen[j] == key)
			return false;
		j = (j + 1) & (S->seen_cap - 1);
	}
	S->seen[j] = key;
	S->seen_cnt++;
	return true;
}

/* Whether a state about to run slot is worth running: it can reach the target, and at a join
 * point no equal state ran before (ids renumbered the way the analysis does at join points, so
 * equal states compare equal). */
static bool admit(struct search *S, struct vf_state *st, uint32_t slot)
{
	const struct vf_actx *A = S->A;
	if (slot >= A->n || A->cfg->block_of[slot] == VF_NONE || !S->reach[A->cfg->block_of[slot]])
		return false;
	if (!(A->kind[slot] & K_HEAD))
		return true;
	vf_state_canon(st, slot + 1);
	return seen_add(S, mix(state_digest(st), slot));
}

/* ---- the frontier: a min-heap by (forks, seq) ---- */

static bool item_less(const struct search *S, const struct witem *a, const struct witem *b)
{
	if (S->deep)
		return a->seq > b->seq;
	return a->forks != b->forks ? a->forks < b->forks : a->seq < b->seq;
}

static bool heap_push(struct search *S, struct vf_state *st, uint32_t slot, uint32_t node, uint32_t forks)
{
	if (S->heap_cnt == VF_WITNESS_MAX_FRONTIER)
		return false;
	uint32_t i = S->heap_cnt++;
	S->heap[i] = (struct witem){st, slot, node, forks, S->seq++};
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!item_less(S, &S->heap[i], &S->heap[p]))
			break;
		struct witem t = S->heap[p];
		S->heap[p] = S->heap[i];
		S->heap[i] = t;
		i = p;
	}
	return true;
}

static void sift_down(struct search *S, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < S->heap_cnt && item_less(S, &S->heap[l], &S->heap[m]))
			m = l;
		if (r < S->heap_cnt && item_less(S, &S->heap[r], &S->heap[m]))
			m = r;
		if (m == i)
			break;
		struct witem t = S->heap[m];
		S->heap[m] = S->heap[i];
		S->heap[i] = t;
		i = m;
	}
}

static struct witem heap_pop(struct search *S)
{
	struct witem top = S->heap[0];
	S->heap[0] = S->heap[--S->heap_cnt];
	sift_down(S, 0);
	return top;
}

static uint32_t add_node(struct search *S, uint32_t parent, uint32_t insn, bool taken)
{
	if (S->node_cnt == S->node_cap) {
		uint32_t nc = S->node_cap ? S->node_cap * 2 : 256;
		struct wnode *nn = realloc(S->nodes, nc * sizeof(*nn));
		if (!nn) {
			S->nomem = true;
			return parent;
		}
		S->nodes = nn;
		S->node_cap = nc;
	}
	S->nodes[S->node_cnt] = (struct wnode){parent, insn, taken};
	return S->node_cnt++;
}

/* The decision successor i of the branch at slot took: the conditional jump recorded it in the
 * state's short path; may_goto records nothing (its not-taken side comes first). */
static bool decision(const struct vf_actx *A, uint32_t slot, unsigned term, const struct vf_succ *out, int k,
                     int i)
{
	const struct vf_state *s = out[i].st;
	if (term == VF_TERM_COND && s->path_n && s->path[s->path_n - 1].insn == slot)
		return s->path[s->path_n - 1].taken;
	if (k == 2)
		return i == 1;
	int64_t target = (int64_t)slot + 1 + A->prog->insns[slot].off;
	return (int64_t)out[i].slot == target && target != (int64_t)slot + 1;
}

static void clear_frontier(struct search *S)
{
	for (uint32_t i = 0; i < S->heap_cnt; i++)
		vf_state_free(S->heap[i].st);
	S->heap_cnt = 0;
}

/* Searches one finding's witness: breadth first over choices for half the budget (the shortest
 * witness), then depth first (the states waiting reordered, the latest first): a fault deep
 * behind many independent branches is out of breadth-first reach, one path straight down gets
 * there. On success *node is the last decision before the fault (NO_NODE: none, a straight path
 * from the entry). */
static bool search_one(struct search *S, const struct vf_finding *f, uint64_t budget, uint32_t *node)
{
	struct vf_actx *A = S->A;
	compute_reach(S, A->cfg->block_of[f->insn]);
	S->deep = false;
	struct vf_probe probe = {f->insn, f->property, false};
	S->node_cnt = 0;
	S->seq = 0;
	S->seen_cnt = 0;
	if (S->seen)
		memset(S->seen, 0, S->seen_cap * sizeof(*S->seen));
	struct vf_state *init = vf_state_entry(&S->mem);
	if (!init) {
		S->nomem = true;
		return false;
	}
	if (!admit(S, init, 0) || !heap_push(S, init, 0, NO_NODE, 0)) {
		vf_state_free(init);
		return false;
	}
	A->probe = &probe;
	uint64_t steps = 0;
	bool found = false;
	while (S->heap_cnt && !found && !S->nomem) {
		struct witem it = heap_pop(S);
		struct vf_state *st = it.st;
		uint32_t slot = it.slot, cur = it.node;
		while (st) {
			/* the states, the decision tree and the set of states seen count towards the
			 * memory bound */
			uint64_t held = S->mem.cur + (uint64_t)S->node_cap * sizeof(struct wnode) +
			                (uint64_t)S->seen_cap * sizeof(uint64_t);
			if (steps++ >= budget || held > VF_WITNESS_MAX_MEM || A->nomem || S->nomem) {
				vf_state_free(st);
				clear_frontier(S); /* out of budget: give up */
				break;
			}
			if (steps == budget / 2 && !S->deep) {
				S->deep = true;
				for (uint32_t i = S->heap_cnt / 2; i-- > 0;)
					sift_down(S, i);
			}
			const struct vf_block *bk = &A->cfg->blocks[A->cfg->block_of[slot]];
			unsigned term = bk->last == slot ? bk->term : VF_TERM_FALL;
			bool branch = term == VF_TERM_COND || term == VF_TERM_MAY_GOTO;
			struct vf_succ out[2];
			memset(out, 0, sizeof(out));
			probe.hit = false;
			int k = vf_transfer(A, slot, st, out);
			bool kept = false;
			for (int i = 0; i < k; i++)
				kept |= out[i].st == st;
			if (!kept)
				vf_state_free(st);
			st = NULL;
			if (probe.hit) {
				found = true;
				*node = cur;
				for (int i = 0; i < k; i++)
					vf_state_free(out[i].st);
				break;
			}
			uint32_t nodes[2] = {cur, cur};
			int admitted = 0;
			for (int i = 0; i < k; i++) {
				if (branch)
					nodes[i] = add_node(S, cur, slot, decision(A, slot, term, out, k, i));
				if (admit(S, out[i].st, out[i].slot)) {
					out[admitted] = out[i];
					nodes[admitted] = nodes[i];
					admitted++;
				} else {
					vf_state_free(out[i].st);
				}
			}
			if (admitted == 1 && k == 1) {
				st = out[0].st;
				slot = out[0].slot;
				cur = nodes[0];
				continue;
			}
			uint32_t forks = it.forks + (admitted == 2);
			for (int i = 0; i < admitted; i++)
				if (!heap_push(S, out[i].st, out[i].slot, nodes[i], forks))
					vf_state_free(out[i].st); /* frontier full: this side is given up */
		}
	}
	clear_frontier(S);
	A->probe = NULL;
	return found;
}

/* Makes the decisions ending at node the finding's path (the last VF_WITNESS_PATH_KEEP). */
static bool set_path(struct search *S, struct vf_finding *f, uint32_t node)
{
	size_t total = 0;
	for (uint32_t n = node; n != NO_NODE; n = S->nodes[n].parent)
		total++;
	size_t keep = total < VF_WITNESS_PATH_KEEP ? total : VF_WITNESS_PATH_KEEP;
	struct vf_branch *path = keep ? calloc(keep, sizeof(*path)) : NULL;
	if (keep && !path)
		return false;
	size_t i = total;
	for (uint32_t n = node; n != NO_NODE; n = S->nodes[n].parent) {
		i--;
		if (i >= total - keep)
			path[i - (total - keep)] = (struct vf_branch){S->nodes[n].insn, S->nodes[n].taken};
	}
	free(f->path);
	f->path = path;
	f->path_cnt = keep;
	f->path_omitted = total - keep;
	f->path_kind = VF_PATH_WITNESS;
	return true;
}

void vf_witness_search(struct vf_actx *A, size_t first)
{
	uint32_t max = A->opts->witness_findings ? A->opts->witness_findings : VF_WITNESS_DEFAULT_FINDINGS;
	uint64_t budget = A->opts->witness_steps ? A->opts->witness_steps : VF_WITNESS_DEFAULT_STEPS;
	if (max == VF_WITNESS_OFF || A->nomem || A->aborted || !A->cfg->block_cnt)
		return;
	struct search S;
	memset(&S, 0, sizeof(S));
	S.A = A;
	S.cfg = A->cfg;
	S.reach_of = VF_NONE;
	S.reach = malloc(A->cfg->block_cnt);
	S.work = malloc(A->cfg->block_cnt * sizeof(uint32_t));
	S.fdone = malloc(A->cfg->func_cnt ? A->cfg->func_cnt : 1);
	S.heap = malloc(VF_WITNESS_MAX_FRONTIER * sizeof(*S.heap));
	/* the replay runs the transfer functions outside the reporting pass: nothing is reported,
	 * nothing about the analysis's states is touched */
	bool report = A->report;
	uint8_t *base_seen = A->base_seen;
	A->report = false;
	A->base_seen = NULL;
	A->cur = NULL;
	uint32_t done = 0;
	for (size_t i = first; i < A->findings->cnt && done < max && S.reach && S.work && S.fdone && S.heap;
	     i++) {
		struct vf_finding *f = &A->findings->items[i];
		if (f->severity != VF_SEV_ERROR || f->path_kind != VF_PATH_MERGED || f->insn >= A->n ||
		    A->cfg->block_of[f->insn] == VF_NONE)
			continue;
		done++;
		uint32_t node = NO_NODE;
		bool found = search_one(&S, f, budget, &node);
		if (found && !set_path(&S, f, node))
			S.nomem = true;
		if (S.nomem)
			break;
	}
	A->nomem = false; /* a search out of memory only leaves paths as they were */
	A->report = report;
	A->base_seen = base_seen;
	free(S.reach);
	free(S.work);
	free(S.fdone);
	free(S.heap);
	free(S.nodes);
	free(S.seen);
}
