/* The abstract state of the engine (specs/verifier.md): per register a type and a numeric value,
 * a byte-precise stack per call frame with spilled registers, acquired references and the call
 * stack; plus the lattice operations per shape (join, widen, equality) and the shape key that
 * partitions states at join points. */
#ifndef BPFCHECK_VERIFIER_STATE_H
#define BPFCHECK_VERIFIER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/scalar.h"
#include "verifier/zone.h"

#define VF_NREGS 11
#define VF_STACK_SIZE 512
#define VF_STACK_SLOTS (VF_STACK_SIZE / 8)
#define VF_MAX_FRAMES 8
#define VF_MAX_REFS 16
#define VF_DELTA_SLOTS 4
#define VF_PATH_LEN 8

/* Numeric values are the domains module's reduced product (verifier/scalar.h); these wrappers
 * take and return values, which keeps the engine's code short. */
struct vf_scalar vn_const(uint64_t c);
struct vf_scalar vn_top(void);
struct vf_scalar vn_urange(uint64_t lo, uint64_t hi);
struct vf_scalar vn_srange(int64_t lo, int64_t hi);
bool vn_is_const(struct vf_scalar a);
bool vn_eq(struct vf_scalar a, struct vf_scalar b);
bool vn_contains(struct vf_scalar a, uint64_t x);
struct vf_scalar vn_join(struct vf_scalar a, struct vf_scalar b);
/* Widening with thresholds: a bound that grows jumps to the next threshold (sorted ascending)
 * or to the extreme. */
struct vf_scalar vn_widen(struct vf_scalar old, struct vf_scalar nw, const uint64_t *thr, size_t thr_cnt);
/* Intersection; *empty is set when it is empty. */
struct vf_scalar vn_meet(struct vf_scalar a, struct vf_scalar b, bool *empty);
/* Arithmetic: 64-bit, and the 32-bit flavour (result zero-extended). op is an enum isa_sem. */
struct vf_scalar vn_alu(unsigned sem, bool is64, struct vf_scalar a, struct vf_scalar b);
/* Zero-extension of the low `bytes` bytes, sign extension from `bits` bits. */
struct vf_scalar vn_trunc(struct vf_scalar a, unsigned bytes);
struct vf_scalar vn_sext(struct vf_scalar a, unsigned bits);

enum vf_rtype {
	VT_UNINIT = 0,
	VT_SCALAR,
	VT_CTX,
	VT_STACK,
	VT_PKT,
	VT_PKT_META,
	VT_PKT_END,
	VT_MAP_PTR,
	VT_MAP_VALUE,
	VT_MAP_VALUE_OR_NULL,
	VT_MEM, /* helper memory of known size (ringbuf record) */
	VT_MEM_OR_NULL,
	VT_FUNC,            /* address of a subprogram (callback) */
	VT_UNUSABLE,        /* different types joined: any use is reported */
	VT_MAP_PTR_OR_NULL, /* inner map of a map-in-map lookup, or NULL */
	/* socket pointers (src/verifier/calls_sock.c): struct bpf_sock, its common part, and
	 * struct bpf_tcp_sock; size bit VF_SOCK_DERIVED: shares the reference of another pointer */
	VT_SOCK,
	VT_SOCK_OR_NULL,
	VT_SOCK_COMMON,
	VT_SOCK_COMMON_OR_NULL,
	VT_TCP_SOCK,
	VT_TCP_SOCK_OR_NULL,
	/* BTF-typed kernel pointers (src/verifier/mapfields.c): size holds the struct's handle
	 * (VF_BTF_KPTR), frame its flags (VF_BTF_UNTRUSTED) */
	VT_BTF_PTR,
	VT_BTF_PTR_OR_NULL,
	/* a struct bpf_iter_num on the stack (calls_kfunc.c): only as a spilled slot, ref is the
	 * iterator's reference (its bpf_iter_num_new instruction + 1) */
	VT_ITER_NUM,
};

