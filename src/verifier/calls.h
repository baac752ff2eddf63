/* Hooks of the transfer functions for the calls the engine models outside transfer.c: socket
 * pointers (calls_sock.c), spin locks (calls_lock.c) and tail calls. See specs/verifier.md
 * "Sockets", "Spin locks", "Tail calls". */
#ifndef BPFCHECK_VERIFIER_CALLS_H
#define BPFCHECK_VERIFIER_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/engine.h"

/* reg.size bit of a socket pointer that shares the reference of the pointer it was derived from
 * (bpf_sk_fullsock, bpf_tcp_sock): a NULL check on it releases nothing. */
#define VF_SOCK_DERIVED 1u

/* Any socket type, nullable or not. */
bool vf_sock_type(uint8_t t);
/* A socket type that may be NULL (must be checked before use). */
bool vf_sock_nullable(uint8_t t);
/* The non-NULL type of a nullable socket type (t itself otherwise). */
uint8_t vf_sock_nonnull(uint8_t t);
/* The register type of a context field holding a socket pointer, or VT_UNINIT when the field
 * kind is not a socket. */
uint8_t vf_sock_field_type(enum plat_field_kind k);
/* The register type a helper returning ret gives (R_SOCK_OR_NULL...), VT_UNINIT otherwise. */
uint8_t vf_sock_ret_type(uint8_t ret);

/* Checks a load or store of size bytes at offset off of the socket p points to (p non-NULL),
 * reporting against instruction idx, and sets *loaded to the value read. */
void vf_sock_access(struct vf_actx *ctx, uint32_t idx, int regno, const struct vf_reg *p, int64_t off,
                    uint64_t size, bool write, bool atomic, struct vf_reg *loaded);

/* The spin lock argument of bpf_spin_lock (lock = true) or bpf_spin_unlock in register regno:
 * checks the pointer and the lock discipline and updates st->lock. Returns the finding made (to
 * add details to), or NULL. */
struct vf_finding *vf_lock_call(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, int regno, bool lock,
                                const char *helper);
/* A helper call other than lock/unlock, a bpf-to-bpf call or an exit while a lock may be held:
 * VF-LOCK (what names the operation). */
void vf_lock_check_held(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, const char *what);
/* Offset of the struct bpf_spin_lock in the values of map mi, from its special fields; -1 when the
 * value's layout is unknown (raw/assembly input, no BTF), -2 when the value has none. */
int64_t vf_lock_offset(const struct vf_actx *ctx, uint32_t mi);

/* ---- special fields of map values and BTF-typed pointers (mapfields.c) ---- */

/* reg.frame bit of a BTF pointer: untrusted (loaded from a kptr field; Linux PTR_UNTRUSTED) */
#define VF_BTF_UNTRUSTED 1u
/* reg.frame bit of a BTF pointer to per-CPU memory (a __percpu_kptr): not dereferenced directly */
#define VF_BTF_PERCPU 2u
/* reg.size of a BTF pointer: the struct of kptr field `field` of map `map` */
#define VF_BTF_KPTR(map, field) ((((uint32_t)(map) + 1) << 8) | ((uint32_t)(field)&0xffu))

/* reg.size of a BTF pointer: the struct helper `id` returns (the platform names it; its layout is
 * looked up by name in the object's BTF) */
#define VF_BTF_HELPER(id) (0x80000000u | ((uint32_t)(id)&0x7fffffffu))

/* reg.size of a BTF pointer: struct (or forward declaration) `id` of the object's BTF (what a
 * kfunc's prototype returns, calls_kfunc.c) */
#define VF_BTF_OBJ(id) (0x40000000u | ((uint32_t)(id)&0x3fffffffu))

/* A load, store or helper access of a map value, for the special-field rules. */
struct vf_field_access {
	uint32_t idx;
	int regno;   /* the map value pointer */
	int64_t off; /* the instruction's offset */
	uint64_t size;
	bool write;
	bool helper;              /* a helper's memory argument */
	bool non_mem;             /* an atomic instruction (not BPF_MEM mode) */
	bool imm;                 /* a store of an immediate (BPF_ST) */
	const struct vf_reg *val; /* the value stored, or NULL */
	int val_regno;            /* the register stored (STX), -1 otherwise */
};

