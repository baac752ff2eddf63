/* Special fields of map values and BTF pointers (specs/verifier.md "Special fields in map
 * values"): for each kptr, spin lock and timer rule a small program (LLVM assembly, maps whose
 * fields are given by hand) rejected with its property, and near misses that pass; and the ELF
 * loader finding the fields in a compiled program's BTF. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/elf.h"
#include "bpfcheck/verify.h"
#include "testutil.h"
#include "vftest.h"

/* map 0 "kv" (array, 48-byte value): bytes 0-7 data, an untrusted kptr to struct foo (16 bytes)
 * at 8, referenced kptrs to foo at 16 and to struct bar (8 bytes) at 24, a bpf_timer at 32.
 * map 1 "locked": a spin lock at 4 of a 16-byte value. map 2 "raw": no BTF (fields unknown). */
static struct bpfc_map_field kv_fields[] = {
    {.kind = BPFC_FIELD_KPTR_UNTRUSTED, .offset = 8, .size = 8, .kptr_struct = "foo", .kptr_size = 16},
    {.kind = BPFC_FIELD_KPTR_REF, .offset = 16, .size = 8, .kptr_struct = "foo", .kptr_size = 16},
    {.kind = BPFC_FIELD_KPTR_REF, .offset = 24, .size = 8, .kptr_struct = "bar", .kptr_size = 8},
    {.kind = BPFC_FIELD_TIMER, .offset = 32, .size = 16},
};
static struct bpfc_map_field pcpu_fields[] = {
    {.kind = BPFC_FIELD_KPTR_PERCPU, .offset = 0, .size = 8, .kptr_struct = "foo", .kptr_size = 16},
    {.kind = BPFC_FIELD_KPTR_REF, .offset = 8, .size = 8, .kptr_struct = "foo", .kptr_size = 16},
};
static struct bpfc_map_field lock_fields[] = {{.kind = BPFC_FIELD_SPIN_LOCK, .offset = 4, .size = 4}};

static struct vft_outcome run(const char *src, const char *prop)
{
	struct bpfc_map maps[4] = {
	    {.name = "kv",
	     .type = 2,
	     .key_size = 4,
	     .value_size = 48,
	     .max_entries = 1,
	     .inner_map = -1,
	     .fields = kv_fields,
	     .field_cnt = 4,
	     .fields_known = true},
	    {.name = "locked",
	     .type = 2,
	     .key_size = 4,
	     .value_size = 16,
	     .max_entries = 1,
	     .inner_map = -1,
	     .fields = lock_fields,
	     .field_cnt = 1,
	     .fields_known = true},
	    {.name = "raw", .type = 1, .key_size = 4, .value_size = 48, .max_entries = 4, .inner_map = -1},
	    {.name = "pcpu",
	     .type = 2,
	     .key_size = 4,
	     .value_size = 16,
	     .max_entries = 1,
	     .inner_map = -1,
	     .fields = pcpu_fields,
	     .field_cnt = 2,
	     .fields_known = true},
	};
	return vft_verify_asm("sched_cls", src, maps, 4, NULL, prop);
}

#define REJECT(src, prop)                                                                                    \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(src, prop);                                                     \
		ck_assert_msg(!oc_.accepted && oc_.count == 1, "expected one %s rejection, got%s", prop,     \
		              oc_.all);                                                                      \
	} while (0)
#define PASS(src)                                                                                            \
	do {                                                                                                 \
		struct vft_outcome oc_ = run(src, NULL);                                                     \
		ck_assert_msg(oc_.accepted, "expected acceptance, got%s", oc_.all);                          \
	} while (0)

/* r6 = the value of map N (key 0 at fp-4), NULL-checked */
#define LOOKUP(n)                                                                                            \
	"r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map_by_idx(" #n ") ll\ncall 1\n"           \
	"if r0 != 0 goto +2\nr0 = 0\nexit\nr6 = r0\n"
