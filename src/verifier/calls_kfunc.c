/* kfunc calls (call src=2; specs/verifier.md "kfuncs"). The ELF loader puts the object's BTF id
 * of the extern FUNC into the call's imm, so the kfunc's name and prototype come from the
 * object's own BTF; what the prototype cannot say (acquire/release, may return NULL, iterator
 * and RCU semantics, program types) comes from the platform's kfuncs.json. A kfunc the platform
 * does not list is reported by name and never guessed. Modelled: RCU read sections (st->rcu),
 * the open-coded number iterator (a VT_ITER_NUM spilled slot holding a reference, whose next()
 * bounds the loop it is called in) and prototype-driven kfuncs with scalar and BTF struct
 * pointer arguments and results. */
#include <stdio.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "verifier/calls.h"

#define KF_PARAMS 5

static const char *short_name(const char *n)
{
	return strncmp(n, "bpf_", 4) == 0 ? n + 4 : n;
}

static uint32_t new_nid(struct vf_actx *ctx)
{
	return 0x20000000u | (++ctx->id_gen & 0x1fffffffu);
}

static void add_ref(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, uint32_t ref)
{
	if (!vf_state_add_ref(st, ref))
		vf_report(ctx, idx, "VF-LIMIT-REACHED", false, "more than %d references held at once",
		          VF_MAX_REFS);
}

/* A pointer that dies with reference ref: one holding it, or (iter) the number an iterator's
 * next() returned, which points into the iterator. */
static bool dies_with(const struct vf_reg *r, uint32_t ref, bool iter)
{
	if (iter)
		return r->type == VT_MEM && (r->frame & VF_MEM_RDONLY) && r->pid == ref;
	return r->ref == ref;
}

/* Every copy of the reference's pointers becomes unusable (it was released). */
static void drop_ref(struct vf_state *st, uint32_t ref, bool iter)
{
	for (int i = 0; i < VF_NREGS; i++)
		if (dies_with(&st->r[i], ref, iter)) {
			uint32_t origin = st->r[i].origin;
			memset(&st->r[i], 0, sizeof(st->r[i]));
			/* Linux makes an iterator's number an unknown scalar when the iterator goes */
			if (iter)
				vf_reg_unknown(&st->r[i]);
			else
				st->r[i].type = VT_UNUSABLE;
			st->r[i].origin = origin;
		}
	for (uint32_t f = 0; f < st->nframes; f++) {
		bool has = false;
		for (int s = 0; s < VF_STACK_SLOTS && !has; s++)
			has = st->fr[f]->sb[s * 8] == SB_SPILL && st->fr[f]->sp &&
			      st->fr[f]->sp->r[s].ref == ref;
		struct vf_frame *fr = has ? vf_frame_mut(st, f) : NULL;
		struct vf_reg *sr = fr ? vf_frame_spills_mut(fr) : NULL;
		for (int s = 0; sr && s < VF_STACK_SLOTS; s++)
			if (fr->sb[s * 8] == SB_SPILL && dies_with(&sr[s], ref, iter)) {
				memset(&sr[s], 0, sizeof(sr[s]));
				if (iter)
					vf_reg_unknown(&sr[s]);
				else
					sr[s].type = VT_UNUSABLE;
			}
	}
	if (!iter)
		vf_state_del_ref(st, ref);
}

/* ---- RCU read sections ---- */

static void rcu_call(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, bool lock)
{
	if (lock) {
		/* Linux 6.18: one section at a time ("nested rcu read lock") */
		if (st->rcu) {
			struct vf_finding *f =
			    vf_report(ctx, idx, "VF-RCU", false,
			              "bpf_rcu_read_lock inside an RCU read section%s (Linux: "
			              "nested rcu read lock)",
			              st->rcu == VF_RCU_MAYBE ? " open on some paths" : "");
			if (f)
				vf_finding_set_hint(f, "RCU read sections do not nest: unlock first");
		}
		/* the depth is kept so that the inner section's unlock is not reported again */
		st->rcu = st->rcu == VF_RCU_MAYBE || st->rcu >= 64 ? VF_RCU_MAYBE : (uint8_t)(st->rcu + 1);
		return;
	}
	if (st->rcu == 0 || st->rcu == VF_RCU_MAYBE) {
		struct vf_finding *f = vf_report(
		    ctx, idx, "VF-RCU", false, "bpf_rcu_read_unlock %s",
		    st->rcu ? "where the RCU read section is not open on every path"
		            : "without a matching bpf_rcu_read_lock (Linux: unmatched rcu read unlock)");
		if (f)
			vf_finding_set_hint(
			    f, "pair every bpf_rcu_read_unlock with a bpf_rcu_read_lock on the same path");
		st->rcu = 0;
		return;
	}
	st->rcu--;
}