/* Checks an access through the map value pointer p against the special fields of its map
 * (kptr rules, spin lock, timer, ...), reporting against fa->idx. Returns true when the access
 * is a kptr load or store (a store of a pointer there is no leak); a kptr load sets *loaded. */
bool vf_mapfield_access(struct vf_actx *ctx, const struct vf_field_access *fa, const struct vf_reg *p,
                        struct vf_reg *loaded);
/* Checks a load or store of size bytes at instruction offset off through the non-NULL BTF
 * pointer p (register regno) and sets *loaded to the value read. */
void vf_btf_access(struct vf_actx *ctx, uint32_t idx, int regno, const struct vf_reg *p, int64_t off,
                   uint64_t size, bool write, bool atomic, bool helper, struct vf_reg *loaded);
/* Text of a BTF pointer ("untrusted_ptr_or_null(struct task_struct, off=0)"). */
void vf_btf_describe(const struct vf_actx *ctx, const struct vf_reg *r, char *buf, size_t len);
/* bpf_kptr_xchg's first argument (register regno): a map value pointer exactly at a referenced
 * kptr field. Returns the finding made (NULL when valid: *handle is then the field's struct). */
struct vf_finding *vf_kptr_xchg_dest(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno,
                                     uint32_t *handle);
/* The flags (VF_BTF_PERCPU) of a pointer bpf_kptr_xchg returns from the kptr field `handle`. */
uint8_t vf_kptr_xchg_flags(const struct vf_actx *ctx, uint32_t handle);
/* bpf_kptr_xchg's second argument: NULL, or an acquired, trusted BTF pointer at offset 0 to the
 * struct handle (0: the destination was invalid, nothing to compare). Returns the finding made,
 * or NULL (*release is then the reference the call moves into the map, 0 for NULL). */
struct vf_finding *vf_kptr_xchg_src(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno,
                                    uint32_t handle, uint32_t *release);

/* A helper's argument of kind A_BTF_ID naming struct `want`: a non-NULL BTF pointer, not
 * untrusted, at offset 0 (or a member at its offset) of that struct. Returns the finding made. */
struct vf_finding *vf_btf_arg(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno,
                              const char *helper, const char *want, bool nullable);
/* A socket argument that may also be a BTF pointer (ptr_to_btf_sock_common): true when register
 * regno is a non-NULL BTF pointer whose struct is, or starts with, struct sock_common. */
bool vf_btf_is_sock_common(const struct vf_actx *ctx, const struct vf_reg *r);

/* ---- kfunc calls (calls_kfunc.c, specs/verifier.md "kfuncs") ---- */

/* reg.frame bit of VT_MEM / VT_MEM_OR_NULL: read-only memory (bpf_iter_num_next's int *) */
#define VF_MEM_RDONLY 1u

/* Runs the kfunc call (call src=2) at idx: resolves it through the object's BTF and the
 * platform's kfunc table, checks the arguments and writes r0. Returns the number of successors
 * written to out (0: the path ends, reported; an iterator's next() can give two). */
int vf_kfunc_call(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, struct vf_succ out[2]);
/* A helper call (id): one that might sleep inside an RCU read section is VF-RCU. */
void vf_kfunc_check_helper(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int32_t id);
/* The main program's exit: an RCU read section still open is reported. */
void vf_kfunc_check_exit(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx);
/* The hint for a reference acquired by the kfunc call at instruction at and never released, or
 * NULL when at is not a kfunc call. */
const char *vf_kfunc_leak_hint(const struct vf_actx *ctx, uint32_t at);

/* Unprivileged loads (unpriv.c): checks the result res of adding the number sc (register sc_reg,
 * -1 for an immediate) to a pointer, written to dst; nothing for privileged loads. */
void vf_unpriv_ptr_arith(struct vf_actx *ctx, uint32_t idx, int dst, const struct vf_reg *sc, int sc_reg,
                         const struct vf_reg *res);

#endif
