/* vf_verify(): runs the verifier's passes over one program. Today: size limit, CFG, weak
 * topological order and structural checks; the abstract interpretation engine is the next pass
 * (see VF_PASS_ANALYZE below). */
#include "verifier/verifier.h"

#include "bpfcheck/validate.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void vf_options_default(struct vf_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->privileged = true;
}

static bool has_errors(const struct vf_findings *list)
{
	for (size_t i = 0; i < list->cnt; i++)
		if (list->items[i].severity == VF_SEV_ERROR)
			return true;
	return false;
}

static int nomem(struct vf_ctx *ctx, const char *where)
{
	return bpfc_error_set(ctx->err, BPFC_ERR_NOMEM, "out of memory in %s", where);
}

/* VF-TOO-LARGE: Linux refuses a program longer than 1M slots (4096 unprivileged) before looking
 * at it (E2BIG), so nothing else is checked. An empty program is refused the same way (EINVAL). */
static int pass_size(struct vf_ctx *ctx)
{
	const struct bpfc_prog *prog = ctx->prog;
	ctx->stats.slots = prog->insn_cnt;
	if (prog->insn_cnt == 0) {
		if (!vf_findings_add(&ctx->findings, "VF-INVALID-INSN", VF_SEV_ERROR, VF_NO_INSN, NULL,
		                     "program '%s' has no instructions", prog->name ? prog->name : "?"))
			return nomem(ctx, "pass size");
		ctx->stop = true;
		return BPFC_OK;
	}
	if (prog->insn_cnt > ctx->opts.max_insns) {
		struct vf_finding *f = vf_findings_add(
		    &ctx->findings, "VF-TOO-LARGE", VF_SEV_ERROR, VF_NO_INSN, NULL,
		    "program '%s' has %zu instruction slots, more than the limit of %" PRIu64 " (%s)",
		    prog->name ? prog->name : "?", prog->insn_cnt, ctx->opts.max_insns,
		    ctx->opts.privileged ? "privileged" : "unprivileged");
		if (!f || vf_finding_set_hint(
		              f, "split the program (tail calls, subprograms in separate programs)"))
			return nomem(ctx, "pass size");
		ctx->stop = true;
	}
	return BPFC_OK;
}

/* VF-INVALID-INSN: Linux refuses encodings it does not know or whose reserved fields are set
 * before any analysis. The CFG pass already reports what it cannot follow; this pass adds the
 * ISA checker's field rules (Linux profile) for a structurally sound program. */
static int pass_isa(struct vf_ctx *ctx)
{
	if (ctx->opts.structure_only)
		return BPFC_OK;
	struct isa_validate_opts vo = {.table = ctx->isa, .profile = ISA_PROFILE_LINUX, .max_findings = 64};
	struct isa_validation v;
	int rc = isa_validate(ctx->prog->insns, ctx->prog->insn_cnt, &vo, &v, ctx->err);
	if (rc)
		return rc;
	for (size_t i = 0; i < v.finding_cnt; i++) {
		char msg[512];
		isa_finding_message(&v, &v.findings[i], msg, sizeof(msg));
		struct vf_finding *f = vf_findings_add(&ctx->findings, "VF-INVALID-INSN", VF_SEV_ERROR,
		                                       (uint32_t)v.findings[i].insn_idx, NULL, "%s [%s]", msg,
		                                       isa_check_id((enum isa_check)v.findings[i].check));
		if (!f) {
			isa_validation_free(&v);
			return nomem(ctx, "pass isa");
		}
	}
	if (v.finding_cnt)
		ctx->stop = true;
	isa_validation_free(&v);
	return BPFC_OK;
}

static int pass_cfg(struct vf_ctx *ctx)
{
	int rc = vf_cfg_build(ctx->prog, ctx->isa, &ctx->findings, &ctx->cfg, ctx->err);
	if (rc)
		return rc;
	const struct vf_cfg *cfg = ctx->cfg;
	ctx->stats.insns = cfg->insn_cnt;
	ctx->stats.blocks = cfg->block_cnt;
	ctx->stats.edges = cfg->edge_cnt;
	ctx->stats.call_edges = cfg->call_cnt;
	ctx->stats.funcs = cfg->func_cnt;
	return BPFC_OK;
}

/* A WTO that exceeds its work budget is a VF-LIMIT-REACHED finding: the program is not verified. */
static int pass_wto(struct vf_ctx *ctx)
{
	struct bpfc_error werr;
	bpfc_error_clear(&werr);
	int rc = vf_wto_build(ctx->cfg, 0, &ctx->wto, &werr);
	if (rc == BPFC_ERR_LIMIT) {
		struct vf_finding *f = vf_findings_add(&ctx->findings, "VF-LIMIT-REACHED", VF_SEV_ERROR,
		                                       VF_NO_INSN, NULL, "%s", werr.msg);
		if (!f || vf_finding_set_hint(f, "flatten the loop nesting or split the program"))
			return nomem(ctx, "pass wto");
		ctx->stop = true;
		return BPFC_OK;
	}
	if (rc)
		return bpfc_error_set(ctx->err, (enum bpfc_err)rc, "%s", werr.msg);
	ctx->stats.loop_heads = ctx->wto->loop_cnt;
	ctx->stats.max_loop_depth = ctx->wto->max_depth;
	return BPFC_OK;
}

