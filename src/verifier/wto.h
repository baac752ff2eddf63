/* Weak topological order (Bourdoncle 1993, the recursive strategy) of each function's CFG: the order
 * the fixpoint engine visits blocks in, its components (loops) with their heads (widening points),
 * and loop information (blocks, back edges, nesting). Irreducible loops: see specs/verifier-cfg.md. */
#ifndef BPFCHECK_VERIFIER_WTO_H
#define BPFCHECK_VERIFIER_WTO_H

#include <stdbool.h>
#include <stdint.h>

#include "verifier/cfg.h"

/* One component of the WTO with a head: a loop. */
struct vf_loop {
	uint32_t head;   /* block */
	uint32_t func;   /* function index */
	uint32_t parent; /* enclosing loop (index into loops), VF_NONE for an outermost loop */
	uint32_t depth;  /* 1 for an outermost loop, 2 for a loop inside it, ... */
	uint32_t first;  /* the component is order[first .. end); order[first] == head */
	uint32_t end;
	uint32_t back_off; /* back_edges[back_off .. + back_cnt): edges u -> head with u in the component */
	uint32_t back_cnt;
};

struct vf_wto {
	const struct vf_cfg *cfg;
	uint32_t *order;       /* blocks in WTO order, function by function */
	uint32_t order_cnt;    /* blocks reachable from their function's entry */
	uint32_t *func_off;    /* func_cnt + 1 entries: function f is order[func_off[f] .. func_off[f + 1]) */
	uint32_t *pos;         /* per block: its index in order, VF_NONE when not reachable from its entry */
	uint32_t *depth;       /* per block: number of components (loops) containing it, 0 outside loops */
	uint32_t *loop_of;     /* per block: innermost loop containing it (index into loops), or VF_NONE */
	uint32_t *head_loop;   /* per block: the loop it heads, or VF_NONE */
	struct vf_loop *loops; /* in order of their heads' positions (outer before inner) */
	uint32_t loop_cnt;
	uint32_t *back_edges; /* edge indexes into cfg->edges */
	uint32_t back_edge_cnt;
	uint32_t max_depth;
	size_t bytes; /* memory held by the WTO */
};

/* Default step budget: STEPS_PER_ELEMENT * (blocks + edges) + STEPS_BASE. Bourdoncle's algorithm
 * re-visits a component once per enclosing loop, O(depth * (blocks + edges)); the budget keeps a
 * program with thousands of deeply nested large loops from running for hours. */
#define VF_WTO_DEFAULT_STEPS_PER_ELEMENT 64u
#define VF_WTO_DEFAULT_STEPS_BASE 100000000u

/* Builds the WTO of every function of cfg (from each function's entry block, over intra-procedural
 * edges). Iterative: the explicit stacks are bounded by the block count. max_steps bounds the work
 * (0: the default budget above). Returns BPFC_OK, BPFC_ERR_LIMIT (budget exhausted; err names the
 * function) or BPFC_ERR_NOMEM; *out is freed with vf_wto_free. */
int vf_wto_build(const struct vf_cfg *cfg, uint64_t max_steps, struct vf_wto **out, struct bpfc_error *err);

/* Frees a WTO; ignores NULL. */
void vf_wto_free(struct vf_wto *wto);

/* True when block b is the head of a component (a widening point). */
static inline bool vf_wto_is_head(const struct vf_wto *wto, uint32_t b)
{
	return wto->head_loop[b] != VF_NONE;
}

/* For the element at position p of the order: one past the last position of its component when
 * it is a head, p + 1 otherwise. The engine iterates a range [p, e) as Bourdoncle's recursive
 * strategy does:
 *   while (p < e) { b = order[p];
 *     if (!is_head(b)) { transfer(b); p++; continue; }
 *     q = vf_wto_component_end(w, p);
 *     do { transfer(b); iterate(p + 1, q); } while (the state at b changed, widening at b);
 *     p = q; }
 * and keeps the recursion bounded by nesting depth (max_depth), not program size. */
static inline uint32_t vf_wto_component_end(const struct vf_wto *wto, uint32_t p)
{
	uint32_t l = wto->head_loop[wto->order[p]];
	return l == VF_NONE ? p + 1 : wto->loops[l].end;
}

/* Writes the WTO of function f in Bourdoncle's notation, "0 (1 2 (3 4)) 5" (block indexes), into
 * buf (truncated to len, always NUL-terminated). For tests and debugging dumps. */
void vf_wto_format(const struct vf_wto *wto, uint32_t f, char *buf, size_t len);

#endif
