/* Internals shared by the engine's files: the analysis context, the platform facts the engine
 * consults (helper prototypes and program types translated from bpfcheck/platform.h), transfer
 * and text descriptions. See specs/verifier.md. */
#ifndef BPFCHECK_VERIFIER_ENGINE_H
#define BPFCHECK_VERIFIER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/isa.h"
#include "bpfcheck/platform.h"
#include "bpfcheck/prog.h"
#include "bpfcheck/verify.h"
#include "verifier/cfg.h"
#include "verifier/state.h"

/* ---- platform facts, from the platform module (bpfcheck/platform.h) ---- */

/* The program type as the engine uses it. */
struct vf_progtype {
	const char *name;
	const struct plat_prog_type *plat;
	bool skb;           /* __sk_buff context (ld_abs/ld_ind allowed) */
	bool has_ret_range; /* the exit value is checked */
	int64_t ret_min, ret_max;
	bool pkt_write; /* direct packet stores allowed */
};

enum vf_arg {
	A_NONE = 0,
	A_ANY,
	A_CTX,
	A_MAP,
	A_MAP_KEY,
	A_MAP_VALUE,
	A_MEM,        /* readable initialised memory of size_arg's value or fixed bytes */
	A_UNINIT_MEM, /* writable memory, same sizes */
	A_SIZE,       /* size of a memory argument, may be zero */
	A_ALLOC_SIZE, /* known constant size of a new allocation */
	A_FUNC,
	A_STACK_OR_NULL,
	A_RINGBUF_MEM,     /* released */
	A_CONST_STR,       /* NUL-terminated string in a read-only map value */
	A_SOCK_COMMON,     /* a non-NULL socket pointer of any kind (calls_sock.c) */
	A_BTF_SOCK_COMMON, /* the same, or a BTF pointer to a struct starting with sock_common */
	A_SPIN_LOCK,       /* the struct bpf_spin_lock in a map value (calls_lock.c) */
	A_KPTR,            /* a referenced kptr field in a map value (bpf_kptr_xchg, mapfields.c) */
	A_BTF_ID,          /* kptr_xchg: an acquired BTF pointer to the kptr's struct, or NULL; others: a
	                      trusted BTF pointer to the struct btf_type[i] names */
	A_UNSUPPORTED,     /* a kind the engine does not model yet */
};

enum vf_ret {
	R_INT,
	R_VOID,
	R_MAP_VALUE,
	R_MAP_VALUE_OR_NULL,
	R_MEM_OR_NULL,
	R_UNSUPPORTED,
	R_SOCK_OR_NULL, /* socket pointers, or NULL (calls_sock.c) */
	R_SOCK_COMMON_OR_NULL,
	R_TCP_SOCK_OR_NULL,
	R_KPTR_OR_NULL, /* an acquired BTF pointer to the struct of the A_KPTR argument, or NULL */
	R_BTF,          /* a BTF pointer to the struct the platform names (VF_BTF_HELPER) */
	R_BTF_OR_NULL,
};

/* A helper prototype translated from the platform's. */
struct vf_helper {
	int32_t id;
	const char *name;
	uint8_t args[5];     /* enum vf_arg */
	uint8_t nullable[5]; /* the argument may be NULL */
	uint8_t size_arg[5]; /* A_MEM/A_UNINIT_MEM: 1-based argument holding the size, 0: fixed */
	uint32_t fixed[5];
	const char *btf_type[5];     /* A_BTF_ID: the struct's name (NULL: the kptr's) */
	const char *unsupported_arg; /* name of the first argument kind not modelled, or NULL */
	uint8_t ret;                 /* enum vf_ret */
	const char *unsupported_ret;
	bool has_range;
	int64_t ret_min, ret_max;
	uint8_t ret_max_arg; /* the result is at most this 1-based argument */
	uint8_t ret_size_arg;
	bool changes_pkt;
	bool acquire;
	bool release;
	bool callback; /* calls a subprogram argument (bpf_loop) */
};

/* Translates helper id of the platform; returns PLAT_HELPER_OK, _NO_PROTO or _UNKNOWN. */
int vf_helper_get(const struct plat_platform *plat, int32_t id, struct vf_helper *out);
/* The program type name (NULL: unknown) in the platform; false when the platform has none. */
bool vf_progtype_get(const struct plat_platform *plat, const char *name, const char *section,
                     struct vf_progtype *out);

/* ---- the analysis context ---- */

struct vf_disj {
	struct vf_state *st;
	uint32_t joins;
	bool dirty;
};

struct vf_ahead {
	struct vf_disj *d;
	uint32_t cnt, cap;
	uint32_t visits;
	bool queued;
};

#define VF_ZPAIRS 8

