/* Benchmark: decode + validate a 1M-slot program with a realistic mix of encodings, compared with
 * a plain memcpy + sum over the same bytes (the memory-bandwidth floor). Prints figures; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcheck/isa.h"
#include "bpfcheck/validate.h"

#define SLOTS (1u << 20)
#define RUNS 9

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static uint32_t rng = 12345;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* A clang-like mix: register moves and ALU, loads/stores off r10 and r1, conditional jumps
 * forward, helper calls, wide loads, byte swaps, atomics, and an exit every so often. */
static size_t fill(struct isa_slot *s, size_t n)
{
	static const uint8_t alu[] = {0xbf, 0xb7, 0x07, 0x0f, 0x57, 0x67, 0x77,
	                              0xb4, 0x04, 0x0c, 0x1f, 0x2f, 0xc7};
	static const uint8_t mem[] = {0x79, 0x61, 0x69, 0x71, 0x7b, 0x63, 0x6b, 0x73, 0x7a, 0x62};
	static const uint8_t jmp[] = {0x15, 0x55, 0x1d, 0x5d, 0x25, 0x2d, 0xa5, 0xb5, 0x16, 0x56, 0x05};
	size_t i = 0;
	while (i < n) {
		uint32_t r = next() % 100;
		struct isa_slot x = {0};
		if (r < 40) {
			x.opcode = alu[next() % sizeof(alu)];
			x.dst = (uint8_t)(next() % 10);
			if (x.opcode & 0x08)
				x.src = (uint8_t)(next() % 11);
			else
				x.imm = (int32_t)(next() % 64);
		} else if (r < 70) {
			x.opcode = mem[next() % sizeof(mem)];
			bool store = (x.opcode & 7) == 2 || (x.opcode & 7) == 3;
			x.dst = store ? 10 : (uint8_t)(next() % 10);
			x.src = (x.opcode & 7) == 2 ? 0 : (store ? (uint8_t)(next() % 10) : 1);
			x.off = (int16_t)(store ? -8 * (int)(1 + next() % 32) : (int)(next() % 64));
			if ((x.opcode & 7) == 2)
				x.imm = (int32_t)(next() % 100);
		} else if (r < 88) {
			x.opcode = jmp[next() % sizeof(jmp)];
			x.dst = x.opcode == 0x05 ? 0 : (uint8_t)(next() % 10);
			if (x.opcode & 0x08)
				x.src = (uint8_t)(next() % 10);
			else if (x.opcode != 0x05)
				x.imm = (int32_t)(next() % 16);
			size_t room = n - i - 1;
			x.off = (int16_t)(room ? next() % (room < 30 ? room : 30) : 0);
		} else if (r < 93) {
			x.opcode = 0x85;
			x.imm = (int32_t)(1 + next() % 200);
		} else if (r < 96 && i + 2 < n) {
			x.opcode = 0x18;
			x.dst = (uint8_t)(next() % 10);
			x.src = (uint8_t)(next() % 2 ? 0 : 1);
			x.imm = (int32_t)next();
			s[i++] = x;
			struct isa_slot y = {.imm = (int32_t)next()};
			s[i++] = y;
			continue;
		} else if (r < 98) {
			x.opcode = 0xdb;
			x.dst = 10;
			x.src = (uint8_t)(next() % 10);
			x.off = -8;
			x.imm = next() % 2 ? 0x00 : 0x01;
		} else {
			x.opcode = 0x95;
		}
		s[i++] = x;
	}
	/* Retarget jumps that landed on the second half of a wide load to its first half. */
	for (size_t k = 0; k < i; k++) {
		uint8_t cls = s[k].opcode & 7;
		if ((cls != 5 && cls != 6) || s[k].opcode == 0x85 || s[k].opcode == 0x95)
			continue;
		size_t t = k + 1 + (size_t)s[k].off;
		if (t < i && t > 0 && s[t].opcode == 0 && s[t - 1].opcode == 0x18)
			s[k].off--;
	}
	return i;
}

