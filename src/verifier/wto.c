/* Weak topological order by Bourdoncle's algorithm ("Efficient chaotic iteration strategies with
 * widenings", 1993, fig. 4), with the two mutually recursive procedures visit() and component()
 * turned into one loop over an explicit frame stack, so deep CFGs (1M blocks in a chain) cannot
 * overflow the C stack.
 *
 * The result is built as a token stream: component(v) first emits END, its nested elements are
 * emitted while it runs, and HEAD v when it returns; a vertex that is not a head emits VERTEX v.
 * Bourdoncle prepends each finished element to the current partition, so reversing the stream
 * yields "HEAD v ... END" groups in WTO order, which one sweep turns into flat arrays. */
#include "verifier/wto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { TOK_VERTEX = 0, TOK_HEAD = 1, TOK_END = 2 };
#define TOK(kind, v) (((uint64_t)(kind) << 32) | (v))
#define TOK_KIND(t) ((unsigned)((t) >> 32))
#define TOK_V(t) ((uint32_t)(t))

#define DFN_DONE UINT64_MAX /* Bourdoncle's +infinity: the vertex is placed in the order */

enum frame_kind { FR_VISIT, FR_COMPONENT };

struct frame {
	uint64_t head; /* smallest dfn reached from the subtree (visit) */
	uint64_t ret;  /* value visit(v) returns once its component is done */
	uint32_t v;
	uint32_t i; /* next successor */
	uint8_t kind;
	bool loop;
};

struct builder {
	const struct vf_cfg *cfg;
	uint64_t *dfn;
	uint64_t num;
	uint32_t *vstack; /* Bourdoncle's stack of vertices */
	uint32_t vtop;
	struct frame *frames;
	uint32_t ftop;
	uint64_t *toks;
	uint32_t tok_cnt;
	uint64_t steps; /* vertex visits + successor looks, against max_steps */
	uint64_t max_steps;
};

static void push_visit(struct builder *bd, uint32_t v)
{
	bd->steps++;
	bd->dfn[v] = ++bd->num;
	bd->vstack[bd->vtop++] = v;
	struct frame *fr = &bd->frames[bd->ftop++];
	fr->head = bd->dfn[v];
	fr->ret = 0;
	fr->v = v;
	fr->i = 0;
	fr->kind = FR_VISIT;
	fr->loop = false;
}

/* visit(v) returned min to its caller's frame. */
static void return_to_parent(struct builder *bd, uint64_t min)
{
	if (bd->ftop == 0)
		return;
	struct frame *parent = &bd->frames[bd->ftop - 1];
	if (parent->kind == FR_VISIT && min <= parent->head) {
		parent->head = min;
		parent->loop = true;
	}
}

/* Emits the tokens of one function (from its entry block) in Bourdoncle's prepend order. Returns
 * false when the step budget ran out (components re-visit their blocks once per nesting level). */
static bool bourdoncle(struct builder *bd, uint32_t entry)
{
	const struct vf_cfg *cfg = bd->cfg;
	push_visit(bd, entry);
	while (bd->ftop > 0) {
		struct frame *fr = &bd->frames[bd->ftop - 1];
		uint32_t v = fr->v;
		const struct vf_block *blk = &cfg->blocks[v];
		if (fr->i < blk->succ_cnt) {
			if (++bd->steps > bd->max_steps)
				return false;
			uint32_t w = vf_cfg_succ(cfg, v, fr->i++)->to;
			if (bd->dfn[w] == 0) {
				push_visit(bd, w);
			} else if (fr->kind == FR_VISIT && bd->dfn[w] <= fr->head) {
				fr->head = bd->dfn[w];
				fr->loop = true;
			}
			continue;
		}
		if (fr->kind == FR_COMPONENT) {
			bd->toks[bd->tok_cnt++] = TOK(TOK_HEAD, v);
			uint64_t ret = fr->ret;
			bd->ftop--;
			return_to_parent(bd, ret);
			continue;
		}
		uint64_t ret = fr->head;
		if (fr->head == bd->dfn[v]) {
			bd->dfn[v] = DFN_DONE;
			uint32_t e = bd->vstack[--bd->vtop];
			if (fr->loop) {
				while (e != v) {
					bd->dfn[e] = 0;
					e = bd->vstack[--bd->vtop];
				}
				/* component(v): v's successors are visited again, now below v. */
				fr->kind = FR_COMPONENT;
				fr->i = 0;
				fr->ret = ret;
				bd->toks[bd->tok_cnt++] = TOK(TOK_END, v);
				continue;
			}
			bd->toks[bd->tok_cnt++] = TOK(TOK_VERTEX, v);
		}
		bd->ftop--;
		return_to_parent(bd, ret);
	}
	return true;
}

