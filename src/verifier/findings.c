/* Findings lists: every pass of the verifier reports through these, the report layer reads them. */
#include "bpfcheck/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *vf_severity_name(enum vf_severity sev)
{
	switch (sev) {
	case VF_SEV_ERROR: return "error";
	case VF_SEV_WARNING: return "warning";
	case VF_SEV_NOTE: return "note";
	}
	return "?";
}

void vf_findings_init(struct vf_findings *list)
{
	list->items = NULL;
	list->cnt = 0;
	list->cap = 0;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void finding_free(struct vf_finding *f)
{
	free(f->property);
	free(f->func);
	free(f->message);
	free(f->hint);
	for (size_t i = 0; i < f->reg_cnt; i++) {
		free(f->regs[i].name);
		free(f->regs[i].state);
	}
	free(f->regs);
	for (size_t i = 0; i < f->related_cnt; i++)
		free(f->related[i].message);
	free(f->related);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

struct vf_finding *vf_findings_vadd(struct vf_findings *list, const char *property, enum vf_severity sev,
                                    uint32_t insn, const char *func, const char *fmt, va_list ap)
{
	if (list->cnt == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct vf_finding *items = realloc(list->items, cap * sizeof(*items));
		if (!items)
			return NULL;
		list->items = items;
		list->cap = cap;
	}
	struct vf_finding *f = &list->items[list->cnt];
	memset(f, 0, sizeof(*f));
	f->severity = sev;
	f->insn = insn;
	f->property = strdup(property);
	f->func = func ? strdup(func) : NULL;
	f->message = vformat(fmt, ap);
	if (!f->property || !f->message || (func && !f->func)) {
		finding_free(f);
		return NULL;
	}
	list->cnt++;
	return f;
}

struct vf_finding *vf_findings_add(struct vf_findings *list, const char *property, enum vf_severity sev,
                                   uint32_t insn, const char *func, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct vf_finding *f = vf_findings_vadd(list, property, sev, insn, func, fmt, ap);
	va_end(ap);
	return f;
}

int vf_finding_set_hint(struct vf_finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return BPFC_ERR_NOMEM;
	free(f->hint);
	f->hint = s;
	return BPFC_OK;
}

int vf_finding_add_reg(struct vf_finding *f, const char *name, const char *state)
{
	struct vf_reg_state *regs = realloc(f->regs, (f->reg_cnt + 1) * sizeof(*regs));
	if (!regs)
		return BPFC_ERR_NOMEM;
	f->regs = regs;
	char *n = strdup(name), *s = strdup(state);
	if (!n || !s) {
		free(n);
		free(s);
		return BPFC_ERR_NOMEM;
	}
	regs[f->reg_cnt].name = n;
	regs[f->reg_cnt].state = s;
	f->reg_cnt++;
	return BPFC_OK;
}

int vf_finding_add_related(struct vf_finding *f, uint32_t insn, const char *fmt, ...)
{
	struct vf_related *rel = realloc(f->related, (f->related_cnt + 1) * sizeof(*rel));
	if (!rel)
		return BPFC_ERR_NOMEM;
	f->related = rel;
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
		return BPFC_ERR_NOMEM;
	rel[f->related_cnt].insn = insn;
	rel[f->related_cnt].message = msg;
	f->related_cnt++;
	return BPFC_OK;
}

int vf_finding_add_branch(struct vf_finding *f, uint32_t insn, bool taken)
{
	struct vf_branch *path = realloc(f->path, (f->path_cnt + 1) * sizeof(*path));
	if (!path)
		return BPFC_ERR_NOMEM;
	f->path = path;
	path[f->path_cnt].insn = insn;
	path[f->path_cnt].taken = taken;
	f->path_cnt++;
	return BPFC_OK;
}

static int finding_cmp(const struct vf_finding *a, const struct vf_finding *b)
{
	if (a->insn != b->insn)
		return a->insn < b->insn ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	int c = strcmp(a->property, b->property);
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

/* Bottom-up merge sort: stable, O(n log n), no recursion and no qsort_r. */
void vf_findings_sort(struct vf_findings *list)
{
	size_t n = list->cnt;
	if (n < 2)
		return;
	struct vf_finding *tmp = malloc(n * sizeof(*tmp));
	if (!tmp) {
		/* Insertion sort needs no memory; only reached when out of memory. */
		for (size_t i = 1; i < n; i++) {
			struct vf_finding x = list->items[i];
			size_t j = i;
			for (; j > 0 && finding_cmp(&list->items[j - 1], &x) > 0; j--)
				list->items[j] = list->items[j - 1];
			list->items[j] = x;
		}
		return;
	}
	struct vf_finding *src = list->items, *dst = tmp;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = mid + width < n ? mid + width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = finding_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct vf_finding *t = src;
		src = dst;
		dst = t;
	}
	if (src != list->items)
		memcpy(list->items, src, n * sizeof(*src));
	free(tmp);
}

size_t vf_findings_count(const struct vf_findings *list, const char *property)
{
	size_t n = 0;
	for (size_t i = 0; i < list->cnt; i++)
		if (!property || strcmp(list->items[i].property, property) == 0)
			n++;
	return n;
}

void vf_findings_free(struct vf_findings *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->cnt; i++)
		finding_free(&list->items[i]);
	free(list->items);
	vf_findings_init(list);
}
