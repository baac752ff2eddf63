/* Verifying small assembly programs in tests: one harness for the verifier's Check runners. */
#ifndef BPFCHECK_VFTEST_H
#define BPFCHECK_VFTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "bpfcheck/verify.h"

struct vft_outcome {
	bool accepted;
	size_t count;     /* findings with the property asked for */
	size_t warnings;  /* of those, how many are warnings */
	char first[1024]; /* first finding, "ID: message" */
	char all[4096];   /* every finding, for failure messages */
	struct vf_stats stats;
};

/* Assembles src (LLVM dialect) as one function "prog" of the given program type, verifies it with
 * maps and options o (NULL: defaults) and counts the findings whose property is prop (may be NULL).
 * Fails the running test if the text does not assemble or vf_verify returns an error. */
struct vft_outcome vft_verify_asm(const char *type, const char *src, const struct bpfc_map *maps,
                                  size_t map_cnt, const struct vf_options *o, const char *prop);

#endif
