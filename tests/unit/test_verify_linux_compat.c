/* VF-KERNEL-IMPRECISE (specs/verifier.md, "Linux compatibility"): a note where bpfcheck proves an
 * access or a loop in a way the Linux verifier does not, an error with vf_options.linux_compat;
 * each case next to a near miss written the way Linux proves it, which gets no note. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/verify.h"
#include "testutil.h"
#include "vftest.h"

#define KI "VF-KERNEL-IMPRECISE"

/* accepted with a VF-KERNEL-IMPRECISE note; rejected with it as an error under linux_compat */
#define NOTE(type, src)                                                                                      \
	do {                                                                                                 \
		struct vft_outcome o_ = vft_verify_asm(type, src, NULL, 0, NULL, KI);                        \
		ck_assert_msg(o_.accepted &&o_.count == 1 && o_.warnings == 0,                               \
		              "expected a pass with one note:\n%s\nfindings: %s", src, o_.all);              \
		struct vf_options lc_;                                                                       \
		vf_options_default(&lc_);                                                                    \
		lc_.linux_compat = true;                                                                     \
		o_ = vft_verify_asm(type, src, NULL, 0, &lc_, KI);                                           \
		ck_assert_msg(!o_.accepted && o_.count == 1,                                                 \
		              "expected a rejection with --linux-compat:\n%s\nfindings: %s", src, o_.all);   \
	} while (0)

/* accepted with no VF-KERNEL-IMPRECISE, also under linux_compat */
#define CLEAN(type, src)                                                                                     \
	do {                                                                                                 \
		struct vf_options lc_;                                                                       \
		vf_options_default(&lc_);                                                                    \
		lc_.linux_compat = true;                                                                     \
		struct vft_outcome o_ = vft_verify_asm(type, src, NULL, 0, &lc_, KI);                        \
		ck_assert_msg(o_.accepted &&o_.count == 0, "expected a clean pass:\n%s\nfindings: %s", src,  \
		              o_.all);                                                                       \
	} while (0)

#define REJECT(type, src, prop)                                                                              \
	do {                                                                                                 \
		struct vft_outcome o_ = vft_verify_asm(type, src, NULL, 0, NULL, prop);                      \
		ck_assert_msg(!o_.accepted && o_.count > 0, "expected %s:\n%s\nfindings: %s", prop, src,     \
		              o_.all);                                                                       \
	} while (0)

/* xdp: r2 = data, r3 = data_end, r5 = an unknown number below 2^32 */
#define XDP_HEAD "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr5 = *(u32 *)(r1 + 12)\n"

START_TEST(packet_length)
{
	/* the offset compared with data_end - data: proven by the zone only */
	NOTE("xdp", XDP_HEAD "r4 = r3\nr4 -= r2\nr6 = r5\nr6 += 4\nif r6 > r4 goto out\n"
	                     "r2 += r5\nr0 = *(u32 *)(r2 + 0)\nout:\nr0 = 0\nexit\n");
	/* a packet pointer compared with another packet pointer that was compared with data_end */
	NOTE("xdp", XDP_HEAD "r5 &= 255\nr7 = r2\nr7 += 64\nif r7 > r3 goto out\nr2 += r5\nr6 = r2\n"
	                     "r6 += 4\nif r6 > r7 goto out\nr0 = *(u32 *)(r2 + 0)\nout:\nr0 = 0\nexit\n");
	/* near miss: the pointer itself compared with data_end */
	CLEAN("xdp", XDP_HEAD "r5 &= 255\nr2 += r5\nr6 = r2\nr6 += 4\nif r6 > r3 goto out\n"
	                      "r0 = *(u32 *)(r2 + 0)\nout:\nr0 = 0\nexit\n");
	/* metadata is always proven through the zone, as Linux does (meta + n <= data): no note */
	CLEAN("xdp", "r2 = *(u32 *)(r1 + 8)\nr3 = *(u32 *)(r1 + 0)\nr4 = r2\nr4 += 4\n"
	             "if r4 > r3 goto out\nr0 = *(u32 *)(r2 + 0)\nout:\nr0 = 0\nexit\n");
}
END_TEST

/* Each path checks its own pointer against data_end, then the paths join (Linux, which does not
 * join, proves the access on each): the join keeps the smaller proven range. */
#define JOIN(ACCESS)                                                                                         \
	XDP_HEAD                                                                                             \
	"r6 = r5\nif r5 > 7 goto b\nr6 &= 7\nr2 += r6\nr7 = r2\nr7 += 8\nif r7 > r3 goto out\n"              \
	"goto c\nb:\nr6 &= 15\nr2 += r6\nr2 += 4\nr7 = r2\nr7 += 12\nif r7 > r3 goto out\nc:\n" ACCESS       \
	"out:\nr0 = 0\nexit\n"

/* r5 = r7 + 14 on two paths whose r7 differ by a fixed offset of 10 and a variable part, joined
 * before r7 + 10 is compared with data_end */
