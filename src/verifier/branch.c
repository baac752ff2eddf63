/* Branch refinement: each relation narrows the operands' ranges (unsigned or signed, at the
 * compared width) or known bits, then the reduction carries the news to the other components
 * (a 32-bit compare reaches the 64-bit bounds this way). */
#include "verifier/branch.h"

int vf_cmp_of_sem(enum isa_sem sem)
{
	switch (sem) {
	case ISA_SEM_JEQ: return VF_CMP_EQ;
	case ISA_SEM_JNE: return VF_CMP_NE;
	case ISA_SEM_JGT: return VF_CMP_UGT;
	case ISA_SEM_JGE: return VF_CMP_UGE;
	case ISA_SEM_JLT: return VF_CMP_ULT;
	case ISA_SEM_JLE: return VF_CMP_ULE;
	case ISA_SEM_JSGT: return VF_CMP_SGT;
	case ISA_SEM_JSGE: return VF_CMP_SGE;
	case ISA_SEM_JSLT: return VF_CMP_SLT;
	case ISA_SEM_JSLE: return VF_CMP_SLE;
	case ISA_SEM_JSET: return VF_CMP_SET;
	default: return -1;
	}
}

enum vf_cmp vf_cmp_negate(enum vf_cmp op)
{
	static const enum vf_cmp neg[] = {
	    [VF_CMP_EQ] = VF_CMP_NE,   [VF_CMP_NE] = VF_CMP_EQ,    [VF_CMP_UGT] = VF_CMP_ULE,
	    [VF_CMP_UGE] = VF_CMP_ULT, [VF_CMP_ULT] = VF_CMP_UGE,  [VF_CMP_ULE] = VF_CMP_UGT,
	    [VF_CMP_SGT] = VF_CMP_SLE, [VF_CMP_SGE] = VF_CMP_SLT,  [VF_CMP_SLT] = VF_CMP_SGE,
	    [VF_CMP_SLE] = VF_CMP_SGT, [VF_CMP_SET] = VF_CMP_NSET, [VF_CMP_NSET] = VF_CMP_SET,
	};
	return neg[op];
}

enum vf_cmp vf_cmp_swap(enum vf_cmp op)
{
	static const enum vf_cmp swp[] = {
	    [VF_CMP_EQ] = VF_CMP_EQ,   [VF_CMP_NE] = VF_CMP_NE,   [VF_CMP_UGT] = VF_CMP_ULT,
	    [VF_CMP_UGE] = VF_CMP_ULE, [VF_CMP_ULT] = VF_CMP_UGT, [VF_CMP_ULE] = VF_CMP_UGE,
	    [VF_CMP_SGT] = VF_CMP_SLT, [VF_CMP_SGE] = VF_CMP_SLE, [VF_CMP_SLT] = VF_CMP_SGT,
	    [VF_CMP_SLE] = VF_CMP_SGE, [VF_CMP_SET] = VF_CMP_SET, [VF_CMP_NSET] = VF_CMP_NSET,
	};
	return swp[op];
}

/* An operand seen at the compared width. */
struct side {
	struct vf_tnum t;
	struct vf_urange u;
	struct vf_srange s;
	bool empty;
};

static struct side side_of(const struct vf_scalar *v, unsigned bits)
{
	if (bits == 64)
		return (struct side){v->var, v->u64, v->s64, false};
	return (struct side){vf_tnum_subreg(v->var), v->u32, v->s32, false};
}

static void side_store(struct vf_scalar *v, const struct side *x, unsigned bits)
{
	if (x->empty || vf_urange_is_empty(x->u) || vf_srange_is_empty(x->s)) {
		*v = vf_scalar_bottom();
		return;
	}
	if (bits == 64) {
		v->var = x->t;
		v->u64 = x->u;
		v->s64 = x->s;
	} else {
		v->var = vf_tnum_with_subreg(v->var, x->t);
		v->u32 = x->u;
		v->s32 = x->s;
	}
	*v = vf_scalar_reduce(*v);
}

static void meet_tnum(struct side *x, struct vf_tnum t)
{
	bool empty;
	x->t = vf_tnum_meet(x->t, t, &empty);
	x->empty |= empty;
}

static void assume_eq(struct side *a, struct side *b)
{
	meet_tnum(a, b->t);
	a->u = vf_urange_meet(a->u, b->u);
	a->s = vf_srange_meet(a->s, b->s);
	*b = *a;
}

/* x != c for a constant c: only an end of a range can move. */
static void exclude(struct side *x, const struct side *c, unsigned bits)
{
	uint64_t cu = c->u.lo;
	int64_t cs = c->s.lo;
	if (vf_tnum_is_const(x->t) && x->t.value == cu) {
		x->empty = true;
		return;
	}
	if (x->u.lo == cu && cu < vf_umax_of(bits))
		x->u.lo++;
	else if (x->u.hi == cu && cu > 0)
		x->u.hi--;
	if (x->s.lo == cs && cs < vf_smax_of(bits))
		x->s.lo++;
	else if (x->s.hi == cs && cs > vf_smin_of(bits))
		x->s.hi--;
}