#define RET0 "r0 = 0\nexit\n"
/* r7 = the untrusted kptr at 8, NULL-checked */
#define LOAD_UNTRUSTED LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +N\n"

START_TEST(kptr_loads)
{
	/* load, NULL check, read inside struct foo */
	PASS(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +1\nr0 = *(u32 *)(r7 + 12)\n" RET0);
	PASS(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +1\nr0 = *(u64 *)(r7 + 8)\n" RET0);
	/* a referenced kptr may be loaded too (untrusted, may be NULL) */
	PASS(LOOKUP(0) "r7 = *(u64 *)(r6 + 24)\nif r7 == 0 goto +1\nr0 = *(u64 *)(r7 + 0)\n" RET0);
	/* no NULL check */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nr0 = *(u32 *)(r7 + 0)\n" RET0, "VF-NULL-DEREF");
	/* past the struct (16 bytes), negative, variable offset */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +1\nr0 = *(u64 *)(r7 + 12)\n" RET0,
	       "VF-INVALID-DEREF");
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 24)\nif r7 == 0 goto +1\nr0 = *(u64 *)(r7 + 8)\n" RET0,
	       "VF-INVALID-DEREF");
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +1\nr0 = *(u8 *)(r7 - 1)\n" RET0,
	       "VF-INVALID-DEREF");
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +4\nr1 = *(u32 *)(r6 + 0)\nr1 &= 7\n"
	                 "r7 += r1\nr0 = *(u8 *)(r7 + 0)\n" RET0,
	       "VF-INVALID-DEREF");
	/* a constant added first is fine */
	PASS(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +2\nr7 += 4\nr0 = *(u32 *)(r7 + 8)\n" RET0);
	/* arithmetic before the NULL check */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nr7 += 4\n" RET0, "VF-POINTER-ARITH");
	/* kernel structs are read-only */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +2\nr1 = 1\n*(u32 *)(r7 + 0) = r1\n" RET0,
	       "VF-READ-ONLY");
	/* not as helper memory */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +4\nr1 = map_by_idx(2) ll\nr2 = r7\n"
	                 "call 1\n" RET0,
	       "VF-HELPER-ARG");
}
END_TEST

START_TEST(kptr_field_access)
{
	/* 8 bytes at the field's offset only */
	REJECT(LOOKUP(0) "r0 = *(u32 *)(r6 + 8)\n" RET0, "VF-MAP-FIELD");
	REJECT(LOOKUP(0) "r0 = *(u64 *)(r6 + 4)\n" RET0, "VF-MISALIGNED");
	REJECT(LOOKUP(0) "r6 += 1\nr0 = *(u64 *)(r6 + 8)\n" RET0, "VF-MISALIGNED");
	PASS(LOOKUP(0) "r6 += 1\nr0 = *(u64 *)(r6 + 7)\n" RET0);
	PASS(LOOKUP(0) "r6 += 4\nr0 = *(u32 *)(r6 - 4)\n" RET0);
	/* a variable offset that may reach a kptr; one that stays in the data bytes is fine */
	REJECT(LOOKUP(0) "r1 = *(u32 *)(r6 + 0)\nr1 &= 8\nr6 += r1\nr0 = *(u64 *)(r6 + 0)\n" RET0,
	       "VF-MAP-FIELD");
	PASS(LOOKUP(0) "r1 = *(u32 *)(r6 + 0)\nr1 &= 4\nr6 += r1\nr0 = *(u32 *)(r6 + 0)\n" RET0);
	/* stores into the untrusted kptr: NULL, or a pointer to the same struct */
	PASS(LOOKUP(0) "*(u64 *)(r6 + 8) = 0\n" RET0);
	PASS(LOOKUP(0) "r1 = 0\n*(u64 *)(r6 + 8) = r1\n" RET0);
	PASS(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\n*(u64 *)(r6 + 8) = r7\n" RET0);
	REJECT(LOOKUP(0) "*(u64 *)(r6 + 8) = 1\n" RET0, "VF-MAP-FIELD");
	REJECT(LOOKUP(0) "*(u64 *)(r6 + 8) = r6\n" RET0, "VF-MAP-FIELD");
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\nif r7 == 0 goto +2\nr7 += 4\n*(u64 *)(r6 + 8) = r7\n" RET0,
	       "VF-MAP-FIELD");
	/* a pointer to struct bar (from the kptr at 24) into the kptr to foo */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 24)\n*(u64 *)(r6 + 8) = r7\n" RET0, "VF-MAP-FIELD");
	/* a pointer stored into the plain bytes is only a leak (a warning for root) */
	PASS(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\n*(u64 *)(r6 + 0) = r7\n" RET0);
	/* referenced kptrs: never stored directly */
	REJECT(LOOKUP(0) "*(u64 *)(r6 + 16) = 0\n" RET0, "VF-MAP-FIELD");
	REJECT(LOOKUP(0) "r1 = 0\n*(u64 *)(r6 + 16) = r1\n" RET0, "VF-MAP-FIELD");
	/* no atomics */
	REJECT(LOOKUP(0) "r1 = 1\nlock *(u64 *)(r6 + 8) += r1\n" RET0, "VF-MAP-FIELD");
	/* helpers may not touch a kptr */
	REJECT(LOOKUP(0) "r1 = map_by_idx(2) ll\nr2 = r6\nr2 += 6\ncall 1\n" RET0, "VF-HELPER-ARG");
	PASS(LOOKUP(0) "r1 = map_by_idx(2) ll\nr2 = r6\nr2 += 4\ncall 1\n" RET0);
}
END_TEST

