/* The reference interpreter: every semantic tag with edge values, byte orders, calls, helpers,
 * packet loads, and every fault kind (out of bounds, read-only, budget, bad instruction, call
 * depth, falling off the end). Programs are built from slots by hand. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/interp.h"
#include "testutil.h"

#define S(op, d, s, o, i) ((struct isa_slot){.opcode = (op), .dst = (d), .src = (s), .off = (o), .imm = (i)})
#define EXIT S(0x95, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint64_t I64MIN = 0x8000000000000000ull;

static struct isa_interp_result run(const struct isa_slot *p, size_t n, uint8_t *mem, size_t len,
                                    const struct isa_interp_opts *o)
{
	struct isa_interp_result res;
	struct bpfc_error err;
	ck_assert_int_eq(isa_interp_exec(p, n, mem, len, o, &res, &err), BPFC_OK);
	return res;
}

static uint64_t run_ok(const struct isa_slot *p, size_t n, uint8_t *mem, size_t len)
{
	struct isa_interp_result res = run(p, n, mem, len, NULL);
	ck_assert_msg(res.fault == ISA_FAULT_NONE, "unexpected fault %s: %s",
	              isa_interp_fault_name(res.fault), res.msg);
	return res.r0;
}

/* lddw r0, a; lddw r1, b; OP r0, r1 (offset off); exit */
static uint64_t alu_x(uint8_t opcode, int16_t off, uint64_t a, uint64_t b)
{
	struct isa_slot p[] = {S(0x18, 0, 0, 0, (int32_t)(uint32_t)a),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(a >> 32)),
	                       S(0x18, 1, 0, 0, (int32_t)(uint32_t)b),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(b >> 32)),
	                       S(opcode, 0, 1, off, 0),
	                       EXIT};
	return run_ok(p, N(p), NULL, 0);
}

/* lddw r0, a; OP r0, imm (offset off); exit */
static uint64_t alu_k(uint8_t opcode, int16_t off, uint64_t a, int32_t imm)
{
	struct isa_slot p[] = {S(0x18, 0, 0, 0, (int32_t)(uint32_t)a),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(a >> 32)), S(opcode, 0, 0, off, imm), EXIT};
	return run_ok(p, N(p), NULL, 0);
}

START_TEST(add_sub_mul)
{
	ck_assert_uint_eq(alu_x(0x0f, 0, ~0ull, 1), 0);
	ck_assert_uint_eq(alu_x(0x0c, 0, 0x1234567800000001ull, 1), 2);
	ck_assert_uint_eq(alu_x(0x0c, 0, 0xffffffff00000001ull, 0xffffffff), 0);
	ck_assert_uint_eq(alu_k(0x07, 0, 5, -1), 4);
	ck_assert_uint_eq(alu_k(0x04, 0, 0, -1), 0xffffffffull);
	ck_assert_uint_eq(alu_x(0x1c, 0, 0, 1), 0xffffffffull);
	ck_assert_uint_eq(alu_x(0x1f, 0, 0, 1), ~0ull);
	ck_assert_uint_eq(alu_k(0x17, 0, I64MIN, 1), 0x7fffffffffffffffull);
	ck_assert_uint_eq(alu_x(0x2c, 0, 0x80000000, 0xffffffff), 0x80000000ull);
	ck_assert_uint_eq(alu_x(0x2f, 0, I64MIN, ~0ull), I64MIN);
	ck_assert_uint_eq(alu_k(0x27, 0, 3, -2), (uint64_t)-6);
	ck_assert_uint_eq(alu_k(0x24, 0, 0x1ffffffffull, 2), 0xfffffffeull);
}
END_TEST

START_TEST(unsigned_div_mod)
{
	ck_assert_uint_eq(alu_x(0x3f, 0, 10, 3), 3);
	ck_assert_uint_eq(alu_x(0x3f, 0, 10, 0), 0);
	ck_assert_uint_eq(alu_k(0x37, 0, ~0ull, -1), 1); /* imm sign-extended: divisor 2^64-1 */
	ck_assert_uint_eq(alu_k(0x37, 0, 5, -1), 0);
	ck_assert_uint_eq(alu_k(0x34, 0, 0xffffffff, -1), 1); /* imm as u32 */
	ck_assert_uint_eq(alu_k(0x34, 0, 0x100000004ull, 2), 2);
	ck_assert_uint_eq(alu_x(0x3c, 0, 0xdeadbeefcafebabeull, 0x100000000ull), 0); /* low half 0 */
	ck_assert_uint_eq(alu_x(0x9f, 0, 10, 3), 1);
	ck_assert_uint_eq(alu_x(0x9f, 0, 0xdeadbeefcafebabeull, 0), 0xdeadbeefcafebabeull);
	ck_assert_uint_eq(alu_x(0x9c, 0, 0xdeadbeefcafebabeull, 0), 0xcafebabeull);
	ck_assert_uint_eq(alu_k(0x94, 0, 0xdeadbeefcafebabeull, 0), 0xcafebabeull);
	ck_assert_uint_eq(alu_k(0x97, 0, 0xdeadbeefcafebabeull, 0), 0xdeadbeefcafebabeull);
	ck_assert_uint_eq(alu_k(0x94, 0, 7, -1), 7);
}
END_TEST

START_TEST(signed_div_mod)
{
	ck_assert_uint_eq(alu_x(0x3f, 1, I64MIN, ~0ull), I64MIN);
	ck_assert_uint_eq(alu_k(0x37, 1, I64MIN, -1), I64MIN);
	ck_assert_uint_eq(alu_x(0x3f, 1, (uint64_t)-7, 2), (uint64_t)-3);
	ck_assert_uint_eq(alu_x(0x3f, 1, 7, (uint64_t)-2), (uint64_t)-3);
	ck_assert_uint_eq(alu_x(0x3f, 1, 7, 0), 0);
	ck_assert_uint_eq(alu_k(0x34, 1, 0x80000000, -1), 0x80000000ull);
	ck_assert_uint_eq(alu_x(0x3c, 1, 0xfffffffffffffff9ull, 2), 0xfffffffdull);
	ck_assert_uint_eq(alu_x(0x3c, 1, 0x80000000, 0xffffffff), 0x80000000ull);
	ck_assert_uint_eq(alu_k(0x34, 1, 5, 0), 0);
	ck_assert_uint_eq(alu_x(0x9f, 1, (uint64_t)-13, 3), (uint64_t)-1); /* RFC 9669 s4.1 example */
	ck_assert_uint_eq(alu_x(0x9f, 1, 7, (uint64_t)-2), 1);
	ck_assert_uint_eq(alu_x(0x9f, 1, I64MIN, ~0ull), 0);
	ck_assert_uint_eq(alu_k(0x97, 1, I64MIN, -1), 0);
	ck_assert_uint_eq(alu_x(0x9f, 1, (uint64_t)-5, 0), (uint64_t)-5);
	ck_assert_uint_eq(alu_k(0x94, 1, 0x80000000, -1), 0);
	ck_assert_uint_eq(alu_x(0x9c, 1, (uint64_t)-13, 3), 0xffffffffull);
	ck_assert_uint_eq(alu_x(0x9c, 1, 0xdeadbeeffffffffbull, 0), 0xfffffffbull);
	ck_assert_uint_eq(alu_k(0x94, 1, 13, -3), 1);
}
END_TEST

