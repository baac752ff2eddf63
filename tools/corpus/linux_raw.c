/* corpus-linux-raw: measures vf_verify() against the verdicts of the Linux kernel's raw verifier
 * tests (tools/testing/selftests/bpf/verifier/ as JSON lines). Writes one TSV line per test and
 * load mode, and prints agreement per direction with the disagreements grouped for the people who
 * work on the verifier. A measurement, not a test: it never fails on disagreement.
 * See specs/measurements.md. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcheck/verify.h"
#include "linux_raw_parse.h"

enum outcome { OUT_ACCEPT, OUT_REJECT, OUT_ERROR };

struct rec {
	int64_t id;
	char *descr;
	bool unpriv;
	bool kernel_accepts;
	enum outcome ours;
	char *property; /* first error finding's property, or the error code's name */
	char *message;
	char *errstr; /* the kernel's expected log text for this mode */
	uint64_t ns;
	uint8_t path_kind;     /* first error finding's enum vf_path_kind */
	bool kernel_imprecise; /* a VF-KERNEL-IMPRECISE finding (note, or error with --linux-compat) */
};

struct recs {
	struct rec *items;
	size_t cnt, cap;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "corpus-linux-raw: out of memory\n");
		exit(2);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d) {
		fprintf(stderr, "corpus-linux-raw: out of memory\n");
		exit(2);
	}
	return d;
}

/* TSV fields must not contain tabs or newlines; the kernel's errstr uses tabs as separators. */
static void tsv_field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' ? '|' : *s == '\n' ? ' ' : *s, f);
}

static const char *first_part(const char *errstr, char *buf, size_t len)
{
	size_t n = strcspn(errstr, "\t");
	if (n >= len)
		n = len - 1;
	memcpy(buf, errstr, n);
	buf[n] = '\0';
	return buf[0] ? buf : "(no errstr)";
}

static void run_one(const struct lr_test *t, const char *type_name, bool privileged, bool linux_compat,
                    struct recs *out)
{
	struct bpfc_prog prog = {
	    .name = t->descr, .type = (char *)type_name, .insns = t->insns, .insn_cnt = t->insn_cnt};
	struct vf_options opts;
	vf_options_default(&opts);
	opts.privileged = privileged;
	opts.linux_compat = linux_compat;
	struct vf_result res;
	struct bpfc_error err;
	bpfc_error_clear(&err);
	uint64_t start = now_ns();
	int rc = vf_verify(&prog, t->maps, t->map_cnt, &opts, &res, &err);
	uint64_t ns = now_ns() - start;

	if (out->cnt == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 256;
		out->items = xrealloc(out->items, out->cap * sizeof(*out->items));
	}
	struct rec *r = &out->items[out->cnt++];
	memset(r, 0, sizeof(*r));
	r->id = t->id;
	r->descr = xstrdup(t->descr);
	r->unpriv = !privileged;
	int expected = privileged || t->result_unpriv == LR_UNDEF ? t->result : t->result_unpriv;
	r->kernel_accepts = expected != LR_REJECT;
	const char *errstr = !privileged && t->errstr_unpriv[0] ? t->errstr_unpriv : t->errstr;
	r->errstr = xstrdup(errstr);
	r->ns = ns;
	if (rc) {
		r->ours = OUT_ERROR;
		r->property = xstrdup(bpfc_err_name((enum bpfc_err)rc));
		r->message = xstrdup(err.msg);
		return;
	}
	r->ours = vf_result_accepted(&res) ? OUT_ACCEPT : OUT_REJECT;
	for (size_t i = 0; i < res.findings.cnt; i++) {
		const struct vf_finding *f = &res.findings.items[i];
		if (!strcmp(f->property, "VF-KERNEL-IMPRECISE"))
			r->kernel_imprecise = true;
		if (f->severity != VF_SEV_ERROR || r->property)
			continue;
		char msg[600];
		if (f->insn == VF_NO_INSN)
			snprintf(msg, sizeof(msg), "%s", f->message);
		else
			snprintf(msg, sizeof(msg), "insn %" PRIu32 ": %s", f->insn, f->message);
		r->property = xstrdup(f->property);
		r->message = xstrdup(msg);
		r->path_kind = f->path_kind;
	}
	if (!r->property) {
		r->property = xstrdup("");
		r->message = xstrdup("");
	}
	vf_result_free(&res);
}

