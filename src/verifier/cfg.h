/* The control-flow graph of one program: functions, basic blocks, intra-procedural edges and,
 * kept apart, call edges. Flat arrays indexed by number so a 1M-instruction program costs a few
 * arrays, not a million allocations. Rules and the Linux behaviour they follow: specs/verifier-cfg.md. */
#ifndef BPFCHECK_VERIFIER_CFG_H
#define BPFCHECK_VERIFIER_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"
#include "bpfcheck/prog.h"
#include "bpfcheck/verify.h"

#define VF_NONE UINT32_MAX

/* How a block ends. */
enum vf_term {
	VF_TERM_FALL,     /* an ordinary instruction: falls into the next block (a jump target) */
	VF_TERM_JUMP,     /* ja / ja32 (gotol) */
	VF_TERM_COND,     /* conditional jump: taken and not-taken edges */
	VF_TERM_MAY_GOTO, /* may_goto: taken and not-taken edges, the platform chooses */
	VF_TERM_CALL,     /* local call (src=1): one fallthrough edge to the return site */
	VF_TERM_EXIT,     /* exit: no successor */
	VF_TERM_GOTOX,    /* indirect jump: targets unknown, no successor (reported unsupported) */
	VF_TERM_INVALID, /* an instruction the CFG cannot follow (e.g. a wide load missing its second slot) */
};

enum vf_edge_kind {
	VF_EDGE_FALL,      /* next instruction after a non-branching one, or return site of a call */
	VF_EDGE_JUMP,      /* unconditional jump */
	VF_EDGE_TAKEN,     /* conditional jump / may_goto taken */
	VF_EDGE_NOT_TAKEN, /* conditional jump / may_goto not taken */
};

enum vf_call_kind {
	VF_CALL_LOCAL,    /* call src=1: imm is relative to the next slot */
	VF_CALL_CALLBACK, /* lddw src=4 (code address) passed to a helper such as bpf_loop */
};

struct vf_edge {
	uint32_t from, to; /* block indexes, both in the same function */
	uint8_t kind;      /* enum vf_edge_kind */
};

struct vf_block {
	uint32_t first;    /* first slot */
	uint32_t last;     /* first slot of the last instruction */
	uint32_t end;      /* one past the last slot (last + 2 for a wide load) */
	uint32_t func;     /* function index */
	uint32_t succ_off; /* succ[succ_off .. succ_off + succ_cnt) are edge indexes */
	uint32_t pred_off;
	uint32_t succ_cnt;
	uint32_t pred_cnt;
	uint8_t term;   /* enum vf_term */
	bool falls_off; /* the last instruction would continue past the function's end */
	bool reachable; /* from the entry, following edges and calls */
};

struct vf_func {
	const char *name; /* from prog->funcs, else generated ("subprog@12"); owned by the cfg */
	uint32_t start;   /* first slot */
	uint32_t end;     /* one past the last slot */
	uint32_t first_block, block_cnt; /* blocks[first_block .. + block_cnt), entry is first_block */
	uint32_t call_off, call_cnt;     /* calls[call_off .. + call_cnt): call sites inside it */
	bool reachable;
	bool has_gotox; /* unreachable-code checks are skipped: gotox targets are unknown */
};

struct vf_call {
	uint32_t insn;   /* call instruction / lddw slot */
	uint32_t block;  /* block containing insn */
	uint32_t caller; /* function index */
	uint32_t callee; /* function index */
	uint8_t kind;    /* enum vf_call_kind */
};

/* Slot classification, one byte per slot. */
enum vf_slot_kind {
	VF_SLOT_INSN,  /* first (or only) slot of an instruction */
	VF_SLOT_WIDE2, /* second slot of a wide load */
};

struct vf_cfg {
	const struct bpfc_prog *prog;
	const struct isa_table *isa;
	size_t slot_cnt;
	uint64_t insn_cnt; /* instructions (wide counts once) */
	struct vf_func *funcs;
	uint32_t func_cnt;
	struct vf_block *blocks; /* in slot order; a function's blocks are contiguous */
	uint32_t block_cnt;
	struct vf_edge *edges;
	uint32_t edge_cnt;
	uint32_t *succ;        /* edge indexes grouped by source block (see vf_block.succ_off) */
	uint32_t *pred;        /* edge indexes grouped by target block */
	struct vf_call *calls; /* sorted by insn (so also by caller: functions are in slot order) */
	uint32_t call_cnt;
	uint32_t *block_of;             /* per slot: block index (both slots of a wide load) */
	uint8_t *slot_kind;             /* per slot: enum vf_slot_kind */
	const struct isa_entry **entry; /* per slot: isa_lookup() result (NULL: unknown opcode) */
	char *names;                    /* storage of generated function names */
	size_t bytes;                   /* memory held by the CFG */
};

/* Builds the CFG of prog. Problems that make an instruction impossible to follow are appended
 * to findings as VF-INVALID-INSN / VF-UNSUPPORTED and the CFG stays usable (the offending edge is
 * dropped). Reachability is computed. Returns BPFC_OK, or BPFC_ERR_NOMEM / BPFC_ERR_USAGE (empty
 * program, more than UINT32_MAX - 1 slots). *out is freed with vf_cfg_free. */
int vf_cfg_build(const struct bpfc_prog *prog, const struct isa_table *isa, struct vf_findings *findings,
                 struct vf_cfg **out, struct bpfc_error *err);

/* Frees a CFG; ignores NULL. */
void vf_cfg_free(struct vf_cfg *cfg);

/* Function containing slot (VF_NONE when out of range). O(log functions). */
uint32_t vf_cfg_func_of(const struct vf_cfg *cfg, uint32_t slot);

/* Index in cfg->calls of the call site at slot insn (a local call or a code-address lddw), or
 * VF_NONE. O(log calls): calls are sorted by instruction. */
uint32_t vf_cfg_call_at(const struct vf_cfg *cfg, uint32_t insn);

/* Edge of block b's i-th successor / predecessor. */
static inline const struct vf_edge *vf_cfg_succ(const struct vf_cfg *cfg, uint32_t b, uint32_t i)
{
	return &cfg->edges[cfg->succ[cfg->blocks[b].succ_off + i]];
}
static inline const struct vf_edge *vf_cfg_pred(const struct vf_cfg *cfg, uint32_t b, uint32_t i)
{
	return &cfg->edges[cfg->pred[cfg->blocks[b].pred_off + i]];
}

/* Name of an edge kind / block terminator ("taken", "cond"), for dumps and messages. */
const char *vf_edge_kind_name(unsigned kind);
const char *vf_term_name(unsigned term);

/* Structural checks over a built CFG, each appending findings with its property id:
 * VF-UNREACHABLE (one per run of unreachable slots inside a function), VF-FALL-OFF-END,
 * VF-RECURSION (one per call cycle found), VF-CALL-DEPTH (more than max_call_frames frames).
 * *max_call_depth gets the frames of the deepest chain (0 when recursive). */
int vf_check_structure(const struct vf_cfg *cfg, uint32_t max_call_frames, struct vf_findings *findings,
                       uint32_t *max_call_depth, struct bpfc_error *err);

#endif
