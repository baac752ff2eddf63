/* A runtime platform as the verifier needs it: helper prototypes, program types (context layout,
 * return range, callable helpers), map types and the property catalogue. Built from the JSON under
 * specs/platforms/<name>/ and specs/properties/ (embedded in the library), validated when loaded,
 * immutable afterwards, so one platform can be shared by threads. */
#ifndef BPFCHECK_PLATFORM_H
#define BPFCHECK_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PLAT_MAX_ARGS 5

/* ---- helpers ---- */

/* What a helper argument must be (the kernel's enum bpf_arg_type, with its flags split out). */
enum plat_arg_kind {
	PLAT_ARG_NONE = 0,                 /* no such argument */
	PLAT_ARG_ANYTHING,                 /* any initialised value */
	PLAT_ARG_CONST_MAP_PTR,            /* a map (lddw of a map) */
	PLAT_ARG_PTR_TO_MAP_KEY,           /* key_size readable bytes of the map in the map argument */
	PLAT_ARG_PTR_TO_MAP_VALUE,         /* value_size bytes (uninit flag: written by the helper) */
	PLAT_ARG_PTR_TO_MEM,               /* memory of size_arg's value or fixed_size bytes */
	PLAT_ARG_CONST_SIZE,               /* size of the preceding memory argument, > 0, bounded */
	PLAT_ARG_CONST_SIZE_OR_ZERO,       /* same, may be 0 */
	PLAT_ARG_CONST_ALLOC_SIZE_OR_ZERO, /* a constant size the helper allocates (ringbuf_reserve) */
	PLAT_ARG_PTR_TO_CTX,               /* the program's context, unmodified */
	PLAT_ARG_PTR_TO_STACK,             /* a stack pointer (callback context) */
	PLAT_ARG_PTR_TO_FUNC,              /* a subprogram (callback), loaded with lddw src=4 */
	PLAT_ARG_PTR_TO_CONST_STR,         /* NUL-terminated string in a read-only map value */
	PLAT_ARG_PTR_TO_RINGBUF_MEM,       /* memory returned by ringbuf_reserve */
	PLAT_ARG_PTR_TO_SPIN_LOCK,         /* the struct bpf_spin_lock inside a map value */
	PLAT_ARG_PTR_TO_TIMER,             /* the struct bpf_timer inside a map value */
	PLAT_ARG_PTR_TO_SOCK_COMMON,       /* a socket pointer of any socket kind */
	PLAT_ARG_PTR_TO_BTF_SOCK_COMMON,   /* a socket pointer, or a BTF pointer to struct sock_common */
	PLAT_ARG_PTR_TO_BTF_ID,            /* a BTF-typed kernel pointer (btf_type names the struct) */
	PLAT_ARG_PTR_TO_PERCPU_BTF_ID,     /* a per-CPU kernel variable (ksym) */
	PLAT_ARG_PTR_TO_DYNPTR,            /* a struct bpf_dynptr on the stack */
	PLAT_ARG_PTR_TO_KPTR,              /* a kptr field inside a map value */
	PLAT_ARG_KIND_COUNT
};

enum plat_arg_flag {
	PLAT_ARG_F_READONLY = 1u << 0, /* the helper only reads the memory */
	PLAT_ARG_F_UNINIT = 1u << 1,   /* the memory need not be initialised: the helper writes it */
	PLAT_ARG_F_NULLABLE = 1u << 2, /* NULL (the constant 0) is accepted */
	PLAT_ARG_F_RELEASE = 1u << 3,  /* the helper releases the reference this argument holds */
};

struct plat_arg {
	enum plat_arg_kind kind;
	uint8_t flags;        /* enum plat_arg_flag */
	uint8_t size_arg;     /* PTR_TO_MEM: 1-based argument giving the size, 0 if fixed_size */
	uint32_t fixed_size;  /* PTR_TO_MEM: fixed size in bytes when size_arg is 0 */
	const char *btf_type; /* PTR_TO_BTF_ID: struct name, else NULL */
};

