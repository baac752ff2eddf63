/* Throughput of the verifier's numeric domains: scalar ALU transfer, branch refinement and
 * zone operations at 8/16/32 variables. Prints figures; not a test. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "verifier/branch.h"
#include "verifier/scalar.h"
#include "verifier/zone.h"

#define NVALS 1024

static uint64_t rng = 0x243f6a8885a308d3ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A mix like real programs: constants, small ranges, masked bytes, unknowns. */
static struct vf_scalar random_scalar(void)
{
	uint64_t r = next(), a = next() >> (r % 64);
	switch (r % 5) {
	case 0: return vf_scalar_const(a);
	case 1: return vf_scalar_urange(a >> 8, (a >> 8) + (next() >> 50));
	case 2: return vf_scalar_srange(-(int64_t)(a >> 40), (int64_t)(a >> 40));
	case 3: return vf_scalar_from_tnum((struct vf_tnum){a & 0xff00, 0xff});
	default: return vf_scalar_unknown();
	}
}

static struct vf_scalar vals[NVALS];
static volatile uint64_t sink;

static void bench_alu(const char *name, const enum isa_sem *sems, int nsems, long iters)
{
	double t0 = now();
	for (long i = 0; i < iters; i++) {
		const struct vf_scalar *a = &vals[i % NVALS], *b = &vals[(i * 7 + 3) % NVALS];
		struct vf_scalar r = vf_scalar_alu(sems[i % nsems], i & 1, a, b, 16);
		sink += r.u64.hi;
	}
	double dt = now() - t0;
	printf("scalar alu %-28s %10.2f M ops/s  (%.0f ns/op)\n", name, (double)iters / dt / 1e6,
	       dt / (double)iters * 1e9);
}

static void bench_branch(long iters)
{
	static const enum isa_sem jumps[] = {ISA_SEM_JEQ,  ISA_SEM_JNE,  ISA_SEM_JGT,  ISA_SEM_JGE,
	                                     ISA_SEM_JLT,  ISA_SEM_JLE,  ISA_SEM_JSGT, ISA_SEM_JSGE,
	                                     ISA_SEM_JSLT, ISA_SEM_JSLE, ISA_SEM_JSET};
	double t0 = now();
	for (long i = 0; i < iters; i++) {
		struct vf_cond_split br;
		vf_scalar_branch(jumps[i % 11], i & 1, &vals[i % NVALS], &vals[(i * 13 + 5) % NVALS], &br);
		sink += br.outcome;
	}
	double dt = now() - t0;
	printf("branch refinement (both sides, all jumps) %10.2f M ops/s  (%.0f ns/op)\n",
	       (double)iters / dt / 1e6, dt / (double)iters * 1e9);
}

static void bench_zone(uint32_t n)
{
	struct vf_zone z, a, b, o;
	vf_zone_init(&z);
	vf_zone_init(&a);
	vf_zone_init(&b);
	vf_zone_init(&o);
	for (uint32_t v = 1; v < n; v++)
		vf_zone_assign_interval(&z, v, 0, 1000000);
	long iters = 200000, done = 0, tightened = 0;
	double t0 = now();
	for (long i = 0; i < iters; i++) {
		uint32_t x = 1 + (uint32_t)(next() % (n - 1)), y = (uint32_t)(next() % n);
		if (i % 64 == 0) { /* restart so constraints keep tightening (each one runs the closure) */
			vf_zone_free(&z);
			vf_zone_init(&z);
			for (uint32_t v = 1; v < n; v++)
				vf_zone_assign_interval(&z, v, 0, 1000000);
		}
		int64_t c = (int64_t)(next() % 2000000) - 1000000;
		tightened += c < vf_zone_upper(&z, x, y);
		vf_zone_add_constraint(&z, x, y, c);
		done++;
		if (vf_zone_is_bottom(&z)) {
			vf_zone_free(&z);
			vf_zone_init(&z);
		}
	}
	double dt = now() - t0;
	printf("zone n=%-2u add_constraint (incremental closure) %9.2f M ops/s  (%.0f ns/op, %.0f%% "
	       "tightened)\n",
	       n, (double)done / dt / 1e6, dt / (double)done * 1e9, 100.0 * (double)tightened / (double)done);

	for (uint32_t v = 1; v < n; v++) {
		vf_zone_assign_interval(&a, v, 0, (int64_t)v * 10);
		vf_zone_assign(&b, v, v > 1 ? v - 1 : 0, 3);
	}
	iters = 20000;
	t0 = now();
	for (long i = 0; i < iters; i++) {
		vf_zone_copy(&o, &a);
		vf_zone_close(&o);
	}
	dt = now() - t0;
	printf("zone n=%-2u full closure (Floyd-Warshall)       %9.2f k ops/s  (%.0f ns/op)\n", n,
	       (double)iters / dt / 1e3, dt / (double)iters * 1e9);
	t0 = now();
	for (long i = 0; i < iters; i++) {
		vf_zone_join(&o, &a, &b);
		sink += o.n;
	}
	dt = now() - t0;
	printf("zone n=%-2u join                                %9.2f k ops/s  (%.0f ns/op)\n", n,
	       (double)iters / dt / 1e3, dt / (double)iters * 1e9);
	t0 = now();
	for (long i = 0; i < iters; i++) {
		vf_zone_assign(&a, 1 + (uint32_t)(i % (n - 1)), (uint32_t)(i % n), 4);
	}
	dt = now() - t0;
	printf("zone n=%-2u assign x := y + c                   %9.2f k ops/s  (%.0f ns/op)\n", n,
	       (double)iters / dt / 1e3, dt / (double)iters * 1e9);
	vf_zone_free(&z);
	vf_zone_free(&a);
	vf_zone_free(&b);
	vf_zone_free(&o);
}

int main(void)
{
	for (int i = 0; i < NVALS; i++)
		vals[i] = random_scalar();
	static const enum isa_sem all[] = {
	    ISA_SEM_ADD,  ISA_SEM_SUB, ISA_SEM_MUL, ISA_SEM_DIV,   ISA_SEM_SDIV, ISA_SEM_MOD,
	    ISA_SEM_SMOD, ISA_SEM_OR,  ISA_SEM_AND, ISA_SEM_XOR,   ISA_SEM_LSH,  ISA_SEM_RSH,
	    ISA_SEM_ARSH, ISA_SEM_NEG, ISA_SEM_MOV, ISA_SEM_MOVSX, ISA_SEM_BE};
	static const enum isa_sem add[] = {ISA_SEM_ADD}, mul[] = {ISA_SEM_MUL}, and[] = {ISA_SEM_AND};
	static const enum isa_sem shifts[] = {ISA_SEM_LSH, ISA_SEM_RSH, ISA_SEM_ARSH};
	bench_alu("all ops mixed (32/64)", all, (int)(sizeof(all) / sizeof(all[0])), 2000000);
	bench_alu("add", add, 1, 2000000);
	bench_alu("mul", mul, 1, 2000000);
	bench_alu("and", and, 1, 2000000);
	bench_alu("shifts (counts may be ranges)", shifts, 3, 500000);
	bench_branch(2000000);
	bench_zone(8);
	bench_zone(16);
	bench_zone(32);
	return sink == 42 ? 1 : 0;
}
