/* BTF parser: converts the type section to host-order words once, validates every record, size,
 * string offset and type reference, then answers lookups without further checks. */
#include "bpfcheck/btf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BTF_MAGIC 0xeB9F
#define BTF_HDR_MIN 24

struct btf {
	uint32_t *words; /* the type section in host order */
	size_t word_cnt;
	uint32_t *type_at; /* type_at[id] = index in words of type id's first word (id >= 1) */
	uint32_t type_cnt; /* including void */
	char *strs;
	uint32_t str_len;
	bool big_endian;
};

static uint32_t rd32(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t info_kind(uint32_t info)
{
	return (info >> 24) & 0x1f;
}

static uint32_t info_vlen(uint32_t info)
{
	return info & 0xffff;
}

/* Words that follow the 3-word common header for a type of this kind and vlen. */
static int extra_words(uint32_t kind, uint32_t vlen, size_t *n)
{
	switch (kind) {
	case BTF_K_INT: *n = 1; return 0;
	case BTF_K_PTR:
	case BTF_K_FWD:
	case BTF_K_TYPEDEF:
	case BTF_K_VOLATILE:
	case BTF_K_CONST:
	case BTF_K_RESTRICT:
	case BTF_K_FUNC:
	case BTF_K_FLOAT:
	case BTF_K_TYPE_TAG: *n = 0; return 0;
	case BTF_K_ARRAY: *n = 3; return 0;
	case BTF_K_STRUCT:
	case BTF_K_UNION:
	case BTF_K_DATASEC:
	case BTF_K_ENUM64: *n = (size_t)vlen * 3; return 0;
	case BTF_K_ENUM:
	case BTF_K_FUNC_PROTO: *n = (size_t)vlen * 2; return 0;
	case BTF_K_VAR:
	case BTF_K_DECL_TAG: *n = 1; return 0;
	default: return -1;
	}
}

static int bad(struct bpfc_error *err, const char *origin, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct bpfc_error *err, const char *origin, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bpfc_error_set(err, BPFC_ERR_INPUT, "%s: %s", origin, msg);
}

static bool str_ok(const struct btf *b, uint32_t off)
{
	return off < b->str_len;
}

static bool id_ok(const struct btf *b, uint32_t id)
{
	return id < b->type_cnt;
}

/* Checks the string offsets and type ids one type refers to. */
static int check_refs(const struct btf *b, uint32_t id, const char *origin, struct bpfc_error *err)
{
	const uint32_t *t = &b->words[b->type_at[id]];
	uint32_t kind = info_kind(t[1]), vlen = info_vlen(t[1]);
	const uint32_t *x = t + 3;
	if (!str_ok(b, t[0]))
		return bad(err, origin, "type [%u]: name offset %u is past the string section (%u bytes)", id,
		           t[0], b->str_len);
	switch (kind) {
	case BTF_K_PTR:
	case BTF_K_TYPEDEF:
	case BTF_K_VOLATILE:
	case BTF_K_CONST:
	case BTF_K_RESTRICT:
	case BTF_K_FUNC:
	case BTF_K_VAR:
	case BTF_K_DECL_TAG:
	case BTF_K_TYPE_TAG:
	case BTF_K_FUNC_PROTO:
		if (!id_ok(b, t[2]))
			return bad(err, origin,
			           "type [%u] (%s): refers to type %u, but there are only %u types", id,
			           btf_kind_name(kind), t[2], b->type_cnt - 1);
		break;
	default: break;
	}
	if ((kind == BTF_K_PTR || kind == BTF_K_TYPEDEF || kind == BTF_K_VOLATILE || kind == BTF_K_CONST ||
	     kind == BTF_K_RESTRICT || kind == BTF_K_TYPE_TAG) &&
	    t[2] == id)
		return bad(err, origin, "type [%u] (%s): refers to itself", id, btf_kind_name(kind));
	switch (kind) {
	case BTF_K_ARRAY:
		if (!id_ok(b, x[0]) || !id_ok(b, x[1]))
			return bad(err, origin,
			           "type [%u] (array): element type %u or index type %u out of range", id,
			           x[0], x[1]);
		break;
	case BTF_K_STRUCT:
	case BTF_K_UNION:
		for (uint32_t i = 0; i < vlen; i++) {
			if (!str_ok(b, x[3 * i]) || !id_ok(b, x[3 * i + 1]))
				return bad(err, origin,
				           "type [%u] (%s): member %u has a bad name offset %u or type %u",
				           id, btf_kind_name(kind), i, x[3 * i], x[3 * i + 1]);
		}
		break;
	case BTF_K_ENUM:
		for (uint32_t i = 0; i < vlen; i++)
			if (!str_ok(b, x[2 * i]))
				return bad(err, origin,
				           "type [%u] (enum): enumerator %u name offset %u out of range", id,
				           i, x[2 * i]);
		break;
	case BTF_K_ENUM64:
		for (uint32_t i = 0; i < vlen; i++)
			if (!str_ok(b, x[3 * i]))
				return bad(err, origin,
				           "type [%u] (enum64): enumerator %u name offset %u out of range",
				           id, i, x[3 * i]);
		break;
	case BTF_K_FUNC_PROTO:
		for (uint32_t i = 0; i < vlen; i++)
			if (!str_ok(b, x[2 * i]) || !id_ok(b, x[2 * i + 1]))
				return bad(err, origin,
				           "type [%u] (func_proto): parameter %u has a bad name or type", id,
				           i);
		break;
	case BTF_K_DATASEC:
		for (uint32_t i = 0; i < vlen; i++)
			if (!id_ok(b, x[3 * i]))
				return bad(err, origin,
				           "type [%u] (datasec): variable %u refers to type %u out of range",
				           id, i, x[3 * i]);
		break;
	default: break;
	}
	return 0;
}

int btf_parse(const uint8_t *data, size_t len, const char *origin, struct btf **out, struct bpfc_error *err)
{
	*out = NULL;
	if (!data || len < BTF_HDR_MIN)
		return bad(err, origin, "BTF is %zu bytes, shorter than its %d-byte header", len,
		           BTF_HDR_MIN);
	bool be;
	if (data[0] == 0x9f && data[1] == 0xeb)
		be = false;
	else if (data[0] == 0xeb && data[1] == 0x9f)
		be = true;
	else
		return bad(err, origin, "bad BTF magic 0x%02x%02x (expected 0xeb9f)", data[0], data[1]);
	if (data[2] != 1)
		return bad(err, origin, "unsupported BTF version %u (expected 1)", data[2]);
	uint32_t hdr_len = rd32(data + 4, be), type_off = rd32(data + 8, be), type_len = rd32(data + 12, be);
	uint32_t str_off = rd32(data + 16, be), str_len = rd32(data + 20, be);
	if (hdr_len < BTF_HDR_MIN || hdr_len > len)
		return bad(err, origin, "BTF header length %u is not within 24..%zu", hdr_len, len);
	size_t body = len - hdr_len;
	if (type_off > body || type_len > body - type_off)
		return bad(err, origin, "BTF type section (offset %u, %u bytes) is past the end (%zu bytes)",
		           type_off, type_len, body);
	if (str_off > body || str_len > body - str_off)
		return bad(err, origin,
		           "BTF string section (offset %u, %u bytes) is past the end (%zu bytes)", str_off,
		           str_len, body);
	if (type_len % 4 || type_off % 4)
		return bad(err, origin, "BTF type section offset %u / length %u not a multiple of 4",
		           type_off, type_len);
	const uint8_t *strs = data + hdr_len + str_off;
	if (str_len == 0 || strs[0] != '\0' || strs[str_len - 1] != '\0')
		return bad(err, origin, "BTF string section must start and end with a NUL byte");

	struct btf *b = calloc(1, sizeof(*b));
	if (!b)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", origin);
	b->big_endian = be;
	b->word_cnt = type_len / 4;
	b->words = malloc(type_len ? type_len : 4);
	b->strs = malloc(str_len);
	/* A type is at least 3 words, so word_cnt / 3 + 1 bounds the id count. */
	b->type_at = malloc((b->word_cnt / 3 + 2) * sizeof(uint32_t));
	if (!b->words || !b->strs || !b->type_at) {
		btf_free(b);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", origin);
	}
	const uint8_t *types = data + hdr_len + type_off;
	for (size_t i = 0; i < b->word_cnt; i++)
		b->words[i] = rd32(types + 4 * i, be);
	memcpy(b->strs, strs, str_len);
	b->str_len = str_len;

	uint32_t id = 1;
	size_t w = 0;
	while (w < b->word_cnt) {
		if (b->word_cnt - w < 3) {
			btf_free(b);
			return bad(err, origin, "type [%u] at byte %zu of the type section is truncated", id,
			           w * 4);
		}
		uint32_t info = b->words[w + 1];
		size_t extra;
		if (extra_words(info_kind(info), info_vlen(info), &extra) < 0) {
			btf_free(b);
			return bad(err, origin, "type [%u] at byte %zu has unknown kind %u", id, w * 4,
			           info_kind(info));
		}
		if (b->word_cnt - w - 3 < extra) {
			btf_free(b);
			return bad(err, origin,
			           "type [%u] (%s, vlen %u) at byte %zu runs past the type section", id,
			           btf_kind_name(info_kind(info)), info_vlen(info), w * 4);
		}
		b->type_at[id] = (uint32_t)w;
		w += 3 + extra;
		id++;
	}
	b->type_cnt = id;
	for (uint32_t i = 1; i < b->type_cnt; i++) {
		if (check_refs(b, i, origin, err)) {
			btf_free(b);
			return BPFC_ERR_INPUT;
		}
	}
	*out = b;
	return 0;
}

void btf_free(struct btf *btf)
{
	if (!btf)
		return;
	free(btf->words);
	free(btf->type_at);
	free(btf->strs);
	free(btf);
}

uint32_t btf_type_count(const struct btf *btf)
{
	return btf ? btf->type_cnt : 0;
}

bool btf_is_big_endian(const struct btf *btf)
{
	return btf && btf->big_endian;
}

const char *btf_str(const struct btf *btf, uint32_t off)
{
	if (!btf || off >= btf->str_len)
		return NULL;
	return btf->strs + off;
}

static const uint32_t *type_words(const struct btf *btf, uint32_t id)
{
	if (!btf || id == 0 || id >= btf->type_cnt)
		return NULL;
	return &btf->words[btf->type_at[id]];
}

enum btf_kind btf_kind(const struct btf *btf, uint32_t id)
{
	const uint32_t *t = type_words(btf, id);
	return t ? (enum btf_kind)info_kind(t[1]) : BTF_K_UNKN;
}

const char *btf_name(const struct btf *btf, uint32_t id)
{
	const uint32_t *t = type_words(btf, id);
	return t ? btf->strs + t[0] : "";
}

uint32_t btf_vlen(const struct btf *btf, uint32_t id)
{
	const uint32_t *t = type_words(btf, id);
	return t ? info_vlen(t[1]) : 0;
}

bool btf_kflag(const struct btf *btf, uint32_t id)
{
	const uint32_t *t = type_words(btf, id);
	return t && (t[1] >> 31);
}

uint32_t btf_size_or_type(const struct btf *btf, uint32_t id)
{
	const uint32_t *t = type_words(btf, id);
	return t ? t[2] : 0;
}

uint32_t btf_int_encoding(const struct btf *btf, uint32_t id)
{
	const uint32_t *t = type_words(btf, id);
	return t && info_kind(t[1]) == BTF_K_INT ? t[3] : 0;
}

bool btf_array(const struct btf *btf, uint32_t id, uint32_t *elem_type, uint32_t *nelems)
{
	const uint32_t *t = type_words(btf, id);
	if (!t || info_kind(t[1]) != BTF_K_ARRAY)
		return false;
	*elem_type = t[3];
	*nelems = t[5];
	return true;
}

bool btf_member(const struct btf *btf, uint32_t id, uint32_t idx, struct btf_member *out)
{
	const uint32_t *t = type_words(btf, id);
	if (!t || idx >= info_vlen(t[1]))
		return false;
	const uint32_t *x = t + 3;
	memset(out, 0, sizeof(*out));
	out->name = "";
	switch (info_kind(t[1])) {
	case BTF_K_STRUCT:
	case BTF_K_UNION:
		out->name = btf->strs + x[3 * idx];
		out->type = x[3 * idx + 1];
		if (t[1] >> 31) {
			out->bit_offset = x[3 * idx + 2] & 0xffffff;
			out->bitfield_size = x[3 * idx + 2] >> 24;
		} else {
			out->bit_offset = x[3 * idx + 2];
		}
		return true;
	case BTF_K_ENUM:
		out->name = btf->strs + x[2 * idx];
		out->value =
		    btf_kflag(btf, id) ? (int64_t)(uint64_t)x[2 * idx + 1] : (int64_t)(int32_t)x[2 * idx + 1];
		return true;
	case BTF_K_ENUM64:
		out->name = btf->strs + x[3 * idx];
		out->value = (int64_t)((uint64_t)x[3 * idx + 2] << 32 | x[3 * idx + 1]);
		return true;
	case BTF_K_FUNC_PROTO:
		out->name = btf->strs + x[2 * idx];
		out->type = x[2 * idx + 1];
		return true;
	case BTF_K_DATASEC:
		out->type = x[3 * idx];
		out->bit_offset = x[3 * idx + 1];
		out->bitfield_size = x[3 * idx + 2];
		return true;
	default: return false;
	}
}

static bool is_mod(enum btf_kind k)
{
	return k == BTF_K_TYPEDEF || k == BTF_K_VOLATILE || k == BTF_K_CONST || k == BTF_K_RESTRICT ||
	       k == BTF_K_TYPE_TAG;
}

uint32_t btf_skip_mods(const struct btf *btf, uint32_t id)
{
	for (int depth = 0; depth < BTF_MAX_CHAIN; depth++) {
		if (!is_mod(btf_kind(btf, id)))
			return id;
		id = btf_size_or_type(btf, id);
	}
	return 0;
}

int btf_resolve_size(const struct btf *btf, uint32_t id, uint64_t *size, struct bpfc_error *err)
{
	uint64_t mult = 1;
	uint32_t start = id;
	for (int depth = 0; depth < BTF_MAX_CHAIN; depth++) {
		enum btf_kind k = btf_kind(btf, id);
		uint32_t elem, n;
		switch (k) {
		case BTF_K_INT:
		case BTF_K_STRUCT:
		case BTF_K_UNION:
		case BTF_K_ENUM:
		case BTF_K_ENUM64:
		case BTF_K_DATASEC:
		case BTF_K_FLOAT: {
			uint64_t s = btf_size_or_type(btf, id);
			if (s && mult > UINT64_MAX / s)
				return bpfc_error_set(err, BPFC_ERR_INPUT, "BTF type [%u]: size overflows",
				                      start);
			*size = s * mult;
			return 0;
		}
		case BTF_K_PTR: *size = 8 * mult; return 0;
		case BTF_K_TYPEDEF:
		case BTF_K_VOLATILE:
		case BTF_K_CONST:
		case BTF_K_RESTRICT:
		case BTF_K_TYPE_TAG:
		case BTF_K_VAR: id = btf_size_or_type(btf, id); break;
		case BTF_K_ARRAY:
			btf_array(btf, id, &elem, &n);
			if (n && mult > UINT64_MAX / n)
				return bpfc_error_set(err, BPFC_ERR_INPUT,
				                      "BTF type [%u]: array size overflows", start);
			mult *= n;
			id = elem;
			break;
		default:
			return bpfc_error_set(err, BPFC_ERR_INPUT, "BTF type [%u]: %s has no size", start,
			                      id ? btf_kind_name(k) : "void");
		}
	}
	return bpfc_error_set(err, BPFC_ERR_INPUT, "BTF type [%u]: type chain longer than %d (a type loop?)",
	                      start, BTF_MAX_CHAIN);
}

uint32_t btf_find(const struct btf *btf, const char *name, enum btf_kind kind)
{
	for (uint32_t id = 1; id < btf_type_count(btf); id++)
		if ((kind == BTF_K_UNKN || btf_kind(btf, id) == kind) && strcmp(btf_name(btf, id), name) == 0)
			return id;
	return 0;
}

const char *btf_kind_name(enum btf_kind kind)
{
	static const char *const names[] = {"unknown", "int",      "ptr",      "array",      "struct",
	                                    "union",   "enum",     "fwd",      "typedef",    "volatile",
	                                    "const",   "restrict", "func",     "func_proto", "var",
	                                    "datasec", "float",    "decl_tag", "type_tag",   "enum64"};
	return (unsigned)kind <= BTF_K_MAX ? names[kind] : "unknown";
}

/* Appends to a bounded buffer, counting what would have been written. */
struct sbuf {
	char *buf;
	size_t len, pos;
};

static void sb_add(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = sb->pos < sb->len ? sb->len - sb->pos : 0;
	int n = vsnprintf(room ? sb->buf + sb->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->pos += (size_t)n;
}

/* A C declaration of type id with an optional declarator name: "int b[3]", "struct s *p",
 * "int (*p)[4]". Built inside-out: pointers prefix the declarator, arrays suffix it. */
static void type_c(const struct btf *btf, uint32_t id, const char *name, struct sbuf *sb)
{
	char decl[256], tmp[300]; /* tmp holds decl plus at most "()[4294967295]" */
	snprintf(decl, sizeof(decl), "%s", name ? name : "");
	bool last_ptr = false;
	const char *quals = "";
	for (int depth = 0; depth < BTF_MAX_CHAIN; depth++) {
		enum btf_kind k = btf_kind(btf, id);
		const char *tn = btf_name(btf, id);
		const char *kw = NULL;
		uint32_t elem, n;
		switch (k) {
		case BTF_K_PTR:
			snprintf(tmp, sizeof(tmp), "*%s", decl);
			memcpy(decl, tmp, sizeof(decl));
			decl[sizeof(decl) - 1] = '\0';
			last_ptr = true;
			id = btf_size_or_type(btf, id);
			continue;
		case BTF_K_ARRAY:
			btf_array(btf, id, &elem, &n);
			snprintf(tmp, sizeof(tmp), last_ptr ? "(%s)[%u]" : "%s[%u]", decl, n);
			memcpy(decl, tmp, sizeof(decl));
			decl[sizeof(decl) - 1] = '\0';
			last_ptr = false;
			id = elem;
			continue;
		case BTF_K_CONST:
		case BTF_K_VOLATILE:
		case BTF_K_RESTRICT:
			if (!last_ptr && !*quals)
				quals = k == BTF_K_CONST ? "const " : k == BTF_K_VOLATILE ? "volatile " : "";
			id = btf_size_or_type(btf, id);
			continue;
		case BTF_K_TYPE_TAG:
		case BTF_K_VAR:
		case BTF_K_DECL_TAG: id = btf_size_or_type(btf, id); continue;
		case BTF_K_FUNC_PROTO:
			snprintf(tmp, sizeof(tmp), last_ptr ? "(%s)(...)" : "%s(...)", decl);
			memcpy(decl, tmp, sizeof(decl));
			decl[sizeof(decl) - 1] = '\0';
			last_ptr = false;
			id = btf_size_or_type(btf, id);
			continue;
		case BTF_K_STRUCT: kw = "struct"; break;
		case BTF_K_UNION: kw = "union"; break;
		case BTF_K_ENUM:
		case BTF_K_ENUM64: kw = "enum"; break;
		case BTF_K_FWD: kw = btf_kflag(btf, id) ? "union" : "struct"; break;
		default: break;
		}
		const char *base = k == BTF_K_UNKN ? "void" : tn;
		if (kw)
			sb_add(sb, "%s%s %s%s%s", quals, kw, *tn ? tn : "(anon)", *decl ? " " : "", decl);
		else
			sb_add(sb, "%s%s%s%s", quals, base, *decl ? " " : "", decl);
		return;
	}
	sb_add(sb, "<type loop>");
}

size_t btf_type_to_c(const struct btf *btf, uint32_t id, char *buf, size_t len)
{
	struct sbuf sb = {buf, len, 0};
	if (len)
		buf[0] = '\0';
	type_c(btf, id, NULL, &sb);
	if (len && sb.pos >= len)
		buf[len - 1] = '\0';
	return sb.pos;
}

size_t btf_decl_to_c(const struct btf *btf, uint32_t id, char *buf, size_t len)
{
	struct sbuf sb = {buf, len, 0};
	if (len)
		buf[0] = '\0';
	enum btf_kind k = btf_kind(btf, id);
	if (k != BTF_K_STRUCT && k != BTF_K_UNION && k != BTF_K_ENUM && k != BTF_K_ENUM64) {
		type_c(btf, id, NULL, &sb);
	} else {
		type_c(btf, id, NULL, &sb);
		sb_add(&sb, " {\n");
		struct btf_member m;
		for (uint32_t i = 0; btf_member(btf, id, i, &m); i++) {
			if (k == BTF_K_ENUM || k == BTF_K_ENUM64) {
				sb_add(&sb, "\t%s = %" PRId64 ",\n", m.name, m.value);
				continue;
			}
			sb_add(&sb, "\t");
			type_c(btf, m.type, m.name, &sb);
			if (m.bitfield_size)
				sb_add(&sb, " : %u", m.bitfield_size);
			sb_add(&sb, "; /* offset %u", m.bit_offset / 8);
			if (m.bit_offset % 8)
				sb_add(&sb, " bit %u", m.bit_offset % 8);
			sb_add(&sb, " */\n");
		}
		sb_add(&sb, "};");
	}
	if (len && sb.pos >= len)
		buf[len - 1] = '\0';
	return sb.pos;
}