void vf_wto_free(struct vf_wto *wto)
{
	if (!wto)
		return;
	free(wto->order);
	free(wto->func_off);
	free(wto->pos);
	free(wto->depth);
	free(wto->loop_of);
	free(wto->head_loop);
	free(wto->loops);
	free(wto->back_edges);
	free(wto);
}

static void *wto_alloc(struct vf_wto *w, size_t n, size_t size)
{
	void *p = malloc((n ? n : 1) * size);
	if (p)
		w->bytes += (n ? n : 1) * size;
	return p;
}

/* Turns the reversed token stream of one function into order/pos/depth/loops. */
static void place_tokens(struct vf_wto *w, struct builder *bd, uint32_t func, uint32_t *open)
{
	uint32_t open_cnt = 0; /* stack of loops whose END has not been seen */
	for (uint32_t k = bd->tok_cnt; k-- > 0;) {
		uint64_t t = bd->toks[k];
		uint32_t v = TOK_V(t);
		if (TOK_KIND(t) == TOK_END) {
			w->loops[open[--open_cnt]].end = w->order_cnt;
			continue;
		}
		uint32_t p = w->order_cnt++;
		w->order[p] = v;
		w->pos[v] = p;
		if (TOK_KIND(t) == TOK_HEAD) {
			uint32_t l = w->loop_cnt++;
			struct vf_loop *loop = &w->loops[l];
			memset(loop, 0, sizeof(*loop));
			loop->head = v;
			loop->func = func;
			loop->parent = open_cnt ? open[open_cnt - 1] : VF_NONE;
			loop->first = p;
			open[open_cnt++] = l;
			loop->depth = open_cnt;
			w->head_loop[v] = l;
			if (open_cnt > w->max_depth)
				w->max_depth = open_cnt;
		}
		w->depth[v] = open_cnt;
		w->loop_of[v] = open_cnt ? open[open_cnt - 1] : VF_NONE;
	}
}