START_TEST(bitwise_and_shifts)
{
	ck_assert_uint_eq(alu_x(0x4f, 0, 0xf0, 0x0f), 0xff);
	ck_assert_uint_eq(alu_k(0x44, 0, 0xffffffff00000000ull, 1), 1);
	ck_assert_uint_eq(alu_x(0x5f, 0, ~0ull, 0x8000000000000001ull), 0x8000000000000001ull);
	ck_assert_uint_eq(alu_k(0x57, 0, ~0ull, -2), ~1ull);
	ck_assert_uint_eq(alu_k(0x54, 0, ~0ull, -2), 0xfffffffeull);
	ck_assert_uint_eq(alu_x(0xaf, 0, 0xff, 0x0f), 0xf0);
	ck_assert_uint_eq(alu_k(0xa4, 0, ~0ull, 0), 0xffffffffull);
	ck_assert_uint_eq(alu_k(0x67, 0, 1, 63), I64MIN);
	ck_assert_uint_eq(alu_k(0x67, 0, 3, 64), 3); /* count masked with 0x3f */
	ck_assert_uint_eq(alu_x(0x6f, 0, 3, 65), 6);
	ck_assert_uint_eq(alu_k(0x64, 0, 1, 31), 0x80000000ull);
	ck_assert_uint_eq(alu_k(0x64, 0, 0x100000003ull, 32), 3); /* masked with 0x1f, upper zeroed */
	ck_assert_uint_eq(alu_x(0x6c, 0, 3, 33), 6);
	ck_assert_uint_eq(alu_k(0x77, 0, I64MIN, 63), 1);
	ck_assert_uint_eq(alu_k(0x74, 0, 0xffffffff80000000ull, 31), 1);
	ck_assert_uint_eq(alu_x(0x7c, 0, 0x80000000, 32), 0x80000000ull);
	ck_assert_uint_eq(alu_k(0xc7, 0, I64MIN, 63), ~0ull);
	ck_assert_uint_eq(alu_x(0xcf, 0, 0x4000000000000000ull, 62), 1);
	ck_assert_uint_eq(alu_k(0xc4, 0, 0x80000000, 31), 0xffffffffull);
	ck_assert_uint_eq(alu_k(0xc4, 0, 0xffffffff80000000ull, 4), 0xf8000000ull);
	ck_assert_uint_eq(alu_x(0xcc, 0, 0x80000000, 0xffffffe1ull), 0xc0000000ull);
}
END_TEST

START_TEST(neg_mov_movsx)
{
	ck_assert_uint_eq(alu_k(0x87, 0, I64MIN, 0), I64MIN);
	ck_assert_uint_eq(alu_k(0x87, 0, 1, 0), ~0ull);
	ck_assert_uint_eq(alu_k(0x84, 0, 0x80000000, 0), 0x80000000ull);
	ck_assert_uint_eq(alu_k(0x84, 0, 0xffffffff00000001ull, 0), 0xffffffffull);
	ck_assert_uint_eq(alu_k(0xb7, 0, 0, -1), ~0ull);
	ck_assert_uint_eq(alu_k(0xb4, 0, 0, -1), 0xffffffffull);
	ck_assert_uint_eq(alu_x(0xbf, 0, 0, ~0ull), ~0ull);
	ck_assert_uint_eq(alu_x(0xbc, 0, 0, ~0ull), 0xffffffffull);
	ck_assert_uint_eq(alu_x(0xbf, 8, 0, 0x80), 0xffffffffffffff80ull);
	ck_assert_uint_eq(alu_x(0xbf, 8, 0, 0x17f), 0x7f);
	ck_assert_uint_eq(alu_x(0xbf, 16, 0, 0x8000), 0xffffffffffff8000ull);
	ck_assert_uint_eq(alu_x(0xbf, 32, 0, 0x80000000), 0xffffffff80000000ull);
	ck_assert_uint_eq(alu_x(0xbc, 8, 0, 0xff), 0xffffffffull);
	ck_assert_uint_eq(alu_x(0xbc, 16, 0, 0x8000), 0xffff8000ull);
	ck_assert_uint_eq(alu_x(0xbc, 16, 0, 0x7fff), 0x7fff);
}
END_TEST

static uint64_t end_op(uint8_t opcode, int32_t width, enum isa_byte_order order)
{
	struct isa_slot p[] = {S(0x18, 0, 0, 0, 0x55667788), S(0, 0, 0, 0, 0x11223344),
	                       S(opcode, 0, 0, 0, width), EXIT};
	struct isa_interp_opts o = {.byte_order = order};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_NONE);
	return res.r0;
}

START_TEST(byte_swaps)
{
	ck_assert_uint_eq(end_op(0xd4, 16, ISA_LITTLE_ENDIAN), 0x7788);
	ck_assert_uint_eq(end_op(0xd4, 32, ISA_LITTLE_ENDIAN), 0x55667788);
	ck_assert_uint_eq(end_op(0xd4, 64, ISA_LITTLE_ENDIAN), 0x1122334455667788ull);
	ck_assert_uint_eq(end_op(0xdc, 16, ISA_LITTLE_ENDIAN), 0x8877);
	ck_assert_uint_eq(end_op(0xdc, 32, ISA_LITTLE_ENDIAN), 0x88776655);
	ck_assert_uint_eq(end_op(0xdc, 64, ISA_LITTLE_ENDIAN), 0x8877665544332211ull);
	/* a big-endian program: be is the identity (truncation), le swaps */
	ck_assert_uint_eq(end_op(0xdc, 16, ISA_BIG_ENDIAN), 0x7788);
	ck_assert_uint_eq(end_op(0xdc, 64, ISA_BIG_ENDIAN), 0x1122334455667788ull);
	ck_assert_uint_eq(end_op(0xd4, 32, ISA_BIG_ENDIAN), 0x88776655);
	/* bswap is unconditional */
	ck_assert_uint_eq(end_op(0xd7, 16, ISA_LITTLE_ENDIAN), 0x8877);
	ck_assert_uint_eq(end_op(0xd7, 32, ISA_BIG_ENDIAN), 0x88776655);
	ck_assert_uint_eq(end_op(0xd7, 64, ISA_LITTLE_ENDIAN), 0x8877665544332211ull);
}
END_TEST

/* r0 = 1 if the jump is taken: lddw r1, a; lddw r2, b; mov r0, 0; JMP r1, (r2|imm), +1; exit;
 * mov r0, 1; exit */
static uint64_t jmp(uint8_t opcode, uint64_t a, uint64_t b, int32_t imm)
{
	struct isa_slot p[] = {S(0x18, 1, 0, 0, (int32_t)(uint32_t)a),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(a >> 32)),
	                       S(0x18, 2, 0, 0, (int32_t)(uint32_t)b),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(b >> 32)),
	                       S(0xb7, 0, 0, 0, 0),
	                       S(opcode, 1, (opcode & 8) ? 2 : 0, 1, (opcode & 8) ? 0 : imm),
	                       EXIT,
	                       S(0xb7, 0, 0, 0, 1),
	                       EXIT};
	return run_ok(p, N(p), NULL, 0);
}

