/* corpus-prevail: measures vf_verify() against the verdicts of PREVAIL's YAML test cases (vbpf/prevail
 * test-data). Each case is an initial abstract state (`pre`), labelled blocks of assembly and the
 * expected messages; we compare only the verdict (messages or none). The pre-state is expressed as a
 * prologue of instructions from a program type's entry state where that is possible, cases whose
 * pre-state or options cannot be expressed are skipped and counted by reason, and PREVAIL's own
 * assembly forms are rewritten to the LLVM syntax isa_assemble() reads (each rewrite is counted:
 * they are what our assembler lacks). A measurement, not a test. See specs/measurements.md. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "bpfcheck/asm.h"
#include "bpfcheck/verify.h"
#include "prevail_translate.h"

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		pv_die_nomem();
	return d;
}

/* ---- counters by name (skip reasons, rewritten forms, disagreements) ---- */

struct counter {
	char *name;
	size_t cnt;
	struct pv_sb items; /* one line per case, for disagreement lists */
};

struct counters {
	struct counter *v;
	size_t cnt;
};

static struct counter *count(struct counters *c, const char *name)
{
	for (size_t i = 0; i < c->cnt; i++)
		if (!strcmp(c->v[i].name, name)) {
			c->v[i].cnt++;
			return &c->v[i];
		}
	struct counter *v = realloc(c->v, (c->cnt + 1) * sizeof(*v));
	if (!v)
		pv_die_nomem();
	c->v = v;
	memset(&v[c->cnt], 0, sizeof(v[0]));
	v[c->cnt].name = xstrdup(name);
	v[c->cnt].cnt = 1;
	return &v[c->cnt++];
}

static int cmp_counter(const void *a, const void *b)
{
	const struct counter *x = a, *y = b;
	if (x->cnt != y->cnt)
		return x->cnt < y->cnt ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void print_counters(const char *title, struct counters *c, bool items)
{
	if (c->cnt)
		qsort(c->v, c->cnt, sizeof(*c->v), cmp_counter);
	size_t total = 0;
	for (size_t i = 0; i < c->cnt; i++)
		total += c->v[i].cnt;
	printf("\n-- %s (%zu):\n", title, total);
	for (size_t i = 0; i < c->cnt; i++) {
		printf("  [%zu] %s\n", c->v[i].cnt, c->v[i].name);
		if (items && c->v[i].items.p)
			fputs(c->v[i].items.p, stdout);
	}
}

static void free_counters(struct counters *c)
{
	for (size_t i = 0; i < c->cnt; i++) {
		free(c->v[i].name);
		free(c->v[i].items.p);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* ---- YAML access (libyaml document API) ---- */

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, key))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static size_t seq_len(yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE
	           ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
	           : 0;
}

static const char *seq_at(yaml_document_t *doc, yaml_node_t *n, size_t i)
{
	return scalar(yaml_document_get_node(doc, n->data.sequence.items.start[i]));
}

/* ---- the pre-state as a prologue ---- */

#define NREGS 11
#define STACK_SIZE 512

struct num_range {
	bool set;
	int64_t lo, hi;    /* svalue: signed */
	uint64_t ulo, uhi; /* uvalue: unsigned */
	bool has_lo, has_hi, has_ulo, has_uhi;
};

struct reg_pre {
	char type[32];
	bool has_off;
	int64_t off; /* ctx_offset / stack_offset / shared_offset */
	int64_t region;
	struct num_range s, u;
};

struct stack_const {
	int64_t lo, hi, value;
	bool has_value;
};

struct pre_state {
	struct reg_pre r[NREGS];
	struct stack_const st[64];
	size_t st_cnt;
	int tmp;       /* a register neither pre nor the code names, free for the prologue; -1 if none */
	bool uses_skb; /* the code has legacy packet loads */
};

static bool parse_i64(const char *s, int64_t *out)
{
	char *end;
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return false;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return false;
	while (*end == ' ')
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

/* A decimal u64 with nothing around it; false for a sign, overflow or trailing text. */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE || *end)
		return false;
	*out = v;
	return true;
}

