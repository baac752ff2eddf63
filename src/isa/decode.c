/* Bytes <-> slots. The byte order decides the register nibble order and multi-byte fields
 * (RFC 9669 s3.1); everything after decoding works on host-order slots. */
#include <stdlib.h>
#include <string.h>

#include "bpfcheck/isa.h"

_Static_assert(sizeof(struct isa_slot) == 12 && offsetof(struct isa_slot, dst) == 1 &&
                   offsetof(struct isa_slot, src) == 2 && offsetof(struct isa_slot, off) == 4 &&
                   offsetof(struct isa_slot, imm) == 8,
               "the little-endian fast path writes this slot layout");

void isa_decode_slot(const uint8_t b[8], enum isa_byte_order order, struct isa_slot *out)
{
	out->opcode = b[0];
	if (order == ISA_BIG_ENDIAN) {
		out->dst = b[1] >> 4;
		out->src = b[1] & 0xf;
		out->off = (int16_t)(uint16_t)((unsigned)b[2] << 8 | b[3]);
		out->imm =
		    (int32_t)((uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7]);
	} else {
		out->dst = b[1] & 0xf;
		out->src = b[1] >> 4;
		out->off = (int16_t)(uint16_t)((unsigned)b[3] << 8 | b[2]);
		out->imm =
		    (int32_t)((uint32_t)b[7] << 24 | (uint32_t)b[6] << 16 | (uint32_t)b[5] << 8 | b[4]);
	}
}

void isa_encode_slot(const struct isa_slot *s, enum isa_byte_order order, uint8_t b[8])
{
	uint16_t off = (uint16_t)s->off;
	uint32_t imm = (uint32_t)s->imm;
	b[0] = s->opcode;
	if (order == ISA_BIG_ENDIAN) {
		b[1] = (uint8_t)((s->dst & 0xf) << 4 | (s->src & 0xf));
		b[2] = (uint8_t)(off >> 8);
		b[3] = (uint8_t)off;
		b[4] = (uint8_t)(imm >> 24);
		b[5] = (uint8_t)(imm >> 16);
		b[6] = (uint8_t)(imm >> 8);
		b[7] = (uint8_t)imm;
	} else {
		b[1] = (uint8_t)((s->src & 0xf) << 4 | (s->dst & 0xf));
		b[2] = (uint8_t)off;
		b[3] = (uint8_t)(off >> 8);
		b[4] = (uint8_t)imm;
		b[5] = (uint8_t)(imm >> 8);
		b[6] = (uint8_t)(imm >> 16);
		b[7] = (uint8_t)(imm >> 24);
	}
}

int isa_decode(const uint8_t *bytes, size_t len, enum isa_byte_order order, struct isa_slot **out,
               size_t *count, struct bpfc_error *err)
{
	*out = NULL;
	*count = 0;
	if (len % 8 != 0)
		return bpfc_error_set(err, BPFC_ERR_INPUT,
		                      "%zu bytes is not a whole number of 8-byte instruction slots "
		                      "(%zu trailing bytes after slot %zu)",
		                      len, len % 8, len / 8);
	size_t n = len / 8;
	/* Every byte of every slot is written below (padding as zero): no need to clear first. */
	struct isa_slot *slots = malloc((n ? n : 1) * sizeof(*slots));
	if (!slots)
		return bpfc_error_set(err, BPFC_ERR_NOMEM, "out of memory decoding %zu slots", n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (order == ISA_LITTLE_ENDIAN) {
		/* The host's own layout: one 8-byte load, the register byte split into two, and the
		 * slot written as two stores. */
		for (size_t i = 0; i < n; i++) {
			uint64_t w;
			memcpy(&w, bytes + 8 * i, sizeof(w));
			uint64_t head = (w & 0xff) | (w & 0xf00) | (w & 0xf000) << 4 | (w & 0xffff0000) << 16;
			uint32_t imm = (uint32_t)(w >> 32);
			memcpy(&slots[i], &head, sizeof(head));
			memcpy(&slots[i].imm, &imm, sizeof(imm));
		}
		*out = slots;
		*count = n;
		return BPFC_OK;
	}
#endif
	for (size_t i = 0; i < n; i++) {
		memset(&slots[i], 0, sizeof(slots[i]));
		isa_decode_slot(bytes + 8 * i, order, &slots[i]);
	}
	*out = slots;
	*count = n;
	return BPFC_OK;
}

uint64_t isa_slot_to_word(const struct isa_slot *s)
{
	return (uint64_t)(uint32_t)s->imm << 32 | (uint64_t)(uint16_t)s->off << 16 |
	       (uint64_t)(s->src & 0xf) << 12 | (uint64_t)(s->dst & 0xf) << 8 | s->opcode;
}

void isa_slot_from_word(uint64_t w, struct isa_slot *out)
{
	out->opcode = (uint8_t)w;
	out->dst = (uint8_t)((w >> 8) & 0xf);
	out->src = (uint8_t)((w >> 12) & 0xf);
	out->off = (int16_t)(uint16_t)(w >> 16);
	out->imm = (int32_t)(uint32_t)(w >> 32);
}
