/* Library-wide error codes and the error record every fallible function fills. */
#ifndef BPFCHECK_ERROR_H
#define BPFCHECK_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum bpfc_err {
	BPFC_OK = 0,
	BPFC_ERR_INPUT,       /* malformed or unsupported input file/contents */
	BPFC_ERR_USAGE,       /* caller passed invalid arguments/options */
	BPFC_ERR_IO,          /* reading or writing a file failed */
	BPFC_ERR_NOMEM,       /* allocation failed */
	BPFC_ERR_UNSUPPORTED, /* valid input that this version cannot handle */
	BPFC_ERR_LIMIT,       /* a configured limit was reached */
};

struct bpfc_error {
	enum bpfc_err code;
	char msg[1024];
};

/* Records code and a printf-style message in err (err may be NULL); returns code. */
int bpfc_error_set(struct bpfc_error *err, enum bpfc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears err to BPFC_OK with an empty message (err may be NULL). */
void bpfc_error_clear(struct bpfc_error *err);

/* Stable lower-case name of an error code ("input", "usage", ...). */
const char *bpfc_err_name(enum bpfc_err code);

#ifdef __cplusplus
}
#endif
#endif
