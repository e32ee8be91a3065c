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
//   {"type": "anyref", "value": "null" | "<N>"}                       (ref.host N)
//   {"type": "exnref", "value": "null"}
//   {"type": "nullref" | "nullfuncref" | "nullexternref" | "nullexnref"}: the null of a hierarchy
//   {"type": "refnull"}: a null of any type (wasm-tools' `(ref.null)`); as an argument, the null of
//       the parameter's hierarchy
//   Without a value, in expected results: {"type": "funcref"|"externref"|"anyref"} any non-null
//   reference of the kind ((ref.func), (ref.extern), (ref.any)); {"type": "eqref"|"i31ref"|
//   "structref"|"arrayref"} any non-null one of the type ((ref.eq), ...). wasm-tools writes
//   (ref.null eq|i31|struct|array) the same way, so in arguments (where only nulls can be written)
//   these are the null anyref, as they are with "value": "null".
// NaN patterns and values of no particular reference are accepted only where `expected` is true
// (results, not arguments).
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
  SPEC_NULLREF, // a null reference of any type (wasm-tools' "refnull"; the script's (ref.null $t))
  SPEC_ANYREF,    // the any hierarchy: null, ref.host N, any non-null (`wildcard`), results
  SPEC_EQREF,     // expected only: a non-null i31, struct or array
  SPEC_I31REF,    // expected only: an i31
  SPEC_STRUCTREF, // expected only: a non-null struct
  SPEC_ARRAYREF,  // expected only: a non-null array
  SPEC_EXNREF,
} spec_valkind_t;

// What a non-null SPEC_ANYREF refers to.
typedef enum spec_any_object {
  SPEC_ANY_HOST,   // a host reference (ref.host N): `ref` is N (UINT64_MAX: not one the runner made)
  SPEC_ANY_I31,    // `bits` holds its value (31 bits, zero-extended)
  SPEC_ANY_STRUCT,
  SPEC_ANY_ARRAY,
  SPEC_ANY_OTHER,  // none of these (shown, matched only by (ref.any))
} spec_any_object_t;

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
  // FUNCREF/EXTERNREF/ANYREF/EXNREF.
  bool is_null;
  // EXTERNREF, non-null: N of ref.extern N; ANYREF with SPEC_ANY_HOST: N of ref.host N. (A
  // non-null FUNCREF stands for "any function".)
  uint64_t ref;
  // ANYREF, non-null: what it refers to (I31: `bits`, HOST: `ref`).
  spec_any_object_t object;
  // Expected EXTERNREF/ANYREF/EXNREF, non-null: any non-null reference of the kind, whatever its
  // `ref` and `object`.
  bool wildcard;
} spec_value_t;

// Number of lanes of a lane type (16, 8, 4, 2, 4, 2).
size_t spec_lane_count(spec_lane_type_t lane_type);

// "i32", "i64", "f32", "f64", "v128", "funcref", "externref", "refnull", "anyref", "eqref",
// "i31ref", "structref", "arrayref", "exnref".
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
// A non-null anyref to `object`; `n`: N of a host reference, or an i31's value.
spec_value_t spec_value_anyref(spec_any_object_t object, uint64_t n);
spec_value_t spec_value_exnref(bool is_null);
// The null of `kind`'s hierarchy (FUNCREF, EXTERNREF, ANYREF, EXNREF; NULLREF: of any).
spec_value_t spec_value_null(spec_valkind_t kind);
// An expected "any non-null reference" of `kind` (FUNCREF, EXTERNREF, ANYREF, EXNREF, EQREF,
// I31REF, STRUCTREF, ARRAYREF).
spec_value_t spec_value_non_null(spec_valkind_t kind);

// Whether the f32 / f64 bit pattern matches `pattern`.
bool spec_f32_matches(uint32_t bits, spec_pattern_t pattern, uint32_t expected_bits);
bool spec_f64_matches(uint64_t bits, spec_pattern_t pattern, uint64_t expected_bits);

// Whether `actual` (a concrete value, as produced by the runtime) matches `expected` (which may
// hold patterns). Kinds must agree; floats compare bit-for-bit unless a NaN pattern is given;
// v128 compares lane by lane in `expected`'s lane type. A NULLREF matches the null of every
// hierarchy; EQREF, I31REF, STRUCTREF and ARRAYREF match a non-null ANYREF of such an object.
bool spec_value_matches(const spec_value_t *expected, const spec_value_t *actual);

// Writes a readable form of `v` into `buf` (always NUL-terminated when `len` > 0), e.g.
// "i32:-1 (0xffffffff)", "f32:nan:canonical", "v128:i16x8[0x0001 ...]", "externref:42",
// "anyref:host 3", "anyref:i31 7", "structref:non-null".
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
