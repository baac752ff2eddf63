/* The conformance runner: one .data test, or a directory of them, against the built-in
 * interpreter or an external plugin. Test selection (name regexes, -mcpu level, conformance
 * groups computed from the program's instructions with the ISA table) happens before anything
 * runs; outcomes are PASS/FAIL/ERROR/SKIP with the expected and observed values. */
#define _GNU_SOURCE /* asprintf, pipe2 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/conformance.h"
#include "bpfcheck/input.h"
#include "common/fileio.h"
#include "common/text.h"

#define DATA_MAX_BYTES (16u << 20)

const char *bpfc_conf_status_name(enum bpfc_conf_status s)
{
	switch (s) {
	case BPFC_CONF_PASS: return "PASS";
	case BPFC_CONF_FAIL: return "FAIL";
	case BPFC_CONF_ERROR: return "ERROR";
	case BPFC_CONF_SKIP: return "SKIP";
	}
	return "?";
}

int bpfc_conf_helper(void *ctx, const struct isa_interp_call *call, uint64_t *ret, char *msg, size_t msg_len)
{
	(void)ctx;
	if (call->kind != ISA_CALL_BTF && call->id == 5) {
		*ret = call->args[0];
		return 0;
	}
	snprintf(msg, msg_len, "only helper 5 (returns its argument) exists in the conformance environment");
	return -1;
}

void bpfc_conf_interp_opts(const struct isa_table *t, struct isa_interp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->isa = t;
	o->byte_order = ISA_LITTLE_ENDIAN;
	o->helper = bpfc_conf_helper;
}

void bpfc_conf_program_needs(const struct isa_table *t, const struct isa_slot *slots, size_t count,
                             isa_group_mask *groups, unsigned *cpu)
{
	isa_group_mask g = 0;
	unsigned c = 1;
	for (size_t i = 0; i < count; i++) {
		const struct isa_entry *e = isa_lookup(t, &slots[i]);
		if (!e)
			continue;
		if (e->sem == ISA_SEM_WIDE_SLOT2)
			continue; /* counted with its first slot */
		g |= 1u << e->group;
		if (e->cpu > c)
			c = e->cpu;
		if (e->wide)
			i++;
	}
	*groups = g;
	*cpu = c;
}

int bpfc_conf_parse_groups(const struct isa_table *t, const char *list, isa_group_mask *out,
                           struct bpfc_error *err)
{
	*out = 0;
	const char *p = list;
	while (*p) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		size_t n = 0;
		while (p[n] && p[n] != ',' && !isspace((unsigned char)p[n]))
			n++;
		if (n == 0)
			break;
		char name[64];
		if (n >= sizeof(name))
			return bpfc_error_set(err, BPFC_ERR_USAGE, "group name '%.*s...' is too long", 32, p);
		memcpy(name, p, n);
		name[n] = '\0';
		int g = isa_group_find(t, name);
		if (g < 0) {
			char known[512] = "";
			for (size_t i = 0; i < t->group_count; i++) {
				size_t l = strlen(known);
				snprintf(known + l, sizeof(known) - l, "%s%s", i ? ", " : "",
				         t->groups[i].name);
			}
			return bpfc_error_set(err, BPFC_ERR_USAGE,
			                      "unknown conformance group '%s' (known: %s)", name, known);
		}
		*out |= t->groups[g].closure;
		p += n;
	}
	if (!*out)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "no conformance group named in '%s'", list);
	return BPFC_OK;
}

