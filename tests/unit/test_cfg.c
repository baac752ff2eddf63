/* The verifier's CFG and structural checks: blocks, edges, functions, call graph, and the findings
 * VF-UNREACHABLE, VF-FALL-OFF-END, VF-RECURSION, VF-CALL-DEPTH, VF-TOO-LARGE, VF-INVALID-INSN,
 * VF-UNSUPPORTED; plus the findings list API. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcheck/verify.h"
#include "progbuild.h"
#include "verifier/cfg.h"
#include "testutil.h"

/* Check's ck_assert reports every passing check to the parent process (a system call). */
#define REQUIRE_OP(a, op, b)                                                                                 \
	do {                                                                                                 \
		uint64_t a_ = (a), b_ = (b);                                                                 \
		if (!(a_ op b_))                                                                             \
			ck_abort_msg("%s:%d: %s %s %s (%llu vs %llu)", __FILE__, __LINE__, #a, #op, #b,      \
			             (unsigned long long)a_, (unsigned long long)b_);                        \
	} while (0)
#define REQUIRE_EQ(a, b) REQUIRE_OP(a, ==, b)
#define REQUIRE_LE(a, b) REQUIRE_OP(a, <=, b)
#define REQUIRE_LT(a, b) REQUIRE_OP(a, <, b)

