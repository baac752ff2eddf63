/* The verifier's public interface: findings (what is wrong, where, why), statistics, options, and
 * the entry point vf_verify(). The report layer (text/JSON/SARIF) and the CLI consume these types;
 * see specs/verifier-cfg.md for the property ids the structural passes produce. */
#ifndef BPFCHECK_VERIFY_H
#define BPFCHECK_VERIFY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"
#include "bpfcheck/prog.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instruction index meaning "no instruction" (a finding about the whole program). */
#define VF_NO_INSN UINT32_MAX

enum vf_severity {
	VF_SEV_ERROR = 0, /* the program would be rejected */
	VF_SEV_WARNING,   /* accepted, but likely a bug or a portability problem */
	VF_SEV_NOTE,      /* information (e.g. an analysis limit that made a result imprecise) */
};

/* The abstract state of one register (or stack slot) involved in a finding, as text:
 * name "r0", state "map_value_or_null(map=counters, value_size=8)". */
struct vf_reg_state {
	char *name;
	char *state;
};

/* Another location that explains a finding ("r0 set by call bpf_map_lookup_elem here"). */
struct vf_related {
	uint32_t insn;
	char *message;
};

/* What a finding's path is (specs/verifier.md, "Finding paths"). */
enum vf_path_kind {
	VF_PATH_NONE = 0, /* no path: a finding about the program, a loop or a call chain */
	VF_PATH_MERGED,   /* one path that reached the (possibly joined) state the check failed on;
	                     the fault need not happen on it */
	VF_PATH_WITNESS,  /* a path from the entry on which the check fails, found by replaying the
	                     transfer functions on one never-joined state */
};

/* One branch decision on the short path that reached a finding. */
struct vf_branch {
	uint32_t insn; /* the conditional jump (or may_goto) */
	bool taken;    /* true: jumped to the target; false: fell through */
};

struct vf_finding {
	char *property; /* stable property id, e.g. "VF-UNREACHABLE" (the rule id in every format) */
	enum vf_severity severity;
	uint32_t insn; /* slot index of the instruction, or VF_NO_INSN */
	char *func;    /* name of the function containing insn, or NULL */
	char *message; /* one sentence: what is wrong */
	char *hint;    /* how to fix it, or NULL */
	struct vf_reg_state *regs;
	size_t reg_cnt;
	struct vf_related *related;
	size_t related_cnt;
	struct vf_branch *path; /* in execution order */
	size_t path_cnt;
	uint8_t path_kind;   /* enum vf_path_kind */
	size_t path_omitted; /* earlier decisions of the path not in path[] (witness paths) */
};

struct vf_findings {
	struct vf_finding *items;
	size_t cnt;
	size_t cap;
};

/* Statistics of one verification. Counters the passes run so far did not reach stay 0. */
struct vf_stats {
	uint64_t insns;          /* instructions (a wide load counts once) */
	uint64_t slots;          /* 8-byte slots */
	uint64_t blocks;         /* basic blocks */
	uint64_t edges;          /* intra-procedural CFG edges */
	uint64_t call_edges;     /* call sites: local calls and callback addresses */
	uint64_t loop_heads;     /* heads of weak-topological-order components */
	uint32_t max_loop_depth; /* deepest loop nesting (0: no loop) */
	uint32_t funcs;          /* functions (entry + subprograms) */
	uint32_t max_call_depth; /* frames on the deepest call chain (1: no calls); 0 if recursive */
	uint64_t iterations;     /* fixpoint iterations (block visits) of the analysis */
	uint64_t peak_states;    /* most abstract states alive at once */
	uint64_t time_ns;        /* wall-clock time of vf_verify */
	uint64_t peak_mem_bytes; /* most memory the analysis held at once */
};