START_TEST(other_fields)
{
	/* a timer is not loaded or stored */
	REJECT(LOOKUP(0) "r0 = *(u64 *)(r6 + 40)\n" RET0, "VF-MAP-FIELD");
	REJECT(LOOKUP(0) "*(u32 *)(r6 + 32) = 0\n" RET0, "VF-MAP-FIELD");
	PASS(LOOKUP(0) "r0 = *(u64 *)(r6 + 0)\n" RET0);
	/* the spin lock: not loaded, not helper memory */
	REJECT(LOOKUP(1) "r0 = *(u32 *)(r6 + 4)\n" RET0, "VF-LOCK");
	REJECT(LOOKUP(1) "r1 = map_by_idx(2) ll\nr2 = r6\nr2 += 2\ncall 1\n" RET0, "VF-LOCK");
	PASS(LOOKUP(1) "r1 = map_by_idx(2) ll\nr2 = r6\nr2 += 8\ncall 1\n" RET0);
	/* its offset comes from the fields: another one is refused */
	PASS(LOOKUP(1) "r1 = r6\nr1 += 4\ncall 93\nr1 = r6\nr1 += 4\ncall 94\n" RET0);
	REJECT(LOOKUP(1) "r1 = r6\ncall 93\nr1 = r6\ncall 94\n" RET0, "VF-LOCK");
	/* a map without known fields: any 8-byte load */
	PASS(LOOKUP(2) "r0 = *(u32 *)(r6 + 8)\n" RET0);
}
END_TEST

/* r0 = bpf_kptr_xchg(r6 + OFF, r2) */
#define XCHG(off, src) "r1 = r6\nr1 += " #off "\nr2 = " src "\ncall 194\n"

