/* The engine's zone tracking (specs/verifier.md, "Relations between locations (the zone)"):
 * what comparisons, copies, spills, constant additions and pointer differences tell a state's
 * zone, and what the zone tells back (packet and metadata bounds, ranges of numbers). transfer.c
 * calls these around each instruction; the zone's variables are in state.h, the domain in
 * zone.h. Each function keeps the zone sound: on doubt it adds nothing or forgets. */
#ifndef BPFCHECK_VF_ZONE_TRACK_H
#define BPFCHECK_VF_ZONE_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "verifier/state.h"

/* A packet or metadata pointer type. */
bool vf_zt_pkt_type(uint8_t t);
/* The zone's upper bound of (offset of packet pointer p, held in register regno or -1) + k
 * minus data_end (a meta pointer: minus data); VF_ZONE_INF when unknown, INT64_MIN if bottom. */
int64_t vf_zt_pkt_upper(const struct vf_state *st, int regno, const struct vf_reg *p, int64_t k);
/* The registers sharing pointer r's type and packet id enter the zone with their own offsets. */
void vf_zt_pkt_family(struct vf_state *st, int r);
/* Packet pointer pr compared "pr s2 data_end": good is the in-bounds side, bad the other
 * (either may be NULL). */
void vf_zt_pkt_cond(struct vf_state *good, struct vf_state *bad, int pr, unsigned s2);
/* Two packet (or meta and packet) pointers compared unsigned, "ra sem rb" (sem an isa_sem). */
void vf_zt_pkt_pair(struct vf_state *taken, struct vf_state *fall, int ra, int rb, unsigned sem);
/* Scalars compared "ra cmp rb" (cmp an enum vf_cmp; rb < 0: a constant) on the side where it
 * holds: relates them, then refines the ranges of the zone's numbers; false when infeasible
 * (nothing changed then). */
bool vf_zt_scalar_cond(struct vf_state *st, int cmp, bool is32, int ra, int rb);
/* Register r's range met with the zone's bounds of its variable (and its linked copies'). */
void vf_zt_refine_reg(struct vf_state *st, int r);
/* Whether scalar r (variable id) lies in [0, lim] by its range or the zone. */
bool vf_zt_fits(struct vf_state *st, uint32_t id, const struct vf_reg *r, uint64_t lim);
/* Whether scalar r (variable id), known in range, stays non-negative when c is added. */
bool vf_zt_add_fits(struct vf_state *st, uint32_t id, const struct vf_reg *r, int64_t c);
/* A packet pointer at a known offset from data below 64 KiB (no variable part). */
bool vf_zt_pkt_const(const struct vf_reg *p);
/* Register dst := base + c as a number (a packet pointer difference), kept when the zone
 * proves it non-negative; forgotten otherwise. */
void vf_zt_ptr_diff(struct vf_state *st, int dst, uint32_t base, int64_t c);
/* A scalar whose copy starts a zone: in [0, VF_ZONE_SCALAR_MAX] and not a constant. */
bool vf_zt_copyable(const struct vf_reg *r);
/* A store of size bytes at base + off: the current frame's slots it overlaps are forgotten; an
 * 8-byte spill of register val_reg (or -1) that is a zone variable becomes the slot's. */
void vf_zt_stack_store(struct vf_state *st, const struct vf_reg *base, int64_t off, int64_t size,
                       int val_reg);
/* The current frame's slot an 8-byte fill at base + off reads, or -1. */
int vf_zt_fill_slot(const struct vf_state *st, const struct vf_reg *base, int64_t off);

/* In transfer.c: the refined value of scalar register regno holds for its linked copies. */
void vf_link_refine(struct vf_state *st, int regno);

#endif
