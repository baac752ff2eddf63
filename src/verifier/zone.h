/* Zone (difference-bound matrix) domain: constraints x - y <= c between the variables in use
 * (registers, stack slots, packet_end, ...; the caller names them with small integer ids) and
 * a distinguished variable VF_ZONE_ZERO that is always 0, so x <= c is x - ZERO <= c.
 * Variables are mathematical integers: relate only values whose arithmetic cannot wrap (pointer
 * offsets, bounded counters) and forget a variable when it may wrap.
 *
 * Only variables in use occupy the matrix (n of them, zero included): memory n^2 words. The
 * matrix is kept closed (every entry the tightest bound implied) by every operation except
 * widen. Costs: add_constraint O(n^2) (incremental Floyd-Warshall), assign / forget O(n), join,
 * widen, leq O(n^2) (plus O(n^2) id look-up), meet and narrow O(n^3) (full closure).
 * Functions that may allocate return BPFC_OK or BPFC_ERR_NOMEM; on failure the zone is left
 * unchanged or loses information, never gains it. */
#ifndef BPFCHECK_VF_ZONE_H
#define BPFCHECK_VF_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/branch.h"

#define VF_ZONE_INF INT64_MAX /* no bound */
#define VF_ZONE_ZERO 0u       /* the id of the constant-0 variable */

struct vf_zone {
	uint32_t n;    /* variables in use; index 0 is VF_ZONE_ZERO */
	uint32_t cap;  /* row stride of m */
	uint32_t *ids; /* ids[i]: the caller's id of index i */
	int64_t *m;    /* m[i * cap + j]: upper bound of x_i - x_j, or VF_ZONE_INF */
	bool bottom;   /* no assignment satisfies the constraints */
	bool open;     /* not known closed (after widen): vf_zone_close before precise queries */
};

/* A zone with no constraints (only ZERO). */
int vf_zone_init(struct vf_zone *z);
void vf_zone_free(struct vf_zone *z);
/* dst (initialised or all-zero, distinct from src) becomes a copy of src; its storage is reused. */
int vf_zone_copy(struct vf_zone *dst, const struct vf_zone *src);
/* Makes z the empty set. */
void vf_zone_set_bottom(struct vf_zone *z);
bool vf_zone_is_bottom(const struct vf_zone *z);
/* Whether the variable takes part in some constraint slot (is in the matrix). */
bool vf_zone_has(const struct vf_zone *z, uint32_t id);

/* Adds x - y <= c and restores closure in O(n^2); z becomes bottom when the constraints
 * contradict. x < y is x - y <= -1; x == y + c is x - y <= c and y - x <= -c. */
int vf_zone_add_constraint(struct vf_zone *z, uint32_t x, uint32_t y, int64_t c);
/* Adds what `x OP y + c` says (EQ, and the signed and unsigned orders read as integer order;
 * NE, SET and NSET add nothing). Sound only when the caller knows both values lie where the
 * compare's order is integer order (pointer offsets, counters in [0, 2^63)). */
int vf_zone_assume(struct vf_zone *z, enum vf_cmp op, uint32_t x, uint32_t y, int64_t c);
/* The best known upper bound of x - y: VF_ZONE_INF when none, INT64_MIN for a bottom zone. */
int64_t vf_zone_upper(const struct vf_zone *z, uint32_t x, uint32_t y);
/* Removes every constraint on x (x := anything). */
void vf_zone_forget(struct vf_zone *z, uint32_t x);
/* x := y + c (x may be y: the relations of x shift by c); keeps every relation through y. */
int vf_zone_assign(struct vf_zone *z, uint32_t x, uint32_t y, int64_t c);
/* x := a value in [lo, hi] (INT64_MIN / INT64_MAX for no bound), unrelated to the rest. */
int vf_zone_assign_interval(struct vf_zone *z, uint32_t x, int64_t lo, int64_t hi);

/* Lattice. join: constraints both imply (pointwise max over the common variables). widen:
 * a's constraints that b still satisfies (the rest dropped; not closed, so chains of widenings
 * terminate). meet: both sets of constraints, closed. narrow: a's bounds, with b's where a has
 * none, closed. leq: every constraint of b is implied by a. out is initialised and aliases neither a nor b.
 */
int vf_zone_join(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b);
int vf_zone_widen(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b);
int vf_zone_meet(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b);
int vf_zone_narrow(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b);
bool vf_zone_leq(const struct vf_zone *a, const struct vf_zone *b);
/* Widening with thresholds: an entry that grew goes to the smallest of -1, 0 and (for a bound,
 * an entry of ZERO's row or column) thr (sorted ascending) at least as large, else to no bound; a counter
 * below a limit ("i - n <= -1") keeps that bound instead of losing it while its distance still shrinks.
 * Finitely many steps. */
int vf_zone_widen_thr(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b,
                      const uint64_t *thr, size_t thr_cnt);
/* Full closure (Floyd-Warshall, O(n^3)); finds contradictions (bottom). */
void vf_zone_close(struct vf_zone *z);
/* Closes z only when it may not be closed (after a widening); O(1) otherwise. */
void vf_zone_ensure_closed(struct vf_zone *z);
/* Number of variables in use, ZERO included. */
uint32_t vf_zone_size(const struct vf_zone *z);

#endif
