/* Verifying many inputs: directories expanded to their .o files, files loaded and programs
 * verified by a pool of threads, results gathered into one report in argument order, so the
 * output does not depend on scheduling. */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"

struct strvec {
	char **v;
	size_t n, cap;
};

static int strvec_push(struct strvec *s, const char *str)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		char **nv = realloc(s->v, cap * sizeof(char *));
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(str)))
		return -1;
	s->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_o(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && strcmp(name + n - 2, ".o") == 0;
}

/* Adds the .o files under dir, recursively, in name order; depth bounds symlink loops. */
static int expand_dir(const char *dir, struct strvec *out, int depth)
{
	if (depth > 32)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct strvec names = {0};
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (strvec_push(&names, e->d_name)) {
			rc = -2;
			break;
		}
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		size_t len = strlen(dir) + strlen(names.v[i]) + 2;
		char *path = malloc(len);
		if (!path) {
			rc = -2;
			break;
		}
		snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
		struct stat st;
		if (stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (expand_dir(path, out, depth + 1) == -2)
					rc = -2;
			} else if (S_ISREG(st.st_mode) && ends_with_o(names.v[i])) {
				if (strvec_push(out, path))
					rc = -2;
			}
		}
		free(path);
	}
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return rc;
}

struct file_job {
	const char *path;
	struct bpfc_object *obj;
	char *error; /* load error, or NULL */
	size_t first_prog;
};

struct prog_job {
	size_t file;
	size_t prog;
	struct vf_result res;
	bool ok;
	char *error;
};

struct pool {
	const struct report_run_opts *o;
	struct file_job *files;
	size_t file_cnt;
	struct prog_job *progs;
	size_t prog_cnt;
	size_t next; /* next job to take */
	size_t done;
	pthread_mutex_t lock;
};

static size_t take(struct pool *pl, size_t limit)
{
	pthread_mutex_lock(&pl->lock);
	size_t i = pl->next < limit ? pl->next++ : SIZE_MAX;
	pthread_mutex_unlock(&pl->lock);
	return i;
}

static void *load_worker(void *arg)
{
	struct pool *pl = arg;
	size_t i;
	while ((i = take(pl, pl->file_cnt)) != SIZE_MAX) {
		struct file_job *fj = &pl->files[i];
		struct bpfc_error err;
		if (bpfc_input_load(fj->path, &pl->o->input, &fj->obj, &err) != BPFC_OK) {
			fj->obj = NULL;
			fj->error = strdup(err.msg);
		} else if (fj->obj->prog_cnt == 0) {
			fj->error = strdup("no program in this file");
		}
	}
	return NULL;
}

struct trace_tramp {
	const struct report_run_opts *o;
	const struct bpfc_prog *prog;
};

static void trace_tramp(void *arg, uint32_t insn, const char *state)
{
	struct trace_tramp *t = arg;
	t->o->trace(t->o->trace_arg, t->prog, insn, state);
}

static void *verify_worker(void *arg)
{
	struct pool *pl = arg;
	size_t i;
	while ((i = take(pl, pl->prog_cnt)) != SIZE_MAX) {
		struct prog_job *pj = &pl->progs[i];
		const struct file_job *fj = &pl->files[pj->file];
		const struct bpfc_prog *p = &fj->obj->progs[pj->prog];
		struct vf_options vo = pl->o->verify;
		if (pl->o->input.prog_type)
			vo.prog_type = pl->o->input.prog_type;
		vo.btf = fj->obj->btf; /* NULL for raw/assembly input */
		struct trace_tramp tt = {pl->o, p};
		if (pl->o->trace) {
			vo.trace = trace_tramp;
			vo.trace_arg = &tt;
		}
		const struct bpfc_map *maps = fj->obj->map_cnt ? fj->obj->maps : pl->o->maps;
		size_t map_cnt = fj->obj->map_cnt ? fj->obj->map_cnt : pl->o->map_cnt;
		struct bpfc_error err;
		if (vf_verify(p, maps, map_cnt, &vo, &pj->res, &err) == BPFC_OK)
			pj->ok = true;
		else
			pj->error = strdup(err.msg);
		pthread_mutex_lock(&pl->lock);
		pl->done++;
		if (pl->o->progress)
			pl->o->progress(pl->o->progress_arg, pl->done, pl->prog_cnt);
		pthread_mutex_unlock(&pl->lock);
	}
	return NULL;
}

