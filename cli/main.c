/* bpfcheck: dispatch to a subcommand. No analysis logic lives in the CLI. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("bpfcheck %s\n", BPFCHECK_VERSION);
	return EXIT_OK;
}

const struct cli_command cli_commands[] = {
    {"verify", cmd_verify, "check that programs are safe to load (the default command)"},
    {"compare", cmd_compare, "compare two JSON reports of bpfcheck verify (verdicts, findings, statistics)"},
    {"isa", cmd_isa, "check every instruction against the ISA (RFC 9669) and list the groups used"},
    {"disasm", cmd_disasm, "disassemble programs (with source lines when available)"},
    {"list", cmd_list, "list the programs, maps and externs of eBPF ELF objects"},
    {"run", cmd_run, "execute a program on the reference interpreter and print r0"},
    {"conformance", cmd_conformance, "run (or generate) a bpf_conformance suite against a runtime"},
    {"plugin", cmd_plugin, "the reference interpreter as a bpf_conformance plugin"},
    {"version", cmd_version, "print the version"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfcheck <command> [options] FILE...\n\ncommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fprintf(f, "\n'bpfcheck <command> --help' describes a command's options.\n"
	           "exit codes: 0 accepted/conforming, 1 findings, 2 usage or input error\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(argc - 1, argv + 1);
	if (argv[1][0] != '-' && access(argv[1], F_OK) == 0)
		return cmd_verify(argc, argv); /* "bpfcheck FILE...": verify is the default */
	fprintf(stderr, "bpfcheck: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