int main(void)
{
	struct isa_slot *prog = malloc(SLOTS * sizeof(*prog));
	uint8_t *bytes = malloc((size_t)SLOTS * 8), *copy = malloc((size_t)SLOTS * 8);
	if (!prog || !bytes || !copy)
		return 1;
	size_t n = fill(prog, SLOTS);
	for (size_t i = 0; i < n; i++)
		isa_encode_slot(&prog[i], ISA_LITTLE_ENDIAN, bytes + 8 * i);
	size_t len = n * 8;

	/* The table lookup alone: one probe of the per-opcode index per slot. */
	const struct isa_table *table = isa_table_default();
	uint32_t probe_of[256];
	for (unsigned op = 0; op < 256; op++)
		probe_of[op] = table->count[op] ? 1u << table->entries[table->first[op]].group : 0;
	double t_dec[RUNS], t_val[RUNS], t_all[RUNS], t_mem[RUNS], t_probe[RUNS];
	size_t findings = 0;
	uint64_t sink = 0;
	for (int r = 0; r < RUNS; r++) {
		struct bpfc_error err;
		struct isa_slot *slots;
		size_t cnt;
		double t0 = now();
		if (isa_decode(bytes, len, ISA_LITTLE_ENDIAN, &slots, &cnt, &err) != BPFC_OK)
			return 1;
		double t1 = now();
		struct isa_validation v;
		if (isa_validate(slots, cnt, NULL, &v, &err) != BPFC_OK)
			return 1;
		double t2 = now();
		findings = v.finding_total;
		isa_validation_free(&v);
		free(slots);
		t_dec[r] = t1 - t0;
		t_val[r] = t2 - t1;
		t_all[r] = t2 - t0;

		double m0 = now();
		memcpy(copy, bytes, len);
		uint64_t sum = 0;
		const uint64_t *w = (const uint64_t *)(const void *)copy;
		for (size_t i = 0; i < n; i++)
			sum += w[i];
		sink += sum;
		t_mem[r] = now() - m0;

		double p0 = now();
		uint32_t used = 0;
		for (size_t i = 0; i < n; i++)
			used |= probe_of[prog[i].opcode];
		sink += used;
		t_probe[r] = now() - p0;
	}
	qsort(t_dec, RUNS, sizeof(double), cmp_double);
	qsort(t_val, RUNS, sizeof(double), cmp_double);
	qsort(t_all, RUNS, sizeof(double), cmp_double);
	qsort(t_mem, RUNS, sizeof(double), cmp_double);
	qsort(t_probe, RUNS, sizeof(double), cmp_double);
	double dec = t_dec[RUNS / 2], val = t_val[RUNS / 2], all = t_all[RUNS / 2], mem = t_mem[RUNS / 2];
	double probe = t_probe[RUNS / 2];
	printf("bench_isa: %zu slots (%zu bytes), median of %d runs, %zu findings (expected 0)\n", n, len,
	       RUNS, findings);
	printf("  decode             %8.2f ms  %7.1f M slots/s\n", dec * 1e3, (double)n / dec / 1e6);
	printf("  validate           %8.2f ms  %7.1f M slots/s\n", val * 1e3, (double)n / val / 1e6);
	printf("  decode + validate  %8.2f ms  %7.1f M slots/s  %6.2f GB/s of bytecode\n", all * 1e3,
	       (double)n / all / 1e6, (double)len / all / 1e9);
	printf("  memcpy + sum       %8.2f ms  %7.1f M slots/s  %6.2f GB/s\n", mem * 1e3,
	       (double)n / mem / 1e6, (double)len / mem / 1e9);
	printf("  table probe only   %8.2f ms  %7.1f M slots/s  (the lookup's share of validate)\n",
	       probe * 1e3, (double)n / probe / 1e6);
	printf("  ratio (decode + validate) / (memcpy + sum): %.2fx   [checksum %llu]\n", all / mem,
	       (unsigned long long)(sink & 0xff));
	free(prog);
	free(bytes);
	free(copy);
	return findings ? 1 : 0;
}