void vf_kfunc_check_exit(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx)
{
	if (!st->rcu)
		return;
	struct vf_finding *f = vf_report(ctx, idx, "VF-RCU", false,
	                                 "the program exits %s an RCU read section (Linux: BPF_EXIT "
	                                 "cannot be used inside a bpf_rcu_read_lock-ed region)",
	                                 st->rcu == VF_RCU_MAYBE ? "possibly inside" : "inside");
	if (f)
		vf_finding_set_hint(f, "call bpf_rcu_read_unlock on every path before returning");
}

void vf_kfunc_check_helper(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int32_t id)
{
	const struct plat_helper *ph = NULL;
	if (!st->rcu || plat_helper_lookup(ctx->plat, id, &ph) == PLAT_HELPER_UNKNOWN || !ph ||
	    !ph->might_sleep)
		return;
	vf_report(ctx, idx, "VF-RCU", false,
	          "bpf_%s (#%d) might sleep: not callable %s an RCU read section (Linux: sleepable helper "
	          "in rcu_read_lock region)",
	          ph->name, id, st->rcu == VF_RCU_MAYBE ? "where the program may be inside" : "inside");
}

/* ---- the number iterator ---- */

/* The stack slot (in frame *frame) register regno points to, when it is a constant, 8-byte
 * aligned stack offset; -1 otherwise (reported). */
static int iter_slot(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, int regno, const char *kf,
                     uint32_t *frame)
{
	const struct vf_reg *R = &st->r[regno];
	if (R->type != VT_STACK || !vn_is_const(R->v)) {
		char d[160];
		vf_describe_reg(ctx, R, d, sizeof(d));
		vf_report(ctx, idx, "VF-HELPER-ARG", false,
		          "argument r%d of %s must point to a struct bpf_iter_num on the stack (a constant "
		          "offset): %s",
		          regno, kf, d);
		return -1;
	}
	int64_t off = R->off + (int64_t)R->v.u64.lo;
	if (off < -VF_STACK_SIZE || off > -8 || (off & 7) || R->frame >= st->nframes) {
		vf_report(ctx, idx, "VF-HELPER-ARG", false,
		          "argument r%d of %s: stack offset %lld is not an 8-byte aligned struct "
		          "bpf_iter_num inside the stack",
		          regno, kf, (long long)off);
		return -1;
	}
	*frame = R->frame;
	return (int)((off + VF_STACK_SIZE) / 8);
}

/* The live iterator in slot s of frame f, or NULL. */
static const struct vf_reg *iter_at(const struct vf_state *st, uint32_t f, int s)
{
	const struct vf_frame *fr = st->fr[f];
	if (fr->sb[s * 8] != SB_SPILL || !fr->sp || fr->sp->r[s].type != VT_ITER_NUM)
		return NULL;
	return vf_state_has_ref(st, fr->sp->r[s].ref) ? &fr->sp->r[s] : NULL;
}

