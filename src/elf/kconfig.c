/* Kernel configuration values for `.kconfig` externs (opts->kconfig_path, `--kconfig FILE`):
 * reads a kernel .config-style file and writes each extern's value into the KCONFIG map the way
 * libbpf does from /boot/config-$(uname -r), so the programs see the configuration they would
 * see on that kernel. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_internal.h"

enum kcfg_type { KCFG_UNSUPPORTED, KCFG_BOOL, KCFG_CHAR, KCFG_TRISTATE, KCFG_INT, KCFG_CHAR_ARR };

#define BTF_INT_SIGNED 1
#define BTF_INT_CHAR 2
#define BTF_INT_BOOL 4
#define TRI_NO 0
#define TRI_YES 1
#define TRI_MODULE 2

static enum kcfg_type kcfg_type(const struct btf *btf, const struct bpfc_extern *e, bool *is_signed)
{
	uint32_t t = btf_skip_mods(btf, btf_size_or_type(btf, e->btf_type_id)), elem, n;
	*is_signed = false;
	switch (btf_kind(btf, t)) {
	case BTF_K_ENUM:
	case BTF_K_ENUM64:
		return strcmp(btf_name(btf, t), "libbpf_tristate") == 0 ? KCFG_TRISTATE : KCFG_UNSUPPORTED;
	case BTF_K_INT: {
		/* libbpf's find_kcfg_type: any 1-byte integer is a char. */
		uint32_t enc = (btf_int_encoding(btf, t) >> 24) & 0xf;
		uint64_t size = 0;
		struct bpfc_error ignored;
		if (btf_resolve_size(btf, t, &size, &ignored))
			return KCFG_UNSUPPORTED;
		*is_signed = enc & BTF_INT_SIGNED;
		if (enc & BTF_INT_BOOL)
			return size == 1 ? KCFG_BOOL : KCFG_UNSUPPORTED;
		if (size == 1)
			return KCFG_CHAR;
		return size == 2 || size == 4 || size == 8 ? KCFG_INT : KCFG_UNSUPPORTED;
	}
	case BTF_K_ARRAY: {
		if (!btf_array(btf, t, &elem, &n) || n == 0)
			return KCFG_UNSUPPORTED;
		uint32_t et = btf_skip_mods(btf, elem);
		if (btf_kind(btf, et) != BTF_K_INT || (btf_int_encoding(btf, et) & 0xff) != 8 ||
		    ((btf_int_encoding(btf, et) >> 24) & BTF_INT_BOOL))
			return KCFG_UNSUPPORTED;
		return KCFG_CHAR_ARR;
	}
	default: return KCFG_UNSUPPORTED;
	}
}

static const char *kcfg_type_name(enum kcfg_type t)
{
	static const char *const names[] = {"an unsupported type", "a bool",     "a char",
	                                    "a tristate",          "an integer", "a char array"};
	return names[t];
}

