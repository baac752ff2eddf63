/* PREVAIL's assembly (the LLVM syntax plus forms of its own: <label> targets, assume, "w1 <<= r2",
 * "r2 s8= r1", "123ll", swapN, "lock ... x=/cx=/fetch", "&==", map_fd/map_val/mva) rewritten to the
 * LLVM syntax isa_assemble() reads, and the growing strings that carries. Used by corpus-prevail
 * and its unit test; not part of libbpfcheck. See specs/measurements.md. */
#ifndef BPFCHECK_CORPUS_PREVAIL_TRANSLATE_H
#define BPFCHECK_CORPUS_PREVAIL_TRANSLATE_H

#include <stdbool.h>
#include <stddef.h>

/* A growing NUL-terminated string (p is NULL while empty). Allocation failure ends the tool. */
struct pv_sb {
	char *p;
	size_t len, cap;
};

/* Prints "out of memory" and exits with status 2 (these are command-line tools). */
void pv_die_nomem(void);

/* Append n bytes / a string / formatted text to b. */
void pv_sb_addn(struct pv_sb *b, const char *s, size_t n);
void pv_sb_add(struct pv_sb *b, const char *s);
void pv_sb_addf(struct pv_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Called with the name of each PREVAIL-only form a line used ("assume COND ..."). */
typedef void (*pv_form_fn)(void *ctx, const char *form);

/* Rewrites one line of a PREVAIL block into out as one or more LLVM-syntax lines ending in '\n'
 * (nothing for an empty or comment-only line). `assume COND` becomes a jump over a jump to the label
 * L__sink, numbered by *assume_n; <name> becomes L_name. form_fn (may be NULL) hears each rewrite.
 * Forms with no eBPF encoding (&!=, "w2 s32= r2") are passed through and fail to assemble. */
void pv_translate_line(const char *in, struct pv_sb *out, int *assume_n, pv_form_fn form_fn, void *form_ctx);

/* Can the last instruction of text fall through (it is not exit or goto, or text ends with a
 * label)? True for empty text. */
bool pv_falls_through(const char *text);

#endif
