/* The platform description: the embedded Linux files load and validate, lookups answer the
 * kernel's facts, and broken descriptions are rejected with messages naming file and entry. */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/platform.h"
#include "bpfcheck/specs.h"
#include "testutil.h"

static struct plat_platform *plat;

static void setup(void)
{
	struct bpfc_error err;
	int rc = plat_platform_load("linux", &plat, &err);
	ck_assert_msg(rc == 0, "load failed: %s", err.msg);
}

static void teardown(void)
{
	plat_platform_free(plat);
	plat = NULL;
}

/* ---- the files themselves ---- */

START_TEST(every_spec_file_is_json)
{
	static const char *const files[] = {"platforms/linux/helpers.json", "platforms/linux/prog_types.json",
	                                    "platforms/linux/map_types.json", "properties/properties.json",
	                                    "properties/properties.schema.json"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len = 0;
		const char *text = bpfc_spec_text(files[i], &len);
		ck_assert_msg(text != NULL, "%s not embedded", files[i]);
		ck_assert_uint_gt(len, 100);
		json_error_t je;
		json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
		ck_assert_msg(root != NULL, "%s: line %d: %s", files[i], je.line, je.text);
		json_decref(root);
	}
}
END_TEST

/* The schema and the C loader must agree on what a property needs. */
START_TEST(schema_matches_loader)
{
	json_error_t je;
	json_t *schema = json_loads(bpfc_spec_text("properties/properties.schema.json", NULL), 0, &je);
	ck_assert_ptr_nonnull(schema);
	json_t *items =
	    json_object_get(json_object_get(json_object_get(schema, "properties"), "properties"), "items");
	json_t *req = json_object_get(items, "required");
	ck_assert_uint_eq(json_array_size(req), 7);
	json_t *cats =
	    json_object_get(json_object_get(json_object_get(items, "properties"), "category"), "enum");
	ck_assert_uint_eq(json_array_size(cats), 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_str_eq(json_string_value(json_array_get(cats, i)),
		                 plat_category_name((enum plat_category)i));
	/* Every property in the catalogue has every required key, non-empty. */
	json_t *doc = json_loads(bpfc_spec_text("properties/properties.json", NULL), 0, &je);
	ck_assert_ptr_nonnull(doc);
	json_t *props = json_object_get(doc, "properties");
	for (size_t i = 0; i < json_array_size(props); i++)
		for (size_t k = 0; k < json_array_size(req); k++) {
			const char *key = json_string_value(json_array_get(req, k));
			json_t *v = json_object_get(json_array_get(props, i), key);
			ck_assert_msg(json_is_string(v) && json_string_length(v) > 0, "property %zu lacks %s",
			              i, key);
		}
	json_decref(doc);
	json_decref(schema);
}
END_TEST

START_TEST(counts)
{
	ck_assert_str_eq(plat_platform_name(plat), "linux");
	ck_assert_uint_eq(plat_helper_count(plat), 212); /* ids 0..211, Linux 6.18 */
	ck_assert_uint_eq(plat_helper_id_limit(plat), 212);
	ck_assert_uint_ge(plat_helper_proto_count(plat), 200);
	ck_assert_uint_eq(plat_prog_type_count(plat), 32);
	ck_assert_uint_eq(plat_map_type_count(plat), 34);
	ck_assert_uint_ge(plat_property_count(plat), 47);
}
END_TEST

/* ---- helpers ---- */

START_TEST(map_lookup_elem_prototype)
{
	const struct plat_helper *h;
	ck_assert_int_eq(plat_helper_lookup(plat, 1, &h), PLAT_HELPER_OK);
	ck_assert_str_eq(h->name, "map_lookup_elem");
	ck_assert_uint_eq(h->arg_count, 2);
	ck_assert_int_eq(h->args[0].kind, PLAT_ARG_CONST_MAP_PTR);
	ck_assert_int_eq(h->args[1].kind, PLAT_ARG_PTR_TO_MAP_KEY);
	ck_assert_int_eq(h->ret.kind, PLAT_RET_MAP_VALUE_OR_NULL);
	ck_assert(!h->gpl_only && !h->acquires && !h->changes_pkt_data);
	ck_assert_str_eq(plat_ret_kind_name(h->ret.kind), "map_value_or_null");
	ck_assert_str_eq(plat_arg_kind_name(h->args[1].kind), "ptr_to_map_key");
}
END_TEST

START_TEST(helper_status_and_names)
{
	const struct plat_helper *h = (const void *)1;
	ck_assert_int_eq(plat_helper_lookup(plat, 0, &h), PLAT_HELPER_NO_PROTO);
	ck_assert_str_eq(h->name, "unspec");
	ck_assert_int_eq(plat_helper_lookup(plat, 212, &h), PLAT_HELPER_UNKNOWN);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(plat_helper_lookup(plat, -1, NULL), PLAT_HELPER_UNKNOWN);
	ck_assert_int_eq(plat_helper_lookup(plat, 1LL << 40, NULL), PLAT_HELPER_UNKNOWN);
	static const struct {
		uint32_t id;
		const char *name;
	} ids[] = {{4, "probe_read"},           {12, "tail_call"},
	           {25, "perf_event_output"},   {51, "redirect_map"},
	           {93, "spin_lock"},           {113, "probe_read_kernel"},
	           {130, "ringbuf_output"},     {131, "ringbuf_reserve"},
	           {164, "for_each_map_elem"},  {181, "loop"},
	           {209, "user_ringbuf_drain"}, {210, "cgrp_storage_get"},
	           {211, "cgrp_storage_delete"}};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		ck_assert_int_ne(plat_helper_lookup(plat, ids[i].id, &h), PLAT_HELPER_UNKNOWN);
		ck_assert_str_eq(h->name, ids[i].name);
		ck_assert_ptr_eq(plat_helper_by_name(plat, ids[i].name), h);
	}
	ck_assert_ptr_eq(plat_helper_by_name(plat, "bpf_loop"), plat_helper_by_name(plat, "loop"));
	ck_assert_ptr_null(plat_helper_by_name(plat, "no_such_helper"));
	ck_assert_ptr_null(plat_helper_by_name(plat, NULL));
}
END_TEST

