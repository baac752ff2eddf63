/* Walks tests/programs/vf_*.c: each states its expected verdict on its first line
 * ("// expect: pass", "// expect: reject ID", "// expect: warn ID", "// expect: note ID"), confirmed
 * against the Linux kernel. Loads the compiled object through bpfc_input_load and checks the
 * verifier agrees: pass = accepted with no finding of error severity, and no VF-KERNEL-IMPRECISE
 * note (the kernel accepts it: also accepted with --linux-compat), reject ID = rejected with an ID
 * error, warn ID = accepted with an ID warning (and rejected with ID when unprivileged), note ID =
 * accepted with an ID note and rejected with an ID error under --linux-compat (vf_options
 * linux_compat): safe, but the kernel rejects it. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/input.h"
#include "bpfcheck/verify.h"
#include "testutil.h"

struct expect {
	char kind[16];
	char prop[64];
};

static int read_expect(const char *src_path, struct expect *e)
{
	FILE *f = fopen(src_path, "r");
	if (!f)
		return -1;
	char line[256];
	int rc = -1;
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < 2 && fgets(line, sizeof(line), f); i++) {
		if (sscanf(line, "// expect: %15s %63s", e->kind, e->prop) >= 1) {
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

static size_t count(const struct vf_result *r, const char *prop, enum vf_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.cnt; i++)
		if (strcmp(r->findings.items[i].property, prop) == 0 && r->findings.items[i].severity == sev)
			n++;
	return n;
}

static void describe(const struct vf_result *r, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < r->findings.cnt && used < len; i++) {
		int k = snprintf(buf + used, len - used, " [%s %s @%u: %s]", r->findings.items[i].property,
		                 vf_severity_name(r->findings.items[i].severity), r->findings.items[i].insn,
		                 r->findings.items[i].message);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

static void check_one(const char *name, const struct expect *e)
{
	char *path = tu_program_path(name);
	struct bpfc_input_opts io;
	memset(&io, 0, sizeof(io));
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	ck_assert_msg(bpfc_input_load(path, &io, &obj, &err) == BPFC_OK, "%s: %s", name, err.msg);
	ck_assert_msg(obj->prog_cnt >= 1, "%s: no program", name);
	/* runs: 1 privileged, 0 unprivileged ("warn"), 2 privileged with linux_compat ("pass", "note") */
	for (int run = 1; run >= 0; run = run == 1 ? (strcmp(e->kind, "warn") == 0 ? 0 : 2) : -1) {
		if (run == 2 && strcmp(e->kind, "pass") != 0 && strcmp(e->kind, "note") != 0)
			break;
		int priv = run != 0;
		struct vf_options o;
		vf_options_default(&o);
		o.privileged = priv;
		o.linux_compat = run == 2;
		o.btf = obj->btf; /* as the CLI passes it: the layout of structs behind BTF pointers */
		struct vf_result res;
		ck_assert_msg(vf_verify(&obj->progs[0], obj->maps, obj->map_cnt, &o, &res, &err) == BPFC_OK,
		              "%s: %s", name, err.msg);
		char d[4096];
		describe(&res, d, sizeof(d));
		bool ok = vf_result_accepted(&res);
		if (strcmp(e->kind, "pass") == 0) {
			ck_assert_msg(ok && count(&res, "VF-KERNEL-IMPRECISE", VF_SEV_NOTE) == 0,
			              "%s: expected pass%s, got%s", name,
			              run == 2 ? " with --linux-compat" : "", d);
		} else if (strcmp(e->kind, "note") == 0) {
			if (run == 2)
				ck_assert_msg(!ok && count(&res, e->prop, VF_SEV_ERROR) >= 1,
				              "%s: expected reject %s with --linux-compat, got%s", name,
				              e->prop, d);
			else
				ck_assert_msg(ok && count(&res, e->prop, VF_SEV_NOTE) >= 1,
				              "%s: expected pass with a %s note, got%s", name, e->prop, d);
		} else if (strcmp(e->kind, "reject") == 0) {
			ck_assert_msg(!ok && count(&res, e->prop, VF_SEV_ERROR) >= 1,
			              "%s: expected reject %s, got%s", name, e->prop, d);
		} else if (priv) {
			ck_assert_msg(ok && count(&res, e->prop, VF_SEV_WARNING) >= 1,
			              "%s: expected warn %s, got%s", name, e->prop, d);
		} else {
			ck_assert_msg(!ok && count(&res, e->prop, VF_SEV_ERROR) >= 1,
			              "%s: expected reject %s when unprivileged, got%s", name, e->prop, d);
		}
		vf_result_free(&res);
	}
	bpfc_object_free(obj);
	free(path);
}

START_TEST(all_programs)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	DIR *d = opendir(BPFCHECK_TEST_SRC_DIR "/programs");
	ck_assert_ptr_nonnull(d);
	struct dirent *de;
	int seen = 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (strncmp(de->d_name, "vf_", 3) != 0 || n < 3 || strcmp(de->d_name + n - 2, ".c") != 0)
			continue;
		char src[1024], name[256];
		snprintf(src, sizeof(src), "%s/programs/%s", BPFCHECK_TEST_SRC_DIR, de->d_name);
		snprintf(name, sizeof(name), "%.*s", (int)(n - 2), de->d_name);
		struct expect e;
		ck_assert_msg(read_expect(src, &e) == 0, "%s: no '// expect:' line", de->d_name);
		check_one(name, &e);
		seen++;
	}
	closedir(d);
	ck_assert_msg(seen >= 17, "only %d vf_*.c programs found", seen);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify_programs");
	TCase *tc = tcase_create("programs");
	tcase_add_test(tc, all_programs);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