static const char *outcome_name(enum outcome o)
{
	return o == OUT_ACCEPT ? "accept" : o == OUT_REJECT ? "reject" : "error";
}

/* Group key of a disagreement: our property for false rejections, the kernel's errstr for misses. */
static const char *group_key(const struct rec *r, char *buf, size_t len)
{
	if (r->kernel_accepts)
		return r->ours == OUT_ERROR ? "(vf_verify error)" : r->property;
	return first_part(r->errstr, buf, len);
}

struct group {
	const char *key;
	size_t cnt;
};

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->cnt != y->cnt)
		return x->cnt < y->cnt ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Prints the records selected by want (kernel accepts / rejects) whose verdict differs, grouped. */
static void print_groups(const struct recs *rs, bool unpriv, bool kernel_accepts)
{
	struct group *groups = NULL;
	char **keys = NULL;
	size_t gcnt = 0;
	for (size_t i = 0; i < rs->cnt; i++) {
		const struct rec *r = &rs->items[i];
		if (r->unpriv != unpriv || r->kernel_accepts != kernel_accepts)
			continue;
		if ((r->ours == OUT_ACCEPT) == kernel_accepts)
			continue;
		char buf[256];
		const char *key = group_key(r, buf, sizeof(buf));
		size_t g = 0;
		while (g < gcnt && strcmp(groups[g].key, key))
			g++;
		if (g == gcnt) {
			groups = xrealloc(groups, (gcnt + 1) * sizeof(*groups));
			keys = xrealloc(keys, (gcnt + 1) * sizeof(*keys));
			keys[gcnt] = xstrdup(key);
			groups[gcnt].key = keys[gcnt];
			groups[gcnt].cnt = 0;
			gcnt++;
		}
		groups[g].cnt++;
	}
	if (gcnt)
		qsort(groups, gcnt, sizeof(*groups), cmp_group);
	for (size_t g = 0; g < gcnt; g++) {
		printf("  [%zu] %s\n", groups[g].cnt, groups[g].key[0] ? groups[g].key : "(no finding)");
		for (size_t i = 0; i < rs->cnt; i++) {
			const struct rec *r = &rs->items[i];
			if (r->unpriv != unpriv || r->kernel_accepts != kernel_accepts ||
			    (r->ours == OUT_ACCEPT) == kernel_accepts)
				continue;
			char buf[256];
			if (strcmp(group_key(r, buf, sizeof(buf)), groups[g].key))
				continue;
			if (kernel_accepts)
				printf("      #%-4" PRId64 " %-55.55s  %s\n", r->id, r->descr, r->message);
			else
				printf("      #%-4" PRId64 " %-55.55s  errstr: %s\n", r->id, r->descr,
				       r->errstr[0] ? r->errstr : "-");
		}
	}
	for (size_t g = 0; g < gcnt; g++)
		free(keys[g]);
	free(keys);
	free(groups);
}

static void pct(const char *label, size_t num, size_t den, const char *target)
{
	printf("  %-44s %4zu / %-4zu = %5.1f%%%s\n", label, num, den,
	       den ? 100.0 * (double)num / (double)den : 0.0, target);
}

