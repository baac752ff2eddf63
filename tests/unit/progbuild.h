/* Building small and large test programs slot by slot (header-only: shared by the verifier tests
 * and bench/bench_cfg.c without another library). Opcodes are the RFC 9669 encodings. */
#ifndef BPFCHECK_TESTS_PROGBUILD_H
#define BPFCHECK_TESTS_PROGBUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/prog.h"

struct pb {
	struct isa_slot *s;
	size_t n, cap;
	struct bpfc_func funcs[64];
	size_t func_cnt;
};

static inline void pb_slot(struct pb *p, uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->s = realloc(p->s, p->cap * sizeof(*p->s));
		if (!p->s)
			abort();
	}
	p->s[p->n++] = (struct isa_slot){.opcode = opcode, .dst = dst, .src = src, .off = off, .imm = imm};
}

#define PB_MOV(p, d, k) pb_slot(p, 0xb7, d, 0, 0, k)        /* rD = K */
#define PB_ADD(p, d, k) pb_slot(p, 0x07, d, 0, 0, k)        /* rD += K */
#define PB_JA(p, off) pb_slot(p, 0x05, 0, 0, off, 0)        /* goto +off */
#define PB_JA32(p, imm) pb_slot(p, 0x06, 0, 0, 0, imm)      /* gotol +imm */
#define PB_JEQ(p, d, k, off) pb_slot(p, 0x15, d, 0, off, k) /* if rD == K goto +off */
#define PB_JGT(p, d, k, off) pb_slot(p, 0x25, d, 0, off, k) /* if rD > K goto +off */
#define PB_JLT(p, d, k, off) pb_slot(p, 0xa5, d, 0, off, k) /* if rD < K goto +off */
#define PB_EXIT(p) pb_slot(p, 0x95, 0, 0, 0, 0)
#define PB_CALL(p, helper) pb_slot(p, 0x85, 0, 0, 0, helper) /* helper call */
#define PB_CALL_LOCAL(p, rel) pb_slot(p, 0x85, 0, 1, 0, rel) /* call pc + rel + 1 */
#define PB_MAY_GOTO(p, off) pb_slot(p, 0xe5, 0, 0, off, 0)
#define PB_GOTOX(p, d) pb_slot(p, 0x0d, d, 0, 0, 0)
#define PB_CALLX(p, d) pb_slot(p, 0x8d, d, 0, 0, 0)
/* lddw rD, imm64 (two slots) */
#define PB_LDDW(p, d, lo, hi) (pb_slot(p, 0x18, d, 0, 0, lo), pb_slot(p, 0x00, 0, 0, 0, hi))
/* lddw rD, code address pc + rel + 1 (src=4: a callback for bpf_loop and friends) */
#define PB_LDDW_FUNC(p, d, rel) (pb_slot(p, 0x18, d, 4, 0, rel), pb_slot(p, 0x00, 0, 0, 0, 0))

/* Names a function starting at slot start (prog->funcs); end is filled by pb_prog. */
static inline void pb_func(struct pb *p, const char *name, uint32_t start)
{
	p->funcs[p->func_cnt].name = (char *)name;
	p->funcs[p->func_cnt].start = start;
	p->funcs[p->func_cnt].end = 0;
	p->func_cnt++;
}

/* A program view of the builder (no ownership moves; pb_free frees the slots). */
static inline struct bpfc_prog pb_prog(struct pb *p)
{
	for (size_t i = 0; i < p->func_cnt; i++)
		p->funcs[i].end = i + 1 < p->func_cnt ? p->funcs[i + 1].start : (uint32_t)p->n;
	struct bpfc_prog prog;
	memset(&prog, 0, sizeof(prog));
	prog.name = (char *)"test";
	prog.insns = p->s;
	prog.insn_cnt = p->n;
	prog.funcs = p->func_cnt ? p->funcs : NULL;
	prog.func_cnt = p->func_cnt;
	return prog;
}

static inline void pb_free(struct pb *p)
{
	free(p->s);
	memset(p, 0, sizeof(*p));
}

/* Nested diamonds of depth k: "if (r1 == k) { D(k-1) } else { D(k-1) }", 3 * 2^k - 2 slots. */
static inline size_t pb_diamond_len(unsigned k)
{
	return k == 0 ? 1 : 2 + 2 * pb_diamond_len(k - 1);
}

static inline void pb_diamonds(struct pb *p, unsigned k)
{
	if (k == 0) {
		PB_MOV(p, 0, 1);
		return;
	}
	int16_t inner = (int16_t)pb_diamond_len(k - 1);
	PB_JEQ(p, 1, (int32_t)k, inner + 1); /* to the else arm */
	pb_diamonds(p, k - 1);
	PB_JA(p, inner); /* over the else arm */
	pb_diamonds(p, k - 1);
}

#endif
