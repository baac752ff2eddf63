/* Names of Linux map types and CO-RE relocation kinds, for listings and messages. */
#include <stddef.h>

#include "bpfcheck/elf.h"

const char *elf_map_type_name(uint32_t type)
{
	static const char *const names[] = {"unspec",
	                                    "hash",
	                                    "array",
	                                    "prog_array",
	                                    "perf_event_array",
	                                    "percpu_hash",
	                                    "percpu_array",
	                                    "stack_trace",
	                                    "cgroup_array",
	                                    "lru_hash",
	                                    "lru_percpu_hash",
	                                    "lpm_trie",
	                                    "array_of_maps",
	                                    "hash_of_maps",
	                                    "devmap",
	                                    "sockmap",
	                                    "cpumap",
	                                    "xskmap",
	                                    "sockhash",
	                                    "cgroup_storage",
	                                    "reuseport_sockarray",
	                                    "percpu_cgroup_storage",
	                                    "queue",
	                                    "stack",
	                                    "sk_storage",
	                                    "devmap_hash",
	                                    "struct_ops",
	                                    "ringbuf",
	                                    "inode_storage",
	                                    "task_storage",
	                                    "bloom_filter",
	                                    "user_ringbuf",
	                                    "cgrp_storage",
	                                    "arena"};
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const char *elf_core_kind_name(uint32_t kind)
{
	static const char *const names[] = {
	    "field_byte_offset", "field_byte_size", "field_exists",   "field_signed", "field_lshift_u64",
	    "field_rshift_u64",  "type_id_local",   "type_id_target", "type_exists",  "type_size",
	    "enumval_exists",    "enumval_value",   "type_matches"};
	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}
