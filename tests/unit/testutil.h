/* Helpers shared by the Check runners: running the CLI, temporary files, reading files. */
#ifndef BPFCHECK_TESTUTIL_H
#define BPFCHECK_TESTUTIL_H

#include <check.h>
#include <stddef.h>

struct tu_result {
	int exit_code; /* the CLI's exit status, or -1 if it did not exit normally */
	char *out;     /* everything it printed on stdout (NUL-terminated, freed by tu_result_free) */
	char *err;     /* everything it printed on stderr */
};

/* Runs the bpfcheck CLI with the given arguments (NULL-terminated argv without argv[0]),
 * optional standard input text (NULL: /dev/null), and captures output and exit code. */
struct tu_result tu_run_cli(const char *const *args, const char *stdin_text);
void tu_result_free(struct tu_result *r);

/* Writes len bytes to a new temporary file whose name ends with suffix; returns its path
 * (static storage per call slot is not used: free() the result). */
char *tu_write_temp(const void *data, size_t len, const char *suffix);

/* Reads a whole file; NULL if it cannot. *len may be NULL. */
char *tu_read_file(const char *path, size_t *len);

/* Path of a compiled test program tests/programs/NAME.c -> build/tests/programs/NAME.o (free()). */
char *tu_program_path(const char *name);

/* Runs every test of s with Check's normal output and frees the runner (and with it s).
 * Returns EXIT_SUCCESS when every test passed, EXIT_FAILURE otherwise: a runner's main returns it. */
int tu_run_suite(Suite *s);

#endif
