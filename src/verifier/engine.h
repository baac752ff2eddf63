/* Internals shared by the engine's files: the analysis context, the built-in Linux platform
 * tables the engine consults (helper prototypes, context layouts, return ranges), transfer and
 * text descriptions. See specs/verifier.md. */
#ifndef BPFCHECK_VERIFIER_ENGINE_H
#define BPFCHECK_VERIFIER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/isa.h"
#include "bpfcheck/prog.h"
#include "bpfcheck/verify.h"
#include "verifier/state.h"

/* ---- platform facts the engine needs (built-in Linux subset) ---- */

enum vf_ptclass {
	PTC_UNKNOWN = 0,
	PTC_XDP = 1 << 0,
	PTC_TC = 1 << 1,      /* sched_cls / sched_act */
	PTC_SOCKET = 1 << 2,  /* socket_filter */
	PTC_CGSKB = 1 << 3,   /* cgroup_skb */
	PTC_KPROBE = 1 << 4,  /* kprobe / uprobe: struct pt_regs */
	PTC_TRACEPT = 1 << 5, /* tracepoint / raw_tracepoint / perf_event */
};
#define PTC_TRACING (PTC_KPROBE | PTC_TRACEPT)
#define PTC_SKB (PTC_TC | PTC_SOCKET | PTC_CGSKB)
#define PTC_ALL 0xff

enum vf_ctx_kind { CF_SCALAR, CF_PKT, CF_PKT_END, CF_PKT_META };

struct vf_ctx_field {
	uint16_t off, size;
	uint8_t kind;   /* enum vf_ctx_kind */
	uint8_t write;  /* bit per class that may write it */
};

struct vf_progtype {
	const char *name;
	unsigned cls;
	uint32_t ctx_size;
	const struct vf_ctx_field *fields; /* NULL: any aligned read of a scalar within ctx_size */
	size_t field_cnt;
	bool has_ret_range;
	int64_t ret_min, ret_max;
	bool pkt_write; /* direct packet writes allowed */
};

enum vf_arg {
	A_NONE = 0,
	A_ANY,
	A_CTX,
	A_MAP,
	A_MAP_KEY,
	A_MAP_VALUE,
	A_MEM,        /* readable initialised memory, size in the next argument */
	A_UNINIT_MEM, /* writable memory, size in the next argument */
	A_SIZE,       /* size of the preceding memory argument, may be zero */
	A_CONST_SIZE, /* same, must be a known constant */
	A_ALLOC_SIZE, /* known constant size of a new allocation */
	A_FUNC,
	A_STACK_OR_NULL,
	A_RINGBUF_MEM, /* released */
	A_ZERO,        /* flags that must be 0 */
};

enum vf_ret { R_INT, R_VOID, R_MAP_VALUE_OR_NULL, R_MEM_OR_NULL };

struct vf_helper {
	int32_t id;
	const char *name;
	uint8_t args[5]; /* enum vf_arg */
	uint8_t ret;     /* enum vf_ret */
	int64_t ret_min, ret_max;
	unsigned avail;  /* enum vf_ptclass bits */
	uint32_t map_type; /* required map type of the map argument, 0: any */
	bool changes_pkt;
	bool acquire;
	bool release;
	bool callback; /* calls args[1] (bpf_loop) */
};

const struct vf_helper *vf_helper_find(int32_t id);
const struct vf_progtype *vf_progtype_find(const char *name);

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

struct vf_aloop {
	uint32_t head;
	bool seen;     /* a back edge was checked */
	bool proven;
	uint64_t inc_regs, inc_slots, dec_regs, dec_slots; /* candidates on every back edge so far */
	char why[160]; /* best explanation when not proven */
};

struct vf_actx {
	const struct bpfc_prog *prog;
	const struct isa_table *isa;
	const struct bpfc_map *maps;
	size_t map_cnt;
	const struct vf_options *opts;
	const struct vf_progtype *pt;
	struct vf_findings *findings;
	struct vf_stats *stats;
	size_t n; /* slots */
	const struct isa_entry **ent;
	uint8_t *kind;      /* per slot: bit0 head, bit1 loop head (widening point), bit2 wide second */
	uint32_t *head_of;  /* per slot: index+1 into heads */
	struct vf_ahead *heads;
	uint32_t head_cnt;
	uint32_t *loop_of; /* per slot: index+1 into loops */
	struct vf_aloop *loops;
	uint32_t loop_cnt;
	uint64_t *thr;
	size_t thr_cnt;
	uint32_t *heap; /* worklist: min-heap of head indexes by slot */
	uint32_t heap_cnt;
	uint64_t *reported; /* hash set of (slot, property) already reported */
	size_t reported_cap, reported_cnt;
	bool report;  /* final pass: emit findings and check termination */
	bool aborted; /* a limit was reached */
	bool nomem;
	uint64_t processed;
	uint64_t live_states;
	const char *func_name; /* for findings */
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

/* Emits a finding (once per slot and property, only in the reporting pass). Returns it, or NULL
 * when suppressed. */
struct vf_finding *vf_report(struct vf_actx *ctx, uint32_t idx, const char *prop, bool warn_if_privileged,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Text of a register's abstract value ("map_value_or_null(map=counters, value_size=8)"). */
void vf_describe_reg(const struct vf_actx *ctx, const struct vf_reg *r, char *buf, size_t len);
/* Adds register regno's value (and where it came from) to a finding. */
void vf_finding_reg(struct vf_actx *ctx, struct vf_finding *f, const struct vf_state *st, int regno);
/* Text of the whole state (registers and initialised stack), for -v and dumps. */
void vf_describe_state(const struct vf_actx *ctx, const struct vf_state *st, char *buf, size_t len);

const char *vf_rtype_name(unsigned t);

#endif
