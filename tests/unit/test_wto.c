/* The weak topological order: exact orders for small CFGs (Bourdoncle's notation), loop heads,
 * nesting, back edges, irreducible loops, and the WTO property on random and very large CFGs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progbuild.h"
#include "bpfcheck/verify.h"
#include "verifier/cfg.h"
#include "verifier/wto.h"
#include "testutil.h"

/* Check's ck_assert reports every passing check to the parent process (a system call): loops
 * over 500,000 blocks use these instead. */
#define REQUIRE_OP(a, op, b)                                                                                 \
	do {                                                                                                 \
		uint64_t a_ = (a), b_ = (b);                                                                 \
		if (!(a_ op b_))                                                                             \
			ck_abort_msg("%s:%d: %s %s %s (%llu vs %llu)", __FILE__, __LINE__, #a, #op, #b,      \
			             (unsigned long long)a_, (unsigned long long)b_);                        \
	} while (0)
#define REQUIRE_EQ(a, b) REQUIRE_OP(a, ==, b)
#define REQUIRE_NE(a, b) REQUIRE_OP(a, !=, b)
#define REQUIRE_GE(a, b) REQUIRE_OP(a, >=, b)
#define REQUIRE_LE(a, b) REQUIRE_OP(a, <=, b)
#define REQUIRE_LT(a, b) REQUIRE_OP(a, <, b)

struct built {
	struct bpfc_prog prog;
	struct vf_findings fs;
	struct vf_cfg *cfg;
	struct vf_wto *wto;
};

static void build(struct pb *p, struct built *b)
{
	struct bpfc_error err;
	b->prog = pb_prog(p);
	vf_findings_init(&b->fs);
	ck_assert_int_eq(vf_cfg_build(&b->prog, isa_table_default(), &b->fs, &b->cfg, &err), BPFC_OK);
	ck_assert_int_eq(vf_wto_build(b->cfg, 0, &b->wto, &err), BPFC_OK);
}

static void release(struct built *b)
{
	vf_wto_free(b->wto);
	vf_cfg_free(b->cfg);
	vf_findings_free(&b->fs);
}

/* The defining property of a WTO: every edge u -> v goes forward in the order, or v is a head
 * whose component contains u. Also: every block of a component is at least as deep as its head. */
static void check_wto_property(const struct vf_cfg *cfg, const struct vf_wto *w)
{
	for (uint32_t e = 0; e < cfg->edge_cnt; e++) {
		uint32_t u = cfg->edges[e].from, v = cfg->edges[e].to;
		if (w->pos[u] == VF_NONE)
			continue;
		REQUIRE_NE(w->pos[v], VF_NONE);
		if (w->pos[u] < w->pos[v])
			continue;
		if (!vf_wto_is_head(w, v))
			ck_abort_msg("edge %u -> %u goes backwards to a non-head", u, v);
		const struct vf_loop *l = &w->loops[w->head_loop[v]];
		REQUIRE_GE(w->pos[u], l->first);
		REQUIRE_LT(w->pos[u], l->end);
	}
	for (uint32_t l = 0; l < w->loop_cnt; l++) {
		const struct vf_loop *loop = &w->loops[l];
		REQUIRE_EQ(w->order[loop->first], loop->head);
		for (uint32_t p = loop->first; p < loop->end; p++)
			REQUIRE_GE(w->depth[w->order[p]], loop->depth);
		if (loop->parent != VF_NONE) {
			REQUIRE_LE(w->loops[loop->parent].first, loop->first);
			REQUIRE_GE(w->loops[loop->parent].end, loop->end);
			REQUIRE_EQ(w->loops[loop->parent].depth + 1, loop->depth);
		}
	}
}

static const char *wto_text(const struct built *b, uint32_t f)
{
	static char buf[256];
	vf_wto_format(b->wto, f, buf, sizeof(buf));
	return buf;
}

START_TEST(straight_line)
{
	struct pb p = {0};
	PB_MOV(&p, 0, 0);
	PB_EXIT(&p);
	struct built b;
	build(&p, &b);
	ck_assert_str_eq(wto_text(&b, 0), "0");
	ck_assert_uint_eq(b.wto->loop_cnt, 0);
	ck_assert_uint_eq(b.wto->max_depth, 0);
	ck_assert(!vf_wto_is_head(b.wto, 0));
	release(&b);
	pb_free(&p);
}
END_TEST

