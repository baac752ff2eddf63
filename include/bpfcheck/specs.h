/* The files under specs/ (JSON), embedded in the library at build time. */
#ifndef BPFCHECK_SPECS_H
#define BPFCHECK_SPECS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Text of specs/<name> (e.g. "platforms/linux/helpers.json"), NUL-terminated, or NULL if the
 * build embedded no such file. *len (if not NULL) gets its length. */
const char *bpfc_spec_text(const char *name, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
