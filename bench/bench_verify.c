/* Benchmark of the verifier's analysis. Generated programs of each shape — (a) straight-line
 * arithmetic and stack traffic, (b) branches joining (a diamond and a map lookup with its NULL
 * check, repeated), (c) nests of four bounded loops, repeated — are verified at N and 2N slots,
 * so the ratio shows how time and memory grow when the program doubles; then (d) every ELF
 * object in a directory (default build/tests/programs). Prints the median wall and CPU time of a few
 * runs, instructions verified per second, the states kept and the analysis's peak memory
 * (vf_stats.peak_mem_bytes), and the process's peak resident memory at the end; (e) is the
 * loop-and-lookup mix this benchmark first measured; (f) are (b) and (e) with an unchecked
 * lookup at the end, rejected, so the witness search (specs/verifier.md "Finding paths") runs;
 * (g) a main function calling subprograms and bpf_loop callbacks, each with joins and a bounded
 * loop.
 * usage: bench_verify [N [PROGRAM_DIR]]; bench_verify calls [MAX_SLOTS]: (g) alone at 10k to
 * MAX_SLOTS (default 200k) slots */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bpfcheck/input.h"
#include "bpfcheck/verify.h"

#define RUNS 5

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

/* r2 = r7; r2 += 3; r2 &= 0xff; *(u64 *)(r10 - 8) = r2; r3 = *(u64 *)(r10 - 8); r7 ^= r3 */
static void unit_straight(struct gen *g)
{
	emit(g, 0xbf, 2, 7, 0, 0);
	emit(g, 0x07, 2, 0, 0, 3);
	emit(g, 0x57, 2, 0, 0, 0xff);
	emit(g, 0x7b, 10, 2, -8, 0);
	emit(g, 0x79, 3, 10, -8, 0);
	emit(g, 0xaf, 7, 3, 0, 0);
}

/* r1 = *(u32 *)(r6 + 16); if r1 > 100 goto +1; r7 += 1; r2 = 0; l: r2 += 1; if r2 < 4 goto l
 * (with unit_lookup: the mix this benchmark measured first) */
static void unit_loop(struct gen *g)
{
	emit(g, 0x61, 1, 6, 16, 0);
	emit(g, 0x25, 1, 0, 1, 100);
	emit(g, 0x07, 7, 0, 0, 1);
	emit(g, 0xb7, 2, 0, 0, 0);
	emit(g, 0x07, 2, 0, 0, 1);
	emit(g, 0xa5, 2, 0, -2, 4);
}

