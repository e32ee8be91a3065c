// Values of the spec-test JSON (as written by wabt's wast2json): parsing, comparison, printing.
// No library calls: everything here is plain data, unit-tested by spec_values_test.c.
//
// JSON forms handled (all "value"s are strings):
//   {"type": "i32"|"i64", "value": "<unsigned decimal bit pattern>"}   (a leading '-' is accepted)
//   {"type": "f32"|"f64", "value": "<unsigned decimal bit pattern>" | "nan:canonical" | "nan:arithmetic"}
//   {"type": "v128", "lane_type": "i8"|"i16"|"i32"|"i64"|"f32"|"f64", "value": [one string per lane]}
//       (float lanes may be "nan:canonical" / "nan:arithmetic" in expected results)
//   {"type": "funcref", "value": "null" | anything else: a non-null function (expected results only)}
//   {"type": "externref", "value": "null" | "<N>"}                    (ref.extern N)
// NaN patterns are accepted only where `expected` is true (results, not arguments).
#ifndef SPEC_VALUES_H
#define SPEC_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

typedef enum spec_valkind {
  SPEC_I32,
  SPEC_I64,
  SPEC_F32,
  SPEC_F64,
  SPEC_V128,
  SPEC_FUNCREF,
  SPEC_EXTERNREF,
  SPEC_NULLREF, // an expected null reference of any type (wasm-tools' "refnull")
} spec_valkind_t;

typedef enum spec_lane_type {
  SPEC_LANE_I8,
  SPEC_LANE_I16,
  SPEC_LANE_I32,
  SPEC_LANE_I64,
  SPEC_LANE_F32,
  SPEC_LANE_F64,
} spec_lane_type_t;

// How a float (or float lane) is matched.
typedef enum spec_pattern {
  SPEC_EXACT,          // bit-for-bit
  SPEC_NAN_CANONICAL,  // any NaN whose payload is the canonical one (sign free)
  SPEC_NAN_ARITHMETIC, // any NaN whose payload has the top (quiet) bit set (sign free)
} spec_pattern_t;

typedef struct spec_value {
  spec_valkind_t kind;
  // I32/I64/F32/F64: the bit pattern, zero-extended; F32/F64 with a NaN pattern: 0.
  uint64_t bits;
  spec_pattern_t pattern; // F32/F64
  // V128: the 16 bytes, little-endian (lanes with a NaN pattern hold zeros), the lane type the
  // value was written with (it decides how a comparison reads the lanes) and each lane's pattern.
  uint8_t v128[16];
  spec_lane_type_t lane_type;
  spec_pattern_t lane_patterns[16];
  // FUNCREF/EXTERNREF.
  bool is_null;
  // EXTERNREF, non-null: N of ref.extern N. (A non-null FUNCREF stands for "any function".)
  uint64_t ref;
} spec_value_t;

// Number of lanes of a lane type (16, 8, 4, 2, 4, 2).
size_t spec_lane_count(spec_lane_type_t lane_type);

// "i32", "i64", "f32", "f64", "v128", "funcref", "externref".
const char *spec_valkind_name(spec_valkind_t kind);

// Parses a type name as written in the JSON; false if unknown.
bool spec_valkind_parse(const char *name, spec_valkind_t *out);

// Parses the decimal integer text `s` (`len` bytes) into a `width`-bit pattern (8, 16, 32 or
// 64): unsigned values up to 2^width-1, or with a leading '-' down to -2^(width-1) (stored as
// two's complement). False on anything else (empty, other characters, out of range).
bool spec_parse_int_bits(const char *s, size_t len, unsigned width, uint64_t *out);

// Parses one JSON value object into `*out`. `expected` allows the NaN patterns and the non-null
// funcref wildcard. Returns false with a message in `err` (`err_len` bytes) on any problem.
bool spec_value_parse(const json_value_t *json, bool expected, spec_value_t *out, char *err,
                      size_t err_len);

// Parses a JSON array of value objects into a new array (`*out`, `*count`; free() it; NULL for
// an empty array). Returns false with a message in `err` on any problem (nothing allocated).
bool spec_values_parse(const json_value_t *array, bool expected, spec_value_t **out, size_t *count,
                       char *err, size_t err_len);

// Builders for values produced by the runtime.
spec_value_t spec_value_i32(uint32_t bits);
spec_value_t spec_value_i64(uint64_t bits);
spec_value_t spec_value_f32(uint32_t bits);
spec_value_t spec_value_f64(uint64_t bits);
spec_value_t spec_value_v128(const uint8_t bytes[16]);
spec_value_t spec_value_funcref(bool is_null);
spec_value_t spec_value_externref(bool is_null, uint64_t n);

// Whether the f32 / f64 bit pattern matches `pattern`.
bool spec_f32_matches(uint32_t bits, spec_pattern_t pattern, uint32_t expected_bits);
bool spec_f64_matches(uint64_t bits, spec_pattern_t pattern, uint64_t expected_bits);

// Whether `actual` (a concrete value, as produced by the runtime) matches `expected` (which may
// hold patterns). Kinds must agree; floats compare bit-for-bit unless a NaN pattern is given;
// v128 compares lane by lane in `expected`'s lane type.
bool spec_value_matches(const spec_value_t *expected, const spec_value_t *actual);

// Writes a readable form of `v` into `buf` (always NUL-terminated when `len` > 0), e.g.
// "i32:-1 (0xffffffff)", "f32:nan:canonical", "v128:i16x8[0x0001 ...]", "externref:42".
// Returns `buf`. spec_value_format_lanes() shows a v128 in `lane_type` lanes instead of its own
// (to print a result in the expected value's lanes); other kinds print as spec_value_format().
char *spec_value_format(const spec_value_t *v, char *buf, size_t len);
char *spec_value_format_lanes(const spec_value_t *v, spec_lane_type_t lane_type, char *buf,
                              size_t len);

// Formats `values` as "[a, b]" into `buf` (NUL-terminated when `len` > 0). A v128 with a
// counterpart in `like` (`like_count` values, may be NULL) is shown in that value's lanes.
void spec_values_format_list(const spec_value_t *values, size_t count, const spec_value_t *like,
                             size_t like_count, char *buf, size_t len);

#endif
