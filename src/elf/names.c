/* Names of CO-RE relocation kinds, for listings and messages. */
#include <stddef.h>

#include "bpfcheck/elf.h"

const char *elf_core_kind_name(uint32_t kind)
{
	static const char *const names[] = {
	    "field_byte_offset", "field_byte_size", "field_exists",   "field_signed", "field_lshift_u64",
	    "field_rshift_u64",  "type_id_local",   "type_id_target", "type_exists",  "type_size",
	    "enumval_exists",    "enumval_value",   "type_matches"};
	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}
