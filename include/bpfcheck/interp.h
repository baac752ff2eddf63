/* The reference interpreter: executes a program exactly as RFC 9669 defines each instruction,
 * bounded (instruction budget, call depth) and memory-checked (only the given memory, the live
 * stack frames and caller-declared regions). It is the dynamic oracle for the conformance runner
 * and for testing the verifier: a bad program faults with a kind, an instruction index and a
 * message; it never crashes the host.
 *
 * Address space (virtual; registers never hold host pointers):
 *   ISA_INTERP_MEM_BASE      the input memory (r1 on entry, r2 = its length; r1 = 0 without memory)
 *   ISA_INTERP_STACK_BASE    frame k (0 = entry function) is the stack_size bytes below its r10 =
 *                            STACK_BASE + (k + 1) * FRAME_STRIDE; frames are far apart so an
 *                            overrun of one frame never lands in another
 *   caller regions           outside [MEM_BASE, STACK_BASE + RESERVED_STACK) (struct
 *                            isa_interp_region), e.g. map values */
#ifndef BPFCHECK_INTERP_H
#define BPFCHECK_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpfcheck/error.h"
#include "bpfcheck/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ISA_INTERP_MEM_BASE 0x10000000ull
#define ISA_INTERP_STACK_BASE 0x40000000ull
#define ISA_INTERP_FRAME_STRIDE 0x01000000ull
#define ISA_INTERP_MAX_FRAMES 64u
#define ISA_INTERP_RESERVED_STACK (ISA_INTERP_MAX_FRAMES * ISA_INTERP_FRAME_STRIDE)
#define ISA_INTERP_DEFAULT_BUDGET 10000000ull
#define ISA_INTERP_DEFAULT_DEPTH 8u
#define ISA_INTERP_DEFAULT_STACK 512u

enum isa_interp_fault {
	ISA_FAULT_NONE = 0,
	ISA_FAULT_INVALID_INSN, /* not in the ISA table, a field breaks its rule, bad jump target */
	ISA_FAULT_MEMORY,       /* load/store/atomic outside every accessible region */
	ISA_FAULT_READONLY,     /* store into a read-only region */
	ISA_FAULT_PACKET,       /* legacy packet load (ld_abs/ld_ind) outside the packet */
	ISA_FAULT_BUDGET,       /* instruction budget exhausted */
	ISA_FAULT_CALL_DEPTH,   /* local call deeper than max_call_depth */
	ISA_FAULT_HELPER,       /* no helper callback, or the callback refused the call */
	ISA_FAULT_UNSUPPORTED,  /* valid encoding that needs a platform (map lddw, gotox, arena) */
	ISA_FAULT_FELL_OFF,     /* execution ran past the last instruction */
	ISA_FAULT_COUNT
};

/* Stable lower-case name of a fault kind ("memory", "budget", ...). */
const char *isa_interp_fault_name(enum isa_interp_fault f);

/* A memory region the program may access besides the input memory and its stack. */
struct isa_interp_region {
	uint64_t addr; /* virtual address the program sees */
	uint8_t *data; /* host storage, len bytes */
	size_t len;
	bool writable;
	const char *name; /* for fault messages, e.g. "map 'counts' value" */
};

enum isa_interp_call_kind {
	ISA_CALL_HELPER, /* call imm (src=0): helper by static id */
	ISA_CALL_BTF,    /* call imm (src=2): helper (kfunc) by BTF id */
	ISA_CALL_REG,    /* callx reg: non-standard; the id is the register's value (uBPF convention) */
};

struct isa_interp_vm; /* the running machine, handed to callbacks */

/* One helper call: args are r1..r5; the callback sets *ret (the new r0). */
struct isa_interp_call {
	enum isa_interp_call_kind kind;
	int64_t id;
	uint64_t args[5];
	size_t insn_idx;
	struct isa_interp_vm *vm; /* for isa_interp_mem_ptr */
};

/* Helper callback: return 0 and set *ret, or non-zero to fault (fill msg, msg_len bytes). */
typedef int (*isa_interp_helper_fn)(void *ctx, const struct isa_interp_call *call, uint64_t *ret, char *msg,
                                    size_t msg_len);

