/* The zone (relations between packet pointers and data_end) in the engine: programs that pass only
 * because a relation survives a join, a copy or an offset change, and near misses that must fail. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/verify.h"
#include "vftest.h"

#define PASS(type, src)                                                                                      \
	do {                                                                                                 \
		struct vft_outcome o_ = vft_verify_asm(type, src, NULL, 0, NULL, NULL);                      \
		ck_assert_msg(o_.accepted, "expected to pass:\n%s\nfindings: %s", src, o_.all);              \
	} while (0)
#define REJECT(type, src, prop)                                                                              \
	do {                                                                                                 \
		struct vft_outcome o_ = vft_verify_asm(type, src, NULL, 0, NULL, prop);                      \
		ck_assert_msg(!o_.accepted && (!(prop) || o_.count > 0), "expected %s:\n%s\nfindings: %s",   \
		              prop ? prop : "a rejection", src, o_.all);                                     \
	} while (0)

/* xdp: r2 = data, r3 = data_end, r5 = ingress_ifindex (unknown); two paths check r4 against
 * data_end at different fixed offsets (A and B), step back by BACK and join before the access */
#define JOIN(A, B, CMP, BACK, BETWEEN, ACCESS)                                                               \
	"r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr5 = *(u32 *)(r1 + 12)\nr4 = r2\n"                    \
	"if r5 == 0 goto a\nr4 += " A "\nif r4 " CMP " r3 goto out\nr4 += -" BACK "\ngoto j\n"               \
	"a:\nr4 += " B "\nif r4 " CMP " r3 goto out\nr4 += -" BACK "\nj:\n" BETWEEN ACCESS                   \
	"out:\nr0 = 0\nexit\n"

