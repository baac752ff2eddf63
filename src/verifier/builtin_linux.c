/* The Linux facts the engine consults, built in until the platform module's tables
 * (include/bpfcheck/platform.h, specs/platforms/linux) are wired in: helper prototypes for the
 * helpers bpfcheck models, context layouts and return ranges per program type. A helper that is
 * not in this table is reported (VF-HELPER-UNKNOWN), never assumed safe. */
#include <string.h>

#include "verifier/engine.h"

#define RW_SKB_ALL (PTC_TC | PTC_SOCKET | PTC_CGSKB)

/* .write: classes that may write; .kind for packet pointers. Reads: see skb_read_ok(). */
static const struct vf_ctx_field xdp_fields[] = {
    {0, 4, CF_PKT, 0},  {4, 4, CF_PKT_END, 0}, {8, 4, CF_PKT_META, 0},
    {12, 4, CF_SCALAR, 0}, {16, 4, CF_SCALAR, 0}, {20, 4, CF_SCALAR, 0},
};

static const struct vf_ctx_field skb_fields[] = {
    {0, 4, CF_SCALAR, 0},                        /* len */
    {4, 4, CF_SCALAR, 0},                        /* pkt_type */
    {8, 4, CF_SCALAR, PTC_TC | PTC_CGSKB},       /* mark */
    {12, 4, CF_SCALAR, PTC_TC},                  /* queue_mapping */
    {16, 4, CF_SCALAR, 0},                       /* protocol */
    {20, 4, CF_SCALAR, 0},                       /* vlan_present */
    {24, 4, CF_SCALAR, 0},                       /* vlan_tci */
    {28, 4, CF_SCALAR, 0},                       /* vlan_proto */
    {32, 4, CF_SCALAR, PTC_TC | PTC_CGSKB},      /* priority */
    {36, 4, CF_SCALAR, 0},                       /* ingress_ifindex */
    {40, 4, CF_SCALAR, 0},                       /* ifindex */
    {44, 4, CF_SCALAR, PTC_TC},                  /* tc_index */
    {48, 4, CF_SCALAR, RW_SKB_ALL},              /* cb[0] */
    {52, 4, CF_SCALAR, RW_SKB_ALL},              /* cb[1] */
    {56, 4, CF_SCALAR, RW_SKB_ALL},              /* cb[2] */
    {60, 4, CF_SCALAR, RW_SKB_ALL},              /* cb[3] */
    {64, 4, CF_SCALAR, RW_SKB_ALL},              /* cb[4] */
    {68, 4, CF_SCALAR, 0},                       /* hash */
    {72, 4, CF_SCALAR, PTC_TC},                  /* tc_classid */
    {76, 4, CF_PKT, 0},                          /* data */
    {80, 4, CF_PKT_END, 0},                      /* data_end */
    {84, 4, CF_SCALAR, 0},                       /* napi_id */
    {88, 4, CF_SCALAR, 0},                       /* family */
    {92, 4, CF_SCALAR, 0},                       /* remote_ip4 */
    {96, 4, CF_SCALAR, 0},                       /* local_ip4 */
    {100, 16, CF_SCALAR, 0},                     /* remote_ip6[4] */
    {116, 16, CF_SCALAR, 0},                     /* local_ip6[4] */
    {132, 4, CF_SCALAR, 0},                      /* remote_port */
    {136, 4, CF_SCALAR, 0},                      /* local_port */
    {140, 4, CF_PKT_META, 0},                    /* data_meta */
    {152, 8, CF_SCALAR, PTC_TC},                 /* tstamp */
    {160, 4, CF_SCALAR, 0},                      /* wire_len */
    {164, 4, CF_SCALAR, 0},                      /* gso_segs */
    {176, 4, CF_SCALAR, 0},                      /* gso_size */
    {184, 8, CF_SCALAR, 0},                      /* hwtstamp */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct vf_progtype progtypes[] = {
    {"xdp", PTC_XDP, 24, xdp_fields, N(xdp_fields), false, 0, 0, true},
    {"sched_cls", PTC_TC, 192, skb_fields, N(skb_fields), false, 0, 0, true},
    {"sched_act", PTC_TC, 192, skb_fields, N(skb_fields), false, 0, 0, true},
    {"tc", PTC_TC, 192, skb_fields, N(skb_fields), false, 0, 0, true},
    {"socket_filter", PTC_SOCKET, 192, skb_fields, N(skb_fields), false, 0, 0, false},
    {"socket", PTC_SOCKET, 192, skb_fields, N(skb_fields), false, 0, 0, false},
    {"cgroup_skb", PTC_CGSKB, 192, skb_fields, N(skb_fields), true, 0, 1, false},
    {"kprobe", PTC_KPROBE, 168, NULL, 0, false, 0, 0, false},
    {"uprobe", PTC_KPROBE, 168, NULL, 0, false, 0, 0, false},
    {"tracepoint", PTC_TRACEPT, 2048, NULL, 0, false, 0, 0, false},
    {"raw_tracepoint", PTC_TRACEPT, 2048, NULL, 0, false, 0, 0, false},
    {"perf_event", PTC_TRACEPT, 2048, NULL, 0, false, 0, 0, false},
};

const struct vf_progtype *vf_progtype_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < N(progtypes); i++)
		if (strcmp(progtypes[i].name, name) == 0)
			return &progtypes[i];
	return NULL;
}

