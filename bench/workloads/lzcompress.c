/* Memory traffic: an LZ77-style compressor and decompressor over a generated 1 MiB buffer. Byte
 * loads and stores throughout; memcpy/memset become memory.copy/memory.fill (built with
 * -mbulk-memory). */
#include "workload.h"

#define INPUT_SIZE (1u << 20)
#define OUTPUT_CAPACITY (INPUT_SIZE + INPUT_SIZE / 64 + 16)
#define BLOCK_SIZE (64u << 10) /* matches never reach back across a block start */
#define HASH_BITS 12
#define MIN_MATCH 4
#define MAX_MATCH (MIN_MATCH + 127)
#define MAX_LITERALS 128

static u8 input[INPUT_SIZE];
static u8 compressed[OUTPUT_CAPACITY];
static u8 restored[INPUT_SIZE];
static u32 hash_table[1u << HASH_BITS];
static volatile u32 lz_reps = 30;

/* Text-like input: runs of one byte, literals from a small alphabet, and copies of earlier spans. */
static void generate_input(u32 seed) {
  u32 n = 0;
  while (n < INPUT_SIZE) {
    u32 r = lcg_next(&seed) >> 8;
    u32 length = 4 + (r >> 4) % 60;
    if (length > INPUT_SIZE - n) length = INPUT_SIZE - n;
    switch (r % 4) {
      case 0: __builtin_memset(input + n, 'a' + (r >> 10) % 26, length); break;
      case 1:
        for (u32 i = 0; i < length; i++) input[n + i] = (u8)(' ' + (lcg_next(&seed) >> 24) % 40);
        break;
      default:
        if (n >= length) {
          u32 from = (lcg_next(&seed) >> 8) % (n - length + 1);
          if (n - from > 32768) from = n - 32768 + from % (32768 - length);
          __builtin_memcpy(input + n, input + from, length);
        } else {
          __builtin_memset(input + n, '.', length);
        }
    }
    n += length;
  }
}

static u32 read32(const u8 *p) { return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24; }
static u32 hash4(const u8 *p) { return (read32(p) * 2654435761u) >> (32 - HASH_BITS); }

/* Tokens: 0x00|(n-1) then n literal bytes; 0x80|(length-MIN_MATCH) then a 16-bit distance. */
static u32 flush_literals(u8 *out, u32 o, const u8 *literals, u32 count) {
  while (count > 0) {
    u32 n = count < MAX_LITERALS ? count : MAX_LITERALS;
    out[o++] = (u8)(n - 1);
    __builtin_memcpy(out + o, literals, n);
    o += n; literals += n; count -= n;
  }
  return o;
}

static u32 compress_block(const u8 *block, u32 size, u8 *out, u32 o) {
  __builtin_memset(hash_table, 0xff, sizeof hash_table);
  u32 i = 0, literal_start = 0;
  while (i + MIN_MATCH <= size) {
    u32 h = hash4(block + i);
    u32 candidate = hash_table[h];
    hash_table[h] = i;
    if (candidate != 0xffffffffu && i - candidate < 65536u && read32(block + candidate) == read32(block + i)) {
      u32 length = MIN_MATCH;
      while (length < MAX_MATCH && i + length < size && block[candidate + length] == block[i + length]) length++;
      o = flush_literals(out, o, block + literal_start, i - literal_start);
      u32 distance = i - candidate;
      out[o++] = (u8)(0x80 | (length - MIN_MATCH));
      out[o++] = (u8)distance;
      out[o++] = (u8)(distance >> 8);
      i += length;
      literal_start = i;
    } else {
      i++;
    }
  }
  return flush_literals(out, o, block + literal_start, size - literal_start);
}

static u32 decompress(const u8 *in, u32 in_size, u8 *out) {
  u32 i = 0, o = 0;
  while (i < in_size) {
    u32 token = in[i++];
    if (token < 0x80) {
      u32 n = token + 1;
      __builtin_memcpy(out + o, in + i, n);
      i += n; o += n;
    } else {
      u32 length = (token & 0x7f) + MIN_MATCH;
      u32 distance = in[i] | (u32)in[i + 1] << 8;
      i += 2;
      if (distance >= length) {
        __builtin_memcpy(out + o, out + o - distance, length);
      } else { /* overlapping copy repeats the last `distance` bytes */
        for (u32 k = 0; k < length; k++) out[o + k] = out[o + k - distance];
      }
      o += length;
    }
  }
  return o;
}

EXPORT u32 run(void) {
  u32 reps = lz_reps;
  u32 h = 0x811c9dc5u;
  for (u32 r = 0; r < reps; r++) {
    generate_input(1000u + r);
    u32 size = 0;
    for (u32 start = 0; start < INPUT_SIZE; start += BLOCK_SIZE)
      size = compress_block(input + start, BLOCK_SIZE, compressed, size);
    __builtin_memset(restored, 0, INPUT_SIZE);
    u32 restored_size = decompress(compressed, size, restored);
    u32 mismatches = restored_size != INPUT_SIZE;
    for (u32 i = 0; i < INPUT_SIZE; i++) mismatches += restored[i] != input[i];
    for (u32 i = 0; i < size; i += 7) h = fnv_mix(h, compressed[i]);
    h = fnv_mix(fnv_mix(h, size), mismatches);
  }
  return h;
}
