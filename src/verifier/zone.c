/* Zone (difference-bound matrix) domain over the variables in use; see zone.h for the costs.
 * Bounds saturate: a sum that overflows upward is "no bound", one that overflows downward is
 * clamped to INT64_MIN + 1, a weaker (so still sound) bound. */
#include "verifier/zone.h"

#include <stdlib.h>
#include <string.h>

#include "bpfcheck/error.h"

#define INF VF_ZONE_INF
#define M(z, i, j) ((z)->m[(size_t)(i) * (z)->cap + (j)])

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;
	if (a == INF || b == INF)
		return INF;
	if (__builtin_add_overflow(a, b, &r))
		return a > 0 ? INF : INT64_MIN + 1;
	return r;
}

static int64_t neg_bound(int64_t c)
{
	return c == INT64_MIN ? INF : -c;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int idx(const struct vf_zone *z, uint32_t id)
{
	for (uint32_t i = 0; i < z->n; i++)
		if (z->ids[i] == id)
			return (int)i;
	return -1;
}

/* Makes room for need variables, keeping the first n rows and columns. */
static int grow(struct vf_zone *z, uint32_t need)
{
	if (need <= z->cap)
		return BPFC_OK;
	uint32_t cap = z->cap ? z->cap : 4;
	while (cap < need)
		cap *= 2;
	int64_t *m = malloc((size_t)cap * cap * sizeof(*m));
	uint32_t *ids = realloc(z->ids, cap * sizeof(*ids));
	if (!m || !ids) {
		free(m);
		if (ids)
			z->ids = ids;
		return BPFC_ERR_NOMEM;
	}
	for (uint32_t i = 0; i < z->n; i++)
		memcpy(&m[(size_t)i * cap], &z->m[(size_t)i * z->cap], z->n * sizeof(*m));
	free(z->m);
	z->m = m;
	z->ids = ids;
	z->cap = cap;
	return BPFC_OK;
}

/* Appends an unconstrained variable; *out gets its index. */
static int add_var(struct vf_zone *z, uint32_t id, int *out)
{
	int rc = grow(z, z->n + 1);
	if (rc)
		return rc;
	uint32_t k = z->n++;
	z->ids[k] = id;
	for (uint32_t j = 0; j < z->n; j++)
		M(z, k, j) = M(z, j, k) = INF;
	M(z, k, k) = 0;
	*out = (int)k;
	return BPFC_OK;
}

static int ensure_var(struct vf_zone *z, uint32_t id, int *out)
{
	*out = idx(z, id);
	return *out >= 0 ? BPFC_OK : add_var(z, id, out);
}

/* Sets the number of variables of an initialised zone, contents undefined. */
static int resize(struct vf_zone *z, uint32_t n)
{
	z->n = 0;
	int rc = grow(z, n);
	if (rc)
		return rc;
	z->n = n;
	z->bottom = false;
	z->open = false;
	return BPFC_OK;
}

int vf_zone_init(struct vf_zone *z)
{
	memset(z, 0, sizeof(*z));
	int k;
	return add_var(z, VF_ZONE_ZERO, &k);
}

void vf_zone_free(struct vf_zone *z)
{
	free(z->m);
	free(z->ids);
	memset(z, 0, sizeof(*z));
}

int vf_zone_copy(struct vf_zone *dst, const struct vf_zone *src)
{
	int rc = resize(dst, src->n);
	if (rc)
		return rc;
	memcpy(dst->ids, src->ids, src->n * sizeof(*src->ids));
	for (uint32_t i = 0; i < src->n; i++)
		memcpy(&M(dst, i, 0), &M(src, i, 0), src->n * sizeof(*src->m));
	dst->bottom = src->bottom;
	dst->open = src->open;
	return BPFC_OK;
}

void vf_zone_set_bottom(struct vf_zone *z)
{
	z->bottom = true;
}

bool vf_zone_is_bottom(const struct vf_zone *z)
{
	return z->bottom;
}

bool vf_zone_has(const struct vf_zone *z, uint32_t id)
{
	return idx(z, id) >= 0;
}

int vf_zone_add_constraint(struct vf_zone *z, uint32_t x, uint32_t y, int64_t c)
{
	int i, j, rc;
	if (z->bottom)
		return BPFC_OK;
	if (x == y) {
		z->bottom = c < 0;
		return BPFC_OK;
	}
	if ((rc = ensure_var(z, x, &i)) || (rc = ensure_var(z, y, &j)))
		return rc;
	if (c >= M(z, i, j))
		return BPFC_OK;
	if (sat_add(M(z, j, i), c) < 0) {
		z->bottom = true;
		return BPFC_OK;
	}
	/* Every shortest path that improves goes through the new edge i -> j once. */
	for (uint32_t a = 0; a < z->n; a++) {
		int64_t via = sat_add(M(z, a, i), c);
		if (via == INF)
			continue;
		for (uint32_t b = 0; b < z->n; b++) {
			int64_t t = sat_add(via, M(z, j, b));
			if (t < M(z, a, b))
				M(z, a, b) = t;
		}
	}
	return BPFC_OK;
}

int vf_zone_assume(struct vf_zone *z, enum vf_cmp op, uint32_t x, uint32_t y, int64_t c)
{
	int rc = BPFC_OK;
	int64_t nc = neg_bound(c);
	switch (op) {
	case VF_CMP_EQ:
		if (!(rc = vf_zone_add_constraint(z, x, y, c)) && nc != INF)
			rc = vf_zone_add_constraint(z, y, x, nc);
		break;
	case VF_CMP_ULT:
	case VF_CMP_SLT: /* x - y <= c - 1 */
		if (c == INT64_MIN)
			vf_zone_set_bottom(z);
		else
			rc = vf_zone_add_constraint(z, x, y, c - 1);
		break;
	case VF_CMP_ULE:
	case VF_CMP_SLE: rc = vf_zone_add_constraint(z, x, y, c); break;
	case VF_CMP_UGT:
	case VF_CMP_SGT: /* y - x <= -c - 1 */
		if (nc != INF)
			rc = vf_zone_add_constraint(z, y, x, nc - 1);
		break;
	case VF_CMP_UGE:
	case VF_CMP_SGE:
		if (nc != INF)
			rc = vf_zone_add_constraint(z, y, x, nc);
		break;
	default: break;
	}
	return rc;
}

int64_t vf_zone_upper(const struct vf_zone *z, uint32_t x, uint32_t y)
{
	if (z->bottom)
		return INT64_MIN;
	if (x == y)
		return 0;
	int i = idx(z, x), j = idx(z, y);
	return i < 0 || j < 0 ? INF : M(z, i, j);
}

static void remove_index(struct vf_zone *z, uint32_t k)
{
	uint32_t last = z->n - 1;
	if (k != last) {
		z->ids[k] = z->ids[last];
		for (uint32_t j = 0; j < z->n; j++) {
			M(z, k, j) = M(z, last, j);
			M(z, j, k) = M(z, j, last);
		}
		M(z, k, k) = 0;
	}
	z->n--;
}

void vf_zone_forget(struct vf_zone *z, uint32_t x)
{
	int i = idx(z, x);
	if (i > 0)
		remove_index(z, (uint32_t)i);
}

int vf_zone_assign(struct vf_zone *z, uint32_t x, uint32_t y, int64_t c)
{
	int ix, iy, rc;
	if (z->bottom)
		return BPFC_OK;
	if (x == y) {
		ix = idx(z, x);
		if (ix < 0)
			return BPFC_OK;
		if (c == INT64_MIN || ix == 0) {
			vf_zone_forget(z, x);
			return BPFC_OK;
		}
		for (uint32_t j = 0; j < z->n; j++) {
			if ((int)j == ix)
				continue;
			M(z, ix, j) = sat_add(M(z, ix, j), c);
			M(z, j, ix) = sat_add(M(z, j, ix), -c);
		}
		return BPFC_OK;
	}
	if (x == VF_ZONE_ZERO)
		return BPFC_OK;
	vf_zone_forget(z, x);
	if ((rc = ensure_var(z, y, &iy)) || (rc = add_var(z, x, &ix)))
		return rc;
	int64_t nc = neg_bound(c);
	for (uint32_t j = 0; j < z->n; j++) {
		M(z, ix, j) = sat_add(c, M(z, iy, j));
		M(z, j, ix) = sat_add(M(z, j, iy), nc);
	}
	M(z, ix, ix) = 0;
	return BPFC_OK;
}

int vf_zone_assign_interval(struct vf_zone *z, uint32_t x, int64_t lo, int64_t hi)
{
	int ix, rc;
	if (z->bottom || x == VF_ZONE_ZERO)
		return BPFC_OK;
	vf_zone_forget(z, x);
	if (lo > hi) {
		z->bottom = true;
		return BPFC_OK;
	}
	if (lo == INT64_MIN && hi == INT64_MAX)
		return BPFC_OK;
	if ((rc = add_var(z, x, &ix)))
		return rc;
	int64_t up = hi, down = neg_bound(lo);
	for (uint32_t j = 0; j < z->n; j++) {
		M(z, ix, j) = sat_add(up, M(z, 0, j));
		M(z, j, ix) = sat_add(M(z, j, 0), down);
	}
	M(z, ix, ix) = 0;
	return BPFC_OK;
}

/* Index pairs of the variables of a that are also in b. */
static int common_vars(const struct vf_zone *a, const struct vf_zone *b, int **ia, int **ib, uint32_t *n)
{
	*ia = malloc(a->n * sizeof(int));
	*ib = malloc(a->n * sizeof(int));
	if (!*ia || !*ib) {
		free(*ia);
		free(*ib);
		return BPFC_ERR_NOMEM;
	}
	*n = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		int j = idx(b, a->ids[i]);
		if (j >= 0) {
			(*ia)[*n] = (int)i;
			(*ib)[(*n)++] = j;
		}
	}
	return BPFC_OK;
}