START_TEST(kptr_xchg)
{
	/* what comes out is acquired: dropping it leaks, a NULL check releases the NULL */
	REJECT(LOOKUP(0) XCHG(16, "0") RET0, "VF-REF-LEAK");
	REJECT(LOOKUP(0) XCHG(16, "0") "if r0 == 0 goto +1\nr1 = *(u32 *)(r0 + 0)\n" RET0, "VF-REF-LEAK");
	/* put back: the first reference moves into the map, the one that comes out leaks (the second call,
	 * insn 19) */
	struct vft_outcome oc =
	    run(LOOKUP(0) XCHG(16, "0") "if r0 == 0 goto +5\nr1 = r6\nr1 += 16\nr2 = r0\ncall 194\n" RET0,
	        "VF-REF-LEAK");
	ck_assert_msg(!oc.accepted && oc.count == 1 && strstr(oc.all, "instruction 19"), "put back:%s",
	              oc.all);
	/* the pointer moved into the map is gone */
	REJECT(LOOKUP(0) XCHG(16, "0") "if r0 == 0 goto +7\nr7 = r0\nr1 = r6\nr1 += 16\nr2 = r0\ncall 194\n"
	                               "r0 = *(u32 *)(r7 + 0)\n" RET0,
	       "VF-INVALID-DEREF");
	/* the destination: a referenced kptr, at a constant offset, in a map value */
	REJECT(LOOKUP(0) XCHG(8, "0") RET0, "VF-HELPER-ARG");
	REJECT(LOOKUP(0) XCHG(0, "0") RET0, "VF-HELPER-ARG");
	REJECT(LOOKUP(0) "r1 = *(u32 *)(r6 + 0)\nr1 &= 8\nr1 += r6\nr1 += 16\nr2 = 0\ncall 194\n" RET0,
	       "VF-HELPER-ARG");
	REJECT(LOOKUP(2) XCHG(16, "0") RET0, "VF-HELPER-ARG");
	REJECT("r1 = r10\nr1 += -8\nr2 = 0\ncall 194\n" RET0, "VF-HELPER-ARG");
	/* the source: an acquired pointer to the same struct, not an untrusted one */
	REJECT(LOOKUP(0) "r7 = *(u64 *)(r6 + 8)\n" XCHG(16, "r7") RET0, "VF-HELPER-ARG");
	oc = run(LOOKUP(0) XCHG(24, "0") "if r0 == 0 goto +5\nr1 = r6\nr1 += 16\nr2 = r0\ncall 194\n" RET0,
	         "VF-HELPER-ARG");
	ck_assert_msg(!oc.accepted && oc.count == 1 && strstr(oc.all, "expected=ptr_foo"), "bar into foo:%s",
	              oc.all);
}
END_TEST

START_TEST(percpu_kptrs)
{
	/* a per-CPU kptr is not read through directly, loaded or exchanged; nor stored */
	REJECT(LOOKUP(3) "r7 = *(u64 *)(r6 + 0)\nif r7 == 0 goto +1\nr0 = *(u32 *)(r7 + 0)\n" RET0,
	       "VF-INVALID-DEREF");
	PASS(LOOKUP(3) "r7 = *(u64 *)(r6 + 0)\nif r7 == 0 goto +0\n" RET0);
	REJECT(LOOKUP(3) "*(u64 *)(r6 + 0) = 0\n" RET0, "VF-MAP-FIELD");
	REJECT(LOOKUP(3) XCHG(0, "0") "if r0 == 0 goto +1\nr1 = *(u32 *)(r0 + 0)\n" RET0, "VF-INVALID-DEREF");
	/* nor stored into an untrusted kptr of the same struct; a plain one may be */
	REJECT(LOOKUP(3) "r7 = *(u64 *)(r6 + 0)\n" LOOKUP(0) "*(u64 *)(r6 + 8) = r7\n" RET0, "VF-MAP-FIELD");
	PASS(LOOKUP(3) "r7 = *(u64 *)(r6 + 8)\n" LOOKUP(0) "*(u64 *)(r6 + 8) = r7\n" RET0);
	/* what comes out of the plain kptr does not go into the per-CPU one */
	REJECT(LOOKUP(3) XCHG(8, "0") "if r0 == 0 goto +5\nr1 = r6\nr1 += 0\nr2 = r0\ncall 194\n" RET0,
	       "VF-HELPER-ARG");
}
END_TEST

