/* The ISA table: generated table matches the spec file, lookups, loader errors, decoder. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/isa.h"
#include "bpfcheck/specs.h"
#include "testutil.h"

static const char *spec_path(void)
{
	return BPFCHECK_SOURCE_DIR "/specs/isa/isa.json";
}

START_TEST(generated_matches_spec)
{
	struct bpfc_error err;
	struct isa_table *t;
	ck_assert_int_eq(isa_table_load(spec_path(), &t, &err), 0);
	const struct isa_table *d = isa_table_default();
	ck_assert_uint_eq(t->entry_count, d->entry_count);
	ck_assert_uint_eq(t->group_count, d->group_count);
	for (size_t i = 0; i < d->entry_count; i++) {
		ck_assert_str_eq(t->entries[i].mnemonic, d->entries[i].mnemonic);
		ck_assert_uint_eq(t->entries[i].sem, d->entries[i].sem);
		ck_assert_int_eq(t->entries[i].match_value, d->entries[i].match_value);
		ck_assert_uint_eq(t->entries[i].next_imm, d->entries[i].next_imm);
	}
	ck_assert_mem_eq(t->count, d->count, sizeof(d->count));
	isa_table_free(t);
}
END_TEST

START_TEST(every_entry_found_by_lookup)
{
	const struct isa_table *t = isa_table_default();
	for (size_t i = 0; i < t->entry_count; i++) {
		const struct isa_entry *e = &t->entries[i];
		struct isa_slot s = {.opcode = e->opcode};
		if (e->match_field != ISA_FIELD_NONE) {
			int32_t v = e->match_value;
			switch (e->match_field) {
			case ISA_FIELD_SRC: s.src = (uint8_t)v; break;
			case ISA_FIELD_OFF: s.off = (int16_t)v; break;
			case ISA_FIELD_IMM: s.imm = v; break;
			default: break;
			}
		}
		ck_assert_ptr_eq(isa_lookup(t, &s), e);
	}
}
END_TEST

START_TEST(groups_and_counts)
{
	const struct isa_table *t = isa_table_default();
	int b32 = isa_group_find(t, "base32"), b64 = isa_group_find(t, "base64");
	int a32 = isa_group_find(t, "atomic32"), a64 = isa_group_find(t, "atomic64");
	ck_assert_int_ge(b32, 0);
	ck_assert_int_ge(b64, 0);
	ck_assert(t->groups[b64].closure & (1u << b32));
	ck_assert(t->groups[a64].closure & (1u << a32));
	ck_assert(!(t->groups[b32].closure & (1u << b64)));
	ck_assert_int_eq(isa_group_find(t, "nope"), -1);
	size_t standard = 0;
	for (size_t i = 0; i < t->entry_count; i++)
		standard += t->entries[i].standard;
	/* 171 RFC 9669 encodings (incl. the wide second slot and MEMSX loads). */
	ck_assert_uint_eq(standard, 171);
	struct isa_slot unknown = {.opcode = 0x38}; /* LD ABS DW does not exist */
	ck_assert_ptr_null(isa_lookup(t, &unknown));
	struct isa_slot sdiv_bad = {.opcode = 0x3f, .off = 2};
	ck_assert_ptr_null(isa_lookup(t, &sdiv_bad));
}
END_TEST

static int parse_err(const char *json, char *msg, size_t msglen)
{
	struct bpfc_error err;
	struct isa_table *t = NULL;
	int rc = isa_table_parse(json, strlen(json), "t.json", &t, &err);
	isa_table_free(t);
	snprintf(msg, msglen, "%s", rc ? err.msg : "");
	return rc;
}