#define BASE PTC_ALL
#define I64MIN INT64_MIN
#define I64MAX INT64_MAX
#define ERRNO -4095, 0
#define U32R 0, 4294967295LL
#define ANYR I64MIN, I64MAX

/* id, name, args, ret, range, availability, map type, pkt, acquire, release, callback */
static const struct vf_helper helpers[] = {
    {1, "map_lookup_elem", {A_MAP, A_MAP_KEY}, R_MAP_VALUE_OR_NULL, 0, 0, BASE, 0, false, false, false, false},
    {2, "map_update_elem", {A_MAP, A_MAP_KEY, A_MAP_VALUE, A_ANY}, R_INT, ERRNO, BASE, 0, false, false, false, false},
    {3, "map_delete_elem", {A_MAP, A_MAP_KEY}, R_INT, ERRNO, BASE, 0, false, false, false, false},
    {4, "probe_read", {A_UNINIT_MEM, A_SIZE, A_ANY}, R_INT, ERRNO, PTC_TRACING, 0, false, false, false, false},
    {5, "ktime_get_ns", {0}, R_INT, ANYR, BASE, 0, false, false, false, false},
    {6, "trace_printk", {A_MEM, A_CONST_SIZE}, R_INT, ANYR, BASE, 0, false, false, false, false},
    {7, "get_prandom_u32", {0}, R_INT, U32R, BASE, 0, false, false, false, false},
    {8, "get_smp_processor_id", {0}, R_INT, U32R, BASE, 0, false, false, false, false},
    {9, "skb_store_bytes", {A_CTX, A_ANY, A_MEM, A_CONST_SIZE, A_ANY}, R_INT, ERRNO, PTC_TC, 0, true, false, false,
     false},
    {10, "l3_csum_replace", {A_CTX, A_ANY, A_ANY, A_ANY, A_ANY}, R_INT, ERRNO, PTC_TC, 0, true, false, false, false},
    {11, "l4_csum_replace", {A_CTX, A_ANY, A_ANY, A_ANY, A_ANY}, R_INT, ERRNO, PTC_TC, 0, true, false, false, false},
    {12, "tail_call", {A_CTX, A_MAP, A_ANY}, R_INT, ANYR, BASE, 3 /* PROG_ARRAY */, false, false, false, false},
    {14, "get_current_pid_tgid", {0}, R_INT, ANYR, PTC_TRACING | PTC_CGSKB, 0, false, false, false, false},
    {15, "get_current_uid_gid", {0}, R_INT, ANYR, PTC_TRACING | PTC_CGSKB, 0, false, false, false, false},
    {16, "get_current_comm", {A_UNINIT_MEM, A_CONST_SIZE}, R_INT, ERRNO, PTC_TRACING, 0, false, false, false, false},
    {23, "redirect", {A_ANY, A_ANY}, R_INT, U32R, PTC_XDP | PTC_TC, 0, false, false, false, false},
    {25, "perf_event_output", {A_CTX, A_MAP, A_ANY, A_MEM, A_SIZE}, R_INT, ERRNO, BASE, 4 /* PERF_EVENT_ARRAY */,
     false, false, false, false},
    {26, "skb_load_bytes", {A_CTX, A_ANY, A_UNINIT_MEM, A_CONST_SIZE}, R_INT, ERRNO, PTC_SKB, 0, false, false, false,
     false},
    {28, "csum_diff", {A_MEM, A_SIZE, A_MEM, A_SIZE, A_ANY}, R_INT, ANYR, PTC_XDP | PTC_TC, 0, false, false, false,
     false},
    {35, "get_current_task", {0}, R_INT, ANYR, PTC_TRACING, 0, false, false, false, false},
    {36, "probe_write_user", {A_ANY, A_MEM, A_CONST_SIZE}, R_INT, ERRNO, PTC_TRACING, 0, false, false, false, false},
    {42, "get_numa_node_id", {0}, R_INT, ANYR, BASE, 0, false, false, false, false},
    {44, "xdp_adjust_head", {A_CTX, A_ANY}, R_INT, ERRNO, PTC_XDP, 0, true, false, false, false},
    {51, "redirect_map", {A_MAP, A_ANY, A_ANY}, R_INT, U32R, PTC_XDP, 0, false, false, false, false},
    {54, "xdp_adjust_meta", {A_CTX, A_ANY}, R_INT, ERRNO, PTC_XDP, 0, true, false, false, false},
    {65, "xdp_adjust_tail", {A_CTX, A_ANY}, R_INT, ERRNO, PTC_XDP, 0, true, false, false, false},
    {112, "probe_read_user", {A_UNINIT_MEM, A_SIZE, A_ANY}, R_INT, ERRNO, BASE, 0, false, false, false, false},
    {113, "probe_read_kernel", {A_UNINIT_MEM, A_SIZE, A_ANY}, R_INT, ERRNO, BASE, 0, false, false, false, false},
    {114, "probe_read_user_str", {A_UNINIT_MEM, A_SIZE, A_ANY}, R_INT, -4095, 2147483647, BASE, 0, false, false,
     false, false},
    {115, "probe_read_kernel_str", {A_UNINIT_MEM, A_SIZE, A_ANY}, R_INT, -4095, 2147483647, BASE, 0, false, false,
     false, false},
    {118, "jiffies64", {0}, R_INT, ANYR, BASE, 0, false, false, false, false},
    {125, "ktime_get_boot_ns", {0}, R_INT, ANYR, BASE, 0, false, false, false, false},
    {130, "ringbuf_output", {A_MAP, A_MEM, A_SIZE, A_ANY}, R_INT, ERRNO, BASE, 27 /* RINGBUF */, false, false, false,
     false},
    {131, "ringbuf_reserve", {A_MAP, A_ALLOC_SIZE, A_ANY}, R_MEM_OR_NULL, 0, 0, BASE, 27, false, true, false, false},
    {132, "ringbuf_submit", {A_RINGBUF_MEM, A_ANY}, R_VOID, 0, 0, BASE, 0, false, false, true, false},
    {133, "ringbuf_discard", {A_RINGBUF_MEM, A_ANY}, R_VOID, 0, 0, BASE, 0, false, false, true, false},
    {181, "loop", {A_ANY, A_FUNC, A_STACK_OR_NULL, A_ZERO}, R_INT, 0, 8388608, BASE, 0, false, false, false, true},
};

const struct vf_helper *vf_helper_find(int32_t id)
{
	for (size_t i = 0; i < N(helpers); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}