int bpfc_conf_hex_decode(const char *text, uint8_t **out, size_t *len, struct bpfc_error *err)
{
	size_t tlen = strlen(text);
	uint8_t *b = malloc(tlen / 2 + 1);
	if (!b)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory decoding %zu characters of hex",
		                      tlen);
	size_t n = 0;
	const char *p = text;
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *tok = p;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		const char *digits = p;
		while (*p && !isspace((unsigned char)*p) && bpfc_hex_digit((unsigned char)*p) >= 0)
			p++;
		size_t nd = (size_t)(p - digits);
		if ((*p && !isspace((unsigned char)*p)) || nd == 0 || nd % 2) {
			size_t tl = 0;
			while (tok[tl] && !isspace((unsigned char)tok[tl]) && tl < 20)
				tl++;
			free(b);
			return bpfc_error_set(
			    err, BPFC_ERR_INPUT,
			    "'%.*s' at character %zu is not hex bytes (pairs of hex digits)", (int)tl, tok,
			    (size_t)(tok - text) + 1);
		}
		for (size_t i = 0; i < nd; i += 2)
			b[n++] = (uint8_t)(bpfc_hex_digit((unsigned char)digits[i]) << 4 |
			                   bpfc_hex_digit((unsigned char)digits[i + 1]));
	}
	*out = b;
	*len = n;
	return BPFC_OK;
}

static char *hex_encode(const uint8_t *b, size_t n)
{
	char *s = malloc(n * 3 + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		snprintf(s + 3 * i, 4, "%02x%s", b[i], i + 1 < n ? " " : "");
	s[n ? n * 3 - 1 : 0] = '\0';
	return s;
}

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *trimmed(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

static void set_detail(struct bpfc_conf_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_detail(struct bpfc_conf_case *c, const char *fmt, ...)
{
	free(c->detail);
	c->detail = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&c->detail, fmt, ap) < 0)
		c->detail = NULL;
	va_end(ap);
}

/* Runs the program; on return exactly one of got_value / *runtime_error (malloc'd) is set, or
 * the case is an ERROR (could not run at all) and the function returns false. */
static bool execute(const struct bpfc_conf_opts *o, const struct isa_table *t, const struct isa_slot *slots,
                    size_t count, const uint8_t *mem, size_t mem_len, struct bpfc_conf_case *c,
                    char **runtime_error)
{
	*runtime_error = NULL;
	if (!o->runtime) {
		struct isa_interp_opts io;
		bpfc_conf_interp_opts(t, &io);
		uint8_t *copy = malloc(mem_len ? mem_len : 1);
		if (!copy) {
			c->status = BPFC_CONF_ERROR;
			set_detail(c, "out of memory");
			return false;
		}
		if (mem_len)
			memcpy(copy, mem, mem_len);
		struct isa_interp_result res;
		struct bpfc_error err;
		int rc = isa_interp_exec(slots, count, copy, mem_len, &io, &res, &err);
		free(copy);
		if (rc != BPFC_OK) {
			c->status = BPFC_CONF_ERROR;
			set_detail(c, "%s", err.msg);
			return false;
		}
		if (res.fault != ISA_FAULT_NONE) {
			if (asprintf(runtime_error, "%s: %s", isa_interp_fault_name(res.fault), res.msg) < 0)
				*runtime_error = NULL;
			if (!*runtime_error)
				*runtime_error = strdup("fault");
		} else {
			c->got_value = true;
			c->got = res.r0;
		}
		return true;
	}

	uint8_t *code = malloc(count * 8 + 1);
	char *prog_hex = NULL, *mem_hex = NULL;
	if (code) {
		for (size_t i = 0; i < count; i++)
			isa_encode_slot(&slots[i], ISA_LITTLE_ENDIAN, code + 8 * i);
		prog_hex = hex_encode(code, count * 8);
	}
	if (mem_len)
		mem_hex = hex_encode(mem, mem_len);
	size_t nargs = 0;
	while (o->runtime_args && o->runtime_args[nargs])
		nargs++;
	char **args = calloc(nargs + 2, sizeof(*args));
	if (!code || !prog_hex || (mem_len && !mem_hex) || !args) {
		free(code);
		free(prog_hex);
		free(mem_hex);
		free(args);
		c->status = BPFC_CONF_ERROR;
		set_detail(c, "out of memory");
		return false;
	}
	size_t a = 0;
	if (mem_hex)
		args[a++] = mem_hex;
	for (size_t i = 0; i < nargs; i++)
		args[a++] = o->runtime_args[i];
	char *stdin_text = NULL;
	if (asprintf(&stdin_text, "%s\n", prog_hex) < 0)
		stdin_text = NULL;
	struct bpfc_conf_proc_result pr;
	struct bpfc_error err;
	double timeout = o->timeout_sec > 0 ? o->timeout_sec : 10.0;
	int rc = stdin_text ? bpfc_conf_proc_run(o->runtime, args, stdin_text, timeout, &pr, &err)
	                    : bpfc_error_set(&err, BPFC_ERR_NOMEM, "out of memory");
	free(code);
	free(prog_hex);
	free(mem_hex);
	free(args);
	free(stdin_text);
	if (rc != BPFC_OK) {
		c->status = BPFC_CONF_ERROR;
		set_detail(c, "%s", err.msg);
		return false;
	}
	bool ok = true;
	if (pr.timed_out) {
		c->status = BPFC_CONF_ERROR;
		set_detail(c, "timed out after %g s (runtime killed)", timeout);
		ok = false;
	} else if (pr.exit_code != 0) {
		char *o_txt = trimmed(pr.out), *e_txt = trimmed(pr.err);
		const char *msg = o_txt && *o_txt ? o_txt : e_txt && *e_txt ? e_txt : "(no message)";
		if (asprintf(runtime_error, "exit code %d: %s", pr.exit_code, msg) < 0)
			*runtime_error = strdup("runtime error");
		free(o_txt);
		free(e_txt);
	} else {
		char *v = trimmed(pr.out);
		char *end = NULL;
		const char *digits = v && (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) ? v + 2 : v;
		unsigned long long val = 0;
		bool valid = digits && *digits && bpfc_hex_digit((unsigned char)*digits) >= 0;
		if (valid) {
			errno = 0;
			val = strtoull(digits, &end, 16);
			valid = errno == 0 && end && *end == '\0';
		}
		if (!valid) {
			c->status = BPFC_CONF_ERROR;
			set_detail(c, "runtime exited 0 but printed '%.80s', not a hexadecimal r0",
			           v ? v : "");
			ok = false;
		} else {
			c->got_value = true;
			c->got = val;
		}
		free(v);
	}
	bpfc_conf_proc_result_free(&pr);
	return ok;
}

static char *name_of(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".data") == 0)
		n -= 5;
	return strndup(b, n);
}