/* The widened bound of an entry that grew to y: the smallest of -1, 0 and the thresholds (sorted
 * ascending) that is at least y, else none. */
static int64_t widen_bound(int64_t y, const uint64_t *thr, size_t thr_cnt)
{
	if (y <= -1)
		return -1;
	if (y <= 0)
		return 0;
	for (size_t i = 0; i < thr_cnt; i++)
		if (thr[i] < (uint64_t)INF && (int64_t)thr[i] >= y)
			return (int64_t)thr[i];
	return INF;
}

/* out over the common variables, each entry combine(a's, b's); widen selects the rule. */
static int pointwise(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b, bool widen,
                     const uint64_t *thr, size_t thr_cnt)
{
	int *ia, *ib, rc;
	uint32_t n;
	if ((rc = common_vars(a, b, &ia, &ib, &n)))
		return rc;
	if (!(rc = resize(out, n))) {
		for (uint32_t p = 0; p < n; p++) {
			out->ids[p] = a->ids[ia[p]];
			for (uint32_t q = 0; q < n; q++) {
				int64_t x = M(a, ia[p], ia[q]), y = M(b, ib[p], ib[q]);
				/* the thresholds only for bounds (a row or column of ZERO), -1 and 0 for
				 * the differences: each entry then grows a bounded, small number of times */
				bool bound = a->ids[ia[p]] == VF_ZONE_ZERO || a->ids[ia[q]] == VF_ZONE_ZERO;
				M(out, p, q) = widen ? (y <= x ? x : widen_bound(y, thr, bound ? thr_cnt : 0))
				                     : max64(x, y);
			}
		}
		out->open = widen || a->open || b->open;
	}
	free(ia);
	free(ib);
	return rc;
}