START_TEST(jumps)
{
	ck_assert_uint_eq(jmp(0x1d, 5, 5, 0), 1);
	ck_assert_uint_eq(jmp(0x1d, 5, 6, 0), 0);
	ck_assert_uint_eq(jmp(0x15, ~0ull, 0, -1), 1);      /* imm sign-extended to 64 bits */
	ck_assert_uint_eq(jmp(0x15, 0xffffffff, 0, -1), 0); /* ... so not equal to 0xffffffff */
	ck_assert_uint_eq(jmp(0x16, 0xffffffff, 0, -1), 1);
	ck_assert_uint_eq(jmp(0x1e, 0x100000005ull, 5, 0), 1); /* jeq32 ignores the upper half */
	ck_assert_uint_eq(jmp(0x2d, ~0ull, 1, 0), 1);          /* unsigned */
	ck_assert_uint_eq(jmp(0x6d, ~0ull, 1, 0), 0);          /* signed: -1 > 1 is false */
	ck_assert_uint_eq(jmp(0x65, 0, 0, -1), 1);
	ck_assert_uint_eq(jmp(0x3d, 4, 4, 0), 1);
	ck_assert_uint_eq(jmp(0x3d, 3, 4, 0), 0);
	ck_assert_uint_eq(jmp(0x7d, I64MIN, ~0ull, 0), 0);
	ck_assert_uint_eq(jmp(0x7d, ~0ull, ~0ull, 0), 1);
	ck_assert_uint_eq(jmp(0xad, 1, ~0ull, 0), 1);
	ck_assert_uint_eq(jmp(0xcd, 1, ~0ull, 0), 0);
	ck_assert_uint_eq(jmp(0xcd, I64MIN, 0x7fffffffffffffffull, 0), 1);
	ck_assert_uint_eq(jmp(0xbd, 7, 7, 0), 1);
	ck_assert_uint_eq(jmp(0xdd, ~0ull, 0, 0), 1);
	ck_assert_uint_eq(jmp(0xdd, 1, 0, 0), 0);
	ck_assert_uint_eq(jmp(0x4d, 6, 2, 0), 1);
	ck_assert_uint_eq(jmp(0x4d, 6, 1, 0), 0);
	ck_assert_uint_eq(jmp(0x45, 0x100000000ull, 0, 0), 0);
	ck_assert_uint_eq(jmp(0x46, 0x100000000ull, 0, -1), 0); /* jset32 sees only the low half */
	ck_assert_uint_eq(jmp(0x5d, 1, 2, 0), 1);
	ck_assert_uint_eq(jmp(0x5e, 0x100000002ull, 2, 0), 0);
	ck_assert_uint_eq(jmp(0x26, 0x80000000, 0, 1), 1);
	ck_assert_uint_eq(jmp(0x66, 0x80000000, 0, 1), 0);     /* jsgt32: INT32_MIN > 1 is false */
	ck_assert_uint_eq(jmp(0x6e, 0x1, 0xffffffff, 0), 1);   /* 1 s> -1 */
	ck_assert_uint_eq(jmp(0xc6, 0xffffffff, 0, 0), 1);     /* -1 s< 0 */
	ck_assert_uint_eq(jmp(0xae, 0x1ffffffffull, 2, 0), 0); /* 0xffffffff < 2 false */
	ck_assert_uint_eq(jmp(0xb6, 0xffffffff00000003ull, 0, 3), 1);
	ck_assert_uint_eq(jmp(0xd6, 0x80000000, 0, -1), 1);
	ck_assert_uint_eq(jmp(0x36, 0, 0, 0), 1);
	ck_assert_uint_eq(jmp(0x76, 0, 0, 1), 0);
	ck_assert_uint_eq(jmp(0x56, 0, 0, 0), 0);
	ck_assert_uint_eq(jmp(0xa5, 0, 0, -1), 1); /* 0 < 2^64-1 */
}
END_TEST

START_TEST(ja_and_ja32)
{
	/* mov r0, 1; ja +1; mov r0, 2; ja32 +1; exit; jump back over nothing: exit */
	struct isa_slot p[] = {
	    S(0xb7, 0, 0, 0, 1),  S(0x05, 0, 0, 1, 0), S(0xb7, 0, 0, 0, 2), S(0x06, 0, 0, 0, 1), EXIT,
	    S(0x07, 0, 0, 0, 10), S(0x06, 0, 0, 0, -3)};
	/* 0: r0=1, 1: ja -> 3, 3: ja32 -> 5, 5: r0 += 10, 6: ja32 -> 4: exit */
	ck_assert_uint_eq(run_ok(p, N(p), NULL, 0), 11);
}
END_TEST

START_TEST(loads_and_stores)
{
	uint8_t mem[16] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x91};
	struct isa_slot ldx[] = {S(0x79, 0, 1, 0, 0), EXIT};
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0x9122334455667788ull);
	ldx[0] = S(0x61, 0, 1, 4, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0x91223344ull);
	ldx[0] = S(0x69, 0, 1, 6, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0x9122);
	ldx[0] = S(0x71, 0, 1, 7, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0x91);
	ldx[0] = S(0x91, 0, 1, 7, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0xffffffffffffff91ull);
	ldx[0] = S(0x89, 0, 1, 6, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0xffffffffffff9122ull);
	ldx[0] = S(0x81, 0, 1, 4, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0xffffffff91223344ull);
	ldx[0] = S(0x81, 0, 1, 0, 0);
	ck_assert_uint_eq(run_ok(ldx, N(ldx), mem, sizeof(mem)), 0x55667788ull);

	/* a big-endian program reads the same bytes the other way */
	struct isa_interp_opts be = {.byte_order = ISA_BIG_ENDIAN};
	ldx[0] = S(0x69, 0, 1, 0, 0);
	ck_assert_uint_eq(run(ldx, N(ldx), mem, sizeof(mem), &be).r0, 0x8877);

	/* st/stx of every size into memory and the stack, read back */
	struct isa_slot st[] = {S(0x7a, 1, 0, 8, -2),                /* stdw [r1+8], -2 */
	                        S(0x62, 1, 0, 8, 0x11223344),        /* stw [r1+8], 0x11223344 */
	                        S(0x6a, 1, 0, 8, 0x5566),            /* sth [r1+8], 0x5566 */
	                        S(0x72, 1, 0, 8, 0x77),              /* stb [r1+8], 0x77 */
	                        S(0x79, 0, 1, 8, 0),                 /* ldxdw r0, [r1+8] */
	                        S(0x7b, 10, 0, -8, 0),               /* stxdw [r10-8], r0 */
	                        S(0xb7, 3, 0, 0, 0x1234),            /* mov r3, 0x1234 */
	                        S(0x6b, 10, 3, -8, 0),               /* stxh [r10-8], r3 */
	                        S(0x73, 10, 3, -1, 0),               /* stxb [r10-1], r3 */
	                        S(0x63, 10, 3, -16, 0),              /* stxw [r10-16], r3 */
	                        S(0x79, 0, 10, -8, 0),        EXIT}; /* ldxdw r0, [r10-8] */
	ck_assert_uint_eq(run_ok(st, N(st), mem, sizeof(mem)), 0x34ffffff11221234ull);
	ck_assert_uint_eq(mem[8], 0x77);
	ck_assert_uint_eq(mem[9], 0x55);
	ck_assert_uint_eq(mem[15], 0xff);
}
END_TEST

