/* Programs as every layer after loading sees them: decoded slots, maps, subprograms and source
 * lines. Produced by the input readers (raw, assembly, .data, ELF), consumed read-only after. */
#ifndef BPFCHECK_PROG_H
#define BPFCHECK_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bpfc_map_kind {
	BPFC_MAP_USER = 0, /* declared map (.maps, legacy maps section, --map) */
	BPFC_MAP_DATA,     /* .data / .data.*: single-entry array, writable */
	BPFC_MAP_RODATA,   /* .rodata / .rodata.*: single-entry array, read-only, contents known */
	BPFC_MAP_BSS,      /* .bss: single-entry array, zero-initialised */
	BPFC_MAP_KCONFIG,  /* .kconfig externs */
};

/* A map as the verifier needs it. In instructions, lddw src=5 (map_by_idx) imm=K names maps[K];
 * src=6 (map_val_by_idx) imm=K, next_imm=OFF is the address of maps[K]'s value + OFF. */
/* One initialized slot of a map-in-map or prog array (libbpf: `.values = { [2] = &m }`). */
struct bpfc_map_init {
	uint32_t slot;    /* index in the outer map, < max_entries */
	int32_t map_idx;  /* map-in-map: index in the object's maps, else -1 */
	int32_t prog_idx; /* prog array: index in the object's progs, -1 if not loaded (filtered out) */
	char *name;       /* the map or function the slot names (owned by the object) */
};

/* Special fields of a map value (Linux struct btf_field): members the program may not load or
 * store like plain bytes. Found in the value's BTF (ELF loader) or described by the caller. */
enum bpfc_field_kind {
	BPFC_FIELD_KPTR_UNTRUSTED = 0, /* __kptr_untrusted (BTF type tag "kptr_untrusted") */
	BPFC_FIELD_KPTR_REF,           /* __kptr (type tag "kptr"): a referenced kernel pointer */
	BPFC_FIELD_KPTR_PERCPU,        /* __percpu_kptr (type tag "percpu_kptr") */
	BPFC_FIELD_SPIN_LOCK,          /* struct bpf_spin_lock */
	BPFC_FIELD_TIMER,              /* struct bpf_timer */
	BPFC_FIELD_WQ,                 /* struct bpf_wq */
	BPFC_FIELD_LIST_HEAD,          /* struct bpf_list_head */
	BPFC_FIELD_LIST_NODE,          /* struct bpf_list_node */
	BPFC_FIELD_RB_ROOT,            /* struct bpf_rb_root */
	BPFC_FIELD_RB_NODE,            /* struct bpf_rb_node */
	BPFC_FIELD_REFCOUNT,           /* struct bpf_refcount */
};

/* Longest kptr pointee name kept (longer names are truncated). */
#define BPFC_FIELD_NAME_MAX 64

struct bpfc_map_field {
	enum bpfc_field_kind kind;
	uint32_t offset; /* bytes from the start of the value */
	uint32_t size;   /* bytes it covers (8 for a kptr) */
	/* kptr kinds: the struct pointed to, its size (0: unknown) and its type id in the object's
	 * BTF (0: none) */
	char kptr_struct[BPFC_FIELD_NAME_MAX];
	uint32_t kptr_size;
	uint32_t kptr_btf_id;
};

struct bpfc_map {
	char *name;
	uint32_t type; /* Linux enum bpf_map_type (BPF_MAP_TYPE_HASH = 1, ...) */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	int32_t inner_map; /* index in the object's maps of the inner map template, -1 if none */
	uint32_t pinning;
	enum bpfc_map_kind kind;
	uint8_t *data;       /* initial contents for global data (value_size bytes), else NULL */
	uint8_t *data_known; /* KCONFIG: per byte of data, 1 when its value is known (--kconfig),
	                        else NULL (nothing known) */
	uint32_t btf_key_type_id;
	uint32_t btf_value_type_id;
	struct bpfc_map_init *init; /* initialized slots sorted by slot (owned by the object), or NULL */
	size_t init_cnt;
	/* special fields of the value sorted by offset (owned by the object; bpfc_object_add_map
	 * copies them), when fields_known: the value's layout is known (BTF), so a value without
	 * any has none; else nothing is known about them (raw input, maps without BTF) */
	struct bpfc_map_field *fields;
	size_t field_cnt;
	bool fields_known;
};

/* Name of a field kind as Linux prints it ("kptr", "bpf_spin_lock", ...). */
const char *bpfc_field_kind_name(enum bpfc_field_kind kind);

/* The field of map m overlapping bytes [lo, hi) (the first by offset), or NULL. */
const struct bpfc_map_field *bpfc_map_field_overlap(const struct bpfc_map *m, int64_t lo, int64_t hi);