/* What a helper returns in R0. */
enum plat_ret_kind {
	PLAT_RET_INTEGER = 0,          /* scalar; range if has_range */
	PLAT_RET_VOID,                 /* R0 is not a usable value */
	PLAT_RET_MAP_VALUE,            /* pointer to a value of the map argument, never NULL */
	PLAT_RET_MAP_VALUE_OR_NULL,    /* pointer to a value of the map argument, or NULL */
	PLAT_RET_PTR_TO_MEM_OR_NULL,   /* size_arg bytes of memory, or NULL */
	PLAT_RET_SOCKET_OR_NULL,       /* struct bpf_sock *, or NULL */
	PLAT_RET_SOCK_COMMON_OR_NULL,  /* struct bpf_sock_common *, or NULL */
	PLAT_RET_TCP_SOCK_OR_NULL,     /* struct bpf_tcp_sock *, or NULL */
	PLAT_RET_BTF_ID,               /* BTF pointer to btf_type, never NULL */
	PLAT_RET_BTF_ID_OR_NULL,       /* BTF pointer to btf_type, or NULL */
	PLAT_RET_PTR_TO_MEM_OR_BTF_ID, /* ksym memory or BTF pointer (per_cpu_ptr) */
	PLAT_RET_KIND_COUNT
};

struct plat_ret {
	enum plat_ret_kind kind;
	bool has_range; /* INTEGER: the value is within [min, max] */
	int64_t min;
	int64_t max;
	uint8_t max_arg;      /* INTEGER: if not 0, the value is at most the value of this 1-based argument */
	uint8_t size_arg;     /* PTR_TO_MEM_OR_NULL: 1-based argument giving the size */
	bool nullable;        /* PTR_TO_MEM_OR_BTF_ID may be NULL */
	bool readonly;        /* the returned memory is read-only */
	const char *btf_type; /* BTF_ID kinds: struct name, or NULL when decided per call */
};

struct plat_helper {
	uint32_t id;
	const char *name; /* without the bpf_ prefix: "map_lookup_elem" */
	bool has_proto;   /* false: known by id and name only */
	uint8_t arg_count;
	struct plat_arg args[PLAT_MAX_ARGS];
	struct plat_ret ret;
	bool gpl_only;         /* callable only by GPL-compatible programs */
	bool changes_pkt_data; /* invalidates every packet pointer */
	bool acquires;         /* the returned pointer is a new reference the program must release */
	bool might_sleep;      /* callable only from sleepable programs */
	const char *note;      /* NULL or a remark (variants per program type, ...) */
};

enum plat_helper_status {
	PLAT_HELPER_OK = 0,       /* known, with a prototype */
	PLAT_HELPER_NO_PROTO = 1, /* known id and name, no prototype in the platform description */
	PLAT_HELPER_UNKNOWN = 2,  /* no helper with this id */
};

/* ---- context layouts and program types ---- */

enum plat_field_kind {
	PLAT_FIELD_SCALAR = 0,
	PLAT_FIELD_PACKET,              /* start of packet data */
	PLAT_FIELD_PACKET_END,          /* end of packet data */
	PLAT_FIELD_PACKET_META,         /* start of packet metadata */
	PLAT_FIELD_FLOW_KEYS,           /* struct bpf_flow_keys * */
	PLAT_FIELD_SOCK_COMMON,         /* struct bpf_sock * (common part), never NULL */
	PLAT_FIELD_SOCK_COMMON_OR_NULL, /* same, may be NULL */
	PLAT_FIELD_SOCKET,              /* struct bpf_sock *, never NULL */
	PLAT_FIELD_SOCKET_OR_NULL,      /* struct bpf_sock *, may be NULL */
	PLAT_FIELD_TP_BUFFER,           /* writable tracepoint buffer */
	PLAT_FIELD_BTF_ID,              /* BTF-typed kernel pointer */
	PLAT_FIELD_KIND_COUNT
};

struct plat_ctx_field {
	const char *name;
	uint32_t offset;
	uint32_t size;
	uint8_t read_sizes;  /* bit n set: loads of 1 << n bytes (1, 2, 4, 8) are allowed */
	uint8_t write_sizes; /* same for stores */
	enum plat_field_kind kind;
	const char *note;
};

struct plat_ctx_layout {
	const char *name; /* "__sk_buff", "xdp_md", ... */
	uint32_t size;
	const struct plat_ctx_field *fields; /* sorted by offset, not overlapping */
	size_t field_count;
};