int vf_zone_join(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b)
{
	if (a->bottom)
		return vf_zone_copy(out, b);
	if (b->bottom)
		return vf_zone_copy(out, a);
	return pointwise(out, a, b, false, NULL, 0);
}

int vf_zone_widen(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b)
{
	return vf_zone_widen_thr(out, a, b, NULL, 0);
}

int vf_zone_widen_thr(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b,
                      const uint64_t *thr, size_t thr_cnt)
{
	if (a->bottom)
		return vf_zone_copy(out, b);
	if (b->bottom)
		return vf_zone_copy(out, a);
	return pointwise(out, a, b, true, thr, thr_cnt);
}

void vf_zone_close(struct vf_zone *z)
{
	if (z->bottom)
		return;
	for (uint32_t k = 0; k < z->n; k++)
		for (uint32_t i = 0; i < z->n; i++) {
			int64_t ik = M(z, i, k);
			if (ik == INF)
				continue;
			for (uint32_t j = 0; j < z->n; j++) {
				int64_t t = sat_add(ik, M(z, k, j));
				if (t < M(z, i, j))
					M(z, i, j) = t;
			}
		}
	for (uint32_t i = 0; i < z->n; i++)
		if (M(z, i, i) < 0)
			z->bottom = true;
	z->open = false;
}

void vf_zone_ensure_closed(struct vf_zone *z)
{
	if (z->open)
		vf_zone_close(z);
}

uint32_t vf_zone_size(const struct vf_zone *z)
{
	return z->n;
}

int vf_zone_meet(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b)
{
	int rc = vf_zone_copy(out, a);
	if (rc)
		return rc;
	if (b->bottom) {
		out->bottom = true;
		return BPFC_OK;
	}
	int *map = malloc(b->n * sizeof(int));
	if (!map)
		return BPFC_ERR_NOMEM;
	for (uint32_t i = 0; i < b->n && !rc; i++)
		rc = ensure_var(out, b->ids[i], &map[i]);
	for (uint32_t i = 0; i < b->n && !rc; i++)
		for (uint32_t j = 0; j < b->n; j++)
			M(out, map[i], map[j]) = min64(M(out, map[i], map[j]), M(b, i, j));
	free(map);
	if (!rc)
		vf_zone_close(out);
	return rc;
}

int vf_zone_narrow(struct vf_zone *out, const struct vf_zone *a, const struct vf_zone *b)
{
	int rc = vf_zone_copy(out, a);
	if (rc || out->bottom)
		return rc;
	if (b->bottom) {
		out->bottom = true;
		return BPFC_OK;
	}
	for (uint32_t i = 0; i < out->n; i++) {
		int bi = idx(b, out->ids[i]);
		for (uint32_t j = 0; j < out->n && bi >= 0; j++) {
			int bj = idx(b, out->ids[j]);
			if (bj >= 0 && M(out, i, j) == INF)
				M(out, i, j) = M(b, bi, bj);
		}
	}
	vf_zone_close(out);
	return BPFC_OK;
}

bool vf_zone_leq(const struct vf_zone *a, const struct vf_zone *b)
{
	if (a->bottom)
		return true;
	if (b->bottom)
		return false;
	for (uint32_t p = 0; p < b->n; p++) {
		int ap = idx(a, b->ids[p]);
		for (uint32_t q = 0; q < b->n; q++) {
			int64_t c = M(b, p, q);
			if (p == q || c == INF)
				continue;
			int aq = idx(a, b->ids[q]);
			if (ap < 0 || aq < 0 || M(a, ap, aq) > c)
				return false;
		}
	}
	return true;
}
