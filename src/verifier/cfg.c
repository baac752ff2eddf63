/* Builds the control-flow graph: functions from call targets, basic blocks, edges, call sites and
 * reachability, in a fixed number of linear sweeps over the slots (programs reach 1M slots). Every
 * target is checked before it is used; what cannot be followed becomes a finding, never a crash. */
#include "verifier/cfg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TERM_NONE = 0xff }; /* an ordinary instruction (internal to classification) */

enum slot_flag {
	F_FUNC_START = 1,
	F_LEADER = 2,
};

/* What one instruction does to control flow. */
struct insn_info {
	uint8_t term;    /* enum vf_term, or TERM_NONE */
	bool has_target; /* jump or call target in target */
	bool is_call;    /* target is a callee (call local or code address) */
	uint8_t call_kind;
	uint32_t size; /* slots occupied */
	int64_t target;
};

enum target_problem { TGT_OK, TGT_OUT_OF_RANGE, TGT_WIDE2, TGT_OTHER_FUNC };

const char *vf_edge_kind_name(unsigned kind)
{
	switch (kind) {
	case VF_EDGE_FALL: return "fall";
	case VF_EDGE_JUMP: return "jump";
	case VF_EDGE_TAKEN: return "taken";
	case VF_EDGE_NOT_TAKEN: return "not-taken";
	}
	return "?";
}

const char *vf_term_name(unsigned term)
{
	switch (term) {
	case VF_TERM_FALL: return "fall";
	case VF_TERM_JUMP: return "jump";
	case VF_TERM_COND: return "cond";
	case VF_TERM_MAY_GOTO: return "may_goto";
	case VF_TERM_CALL: return "call";
	case VF_TERM_EXIT: return "exit";
	case VF_TERM_GOTOX: return "gotox";
	case VF_TERM_INVALID: return "invalid";
	}
	return "?";
}

static void classify(const struct vf_cfg *cfg, uint32_t i, struct insn_info *info)
{
	const struct isa_slot *s = &cfg->prog->insns[i];
	const struct isa_entry *e = cfg->entry[i];
	memset(info, 0, sizeof(*info));
	info->term = TERM_NONE;
	info->size = 1;
	if (!e)
		return;
	if (e->wide) {
		if ((size_t)i + 1 >= cfg->slot_cnt || cfg->slot_kind[i + 1] != VF_SLOT_WIDE2) {
			info->term = VF_TERM_INVALID;
			return;
		}
		info->size = 2;
		if (e->sem == ISA_SEM_LDDW_CODE_ADDR) {
			info->has_target = info->is_call = true;
			info->call_kind = VF_CALL_CALLBACK;
			info->target = (int64_t)i + s->imm + 1;
		}
		return;
	}
	/* The target comes from the ISA layer; what kind of block end it is, from the semantics. */
	info->has_target = isa_jump_target(e, s, i, &info->target);
	switch (e->sem) {
	case ISA_SEM_JA:
	case ISA_SEM_JA32: info->term = VF_TERM_JUMP; return;
	case ISA_SEM_MAY_GOTO: info->term = VF_TERM_MAY_GOTO; return;
	case ISA_SEM_EXIT: info->term = VF_TERM_EXIT; return;
	case ISA_SEM_GOTOX: info->term = VF_TERM_GOTOX; return;
	case ISA_SEM_CALL_LOCAL:
		info->term = VF_TERM_CALL;
		info->is_call = true;
		info->call_kind = VF_CALL_LOCAL;
		return;
	default:
		/* every other encoding with a static target is a conditional jump */
		if (info->has_target)
			info->term = VF_TERM_COND;
	}
}

/* Index of the function whose range holds slot (functions are sorted and contiguous). */
uint32_t vf_cfg_func_of(const struct vf_cfg *cfg, uint32_t slot)
{
	if (slot >= cfg->slot_cnt || cfg->func_cnt == 0)
		return VF_NONE;
	uint32_t lo = 0, hi = cfg->func_cnt;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cfg->funcs[mid].start <= slot)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

uint32_t vf_cfg_call_at(const struct vf_cfg *cfg, uint32_t insn)
{
	uint32_t lo = 0, hi = cfg->call_cnt;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cfg->calls[mid].insn < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cfg->call_cnt && cfg->calls[lo].insn == insn ? lo : VF_NONE;
}

static enum target_problem check_target(const struct vf_cfg *cfg, const struct vf_func *f, int64_t t)
{
	if (t < 0 || (uint64_t)t >= cfg->slot_cnt)
		return TGT_OUT_OF_RANGE;
	if (cfg->slot_kind[t] == VF_SLOT_WIDE2)
		return TGT_WIDE2;
	if (f && ((uint64_t)t < f->start || (uint64_t)t >= f->end))
		return TGT_OTHER_FUNC;
	return TGT_OK;
}