/* mov r2, init; stxdw [r10-8], r2; mov r1, operand; mov r0, r0v; ATOMIC [r10-8], r1; then
 * r0 = mem (if want_mem) or r0 = r1 (fetched) or r0 (cmpxchg). */
static uint64_t atomic(uint8_t opcode, int32_t imm, uint64_t init, uint64_t operand, uint64_t r0v, int what)
{
	struct isa_slot p[] = {S(0x18, 2, 0, 0, (int32_t)(uint32_t)init),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(init >> 32)),
	                       S(0x7b, 10, 2, -8, 0),
	                       S(0x18, 1, 0, 0, (int32_t)(uint32_t)operand),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(operand >> 32)),
	                       S(0x18, 0, 0, 0, (int32_t)(uint32_t)r0v),
	                       S(0, 0, 0, 0, (int32_t)(uint32_t)(r0v >> 32)),
	                       S(opcode, 10, 1, -8, imm),
	                       what == 0   ? S(0x79, 0, 10, -8, 0)
	                       : what == 1 ? S(0xbf, 0, 1, 0, 0)
	                                   : S(0xbf, 0, 0, 0, 0),
	                       EXIT};
	return run_ok(p, N(p), NULL, 0);
}

START_TEST(atomics)
{
	const uint64_t init = 0xf0f0f0f0aaaaaaaaull, opnd = 0x0ff0000055555555ull;
	/* 64-bit: memory after, and the fetched old value */
	ck_assert_uint_eq(atomic(0xdb, 0x00, init, opnd, 0, 0), init + opnd);
	ck_assert_uint_eq(atomic(0xdb, 0x00, init, opnd, 0, 1), opnd); /* no fetch: src unchanged */
	ck_assert_uint_eq(atomic(0xdb, 0x01, init, opnd, 0, 0), init + opnd);
	ck_assert_uint_eq(atomic(0xdb, 0x01, init, opnd, 0, 1), init);
	ck_assert_uint_eq(atomic(0xdb, 0x40, init, opnd, 0, 0), init | opnd);
	ck_assert_uint_eq(atomic(0xdb, 0x41, init, opnd, 0, 1), init);
	ck_assert_uint_eq(atomic(0xdb, 0x50, init, opnd, 0, 0), init & opnd);
	ck_assert_uint_eq(atomic(0xdb, 0x51, init, opnd, 0, 1), init);
	ck_assert_uint_eq(atomic(0xdb, 0xa0, init, opnd, 0, 0), init ^ opnd);
	ck_assert_uint_eq(atomic(0xdb, 0xa1, init, opnd, 0, 1), init);
	ck_assert_uint_eq(atomic(0xdb, 0xe1, init, opnd, 0, 0), opnd);
	ck_assert_uint_eq(atomic(0xdb, 0xe1, init, opnd, 0, 1), init);
	ck_assert_uint_eq(atomic(0xdb, 0xf1, init, opnd, init, 0), opnd); /* match: stored */
	ck_assert_uint_eq(atomic(0xdb, 0xf1, init, opnd, init, 2), init);
	ck_assert_uint_eq(atomic(0xdb, 0xf1, init, opnd, 1, 0), init); /* no match: unchanged */
	ck_assert_uint_eq(atomic(0xdb, 0xf1, init, opnd, 1, 2), init);
	/* 32-bit: only the low word of memory changes; fetched values are zero-extended */
	ck_assert_uint_eq(atomic(0xc3, 0x00, init, opnd, 0, 0), 0xf0f0f0f0ffffffffull);
	ck_assert_uint_eq(atomic(0xc3, 0x01, init, opnd, 0, 1), 0xaaaaaaaaull);
	ck_assert_uint_eq(atomic(0xc3, 0x40, init, 1, 0, 0), 0xf0f0f0f0aaaaaaabull);
	ck_assert_uint_eq(atomic(0xc3, 0x41, init, 1, 0, 1), 0xaaaaaaaaull);
	ck_assert_uint_eq(atomic(0xc3, 0x50, init, 0xf, 0, 0), 0xf0f0f0f00000000aull);
	ck_assert_uint_eq(atomic(0xc3, 0x51, init, 0xf, 0, 1), 0xaaaaaaaaull);
	ck_assert_uint_eq(atomic(0xc3, 0xa0, init, 0xffffffff, 0, 0), 0xf0f0f0f055555555ull);
	ck_assert_uint_eq(atomic(0xc3, 0xa1, init, 0xffffffff, 0, 1), 0xaaaaaaaaull);
	ck_assert_uint_eq(atomic(0xc3, 0xe1, init, opnd, 0, 0), 0xf0f0f0f055555555ull);
	ck_assert_uint_eq(atomic(0xc3, 0xe1, init, opnd, 0, 1), 0xaaaaaaaaull);
	/* cmpxchg32 compares the low half of r0 only */
	ck_assert_uint_eq(atomic(0xc3, 0xf1, init, opnd, 0x12345678aaaaaaaaull, 0), 0xf0f0f0f055555555ull);
	ck_assert_uint_eq(atomic(0xc3, 0xf1, init, opnd, 0x12345678aaaaaaaaull, 2), 0xaaaaaaaaull);
	ck_assert_uint_eq(atomic(0xc3, 0xf1, init, opnd, 0, 0), init);
	/* load-acquire / store-release (Linux extension) behave as plain load and store here */
	ck_assert_uint_eq(atomic(0xdb, 0x110, init, opnd, 0, 0), opnd);
	ck_assert_uint_eq(atomic(0xcb, 0x110, init, opnd, 0, 0), 0xf0f0f0f0aaaa5555ull);
	uint8_t mem[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	struct isa_slot acq[] = {S(0xc3, 0, 1, 4, 0x100), EXIT}; /* r0 = load_acquire((u32 *)(r1 + 4)) */
	ck_assert_uint_eq(run_ok(acq, N(acq), mem, sizeof(mem)), 0x88776655ull);
	acq[0] = S(0xd3, 0, 1, 7, 0x100);
	ck_assert_uint_eq(run_ok(acq, N(acq), mem, sizeof(mem)), 0x88ull);
}
END_TEST

START_TEST(lddw_and_platform_lddw)
{
	struct isa_slot p[] = {S(0x18, 0, 0, 0, 0x55667788), S(0, 0, 0, 0, 0x11223344), EXIT};
	ck_assert_uint_eq(run_ok(p, N(p), NULL, 0), 0x1122334455667788ull);
	p[0].src = 1; /* map_by_fd with a next_imm, which that subtype does not use: invalid */
	struct isa_interp_result res = run(p, N(p), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_INVALID_INSN);
	p[1].imm = 0; /* map_by_fd: needs a platform */
	res = run(p, N(p), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_UNSUPPORTED);
	ck_assert_uint_eq(res.insn_idx, 0);
	ck_assert_ptr_nonnull(strstr(res.msg, "src=1"));
}
END_TEST

static int resolve(void *ctx, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value)
{
	(void)ctx;
	if (src != 6)
		return -1;
	*value = 0x90000000ull + (uint64_t)imm * 0x100 + (uint32_t)next_imm;
	return 0;
}

START_TEST(lddw_resolved_by_callback_into_region)
{
	uint8_t value[16] = {0};
	value[4] = 42;
	struct isa_interp_region reg = {
	    .addr = 0x90000100ull, .data = value, .len = sizeof(value), .name = "map"};
	struct isa_interp_opts o = {.regions = &reg, .region_count = 1, .lddw = resolve};
	/* r1 = map_val(map 1) + 4; r0 = *(u8 *)r1; exit */
	struct isa_slot p[] = {S(0x18, 1, 6, 0, 1), S(0, 0, 0, 0, 4), S(0x71, 0, 1, 0, 0), EXIT};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_NONE);
	ck_assert_uint_eq(res.r0, 42);
	/* the region is read-only: a store faults as READONLY */
	struct isa_slot w[] = {S(0x18, 1, 6, 0, 1), S(0, 0, 0, 0, 4), S(0x72, 1, 0, 0, 1), EXIT};
	res = run(w, N(w), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_READONLY);
	ck_assert_uint_eq(res.insn_idx, 2);
	/* regions may not overlap the interpreter's own address range */
	reg.addr = ISA_INTERP_STACK_BASE + 0x100;
	struct bpfc_error err;
	ck_assert_int_eq(isa_interp_exec(p, N(p), NULL, 0, &o, &res, &err), BPFC_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "overlaps"));
}
END_TEST

