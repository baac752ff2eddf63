/* Temporary until the ELF loader lands: ELF objects are recognised and reported as unsupported. */
#include <string.h>

#include "bpfcheck/elf.h"

int elf_is_elf(const uint8_t *data, size_t len)
{
	return len >= 4 && memcmp(data, "\177ELF", 4) == 0;
}

int elf_load_object(const char *path, const uint8_t *data, size_t len, const struct bpfc_elf_opts *opts,
                    struct bpfc_object **out, struct bpfc_error *err)
{
	(void)data;
	(void)len;
	(void)opts;
	*out = NULL;
	return bpfc_error_set(err, BPFC_ERR_UNSUPPORTED, "%s: ELF objects are not supported yet", path);
}