static void *alloc_array(struct vf_cfg *cfg, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (p)
		cfg->bytes += (n ? n : 1) * size;
	return p;
}

void vf_cfg_free(struct vf_cfg *cfg)
{
	if (!cfg)
		return;
	free(cfg->funcs);
	free(cfg->blocks);
	free(cfg->edges);
	free(cfg->succ);
	free(cfg->pred);
	free(cfg->calls);
	free(cfg->block_of);
	free(cfg->slot_kind);
	free(cfg->entry);
	free(cfg->names);
	free(cfg);
}

#define ADD_FINDING(...)                                                                                     \
	do {                                                                                                 \
		if (!vf_findings_add(findings, __VA_ARGS__))                                                 \
			goto nomem;                                                                          \
	} while (0)

/* Pass 1: which slots start instructions, and their table entries. */
static void decode_slots(struct vf_cfg *cfg)
{
	const struct isa_slot *insns = cfg->prog->insns;
	size_t n = cfg->slot_cnt;
	for (size_t i = 0; i < n;) {
		const struct isa_entry *e = isa_lookup(cfg->isa, &insns[i]);
		cfg->entry[i] = e;
		cfg->slot_kind[i] = VF_SLOT_INSN;
		cfg->insn_cnt++;
		if (e && e->wide && n - i >= 2) {
			cfg->entry[i + 1] = isa_lookup(cfg->isa, &insns[i + 1]);
			cfg->slot_kind[i + 1] = VF_SLOT_WIDE2;
			i += 2;
		} else {
			i++;
		}
	}
}

/* Pass 2: function starts are slot 0, the given funcs and every valid call / code-address target,
 * also in unreachable code (as Linux does: subprograms are found before reachability). */
static int find_functions(struct vf_cfg *cfg, uint8_t *flags, struct vf_findings *findings)
{
	const struct bpfc_prog *prog = cfg->prog;
	size_t n = cfg->slot_cnt;
	flags[0] |= F_FUNC_START;
	for (size_t k = 0; k < prog->func_cnt; k++) {
		const struct bpfc_func *gf = &prog->funcs[k];
		const char *name = gf->name ? gf->name : "?";
		if (gf->start >= n)
			ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, VF_NO_INSN, NULL,
			            "function '%s' starts at insn %" PRIu32
			            ", past the end of the program (%zu slots)",
			            name, gf->start, n);
		else if (cfg->slot_kind[gf->start] == VF_SLOT_WIDE2)
			ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, gf->start, NULL,
			            "function '%s' starts at insn %" PRIu32
			            ", the second slot of the wide load at insn %" PRIu32,
			            name, gf->start, gf->start - 1);
		else
			flags[gf->start] |= F_FUNC_START;
	}
	for (size_t i = 0; i < n; i++) {
		if (cfg->slot_kind[i] != VF_SLOT_INSN)
			continue;
		struct insn_info info;
		classify(cfg, (uint32_t)i, &info);
		if (info.is_call && check_target(cfg, NULL, info.target) == TGT_OK)
			flags[info.target] |= F_FUNC_START;
	}
	uint32_t cnt = 0;
	for (size_t i = 0; i < n; i++)
		cnt += (flags[i] & F_FUNC_START) != 0;
	cfg->funcs = alloc_array(cfg, cnt, sizeof(*cfg->funcs));
	cfg->names = alloc_array(cfg, cnt, 24);
	if (!cfg->funcs || !cfg->names)
		return BPFC_ERR_NOMEM;
	uint32_t f = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(flags[i] & F_FUNC_START))
			continue;
		if (f > 0)
			cfg->funcs[f - 1].end = (uint32_t)i;
		cfg->funcs[f].start = (uint32_t)i;
		cfg->funcs[f].name = NULL;
		f++;
	}
	cfg->funcs[f - 1].end = (uint32_t)n;
	cfg->func_cnt = cnt;
	for (size_t k = 0; k < prog->func_cnt; k++) {
		const struct bpfc_func *gf = &prog->funcs[k];
		if (gf->start >= n || !gf->name)
			continue;
		uint32_t fi = vf_cfg_func_of(cfg, gf->start);
		if (cfg->funcs[fi].start == gf->start && !cfg->funcs[fi].name)
			cfg->funcs[fi].name = gf->name;
	}
	if (!cfg->funcs[0].name)
		cfg->funcs[0].name = prog->name ? prog->name : "main";
	for (uint32_t i = 0; i < cnt; i++) {
		if (cfg->funcs[i].name)
			continue;
		char *slot = cfg->names + (size_t)i * 24;
		snprintf(slot, 24, "subprog@%" PRIu32, cfg->funcs[i].start);
		cfg->funcs[i].name = slot;
	}
	return BPFC_OK;