/* VF-UNREACHABLE, VF-FALL-OFF-END, VF-RECURSION, VF-CALL-DEPTH. With any error so far (these or
 * VF-INVALID-INSN / VF-UNSUPPORTED from the CFG) the CFG is not one the analysis can trust. */
static int pass_structure(struct vf_ctx *ctx)
{
	int rc = vf_check_structure(ctx->cfg, ctx->opts.max_call_frames, &ctx->findings,
	                            &ctx->stats.max_call_depth, ctx->err);
	if (rc)
		return rc;
	if (has_errors(&ctx->findings))
		ctx->stop = true;
	return BPFC_OK;
}

const struct vf_pass vf_passes[] = {
    {"size", pass_size},
    {"unpriv", vf_pass_unpriv},
    {"cfg", pass_cfg},
    {"wto", pass_wto},
    {"structure", pass_structure},
    {"isa", pass_isa},
    {"analyze", vf_analyze},
    /* VF_PASS_ANALYZE: the abstract interpretation pass goes here, e.g. {"analyze", vf_analyze}
     * (src/verifier/analyze.c): it walks ctx->wto per function, reads ctx->cfg, ctx->maps and
     * ctx->prog_type, appends findings and fills stats.iterations/peak_states/peak_mem_bytes. */
    {NULL, NULL},
};

static void resolve_options(struct vf_ctx *ctx, const struct vf_options *opts)
{
	if (opts)
		ctx->opts = *opts;
	else
		vf_options_default(&ctx->opts);
	struct vf_options *o = &ctx->opts;
	if (!o->max_insns)
		o->max_insns = o->privileged ? VF_DEFAULT_MAX_INSNS_PRIV : VF_DEFAULT_MAX_INSNS_UNPRIV;
	if (!o->max_call_frames)
		o->max_call_frames = VF_DEFAULT_MAX_CALL_FRAMES;
	if (!o->max_iters_per_head)
		o->max_iters_per_head = VF_DEFAULT_MAX_ITERS_PER_HEAD;
	if (!o->max_states)
		o->max_states = VF_DEFAULT_MAX_STATES;
	if (!o->max_mem_bytes)
		o->max_mem_bytes = VF_DEFAULT_MAX_MEM_BYTES;
	if (!o->isa)
		o->isa = isa_table_default();
	ctx->isa = o->isa;
	ctx->prog_type = o->prog_type ? o->prog_type : ctx->prog->type;
}

int vf_verify(const struct bpfc_prog *prog, const struct bpfc_map *maps, size_t map_cnt,
              const struct vf_options *opts, struct vf_result *out, struct bpfc_error *err)
{
	if (!out)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "vf_verify: no result to fill");
	memset(out, 0, sizeof(*out));
	if (!prog || (prog->insn_cnt && !prog->insns) || (prog->func_cnt && !prog->funcs) ||
	    (map_cnt && !maps))
		return bpfc_error_set(err, BPFC_ERR_USAGE,
		                      "vf_verify: missing program, instructions or maps");
	uint64_t start = now_ns();
	struct vf_ctx ctx = {.prog = prog, .maps = maps, .map_cnt = map_cnt, .err = err};
	vf_findings_init(&ctx.findings);
	resolve_options(&ctx, opts);
	int rc = BPFC_OK;
	for (const struct vf_pass *pass = vf_passes; pass->run && !ctx.stop; pass++) {
		rc = pass->run(&ctx);
		if (rc)
			goto out;
	}
out:
	if (ctx.cfg || ctx.wto) {
		uint64_t held = (ctx.cfg ? ctx.cfg->bytes : 0) + (ctx.wto ? ctx.wto->bytes : 0);
		if (held > ctx.stats.peak_mem_bytes)
			ctx.stats.peak_mem_bytes = held;
	}
	vf_wto_free(ctx.wto);
	vf_cfg_free(ctx.cfg);
	if (rc) {
		vf_findings_free(&ctx.findings);
		return rc;
	}
	vf_findings_sort(&ctx.findings);
	ctx.stats.time_ns = now_ns() - start;
	out->findings = ctx.findings;
	out->stats = ctx.stats;
	return BPFC_OK;
}

void vf_result_free(struct vf_result *res)
{
	if (!res)
		return;
	vf_findings_free(&res->findings);
	memset(res, 0, sizeof(*res));
}

bool vf_result_accepted(const struct vf_result *res)
{
	return !has_errors(&res->findings);
}