START_TEST(diamond)
{
	struct pb p = {0};
	PB_JEQ(&p, 1, 0, 2);
	PB_MOV(&p, 0, 1);
	PB_JA(&p, 1);
	PB_MOV(&p, 0, 2);
	PB_EXIT(&p);
	struct built b;
	build(&p, &b);
	ck_assert_str_eq(wto_text(&b, 0), "0 1 2 3");
	ck_assert_uint_eq(b.wto->loop_cnt, 0);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

START_TEST(simple_loop)
{
	struct pb p = {0};
	PB_MOV(&p, 1, 0);      /* 0: B0 */
	PB_ADD(&p, 1, 1);      /* 1: B1 head */
	PB_JLT(&p, 1, 10, -2); /* 2: -> 1 */
	PB_EXIT(&p);           /* 3: B2 */
	struct built b;
	build(&p, &b);
	ck_assert_str_eq(wto_text(&b, 0), "0 (1) 2");
	ck_assert_uint_eq(b.wto->loop_cnt, 1);
	ck_assert(vf_wto_is_head(b.wto, 1));
	ck_assert_uint_eq(b.wto->loops[0].head, 1);
	ck_assert_uint_eq(b.wto->loops[0].depth, 1);
	ck_assert_uint_eq(b.wto->loops[0].back_cnt, 1);
	const struct vf_edge *e = &b.cfg->edges[b.wto->back_edges[b.wto->loops[0].back_off]];
	ck_assert_uint_eq(e->from, 1);
	ck_assert_uint_eq(e->to, 1);
	ck_assert_uint_eq(e->kind, VF_EDGE_TAKEN);
	ck_assert_uint_eq(vf_wto_component_end(b.wto, 1), 2);
	ck_assert_uint_eq(vf_wto_component_end(b.wto, 0), 1);
	ck_assert_uint_eq(b.wto->depth[2], 0);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

START_TEST(nested_loops)
{
	struct pb p = {0};
	PB_MOV(&p, 1, 0);      /* 0: B0 */
	PB_MOV(&p, 2, 0);      /* 1: B1 outer head */
	PB_ADD(&p, 2, 1);      /* 2: B2 inner head */
	PB_JLT(&p, 2, 10, -2); /* 3: -> 2 */
	PB_ADD(&p, 1, 1);      /* 4: B3 */
	PB_JLT(&p, 1, 10, -5); /* 5: -> 1 */
	PB_EXIT(&p);           /* 6: B4 */
	struct built b;
	build(&p, &b);
	ck_assert_str_eq(wto_text(&b, 0), "0 (1 (2) 3) 4");
	ck_assert_uint_eq(b.wto->loop_cnt, 2);
	ck_assert_uint_eq(b.wto->max_depth, 2);
	const struct vf_loop *outer = &b.wto->loops[0], *inner = &b.wto->loops[1];
	ck_assert_uint_eq(outer->head, 1);
	ck_assert_uint_eq(outer->depth, 1);
	ck_assert_uint_eq(outer->parent, VF_NONE);
	ck_assert_uint_eq(inner->head, 2);
	ck_assert_uint_eq(inner->depth, 2);
	ck_assert_uint_eq(inner->parent, 0);
	ck_assert_uint_eq(outer->end - outer->first, 3); /* blocks 1, 2, 3 */
	ck_assert_uint_eq(inner->end - inner->first, 1);
	ck_assert_uint_eq(b.wto->depth[0], 0);
	ck_assert_uint_eq(b.wto->depth[1], 1);
	ck_assert_uint_eq(b.wto->depth[2], 2);
	ck_assert_uint_eq(b.wto->depth[3], 1);
	ck_assert_uint_eq(b.wto->depth[4], 0);
	ck_assert_uint_eq(b.wto->loop_of[3], 0);
	ck_assert_uint_eq(b.wto->loop_of[2], 1);
	ck_assert_uint_eq(b.wto->loop_of[4], VF_NONE);
	ck_assert_uint_eq(outer->back_cnt, 1);
	ck_assert_uint_eq(b.cfg->edges[b.wto->back_edges[outer->back_off]].from, 3);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

START_TEST(two_back_edges)
{
	struct pb p = {0};
	PB_MOV(&p, 1, 0);      /* 0: B0 */
	PB_ADD(&p, 1, 1);      /* 1: B1 head */
	PB_JEQ(&p, 1, 5, -2);  /* 2: -> 1 */
	PB_JLT(&p, 1, 10, -3); /* 3: B2 -> 1 */
	PB_EXIT(&p);           /* 4: B3 */
	struct built b;
	build(&p, &b);
	ck_assert_str_eq(wto_text(&b, 0), "0 (1 2) 3");
	ck_assert_uint_eq(b.wto->loop_cnt, 1);
	const struct vf_loop *l = &b.wto->loops[0];
	ck_assert_uint_eq(l->back_cnt, 2);
	uint32_t from0 = b.cfg->edges[b.wto->back_edges[l->back_off]].from;
	uint32_t from1 = b.cfg->edges[b.wto->back_edges[l->back_off + 1]].from;
	ck_assert((from0 == 1 && from1 == 2) || (from0 == 2 && from1 == 1));
	ck_assert_uint_eq(b.wto->back_edge_cnt, 2);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

/* Two entries into the cycle B1 <-> B2: no dominating header. Bourdoncle takes the first entry
 * the depth-first search reaches (B2, the taken side is explored first) as the head. */
START_TEST(irreducible_loop)
{
	struct pb p = {0};
	PB_JEQ(&p, 1, 0, 2);   /* 0: B0 -> 3 (B2), or 1 (B1) */
	PB_ADD(&p, 2, 1);      /* 1: B1 */
	PB_JGT(&p, 2, 100, 2); /* 2: -> 5 (exit), or 3 (B2) */
	PB_ADD(&p, 3, 1);      /* 3: B2 */
	PB_JA(&p, -4);         /* 4: -> 1 */
	PB_EXIT(&p);           /* 5: B3 */
	struct built b;
	build(&p, &b);
	ck_assert_str_eq(wto_text(&b, 0), "0 (2 1) 3");
	ck_assert_uint_eq(b.wto->loop_cnt, 1);
	ck_assert(vf_wto_is_head(b.wto, 2));
	ck_assert(!vf_wto_is_head(b.wto, 1));
	ck_assert_uint_eq(b.wto->depth[1], 1);
	ck_assert_uint_eq(b.wto->depth[2], 1);
	/* Only B1 -> B2 is a back edge; B0 -> B1 enters the component past its head. */
	ck_assert_uint_eq(b.wto->loops[0].back_cnt, 1);
	ck_assert_uint_eq(b.cfg->edges[b.wto->back_edges[0]].from, 1);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

START_TEST(functions_and_unreachable_blocks)
{
	struct pb p = {0};
	PB_CALL_LOCAL(&p, 3);  /* 0: call f (4) */
	PB_EXIT(&p);           /* 1 */
	PB_MOV(&p, 0, 0);      /* 2: dead */
	PB_EXIT(&p);           /* 3 */
	PB_ADD(&p, 1, 1);      /* 4: f, loop head */
	PB_JLT(&p, 1, 10, -2); /* 5 */
	PB_EXIT(&p);           /* 6 */
	struct built b;
	build(&p, &b);
	ck_assert_uint_eq(b.cfg->func_cnt, 2);
	ck_assert_str_eq(wto_text(&b, 0), "0 1");
	ck_assert_uint_eq(b.wto->func_off[0], 0);
	ck_assert_uint_eq(b.wto->func_off[1], 2);
	ck_assert_uint_eq(b.wto->pos[2], VF_NONE); /* the dead block */
	uint32_t f_entry = b.cfg->funcs[1].first_block;
	ck_assert(vf_wto_is_head(b.wto, f_entry));
	ck_assert_uint_eq(b.wto->loops[0].func, 1);
	ck_assert_uint_eq(b.wto->order_cnt, 4);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

/* Loops nested d deep: slot i < d is the head of loop i, slot d + j jumps back to head d-1-j. */
static void nested(struct pb *p, unsigned d)
{
	for (unsigned i = 0; i < d; i++)
		PB_ADD(p, 1, 1);
	for (unsigned j = 0; j < d; j++) {
		int32_t from = (int32_t)(d + j), to = (int32_t)(d - 1 - j);
		PB_JLT(p, 1, 10, (int16_t)(to - from - 1));
	}
	PB_EXIT(p);
}

START_TEST(deep_nesting)
{
	const unsigned d = 3000;
	struct pb p = {0};
	nested(&p, d);
	struct built b;
	build(&p, &b);
	ck_assert_uint_eq(b.wto->loop_cnt, d);
	ck_assert_uint_eq(b.wto->max_depth, d);
	ck_assert_uint_eq(b.wto->back_edge_cnt, d);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

/* A chain of 500,000 blocks (ja +0 ends a block each time) and a loop around all of it: the
 * explicit stacks must carry this without recursion. */
START_TEST(long_chain)
{
	struct pb p = {0};
	const unsigned n = 500000;
	PB_MOV(&p, 1, 0);
	for (unsigned i = 0; i < n; i++)
		PB_JA(&p, 0);
	PB_JA32(&p, -(int32_t)n - 1); /* back to slot 1 */
	struct built b;
	build(&p, &b);
	ck_assert_uint_eq(b.cfg->block_cnt, n + 2);
	ck_assert_uint_eq(b.wto->loop_cnt, 1);
	ck_assert_uint_eq(b.wto->loops[0].head, 1);
	ck_assert_uint_eq(b.wto->loops[0].end - b.wto->loops[0].first, n + 1);
	for (uint32_t i = 0; i < b.wto->order_cnt; i++)
		REQUIRE_EQ(b.wto->order[i], i);
	check_wto_property(b.cfg, b.wto);
	release(&b);
	pb_free(&p);
}
END_TEST

/* Bourdoncle re-visits a component once per enclosing loop: the work is bounded by a budget, and
 * running out is an error (BPFC_ERR_LIMIT) for vf_wto_build and a VF-LIMIT-REACHED finding for vf_verify. */
START_TEST(step_budget)
{
	struct pb p = {0};
	nested(&p, 300);
	struct bpfc_prog prog = pb_prog(&p);
	struct vf_findings fs;
	vf_findings_init(&fs);
	struct bpfc_error err;
	struct vf_cfg *cfg;
	struct vf_wto *wto = NULL;
	ck_assert_int_eq(vf_cfg_build(&prog, isa_table_default(), &fs, &cfg, &err), BPFC_OK);
	ck_assert_int_eq(vf_wto_build(cfg, 1000, &wto, &err), BPFC_ERR_LIMIT);
	ck_assert_ptr_null(wto);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than 1000 steps"));
	ck_assert_int_eq(vf_wto_build(cfg, 0, &wto, &err), BPFC_OK);
	ck_assert_uint_eq(wto->max_depth, 300);
	vf_wto_free(wto);
	vf_cfg_free(cfg);
	vf_findings_free(&fs);
	pb_free(&p);

	nested(&p, 16000);
	prog = pb_prog(&p);
	struct vf_result res;
	ck_assert_int_eq(vf_verify(&prog, NULL, 0, NULL, &res, &err), BPFC_OK);
	ck_assert_uint_eq(vf_findings_count(&res.findings, "VF-LIMIT-REACHED"), 1);
	ck_assert_uint_eq(res.findings.cnt, 1);
	ck_assert_ptr_nonnull(strstr(res.findings.items[0].message, "loops nest too deeply"));
	ck_assert(!vf_result_accepted(&res));
	vf_result_free(&res);
	pb_free(&p);
}
END_TEST

START_TEST(random_cfgs)
{
	uint32_t seed = 777;
	for (int round = 0; round < 500; round++) {
		struct pb p = {0};
		size_t n = 2 + (seed % 50);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1664525u + 1013904223u;
			/* Targets inside [0, n]: the last slot is an exit. */
			int32_t t = (int32_t)((seed >> 9) % (n + 1));
			int16_t off = (int16_t)(t - (int32_t)i - 1);
			switch ((seed >> 24) % 5) {
			case 0: PB_JA(&p, off); break;
			case 1:
			case 2: PB_JEQ(&p, 1, 0, off); break;
			case 3: PB_MAY_GOTO(&p, off); break;
			default: PB_ADD(&p, 0, 1); break;
			}
		}
		PB_EXIT(&p);
		struct built b;
		build(&p, &b);
		check_wto_property(b.cfg, b.wto);
		/* Every reachable block is in the order exactly once. */
		uint32_t reach = 0;
		for (uint32_t i = 0; i < b.cfg->block_cnt; i++)
			reach += b.cfg->blocks[i].reachable;
		ck_assert_uint_eq(b.wto->order_cnt, reach);
		for (uint32_t i = 0; i < b.wto->order_cnt; i++)
			REQUIRE_EQ(b.wto->pos[b.wto->order[i]], i);
		release(&b);
		pb_free(&p);
	}
}
END_TEST

START_TEST(format_truncates)
{
	struct pb p = {0};
	PB_JEQ(&p, 1, 0, 2);
	PB_MOV(&p, 0, 1);
	PB_JA(&p, 1);
	PB_MOV(&p, 0, 2);
	PB_EXIT(&p);
	struct built b;
	build(&p, &b);
	char buf[4];
	vf_wto_format(b.wto, 0, buf, sizeof(buf));
	ck_assert_uint_le(strlen(buf), 3);
	release(&b);
	pb_free(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wto");
	TCase *tc = tcase_create("wto");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, straight_line);
	tcase_add_test(tc, diamond);
	tcase_add_test(tc, simple_loop);
	tcase_add_test(tc, nested_loops);
	tcase_add_test(tc, two_back_edges);
	tcase_add_test(tc, irreducible_loop);
	tcase_add_test(tc, functions_and_unreachable_blocks);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, long_chain);
	tcase_add_test(tc, step_budget);
	tcase_add_test(tc, random_cfgs);
	tcase_add_test(tc, format_truncates);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