/* The CFG of p, with its build findings in *fs (initialised here). */
static struct vf_cfg *build(struct pb *p, struct bpfc_prog *prog, struct vf_findings *fs)
{
	struct bpfc_error err;
	struct vf_cfg *cfg = NULL;
	*prog = pb_prog(p);
	vf_findings_init(fs);
	ck_assert_int_eq(vf_cfg_build(prog, isa_table_default(), fs, &cfg, &err), BPFC_OK);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

static struct vf_result verify(struct pb *p, const struct vf_options *opts)
{
	struct bpfc_prog prog = pb_prog(p);
	struct vf_result res;
	struct bpfc_error err;
	/* these programs test the structural passes only (their registers are mostly unset) */
	struct vf_options o;
	if (opts)
		o = *opts;
	else
		vf_options_default(&o);
	o.structure_only = true;
	ck_assert_int_eq(vf_verify(&prog, NULL, 0, &o, &res, &err), BPFC_OK);
	return res;
}

/* The only finding with property id, asserted to exist exactly once. */
static const struct vf_finding *only(const struct vf_result *res, const char *id)
{
	ck_assert_uint_eq(vf_findings_count(&res->findings, id), 1);
	for (size_t i = 0; i < res->findings.cnt; i++)
		if (strcmp(res->findings.items[i].property, id) == 0)
			return &res->findings.items[i];
	return NULL;
}

static const struct vf_edge *find_edge(const struct vf_cfg *cfg, uint32_t from, uint32_t to)
{
	for (uint32_t i = 0; i < cfg->blocks[from].succ_cnt; i++)
		if (vf_cfg_succ(cfg, from, i)->to == to)
			return vf_cfg_succ(cfg, from, i);
	return NULL;
}

START_TEST(straight_line)
{
	struct pb p = {0};
	PB_MOV(&p, 0, 1);
	PB_ADD(&p, 0, 2);
	PB_EXIT(&p);
	struct bpfc_prog prog;
	struct vf_findings fs;
	struct vf_cfg *cfg = build(&p, &prog, &fs);
	ck_assert_uint_eq(fs.cnt, 0);
	ck_assert_uint_eq(cfg->func_cnt, 1);
	ck_assert_uint_eq(cfg->block_cnt, 1);
	ck_assert_uint_eq(cfg->edge_cnt, 0);
	ck_assert_uint_eq(cfg->blocks[0].first, 0);
	ck_assert_uint_eq(cfg->blocks[0].last, 2);
	ck_assert_uint_eq(cfg->blocks[0].term, VF_TERM_EXIT);
	ck_assert(cfg->blocks[0].reachable);
	ck_assert_str_eq(cfg->funcs[0].name, "test");
	vf_cfg_free(cfg);

	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(res.findings.cnt, 0);
	ck_assert(vf_result_accepted(&res));
	ck_assert_uint_eq(res.stats.insns, 3);
	ck_assert_uint_eq(res.stats.blocks, 1);
	ck_assert_uint_eq(res.stats.funcs, 1);
	ck_assert_uint_eq(res.stats.max_call_depth, 1);
	ck_assert_uint_gt(res.stats.peak_mem_bytes, 0);
	vf_result_free(&res);
	vf_findings_free(&fs);
	pb_free(&p);
}
END_TEST

START_TEST(diamond)
{
	struct pb p = {0};
	PB_JEQ(&p, 1, 0, 2); /* 0 -> 3 */
	PB_MOV(&p, 0, 1);    /* 1 */
	PB_JA(&p, 1);        /* 2 -> 4 */
	PB_MOV(&p, 0, 2);    /* 3 */
	PB_EXIT(&p);         /* 4 */
	struct bpfc_prog prog;
	struct vf_findings fs;
	struct vf_cfg *cfg = build(&p, &prog, &fs);
	ck_assert_uint_eq(fs.cnt, 0);
	ck_assert_uint_eq(cfg->block_cnt, 4);
	ck_assert_uint_eq(cfg->edge_cnt, 4);
	ck_assert_uint_eq(cfg->blocks[1].first, 1);
	ck_assert_uint_eq(cfg->blocks[1].last, 2);
	ck_assert_uint_eq(cfg->blocks[0].term, VF_TERM_COND);
	ck_assert_uint_eq(find_edge(cfg, 0, 2)->kind, VF_EDGE_TAKEN);
	ck_assert_uint_eq(find_edge(cfg, 0, 1)->kind, VF_EDGE_NOT_TAKEN);
	ck_assert_uint_eq(find_edge(cfg, 1, 3)->kind, VF_EDGE_JUMP);
	ck_assert_uint_eq(find_edge(cfg, 2, 3)->kind, VF_EDGE_FALL);
	ck_assert_uint_eq(cfg->blocks[3].pred_cnt, 2);
	ck_assert_uint_eq(cfg->block_of[4], 3);
	vf_cfg_free(cfg);
	vf_findings_free(&fs);
	pb_free(&p);
}
END_TEST

START_TEST(may_goto_and_ja32)
{
	struct pb p = {0};
	PB_MAY_GOTO(&p, 2); /* 0 -> 3 or 1 */
	PB_ADD(&p, 1, 1);   /* 1 */
	PB_JA32(&p, -3);    /* 2 -> 0 */
	PB_EXIT(&p);        /* 3 */
	struct bpfc_prog prog;
	struct vf_findings fs;
	struct vf_cfg *cfg = build(&p, &prog, &fs);
	ck_assert_uint_eq(fs.cnt, 0);
	ck_assert_uint_eq(cfg->block_cnt, 3);
	ck_assert_uint_eq(cfg->blocks[0].term, VF_TERM_MAY_GOTO);
	ck_assert_uint_eq(find_edge(cfg, 0, 2)->kind, VF_EDGE_TAKEN);
	ck_assert_uint_eq(find_edge(cfg, 0, 1)->kind, VF_EDGE_NOT_TAKEN);
	ck_assert_uint_eq(find_edge(cfg, 1, 0)->kind, VF_EDGE_JUMP);
	ck_assert_uint_eq(cfg->blocks[1].term, VF_TERM_JUMP);
	vf_cfg_free(cfg);
	vf_findings_free(&fs);
	pb_free(&p);
}
END_TEST

START_TEST(subprograms_and_call_graph)
{
	struct pb p = {0};
	PB_CALL_LOCAL(&p, 2); /* 0: call f (3) */
	PB_MOV(&p, 0, 0);     /* 1 */
	PB_EXIT(&p);          /* 2 */
	PB_CALL_LOCAL(&p, 1); /* 3: f: call g (5) */
	PB_EXIT(&p);          /* 4 */
	PB_MOV(&p, 0, 1);     /* 5: g */
	PB_EXIT(&p);          /* 6 */
	struct bpfc_prog prog;
	struct vf_findings fs;
	/* Functions discovered from call targets: generated names. */
	struct vf_cfg *cfg = build(&p, &prog, &fs);
	ck_assert_uint_eq(fs.cnt, 0);
	ck_assert_uint_eq(cfg->func_cnt, 3);
	ck_assert_uint_eq(cfg->funcs[1].start, 3);
	ck_assert_uint_eq(cfg->funcs[1].end, 5);
	ck_assert_str_eq(cfg->funcs[1].name, "subprog@3");
	ck_assert_uint_eq(cfg->call_cnt, 2);
	ck_assert_uint_eq(cfg->calls[0].insn, 0);
	ck_assert_uint_eq(cfg->calls[0].caller, 0);
	ck_assert_uint_eq(cfg->calls[0].callee, 1);
	ck_assert_uint_eq(cfg->calls[1].callee, 2);
	ck_assert_uint_eq(cfg->calls[0].kind, VF_CALL_LOCAL);
	ck_assert_uint_eq(cfg->blocks[0].term, VF_TERM_CALL);
	ck_assert_uint_eq(find_edge(cfg, 0, 1)->kind, VF_EDGE_FALL);
	/* Call edges are not intra-procedural edges. */
	ck_assert_ptr_null(find_edge(cfg, 0, cfg->funcs[1].first_block));
	for (uint32_t e = 0; e < cfg->edge_cnt; e++)
		ck_assert_uint_eq(cfg->blocks[cfg->edges[e].from].func, cfg->blocks[cfg->edges[e].to].func);
	for (uint32_t f = 0; f < 3; f++)
		ck_assert(cfg->funcs[f].reachable);
	ck_assert_uint_eq(vf_cfg_func_of(cfg, 4), 1);
	ck_assert_uint_eq(vf_cfg_func_of(cfg, 6), 2);
	ck_assert_uint_eq(vf_cfg_func_of(cfg, 7), VF_NONE);
	ck_assert_uint_eq(vf_cfg_call_at(cfg, 0), 0);
	ck_assert_uint_eq(vf_cfg_call_at(cfg, 3), 1);
	ck_assert_uint_eq(vf_cfg_call_at(cfg, 1), VF_NONE);
	ck_assert_uint_eq(vf_cfg_call_at(cfg, 99), VF_NONE);
	vf_cfg_free(cfg);
	vf_findings_free(&fs);

	/* Given names win. */
	pb_func(&p, "main", 0);
	pb_func(&p, "f", 3);
	pb_func(&p, "g", 5);
	cfg = build(&p, &prog, &fs);
	ck_assert_str_eq(cfg->funcs[0].name, "main");
	ck_assert_str_eq(cfg->funcs[2].name, "g");
	vf_cfg_free(cfg);
	vf_findings_free(&fs);

	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(res.findings.cnt, 0);
	ck_assert_uint_eq(res.stats.max_call_depth, 3);
	ck_assert_uint_eq(res.stats.call_edges, 2);
	ck_assert_uint_eq(res.stats.funcs, 3);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(callback_address)
{
	struct pb p = {0};
	PB_MOV(&p, 1, 10);      /* 0 */
	PB_LDDW_FUNC(&p, 2, 5); /* 1-2: callback at 1 + 5 + 1 = 7 */
	PB_CALL(&p, 181);       /* 3: bpf_loop */
	PB_MOV(&p, 0, 0);       /* 4 */
	PB_EXIT(&p);            /* 5 */
	PB_EXIT(&p);            /* 6: dead */
	PB_MOV(&p, 0, 0);       /* 7: callback */
	PB_EXIT(&p);            /* 8 */
	struct bpfc_prog prog;
	struct vf_findings fs;
	struct vf_cfg *cfg = build(&p, &prog, &fs);
	ck_assert_uint_eq(fs.cnt, 0);
	ck_assert_uint_eq(cfg->func_cnt, 2);
	ck_assert_uint_eq(cfg->funcs[1].start, 7);
	ck_assert_uint_eq(cfg->call_cnt, 1);
	ck_assert_uint_eq(cfg->calls[0].kind, VF_CALL_CALLBACK);
	ck_assert_uint_eq(cfg->calls[0].insn, 1);
	ck_assert(cfg->funcs[1].reachable);
	/* The wide load is one instruction in one block; a helper call does not end a block. */
	ck_assert_uint_eq(cfg->insn_cnt, 8);
	ck_assert_uint_eq(cfg->block_of[2], cfg->block_of[1]);
	ck_assert_uint_eq(cfg->block_of[3], cfg->block_of[0]);
	ck_assert_uint_eq(cfg->slot_kind[2], VF_SLOT_WIDE2);
	vf_cfg_free(cfg);
	vf_findings_free(&fs);

	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-UNREACHABLE");
	ck_assert_uint_eq(f->insn, 6);
	ck_assert_str_eq(f->message, "unreachable insn 6: no path from the entry reaches it");
	ck_assert_uint_eq(res.stats.max_call_depth, 2);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(recursion_direct)
{
	struct pb p = {0};
	PB_MOV(&p, 0, 0);      /* 0 */
	PB_CALL_LOCAL(&p, 1);  /* 1: call f (3) */
	PB_EXIT(&p);           /* 2 */
	PB_CALL_LOCAL(&p, -1); /* 3: f calls itself */
	PB_EXIT(&p);           /* 4 */
	pb_func(&p, "main", 0);
	pb_func(&p, "f", 3);
	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-RECURSION");
	ck_assert_uint_eq(f->insn, 3);
	ck_assert_str_eq(f->func, "f");
	ck_assert_ptr_nonnull(strstr(f->message, "f -> f"));
	ck_assert_uint_eq(f->related_cnt, 1);
	ck_assert_uint_eq(res.stats.max_call_depth, 0);
	ck_assert(!vf_result_accepted(&res));
	ck_assert_uint_eq(res.findings.cnt, 1);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(recursion_mutual)
{
	struct pb p = {0};
	PB_CALL_LOCAL(&p, 1);  /* 0: call f (2) */
	PB_EXIT(&p);           /* 1 */
	PB_CALL_LOCAL(&p, 1);  /* 2: f: call g (4) */
	PB_EXIT(&p);           /* 3 */
	PB_CALL_LOCAL(&p, -3); /* 4: g: call f (2) */
	PB_EXIT(&p);           /* 5 */
	pb_func(&p, "main", 0);
	pb_func(&p, "f", 2);
	pb_func(&p, "g", 4);
	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-RECURSION");
	ck_assert_uint_eq(f->insn, 4);
	ck_assert_ptr_nonnull(strstr(f->message, "f -> g -> f"));
	ck_assert_uint_eq(f->related_cnt, 2);
	ck_assert_uint_eq(f->related[0].insn, 2);
	ck_assert_uint_eq(f->related[1].insn, 4);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-CALL-DEPTH"), 0);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

/* main -> f1 -> ... -> f(frames - 1): frames frames. */
static void call_chain(struct pb *p, unsigned frames)
{
	for (unsigned k = 0; k + 1 < frames; k++) {
		PB_CALL_LOCAL(p, 1); /* 2k: call 2k + 2 */
		PB_EXIT(p);
	}
	PB_MOV(p, 0, 0);
	PB_EXIT(p);
}

START_TEST(call_depth)
{
	struct pb p = {0};
	call_chain(&p, 8);
	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(res.findings.cnt, 0);
	ck_assert_uint_eq(res.stats.max_call_depth, 8);
	vf_result_free(&res);
	pb_free(&p);

	call_chain(&p, 9);
	res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-CALL-DEPTH");
	ck_assert_uint_eq(res.findings.cnt, 1);
	ck_assert_uint_eq(f->insn, 14); /* the call in the 8th frame pushes the 9th */
	ck_assert_str_eq(f->func, "subprog@14");
	ck_assert_ptr_nonnull(strstr(f->message, "9 frames"));
	ck_assert_ptr_nonnull(strstr(f->message, "limit 8"));
	ck_assert_uint_eq(f->related_cnt, 8);
	ck_assert_uint_eq(res.stats.max_call_depth, 9);
	vf_result_free(&res);

	/* The limit is an option. */
	struct vf_options o;
	vf_options_default(&o);
	o.max_call_frames = 9;
	res = verify(&p, &o);
	ck_assert_uint_eq(res.findings.cnt, 0);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(unreachable_runs)
{
	struct pb p = {0};
	PB_JA(&p, 2);         /* 0 -> 3 */
	PB_MOV(&p, 0, 1);     /* 1: dead */
	PB_MOV(&p, 0, 2);     /* 2: dead */
	PB_JA(&p, 3);         /* 3 -> 7 */
	PB_LDDW(&p, 0, 1, 2); /* 4-5: dead */
	PB_EXIT(&p);          /* 6: dead */
	PB_EXIT(&p);          /* 7 */
	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-UNREACHABLE"), 2);
	ck_assert_uint_eq(res.findings.cnt, 2);
	const struct vf_finding *a = &res.findings.items[0], *b = &res.findings.items[1];
	ck_assert_uint_eq(a->insn, 1);
	ck_assert_str_eq(a->message,
	                 "unreachable insns 1..2 (2 instructions): no path from the entry reaches them");
	ck_assert_uint_eq(b->insn, 4);
	ck_assert_str_eq(b->message,
	                 "unreachable insns 4..6 (2 instructions): no path from the entry reaches them");
	ck_assert_ptr_nonnull(a->hint);
	ck_assert_str_eq(a->func, "test");
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(unreachable_function)
{
	struct pb p = {0};
	PB_MOV(&p, 0, 0); /* 0 */
	PB_EXIT(&p);      /* 1 */
	PB_MOV(&p, 0, 1); /* 2: helper nobody calls */
	PB_EXIT(&p);      /* 3 */
	pb_func(&p, "main", 0);
	pb_func(&p, "unused", 2);
	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-UNREACHABLE");
	ck_assert_uint_eq(res.findings.cnt, 1);
	ck_assert_uint_eq(f->insn, 2);
	ck_assert_str_eq(f->func, "unused");
	ck_assert_str_eq(f->message,
	                 "function 'unused' (insns 2..3) is never called from the entry: unreachable insn 2");
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(fall_off_end)
{
	struct pb p = {0};
	PB_MOV(&p, 0, 0);
	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-FALL-OFF-END");
	ck_assert_uint_eq(f->insn, 0);
	ck_assert_uint_eq(res.findings.cnt, 1);
	vf_result_free(&res);
	pb_free(&p);

	/* A conditional jump last: its not-taken side falls off. */
	PB_MOV(&p, 0, 0);
	PB_JEQ(&p, 0, 0, -2);
	res = verify(&p, NULL);
	f = only(&res, "VF-FALL-OFF-END");
	ck_assert_uint_eq(f->insn, 1);
	ck_assert_ptr_nonnull(strstr(f->message, "'jeq'"));
	vf_result_free(&res);
	pb_free(&p);

	/* A subprogram running into the next one. */
	PB_CALL_LOCAL(&p, 1); /* 0: call f (2) */
	PB_EXIT(&p);          /* 1 */
	PB_MOV(&p, 0, 1);     /* 2: f, no exit */
	PB_CALL_LOCAL(&p, 0); /* 3: call g (4) - f ends with a call */
	PB_EXIT(&p);          /* 4: g */
	pb_func(&p, "main", 0);
	pb_func(&p, "f", 2);
	pb_func(&p, "g", 4);
	res = verify(&p, NULL);
	f = only(&res, "VF-FALL-OFF-END");
	ck_assert_uint_eq(f->insn, 3);
	ck_assert_str_eq(f->func, "f");
	ck_assert_uint_eq(res.findings.cnt, 1);
	vf_result_free(&res);
	pb_free(&p);

	/* Ending with ja back into the function is fine (an infinite loop is not a CFG error). */
	PB_MOV(&p, 0, 0);
	PB_JA(&p, -2);
	res = verify(&p, NULL);
	ck_assert_uint_eq(res.findings.cnt, 0);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(wide_load_at_end)
{
	struct pb p = {0};
	/* Complete wide load last: falls off. */
	PB_MOV(&p, 0, 0);
	PB_LDDW(&p, 0, 1, 2);
	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-FALL-OFF-END");
	ck_assert_uint_eq(f->insn, 1);
	ck_assert_uint_eq(res.findings.cnt, 1);
	ck_assert_uint_eq(res.stats.insns, 2);
	ck_assert_uint_eq(res.stats.slots, 3);
	vf_result_free(&res);
	pb_free(&p);

	/* First half only: invalid, and no read past the end. */
	PB_MOV(&p, 0, 0);
	PB_EXIT(&p);
	pb_slot(&p, 0x18, 0, 0, 0, 1);
	res = verify(&p, NULL);
	f = only(&res, "VF-INVALID-INSN");
	ck_assert_uint_eq(f->insn, 2);
	ck_assert_ptr_nonnull(strstr(f->message, "has no second slot"));
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-UNREACHABLE"), 1);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-FALL-OFF-END"), 0);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(bad_jumps_do_not_crash)
{
	struct pb p = {0};
	PB_JEQ(&p, 1, 0, 100);     /* 0: out of range */
	PB_JEQ(&p, 1, 0, -5);      /* 1: before the start */
	PB_JA(&p, INT16_MIN);      /* 2 */
	PB_JA32(&p, INT32_MIN);    /* 3 */
	PB_JA32(&p, INT32_MAX);    /* 4 */
	PB_JEQ(&p, 1, 0, 1);       /* 5: into the second slot of 6-7 */
	PB_LDDW(&p, 0, 1, 2);      /* 6-7 */
	PB_CALL_LOCAL(&p, 1000);   /* 8: call out of range */
	PB_CALL_LOCAL(&p, -3);     /* 9: call into the second slot (7) */
	PB_LDDW_FUNC(&p, 2, 5000); /* 10-11: callback out of range */
	PB_EXIT(&p);               /* 12 */
	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-INVALID-INSN"), 9);
	const struct vf_finding *items = res.findings.items;
	ck_assert_uint_eq(items[0].insn, 0);
	ck_assert_str_eq(items[0].property, "VF-INVALID-INSN");
	ck_assert_str_eq(items[0].message, "jump out of range from insn 0 to 101 (the program has 13 slots)");
	for (size_t i = 0; i < res.findings.cnt; i++)
		if (items[i].insn == 5 && strcmp(items[i].property, "VF-INVALID-INSN") == 0)
			ck_assert_str_eq(items[i].message,
			                 "jump from insn 5 into the middle of the wide load at insn 6");
	ck_assert(!vf_result_accepted(&res));
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(jump_between_functions)
{
	struct pb p = {0};
	PB_CALL_LOCAL(&p, 2); /* 0: call f (3) */
	PB_JA(&p, 2);         /* 1: into f at 4 */
	PB_EXIT(&p);          /* 2 */
	PB_MOV(&p, 0, 1);     /* 3: f */
	PB_EXIT(&p);          /* 4 */
	pb_func(&p, "main", 0);
	pb_func(&p, "f", 3);
	struct vf_result res = verify(&p, NULL);
	const struct vf_finding *f = only(&res, "VF-INVALID-INSN");
	ck_assert_uint_eq(f->insn, 1);
	ck_assert_str_eq(f->message,
	                 "jump out of range from insn 1 in function 'main' to insn 4 in function 'f': a "
	                 "jump cannot leave its function");
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(invalid_opcodes_and_unsupported)
{
	struct pb p = {0};
	pb_slot(&p, 0xff, 0, 0, 0, 0); /* 0: unknown */
	pb_slot(&p, 0x00, 0, 0, 0, 0); /* 1: second-slot opcode on its own */
	PB_CALLX(&p, 2);               /* 2 */
	PB_MOV(&p, 0, 0);              /* 3 */
	PB_EXIT(&p);                   /* 4 */
	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-INVALID-INSN"), 2);
	ck_assert_str_eq(res.findings.items[0].message, "unknown opcode 0xff at insn 0");
	ck_assert_uint_eq(res.findings.items[1].insn, 1);
	const struct vf_finding *f = only(&res, "VF-UNSUPPORTED");
	ck_assert_uint_eq(f->insn, 2);
	vf_result_free(&res);
	pb_free(&p);

	/* gotox: unsupported, and the code behind it is not reported unreachable. */
	PB_MOV(&p, 1, 0);
	PB_GOTOX(&p, 1);
	PB_MOV(&p, 0, 0);
	PB_EXIT(&p);
	res = verify(&p, NULL);
	f = only(&res, "VF-UNSUPPORTED");
	ck_assert_uint_eq(f->insn, 1);
	ck_assert_uint_eq(res.findings.cnt, 1);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(bad_given_functions)
{
	struct pb p = {0};
	PB_LDDW(&p, 0, 1, 2); /* 0-1 */
	PB_EXIT(&p);          /* 2 */
	pb_func(&p, "main", 0);
	pb_func(&p, "mid", 1);
	pb_func(&p, "past", 50);
	struct vf_result res = verify(&p, NULL);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-INVALID-INSN"), 2);
	ck_assert_uint_eq(res.stats.funcs, 1);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(size_limits)
{
	struct pb p = {0};
	for (int i = 0; i < 10; i++)
		PB_MOV(&p, 0, i);
	PB_EXIT(&p);
	struct vf_options o;
	vf_options_default(&o);
	o.max_insns = 10;
	struct vf_result res = verify(&p, &o);
	const struct vf_finding *f = only(&res, "VF-TOO-LARGE");
	ck_assert_uint_eq(f->insn, VF_NO_INSN);
	ck_assert_str_eq(f->message,
	                 "program 'test' has 11 instruction slots, more than the limit of 10 (privileged)");
	ck_assert_uint_eq(res.findings.cnt, 1);
	vf_result_free(&res);
	o.max_insns = 11;
	res = verify(&p, &o);
	ck_assert_uint_eq(res.findings.cnt, 0);
	vf_result_free(&res);
	pb_free(&p);

	/* Unprivileged default: 4096 slots. */
	for (int i = 0; i < 4096; i++)
		PB_MOV(&p, 0, i);
	PB_EXIT(&p);
	vf_options_default(&o);
	o.privileged = false;
	res = verify(&p, &o);
	f = only(&res, "VF-TOO-LARGE");
	ck_assert_ptr_nonnull(strstr(f->message, "4096 (unprivileged)"));
	vf_result_free(&res);
	pb_free(&p);

	/* Empty program. */
	res = verify(&p, NULL);
	f = only(&res, "VF-INVALID-INSN");
	ck_assert_str_eq(f->message, "program 'test' has no instructions");
	vf_result_free(&res);
}
END_TEST

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(million_straight_line)
{
	struct pb p = {0};
	for (int i = 0; i < 999999; i++)
		PB_ADD(&p, 0, 1);
	PB_EXIT(&p);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct vf_result res = verify(&p, NULL);
	double s = seconds_since(&t0);
	ck_assert_uint_eq(res.findings.cnt, 0);
	ck_assert_uint_eq(res.stats.insns, 1000000);
	ck_assert_uint_eq(res.stats.blocks, 1);
	ck_assert_msg(s < 20.0, "1M straight-line instructions took %.2f s", s);
	vf_result_free(&res);

	/* One more slot is over the 1M limit. */
	PB_EXIT(&p);
	res = verify(&p, NULL);
	only(&res, "VF-TOO-LARGE");
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(nested_diamonds_200k)
{
	struct pb p = {0};
	while (p.n + pb_diamond_len(10) < 200000)
		pb_diamonds(&p, 10);
	PB_EXIT(&p);
	ck_assert_uint_gt(p.n, 190000);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct vf_result res = verify(&p, NULL);
	double s = seconds_since(&t0);
	ck_assert_uint_eq(res.findings.cnt, 0);
	/* Per diamond of depth 10: 1023 tests and 1024 leaves; blocks: then-arm, else-arm, join. */
	ck_assert_uint_gt(res.stats.blocks, 100000);
	ck_assert_uint_eq(res.stats.loop_heads, 0);
	ck_assert_msg(s < 20.0, "200k instructions of nested diamonds took %.2f s", s);
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(findings_api)
{
	struct vf_findings fs;
	vf_findings_init(&fs);
	struct vf_finding *f = vf_findings_add(&fs, "VF-B", VF_SEV_WARNING, 5, "main", "second %d", 2);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(vf_finding_add_reg(f, "r0", "map_value_or_null(map=counters, value_size=8)"),
	                 BPFC_OK);
	ck_assert_int_eq(vf_finding_add_related(f, 3, "r0 set by call %s here", "bpf_map_lookup_elem"),
	                 BPFC_OK);
	ck_assert_int_eq(vf_finding_add_branch(f, 4, true), BPFC_OK);
	ck_assert_int_eq(vf_finding_add_branch(f, 4, false), BPFC_OK);
	ck_assert_int_eq(vf_finding_set_hint(f, "check r0 against NULL"), BPFC_OK);
	ck_assert_ptr_nonnull(vf_findings_add(&fs, "VF-A", VF_SEV_ERROR, VF_NO_INSN, NULL, "whole program"));
	ck_assert_ptr_nonnull(vf_findings_add(&fs, "VF-A", VF_SEV_ERROR, 5, NULL, "first"));
	ck_assert_ptr_nonnull(vf_findings_add(&fs, "VF-C", VF_SEV_NOTE, 1, NULL, "zero"));
	ck_assert_ptr_nonnull(vf_findings_add(&fs, "VF-A", VF_SEV_ERROR, 5, NULL, "first"));
	vf_findings_sort(&fs);
	ck_assert_uint_eq(fs.cnt, 5);
	ck_assert_str_eq(fs.items[0].message, "zero");
	ck_assert_str_eq(fs.items[1].message, "first");
	ck_assert_str_eq(fs.items[2].message, "first");
	ck_assert_str_eq(fs.items[3].message, "second 2");
	ck_assert_str_eq(fs.items[4].message, "whole program");
	f = &fs.items[3];
	ck_assert_str_eq(f->func, "main");
	ck_assert_str_eq(f->regs[0].name, "r0");
	ck_assert_str_eq(f->related[0].message, "r0 set by call bpf_map_lookup_elem here");
	ck_assert_uint_eq(f->path_cnt, 2);
	ck_assert(f->path[0].taken && !f->path[1].taken);
	ck_assert_str_eq(f->hint, "check r0 against NULL");
	ck_assert_uint_eq(vf_findings_count(&fs, "VF-A"), 3);
	ck_assert_uint_eq(vf_findings_count(&fs, NULL), 5);
	ck_assert_str_eq(vf_severity_name(VF_SEV_WARNING), "warning");
	vf_findings_free(&fs);
	ck_assert_uint_eq(fs.cnt, 0);
	ck_assert_ptr_null(fs.items);
	vf_findings_free(NULL);
}
END_TEST

START_TEST(findings_sort_many)
{
	struct vf_findings fs;
	vf_findings_init(&fs);
	for (uint32_t i = 0; i < 1000; i++)
		ck_assert_ptr_nonnull(vf_findings_add(&fs, "VF-X", VF_SEV_ERROR, (i * 7919u) % 1000u, NULL,
		                                      "n%u", (unsigned)i));
	vf_findings_sort(&fs);
	for (uint32_t i = 0; i < 1000; i++)
		ck_assert_uint_eq(fs.items[i].insn, i);
	vf_findings_free(&fs);
}
END_TEST

START_TEST(usage_errors)
{
	struct vf_result res;
	struct bpfc_error err;
	ck_assert_int_eq(vf_verify(NULL, NULL, 0, NULL, &res, &err), BPFC_ERR_USAGE);
	ck_assert_uint_eq(res.findings.cnt, 0);
	struct bpfc_prog prog = {0};
	prog.insn_cnt = 3;
	ck_assert_int_eq(vf_verify(&prog, NULL, 0, NULL, &res, &err), BPFC_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "missing program"));
	vf_result_free(NULL);
}
END_TEST

/* Random programs of jumps, calls and wide loads: the CFG stays consistent and nothing crashes. */
START_TEST(random_programs)
{
	uint32_t seed = 12345;
	for (int round = 0; round < 300; round++) {
		struct pb p = {0};
		size_t n = 1 + (seed % 60);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			int32_t r = (int32_t)((seed >> 8) % 24) - 12;
			switch ((seed >> 20) % 9) {
			case 0: PB_JA(&p, (int16_t)r); break;
			case 1: PB_JEQ(&p, 1, 0, (int16_t)r); break;
			case 2: PB_EXIT(&p); break;
			case 3: PB_CALL_LOCAL(&p, r); break;
			case 4: PB_LDDW(&p, 1, 0, 0); break;
			case 5: PB_MAY_GOTO(&p, (int16_t)r); break;
			case 6: pb_slot(&p, (uint8_t)(seed >> 3), 0, 0, (int16_t)r, r); break;
			case 7: PB_LDDW_FUNC(&p, 2, r); break;
			default: PB_ADD(&p, 0, 1); break;
			}
		}
		if (seed & 1)
			p.n--; /* may cut a wide load in half */
		if (p.n == 0)
			PB_EXIT(&p);
		struct bpfc_prog prog;
		struct vf_findings fs;
		struct vf_cfg *cfg = build(&p, &prog, &fs);
		for (uint32_t b = 0; b < cfg->block_cnt; b++) {
			const struct vf_block *blk = &cfg->blocks[b];
			REQUIRE_LE(blk->first, blk->last);
			REQUIRE_LT(blk->last, blk->end);
			REQUIRE_LE(blk->succ_cnt, 2);
			for (uint32_t s = blk->first; s < blk->end; s++)
				REQUIRE_EQ(cfg->block_of[s], b);
			for (uint32_t i = 0; i < blk->succ_cnt; i++) {
				const struct vf_edge *e = vf_cfg_succ(cfg, b, i);
				REQUIRE_EQ(e->from, b);
				REQUIRE_EQ(cfg->blocks[e->to].func, blk->func);
			}
		}
		vf_cfg_free(cfg);
		vf_findings_free(&fs);
		struct vf_result res = verify(&p, NULL);
		vf_result_free(&res);
		pb_free(&p);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cfg");
	TCase *tc = tcase_create("cfg");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, straight_line);
	tcase_add_test(tc, diamond);
	tcase_add_test(tc, may_goto_and_ja32);
	tcase_add_test(tc, subprograms_and_call_graph);
	tcase_add_test(tc, callback_address);
	tcase_add_test(tc, recursion_direct);
	tcase_add_test(tc, recursion_mutual);
	tcase_add_test(tc, call_depth);
	tcase_add_test(tc, unreachable_runs);
	tcase_add_test(tc, unreachable_function);
	tcase_add_test(tc, fall_off_end);
	tcase_add_test(tc, wide_load_at_end);
	tcase_add_test(tc, bad_jumps_do_not_crash);
	tcase_add_test(tc, jump_between_functions);
	tcase_add_test(tc, invalid_opcodes_and_unsupported);
	tcase_add_test(tc, bad_given_functions);
	tcase_add_test(tc, size_limits);
	tcase_add_test(tc, million_straight_line);
	tcase_add_test(tc, nested_diamonds_200k);
	tcase_add_test(tc, findings_api);
	tcase_add_test(tc, findings_sort_many);
	tcase_add_test(tc, usage_errors);
	tcase_add_test(tc, random_programs);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