static bool iter_new(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, const char *kf)
{
	uint32_t f;
	int s = iter_slot(ctx, st, idx, 1, kf, &f);
	struct vf_reg r0;
	/* an int (0, -EINVAL, -E2BIG), but its upper 32 bits are the native convention's: unknown */
	vf_reg_unknown(&r0);
	r0.origin = idx + 1;
	for (int r = 2; r <= 3; r++)
		if (st->r[r].type != VT_SCALAR) {
			char d[160];
			vf_describe_reg(ctx, &st->r[r], d, sizeof(d));
			vf_report(ctx, idx, st->r[r].type == VT_UNINIT ? "VF-UNINIT-REG" : "VF-HELPER-ARG",
			          false, "argument r%d of %s must be a number (%s): %s", r, kf,
			          r == 2 ? "start" : "end", d);
		}
	st->r[0] = r0;
	if (s < 0)
		return true;
	if (iter_at(st, f, s)) {
		vf_report(ctx, idx, "VF-HELPER-ARG", false,
		          "%s: the struct bpf_iter_num at stack offset %d is already initialised (destroy it "
		          "first)",
		          kf, s * 8 - VF_STACK_SIZE);
		return true;
	}
	vf_stack_note_depth(ctx, st, idx, f, (int64_t)s * 8 - VF_STACK_SIZE);
	struct vf_frame *fr = vf_frame_mut(st, f);
	struct vf_reg *sr = fr ? vf_frame_spills_mut(fr) : NULL;
	if (!sr) {
		ctx->nomem = true;
		return false;
	}
	memset(&fr->sb[s * 8], SB_SPILL, 8);
	memset(&sr[s], 0, sizeof(sr[s]));
	sr[s].type = VT_ITER_NUM;
	sr[s].ref = idx + 1;
	sr[s].origin = idx + 1;
	sr[s].v = vn_const(0);
	add_ref(ctx, st, idx, idx + 1);
	return true;
}

/* next() and destroy(): r1 must point to a live iterator; returns its slot (-1: reported). */
static int iter_use(struct vf_actx *ctx, const struct vf_state *st, uint32_t idx, const char *kf, uint32_t *f)
{
	int s = iter_slot(ctx, st, idx, 1, kf, f);
	if (s < 0)
		return -1;
	if (!iter_at(st, *f, s)) {
		struct vf_finding *fn =
		    vf_report(ctx, idx, "VF-HELPER-ARG", false,
		              "%s: stack offset %d holds no initialised struct bpf_iter_num (on some path)",
		              kf, s * 8 - VF_STACK_SIZE);
		if (fn)
			vf_finding_set_hint(
			    fn, "call bpf_iter_num_new on it first (and not after destroying it)");
		return -1;
	}
	return s;
}

static int iter_next(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, const char *kf,
                     struct vf_succ out[2])
{
	uint32_t f;
	int s = iter_use(ctx, st, idx, kf, &f);
	if (s < 0)
		return 0;
	uint32_t made = st->fr[f]->sp->r[s].ref;
	/* NULL: the iterator is exhausted; the loop is left, nothing is bounded by it */
	struct vf_state *t = vf_state_dup(st);
	if (!t) {
		ctx->nomem = true;
		return 0;
	}
	vf_reg_scalar(&st->r[0], vn_const(0));
	st->r[0].origin = idx + 1;
	/* non-NULL: 4 read-only bytes (the current number); the iterator gives at most end - start of
	 * them after bpf_iter_num_new, so a loop that gets one per iteration from an iterator made
	 * outside it is bounded (analyze.c, iter_bounded) */
	memset(&t->r[0], 0, sizeof(t->r[0]));
	t->r[0].type = VT_MEM;
	t->r[0].size = 4;
	t->r[0].frame = VF_MEM_RDONLY;
	t->r[0].v = vn_const(0);
	t->r[0].origin = idx + 1;
	t->r[0].pid = made; /* dies with the iterator */
	t->iter_bound = made;
	out[0].slot = idx + 1;
	out[0].st = st;
	out[1].slot = idx + 1;
	out[1].st = t;
	return 2;
}

static void iter_destroy(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, const char *kf)
{
	uint32_t f;
	int s = iter_use(ctx, st, idx, kf, &f);
	if (s < 0)
		return;
	uint32_t ref = st->fr[f]->sp->r[s].ref;
	struct vf_frame *fr = vf_frame_mut(st, f);
	if (!fr) {
		ctx->nomem = true;
		return;
	}
	memset(&fr->sb[s * 8], SB_INVALID, 8); /* Linux: the slots are invalid again */
	drop_ref(st, ref, true);
	vf_state_del_ref(st, ref);
}

