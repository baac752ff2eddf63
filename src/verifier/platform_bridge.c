/* The engine's view of the platform module (bpfcheck/platform.h): helper prototypes translated
 * to the argument and return kinds the engine checks, and program types with their return
 * ranges. An argument or return kind the engine does not model makes the helper call a finding
 * (never an unchecked call). */
#include <string.h>

#include "verifier/engine.h"

static uint8_t arg_kind(const struct plat_arg *a, const char **unsupported)
{
	switch (a->kind) {
	case PLAT_ARG_NONE: return A_NONE;
	case PLAT_ARG_ANYTHING: return A_ANY;
	case PLAT_ARG_CONST_MAP_PTR: return A_MAP;
	case PLAT_ARG_PTR_TO_MAP_KEY: return A_MAP_KEY;
	case PLAT_ARG_PTR_TO_MAP_VALUE: return (a->flags & PLAT_ARG_F_UNINIT) ? A_UNINIT_MEM : A_MAP_VALUE;
	case PLAT_ARG_PTR_TO_MEM: return (a->flags & PLAT_ARG_F_UNINIT) ? A_UNINIT_MEM : A_MEM;
	case PLAT_ARG_CONST_SIZE:
	case PLAT_ARG_CONST_SIZE_OR_ZERO: return A_SIZE;
	case PLAT_ARG_CONST_ALLOC_SIZE_OR_ZERO: return A_ALLOC_SIZE;
	case PLAT_ARG_PTR_TO_CTX: return A_CTX;
	case PLAT_ARG_PTR_TO_STACK: return A_STACK_OR_NULL;
	case PLAT_ARG_PTR_TO_FUNC: return A_FUNC;
	case PLAT_ARG_PTR_TO_RINGBUF_MEM: return A_RINGBUF_MEM;
	case PLAT_ARG_PTR_TO_CONST_STR: return A_CONST_STR;
	case PLAT_ARG_PTR_TO_SOCK_COMMON: return A_SOCK_COMMON;
	case PLAT_ARG_PTR_TO_BTF_SOCK_COMMON: return A_BTF_SOCK_COMMON;
	case PLAT_ARG_PTR_TO_SPIN_LOCK: return A_SPIN_LOCK;
	case PLAT_ARG_PTR_TO_KPTR: return A_KPTR;
	case PLAT_ARG_PTR_TO_BTF_ID: return A_BTF_ID;
	default:
		if (!*unsupported)
			*unsupported = plat_arg_kind_name(a->kind);
		return A_UNSUPPORTED;
	}
}

int vf_helper_get(const struct plat_platform *plat, int32_t id, struct vf_helper *out)
{
	const struct plat_helper *ph = NULL;
	memset(out, 0, sizeof(*out));
	out->id = id;
	enum plat_helper_status stt = plat_helper_lookup(plat, id, &ph);
	if (ph)
		out->name = ph->name;
	if (stt != PLAT_HELPER_OK)
		return (int)stt;
	for (unsigned i = 0; i < ph->arg_count && i < 5; i++) {
		const struct plat_arg *a = &ph->args[i];
		out->args[i] = arg_kind(a, &out->unsupported_arg);
		out->nullable[i] = (a->flags & PLAT_ARG_F_NULLABLE) != 0;
		out->size_arg[i] = a->size_arg;
		out->fixed[i] = a->fixed_size;
		out->btf_type[i] = a->btf_type;
		if (a->flags & PLAT_ARG_F_RELEASE)
			out->release = true;
		if (a->kind == PLAT_ARG_PTR_TO_FUNC)
			out->callback = true;
	}
	switch (ph->ret.kind) {
	case PLAT_RET_INTEGER:
		out->ret = R_INT;
		out->has_range = ph->ret.has_range;
		out->ret_min = ph->ret.min;
		out->ret_max = ph->ret.max;
		out->ret_max_arg = ph->ret.max_arg;
		break;
	case PLAT_RET_VOID: out->ret = R_VOID; break;
	case PLAT_RET_MAP_VALUE: out->ret = R_MAP_VALUE; break;
	case PLAT_RET_MAP_VALUE_OR_NULL: out->ret = R_MAP_VALUE_OR_NULL; break;
	case PLAT_RET_PTR_TO_MEM_OR_NULL:
		out->ret = R_MEM_OR_NULL;
		out->ret_size_arg = ph->ret.size_arg;
		break;
	case PLAT_RET_SOCKET_OR_NULL: out->ret = R_SOCK_OR_NULL; break;
	case PLAT_RET_SOCK_COMMON_OR_NULL: out->ret = R_SOCK_COMMON_OR_NULL; break;
	case PLAT_RET_TCP_SOCK_OR_NULL: out->ret = R_TCP_SOCK_OR_NULL; break;
	case PLAT_RET_BTF_ID_OR_NULL:
		/* no struct named: typed by the kptr argument (bpf_kptr_xchg) */
		out->ret = ph->ret.btf_type ? R_BTF_OR_NULL : R_KPTR_OR_NULL;
		break;
	case PLAT_RET_BTF_ID:
		if (ph->ret.btf_type) {
			out->ret = R_BTF;
			break;
		}
		out->ret = R_UNSUPPORTED;
		out->unsupported_ret = plat_ret_kind_name(ph->ret.kind);
		break;
	default:
		out->ret = R_UNSUPPORTED;
		out->unsupported_ret = plat_ret_kind_name(ph->ret.kind);
		break;
	}
	out->changes_pkt = ph->changes_pkt_data;
	out->acquire = ph->acquires;
	return PLAT_HELPER_OK;
}

bool vf_progtype_get(const struct plat_platform *plat, const char *name, const char *section,
                     struct vf_progtype *out)
{
	memset(out, 0, sizeof(*out));
	if (!name)
		return false;
	/* names the loaders use besides bpftool's */
	if (strcmp(name, "tc") == 0)
		name = "sched_cls";
	else if (strcmp(name, "socket") == 0)
		name = "socket_filter";
	else if (strcmp(name, "uprobe") == 0)
		name = "kprobe";
	const struct plat_prog_type *t = plat_prog_type_by_name(plat, name);
	if (!t)
		return false;
	out->name = t->name;
	out->plat = t;
	out->skb = t->ctx && strcmp(t->ctx->name, "__sk_buff") == 0;
	out->has_ret_range = t->has_return_range;
	out->ret_min = t->ret_min;
	out->ret_max = t->ret_max;
	out->pkt_write = t->packet_write;
	/* cgroup_skb: ingress (the kernel's default attach type) 0..1, egress 0..3 */
	if (strcmp(t->name, "cgroup_skb") == 0 && !(section && strstr(section, "egress")))
		out->ret_max = 1;
	return true;
}