/* Resolves a 64-bit immediate load with src != 0 (map_by_fd, var_addr, ...) to the value the
 * destination register gets; return non-zero when it cannot (the program then faults). */
typedef int (*isa_interp_lddw_fn)(void *ctx, unsigned src, int32_t imm, int32_t next_imm, uint64_t *value);

/* Called after every executed instruction with the registers before and after it. */
typedef void (*isa_interp_trace_fn)(void *ctx, size_t insn_idx, const struct isa_slot *slot,
                                    const uint64_t before[11], const uint64_t after[11]);

struct isa_interp_opts {
	const struct isa_table *isa;    /* NULL: the built-in table */
	enum isa_byte_order byte_order; /* the host order the program assumes: loads, stores, le/be */
	uint64_t max_insns;             /* 0: ISA_INTERP_DEFAULT_BUDGET */
	unsigned max_call_depth;        /* frames including the entry one; 0: default (<= MAX_FRAMES) */
	uint32_t stack_size;            /* bytes per frame; 0: ISA_INTERP_DEFAULT_STACK */
	bool readonly_mem;              /* the input memory cannot be written */
	uint64_t may_goto_budget;       /* may_goto falls through this many times per run, then jumps */
	const struct isa_interp_region *regions;
	size_t region_count;
	isa_interp_helper_fn helper;
	void *helper_ctx;
	isa_interp_lddw_fn lddw;
	void *lddw_ctx;
	isa_interp_trace_fn trace;
	void *trace_ctx;
	/* 0: registers start at 0 (r1/r2 as above) and stack frames zeroed. Otherwise whatever a
	 * verifier treats as uninitialised holds values derived from poison instead: r0 and r2-r9
	 * at entry (r2 is then not the memory's length), each new stack frame's bytes, r1-r5 after a
	 * helper or local call, r6-r9 in a callee. Two runs with different poisons that behave
	 * differently read something uninitialised. */
	uint64_t poison;
};

struct isa_interp_result {
	uint64_t r0;
	enum isa_interp_fault fault; /* ISA_FAULT_NONE when the program exited normally */
	size_t insn_idx;             /* slot index of the faulting (or last executed) instruction */
	uint64_t executed;           /* instructions executed, the faulting one included */
	uint64_t fault_addr;         /* for MEMORY/READONLY/PACKET faults */
	uint32_t fault_size;
	char msg[512]; /* what happened, naming the instruction; empty when no fault */
};

/* A program decoded once for execution: every slot looked up in the table, checked against its
 * field rules, jump and call targets resolved. Immutable; run it any number of times. */
struct isa_interp_prog;

/* Prepares slots[0..count) for execution. An invalid program fails with BPFC_ERR_INPUT naming
 * the instruction index and why; *bad_idx (may be NULL) receives that index. */
int isa_interp_load(const struct isa_slot *slots, size_t count, const struct isa_interp_opts *opts,
                    struct isa_interp_prog **out, size_t *bad_idx, struct bpfc_error *err);

void isa_interp_prog_free(struct isa_interp_prog *prog);

/* Runs prog on mem (mem_len bytes, may be NULL/0; written to unless readonly_mem) from
 * instruction 0, in the byte order given to isa_interp_load (opts->byte_order is not consulted). The outcome,
 * fault or not, goes to *res; the return value is BPFC_OK unless the options are unusable (BPFC_ERR_USAGE) or
 * memory runs out (BPFC_ERR_NOMEM). */
int isa_interp_run(const struct isa_interp_prog *prog, uint8_t *mem, size_t mem_len,
                   const struct isa_interp_opts *opts, struct isa_interp_result *res, struct bpfc_error *err);

/* Load + run in one call; an invalid program becomes an ISA_FAULT_INVALID_INSN result. */
int isa_interp_exec(const struct isa_slot *slots, size_t count, uint8_t *mem, size_t mem_len,
                    const struct isa_interp_opts *opts, struct isa_interp_result *res,
                    struct bpfc_error *err);

/* Host pointer for len bytes at virtual address addr if they lie in one accessible region (and
 * it is writable when write is set), else NULL. For helper callbacks. */
void *isa_interp_mem_ptr(struct isa_interp_vm *vm, uint64_t addr, size_t len, bool write);

#ifdef __cplusplus
}
#endif
#endif