/* "5", "-1", "[1, 2]", "[0, +oo]", "[-oo, 3]" into a signed or unsigned range. */
static bool parse_range(const char *v, bool is_unsigned, struct num_range *r)
{
	memset(r, 0, sizeof(*r));
	r->set = true;
	if (v[0] != '[') {
		if (is_unsigned) {
			uint64_t x;
			if (!parse_u64(v, &x))
				return false;
			r->ulo = r->uhi = x;
			r->has_ulo = r->has_uhi = true;
			return true;
		}
		int64_t x;
		if (!parse_i64(v, &x))
			return false;
		r->lo = r->hi = x;
		r->has_lo = r->has_hi = true;
		return true;
	}
	char a[64], b[64];
	if (sscanf(v, "[%63[^,],%63[^]]]", a, b) != 2)
		return false;
	char *pa = a, *pb = b;
	while (*pa == ' ')
		pa++;
	while (*pb == ' ')
		pb++;
	if (is_unsigned) {
		if (strcmp(pa, "-oo")) {
			if (!parse_u64(pa, &r->ulo))
				return false;
			r->has_ulo = true;
		}
		if (strcmp(pb, "+oo")) {
			if (!parse_u64(pb, &r->uhi))
				return false;
			r->has_uhi = true;
		}
		return true;
	}
	if (strcmp(pa, "-oo")) {
		if (!parse_i64(pa, &r->lo))
			return false;
		r->has_lo = true;
	}
	if (strcmp(pb, "+oo")) {
		if (!parse_i64(pb, &r->hi))
			return false;
		r->has_hi = true;
	}
	return true;
}

/* Reads the pre-state atoms; on failure *reason says what cannot be expressed. */
static bool parse_pre(yaml_document_t *doc, yaml_node_t *pre, struct pre_state *ps, char *reason, size_t rlen)
{
	memset(ps, 0, sizeof(*ps));
	for (size_t i = 0; i < seq_len(pre); i++) {
		const char *atom = seq_at(doc, pre, i);
		if (!atom) {
			snprintf(reason, rlen, "pre: non-scalar entry");
			return false;
		}
		const char *eq = strchr(atom, '=');
		if (!eq) {
			snprintf(reason, rlen, "pre: '%s' (not an assignment)",
			         strstr(atom, " in ") ? "rN.type in {...}" : atom);
			return false;
		}
		char lhs[64];
		size_t ln = (size_t)(eq - atom);
		if (ln >= sizeof(lhs)) {
			snprintf(reason, rlen, "pre: long left-hand side");
			return false;
		}
		memcpy(lhs, atom, ln);
		lhs[ln] = '\0';
		const char *val = eq + 1;
		int reg;
		char attr[32];
		long long slo, shi;
		char sattr[32];
		if (sscanf(lhs, "r%d.%31s", &reg, attr) == 2 && reg >= 0 && reg < NREGS) {
			struct reg_pre *r = &ps->r[reg];
			if (!strcmp(attr, "type")) {
				snprintf(r->type, sizeof(r->type), "%s", val);
			} else if (!strcmp(attr, "svalue") || !strcmp(attr, "uvalue")) {
				bool u = attr[0] == 'u';
				char self[16];
				snprintf(self, sizeof(self), "r%d.%s", reg, u ? "svalue" : "uvalue");
				if (!strcmp(val, self))
					continue; /* "r1.uvalue=r1.svalue": both views of one constant or
					             range */
				if (!strncmp(val, "r", 1) && strchr(val, '.')) {
					snprintf(reason, rlen, "pre: relation between registers");
					return false;
				}
				if (!parse_range(val, u, u ? &r->u : &r->s)) {
					snprintf(reason, rlen, "pre: value '%s' not understood", val);
					return false;
				}
			} else if (!strcmp(attr, "ctx_offset") || !strcmp(attr, "stack_offset") ||
			           !strcmp(attr, "shared_offset") || !strcmp(attr, "map_fd")) {
				if (!parse_i64(val, &r->off)) {
					snprintf(reason, rlen, "pre: %s is a range", attr);
					return false;
				}
				r->has_off = true;
			} else if (!strcmp(attr, "shared_region_size")) {
				if (!parse_i64(val, &r->region) || r->region <= 0 || r->region > 1 << 20) {
					snprintf(reason, rlen, "pre: shared_region_size '%s'", val);
					return false;
				}
			} else {
				snprintf(reason, rlen, "pre: rN.%s", attr);
				return false;
			}
		} else if (sscanf(lhs, "s[%lld...%lld].%31s", &slo, &shi, sattr) == 3) {
			if (slo < 0 || shi < slo || shi >= STACK_SIZE) {
				snprintf(reason, rlen, "pre: stack range out of the 512-byte stack");
				return false;
			}
			struct stack_const *sc = NULL;
			for (size_t k = 0; k < ps->st_cnt; k++)
				if (ps->st[k].lo == slo && ps->st[k].hi == shi)
					sc = &ps->st[k];
			if (!sc) {
				if (ps->st_cnt == sizeof(ps->st) / sizeof(ps->st[0])) {
					snprintf(reason, rlen, "pre: too many stack entries");
					return false;
				}
				sc = &ps->st[ps->st_cnt++];
				memset(sc, 0, sizeof(*sc));
				sc->lo = slo;
				sc->hi = shi;
			}
			if (!strcmp(sattr, "type")) {
				if (strcmp(val, "number")) {
					snprintf(reason, rlen, "pre: stack bytes of type %s", val);
					return false;
				}
			} else if (!strcmp(sattr, "svalue")) {
				if (!parse_i64(val, &sc->value)) {
					snprintf(reason, rlen, "pre: stack bytes with a value range");
					return false;
				}
				sc->has_value = true;
			} else if (strcmp(sattr, "uvalue")) {
				snprintf(reason, rlen, "pre: s[...].%s", sattr);
				return false;
			}
		} else {
			snprintf(reason, rlen, "pre: %s", lhs);
			return false;
		}
	}
	return true;
}

