// A small JSON parser (RFC 8259) for the spec-test runner.
//
// - Strict grammar: no comments, no trailing commas, no leading zeros, no raw control characters in
//   strings; the input must be valid UTF-8 and hold exactly one value (surrounded by whitespace).
// - Strings are decoded to UTF-8, including \uXXXX escapes and surrogate pairs (a lone surrogate
//   is an error); they carry their length and may contain NUL bytes ("\u0000").
// - Numbers are validated and kept as their source text (the spec JSON stores values as strings).
// - Nesting depth is bounded (max_depth), so neither parsing nor freeing can exhaust the C stack.
// - Every allocation failure is reported as an error; nothing leaks on any error path.
#ifndef SPEC_JSON_H
#define SPEC_JSON_H

#include <stdbool.h>
#include <stddef.h>

typedef enum json_kind {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} json_kind_t;

typedef struct json_value json_value_t;
typedef struct json_member json_member_t;

struct json_value {
  json_kind_t kind;
  size_t offset; // byte offset of the value's first character in the input
  union {
    bool boolean; // JSON_BOOL
    // JSON_STRING: the decoded UTF-8 bytes; JSON_NUMBER: the literal as written.
    // Always NUL-terminated (data[len] == '\0'); a string may also contain NULs.
    struct {
      char *data;
      size_t len;
    } string;
    struct {
      json_value_t *items;
      size_t count;
    } array; // JSON_ARRAY
    struct {
      json_member_t *members; // in input order; duplicate keys are kept
      size_t count;
    } object; // JSON_OBJECT
  } as;
};

struct json_member {
  char *key; // decoded, NUL-terminated, may contain NULs
  size_t key_len;
  json_value_t value;
};

// Depth used when json_parse() is given 0.
#define JSON_DEFAULT_MAX_DEPTH 64

typedef struct json_error {
  size_t offset; // byte offset of the problem
  size_t line;   // 1-based
  size_t column; // 1-based, in bytes
  char message[96];
} json_error_t;

// Parses the `len` bytes at `text` (need not be NUL-terminated). Returns the root value, to be
// released with json_free(), or NULL with `*err` (if non-NULL) describing the first problem.
// Arrays and objects nested deeper than `max_depth` (0: JSON_DEFAULT_MAX_DEPTH) are an error.
json_value_t *json_parse(const char *text, size_t len, size_t max_depth, json_error_t *err);

// Releases a value returned by json_parse(). NULL is ignored.
void json_free(json_value_t *root);

// "null", "boolean", "number", "string", "array", "object".
const char *json_kind_name(json_kind_t kind);

// The value of the first member named `key` (NUL-terminated) of `object`; NULL if `object` is
// NULL or not an object, or has no such member.
const json_value_t *json_get(const json_value_t *object, const char *key);

// Like json_get(), but NULL unless the member is a string; its length goes to `*len` if non-NULL.
const char *json_get_string(const json_value_t *object, const char *key, size_t *len);

// Like json_get(), but NULL unless the member is an array.
const json_value_t *json_get_array(const json_value_t *object, const char *key);

#endif