static bool name_selected(const char *file, const regex_t *inc, const regex_t *exc)
{
	if (inc && regexec(inc, file, 0, NULL, 0) != 0)
		return false;
	if (exc && regexec(exc, file, 0, NULL, 0) == 0)
		return false;
	return true;
}

static int run_file_sel(const char *path, const struct bpfc_conf_opts *o, const regex_t *inc,
                        const regex_t *exc, struct bpfc_conf_case *c, struct bpfc_error *err)
{
	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	c->name = name_of(path);
	if (!c->path || !c->name) {
		bpfc_conf_case_free(c);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
	}
	const struct isa_table *t = o->isa ? o->isa : isa_table_default();
	double t0 = now_sec();
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!name_selected(file, inc, exc)) {
		c->status = BPFC_CONF_SKIP;
		set_detail(c, "excluded by --include/--exclude");
		return BPFC_OK;
	}

	uint8_t *text = NULL;
	size_t len = 0;
	struct bpfc_error lerr;
	struct bpfc_data_test dt;
	memset(&dt, 0, sizeof(dt));
	struct isa_slot *slots = NULL;
	size_t count = 0;
	bool own_slots = false;
	if (bpfc_read_file(path, DATA_MAX_BYTES, &text, &len, &lerr) != BPFC_OK) {
		c->status = BPFC_CONF_ERROR;
		set_detail(c, "%s", lerr.msg);
		goto out;
	}
	if (bpfc_data_parse((const char *)text, len, path, &dt, &lerr) != BPFC_OK) {
		c->status = BPFC_CONF_ERROR;
		set_detail(c, "%s", lerr.msg);
		goto out;
	}
	c->expect_error = dt.error != NULL;
	c->expected = dt.result;
	if (!dt.has_result && !dt.error) {
		c->status = BPFC_CONF_SKIP;
		set_detail(c, "no -- result or -- error section");
		goto out;
	}
	if (dt.raw) {
		slots = dt.raw;
		count = dt.raw_cnt;
	} else if (dt.asm_text) {
		if (isa_assemble(t, dt.asm_text, strlen(dt.asm_text), ISA_DIALECT_UBPF, path, &slots, &count,
		                 NULL, &lerr) != BPFC_OK) {
			slots = NULL;
			if (c->expect_error) {
				c->status = BPFC_CONF_PASS;
				set_detail(c, "rejected by the assembler: %s", lerr.msg);
			} else {
				c->status = BPFC_CONF_ERROR;
				set_detail(c, "cannot assemble: %s", lerr.msg);
			}
			goto out;
		}
		own_slots = true;
	}
	c->insn_count = count;
	if (count == 0) {
		c->status = BPFC_CONF_SKIP;
		set_detail(c, "no instructions");
		goto out;
	}
	bpfc_conf_program_needs(t, slots, count, &c->needs, &c->cpu);
	unsigned cpu = o->cpu ? o->cpu : 4;
	isa_group_mask selected = o->groups ? o->groups : (isa_group_mask)((1ull << t->group_count) - 1);
	if (c->cpu > cpu) {
		c->status = BPFC_CONF_SKIP;
		set_detail(c, "needs -mcpu=v%u, above v%u", c->cpu, cpu);
		goto out;
	}
	if (c->needs & ~selected) {
		char names[256] = "";
		for (size_t g = 0; g < t->group_count; g++)
			if ((c->needs & ~selected) & (1u << g)) {
				size_t l = strlen(names);
				snprintf(names + l, sizeof(names) - l, "%s%s", l ? "," : "",
				         t->groups[g].name);
			}
		c->status = BPFC_CONF_SKIP;
		set_detail(c, "needs group %s, not selected", names);
		goto out;
	}
	char *rt_error = NULL;
	if (execute(o, t, slots, count, dt.mem, dt.mem_len, c, &rt_error)) {
		if (c->expect_error) {
			c->status = rt_error ? BPFC_CONF_PASS : BPFC_CONF_FAIL;
			if (rt_error)
				set_detail(c, "%s", rt_error);
		} else if (rt_error) {
			c->status = BPFC_CONF_FAIL;
			set_detail(c, "%s", rt_error);
		} else {
			c->status = c->got == c->expected ? BPFC_CONF_PASS : BPFC_CONF_FAIL;
		}
	}
	free(rt_error);
