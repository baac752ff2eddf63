/* .BTF.ext: func_info, line_info and core_relo records grouped by ELF section, validated once
 * (record sizes, counts, alignment, string offsets). Internal to src/elf. */
#ifndef BPFCHECK_ELF_BTF_EXT_H
#define BPFCHECK_ELF_BTF_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/error.h"

/* Records of one kind for one ELF section. */
struct btfext_sec {
	const char *name; /* ELF section name (a BTF string) */
	uint32_t cnt;
	const uint8_t *recs; /* cnt records of the info's rec_size bytes */
};

struct btfext_info {
	uint32_t rec_size;
	struct btfext_sec *secs;
	size_t sec_cnt;
};

struct btf_ext {
	struct btfext_info func, line, core;
	bool big_endian;
	uint8_t *copy; /* the blob, owned */
};

/* Parses .BTF.ext; section names and other string offsets are checked against btf. */
int btfext_parse(const uint8_t *data, size_t len, const struct btf *btf, const char *origin,
                 struct btf_ext **out, struct bpfc_error *err);

void btfext_free(struct btf_ext *ext);

/* The idx-th 32-bit word of a record, in host order (idx < rec_size / 4). */
uint32_t btfext_word(const struct btf_ext *ext, const uint8_t *rec, unsigned idx);

/* Records of info for the ELF section named sec, or NULL. */
const struct btfext_sec *btfext_find(const struct btfext_info *info, const char *sec);

#endif
