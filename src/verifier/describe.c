/* Abstract values as text, for findings ("r0: map_value_or_null(map=counters, value_size=8)")
 * and for state dumps. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "verifier/calls.h"
#include "verifier/engine.h"

const char *vf_rtype_name(unsigned t)
{
	static const char *const names[] = {"uninit",
	                                    "scalar",
	                                    "ctx",
	                                    "stack",
	                                    "pkt",
	                                    "pkt_meta",
	                                    "pkt_end",
	                                    "map_ptr",
	                                    "map_value",
	                                    "map_value_or_null",
	                                    "mem",
	                                    "mem_or_null",
	                                    "func",
	                                    "unusable",
	                                    "map_ptr_or_null",
	                                    "sock",
	                                    "sock_or_null",
	                                    "sock_common",
	                                    "sock_common_or_null",
	                                    "tcp_sock",
	                                    "tcp_sock_or_null",
	                                    "btf_ptr",
	                                    "btf_ptr_or_null",
	                                    "iter_num"};
	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static void num_str(struct vf_scalar v, char *buf, size_t len)
{
	if (vn_is_const(v)) {
		if (v.s64.lo < 0 && v.s64.lo > -4096)
			snprintf(buf, len, "%" PRId64, v.s64.lo);
		else
			snprintf(buf, len, "%" PRIu64, v.u64.lo);
		return;
	}
	if (v.u64.lo == 0 && v.u64.hi == UINT64_MAX && v.s64.lo == INT64_MIN && v.s64.hi == INT64_MAX) {
		snprintf(buf, len, "unknown");
		return;
	}
	if (v.s64.lo >= 0 || v.u64.hi <= (uint64_t)INT64_MAX)
		snprintf(buf, len, "[%" PRIu64 ", %" PRIu64 "]", v.u64.lo, v.u64.hi);
	else if (v.s64.lo > INT64_MIN || v.s64.hi < INT64_MAX)
		snprintf(buf, len, "s[%" PRId64 ", %" PRId64 "]", v.s64.lo, v.s64.hi);
	else
		snprintf(buf, len, "u[%" PRIu64 ", %" PRIu64 "]", v.u64.lo, v.u64.hi);
}

static void off_str(const struct vf_reg *r, char *buf, size_t len)
{
	char vs[96];
	if (vn_is_const(r->v)) {
		snprintf(buf, len, "%" PRId64, r->off + (int64_t)r->v.u64.lo);
		return;
	}
	num_str(r->v, vs, sizeof(vs));
	snprintf(buf, len, "%" PRId64 "+%s", r->off, vs);
}

void vf_describe_reg(const struct vf_actx *ctx, const struct vf_reg *r, char *buf, size_t len)
{
	char n[128];
	const struct bpfc_map *m = r->map < ctx->map_cnt ? &ctx->maps[r->map] : NULL;
	const char *mname = m && m->name ? m->name : "?";
	switch (r->type) {
	case VT_UNINIT:
	case VT_UNUSABLE: snprintf(buf, len, "%s", vf_rtype_name(r->type)); return;
	case VT_SCALAR:
		num_str(r->v, n, sizeof(n));
		snprintf(buf, len, "scalar(%s)", n);
		return;
	case VT_MAP_PTR:
	case VT_MAP_PTR_OR_NULL: snprintf(buf, len, "%s(map=%s)", vf_rtype_name(r->type), mname); return;
	case VT_MAP_VALUE:
	case VT_MAP_VALUE_OR_NULL:
		off_str(r, n, sizeof(n));
		snprintf(buf, len, "%s(map=%s, value_size=%u, off=%s)", vf_rtype_name(r->type), mname,
		         m ? m->value_size : 0, n);
		return;
	case VT_MEM:
	case VT_MEM_OR_NULL:
		off_str(r, n, sizeof(n));
		snprintf(buf, len, "%s(size=%u, off=%s%s%s)", vf_rtype_name(r->type), r->size, n,
		         r->ref ? ", acquired" : "", (r->frame & VF_MEM_RDONLY) ? ", read-only" : "");
		return;
	case VT_STACK:
		off_str(r, n, sizeof(n));
		snprintf(buf, len, "stack(frame=%u, off=%s)", r->frame, n);
		return;
	case VT_PKT:
		off_str(r, n, sizeof(n));
		snprintf(buf, len, "pkt(off=%s, range=%d)", n, r->pkt_range);
		return;
	case VT_FUNC: snprintf(buf, len, "func(insn=%u)", r->size); return;
	case VT_SOCK:
	case VT_SOCK_OR_NULL:
	case VT_SOCK_COMMON:
	case VT_SOCK_COMMON_OR_NULL:
	case VT_TCP_SOCK:
	case VT_TCP_SOCK_OR_NULL:
		if (r->ref)
			snprintf(buf, len, "%s(reference acquired at insn %u)", vf_rtype_name(r->type),
			         r->ref - 1);
		else
			snprintf(buf, len, "%s(held by the kernel)", vf_rtype_name(r->type));
		return;
	case VT_BTF_PTR:
	case VT_BTF_PTR_OR_NULL: vf_btf_describe(ctx, r, buf, len); return;
	default:
		off_str(r, n, sizeof(n));
		snprintf(buf, len, "%s(off=%s)", vf_rtype_name(r->type), n);
		return;
	}
}

void vf_finding_reg(struct vf_actx *ctx, struct vf_finding *f, const struct vf_state *st, int regno)
{
	if (!f || regno < 0 || regno >= VF_NREGS)
		return;
	char name[8], d[256];
	snprintf(name, sizeof(name), "r%d", regno);
	vf_describe_reg(ctx, &st->r[regno], d, sizeof(d));
	if (vf_finding_add_reg(f, name, d))
		ctx->nomem = true;
	uint32_t o = st->r[regno].origin;
	if (o && o - 1 < ctx->n && o - 1 != f->insn)
		if (vf_finding_add_related(f, o - 1, "r%d got its value here", regno))
			ctx->nomem = true;
}

void vf_describe_state(const struct vf_actx *ctx, const struct vf_state *st, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < VF_NREGS && used < len; i++) {
		if (st->r[i].type == VT_UNINIT)
			continue;
		char d[256];
		vf_describe_reg(ctx, &st->r[i], d, sizeof(d));
		int k = snprintf(buf + used, len - used, "%sr%d=%s", used ? " " : "", i, d);
		if (k < 0)
			return;
		used += (size_t)k;
	}
	if (st->lock && used < len) {
		uint64_t mi = (st->lock >> 32) - 1;
		int k = st->lock == VF_LOCK_MAYBE
		            ? snprintf(buf + used, len - used, " lock=maybe")
		            : snprintf(buf + used, len - used, " lock(map=%s, off=%u)",
		                       mi < ctx->map_cnt && ctx->maps[mi].name ? ctx->maps[mi].name : "?",
		                       (unsigned)(st->lock & 0xffffffffu));
		if (k < 0)
			return;
		used += (size_t)k;
	}
	const struct vf_frame *fr = st->fr[st->nframes - 1];
	for (int s = 0; s < VF_STACK_SLOTS && used < len; s++) {
		const uint8_t *b = &fr->sb[s * 8];
		int off = -(VF_STACK_SIZE - s * 8);
		char d[256];
		if (b[0] == SB_SPILL) {
			vf_describe_reg(ctx, &fr->sp->r[s], d, sizeof(d));
		} else {
			int init = 0;
			for (int k = 0; k < 8; k++)
				init += b[k] != SB_INVALID;
			if (!init)
				continue;
			snprintf(d, sizeof(d), "%d/8 bytes set", init);
		}
		int k = snprintf(buf + used, len - used, " fp%d=%s", off, d);
		if (k < 0)
			return;
		used += (size_t)k;
	}
}
