/* The error record: one place that formats messages, so every module reports the same way. */
#include "bpfcheck/error.h"

#include <stdarg.h>
#include <stdio.h>

int bpfc_error_set(struct bpfc_error *err, enum bpfc_err code, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void bpfc_error_clear(struct bpfc_error *err)
{
	if (!err)
		return;
	err->code = BPFC_OK;
	err->msg[0] = '\0';
}

const char *bpfc_err_name(enum bpfc_err code)
{
	switch (code) {
	case BPFC_OK: return "ok";
	case BPFC_ERR_INPUT: return "input";
	case BPFC_ERR_USAGE: return "usage";
	case BPFC_ERR_IO: return "io";
	case BPFC_ERR_NOMEM: return "nomem";
	case BPFC_ERR_UNSUPPORTED: return "unsupported";
	case BPFC_ERR_LIMIT: return "limit";
	}
	return "unknown";
}