/* r1 = *(u32 *)(r6 + 16); if r1 > 100 goto +1; r7 += 1 */
static void unit_diamond(struct gen *g)
{
	emit(g, 0x61, 1, 6, 16, 0);
	emit(g, 0x25, 1, 0, 1, 100);
	emit(g, 0x07, 7, 0, 0, 1);
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

/* the lookup without its NULL check: a fault at the end of a (f) program */
static void unit_unchecked(struct gen *g)
{
	emit(g, 0xb7, 1, 0, 0, 0);
	emit(g, 0x63, 10, 1, -4, 0);
	emit(g, 0xbf, 2, 10, 0, 0);
	emit(g, 0x07, 2, 0, 0, -4);
	emit(g, 0x18, 1, 5, 0, 0);
	emit(g, 0x00, 0, 0, 0, 0);
	emit(g, 0x85, 0, 0, 0, 1);
	emit(g, 0x79, 8, 0, 0, 0);
}

/* for (r1..r4 = 0; < 3; ++) r7 += r1 + ... (a nest of four loops, 18 slots) */
static void unit_nest(struct gen *g)
{
	for (int d = 1; d <= 4; d++)
		emit(g, 0xb7, (uint8_t)d, 0, 0, 0); /* rd = 0, then the head of loop d */
	for (int d = 1; d <= 4; d++)
		emit(g, 0x0f, 7, (uint8_t)d, 0, 0); /* r7 += rd */
	for (int d = 4; d >= 1; d--) {
		emit(g, 0x07, (uint8_t)d, 0, 0, 1); /* rd += 1 */
		/* if rd < 3 goto head of loop d: the head is instruction 'd' of the nest */
		int16_t back = (int16_t)(-(int)((4 + 4 + 2 * (4 - d) + 2) - d));
		emit(g, 0xa5, (uint8_t)d, 0, back, 3);
	}
}

/* A subprogram or bpf_loop callback body (16 slots): three diamonds on its argument, a stack
 * round trip in its own frame and a bounded loop; returns the value (callback: 0). */
#define SUB_SLOTS 16
static void unit_subprog(struct gen *g, bool callback)
{
	emit(g, 0xbf, 2, 1, 0, 0);    /* r2 = r1 */
	emit(g, 0x57, 2, 0, 0, 0xff); /* r2 &= 0xff */
	for (int d = 0; d < 3; d++) {
		emit(g, 0x25, 2, 0, 1, 100 - 20 * d); /* if r2 > K goto +1 */
		emit(g, 0x07, 2, 0, 0, d + 1);        /* r2 += d + 1 */
	}
	emit(g, 0x7b, 10, 2, -8, 0); /* *(u64 *)(r10 - 8) = r2 */
	emit(g, 0x79, 2, 10, -8, 0); /* r2 = *(u64 *)(r10 - 8) */
	emit(g, 0xb7, 3, 0, 0, 0);   /* r3 = 0 */
	emit(g, 0x07, 3, 0, 0, 1);   /* l: r3 += 1 */
	emit(g, 0x0f, 2, 3, 0, 0);   /* r2 += r3 */
	emit(g, 0xa5, 3, 0, -3, 4);  /* if r3 < 4 goto l */
	if (callback)
		emit(g, 0xb7, 0, 0, 0, 0); /* r0 = 0 */
	else
		emit(g, 0xbf, 0, 2, 0, 0); /* r0 = r2 */
	emit(g, 0x95, 0, 0, 0, 0);
}

/* (g) A main function calling K subprograms (r1 = r7; call sub_k; r7 += r0), every eighth one
 * instead a bpf_loop of 4 iterations over its own callback, all about `slots` slots in all:
 * each subprogram and callback is analysed in its own call context. */
static void gen_calls(struct gen *g, struct bpfc_func **funcs, size_t *func_cnt, size_t slots)
{
	size_t k = 0, total = 4;
	for (;;) {
		size_t cost = (k % 8 == 7 ? 6 : 3) + SUB_SLOTS;
		if (total + cost > slots)
			break;
		total += cost;
		k++;
	}
	size_t *site = calloc(k ? k : 1, sizeof(*site));
	struct bpfc_func *f = calloc(k + 1, sizeof(*f));
	if (!site || !f) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	emit(g, 0xbf, 6, 1, 0, 0); /* r6 = r1 */
	emit(g, 0xb7, 7, 0, 0, 0); /* r7 = 0 */
	for (size_t i = 0; i < k; i++) {
		if (i % 8 == 7) {
			emit(g, 0xb7, 1, 0, 0, 4); /* r1 = 4 (iterations) */
			site[i] = g->n;
			emit(g, 0x18, 2, 4, 0, 0); /* r2 = code_addr(callback) ll */
			emit(g, 0x00, 0, 0, 0, 0);
			emit(g, 0xb7, 3, 0, 0, 0);   /* r3 = 0 (context) */
			emit(g, 0xb7, 4, 0, 0, 0);   /* r4 = 0 (flags) */
			emit(g, 0x85, 0, 0, 0, 181); /* call bpf_loop */
		} else {
			emit(g, 0xbf, 1, 7, 0, 0); /* r1 = r7 */
			site[i] = g->n;
			emit(g, 0x85, 0, 1, 0, 0); /* call sub_i */
			emit(g, 0x0f, 7, 0, 0, 0); /* r7 += r0 */
		}
	}
	emit(g, 0xb7, 0, 0, 0, 0);
	emit(g, 0x95, 0, 0, 0, 0);
	f[0] = (struct bpfc_func){.name = "bench", .start = 0, .end = (uint32_t)g->n};
	for (size_t i = 0; i < k; i++) {
		size_t start = g->n;
		g->s[site[i]].imm = (int32_t)(start - site[i] - 1);
		unit_subprog(g, i % 8 == 7);
		f[i + 1] = (struct bpfc_func){.name = "sub", .start = (uint32_t)start, .end = (uint32_t)g->n};
	}
	free(site);
	*funcs = f;
	*func_cnt = k + 1;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of the process: less disturbed than wall time on a shared machine */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Verifies prog RUNS times; prints one line. */
static int measure(const char *kind, const struct bpfc_prog *p, const struct bpfc_map *maps, size_t map_cnt)
{
	double t[RUNS], c[RUNS];
	struct vf_stats st = {0};
	bool accepted = false;
	char first[240] = "";
	for (int r = 0; r < RUNS; r++) {
		struct vf_result res;
		struct bpfc_error err;
		double t0 = now(), c0 = cpu_now();
		if (vf_verify(p, maps, map_cnt, NULL, &res, &err)) {
			fprintf(stderr, "%s: verify: %s\n", kind, err.msg);
			return 1;
		}
		t[r] = now() - t0;
		c[r] = cpu_now() - c0;
		st = res.stats;
		accepted = vf_result_accepted(&res);
		if (!accepted && res.findings.cnt)
			snprintf(first, sizeof(first), "%s %s (path: %s)", res.findings.items[0].property,
			         res.findings.items[0].message,
			         res.findings.items[0].path_kind == VF_PATH_WITNESS  ? "witness"
			         : res.findings.items[0].path_kind == VF_PATH_MERGED ? "merged"
			                                                             : "none");
		vf_result_free(&res);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	qsort(c, RUNS, sizeof(c[0]), cmp_double);
	double med = t[RUNS / 2];
	printf("%-28s %9zu %7s %9.4f %9.4f %12.0f %9llu %10.1f\n", kind, p->insn_cnt,
	       accepted ? "pass" : "reject", med, c[RUNS / 2], med > 0 ? (double)p->insn_cnt / med : 0.0,
	       (unsigned long long)st.peak_states, (double)st.peak_mem_bytes / (1024.0 * 1024.0));
	if (first[0])
		printf("  first finding: %s\n", first);
	return 0;
}

static int generated(const char *kind, void (*unit)(struct gen *), void (*unit2)(struct gen *), size_t slots,
                     void (*tail)(struct gen *))
{
	struct bpfc_map map = {
	    .name = "m", .type = 2, .key_size = 4, .value_size = 8, .max_entries = 4, .inner_map = -1};
	struct gen g = {0};
	emit(&g, 0xbf, 6, 1, 0, 0); /* r6 = r1 */
	emit(&g, 0xb7, 7, 0, 0, 0); /* r7 = 0 */
	for (size_t i = 0; g.n + 24 < slots; i++)
		(unit2 && i % 2 ? unit2 : unit)(&g);
	if (tail)
		tail(&g);
	emit(&g, 0xb7, 0, 0, 0, 0);
	emit(&g, 0x95, 0, 0, 0, 0);
	struct bpfc_func f = {.name = "bench", .start = 0, .end = (uint32_t)g.n};
	struct bpfc_prog p = {
	    .name = "bench", .type = "xdp", .insns = g.s, .insn_cnt = g.n, .funcs = &f, .func_cnt = 1};
	char label[64];
	snprintf(label, sizeof(label), "%s", kind);
	int rc = measure(label, &p, &map, 1);
	free(g.s);
	return rc;
}

static int generated_calls(const char *kind, size_t slots)
{
	struct gen g = {0};
	struct bpfc_func *f = NULL;
	size_t fcnt = 0;
	gen_calls(&g, &f, &fcnt, slots);
	struct bpfc_prog p = {
	    .name = "bench", .type = "xdp", .insns = g.s, .insn_cnt = g.n, .funcs = f, .func_cnt = fcnt};
	int rc = measure(kind, &p, NULL, 0);
	free(g.s);
	free(f);
	return rc;
}

static int programs(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		printf("(d) no program directory %s\n", dir);
		return 0;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 3 || strcmp(de->d_name + len - 2, ".o"))
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct bpfc_input_opts io = {0};
		struct bpfc_object *obj = NULL;
		struct bpfc_error err;
		if (bpfc_input_load(path, &io, &obj, &err)) {
			printf("%s: %s\n", de->d_name, err.msg);
			continue;
		}
		for (size_t i = 0; i < obj->prog_cnt; i++) {
			char label[64];
			snprintf(label, sizeof(label), "(d) %.24s", de->d_name);
			measure(label, &obj->progs[i], obj->maps, obj->map_cnt);
		}
		bpfc_object_free(obj);
	}
	closedir(d);
	return 0;
}

/* (g) alone at 10k, 20k, 50k, 100k and 200k slots (up to max_slots). */
static int calls_series(size_t max_slots)
{
	static const size_t sizes[] = {10000, 20000, 50000, 100000, 200000, 400000};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && sizes[i] <= max_slots; i++) {
		char lab[40];
		snprintf(lab, sizeof(lab), "(g) calls+callbacks %zuk", sizes[i] / 1000);
		if (generated_calls(lab, sizes[i]))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "calls") == 0) {
		printf("%-28s %9s %7s %9s %9s %12s %9s %10s\n", "program", "slots", "verdict", "median_s",
		       "cpu_s", "insns/s", "states", "peak_MB");
		if (calls_series(argc > 2 ? strtoull(argv[2], NULL, 10) : 200000))
			return 1;
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("process peak resident memory: %.0f MB\n", (double)ru.ru_maxrss / 1024.0);
		return 0;
	}
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
	const char *dir = argc > 2 ? argv[2] : "build/tests/programs";
	if (n < 64)
		n = 64;
	printf("%-28s %9s %7s %9s %9s %12s %9s %10s\n", "program", "slots", "verdict", "median_s", "cpu_s",
	       "insns/s", "states", "peak_MB");
	for (size_t k = 1; k <= 2; k++) {
		char lab[7][40];
		snprintf(lab[0], sizeof(lab[0]), "(a) straight-line %s", k == 1 ? "N" : "2N");
		snprintf(lab[1], sizeof(lab[1]), "(b) branches+joins %s", k == 1 ? "N" : "2N");
		snprintf(lab[2], sizeof(lab[2]), "(c) loop nests %s", k == 1 ? "N" : "2N");
		snprintf(lab[3], sizeof(lab[3]), "(e) loops+lookups %s", k == 1 ? "N" : "2N");
		snprintf(lab[4], sizeof(lab[4]), "(f) b + fault at end %s", k == 1 ? "N" : "2N");
		snprintf(lab[5], sizeof(lab[5]), "(f) e + fault at end %s", k == 1 ? "N" : "2N");
		snprintf(lab[6], sizeof(lab[6]), "(g) calls+callbacks %s", k == 1 ? "N" : "2N");
		if (generated(lab[0], unit_straight, NULL, n * k, NULL) ||
		    generated(lab[1], unit_diamond, unit_lookup, n * k, NULL) ||
		    generated(lab[2], unit_nest, NULL, n * k, NULL) ||
		    generated(lab[3], unit_loop, unit_lookup, n * k, NULL) ||
		    generated(lab[4], unit_diamond, unit_lookup, n * k, unit_unchecked) ||
		    generated(lab[5], unit_loop, unit_lookup, n * k, unit_unchecked) ||
		    generated_calls(lab[6], n * k))
			return 1;
	}
	programs(dir);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("process peak resident memory: %.0f MB\n", (double)ru.ru_maxrss / 1024.0);
	return 0;
}