/* ---- kfuncs described by their prototype and flags ---- */

/* The struct a BTF type points to (through modifiers), or 0. */
static uint32_t ptr_struct(const struct btf *btf, uint32_t t)
{
	t = btf_skip_mods(btf, t);
	if (btf_kind(btf, t) != BTF_K_PTR)
		return 0;
	uint32_t s = btf_skip_mods(btf, btf_size_or_type(btf, t));
	return btf_kind(btf, s) == BTF_K_STRUCT || btf_kind(btf, s) == BTF_K_FWD ? s : 0;
}

static bool is_scalar_type(const struct btf *btf, uint32_t t)
{
	enum btf_kind k = btf_kind(btf, btf_skip_mods(btf, t));
	return k == BTF_K_INT || k == BTF_K_ENUM || k == BTF_K_ENUM64;
}

/* Whether BTF type t (a parameter, or the result when ret) is what the platform's prototype
 * entry want says ("void", "int", "struct NAME" for a pointer to it). */
static bool proto_type_is(const struct btf *btf, uint32_t t, const char *want, bool ret)
{
	if (strcmp(want, "void") == 0)
		return ret && t == 0;
	if (strcmp(want, "int") == 0)
		return t && is_scalar_type(btf, t);
	uint32_t s = t ? ptr_struct(btf, t) : 0;
	return s && strcmp(btf_name(btf, s), want + 7) == 0;
}

/* The object declares the kfunc as Linux defines it (the platform's proto); otherwise the call is
 * not analysed: bpfcheck would check it against a prototype the kernel does not have. */
static bool proto_matches(struct vf_actx *ctx, uint32_t idx, const struct plat_kfunc *k, uint32_t proto)
{
	const struct btf *btf = ctx->opts->btf;
	uint32_t n = btf_vlen(btf, proto);
	bool ok =
	    k->proto_cnt == n + 1 && proto_type_is(btf, btf_size_or_type(btf, proto), k->proto[0], true);
	for (uint32_t i = 0; ok && i < n; i++) {
		struct btf_member p;
		ok = btf_member(btf, proto, i, &p) && proto_type_is(btf, p.type, k->proto[i + 1], false);
	}
	if (ok)
		return true;
	char want[256];
	size_t used = (size_t)snprintf(want, sizeof(want), "%s%s (", k->proto[0],
	                               strncmp(k->proto[0], "struct ", 7) == 0 ? " *" : "");
	for (uint8_t i = 1; i < k->proto_cnt && used < sizeof(want); i++)
		used += (size_t)snprintf(want + used, sizeof(want) - used, "%s%s%s", i > 1 ? ", " : "",
		                         k->proto[i], strncmp(k->proto[i], "struct ", 7) == 0 ? " *" : "");
	if (used < sizeof(want))
		snprintf(want + used, sizeof(want) - used, ")");
	struct vf_finding *f =
	    vf_report(ctx, idx, "VF-UNSUPPORTED", false,
	              "kfunc %s is declared with a prototype Linux does not have (Linux: %s)", k->name, want);
	if (f)
		vf_finding_set_hint(f, "declare the kfunc as the kernel does (vmlinux.h)");
	return false;
}

