// The hot loop of the artifact verifier (Sources/Swasm/Artifact/CodeVerifier.swift), in C for
// tight code: it visits every instruction of a deserialized function.
#ifndef SWASM_CODE_CHECK_H
#define SWASM_CODE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "SwasmOpcodeTable.h"

typedef uint16_t swasm_u16x4 __attribute__((vector_size(8)));
typedef uint32_t swasm_u32x4 __attribute__((vector_size(16)));

/// Why `swasm_check_instructions` stopped (0: it did not).
enum swasm_code_problem {
  SWASM_CODE_OK = 0,
  SWASM_CODE_BOUNDARY,   /* the start bitmap does not match the instruction lengths */
  SWASM_CODE_OPCODE,     /* unknown opcode */
  SWASM_CODE_TABLE,      /* a br_table runs past the end of the code */
  SWASM_CODE_LENGTH,     /* an instruction runs past the end of the code */
  SWASM_CODE_SLOT,       /* a slot operand lies outside the frame */
};

/// Walks the instructions the start bitmap names: each start must follow the previous one by its
/// length, opcodes must be known, instructions must fit in `count` words, slot operands must lie
/// below `frame`. Positions of instructions whose `info` has a bit of `closer` are written to
/// `list` (room for `count` entries) and counted in `*listed`. On a problem, returns it and sets
/// `*at` to the instruction's position; `*last` is the last instruction's position.
static inline int swasm_check_instructions(const uint64_t *code, size_t count, const uint64_t *starts, uint64_t frame,
                                           uint64_t closer, uint32_t *list, size_t *listed, size_t *at, size_t *last) {
  size_t expected = 0, position = 0, found = 0;
  size_t words = (count + 63) / 64;
  for (size_t word = 0; word < words; word++) {
    for (uint64_t bits = starts[word]; bits != 0; bits &= bits - 1) {
      position = word * 64 + (size_t)__builtin_ctzll(bits);
      *at = position;
      if (__builtin_expect(position != expected, 0)) return SWASM_CODE_BOUNDARY;
      uint64_t raw = code[position];
      if (__builtin_expect(raw >= sizeof swasm_opcode_table / sizeof swasm_opcode_table[0], 0)) return SWASM_CODE_OPCODE;
      swasm_opcode_facts facts = swasm_opcode_table[raw];
      size_t remaining = count - position;
      size_t length = (size_t)((facts.info >> 32) & 0xf);
      if (__builtin_expect(length == 0, 0)) { /* br_table: [h][x][n][n + 1 targets] */
        if (remaining <= 3 || code[position + 2] >= remaining) return SWASM_CODE_TABLE;
        length = 4 + (size_t)code[position + 2];
      }
      if (__builtin_expect(length > remaining, 0)) return SWASM_CODE_LENGTH;
      expected = position + length;
      if (facts.slots != 0) {
        /* The four 16-bit fields at once, widened to 32 bits: slot + width must not pass the
           frame in any field that is a slot (width != 0). */
        swasm_u16x4 slots, widths;
        uint64_t operands = code[position + 1];
        __builtin_memcpy(&slots, &operands, 8);
        __builtin_memcpy(&widths, &facts.slots, 8);
        swasm_u32x4 ends = __builtin_convertvector(slots, swasm_u32x4) + __builtin_convertvector(widths, swasm_u32x4);
        swasm_u32x4 over = (ends > (uint32_t)frame) & (__builtin_convertvector(widths, swasm_u32x4) != 0);
        if (__builtin_expect((over[0] | over[1] | over[2] | over[3]) != 0, 0)) return SWASM_CODE_SLOT;
      }
      list[found] = (uint32_t)position;
      found += (facts.info & closer) != 0;
    }
  }
  *listed = found;
  *last = position;
  *at = position;
  return expected == count ? SWASM_CODE_OK : SWASM_CODE_BOUNDARY;
}

#endif
