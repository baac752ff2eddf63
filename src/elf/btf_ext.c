/* .BTF.ext parser. PREVAIL looped forever on record size 0 and overflowed the heap on counts
 * past the end: here every size, count and offset is checked before a record is read. */
#include "btf_ext.h"

#include <stdlib.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

uint32_t btfext_word(const struct btf_ext *ext, const uint8_t *rec, unsigned idx)
{
	return rd32(rec + 4 * idx, ext->big_endian);
}

static int parse_info(struct btf_ext *ext, const uint8_t *body, size_t body_len, uint32_t off, uint32_t len,
                      uint32_t min_rec, const char *what, const struct btf *btf, const char *origin,
                      struct btfext_info *info, struct bpfc_error *err)
{
	if (len == 0)
		return 0;
	if (off > body_len || len > body_len - off)
		return bpfc_error_set(
		    err, BPFC_ERR_INPUT,
		    "%s: .BTF.ext %s (offset %u, %u bytes) is past the end of the section (%zu bytes)",
		    origin, what, off, len, body_len);
	if (off % 4)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "%s: .BTF.ext %s offset %u is not 4-byte aligned",
		                      origin, what, off);
	const uint8_t *p = body + off;
	if (len < 4)
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "%s: .BTF.ext %s is %u bytes, too short for a record size", origin,
		                      what, len);
	uint32_t rec_size = rd32(p, ext->big_endian);
	if (rec_size < min_rec || rec_size % 4 || rec_size > 1024)
		return bpfc_error_set(
		    err, BPFC_ERR_INPUT,
		    "%s: .BTF.ext %s record size %u is invalid (expected a multiple of 4, at least %u)",
		    origin, what, rec_size, min_rec);
	info->rec_size = rec_size;
	size_t pos = 4;
	/* Each section header takes 8 bytes, which bounds the section count. */
	size_t max_secs = (len - 4) / 8 + 1;
	info->secs = calloc(max_secs, sizeof(*info->secs));
	if (!info->secs)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", origin);
	while (pos < len) {
		if (len - pos < 8)
			return bpfc_error_set(
			    err, BPFC_ERR_INPUT,
			    "%s: .BTF.ext %s: section header at byte %zu is truncated (%zu bytes left)",
			    origin, what, pos, len - pos);
		uint32_t name_off = rd32(p + pos, ext->big_endian), cnt = rd32(p + pos + 4, ext->big_endian);
		const char *name = btf_str(btf, name_off);
		if (!name)
			return bpfc_error_set(
			    err, BPFC_ERR_INPUT,
			    "%s: .BTF.ext %s: section name offset %u (at byte %zu) is past the BTF strings",
			    origin, what, name_off, pos);
		pos += 8;
		if (cnt == 0)
			return bpfc_error_set(err, BPFC_ERR_INPUT,
			                      "%s: .BTF.ext %s: section '%s' has 0 records", origin, what,
			                      name);
		if (cnt > (len - pos) / rec_size)
			return bpfc_error_set(
			    err, BPFC_ERR_INPUT,
			    "%s: .BTF.ext %s: section '%s' claims %u records of %u bytes at byte %zu, "
			    "but only %zu bytes remain",
			    origin, what, name, cnt, rec_size, pos, len - pos);
		struct btfext_sec *s = &info->secs[info->sec_cnt++];
		s->name = name;
		s->cnt = cnt;
		s->recs = p + pos;
		pos += (size_t)cnt * rec_size;
	}
	return 0;
}

int btfext_parse(const uint8_t *data, size_t len, const struct btf *btf, const char *origin,
                 struct btf_ext **out, struct bpfc_error *err)
{
	*out = NULL;
	if (len < 24)
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "%s: .BTF.ext is %zu bytes, shorter than its 24-byte header", origin,
		                      len);
	bool be;
	if (data[0] == 0x9f && data[1] == 0xeb)
		be = false;
	else if (data[0] == 0xeb && data[1] == 0x9f)
		be = true;
	else
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "%s: bad .BTF.ext magic 0x%02x%02x (expected 0xeb9f)", origin, data[0],
		                      data[1]);
	if (data[2] != 1)
		return bpfc_error_set(err, BPFC_ERR_INPUT, "%s: unsupported .BTF.ext version %u", origin,
		                      data[2]);
	uint32_t hdr_len = rd32(data + 4, be);
	if (hdr_len < 24 || hdr_len > len || hdr_len % 4)
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "%s: .BTF.ext header length %u is not within 24..%zu", origin, hdr_len,
		                      len);
	struct btf_ext *ext = calloc(1, sizeof(*ext));
	if (!ext || !(ext->copy = malloc(len))) {
		free(ext);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", origin);
	}
	memcpy(ext->copy, data, len);
	ext->big_endian = be;
	const uint8_t *d = ext->copy, *body = d + hdr_len;
	size_t body_len = len - hdr_len;
	int rc = parse_info(ext, body, body_len, rd32(d + 8, be), rd32(d + 12, be), 8, "func_info", btf,
	                    origin, &ext->func, err);
	if (!rc)
		rc = parse_info(ext, body, body_len, rd32(d + 16, be), rd32(d + 20, be), 16, "line_info", btf,
		                origin, &ext->line, err);
	if (!rc && hdr_len >= 32)
		rc = parse_info(ext, body, body_len, rd32(d + 24, be), rd32(d + 28, be), 16, "core_relo", btf,
		                origin, &ext->core, err);
	if (rc) {
		btfext_free(ext);
		return rc;
	}
	*out = ext;
	return 0;
}

void btfext_free(struct btf_ext *ext)
{
	if (!ext)
		return;
	free(ext->func.secs);
	free(ext->line.secs);
	free(ext->core.secs);
	free(ext->copy);
	free(ext);
}

const struct btfext_sec *btfext_find(const struct btfext_info *info, const char *sec)
{
	for (size_t i = 0; i < info->sec_cnt; i++)
		if (strcmp(info->secs[i].name, sec) == 0)
			return &info->secs[i];
	return NULL;
}