START_TEST(helper_prototype_facts)
{
	const struct plat_helper *h = plat_helper_by_name(plat, "ringbuf_reserve");
	ck_assert(h->has_proto && h->acquires);
	ck_assert_int_eq(h->ret.kind, PLAT_RET_PTR_TO_MEM_OR_NULL);
	ck_assert_uint_eq(h->ret.size_arg, 2);
	ck_assert_int_eq(h->args[1].kind, PLAT_ARG_CONST_ALLOC_SIZE_OR_ZERO);

	h = plat_helper_by_name(plat, "ringbuf_submit");
	ck_assert_int_eq(h->args[0].kind, PLAT_ARG_PTR_TO_RINGBUF_MEM);
	ck_assert(h->args[0].flags & PLAT_ARG_F_RELEASE);
	ck_assert_int_eq(h->ret.kind, PLAT_RET_VOID);

	h = plat_helper_by_name(plat, "probe_read_kernel");
	ck_assert(h->gpl_only);
	ck_assert_int_eq(h->args[0].kind, PLAT_ARG_PTR_TO_MEM);
	ck_assert(h->args[0].flags & PLAT_ARG_F_UNINIT);
	ck_assert_uint_eq(h->args[0].size_arg, 2);
	ck_assert_int_eq(h->args[1].kind, PLAT_ARG_CONST_SIZE_OR_ZERO);
	ck_assert_int_eq(h->args[2].kind, PLAT_ARG_ANYTHING);

	h = plat_helper_by_name(plat, "probe_read_str");
	ck_assert_uint_eq(h->ret.max_arg, 2);

	h = plat_helper_by_name(plat, "skb_store_bytes");
	ck_assert(h->changes_pkt_data);
	ck_assert(h->args[2].flags & PLAT_ARG_F_READONLY);
	ck_assert_uint_eq(h->args[2].size_arg, 4);

	h = plat_helper_by_name(plat, "sk_lookup_tcp");
	ck_assert(h->acquires);
	ck_assert_int_eq(h->ret.kind, PLAT_RET_SOCKET_OR_NULL);
	h = plat_helper_by_name(plat, "sk_release");
	ck_assert(h->args[0].flags & PLAT_ARG_F_RELEASE);

	h = plat_helper_by_name(plat, "map_update_elem");
	ck_assert(h->ret.has_range);
	ck_assert_int_eq(h->ret.min, -4095);
	ck_assert_int_eq(h->ret.max, 0);

	h = plat_helper_by_name(plat, "loop");
	ck_assert_int_eq(h->args[1].kind, PLAT_ARG_PTR_TO_FUNC);
	ck_assert_int_eq(h->args[2].kind, PLAT_ARG_PTR_TO_STACK);
	ck_assert(h->args[2].flags & PLAT_ARG_F_NULLABLE);

	h = plat_helper_by_name(plat, "task_storage_get");
	ck_assert_int_eq(h->args[1].kind, PLAT_ARG_PTR_TO_BTF_ID);
	ck_assert_str_eq(h->args[1].btf_type, "task_struct");

	h = plat_helper_by_name(plat, "strtol");
	ck_assert_uint_eq(h->args[3].fixed_size, 8);
	ck_assert_uint_eq(h->args[3].size_arg, 0);

	h = plat_helper_by_name(plat, "copy_from_user");
	ck_assert(h->might_sleep);
}
END_TEST

/* Every prototype respects the argument relations the verifier relies on. */
START_TEST(all_prototypes_consistent)
{
	size_t protos = 0;
	for (uint32_t id = 0; id < plat_helper_id_limit(plat); id++) {
		const struct plat_helper *h;
		if (plat_helper_lookup(plat, id, &h) != PLAT_HELPER_OK)
			continue;
		protos++;
		ck_assert_uint_le(h->arg_count, PLAT_MAX_ARGS);
		for (int i = 0; i < h->arg_count; i++) {
			const struct plat_arg *a = &h->args[i];
			ck_assert_int_ne(a->kind, PLAT_ARG_NONE);
			if (a->kind == PLAT_ARG_PTR_TO_MEM && a->size_arg) {
				enum plat_arg_kind sk = h->args[a->size_arg - 1].kind;
				ck_assert_msg(sk == PLAT_ARG_CONST_SIZE || sk == PLAT_ARG_CONST_SIZE_OR_ZERO,
				              "%s", h->name);
			}
		}
		if (h->acquires)
			ck_assert_msg(h->ret.kind != PLAT_RET_INTEGER && h->ret.kind != PLAT_RET_VOID, "%s",
			              h->name);
	}
	ck_assert_uint_eq(protos, plat_helper_proto_count(plat));
}
END_TEST

/* ---- program types and contexts ---- */

START_TEST(prog_type_lookup)
{
	const struct plat_prog_type *t = plat_prog_type_by_name(plat, "xdp");
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->id, 6);
	ck_assert_ptr_eq(plat_prog_type_by_id(plat, 6), t);
	ck_assert_ptr_eq(plat_prog_type_by_name(plat, "BPF_PROG_TYPE_XDP"), t);
	ck_assert_ptr_null(plat_prog_type_by_name(plat, "BPF_PROG_TYPE_"));
	ck_assert_ptr_null(plat_prog_type_by_name(plat, "xdpx"));
	ck_assert_ptr_null(plat_prog_type_by_id(plat, 0));
	ck_assert_uint_eq(plat_prog_type_by_name(plat, "socket_filter")->id, 1);
	ck_assert_uint_eq(plat_prog_type_by_name(plat, "sched_cls")->id, 3);
	ck_assert_uint_eq(plat_prog_type_by_name(plat, "cgroup_sockopt")->id, 25);
	ck_assert_uint_eq(plat_prog_type_by_name(plat, "netfilter")->id, 32);
	ck_assert(t->packet_write);
	ck_assert(!plat_prog_type_by_name(plat, "cgroup_skb")->packet_write);
	ck_assert(plat_prog_type_by_name(plat, "socket_filter")->unprivileged);
	ck_assert(!t->unprivileged);
	for (size_t i = 0; i + 1 < plat_prog_type_count(plat); i++)
		ck_assert_uint_lt(plat_prog_type_at(plat, i)->id, plat_prog_type_at(plat, i + 1)->id);
	ck_assert_ptr_null(plat_prog_type_at(plat, plat_prog_type_count(plat)));
}
END_TEST

