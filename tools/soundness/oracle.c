/* The soundness oracle (oracle.h): bpfcheck's verdict against concrete runs in the interpreter. */
#include "oracle.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bpfcheck/interp.h"
#include "bpfcheck/verify.h"
#include "progen.h"

/* Virtual addresses the interpreter gives the map and its values (outside its reserved ranges). */
#define MAP_HANDLE 0x200000000ull
#define MAP_VALUES 0x100000000ull
/* Each value is its own region, far from the next, so an overrun of any entry faults. */
#define VALUE_STRIDE 0x1000ull
#define PKT_ADDR 0x08000000ull

struct run_ctx {
	uint64_t rng;
	uint8_t values[PG_MAP_VALUE * PG_MAP_ENTRIES];
	char bad[256]; /* a helper argument bpfcheck should have refused */
};

static int lddw_cb(void *ctx, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value)
{
	(void)ctx;
	if (imm != 0)
		return 1;
	if (src == 1 || src == 5) {
		*value = MAP_HANDLE;
		return 0;
	}
	if (src == 2 || src == 6) {
		*value = MAP_VALUES + (uint64_t)(int64_t)next_imm;
		return 0;
	}
	return 1;
}

static int helper_cb(void *ctx, const struct isa_interp_call *call, uint64_t *ret, char *msg, size_t msg_len)
{
	struct run_ctx *rc = ctx;
	if (call->kind != ISA_CALL_HELPER) {
		snprintf(msg, msg_len, "harness: call kind %d not modelled", (int)call->kind);
		return 1;
	}
	switch (call->id) {
	case 1:   /* bpf_map_lookup_elem(map, key) */
	case 2: { /* bpf_map_update_elem(map, key, value, flags) */
		if (call->args[0] != MAP_HANDLE) {
			snprintf(rc->bad, sizeof(rc->bad),
			         "helper %" PRId64 ": r1 = 0x%" PRIx64 " is not the map", call->id,
			         call->args[0]);
			snprintf(msg, msg_len, "%s", rc->bad);
			return 1;
		}
		const uint8_t *key = isa_interp_mem_ptr(call->vm, call->args[1], PG_MAP_KEY, false);
		if (!key) {
			snprintf(rc->bad, sizeof(rc->bad),
			         "helper %" PRId64 ": key r2 = 0x%" PRIx64 " is not %d readable bytes",
			         call->id, call->args[1], PG_MAP_KEY);
			snprintf(msg, msg_len, "%s", rc->bad);
			return 1;
		}
		uint32_t k;
		memcpy(&k, key, sizeof(k));
		if (call->id == 2) {
			if (!isa_interp_mem_ptr(call->vm, call->args[2], PG_MAP_VALUE, false)) {
				snprintf(rc->bad, sizeof(rc->bad),
				         "helper 2: value r3 = 0x%" PRIx64 " is not %d readable bytes",
				         call->args[2], PG_MAP_VALUE);
				snprintf(msg, msg_len, "%s", rc->bad);
				return 1;
			}
			*ret = k < PG_MAP_ENTRIES ? 0 : (uint64_t)-7; /* -E2BIG */
			return 0;
		}
		*ret = k < PG_MAP_ENTRIES ? MAP_VALUES + (uint64_t)k * VALUE_STRIDE : 0;
		return 0;
	}
	case 5: *ret = pg_rand(&rc->rng); return 0;           /* bpf_ktime_get_ns */
	case 7: *ret = (uint32_t)pg_rand(&rc->rng); return 0; /* bpf_get_prandom_u32 */
	default: snprintf(msg, msg_len, "harness: helper %" PRId64 " not modelled", call->id); return 1;
	}
}

#define POISON_A 0x5a17c3e94b2d8f61ull
#define POISON_B 0xc4e1a2b3d5f60718ull

/* One concrete run and what it left behind. */
struct one_run {
	struct isa_interp_result res;
	uint8_t values[PG_MAP_VALUE * PG_MAP_ENTRIES];
	uint8_t pkt[64];
	char bad[256];
};

