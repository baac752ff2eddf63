/* Measures ELF loading: loads every .o given (files or directories, recursively) REPEAT times,
 * and prints programs, maps and CO-RE relocations found, load errors by kind, and the median
 * load time per object. Used by scripts/measure-elf. Not a test: it prints figures.
 *   bench_list [-n REPEAT] [-v] PATH... */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcheck/elf.h"
#include "common/fileio.h"

struct files {
	char **paths;
	size_t cnt, cap;
};

static struct files g_files; /* nftw has no user pointer */

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t n = strlen(path);
	if (type == FTW_F && n > 2 && strcmp(path + n - 2, ".o") == 0) {
		if (g_files.cnt == g_files.cap) {
			g_files.cap = g_files.cap ? g_files.cap * 2 : 64;
			g_files.paths = realloc(g_files.paths, g_files.cap * sizeof(char *));
			if (!g_files.paths)
				exit(2);
		}
		g_files.paths[g_files.cnt++] = strdup(path);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* A coarse kind for an error message, to count failures by cause. */
static const char *error_kind(const char *msg)
{
	static const struct {
		const char *needle, *kind;
	} kinds[] = {{".BTF.ext", "btf_ext"}, {"BTF", "btf"},           {"relocation", "relocation"},
	             {"lddw", "relocation"},  {"call", "call"},         {"extern", "extern"},
	             {"'.maps'", "map"},      {"map", "map"},           {"ELF", "elf_header"},
	             {"section", "section"},  {"function", "function"}, {"symbol", "symbol"}};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strstr(msg, kinds[i].needle))
			return kinds[i].kind;
	return "other";
}

int main(int argc, char **argv)
{
	int repeat = 20, verbose = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else {
			fprintf(stderr, "usage: bench_list [-n REPEAT] [-v] PATH...\n");
			return 2;
		}
	}
	if (i >= argc || repeat < 1) {
		fprintf(stderr, "usage: bench_list [-n REPEAT] [-v] PATH...\n");
		return 2;
	}
	for (; i < argc; i++)
		nftw(argv[i], collect, 16, FTW_PHYS);
	qsort(g_files.paths, g_files.cnt, sizeof(char *), cmp_str);
	double *medians = calloc(g_files.cnt + 1, sizeof(double)),
	       *runs = calloc((size_t)repeat, sizeof(double));
	const char *kind_names[32];
	size_t kind_counts[32], kinds = 0;
	size_t loaded = 0, failed = 0, progs = 0, insns = 0, maps = 0, relos = 0, unresolved = 0, lines = 0;
	size_t no_line = 0; /* instructions of programs with line info that have none */
	double total_us = 0;
	for (size_t f = 0; f < g_files.cnt; f++) {
		uint8_t *buf;
		size_t len;
		struct bpfc_error err;
		if (bpfc_read_file(g_files.paths[f], 1u << 30, &buf, &len, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			continue;
		}
		struct bpfc_object *obj = NULL;
		int rc = 0;
		for (int r = 0; r < repeat; r++) {
			double t0 = now_us();
			rc = elf_load_object(g_files.paths[f], buf, len, NULL, &obj, &err);
			runs[r] = now_us() - t0;
			total_us += runs[r];
			if (r + 1 < repeat)
				bpfc_object_free(obj);
		}
		qsort(runs, (size_t)repeat, sizeof(double), cmp_dbl);
		if (rc) {
			failed++;
			const char *k = error_kind(err.msg);
			size_t j = 0;
			while (j < kinds && strcmp(kind_names[j], k) != 0)
				j++;
			if (j == kinds && kinds < 32) {
				kind_names[kinds] = k;
				kind_counts[kinds++] = 0;
			}
			if (j < 32)
				kind_counts[j]++;
			printf("FAIL %s: [%s] %s\n", g_files.paths[f], k, err.msg);
		} else {
			medians[loaded++] = runs[repeat / 2];
			size_t pi = 0;
			for (size_t p = 0; p < obj->prog_cnt; p++) {
				insns += obj->progs[p].insn_cnt;
				pi += obj->progs[p].insn_cnt;
				lines += obj->progs[p].lines != NULL;
				for (size_t k = 0; obj->progs[p].lines && k < obj->progs[p].insn_cnt; k++)
					no_line += obj->progs[p].lines[k].file == NULL;
			}
			progs += obj->prog_cnt;
			maps += obj->map_cnt;
			relos += obj->core_relo_cnt;
			unresolved += obj->core_unresolved;
			if (verbose)
				printf("ok   %s: %zu programs, %zu insns, %zu maps, %zu CO-RE (%zu "
				       "unresolved), %.1f us\n",
				       g_files.paths[f], obj->prog_cnt, pi, obj->map_cnt, obj->core_relo_cnt,
				       obj->core_unresolved, runs[repeat / 2]);
		}
		bpfc_object_free(obj);
		free(buf);
	}
	qsort(medians, loaded, sizeof(double), cmp_dbl);
	printf("objects: %zu, loaded: %zu, failed: %zu\n", g_files.cnt, loaded, failed);
	printf(
	    "programs: %zu (with line info: %zu), instructions: %zu (without a source line: %zu), maps: %zu, "
	    "CO-RE relocations: %zu (unresolved: %zu)\n",
	    progs, lines, insns, no_line, maps, relos, unresolved);
	for (size_t j = 0; j < kinds; j++)
		printf("errors[%s]: %zu\n", kind_names[j], kind_counts[j]);
	if (loaded)
		printf("load time per object (median of %d runs each): median %.1f us, p90 %.1f us, max %.1f "
		       "us; "
		       "total %.1f ms for %zu loads\n",
		       repeat, medians[loaded / 2], medians[loaded * 9 / 10], medians[loaded - 1],
		       total_us / 1000, g_files.cnt * (size_t)repeat);
	for (size_t f = 0; f < g_files.cnt; f++)
		free(g_files.paths[f]);
	free(g_files.paths);
	free(medians);
	free(runs);
	return failed ? 1 : 0;
}
