/* The zone (relations between packet pointers, data_end, data_meta and bounded scalars) in the
 * engine: programs that pass only because a relation survives a join, a copy, a spill or an
 * offset change, or because two scalars were compared, and near misses that must fail. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/verify.h"
#include "testutil.h"
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

START_TEST(spilled_packet_pointers)
{
	/* r4 + 8 <= r6 <= data_end holds only in the zone (r4 has a variable part); a spill and a
	 * fill keep it */
	PASS("xdp",
	     PAIR(">", "*(u64 *)(r10 - 8) = r4\nr4 = 0\nr8 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r8 + 0)\n"));
	REJECT("xdp",
	       PAIR(">", "*(u64 *)(r10 - 8) = r4\nr4 = 0\nr8 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r8 + 1)\n"),
	       "VF-PACKET-BOUNDS");
	/* filled through another stack pointer to the same slot */
	PASS("xdp", PAIR(">", "*(u64 *)(r10 - 16) = r4\nr4 = 0\nr9 = r10\nr9 += -8\nr8 = *(u64 *)(r9 - 8)\n"
	                      "r0 = *(u64 *)(r8 + 0)\n"));
	/* the slot overwritten by another spill holds the new pointer's relation */
	PASS("xdp", PAIR(">", "*(u64 *)(r10 - 8) = r4\nr7 = r4\nr7 += 1\n*(u64 *)(r10 - 8) = r7\n"
	                      "r8 = *(u64 *)(r10 - 8)\nr0 = *(u32 *)(r8 + 3)\n"));
	REJECT("xdp",
	       PAIR(">", "*(u64 *)(r10 - 8) = r4\nr7 = r4\nr7 += 1\n*(u64 *)(r10 - 8) = r7\n"
	                 "r8 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r8 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	/* overwritten by a pointer with no relation, or partly by a number: forgotten */
	REJECT("xdp",
	       PAIR(">", "*(u64 *)(r10 - 8) = r4\nr7 = r4\nr7 += r5\n*(u64 *)(r10 - 8) = r7\n"
	                 "r8 = *(u64 *)(r10 - 8)\nr0 = *(u8 *)(r8 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	REJECT("xdp",
	       PAIR(">", "*(u64 *)(r10 - 8) = r4\n*(u32 *)(r10 - 4) = 0\nr8 = *(u64 *)(r10 - 8)\n"
	                 "r0 = *(u8 *)(r8 + 0)\n"),
	       NULL);
	/* a stack slot is per frame, and a helper call forgets the packet's relations */
	REJECT(
	    "xdp",
	    PAIR(">",
	         "*(u64 *)(r10 - 8) = r4\nr9 = r1\ncall 7\nr8 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r8 + 0)\n"),
	    "VF-PACKET-BOUNDS");
}
END_TEST

/* xdp: r2 = data_meta, r3 = data; the metadata area [data_meta, data) is bounded by comparing a
 * meta pointer with data */
#define META(SETUP, CMP, ACCESS)                                                                             \
	"r2 = *(u32 *)(r1 + 8)\nr3 = *(u32 *)(r1 + 0)\n" SETUP "if " CMP " goto out\n" ACCESS                \
	"out:\nr0 = 0\nexit\n"

START_TEST(meta_pointers)
{
	PASS("xdp", META("r4 = r2\nr4 += 4\n", "r4 > r3", "r0 = *(u32 *)(r2 + 0)\n"));
	PASS("xdp", META("r4 = r2\nr4 += 4\n", "r3 < r4", "r0 = *(u32 *)(r4 - 4)\n"));
	PASS("xdp", META("r4 = r2\nr4 += 4\n", "r4 >= r3", "r0 = *(u8 *)(r2 + 4)\n"));
	PASS("xdp", META("r4 = r2\nr4 += 8\n", "r4 > r3", "*(u32 *)(r2 + 4) = 1\n"));
	/* one byte too far, before data_meta, no check, the check on the wrong side */
	REJECT("xdp", META("r4 = r2\nr4 += 4\n", "r4 > r3", "r0 = *(u32 *)(r2 + 1)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", META("r4 = r2\nr4 += 4\n", "r4 > r3", "r0 = *(u8 *)(r2 - 1)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", META("r4 = r2\nr4 += 4\n", "r4 < r3", "r0 = *(u32 *)(r2 + 0)\n"), "VF-PACKET-BOUNDS");
	REJECT("xdp", "r2 = *(u32 *)(r1 + 8)\nr0 = *(u8 *)(r2 + 0)\nr0 = 0\nexit\n", "VF-PACKET-BOUNDS");
	/* data_meta loaded anew after the check is not in bounds (as in Linux) */
	REJECT("xdp", META("r4 = r2\nr4 += 4\n", "r4 > r3", "r2 = *(u32 *)(r1 + 8)\nr0 = *(u32 *)(r2 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	/* a meta pointer spilled and filled keeps its relation */
	PASS("xdp", META("r4 = r2\nr4 += 4\n", "r4 > r3",
	                 "*(u64 *)(r10 - 8) = r2\nr2 = 0\nr5 = *(u64 *)(r10 - 8)\n"
	                 "r0 = *(u32 *)(r5 + 0)\n"));
}
END_TEST

/* xdp: r6 = ingress_ifindex, r7 = rx_queue_index (unknown u32); the last branch reaches an
 * uninitialised read (r9) unless the earlier comparisons decide it */
#define SCALARS(FIRST, SECOND, LAST)                                                                         \
	"r6 = *(u32 *)(r1 + 12)\nr7 = *(u32 *)(r1 + 16)\n" FIRST "\n" SECOND "\nif " LAST                    \
	" goto out\nr0 = *(u64 *)(r9 + 0)\nout:\nr0 = 0\nexit\n"

START_TEST(scalar_relations)
{
	/* r6 < r7, then r7 <= 100: r6 <= 99 (the intervals learnt r6's bound before r7's) */
	PASS("xdp", SCALARS("if r6 >= r7 goto out", "if r7 > 100 goto out", "r6 < 100"));
	REJECT("xdp", SCALARS("if r6 >= r7 goto out", "if r7 > 100 goto out", "r6 < 99"), "VF-UNINIT-REG");
	REJECT("xdp", SCALARS("if r6 > r7 goto out", "if r7 > 100 goto out", "r6 < 100"), "VF-UNINIT-REG");
	/* every order and signedness, either operand first */
	PASS("xdp", SCALARS("if r7 <= r6 goto out", "if r7 > 100 goto out", "r6 < 100"));
	PASS("xdp", SCALARS("if r6 s>= r7 goto out", "if r7 > 100 goto out", "r6 < 100"));
	PASS("xdp", SCALARS("if r7 s> r6 goto body\ngoto out\nbody:", "if r7 > 100 goto out", "r6 < 100"));
	PASS("xdp", SCALARS("if r6 == r7 goto body\ngoto out\nbody:", "if r7 > 100 goto out", "r6 < 101"));
	REJECT("xdp", SCALARS("if r6 != r7 goto body\ngoto out\nbody:", "if r7 > 100 goto out", "r6 < 101"),
	       "VF-UNINIT-REG");
	/* 32-bit comparisons of values below 2^32 */
	PASS("xdp", SCALARS("if w6 >= w7 goto out", "if r7 > 100 goto out", "r6 < 100"));
	PASS("xdp", SCALARS("r6 &= 0xffff\nr7 &= 0xffff\nif w6 s>= w7 goto out", "if r7 > 100 goto out",
	                    "r6 < 100"));
	/* signed 32-bit: a u32 value above 2^31 compares as negative */
	REJECT("xdp", SCALARS("if w6 s>= w7 goto out", "if r7 > 100 goto out", "r6 < 100"), "VF-UNINIT-REG");
	/* ... not when a value may have more bits: the comparison says nothing of the high half */
	REJECT("xdp", SCALARS("r6 <<= 32\nif w6 >= w7 goto out", "if r7 > 100 goto out", "r6 < 100"),
	       "VF-UNINIT-REG");
	/* copies and constants added keep the relation */
	PASS("xdp", SCALARS("r8 = r6\nif r8 >= r7 goto out", "if r7 > 100 goto out", "r6 < 100"));
	PASS("xdp", SCALARS("*(u64 *)(r10 - 8) = r6\nr8 = *(u64 *)(r10 - 8)\nif r8 >= r7 goto out",
	                    "if r7 > 100 goto out", "r6 < 100"));
	/* (a first relation, r3 <= r6, makes the zone that then follows r8 = r6 + 5) */
	PASS("xdp",
	     SCALARS("r3 = *(u32 *)(r1 + 12)\nif r3 > r6 goto out\nr8 = r6\nr8 += 5\nif r8 > r7 goto out",
	             "if r7 > 100 goto out", "r6 < 96"));
	REJECT("xdp",
	       SCALARS("r3 = *(u32 *)(r1 + 12)\nif r3 > r6 goto out\nr8 = r6\nr8 += 4\nif r8 > r7 goto out",
	               "if r7 > 100 goto out", "r6 < 96"),
	       "VF-UNINIT-REG");
	PASS("xdp",
	     SCALARS("if r6 >= r7 goto out\nr8 = r6\nr8 += 3\nr6 = 0", "if r7 > 100 goto out", "r8 < 103"));
	/* r6 - 3 may wrap below 0: no relation */
	REJECT("xdp",
	       SCALARS("if r6 >= r7 goto out\nr8 = r6\nr8 -= 3\nr6 = 0", "if r7 > 100 goto out", "r8 < 97"),
	       "VF-UNINIT-REG");
	/* a spilled scalar keeps its relation; r1-r5 lose theirs at a call, r6-r9 keep them */
	PASS("xdp", SCALARS("if r6 >= r7 goto out\n*(u64 *)(r10 - 8) = r6\nr6 = 0\nr1 = 0\ncall 7",
	                    "if r7 > 100 goto out\nr6 = *(u64 *)(r10 - 8)", "r6 < 100"));
	REJECT("xdp",
	       SCALARS("r2 = r6\nif r2 >= r7 goto out\nr1 = 0\ncall 7", "if r7 > 100 goto out", "r2 < 100"),
	       NULL);
	/* an addition that may wrap or a non-constant addition forgets */
	REJECT("xdp", SCALARS("if r6 >= r7 goto out\nr6 += -1", "if r7 > 100 goto out", "r6 < 99"),
	       "VF-UNINIT-REG");
	REJECT("xdp",
	       SCALARS("if r6 >= r7 goto out\nr8 = 1\nr6 += r8\nr6 *= 1", "if r7 > 100 goto out", "r6 < 101"),
	       "VF-UNINIT-REG");
	/* values that may exceed 2^62 stay out of the zone */
	REJECT("xdp",
	       SCALARS("r6 <<= 40\nr7 <<= 40\nif r6 >= r7 goto out\nr6 >>= 40\nr7 >>= 40",
	               "if r7 > 100 goto out", "r6 < 100"),
	       "VF-UNINIT-REG");
}
END_TEST

/* xdp: len = data_end - data (privileged), off = ingress_ifindex; "if (off + 4 > len) return;"
 * then data + off is 4 bytes below data_end: the zone links len to data_end and the pointer to off */
#define LEN(LENGTH, CHECK, ACCESS)                                                                           \
	"r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\n" LENGTH "r5 = *(u32 *)(r1 + 12)\nr6 = r5\n" CHECK    \
	"if r6 > r4 goto out\n" ACCESS "out:\nr0 = 0\nexit\n"

START_TEST(variable_offsets_from_length)
{
	PASS("xdp", LEN("r4 = r3\nr4 -= r2\n", "r6 += 4\n", "r2 += r5\nr0 = *(u32 *)(r2 + 0)\n"));
	/* the length truncated to 32 bits (it is below 64 KiB), the offset added to a copy */
	PASS("xdp",
	     LEN("r4 = r3\nr4 -= r2\nw4 = w4\n", "r6 += 4\n", "r7 = r2\nr7 += r5\nr0 = *(u16 *)(r7 + 2)\n"));
	/* the length measured from data + 2, once data + 2 <= data_end is known (else the
	 * difference may be negative: no relation) */
	PASS("xdp", LEN("r8 = r2\nr8 += 2\nif r8 > r3 goto out\nr4 = r3\nr4 -= r8\n", "r6 += 6\n",
	                "r2 += r5\nr0 = *(u64 *)(r2 + 0)\n"));
	REJECT("xdp",
	       LEN("r8 = r2\nr8 += 2\nr4 = r3\nr4 -= r8\n", "r6 += 6\n", "r2 += r5\nr0 = *(u64 *)(r2 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	/* near misses: one byte short, the length taken the wrong way round, the pointer reloaded */
	REJECT("xdp", LEN("r4 = r3\nr4 -= r2\n", "r6 += 3\n", "r2 += r5\nr0 = *(u32 *)(r2 + 0)\n"),
	       "VF-PACKET-BOUNDS");
	REJECT("xdp",
	       LEN("r8 = r2\nr8 += 2\nif r8 > r3 goto out\nr4 = r3\nr4 -= r8\n", "r6 += 6\n",
	           "r2 += r5\nr0 = *(u64 *)(r2 + 1)\n"),
	       "VF-PACKET-BOUNDS");
	REJECT("xdp", LEN("r4 = r2\nr4 -= r3\n", "r6 += 4\n", "r2 += r5\nr0 = *(u32 *)(r2 + 0)\n"), NULL);
	REJECT("xdp",
	       LEN("r4 = r3\nr4 -= r2\n", "r6 += 4\n",
	           "r2 = *(u32 *)(r1 + 0)\nr2 += r5\nr0 = *(u32 *)(r2 + 0)\n"),
	       "VF-PACKET-BOUNDS");
}
END_TEST

/* r6 copied into n stack slots (each a zone variable), then "r8 = r6; if r8 >= r7; if r7 > 100"
 * must bound r6 below 100 through the zone */
static void spill_copies(char *buf, size_t len, int n)
{
	size_t at = (size_t)snprintf(buf, len, "r6 = *(u32 *)(r1 + 12)\nr7 = *(u32 *)(r1 + 16)\nr9 = r6\n");
	for (int i = 1; i <= n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "*(u64 *)(r10 - %d) = r6\n", 8 * i);
	if (at < len)
		snprintf(buf + at, len - at,
		         "r8 = r6\nif r8 >= r7 goto out\nif r7 > 100 goto out\nif r6 < 100 goto out\n"
		         "r0 = *(u64 *)(r4 + 0)\nout:\nr0 = 0\nexit\n");
}

START_TEST(variable_cap)
{
	char buf[4096];
	spill_copies(buf, sizeof(buf), 10);
	PASS("xdp", buf);
	/* 20 slots, r6, r9, r8 and ZERO fill the 24 variables: r7 finds no room, the comparison
	 * relates nothing (a relation lost, never a wrong one) */
	spill_copies(buf, sizeof(buf), 20);
	REJECT("xdp", buf, "VF-UNINIT-REG");
	/* overwriting the slots frees their variables again */
	spill_copies(buf, sizeof(buf), 20);
	char *at = strstr(buf, "r8 = r6\n");
	ck_assert_ptr_nonnull(at);
	char tail[512];
	snprintf(tail, sizeof(tail), "%s", at);
	size_t off = (size_t)(at - buf);
	for (int i = 1; i <= 20; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "*(u64 *)(r10 - %d) = r7\n", 8 * i);
	snprintf(buf + off, sizeof(buf) - off, "%s", tail);
	PASS("xdp", buf);
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
	tcase_add_test(tc, spilled_packet_pointers);
	tcase_add_test(tc, meta_pointers);
	tcase_add_test(tc, scalar_relations);
	tcase_add_test(tc, variable_offsets_from_length);
	tcase_add_test(tc, variable_cap);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