enum plat_ctx_result {
	PLAT_CTX_OK = 0,
	PLAT_CTX_NO_FIELD,   /* outside the context or in a hole between fields */
	PLAT_CTX_SPANS,      /* the access crosses a field boundary */
	PLAT_CTX_BAD_SIZE,   /* this access size is not allowed for the field */
	PLAT_CTX_MISALIGNED, /* offset not a multiple of the access size */
	PLAT_CTX_DENIED,     /* the program type may not read (or write) this field */
	PLAT_CTX_UNMODELLED, /* the platform description has no layout for this program type */
};

struct plat_prog_type {
	const char *name;                  /* as bpftool spells it: "socket_filter", "xdp" */
	uint32_t id;                       /* enum bpf_prog_type */
	const struct plat_ctx_layout *ctx; /* NULL: context not modelled */
	bool has_return_range;
	int64_t ret_min, ret_max;
	bool packet_write; /* direct packet stores allowed */
	bool unprivileged; /* loadable without privileges */
	const char *note;
	/* private: per-field access bits and callable helpers; query with the functions below */
	const uint8_t *field_access;
	const uint8_t *helper_bits; /* per helper id: bit 0 privileged, bit 1 unprivileged */
	uint32_t helper_bits_len;
};

/* ---- map types ---- */

struct plat_size_rule {
	uint32_t min, max;    /* inclusive */
	uint32_t multiple_of; /* 0 or 1: no constraint */
	uint32_t one_of[4];   /* if one_of_count > 0, the size must be one of these */
	uint8_t one_of_count;
};

enum plat_entries_rule {
	PLAT_ENTRIES_ANY = 0,
	PLAT_ENTRIES_POSITIVE,   /* max_entries > 0 */
	PLAT_ENTRIES_ZERO,       /* max_entries == 0 (local storage) */
	PLAT_ENTRIES_ONE,        /* max_entries == 1 */
	PLAT_ENTRIES_POW2_PAGES, /* power of 2 and multiple of the page size (4096) */
};

enum plat_lookup_kind {
	PLAT_LOOKUP_NONE = 0,       /* map_lookup_elem not callable from programs */
	PLAT_LOOKUP_VALUE,          /* value_size writable bytes, or NULL */
	PLAT_LOOKUP_VALUE_READONLY, /* value_size read-only bytes, or NULL */
	PLAT_LOOKUP_INNER_MAP,      /* the inner map, or NULL */
	PLAT_LOOKUP_SOCKET,         /* a socket (acquired reference), or NULL */
	PLAT_LOOKUP_XDP_SOCK,       /* struct bpf_xdp_sock *, or NULL */
};

struct plat_map_type {
	const char *name; /* "hash", "array", ... */
	uint32_t id;      /* enum bpf_map_type */
	struct plat_size_rule key_size, value_size;
	enum plat_entries_rule max_entries;
	enum plat_lookup_kind lookup;
	bool percpu;
	bool program_update;    /* map_update_elem/map_delete_elem callable from programs */
	bool restricts_helpers; /* only the listed helpers may take this map */
	const char *note;
	const uint8_t *helper_ok; /* private: per helper id, 1 if listed */
	uint32_t helper_ok_len;
};

/* ---- properties ---- */

enum plat_category {
	PLAT_CAT_TERMINATES = 0,
	PLAT_CAT_SAFE_MEMORY,
	PLAT_CAT_PLATFORM_CONTRACT,
	PLAT_CAT_DEFINED_BEHAVIOR,
};

enum plat_severity {
	PLAT_SEV_ERROR = 0,
	PLAT_SEV_WARNING,
	PLAT_SEV_NOTE, /* information: the program passes (VF-KERNEL-IMPRECISE) */
};

struct plat_property {
	const char *id; /* "VF-NULL-DEREF", "ISA-BAD-IMM" */
	const char *title;
	enum plat_category category;
	enum plat_severity default_severity;      /* for privileged (root) loads */
	enum plat_severity unprivileged_severity; /* for --unprivileged */
	const char *explanation;
	const char *hint;
};

/* ---- kfuncs (kfuncs.json) ---- */

