/* PREVAIL assembly -> the LLVM syntax of isa_assemble(): see prevail_translate.h. */
#include "prevail_translate.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pv_die_nomem(void)
{
	fprintf(stderr, "corpus-prevail: out of memory\n");
	exit(2);
}

void pv_sb_addn(struct pv_sb *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len <= n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			pv_die_nomem();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void pv_sb_add(struct pv_sb *b, const char *s)
{
	pv_sb_addn(b, s, strlen(s));
}

void pv_sb_addf(struct pv_sb *b, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	pv_sb_addn(b, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void form(pv_form_fn fn, void *ctx, const char *name)
{
	if (fn)
		fn(ctx, name);
}

/* Replaces every whole-word rN outside parentheses with wN (PREVAIL writes "w1 <<= r2"). */
static void to_w(char *s)
{
	int depth = 0;
	for (char *p = s; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && *p == 'r' && isdigit((unsigned char)p[1]) &&
		         (p == s || !isalnum((unsigned char)p[-1])) && p[-1] != '_')
			*p = 'w';
	}
}

void pv_translate_line(const char *in, struct pv_sb *out, int *assume_n, pv_form_fn form_fn, void *form_ctx)
{
	char line[512], tmp[600];
	snprintf(line, sizeof(line), "%s", in);
	char *semi = strchr(line, ';');
	if (semi)
		*semi = '\0';
	char *s = line;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	if (!n)
		return;
	/* <label> -> L_label */
	char buf[600];
	size_t o = 0;
	for (const char *p = s; *p && o + 4 < sizeof(buf);) {
		if (*p == '<' && isalpha((unsigned char)p[1])) {
			const char *q = p + 1;
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			if (*q == '>') {
				form(form_fn, form_ctx, "<label> jump and call targets");
				buf[o++] = 'L';
				buf[o++] = '_';
				for (const char *c = p + 1; c < q && o + 2 < sizeof(buf); c++)
					buf[o++] = *c;
				p = q + 1;
				continue;
			}
		}
		buf[o++] = *p++;
	}
	buf[o] = '\0';
	s = buf;
	/* assume COND: jump over a jump to the sink */
	if (!strncmp(s, "assume ", 7)) {
		form(form_fn, form_ctx, "assume COND (PREVAIL pseudo-instruction)");
		char cond[512];
		snprintf(cond, sizeof(cond), "%.500s", s + 7);
		if (cond[0] == 'w')
			to_w(cond);
		int k = (*assume_n)++;
		pv_sb_addf(out, "if %s goto L__ok%d\ngoto L__sink\nL__ok%d:\n", cond, k, k);
		return;
	}
	/* "&==" is PREVAIL's jset */
	char *amp = strstr(s, " &== ");
	if (amp) {
		form(form_fn, form_ctx, "&== (jset)");
		memmove(amp + 2, amp + 4, strlen(amp + 4) + 1);
	}
	/* sign-extending moves: "r2 s8= r1" -> "r2 = (s8)r1" */
	char d[8], src[8];
	int bits;
	if (sscanf(s, "%7s s%d= %7s", d, &bits, src) == 3 && (d[0] == 'r' || d[0] == 'w')) {
		form(form_fn, form_ctx, "rD sN= rS (sign-extending move)");
		if (d[0] == 'w' && src[0] == 'r')
			src[0] = 'w';
		snprintf(tmp, sizeof(tmp), "%s = (s%d)%s", d, bits, src);
		snprintf(buf, sizeof(buf), "%.590s", tmp);
		s = buf;
	}
	/* 32-bit operations written with 64-bit register names */
	if ((s[0] == 'w' && isdigit((unsigned char)s[1])) || !strncmp(s, "if w", 4)) {
		char before[600];
		snprintf(before, sizeof(before), "%.590s", s);
		to_w(s + (s[0] == 'i' ? 3 : 0));
		if (strcmp(before, s))
			form(form_fn, form_ctx, "rN as the operand of a 32-bit operation");
	}
	/* "12345ll" -> "12345 ll" */
	size_t len = strlen(s);
	if (len > 2 && !strcmp(s + len - 2, "ll") && isxdigit((unsigned char)s[len - 3]) &&
	    len + 2 < sizeof(buf)) {
		form(form_fn, form_ctx, "NNNll (no space before ll)");
		s[len - 2] = ' ';
		s[len - 1] = 'l';
		s[len] = 'l';
		s[len + 1] = '\0';
	}
	/* swapN -> bswapN */
	char *sw = strstr(s, "= swap");
	if (sw) {
		form(form_fn, form_ctx, "swapN (bswapN)");
		snprintf(tmp, sizeof(tmp), "%.*s= bswap%.500s", (int)(sw - s), s, sw + 6);
		snprintf(buf, sizeof(buf), "%.590s", tmp);
	}
	/* atomics: "lock *(u64 *)(r2 + 4) x= r1", "cx=", "+= r1 fetch" */
	int size;
	char addr[64], op[8], sreg[8], fetch[8] = "";
	if (!strncmp(s, "lock ", 5) &&
	    sscanf(s, "lock *(u%d *)(%63[^)]) %7s %7s %7s", &size, addr, op, sreg, fetch) >= 4) {
		bool w32 = size == 32;
		if (w32 && sreg[0] == 'r')
			sreg[0] = 'w';
		const char *fop = !strcmp(op, "+=")   ? "add"
		                  : !strcmp(op, "|=") ? "or"
		                  : !strcmp(op, "&=") ? "and"
		                  : !strcmp(op, "^=") ? "xor"
		                                      : NULL;
		if (!strcmp(op, "x=")) {
			form(form_fn, form_ctx, "lock ... x= (xchg)");
			snprintf(tmp, sizeof(tmp), "%s = %s(%s, %s)", sreg, w32 ? "xchg32_32" : "xchg_64",
			         addr, sreg);
		} else if (!strcmp(op, "cx=")) {
			form(form_fn, form_ctx, "lock ... cx= (cmpxchg)");
			snprintf(tmp, sizeof(tmp), "%s = %s(%s, %s, %s)", w32 ? "w0" : "r0",
			         w32 ? "cmpxchg32_32" : "cmpxchg_64", addr, w32 ? "w0" : "r0", sreg);
		} else if (fop && !strcmp(fetch, "fetch")) {
			form(form_fn, form_ctx, "lock ... OP= rS fetch (atomic_fetch_OP)");
			snprintf(tmp, sizeof(tmp), "%s = atomic_fetch_%s((u%d *)(%s), %s)", sreg, fop, size,
			         addr, sreg);
		} else {
			snprintf(tmp, sizeof(tmp), "lock *(u%d *)(%s) %s %s", size, addr, op, sreg);
			if (w32)
				form(form_fn, form_ctx, "lock *(u32 *) ... with a 64-bit source register");
		}
		snprintf(buf, sizeof(buf), "%.590s", tmp);
	}
	/* map pseudo loads: every map fd names the test's one map */
	long long a, b;
	if (sscanf(s, "%7s = map_fd %lld", d, &a) == 2) {
		form(form_fn, form_ctx, "map_fd N");
		snprintf(tmp, sizeof(tmp), "%s = map_by_idx(0) ll", d);
		snprintf(buf, sizeof(buf), "%.590s", tmp);
	} else if (sscanf(s, "%7s = map_val(%lld) + %lld", d, &a, &b) == 3) {
		form(form_fn, form_ctx, "map_val(N) + OFF");
		snprintf(tmp, sizeof(tmp), "%s = map_val_by_idx(0, %lld) ll", d, b);
		snprintf(buf, sizeof(buf), "%.590s", tmp);
	} else if (sscanf(s, "%7s = mva(map_by_idx(%lld)) + %lld", d, &a, &b) == 3) {
		form(form_fn, form_ctx, "mva(map_by_idx(N)) + OFF");
		snprintf(tmp, sizeof(tmp), "%s = map_val_by_idx(%lld, %lld) ll", d, a, b);
		snprintf(buf, sizeof(buf), "%.590s", tmp);
	} else if (strstr(s, "map_by_idx(") && !strstr(s, " ll")) {
		form(form_fn, form_ctx, "map_by_idx(N) without ll");
		snprintf(tmp, sizeof(tmp), "%.500s ll", s);
		snprintf(buf, sizeof(buf), "%.590s", tmp);
	}
	pv_sb_add(out, s);
	pv_sb_add(out, "\n");
}

bool pv_falls_through(const char *text)
{
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n')
		n--;
	size_t start = n;
	while (start && text[start - 1] != '\n')
		start--;
	char last[128];
	size_t len = n - start < sizeof(last) - 1 ? n - start : sizeof(last) - 1;
	memcpy(last, text + start, len);
	last[len] = '\0';
	if (len && last[len - 1] == ':')
		return true; /* a label at the end: something jumps there */
	return strcmp(last, "exit") && strncmp(last, "goto ", 5);
}