START_TEST(xdp_md_access)
{
	const struct plat_prog_type *t = plat_prog_type_by_name(plat, "xdp");
	const struct plat_ctx_field *f;
	ck_assert_str_eq(t->ctx->name, "xdp_md");
	ck_assert_int_eq(plat_ctx_access(t, 0, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_PACKET);
	ck_assert_int_eq(plat_ctx_access(t, 4, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_PACKET_END);
	ck_assert_int_eq(plat_ctx_access(t, 8, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_PACKET_META);
	ck_assert_str_eq(plat_field_kind_name(f->kind), "packet_meta");
	ck_assert_int_eq(plat_ctx_access(t, 12, 4, false, false, &f), PLAT_CTX_OK); /* ingress_ifindex */
	ck_assert_int_eq(f->kind, PLAT_FIELD_SCALAR);
	ck_assert_int_eq(plat_ctx_access(t, 0, 4, true, true, &f), PLAT_CTX_DENIED);
	ck_assert_int_eq(plat_ctx_access(t, 0, 8, false, true, &f), PLAT_CTX_SPANS);
	ck_assert_int_eq(plat_ctx_access(t, 12, 2, false, true, &f), PLAT_CTX_BAD_SIZE); /* no narrow loads */
	ck_assert_int_eq(plat_ctx_access(t, 2, 4, false, true, &f), PLAT_CTX_MISALIGNED);
	ck_assert_int_eq(plat_ctx_access(t, 0, 3, false, true, &f), PLAT_CTX_BAD_SIZE);
	ck_assert_int_eq(plat_ctx_access(t, 20, 4, false, true, &f),
	                 PLAT_CTX_DENIED); /* egress_ifindex: devmap only */
	ck_assert_int_eq(plat_ctx_access(t, 24, 4, false, true, &f), PLAT_CTX_NO_FIELD);
	ck_assert_ptr_null(f);
	ck_assert_int_eq(plat_ctx_access(t, -4, 4, false, true, &f), PLAT_CTX_NO_FIELD);
	ck_assert_str_eq(plat_ctx_result_str(PLAT_CTX_DENIED),
	                 "field not accessible this way by this program type");
}
END_TEST

START_TEST(sk_buff_rules_per_type)
{
	const struct plat_prog_type *sf = plat_prog_type_by_name(plat, "socket_filter");
	const struct plat_prog_type *tc = plat_prog_type_by_name(plat, "sched_cls");
	const struct plat_prog_type *cg = plat_prog_type_by_name(plat, "cgroup_skb");
	const struct plat_prog_type *fd = plat_prog_type_by_name(plat, "flow_dissector");
	const struct plat_ctx_field *f;
	ck_assert_ptr_eq(sf->ctx, tc->ctx);
	ck_assert_uint_eq(sf->ctx->size, 192);
	/* __sk_buff->data is at 76: not readable by socket filters (sk_filter_is_valid_access) */
	ck_assert_int_eq(plat_ctx_access(sf, 76, 4, false, true, &f), PLAT_CTX_DENIED);
	ck_assert_str_eq(f->name, "data");
	ck_assert_int_eq(plat_ctx_access(tc, 76, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_PACKET);
	ck_assert_int_eq(plat_ctx_access(tc, 80, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_PACKET_END);
	/* len at 0, with narrow loads */
	ck_assert_int_eq(plat_ctx_access(sf, 0, 4, false, false, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(sf, 1, 1, false, false, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(sf, 2, 2, false, false, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(sf, 0, 4, true, true, &f), PLAT_CTX_DENIED);
	/* cb[0..4] at 48: writable by everyone, any width, but not past cb[4] */
	ck_assert_int_eq(plat_ctx_access(sf, 48, 8, true, false, &f), PLAT_CTX_OK);
	ck_assert_str_eq(f->name, "cb");
	ck_assert_int_eq(plat_ctx_access(sf, 64, 8, true, false, &f), PLAT_CTX_SPANS);
	/* mark (8): written by tc and cgroup_skb, not by socket filters; stores are 4 bytes */
	ck_assert_int_eq(plat_ctx_access(sf, 8, 4, true, true, &f), PLAT_CTX_DENIED);
	ck_assert_int_eq(plat_ctx_access(tc, 8, 4, true, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(tc, 8, 2, true, true, &f), PLAT_CTX_BAD_SIZE);
	ck_assert_int_eq(plat_ctx_access(cg, 8, 4, true, false, &f), PLAT_CTX_OK);
	/* cgroup_skb reads data only with CAP_BPF */
	ck_assert_int_eq(plat_ctx_access(cg, 76, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(cg, 76, 4, false, false, &f), PLAT_CTX_DENIED);
	/* sk pointer */
	ck_assert_int_eq(plat_ctx_access(tc, 168, 8, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_SOCK_COMMON_OR_NULL);
	/* flow dissector: only data, data_end, flow_keys */
	ck_assert_int_eq(plat_ctx_access(fd, 0, 4, false, true, &f), PLAT_CTX_DENIED);
	ck_assert_int_eq(plat_ctx_access(fd, 144, 8, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(f->kind, PLAT_FIELD_FLOW_KEYS);
	ck_assert_ptr_nonnull(plat_ctx_layout_by_name(plat, "bpf_flow_keys"));
	ck_assert_ptr_null(plat_ctx_layout_by_name(plat, "no_such_layout"));
}
END_TEST

START_TEST(kprobe_and_unmodelled)
{
	const struct plat_prog_type *kp = plat_prog_type_by_name(plat, "kprobe");
	const struct plat_ctx_field *f;
	ck_assert_str_eq(kp->ctx->name, "pt_regs");
	ck_assert_int_eq(plat_ctx_access(kp, 112, 8, false, true, &f), PLAT_CTX_OK);
	ck_assert_str_eq(f->name, "di");
	ck_assert_int_eq(plat_ctx_access(kp, 112, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(kp, 112, 8, true, true, &f), PLAT_CTX_DENIED);
	ck_assert_int_eq(plat_ctx_access(kp, 168, 8, false, true, &f), PLAT_CTX_NO_FIELD);
	const struct plat_prog_type *tp = plat_prog_type_by_name(plat, "tracepoint");
	ck_assert_int_eq(plat_ctx_access(tp, 0, 8, false, true, &f),
	                 PLAT_CTX_NO_FIELD); /* hidden pt_regs pointer */
	ck_assert_int_eq(plat_ctx_access(tp, 8, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(tp, 2040, 8, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(tp, 2048, 1, false, true, &f), PLAT_CTX_NO_FIELD);
	ck_assert_int_eq(plat_ctx_access(tp, 8, 4, true, true, &f), PLAT_CTX_DENIED);
	const struct plat_prog_type *ext = plat_prog_type_by_name(plat, "ext");
	ck_assert_ptr_null(ext->ctx);
	ck_assert_int_eq(plat_ctx_access(ext, 0, 8, false, true, &f), PLAT_CTX_UNMODELLED);
}
END_TEST

/* sock_ops stores only to reply and sk_txhash; bpf_sock allows narrow reads of family but not of mark. */
START_TEST(sock_ops_and_bpf_sock)
{
	const struct plat_prog_type *so = plat_prog_type_by_name(plat, "sock_ops");
	const struct plat_ctx_field *f;
	ck_assert_int_eq(plat_ctx_access(so, 4, 4, true, true, &f), PLAT_CTX_OK);
	ck_assert_str_eq(f->name, "reply");
	ck_assert_int_eq(plat_ctx_access(so, 8, 4, true, true, &f), PLAT_CTX_DENIED);
	ck_assert_int_eq(plat_ctx_access(so, 8, 4, false, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(so, 0, 4, true, true, &f), PLAT_CTX_DENIED); /* op */
	ck_assert_int_eq(plat_ctx_access(so, 0, 2, false, true, &f), PLAT_CTX_BAD_SIZE);
	ck_assert_int_eq(plat_ctx_access(so, 192, 8, false, true, &f), PLAT_CTX_OK);
	ck_assert_str_eq(f->name, "skb_data");
	ck_assert_int_eq(f->kind, PLAT_FIELD_PACKET);
	const struct plat_prog_type *cs = plat_prog_type_by_name(plat, "cgroup_sock");
	ck_assert_int_eq(plat_ctx_access(cs, 4, 1, false, true, &f), PLAT_CTX_OK);        /* family */
	ck_assert_int_eq(plat_ctx_access(cs, 16, 1, false, true, &f), PLAT_CTX_BAD_SIZE); /* mark */
	ck_assert_int_eq(plat_ctx_access(cs, 16, 4, true, true, &f), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(cs, 4, 4, true, true, &f), PLAT_CTX_DENIED);
	/* bpf_sock_addr: 8-byte access to user_ip6 (offset 8) */
	const struct plat_prog_type *sa = plat_prog_type_by_name(plat, "cgroup_sock_addr");
	ck_assert_int_eq(plat_ctx_access(sa, 8, 8, true, true, &f), PLAT_CTX_OK);
	ck_assert_str_eq(f->name, "user_ip6");
	ck_assert_int_eq(plat_ctx_access(sa, 28, 4, true, true, &f), PLAT_CTX_DENIED); /* family */
	/* helper sets follow the kernel's *_func_proto switches */
	const struct plat_prog_type *cg = plat_prog_type_by_name(plat, "cgroup_skb");
	ck_assert(plat_helper_allowed(cg, plat_helper_by_name(plat, "sk_lookup_tcp")->id, true));
	ck_assert(plat_helper_allowed(cg, plat_helper_by_name(plat, "get_local_storage")->id, false));
	ck_assert(!plat_helper_allowed(cg, plat_helper_by_name(plat, "get_retval")->id, true));
	ck_assert(!plat_helper_allowed(so, plat_helper_by_name(plat, "get_retval")->id, true));
	ck_assert(plat_helper_allowed(so, plat_helper_by_name(plat, "get_local_storage")->id, true));
	ck_assert(plat_helper_allowed(cs, plat_helper_by_name(plat, "get_retval")->id, true));
	ck_assert(!plat_helper_allowed(cs, plat_helper_by_name(plat, "skc_to_tcp_sock")->id, true));
	ck_assert(plat_helper_allowed(plat_prog_type_by_name(plat, "sched_cls"),
	                              plat_helper_by_name(plat, "skc_to_tcp_sock")->id, true));
}
END_TEST

START_TEST(return_ranges)
{
	const struct plat_prog_type *t = plat_prog_type_by_name(plat, "cgroup_skb");
	ck_assert(t->has_return_range);
	ck_assert_int_eq(t->ret_min, 0);
	ck_assert_int_eq(t->ret_max, 3);
	t = plat_prog_type_by_name(plat, "cgroup_sock");
	ck_assert(t->has_return_range && t->ret_min == 0 && t->ret_max == 1);
	ck_assert(!plat_prog_type_by_name(plat, "xdp")->has_return_range);
	ck_assert(!plat_prog_type_by_name(plat, "socket_filter")->has_return_range);
	/* where the range depends on the attach point, the widest is recorded */
	ck_assert(!plat_prog_type_by_name(plat, "lsm")->has_return_range);
	t = plat_prog_type_by_name(plat, "cgroup_sock_addr");
	ck_assert(t->has_return_range && t->ret_min == 0 && t->ret_max == 3);
}
END_TEST

START_TEST(helpers_per_type)
{
	const struct plat_prog_type *xdp = plat_prog_type_by_name(plat, "xdp");
	const struct plat_prog_type *sf = plat_prog_type_by_name(plat, "socket_filter");
	const struct plat_prog_type *kp = plat_prog_type_by_name(plat, "kprobe");
	const struct plat_prog_type *tp = plat_prog_type_by_name(plat, "tracepoint");
	const struct plat_prog_type *ext = plat_prog_type_by_name(plat, "ext");
	ck_assert(plat_helper_allowed(xdp, 44, true));  /* xdp_adjust_head */
	ck_assert(plat_helper_allowed(xdp, 1, true));   /* map_lookup_elem */
	ck_assert(!plat_helper_allowed(xdp, 9, true));  /* skb_store_bytes */
	ck_assert(plat_helper_allowed(sf, 26, false));  /* skb_load_bytes, unprivileged */
	ck_assert(plat_helper_allowed(sf, 6, true));    /* trace_printk with CAP_PERFMON */
	ck_assert(!plat_helper_allowed(sf, 6, false));  /* ... not without */
	ck_assert(!plat_helper_allowed(sf, 93, false)); /* spin_lock needs CAP_BPF */
	ck_assert(plat_helper_allowed(kp, 113, true));  /* probe_read_kernel */
	ck_assert(plat_helper_allowed(kp, 58, true));   /* override_return */
	ck_assert(!plat_helper_allowed(tp, 58, true));  /* override_return: kprobes only */
	ck_assert(!plat_helper_allowed(kp, 23, true));  /* redirect */
	ck_assert(!plat_helper_allowed(kp, 0, true));   /* unspec */
	ck_assert(!plat_helper_allowed(kp, 100000, true));
	ck_assert(plat_helper_allowed(ext, 9, true)); /* freplace: anything with a prototype */
	ck_assert(!plat_helper_allowed(ext, 0, true));
}
END_TEST

/* ---- map types ---- */

START_TEST(map_type_names)
{
	ck_assert_int_eq(plat_map_type_from_name(plat, "hash"), 1);
	ck_assert_int_eq(plat_map_type_from_name(plat, "array"), 2);
	ck_assert_int_eq(plat_map_type_from_name(plat, "BPF_MAP_TYPE_ARRAY"), 2);
	ck_assert_int_eq(plat_map_type_from_name(plat, "bpf_map_type_ringbuf"), -1);
	ck_assert_int_eq(plat_map_type_from_name(plat, "ringbuf"), 27);
	ck_assert_int_eq(plat_map_type_from_name(plat, "27"), 27);
	ck_assert_int_eq(plat_map_type_from_name(plat, "arena"), 33);
	ck_assert_int_eq(plat_map_type_from_name(plat, "99"), -1);
	ck_assert_int_eq(plat_map_type_from_name(plat, "2x"), -1);
	ck_assert_int_eq(plat_map_type_from_name(plat, "nope"), -1);
	ck_assert_int_eq(plat_map_type_from_name(plat, ""), -1);
	ck_assert_int_eq(plat_map_type_from_name(plat, NULL), -1);
	for (size_t i = 0; i < plat_map_type_count(plat); i++) {
		const struct plat_map_type *m = plat_map_type_at(plat, i);
		ck_assert_ptr_eq(plat_map_type_by_id(plat, m->id), m);
		ck_assert_ptr_eq(plat_map_type_by_name(plat, m->name), m);
	}
	ck_assert_int_eq(plat_map_type_by_name(plat, "hash")->lookup, PLAT_LOOKUP_VALUE);
	ck_assert_int_eq(plat_map_type_by_name(plat, "sockmap")->lookup, PLAT_LOOKUP_SOCKET);
	ck_assert_int_eq(plat_map_type_by_name(plat, "prog_array")->lookup, PLAT_LOOKUP_NONE);
	ck_assert(plat_map_type_by_name(plat, "percpu_array")->percpu);
}
END_TEST

START_TEST(map_rules)
{
	struct bpfc_error err;
	const struct plat_map_type *rb = plat_map_type_by_name(plat, "ringbuf");
	ck_assert_int_eq(plat_map_check(rb, "events", 0, 0, 4096, &err), 0);
	ck_assert_int_eq(plat_map_check(rb, "events", 0, 0, 1 << 24, &err), 0);
	ck_assert_int_eq(plat_map_check(rb, "events", 0, 0, 4095, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(
	    err.msg, "map events (ringbuf): max_entries 4095, expected a power of 2 and a multiple of 4096");
	ck_assert_int_eq(plat_map_check(rb, "events", 0, 0, 2048, &err), BPFC_ERR_INPUT);
	ck_assert_int_eq(plat_map_check(rb, "events", 4, 0, 4096, &err), BPFC_ERR_INPUT);
	const struct plat_map_type *arr = plat_map_type_by_name(plat, "array");
	ck_assert_int_eq(plat_map_check(arr, "a", 4, 64, 1, &err), 0);
	ck_assert_int_eq(plat_map_check(arr, "a", 8, 64, 1, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(err.msg, "map a (array): key size 8, expected 4");
	ck_assert_int_eq(plat_map_check(arr, NULL, 4, 64, 0, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(err.msg, "map (unnamed) (array): max_entries 0, expected more than 0");
	const struct plat_map_type *h = plat_map_type_by_name(plat, "hash");
	ck_assert_int_eq(plat_map_check(h, "h", 0, 8, 10, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(err.msg, "map h (hash): key size 0, expected at least 1");
	const struct plat_map_type *q = plat_map_type_by_name(plat, "queue");
	ck_assert_int_eq(plat_map_check(q, "q", 0, 8, 10, &err), 0);
	const struct plat_map_type *pa = plat_map_type_by_name(plat, "prog_array");
	ck_assert_int_eq(plat_map_check(pa, "jt", 4, 8, 10, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(err.msg, "map jt (prog_array): value size 8, expected 4");
	const struct plat_map_type *dm = plat_map_type_by_name(plat, "devmap");
	ck_assert_int_eq(plat_map_check(dm, "d", 4, 8, 10, &err), 0);
	ck_assert_int_eq(plat_map_check(dm, "d", 4, 6, 10, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(err.msg, "map d (devmap): value size 6, expected one of 4 8");
	const struct plat_map_type *st = plat_map_type_by_name(plat, "stack_trace");
	ck_assert_int_eq(plat_map_check(st, "s", 4, 12, 10, &err), BPFC_ERR_INPUT);
	ck_assert_str_eq(err.msg,
	                 "map s (stack_trace): value size 12, expected at least 8 and a multiple of 8");
}
END_TEST

START_TEST(map_helper_compatibility)
{
	ck_assert(plat_map_helper_ok(plat, 3, 12));  /* prog_array + tail_call */
	ck_assert(!plat_map_helper_ok(plat, 1, 12)); /* hash + tail_call */
	ck_assert(plat_map_helper_ok(plat, 1, 1));   /* hash + map_lookup_elem */
	ck_assert(!plat_map_helper_ok(plat, 3, 1));  /* prog_array + map_lookup_elem */
	ck_assert(!plat_map_helper_ok(plat, 27, 1)); /* ringbuf + map_lookup_elem */
	ck_assert(plat_map_helper_ok(plat, 27, 130));
	ck_assert(!plat_map_helper_ok(plat, 2, 130)); /* array + ringbuf_output */
	ck_assert(plat_map_helper_ok(plat, 14, 51));  /* devmap + redirect_map */
	ck_assert(!plat_map_helper_ok(plat, 1, 51));
	ck_assert(plat_map_helper_ok(plat, 22, 87)); /* queue + map_push_elem */
	ck_assert(!plat_map_helper_ok(plat, 1, 87));
	ck_assert(!plat_map_helper_ok(plat, 99, 1));
	ck_assert(!plat_map_helper_ok(plat, 1, 5000));
}
END_TEST

/* ---- properties ---- */

START_TEST(property_catalogue)
{
	static const char *const ids[] = {
	    "VF-UNREACHABLE",        "VF-FALL-OFF-END",    "VF-RECURSION",       "VF-CALL-DEPTH",
	    "VF-TOO-LARGE",          "VF-LIMIT-REACHED",   "VF-UNINIT-REG",      "VF-UNINIT-STACK",
	    "VF-WRITE-R10",          "VF-INVALID-DEREF",   "VF-NULL-DEREF",      "VF-STACK-BOUNDS",
	    "VF-MAP-VALUE-BOUNDS",   "VF-PACKET-BOUNDS",   "VF-CTX-ACCESS",      "VF-MEM-BOUNDS",
	    "VF-READ-ONLY",          "VF-POINTER-ARITH",   "VF-POINTER-COMPARE", "VF-HELPER-ARG",
	    "VF-HELPER-UNAVAILABLE", "VF-HELPER-UNKNOWN",  "VF-RETURN-RANGE",    "VF-RETURN-UNINIT",
	    "VF-REF-LEAK",           "VF-REF-RELEASE",     "VF-POINTER-LEAK",    "VF-LOOP-UNBOUNDED",
	    "VF-DIV-BY-ZERO",        "VF-MISALIGNED",      "VF-INVALID-INSN",    "VF-BAD-MAP-REF",
	    "VF-STACK-SIZE",         "ISA-UNKNOWN-OPCODE", "ISA-RESERVED-FIELD", "ISA-BAD-REGISTER",
	    "ISA-BAD-IMM",           "ISA-BAD-OFFSET",     "ISA-BAD-SRC",        "ISA-JUMP-OUT-OF-RANGE",
	    "ISA-JUMP-INTO-WIDE",    "ISA-WIDE-TRUNCATED", "ISA-NONSTANDARD",    "ISA-GROUP-NOT-ALLOWED"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct plat_property *pr = plat_property_find(plat, ids[i]);
		ck_assert_msg(pr != NULL, "missing %s", ids[i]);
		if (strncmp(ids[i], "ISA-", 4) == 0)
			ck_assert_int_eq(pr->category, PLAT_CAT_DEFINED_BEHAVIOR);
	}
	for (size_t i = 0; i < plat_property_count(plat); i++) {
		const struct plat_property *pr = plat_property_at(plat, i);
		ck_assert(pr->id[0] && pr->title[0] && pr->explanation[0] && pr->hint[0]);
		ck_assert_ptr_eq(plat_property_find(plat, pr->id), pr);
		ck_assert_str_ne(plat_category_name(pr->category), "?");
	}
	const struct plat_property *u = plat_property_find(plat, "VF-UNINIT-STACK");
	ck_assert_int_eq(u->default_severity, PLAT_SEV_WARNING);
	ck_assert_int_eq(u->unprivileged_severity, PLAT_SEV_ERROR);
	ck_assert_int_eq(plat_property_find(plat, "VF-POINTER-LEAK")->default_severity, PLAT_SEV_WARNING);
	ck_assert_int_eq(plat_property_find(plat, "VF-NULL-DEREF")->default_severity, PLAT_SEV_ERROR);
	ck_assert_int_eq(plat_property_find(plat, "VF-LOOP-UNBOUNDED")->category, PLAT_CAT_TERMINATES);
	ck_assert_str_eq(plat_severity_name(PLAT_SEV_WARNING), "warning");
	ck_assert_int_eq(plat_property_find(plat, "VF-KERNEL-IMPRECISE")->default_severity, PLAT_SEV_NOTE);
	ck_assert_int_eq(plat_property_find(plat, "VF-KERNEL-IMPRECISE")->unprivileged_severity,
	                 PLAT_SEV_NOTE);
	ck_assert_str_eq(plat_severity_name(PLAT_SEV_NOTE), "note");
	ck_assert_ptr_null(plat_property_find(plat, "VF-NOPE"));
	ck_assert_ptr_null(plat_property_at(plat, plat_property_count(plat)));
	struct plat_privilege pv = plat_privilege(plat, true), up = plat_privilege(plat, false);
	ck_assert(pv.allow_ptr_leaks && pv.allow_uninit_stack);
	ck_assert(!up.allow_ptr_leaks && !up.allow_uninit_stack);
}
END_TEST

/* Every rule id the library's sources report ("VF-..." / "ISA-..." string literals under src/ and
 * cli/) has an entry in the catalogue, so reports can always explain their findings. */
static void check_ids_in_dir(const char *dir, int *files)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (n > 2 && (strcmp(e->d_name + n - 2, ".c") == 0 || strcmp(e->d_name + n - 2, ".h") == 0)) {
			char *text = tu_read_file(path, NULL);
			ck_assert_ptr_nonnull(text);
			(*files)++;
			for (char *q = text; (q = strchr(q, '"')) != NULL; q++) {
				if (strncmp(q + 1, "VF-", 3) != 0 && strncmp(q + 1, "ISA-", 4) != 0)
					continue;
				size_t len = strspn(q + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
				if (q[1 + len] != '"' || q[len] == '-')
					continue; /* a prefix being built, not a whole id */
				char id[64];
				snprintf(id, sizeof(id), "%.*s", (int)(len < 63 ? len : 63), q + 1);
				ck_assert_msg(plat_property_find(plat, id) != NULL,
				              "%s uses rule id %s, missing from properties.json", path, id);
			}
			free(text);
		} else if (!strchr(e->d_name, '.')) {
			check_ids_in_dir(path, files);
		}
	}
	closedir(d);
}

START_TEST(source_rule_ids_catalogued)
{
	int files = 0;
	check_ids_in_dir(BPFCHECK_SOURCE_DIR "/src", &files);
	check_ids_in_dir(BPFCHECK_SOURCE_DIR "/cli", &files);
	ck_assert_int_gt(files, 5);
}
END_TEST

/* ---- rejected descriptions ---- */

static void expect_reject(const char *helpers, const char *progs, const char *maps, const char *props,
                          const char *want1, const char *want2)
{
	struct plat_platform *p = (void *)1;
	struct bpfc_error err;
	int rc = plat_platform_parse("linux", helpers, progs, maps, props, &p, &err);
	ck_assert_int_eq(rc, BPFC_ERR_INPUT);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err.msg, want1) && strstr(err.msg, want2), "message: %s", err.msg);
}

static const char *H_OK = "{\"helpers\": [{\"id\": 0, \"name\": \"unspec\"},"
                          "{\"id\": 1, \"name\": \"map_lookup_elem\", \"args\": [\"const_map_ptr\", "
                          "\"ptr_to_map_key\"], \"ret\": \"map_value_or_null\"}]}";
static const char *M_OK =
    "{\"map_types\": [{\"name\": \"hash\", \"id\": 1, \"key_size\": {\"min\": 1}, "
    "\"value_size\": {\"min\": 1}, \"max_entries\": \"positive\", \"lookup\": \"value\"}]}";
static const char *T_HEAD =
    "{\"privilege\": {\"privileged\": {\"allow_ptr_leaks\": true}, \"unprivileged\": {}},"
    "\"helper_sets\": {\"base\": {\"privilege\": \"none\", \"helpers\": [\"map_lookup_elem\"]}},"
    "\"context_layouts\": [{\"name\": \"c\", \"size\": 8, \"fields\": [{\"name\": \"a\", "
    "\"offset\": 0, \"size\": 4, \"access_sizes\": [4]}]}],";

START_TEST(minimal_description_loads)
{
	char progs[1024];
	snprintf(progs, sizeof(progs),
	         "%s\"program_types\": [{\"name\": \"t\", \"id\": 1, \"context\": \"c\", \"read\": [\"a\"], "
	         "\"write\": [], \"return\": [0, 1], \"helper_sets\": [\"base\"]}]}",
	         T_HEAD);
	struct plat_platform *p;
	struct bpfc_error err;
	ck_assert_msg(plat_platform_parse("linux", H_OK, progs, M_OK, NULL, &p, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(plat_helper_count(p), 2);
	ck_assert_uint_eq(plat_helper_proto_count(p), 1);
	const struct plat_prog_type *t = plat_prog_type_by_name(p, "t");
	ck_assert(plat_helper_allowed(t, 1, false));
	ck_assert_int_eq(plat_ctx_access(t, 0, 4, false, false, NULL), PLAT_CTX_OK);
	ck_assert_int_eq(plat_ctx_access(t, 4, 4, false, false, NULL), PLAT_CTX_NO_FIELD);
	plat_platform_free(p);
}
END_TEST

START_TEST(bad_helpers_rejected)
{
	expect_reject("{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": [\"ptr_to_nowhere\"], \"ret\": "
	              "\"void\"}]}",
	              NULL, NULL, NULL, "platforms/linux/helpers.json",
	              "unknown argument kind \"ptr_to_nowhere\"");
	expect_reject(
	    "{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": [\"ptr_to_mem\", \"const_size\"], "
	    "\"ret\": \"integer\"}]}",
	    NULL, NULL, NULL, "helper 1 (x)", "needs exactly one of size_arg and size");
	expect_reject("{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": [\"anything\", \"const_size\"], "
	              "\"ret\": \"integer\"}]}",
	              NULL, NULL, NULL, "helper 1 (x)",
	              "argument 2 (const_size) is the size of no ptr_to_mem");
	expect_reject("{\"helpers\": [{\"id\": 1, \"name\": \"x\"}, {\"id\": 1, \"name\": \"y\"}]}", NULL,
	              NULL, NULL, "helper 1 (y)", "id already used by x");
	expect_reject("{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": []}]}", NULL, NULL, NULL,
	              "helper 1 (x)", "needs both \"args\" and \"ret\"");
	expect_reject(
	    "{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": [], \"ret\": \"void\", \"gpl\": true}]}",
	    NULL, NULL, NULL, "helpers[0]", "unknown key \"gpl\"");
	expect_reject("{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": [], \"ret\": \"integer\", "
	              "\"acquires\": true}]}",
	              NULL, NULL, NULL, "helper 1 (x)", "\"acquires\" needs a pointer return");
	expect_reject("{\"helpers\": [{\"id\": 70000, \"name\": \"x\"}]}", NULL, NULL, NULL, "helpers[0]",
	              "\"id\" must be an integer from 0 to 65535");
	expect_reject(
	    "{\"helpers\": [{\"id\": 1, \"name\": \"x\", \"args\": [], \"ret\": {\"kind\": \"integer\", "
	    "\"range\": [5, 1]}}]}",
	    NULL, NULL, NULL, "helper 1 (x)", "range minimum 5 is above maximum 1");
	expect_reject("{\"helpers\": [", NULL, NULL, NULL, "platforms/linux/helpers.json: line", "");
}
END_TEST

START_TEST(bad_prog_types_rejected)
{
	char progs[1024];
	snprintf(progs, sizeof(progs),
	         "%s\"program_types\": [{\"name\": \"t\", \"id\": 1, \"context\": \"nope\", \"read\": [], "
	         "\"write\": [], \"return\": null, \"helper_sets\": []}]}",
	         T_HEAD);
	expect_reject(H_OK, progs, M_OK, NULL, "prog_types.json: program type t",
	              "unknown context layout \"nope\"");
	snprintf(progs, sizeof(progs),
	         "%s\"program_types\": [{\"name\": \"t\", \"id\": 1, \"context\": \"c\", \"read\": [\"b\"], "
	         "\"write\": [], \"return\": null, \"helper_sets\": []}]}",
	         T_HEAD);
	expect_reject(H_OK, progs, M_OK, NULL, "program type t", "layout c has no field \"b\"");
	snprintf(progs, sizeof(progs),
	         "%s\"program_types\": [{\"name\": \"t\", \"id\": 1, \"context\": \"c\", \"read\": [], "
	         "\"write\": [], \"return\": null, \"helper_sets\": [\"tracing\"]}]}",
	         T_HEAD);
	expect_reject(H_OK, progs, M_OK, NULL, "program type t", "unknown helper set \"tracing\"");
	snprintf(progs, sizeof(progs),
	         "%s\"program_types\": [{\"name\": \"t\", \"id\": 1, \"context\": \"c\", \"read\": [], "
	         "\"write\": [], \"return\": [2, 1], \"helper_sets\": []}]}",
	         T_HEAD);
	expect_reject(H_OK, progs, M_OK, NULL, "program type t", "return range [2, 1] is empty");
	expect_reject(H_OK,
	              "{\"privilege\": {\"privileged\": {}, \"unprivileged\": {}}, \"helper_sets\": {}, "
	              "\"context_layouts\": [{\"name\": \"c\", \"size\": 8, \"fields\": [{\"name\": \"a\", "
	              "\"offset\": 6, \"size\": 4, \"access_sizes\": [4]}]}], \"program_types\": []}",
	              M_OK, NULL, "layout c: field a", "is not inside the 8-byte context");
	expect_reject(H_OK,
	              "{\"privilege\": {\"privileged\": {}, \"unprivileged\": {}}, \"helper_sets\": {\"s\": "
	              "{\"privilege\": \"none\", \"helpers\": [\"unspec\"]}}, \"context_layouts\": [], "
	              "\"program_types\": []}",
	              M_OK, NULL, "helper set s", "helper unspec has no prototype");
}
END_TEST

START_TEST(bad_maps_and_properties_rejected)
{
	expect_reject(
	    H_OK, NULL,
	    "{\"map_types\": [{\"name\": \"hash\", \"id\": 1, \"key_size\": {\"min\": 1}, \"value_size\": "
	    "{\"min\": 1}, \"max_entries\": \"lots\", \"lookup\": \"value\"}]}",
	    NULL, "map_types.json: map type 1 (hash)", "unknown max_entries rule \"lots\"");
	expect_reject(
	    H_OK, NULL,
	    "{\"map_types\": [{\"name\": \"hash\", \"id\": 1, \"key_size\": {\"min\": 1}, \"value_size\": "
	    "{\"min\": 1}, \"max_entries\": \"any\", \"lookup\": \"value\", \"helpers\": [\"nope\"]}]}",
	    NULL, "map type 1 (hash)", "helpers[0] is not a helper name");
	expect_reject(
	    NULL, NULL, NULL,
	    "{\"version\": 1, \"properties\": [{\"id\": \"VF-X\", \"title\": \"t\", \"category\": "
	    "\"terminates\", \"default_severity\": \"error\", \"unprivileged_severity\": \"error\", "
	    "\"explanation\": \"e\"}]}",
	    "properties/properties.json: property VF-X", "missing \"hint\"");
	expect_reject(
	    NULL, NULL, NULL,
	    "{\"version\": 1, \"properties\": [{\"id\": \"vf-lower\", \"title\": \"t\", \"category\": "
	    "\"terminates\", \"default_severity\": \"error\", \"unprivileged_severity\": \"error\", "
	    "\"explanation\": \"e\", \"hint\": \"h\"}]}",
	    "property vf-lower", "id must be VF-");
	expect_reject(
	    NULL, NULL, NULL,
	    "{\"version\": 1, \"properties\": [{\"id\": \"VF-X\", \"title\": \"t\", \"category\": "
	    "\"terminates\", \"default_severity\": \"error\", \"unprivileged_severity\": \"warning\", "
	    "\"explanation\": \"e\", \"hint\": \"h\"}]}",
	    "property VF-X", "cannot be weaker than the privileged one");
	/* severities order error, warning, note: a warning for root cannot be a note unprivileged */
	expect_reject(
	    NULL, NULL, NULL,
	    "{\"version\": 1, \"properties\": [{\"id\": \"VF-X\", \"title\": \"t\", \"category\": "
	    "\"terminates\", \"default_severity\": \"warning\", \"unprivileged_severity\": \"note\", "
	    "\"explanation\": \"e\", \"hint\": \"h\"}]}",
	    "property VF-X", "cannot be weaker than the privileged one");
	expect_reject(
	    NULL, NULL, NULL,
	    "{\"version\": 1, \"properties\": [{\"id\": \"VF-X\", \"title\": \"t\", \"category\": "
	    "\"terminates\", \"default_severity\": \"fatal\", \"unprivileged_severity\": \"error\", "
	    "\"explanation\": \"e\", \"hint\": \"h\"}]}",
	    "property VF-X", "\"error\", \"warning\" or \"note\"");
	expect_reject(NULL, NULL, NULL, "{\"version\": 2, \"properties\": []}", "properties.json",
	              "unsupported version 2");
}
END_TEST

/* Replaces the first occurrence of from in the embedded file name with to; NULL if absent. */
static char *mutate(const char *name, const char *from, const char *to)
{
	const char *text = bpfc_spec_text(name, NULL);
	const char *at = text ? strstr(text, from) : NULL;
	if (!at)
		return NULL;
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	ck_assert_ptr_nonnull(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

/* Small edits of the real files must be caught by the loader, with a message saying where. */
START_TEST(mutated_real_files_rejected)
{
	static const struct {
		const char *file, *from, *to, *want;
	} cases[] = {
	    {"platforms/linux/helpers.json", "\"ret\": \"map_value_or_null\"",
	     "\"ret\": \"map_value_or_nul\"",
	     "helper 1 (map_lookup_elem): unknown return kind \"map_value_or_nul\""},
	    {"platforms/linux/helpers.json", "\"size_arg\": 2", "\"size_arg\": 1",
	     "is not a later const_size argument"},
	    {"platforms/linux/helpers.json", "{\"id\": 2, \"name\": \"map_update_elem\"",
	     "{\"id\": 1, \"name\": \"map_update_elem\"",
	     "helper 1 (map_update_elem): id already used by map_lookup_elem"},
	    {"platforms/linux/prog_types.json", "\"kind\": \"packet\"", "\"kind\": \"pointer\"",
	     "unknown field kind \"pointer\""},
	    {"platforms/linux/prog_types.json", "\"csum_diff\", \"xdp_adjust_head\"",
	     "\"csum_diff\", \"xdp_adjust_had\"", "helper set xdp: helpers[2] is not a helper name"},
	    {"platforms/linux/prog_types.json", "\"name\": \"kprobe\", \"id\": 2",
	     "\"name\": \"kprobe\", \"id\": 1",
	     "program type kprobe: duplicates program type 1 (socket_filter)"},
	    {"platforms/linux/map_types.json", "\"name\": \"array\", \"id\": 2",
	     "\"name\": \"array\", \"id\": 64", "\"id\" must be an integer from 0 to 63"},
	    {"platforms/linux/map_types.json", "\"tail_call\": [\"prog_array\"]",
	     "\"tail_call\": [\"prog_aray\"]", "helper_map_types: tail_call: entry 0 is not a map type name"},
	    {"properties/properties.json", "\"category\": \"terminates\"", "\"category\": \"terminate\"",
	     "property VF-UNREACHABLE: unknown category \"terminate\""},
	    {"properties/properties.json", "\"id\": \"VF-FALL-OFF-END\"", "\"id\": \"VF-UNREACHABLE\"",
	     "property VF-UNREACHABLE: defined twice"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = mutate(cases[i].file, cases[i].from, cases[i].to);
		ck_assert_msg(text != NULL, "case %zu: pattern not found in %s", i, cases[i].file);
		const char *h = strstr(cases[i].file, "helpers") ? text : NULL;
		const char *t = strstr(cases[i].file, "prog_types") ? text : NULL;
		const char *m = strstr(cases[i].file, "map_types") ? text : NULL;
		const char *pr = strstr(cases[i].file, "properties") ? text : NULL;
		struct plat_platform *p = NULL;
		struct bpfc_error err;
		ck_assert_int_eq(plat_platform_parse("linux", h, t, m, pr, &p, &err), BPFC_ERR_INPUT);
		ck_assert_msg(strstr(err.msg, cases[i].file) && strstr(err.msg, cases[i].want),
		              "case %zu: %s", i, err.msg);
		free(text);
	}
}
END_TEST

/* Every truncation of every file is rejected without crashing (run under ASan in CI). */
START_TEST(truncated_files_rejected)
{
	static const char *const files[] = {"platforms/linux/helpers.json", "platforms/linux/map_types.json",
	                                    "platforms/linux/prog_types.json", "properties/properties.json"};
	for (size_t k = 0; k < 4; k++) {
		size_t len;
		const char *text = bpfc_spec_text(files[k], &len);
		char *buf = malloc(len + 1);
		ck_assert_ptr_nonnull(buf);
		for (size_t cut = 0; cut < len - 2; cut += 997) {
			memcpy(buf, text, cut);
			buf[cut] = '\0';
			const char *in[4] = {NULL, NULL, NULL, NULL};
			in[k] = buf;
			struct plat_platform *p = NULL;
			struct bpfc_error err;
			ck_assert_int_eq(plat_platform_parse("linux", in[0], in[2], in[1], in[3], &p, &err),
			                 BPFC_ERR_INPUT);
			ck_assert_ptr_null(p);
		}
		free(buf);
	}
}
END_TEST

START_TEST(unknown_platform)
{
	struct plat_platform *p = (void *)1;
	struct bpfc_error err;
	ck_assert_int_eq(plat_platform_load("windows", &p, &err), BPFC_ERR_USAGE);
	ck_assert_ptr_null(p);
	ck_assert_str_eq(err.msg, "unknown platform \"windows\" (no specs/platforms/windows/)");
	ck_assert_int_eq(plat_platform_load("../etc", &p, &err), BPFC_ERR_USAGE);
	plat_platform_free(NULL);
}
END_TEST

static void *get_linux(void *arg)
{
	(void)arg;
	return (void *)plat_linux();
}

START_TEST(shared_linux_platform)
{
	pthread_t th[4];
	void *res[4];
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, get_linux, NULL), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_join(th[i], &res[i]), 0);
	ck_assert_ptr_nonnull(res[0]);
	for (int i = 1; i < 4; i++)
		ck_assert_ptr_eq(res[i], res[0]);
	ck_assert_ptr_eq(plat_linux(), res[0]);
	ck_assert_uint_eq(plat_helper_count(plat_linux()), 212);
}
END_TEST

static Suite *platform_suite(void)
{
	Suite *s = suite_create("platform");
	TCase *files = tcase_create("files");
	tcase_add_test(files, every_spec_file_is_json);
	tcase_add_test(files, schema_matches_loader);
	suite_add_tcase(s, files);
	TCase *lk = tcase_create("lookups");
	tcase_add_checked_fixture(lk, setup, teardown);
	tcase_add_test(lk, counts);
	tcase_add_test(lk, map_lookup_elem_prototype);
	tcase_add_test(lk, helper_status_and_names);
	tcase_add_test(lk, helper_prototype_facts);
	tcase_add_test(lk, all_prototypes_consistent);
	tcase_add_test(lk, prog_type_lookup);
	tcase_add_test(lk, xdp_md_access);
	tcase_add_test(lk, sk_buff_rules_per_type);
	tcase_add_test(lk, kprobe_and_unmodelled);
	tcase_add_test(lk, sock_ops_and_bpf_sock);
	tcase_add_test(lk, return_ranges);
	tcase_add_test(lk, helpers_per_type);
	tcase_add_test(lk, map_type_names);
	tcase_add_test(lk, map_rules);
	tcase_add_test(lk, map_helper_compatibility);
	tcase_add_test(lk, property_catalogue);
	tcase_add_test(lk, source_rule_ids_catalogued);
	suite_add_tcase(s, lk);
	TCase *bad = tcase_create("validation");
	tcase_add_test(bad, minimal_description_loads);
	tcase_add_test(bad, bad_helpers_rejected);
	tcase_add_test(bad, bad_prog_types_rejected);
	tcase_add_test(bad, bad_maps_and_properties_rejected);
	tcase_add_test(bad, mutated_real_files_rejected);
	tcase_add_test(bad, truncated_files_rejected);
	tcase_add_test(bad, unknown_platform);
	tcase_add_test(bad, shared_linux_platform);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return tu_run_suite(platform_suite());
}