static void summary(const struct recs *rs, bool unpriv)
{
	size_t rej = 0, rej_ok = 0, acc = 0, acc_ok = 0, errors = 0;
	uint64_t total_ns = 0, max_ns = 0;
	int64_t max_id = -1;
	for (size_t i = 0; i < rs->cnt; i++) {
		const struct rec *r = &rs->items[i];
		if (r->unpriv != unpriv)
			continue;
		errors += r->ours == OUT_ERROR;
		total_ns += r->ns;
		if (r->ns > max_ns) {
			max_ns = r->ns;
			max_id = r->id;
		}
		if (r->kernel_accepts) {
			acc++;
			acc_ok += r->ours == OUT_ACCEPT;
		} else {
			rej++;
			rej_ok += r->ours == OUT_REJECT;
		}
	}
	size_t n = acc + rej;
	printf("\n== %s loads: %zu tests ==\n", unpriv ? "unprivileged" : "privileged", n);
	pct("kernel rejects, bpfcheck rejects:", rej_ok, rej, unpriv ? "" : "   (target >= 95%)");
	pct("kernel accepts, bpfcheck accepts:", acc_ok, acc, unpriv ? "" : "   (target >= 85%)");
	pct("same verdict:", rej_ok + acc_ok, n, "");
	if (errors)
		printf("  vf_verify returned an error (counted as not rejected): %zu\n", errors);
	printf("  time: total %.1f ms, mean %.1f us per test, slowest #%" PRId64 " %.1f ms\n",
	       (double)total_ns / 1e6, n ? (double)total_ns / 1e3 / (double)n : 0.0, max_id,
	       (double)max_ns / 1e6);
	printf("\n-- kernel rejects, bpfcheck accepts (%zu), by the kernel's errstr:\n", rej - rej_ok);
	print_groups(rs, unpriv, false);
	printf("\n-- kernel accepts, bpfcheck rejects (%zu), by bpfcheck's first finding:\n", acc - acc_ok);
	print_groups(rs, unpriv, true);
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: corpus-linux-raw [--tsv FILE] [--no-unpriv] [--quiet] [--linux-compat] CORPUS.jsonl\n"
	        "Runs vf_verify on every test of the kernel's raw verifier tests and compares verdicts.\n"
	        "  --tsv FILE     one line per test and load mode (default: linux-raw.tsv)\n"
	        "  --no-unpriv    skip the unprivileged runs (socket_filter, cgroup_skb tests)\n"
	        "  --quiet        print only the counts, not the lists of disagreements\n"
	        "  --linux-compat verify with vf_options.linux_compat (VF-KERNEL-IMPRECISE is an error)\n"
	        "Exit 0 when the corpus was measured (whatever the agreement), 2 on usage or I/O error.\n");
}

