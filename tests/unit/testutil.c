/* Test helpers: the CLI is run as a child process so exit codes and output are tested as a user sees them. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n < 2) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

/* Temporary files made by this process, removed when it exits: Check runs each test in a forked
 * child, so every process removes only the files it created itself. */
#define TU_MAX_TEMPS 256
static char *temps[TU_MAX_TEMPS];
static size_t temp_cnt;
static pid_t temp_owner;

static void remove_temps(void)
{
	if (temp_owner != getpid())
		return;
	for (size_t i = 0; i < temp_cnt; i++) {
		unlink(temps[i]);
		free(temps[i]);
	}
	temp_cnt = 0;
}

static void remember_temp(const char *path)
{
	if (temp_owner != getpid()) {
		/* a forked child inherits the parent's list: those files are the parent's to remove */
		if (temp_owner == 0)
			atexit(remove_temps);
		temp_owner = getpid();
		temp_cnt = 0;
	}
	char *copy = strdup(path);
	if (copy && temp_cnt < TU_MAX_TEMPS)
		temps[temp_cnt++] = copy;
	else
		free(copy);
}

char *tu_write_temp(const void *data, size_t len, const char *suffix)
{
	char tmpl[256];
	const char *dir = getenv("TMPDIR");
	snprintf(tmpl, sizeof(tmpl), "%s/bpfcheck-test-XXXXXX%s", dir && *dir ? dir : "/tmp",
	         suffix ? suffix : "");
	int fd = mkstemps(tmpl, suffix ? (int)strlen(suffix) : 0);
	if (fd < 0)
		return NULL;
	remember_temp(tmpl);
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w <= 0) {
			close(fd);
			return NULL;
		}
		p += w;
		len -= (size_t)w;
	}
	close(fd);
	return strdup(tmpl);
}

char *tu_program_path(const char *name)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s/programs/%s.o", BPFCHECK_TEST_BUILD_DIR, name);
	return strdup(buf);
}

struct tu_result tu_run_cli(const char *const *args, const char *stdin_text)
{
	struct tu_result r = {-1, NULL, NULL};
	char out_path[] = "/tmp/bpfcheck-out-XXXXXX", err_path[] = "/tmp/bpfcheck-err-XXXXXX";
	int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
	char *in_path = stdin_text ? tu_write_temp(stdin_text, strlen(stdin_text), ".in") : NULL;
	size_t n = 0;
	while (args[n])
		n++;
	const char **argv = calloc(n + 2, sizeof(*argv));
	argv[0] = BPFCHECK_CLI;
	memcpy(argv + 1, args, n * sizeof(*argv));
	pid_t pid = fork();
	if (pid == 0) {
		int in_fd = open(in_path ? in_path : "/dev/null", O_RDONLY);
		dup2(in_fd, 0);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execv(BPFCHECK_CLI, (char *const *)argv);
		_exit(127);
	}
	int status = 0;
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r.exit_code = WEXITSTATUS(status);
	close(out_fd);
	close(err_fd);
	r.out = tu_read_file(out_path, NULL);
	r.err = tu_read_file(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	if (in_path) {
		unlink(in_path);
		free(in_path);
	}
	free(argv);
	return r;
}

void tu_result_free(struct tu_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int tu_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