START_TEST(relation_survives_join)
{
	/* both paths: r4 + 4 <= data_end, at offsets 10 and 16 */
	PASS("xdp", JOIN("14", "20", ">", "4", "", "r0 = *(u32 *)(r4 + 0)\n"));
	PASS("xdp", JOIN("14", "20", ">", "4", "", "r0 = *(u16 *)(r4 + 2)\n"));
	/* one byte too far */
	REJECT("xdp", JOIN("14", "20", ">", "4", "", "r0 = *(u32 *)(r4 + 1)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", JOIN("14", "20", ">", "4", "", "r0 = *(u8 *)(r4 + 4)\n"), "VF-PACKET-BOUNDS");
	/* "r4 >= end" taken is out: r4 < end, one more byte */
	PASS("xdp", JOIN("14", "20", ">=", "4", "", "r0 = *(u8 *)(r4 + 4)\n"));
	REJECT("xdp", JOIN("14", "20", ">=", "4", "", "r0 = *(u8 *)(r4 + 5)\n"), "VF-PACKET-BOUNDS");
	/* the comparison on one path only */
	REJECT("xdp",
	       "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr5 = *(u32 *)(r1 + 12)\nr4 = r2\n"
	       "if r5 == 0 goto a\nr4 += 14\nif r4 > r3 goto out\nr4 += -4\ngoto j\n"
	       "a:\nr4 += 16\nj:\nr0 = *(u32 *)(r4 + 0)\nout:\nr0 = 0\nexit\n",
	       "VF-PACKET-BOUNDS");
}
END_TEST

START_TEST(copies_and_offsets)
{
	/* a copy keeps the relation, a constant added shifts it */
	PASS("xdp", JOIN("14", "20", ">", "4", "r6 = r4\nr6 += 2\n", "r0 = *(u16 *)(r6 + 0)\n"));
	REJECT("xdp", JOIN("14", "20", ">", "4", "r6 = r4\nr6 += 2\n", "r0 = *(u32 *)(r6 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	PASS("xdp", JOIN("14", "20", ">", "4", "r4 += -6\n", "r0 = *(u32 *)(r4 + 6)\n"));
	REJECT("xdp", JOIN("14", "20", ">", "4", "r4 += 30\n", "r0 = *(u8 *)(r4 + 0)\n"), "VF-PACKET-BOUNDS");
	/* the copy's source overwritten: the copy keeps its relation, the source loses it */
	PASS("xdp", JOIN("14", "20", ">", "4", "r6 = r4\nr4 = r2\nr4 += 8\n", "r0 = *(u32 *)(r6 + 0)\n"));
	REJECT("xdp", JOIN("14", "20", ">", "4", "r6 = r4\nr4 = r2\nr4 += 8\n", "r0 = *(u32 *)(r4 + 8)\n"),
	       "VF-PACKET-BOUNDS");
	/* a variable added makes a new value: no relation */
	REJECT("xdp", JOIN("14", "20", ">", "4", "r7 = r5\nr7 &= 3\nr4 += r7\n", "r0 = *(u32 *)(r4 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	/* a loaded value replaces the register */
	REJECT("xdp", JOIN("14", "20", ">", "4", "r4 = *(u32 *)(r1 + 0)\n", "r0 = *(u32 *)(r4 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	/* a helper that moves the packet: no relation (and no packet pointer) survives */
	REJECT("xdp",
	       JOIN("14", "20", ">", "4", "r6 = r4\nr7 = r1\nr1 = r7\nr2 = 4\ncall 44\n",
	            "r0 = *(u8 *)(r6 + 0)\n"),
	       NULL);
}
END_TEST

START_TEST(variable_offset)
{
	/* r2 = data + ihl * 4; if r2 + 20 > data_end goto out; read at r2 + 16 */
	const char *ihl = "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 1\n"
	                  "if r4 > r3 goto out\nr5 = *(u8 *)(r2 + 0)\nr5 &= 15\nr5 <<= 2\nr2 += r5\n"
	                  "r6 = r2\nr6 += 20\nif r6 > r3 goto out\n";
	char buf[1024];
	snprintf(buf, sizeof(buf), "%sr0 = *(u32 *)(r2 + 16)\nout:\nr0 = 0\nexit\n", ihl);
	PASS("xdp", buf);
	snprintf(buf, sizeof(buf), "%sr0 = *(u32 *)(r2 + 17)\nout:\nr0 = 0\nexit\n", ihl);
	REJECT("xdp", buf, "VF-PACKET-BOUNDS");
}
END_TEST

/* r6 = data + 40 checked against data_end; r4 = data + ihl * 4 + 14 compared with r6 only: the
 * zone chains r4 + 8 <= r6 <= data_end */
#define PAIR(CMP, ACCESS)                                                                                    \
	"r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr6 = r2\nr6 += 40\nif r6 > r3 goto out\n"             \
	"r5 = *(u8 *)(r2 + 0)\nr5 &= 7\nr5 <<= 2\nr4 = r2\nr4 += r5\nr4 += 14\nr7 = r4\nr7 += 8\n"           \
	"if r7 " CMP " r6 goto out\n" ACCESS "out:\nr0 = 0\nexit\n"

START_TEST(pointer_pairs)
{
	PASS("xdp", PAIR(">", "r0 = *(u64 *)(r4 + 0)\n"));
	PASS("xdp", PAIR(">=", "r0 = *(u8 *)(r4 + 8)\n"));
	REJECT("xdp", PAIR(">", "r0 = *(u8 *)(r4 + 8)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", PAIR(">=", "r0 = *(u8 *)(r4 + 9)\n"), "VF-PACKET-BOUNDS");
	/* equality relates too, inequality does not */
	PASS("xdp", PAIR("!=", "r0 = *(u64 *)(r4 + 0)\n"));
	REJECT("xdp", PAIR("==", "r0 = *(u64 *)(r4 + 0)\n"), "VF-PACKET-BOUNDS");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify_zone");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, relation_survives_join);
	tcase_add_test(tc, copies_and_offsets);
	tcase_add_test(tc, variable_offset);
	tcase_add_test(tc, pointer_pairs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