START_TEST(local_calls)
{
	/* r6..r9 preserved across the call, callee gets a fresh zeroed stack and its own r10 */
	struct isa_slot p[] = {S(0xb7, 6, 0, 0, 6), S(0xb7, 9, 0, 0, 9), S(0xb7, 1, 0, 0, 40),
	                       S(0x7a, 10, 0, -8, 7), S(0x85, 0, 1, 0, 5), /* call local +5 -> 10 */
	                       S(0x0f, 0, 6, 0, 0),                        /* r0 += r6 */
	                       S(0x0f, 0, 9, 0, 0),                        /* r0 += r9 */
	                       S(0x79, 2, 10, -8, 0),                      /* r2 = caller's stack slot (7) */
	                       S(0x0f, 0, 2, 0, 0),                        /* r0 += r2 */
	                       EXIT,
	                       /* 10: callee */
	                       S(0x79, 0, 10, -8, 0), /* r0 = fresh stack slot (0) */
	                       S(0x0f, 0, 1, 0, 0),   /* r0 += r1 (40) */
	                       S(0xb7, 6, 0, 0, 100), S(0xb7, 9, 0, 0, 100), S(0x7a, 10, 0, -8, 99), EXIT};
	ck_assert_uint_eq(run_ok(p, N(p), NULL, 0), 40 + 6 + 9 + 7);
}
END_TEST

START_TEST(call_depth_fault)
{
	/* unbounded recursion: call local -1 */
	struct isa_slot p[] = {S(0x85, 0, 1, 0, -1), EXIT};
	struct isa_interp_opts o = {.max_call_depth = 4};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_CALL_DEPTH);
	ck_assert_uint_eq(res.insn_idx, 0);
	ck_assert_uint_eq(res.executed, 4); /* three calls succeed (frames 1..3), the fourth faults */
	ck_assert_ptr_nonnull(strstr(res.msg, "exceeds 4 frames"));
}
END_TEST

static int helpers(void *ctx, const struct isa_interp_call *call, uint64_t *ret, char *msg, size_t len)
{
	int *calls = ctx;
	(*calls)++;
	if (call->kind == ISA_CALL_HELPER && call->id == 5) {
		*ret = call->args[0];
		return 0;
	}
	if (call->kind == ISA_CALL_REG && call->id == 7) {
		*ret = call->args[0] + call->args[4];
		return 0;
	}
	if (call->kind == ISA_CALL_BTF && call->id == 1234) {
		*ret = 99;
		return 0;
	}
	if (call->kind == ISA_CALL_HELPER && call->id == 9) {
		/* reads 8 bytes the program points at in r1 */
		uint8_t *m = isa_interp_mem_ptr(call->vm, call->args[0], 8, false);
		if (!m) {
			snprintf(msg, len, "bad pointer");
			return -1;
		}
		*ret = m[0];
		return 0;
	}
	snprintf(msg, len, "unknown helper");
	return -1;
}

/* poison: what a verifier calls uninitialised takes values derived from it (bytes of the stack
 * differ where the poisons' bytes differ) */
START_TEST(poison_uninitialised)
{
	int calls = 0;
	struct isa_interp_opts a = {.poison = 0x0123456789abcdefull}, b = {.poison = 0xfedcba9876543210ull},
	                       z = {0};
	/* r0 = r3 (never written) */
	struct isa_slot reg[] = {S(0xbf, 0, 3, 0, 0), EXIT};
	ck_assert_uint_eq(run(reg, N(reg), NULL, 0, &z).r0, 0);
	ck_assert_uint_ne(run(reg, N(reg), NULL, 0, &a).r0, run(reg, N(reg), NULL, 0, &b).r0);
	/* r0 = *(u8 *)(r10 - 5) (never written); a written byte reads back the same */
	struct isa_slot stk[] = {S(0x71, 0, 10, -5, 0), EXIT};
	ck_assert_uint_eq(run(stk, N(stk), NULL, 0, &z).r0, 0);
	ck_assert_uint_ne(run(stk, N(stk), NULL, 0, &a).r0, run(stk, N(stk), NULL, 0, &b).r0);
	struct isa_slot wr[] = {S(0x72, 10, 0, -5, 7), S(0x71, 0, 10, -5, 0), EXIT};
	ck_assert_uint_eq(run(wr, N(wr), NULL, 0, &a).r0, 7);
	/* r1 after a helper call: clobbered; r6 kept */
	a.helper = b.helper = helpers;
	a.helper_ctx = b.helper_ctx = &calls;
	struct isa_slot clob[] = {S(0xb7, 1, 0, 0, 3), S(0xb7, 6, 0, 0, 4), S(0x85, 0, 0, 0, 5),
	                          S(0xbf, 0, 1, 0, 0), EXIT};
	ck_assert_uint_ne(run(clob, N(clob), NULL, 0, &a).r0, run(clob, N(clob), NULL, 0, &b).r0);
	struct isa_slot kept[] = {S(0xb7, 1, 0, 0, 3), S(0xb7, 6, 0, 0, 4), S(0x85, 0, 0, 0, 5),
	                          S(0xbf, 0, 6, 0, 0), EXIT};
	ck_assert_uint_eq(run(kept, N(kept), NULL, 0, &a).r0, 4);
	/* the memory's length is not in r2 when poisoning */
	uint8_t mem[4] = {0};
	struct isa_slot len[] = {S(0xbf, 0, 2, 0, 0), EXIT};
	ck_assert_uint_eq(run(len, N(len), mem, sizeof(mem), &z).r0, 4);
	ck_assert_uint_ne(run(len, N(len), mem, sizeof(mem), &a).r0, 4);
}
END_TEST

