/* Witness paths (src/verifier/witness.c, specs/verifier.md "Finding paths"): a finding's path is
 * one on which its check fails, not the path of whichever state reached a join first; when the
 * search finds none within its budget the merged path stays and says so. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/verify.h"
#include "testutil.h"

static const struct bpfc_map maps[1] = {
    {.name = "counters", .type = 2, .key_size = 4, .value_size = 8, .max_entries = 4, .inner_map = -1},
};

/* What the test looks at of one finding. */
struct seen {
	bool present;
	uint32_t insn;
	uint8_t kind;
	size_t omitted;
	size_t cnt;
	char path[2048]; /* "2:taken 11:not-taken" */
	char all[2048];  /* every finding, for messages */
};

/* r2 = &key (fp-4), r1 = map 0, call map_lookup_elem */
#define LOOKUP "r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(0) ll\ncall 1\n"

/* The first finding with property prop (at instruction at, unless VF_NO_INSN). */
static struct seen verify_at(const char *src, const char *prop, uint32_t at, uint32_t witness_findings,
                             uint64_t witness_steps)
{
	struct seen out;
	memset(&out, 0, sizeof(out));
	struct isa_slot *slots = NULL;
	size_t cnt = 0;
	struct bpfc_error err;
	int rc = isa_assemble(isa_table_default(), src, strlen(src), ISA_DIALECT_LLVM, "test", &slots, &cnt,
	                      NULL, &err);
	ck_assert_msg(rc == BPFC_OK, "assembly failed: %s", err.msg);
	struct bpfc_func func = {.name = "prog", .start = 0, .end = (uint32_t)cnt};
	struct bpfc_prog prog = {
	    .name = "prog", .type = "xdp", .insns = slots, .insn_cnt = cnt, .funcs = &func, .func_cnt = 1};
	struct vf_options o;
	vf_options_default(&o);
	o.witness_findings = witness_findings;
	o.witness_steps = witness_steps;
	struct vf_result res;
	rc = vf_verify(&prog, maps, 1, &o, &res, &err);
	ck_assert_msg(rc == BPFC_OK, "vf_verify failed: %s", err.msg);
	size_t used = 0;
	for (size_t i = 0; i < res.findings.cnt; i++) {
		const struct vf_finding *f = &res.findings.items[i];
		int k =
		    snprintf(out.all + used, sizeof(out.all) - used, "[%s insn %u] ", f->property, f->insn);
		if (k > 0 && (size_t)k < sizeof(out.all) - used)
			used += (size_t)k;
		if (out.present || strcmp(f->property, prop) != 0 || (at != VF_NO_INSN && f->insn != at))
			continue;
		out.present = true;
		out.insn = f->insn;
		out.kind = f->path_kind;
		out.omitted = f->path_omitted;
		out.cnt = f->path_cnt;
		size_t n = 0;
		for (size_t j = 0; j < f->path_cnt && n < sizeof(out.path) - 32; j++)
			n += (size_t)snprintf(out.path + n, sizeof(out.path) - n, "%s%u:%s", j ? " " : "",
			                      f->path[j].insn, f->path[j].taken ? "taken" : "not-taken");
	}
	vf_result_free(&res);
	free(slots);
	ck_assert_msg(out.present, "no %s finding: %s", prop, out.all);
	return out;
}

static struct seen verify_path(const char *src, const char *prop, uint32_t witness_findings,
                               uint64_t witness_steps)
{
	return verify_at(src, prop, VF_NO_INSN, witness_findings, witness_steps);
}

/* r6 is 2 on the taken side of insn 2 and 40 on the other; the taken side reaches the join at
 * insn 4 first, so the joined state ([2, 40]) carries its path. Only the not-taken side overruns
 * the 8-byte map value at insn 13. */
static const char numeric_join[] = "r2 = *(u32 *)(r1 + 12)\n" /* 0 */
                                   "r6 = 2\n"
                                   "if r2 == 7 goto join\n" /* 2 */
                                   "r6 = 40\n"
                                   "join:\n" LOOKUP        /* 4..10 */
                                   "if r0 == 0 goto out\n" /* 11 */
                                   "r0 += r6\n"
                                   "r1 = *(u8 *)(r0 + 0)\n" /* 13 */
                                   "out:\n"
                                   "r0 = 0\n"
                                   "exit\n";

