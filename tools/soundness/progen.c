/* Bytes -> program (see progen.h). Encodings follow RFC 9669: opcode = class | operation | source. */
#include "progen.h"

#include <string.h>

enum {
	CLS_LD = 0x00,
	CLS_ST = 0x02,
	CLS_STX = 0x03,
	CLS_ALU = 0x04,
	CLS_JMP = 0x05,
	CLS_JMP32 = 0x06,
	CLS_ALU64 = 0x07,
	SRC_X = 0x08,
	MODE_IMM = 0x00,
	MODE_MEM = 0x60,
	MODE_MEMSX = 0x80,
	MODE_ATOMIC = 0xc0,
	SZ_W = 0x00,
	SZ_H = 0x08,
	SZ_B = 0x10,
	SZ_DW = 0x18,
	LDX = 0x01,
};

struct gen {
	const uint8_t *data;
	size_t len, pos;
	struct pg_program *p;
	uint8_t wide[PG_MAX_SLOTS]; /* 1: second slot of a 64-bit immediate load */
	bool calls_ok;              /* the main function is being generated and has a subprogram */
	size_t calls[PG_MAX_SLOTS]; /* local calls, patched to the subprogram once it is placed */
	size_t call_cnt;
};

static uint8_t byte(struct gen *g)
{
	return g->pos < g->len ? g->data[g->pos++] : 0;
}

static void emit(struct gen *g, uint8_t op, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
	if (g->p->cnt >= PG_MAX_SLOTS)
		return;
	struct isa_slot *s = &g->p->insns[g->p->cnt++];
	s->opcode = op;
	s->dst = (uint8_t)dst;
	s->src = (uint8_t)src;
	s->off = off;
	s->imm = imm;
}

/* Immediates that sit on the edges verifiers get wrong. */
static int32_t pick_imm(struct gen *g)
{
	static const int32_t edge[] = {0,  1,  2,         3,         4,      7,       8,   15,
	                               16, 31, 32,        63,        64,     255,     256, -1,
	                               -2, -8, INT32_MAX, INT32_MIN, 0xffff, 0x10000, 168, 512};
	uint8_t b = byte(g);
	if (b < 200)
		return edge[b % (sizeof(edge) / sizeof(edge[0]))];
	return (int32_t)((uint32_t)byte(g) | (uint32_t)byte(g) << 8 | (uint32_t)byte(g) << 16 |
	                 (uint32_t)byte(g) << 24);
}

static const uint8_t alu_ops[] = {0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60,
                                  0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0};
static const uint8_t jmp_ops[] = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0};
static const uint8_t sizes[] = {SZ_B, SZ_H, SZ_W, SZ_DW};
static const int sz_bytes[] = {1, 2, 4, 8};

static void gen_alu(struct gen *g, bool reg)
{
	uint8_t b = byte(g);
	uint8_t op = alu_ops[b % sizeof(alu_ops)];
	uint8_t cls = (b & 0x80) ? CLS_ALU : CLS_ALU64;
	unsigned dst = byte(g) % 10;
	unsigned src = byte(g) % 11;
	int16_t off = 0;
	int32_t imm = reg ? 0 : pick_imm(g);
	uint8_t v = byte(g);
	if (op == 0xd0) { /* le/be (ALU), bswap (ALU64) */
		static const int32_t w[] = {16, 32, 64};
		imm = w[v % 3];
		uint8_t o = op | ((v & 4) && cls == CLS_ALU ? SRC_X : 0); /* ALU64 has bswap only */
		emit(g, cls | o, dst, 0, 0, imm);
		return;
	}
	if ((op == 0x30 || op == 0x90) && (v & 1))
		off = 1; /* sdiv / smod */
	if (op == 0xb0 && reg && (v & 2)) {
		static const int16_t w[] = {8, 16, 32};
		off = w[(v >> 2) % (cls == CLS_ALU ? 2 : 3)]; /* movsx (ALU: from 8 or 16 bits) */
	}
	if (op == 0x80) { /* neg: no source */
		emit(g, cls | op, dst, 0, 0, 0);
		return;
	}
	emit(g, cls | op | (reg ? SRC_X : 0), dst, reg ? src : 0, off, imm);
}