START_TEST(helper_calls)
{
	int calls = 0;
	struct isa_interp_opts o = {.helper = helpers, .helper_ctx = &calls};
	struct isa_slot p[] = {S(0xb7, 1, 0, 0, 33), S(0x85, 0, 0, 0, 5), EXIT};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_NONE);
	ck_assert_uint_eq(res.r0, 33);
	ck_assert_int_eq(calls, 1);
	/* callx: the helper id is the register's value */
	struct isa_slot x[] = {S(0xb7, 1, 0, 0, 1), S(0xb7, 5, 0, 0, 2), S(0xb7, 3, 0, 0, 7),
	                       S(0x8d, 3, 0, 0, 0), EXIT};
	res = run(x, N(x), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_NONE);
	ck_assert_uint_eq(res.r0, 3);
	/* a helper reading program memory through isa_interp_mem_ptr */
	uint8_t mem[8] = {0xab};
	struct isa_slot m[] = {S(0x85, 0, 0, 0, 9), EXIT};
	res = run(m, N(m), mem, sizeof(mem), &o);
	ck_assert_uint_eq(res.r0, 0xab);
	/* a call by BTF id (src=2) reaches the callback with its kind */
	struct isa_slot btf[] = {S(0x85, 0, 2, 0, 1234), EXIT};
	res = run(btf, N(btf), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_NONE);
	ck_assert_uint_eq(res.r0, 99);
	btf[0].imm = 5; /* helper 5 by BTF id is not helper 5 */
	ck_assert_int_eq(run(btf, N(btf), NULL, 0, &o).fault, ISA_FAULT_HELPER);
	/* refused and missing helpers fault with the helper's message */
	p[1].imm = 77;
	res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_HELPER);
	ck_assert_ptr_nonnull(strstr(res.msg, "helper 77"));
	ck_assert_ptr_nonnull(strstr(res.msg, "unknown helper"));
	res = run(p, N(p), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_HELPER);
	ck_assert_ptr_nonnull(strstr(res.msg, "no helpers"));
}
END_TEST

START_TEST(packet_loads)
{
	uint8_t pkt[6] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc};
	struct isa_slot p[] = {S(0x20, 0, 0, 0, 2), EXIT}; /* ldabsw 2: big-endian */
	ck_assert_uint_eq(run_ok(p, N(p), pkt, sizeof(pkt)), 0x56789abcull);
	p[0] = S(0x28, 0, 0, 0, 0);
	ck_assert_uint_eq(run_ok(p, N(p), pkt, sizeof(pkt)), 0x1234);
	p[0] = S(0x30, 0, 0, 0, 5);
	ck_assert_uint_eq(run_ok(p, N(p), pkt, sizeof(pkt)), 0xbc);
	struct isa_slot q[] = {S(0xb7, 3, 0, 0, 4), S(0x48, 0, 3, 0, 0), EXIT}; /* ldindh r3+0 */
	ck_assert_uint_eq(run_ok(q, N(q), pkt, sizeof(pkt)), 0x9abc);
	q[1] = S(0x40, 0, 3, 0, 0); /* ldindw at 4: 2 bytes short */
	struct isa_interp_result res = run(q, N(q), pkt, sizeof(pkt), NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_PACKET);
	ck_assert_uint_eq(res.insn_idx, 1);
	q[0] = S(0xb7, 3, 0, 0, -1); /* negative offset */
	q[1] = S(0x50, 0, 3, 0, 0);
	res = run(q, N(q), pkt, sizeof(pkt), NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_PACKET);
}
END_TEST

START_TEST(may_goto_budget)
{
	/* loop: r0 += 1; may_goto +1; ja -3 ... exit: falls through budget times then jumps */
	struct isa_slot p[] = {S(0xb7, 0, 0, 0, 0), S(0x07, 0, 0, 0, 1), S(0xe5, 0, 0, 1, 0),
	                       S(0x05, 0, 0, -3, 0), EXIT};
	struct isa_interp_opts o = {.may_goto_budget = 5};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_NONE);
	ck_assert_uint_eq(res.r0, 6);
}
END_TEST

START_TEST(memory_faults)
{
	uint8_t mem[8] = {0};
	struct isa_slot p[] = {S(0x61, 0, 1, 6, 0), EXIT}; /* ldxw [r1+6]: 2 bytes past the end */
	struct isa_interp_result res = run(p, N(p), mem, sizeof(mem), NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_MEMORY);
	ck_assert_uint_eq(res.insn_idx, 0);
	ck_assert_uint_eq(res.fault_addr, ISA_INTERP_MEM_BASE + 6);
	ck_assert_uint_eq(res.fault_size, 4);
	ck_assert_ptr_nonnull(strstr(res.msg, "instruction 0 (ldxw)"));
	ck_assert_ptr_nonnull(strstr(res.msg, "read of 4 bytes"));
	p[0] = S(0x61, 0, 1, -1, 0); /* one byte before */
	ck_assert_int_eq(run(p, N(p), mem, sizeof(mem), NULL).fault, ISA_FAULT_MEMORY);
	p[0] = S(0x61, 0, 1, 0, 0); /* no memory: r1 is 0 */
	res = run(p, N(p), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_MEMORY);
	ck_assert_ptr_nonnull(strstr(res.msg, "NULL"));
	/* the stack: 512 bytes below r10, nothing above */
	p[0] = S(0x79, 0, 10, -512, 0);
	ck_assert_int_eq(run(p, N(p), NULL, 0, NULL).fault, ISA_FAULT_NONE);
	p[0] = S(0x79, 0, 10, -513, 0);
	res = run(p, N(p), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_MEMORY);
	ck_assert_ptr_nonnull(strstr(res.msg, "stack frame 0"));
	p[0] = S(0x71, 0, 10, 0, 0);
	ck_assert_int_eq(run(p, N(p), NULL, 0, NULL).fault, ISA_FAULT_MEMORY);
	/* write past the end, and into read-only input memory */
	struct isa_slot w[] = {S(0x7a, 1, 0, 1, 0), EXIT};
	res = run(w, N(w), mem, sizeof(mem), NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_MEMORY);
	ck_assert_ptr_nonnull(strstr(res.msg, "write of 8 bytes"));
	struct isa_interp_opts ro = {.readonly_mem = true};
	w[0] = S(0x72, 1, 0, 0, 1);
	ck_assert_int_eq(run(w, N(w), mem, sizeof(mem), &ro).fault, ISA_FAULT_READONLY);
	/* an address that wraps around 2^64 */
	struct isa_slot wrap[] = {S(0xb7, 1, 0, 0, -1), S(0x79, 0, 1, 2, 0), EXIT};
	ck_assert_int_eq(run(wrap, N(wrap), mem, sizeof(mem), NULL).fault, ISA_FAULT_MEMORY);
	/* a callee cannot reach a dead frame: pass r10 of the callee back and use it */
	struct isa_slot dead[] = {S(0x85, 0, 1, 0, 2), S(0x79, 0, 0, -8, 0), EXIT, S(0xbf, 0, 10, 0, 0),
	                          EXIT};
	res = run(dead, N(dead), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_MEMORY);
	ck_assert_ptr_nonnull(strstr(res.msg, "not live"));
}
END_TEST

