/* Hooks of the transfer functions for the calls the engine models outside transfer.c: socket
 * pointers (calls_sock.c), spin locks (calls_lock.c) and tail calls. See specs/verifier.md
 * "Sockets", "Spin locks", "Tail calls". */
#ifndef BPFCHECK_VERIFIER_CALLS_H
#define BPFCHECK_VERIFIER_CALLS_H

#include <stdbool.h>
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
/* Offset of the struct bpf_spin_lock in the values of map mi: from the object's BTF when the map
 * has a value type; -1 when unknown (raw/assembly input), -2 when the value has none. */
int64_t vf_lock_offset(const struct vf_actx *ctx, uint32_t mi);

/* Unprivileged loads (unpriv.c): checks the result res of adding the number sc (register sc_reg,
 * -1 for an immediate) to a pointer, written to dst; nothing for privileged loads. */
void vf_unpriv_ptr_arith(struct vf_actx *ctx, uint32_t idx, int dst, const struct vf_reg *sc, int sc_reg,
                         const struct vf_reg *res);

#endif