/* Linux KF_* flags of a kfunc (include/linux/btf.h), as kfuncs.json spells them. */
enum plat_kfunc_flag {
	PLAT_KF_ACQUIRE = 1u << 0,
	PLAT_KF_RELEASE = 1u << 1,
	PLAT_KF_RET_NULL = 1u << 2,
	PLAT_KF_TRUSTED_ARGS = 1u << 3,
	PLAT_KF_SLEEPABLE = 1u << 4,
	PLAT_KF_DESTRUCTIVE = 1u << 5,
	PLAT_KF_RCU = 1u << 6,
	PLAT_KF_ITER_NEW = 1u << 7,
	PLAT_KF_ITER_NEXT = 1u << 8,
	PLAT_KF_ITER_DESTROY = 1u << 9,
};

/* What the verifier does for a kfunc beyond its flags and its BTF prototype. */
enum plat_kfunc_model {
	PLAT_KM_PROTOTYPE = 0,    /* arguments and result from the prototype and the flags */
	PLAT_KM_RCU_READ_LOCK,    /* opens an RCU read section */
	PLAT_KM_RCU_READ_UNLOCK,  /* closes it */
	PLAT_KM_ITER_NUM_NEW,     /* (struct bpf_iter_num *it, int start, int end) */
	PLAT_KM_ITER_NUM_NEXT,    /* (it): int * to 4 read-only bytes, or NULL */
	PLAT_KM_ITER_NUM_DESTROY, /* (it) */
	PLAT_KM_COUNT
};

struct plat_kfunc {
	const char *name; /* "bpf_task_acquire" */
	uint32_t flags;   /* enum plat_kfunc_flag */
	enum plat_kfunc_model model;
	/* model "prototype": the Linux prototype, result first: "void", "int" (any integer or
	 * enum) or "struct NAME" (a pointer to it); proto_cnt 0: not given */
	const char *proto[6];
	uint8_t proto_cnt;
	const char *note;
	/* private: per program type id, 1 when callable; query with plat_kfunc_allowed */
	const uint8_t *types;
	uint32_t types_len;
};

struct plat_platform; /* opaque */

/* ---- loading ---- */

/* Loads and validates the embedded description of platform name ("linux") and the property
 * catalogue. *out is freed with plat_platform_free. BPFC_ERR_USAGE for an unknown platform,
 * BPFC_ERR_INPUT (message names file and entry) for an invalid description. */
int plat_platform_load(const char *name, struct plat_platform **out, struct bpfc_error *err);

/* Same from JSON texts (any may be NULL to use the embedded file of platform name). For tests
 * and for descriptions kept outside the library. The embedded kfuncs.json is read only when
 * prog_types_json is NULL (it names the embedded program types). */
int plat_platform_parse(const char *name, const char *helpers_json, const char *prog_types_json,
                        const char *map_types_json, const char *properties_json, struct plat_platform **out,
                        struct bpfc_error *err);

/* Frees a platform from plat_platform_load/parse. Ignores NULL. */
void plat_platform_free(struct plat_platform *p);

/* The Linux platform, built once (pthread_once) and never freed; NULL if the embedded
 * description is invalid (plat_platform_load("linux") then says why). Thread-safe. */
const struct plat_platform *plat_linux(void);

/* Name given at load ("linux"). */
const char *plat_platform_name(const struct plat_platform *p);

/* The kfunc named name (with its bpf_ prefix), or NULL when the platform does not model it. */
const struct plat_kfunc *plat_kfunc_by_name(const struct plat_platform *p, const char *name);
/* Number of kfuncs the platform models. */
size_t plat_kfunc_count(const struct plat_platform *p);
/* Whether programs of type t may call kfunc k (Linux register_btf_kfunc_id_set per type). */
bool plat_kfunc_allowed(const struct plat_kfunc *k, const struct plat_prog_type *t);
/* Name of a KF_* flag bit ("KF_ACQUIRE"), NULL for an unknown bit. */
const char *plat_kfunc_flag_name(uint32_t bit);

/* What the platform tolerates for privileged (root) or unprivileged loads. */
struct plat_privilege {
	bool allow_ptr_leaks;    /* pointers may be stored in maps, returned, compared freely */
	bool allow_uninit_stack; /* uninitialised stack bytes may be read */
};
struct plat_privilege plat_privilege(const struct plat_platform *p, bool privileged);

/* ---- helpers ---- */

/* Looks up helper id; *out (if not NULL) gets the helper for OK and NO_PROTO, NULL for UNKNOWN. */
enum plat_helper_status plat_helper_lookup(const struct plat_platform *p, int64_t id,
                                           const struct plat_helper **out);

