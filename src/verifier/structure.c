/* Structural checks over the CFG, before any abstract interpretation: unreachable code, functions
 * that run off their end, recursion and call depth. Each mirrors a rejection of the Linux
 * verifier's check_cfg()/check_subprogs()/check_max_stack_depth() (specs/verifier-cfg.md). */
#include "verifier/cfg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADD_FINDING(f, ...)                                                                                  \
	do {                                                                                                 \
		if (!((f) = vf_findings_add(findings, __VA_ARGS__)))                                         \
			goto nomem;                                                                          \
	} while (0)
#define CHECK(expr)                                                                                          \
	do {                                                                                                 \
		if ((expr) != BPFC_OK)                                                                       \
			goto nomem;                                                                          \
	} while (0)

static bool slot_reachable(const struct vf_cfg *cfg, uint32_t slot)
{
	return cfg->blocks[cfg->block_of[slot]].reachable;
}

static int check_unreachable(const struct vf_cfg *cfg, struct vf_findings *findings)
{
	struct vf_finding *fd;
	for (uint32_t fi = 0; fi < cfg->func_cnt; fi++) {
		const struct vf_func *f = &cfg->funcs[fi];
		if (f->has_gotox)
			continue;
		if (!f->reachable) {
			ADD_FINDING(fd, "VF-UNREACHABLE", VF_SEV_ERROR, f->start, f->name,
			            "function '%s' (insns %" PRIu32 "..%" PRIu32
			            ") is never called from the entry: unreachable insn %" PRIu32,
			            f->name, f->start, f->end - 1, f->start);
			CHECK(vf_finding_set_hint(fd, "remove the function, or call it from reachable code"));
			continue;
		}
		for (uint32_t i = f->start; i < f->end;) {
			if (slot_reachable(cfg, i)) {
				i = cfg->blocks[cfg->block_of[i]].end;
				continue;
			}
			uint32_t run = i, insns = 0;
			while (i < f->end && !slot_reachable(cfg, i)) {
				const struct vf_block *b = &cfg->blocks[cfg->block_of[i]];
				for (uint32_t s = b->first; s < b->end; s++)
					insns += cfg->slot_kind[s] == VF_SLOT_INSN;
				i = b->end;
			}
			if (insns == 1)
				ADD_FINDING(fd, "VF-UNREACHABLE", VF_SEV_ERROR, run, f->name,
				            "unreachable insn %" PRIu32 ": no path from the entry reaches it",
				            run);
			else
				ADD_FINDING(fd, "VF-UNREACHABLE", VF_SEV_ERROR, run, f->name,
				            "unreachable insns %" PRIu32 "..%" PRIu32 " (%" PRIu32
				            " instructions): no path from the entry reaches them",
				            run, i - 1, insns);
			CHECK(vf_finding_set_hint(
			    fd, "remove the dead code; Linux rejects any unreachable instruction"));
		}
	}
	return BPFC_OK;
nomem:
	return BPFC_ERR_NOMEM;
}

static int check_fall_off(const struct vf_cfg *cfg, struct vf_findings *findings)
{
	struct vf_finding *fd;
	for (uint32_t fi = 0; fi < cfg->func_cnt; fi++) {
		const struct vf_func *f = &cfg->funcs[fi];
		const struct vf_block *last = &cfg->blocks[f->first_block + f->block_cnt - 1];
		if (!last->falls_off)
			continue;
		ADD_FINDING(
		    fd, "VF-FALL-OFF-END", VF_SEV_ERROR, last->last, f->name,
		    "function '%s' can run past its last instruction (insn %" PRIu32
		    ", '%s'): the last instruction of a function must be exit or an unconditional jump",
		    f->name, last->last, cfg->entry[last->last] ? cfg->entry[last->last]->mnemonic : "?");
		CHECK(vf_finding_set_hint(fd, "end the function with 'exit' (or 'goto' back into it)"));
	}
	return BPFC_OK;
nomem:
	return BPFC_ERR_NOMEM;
}

/* Appends "a -> b -> c" for the functions of frames[from..to] then extra (if not VF_NONE). */
static char *chain_text(const struct vf_cfg *cfg, const uint32_t *frames, uint32_t from, uint32_t to,
                        uint32_t extra)
{
	size_t len = 0, shown = 0;
	const size_t max_shown = 24;
	for (uint32_t k = from; k <= to; k++)
		len += strlen(cfg->funcs[frames[k]].name) + 4;
	if (extra != VF_NONE)
		len += strlen(cfg->funcs[extra].name) + 4;
	char *s = malloc(len + 16);
	if (!s)
		return NULL;
	s[0] = '\0';
	size_t pos = 0;
	for (uint32_t k = from; k <= to; k++) {
		if (shown == max_shown && to - k > 0) {
			pos += (size_t)sprintf(s + pos, "... -> ");
			k = to;
		}
		pos += (size_t)sprintf(s + pos, "%s%s", cfg->funcs[frames[k]].name,
		                       (k < to || extra != VF_NONE) ? " -> " : "");
		shown++;
	}
	if (extra != VF_NONE)
		sprintf(s + pos, "%s", cfg->funcs[extra].name);
	return s;
}

static const char *call_word(const struct vf_call *c)
{
	return c->kind == VF_CALL_CALLBACK ? "callback" : "call";
}

/* Depth-first search of the call graph from the entry with an explicit stack. A call to a function
 * still on the stack closes a cycle (VF-RECURSION). Without cycles, frames(f) = 1 + max over its
 * callees is computed in post-order and the deepest chain checked against max_frames. */