int vf_wto_build(const struct vf_cfg *cfg, uint64_t max_steps, struct vf_wto **out, struct bpfc_error *err)
{
	*out = NULL;
	uint32_t nb = cfg->block_cnt;
	struct vf_wto *w = calloc(1, sizeof(*w));
	struct builder bd = {.cfg = cfg};
	bd.max_steps = max_steps ? max_steps
	                         : VF_WTO_DEFAULT_STEPS_PER_ELEMENT * ((uint64_t)nb + cfg->edge_cnt) +
	                               VF_WTO_DEFAULT_STEPS_BASE;
	uint32_t *open = NULL;
	int rc = BPFC_ERR_NOMEM;
	if (!w)
		goto nomem;
	w->cfg = cfg;
	w->bytes = sizeof(*w);
	w->order = wto_alloc(w, nb, sizeof(uint32_t));
	w->func_off = wto_alloc(w, (size_t)cfg->func_cnt + 1, sizeof(uint32_t));
	w->pos = wto_alloc(w, nb, sizeof(uint32_t));
	w->depth = wto_alloc(w, nb, sizeof(uint32_t));
	w->loop_of = wto_alloc(w, nb, sizeof(uint32_t));
	w->head_loop = wto_alloc(w, nb, sizeof(uint32_t));
	w->loops = wto_alloc(w, nb, sizeof(struct vf_loop));
	bd.dfn = calloc(nb, sizeof(uint64_t));
	bd.vstack = malloc((size_t)nb * sizeof(uint32_t));
	bd.frames = malloc((size_t)nb * sizeof(struct frame));
	bd.toks = malloc((size_t)nb * 2 * sizeof(uint64_t));
	open = malloc((size_t)nb * sizeof(uint32_t));
	if (!w->order || !w->func_off || !w->pos || !w->depth || !w->loop_of || !w->head_loop || !w->loops ||
	    !bd.dfn || !bd.vstack || !bd.frames || !bd.toks || !open)
		goto nomem;
	for (uint32_t b = 0; b < nb; b++) {
		w->pos[b] = VF_NONE;
		w->depth[b] = 0;
		w->loop_of[b] = VF_NONE;
		w->head_loop[b] = VF_NONE;
	}
	for (uint32_t f = 0; f < cfg->func_cnt; f++) {
		w->func_off[f] = w->order_cnt;
		bd.tok_cnt = 0;
		if (!bourdoncle(&bd, cfg->funcs[f].first_block)) {
			rc = bpfc_error_set(err, BPFC_ERR_LIMIT,
			                    "weak topological order of function '%s': more than %" PRIu64
			                    " steps (%" PRIu32 " blocks, %" PRIu32
			                    " edges); loops nest too deeply",
			                    cfg->funcs[f].name, bd.max_steps, nb, cfg->edge_cnt);
			goto fail;
		}
		place_tokens(w, &bd, f, open);
	}
	w->func_off[cfg->func_cnt] = w->order_cnt;
	if (w->loop_cnt < nb) { /* allocated for the worst case: give the rest back */
		struct vf_loop *loops = realloc(w->loops, (w->loop_cnt ? w->loop_cnt : 1) * sizeof(*loops));
		if (loops) {
			w->bytes -= (size_t)(nb - (w->loop_cnt ? w->loop_cnt : 1)) * sizeof(*loops);
			w->loops = loops;
		}
	}

	/* Back edges: edges into a head from inside its component (a contiguous range of order). */
	uint32_t cnt = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t l = 0; l < w->loop_cnt; l++) {
			struct vf_loop *loop = &w->loops[l];
			if (pass == 1)
				loop->back_off = cnt;
			const struct vf_block *h = &cfg->blocks[loop->head];
			for (uint32_t i = 0; i < h->pred_cnt; i++) {
				uint32_t e = cfg->pred[h->pred_off + i];
				uint32_t p = w->pos[cfg->edges[e].from];
				if (p == VF_NONE || p < loop->first || p >= loop->end)
					continue;
				if (pass == 1)
					w->back_edges[cnt] = e;
				cnt++;
			}
			if (pass == 1)
				loop->back_cnt = cnt - loop->back_off;
		}
		if (pass == 0) {
			w->back_edge_cnt = cnt;
			w->back_edges = wto_alloc(w, cnt, sizeof(uint32_t));
			if (!w->back_edges)
				goto nomem;
			cnt = 0;
		}
	}
	free(bd.dfn);
	free(bd.vstack);
	free(bd.frames);
	free(bd.toks);
	free(open);
	*out = w;
	return BPFC_OK;
nomem:
	rc = bpfc_error_set(err, BPFC_ERR_NOMEM,
	                    "out of memory building the weak topological order (%" PRIu32 " blocks)", nb);
fail:
	free(bd.dfn);
	free(bd.vstack);
	free(bd.frames);
	free(bd.toks);
	free(open);
	vf_wto_free(w);
	return rc;
}

void vf_wto_format(const struct vf_wto *wto, uint32_t f, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	size_t used = 0;
	uint32_t ends[64], open_cnt = 0; /* deeper nesting is printed flat: only a debugging aid */
	uint32_t from = wto->func_off[f], to = wto->func_off[f + 1];
	for (uint32_t p = from; p < to; p++) {
		while (open_cnt && ends[open_cnt - 1] == p) {
			open_cnt--;
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, ")");
		}
		if (used >= len)
			return;
		uint32_t b = wto->order[p];
		const char *sep = used == 0 || buf[used - 1] == '(' ? "" : " ";
		if (vf_wto_is_head(wto, b)) {
			used += (size_t)snprintf(buf + used, len - used, "%s(%" PRIu32, sep, b);
			if (open_cnt < 64)
				ends[open_cnt++] = vf_wto_component_end(wto, p);
		} else {
			used += (size_t)snprintf(buf + used, len - used, "%s%" PRIu32, sep, b);
		}
		if (used >= len)
			return;
	}
	while (open_cnt-- > 0 && used < len)
		used += (size_t)snprintf(buf + used, len - used, ")");
}
