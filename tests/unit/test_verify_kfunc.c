/* kfunc calls (specs/verifier.md "kfuncs"): the ELF loader's BTF id on src=2 calls, the platform's
 * kfunc table, and one program per rule in tests/programs/kfunc_cases.c (each verdict checked
 * against Linux 6.18): the finding, its message and that one root cause gives one finding; raw
 * input, which names no kfunc, stays unsupported. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/btf.h"
#include "bpfcheck/input.h"
#include "bpfcheck/platform.h"
#include "bpfcheck/verify.h"
#include "testutil.h"
#include "vftest.h"

static struct bpfc_object *load(const char *name)
{
	char *path = tu_program_path(name);
	struct bpfc_input_opts io;
	memset(&io, 0, sizeof(io));
	struct bpfc_object *obj = NULL;
	struct bpfc_error err;
	ck_assert_msg(bpfc_input_load(path, &io, &obj, &err) == BPFC_OK, "%s: %s", name, err.msg);
	free(path);
	return obj;
}

struct outcome {
	bool accepted;
	size_t errors;
	char all[4096];
};

/* Verifies program prog of kfunc_cases.o; counts the errors and checks that every one has
 * property prop (NULL: none expected) and that the first holds text. */
static struct outcome verify_case(const char *prog, const char *prop, const char *text)
{
	struct outcome oc;
	memset(&oc, 0, sizeof(oc));
#if BPF_PROGRAMS_ENABLED
	struct bpfc_object *obj = load("kfunc_cases");
	const struct bpfc_prog *p = NULL;
	for (size_t i = 0; i < obj->prog_cnt; i++)
		if (strcmp(obj->progs[i].name, prog) == 0)
			p = &obj->progs[i];
	ck_assert_msg(p != NULL, "no program %s", prog);
	struct vf_options o;
	vf_options_default(&o);
	o.btf = obj->btf;
	struct vf_result res;
	struct bpfc_error err;
	ck_assert_msg(vf_verify(p, obj->maps, obj->map_cnt, &o, &res, &err) == BPFC_OK, "%s", err.msg);
	oc.accepted = vf_result_accepted(&res);
	size_t used = 0;
	for (size_t i = 0; i < res.findings.cnt; i++) {
		const struct vf_finding *f = &res.findings.items[i];
		if (f->severity != VF_SEV_ERROR)
			continue;
		oc.errors++;
		int k = snprintf(oc.all + used, sizeof(oc.all) - used, " [%s: %s]", f->property, f->message);
		if (k > 0 && (size_t)k < sizeof(oc.all) - used)
			used += (size_t)k;
	}
	for (size_t i = 0; i < res.findings.cnt; i++) {
		const struct vf_finding *f = &res.findings.items[i];
		if (f->severity == VF_SEV_ERROR)
			ck_assert_msg(prop && strcmp(f->property, prop) == 0, "%s: unexpected%s", prog,
			              oc.all);
	}
	if (text)
		ck_assert_msg(strstr(oc.all, text) != NULL, "%s: no '%s' in%s", prog, text, oc.all);
	vf_result_free(&res);
	bpfc_object_free(obj);
#else
	(void)prog;
	(void)prop;
	(void)text;
	oc.errors = 1;
#endif
	return oc;
}

START_TEST(elf_call_carries_btf_func)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	struct bpfc_object *obj = load("vf_pass_kfunc_task");
	ck_assert_ptr_nonnull(obj->btf);
	const struct bpfc_prog *p = &obj->progs[0];
	const char *want[] = {"bpf_task_from_pid", "bpf_task_acquire", "bpf_task_release",
	                      "bpf_task_release"};
	size_t n = 0;
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct isa_slot *s = &p->insns[i];
		if (s->opcode != 0x85 || s->src != 2)
			continue;
		ck_assert_int_gt(s->imm, 0);
		ck_assert_int_eq(btf_kind(obj->btf, (uint32_t)s->imm), BTF_K_FUNC);
		ck_assert_uint_lt(n, 4);
		ck_assert_str_eq(btf_name(obj->btf, (uint32_t)s->imm), want[n]);
		n++;
	}
	ck_assert_uint_eq(n, 4);
	bpfc_object_free(obj);
}
END_TEST

