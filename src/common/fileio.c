/* Whole-file reading: one bounded loop instead of one per input format. */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bpfc_read_file(const char *path, size_t max_bytes, uint8_t **buf, size_t *len, struct bpfc_error *err)
{
	*buf = NULL;
	*len = 0;
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return bpfc_error_set(err, BPFC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	uint8_t *data = NULL;
	size_t n = 0, cap = 0;
	int rc = BPFC_OK;
	for (;;) {
		if (cap - n < 2) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nd = realloc(data, ncap);
			if (!nd) {
				rc = bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
				break;
			}
			data = nd;
			cap = ncap;
		}
		size_t got = fread(data + n, 1, cap - n - 1, f);
		n += got;
		if (n > max_bytes) {
			rc = bpfc_error_set(err, BPFC_ERR_LIMIT, "%s: larger than the %zu-byte input limit",
			                    path, max_bytes);
			break;
		}
		if (got == 0) {
			if (ferror(f))
				rc = bpfc_error_set(err, BPFC_ERR_IO, "%s: read error: %s", path,
				                    strerror(errno));
			break;
		}
	}
	if (!is_stdin)
		fclose(f);
	if (rc) {
		free(data);
		return rc;
	}
	if (!data && !(data = malloc(1)))
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "%s: out of memory", path);
	data[n] = 0;
	*buf = data;
	*len = n;
	return BPFC_OK;
}