struct vf_aloop {
	uint32_t head;
	bool seen; /* a back edge was checked */
	bool proven;
	uint64_t inc_regs, inc_slots, dec_regs, dec_slots; /* candidates on every back edge so far */
	/* relational candidates on every back edge so far: zone variable pairs (a << 8 | b) whose
	 * difference a - b shrinks towards a bound (analyze.c, zone_progress) */
	uint16_t zpair[VF_ZPAIRS];
	uint8_t zpair_cnt;
	bool zpair_all; /* every back edge so far bounded itself (at most once, may_goto) */
	/* candidates (bits as in inc_regs) that were packet pointers on some back edge: bounded only
	 * by the packet's size (at most 64 KiB), which Linux does not use for termination */
	uint64_t pkt_regs, pkt_slots;
	bool counter;  /* on every back edge so far a location other than a packet pointer progressed */
	char why[160]; /* best explanation when not proven */
};

struct vf_actx {
	const struct bpfc_prog *prog;
	const struct isa_table *isa;
	const struct bpfc_map *maps;
	size_t map_cnt;
	const struct vf_options *opts;
	const struct plat_platform *plat;
	const struct vf_progtype *pt; /* NULL: unknown program type */
	struct vf_progtype pt_storage;
	struct vf_findings *findings;
	struct vf_stats *stats;
	size_t n; /* slots */
	const struct isa_entry **ent;
	uint8_t *kind;     /* per slot: bit0 head, bit1 loop head (widening point), bit2 wide second */
	uint32_t *head_of; /* per slot: index+1 among the heads (slots where states are kept) */
	uint32_t head_cnt;
	uint32_t *loop_of; /* per slot: index+1 into loops */
	struct vf_aloop *loops;
	uint32_t loop_cnt;
	uint64_t *thr;
	size_t thr_cnt;
	uint64_t *reported; /* hash set of (slot, property) already reported */
	size_t reported_cap, reported_cnt;
	bool report;  /* final pass: emit findings and check termination */
	bool narrow;  /* decreasing pass: heads recomputed from the stable states, no widening */
	bool widened; /* some join widened: the decreasing pass has something to recover */
	bool aborted; /* a limit was reached */
	bool nomem;
	uint64_t processed;
	uint64_t live_states;
	struct vf_memacct mem; /* states, frames and spills held by the analysis */
	uint64_t fixed_mem;    /* per-program tables, counted once */
	const struct vf_cfg *cfg;
	const struct vf_state *cur; /* state the instruction being run started from (short paths) */
	uint32_t id_gen;            /* fresh ids for copies, nullable pointers, packet variable parts */
	uint32_t *fdepth;           /* per CFG function: deepest stack byte any state used */
	uint8_t *base_seen;         /* per slot (reporting pass): 1 context base seen, 2 other pointer base */
	struct vf_probe *probe;     /* set during a witness search: vf_report only notes a hit */
};

/* A witness search's question to vf_report (src/verifier/witness.c): did the check `prop` at
 * instruction insn fail? While ctx->probe is set nothing is reported. */
struct vf_probe {
	uint32_t insn;
	const char *prop;
	bool hit;
};

#define K_HEAD 1
#define K_LOOP 2
#define K_WIDE2 4

/* A successor produced by running an instruction. */
struct vf_succ {
	uint32_t slot;
	struct vf_state *st; /* owned */
};

/* Runs one instruction (slot idx) on st. Returns the number of successors written to out
 * (0: the path ends; for ordinary instructions one successor, the state itself in out[0].st).
 * Findings are emitted only when ctx->report is set. */
int vf_transfer(struct vf_actx *ctx, uint32_t idx, struct vf_state *st, struct vf_succ out[2]);

/* A use of the stack of frame `frame` down to offset lo (< 0) by instruction idx (a kfunc's stack
 * object): counts towards the frame's depth and the combined stack size (VF-STACK-SIZE). */
void vf_stack_note_depth(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, uint32_t frame, int64_t lo);

/* Emits a finding (once per slot and property, only in the reporting pass). Returns it, or NULL
 * when suppressed. A finding made while an instruction runs on a state (ctx->cur) carries that
 * state's path as VF_PATH_MERGED. With ctx->probe set it only records whether it is the probed
 * check and returns NULL. */
struct vf_finding *vf_report(struct vf_actx *ctx, uint32_t idx, const char *prop, bool warn_if_privileged,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Emits VF-KERNEL-IMPRECISE at idx (as vf_report): a note, an error under opts->linux_compat. For
 * a check bpfcheck proved in a way the Linux verifier does not (specs/verifier.md, "Linux
 * compatibility"). */
struct vf_finding *vf_report_kernel(struct vf_actx *ctx, uint32_t idx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Text of a register's abstract value ("map_value_or_null(map=counters, value_size=8)"). */
void vf_describe_reg(const struct vf_actx *ctx, const struct vf_reg *r, char *buf, size_t len);
/* Adds register regno's value (and where it came from) to a finding. */
void vf_finding_reg(struct vf_actx *ctx, struct vf_finding *f, const struct vf_state *st, int regno);
/* Text of the whole state (registers and initialised stack), for -v and dumps. */
void vf_describe_state(const struct vf_actx *ctx, const struct vf_state *st, char *buf, size_t len);

const char *vf_rtype_name(unsigned t);

#endif