/* Runs fn on n threads (the caller's thread is one of them). */
static void run_pool(struct pool *pl, unsigned n, void *(*fn)(void *))
{
	pl->next = 0;
	pthread_t *th = n > 1 ? calloc(n - 1, sizeof(pthread_t)) : NULL;
	unsigned started = 0;
	for (unsigned t = 0; th && t + 1 < n; t++)
		if (pthread_create(&th[t], NULL, fn, pl) == 0)
			started++;
		else
			break;
	fn(pl);
	for (unsigned t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	free(th);
}

void report_run_opts_default(struct report_run_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	vf_options_default(&opts->verify);
}

int report_verify_many(const char *const *paths, size_t path_cnt, const struct report_run_opts *opts,
                       struct report **out, struct bpfc_error *err)
{
	*out = NULL;
	if (!paths || !path_cnt)
		return bpfc_error_set(err, BPFC_ERR_USAGE, "no input file");
	struct strvec files = {0};
	struct strvec dir_errors = {0}; /* directories that could not be listed */
	int rc = BPFC_OK;
	struct report *r = NULL;
	struct pool pl = {0};
	pl.o = opts;
	pthread_mutex_init(&pl.lock, NULL);
	/* files in argument order; a directory stands for its .o files */
	for (size_t i = 0; i < path_cnt; i++) {
		struct stat st;
		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			int e = expand_dir(paths[i], &files, 0);
			if (e == -2) {
				rc =
				    bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory listing %s", paths[i]);
				goto out;
			}
			if (e == -1 && strvec_push(&dir_errors, paths[i])) {
				rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
				goto out;
			}
		} else if (strvec_push(&files, paths[i])) {
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	pl.file_cnt = files.n;
	pl.files = calloc(files.n + 1, sizeof(*pl.files));
	if (!pl.files) {
		rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < files.n; i++)
		pl.files[i].path = files.v[i];
	unsigned jobs = opts->jobs;
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (unsigned)n : 1;
	}
	if (opts->trace)
		jobs = 1;
	run_pool(&pl, jobs < files.n ? jobs : (unsigned)(files.n ? files.n : 1), load_worker);
	for (size_t i = 0; i < files.n; i++) {
		pl.files[i].first_prog = pl.prog_cnt;
		if (!pl.files[i].error)
			pl.prog_cnt += pl.files[i].obj->prog_cnt;
	}
	pl.progs = calloc(pl.prog_cnt + 1, sizeof(*pl.progs));
	if (!pl.progs) {
		rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < files.n; i++)
		if (!pl.files[i].error)
			for (size_t k = 0; k < pl.files[i].obj->prog_cnt; k++) {
				struct prog_job *pj = &pl.progs[pl.files[i].first_prog + k];
				pj->file = i;
				pj->prog = k;
			}
	run_pool(&pl, jobs < pl.prog_cnt ? jobs : (unsigned)(pl.prog_cnt ? pl.prog_cnt : 1), verify_worker);
	rc = report_new(opts->plat, &r, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < dir_errors.n; i++)
		if (report_add_input(r, dir_errors.v[i], NULL, "cannot list this directory") < 0) {
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
			goto out;
		}
	for (size_t i = 0; i < files.n && rc == BPFC_OK; i++) {
		struct file_job *fj = &pl.files[i];
		long in = report_add_input(r, fj->path, fj->error ? NULL : fj->obj, fj->error);
		if (in < 0) {
			rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory");
			break;
		}
		if (fj->error)
			continue;
		for (size_t k = 0; k < fj->obj->prog_cnt && rc == BPFC_OK; k++) {
			struct prog_job *pj = &pl.progs[fj->first_prog + k];
			rc = report_add_program(r, (size_t)in, fj->obj, k, pj->ok ? &pj->res : NULL,
			                        pj->error, opts->input.isa, err);
		}
	}
out:
	for (size_t i = 0; i < pl.prog_cnt && pl.progs; i++) {
		if (pl.progs[i].ok)
			vf_result_free(&pl.progs[i].res);
		free(pl.progs[i].error);
	}
	free(pl.progs);
	for (size_t i = 0; i < pl.file_cnt && pl.files; i++) {
		bpfc_object_free(pl.files[i].obj);
		free(pl.files[i].error);
	}
	free(pl.files);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	for (size_t i = 0; i < dir_errors.n; i++)
		free(dir_errors.v[i]);
	free(dir_errors.v);
	pthread_mutex_destroy(&pl.lock);
	if (rc) {
		report_free(r);
		return rc;
	}
	*out = r;
	return BPFC_OK;
}