static void gen_jump(struct gen *g)
{
	uint8_t b = byte(g);
	uint8_t op = jmp_ops[b % sizeof(jmp_ops)];
	uint8_t cls = (b & 0x80) ? CLS_JMP32 : CLS_JMP;
	bool reg = byte(g) & 1;
	unsigned dst = byte(g) % 11, src = byte(g) % 11;
	uint8_t o = byte(g);
	int16_t off = (o & 0xe0) == 0xe0 ? (int16_t)(-1 - (o % 6)) : (int16_t)(o % 8);
	emit(g, cls | op | (reg ? SRC_X : 0), dst, reg ? src : 0, off, reg ? 0 : pick_imm(g));
}

static int16_t stack_off(struct gen *g, int size)
{
	uint8_t b = byte(g);
	int16_t off = (int16_t)(-(int)(1 + b % 64) * 8);
	if (b & 0x40)
		off = (int16_t)(off + (int)(byte(g) % 8)); /* possibly misaligned, possibly past the top */
	(void)size;
	return off;
}

static void gen_map_lookup(struct gen *g)
{
	uint8_t b = byte(g);
	emit(g, CLS_ST | MODE_MEM | SZ_W, 10, 0, -4, (int32_t)(b % 6)); /* key: 0..5, 4 entries */
	emit(g, CLS_LD | MODE_IMM | SZ_DW, 1, 1, 0, 0);                 /* r1 = map 0 */
	size_t second = g->p->cnt;
	emit(g, 0, 0, 0, 0, 0);
	if (second < PG_MAX_SLOTS)
		g->wide[second] = 1;
	emit(g, CLS_ALU64 | 0xb0 | SRC_X, 2, 10, 0, 0);
	emit(g, CLS_ALU64 | 0x00, 2, 0, 0, -4);
	emit(g, CLS_JMP | 0x80, 0, 0, 0, 1); /* call bpf_map_lookup_elem */
	if (b & 0x80)
		emit(g, CLS_JMP | 0x10, 0, 0, (int16_t)(1 + byte(g) % 6), 0); /* if r0 == 0 goto +k */
	if (b & 0x40)
		emit(g, CLS_ALU64 | 0xb0 | SRC_X, 7 + (byte(g) % 3), 0, 0, 0); /* keep it in r7..r9 */
}

/* xdp: r7 = data, r8 = data_end are set by the prologue; these items work on the packet. */
static void gen_packet(struct gen *g)
{
	uint8_t b = byte(g);
	unsigned tmp = 2 + byte(g) % 4; /* r2..r5 */
	int k = b % 4;
	switch ((b >> 2) % 8) {
	case 6: /* len = data_end - data; if (off + K > len) goto out; p = data + off (relational) */
		emit(g, CLS_ALU64 | 0xb0 | SRC_X, 4, 8, 0, 0);
		emit(g, CLS_ALU64 | 0x10 | SRC_X, 4, 7, 0, 0);               /* r4 = len */
		emit(g, CLS_ALU64 | 0x50, 3, 0, 0, (b & 0x80) ? 0xf : 0x3f); /* r3 = off, masked */
		emit(g, CLS_ALU64 | 0xb0 | SRC_X, 2, 3, 0, 0);
		emit(g, CLS_ALU64 | 0x00, 2, 0, 0, (int32_t)(byte(g) % 12));
		emit(g, CLS_JMP | ((b & 0x40) ? 0x20 : 0x30) | SRC_X, 2, 4, (int16_t)(2 + byte(g) % 6), 0);
		emit(g, CLS_ALU64 | 0xb0 | SRC_X, 5, 7, 0, 0);
		emit(g, CLS_ALU64 | 0x00 | SRC_X, 5, 3, 0, 0); /* r5 = data + off */
		break;
	case 7: /* a load through r5 (a pointer the relational case made, or whatever it is) */
		emit(g, LDX | MODE_MEM | sizes[k], tmp == 5 ? 2 : tmp, 5, (int16_t)(byte(g) % 12), 0);
		break;
	case 0: /* if (data + K > data_end) goto out (K near the loads' offsets) */
	case 1:
		emit(g, CLS_ALU64 | 0xb0 | SRC_X, tmp, 7, 0, 0);
		emit(g, CLS_ALU64 | 0x00, tmp, 0, 0, (int32_t)(byte(g) % 40));
		emit(g, CLS_JMP | ((b & 0x80) ? 0x20 : 0x30) | SRC_X, tmp, 8, (int16_t)(1 + byte(g) % 8), 0);
		break;
	case 2: /* load from the packet */
		emit(g, LDX | MODE_MEM | sizes[k], tmp, 7, (int16_t)(byte(g) % 40), 0);
		break;
	case 3: /* store to the packet */
		emit(g, CLS_STX | MODE_MEM | sizes[k], 7, tmp, (int16_t)(byte(g) % 40), 0);
		break;
	case 4: /* move the packet pointer by a bounded or unbounded amount */
		if (b & 0x80) {
			emit(g, CLS_ALU64 | 0x00, 7, 0, 0, (int32_t)(byte(g) % 16));
		} else {
			emit(g, CLS_ALU64 | 0x50, tmp, 0, 0, (b & 0x40) ? 0xf : 0xff); /* tmp &= mask */
			emit(g, CLS_ALU64 | 0x00 | SRC_X, 7, tmp, 0, 0);
		}
		break;
	case 5: /* compare two packet pointers, or data_end with a pointer */
		emit(g, CLS_JMP | ((b & 0x80) ? 0xb0 : 0xa0) | SRC_X, (b & 0x40) ? 8 : tmp, 7,
		     (int16_t)(1 + byte(g) % 8), 0);
		break;
	}
}