static bool proto_call(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, const struct plat_kfunc *k,
                       uint32_t proto)
{
	const struct btf *btf = ctx->opts->btf;
	const char *kf = k->name;
	if (!proto_matches(ctx, idx, k, proto))
		return false;
	uint32_t nparams = btf_vlen(btf, proto);
	if (nparams > KF_PARAMS) {
		vf_report(ctx, idx, "VF-UNSUPPORTED", false, "kfunc %s takes %u arguments: not modelled", kf,
		          nparams);
		return false;
	}
	uint32_t release = 0;
	int release_reg = -1;
	for (uint32_t i = 0; i < nparams; i++) {
		struct btf_member p;
		if (!btf_member(btf, proto, i, &p))
			break;
		int r = (int)i + 1;
		struct vf_reg *R = &st->r[r];
		if (R->type == VT_UNINIT) {
			vf_report(ctx, idx, "VF-UNINIT-REG", false, "argument r%d of %s is not initialised",
			          r, kf);
			continue;
		}
		if (is_scalar_type(btf, p.type)) {
			if (R->type != VT_SCALAR) {
				char d[160];
				vf_describe_reg(ctx, R, d, sizeof(d));
				vf_report(ctx, idx, "VF-HELPER-ARG", false,
				          "argument r%d of %s must be a number (%s): %s", r, kf, p.name, d);
			}
			continue;
		}
		uint32_t sid = ptr_struct(btf, p.type);
		if (!sid) {
			char ty[96];
			btf_type_to_c(btf, p.type, ty, sizeof(ty));
			vf_report(ctx, idx, "VF-UNSUPPORTED", false,
			          "argument %d of kfunc %s (%s %s) is not modelled by bpfcheck", r, kf, ty,
			          p.name);
			return false;
		}
		bool rel = (k->flags & PLAT_KF_RELEASE) && release_reg < 0;
		if (rel)
			release_reg = r;
		if (vf_btf_arg(ctx, st, idx, r, short_name(kf), btf_name(btf, sid), false)) {
			/* one finding per root cause: what it would release is not reported as leaked */
			if (rel && R->ref && vf_state_has_ref(st, R->ref))
				release = R->ref;
			continue;
		}
		if (rel) {
			if (!R->ref || !vf_state_has_ref(st, R->ref)) {
				struct vf_finding *f = vf_report(ctx, idx, "VF-REF-RELEASE", false,
				                                 "%s releases a reference, but r%d holds "
				                                 "none (%s): only a pointer from an "
				                                 "acquiring kfunc may be released",
				                                 kf, r,
				                                 R->ref ? "it was released already"
				                                        : "not acquired by the program");
				if (f)
					vf_finding_set_hint(
					    f,
					    "release only what bpf_task_acquire/bpf_task_from_pid returned");
			} else if (R->off || !vn_is_const(R->v) || R->v.u64.lo) {
				vf_report(ctx, idx, "VF-REF-RELEASE", false,
				          "%s: r%d must point to the start of the acquired struct", kf, r);
			} else {
				release = R->ref;
			}
		}
	}
	if ((k->flags & PLAT_KF_RELEASE) && release_reg < 0)
		vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		          "kfunc %s releases a reference but its prototype has no struct pointer argument",
		          kf);
	if (release)
		drop_ref(st, release, false);
	uint32_t rt = btf_size_or_type(btf, proto);
	struct vf_reg r0;
	memset(&r0, 0, sizeof(r0));
	r0.origin = idx + 1;
	if (rt == 0) {
		r0.type = VT_UNINIT;
	} else if (is_scalar_type(btf, rt)) {
		/* any 64-bit value, whatever the integer's size (Linux mark_reg_unknown): the native
		 * calling convention leaves the bits above a narrow result undefined */
		vf_reg_unknown(&r0);
		r0.origin = idx + 1;
	} else if (ptr_struct(btf, rt)) {
		r0.type = (k->flags & PLAT_KF_RET_NULL) ? VT_BTF_PTR_OR_NULL : VT_BTF_PTR;
		r0.size = VF_BTF_OBJ(ptr_struct(btf, rt));
		if (k->flags & PLAT_KF_RET_NULL)
			r0.nid = new_nid(ctx);
		r0.v = vn_const(0);
		if (k->flags & PLAT_KF_ACQUIRE) {
			r0.ref = idx + 1;
			add_ref(ctx, st, idx, r0.ref);
		}
	} else {
		char ty[96];
		btf_type_to_c(btf, rt, ty, sizeof(ty));
		vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		          "the result of kfunc %s (%s) is not modelled by bpfcheck", kf, ty);
		return false;
	}
	st->r[0] = r0;
	return true;
}

/* ---- entry ---- */