START_TEST(platform_table)
{
	const struct plat_platform *pl = plat_linux();
	ck_assert_ptr_nonnull(pl);
	ck_assert_uint_ge(plat_kfunc_count(pl), 8);
	const struct plat_kfunc *k = plat_kfunc_by_name(pl, "bpf_task_acquire");
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->flags, PLAT_KF_ACQUIRE | PLAT_KF_RCU | PLAT_KF_RET_NULL);
	ck_assert_int_eq(k->model, PLAT_KM_PROTOTYPE);
	ck_assert(plat_kfunc_allowed(k, plat_prog_type_by_name(pl, "xdp")));
	ck_assert(plat_kfunc_allowed(k, plat_prog_type_by_name(pl, "sched_cls")));
	ck_assert(!plat_kfunc_allowed(k, plat_prog_type_by_name(pl, "kprobe")));
	ck_assert(!plat_kfunc_allowed(k, NULL));
	k = plat_kfunc_by_name(pl, "bpf_iter_num_next");
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->model, PLAT_KM_ITER_NUM_NEXT);
	ck_assert(plat_kfunc_allowed(k, plat_prog_type_by_name(pl, "kprobe")));
	ck_assert(plat_kfunc_allowed(k, plat_prog_type_by_name(pl, "socket_filter")));
	ck_assert_ptr_null(plat_kfunc_by_name(pl, "bpf_cast_to_kern_ctx"));
	ck_assert_ptr_null(plat_kfunc_by_name(pl, "task_acquire")); /* the bpf_ prefix is part of it */
	ck_assert_ptr_null(plat_kfunc_by_name(pl, NULL));
	ck_assert_str_eq(plat_kfunc_flag_name(PLAT_KF_ITER_DESTROY), "KF_ITER_DESTROY");
	ck_assert_ptr_null(plat_kfunc_flag_name(3));
}
END_TEST

START_TEST(raw_kfunc_unsupported)
{
	struct vft_outcome oc =
	    vft_verify_asm("xdp", "call kfunc 5\nr0 = 0\nexit\n", NULL, 0, NULL, "VF-UNSUPPORTED");
	ck_assert_msg(!oc.accepted && oc.count == 1, "%s", oc.all);
	ck_assert_msg(strstr(oc.first, "names no FUNC of the object's BTF") != NULL, "%s", oc.first);
}
END_TEST

START_TEST(rcu)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	struct outcome oc = verify_case("rcu_unlock_only", "VF-RCU", "without a matching bpf_rcu_read_lock");
	ck_assert_msg(!oc.accepted && oc.errors == 1, "%s", oc.all);
	/* nesting is reported once: the inner unlock then matches */
	oc = verify_case("rcu_nested", "VF-RCU", "nested rcu read lock");
	ck_assert_msg(!oc.accepted && oc.errors == 1, "%s", oc.all);
	oc = verify_case("rcu_sleepable_helper", "VF-RCU", "bpf_copy_from_user (#148) might sleep");
	ck_assert_msg(!oc.accepted && oc.errors == 1, "%s", oc.all);
}
END_TEST

START_TEST(iterator_rules)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	struct outcome oc = verify_case("iter_double_new", "VF-HELPER-ARG", "already initialised");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	oc = verify_case("iter_next_uninit", "VF-HELPER-ARG", "holds no initialised struct bpf_iter_num");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	oc = verify_case("iter_write", "VF-READ-ONLY", "read-only memory");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	/* the number dies with its iterator (a scalar afterwards, as in Linux) */
	oc = verify_case("iter_use_after_destroy", "VF-INVALID-DEREF", "not a pointer");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	/* nested bpf_for loops: each bounded by its own iterator */
	oc = verify_case("iter_nested", NULL, NULL);
	ck_assert_msg(oc.accepted && oc.errors == 0, "%s", oc.all);
}
END_TEST