static bool fits_imm32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/* Bounds of a number register as compares that jump to the sink when violated. A range inside
 * [0, 2^32-1] is made exact by zero-extending (w = w) and comparing in 32 bits; otherwise each bound
 * must fit the sign-extended 32-bit immediate of a 64-bit compare, or is loaded into the free
 * register tmp (when there is one) and compared with it. */
static bool emit_range(struct pv_sb *p, int n, const struct reg_pre *r, int tmp, char *reason, size_t rlen)
{
	int64_t slo = r->s.has_lo ? r->s.lo : INT64_MIN, shi = r->s.has_hi ? r->s.hi : INT64_MAX;
	uint64_t ulo = r->u.has_ulo ? r->u.ulo : 0, uhi = r->u.has_uhi ? r->u.uhi : UINT64_MAX;
	bool s_in_u32 = slo >= 0 && shi <= (int64_t)UINT32_MAX;
	bool u_in_u32 = uhi <= UINT32_MAX;
	if ((r->s.set && s_in_u32 && (!r->u.set || u_in_u32)) ||
	    (r->u.set && u_in_u32 && (!r->s.set || slo >= 0))) {
		uint64_t lo = ulo, hi = uhi;
		if (r->s.set) {
			lo = (uint64_t)slo > lo ? (uint64_t)slo : lo;
			hi = (uint64_t)shi < hi ? (uint64_t)shi : hi;
		}
		pv_sb_addf(p, "w%d = w%d\n", n, n);
		if (lo > 0)
			pv_sb_addf(p, "if w%d < %" PRIu64 " goto L__sink\n", n, lo);
		if (hi < UINT32_MAX)
			pv_sb_addf(p, "if w%d > %" PRIu64 " goto L__sink\n", n, hi);
		return true;
	}
	const uint64_t neg_imm = (uint64_t)0 - ((uint64_t)1 << 31); /* lowest u64 a negative imm32 can be */
	struct {
		bool active;
		const char *op;
		uint64_t v;
		bool imm; /* fits the sign-extended 32-bit immediate */
	} b[4] = {
	    {slo != INT64_MIN, "s<", (uint64_t)slo, fits_imm32(slo)},
	    {shi != INT64_MAX, "s>", (uint64_t)shi, fits_imm32(shi)},
	    {ulo != 0, "<", ulo, ulo <= INT32_MAX || ulo >= neg_imm},
	    {uhi != UINT64_MAX, ">", uhi, uhi <= INT32_MAX || uhi >= neg_imm},
	};
	for (int k = 0; k < 4; k++)
		if (b[k].active && !b[k].imm && tmp < 0) {
			snprintf(reason, rlen, "pre: range bound outside the 32-bit immediate of a compare");
			return false;
		}
	for (int k = 0; k < 4; k++) {
		if (!b[k].active)
			continue;
		if (b[k].imm) {
			pv_sb_addf(p, "if r%d %s %" PRId64 " goto L__sink\n", n, b[k].op, (int64_t)b[k].v);
		} else {
			/* the bound in a register no instruction of the case uses */
			pv_sb_addf(p, "r%d = %" PRId64 " ll\nif r%d %s r%d goto L__sink\n", tmp,
			           (int64_t)b[k].v, n, b[k].op, tmp);
		}
	}
	return true;
}

/* Appends to prologue the instructions that establish ps from the entry state of prog_type, and the
 * maps it needs. Returns false with *reason when the state cannot be built. */
