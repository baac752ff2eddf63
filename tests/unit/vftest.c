/* One harness for the verifier's tests: assemble, verify, summarise the findings. */
#include "vftest.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/asm.h"

struct vft_outcome vft_verify_asm(const char *type, const char *src, const struct bpfc_map *maps,
                                  size_t map_cnt, const struct vf_options *o, const char *prop)
{
	struct vft_outcome out;
	memset(&out, 0, sizeof(out));
	struct isa_slot *slots = NULL;
	size_t cnt = 0;
	struct bpfc_error err;
	int rc = isa_assemble(isa_table_default(), src, strlen(src), ISA_DIALECT_LLVM, "test", &slots, &cnt,
	                      NULL, &err);
	ck_assert_msg(rc == BPFC_OK, "assembly failed: %s", err.msg);
	struct bpfc_func func = {.name = "prog", .start = 0, .end = (uint32_t)cnt};
	struct bpfc_prog prog = {.name = "prog",
	                         .type = (char *)type,
	                         .insns = slots,
	                         .insn_cnt = cnt,
	                         .funcs = &func,
	                         .func_cnt = 1};
	struct vf_options defaults;
	if (!o) {
		vf_options_default(&defaults);
		o = &defaults;
	}
	struct vf_result res;
	rc = vf_verify(&prog, maps, map_cnt, o, &res, &err);
	ck_assert_msg(rc == BPFC_OK, "vf_verify failed: %s", err.msg);
	out.accepted = vf_result_accepted(&res);
	out.stats = res.stats;
	size_t used = 0;
	for (size_t i = 0; i < res.findings.cnt; i++) {
		const struct vf_finding *f = &res.findings.items[i];
		if (i == 0)
			snprintf(out.first, sizeof(out.first), "%s: %s", f->property, f->message);
		if (used < sizeof(out.all)) {
			int k = snprintf(out.all + used, sizeof(out.all) - used, " [%s insn %u: %s]",
			                 f->property, f->insn, f->message);
			if (k > 0)
				used += (size_t)k;
		}
		if (prop && strcmp(f->property, prop) == 0) {
			out.count++;
			out.warnings += f->severity == VF_SEV_WARNING;
		}
	}
	vf_result_free(&res);
	free(slots);
	return out;
}
