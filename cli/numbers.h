// Numbers on the command line, read the way wasmtime's CLI reads them (Rust's `str::parse` and
// `from_str_radix`), so that a value one accepts the other accepts with the same meaning, and
// anything else is refused instead of being converted silently:
//
// - unsigned integers (`--fuel`, like wasmtime's `-W fuel=N`): decimal digits with an optional
//   `+`, or `0x` followed by hexadecimal digits; no spaces, no `-`, at most the type's maximum;
// - signed integers (i32/i64 arguments of `run`): decimal digits with an optional `+` or `-`, or
//   `0x`/`0X` followed by an optional sign and hexadecimal digits (wasmtime's `from_str_radix` on
//   the rest); within the type's range (an i32 is -2147483648..2147483647: wasmtime does not
//   read 4294967295 as -1);
// - floats (f32/f64 arguments): an optional sign, then `inf`, `infinity` or `nan` in any case, or
//   digits with an optional `.` and fraction (at least one digit in all) and an optional exponent
//   `e`/`E` with an optional sign and at least one digit. Magnitudes beyond the type round to
//   infinity or zero, as in Rust. No hexadecimal floats, no `nan(...)`, no spaces.
//
// Header-only (static inline functions) so that swasm.c and wast.c share it without another source file.
#ifndef SWASM_CLI_NUMBERS_H
#define SWASM_CLI_NUMBERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

// Accumulates the digits of `text` (base 10 or 16, at least one, nothing else) into `*out`;
// false when a character is not a digit of the base, when there is none, or when the value
// exceeds `limit`.
static inline bool cli_digits(const char *text, unsigned base, uint64_t limit, uint64_t *out) {
  if (*text == '\0') return false;
  uint64_t value = 0;
  for (; *text; text++) {
    unsigned digit;
    char c = *text;
    if (c >= '0' && c <= '9') digit = (unsigned)(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f') digit = (unsigned)(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F') digit = (unsigned)(c - 'A' + 10);
    else return false;
    if (digit > limit || value > (limit - digit) / base) return false;
    value = value * base + digit;
  }
  *out = value;
  return true;
}

// An unsigned integer no greater than `max`.
static inline bool cli_parse_unsigned(const char *text, uint64_t max, uint64_t *out) {
  unsigned base = 10;
  if (text[0] == '0' && text[1] == 'x') { base = 16; text += 2; }
  if (*text == '+') text++;
  return cli_digits(text, base, max, out);
}

// A signed integer from `min` to `max` (min <= 0 <= max).
static inline bool cli_parse_signed(const char *text, int64_t min, int64_t max, int64_t *out) {
  unsigned base = 10;
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) { base = 16; text += 2; }
  bool negative = *text == '-';
  if (*text == '+' || *text == '-') text++;
  uint64_t magnitude;
  uint64_t limit = negative ? (uint64_t)(-(min + 1)) + 1 : (uint64_t)max;
  if (!cli_digits(text, base, limit, &magnitude)) return false;
  // -(magnitude) without overflow when magnitude is 2^63.
  *out = negative ? (magnitude == 0 ? 0 : -(int64_t)(magnitude - 1) - 1) : (int64_t)magnitude;
  return true;
}

// Whether `text` (without its sign) equals `word`, ignoring ASCII case.
static inline bool cli_equals_ignoring_case(const char *text, const char *word) {
  for (; *word; text++, word++) {
    char c = *text;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != *word) return false;
  }
  return *text == '\0';
}

// Whether `text` is a float in Rust's syntax (see the top of the file).
static inline bool cli_is_float_syntax(const char *text) {
  if (*text == '+' || *text == '-') text++;
  if (cli_equals_ignoring_case(text, "inf") || cli_equals_ignoring_case(text, "infinity") ||
      cli_equals_ignoring_case(text, "nan"))
    return true;
  int digits = 0;
  while (*text >= '0' && *text <= '9') { text++; digits++; }
  if (*text == '.') {
    text++;
    while (*text >= '0' && *text <= '9') { text++; digits++; }
  }
  if (digits == 0) return false;
  if (*text == 'e' || *text == 'E') {
    text++;
    if (*text == '+' || *text == '-') text++;
    if (!(*text >= '0' && *text <= '9')) return false;
    while (*text >= '0' && *text <= '9') text++;
  }
  return *text == '\0';
}

// strtof/strtod read exactly this syntax with the same rounding (to nearest, overflow to infinity,
// underflow to zero or a subnormal); ERANGE is not an error here, as in Rust.
static inline bool cli_parse_f32(const char *text, float *out) {
  if (!cli_is_float_syntax(text)) return false;
  *out = strtof(text, NULL);
  return true;
}

static inline bool cli_parse_f64(const char *text, double *out) {
  if (!cli_is_float_syntax(text)) return false;
  *out = strtod(text, NULL);
  return true;
}

#endif