START_TEST(loader_rejects_bad_tables)
{
	char msg[1024];
	ck_assert_int_eq(parse_err("{", msg, sizeof msg), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(msg, "invalid JSON"));
	ck_assert_int_eq(parse_err("{\"format\":\"x\"}", msg, sizeof msg), BPFC_ERR_INPUT);
	const char *head =
	    "{\"format\":\"bpfcheck-isa\",\"groups\":[{\"name\":\"base32\"}],\"instructions\":[";
	char buf[2048];
	snprintf(
	    buf, sizeof buf,
	    "%s{\"opcode\":\"0x07\",\"mnemonic\":\"add\",\"class\":\"ALU\",\"mode\":\"K\",\"size\":0,"
	    "\"dst\":\"reg\",\"src\":\"zero\",\"offset\":\"zero\",\"imm\":\"any\",\"dst_role\":\"readwrite\","
	    "\"group\":\"base32\",\"sem\":\"add\",\"cpu\":\"v1\"}]}",
	    head);
	ck_assert_int_eq(parse_err(buf, msg, sizeof msg), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(msg, "does not encode class ALU"));
	snprintf(
	    buf, sizeof buf,
	    "%s{\"opcode\":\"0x07\",\"mnemonic\":\"add\",\"class\":\"ALU64\",\"mode\":\"K\",\"size\":0,"
	    "\"dst\":\"reg\",\"src\":\"zero\",\"offset\":\"zero\",\"imm\":\"any\",\"dst_role\":\"readwrite\","
	    "\"group\":\"base99\",\"sem\":\"add\",\"cpu\":\"v1\"}]}",
	    head);
	ck_assert_int_eq(parse_err(buf, msg, sizeof msg), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(msg, "\"group\""));
	snprintf(
	    buf, sizeof buf,
	    "%s{\"opcode\":\"0x07\",\"mnemonic\":\"add\",\"class\":\"ALU64\",\"mode\":\"K\",\"size\":0,"
	    "\"dst\":\"reg\",\"src\":\"zero\",\"offset\":\"zero\",\"imm\":\"any\",\"dst_role\":\"readwrite\","
	    "\"group\":\"base32\",\"sem\":\"add\",\"cpu\":\"v1\"}]}",
	    head);
	ck_assert_int_eq(parse_err(buf, msg, sizeof msg), 0);
	snprintf(
	    buf, sizeof buf,
	    "%s{\"opcode\":\"0x07\",\"mnemonic\":\"add\",\"class\":\"ALU64\",\"mode\":\"K\",\"size\":0,"
	    "\"dst\":\"reg\",\"src\":\"zero\",\"offset\":\"zero\",\"imm\":\"any\",\"dst_role\":\"readwrite\","
	    "\"group\":\"base32\",\"sem\":\"add\",\"cpu\":\"v1\",\"next_imm\":\"zero\"}]}",
	    head);
	ck_assert_int_eq(parse_err(buf, msg, sizeof msg), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(msg, "only for wide encodings"));
}
END_TEST

START_TEST(decode_both_byte_orders)
{
	/* RFC 9669 s3.1 example: r1 += 0x11223344 */
	const uint8_t le[8] = {0x07, 0x01, 0x00, 0x00, 0x44, 0x33, 0x22, 0x11};
	const uint8_t be[8] = {0x07, 0x10, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44};
	struct isa_slot a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	isa_decode_slot(le, ISA_LITTLE_ENDIAN, &a);
	isa_decode_slot(be, ISA_BIG_ENDIAN, &b);
	ck_assert_mem_eq(&a, &b, sizeof a);
	ck_assert_uint_eq(a.dst, 1);
	ck_assert_int_eq(a.imm, 0x11223344);
	uint8_t out[8];
	isa_encode_slot(&a, ISA_BIG_ENDIAN, out);
	ck_assert_mem_eq(out, be, 8);
	isa_encode_slot(&a, ISA_LITTLE_ENDIAN, out);
	ck_assert_mem_eq(out, le, 8);
	struct isa_slot w;
	isa_slot_from_word(0x5566778800000018ull, &w);
	ck_assert_uint_eq(w.opcode, 0x18);
	ck_assert_int_eq(w.imm, 0x55667788);
	ck_assert_uint_eq(isa_slot_to_word(&w), 0x5566778800000018ull);
	struct isa_slot *slots;
	size_t n;
	struct bpfc_error err;
	ck_assert_int_eq(isa_decode(le, 7, ISA_LITTLE_ENDIAN, &slots, &n, &err), BPFC_ERR_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "7 bytes"));
	ck_assert_int_eq(isa_decode(le, 8, ISA_LITTLE_ENDIAN, &slots, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(slots);
}
END_TEST

START_TEST(embedded_spec_is_the_spec_file)
{
	size_t len;
	const char *text = bpfc_spec_text("isa/isa.json", &len);
	ck_assert_ptr_nonnull(text);
	struct bpfc_error err;
	struct isa_table *t;
	ck_assert_int_eq(isa_table_parse(text, len, "embedded", &t, &err), 0);
	ck_assert_uint_eq(t->entry_count, isa_table_default()->entry_count);
	isa_table_free(t);
	ck_assert_ptr_null(bpfc_spec_text("no/such.json", NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("isa_table");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, generated_matches_spec);
	tcase_add_test(tc, every_entry_found_by_lookup);
	tcase_add_test(tc, groups_and_counts);
	tcase_add_test(tc, loader_rejects_bad_tables);
	tcase_add_test(tc, decode_both_byte_orders);
	tcase_add_test(tc, embedded_spec_is_the_spec_file);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