#define SHARED(ACCESS)                                                                                       \
	"r7 = *(u32 *)(r1 + 0)\nr8 = *(u32 *)(r1 + 4)\nr4 = *(u32 *)(r1 + 12)\nif r4 > 100 goto a\n"         \
	"r4 &= 15\nr7 += r4\nr7 += 10\nr5 = r7\nr5 += 14\ngoto j\na:\nr4 &= 15\nr7 += r4\nr5 = r7\n"         \
	"r5 += 14\nj:\nr3 = r7\nr3 += 10\nif r3 >= r8 goto out\n" ACCESS "out:\nr0 = 0\nexit\n"

START_TEST(join_keeps_range)
{
	/* r5 still shares r7's variable part, 14 bytes further: r7 + 10 < data_end proves 10 bytes
	 * from r7 (as Linux counts a strict comparison), so r5 - 5 */
	CLEAN("xdp", SHARED("r0 = *(u8 *)(r5 - 5)\n"));
	/* and not r5 + 3 (this was accepted when joins moved both fixed offsets into the variable part
	 * under one packet id: the comparison of r7's copy gave r5 a range measured from r7's base) */
	REJECT("xdp", SHARED("r0 = *(u32 *)(r5 + 3)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", SHARED("r0 = *(u8 *)(r5 + 0)\n"), "VF-PACKET-BOUNDS");
	CLEAN("xdp", JOIN("r0 = *(u64 *)(r2 + 0)\n"));
	/* one byte more fails on the first path: still rejected */
	REJECT("xdp", JOIN("r0 = *(u64 *)(r2 + 1)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", JOIN("r0 = *(u8 *)(r2 + 8)\n"), "VF-PACKET-BOUNDS");
}
END_TEST

START_TEST(loop_by_relation)
{
	/* i from an unknown s to s + 10: bounded by the distance only */
	NOTE("xdp", "r1 = *(u32 *)(r1 + 12)\nr2 = r1\nr2 += 10\nloop:\nif r1 >= r2 goto out\n"
	            "r1 += 1\ngoto loop\nout:\nr0 = 0\nexit\n");
	/* near miss: the counter compared with a constant */
	CLEAN("xdp", "r1 = *(u32 *)(r1 + 12)\nr3 = 0\nloop:\nif r3 >= 10 goto out\nr3 += 1\nr1 += 1\n"
	             "goto loop\nout:\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(packet_walk)
{
	/* no counter: bounded only by the packet's size */
	NOTE("xdp", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nloop:\nr4 = r2\nr4 += 4\n"
	            "if r4 > r3 goto out\nr0 = *(u32 *)(r2 + 0)\nr2 = r4\ngoto loop\nout:\nr0 = 0\nexit\n");
	/* near miss: a counter bounded by a constant as well */
	CLEAN("xdp", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr6 = 0\nloop:\nif r6 >= 64 goto out\n"
	             "r4 = r2\nr4 += 4\nif r4 > r3 goto out\nr0 = *(u32 *)(r2 + 0)\nr2 = r4\nr6 += 1\n"
	             "goto loop\nout:\nr0 = 0\nexit\n");
}
END_TEST

START_TEST(cli_linux_compat)
{
	static const char src[] = XDP_HEAD "r4 = r3\nr4 -= r2\nr6 = r5\nr6 += 4\nif r6 > r4 goto out\n"
	                                   "r2 += r5\nr0 = *(u32 *)(r2 + 0)\nout:\nr0 = 0\nexit\n";
	char *path = tu_write_temp(src, strlen(src), ".s");
	const char *plain[] = {"verify", "--type", "xdp", path, NULL};
	struct tu_result r = tu_run_cli(plain, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "PASS ") && strstr(r.out, ": note: ") &&
	                  strstr(r.out, "[" KI "]") && strstr(r.out, "1 note"),
	              "exit %d: %s%s", r.exit_code, r.out, r.err);
	tu_result_free(&r);
	const char *lc[] = {"verify", "--linux-compat", "--type", "xdp", path, NULL};
	r = tu_run_cli(lc, NULL);
	ck_assert_msg(r.exit_code == 1 && strstr(r.out, "FAIL ") && strstr(r.out, ": error: ") &&
	                  strstr(r.out, "[" KI "]"),
	              "exit %d: %s%s", r.exit_code, r.out, r.err);
	tu_result_free(&r);
	const char *json[] = {"verify", "--format", "json", "--type", "xdp", path, NULL};
	r = tu_run_cli(json, NULL);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, "\"severity\": \"note\""), "exit %d: %s%s",
	              r.exit_code, r.out, r.err);
	tu_result_free(&r);
	const char *help[] = {"verify", "--help", NULL};
	r = tu_run_cli(help, NULL);
	ck_assert_msg(strstr(r.out, "--linux-compat") != NULL, "%s", r.out);
	tu_result_free(&r);
	remove(path);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify_linux_compat");
	TCase *tc = tcase_create("notes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, packet_length);
	tcase_add_test(tc, join_keeps_range);
	tcase_add_test(tc, loop_by_relation);
	tcase_add_test(tc, packet_walk);
	tcase_add_test(tc, cli_linux_compat);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
