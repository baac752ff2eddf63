/* The CLI's subcommands. Each runs with argv[0] = its own name and returns the process exit
 * code: 0 accepted/conforming, 1 findings or rejected, 2 usage or input error. */
#ifndef BPFCHECK_CLI_COMMANDS_H
#define BPFCHECK_CLI_COMMANDS_H

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_list(int argc, char **argv);
int cmd_isa(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_conformance(int argc, char **argv);
int cmd_plugin(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* The table of subcommands, ended by a NULL name (cli/main.c). */
extern const struct cli_command cli_commands[];

#endif
