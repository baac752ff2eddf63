/* The verifier's pipeline, kernel bpf_check() style: one context every pass reads and fills, and a
 * fixed list of passes run in order (src/verifier/verify.c). A new pass (the abstract
 * interpretation engine) is a function taking the context plus one line in that list. */
#ifndef BPFCHECK_VERIFIER_VERIFIER_H
#define BPFCHECK_VERIFIER_VERIFIER_H

#include <stdbool.h>

#include "bpfcheck/verify.h"
#include "verifier/cfg.h"
#include "verifier/wto.h"

struct vf_ctx {
	/* inputs */
	const struct bpfc_prog *prog;
	const struct bpfc_map *maps;
	size_t map_cnt;
	struct vf_options opts; /* with every 0 limit replaced by its default */
	const char *prog_type;  /* opts.prog_type, else prog->type (may be NULL) */
	const struct isa_table *isa;
	/* built by the passes */
	struct vf_cfg *cfg; /* pass "cfg" */
	struct vf_wto *wto; /* pass "wto" */
	/* outputs */
	struct vf_findings findings;
	struct vf_stats stats;
	/* Set by a pass when the program is unfit for the passes after it (the Linux verifier stops
	 * at its first structural error the same way); the findings so far are the result. */
	bool stop;
	struct bpfc_error *err;
};

/* A pass returns BPFC_OK (findings go to ctx->findings), or an error code after filling ctx->err
 * when it could not run at all (out of memory). */
typedef int (*vf_pass_fn)(struct vf_ctx *ctx);

struct vf_pass {
	const char *name;
	vf_pass_fn run;
};

/* Default limits (used when the corresponding vf_options field is 0). */
#define VF_DEFAULT_MAX_INSNS_PRIV 1000000u  /* Linux BPF_COMPLEXITY_LIMIT_INSNS */
#define VF_DEFAULT_MAX_INSNS_UNPRIV 4096u   /* Linux BPF_MAXINSNS */
#define VF_DEFAULT_MAX_CALL_FRAMES 8u       /* Linux MAX_CALL_FRAMES */
#define VF_DEFAULT_MAX_ITERS_PER_HEAD 1000u /* fixpoint iterations per loop head */
#define VF_DEFAULT_MAX_STATES 1000000u
#define VF_DEFAULT_MAX_MEM_BYTES (1ull << 30)

/* The abstract-interpretation pass (src/verifier/analyze.c, specs/verifier.md). */
int vf_analyze(struct vf_ctx *ctx);

/* Unprivileged loads: refuses bpf-to-bpf calls, kfunc calls and function addresses anywhere in
 * the program (src/verifier/unpriv.c); nothing for privileged loads. */
int vf_pass_unpriv(struct vf_ctx *ctx);

/* The passes in run order, terminated by {NULL, NULL}. */
extern const struct vf_pass vf_passes[];

#endif
