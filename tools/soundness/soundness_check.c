/* soundness-check: generates many programs (progen.h) from a seed, and reports every program
 * bpfcheck accepts that faults when run (oracle.h). A measurement and bug-finding tool; see
 * specs/measurements.md ("Soundness check"). Exit 0: no unsound verdict; 1: at least one; 2: usage.
 *
 *   soundness-check [--type kprobe|xdp] [--seed S] [--count N] [--ops K] [--runs R] [--repairs M] [--show N]
 *                   [--quiet] [--dump K] */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcheck/asm.h"
#include "oracle.h"
#include "progen.h"

/* The program as LLVM assembly: numbered for reading, or bare (--dump) for `bpfcheck verify`. */
static void print_prog(const struct pg_program *p, bool numbered)
{
	char buf[256];
	for (size_t i = 0; i < p->cnt;) {
		size_t n = isa_disasm_insn(isa_table_default(), p->insns, p->cnt, i, ISA_DIALECT_LLVM, buf,
		                           sizeof(buf));
		if (numbered)
			printf("    %4zu: %s\n", i, buf);
		else
			printf("%s\n", buf);
		i += n ? n : 1;
	}
}

/* The last jump after head that goes back to it or before it, or NULL. */
static struct isa_slot *back_edge_to(struct pg_program *p, uint32_t head)
{
	for (size_t i = p->cnt; i-- > head + 1u;) {
		struct isa_slot *s = &p->insns[i];
		unsigned cls = s->opcode & 7, op = s->opcode & 0xf0;
		if ((cls == 0x05 || cls == 0x06) && op != 0x80 && op != 0x90 &&
		    (long)i + 1 + s->off <= (long)head && (i == 0 || p->insns[i - 1].opcode != 0x18))
			return s;
	}
	return NULL;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		return -1;
	*v = x;
	return 0;
}

/* Counts of the first error finding's property among rejected programs. */
struct tally {
	char id[64];
	uint64_t n;
};

