/* The ISA validator: every rule id triggered by a hand-made slot and a near miss that is not,
 * all findings reported in slot order, messages, groups and their gates. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/validate.h"
#include "testutil.h"

#define S(op, d, s, o, i)                                                                                    \
	{                                                                                                    \
		.opcode = (op), .dst = (d), .src = (s), .off = (o), .imm = (i)                               \
	}
#define EXIT S(0x95, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct isa_validation v;
static char msg[2048];

static void run_opts(const struct isa_slot *s, size_t n, const struct isa_validate_opts *o)
{
	struct bpfc_error err;
	ck_assert_int_eq(isa_validate(s, n, o, &v, &err), BPFC_OK);
}

static void run(const struct isa_slot *s, size_t n)
{
	run_opts(s, n, NULL);
}

/* Asserts exactly one finding, with this check at this slot, whose message contains needle. */
static void expect_one(enum isa_check check, size_t insn, const char *needle)
{
	ck_assert_uint_eq(v.finding_total, 1);
	ck_assert_uint_eq(v.finding_cnt, 1);
	ck_assert_str_eq(isa_check_id((enum isa_check)v.findings[0].check), isa_check_id(check));
	ck_assert_uint_eq(v.findings[0].insn_idx, insn);
	isa_finding_message(&v, &v.findings[0], msg, sizeof(msg));
	ck_assert_msg(strstr(msg, needle) != NULL, "message '%s' lacks '%s'", msg, needle);
	isa_validation_free(&v);
}

static void expect_clean(void)
{
	if (v.finding_cnt) {
		isa_finding_message(&v, &v.findings[0], msg, sizeof(msg));
		ck_abort_msg("unexpected finding at insn %zu: %s [%s]", v.findings[0].insn_idx, msg,
		             isa_check_id((enum isa_check)v.findings[0].check));
	}
	ck_assert_uint_eq(v.finding_total, 0);
	isa_validation_free(&v);
}

START_TEST(rule_ids_are_stable)
{
	ck_assert_str_eq(isa_check_id(ISA_CHECK_UNKNOWN_OPCODE), "ISA-UNKNOWN-OPCODE");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_RESERVED_FIELD), "ISA-RESERVED-FIELD");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_BAD_REGISTER), "ISA-BAD-REGISTER");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_BAD_IMM), "ISA-BAD-IMM");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_BAD_OFFSET), "ISA-BAD-OFFSET");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_BAD_SRC), "ISA-BAD-SRC");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_JUMP_OUT_OF_RANGE), "ISA-JUMP-OUT-OF-RANGE");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_JUMP_INTO_WIDE), "ISA-JUMP-INTO-WIDE");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_WIDE_TRUNCATED), "ISA-WIDE-TRUNCATED");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_NONSTANDARD), "ISA-NONSTANDARD");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_GROUP_NOT_ALLOWED), "ISA-GROUP-NOT-ALLOWED");
	ck_assert_str_eq(isa_check_id(ISA_CHECK_COUNT), "?");
}
END_TEST

