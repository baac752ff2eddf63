/* Rules Linux applies to unprivileged loads before any analysis (specs/verifier.md "Policy:
 * errors and warnings"): without CAP_BPF a program may not call other BPF functions, call kfuncs
 * or take a function's address (the kernel's add_subprog_and_kfunc refuses them wherever they
 * are, reachable or not). */
#include "verifier/verifier.h"

int vf_pass_unpriv(struct vf_ctx *ctx)
{
	if (ctx->opts.privileged || ctx->opts.structure_only)
		return BPFC_OK;
	const struct bpfc_prog *p = ctx->prog;
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct isa_slot *s = &p->insns[i];
		const char *what = NULL;
		if (s->opcode == 0x85 && s->src == 1)
			what = "a call of another BPF function";
		else if (s->opcode == 0x85 && s->src == 2)
			what = "a kfunc call";
		else if (s->opcode == 0x18 && s->src == 4)
			what = "the address of a BPF function (lddw src=4)";
		if (!what)
			continue;
		struct vf_finding *f =
		    vf_findings_add(&ctx->findings, "VF-HELPER-UNAVAILABLE", VF_SEV_ERROR, (uint32_t)i, NULL,
		                    "%s needs CAP_BPF: unprivileged loads may not call or "
		                    "load other BPF or kernel functions",
		                    what);
		if (!f || vf_finding_set_hint(f, "inline the function (static __always_inline) or load "
		                                 "the program with CAP_BPF"))
			return bpfc_error_set(ctx->err, BPFC_ERR_NOMEM, "out of memory (pass unpriv)");
		ctx->stop = true;
		return BPFC_OK;
	}
	return BPFC_OK;
}