START_TEST(budget_fault)
{
	struct isa_slot p[] = {S(0x05, 0, 0, -1, 0), EXIT}; /* ja -1: forever */
	struct isa_interp_opts o = {.max_insns = 1000};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_int_eq(res.fault, ISA_FAULT_BUDGET);
	ck_assert_uint_eq(res.executed, 1000);
	ck_assert_ptr_nonnull(strstr(res.msg, "budget of 1000"));
}
END_TEST

static void expect_invalid(const struct isa_slot *p, size_t n, size_t idx, const char *text)
{
	struct isa_interp_result res = run(p, n, NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_INVALID_INSN);
	ck_assert_uint_eq(res.insn_idx, idx);
	ck_assert_msg(strstr(res.msg, text), "'%s' not in '%s'", text, res.msg);
}

START_TEST(invalid_instructions)
{
	struct isa_slot unknown[] = {S(0xb7, 0, 0, 0, 0), S(0xff, 0, 0, 0, 0), EXIT};
	expect_invalid(unknown, N(unknown), 1, "no such instruction");
	struct isa_slot unused[] = {S(0x07, 0, 1, 0, 1), EXIT}; /* add imm with src=1 */
	expect_invalid(unused, N(unused), 0, "src_reg is 1 but must be zero");
	struct isa_slot exit_imm[] = {S(0x95, 0, 0, 0, 1)};
	expect_invalid(exit_imm, N(exit_imm), 0, "imm is 1");
	struct isa_slot r11[] = {S(0xbf, 11, 0, 0, 0), EXIT};
	expect_invalid(r11, N(r11), 0, "registers are r0-r10");
	struct isa_slot r10[] = {S(0xb7, 10, 0, 0, 0), EXIT};
	expect_invalid(r10, N(r10), 0, "read-only frame pointer");
	struct isa_slot sdiv_bad_off[] = {S(0x3f, 0, 1, 2, 0), EXIT};
	expect_invalid(sdiv_bad_off, N(sdiv_bad_off), 0, "no such instruction");
	struct isa_slot lddw_short[] = {S(0xb7, 0, 0, 0, 0), S(0x18, 0, 0, 0, 1)};
	expect_invalid(lddw_short, N(lddw_short), 1, "missing its second slot");
	struct isa_slot lddw_bad2[] = {S(0x18, 0, 0, 0, 1), S(0x00, 1, 0, 0, 0), EXIT};
	expect_invalid(lddw_bad2, N(lddw_bad2), 1, "second slot");
	struct isa_slot lone2[] = {S(0x00, 0, 0, 0, 0), EXIT};
	expect_invalid(lone2, N(lone2), 0, "only valid as the second slot");
	struct isa_slot far[] = {S(0x05, 0, 0, 5, 0), EXIT};
	expect_invalid(far, N(far), 0, "outside the program");
	struct isa_slot into2[] = {S(0x05, 0, 0, 1, 0), S(0x18, 0, 0, 0, 1), S(0, 0, 0, 0, 0), EXIT};
	expect_invalid(into2, N(into2), 0, "second slot of a 64-bit immediate load");
	struct isa_slot call_far[] = {S(0x85, 0, 1, 0, -5), EXIT};
	expect_invalid(call_far, N(call_far), 0, "outside the program");
	struct isa_interp_result res = run(NULL, 0, NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_INVALID_INSN);
}
END_TEST

START_TEST(fell_off_and_unsupported)
{
	struct isa_slot p[] = {S(0xb7, 0, 0, 0, 0), S(0xb7, 0, 0, 0, 1)}; /* no exit */
	struct isa_interp_result res = run(p, N(p), NULL, 0, NULL);
	ck_assert_int_eq(res.fault, ISA_FAULT_FELL_OFF);
	ck_assert_uint_eq(res.insn_idx, 2);
	struct isa_slot g[] = {S(0x0d, 1, 0, 0, 0), EXIT}; /* gotox */
	ck_assert_int_eq(run(g, N(g), NULL, 0, NULL).fault, ISA_FAULT_UNSUPPORTED);
	struct isa_slot cast[] = {S(0xbf, 1, 2, 1, 1), EXIT}; /* addr_space_cast */
	struct isa_interp_result res2 = run(cast, N(cast), NULL, 0, NULL);
	ck_assert_int_eq(res2.fault, ISA_FAULT_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(res2.msg, "addr_space_cast"));
}
END_TEST

/* Every encoding of the table loads and dispatches (no entry lacks an execution rule). */
START_TEST(every_table_entry_loads)
{
	const struct isa_table *t = isa_table_default();
	size_t n = 0;
	for (size_t i = 0; i < t->entry_count; i++) {
		const struct isa_entry *e = &t->entries[i];
		if (e->sem == ISA_SEM_WIDE_SLOT2)
			continue;
		struct isa_slot p[4] = {{.opcode = e->opcode}};
		if (e->rule[ISA_FIELD_DST] == ISA_RULE_REG)
			p[0].dst = 1;
		if (e->rule[ISA_FIELD_SRC] == ISA_RULE_REG)
			p[0].src = 2;
		if (e->match_field == ISA_FIELD_SRC)
			p[0].src = (uint8_t)e->match_value;
		if (e->match_field == ISA_FIELD_OFF)
			p[0].off = (int16_t)e->match_value;
		if (e->match_field == ISA_FIELD_IMM)
			p[0].imm = e->match_value;
		size_t cnt = 1;
		if (e->wide)
			p[cnt++] = S(0, 0, 0, 0, 0);
		p[cnt++] = EXIT;
		struct isa_interp_prog *prog;
		struct bpfc_error err;
		ck_assert_msg(isa_interp_load(p, cnt, NULL, &prog, NULL, &err) == BPFC_OK, "%s: %s",
		              e->mnemonic, err.msg);
		isa_interp_prog_free(prog);
		n++;
	}
	ck_assert_uint_gt(n, 150);
}
END_TEST

START_TEST(prog_reuse_and_usage_errors)
{
	struct isa_slot p[] = {S(0xbf, 0, 2, 0, 0), EXIT}; /* r0 = r2 = memory length */
	struct isa_interp_prog *prog;
	struct bpfc_error err;
	ck_assert_int_eq(isa_interp_load(p, N(p), NULL, &prog, NULL, &err), BPFC_OK);
	struct isa_interp_result res;
	uint8_t mem[5];
	ck_assert_int_eq(isa_interp_run(prog, mem, sizeof(mem), NULL, &res, &err), BPFC_OK);
	ck_assert_uint_eq(res.r0, 5);
	ck_assert_int_eq(isa_interp_run(prog, NULL, 0, NULL, &res, &err), BPFC_OK);
	ck_assert_uint_eq(res.r0, 0);
	struct isa_interp_opts bad = {.max_call_depth = ISA_INTERP_MAX_FRAMES + 1};
	ck_assert_int_eq(isa_interp_run(prog, NULL, 0, &bad, &res, &err), BPFC_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "max_call_depth"));
	isa_interp_prog_free(prog);
	ck_assert_str_eq(isa_interp_fault_name(ISA_FAULT_BUDGET), "budget");
	ck_assert_str_eq(isa_interp_fault_name(ISA_FAULT_COUNT), "?");
}
END_TEST

