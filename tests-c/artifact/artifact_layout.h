// The parts of swasm's artifact format (docs/artifact-format.md) that tests and the fuzz target
// need to edit artifacts: the checksum, and where each function's code lies.
#ifndef SWASM_TEST_ARTIFACT_LAYOUT_H
#define SWASM_TEST_ARTIFACT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { ARTIFACT_HEADER_SIZE = 64, ARTIFACT_CHECKSUM_AT = 48 };

static inline uint64_t artifact_load64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v; /* little-endian hosts */
}

static inline uint32_t artifact_load32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline uint64_t artifact_step(uint64_t lane, uint64_t word) {
  uint64_t mixed = lane + word * 0xc2b2ae3d27d4eb4fULL;
  return (mixed << 31) | (mixed >> 33);
}

static inline uint64_t artifact_mix(uint64_t hash, uint64_t value) {
  uint64_t mixed = (hash ^ value) * 0x9e3779b185ebca87ULL;
  return mixed ^ (mixed >> 29);
}

/* The format's checksum of `size` bytes. */
static inline uint64_t artifact_checksum(const uint8_t *bytes, size_t size) {
  const uint64_t p1 = 0x9e3779b185ebca87ULL, p2 = 0xc2b2ae3d27d4eb4fULL;
  uint64_t lanes[8] = {p1, p2, ~p1, ~p2, p1 ^ 1, p2 ^ 1, ~p1 ^ 1, ~p2 ^ 1};
  size_t at = 0;
  for (; at + 64 <= size; at += 64)
    for (int i = 0; i < 8; i++) lanes[i] = artifact_step(lanes[i], artifact_load64(bytes + at + 8 * i));
  uint64_t hash = artifact_mix(p2, (uint64_t)size);
  for (int i = 0; i < 8; i++) hash = artifact_mix(hash, lanes[i]);
  for (; at < size; at++) hash = artifact_mix(hash, (uint64_t)bytes[at] | 0x100);
  return hash ^ (hash >> 32);
}

/* Recomputes the checksum of an artifact after an edit (so that the verifier, not the checksum,
   judges the edit). No-op for artifacts shorter than a header. */
static inline void artifact_reseal(uint8_t *artifact, size_t size) {
  if (size < ARTIFACT_HEADER_SIZE) return;
  uint64_t sum = artifact_checksum(artifact + ARTIFACT_HEADER_SIZE, size - ARTIFACT_HEADER_SIZE);
  memcpy(artifact + ARTIFACT_CHECKSUM_AT, &sum, 8);
}

/* Where defined function `index` lies in an artifact: its first code word and word count, and its
   stack maps (the counts word: map count | slot count << 32, then the maps, then the slots). */
typedef struct {
  size_t code;
  uint32_t words;
  size_t stack_maps;
} artifact_function_layout;

/* Walks the function table: fills `out` with function `stop`'s layout and returns 1 when it is
   reached; otherwise stores where the table ends in `*end` and returns 2. 0 if the artifact is
   too short or malformed. */
static inline int artifact_walk_functions(const uint8_t *artifact, size_t size, uint32_t stop, artifact_function_layout *out,
                                          size_t *end) {
  size_t at = ARTIFACT_HEADER_SIZE;
  if (at + 8 > size) return 0;
  uint64_t module_size = artifact_load64(artifact + at);
  if (module_size > size) return 0;
  at += 8 + ((module_size + 7) & ~(uint64_t)7);
  if (at + 8 > size) return 0;
  uint32_t count = artifact_load32(artifact + at);
  at += 8;
  for (uint32_t f = 0; f < count; f++) {
    if (at + 32 > size) return 0;
    uint32_t flags = artifact_load32(artifact + at + 20);
    uint32_t code_words = artifact_load32(artifact + at + 24), offsets = artifact_load32(artifact + at + 28);
    at += 32;
    out->code = at;
    out->words = code_words;
    /* code, start bitmap, offsets, catch clauses (3 words each) */
    at += 8 * ((size_t)code_words + ((size_t)code_words + 63) / 64 + offsets + 3 * (size_t)(flags >> 8));
    if (at + 8 > size) return 0;
    out->stack_maps = at;
    uint64_t maps = artifact_load64(artifact + at);
    at += 8 + 8 * (size_t)(uint32_t)maps + ((2 * (size_t)(maps >> 32) + 7) & ~(size_t)7);
    if (at > size) return 0;
    if (f == stop) return 1;
  }
  *end = at;
  return 2;
}

/* The layout of defined function `index`; false if there is none or the artifact is too short
   or malformed. */
static inline int artifact_function_find(const uint8_t *artifact, size_t size, uint32_t index, artifact_function_layout *out) {
  size_t end;
  return artifact_walk_functions(artifact, size, index, out, &end) == 1;
}

/* The memory images: where their table starts (u32 count, u32 reserved, then per image u32 memory,
   u32 reserved, u64 byte count) and where the first image's bytes start (4096-aligned; 0 without
   images). False if the artifact is too short or malformed. */
static inline int artifact_images_find(const uint8_t *artifact, size_t size, size_t *table, size_t *bytes) {
  artifact_function_layout unused;
  size_t at;
  if (artifact_walk_functions(artifact, size, UINT32_MAX, &unused, &at) != 2) return 0;
  if (at + 8 > size) return 0;
  *table = at;
  uint32_t images = artifact_load32(artifact + at);
  at += 8 + 16 * (size_t)images;
  *bytes = images == 0 ? 0 : (at + 4095) & ~(size_t)4095;
  return *bytes <= size;
}

/* Byte offset of defined function `index`'s first code word, and its word count; 0 if the
   artifact is too short or malformed. */
static inline size_t artifact_function_code(const uint8_t *artifact, size_t size, uint32_t index, uint32_t *words) {
  artifact_function_layout layout;
  if (!artifact_function_find(artifact, size, index, &layout)) return 0;
  *words = layout.words;
  return layout.code;
}

#endif