/* Runs the program once on the context, packet and helper results of (seed, r), with the given
 * poison; false (and out filled) when the harness itself failed. */
static bool run_once(const struct isa_slot *insns, size_t cnt, enum pg_type type, uint64_t seed, unsigned r,
                     uint64_t poison, struct one_run *o, struct or_outcome *out)
{
	struct run_ctx rc = {.rng = seed * 1000003u + r};
	uint8_t ctx[PG_CTX_SIZE];
	size_t ctx_len = type == PG_XDP ? PG_XDP_CTX_SIZE : PG_CTX_SIZE;
	for (size_t i = 0; i < sizeof(ctx); i++)
		ctx[i] = (uint8_t)pg_rand(&rc.rng);
	if (r == 0)
		memset(ctx, 0, sizeof(ctx));
	/* xdp: the packet lies at a 32-bit address, so the u32 context fields data / data_end /
	 * data_meta hold real addresses of the interpreter's memory; its length varies per run */
	static const uint32_t pkt_lens[] = {0, 64, 14, 1, 20, 34, 8, 40, 63, 4};
	uint32_t pkt_len = pkt_lens[r % (sizeof(pkt_lens) / sizeof(pkt_lens[0]))];
	for (size_t i = 0; i < sizeof(o->pkt); i++)
		o->pkt[i] = (uint8_t)pg_rand(&rc.rng);
	if (type == PG_XDP) {
		uint32_t data = (uint32_t)PKT_ADDR, end = data + pkt_len;
		memcpy(ctx + 0, &data, 4);
		memcpy(ctx + 4, &end, 4);
		memcpy(ctx + 8, &data, 4); /* data_meta: no metadata */
	}
	struct isa_interp_region region[PG_MAP_ENTRIES + 1];
	for (unsigned e = 0; e < PG_MAP_ENTRIES; e++)
		region[e] = (struct isa_interp_region){.addr = MAP_VALUES + e * VALUE_STRIDE,
		                                       .data = rc.values + e * PG_MAP_VALUE,
		                                       .len = PG_MAP_VALUE,
		                                       .writable = true,
		                                       .name = "a value of map 'm'"};
	size_t nreg = PG_MAP_ENTRIES;
	if (type == PG_XDP && pkt_len)
		region[nreg++] = (struct isa_interp_region){
		    .addr = PKT_ADDR, .data = o->pkt, .len = pkt_len, .writable = true, .name = "the packet"};
	struct isa_interp_opts io = {.max_insns = 2000000,
	                             .readonly_mem = true,
	                             .regions = region,
	                             .region_count = nreg,
	                             .helper = helper_cb,
	                             .helper_ctx = &rc,
	                             .lddw = lddw_cb,
	                             .poison = poison};
	struct bpfc_error err;
	if (isa_interp_exec(insns, cnt, ctx, ctx_len, &io, &o->res, &err) != BPFC_OK) {
		out->verdict = OR_HARNESS;
		snprintf(out->what, sizeof(out->what), "interpreter failed: %s", err.msg);
		return false;
	}
	memcpy(o->values, rc.values, sizeof(o->values));
	memcpy(o->bad, rc.bad, sizeof(o->bad));
	return true;
}

/* A run's fault, if any, judged: true when there is none (the caller goes on). */
static bool judge_fault(const struct one_run *o, unsigned r, struct or_outcome *out)
{
	const struct isa_interp_result *ir = &o->res;
	if (ir->fault == ISA_FAULT_NONE)
		return true;
	if (ir->fault == ISA_FAULT_BUDGET) {
		out->verdict = OR_BUDGET;
		snprintf(out->what, sizeof(out->what), "run %u: %s", r, ir->msg);
	} else if (ir->fault == ISA_FAULT_HELPER && !o->bad[0]) {
		out->verdict = OR_HARNESS;
		snprintf(out->what, sizeof(out->what), "run %u: %s", r, ir->msg);
	} else {
		out->verdict = OR_UNSOUND;
		snprintf(out->what, sizeof(out->what), "run %u: %s fault at insn %zu: %s", r,
		         isa_interp_fault_name(ir->fault), ir->insn_idx, ir->msg);
	}
	return false;
}

