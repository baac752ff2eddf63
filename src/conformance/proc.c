/* Running an external runtime (a bpf_conformance plugin) as a child process with a deadline: its
 * standard input is fed without blocking, its output captured with a cap, and its whole process
 * group killed when the deadline passes, so a runtime that hangs never hangs the runner. The
 * child's stdin is a socket so a runtime that exits without reading cannot raise SIGPIPE in us. */
#define _GNU_SOURCE /* asprintf, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpfcheck/conformance.h"

#define OUT_CAP (1u << 20)

struct capture {
	char *data;
	size_t len, cap;
	int fd;
};

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what is available; returns false at end of file or error (the fd is then closed). */
static bool capture_read(struct capture *c)
{
	char buf[4096];
	ssize_t n = read(c->fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return false;
	}
	size_t take = (size_t)n;
	if (take > OUT_CAP - c->len)
		take = OUT_CAP - c->len; /* past the cap the output is drained and dropped */
	if (take && c->cap - c->len <= take) {
		size_t ncap = c->cap ? c->cap : 1024;
		while (ncap - c->len <= take)
			ncap *= 2;
		char *nd = realloc(c->data, ncap);
		if (!nd)
			return true; /* keep draining; the text is just shorter */
		c->data = nd;
		c->cap = ncap;
	}
	if (take && c->cap - c->len > take) {
		memcpy(c->data + c->len, buf, take);
		c->len += take;
		c->data[c->len] = '\0';
	}
	return true;
}

static char *capture_take(struct capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (!c->data)
		return strdup("");
	return c->data;
}

/* Only async-signal-safe calls between fork and exec: argv is built before the fork. */
static void child_exec(char *const *argv, int in_fd, int out_fd, int err_fd)
{
	setpgid(0, 0);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(127);
	execv("/bin/sh", argv);
	_exit(127);
}

/* sh -c 'exec COMMAND "$@"' bpfcheck-runtime ARGS...: the command keeps its own quoting. */
static char **build_argv(const char *command, char *const *args, char **script)
{
	size_t n = 0;
	while (args && args[n])
		n++;
	if (asprintf(script, "exec %s \"$@\"", command) < 0)
		return NULL;
	char **argv = calloc(n + 5, sizeof(*argv));
	if (!argv) {
		free(*script);
		return NULL;
	}
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = *script;
	argv[3] = "bpfcheck-runtime";
	for (size_t i = 0; i < n; i++)
		argv[4 + i] = args[i];
	return argv;
}

int bpfc_conf_proc_run(const char *command, char *const *args, const char *stdin_text, double timeout_sec,
                       struct bpfc_conf_proc_result *res, struct bpfc_error *err)
{
	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	char *script = NULL;
	char **argv = build_argv(command, args, &script);
	if (!argv)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory starting '%s'", command);
	int in_sv[2] = {-1, -1}, out_p[2] = {-1, -1}, err_p[2] = {-1, -1};
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_sv) < 0 || pipe2(out_p, O_CLOEXEC) < 0 ||
	    pipe2(err_p, O_CLOEXEC) < 0) {
		int e = errno;
		for (int i = 0; i < 2; i++) {
			if (in_sv[i] >= 0)
				close(in_sv[i]);
			if (out_p[i] >= 0)
				close(out_p[i]);
			if (err_p[i] >= 0)
				close(err_p[i]);
		}
		free(argv);
		free(script);
		return bpfc_error_set(err, BPFC_ERR_IO, "cannot create pipes for '%s': %s", command,
		                      strerror(e));
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in_sv[0]);
		close(in_sv[1]);
		close(out_p[0]);
		close(out_p[1]);
		close(err_p[0]);
		close(err_p[1]);
		free(argv);
		free(script);
		return bpfc_error_set(err, BPFC_ERR_IO, "cannot start '%s': %s", command, strerror(e));
	}
	if (pid == 0)
		child_exec(argv, in_sv[1], out_p[1], err_p[1]);
	free(argv);
	free(script);
	setpgid(pid, pid); /* also from the parent, so the group exists before any kill */
	close(in_sv[1]);
	close(out_p[1]);
	close(err_p[1]);
	int in_fd = in_sv[0];
	fcntl(in_fd, F_SETFL, O_NONBLOCK);
	struct capture out = {.fd = out_p[0]}, errc = {.fd = err_p[0]};
	const char *to_write = stdin_text ? stdin_text : "";
	size_t left = strlen(to_write);
	if (left == 0) {
		close(in_fd);
		in_fd = -1;
	}
	double deadline = now_sec() + (timeout_sec > 0 ? timeout_sec : 10.0);

	while (out.fd >= 0 || errc.fd >= 0) {
		double remain = deadline - now_sec();
		if (remain <= 0) {
			res->timed_out = true;
			break;
		}
		struct pollfd fds[3];
		int nfds = 0, i_out = -1, i_err = -1, i_in = -1;
		if (out.fd >= 0) {
			i_out = nfds;
			fds[nfds++] = (struct pollfd){.fd = out.fd, .events = POLLIN};
		}
		if (errc.fd >= 0) {
			i_err = nfds;
			fds[nfds++] = (struct pollfd){.fd = errc.fd, .events = POLLIN};
		}
		if (in_fd >= 0) {
			i_in = nfds;
			fds[nfds++] = (struct pollfd){.fd = in_fd, .events = POLLOUT};
		}
		int ms = (int)(remain * 1000) + 1;
		int rc = poll(fds, (nfds_t)nfds, ms);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0)
			continue;
		if (i_in >= 0 && fds[i_in].revents) {
			ssize_t n = send(in_fd, to_write, left, MSG_NOSIGNAL);
			if (n > 0) {
				to_write += n;
				left -= (size_t)n;
			}
			if (left == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				shutdown(in_fd, SHUT_WR);
				close(in_fd);
				in_fd = -1;
			}
		}
		if (i_out >= 0 && fds[i_out].revents)
			capture_read(&out);
		if (i_err >= 0 && fds[i_err].revents)
			capture_read(&errc);
	}
	if (in_fd >= 0)
		close(in_fd);
	int status = 0;
	if (res->timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else {
		/* output closed: the child is exiting; still bound the wait by the deadline */
		for (;;) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				break;
			if (w < 0 && errno != EINTR)
				break;
			if (now_sec() >= deadline) {
				res->timed_out = true;
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				break;
			}
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
	}
	if (!res->timed_out && WIFEXITED(status))
		res->exit_code = WEXITSTATUS(status);
	res->out = capture_take(&out);
	res->err = capture_take(&errc);
	if (!res->out || !res->err) {
		bpfc_conf_proc_result_free(res);
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory capturing the output of '%s'",
		                      command);
	}
	return BPFC_OK;
}

void bpfc_conf_proc_result_free(struct bpfc_conf_proc_result *r)
{
	if (!r)
		return;
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
