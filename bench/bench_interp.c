/* Interpreter throughput: instructions per second on a long loop mixing ALU, memory, jumps and a
 * local call per round (median of 7 runs after a warm-up), and the cost of one conformance-sized
 * run (load + execute) for small programs. Prints figures; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bpfcheck/interp.h"

#define S(op, d, s, o, i) ((struct isa_slot){.opcode = (op), .dst = (d), .src = (s), .off = (o), .imm = (i)})
#define RUNS 7

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	/* r6 counts down from N; each round: arithmetic, a store and load on the stack, a
	 * conditional, a 32-bit op and (every round) a local call that adds its argument. */
	const int32_t rounds = 2000000;
	struct isa_slot p[] = {
	    S(0xb7, 0, 0, 0, 0),      /* 0: r0 = 0 */
	    S(0xb7, 6, 0, 0, rounds), /* 1: r6 = N */
	    S(0xbf, 1, 6, 0, 0),      /* 2: loop: r1 = r6 */
	    S(0x27, 1, 0, 0, 3),      /* 3: r1 *= 3 */
	    S(0x0f, 0, 1, 0, 0),      /* 4: r0 += r1 */
	    S(0x7b, 10, 0, -8, 0),    /* 5: [r10-8] = r0 */
	    S(0x79, 2, 10, -8, 0),    /* 6: r2 = [r10-8] */
	    S(0xaf, 0, 2, 0, 0),      /* 7: r0 ^= r2 */
	    S(0x45, 6, 0, 1, 1),      /* 8: if r6 & 1 goto +1 */
	    S(0x07, 0, 0, 0, 7),      /* 9: r0 += 7 */
	    S(0x64, 0, 0, 0, 1),      /* 10: w0 <<= 1 */
	    S(0x85, 0, 1, 0, 4),      /* 11: call local +4 -> 16 */
	    S(0x17, 6, 0, 0, 1),      /* 12: r6 -= 1 */
	    S(0x55, 6, 0, -12, 0),    /* 13: if r6 != 0 goto 2 */
	    S(0x95, 0, 0, 0, 0),      /* 14: exit */
	    S(0x95, 0, 0, 0, 0),      /* 15: (unreached) */
	    S(0x0f, 0, 1, 0, 0),      /* 16: r0 += r1 */
	    S(0x95, 0, 0, 0, 0),      /* 17: return */
	};
	size_t n = sizeof(p) / sizeof(p[0]);
	struct isa_interp_prog *prog;
	struct bpfc_error err;
	if (isa_interp_load(p, n, NULL, &prog, NULL, &err) != BPFC_OK) {
		fprintf(stderr, "bench_interp: %s\n", err.msg);
		return 1;
	}
	struct isa_interp_opts o = {.max_insns = 1ull << 40};
	struct isa_interp_result res;
	double rate[RUNS];
	isa_interp_run(prog, NULL, 0, &o, &res, &err); /* warm-up */
	for (int i = 0; i < RUNS; i++) {
		double t0 = now();
		isa_interp_run(prog, NULL, 0, &o, &res, &err);
		double t = now() - t0;
		if (res.fault != ISA_FAULT_NONE) {
			fprintf(stderr, "bench_interp: unexpected fault: %s\n", res.msg);
			return 1;
		}
		rate[i] = (double)res.executed / t;
	}
	qsort(rate, RUNS, sizeof(rate[0]), cmp_double);
	printf("loop: %llu instructions per run, r0 = 0x%llx\n", (unsigned long long)res.executed,
	       (unsigned long long)res.r0);
	printf("interpreter: %.1f M instructions/s (median of %d runs; min %.1f, max %.1f)\n",
	       rate[RUNS / 2] / 1e6, RUNS, rate[0] / 1e6, rate[RUNS - 1] / 1e6);
	isa_interp_prog_free(prog);

	/* conformance-sized: load + run a 6-instruction program, many times */
	struct isa_slot small[] = {S(0xb7, 0, 0, 0, 5), S(0xb7, 1, 0, 0, -3), S(0x9f, 0, 1, 1, 0),
	                           S(0x07, 0, 0, 0, 1), S(0x64, 0, 0, 0, 3),  S(0x95, 0, 0, 0, 0)};
	const int reps = 200000;
	double t0 = now();
	for (int i = 0; i < reps; i++)
		isa_interp_exec(small, 6, NULL, 0, NULL, &res, &err);
	double t = now() - t0;
	printf("load+run of a 6-instruction program: %.2f us each\n", t / reps * 1e6);
	return 0;
}