void or_check(const struct isa_slot *insns, size_t cnt, enum pg_type type, unsigned runs, uint64_t seed,
              struct or_outcome *out)
{
	memset(out, 0, sizeof(*out));
	struct bpfc_func func = {.name = "prog", .start = 0, .end = (uint32_t)cnt};
	struct bpfc_prog prog = {.name = "prog",
	                         .type = type == PG_XDP ? "xdp" : "kprobe",
	                         .insns = (struct isa_slot *)insns,
	                         .insn_cnt = cnt,
	                         .funcs = &func,
	                         .func_cnt = 1};
	struct bpfc_map map = {.name = "m",
	                       .type = PG_MAP_TYPE,
	                       .key_size = PG_MAP_KEY,
	                       .value_size = PG_MAP_VALUE,
	                       .max_entries = PG_MAP_ENTRIES,
	                       .inner_map = -1};
	struct vf_options opts;
	vf_options_default(&opts);
	opts.witness_findings = VF_WITNESS_OFF; /* paths do not change verdicts; the search costs time */
	struct vf_result res;
	struct bpfc_error err;
	if (vf_verify(&prog, &map, 1, &opts, &res, &err) != BPFC_OK) {
		out->verdict = OR_HARNESS;
		snprintf(out->what, sizeof(out->what), "vf_verify failed: %s", err.msg);
		return;
	}
	bool accepted = vf_result_accepted(&res);
	bool uninit_stack_warned = vf_findings_count(&res.findings, "VF-UNINIT-STACK") > 0;
	out->first_insn = UINT32_MAX;
	for (size_t i = 0; i < res.findings.cnt; i++)
		if (res.findings.items[i].severity == VF_SEV_ERROR) {
			snprintf(out->first_finding, sizeof(out->first_finding), "%s insn %u",
			         res.findings.items[i].property, res.findings.items[i].insn);
			out->first_insn = res.findings.items[i].insn;
			break;
		}
	vf_result_free(&res);
	if (!accepted) {
		out->verdict = OR_REJECTED;
		return;
	}
	out->verdict = OR_SAFE;
	for (unsigned r = 0; r < runs; r++) {
		/* twice, with different values wherever the verifier says nothing is initialised: an
		 * accepted program must not tell the two apart (unless it was warned about reading
		 * uninitialised stack bytes, which privileged Linux allows) */
		struct one_run a, b;
		if (!run_once(insns, cnt, type, seed, r, POISON_A, &a, out) ||
		    !run_once(insns, cnt, type, seed, r, POISON_B, &b, out))
			return;
		if (!judge_fault(&a, r, out))
			return;
		if (uninit_stack_warned)
			continue;
		const char *diff = a.res.fault != b.res.fault || a.res.insn_idx != b.res.insn_idx
		                       ? "the outcome"
		                   : a.res.r0 != b.res.r0                         ? "r0"
		                   : memcmp(a.values, b.values, sizeof(a.values)) ? "the map values"
		                   : memcmp(a.pkt, b.pkt, sizeof(a.pkt))          ? "the packet"
		                                                                  : NULL;
		if (diff) {
			out->verdict = OR_UNSOUND;
			snprintf(
			    out->what, sizeof(out->what),
			    "run %u: %s depends on uninitialised registers or stack (r0 0x%llx vs 0x%llx, "
			    "ended at insn %zu vs %zu)",
			    r, diff, (unsigned long long)a.res.r0, (unsigned long long)b.res.r0,
			    a.res.insn_idx, b.res.insn_idx);
			return;
		}
	}
}