START_TEST(unknown_opcode)
{
	struct isa_slot bad[] = {S(0x38, 0, 0, 0, 0), EXIT};
	run(bad, N(bad));
	expect_one(ISA_CHECK_UNKNOWN_OPCODE, 0, "unknown opcode 0x38 (class LD)");
	/* A bare 0x00 slot outside a wide load. */
	struct isa_slot bare[] = {S(0xb7, 0, 0, 0, 0), S(0x00, 0, 0, 0, 7), EXIT};
	run(bare, N(bare));
	expect_one(ISA_CHECK_UNKNOWN_OPCODE, 1, "outside a wide load");
	/* Near miss: the same 0x00 slot as the second half of lddw. */
	struct isa_slot ok[] = {S(0x18, 0, 0, 0, 1), S(0x00, 0, 0, 0, 7), EXIT};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(reserved_field)
{
	struct isa_slot bad[] = {S(0x04, 0, 0, 1, 1), EXIT}; /* add32 imm with offset 1 */
	run(bad, N(bad));
	expect_one(ISA_CHECK_RESERVED_FIELD, 0,
	           "add32 (0x04): offset is not used by this encoding and must be 0, "
	           "found 1");
	struct isa_slot bad_imm[] = {S(0x95, 0, 0, 0, 1)}; /* exit with imm 1 */
	run(bad_imm, N(bad_imm));
	expect_one(ISA_CHECK_RESERVED_FIELD, 0, "imm is not used by this encoding and must be 0, found 0x1");
	/* Near miss: offset is used by a conditional jump. */
	struct isa_slot ok[] = {S(0x15, 1, 0, 1, 0), S(0xb7, 0, 0, 0, 0), EXIT};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(reserved_field_wide_second_slot)
{
	struct isa_slot bad[] = {S(0x18, 0, 0, 0, 1), S(0x00, 0, 1, 0, 0), EXIT};
	run(bad, N(bad));
	expect_one(ISA_CHECK_RESERVED_FIELD, 1,
	           "second slot of the wide load at insn 0: src_reg is reserved");
	struct isa_slot op[] = {S(0x18, 0, 0, 0, 1), S(0x95, 0, 0, 0, 0), EXIT};
	run(op, N(op));
	expect_one(ISA_CHECK_RESERVED_FIELD, 1, "opcode is reserved and must be 0, found 0x95");
	/* Several reserved fields in one second slot: one finding each. */
	struct isa_slot many[] = {S(0x18, 0, 0, 0, 1), S(0x00, 3, 4, 5, 0), EXIT};
	run(many, N(many));
	ck_assert_uint_eq(v.finding_total, 3);
	isa_validation_free(&v);
}
END_TEST

/* next_imm is an operand of lddw src 0, 2 and 6 only (RFC 9669 s5.4); for map_by_fd, var_addr,
 * code_addr and map_by_idx it is unused and must be zero. */
START_TEST(reserved_next_imm)
{
	const uint8_t unused[] = {1, 3, 4, 5}, used[] = {0, 2, 6};
	for (size_t k = 0; k < sizeof(unused); k++) {
		struct isa_slot bad[] = {S(0x18, 1, unused[k], 0, 0), S(0x00, 0, 0, 0, 0x2f), EXIT};
		run(bad, N(bad));
		expect_one(ISA_CHECK_RESERVED_FIELD, 1, "next_imm is not used by lddw");
		struct isa_slot ok[] = {S(0x18, 1, unused[k], 0, 0), S(0x00, 0, 0, 0, 0), EXIT};
		run(ok, N(ok));
		expect_clean();
	}
	for (size_t k = 0; k < sizeof(used); k++) {
		struct isa_slot ok[] = {S(0x18, 1, used[k], 0, 0), S(0x00, 0, 0, 0, 0x2f), EXIT};
		run(ok, N(ok));
		expect_clean();
	}
}
END_TEST

START_TEST(bad_register)
{
	struct isa_slot bad[] = {S(0xb7, 11, 0, 0, 0), EXIT};
	run(bad, N(bad));
	expect_one(ISA_CHECK_BAD_REGISTER, 0, "mov (0xb7): dst_reg is r11, expected a register r0..r10");
	struct isa_slot bad_src[] = {S(0x0f, 0, 15, 0, 0), EXIT};
	run(bad_src, N(bad_src));
	expect_one(ISA_CHECK_BAD_REGISTER, 0, "src_reg is r15");
	struct isa_slot ok[] = {S(0xbf, 0, 10, 0, 0), EXIT}; /* r0 = r10 */
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(bad_imm)
{
	struct isa_slot bad[] = {S(0xc3, 1, 2, 0, 0x02), EXIT};
	run(bad, N(bad));
	expect_one(ISA_CHECK_BAD_IMM, 0,
	           "opcode 0xc3 (STX, ATOMIC): imm 0x2 matches no encoding; expected 0x0 "
	           "(lock add32), 0x1 (lock fetch add32)");
	struct isa_slot swap[] = {S(0xd4, 1, 0, 0, 8), EXIT};
	run(swap, N(swap));
	expect_one(ISA_CHECK_BAD_IMM, 0, "expected 16 (le16), 32 (le32), 64 (le64)");
	struct isa_slot ok[] = {S(0xc3, 1, 2, 0, 0x01), S(0xd4, 1, 0, 0, 16), EXIT};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(bad_offset)
{
	struct isa_slot bad[] = {S(0x3f, 1, 2, 2, 0), EXIT};
	run(bad, N(bad));
	expect_one(ISA_CHECK_BAD_OFFSET, 0, "offset 2 matches no encoding; expected 0 (div), 1 (sdiv)");
	struct isa_slot movsx[] = {S(0xbc, 1, 2, 24, 0), EXIT};
	run(movsx, N(movsx));
	expect_one(ISA_CHECK_BAD_OFFSET, 0, "8 (movsx832), 16 (movsx1632)");
	/* mov with a stray offset below every movsx width: a reserved field (bpf_conformance
	 * negative/unused-mov*_reg-offset), also where offset 1 is the linux addr_space_cast. */
	struct isa_slot mov32[] = {S(0xbc, 1, 2, 1, 0), EXIT};
	run(mov32, N(mov32));
	expect_one(ISA_CHECK_RESERVED_FIELD, 0,
	           "mov32 (0xbc): offset is not used by this encoding and must be 0, "
	           "found 1");
	struct isa_slot mov64[] = {S(0xbf, 1, 2, 1, 0), EXIT};
	run(mov64, N(mov64));
	expect_one(ISA_CHECK_RESERVED_FIELD, 0,
	           "found 1; offset 1 selects addr_space_cast, a linux extension");
	struct isa_validate_opts lin = {.profile = ISA_PROFILE_LINUX};
	run_opts(mov64, N(mov64), &lin);
	expect_clean();
	struct isa_slot ok[] = {S(0x3f, 1, 2, 1, 0), S(0xbf, 1, 2, 32, 0), EXIT};
	run(ok, N(ok));
	expect_clean();
	/* The other fields are still checked when the discriminating field matched nothing. */
	struct isa_slot both[] = {S(0x3f, 12, 2, 2, 0), EXIT};
	run(both, N(both));
	ck_assert_uint_eq(v.finding_total, 2);
	ck_assert_uint_eq(v.check_counts[ISA_CHECK_BAD_OFFSET], 1);
	ck_assert_uint_eq(v.check_counts[ISA_CHECK_BAD_REGISTER], 1);
	isa_validation_free(&v);
}
END_TEST

START_TEST(bad_src)
{
	struct isa_slot bad[] = {S(0x18, 1, 7, 0, 0), S(0x00, 0, 0, 0, 0), EXIT};
	run(bad, N(bad));
	/* Still a wide load: the 0x00 slot is its second half, not a bare 0x00. */
	expect_one(ISA_CHECK_BAD_SRC, 0,
	           "src_reg 7 matches no encoding; expected 0 (lddw), 1 (lddw map_by_fd)");
	struct isa_slot call[] = {S(0x85, 0, 3, 0, 1), EXIT};
	run(call, N(call));
	expect_one(ISA_CHECK_BAD_SRC, 0, "expected 0 (call), 1 (call local), 2 (call runtime)");
	struct isa_slot ok[] = {S(0x18, 1, 6, 0, 0), S(0x00, 0, 0, 0, 0), S(0x85, 0, 2, 0, 1), EXIT};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(jump_out_of_range)
{
	struct isa_slot fwd[] = {S(0x05, 0, 0, 5, 0), EXIT};
	run(fwd, N(fwd));
	expect_one(ISA_CHECK_JUMP_OUT_OF_RANGE, 0,
	           "ja (0x05): target insn 6 (+5 from the next insn) is outside "
	           "the program (insns 0..1)");
	struct isa_slot back[] = {S(0x05, 0, 0, -2, 0), EXIT};
	run(back, N(back));
	expect_one(ISA_CHECK_JUMP_OUT_OF_RANGE, 0, "target insn -1");
	/* Jumping to one past the last slot is out of range too. */
	struct isa_slot end[] = {S(0x15, 1, 0, 1, 0), EXIT};
	run(end, N(end));
	expect_one(ISA_CHECK_JUMP_OUT_OF_RANGE, 0, "target insn 2");
	struct isa_slot call[] = {S(0x85, 0, 1, 0, 10), EXIT};
	run(call, N(call));
	expect_one(ISA_CHECK_JUMP_OUT_OF_RANGE, 0, "call local (0x85)");
	struct isa_slot ja32[] = {S(0x06, 0, 0, 0, -3), EXIT};
	run(ja32, N(ja32));
	expect_one(ISA_CHECK_JUMP_OUT_OF_RANGE, 0, "ja32");
	/* Near misses: the last slot, and a local call to the first slot. */
	struct isa_slot ok[] = {S(0x85, 0, 1, 0, 1), S(0x05, 0, 0, 0, 0), EXIT, S(0x85, 0, 1, 0, -4), EXIT};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(jump_into_wide)
{
	struct isa_slot fwd[] = {S(0x05, 0, 0, 1, 0), S(0x18, 0, 0, 0, 1), S(0, 0, 0, 0, 2), EXIT};
	run(fwd, N(fwd));
	expect_one(ISA_CHECK_JUMP_INTO_WIDE, 0,
	           "ja (0x05): target insn 2 is the second slot of the wide load at "
	           "insn 1");
	struct isa_slot back[] = {S(0x18, 0, 0, 0, 1), S(0, 0, 0, 0, 2), S(0x05, 0, 0, -2, 0), EXIT};
	run(back, N(back));
	expect_one(ISA_CHECK_JUMP_INTO_WIDE, 2, "target insn 1");
	struct isa_slot ok[] = {S(0x05, 0, 0, 0, 0), S(0x18, 0, 0, 0, 1), S(0, 0, 0, 0, 2),
	                        S(0x05, 0, 0, -3, 0), EXIT};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(wide_truncated)
{
	struct isa_slot bad[] = {EXIT, S(0x18, 0, 0, 0, 1)};
	run(bad, N(bad));
	expect_one(ISA_CHECK_WIDE_TRUNCATED, 1, "lddw (0x18) is in the last slot");
	struct isa_slot ok[] = {S(0x18, 0, 0, 0, 1), S(0, 0, 0, 0, 0)};
	run(ok, N(ok));
	expect_clean();
}
END_TEST

START_TEST(nonstandard_and_profile)
{
	struct isa_slot callx[] = {S(0xb7, 2, 0, 0, 5), S(0x8d, 2, 0, 0, 0), EXIT};
	run(callx, N(callx));
	expect_one(ISA_CHECK_NONSTANDARD, 1,
	           "callx (0x8d) is a linux extension outside RFC 9669 (group callx)");
	struct isa_validate_opts linux_opts = {.profile = ISA_PROFILE_LINUX};
	run_opts(callx, N(callx), &linux_opts);
	ck_assert(v.groups_needed & (1u << isa_group_find(v.table, "callx")));
	expect_clean();
	/* An extension told apart only by a field value: outside its profile the value is simply
	 * not allowed (RFC view), with a note naming the extension. */
	struct isa_slot acq[] = {S(0xdb, 0, 1, 0, 0x100), EXIT};
	run(acq, N(acq));
	expect_one(ISA_CHECK_BAD_IMM, 0, "imm 0x100 matches no encoding; expected 0x0 (lock add)");
	run(acq, N(acq));
	ck_assert_int_eq(v.groups_needed & (1u << isa_group_find(v.table, "load_acq_store_rel")), 0);
	expect_one(ISA_CHECK_BAD_IMM, 0,
	           "; imm 256 selects load_acquiredw, a linux extension outside RFC 9669 "
	           "(accepted under the linux profile)");
	run_opts(acq, N(acq), &linux_opts);
	expect_clean();
}
END_TEST

START_TEST(group_not_allowed)
{
	const struct isa_table *t = isa_table_default();
	struct isa_validate_opts o = {.restrict_groups = true};
	struct bpfc_error err;
	ck_assert_int_eq(isa_groups_parse(t, "base32", &o.allowed_groups, &err), BPFC_OK);
	struct isa_slot b64[] = {S(0xb4, 0, 0, 0, 0), S(0xb7, 0, 0, 0, 0), EXIT};
	run_opts(b64, N(b64), &o);
	expect_one(ISA_CHECK_GROUP_NOT_ALLOWED, 1,
	           "mov (0xb7) needs conformance group base64, not among the "
	           "allowed groups (base32)");
	/* Near miss: base64 implies base32. */
	ck_assert_int_eq(isa_groups_parse(t, "base64", &o.allowed_groups, &err), BPFC_OK);
	run_opts(b64, N(b64), &o);
	expect_clean();
	/* atomic64 implies atomic32; divmul is separate. */
	ck_assert_int_eq(isa_groups_parse(t, "base64,atomic64", &o.allowed_groups, &err), BPFC_OK);
	struct isa_slot mix[] = {S(0xc3, 1, 2, 0, 0), S(0x2f, 1, 2, 0, 0), EXIT};
	run_opts(mix, N(mix), &o);
	expect_one(ISA_CHECK_GROUP_NOT_ALLOWED, 1, "divmul64");
}
END_TEST

START_TEST(cpu_level)
{
	struct isa_validate_opts o = {.cpu = 3};
	struct isa_slot sdiv[] = {S(0x3f, 1, 2, 1, 0), EXIT};
	run_opts(sdiv, N(sdiv), &o);
	ck_assert_uint_eq(v.cpu_needed, 4);
	expect_one(ISA_CHECK_GROUP_NOT_ALLOWED, 0, "sdiv (0x3f) needs cpu v4, above the allowed level v3");
	o.cpu = 4;
	run_opts(sdiv, N(sdiv), &o);
	expect_clean();
	/* JMP32 is v3: fine at v3, rejected at v2. */
	struct isa_slot j32[] = {S(0x16, 1, 0, 0, 0), EXIT};
	o.cpu = 3;
	run_opts(j32, N(j32), &o);
	expect_clean();
	o.cpu = 2;
	run_opts(j32, N(j32), &o);
	expect_one(ISA_CHECK_GROUP_NOT_ALLOWED, 0, "needs cpu v3");
	struct bpfc_error err;
	o.cpu = 5;
	ck_assert_int_eq(isa_validate(j32, N(j32), &o, &v, &err), BPFC_ERR_USAGE);
}
END_TEST

START_TEST(every_finding_in_slot_order)
{
	/* Slot 0 jumps forward into a wide load (found late), slots 1 and 4 are bad on their own. */
	struct isa_slot p[] = {S(0x05, 0, 0, 3, 0), S(0xb7, 12, 0, 0, 0), S(0x38, 0, 0, 0, 0),
	                       S(0x18, 0, 0, 0, 1), S(0, 0, 0, 0, 0),     S(0x95, 1, 0, 0, 0)};
	run(p, N(p));
	ck_assert_uint_eq(v.finding_cnt, 4);
	size_t want_insn[] = {0, 1, 2, 5};
	enum isa_check want[] = {ISA_CHECK_JUMP_INTO_WIDE, ISA_CHECK_BAD_REGISTER, ISA_CHECK_UNKNOWN_OPCODE,
	                         ISA_CHECK_RESERVED_FIELD};
	for (size_t k = 0; k < 4; k++) {
		ck_assert_uint_eq(v.findings[k].insn_idx, want_insn[k]);
		ck_assert_int_eq(v.findings[k].check, want[k]);
	}
	isa_validation_free(&v);
}
END_TEST

START_TEST(max_findings_counts_the_rest)
{
	struct isa_slot p[50];
	for (size_t k = 0; k < 50; k++)
		p[k] = (struct isa_slot)S(0x38, 0, 0, 0, 0);
	struct isa_validate_opts o = {.max_findings = 10};
	run_opts(p, 50, &o);
	ck_assert_uint_eq(v.finding_cnt, 10);
	ck_assert_uint_eq(v.finding_total, 50);
	ck_assert_uint_eq(v.check_counts[ISA_CHECK_UNKNOWN_OPCODE], 50);
	isa_validation_free(&v);
}
END_TEST

START_TEST(raw_bytes_in_byte_order)
{
	struct isa_slot p[] = {S(0x04, 1, 0, 1, 2), EXIT};
	struct isa_validate_opts o = {.byte_order = ISA_BIG_ENDIAN};
	run_opts(p, N(p), &o);
	const uint8_t be[8] = {0x04, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02};
	ck_assert_mem_eq(v.findings[0].raw, be, 8);
	isa_validation_free(&v);
	run(p, N(p));
	const uint8_t le[8] = {0x04, 0x01, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00};
	ck_assert_mem_eq(v.findings[0].raw, le, 8);
	isa_validation_free(&v);
}
END_TEST

START_TEST(groups_needed_closure)
{
	const struct isa_table *t = isa_table_default();
	char buf[256];
	struct isa_slot p[] = {S(0xdb, 1, 2, 0, 0), S(0xb7, 0, 0, 0, 0), EXIT};
	run(p, N(p));
	ck_assert_str_eq(isa_groups_format(t, v.groups_needed, buf, sizeof(buf)),
	                 "base32, base64, atomic32, atomic64");
	ck_assert_str_eq(isa_groups_format(t, v.groups_used, buf, sizeof(buf)), "base32, base64, atomic64");
	isa_validation_free(&v);
	ck_assert_str_eq(isa_groups_format(t, 0, buf, sizeof(buf)), "none");
	run(NULL, 0);
	ck_assert_uint_eq(v.groups_needed, 0);
	expect_clean();
}
END_TEST

START_TEST(groups_parse_errors)
{
	const struct isa_table *t = isa_table_default();
	isa_group_mask m;
	struct bpfc_error err;
	ck_assert_int_eq(isa_groups_parse(t, "base64,nope", &m, &err), BPFC_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown conformance group 'nope' (groups: base32, base64"));
	ck_assert_int_eq(isa_groups_parse(t, " base32 , packet", &m, &err), BPFC_OK);
	ck_assert_uint_eq(m, (1u << isa_group_find(t, "base32")) | (1u << isa_group_find(t, "packet")));
}
END_TEST

START_TEST(loaded_table_is_used)
{
	/* A one-row table: only exit exists, so mov is unknown under it. */
	const char *json = "{\"format\":\"bpfcheck-isa\",\"format_version\":1,\"name\":\"tiny\","
	                   "\"groups\":[{\"name\":\"base32\",\"includes\":[],\"standard\":true}],"
	                   "\"instructions\":[{\"opcode\":\"0x95\",\"mnemonic\":\"exit\",\"class\":\"JMP\","
	                   "\"mode\":\"K\",\"size\":0,\"dst\":\"zero\",\"src\":\"zero\",\"offset\":\"zero\","
	                   "\"imm\":\"zero\",\"dst_role\":\"none\",\"group\":\"base32\",\"sem\":\"exit\","
	                   "\"cpu\":\"v1\"}]}";
	struct isa_table *t;
	struct bpfc_error err;
	ck_assert_msg(isa_table_parse(json, strlen(json), "tiny.json", &t, &err) == BPFC_OK, "%s", err.msg);
	struct isa_validate_opts o = {.table = t};
	struct isa_slot p[] = {S(0xb7, 0, 0, 0, 0), EXIT};
	run_opts(p, N(p), &o);
	expect_one(ISA_CHECK_UNKNOWN_OPCODE, 0, "ISA table 'tiny'");
	isa_table_free(t);
}
END_TEST

/* Random slots under every profile/gate: never a crash, findings always in slot order, and
 * every finding's message names its rule's subject. */
START_TEST(random_programs)
{
	uint32_t x = 88172645u;
	struct isa_slot p[300];
	for (int round = 0; round < 400; round++) {
		size_t n = 1 + (size_t)(round % 300);
		for (size_t k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			p[k].opcode = (uint8_t)x;
			p[k].dst = (uint8_t)((x >> 8) & 0xf);
			p[k].src = (uint8_t)((x >> 12) & 0xf);
			p[k].off = (int16_t)((x >> 16) % 7) - 3;
			p[k].imm = (x >> 20) % 3 ? (int32_t)((x >> 24) % 5) - 2 : (int32_t)x;
		}
		struct isa_validate_opts o = {.profile = (enum isa_profile)(round % 2),
		                              .cpu = (unsigned)(round % 5),
		                              .restrict_groups = round % 3 == 0,
		                              .allowed_groups = 1u,
		                              .max_findings = round % 7 == 0 ? 5 : 0};
		run_opts(p, n, &o);
		for (size_t k = 1; k < v.finding_cnt; k++)
			ck_assert_uint_le(v.findings[k - 1].insn_idx, v.findings[k].insn_idx);
		size_t sum = 0;
		for (int c = 0; c < ISA_CHECK_COUNT; c++)
			sum += v.check_counts[c];
		ck_assert_uint_eq(sum, v.finding_total);
		for (size_t k = 0; k < v.finding_cnt; k++) {
			ck_assert_uint_lt(v.findings[k].insn_idx, n);
			isa_finding_message(&v, &v.findings[k], msg, sizeof(msg));
			ck_assert_uint_gt(strlen(msg), 10);
		}
		isa_validation_free(&v);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, rule_ids_are_stable);
	tcase_add_test(tc, unknown_opcode);
	tcase_add_test(tc, reserved_field);
	tcase_add_test(tc, reserved_field_wide_second_slot);
	tcase_add_test(tc, reserved_next_imm);
	tcase_add_test(tc, bad_register);
	tcase_add_test(tc, bad_imm);
	tcase_add_test(tc, bad_offset);
	tcase_add_test(tc, bad_src);
	tcase_add_test(tc, jump_out_of_range);
	tcase_add_test(tc, jump_into_wide);
	tcase_add_test(tc, wide_truncated);
	tcase_add_test(tc, nonstandard_and_profile);
	tcase_add_test(tc, group_not_allowed);
	tcase_add_test(tc, cpu_level);
	tcase_add_test(tc, every_finding_in_slot_order);
	tcase_add_test(tc, max_findings_counts_the_rest);
	tcase_add_test(tc, raw_bytes_in_byte_order);
	tcase_add_test(tc, groups_needed_closure);
	tcase_add_test(tc, groups_parse_errors);
	tcase_add_test(tc, loaded_table_is_used);
	tcase_add_test(tc, random_programs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
