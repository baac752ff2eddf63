/* BTF (.BTF section): types and strings, parsed and validated once, then read through small
 * lookups. Enough to size map keys and values, name functions, resolve CO-RE field accesses and
 * print a type as C. Either byte order; every chain walk is bounded. */
#ifndef BPFCHECK_BTF_H
#define BPFCHECK_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum btf_kind {
	BTF_K_UNKN = 0,
	BTF_K_INT = 1,
	BTF_K_PTR = 2,
	BTF_K_ARRAY = 3,
	BTF_K_STRUCT = 4,
	BTF_K_UNION = 5,
	BTF_K_ENUM = 6,
	BTF_K_FWD = 7,
	BTF_K_TYPEDEF = 8,
	BTF_K_VOLATILE = 9,
	BTF_K_CONST = 10,
	BTF_K_RESTRICT = 11,
	BTF_K_FUNC = 12,
	BTF_K_FUNC_PROTO = 13,
	BTF_K_VAR = 14,
	BTF_K_DATASEC = 15,
	BTF_K_FLOAT = 16,
	BTF_K_DECL_TAG = 17,
	BTF_K_TYPE_TAG = 18,
	BTF_K_ENUM64 = 19,
	BTF_K_MAX = 19,
};

/* Longest chain of modifiers/typedefs/arrays followed before giving up (type loops). */
#define BTF_MAX_CHAIN 64

struct btf;

/* One member of a struct/union, a parameter of a func_proto, a variable of a datasec or an
 * enumerator (value in offset/value), decoded. */
struct btf_member {
	const char *name; /* "" when anonymous */
	uint32_t type;
	uint32_t bit_offset;    /* struct/union: offset in bits; datasec: byte offset */
	uint32_t bitfield_size; /* struct/union with kind_flag: bitfield width, else 0; datasec: size */
	int64_t value;          /* enum/enum64 value */
};

/* Parses and validates a .BTF blob (copied: data may be freed after). origin names it in
 * messages ("file.o: .BTF"). Bad header, sizes, string offsets or type ids fail with
 * BPFC_ERR_INPUT naming the type id and byte offset. */
int btf_parse(const uint8_t *data, size_t len, const char *origin, struct btf **out, struct bpfc_error *err);

/* Frees a parsed BTF; ignores NULL. */
void btf_free(struct btf *btf);

/* Number of type ids, including the implicit void (id 0): valid ids are 0..count-1. */
uint32_t btf_type_count(const struct btf *btf);

/* True when the blob was big-endian. */
bool btf_is_big_endian(const struct btf *btf);

/* String at offset in the string section, or NULL when off is out of range. */
const char *btf_str(const struct btf *btf, uint32_t off);

/* Kind, name ("" if anonymous or id invalid), vlen, kind_flag, and the size-or-type word of id. */
enum btf_kind btf_kind(const struct btf *btf, uint32_t id);
const char *btf_name(const struct btf *btf, uint32_t id);
uint32_t btf_vlen(const struct btf *btf, uint32_t id);
bool btf_kflag(const struct btf *btf, uint32_t id);
uint32_t btf_size_or_type(const struct btf *btf, uint32_t id);

/* INT encoding word (bits, offset, signedness) of an INT id, 0 otherwise. */
uint32_t btf_int_encoding(const struct btf *btf, uint32_t id);

/* Array element type and element count of an ARRAY id; false otherwise. */
bool btf_array(const struct btf *btf, uint32_t id, uint32_t *elem_type, uint32_t *nelems);

/* The idx-th member/param/var/enumerator of id; false when out of range. */
bool btf_member(const struct btf *btf, uint32_t id, uint32_t idx, struct btf_member *out);

/* Follows typedef/const/volatile/restrict/type_tag; returns the first other id (0 on a loop). */
uint32_t btf_skip_mods(const struct btf *btf, uint32_t id);

/* Size in bytes of a type (through modifiers, arrays). BPFC_ERR_INPUT on a loop, a type without
 * a size (void, func, fwd) or overflow. */
int btf_resolve_size(const struct btf *btf, uint32_t id, uint64_t *size, struct bpfc_error *err);

/* First id with this name and kind (any kind when kind is BTF_K_UNKN), or 0. */
uint32_t btf_find(const struct btf *btf, const char *name, enum btf_kind kind);

/* Writes a C type name for id ("struct sk_buff *", "unsigned int[4]", "void") into buf
 * (always NUL-terminated, truncated to len). Returns the length it needed. */
size_t btf_type_to_c(const struct btf *btf, uint32_t id, char *buf, size_t len);

/* Writes a C definition of a struct/union/enum id with its members (one level), else the same
 * as btf_type_to_c. Returns the length it needed. */
size_t btf_decl_to_c(const struct btf *btf, uint32_t id, char *buf, size_t len);

/* Name of a kind ("struct", "ptr", ...). */
const char *btf_kind_name(enum btf_kind kind);

#ifdef __cplusplus
}
#endif
#endif