static void gen_item(struct gen *g, enum pg_type type, int depth);

/* A counted loop: rC = 0; body: 1-3 items; rC += step; if rC < N goto body. The counter may be
 * clobbered by the body (then the loop may not terminate, which the verifier must see). */
static void gen_loop(struct gen *g, enum pg_type type, int depth)
{
	static const unsigned counters[] = {2, 3, 4, 5, 9};
	uint8_t b = byte(g);
	unsigned c = counters[b % 5];
	int32_t step = (b & 0x20) ? 1 + byte(g) % 4 : 1;
	int32_t bound = 1 + byte(g) % 20;
	emit(g, CLS_ALU64 | 0xb0, c, 0, 0, 0);
	size_t head = g->p->cnt;
	int items = 1 + byte(g) % 3;
	for (int i = 0; i < items && g->p->cnt + 12 < PG_MAX_SLOTS; i++)
		gen_item(g, type, depth + 1);
	emit(g, ((b & 0x40) ? CLS_ALU : CLS_ALU64) | 0x00, c, 0, 0, step);
	size_t jmp = g->p->cnt;
	uint8_t op = (b & 0x80) ? 0xa0 /* jlt */ : 0x50 /* jne: exact only when step divides N */;
	emit(g, CLS_JMP | op, c, 0, (int16_t)((long)head - (long)jmp - 1), bound);
}