/* Loop termination (specs/verifier.md "Loops must terminate"), a run of loops: for every loop
 * L holding the current program point whose index + 1 (loops are numbered in WTO order, an
 * enclosing loop before the loops inside it) is in [lo, hi], the value is base@L + [dmin, dmax],
 * where base is the location (register or stack slot) whose value at L's head it derives from.
 * Copies keep the base, so a location's own progress is known only when base is that location.
 * A run covers every loop of a nest whose head the value crossed unchanged, so the depth of a
 * nest is not limited by the number of runs; a register holds at most VF_DELTA_SLOTS runs
 * (disjoint, sorted by lo; unused ones zero, at the end), the outermost forgotten first. */
struct vf_delta {
	uint32_t lo : 24;  /* outermost loop index + 1 (< VF_DELTA_MAX_LOOP); 0: unused */
	uint32_t base : 8; /* VF_LOC_REG(r) or VF_LOC_SLOT(s) */
	uint32_t hi;       /* innermost loop index + 1 */
	int32_t dmin, dmax;
};

/* Loops numbered at or past this are not tracked (they are not proven bounded). */
#define VF_DELTA_MAX_LOOP (1u << 24)

#define VF_LOC_REG(r) ((uint16_t)(1 + (r)))
#define VF_LOC_SLOT(s) ((uint16_t)(16 + (s)))

struct vf_reg {
	uint8_t type;       /* enum vf_rtype */
	uint8_t frame;      /* VT_STACK: the frame the pointer points into; VT_BTF_*: flags */
	uint16_t map;       /* VT_MAP_*: index of the map */
	uint32_t nid;       /* *_OR_NULL: registers with the same nid are the same pointer */
	uint32_t pid;       /* VT_PKT*: registers with the same pid share the same variable part */
	uint32_t ref;       /* reference id of an acquired resource, 0 for none */
	uint32_t size;      /* VT_MEM*: region size; VT_FUNC: target slot; VT_BTF_*: struct handle */
	int32_t pkt_range;  /* VT_PKT: bytes proven below pkt_end from the pointer's base (off 0)
	                       (VF_PKT_BEYOND / VF_PKT_AT_END: known > / >= pkt_end) */
	uint32_t origin;    /* slot that produced the value + 1, for related locations; 0 unknown */
	int64_t off;        /* pointers: fixed offset */
	struct vf_scalar v; /* scalars: the value; pointers: the variable part of the offset */
	struct vf_delta dl[VF_DELTA_SLOTS];
};

enum vf_stack_byte {
	SB_INVALID = 0, /* never written */
	SB_MISC,        /* written, value unknown */
	SB_ZERO,        /* written with zero */
	SB_SPILL,       /* part of an 8-byte spilled register (slot value in spill[]) */
};

/* Memory held by the states of one analysis (states, frames, spill arrays), counted where they
 * are allocated and freed; states made from one with an account share it. */
struct vf_memacct {
	uint64_t cur, peak;
};

/* Spilled registers of a frame, shared between frames like the frames themselves. */
struct vf_spills {
	uint32_t refs;
	struct vf_reg r[VF_STACK_SLOTS];
};

/* Frames are shared between states (copy-on-write, reference counted): read them through
 * st->fr[i], change them only through vf_frame_mut(). */
struct vf_frame {
	uint32_t refs;           /* states sharing this frame */
	struct vf_memacct *acct; /* where its memory is counted (NULL: not counted) */
	uint32_t callsite;       /* call instruction slot (VF_NONE for the entry frame) */
	uint32_t func_start;
	bool callback;             /* entered from a helper such as bpf_loop */
	uint32_t depth;            /* deepest stack byte used */
	struct vf_reg saved[5];    /* caller's r6-r10 */
	struct vf_reg cb_arg;      /* callback: the value passed as the callback's r2 */
	struct vf_scalar cb_index; /* callback: the range of r1 */
	uint8_t sb[VF_STACK_SIZE]; /* enum vf_stack_byte for byte at -512 + i */
	struct vf_spills *sp;      /* values of the spilled slots; NULL until the first spill */
};

