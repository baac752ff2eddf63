/* Witness search: after the analysis, a path from the entry on which a finding's check fails,
 * found by running the engine's own transfer functions on single, never-joined states. Replaces
 * the finding's "one path to the merged state" when found. See specs/verifier.md, "Finding
 * paths". */
#ifndef BPFCHECK_VERIFIER_WITNESS_H
#define BPFCHECK_VERIFIER_WITNESS_H

#include <stddef.h>

#include "verifier/engine.h"

#define VF_WITNESS_PATH_KEEP 32        /* decisions kept in a finding: the last ones */
#define VF_WITNESS_MAX_FRONTIER 1024   /* states waiting to be run, per search */
#define VF_WITNESS_MAX_MEM (64u << 20) /* bytes of states held, per search */

/* For the error findings of A->findings from index `first` on whose path is VF_PATH_MERGED, in
 * the order they were found and at most A->opts->witness_findings of them (0: the default,
 * VF_WITNESS_OFF: none): searches a witness path within A->opts->witness_steps instructions
 * (0: the default) and, when found, makes it the finding's path (VF_PATH_WITNESS). Findings
 * without a witness keep their path. Reports nothing; A's flags are left as they were. */
void vf_witness_search(struct vf_actx *A, size_t first);

#endif