static void gen_item(struct gen *g, enum pg_type type, int depth)
{
	/* weighted: mostly constructs a correct program uses, some that are usually wrong */
	static const uint8_t menu[] = {0,  0,  1,  1,  2,  3,  4,  5,  5,  6,  7,  7,  8,  8,  9,  10,
	                               10, 16, 16, 16, 11, 12, 13, 14, 14, 15, 18, 18, 19, 20, 21, 21};
	uint8_t what = menu[byte(g) % sizeof(menu)];
	if (type == PG_XDP && (byte(g) & 1))
		what = 17;
	if (what == 19 && depth >= 2)
		what = 0;
	uint8_t b;
	int k;
	switch (what) {
	case 0:
	case 1:
	case 2: gen_alu(g, false); break;
	case 3:
	case 4: gen_alu(g, true); break;
	case 5:
	case 6: gen_jump(g); break;
	case 7: /* store to the stack: register or immediate */
		b = byte(g);
		k = b % 4;
		if (b & 0x10)
			emit(g, CLS_ST | MODE_MEM | sizes[k], 10, 0, stack_off(g, sz_bytes[k]), pick_imm(g));
		else
			emit(g, CLS_STX | MODE_MEM | sizes[k], 10, byte(g) % 11, stack_off(g, sz_bytes[k]),
			     0);
		break;
	case 8: /* load from the stack, maybe sign-extending */
		b = byte(g);
		k = b % 4;
		emit(g, LDX | ((b & 0x10) && k < 3 ? MODE_MEMSX : MODE_MEM) | sizes[k], byte(g) % 10, 10,
		     stack_off(g, sz_bytes[k]), 0);
		break;
	case 9: /* load from the context */
		b = byte(g);
		k = b % 4;
		emit(g, LDX | MODE_MEM | sizes[k], byte(g) % 10, 6,
		     (int16_t)((b & 0x80) ? byte(g) % 176 : (byte(g) % 22) * (type == PG_XDP ? 4 : 8)), 0);
		break;
	case 10: gen_map_lookup(g); break;
	case 11: /* load through any register */
		b = byte(g);
		k = b % 4;
		emit(g, LDX | MODE_MEM | sizes[k], byte(g) % 10, byte(g) % 11,
		     (int16_t)((int)(b >> 2) % 24 - 4), 0);
		break;
	case 12: /* store through any register */
		b = byte(g);
		k = b % 4;
		emit(g, CLS_STX | MODE_MEM | sizes[k], byte(g) % 11, byte(g) % 11,
		     (int16_t)((int)(b >> 2) % 24 - 4), 0);
		break;
	case 13: /* helper without pointer arguments: ktime_get_ns, get_prandom_u32 */
		emit(g, CLS_JMP | 0x80, 0, 0, 0, (byte(g) & 1) ? 5 : 7);
		break;
	case 14: /* copy (frame pointer and pointers included) */
		emit(g, CLS_ALU64 | 0xb0 | SRC_X, byte(g) % 10, byte(g) % 11, 0, 0);
		break;
	case 16: /* access a map value (or whatever r0, r7..r9 hold) at an offset near its size */
		b = byte(g);
		k = b % 4;
		if (b & 0x80)
			emit(g, LDX | MODE_MEM | sizes[k], byte(g) % 10, (b & 0x40) ? 0 : 7 + byte(g) % 3,
			     (int16_t)(byte(g) % (PG_MAP_VALUE + 2)), 0);
		else
			emit(g, CLS_STX | MODE_MEM | sizes[k], (b & 0x40) ? 0 : 7 + byte(g) % 3, byte(g) % 10,
			     (int16_t)(byte(g) % (PG_MAP_VALUE + 2)), 0);
		break;
	case 17: gen_packet(g); break;
	case 18: /* a bounded variable offset added to a map value or the stack pointer */
		b = byte(g);
		k = 2 + b % 4;                                                        /* r2..r5 */
		emit(g, CLS_ALU64 | 0x50, (unsigned)k, 0, 0, (b & 0x80) ? 0xf : 0x7); /* rk &= mask */
		emit(g, CLS_ALU64 | 0x00 | SRC_X, (b & 0x40) ? 0 : 7 + byte(g) % 3, (unsigned)k, 0, 0);
		break;
	case 19: gen_loop(g, type, depth); break;
	case 21: /* an offset bounded by comparing it with another register, then used on r0/r7..r9 */
		b = byte(g);
		k = 2 + b % 4; /* r2..r5: the offset */
		{
			unsigned other = 2 + (b >> 2) % 4, ptr = (b & 0x80) ? 0 : 7 + byte(g) % 3;
			if (other == (unsigned)k)
				other = 9;
			emit(g, CLS_ALU64 | 0xb0, other, 0, 0, (int32_t)(byte(g) % (PG_MAP_VALUE + 2)));
			/* if off >= other (or >) skip the use: it runs with off < other (or <=) */
			emit(g, ((b & 0x40) ? CLS_JMP32 : CLS_JMP) | ((b & 0x20) ? 0x30 : 0x20) | SRC_X,
			     (unsigned)k, other, 2, 0);
			emit(g, CLS_ALU64 | 0x00 | SRC_X, ptr, (unsigned)k, 0, 0);
			emit(g, LDX | MODE_MEM | SZ_B, 1 + byte(g) % 5, ptr, 0, 0);
		}
		break;
	case 20: /* call the subprogram: a pointer or a number as its first argument */
		if (!g->calls_ok) {
			gen_alu(g, false);
			break;
		}
		b = byte(g);
		if (b & 1)
			emit(g, CLS_ALU64 | 0xb0 | SRC_X, 1, (b & 2) ? 10 : 6, 0, 0); /* r1 = fp or ctx */
		if (g->p->cnt < PG_MAX_SLOTS)
			g->calls[g->call_cnt++] = g->p->cnt;
		emit(g, CLS_JMP | 0x80, 0, 1, 0, -1); /* call pc+?, patched */
		break;
	case 15: /* atomic add on the stack or through a register */
		b = byte(g);
		emit(g, CLS_STX | MODE_ATOMIC | ((b & 1) ? SZ_DW : SZ_W), (b & 2) ? 10 : byte(g) % 10,
		     byte(g) % 10, (b & 2) ? stack_off(g, 8) : 0, (b & 4) ? 0x01 : 0x00);
		break;
	}
}