struct vf_state {
	struct vf_memacct *acct; /* where its memory is counted (NULL: not counted) */
	struct vf_reg r[VF_NREGS];
	uint32_t nframes;
	struct vf_frame *fr[VF_MAX_FRAMES];
	uint32_t refs[VF_MAX_REFS]; /* acquired reference ids, sorted */
	uint32_t nrefs;
	bool may_goto; /* a may_goto was passed since the innermost loop head */
	/* bpf_rcu_read_lock sections open (calls_kfunc.c; more than one was reported as nested):
	 * depth, VF_RCU_MAYBE where paths with different depths were joined */
	uint8_t rcu;
	/* since the innermost loop head: creation instruction + 1 of the last number iterator whose
	 * next() gave a number (calls_kfunc.c), 0 none */
	uint32_t iter_bound;
	/* the bpf_spin_lock held (src/verifier/calls_lock.c): 0 none, else VF_LOCK_KEY(map, off),
	 * or VF_LOCK_MAYBE where paths holding different locks were joined */
	uint64_t lock;
	/* relations between locations of the current frame (specs/verifier.md, "Zone"): variable
	 * VF_ZV_REG(r) / VF_ZV_SLOT(k) is the offset from data of the packet (or meta) pointer held
	 * in register r / spilled in slot k, or the value of the scalar held there when it lies in
	 * [0, VF_ZONE_SCALAR_MAX] (present only while the location holds it); VF_ZV_END is
	 * data_end - data, VF_ZV_META data_meta - data; at most VF_ZONE_MAX_VARS variables;
	 * NULL: none */
	struct vf_zone *zone;
	/* the last branch decisions on one path that reached this state (oldest first), for
	 * findings; not part of the lattice (joins keep the destination's) */
	uint8_t path_n;
	struct {
		uint32_t insn;
		bool taken;
	} path[VF_PATH_LEN];
};

/* Records a branch decision in s's short path. */
void vf_state_add_branch(struct vf_state *s, uint32_t insn, bool taken);

#define VF_ZV_REG(r) (1u + (uint32_t)(r))
#define VF_ZV_END 12u
#define VF_ZV_META 13u
#define VF_ZV_SLOT(k) (16u + (uint32_t)(k))
/* Cap on the zone's variables (ZERO included): a state's zone costs at most 24^2 words, and its
 * cubic closure stays cheap; past it new variables are not added (relations lost, not gained). */
#define VF_ZONE_MAX_VARS 24u
/* Scalars in the zone lie in [0, 2^62]: adding a 32-bit constant or comparing (signed or
 * unsigned) is then integer arithmetic and order. */
#define VF_ZONE_SCALAR_MAX (UINT64_C(1) << 62)

/* Zone helpers: drop every relation; forget register r's variable, or any variable. */
void vf_state_zone_drop(struct vf_state *s);
void vf_state_zone_forget(struct vf_state *s, int r);
void vf_state_zone_forget_id(struct vf_state *s, uint32_t id);
/* x := y + c, and x - y <= c added, in s's zone (allocated when absent), its memory counted;
 * on out-of-memory the zone is dropped (relations lost, never gained). Past the variable cap,
 * assign forgets x and constrain adds nothing. */
void vf_state_zone_assign(struct vf_state *s, uint32_t x, uint32_t y, int64_t c);
void vf_state_zone_constrain(struct vf_state *s, uint32_t x, uint32_t y, int64_t c);
/* A scalar that may be a zone variable: its value lies in [0, VF_ZONE_SCALAR_MAX]. */
bool vf_zone_scalar_ok(const struct vf_reg *r);
/* The location a variable names in s (a register, or a spilled slot of the current frame); NULL
 * for ZERO, END, META and slots that hold no spill. */
const struct vf_reg *vf_state_zone_loc(const struct vf_state *s, uint32_t id);
/* Whether variable id may be in s's zone now (END, META, or a location holding a packet or
 * meta pointer or a zone scalar); sweep forgets every variable that may not. */
bool vf_state_zone_valid(const struct vf_state *s, uint32_t id);
void vf_state_zone_sweep(struct vf_state *s);
/* Whether `extra` more variables fit under the cap. */
bool vf_state_zone_room(const struct vf_state *s, uint32_t extra);
/* Adds to the zone what id's location says alone: a scalar's range, a packet pointer's offset
 * range from data (a meta pointer's from data_meta, with data_meta <= data). Adds id when
 * absent and there is room. */
void vf_state_zone_bounds(struct vf_state *s, uint32_t id);

#define VF_LOCK_KEY(map, off) ((((uint64_t)(map) + 1) << 32) | (uint32_t)(off))
#define VF_LOCK_MAYBE UINT64_MAX
#define VF_RCU_MAYBE 0xffu

