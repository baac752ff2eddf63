/* Rules Linux applies to unprivileged loads (specs/verifier.md "Policy: errors and warnings"):
 * the pass before the analysis refuses calls of other BPF functions, kfunc calls and function
 * addresses wherever they are (the kernel's add_subprog_and_kfunc), and the transfer functions
 * ask vf_unpriv_ptr_arith about pointer arithmetic (Spectre v1 masking). */
#include "verifier/engine.h"
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

/* Pointer arithmetic an unprivileged load may do (Linux sanitize_ptr_alu / sanitize_check_bounds
 * when Spectre v1 mitigations apply): the offset added must not have mixed signs, a stack pointer
 * must stay at a constant offset inside the frame, and a map value pointer inside the value. */
void vf_unpriv_ptr_arith(struct vf_actx *ctx, uint32_t idx, int dst, const struct vf_reg *sc, int sc_reg,
                         const struct vf_reg *res)
{
	if (ctx->opts->privileged)
		return;
	if (!vn_is_const(sc->v) && sc->v.s64.lo < 0 && sc->v.s64.hi >= 0) {
		vf_report(ctx, idx, "VF-POINTER-ARITH", false,
		          "r%d may be negative or positive: unprivileged loads may not add such an offset to "
		          "a pointer (Spectre v1 masking needs a known sign)",
		          sc_reg);
		return;
	}
	int64_t lo = res->off, hi = res->off;
	if (__builtin_add_overflow(lo, res->v.s64.lo, &lo) || __builtin_add_overflow(hi, res->v.s64.hi, &hi))
		lo = INT64_MIN, hi = INT64_MAX;
	if (res->type == VT_STACK) {
		if (!vn_is_const(res->v))
			vf_report(
			    ctx, idx, "VF-POINTER-ARITH", false,
			    "r%d: a variable offset on a stack pointer is refused for unprivileged loads",
			    dst);
		else if (lo >= 0 || lo < -VF_STACK_SIZE)
			vf_report(
			    ctx, idx, "VF-POINTER-ARITH", false,
			    "r%d: stack pointer offset %lld is outside the frame [-512, 0), refused for "
			    "unprivileged loads",
			    dst, (long long)lo);
	} else if (res->type == VT_MAP_VALUE) {
		uint64_t vs = res->map < ctx->map_cnt ? ctx->maps[res->map].value_size : 0;
		if (lo < 0 || hi < 0 || (uint64_t)hi >= vs)
			vf_report(
			    ctx, idx, "VF-POINTER-ARITH", false,
			    "r%d: map value pointer offset [%lld, %lld] leaves the %llu-byte value, refused "
			    "for unprivileged loads",
			    dst, (long long)lo, (long long)hi, (unsigned long long)vs);
	}
}