static bool build_prologue(struct pre_state *ps, const char **prog_type, struct pv_sb *prologue,
                           struct bpfc_map *maps, size_t *map_cnt, char *reason, size_t rlen)
{
	bool any_ctx = false;
	for (int n = 0; n < NREGS; n++) {
		struct reg_pre *r = &ps->r[n];
		if (!r->type[0] && (r->s.set || r->u.set || r->has_off)) {
			snprintf(reason, rlen, "pre: r%d value without a type", n);
			return false;
		}
		if (!strcmp(r->type, "ctx"))
			any_ctx = true;
	}
	/* PREVAIL's test context has data at 0 and data_end at 4, as xdp_md; programs without a context in
	 * pre get sched_cls, whose __sk_buff gives an unknown 64-bit number (tstamp) to start from. */
	/* legacy packet loads (skb[...]) need a socket-buffer program: sched_cls then, whatever the ctx */
	if (ps->uses_skb)
		any_ctx = false;
	*prog_type = any_ctx ? "xdp" : "sched_cls";
	struct reg_pre *r10 = &ps->r[10];
	if (r10->type[0] && (strcmp(r10->type, "stack") || (r10->has_off && r10->off != STACK_SIZE))) {
		snprintf(reason, rlen, "pre: r10 is not the frame pointer");
		return false;
	}
	/* A pointer whose value range includes 0 may be NULL; the prologue can only make non-NULL ones. */
	for (int n = 0; n < NREGS; n++) {
		struct reg_pre *r = &ps->r[n];
		if (r->type[0] && strcmp(r->type, "number") &&
		    ((r->s.set && (!r->s.has_lo || r->s.lo <= 0)) ||
		     (r->u.set && (!r->u.has_ulo || r->u.ulo == 0)))) {
			snprintf(reason, rlen, "pre: pointer that may be NULL");
			return false;
		}
	}
	/* 1. copies of the context and stack pointers, while r1 is still the context */
	for (int n = 0; n < 10; n++) {
		struct reg_pre *r = &ps->r[n];
		if (!strcmp(r->type, "ctx")) {
			if (r->has_off && r->off != 0) {
				snprintf(reason, rlen, "pre: ctx with a non-zero offset");
				return false;
			}
			if (n != 1)
				pv_sb_addf(prologue, "r%d = r1\n", n);
		} else if (!strcmp(r->type, "stack")) {
			if (!r->has_off) {
				snprintf(reason, rlen, "pre: stack pointer without an offset");
				return false;
			}
			pv_sb_addf(prologue, "r%d = r10\nr%d += %" PRId64 "\n", n, n, r->off - STACK_SIZE);
		}
	}
	/* 2. stack contents: constants by immediate stores (or through the free register), unknown
	 * numbers from the context through the free register */
	for (size_t k = 0; k < ps->st_cnt; k++) {
		struct stack_const *sc = &ps->st[k];
		int64_t size = sc->hi - sc->lo + 1;
		const char *w = size == 1   ? "u8"
		                : size == 2 ? "u16"
		                : size == 4 ? "u32"
		                : size == 8 ? "u64"
		                            : NULL;
		if (sc->has_value) {
			bool fits =
			    size == 8 ? fits_imm32(sc->value) : sc->value >= 0 && !(sc->value >> (8 * size));
			if (w && fits) {
				pv_sb_addf(prologue, "*(%s *)(r10 - %" PRId64 ") = %" PRId64 "\n", w,
				           STACK_SIZE - sc->lo, sc->value);
			} else if (size == 8 && ps->tmp >= 0) {
				pv_sb_addf(prologue,
				           "r%d = %" PRId64 " ll\n*(u64 *)(r10 - %" PRId64 ") = r%d\n",
				           ps->tmp, sc->value, STACK_SIZE - sc->lo, ps->tmp);
			} else {
				snprintf(reason, rlen, "pre: stack constant not storable with one store");
				return false;
			}
			continue;
		}
		if (ps->tmp < 0) {
			snprintf(reason, rlen, "pre: stack bytes with an unknown value and no free register");
			return false;
		}
		bool chunks8 = size % 8 == 0 && sc->lo % 8 == 0;
		if (!w && !chunks8) {
			snprintf(reason, rlen, "pre: unknown stack bytes of an odd width");
			return false;
		}
		if (any_ctx && (chunks8 || size == 8)) {
			snprintf(reason, rlen,
			         "pre: unknown 64-bit stack number with a ctx (xdp_md has none)");
			return false;
		}
		if (any_ctx)
			pv_sb_addf(prologue, "r%d = *(u32 *)(r1 + 12)\n", ps->tmp);
		else
			pv_sb_addf(prologue, "r%d = *(u64 *)(r1 + 152)\n", ps->tmp);
		if (w && !chunks8) {
			pv_sb_addf(prologue, "*(%s *)(r10 - %" PRId64 ") = r%d\n", w, STACK_SIZE - sc->lo,
			           ps->tmp);
			continue;
		}
		for (int64_t off = sc->lo; off <= sc->hi; off += 8)
			pv_sb_addf(prologue, "*(u64 *)(r10 - %" PRId64 ") = r%d\n", STACK_SIZE - off,
			           ps->tmp);
	}
	/* 3. unknown numbers from the context, for every register other than r1, then r1 */
	for (int pass = 0; pass < 2; pass++) {
		for (int n = 0; n < 10; n++) {
			struct reg_pre *r = &ps->r[n];
			if ((pass == 0) == (n == 1) || strcmp(r->type, "number"))
				continue;
			bool s_const = r->s.set && r->s.has_lo && r->s.has_hi && r->s.lo == r->s.hi;
			bool u_const = r->u.set && r->u.has_ulo && r->u.has_uhi && r->u.ulo == r->u.uhi;
			if (s_const || u_const)
				continue; /* a constant: step 5 */
			if (!any_ctx) {
				pv_sb_addf(prologue, "r%d = *(u64 *)(r1 + 152)\n", n);
				continue;
			}
			/* xdp_md has 32-bit scalars only: two of them make an unknown 64-bit number when a
			 * free register can hold the second; otherwise a u32 field, sign-extended for ranges
			 * with negative values (emit_range refuses bounds such a value cannot reach) */
			if (ps->tmp >= 0) {
				pv_sb_addf(
				    prologue,
				    "r%d = *(u32 *)(r1 + 16)\nr%d = *(u32 *)(r1 + 12)\nr%d <<= 32\nr%d "
				    "|= r%d\n",
				    ps->tmp, n, n, n, ps->tmp);
				continue;
			}
			if (!r->s.set && !r->u.set) {
				snprintf(reason, rlen,
				         "pre: unknown 64-bit number with a ctx (xdp_md has none)");
				return false;
			}
			bool neg = (r->s.set && (!r->s.has_lo || r->s.lo < 0)) ||
			           (r->u.has_ulo && r->u.ulo > UINT32_MAX);
			pv_sb_addf(prologue, "r%d = *(u32 *)(r1 + 12)\n", n);
			if (neg)
				pv_sb_addf(prologue, "r%d = (s32)r%d\n", n, n);
		}
	}
	/* 4. maps: map fds and map values ("shared") */
	for (int n = 0; n < 10; n++) {
		struct reg_pre *r = &ps->r[n];
		if (!strcmp(r->type, "map_fd")) {
			pv_sb_addf(prologue, "r%d = map_by_idx(0) ll\n", n);
		} else if (!strcmp(r->type, "shared")) {
			if (!r->region || !r->has_off || r->off < 0 || r->off > r->region) {
				snprintf(reason, rlen, "pre: shared region without size or offset inside it");
				return false;
			}
			if (*map_cnt >= 8) {
				snprintf(reason, rlen, "pre: too many shared regions");
				return false;
			}
			struct bpfc_map *m = &maps[*map_cnt];
			memset(m, 0, sizeof(*m));
			m->name = "shared";
			m->type =
			    2; /* array, one entry: its value has a fixed address (direct value access) */
			m->key_size = 4;
			m->value_size = (uint32_t)r->region;
			m->max_entries = 1;
			m->inner_map = -1;
			pv_sb_addf(prologue, "r%d = map_val_by_idx(%zu, %" PRId64 ") ll\n", n, *map_cnt,
			           r->off);
			(*map_cnt)++;
		} else if (r->type[0] && strcmp(r->type, "number") && strcmp(r->type, "ctx") &&
		           strcmp(r->type, "stack")) {
			snprintf(reason, rlen, "pre: rN.type=%s", r->type);
			return false;
		}
	}
	/* 5. constants and range constraints (a violated constraint jumps to the sink: a benign exit) */
	for (int n = 0; n < 10; n++) {
		struct reg_pre *r = &ps->r[n];
		if (strcmp(r->type, "number"))
			continue;
		bool s_const = r->s.set && r->s.has_lo && r->s.has_hi && r->s.lo == r->s.hi;
		bool u_const = r->u.set && r->u.has_ulo && r->u.has_uhi && r->u.ulo == r->u.uhi;
		if (s_const || u_const) {
			int64_t v = s_const ? r->s.lo : (int64_t)r->u.ulo;
			if (s_const && u_const && (uint64_t)r->s.lo != r->u.ulo) {
				snprintf(reason, rlen, "pre: svalue and uvalue differ");
				return false;
			}
			if (fits_imm32(v))
				pv_sb_addf(prologue, "r%d = %" PRId64 "\n", n, v);
			else
				pv_sb_addf(prologue, "r%d = %" PRId64 " ll\n", n, v);
			continue;
		}
		if (!emit_range(prologue, n, r, ps->tmp, reason, rlen))
			return false;
	}
	return true;
}