static void assume_ne(struct side *a, struct side *b, unsigned bits)
{
	if (vf_tnum_is_const(b->t))
		exclude(a, b, bits);
	if (vf_tnum_is_const(a->t) && !a->empty)
		exclude(b, a, bits);
}

static void assume_ult(struct side *a, struct side *b, bool strict)
{
	uint64_t d = strict ? 1 : 0;
	if (b->u.hi < d || a->u.lo > UINT64_MAX - d) {
		a->empty = true;
		return;
	}
	if (a->u.hi > b->u.hi - d)
		a->u.hi = b->u.hi - d;
	if (b->u.lo < a->u.lo + d)
		b->u.lo = a->u.lo + d;
}

static void assume_slt(struct side *a, struct side *b, bool strict)
{
	int64_t d = strict ? 1 : 0;
	if (b->s.hi < INT64_MIN + d || a->s.lo > INT64_MAX - d) {
		a->empty = true;
		return;
	}
	if (a->s.hi > b->s.hi - d)
		a->s.hi = b->s.hi - d;
	if (b->s.lo < a->s.lo + d)
		b->s.lo = a->s.lo + d;
}

/* (a & b) != 0: neither is 0, and a single known bit of one must be set in the other. */
static void assume_set(struct side *a, struct side *b, unsigned bits)
{
	struct side zero = {vf_tnum_const(0), vf_urange_const(0), vf_srange_const(0), false};
	if (((a->t.value | a->t.mask) & (b->t.value | b->t.mask)) == 0) {
		a->empty = true;
		return;
	}
	exclude(a, &zero, bits);
	exclude(b, &zero, bits);
	if (vf_tnum_is_const(b->t) && __builtin_popcountll(b->t.value) == 1)
		meet_tnum(a, (struct vf_tnum){b->t.value, ~b->t.value});
	if (vf_tnum_is_const(a->t) && __builtin_popcountll(a->t.value) == 1)
		meet_tnum(b, (struct vf_tnum){a->t.value, ~a->t.value});
}

/* (a & b) == 0: a bit known 1 in one is 0 in the other. */
static void assume_nset(struct side *a, struct side *b)
{
	if (a->t.value & b->t.value) {
		a->empty = true;
		return;
	}
	struct vf_tnum na = {0, ~a->t.value}, nb = {0, ~b->t.value};
	meet_tnum(a, nb);
	meet_tnum(b, na);
}

bool vf_scalar_assume(enum vf_cmp op, bool is64, struct vf_scalar *a, struct vf_scalar *b)
{
	unsigned bits = is64 ? 64 : 32;
	if (vf_scalar_is_bottom(a) || vf_scalar_is_bottom(b))
		goto never;
	struct side x = side_of(a, bits), y = side_of(b, bits);
	switch (op) {
	case VF_CMP_EQ: assume_eq(&x, &y); break;
	case VF_CMP_NE: assume_ne(&x, &y, bits); break;
	case VF_CMP_ULT: assume_ult(&x, &y, true); break;
	case VF_CMP_ULE: assume_ult(&x, &y, false); break;
	case VF_CMP_UGT: assume_ult(&y, &x, true); break;
	case VF_CMP_UGE: assume_ult(&y, &x, false); break;
	case VF_CMP_SLT: assume_slt(&x, &y, true); break;
	case VF_CMP_SLE: assume_slt(&x, &y, false); break;
	case VF_CMP_SGT: assume_slt(&y, &x, true); break;
	case VF_CMP_SGE: assume_slt(&y, &x, false); break;
	case VF_CMP_SET: assume_set(&x, &y, bits); break;
	case VF_CMP_NSET: assume_nset(&x, &y); break;
	}
	if (x.empty || y.empty)
		goto never;
	side_store(a, &x, bits);
	side_store(b, &y, bits);
	if (vf_scalar_is_bottom(a) || vf_scalar_is_bottom(b))
		goto never;
	return true;
never:
	*a = vf_scalar_bottom();
	*b = vf_scalar_bottom();
	return false;
}

void vf_scalar_branch(enum isa_sem sem, bool is64, const struct vf_scalar *dst, const struct vf_scalar *src,
                      struct vf_cond_split *out)
{
	out->taken_dst = out->fall_dst = *dst;
	out->taken_src = out->fall_src = *src;
	out->outcome = VF_MAYBE;
	int op = vf_cmp_of_sem(sem);
	if (op < 0)
		return;
	bool taken = vf_scalar_assume((enum vf_cmp)op, is64, &out->taken_dst, &out->taken_src);
	bool fall = vf_scalar_assume(vf_cmp_negate((enum vf_cmp)op), is64, &out->fall_dst, &out->fall_src);
	out->outcome = !taken ? VF_NEVER : !fall ? VF_ALWAYS : VF_MAYBE;
}
