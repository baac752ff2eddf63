/* The bpf_conformance ".data" test format: a program (assembly or raw words/bytes), the memory it
 * runs on, and the expected result or error. Parsed strictly: every malformed token is reported
 * with its line, because a silently skipped line would change what a conformance test checks.
 * The section rules are documented in specs/cli.md ("The .data format"). */
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/input.h"
#include "common/text.h"

enum data_section { SEC_NONE, SEC_ASM, SEC_RAW, SEC_MEM, SEC_RESULT, SEC_ERROR, SEC_SKIP };

/* A growable byte buffer; every append checks for allocation failure. */
struct buf {
	char *data;
	size_t len, cap;
};

static int buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n) {
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap - b->len <= n) {
			if (ncap > SIZE_MAX / 2)
				return -1;
			ncap *= 2;
		}
		char *nd = realloc(b->data, ncap);
		if (!nd)
			return -1;
		b->data = nd;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

struct parser {
	const char *origin;
	struct bpfc_error *err;
	struct bpfc_data_test *t;
	struct buf asm_text, error_text, mem, raw;
	uint32_t seen_line[SEC_SKIP]; /* line of each section's header, 0 if not seen */
	bool result_seen_value;
};

static const char *section_name(enum data_section s)
{
	switch (s) {
	case SEC_ASM: return "asm";
	case SEC_RAW: return "raw";
	case SEC_MEM: return "mem";
	case SEC_RESULT: return "result";
	case SEC_ERROR: return "error";
	default: return "?";
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Trims [*s, *e) of blanks on both sides. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

/* A header line is "--" then a blank or the end of the line; returns its section, or -1 when the
 * name is unknown. "-- c" (C source of the test) and "-- no register offset" (a uBPF runner
 * option with a free-text reason) are known and skipped. */
static int header_section(const char *s, const char *e)
{
	size_t n = (size_t)(e - s);
	static const struct {
		const char *name;
		enum data_section sec;
	} names[] = {
	    {"asm", SEC_ASM},
	    {"raw", SEC_RAW},
	    {"mem", SEC_MEM},
	    {"result", SEC_RESULT},
	    {"error", SEC_ERROR},
	    {"c", SEC_SKIP},
	    {"no register offset", SEC_SKIP},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
			return names[i].sec;
	return -1;
}

/* Parses a whole token as an unsigned 64-bit number: "0x" + 1..16 hex digits, or decimal
 * (an optional leading '-' wraps modulo 2^64, as the reference runner's stoull does). */
static bool parse_u64(const char *s, const char *e, uint64_t *out)
{
	bool neg = false;
	if (e - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		if (s == e || e - s > 16)
			return false;
		uint64_t v = 0;
		for (; s < e; s++) {
			int h = bpfc_hex_digit(*s);
			if (h < 0)
				return false;
			v = v << 4 | (uint64_t)h;
		}
		*out = v;
		return true;
	}
	if (s < e && *s == '-') {
		neg = true;
		s++;
	}
	if (s == e)
		return false;
	uint64_t v = 0;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (uint64_t)0 - v : v;
	return true;
}

/* A byte token: one or two hex digits. */
static bool parse_byte(const char *s, const char *e, uint8_t *out)
{
	if (e - s < 1 || e - s > 2)
		return false;
	int v = 0;
	for (; s < e; s++) {
		int h = bpfc_hex_digit(*s);
		if (h < 0)
			return false;
		v = v << 4 | h;
	}
	*out = (uint8_t)v;
	return true;
}

/* The next blank-separated token of [*s, e): [*tok, *s) after the call; false when none is left. */
static bool next_token(const char **s, const char *e, const char **tok)
{
	while (*s < e && is_blank(**s))
		(*s)++;
	if (*s == e)
		return false;
	*tok = *s;
	while (*s < e && !is_blank(**s))
		(*s)++;
	return true;
}

/* Splits [s, e) into at most max tokens; returns the token count, or max + 1 if there are more. */
static size_t tokenize(const char *s, const char *e, const char **tok_s, const char **tok_e, size_t max)
{
	size_t n = 0;
	const char *t;
	while (next_token(&s, e, &t)) {
		if (n == max)
			return max + 1;
		tok_s[n] = t;
		tok_e[n] = s;
		n++;
	}
	return n;
}

static int tok_error(struct parser *p, uint32_t line, const char *what, const char *s, const char *e)
{
	int n = (int)(e - s > 40 ? 40 : e - s);
	return bpfc_error_set(p->err, BPFC_ERR_INPUT, "%s:%u: %s, found '%.*s%s'", p->origin, line, what, n,
	                      s, e - s > 40 ? "..." : "");
}

static int append_slot(struct parser *p, const struct isa_slot *slot)
{
	return buf_append(&p->raw, slot, sizeof(*slot));
}

/* "-- raw": a line of exactly 8 byte tokens is one slot in its little-endian byte layout;
 * otherwise every token is a 64-bit word imm<<32 | off<<16 | src<<12 | dst<<8 | opcode (0x-hex,
 * or decimal when alone on its line). */
static int raw_line(struct parser *p, uint32_t line, const char *s, const char *e)
{
	enum { MAXTOK = 64 };
	const char *ts[MAXTOK], *te[MAXTOK];
	size_t n = tokenize(s, e, ts, te, MAXTOK);
	if (n > MAXTOK)
		return bpfc_error_set(p->err, BPFC_ERR_INPUT, "%s:%u: more than %d words on one -- raw line",
		                      p->origin, line, MAXTOK);
	bool bytes = n == 8;
	for (size_t i = 0; bytes && i < n; i++) {
		uint8_t b;
		bytes = parse_byte(ts[i], te[i], &b);
	}
	struct isa_slot slot;
	if (bytes) {
		uint8_t b[8];
		for (size_t i = 0; i < 8; i++)
			parse_byte(ts[i], te[i], &b[i]);
		isa_decode_slot(b, ISA_LITTLE_ENDIAN, &slot);
		if (append_slot(p, &slot))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
		return BPFC_OK;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t w;
		/* Several tokens on a line that are not 8 bytes must all be 0x words: a line of 7
		 * bytes must not silently become 7 decimal words. */
		bool hex_word = te[i] - ts[i] > 2 && ts[i][0] == '0' && (ts[i][1] == 'x' || ts[i][1] == 'X');
		if ((n > 1 && !hex_word) || !parse_u64(ts[i], te[i], &w))
			return tok_error(
			    p, line,
			    "expected a 64-bit instruction word (0x5566778800000018) or 8 hex bytes "
			    "per line (07 00 01 00 01 00 00 00)",
			    ts[i], te[i]);
		isa_slot_from_word(w, &slot);
		if (append_slot(p, &slot))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
	}
	return BPFC_OK;
}

static int mem_line(struct parser *p, uint32_t line, const char *s, const char *e)
{
	const char *t;
	while (next_token(&s, e, &t)) {
		uint8_t b;
		if (!parse_byte(t, s, &b))
			return tok_error(p, line, "expected a hex byte (00..ff) in -- mem", t, s);
		if (buf_append(&p->mem, &b, 1))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
	}
	return BPFC_OK;
}

static int result_line(struct parser *p, uint32_t line, const char *s, const char *e)
{
	if (p->result_seen_value)
		return tok_error(p, line, "-- result holds one value; a second one", s, e);
	uint64_t v;
	if (!parse_u64(s, e, &v))
		return tok_error(p, line, "expected the result as 0x-hex or decimal (at most 64 bits)", s, e);
	p->t->result = v;
	p->result_seen_value = true;
	return BPFC_OK;
}

/* Strips a '#' comment. Only the error text keeps '#': it is compared verbatim. */
static const char *strip_comment(const char *s, const char *e)
{
	const char *h = memchr(s, '#', (size_t)(e - s));
	return h ? h : e;
}

static int body_line(struct parser *p, enum data_section sec, uint32_t line, const char *s, const char *e)
{
	if (sec == SEC_SKIP)
		return BPFC_OK;
	if (sec == SEC_ERROR) {
		trim(&s, &e);
		if (s == e)
			return BPFC_OK;
		if (p->error_text.len && buf_append(&p->error_text, "\n", 1))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
		if (buf_append(&p->error_text, s, (size_t)(e - s)))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
		return BPFC_OK;
	}
	e = strip_comment(s, e);
	if (sec == SEC_ASM) {
		/* One output line per input line, blank or not, so assembler line numbers map back
		 * to the file through asm_first_line. */
		if (buf_append(&p->asm_text, s, (size_t)(e - s)) || buf_append(&p->asm_text, "\n", 1))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
		return BPFC_OK;
	}
	trim(&s, &e);
	if (s == e)
		return BPFC_OK;
	switch (sec) {
	case SEC_RAW: return raw_line(p, line, s, e);
	case SEC_MEM: return mem_line(p, line, s, e);
	case SEC_RESULT: return result_line(p, line, s, e);
	default:
		return tok_error(p, line,
		                 "expected a section header (-- asm, -- raw, -- mem, -- result, -- error) "
		                 "before any content",
		                 s, e);
	}
}

static int finish(struct parser *p)
{
	struct bpfc_data_test *t = p->t;
	if (p->seen_line[SEC_RESULT] && !p->result_seen_value)
		return bpfc_error_set(p->err, BPFC_ERR_INPUT, "%s:%u: -- result has no value", p->origin,
		                      p->seen_line[SEC_RESULT]);
	t->has_result = p->result_seen_value;
	if (p->seen_line[SEC_ASM]) {
		if (!p->asm_text.data && buf_append(&p->asm_text, "", 0))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
		t->asm_text = p->asm_text.data;
		p->asm_text.data = NULL;
	}
	if (p->seen_line[SEC_ERROR]) {
		if (!p->error_text.data && buf_append(&p->error_text, "", 0))
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
		t->error = p->error_text.data;
		p->error_text.data = NULL;
	}
	if (p->seen_line[SEC_RAW]) {
		t->raw_cnt = p->raw.len / sizeof(struct isa_slot);
		t->raw =
		    t->raw_cnt ? (struct isa_slot *)(void *)p->raw.data : calloc(1, sizeof(struct isa_slot));
		if (!t->raw_cnt)
			free(p->raw.data);
		p->raw.data = NULL;
		if (!t->raw)
			return bpfc_error_set(p->err, BPFC_ERR_NOMEM, "%s: out of memory", p->origin);
	}
	if (p->seen_line[SEC_MEM] && p->mem.len) {
		t->mem = (uint8_t *)p->mem.data;
		t->mem_len = p->mem.len;
		p->mem.data = NULL;
	}
	return BPFC_OK;
}

int bpfc_data_parse(const char *text, size_t len, const char *origin, struct bpfc_data_test *out,
                    struct bpfc_error *err)
{
	memset(out, 0, sizeof(*out));
	struct parser p = {.origin = origin ? origin : "<data>", .err = err, .t = out};
	enum data_section sec = SEC_NONE;
	int rc = BPFC_OK;
	const char *pos = text, *end = text + len;
	uint32_t line = 0;
	bpfc_error_clear(err);
	while (pos < end && rc == BPFC_OK) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *s = pos, *e = nl ? nl : end;
		pos = nl ? nl + 1 : end;
		if (line == UINT32_MAX) {
			rc = bpfc_error_set(err, BPFC_ERR_LIMIT, "%s: more than %u lines", p.origin,
			                    UINT32_MAX);
			break;
		}
		line++;
		if (e > s && e[-1] == '\r')
			e--;
		if (e > s && memchr(s, 0, (size_t)(e - s))) {
			rc = bpfc_error_set(err, BPFC_ERR_INPUT, "%s:%u: NUL byte: not a text file", p.origin,
			                    line);
			break;
		}
		const char *hs = s, *he = e;
		trim(&hs, &he);
		if (he - hs >= 2 && hs[0] == '-' && hs[1] == '-' && (he - hs == 2 || is_blank(hs[2]))) {
			const char *ns = hs + 2, *ne = he;
			trim(&ns, &ne);
			int h = header_section(ns, ne);
			if (h < 0) {
				rc = tok_error(
				    &p, line,
				    "unknown section (expected -- asm, -- raw, -- mem, -- result, -- error; "
				    "-- c and -- no register offset are skipped)",
				    hs, he);
				break;
			}
			sec = (enum data_section)h;
			if (sec != SEC_SKIP) {
				if (p.seen_line[sec]) {
					rc = bpfc_error_set(
					    err, BPFC_ERR_INPUT,
					    "%s:%u: second -- %s section (the first is at line %u)", p.origin,
					    line, section_name(sec), p.seen_line[sec]);
					break;
				}
				p.seen_line[sec] = line;
				if (sec == SEC_ASM)
					out->asm_first_line = line + 1;
			}
			continue;
		}
		rc = body_line(&p, sec, line, s, e);
	}
	if (rc == BPFC_OK)
		rc = finish(&p);
	free(p.asm_text.data);
	free(p.error_text.data);
	free(p.mem.data);
	free(p.raw.data);
	if (rc != BPFC_OK)
		bpfc_data_free(out);
	return rc;
}

void bpfc_data_free(struct bpfc_data_test *t)
{
	if (!t)
		return;
	free(t->asm_text);
	free(t->raw);
	free(t->mem);
	free(t->error);
	memset(t, 0, sizeof(*t));
}