out:
	if (own_slots)
		free(slots);
	bpfc_data_free(&dt);
	free(text);
	c->seconds = now_sec() - t0;
	return BPFC_OK;
}

static int compile_res(const struct bpfc_conf_opts *o, regex_t *inc, regex_t *exc, bool *has_inc,
                       bool *has_exc, struct bpfc_error *err)
{
	*has_inc = *has_exc = false;
	if (o->include_re) {
		if (regcomp(inc, o->include_re, REG_EXTENDED | REG_NOSUB) != 0)
			return bpfc_error_set(err, BPFC_ERR_USAGE,
			                      "--include '%s' is not a valid extended regex", o->include_re);
		*has_inc = true;
	}
	if (o->exclude_re) {
		if (regcomp(exc, o->exclude_re, REG_EXTENDED | REG_NOSUB) != 0) {
			if (*has_inc)
				regfree(inc);
			*has_inc = false;
			return bpfc_error_set(err, BPFC_ERR_USAGE,
			                      "--exclude '%s' is not a valid extended regex", o->exclude_re);
		}
		*has_exc = true;
	}
	return BPFC_OK;
}

int bpfc_conf_run_file(const char *path, const struct bpfc_conf_opts *opts, struct bpfc_conf_case *out,
                       struct bpfc_error *err)
{
	static const struct bpfc_conf_opts defaults;
	const struct bpfc_conf_opts *o = opts ? opts : &defaults;
	regex_t inc, exc;
	bool has_inc, has_exc;
	int rc = compile_res(o, &inc, &exc, &has_inc, &has_exc, err);
	if (rc != BPFC_OK)
		return rc;
	rc = run_file_sel(path, o, has_inc ? &inc : NULL, has_exc ? &exc : NULL, out, err);
	if (has_inc)
		regfree(&inc);
	if (has_exc)
		regfree(&exc);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bpfc_conf_run_suite(const char *dir, const struct bpfc_conf_opts *opts, struct bpfc_conf_report **out,
                        struct bpfc_error *err)
{
	static const struct bpfc_conf_opts defaults;
	const struct bpfc_conf_opts *o = opts ? opts : &defaults;
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return bpfc_error_set(err, BPFC_ERR_IO, "cannot open test suite directory '%s': %m", dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = BPFC_OK;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".data") != 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*nn));
			if (!nn) {
				rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory listing '%s'", dir);
				break;
			}
			names = nn;
			cap = ncap;
		}
		if (!(names[n] = strdup(de->d_name))) {
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory listing '%s'", dir);
			break;
		}
		n++;
	}
	closedir(d);
	struct bpfc_conf_report *r = NULL;
	regex_t inc, exc;
	bool has_inc = false, has_exc = false;
	if (rc == BPFC_OK)
		rc = compile_res(o, &inc, &exc, &has_inc, &has_exc, err);
	if (rc == BPFC_OK) {
		qsort(names, n, sizeof(*names), cmp_str);
		r = calloc(1, sizeof(*r));
		if (r)
			r->cases = calloc(n ? n : 1, sizeof(*r->cases));
		if (!r || !r->cases)
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory for %zu test results", n);
	}
	for (size_t i = 0; rc == BPFC_OK && i < n; i++) {
		char *path = NULL;
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
			break;
		}
		struct bpfc_conf_case *c = &r->cases[r->count];
		rc = run_file_sel(path, o, has_inc ? &inc : NULL, has_exc ? &exc : NULL, c, err);
		free(path);
		if (rc != BPFC_OK)
			break;
		r->count++;
	}
	if (has_inc)
		regfree(&inc);
	if (has_exc)
		regfree(&exc);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc != BPFC_OK) {
		bpfc_conf_report_free(r);
		return rc;
	}
	r->isa = o->isa ? o->isa : isa_table_default();
	for (size_t i = 0; i < r->count; i++) {
		const struct bpfc_conf_case *c = &r->cases[i];
		switch (c->status) {
		case BPFC_CONF_PASS: r->passed++; break;
		case BPFC_CONF_FAIL: r->failed++; break;
		case BPFC_CONF_ERROR: r->errors++; break;
		case BPFC_CONF_SKIP: r->skipped++; break;
		}
		if (c->status == BPFC_CONF_SKIP)
			continue;
		for (size_t g = 0; g < r->isa->group_count && g < ISA_MAX_GROUPS; g++)
			if (c->needs & (1u << g)) {
				r->group_total[g]++;
				if (c->status == BPFC_CONF_PASS)
					r->group_passed[g]++;
			}
	}
	*out = r;
	return BPFC_OK;
}

void bpfc_conf_case_free(struct bpfc_conf_case *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->path);
	free(c->detail);
	c->name = c->path = c->detail = NULL;
}

void bpfc_conf_report_free(struct bpfc_conf_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++)
		bpfc_conf_case_free(&r->cases[i]);
	free(r->cases);
	free(r);
}