static void count_form(void *ctx, const char *name)
{
	count(ctx, name);
}

/* Translates every block of code into out. */
static void translate_code(yaml_document_t *doc, yaml_node_t *code, struct pv_sb *out, int *assume_n,
                           struct counters *forms)
{
	for (yaml_node_pair_t *p = code->data.mapping.pairs.start; p < code->data.mapping.pairs.top; p++) {
		const char *label = scalar(yaml_document_get_node(doc, p->key));
		yaml_node_t *blk = yaml_document_get_node(doc, p->value);
		if (!label || !blk)
			continue;
		size_t ll = strlen(label);
		if (ll >= 2 && label[0] == '<' && label[ll - 1] == '>')
			pv_sb_addf(out, "L_%.*s:\n", (int)(ll - 2), label + 1);
		else
			pv_sb_addf(out, "L_%s:\n", label);
		if (blk->type == YAML_SCALAR_NODE) {
			const char *b = scalar(blk);
			while (*b) {
				size_t e = strcspn(b, "\n");
				char line[512];
				snprintf(line, sizeof(line), "%.*s", (int)(e < 511 ? e : 511), b);
				pv_translate_line(line, out, assume_n, forms ? count_form : NULL, forms);
				b += e + (b[e] == '\n');
			}
		} else {
			for (size_t i = 0; i < seq_len(blk); i++) {
				const char *line = seq_at(doc, blk, i);
				if (line)
					pv_translate_line(line, out, assume_n, forms ? count_form : NULL,
					                  forms);
			}
		}
	}
}