START_TEST(numeric_join_takes_the_faulting_side)
{
	struct seen s = verify_path(numeric_join, "VF-MAP-VALUE-BOUNDS", 0, 0);
	ck_assert_uint_eq(s.insn, 13);
	ck_assert_msg(s.kind == VF_PATH_WITNESS, "not a witness: %s", s.path);
	ck_assert_str_eq(s.path, "2:not-taken 11:not-taken");
	ck_assert_uint_eq(s.omitted, 0);
	/* without the search: the path of the state that reached the join first, which does not
	 * overrun, marked as such */
	s = verify_path(numeric_join, "VF-MAP-VALUE-BOUNDS", VF_WITNESS_OFF, 0);
	ck_assert_uint_eq(s.kind, VF_PATH_MERGED);
	ck_assert_str_eq(s.path, "2:taken 11:not-taken");
}
END_TEST

/* Four independent branches give r6-r9 a pointer or a scalar: 16 shapes, more than a join point
 * keeps apart, so states of different shapes are joined and a checked map value (taken side of
 * insn 25) meets the unchecked result of a second lookup (not-taken side) in one nullable r4.
 * Only the not-taken side of insn 25 dereferences NULL at insn 34. */
static const char null_join[] = "r2 = *(u32 *)(r1 + 12)\n" /* 0 */
                                "r3 = *(u32 *)(r1 + 16)\n"
                                "*(u32 *)(r10 - 8) = r3\n"
                                "r6 = r1\n"
                                "if r2 & 0x1 goto a\n" /* 4 */
                                "r6 = 0\n"
                                "a:\n"
                                "r7 = r1\n"
                                "if r2 & 0x2 goto b\n" /* 7 */
                                "r7 = 0\n"
                                "b:\n"
                                "r8 = r1\n"
                                "if r2 & 0x4 goto c\n" /* 10 */
                                "r8 = 0\n"
                                "c:\n"
                                "r9 = r1\n"
                                "if r2 & 0x8 goto d\n" /* 13 */
                                "r9 = 0\n"
                                "d:\n" LOOKUP              /* 15..21 */
                                "if r0 == 0 goto out\n"    /* 22 */
                                "r4 = r0\n"                /* 23 */
                                "r3 = *(u32 *)(r10 - 8)\n" /* 24 */
                                "if r3 != 5 goto join\n"   /* 25 */
    LOOKUP                                                 /* 26..32 */
                                "r4 = r0\n"                /* 33 */
                                "join:\n"
                                "r0 = *(u64 *)(r4 + 0)\n" /* 34 */
                                "out:\n"
                                "r0 = 0\n"
                                "exit\n";

START_TEST(null_after_join_takes_the_null_side)
{
	struct seen s = verify_path(null_join, "VF-NULL-DEREF", 0, 0);
	ck_assert_uint_eq(s.insn, 34);
	ck_assert_msg(s.kind == VF_PATH_WITNESS, "not a witness: %s", s.path);
	/* fewest choices first, ties in the order the branches were met: fall-through first */
	ck_assert_str_eq(s.path, "4:not-taken 7:not-taken 10:not-taken 13:not-taken 22:not-taken "
	                         "25:not-taken");
	s = verify_path(null_join, "VF-NULL-DEREF", VF_WITNESS_OFF, 0);
	ck_assert_uint_eq(s.kind, VF_PATH_MERGED);
	ck_assert_msg(strstr(s.path, "25:taken") != NULL, "merged path: %s", s.path);
}
END_TEST

/* A counted loop of 3000 rounds, then an unchecked lookup: the witness goes round the loop 2999
 * times (one decision each) and keeps the last VF_WITNESS_PATH_KEEP decisions. */
static const char long_loop[] = "r6 = 0\n"
                                "l:\n"
                                "r6 += 1\n"               /* 1 */
                                "if r6 < 3000 goto l\n"   /* 2 */
    LOOKUP                                                /* 3..9 */
                                "r0 = *(u64 *)(r0 + 0)\n" /* 10 */
                                "r0 = 0\n"
                                "exit\n";

START_TEST(long_loop_witness_keeps_the_last_decisions)
{
	struct seen s = verify_path(long_loop, "VF-NULL-DEREF", 0, 0);
	ck_assert_uint_eq(s.insn, 10);
	ck_assert_msg(s.kind == VF_PATH_WITNESS, "not a witness: %s", s.path);
	ck_assert_uint_eq(s.cnt, 32);
	ck_assert_uint_eq(s.omitted, 3000 - 32);
	char want[2048];
	size_t n = 0;
	for (int i = 0; i < 31; i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "2:taken ");
	snprintf(want + n, sizeof(want) - n, "2:not-taken");
	ck_assert_str_eq(s.path, want);
}
END_TEST

