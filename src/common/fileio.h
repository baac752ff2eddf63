/* Whole-file reading with a size cap, shared by every input reader. Internal header. */
#ifndef BPFCHECK_FILEIO_H
#define BPFCHECK_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"

/* Reads all of path ("-" is standard input) into a new NUL-terminated buffer (*buf, freed with
 * free(); *len excludes the NUL). Fails with BPFC_ERR_LIMIT past max_bytes, BPFC_ERR_IO otherwise. */
int bpfc_read_file(const char *path, size_t max_bytes, uint8_t **buf, size_t *len, struct bpfc_error *err);

#endif
