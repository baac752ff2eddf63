/* Ownership of loaded objects: one place that allocates and frees programs and maps. */
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/prog.h"

static char *dup_or_null(const char *s, int *fail)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

struct bpfc_object *bpfc_object_new(const char *path)
{
	struct bpfc_object *obj = calloc(1, sizeof(*obj));
	if (!obj)
		return NULL;
	obj->path = strdup(path ? path : "");
	if (!obj->path) {
		free(obj);
		return NULL;
	}
	return obj;
}

struct bpfc_prog *bpfc_object_add_prog(struct bpfc_object *obj, const char *name, const char *section,
                                       const char *type, struct isa_slot *insns, size_t insn_cnt)
{
	struct bpfc_prog *progs = realloc(obj->progs, (obj->prog_cnt + 1) * sizeof(*progs));
	if (!progs)
		return NULL;
	obj->progs = progs;
	struct bpfc_prog *p = &progs[obj->prog_cnt];
	memset(p, 0, sizeof(*p));
	int fail = 0;
	p->name = dup_or_null(name ? name : "", &fail);
	p->section = dup_or_null(section, &fail);
	p->type = dup_or_null(type, &fail);
	if (fail) {
		free(p->name);
		free(p->section);
		free(p->type);
		return NULL;
	}
	p->insns = insns;
	p->insn_cnt = insn_cnt;
	obj->prog_cnt++;
	return p;
}

int bpfc_object_add_map(struct bpfc_object *obj, const struct bpfc_map *map)
{
	struct bpfc_map *maps = realloc(obj->maps, (obj->map_cnt + 1) * sizeof(*maps));
	if (!maps)
		return -1;
	obj->maps = maps;
	struct bpfc_map *m = &maps[obj->map_cnt];
	*m = *map;
	int fail = 0;
	m->init = NULL;
	m->init_cnt = 0;
	m->name = dup_or_null(map->name ? map->name : "", &fail);
	m->data = NULL;
	m->data_known = NULL;
	m->fields = NULL;
	m->field_cnt = 0;
	if (map->fields && map->field_cnt) {
		m->fields = malloc(map->field_cnt * sizeof(*m->fields));
		if (m->fields) {
			memcpy(m->fields, map->fields, map->field_cnt * sizeof(*m->fields));
			m->field_cnt = map->field_cnt;
		} else {
			fail = 1;
		}
	}
	if (map->data && map->data_known) {
		m->data_known = malloc(map->value_size ? map->value_size : 1);
		if (m->data_known)
			memcpy(m->data_known, map->data_known, map->value_size);
		else
			fail = 1;
	}
	if (map->data) {
		m->data = malloc(map->value_size ? map->value_size : 1);
		if (m->data)
			memcpy(m->data, map->data, map->value_size);
		else
			fail = 1;
	}
	if (fail) {
		free(m->name);
		free(m->data);
		free(m->data_known);
		free(m->fields);
		return -1;
	}
	return (int)obj->map_cnt++;
}

void bpfc_object_free(struct bpfc_object *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		struct bpfc_prog *p = &obj->progs[i];
		free(p->name);
		free(p->section);
		free(p->type);
		free(p->insns);
		free(p->lines);
		for (size_t f = 0; f < p->func_cnt; f++)
			free(p->funcs[f].name);
		free(p->funcs);
	}
	free(obj->progs);
	for (size_t i = 0; i < obj->map_cnt; i++) {
		free(obj->maps[i].name);
		free(obj->maps[i].data);
		free(obj->maps[i].data_known);
		for (size_t k = 0; k < obj->maps[i].init_cnt; k++)
			free(obj->maps[i].init[k].name);
		free(obj->maps[i].init);
		free(obj->maps[i].fields);
	}
	free(obj->maps);
	free(obj->license);
	if (obj->priv_free)
		obj->priv_free(obj->priv);
	free(obj->path);
	free(obj);
}

const char *bpfc_field_kind_name(enum bpfc_field_kind kind)
{
	switch (kind) {
	case BPFC_FIELD_KPTR_UNTRUSTED:
	case BPFC_FIELD_KPTR_REF: return "kptr";
	case BPFC_FIELD_KPTR_PERCPU: return "percpu_kptr";
	case BPFC_FIELD_SPIN_LOCK: return "bpf_spin_lock";
	case BPFC_FIELD_TIMER: return "bpf_timer";
	case BPFC_FIELD_WQ: return "bpf_wq";
	case BPFC_FIELD_LIST_HEAD: return "bpf_list_head";
	case BPFC_FIELD_LIST_NODE: return "bpf_list_node";
	case BPFC_FIELD_RB_ROOT: return "bpf_rb_root";
	case BPFC_FIELD_RB_NODE: return "bpf_rb_node";
	case BPFC_FIELD_REFCOUNT: return "bpf_refcount";
	}
	return "?";
}

const struct bpfc_map_field *bpfc_map_field_overlap(const struct bpfc_map *m, int64_t lo, int64_t hi)
{
	if (!m || !m->fields)
		return NULL;
	for (size_t i = 0; i < m->field_cnt; i++) {
		const struct bpfc_map_field *f = &m->fields[i];
		if (lo < (int64_t)f->offset + (int64_t)f->size && (int64_t)f->offset < hi)
			return f;
	}
	return NULL;
}