START_TEST(helper_btf_pointers)
{
	/* bpf_skc_to_tcp_sock: a socket in, a BTF pointer to struct tcp_sock or NULL out */
	PASS("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +2\ncall 137\nif r0 == 0 goto +0\n" RET0);
	/* the NULL check is needed, and without BTF the layout of tcp_sock is unknown */
	REJECT("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +2\ncall 137\nr0 = *(u32 *)(r0 + 0)\n" RET0,
	       "VF-NULL-DEREF");
	REJECT("r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +3\ncall 137\nif r0 == 0 goto +1\n"
	       "r0 = *(u32 *)(r0 + 0)\n" RET0,
	       "VF-UNSUPPORTED");
	/* reading kernel structs needs privileges */
	struct vf_options up;
	vf_options_default(&up);
	up.privileged = false;
	struct bpfc_map nomaps[1];
	memset(nomaps, 0, sizeof(nomaps));
	struct vft_outcome uo = vft_verify_asm("sched_cls",
	                                       "r1 = *(u64 *)(r1 + 168)\nif r1 == 0 goto +3\ncall 137\n"
	                                       "if r0 == 0 goto +1\nr0 = *(u32 *)(r0 + 0)\n" RET0,
	                                       nomaps, 0, &up, "VF-INVALID-DEREF");
	ck_assert_msg(!uo.accepted && uo.count == 1, "unprivileged:%s", uo.all);
	/* not a socket */
	REJECT(LOOKUP(0) "r1 = r6\ncall 137\n" RET0, "VF-HELPER-ARG");
	/* bpf_get_current_task_btf gives a trusted task_struct that bpf_task_pt_regs takes */
	struct vft_outcome oc;
	struct bpfc_map none[1];
	memset(none, 0, sizeof(none));
	oc = vft_verify_asm("kprobe", "call 158\nr1 = r0\ncall 175\n" RET0, none, 0, NULL, NULL);
	ck_assert_msg(oc.accepted, "task_pt_regs:%s", oc.all);
	oc = vft_verify_asm("kprobe", "r1 = r10\nr1 += -8\ncall 175\n" RET0, none, 0, NULL, "VF-HELPER-ARG");
	ck_assert_msg(!oc.accepted && oc.count == 1, "task_pt_regs(stack):%s", oc.all);
	/* an untrusted task (a kptr load) is refused */
	oc = run(LOOKUP(0) "r1 = *(u64 *)(r6 + 8)\nif r1 == 0 goto +1\ncall 175\n" RET0, "VF-HELPER-ARG");
	ck_assert_msg(oc.count >= 1, "untrusted:%s", oc.all);
}
END_TEST

static struct bpfc_object *load(const char *name)
{
	char *path = tu_program_path(name);
	size_t len = 0;
	char *data = tu_read_file(path, &len);
	ck_assert_msg(data != NULL, "%s missing", path);
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	struct bpfc_elf_opts eo = {0};
	ck_assert_msg(elf_load_object(path, (const uint8_t *)data, len, &eo, &obj, &err) == BPFC_OK, "%s",
	              err.msg);
	free(data);
	free(path);
	return obj;
}