int main(int argc, char **argv)
{
	uint64_t seed = 1, count = 1000, ops = 24, runs = 4, show = 3, repairs = 40;
	uint64_t n_repairs = 0, n_repaired = 0, slowest = 0, dump = UINT64_MAX;
	double slowest_ms = 0;
	bool quiet = false;
	enum pg_type type = PG_KPROBE;
	for (int i = 1; i < argc; i++) {
		uint64_t *dst = NULL;
		if (!strcmp(argv[i], "--seed"))
			dst = &seed;
		else if (!strcmp(argv[i], "--count"))
			dst = &count;
		else if (!strcmp(argv[i], "--ops"))
			dst = &ops;
		else if (!strcmp(argv[i], "--runs"))
			dst = &runs;
		else if (!strcmp(argv[i], "--show"))
			dst = &show;
		else if (!strcmp(argv[i], "--dump"))
			dst = &dump;
		else if (!strcmp(argv[i], "--repairs"))
			dst = &repairs;
		else if (!strcmp(argv[i], "--type")) {
			if (i + 1 < argc && !strcmp(argv[i + 1], "xdp"))
				type = PG_XDP;
			else if (i + 1 < argc && !strcmp(argv[i + 1], "kprobe"))
				type = PG_KPROBE;
			else {
				fprintf(stderr, "soundness-check: --type takes kprobe or xdp\n");
				return 2;
			}
			i++;
			continue;
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
			continue;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf(
			    "usage: soundness-check [--type kprobe|xdp] [--seed S] [--count N] [--ops K] "
			    "[--runs R] [--repairs M] [--show N] [--quiet] [--dump K]\n"
			    "Generates N kprobe (or xdp) programs of up to K menu items from seed S, "
			    "verifies each with\n"
			    "bpfcheck and runs every accepted one R times in the reference interpreter. "
			    "Prints each\n"
			    "accepted program that faults (at most --show of them in full). A rejected "
			    "program is\n"
			    "repaired up to M times (the first error's instruction becomes `goto +0`) and "
			    "judged\n"
			    "again. Exit 1 if any accepted program faulted. --dump K prints program K as "
			    "generated\n"
			    "(assembly for `bpfcheck verify --type TYPE --map m:array:4:16:4`) and exits.\n");
			return 0;
		} else {
			fprintf(stderr, "soundness-check: unknown option '%s' (see --help)\n", argv[i]);
			return 2;
		}
		if (i + 1 >= argc || parse_u64(argv[i + 1], dst) != 0) {
			fprintf(stderr, "soundness-check: %s needs a number\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (dump != UINT64_MAX && count <= dump)
		count = dump + 1;
	if (runs == 0 || runs > 1000 || ops > 400) {
		fprintf(stderr, "soundness-check: --runs must be 1..1000 and --ops at most 400\n");
		return 2;
	}
	uint64_t n_rej = 0, n_safe = 0, n_unsound = 0, n_budget = 0, n_harness = 0, shown = 0;
	struct tally tal[64];
	size_t tal_cnt = 0;
	static struct pg_program prog;
	uint8_t bytes[2048];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t k = 0; k < count; k++) {
		uint64_t s = seed * 0x100000001b3ull + k;
		for (size_t i = 0; i < sizeof(bytes); i += 8) {
			uint64_t r = pg_rand(&s);
			memcpy(bytes + i, &r, 8);
		}
		pg_generate(bytes, sizeof(bytes), (size_t)ops, type, &prog);
		if (dump != UINT64_MAX) {
			if (k == dump) {
				print_prog(&prog, false);
				return 0;
			}
			continue;
		}
		struct timespec p0, p1;
		clock_gettime(CLOCK_MONOTONIC, &p0);
		struct or_outcome oc;
		or_check(prog.insns, prog.cnt, type, (unsigned)runs, seed ^ k, &oc);
		/* Repair: turn the instruction of the first error into `goto +0` and judge again. The
		 * programs that come out accepted sit right at the edge of what the verifier allows,
		 * where an unsound rule would show. The tally counts the first verdict. */
		char first[64] = "";
		if (oc.verdict == OR_REJECTED)
			snprintf(first, sizeof(first), "%.*s", (int)strcspn(oc.first_finding, " "),
			         oc.first_finding);
		for (uint64_t rep = 0; rep < repairs && oc.verdict == OR_REJECTED && oc.first_insn < prog.cnt;
		     rep++) {
			struct isa_slot *sl = &prog.insns[oc.first_insn];
			if (sl->opcode == 0x95)
				break; /* an exit (r0 unset): without it the program would fall off its end */
			if (sl->opcode == 0x05 && sl->off == 0) {
				/* already `goto +0`: a finding about the loop headed here; cut its last back
				 * edge */
				sl = back_edge_to(&prog, oc.first_insn);
				if (!sl)
					break;
				*sl = (struct isa_slot){.opcode = 0x05};
				n_repairs++;
				or_check(prog.insns, prog.cnt, type, (unsigned)runs, seed ^ k, &oc);
				continue;
			}
			bool wide = sl->opcode == 0x18 && oc.first_insn + 1 < prog.cnt;
			*sl = (struct isa_slot){.opcode = 0x05};
			if (wide)
				prog.insns[oc.first_insn + 1] = (struct isa_slot){.opcode = 0x05};
			n_repairs++;
			or_check(prog.insns, prog.cnt, type, (unsigned)runs, seed ^ k, &oc);
		}
		if (oc.verdict != OR_REJECTED && first[0])
			n_repaired++;
		clock_gettime(CLOCK_MONOTONIC, &p1);
		double ms = (double)(p1.tv_sec - p0.tv_sec) * 1e3 + (double)(p1.tv_nsec - p0.tv_nsec) / 1e6;
		if (ms > slowest_ms) {
			slowest_ms = ms;
			slowest = k;
		}
		switch (oc.verdict) {
		case OR_REJECTED: {
			n_rej++;
			const char *id = first;
			size_t j = 0;
			while (j < tal_cnt && strcmp(tal[j].id, id))
				j++;
			if (j == tal_cnt && tal_cnt < 64) {
				snprintf(tal[tal_cnt].id, sizeof(tal[tal_cnt].id), "%s", id);
				tal[tal_cnt++].n = 0;
			}
			if (j < tal_cnt)
				tal[j].n++;
			break;
		}
		case OR_SAFE: n_safe++; break;
		case OR_BUDGET:
		case OR_UNSOUND:
		case OR_HARNESS:
			if (oc.verdict == OR_UNSOUND)
				n_unsound++;
			else if (oc.verdict == OR_BUDGET)
				n_budget++;
			else
				n_harness++;
			if (!quiet || oc.verdict == OR_UNSOUND) {
				printf("%s: program %" PRIu64 " (--seed %" PRIu64 "): %s\n",
				       oc.verdict == OR_UNSOUND  ? "UNSOUND"
				       : oc.verdict == OR_BUDGET ? "budget"
				                                 : "harness",
				       k, seed, oc.what);
				if (shown < show) {
					print_prog(&prog, true);
					shown++;
				}
			}
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("programs: %" PRIu64 " %s (seed %" PRIu64 ", up to %" PRIu64 " items, %" PRIu64
	       " runs each), %.2f s\n",
	       count, type == PG_XDP ? "xdp" : "kprobe", seed, ops, runs, secs);
	printf("accepted: %" PRIu64 " (%.1f%%): ran safely %" PRIu64 ", UNSOUND %" PRIu64
	       ", hit the budget %" PRIu64 ", not judged %" PRIu64 "\n",
	       n_safe + n_unsound + n_budget + n_harness,
	       count ? 100.0 * (double)(n_safe + n_unsound + n_budget + n_harness) / (double)count : 0.0,
	       n_safe, n_unsound, n_budget, n_harness);
	printf("slowest program (generation, repairs, verification and runs): %" PRIu64 ", %.1f ms\n",
	       slowest, slowest_ms);
	printf("repaired into acceptance: %" PRIu64 " (%" PRIu64 " repairs)\n", n_repaired, n_repairs);
	printf("rejected in the end: %" PRIu64 "; first error of the generated program, by property:", n_rej);
	for (size_t i = 0; i < tal_cnt; i++)
		printf(" %s %" PRIu64, tal[i].id, tal[i].n);
	printf("\n");
	return n_unsound ? 1 : 0;
}
