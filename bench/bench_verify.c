/* Benchmark of the verifier's analysis: generated programs of growing size (a bounded loop, a
 * branch and a join per 9 instructions; a map lookup with its NULL check per 11) verified with
 * vf_verify; prints instructions, wall time, states kept and the process's peak memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bpfcheck/verify.h"

struct gen {
	struct isa_slot *s;
	size_t n, cap;
};

static void emit(struct gen *g, uint8_t op, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->s = realloc(g->s, g->cap * sizeof(*g->s));
		if (!g->s) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
	g->s[g->n++] = (struct isa_slot){.opcode = op, .dst = dst, .src = src, .off = off, .imm = imm};
}

/* r1 = *(u32 *)(r6 + 16); if r1 > 100 goto +1; r7 += 1; r2 = 0; l: r2 += 1; if r2 < 4 goto l */
static void unit_loop(struct gen *g)
{
	emit(g, 0x61, 1, 6, 16, 0);
	emit(g, 0x25, 1, 0, 1, 100);
	emit(g, 0x07, 7, 0, 0, 1);
	emit(g, 0xb7, 2, 0, 0, 0);
	emit(g, 0x07, 2, 0, 0, 1);
	emit(g, 0xa5, 2, 0, -2, 4);
}

/* key on the stack, lookup, NULL check, read the value */
static void unit_lookup(struct gen *g)
{
	emit(g, 0xb7, 1, 0, 0, 0);
	emit(g, 0x63, 10, 1, -4, 0);
	emit(g, 0xbf, 2, 10, 0, 0);
	emit(g, 0x07, 2, 0, 0, -4);
	emit(g, 0x18, 1, 5, 0, 0);
	emit(g, 0x00, 0, 0, 0, 0);
	emit(g, 0x85, 0, 0, 0, 1);
	emit(g, 0x15, 0, 0, 1, 0);
	emit(g, 0x79, 8, 0, 0, 0);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
	static const size_t sizes[] = {10000, 100000, 1000000};
	struct bpfc_map map = {
	    .name = "m", .type = 2, .key_size = 4, .value_size = 8, .max_entries = 4, .inner_map = -1};
	printf("%10s %10s %10s %12s %10s %12s\n", "slots", "verdict", "time_s", "iterations", "states",
	       "maxrss_MB");
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct gen g = {0};
		emit(&g, 0xbf, 6, 1, 0, 0); /* r6 = r1 */
		emit(&g, 0xb7, 7, 0, 0, 0); /* r7 = 0 */
		for (size_t i = 0; g.n + 20 < sizes[k]; i++) {
			if (i % 2)
				unit_lookup(&g);
			else
				unit_loop(&g);
		}
		emit(&g, 0xb7, 0, 0, 0, 0);
		emit(&g, 0x95, 0, 0, 0, 0);
		struct bpfc_func f = {.name = "bench", .start = 0, .end = (uint32_t)g.n};
		struct bpfc_prog p = {.name = "bench",
		                      .type = "xdp",
		                      .insns = g.s,
		                      .insn_cnt = g.n,
		                      .funcs = &f,
		                      .func_cnt = 1};
		struct vf_result res;
		struct bpfc_error err;
		double t0 = now();
		if (vf_verify(&p, &map, 1, NULL, &res, &err)) {
			fprintf(stderr, "verify: %s\n", err.msg);
			return 1;
		}
		double t1 = now();
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("%10zu %10s %10.2f %12llu %10llu %12.0f\n", g.n,
		       vf_result_accepted(&res) ? "pass" : "reject", t1 - t0,
		       (unsigned long long)res.stats.iterations, (unsigned long long)res.stats.peak_states,
		       (double)ru.ru_maxrss / 1024.0);
		if (!vf_result_accepted(&res) && res.findings.cnt)
			printf("  first finding: %s %s\n", res.findings.items[0].property,
			       res.findings.items[0].message);
		vf_result_free(&res);
		free(g.s);
	}
	return 0;
}