nomem:
	return BPFC_ERR_NOMEM;
}

/* Pass 3: report what cannot be followed, and mark block leaders. */
static int mark_leaders(struct vf_cfg *cfg, uint8_t *flags, struct vf_findings *findings)
{
	const struct isa_slot *insns = cfg->prog->insns;
	for (uint32_t fi = 0; fi < cfg->func_cnt; fi++) {
		struct vf_func *f = &cfg->funcs[fi];
		flags[f->start] |= F_LEADER;
		for (uint32_t i = f->start; i < f->end;) {
			struct insn_info info;
			classify(cfg, i, &info);
			const struct isa_entry *e = cfg->entry[i];
			if (!e) {
				ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, i, f->name,
				            "unknown opcode 0x%02x at insn %" PRIu32, insns[i].opcode, i);
			} else if (e->sem == ISA_SEM_WIDE_SLOT2) {
				ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, i, f->name,
				            "opcode 0x00 at insn %" PRIu32
				            " is only valid as the second slot of a wide load (lddw)",
				            i);
			} else if (info.term == VF_TERM_INVALID) {
				ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, i, f->name,
				            "wide load '%s' at insn %" PRIu32
				            " has no second slot: the program ends",
				            e->mnemonic, i);
			} else if (info.term == VF_TERM_GOTOX) {
				ADD_FINDING("VF-UNSUPPORTED", VF_SEV_ERROR, i, f->name,
				            "indirect jump (gotox) at insn %" PRIu32
				            ": its targets are unknown, bpfcheck cannot follow it",
				            i);
				f->has_gotox = true;
			} else if (e->sem == ISA_SEM_CALLX) {
				ADD_FINDING("VF-UNSUPPORTED", VF_SEV_ERROR, i, f->name,
				            "call through a register (callx) at insn %" PRIu32
				            ": its target is unknown, bpfcheck cannot follow it",
				            i);
			}
			if (info.has_target) {
				enum target_problem p =
				    check_target(cfg, info.is_call ? NULL : f, info.target);
				const char *what = info.call_kind == VF_CALL_CALLBACK ? "callback address"
				                   : info.is_call                     ? "call"
				                                                      : "jump";
				if (p == TGT_OUT_OF_RANGE)
					ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, i, f->name,
					            "%s out of range from insn %" PRIu32 " to %" PRId64
					            " (the program has %zu slots)",
					            what, i, info.target, cfg->slot_cnt);
				else if (p == TGT_WIDE2)
					ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, i, f->name,
					            "%s from insn %" PRIu32
					            " into the middle of the wide load at insn %" PRId64,
					            what, i, info.target - 1);
				else if (p == TGT_OTHER_FUNC) {
					uint32_t gi = vf_cfg_func_of(cfg, (uint32_t)info.target);
					ADD_FINDING("VF-INVALID-INSN", VF_SEV_ERROR, i, f->name,
					            "jump out of range from insn %" PRIu32
					            " in function '%s' to insn %" PRId64
					            " in function '%s': a jump cannot leave its function",
					            i, f->name, info.target, cfg->funcs[gi].name);
				} else if (!info.is_call)
					flags[info.target] |= F_LEADER;
			}
			uint32_t next = i + info.size;
			if (info.term != TERM_NONE && next < f->end)
				flags[next] |= F_LEADER;
			i = next;
		}
	}
	return BPFC_OK;
nomem:
	return BPFC_ERR_NOMEM;
}

static int add_edge(struct vf_cfg *cfg, uint32_t from, uint32_t to, uint8_t kind)
{
	struct vf_edge *e = &cfg->edges[cfg->edge_cnt++];
	e->from = from;
	e->to = to;
	e->kind = kind;
	cfg->blocks[from].succ_cnt++;
	cfg->blocks[to].pred_cnt++;
	return BPFC_OK;
}