int main(int argc, char **argv)
{
	const char *tsv_path = "linux-raw.tsv", *corpus = NULL;
	bool do_unpriv = true, quiet = false, linux_compat = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--tsv") && i + 1 < argc) {
			tsv_path = argv[++i];
		} else if (!strcmp(argv[i], "--no-unpriv")) {
			do_unpriv = false;
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if (!strcmp(argv[i], "--linux-compat")) {
			linux_compat = true;
		} else if (argv[i][0] != '-' && !corpus) {
			corpus = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!corpus) {
		usage(stderr);
		return 2;
	}
	FILE *in = fopen(corpus, "r");
	if (!in) {
		perror(corpus);
		return 2;
	}
	FILE *tsv = fopen(tsv_path, "w");
	if (!tsv) {
		perror(tsv_path);
		fclose(in);
		return 2;
	}
	fprintf(tsv, "id\tmode\tkernel\tbpfcheck\tagree\tproperty\tmessage\terrstr\ttime_us\tdescr\n");

	struct recs rs = {0};
	size_t lines = 0, bad = 0, fill = 0, unmodelled = 0, no_type = 0, tests = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t start = now_ns();
	while ((len = getline(&line, &cap, in)) > 0) {
		lines++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		struct lr_test t;
		struct bpfc_error err;
		bpfc_error_clear(&err);
		int rc = lr_parse_line(line, (size_t)len, &t, &err);
		if (rc == BPFC_ERR_UNSUPPORTED) {
			unmodelled++;
			fprintf(stderr, "%s:%zu: test #%" PRId64 " skipped: %s\n", corpus, lines, t.id,
			        err.msg);
			lr_test_free(&t);
			continue;
		}
		if (rc) {
			bad++;
			fprintf(stderr, "%s:%zu: bad line: %s\n", corpus, lines, err.msg);
			continue;
		}
		tests++;
		if (t.fill) {
			fill++;
			lr_test_free(&t);
			continue;
		}
		const char *type_name = lr_prog_type_name(t.prog_type);
		if (!type_name) {
			no_type++;
			fprintf(stderr,
			        "%s:%zu: test #%" PRId64 " skipped: program type %" PRIu32 " unknown\n",
			        corpus, lines, t.id, t.prog_type);
			lr_test_free(&t);
			continue;
		}
		size_t first = rs.cnt;
		run_one(&t, type_name, true, linux_compat, &rs);
		if (do_unpriv && lr_runs_unprivileged(&t))
			run_one(&t, type_name, false, linux_compat, &rs);
		for (size_t i = first; i < rs.cnt; i++) {
			const struct rec *r = &rs.items[i];
			fprintf(tsv, "%" PRId64 "\t%s\t%s\t%s\t%s\t", r->id, r->unpriv ? "unpriv" : "priv",
			        r->kernel_accepts ? "accept" : "reject", outcome_name(r->ours),
			        (r->ours == OUT_ACCEPT) == r->kernel_accepts ? "yes" : "no");
			tsv_field(tsv, r->property);
			fputc('\t', tsv);
			tsv_field(tsv, r->message);
			fputc('\t', tsv);
			tsv_field(tsv, r->errstr);
			fprintf(tsv, "\t%.1f\t", (double)r->ns / 1e3);
			tsv_field(tsv, r->descr);
			fputc('\n', tsv);
		}
		lr_test_free(&t);
	}
	uint64_t total = now_ns() - start;
	free(line);
	int io_err = ferror(in);
	fclose(in);
	if (fclose(tsv) || io_err) {
		fprintf(stderr, "corpus-linux-raw: I/O error on %s or %s\n", corpus, tsv_path);
		return 2;
	}

	printf("corpus: %s\n", corpus);
	printf("lines: %zu; tests: %zu; bad lines: %zu; skipped: %zu generated at run time (fill), %zu "
	       "unmodelled fixup kind, %zu unknown program type\n",
	       lines, tests + unmodelled, bad, fill, unmodelled, no_type);
	printf("per-test lines: %s; wall time (parse + verify): %.1f ms\n", tsv_path, (double)total / 1e6);
	for (int pass = 0; pass < (do_unpriv ? 2 : 1); pass++) {
		if (!quiet) {
			summary(&rs, pass == 1);
			continue;
		}
		size_t rej = 0, rej_ok = 0, acc = 0, acc_ok = 0, kinds[3] = {0, 0, 0};
		for (size_t i = 0; i < rs.cnt; i++) {
			const struct rec *r = &rs.items[i];
			if (r->unpriv != (pass == 1))
				continue;
			if (r->kernel_accepts) {
				acc++;
				acc_ok += r->ours == OUT_ACCEPT;
			} else {
				rej++;
				rej_ok += r->ours == OUT_REJECT;
				if (r->ours == OUT_REJECT && r->path_kind <= VF_PATH_WITNESS)
					kinds[r->path_kind]++;
			}
		}
		printf("%s: kernel rejects -> bpfcheck rejects %zu/%zu; kernel accepts -> bpfcheck accepts "
		       "%zu/%zu\n",
		       pass ? "unprivileged" : "privileged", rej_ok, rej, acc_ok, acc);
		/* specs/verifier.md, "Finding paths" */
		printf("%s: first error's path of those rejects: witness %zu, merged %zu, none %zu\n",
		       pass ? "unprivileged" : "privileged", kinds[VF_PATH_WITNESS], kinds[VF_PATH_MERGED],
		       kinds[VF_PATH_NONE]);
	}
	for (int pass = 0; pass < (do_unpriv ? 2 : 1); pass++) {
		size_t on_rej = 0, on_acc = 0;
		for (size_t i = 0; i < rs.cnt; i++) {
			const struct rec *r = &rs.items[i];
			if (r->unpriv != (pass == 1) || !r->kernel_imprecise)
				continue;
			*(r->kernel_accepts ? &on_acc : &on_rej) += 1;
			if (!quiet)
				printf("  VF-KERNEL-IMPRECISE on #%" PRId64 " (kernel %s): %s\n", r->id,
				       r->kernel_accepts ? "accepts" : "rejects", r->descr);
		}
		/* specs/verifier.md, "Linux compatibility" */
		printf("%s: VF-KERNEL-IMPRECISE on %zu kernel-rejected and %zu kernel-accepted tests\n",
		       pass ? "unprivileged" : "privileged", on_rej, on_acc);
	}
	for (size_t i = 0; i < rs.cnt; i++) {
		free(rs.items[i].descr);
		free(rs.items[i].property);
		free(rs.items[i].message);
		free(rs.items[i].errstr);
	}
	free(rs.items);
	return 0;
}