const char *vf_kfunc_leak_hint(const struct vf_actx *ctx, uint32_t at)
{
	if (at >= ctx->n || ctx->prog->insns[at].src != 2 || !ctx->opts->btf)
		return NULL;
	const char *name = btf_name(ctx->opts->btf, (uint32_t)ctx->prog->insns[at].imm);
	if (name && strcmp(name, "bpf_iter_num_new") == 0)
		return "destroy the iterator with bpf_iter_num_destroy on every path";
	return "release it (bpf_task_release for a task) on every path";
}

int vf_kfunc_call(struct vf_actx *ctx, struct vf_state *st, uint32_t idx, struct vf_succ out[2])
{
	const struct btf *btf = ctx->opts->btf;
	int32_t id = ctx->prog->insns[idx].imm;
	if (!btf || id <= 0 || btf_kind(btf, (uint32_t)id) != BTF_K_FUNC) {
		struct vf_finding *f = vf_report(
		    ctx, idx, "VF-UNSUPPORTED", false,
		    "kfunc call (src=2, imm %d) that names no FUNC of the object's BTF: bpfcheck finds "
		    "kfuncs only by name, in ELF objects",
		    id);
		if (f)
			vf_finding_set_hint(f, "verify the ELF object (its .BTF names the kfuncs it calls)");
		return 0;
	}
	const char *name = btf_name(btf, (uint32_t)id);
	const struct plat_kfunc *k = plat_kfunc_by_name(ctx->plat, name);
	if (!k) {
		struct vf_finding *f = vf_report(ctx, idx, "VF-UNSUPPORTED", false,
		                                 "kfunc %s is not modelled by bpfcheck", name);
		if (f)
			vf_finding_set_hint(f,
			                    "the call is not analysed, so the program cannot be shown safe");
		return 0;
	}
	if (ctx->pt && ctx->pt->plat && !plat_kfunc_allowed(k, ctx->pt->plat))
		vf_report(ctx, idx, "VF-HELPER-UNAVAILABLE", false, "%s programs cannot call kfunc %s",
		          ctx->pt->name, name);
	/* Linux kfunc_spin_allowed: only the iterator (and graph, res_spin_lock) kfuncs under a lock */
	bool iter = k->model == PLAT_KM_ITER_NUM_NEW || k->model == PLAT_KM_ITER_NUM_NEXT ||
	            k->model == PLAT_KM_ITER_NUM_DESTROY;
	if (!iter) {
		char what[96];
		snprintf(what, sizeof(what), "call of kfunc %s", name);
		vf_lock_check_held(ctx, st, idx, what);
	}
	if ((k->flags & PLAT_KF_SLEEPABLE) && st->rcu)
		vf_report(ctx, idx, "VF-RCU", false, "sleepable kfunc %s inside an RCU read section", name);
	uint32_t proto = btf_size_or_type(btf, (uint32_t)id);
	if (btf_kind(btf, proto) != BTF_K_FUNC_PROTO) {
		vf_report(ctx, idx, "VF-UNSUPPORTED", false, "kfunc %s: its BTF FUNC has no prototype", name);
		return 0;
	}
	int n = 1;
	switch (k->model) {
	case PLAT_KM_RCU_READ_LOCK:
	case PLAT_KM_RCU_READ_UNLOCK:
		rcu_call(ctx, st, idx, k->model == PLAT_KM_RCU_READ_LOCK);
		vf_reg_uninit(&st->r[0]);
		break;
	case PLAT_KM_ITER_NUM_NEW:
		if (!iter_new(ctx, st, idx, name))
			return 0;
		break;
	case PLAT_KM_ITER_NUM_NEXT: n = iter_next(ctx, st, idx, name, out); break;
	case PLAT_KM_ITER_NUM_DESTROY:
		iter_destroy(ctx, st, idx, name);
		vf_reg_uninit(&st->r[0]);
		break;
	case PLAT_KM_PROTOTYPE:
	default:
		if (!proto_call(ctx, st, idx, k, proto))
			return 0;
		break;
	}
	for (int i = 0; i < n; i++)
		for (int r = 1; r <= 5; r++)
			vf_reg_uninit(&out[i].st->r[r]);
	if (n == 1) {
		out[0].slot = idx + 1;
		out[0].st = st;
	}
	return n;
}