/* Pass 4: blocks, edges and call sites. */
static int build_blocks(struct vf_cfg *cfg, const uint8_t *flags)
{
	size_t n = cfg->slot_cnt;
	uint32_t cnt = 0, calls = 0;
	for (size_t i = 0; i < n; i++) {
		if (cfg->slot_kind[i] != VF_SLOT_INSN)
			continue;
		cnt += (flags[i] & F_LEADER) != 0;
		if (cfg->entry[i] && (cfg->entry[i]->sem == ISA_SEM_CALL_LOCAL ||
		                      cfg->entry[i]->sem == ISA_SEM_LDDW_CODE_ADDR))
			calls++;
	}
	cfg->blocks = alloc_array(cfg, cnt, sizeof(*cfg->blocks));
	cfg->edges = alloc_array(cfg, (size_t)cnt * 2, sizeof(*cfg->edges));
	cfg->calls = alloc_array(cfg, calls, sizeof(*cfg->calls));
	if (!cfg->blocks || !cfg->edges || !cfg->calls)
		return BPFC_ERR_NOMEM;

	uint32_t b = VF_NONE;
	for (uint32_t fi = 0; fi < cfg->func_cnt; fi++) {
		struct vf_func *f = &cfg->funcs[fi];
		f->first_block = b + 1;
		f->call_off = cfg->call_cnt;
		for (uint32_t i = f->start; i < f->end; i++) {
			if (cfg->slot_kind[i] == VF_SLOT_INSN && (flags[i] & F_LEADER)) {
				b++;
				cfg->blocks[b].first = i;
				cfg->blocks[b].func = fi;
			}
			cfg->block_of[i] = b;
			if (cfg->slot_kind[i] == VF_SLOT_INSN)
				cfg->blocks[b].last = i;
			cfg->blocks[b].end = i + 1;
		}
		f->block_cnt = b + 1 - f->first_block;
		/* Edges of each block's last instruction, call sites of every instruction. */
		for (uint32_t bi = f->first_block; bi <= b; bi++) {
			struct vf_block *blk = &cfg->blocks[bi];
			for (uint32_t i = blk->first; i < blk->end; i++) {
				if (cfg->slot_kind[i] != VF_SLOT_INSN)
					continue;
				struct insn_info info;
				classify(cfg, i, &info);
				if (!info.is_call || check_target(cfg, NULL, info.target) != TGT_OK)
					continue;
				struct vf_call *c = &cfg->calls[cfg->call_cnt++];
				c->insn = i;
				c->block = bi;
				c->caller = fi;
				c->callee = vf_cfg_func_of(cfg, (uint32_t)info.target);
				c->kind = info.call_kind;
			}
			struct insn_info info;
			classify(cfg, blk->last, &info);
			uint32_t next = blk->last + info.size;
			bool target_ok =
			    info.has_target && !info.is_call && check_target(cfg, f, info.target) == TGT_OK;
			uint32_t tb = target_ok ? cfg->block_of[info.target] : VF_NONE;
			switch (info.term) {
			case TERM_NONE:
			case VF_TERM_CALL:
				blk->term = info.term == TERM_NONE ? VF_TERM_FALL : VF_TERM_CALL;
				if (next < f->end)
					add_edge(cfg, bi, cfg->block_of[next], VF_EDGE_FALL);
				else
					blk->falls_off = true;
				break;
			case VF_TERM_JUMP:
				blk->term = VF_TERM_JUMP;
				if (target_ok)
					add_edge(cfg, bi, tb, VF_EDGE_JUMP);
				break;
			case VF_TERM_COND:
			case VF_TERM_MAY_GOTO:
				blk->term = info.term;
				if (target_ok)
					add_edge(cfg, bi, tb, VF_EDGE_TAKEN);
				if (next < f->end)
					add_edge(cfg, bi, cfg->block_of[next], VF_EDGE_NOT_TAKEN);
				else
					blk->falls_off = true;
				break;
			default: blk->term = info.term; break;
			}
		}
	}
	cfg->block_cnt = cnt;

	/* Successor and predecessor lists as offsets into two edge-index arrays. */
	cfg->succ = alloc_array(cfg, cfg->edge_cnt, sizeof(uint32_t));
	cfg->pred = alloc_array(cfg, cfg->edge_cnt, sizeof(uint32_t));
	if (!cfg->succ || !cfg->pred)
		return BPFC_ERR_NOMEM;
	uint32_t so = 0, po = 0;
	for (uint32_t i = 0; i < cnt; i++) {
		cfg->blocks[i].succ_off = so;
		cfg->blocks[i].pred_off = po;
		so += cfg->blocks[i].succ_cnt;
		po += cfg->blocks[i].pred_cnt;
		cfg->blocks[i].succ_cnt = 0;
		cfg->blocks[i].pred_cnt = 0;
	}
	for (uint32_t e = 0; e < cfg->edge_cnt; e++) {
		struct vf_block *from = &cfg->blocks[cfg->edges[e].from];
		struct vf_block *to = &cfg->blocks[cfg->edges[e].to];
		cfg->succ[from->succ_off + from->succ_cnt++] = e;
		cfg->pred[to->pred_off + to->pred_cnt++] = e;
	}
	for (uint32_t fi = 0; fi < cfg->func_cnt; fi++) {
		struct vf_func *f = &cfg->funcs[fi];
		uint32_t k = f->call_off;
		while (k < cfg->call_cnt && cfg->calls[k].caller == fi)
			k++;
		f->call_cnt = k - f->call_off;
	}
	return BPFC_OK;
}