START_TEST(budget_exhausted_keeps_the_merged_path)
{
	/* 3000 rounds need about 6000 instructions; 1000 are not enough */
	struct seen s = verify_path(long_loop, "VF-NULL-DEREF", 0, 1000);
	ck_assert_uint_eq(s.kind, VF_PATH_MERGED);
	ck_assert_str_eq(s.path, "2:not-taken");
	ck_assert_uint_eq(s.omitted, 0);
}
END_TEST

/* r6 + r7 is 8 on both paths, but the joined state has each in [2, 6]: the read at offset
 * r6 + r7 - 1 (7 on every path) may overrun only in the join. No path fails: the exhaustive
 * search finds none and the merged path stays. */
static const char join_only[] = "r2 = *(u32 *)(r1 + 12)\n"
                                "r6 = 2\n"
                                "r7 = 6\n"
                                "if r2 == 7 goto join\n" /* 3 */
                                "r6 = 6\n"
                                "r7 = 2\n"
                                "join:\n" LOOKUP "if r0 == 0 goto out\n" /* 13 */
                                "r6 += r7\n"
                                "r6 += -1\n"
                                "r0 += r6\n"
                                "r1 = *(u8 *)(r0 + 0)\n"
                                "out:\n"
                                "r0 = 0\n"
                                "exit\n";

START_TEST(no_witness_for_a_join_artefact)
{
	struct seen s = verify_path(join_only, "VF-MAP-VALUE-BOUNDS", 0, 0);
	ck_assert_uint_eq(s.kind, VF_PATH_MERGED);
	ck_assert_str_eq(s.path, "3:taken 13:not-taken");
}
END_TEST

START_TEST(at_most_n_findings_searched)
{
	/* two faults; with one search only the first found gets a witness */
	static const char two[] = "r2 = *(u32 *)(r1 + 12)\n"
	                          "r6 = 2\n"
	                          "if r2 == 7 goto join\n"
	                          "r6 = 40\n"
	                          "join:\n" LOOKUP "if r0 == 0 goto out\n"
	                          "r1 = r0\n"
	                          "r0 += r6\n"
	                          "r3 = *(u8 *)(r0 + 0)\n"  /* 14 */
	                          "r3 = *(u64 *)(r1 + 8)\n" /* 15 */
	                          "out:\n"
	                          "r0 = 0\n"
	                          "exit\n";
	struct seen a = verify_at(two, "VF-MAP-VALUE-BOUNDS", 14, 1, 0);
	struct seen b = verify_at(two, "VF-MAP-VALUE-BOUNDS", 15, 1, 0);
	ck_assert_msg(a.kind == VF_PATH_WITNESS, "%s", a.all);
	ck_assert_str_eq(a.path, "2:not-taken 11:not-taken");
	ck_assert_uint_eq(b.kind, VF_PATH_MERGED);
	b = verify_at(two, "VF-MAP-VALUE-BOUNDS", 15, 2, 0);
	ck_assert_uint_eq(b.kind, VF_PATH_WITNESS);
	/* it fails on every path: the first met, fall-through sides first */
	ck_assert_str_eq(b.path, "2:not-taken 11:not-taken");
}
END_TEST

START_TEST(findings_without_a_state_have_no_path)
{
	/* a loop the analysis cannot bound: reported for the loop, not on a state */
	struct seen s = verify_path("r1 = *(u32 *)(r1 + 12)\nl:\nif r1 > 3 goto l\nr0 = 0\nexit\n",
	                            "VF-LOOP-UNBOUNDED", 0, 0);
	ck_assert_uint_eq(s.kind, VF_PATH_NONE);
	ck_assert_uint_eq(s.cnt, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify_witness");
	TCase *tc = tcase_create("witness");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, numeric_join_takes_the_faulting_side);
	tcase_add_test(tc, null_after_join_takes_the_null_side);
	tcase_add_test(tc, long_loop_witness_keeps_the_last_decisions);
	tcase_add_test(tc, budget_exhausted_keeps_the_merged_path);
	tcase_add_test(tc, no_witness_for_a_join_artefact);
	tcase_add_test(tc, at_most_n_findings_searched);
	tcase_add_test(tc, findings_without_a_state_have_no_path);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