START_TEST(elf_fields)
{
	struct bpfc_object *obj = load("vf_pass_kptr_untrusted");
	const struct bpfc_map *m = NULL;
	for (size_t i = 0; i < obj->map_cnt; i++)
		if (strcmp(obj->maps[i].name, "tasks") == 0)
			m = &obj->maps[i];
	ck_assert_ptr_nonnull(m);
	ck_assert(m->fields_known);
	ck_assert_uint_eq(m->field_cnt, 2);
	ck_assert_int_eq(m->fields[0].kind, BPFC_FIELD_KPTR_UNTRUSTED);
	ck_assert_uint_eq(m->fields[0].offset, 8);
	ck_assert_str_eq(m->fields[0].kptr_struct, "task_struct");
	ck_assert_uint_eq(m->fields[0].kptr_size, 8);
	ck_assert_int_eq(m->fields[1].kind, BPFC_FIELD_KPTR_REF);
	ck_assert_uint_eq(m->fields[1].offset, 16);
	bpfc_object_free(obj);
	/* a spin lock found the same way (and global data without fields) */
	obj = load("vf_pass_spin_lock");
	size_t locks = 0;
	for (size_t i = 0; i < obj->map_cnt; i++)
		for (size_t k = 0; k < obj->maps[i].field_cnt; k++)
			locks += obj->maps[i].fields[k].kind == BPFC_FIELD_SPIN_LOCK;
	ck_assert_uint_eq(locks, 1);
	bpfc_object_free(obj);
	/* arrays, nested structs, a typedef (not a field), global data (.data) */
	obj = load("elf_mapfields");
	const struct bpfc_map *vals = NULL, *data = NULL;
	for (size_t i = 0; i < obj->map_cnt; i++) {
		if (strcmp(obj->maps[i].name, "vals") == 0)
			vals = &obj->maps[i];
		if (strcmp(obj->maps[i].name, ".data") == 0)
			data = &obj->maps[i];
	}
	ck_assert_ptr_nonnull(vals);
	ck_assert_ptr_nonnull(data);
	static const struct {
		enum bpfc_field_kind kind;
		uint32_t off, size;
	} want[] = {{BPFC_FIELD_KPTR_UNTRUSTED, 8, 8},
	            {BPFC_FIELD_KPTR_UNTRUSTED, 16, 8},
	            {BPFC_FIELD_SPIN_LOCK, 28, 4},
	            {BPFC_FIELD_TIMER, 32, 16},
	            {BPFC_FIELD_KPTR_REF, 56, 8}};
	ck_assert_msg(vals->field_cnt == 5, "%zu fields", vals->field_cnt);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(vals->fields[i].kind, want[i].kind);
		ck_assert_uint_eq(vals->fields[i].offset, want[i].off);
		ck_assert_uint_eq(vals->fields[i].size, want[i].size);
	}
	ck_assert_str_eq(vals->fields[4].kptr_struct, "task_struct");
	ck_assert(data->fields_known);
	ck_assert_uint_eq(data->field_cnt, 1);
	ck_assert_int_eq(data->fields[0].kind, BPFC_FIELD_SPIN_LOCK);
	ck_assert_uint_eq(data->fields[0].offset, 8); /* after __u64 counter (symbol value) */
	/* lookups of the overlap helper */
	ck_assert_ptr_eq(bpfc_map_field_overlap(vals, 0, 8), NULL);
	ck_assert_ptr_eq(bpfc_map_field_overlap(vals, 7, 9), &vals->fields[0]);
	ck_assert_ptr_eq(bpfc_map_field_overlap(vals, 48, 52), NULL);
	ck_assert_str_eq(bpfc_field_kind_name(vals->fields[3].kind), "bpf_timer");
	bpfc_object_free(obj);
}
END_TEST

START_TEST(cli_list_fields)
{
	char *p = tu_program_path("elf_mapfields");
	const char *args[] = {"list", "--verbose", p, NULL};
	struct tu_result r = tu_run_cli(args, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strstr(r.out, "field 8      kptr_untrusted 8 bytes -> struct task_struct (defined)"),
	              "%s", r.out);
	ck_assert_msg(strstr(r.out, "field 32     bpf_timer      16 bytes\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "field 56     kptr           8 bytes"), "%s", r.out);
	tu_result_free(&r);
	/* without --verbose: no field lines */
	const char *args2[] = {"list", p, NULL};
	r = tu_run_cli(args2, NULL);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_null(strstr(r.out, "field "));
	tu_result_free(&r);
	free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify_kptr");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, kptr_loads);
	tcase_add_test(tc, kptr_field_access);
	tcase_add_test(tc, other_fields);
	tcase_add_test(tc, kptr_xchg);
	tcase_add_test(tc, percpu_kptrs);
	tcase_add_test(tc, helper_btf_pointers);
	tcase_add_test(tc, elf_fields);
	tcase_add_test(tc, cli_list_fields);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