/* Pass 5: reachability from the entry. Each function is explored once from its own entry; its
 * reachable call sites then make their callees reachable. */
static int mark_reachable(struct vf_cfg *cfg)
{
	uint32_t *stack = malloc((size_t)cfg->block_cnt * sizeof(*stack));
	uint32_t *fstack = malloc((size_t)cfg->func_cnt * sizeof(*fstack));
	if (!stack || !fstack) {
		free(stack);
		free(fstack);
		return BPFC_ERR_NOMEM;
	}
	uint32_t ftop = 0;
	cfg->funcs[0].reachable = true;
	fstack[ftop++] = 0;
	while (ftop > 0) {
		struct vf_func *f = &cfg->funcs[fstack[--ftop]];
		uint32_t top = 0;
		cfg->blocks[f->first_block].reachable = true;
		stack[top++] = f->first_block;
		while (top > 0) {
			uint32_t b = stack[--top];
			for (uint32_t i = 0; i < cfg->blocks[b].succ_cnt; i++) {
				uint32_t to = vf_cfg_succ(cfg, b, i)->to;
				if (!cfg->blocks[to].reachable) {
					cfg->blocks[to].reachable = true;
					stack[top++] = to;
				}
			}
		}
		for (uint32_t k = f->call_off; k < f->call_off + f->call_cnt; k++) {
			const struct vf_call *c = &cfg->calls[k];
			if (cfg->blocks[c->block].reachable && !cfg->funcs[c->callee].reachable) {
				cfg->funcs[c->callee].reachable = true;
				fstack[ftop++] = c->callee;
			}
		}
	}
	free(stack);
	free(fstack);
	return BPFC_OK;
}

int vf_cfg_build(const struct bpfc_prog *prog, const struct isa_table *isa, struct vf_findings *findings,
                 struct vf_cfg **out, struct bpfc_error *err)
{
	*out = NULL;
	if (!prog || !isa || !findings || (prog->insn_cnt && !prog->insns) ||
	    (prog->func_cnt && !prog->funcs))
		return bpfc_error_set(err, BPFC_ERR_USAGE,
		                      "vf_cfg_build: missing program, table or findings");
	if (prog->insn_cnt == 0)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "program '%s' has no instructions",
		                      prog->name ? prog->name : "?");
	if (prog->insn_cnt >= VF_NONE / 2)
		return bpfc_error_set(err, BPFC_ERR_USAGE,
		                      "program '%s' has %zu slots, more than the CFG supports",
		                      prog->name ? prog->name : "?", prog->insn_cnt);
	struct vf_cfg *cfg = calloc(1, sizeof(*cfg));
	uint8_t *flags = calloc(prog->insn_cnt, 1);
	int rc = BPFC_ERR_NOMEM;
	if (!cfg || !flags)
		goto out;
	cfg->bytes = sizeof(*cfg);
	cfg->prog = prog;
	cfg->isa = isa;
	cfg->slot_cnt = prog->insn_cnt;
	cfg->entry = alloc_array(cfg, prog->insn_cnt, sizeof(*cfg->entry));
	cfg->slot_kind = alloc_array(cfg, prog->insn_cnt, sizeof(*cfg->slot_kind));
	cfg->block_of = alloc_array(cfg, prog->insn_cnt, sizeof(*cfg->block_of));
	if (!cfg->entry || !cfg->slot_kind || !cfg->block_of)
		goto out;
	decode_slots(cfg);
	rc = find_functions(cfg, flags, findings);
	if (rc)
		goto out;
	rc = mark_leaders(cfg, flags, findings);
	if (rc)
		goto out;
	rc = build_blocks(cfg, flags);
	if (rc)
		goto out;
	rc = mark_reachable(cfg);
out:
	free(flags);
	if (rc) {
		vf_cfg_free(cfg);
		return bpfc_error_set(err, rc, "out of memory building the CFG of '%s' (%zu slots)",
		                      prog->name ? prog->name : "?", prog->insn_cnt);
	}
	*out = cfg;
	return BPFC_OK;
}