/* A register among r2..r9 that pre does not mention and the translated code never names (as rN or
 * wN), or -1. Local calls clobber r1..r5, so r6..r9 are preferred. */
static int free_register(const struct pre_state *ps, const char *code)
{
	bool used[NREGS] = {false};
	for (int n = 0; n < NREGS; n++)
		used[n] = ps->r[n].type[0] != '\0';
	for (const char *p = code; p && *p; p++) {
		if ((*p == 'r' || *p == 'w') && isdigit((unsigned char)p[1]) &&
		    (p == code || (!isalnum((unsigned char)p[-1]) && p[-1] != '_'))) {
			int n = p[1] - '0';
			if (isdigit((unsigned char)p[2]))
				n = n * 10 + (p[2] - '0');
			if (n < NREGS)
				used[n] = true;
		}
	}
	for (int n = 9; n >= 2; n--)
		if (!used[n])
			return n;
	return -1;
}

/* ---- one case ---- */

enum verdict { V_SKIP, V_ACCEPT, V_REJECT };

struct totals {
	size_t cases, skipped, measured, unreachable_only, exp_reject, exp_reject_ok, exp_accept,
	    exp_accept_ok, asm_errors;
	uint64_t ns;
	const char *dump; /* print the translated text of cases whose name contains it ("": all) */
	struct counters skips, forms, missed, false_rej;
};