struct trace_log {
	size_t idx[16];
	uint64_t r0_after[16];
	size_t n;
};

static void tracer(void *ctx, size_t idx, const struct isa_slot *slot, const uint64_t before[11],
                   const uint64_t after[11])
{
	struct trace_log *t = ctx;
	(void)slot;
	(void)before;
	if (t->n < 16) {
		t->idx[t->n] = idx;
		t->r0_after[t->n] = after[0];
		t->n++;
	}
}

START_TEST(trace_callback)
{
	struct trace_log log = {0};
	struct isa_interp_opts o = {.trace = tracer, .trace_ctx = &log};
	struct isa_slot p[] = {S(0xb7, 0, 0, 0, 3), S(0x05, 0, 0, 1, 0), S(0xb7, 0, 0, 0, 9),
	                       S(0x07, 0, 0, 0, 1), EXIT};
	struct isa_interp_result res = run(p, N(p), NULL, 0, &o);
	ck_assert_uint_eq(res.r0, 4);
	ck_assert_uint_eq(log.n, 4);
	ck_assert_uint_eq(log.idx[0], 0);
	ck_assert_uint_eq(log.idx[1], 1);
	ck_assert_uint_eq(log.idx[2], 3);
	ck_assert_uint_eq(log.idx[3], 4);
	ck_assert_uint_eq(log.r0_after[2], 4);
	ck_assert_uint_eq(res.executed, 4);
}
END_TEST

/* Random programs (half from table entries with random fields, half raw random words) on random
 * memory never crash, never exceed the budget, and every outcome is a known fault or an exit. */
START_TEST(random_programs_are_contained)
{
	const struct isa_table *t = isa_table_default();
	uint64_t seed = 0x9e3779b97f4a7c15ull;
#define RND() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
	size_t exits = 0, faults[ISA_FAULT_COUNT] = {0};
	for (int iter = 0; iter < 20000; iter++) {
		struct isa_slot p[16];
		size_t n = 1 + RND() % 16;
		for (size_t i = 0; i < n; i++) {
			uint64_t r = RND();
			if (iter % 2) {
				isa_slot_from_word(r, &p[i]);
				continue;
			}
			const struct isa_entry *e = &t->entries[r % t->entry_count];
			p[i] = (struct isa_slot){.opcode = e->opcode,
			                         .dst = (uint8_t)(RND() % 11),
			                         .src = (uint8_t)(RND() % 11),
			                         .off = (int16_t)((RND() % 5) - 2),
			                         .imm = (int32_t)(RND() % 7) - 3};
			if (e->match_field == ISA_FIELD_SRC)
				p[i].src = (uint8_t)e->match_value;
			if (e->match_field == ISA_FIELD_OFF)
				p[i].off = (int16_t)e->match_value;
			if (e->match_field == ISA_FIELD_IMM)
				p[i].imm = e->match_value;
			if (RND() % 16 == 0) {
				p[i].off = (int16_t)RND();
				p[i].imm = (int32_t)RND();
			} else { /* mostly well-formed, so execution gets somewhere */
				if (e->rule[ISA_FIELD_DST] == ISA_RULE_ZERO)
					p[i].dst = 0;
				if (e->rule[ISA_FIELD_SRC] == ISA_RULE_ZERO)
					p[i].src = 0;
				if (e->rule[ISA_FIELD_OFF] == ISA_RULE_ZERO)
					p[i].off = 0;
				if (e->rule[ISA_FIELD_IMM] == ISA_RULE_ZERO)
					p[i].imm = 0;
				if (e->wide && i + 1 < n)
					p[++i] = S(0, 0, 0, 0, (int32_t)RND());
			}
		}
		if (RND() % 2)
			p[n - 1] = EXIT;
		uint8_t mem[24];
		for (size_t i = 0; i < sizeof(mem); i++)
			mem[i] = (uint8_t)RND();
		struct isa_interp_opts o = {.max_insns = 500, .max_call_depth = 3, .may_goto_budget = 3};
		struct isa_interp_result res = run(p, n, mem, RND() % 2 ? sizeof(mem) : 0, &o);
		ck_assert_uint_le(res.executed, 500);
		ck_assert_int_lt(res.fault, ISA_FAULT_COUNT);
		if (res.fault == ISA_FAULT_NONE)
			exits++;
		else
			ck_assert_msg(res.msg[0] != '\0', "fault %d without a message", res.fault);
		faults[res.fault]++;
	}
#undef RND
	/* the generator reaches the interesting outcomes, not only invalid programs */
	ck_assert_uint_gt(exits, 500);
	ck_assert_uint_gt(faults[ISA_FAULT_MEMORY], 500);
	ck_assert_uint_gt(faults[ISA_FAULT_INVALID_INSN], 5000);
	ck_assert_uint_gt(faults[ISA_FAULT_BUDGET] + faults[ISA_FAULT_CALL_DEPTH], 20);
	ck_assert_uint_gt(faults[ISA_FAULT_PACKET] + faults[ISA_FAULT_HELPER], 20);
}
END_TEST

static Suite *interp_suite(void)
{
	Suite *s = suite_create("interp");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, add_sub_mul);
	tcase_add_test(tc, unsigned_div_mod);
	tcase_add_test(tc, signed_div_mod);
	tcase_add_test(tc, bitwise_and_shifts);
	tcase_add_test(tc, neg_mov_movsx);
	tcase_add_test(tc, byte_swaps);
	tcase_add_test(tc, jumps);
	tcase_add_test(tc, ja_and_ja32);
	tcase_add_test(tc, loads_and_stores);
	tcase_add_test(tc, atomics);
	tcase_add_test(tc, poison_uninitialised);
	tcase_add_test(tc, lddw_and_platform_lddw);
	tcase_add_test(tc, lddw_resolved_by_callback_into_region);
	tcase_add_test(tc, local_calls);
	tcase_add_test(tc, call_depth_fault);
	tcase_add_test(tc, helper_calls);
	tcase_add_test(tc, packet_loads);
	tcase_add_test(tc, may_goto_budget);
	tcase_add_test(tc, memory_faults);
	tcase_add_test(tc, budget_fault);
	tcase_add_test(tc, invalid_instructions);
	tcase_add_test(tc, fell_off_and_unsupported);
	tcase_add_test(tc, every_table_entry_loads);
	tcase_add_test(tc, prog_reuse_and_usage_errors);
	tcase_add_test(tc, trace_callback);
	tcase_add_test(tc, random_programs_are_contained);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(interp_suite());
}