static void put_uint(uint8_t *p, uint32_t size, uint64_t v, bool big_endian)
{
	for (uint32_t i = 0; i < size; i++)
		p[big_endian ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

struct kline {
	const char *path;
	size_t line;
	struct bpfc_error *err;
};

static int bad(const struct kline *l, const char *name, const char *what, const char *val, size_t vlen)
{
	return bpfc_error_set(l->err, BPFC_ERR_INPUT, "%s:%zu: %s: %s '%.*s'", l->path, l->line, name, what,
	                      (int)(vlen > 64 ? 64 : vlen), val);
}

/* Writes value (val, vlen bytes, not NUL-terminated) of extern e into data. */
static int set_value(const struct kline *l, const struct btf *btf, struct bpfc_extern *e, const char *val,
                     size_t vlen, uint8_t *data, bool big_endian)
{
	bool is_signed;
	enum kcfg_type t = kcfg_type(btf, e, &is_signed);
	uint8_t *p = data + e->offset;
	char msg[96];
	if (t == KCFG_UNSUPPORTED)
		return bad(l, e->name, "the extern's BTF type cannot hold a configuration value, got", val,
		           vlen);
	if (vlen == 1 && (val[0] == 'y' || val[0] == 'n' || val[0] == 'm')) {
		switch (t) {
		case KCFG_BOOL:
			if (val[0] == 'm')
				return bad(l, e->name, "a bool extern cannot be a module, got", val, vlen);
			p[0] = val[0] == 'y';
			return 0;
		case KCFG_TRISTATE:
			put_uint(p, e->size,
			         val[0] == 'y'   ? TRI_YES
			         : val[0] == 'm' ? TRI_MODULE
			                         : TRI_NO,
			         big_endian);
			return 0;
		case KCFG_CHAR: p[0] = (uint8_t)val[0]; return 0;
		default:
			snprintf(msg, sizeof(msg), "the extern is %s, not a bool/tristate/char; got",
			         kcfg_type_name(t));
			return bad(l, e->name, msg, val, vlen);
		}
	}
	if (val[0] == '"') {
		if (vlen < 2 || val[vlen - 1] != '"')
			return bad(l, e->name, "string value without its closing quote:", val, vlen);
		if (t != KCFG_CHAR_ARR) {
			snprintf(msg, sizeof(msg), "the extern is %s, not a char array; got the string",
			         kcfg_type_name(t));
			return bad(l, e->name, msg, val, vlen);
		}
		size_t n = vlen - 2;
		if (n > e->size - 1)
			n = e->size - 1; /* libbpf truncates too, keeping the NUL */
		memset(p, 0, e->size);
		memcpy(p, val + 1, n);
		return 0;
	}
	char buf[32];
	if (vlen == 0 || vlen >= sizeof(buf))
		return bad(l, e->name, "expected y, n, m, a \"string\" or a number, got", val, vlen);
	memcpy(buf, val, vlen);
	buf[vlen] = 0;
	char *end;
	errno = 0;
	uint64_t u;
	bool neg = buf[0] == '-';
	if (neg) {
		long long s = strtoll(buf, &end, 0);
		u = (uint64_t)s;
	} else {
		u = strtoull(buf, &end, 0);
	}
	if (*end || errno || !(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9')))
		return bad(l, e->name, "expected y, n, m, a \"string\" or a number, got", val, vlen);
	if (t == KCFG_BOOL && u > 1)
		return bad(l, e->name, "a bool extern is 0 or 1, got", val, vlen);
	if (t != KCFG_INT && t != KCFG_CHAR && t != KCFG_BOOL) {
		snprintf(msg, sizeof(msg), "the extern is %s, not an integer; got the number",
		         kcfg_type_name(t));
		return bad(l, e->name, msg, val, vlen);
	}
	unsigned bits = 8 * e->size;
	bool fits;
	if (bits == 64)
		fits = !neg || is_signed;
	else if (is_signed)
		fits = (int64_t)u >= -((int64_t)1 << (bits - 1)) && (int64_t)u < ((int64_t)1 << (bits - 1));
	else
		fits = !neg && u < ((uint64_t)1 << bits);
	if (!fits) {
		snprintf(msg, sizeof(msg), "the value does not fit its %u-byte %s type:", e->size,
		         is_signed ? "signed" : "unsigned");
		return bad(l, e->name, msg, val, vlen);
	}
	put_uint(p, e->size, u, big_endian);
	return 0;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

int elf_kconfig_fill(const char *path, const char *text, size_t len, const struct btf *btf, bool big_endian,
                     struct bpfc_extern *externs, size_t extern_cnt, uint8_t *data, struct bpfc_error *err)
{
	struct kline l = {path, 0, err};
	size_t pos = 0;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		l.line++;
		while (n && is_space(*s))
			s++, n--;
		while (n && is_space(s[n - 1]))
			n--;
		if (!n)
			continue;
		const char *name = s, *val;
		size_t name_len, vlen;
		static const char not_set[] = " is not set";
		if (s[0] == '#') {
			/* "# CONFIG_X is not set" means n; other comments are skipped. */
			size_t ns = sizeof(not_set) - 1;
			if (n < 2 + ns || s[1] != ' ' || memcmp(s + n - ns, not_set, ns) != 0)
				continue;
			name = s + 2;
			name_len = n - 2 - ns;
			val = "n";
			vlen = 1;
		} else {
			const char *eq = memchr(s, '=', n);
			if (!eq || eq == s)
				return bpfc_error_set(
				    err, BPFC_ERR_INPUT,
				    "%s:%zu: expected NAME=VALUE or '# NAME is not set', got '%.*s'", path,
				    l.line, (int)(n > 64 ? 64 : n), s);
			name_len = (size_t)(eq - s);
			val = eq + 1;
			vlen = n - name_len - 1;
		}
		for (size_t i = 0; i < extern_cnt; i++) {
			struct bpfc_extern *e = &externs[i];
			if (e->kind != BPFC_EXTERN_KCONFIG || strlen(e->name) != name_len ||
			    memcmp(e->name, name, name_len) != 0)
				continue;
			int rc = set_value(&l, btf, e, val, vlen, data, big_endian);
			if (rc)
				return rc;
			e->known = true;
		}
	}
	for (size_t i = 0; i < extern_cnt; i++) {
		struct bpfc_extern *e = &externs[i];
		if (e->kind != BPFC_EXTERN_KCONFIG || e->known)
			continue;
		/* libbpf takes LINUX_* from the running kernel, not from the configuration. */
		if (strncmp(e->name, "LINUX_", 6) == 0)
			continue;
		if (!e->weak)
			return bpfc_error_set(
			    err, BPFC_ERR_INPUT,
			    "%s: extern '%s' (.kconfig, not __weak) has no value in the file", path, e->name);
		e->known = true; /* a missing __weak extern is 0, as libbpf leaves it */
	}
	return 0;
}
