/* Socket pointers (specs/verifier.md "Sockets"): the register types of struct bpf_sock,
 * its common part and struct bpf_tcp_sock, as helpers (bpf_sk_lookup_tcp, bpf_sk_fullsock, ...)
 * and context fields (__sk_buff->sk, bpf_sk_lookup->sk, ...) give them, and loads of their
 * fields against the platform's bpf_sock layout. References (acquire, NULL check, release) are
 * handled by the transfer functions like every other reference. */
#include <string.h>

#include "verifier/calls.h"

bool vf_sock_type(uint8_t t)
{
	return t >= VT_SOCK && t <= VT_TCP_SOCK_OR_NULL;
}

bool vf_sock_nullable(uint8_t t)
{
	return t == VT_SOCK_OR_NULL || t == VT_SOCK_COMMON_OR_NULL || t == VT_TCP_SOCK_OR_NULL;
}

uint8_t vf_sock_nonnull(uint8_t t)
{
	switch (t) {
	case VT_SOCK_OR_NULL: return VT_SOCK;
	case VT_SOCK_COMMON_OR_NULL: return VT_SOCK_COMMON;
	case VT_TCP_SOCK_OR_NULL: return VT_TCP_SOCK;
	default: return t;
	}
}

uint8_t vf_sock_field_type(enum plat_field_kind k)
{
	switch (k) {
	case PLAT_FIELD_SOCK_COMMON: return VT_SOCK_COMMON;
	case PLAT_FIELD_SOCK_COMMON_OR_NULL: return VT_SOCK_COMMON_OR_NULL;
	case PLAT_FIELD_SOCKET: return VT_SOCK;
	case PLAT_FIELD_SOCKET_OR_NULL: return VT_SOCK_OR_NULL;
	default: return VT_UNINIT;
	}
}

uint8_t vf_sock_ret_type(uint8_t ret)
{
	switch (ret) {
	case R_SOCK_OR_NULL: return VT_SOCK_OR_NULL;
	case R_SOCK_COMMON_OR_NULL: return VT_SOCK_COMMON_OR_NULL;
	case R_TCP_SOCK_OR_NULL: return VT_TCP_SOCK_OR_NULL;
	default: return VT_UNINIT;
	}
}

/* Fields of struct bpf_sock a struct bpf_sock_common pointer may not read (Linux
 * bpf_sock_common_is_valid_access: type .. priority live only in full sockets). */
static bool full_sock_only(const char *field)
{
	return strcmp(field, "type") == 0 || strcmp(field, "protocol") == 0 || strcmp(field, "mark") == 0 ||
	       strcmp(field, "priority") == 0;
}

void vf_sock_access(struct vf_actx *ctx, uint32_t idx, int regno, const struct vf_reg *p, int64_t off,
                    uint64_t size, bool write, bool atomic, struct vf_reg *loaded)
{
	vf_reg_unknown(loaded);
	const char *what = vf_rtype_name(p->type);
	if (write || atomic) {
		vf_report(ctx, idx, "VF-READ-ONLY", false,
		          "%s of the socket r%d (%s): socket fields are read-only",
		          atomic ? "atomic operation" : "write", regno, what);
		return;
	}
	if (p->off != 0 || !vn_is_const(p->v) || p->v.u64.lo != 0) {
		vf_report(
		    ctx, idx, "VF-POINTER-ARITH", false,
		    "r%d (%s) was modified: socket fields are read at a constant offset from the socket",
		    regno, what);
		return;
	}
	/* struct bpf_tcp_sock for tcp_sock pointers, struct bpf_sock for the others */
	const char *lname = p->type == VT_TCP_SOCK ? "bpf_tcp_sock" : "bpf_sock";
	const struct plat_ctx_layout *l = plat_ctx_layout_by_name(ctx->plat, lname);
	if (!l) {
		vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		          "the platform has no %s layout: reads through r%d (%s) are not modelled", lname,
		          regno, what);
		return;
	}
	const struct plat_ctx_field *fd = NULL;
	for (size_t i = 0; i < l->field_count; i++)
		if (off >= (int64_t)l->fields[i].offset &&
		    off < (int64_t)l->fields[i].offset + (int64_t)l->fields[i].size)
			fd = &l->fields[i];
	const char *why = NULL;
	if (off < 0 || !fd)
		why = "no field is there";
	else if (size == 0 || size > 8 || (size & (size - 1)) != 0 || (off % (int64_t)size) != 0)
		why = "misaligned";
	else if ((uint64_t)(off - fd->offset) + size > fd->size)
		why = "the read crosses a field boundary";
	else if (!(fd->read_sizes & (1u << __builtin_ctzll(size))))
		why = "this size is not allowed for the field";
	else if (p->type == VT_SOCK_COMMON && full_sock_only(fd->name))
		why = "only full sockets have this field (check the pointer with bpf_sk_fullsock first)";
	if (why) {
		struct vf_finding *f =
		    vf_report(ctx, idx, why[0] == 'm' ? "VF-MISALIGNED" : "VF-INVALID-DEREF", false,
		              "invalid read of %llu byte(s) at offset %lld of the socket r%d (%s, struct "
		              "%s%s%s): %s",
		              (unsigned long long)size, (long long)off, regno, what, lname,
		              fd ? ", field " : "", fd ? fd->name : "", why);
		(void)f;
		return;
	}
	loaded->v = size >= 8 ? vn_top() : vn_urange(0, (UINT64_C(1) << (size * 8)) - 1);
}