int vf_check_structure(const struct vf_cfg *cfg, uint32_t max_frames, struct vf_findings *findings,
                       uint32_t *max_call_depth, struct bpfc_error *err)
{
	struct vf_finding *fd;
	int rc = check_unreachable(cfg, findings);
	if (!rc)
		rc = check_fall_off(cfg, findings);
	if (rc)
		return bpfc_error_set(err, rc, "out of memory in the structural checks");

	uint32_t n = cfg->func_cnt;
	uint8_t *color = calloc(n, 1);                   /* 0 new, 1 on the stack, 2 done */
	uint32_t *frames = malloc(n * sizeof(uint32_t)); /* function per stack level */
	uint32_t *next = malloc(n * sizeof(uint32_t));   /* next call index per stack level */
	uint32_t *depth = calloc(n, sizeof(uint32_t));   /* frames of the deepest chain from f */
	uint32_t *best = malloc(n * sizeof(uint32_t));   /* call giving depth[f] */
	char *text = NULL;
	bool recursive = false;
	if (!color || !frames || !next || !depth || !best)
		goto nomem;
	uint32_t top = 0;
	frames[top] = 0;
	next[top] = cfg->funcs[0].call_off;
	color[0] = 1;
	depth[0] = 1;
	best[0] = VF_NONE;
	top++;
	while (top > 0) {
		uint32_t fi = frames[top - 1];
		const struct vf_func *f = &cfg->funcs[fi];
		if (next[top - 1] < f->call_off + f->call_cnt) {
			uint32_t ci = next[top - 1]++;
			const struct vf_call *c = &cfg->calls[ci];
			if (!cfg->blocks[c->block].reachable)
				continue;
			uint32_t g = c->callee;
			if (color[g] == 1) {
				recursive = true;
				uint32_t at = top - 1;
				while (frames[at] != g)
					at--;
				text = chain_text(cfg, frames, at, top - 1, g);
				if (!text)
					goto nomem;
				ADD_FINDING(
				    fd, "VF-RECURSION", VF_SEV_ERROR, c->insn, f->name,
				    "recursive call: %s (bpfcheck and Linux require an acyclic call graph)",
				    text);
				free(text);
				text = NULL;
				for (uint32_t k = at; k + 1 < top; k++) {
					const struct vf_call *cc = &cfg->calls[next[k] - 1];
					CHECK(vf_finding_add_related(
					    fd, cc->insn, "%s of '%s' from '%s' here", call_word(cc),
					    cfg->funcs[cc->callee].name, cfg->funcs[frames[k]].name));
				}
				CHECK(vf_finding_add_related(fd, c->insn,
				                             "%s of '%s' from '%s' closes the cycle",
				                             call_word(c), cfg->funcs[g].name, f->name));
				CHECK(vf_finding_set_hint(fd, "rewrite the recursion as a bounded loop"));
				continue;
			}
			if (color[g] == 0) {
				color[g] = 1;
				depth[g] = 1;
				best[g] = VF_NONE;
				frames[top] = g;
				next[top] = cfg->funcs[g].call_off;
				top++;
				continue;
			}
			if (depth[g] + 1 > depth[fi]) {
				depth[fi] = depth[g] + 1;
				best[fi] = ci;
			}
			continue;
		}
		color[fi] = 2;
		top--;
		if (top > 0) {
			uint32_t parent = frames[top - 1];
			uint32_t ci = next[top - 1] - 1;
			if (depth[fi] + 1 > depth[parent]) {
				depth[parent] = depth[fi] + 1;
				best[parent] = ci;
			}
		}
	}
	*max_call_depth = recursive ? 0 : depth[0];
	if (!recursive && depth[0] > max_frames) {
		/* Walk the deepest chain; report the call that pushes frame max_frames + 1. */
		uint32_t chain_len = 0, fi = 0;
		while (fi != VF_NONE) {
			frames[chain_len++] = fi;
			fi = best[fi] == VF_NONE ? VF_NONE : cfg->calls[best[fi]].callee;
		}
		const struct vf_call *over = &cfg->calls[best[frames[max_frames - 1]]];
		text = chain_text(cfg, frames, 0, chain_len - 1, VF_NONE);
		if (!text)
			goto nomem;
		ADD_FINDING(fd, "VF-CALL-DEPTH", VF_SEV_ERROR, over->insn, cfg->funcs[over->caller].name,
		            "the call stack of %" PRIu32 " frames is too deep (limit %" PRIu32 "): %s",
		            depth[0], max_frames, text);
		free(text);
		text = NULL;
		for (uint32_t k = 0; k + 1 < chain_len; k++) {
			const struct vf_call *cc = &cfg->calls[best[frames[k]]];
			CHECK(vf_finding_add_related(fd, cc->insn, "frame %" PRIu32 ": %s of '%s' from '%s'",
			                             k + 2, call_word(cc), cfg->funcs[cc->callee].name,
			                             cfg->funcs[frames[k]].name));
		}
		CHECK(vf_finding_set_hint(
		    fd, "inline some of the functions (__always_inline) to shorten the chain"));
	}
	free(color);
	free(frames);
	free(next);
	free(depth);
	free(best);
	return BPFC_OK;
nomem:
	free(text);
	free(color);
	free(frames);
	free(next);
	free(depth);
	free(best);
	return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory in the structural checks");
}