/* Source position of one instruction (from .BTF.ext line_info). Strings are owned by the object. */
struct bpfc_line {
	const char *file; /* NULL when the instruction has no line info */
	const char *text; /* the source line's text, or NULL */
	uint32_t line;
	uint32_t col;
};

/* A function inside a program: the entry (funcs[0]) or a subprogram it reaches. */
struct bpfc_func {
	char *name;
	uint32_t start; /* first slot, index into bpfc_prog.insns */
	uint32_t end;   /* one past the last slot */
};

struct bpfc_prog {
	char *name;    /* program name: ELF function symbol, or the input file's base name */
	char *section; /* ELF section, NULL for non-ELF input */
	char *type;    /* program type as bpftool spells it ("xdp", "socket_filter"), NULL if unknown */
	struct isa_slot *insns;
	size_t insn_cnt;         /* in slots; instruction indexes everywhere are slot indexes */
	struct bpfc_line *lines; /* insn_cnt entries, or NULL without line info */
	struct bpfc_func *funcs; /* funcs[0] is the program itself; then the subprograms it calls */
	size_t func_cnt;
	enum isa_byte_order byte_order;
	uint32_t sec_off; /* ELF input: byte offset of insns[0] in its section */
};

struct btf;

enum bpfc_extern_kind {
	BPFC_EXTERN_KCONFIG, /* extern in .kconfig: a value of the KCONFIG map */
	BPFC_EXTERN_KSYM,    /* extern in .ksyms: a kernel variable or kfunc, resolved at load time */
};

/* An extern the object refers to (libbpf's __kconfig / __ksym). */
struct bpfc_extern {
	const char *name;
	enum bpfc_extern_kind kind;
	bool is_func;         /* a kfunc (.ksyms function): calls to it are call src=2 imm=0 */
	bool weak;            /* declared __weak: may be missing at load time */
	uint32_t btf_type_id; /* VAR or FUNC in the object's BTF, 0 if unknown */
	uint32_t size;        /* bytes it occupies in the KCONFIG map (kconfig only) */
	uint32_t offset;      /* its offset in the KCONFIG map value (kconfig only) */
	bool known;           /* kconfig: its value in the KCONFIG map was given (--kconfig), else 0
	                         stands for "unknown" */
};

/* A CO-RE relocation (.BTF.ext core_relo) on one instruction of one program. */
struct bpfc_core_relo {
	uint32_t prog;         /* index into bpfc_object.progs */
	uint32_t insn;         /* slot index in that program */
	uint32_t kind;         /* Linux enum bpf_core_relo_kind (0 = field byte offset, ...) */
	uint32_t type_id;      /* local BTF type id of the root type */
	const char *type_name; /* "struct task_struct" */
	const char *access;    /* access string as emitted ("0:1:2") */
	const char *spec;      /* readable access ("task_struct.pid") */
	bool resolved;         /* value was computed (and patched into the instruction) */
	uint64_t value;        /* the resolved value */
	const char *reason;    /* why it could not be resolved, NULL when resolved */
};

struct bpfc_object {
	char *path;
	struct bpfc_prog *progs;
	size_t prog_cnt;
	struct bpfc_map *maps; /* shared by all programs of the object */
	size_t map_cnt;
	char *license;
	uint32_t kern_version;
	bool has_btf;
	bool has_line_info;
	const struct btf *btf;             /* parsed .BTF, or NULL (owned by priv) */
	const struct bpfc_extern *externs; /* owned by priv */
	size_t extern_cnt;
	const struct bpfc_core_relo *core_relos; /* owned by priv */
	size_t core_relo_cnt;
	size_t core_unresolved; /* CO-RE relocations that could not be resolved */
	void *priv;             /* format-specific storage (strings, BTF, ...) */
	void (*priv_free)(void *priv);
};

/* Allocates an empty object for path. NULL on allocation failure. */
struct bpfc_object *bpfc_object_new(const char *path);

/* Appends a program taking ownership of insns (malloc'd); returns it, or NULL on allocation failure.
 * name/section/type are copied (section and type may be NULL). */
struct bpfc_prog *bpfc_object_add_prog(struct bpfc_object *obj, const char *name, const char *section,
                                       const char *type, struct isa_slot *insns, size_t insn_cnt);

/* Appends a copy of *map (name, data and fields are copied, init is not: set it on obj->maps[idx]);
 * returns its index, or -1 on allocation failure. */
int bpfc_object_add_map(struct bpfc_object *obj, const struct bpfc_map *map);

/* Frees the object, its programs, maps and private storage. Ignores NULL. */
void bpfc_object_free(struct bpfc_object *obj);

#ifdef __cplusplus
}
#endif
#endif