#define VF_NONE_SLOT UINT32_MAX
#define VF_PKT_BEYOND (-1) /* pkt_range: the pointer is past data_end (pkt > end) */
#define VF_PKT_AT_END (-2) /* pkt_range: the pointer is at or past data_end (pkt >= end) */

void vf_reg_scalar(struct vf_reg *r, struct vf_scalar v);
void vf_reg_unknown(struct vf_reg *r);
void vf_reg_uninit(struct vf_reg *r);
bool vf_reg_is_ptr(const struct vf_reg *r);

/* Allocation: a state with one empty frame (registers uninitialised), its memory counted in acct
 * (may be NULL), as is that of every state, frame and spill array later made from it. NULL on
 * out-of-memory. */
struct vf_state *vf_state_new_counted(struct vf_memacct *acct);
/* The same, not counted. */
struct vf_state *vf_state_new(void);
/* The state at the program's entry: r1 the context, r10 the frame pointer, the rest
 * uninitialised; counted in acct (may be NULL). NULL on out-of-memory. */
struct vf_state *vf_state_entry(struct vf_memacct *acct);
struct vf_state *vf_state_dup(const struct vf_state *s);
/* Copies src into dst (dst's frames are reused or (re)allocated). Returns false on out-of-memory. */
bool vf_state_copy(struct vf_state *dst, const struct vf_state *src);
void vf_state_free(struct vf_state *s);
/* Frame i of s made private to s (copied if shared), for changing it; NULL on out-of-memory
 * (the state is then left unchanged). */
struct vf_frame *vf_frame_mut(struct vf_state *s, uint32_t i);
/* The spill array of a private frame made private too (allocated when absent), for changing a
 * spilled value; NULL on out-of-memory. */
struct vf_reg *vf_frame_spills_mut(struct vf_frame *f);
/* Adds / removes a frame. Push returns false at VF_MAX_FRAMES or on out-of-memory. */
bool vf_state_push_frame(struct vf_state *s);
void vf_state_pop_frame(struct vf_state *s);

/* Shape: types, null-ness, maps, frames of pointers, spilled slot types, references and the call
 * stack; with_flags adds which registers hold the constants 0 or 1 (flags that record which
 * branch was taken). States of equal shape are joined numerically; others are kept apart. */
bool vf_state_same_shape(const struct vf_state *a, const struct vf_state *b, bool with_flags);
/* Same call stack (the frames' call sites): never merged across. */
bool vf_state_same_calls(const struct vf_state *a, const struct vf_state *b);
/* dst := dst join src. Same shape: numeric join (or widening when widen is set, with the
 * thresholds). Different shapes: conservative join (differing registers become unusable or
 * nullable pointers, differing stack bytes lose their contents). head_tag names fresh ids. */
void vf_state_join(struct vf_state *dst, const struct vf_state *src, bool widen, const uint64_t *thr,
                   size_t thr_cnt, uint32_t head_tag);
bool vf_state_eq(const struct vf_state *a, const struct vf_state *b);
/* Renumbers the ids linking registers (same value, same nullable pointer, same packet variable
 * part) in order of appearance, tagged by the join point; joins call it. */
void vf_state_canon(struct vf_state *s, uint32_t tag);

/* Reference set operations. */
bool vf_state_has_ref(const struct vf_state *s, uint32_t ref);
bool vf_state_add_ref(struct vf_state *s, uint32_t ref);
void vf_state_del_ref(struct vf_state *s, uint32_t ref);

/* Deltas at the head of loop chain[0] (chain: loop indexes + 1 of that loop and each enclosing
 * one, outwards, len of them): keeps only the runs' loops of the chain (the others were left)
 * and sets chain[0]'s delta to base@head + 0, extending the run of the enclosing loop when the
 * value is unchanged since its head. */
void vf_reg_delta_enter(struct vf_reg *r, const uint32_t *chain, uint32_t len, uint16_t base);
/* Drop all; apply an addition of [lo, hi] to a register; the run holding loop index + 1 `loop`
 * (NULL: none). */
void vf_reg_delta_clear(struct vf_reg *r);
void vf_reg_delta_add(struct vf_reg *r, int64_t lo, int64_t hi);
const struct vf_delta *vf_reg_delta(const struct vf_reg *r, uint32_t loop);

#endif