START_TEST(task_rules)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	struct outcome oc = verify_case("task_in_kprobe", "VF-HELPER-UNAVAILABLE",
	                                "kprobe programs cannot call kfunc bpf_task_from_pid");
	ck_assert_msg(oc.errors == 2, "%s", oc.all); /* from_pid and release: both unavailable */
	oc = verify_case("task_in_xdp", NULL, NULL);
	ck_assert_msg(oc.accepted, "%s", oc.all);
	/* released already: its copies are unusable, and nothing leaks */
	oc = verify_case("task_release_twice", "VF-HELPER-ARG", "trusted BTF pointer to struct task_struct");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	oc = verify_case("unmodelled", "VF-UNSUPPORTED",
	                 "kfunc bpf_cast_to_kern_ctx is not modelled by bpfcheck");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	oc = verify_case("cpumask_in_tc", "VF-HELPER-UNAVAILABLE",
	                 "sched_cls programs cannot call kfunc bpf_cpumask_create");
	ck_assert_msg(oc.errors == 2, "%s", oc.all);
	oc = verify_case("cpumask_after_release", "VF-HELPER-ARG",
	                 "must be a trusted BTF pointer to struct bpf_cpumask: unusable");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
	/* a trusted pointer the kernel holds may be acquired, not released */
	oc = verify_case("current_acquire", NULL, NULL);
	ck_assert_msg(oc.accepted, "%s", oc.all);
	oc = verify_case("current_release", "VF-REF-RELEASE", "r1 holds none (not acquired by the program)");
	ck_assert_msg(oc.errors == 1, "%s", oc.all);
}
END_TEST

START_TEST(prototype_must_be_linux)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	struct bpfc_object *obj = load("kfunc_badproto");
	struct vf_options o;
	vf_options_default(&o);
	o.btf = obj->btf;
	struct vf_result res;
	struct bpfc_error err;
	ck_assert(vf_verify(&obj->progs[0], obj->maps, obj->map_cnt, &o, &res, &err) == BPFC_OK);
	ck_assert(!vf_result_accepted(&res));
	ck_assert_uint_eq(res.findings.cnt, 1);
	ck_assert_str_eq(res.findings.items[0].property, "VF-UNSUPPORTED");
	ck_assert_msg(strstr(res.findings.items[0].message,
	                     "kfunc bpf_task_from_pid is declared with a prototype Linux does not have "
	                     "(Linux: struct task_struct * (int))") != NULL,
	              "%s", res.findings.items[0].message);
	vf_result_free(&res);
	bpfc_object_free(obj);
}
END_TEST

/* Each program of kfunc_progtypes.c: ok_* are accepted, no_* refused for their program type
 * (VF-HELPER-UNAVAILABLE, twice: from_pid and release), as Linux 6.18 does. */
START_TEST(program_types)
{
#if !BPF_PROGRAMS_ENABLED
	return;
#endif
	struct bpfc_object *obj = load("kfunc_progtypes");
	ck_assert_uint_eq(obj->prog_cnt, 18);
	for (size_t i = 0; i < obj->prog_cnt; i++) {
		const struct bpfc_prog *p = &obj->progs[i];
		struct vf_options o;
		vf_options_default(&o);
		o.btf = obj->btf;
		struct vf_result res;
		struct bpfc_error err;
		ck_assert_msg(vf_verify(p, obj->maps, obj->map_cnt, &o, &res, &err) == BPFC_OK, "%s",
		              err.msg);
		bool ok = strncmp(p->name, "ok_", 3) == 0;
		size_t unavailable = 0;
		for (size_t k = 0; k < res.findings.cnt; k++)
			if (strcmp(res.findings.items[k].property, "VF-HELPER-UNAVAILABLE") == 0)
				unavailable++;
		ck_assert_msg(vf_result_accepted(&res) == ok && unavailable == (ok ? 0u : 2u),
		              "%s (%s): accepted %d, %zu VF-HELPER-UNAVAILABLE", p->name,
		              p->type ? p->type : "?", vf_result_accepted(&res), unavailable);
		vf_result_free(&res);
	}
	bpfc_object_free(obj);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify_kfunc");
	TCase *tc = tcase_create("kfunc");
	tcase_add_test(tc, elf_call_carries_btf_func);
	tcase_add_test(tc, platform_table);
	tcase_add_test(tc, raw_kfunc_unsupported);
	tcase_add_test(tc, rcu);
	tcase_add_test(tc, iterator_rules);
	tcase_add_test(tc, task_rules);
	tcase_add_test(tc, program_types);
	tcase_add_test(tc, prototype_must_be_linux);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