/* Helper by name, with or without the "bpf_" prefix; NULL if none. */
const struct plat_helper *plat_helper_by_name(const struct plat_platform *p, const char *name);

/* Number of helper ids known (with or without prototype), and how many have a prototype. */
size_t plat_helper_count(const struct plat_platform *p);
size_t plat_helper_proto_count(const struct plat_platform *p);

/* One past the highest helper id; ids below it may be looked up (some may be UNKNOWN). */
uint32_t plat_helper_id_limit(const struct plat_platform *p);

/* Stable names of kinds as in the JSON ("ptr_to_map_key", "map_value_or_null", "packet_end"). */
const char *plat_arg_kind_name(enum plat_arg_kind k);
const char *plat_ret_kind_name(enum plat_ret_kind k);
const char *plat_field_kind_name(enum plat_field_kind k);

/* ---- program types ---- */

/* Program type by bpftool name ("xdp", also accepts "BPF_PROG_TYPE_XDP"), or NULL. */
const struct plat_prog_type *plat_prog_type_by_name(const struct plat_platform *p, const char *name);

/* Program type by enum bpf_prog_type value, or NULL. */
const struct plat_prog_type *plat_prog_type_by_id(const struct plat_platform *p, uint32_t id);

/* All program types, in id order. */
size_t plat_prog_type_count(const struct plat_platform *p);
const struct plat_prog_type *plat_prog_type_at(const struct plat_platform *p, size_t i);

/* Checks a load (write=false) or store (write=true) of size bytes at ctx+off for program type t.
 * *field (if not NULL) gets the field hit (also when the answer is DENIED or BAD_SIZE), or NULL.
 * privileged=false applies the rules of unprivileged loads. */
enum plat_ctx_result plat_ctx_access(const struct plat_prog_type *t, int64_t off, uint32_t size, bool write,
                                     bool privileged, const struct plat_ctx_field **field);

/* Short English description of a context access result ("field not readable by this program type"). */
const char *plat_ctx_result_str(enum plat_ctx_result r);

/* May program type t call helper id (privileged: with CAP_BPF and CAP_PERFMON)? False for unknown ids. */
bool plat_helper_allowed(const struct plat_prog_type *t, uint32_t helper_id, bool privileged);

/* Context layout by name ("__sk_buff", "bpf_flow_keys"), or NULL. */
const struct plat_ctx_layout *plat_ctx_layout_by_name(const struct plat_platform *p, const char *name);

/* ---- map types ---- */

/* Map type by name ("hash", also "BPF_MAP_TYPE_HASH") or by enum bpf_map_type value; NULL if none. */
const struct plat_map_type *plat_map_type_by_name(const struct plat_platform *p, const char *name);
const struct plat_map_type *plat_map_type_by_id(const struct plat_platform *p, uint32_t id);

/* For the CLI's --map NAME:TYPE:...: TYPE as a name or a decimal number; returns the enum value,
 * or -1 if the platform has no such map type. */
int64_t plat_map_type_from_name(const struct plat_platform *p, const char *type);

size_t plat_map_type_count(const struct plat_platform *p);
const struct plat_map_type *plat_map_type_at(const struct plat_platform *p, size_t i);

/* Checks a map declaration against its type's rules; BPFC_ERR_INPUT with a message naming the
 * map, the rule and the value otherwise. name is used in the message only (may be NULL). */
int plat_map_check(const struct plat_map_type *mt, const char *name, uint32_t key_size, uint32_t value_size,
                   uint32_t max_entries, struct bpfc_error *err);

/* May helper_id take a map of type map_type_id (in either direction of the kernel's
 * check_map_func_compatibility)? True for helpers that take no map and unrestricted pairs. */
bool plat_map_helper_ok(const struct plat_platform *p, uint32_t map_type_id, uint32_t helper_id);

/* ---- properties ---- */

/* Property by id ("VF-NULL-DEREF"), or NULL. */
const struct plat_property *plat_property_find(const struct plat_platform *p, const char *id);
size_t plat_property_count(const struct plat_platform *p);
const struct plat_property *plat_property_at(const struct plat_platform *p, size_t i);

const char *plat_category_name(enum plat_category c);
const char *plat_severity_name(enum plat_severity s);

#ifdef __cplusplus
}
#endif
#endif