struct vf_options {
	bool privileged;             /* CAP_BPF/CAP_SYS_ADMIN rules (loops allowed, 1M insns) */
	uint64_t max_insns;          /* program size limit in slots; 0: 1,000,000 privileged, 4096 not */
	uint32_t max_call_frames;    /* call stack depth limit; 0: 8 (Linux MAX_CALL_FRAMES) */
	uint32_t max_iters_per_head; /* fixpoint iterations per loop head before giving up; 0: default */
	uint64_t max_states;         /* abstract states alive at once; 0: default */
	uint64_t max_mem_bytes;      /* memory for the analysis; 0: default */
	const char *prog_type;       /* overrides prog->type when not NULL ("xdp", ...) */
	const struct isa_table *isa; /* NULL: isa_table_default() */
	bool structure_only; /* run only the structural passes (size, CFG, WTO, structure): no analysis */
	/* Optional: the object's BTF (bpfc_object.btf), for the layout of the kernel structs BTF
	 * pointers point to (kptrs, bpf_skc_to_*; the maps' special fields are in bpfc_map.fields)
	 * and the names and prototypes of the kfuncs called (a src=2 call's imm is its FUNC id here;
	 * without it every kfunc call is VF-UNSUPPORTED). NULL for raw/assembly input. */
	const struct btf *btf;
	/* Optional: called by the analysis in its final pass with each instruction's abstract state
	 * as text (one call per instruction and state), for `bpfcheck verify -v`. */
	void (*trace)(void *arg, uint32_t insn, const char *state);
	void *trace_arg;
	/* Witness search (specs/verifier.md, "Finding paths"): at most this many error findings per
	 * program get a search (0: VF_WITNESS_DEFAULT_FINDINGS, VF_WITNESS_OFF: none), each running
	 * at most witness_steps instructions (0: VF_WITNESS_DEFAULT_STEPS). */
	uint32_t witness_findings;
	uint64_t witness_steps;
	/* VF-KERNEL-IMPRECISE (a proof the Linux verifier does not make) is an error instead of a
	 * note: the program must also load on Linux, not only be safe (--linux-compat). */
	bool linux_compat;
};

#define VF_WITNESS_OFF UINT32_MAX
#define VF_WITNESS_DEFAULT_FINDINGS 8u
#define VF_WITNESS_DEFAULT_STEPS 100000u

struct vf_result {
	struct vf_findings findings; /* sorted with vf_findings_sort */
	struct vf_stats stats;
};

/* Fills opts with the defaults: privileged, every limit 0 (= the platform default). */
void vf_options_default(struct vf_options *opts);

/* Verifies prog against maps (lddw src=5/6 imm=K names maps[K]). On BPFC_OK, *out holds the
 * findings and statistics (free with vf_result_free); a rejected program is BPFC_OK with error
 * findings. Returns an error code (out-of-memory, invalid arguments) only when verification could
 * not be carried out; *out is then empty. opts may be NULL (defaults). */
int vf_verify(const struct bpfc_prog *prog, const struct bpfc_map *maps, size_t map_cnt,
              const struct vf_options *opts, struct vf_result *out, struct bpfc_error *err);

/* Frees the findings of a result and zeroes it. Ignores NULL. */
void vf_result_free(struct vf_result *res);

/* True when no finding has severity error. */
bool vf_result_accepted(const struct vf_result *res);

/* "error", "warning", "note". */
const char *vf_severity_name(enum vf_severity sev);

/* Initialises an empty list. */
void vf_findings_init(struct vf_findings *list);

/* Appends a finding (property, func and the formatted message are copied; func may be NULL).
 * Returns it for adding details, or NULL when out of memory. The pointer stays valid only
 * until the next add. */
struct vf_finding *vf_findings_add(struct vf_findings *list, const char *property, enum vf_severity sev,
                                   uint32_t insn, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Same as vf_findings_add with a va_list. */
struct vf_finding *vf_findings_vadd(struct vf_findings *list, const char *property, enum vf_severity sev,
                                    uint32_t insn, const char *func, const char *fmt, va_list ap);

/* Details of a finding; each copies its strings and returns BPFC_OK or BPFC_ERR_NOMEM. */
int vf_finding_set_hint(struct vf_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vf_finding_add_reg(struct vf_finding *f, const char *name, const char *state);
int vf_finding_add_related(struct vf_finding *f, uint32_t insn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vf_finding_add_branch(struct vf_finding *f, uint32_t insn, bool taken);

/* Sorts by instruction (VF_NO_INSN last), then severity, then property id, then message; stable
 * for equal keys, so the order is deterministic. */
void vf_findings_sort(struct vf_findings *list);

/* Number of findings with the given property id (NULL: all). */
size_t vf_findings_count(const struct vf_findings *list, const char *property);

/* Frees every finding and the array; leaves an empty list. Ignores NULL. */
void vf_findings_free(struct vf_findings *list);

#ifdef __cplusplus
}
#endif
#endif
