/* bpf_spin_lock / bpf_spin_unlock (specs/verifier.md "Spin locks"): the lock held is part of the
 * state (st->lock: which map and offset); locking twice, unlocking what is not held, calling a
 * helper or exiting the program while holding a lock are VF-LOCK. The lock's offset in the map
 * value is the map's special field of that kind (found in the value's BTF by the ELF loader);
 * raw and assembly input carry no BTF, so there any 4-byte aligned constant offset inside the
 * value is taken as the lock. */
#include "verifier/calls.h"

int64_t vf_lock_offset(const struct vf_actx *ctx, uint32_t mi)
{
	if (mi >= ctx->map_cnt || !ctx->maps[mi].fields_known)
		return -1;
	const struct bpfc_map *m = &ctx->maps[mi];
	for (size_t i = 0; i < m->field_cnt; i++)
		if (m->fields[i].kind == BPFC_FIELD_SPIN_LOCK)
			return m->fields[i].offset;
	return -2;
}

struct vf_finding *vf_lock_call(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, int regno, bool lock,
                                const char *helper)
{
	struct vf_reg *R = &st->r[regno];
	if (R->type != VT_MAP_VALUE) {
		char d[160];
		vf_describe_reg(ctx, R, d, sizeof(d));
		struct vf_finding *f =
		    vf_report(ctx, idx, "VF-LOCK", false,
		              "bpf_%s needs a pointer to the struct bpf_spin_lock of a map "
		              "value (null-checked) in r%d: %s",
		              helper, regno, d);
		if (lock)
			st->lock = 0; /* one finding: the unlock that follows is not reported again */
		return f;
	}
	if (R->map >= ctx->map_cnt)
		return NULL; /* no such map: reported where the pointer was made (VF-BAD-MAP-REF) */
	if (!vn_is_const(R->v)) {
		return vf_report(ctx, idx, "VF-LOCK", false,
		                 "bpf_%s: the lock's offset in the map value must be constant (r%d has a "
		                 "variable offset)",
		                 helper, regno);
	}
	int64_t off = R->off + (int64_t)R->v.u64.lo;
	uint64_t key = VF_LOCK_KEY(R->map, off);
	if (!lock && st->lock == key) {
		st->lock = 0; /* the lock taken through this pointer: checked when it was taken */
		return NULL;
	}
	struct vf_finding *bad = NULL;
	const struct bpfc_map *m = &ctx->maps[R->map];
	int64_t want = vf_lock_offset(ctx, R->map);
	const char *mn = m->name ? m->name : "?";
	if (want == -2)
		bad = vf_report(ctx, idx, "VF-LOCK", false,
		                "bpf_%s: the value type of map '%s' has no struct bpf_spin_lock", helper, mn);
	else if (want >= 0 && off != want)
		bad = vf_report(ctx, idx, "VF-LOCK", false,
		                "bpf_%s: r%d points to offset %lld of the value of map '%s', its struct "
		                "bpf_spin_lock is at offset %lld",
		                helper, regno, (long long)off, mn, (long long)want);
	else if (want < 0 && (off < 0 || (off & 3) || (uint64_t)off + 4 > m->value_size))
		bad = vf_report(ctx, idx, "VF-LOCK", false,
		                "bpf_%s: offset %lld is not a 4-byte aligned struct bpf_spin_lock inside the "
		                "%u-byte value of map '%s'",
		                helper, (long long)off, m->value_size, mn);
	if (bad) {
		/* one finding per root cause: the state goes on as if this lock were taken/released */
		st->lock = lock ? key : 0;
		return bad;
	}
	if (lock) {
		struct vf_finding *f = NULL;
		if (st->lock == VF_LOCK_MAYBE)
			f = vf_report(ctx, idx, "VF-LOCK", false,
			              "bpf_spin_lock while a lock may already be held (on some path)");
		else if (st->lock)
			f = vf_report(ctx, idx, "VF-LOCK", false,
			              "bpf_spin_lock while holding a lock already: Linux allows one lock at "
			              "a time");
		st->lock = key;
		return f;
	}
	struct vf_finding *f = NULL;
	if (st->lock == 0)
		f = vf_report(ctx, idx, "VF-LOCK", false, "bpf_spin_unlock without a lock held");
	else if (st->lock == VF_LOCK_MAYBE)
		f = vf_report(ctx, idx, "VF-LOCK", false,
		              "bpf_spin_unlock where the lock is not held on every path");
	else if (st->lock != key)
		f = vf_report(ctx, idx, "VF-LOCK", false,
		              "bpf_spin_unlock of a lock (map '%s', offset %lld) other than the one held", mn,
		              (long long)off);
	st->lock = 0;
	return f;
}

void vf_lock_check_held(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, const char *what)
{
	if (!st->lock)
		return;
	struct vf_finding *f = vf_report(ctx, idx, "VF-LOCK", false, "%s while %s a bpf_spin_lock", what,
	                                 st->lock == VF_LOCK_MAYBE ? "possibly holding" : "holding");
	if (f)
		vf_finding_set_hint(f, "call bpf_spin_unlock first");
}
