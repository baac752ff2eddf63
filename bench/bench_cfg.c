/* Benchmark of the CFG + weak topological order + structural checks: time and blocks per second
 * for programs of N and 2N instructions, to show that the cost grows linearly. Prints figures;
 * not a test. Usage: bench_cfg [N] (default 500000). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../tests/unit/progbuild.h"
#include "bpfcheck/verify.h"
#include "verifier/cfg.h"
#include "verifier/wto.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum shape { STRAIGHT, DIAMONDS, LOOPS, CALLS };
static const char *shape_name[] = {"straight line", "nested diamonds (depth 10)",
                                   "loops nested 4 deep, in sequence", "8 functions, diamonds"};

/* A program of about n slots of the given shape, ending with exit. */
static void make(struct pb *p, enum shape shape, size_t n)
{
	switch (shape) {
	case STRAIGHT:
		while (p->n + 1 < n)
			PB_ADD(p, 0, 1);
		break;
	case DIAMONDS:
		while (p->n + pb_diamond_len(10) + 1 < n)
			pb_diamonds(p, 10);
		break;
	case LOOPS:
		/* Four heads, a body, four back jumps: 4 nested loops per 12 slots. */
		while (p->n + 13 < n) {
			for (int i = 0; i < 4; i++)
				PB_ADD(p, 1, 1);
			for (int i = 0; i < 4; i++)
				PB_ADD(p, 2, 1);
			for (int j = 0; j < 4; j++)
				PB_JLT(p, 1, 10, (int16_t)(-6 - 2 * j)); /* to head 3 - j */
		}
		break;
	case CALLS: {
		/* main calls 7 subprograms in a chain; each holds diamonds. */
		size_t per = n / 8;
		for (int f = 0; f < 8; f++) {
			size_t start = p->n;
			if (f < 7)
				PB_CALL_LOCAL(p, 0); /* patched below to the next function */
			while (p->n - start + pb_diamond_len(8) + 2 < per)
				pb_diamonds(p, 8);
			PB_EXIT(p);
			if (f < 7)
				p->s[start].imm = (int32_t)(p->n - start - 1);
		}
		return;
	}
	}
	PB_EXIT(p);
}

static void run(enum shape shape, size_t n)
{
	struct pb p = {0};
	make(&p, shape, n);
	struct bpfc_prog prog = pb_prog(&p);
	struct vf_findings fs;
	vf_findings_init(&fs);
	struct bpfc_error err;
	struct vf_cfg *cfg;
	struct vf_wto *wto;
	const int reps = 3;
	double best_cfg = 1e9, best_wto = 1e9, best_all = 1e9;
	uint64_t blocks = 0, heads = 0, depth = 0;
	size_t findings = 0, mem = 0;
	for (int r = 0; r < reps; r++) {
		double t0 = now();
		if (vf_cfg_build(&prog, isa_table_default(), &fs, &cfg, &err)) {
			fprintf(stderr, "cfg: %s\n", err.msg);
			exit(1);
		}
		double t1 = now();
		if (vf_wto_build(cfg, 0, &wto, &err)) {
			fprintf(stderr, "wto: %s\n", err.msg);
			exit(1);
		}
		double t2 = now();
		mem = cfg->bytes + wto->bytes;
		vf_wto_free(wto);
		vf_cfg_free(cfg);
		vf_findings_free(&fs);
		struct vf_result res;
		struct vf_options o;
		vf_options_default(&o);
		o.max_insns = 4000000;
		o.structure_only = true; /* this benchmark measures the structural passes */
		double t3 = now();
		if (vf_verify(&prog, NULL, 0, &o, &res, &err)) {
			fprintf(stderr, "verify: %s\n", err.msg);
			exit(1);
		}
		double t4 = now();
		blocks = res.stats.blocks;
		heads = res.stats.loop_heads;
		depth = res.stats.max_loop_depth;
		findings = res.findings.cnt;
		vf_result_free(&res);
		if (t1 - t0 < best_cfg)
			best_cfg = t1 - t0;
		if (t2 - t1 < best_wto)
			best_wto = t2 - t1;
		if (t4 - t3 < best_all)
			best_all = t4 - t3;
	}
	printf("  %8zu slots %8llu blocks %7llu heads depth %llu findings %zu | cfg %7.2f ms  wto %7.2f ms  "
	       "vf_verify %7.2f ms = %6.1f M blocks/s, %5.1f ns/slot, %5.1f MB\n",
	       p.n, (unsigned long long)blocks, (unsigned long long)heads, (unsigned long long)depth,
	       findings, best_cfg * 1e3, best_wto * 1e3, best_all * 1e3, (double)blocks / best_all / 1e6,
	       best_all * 1e9 / (double)p.n, (double)mem / 1e6);
	pb_free(&p);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 500000;
	if (n < 100) {
		fprintf(stderr, "usage: bench_cfg [N >= 100]\n");
		return 2;
	}
	printf("bench_cfg: best of 3; each shape at N and 2N slots\n");
	for (int s = STRAIGHT; s <= CALLS; s++) {
		printf("%s:\n", shape_name[s]);
		run((enum shape)s, n);
		run((enum shape)s, 2 * n);
	}
	return 0;
}