static void run_case(const char *file, yaml_document_t *doc, yaml_node_t *root, struct totals *T,
                     bool verbose)
{
	char reason[256] = "";
	const char *name = scalar(map_get(doc, root, "test-case"));
	yaml_node_t *pre = map_get(doc, root, "pre"), *code = map_get(doc, root, "code");
	yaml_node_t *messages = map_get(doc, root, "messages"), *options = map_get(doc, root, "options");
	T->cases++;
	if (!name || !code || code->type != YAML_MAPPING_NODE || (pre && pre->type != YAML_SEQUENCE_NODE)) {
		T->skipped++;
		count(&T->skips, "malformed case (no test-case, code or pre)");
		fprintf(stderr, "%s: malformed case '%s'\n", file, name ? name : "?");
		return;
	}
	for (size_t i = 0; i < seq_len(messages); i++) {
		const char *m = seq_at(doc, messages, i);
		if (m && strstr(m, "observation")) {
			T->skipped++;
			count(&T->skips, "observe checks (PREVAIL invariant queries, not a verdict)");
			return;
		}
	}
	if (map_get(doc, root, "expected-exception")) {
		T->skipped++;
		count(&T->skips, "expected-exception (tests PREVAIL's own input checks)");
		return;
	}
	for (size_t i = 0; i < seq_len(options); i++) {
		const char *opt = seq_at(doc, options, i);
		if (!opt || !strcmp(opt, "termination") || !strcmp(opt, "!big_endian") ||
		    !strcmp(opt, "simplify"))
			continue;
		T->skipped++;
		if (!strcmp(opt, "big_endian"))
			count(&T->skips, "option big_endian (we verify little-endian programs)");
		else if (!strcmp(opt, "!allow_division_by_zero"))
			count(&T->skips, "option !allow_division_by_zero (PREVAIL flags division by a "
			                 "register that may be 0; eBPF defines it)");
		else
			count(&T->skips, "unknown option");
		return;
	}
	struct pre_state ps;
	struct pv_sb text = {0}, prologue = {0}, body = {0};
	struct bpfc_map maps[9];
	memset(maps, 0, sizeof(maps));
	/* map 0: PREVAIL's test map descriptor (key 4, value 4, 4 entries) for every map fd */
	maps[0] = (struct bpfc_map){
	    .name = "test_map", .type = 1, .key_size = 4, .value_size = 4, .max_entries = 4, .inner_map = -1};
	size_t map_cnt = 1;
	const char *prog_type = NULL;
	int assume_n = 0;
	bool ok = parse_pre(doc, pre, &ps, reason, sizeof(reason));
	if (ok) {
		/* the body first (forms not counted yet), to find a register it does not use */
		translate_code(doc, code, &body, &assume_n, NULL);
		ps.tmp = free_register(&ps, body.p);
		ps.uses_skb = body.p && strstr(body.p, "skb[");
		/* PREVAIL's test map has no type; a case that hands it to ring buffer helpers means a ring
		 * buffer */
		if (body.p && (strstr(body.p, "call 130\n") || strstr(body.p, "call 131\n")))
			maps[0] = (struct bpfc_map){
			    .name = "test_map", .type = 27, .max_entries = 4096, .inner_map = -1};
		ok = build_prologue(&ps, &prog_type, &prologue, maps, &map_cnt, reason, sizeof(reason));
	}
	if (!ok) {
		T->skipped++;
		count(&T->skips, reason);
		free(prologue.p);
		free(body.p);
		return;
	}
	free(body.p);
	memset(&body, 0, sizeof(body));
	assume_n = 0;
	translate_code(doc, code, &body, &assume_n, &T->forms);
	bool need_sink = prologue.p && strstr(prologue.p, "L__sink");
	need_sink |= assume_n > 0;
	/* The sink of violated assumptions is a benign exit (r0 = 0) at the top, inside the main function
	 * whatever subprograms follow; PREVAIL lets a case end without exit: end it the same way. */
	if (need_sink)
		pv_sb_add(&text, "goto L__body\nL__sink:\nr0 = 0\nexit\nL__body:\n");
	if (prologue.p)
		pv_sb_add(&text, prologue.p);
	if (body.p)
		pv_sb_add(&text, body.p);
	if (!body.p || pv_falls_through(body.p))
		pv_sb_add(&text, "r0 = 0\nexit\n");
	free(body.p);
	if (T->dump && (!T->dump[0] || strstr(name, T->dump)))
		fprintf(stderr, "== %s: %s (%s)\n%s", file, name, prog_type, text.p);
	struct isa_slot *slots = NULL;
	size_t slot_cnt = 0;
	struct bpfc_error err;
	bpfc_error_clear(&err);
	char origin[300];
	snprintf(origin, sizeof(origin), "%s:%s", file, name);
	int rc =
	    isa_assemble(NULL, text.p, text.len, ISA_DIALECT_LLVM, origin, &slots, &slot_cnt, NULL, &err);
	if (rc) {
		T->skipped++;
		T->asm_errors++;
		char *colon = strstr(err.msg, ": ");
		char r[200];
		/* group by the message without the position */
		const char *msg = colon ? colon + 2 : err.msg;
		const char *col2 = strstr(msg, ": ");
		snprintf(r, sizeof(r), "does not assemble: %.150s", col2 && col2 - msg < 12 ? col2 + 2 : msg);
		count(&T->skips, r);
		if (verbose)
			fprintf(stderr, "%s: '%s' does not assemble: %s\n--\n%s--\n", file, name, err.msg,
			        text.p);
		free(text.p);
		free(prologue.p);
		return;
	}
	struct bpfc_prog prog = {
	    .name = (char *)name, .type = (char *)prog_type, .insns = slots, .insn_cnt = slot_cnt};
	struct vf_options opts;
	vf_options_default(&opts);
	struct vf_result res;
	/* "Code becomes unreachable" is PREVAIL's note about a dead branch, not a reason to reject */
	bool expect_reject = false;
	for (size_t i = 0; i < seq_len(messages); i++) {
		const char *m = seq_at(doc, messages, i);
		if (m && !strstr(m, "Code becomes unreachable"))
			expect_reject = true;
	}
	if (seq_len(messages) && !expect_reject)
		T->unreachable_only++;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = vf_verify(&prog, maps, map_cnt, &opts, &res, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	T->ns += (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + (uint64_t)(t1.tv_nsec - t0.tv_nsec);
	T->measured++;
	bool rejected = false;
	char ours[600] = "vf_verify error";
	if (rc == BPFC_OK) {
		rejected = !vf_result_accepted(&res);
		snprintf(ours, sizeof(ours), "accepted");
		for (size_t i = 0; i < res.findings.cnt; i++)
			if (res.findings.items[i].severity == VF_SEV_ERROR) {
				snprintf(ours, sizeof(ours), "%s: %s", res.findings.items[i].property,
				         res.findings.items[i].message);
				break;
			}
		vf_result_free(&res);
	} else {
		snprintf(ours, sizeof(ours), "vf_verify error: %.500s", err.msg);
	}
	if (expect_reject) {
		T->exp_reject++;
		T->exp_reject_ok += rejected;
		if (!rejected) {
			struct counter *c = count(&T->missed, file);
			const char *m = seq_at(doc, messages, 0);
			pv_sb_addf(&c->items, "      %-50.50s  expected: %s\n", name, m ? m : "?");
		}
	} else {
		T->exp_accept++;
		T->exp_accept_ok += !rejected;
		if (rejected) {
			struct counter *c = count(&T->false_rej, file);
			pv_sb_addf(&c->items, "      %-50.50s  %s\n", name, ours);
		}
	}
	if (verbose)
		printf("%s\t%s\t%s\t%s\t%s\n", file, name, expect_reject ? "reject" : "accept",
		       rejected ? "reject" : "accept", ours);
	free(slots);
	free(text.p);
	free(prologue.p);
}

static int run_file(const char *dir, const char *fname, struct totals *T, bool verbose)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, fname);
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		pv_die_nomem();
	}
	yaml_parser_set_input_file(&parser, f);
	int rc = 0;
	/* bounded by the input: each document consumes input, and the loop stops at its end */
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			fprintf(stderr, "%s: YAML error at line %zu: %s (rest of the file skipped)\n", path,
			        parser.problem_mark.line + 1, parser.problem ? parser.problem : "?");
			count(&T->skips, "YAML error (rest of the file)");
			rc = -1;
			break;
		}
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		if (root->type == YAML_MAPPING_NODE)
			run_case(fname, &doc, root, T, verbose);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: corpus-prevail [--verbose] PREVAIL_YAML_DIR\n"
	       "Runs vf_verify on PREVAIL's YAML test cases (every *.yaml but SCHEMA.yaml) and compares the\n"
	       "verdict: a case with messages is expected to be rejected, one without to be accepted.\n"
	       "  --verbose  one TSV line per measured case on stdout, and the text of cases that do not\n"
	       "             assemble on stderr\n"
	       "Exit 0 when the corpus was measured, 2 on usage or I/O error.\n");
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *dump = NULL;
	bool verbose = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--dump") && i + 1 < argc) {
			dump = argv[++i];
		} else if (argv[i][0] != '-' && !dir) {
			dir = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return 2;
	}
	char **names = NULL;
	size_t cnt = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") || !strcmp(e->d_name, "SCHEMA.yaml"))
			continue;
		char **v = realloc(names, (cnt + 1) * sizeof(*names));
		if (!v)
			pv_die_nomem();
		names = v;
		names[cnt++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (cnt)
		qsort(names, cnt, sizeof(*names), cmp_str);
	struct totals T;
	memset(&T, 0, sizeof(T));
	T.dump = dump;
	size_t bad_files = 0;
	for (size_t i = 0; i < cnt; i++)
		bad_files += run_file(dir, names[i], &T, verbose) != 0;

	printf("corpus: %s (%zu files%s)\n", dir, cnt, bad_files ? ", some with YAML errors" : "");
	printf("cases: %zu; measured: %zu; skipped: %zu\n", T.cases, T.measured, T.skipped);
	printf("  expected reject (messages), bpfcheck rejects: %4zu / %-4zu = %5.1f%%\n", T.exp_reject_ok,
	       T.exp_reject, T.exp_reject ? 100.0 * (double)T.exp_reject_ok / (double)T.exp_reject : 0.0);
	printf("  expected accept (no messages), bpfcheck accepts: %4zu / %-4zu = %5.1f%%\n", T.exp_accept_ok,
	       T.exp_accept, T.exp_accept ? 100.0 * (double)T.exp_accept_ok / (double)T.exp_accept : 0.0);
	size_t agree = T.exp_reject_ok + T.exp_accept_ok;
	printf("  same verdict: %zu / %zu = %.1f%%; vf_verify time %.1f ms\n", agree, T.measured,
	       T.measured ? 100.0 * (double)agree / (double)T.measured : 0.0, (double)T.ns / 1e6);
	printf("  cases whose only messages are 'Code becomes unreachable' (a dead branch; expected accept): "
	       "%zu\n",
	       T.unreachable_only);
	print_counters("skipped, by reason", &T.skips, false);
	print_counters("PREVAIL assembly forms rewritten for isa_assemble (lines)", &T.forms, false);
	print_counters("expected reject, bpfcheck accepts, by file", &T.missed, true);
	print_counters("expected accept, bpfcheck rejects, by file", &T.false_rej, true);
	free_counters(&T.skips);
	free_counters(&T.forms);
	free_counters(&T.missed);
	free_counters(&T.false_rej);
	for (size_t i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	return 0;
}