/* Ends the function that starts at slot start (r0 = 0 mostly, exit) and keeps its jumps inside
 * it and off the second slot of a 64-bit load: a target past its end becomes the epilogue. */
static void finish_function(struct gen *g, size_t start)
{
	struct pg_program *out = g->p;
	uint8_t tail = byte(g);
	size_t epilogue = out->cnt;
	if (tail >= 16)
		emit(g, CLS_ALU64 | 0xb0, 0, 0, 0, 0); /* r0 = 0 (else r0 may be unset at exit) */
	emit(g, CLS_JMP | 0x90, 0, 0, 0, 0);           /* exit */
	size_t last = out->cnt - 1;
	for (size_t i = start; i < epilogue; i++) {
		struct isa_slot *s = &out->insns[i];
		uint8_t cls = s->opcode & 7;
		if ((cls != CLS_JMP && cls != CLS_JMP32) || (s->opcode & 0xf0) == 0x80 ||
		    (s->opcode & 0xf0) == 0x90 || g->wide[i])
			continue;
		long t = (long)i + 1 + s->off;
		if (t < (long)start)
			t = (long)start;
		if (t > (long)last)
			t = (long)epilogue;
		if (g->wide[t])
			t--;
		s->off = (int16_t)(t - (long)i - 1);
	}
}

void pg_generate(const uint8_t *data, size_t len, size_t max_ops, enum pg_type type, struct pg_program *out)
{
	struct gen g = {.data = data, .len = len, .p = out};
	memset(out, 0, sizeof(*out));
	memset(g.wide, 0, sizeof(g.wide));
	emit(&g, CLS_ALU64 | 0xb0 | SRC_X, 6, 1, 0, 0); /* r6 = r1 (the context) */
	if (type == PG_XDP) {
		emit(&g, LDX | MODE_MEM | SZ_W, 7, 6, 0, 0); /* r7 = ctx->data */
		emit(&g, LDX | MODE_MEM | SZ_W, 8, 6, 4, 0); /* r8 = ctx->data_end */
	}
	/* most registers start set (a small constant or an unknown context field), some stay unset */
	static const unsigned init_regs[] = {0, 2, 3, 4, 5, 9, 7, 8};
	size_t n_init = type == PG_XDP ? 6 : sizeof(init_regs) / sizeof(init_regs[0]);
	for (size_t i = 0; i < n_init; i++) {
		uint8_t b = byte(&g);
		if (b < 32)
			continue;
		if (b < 144)
			emit(&g, CLS_ALU64 | 0xb0, init_regs[i], 0, 0, pick_imm(&g));
		else
			emit(&g, LDX | MODE_MEM | sizes[b % 4], init_regs[i], 6,
			     type == PG_XDP ? (int16_t)(12 + (byte(&g) % 3) * 4)
			                    : (int16_t)((byte(&g) % 21) * 8),
			     0);
	}
	bool with_sub = byte(&g) & 1; /* a bpf-to-bpf subprogram the items may call */
	g.calls_ok = with_sub;
	for (size_t n = 0; n < max_ops && g.pos < g.len && out->cnt + 80 < PG_MAX_SLOTS; n++)
		gen_item(&g, type, 0);
	if (with_sub && !g.call_cnt) { /* an uncalled subprogram would be unreachable code */
		g.calls[g.call_cnt++] = out->cnt;
		emit(&g, CLS_JMP | 0x80, 0, 1, 0, -1);
	}
	finish_function(&g, 0);
	if (with_sub) {
		/* the callee: r1..r5 are its arguments, r6..r9 the verifier's "not initialised" */
		size_t sub = out->cnt;
		g.calls_ok = false;
		for (size_t n = 0; n < max_ops / 2 && g.pos < g.len && out->cnt + 40 < PG_MAX_SLOTS; n++)
			gen_item(&g, type, 1);
		finish_function(&g, sub);
		for (size_t i = 0; i < g.call_cnt; i++)
			out->insns[g.calls[i]].imm = (int32_t)((long)sub - (long)g.calls[i] - 1);
	}
}
