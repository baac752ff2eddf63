/* Reading the Linux kernel's raw verifier tests as JSON lines (one test per line: hex slots, program
 * type number, the kernel's verdicts, map fixups) into a program and maps vf_verify() can check.
 * Used by the corpus-linux-raw measurement tool and its unit test; not part of libbpfcheck. */
#ifndef BPFCHECK_CORPUS_LINUX_RAW_PARSE_H
#define BPFCHECK_CORPUS_LINUX_RAW_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"
#include "bpfcheck/prog.h"

/* The kernel harness's verdict codes (test_verifier.c: ACCEPT, REJECT, VERBOSE_ACCEPT). */
enum lr_verdict { LR_UNDEF = 0, LR_ACCEPT = 1, LR_REJECT = 2, LR_VERBOSE_ACCEPT = 3 };

/* Most distinct fixup kinds one test may name (the kernel has 23). */
#define LR_MAX_MAPS 8

struct lr_test {
	int64_t id;
	char *descr;
	uint32_t prog_type; /* enum bpf_prog_type as in the corpus (0: the harness loads socket_filter) */
	int result;         /* enum lr_verdict, privileged load */
	int result_unpriv;  /* enum lr_verdict, LR_UNDEF: same as result */
	char *errstr;       /* expected substrings of the kernel's log (tab-separated), "" if none */
	char *errstr_unpriv;
	uint32_t flags;
	bool fill;              /* generated at run time by the kernel's harness: no slots */
	struct isa_slot *insns; /* decoded, fixups applied */
	size_t insn_cnt;
	struct bpfc_map maps[LR_MAX_MAPS]; /* one per fixup kind, in the order of the JSON object */
	const char *map_kinds[LR_MAX_MAPS];
	size_t map_cnt;
};

/* Decodes one 16-hex-digit token "<opcode:2><src:1><dst:1><offset:4><imm:8>" into *out.
 * BPFC_ERR_INPUT (message quotes the token) for a wrong length or a non-hex digit. */
int lr_decode_slot(const char *tok, size_t len, struct isa_slot *out, struct bpfc_error *err);

/* The map the kernel's harness creates for fixup kind ("fixup_map_hash_8b"): fills *out (name NULL;
 * the kptr map's special fields in out->fields, malloc'd: the caller frees them, lr_test_free does)
 * and returns the kind's name in static storage, or NULL when the kind is not modelled (or out of
 * memory). */
const char *lr_fixup_map(const char *kind, struct bpfc_map *out);

/* Points the lddw at insns[idx] to maps[map_idx]: src 1 (map fd) becomes 5 (map_by_idx), src 2 (map
 * value) becomes 6 (map_val_by_idx, the offset in the second slot is kept), imm = map_idx.
 * BPFC_ERR_INPUT when idx is out of range or the slot is not a map lddw with its second slot. */
int lr_rewrite_fixup(struct isa_slot *insns, size_t insn_cnt, int64_t idx, uint32_t map_idx,
                     struct bpfc_error *err);

/* Parses one corpus line (len bytes, need not be NUL-terminated) into *out (free with lr_test_free;
 * *out is zeroed first and is empty after an error). Decodes the slots and applies the fixups.
 * BPFC_ERR_INPUT for malformed JSON, a missing or mistyped field or bad hex; BPFC_ERR_UNSUPPORTED
 * for a fixup kind that is not modelled (out->id and descr are then still filled). */
int lr_parse_line(const char *line, size_t len, struct lr_test *out, struct bpfc_error *err);

/* Frees what lr_parse_line allocated and zeroes *t. Ignores NULL. */
void lr_test_free(struct lr_test *t);

/* bpftool name of the program type the kernel's harness loads for a corpus prog_type number
 * (0 is loaded as socket_filter), or NULL when the platform does not know it. */
const char *lr_prog_type_name(uint32_t prog_type);

/* Does the kernel's harness also run this test unprivileged (socket_filter and cgroup_skb)? */
bool lr_runs_unprivileged(const struct lr_test *t);

#endif
