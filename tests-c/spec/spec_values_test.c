// Unit tests of the spec runner's JSON parser (json.c) and value logic (spec_values.c). Needs no
// library: build with spec_values.c only (json.c is included below, with its allocator redirected
// so that allocation failures can be injected).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Allocations left before the next one fails; negative: unlimited.
static long alloc_budget = -1;

static void *test_malloc(size_t n) {
  if (alloc_budget == 0) return NULL;
  if (alloc_budget > 0) alloc_budget--;
  return malloc(n);
}

static void *test_realloc(void *p, size_t n) {
  if (alloc_budget == 0) return NULL;
  if (alloc_budget > 0) alloc_budget--;
  return realloc(p, n);
}

#define malloc test_malloc
#define realloc test_realloc
#include "../../cli/script/json.c"
#undef malloc
#undef realloc

#include "../../cli/script/spec_values.h"

static int failures = 0;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                     \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)

static json_value_t *parse(const char *text) { return json_parse(text, strlen(text), 0, NULL); }

// Parses `text`, expecting an error at `offset` whose message contains `fragment`.
static void expect_error(int line, const char *text, size_t len, size_t offset, const char *fragment) {
  json_error_t err;
  json_value_t *v = json_parse(text, len, 0, &err);
  if (v != NULL) {
    fprintf(stderr, "%s:%d: expected a parse error for \"%.*s\"\n", __FILE__, line, (int)len, text);
    failures++;
    json_free(v);
    return;
  }
  if (err.offset != offset || strstr(err.message, fragment) == NULL) {
    fprintf(stderr, "%s:%d: \"%.*s\": got error at %zu \"%s\", expected at %zu containing \"%s\"\n",
            __FILE__, line, (int)len, text, err.offset, err.message, offset, fragment);
    failures++;
  }
}
#define EXPECT_ERROR(text, offset, fragment) expect_error(__LINE__, text, strlen(text), offset, fragment)

// Parses `text` as a string value and compares its decoded bytes.
static void expect_string(int line, const char *text, const char *bytes, size_t len) {
  json_error_t err;
  json_value_t *v = json_parse(text, strlen(text), 0, &err);
  if (v == NULL || v->kind != JSON_STRING || v->as.string.len != len ||
      memcmp(v->as.string.data, bytes, len) != 0 || v->as.string.data[len] != '\0') {
    fprintf(stderr, "%s:%d: string %s decoded wrongly (%s)\n", __FILE__, line, text,
            v == NULL ? err.message : "bytes differ");
    failures++;
  }
  json_free(v);
}
#define EXPECT_STRING(text, bytes) expect_string(__LINE__, text, bytes, sizeof(bytes) - 1)

static void test_json_basics(void) {
  json_value_t *v = parse(" {\"a\": [1, -2.5e+3, true, false, null, \"x\"], \"b\": {}, \"c\": []}\n");
  CHECK(v != NULL && v->kind == JSON_OBJECT && v->as.object.count == 3);
  const json_value_t *a = json_get_array(v, "a");
  CHECK(a != NULL && a->as.array.count == 6);
  if (a != NULL && a->as.array.count == 6) {
    CHECK(a->as.array.items[0].kind == JSON_NUMBER && strcmp(a->as.array.items[0].as.string.data, "1") == 0);
    CHECK(a->as.array.items[1].kind == JSON_NUMBER &&
          strcmp(a->as.array.items[1].as.string.data, "-2.5e+3") == 0);
    CHECK(a->as.array.items[2].kind == JSON_BOOL && a->as.array.items[2].as.boolean);
    CHECK(a->as.array.items[3].kind == JSON_BOOL && !a->as.array.items[3].as.boolean);
    CHECK(a->as.array.items[4].kind == JSON_NULL);
    CHECK(a->as.array.items[5].kind == JSON_STRING && a->as.array.items[5].offset == 39);
  }
  const json_value_t *b = json_get(v, "b");
  CHECK(b != NULL && b->kind == JSON_OBJECT && b->as.object.count == 0);
  CHECK(json_get_array(v, "c") != NULL && json_get_array(v, "c")->as.array.count == 0);
  CHECK(json_get(v, "d") == NULL);
  CHECK(json_get_string(v, "a", NULL) == NULL); // not a string
  CHECK(json_get(NULL, "a") == NULL);
  CHECK(json_get(a, "a") == NULL); // not an object
  json_free(v);
  json_free(NULL);

  // Scalars at the top level; numbers keep their text.
  v = parse("0");
  CHECK(v != NULL && v->kind == JSON_NUMBER && strcmp(v->as.string.data, "0") == 0);
  json_free(v);
  v = parse("-0.0E-7");
  CHECK(v != NULL && v->kind == JSON_NUMBER && strcmp(v->as.string.data, "-0.0E-7") == 0);
  json_free(v);
  v = parse("18446744073709551615");
  CHECK(v != NULL && v->kind == JSON_NUMBER && v->as.string.len == 20);
  json_free(v);
  v = parse("\"\"");
  CHECK(v != NULL && v->kind == JSON_STRING && v->as.string.len == 0 && v->as.string.data[0] == 0);
  json_free(v);

  // Duplicate keys: the first wins for lookups, both are kept.
  v = parse("{\"k\": \"1\", \"k\": \"2\"}");
  CHECK(v != NULL && v->as.object.count == 2);
  size_t len = 0;
  CHECK(v != NULL && strcmp(json_get_string(v, "k", &len), "1") == 0 && len == 1);
  json_free(v);

  // Keys with NUL bytes do not match a shorter C-string key.
  v = parse("{\"a\\u0000b\": 1, \"a\": 2}");
  CHECK(v != NULL && v->as.object.members[0].key_len == 3);
  CHECK(v != NULL && json_get(v, "a") == &v->as.object.members[1].value);
  json_free(v);

  // Input need not be NUL-terminated: only `len` bytes are read.
  v = json_parse("[1]]]]", 3, 0, NULL);
  CHECK(v != NULL && v->kind == JSON_ARRAY && v->as.array.count == 1);
  json_free(v);
  CHECK(json_parse(NULL, 0, 0, NULL) == NULL);
}

static void test_json_strings(void) {
  EXPECT_STRING("\"plain\"", "plain");
  EXPECT_STRING("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
  EXPECT_STRING("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac");
  EXPECT_STRING("\"a\\u0000b\"", "a\0b");
  EXPECT_STRING("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");  // U+1F600
  EXPECT_STRING("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf");  // U+10FFFF
  EXPECT_STRING("\"\\uFEFF\"", "\xef\xbb\xbf");
  EXPECT_STRING("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_STRING("\"mixed \xc3\xa9\\n\xe2\x82\xac\"", "mixed \xc3\xa9\n\xe2\x82\xac");
  EXPECT_STRING("\"\x7f\"", "\x7f");

  EXPECT_ERROR("\"abc", 0, "unterminated");
  EXPECT_ERROR("\"abc\\", 0, "unterminated");
  EXPECT_ERROR("\"a\nb\"", 2, "control character");
  EXPECT_ERROR("\"a\\x\"", 2, "invalid escape");
  EXPECT_ERROR("\"\\u12\"", 1, "truncated");
  EXPECT_ERROR("\"\\u12", 1, "truncated");
  EXPECT_ERROR("\"\\u12G4\"", 5, "invalid hex digit");
  EXPECT_ERROR("\"\\u12xy\"", 5, "invalid hex digit");
  EXPECT_ERROR("\"\\ud800\"", 1, "unpaired high surrogate");
  EXPECT_ERROR("\"\\ud800x\"", 1, "unpaired high surrogate");
  EXPECT_ERROR("\"\\ud800\\u0041\"", 1, "not followed by a low surrogate");
  EXPECT_ERROR("\"\\udc00\"", 1, "unpaired low surrogate");
  EXPECT_ERROR("\"\xff\"", 1, "invalid UTF-8");
  EXPECT_ERROR("\"\xc0\x80\"", 1, "invalid UTF-8");         // overlong NUL
  EXPECT_ERROR("\"\xe0\x80\xaf\"", 1, "invalid UTF-8");     // overlong '/'
  EXPECT_ERROR("\"\xed\xa0\x80\"", 1, "invalid UTF-8");     // encoded surrogate
  EXPECT_ERROR("\"\xf4\x90\x80\x80\"", 1, "invalid UTF-8"); // above U+10FFFF
  EXPECT_ERROR("\"\xe2\x82\"", 1, "invalid UTF-8");         // truncated sequence
  EXPECT_ERROR("\"ok\\n\xe2\x28\xa1\"", 5, "invalid UTF-8"); // after an escape (slow path)
}

static void test_json_errors(void) {
  EXPECT_ERROR("", 0, "end of input");
  EXPECT_ERROR("   ", 3, "end of input");
  EXPECT_ERROR("[1,]", 3, "expected a value");
  EXPECT_ERROR("[1 2]", 3, "',' or ']'");
  EXPECT_ERROR("{\"a\" 1}", 5, "':'");
  EXPECT_ERROR("{\"a\": 1,}", 8, "string key");
  EXPECT_ERROR("{a: 1}", 1, "string key");
  EXPECT_ERROR("{\"a\": 1", 7, "',' or '}'");
  EXPECT_ERROR("[1] x", 4, "end of input");
  EXPECT_ERROR("01", 1, "leading zero");
  EXPECT_ERROR("-", 1, "expected a digit");
  EXPECT_ERROR("1.", 2, "after '.'");
  EXPECT_ERROR("1e", 2, "exponent");
  EXPECT_ERROR("+1", 0, "expected a value");
  EXPECT_ERROR(".5", 0, "expected a value");
  EXPECT_ERROR("tru", 0, "'true'");
  EXPECT_ERROR("nul", 0, "'null'");
  EXPECT_ERROR("truex", 4, "end of input");
  EXPECT_ERROR("[true false]", 6, "',' or ']'");
  EXPECT_ERROR("// comment\n1", 0, "expected a value");
  EXPECT_ERROR("\xef\xbb\xbf{}", 0, "byte 0xef");
  expect_error(__LINE__, "[\0]", 3, 1, "byte 0x00");

  // Line and column of an error.
  json_error_t err;
  CHECK(json_parse("{\n  \"a\": [1,\n   ]\n}", 20, 0, &err) == NULL);
  CHECK(err.line == 3 && err.column == 4 && err.offset == 16);
}

static void test_json_depth(void) {
  // Exactly the limit is fine, one more level is an error; also for very deep inputs.
  char buf[4096];
  for (size_t depth = 1; depth <= 3; depth++) {
    size_t n = 0;
    for (size_t i = 0; i < depth; i++) buf[n++] = '[';
    for (size_t i = 0; i < depth; i++) buf[n++] = ']';
    json_value_t *v = json_parse(buf, n, 2, NULL);
    CHECK((v != NULL) == (depth <= 2));
    json_free(v);
  }
  size_t n = 0;
  for (; n < 2000; n++) buf[n] = '[';
  json_error_t err;
  CHECK(json_parse(buf, n, 0, &err) == NULL);
  CHECK(strstr(err.message, "nesting") != NULL);
  n = 0;
  for (size_t i = 0; i < 400; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"a\":");
  CHECK(json_parse(buf, n, 0, &err) == NULL);
  CHECK(strstr(err.message, "nesting") != NULL && err.offset == 5 * JSON_DEFAULT_MAX_DEPTH);
  n = 0;
  for (size_t i = 0; i < JSON_DEFAULT_MAX_DEPTH; i++) buf[n++] = '[';
  for (size_t i = 0; i < JSON_DEFAULT_MAX_DEPTH; i++) buf[n++] = ']';
  json_value_t *v = json_parse(buf, n, 0, NULL);
  CHECK(v != NULL);
  json_free(v);
  // An object member holding a deep array counts the object's level too.
  json_value_t *w = parse("{\"a\": [[[]]]}");
  CHECK(w != NULL);
  json_free(w);
  CHECK(json_parse("{\"a\": [[[]]]}", 13, 3, NULL) == NULL);
}

static void test_json_large(void) {
  // A large array (many reallocations), as in the SIMD scripts.
  size_t count = 100000;
  size_t cap = count * 12 + 16, n = 0;
  char *buf = malloc(cap);
  CHECK(buf != NULL);
  if (buf == NULL) return;
  buf[n++] = '[';
  for (size_t i = 0; i < count; i++) n += (size_t)snprintf(buf + n, cap - n, "%s\"%zu\"", i ? "," : "", i);
  buf[n++] = ']';
  json_value_t *v = json_parse(buf, n, 0, NULL);
  CHECK(v != NULL && v->as.array.count == count);
  if (v != NULL && v->as.array.count == count) {
    CHECK(strcmp(v->as.array.items[count - 1].as.string.data, "99999") == 0);
  }
  json_free(v);
  free(buf);
}

// Every allocation of a parse fails in turn: each attempt reports "out of memory" and leaks
// nothing (checked by valgrind or ASan), and with enough allocations the parse succeeds.
static void test_json_allocation_failures(void) {
  const char *doc = "{\"commands\": [{\"type\": \"module\", \"line\": 1, \"name\": \"$\\u00e9\\n\"},"
                    " {\"args\": [1, 2.5, true, null, \"x\\ud83d\\ude00\", [], {}, [[\"deep\"]]]}],"
                    " \"k\": \"plain\"}";
  bool succeeded = false;
  for (long budget = 0; budget < 1000 && !succeeded; budget++) {
    json_error_t err;
    alloc_budget = budget;
    json_value_t *v = json_parse(doc, strlen(doc), 0, &err);
    alloc_budget = -1;
    if (v != NULL) {
      succeeded = true;
      CHECK(budget > 10);
      CHECK(json_get_array(v, "commands") != NULL && strcmp(json_get_string(v, "k", NULL), "plain") == 0);
      json_free(v);
    } else if (strstr(err.message, "out of memory") == NULL) {
      fprintf(stderr, "%s:%d: budget %ld: unexpected error \"%s\"\n", __FILE__, __LINE__, budget,
              err.message);
      failures++;
    }
  }
  CHECK(succeeded);
}

// ---------------------------------------------------------------------------------------------
// Values.

// Parses one JSON value text into a spec value.
static bool value(const char *json, bool expected, spec_value_t *out, char *err, size_t err_len) {
  json_value_t *v = parse(json);
  if (v == NULL) {
    snprintf(err, err_len, "bad test JSON");
    return false;
  }
  bool ok = spec_value_parse(v, expected, out, err, err_len);
  json_free(v);
  return ok;
}

static spec_value_t must(int line, const char *json, bool expected) {
  spec_value_t v;
  char err[200] = "";
  if (!value(json, expected, &v, err, sizeof err)) {
    fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, line, json, err);
    failures++;
    memset(&v, 0, sizeof v);
  }
  return v;
}
#define ARG(json) must(__LINE__, json, false)
#define EXP(json) must(__LINE__, json, true)

static void reject(int line, const char *json, bool expected, const char *fragment) {
  spec_value_t v;
  char err[200] = "";
  if (value(json, expected, &v, err, sizeof err) || strstr(err, fragment) == NULL) {
    fprintf(stderr, "%s:%d: %s: expected an error containing \"%s\", got \"%s\"\n", __FILE__, line,
            json, fragment, err);
    failures++;
  }
}
#define REJECT_ARG(json, fragment) reject(__LINE__, json, false, fragment)
#define REJECT_EXP(json, fragment) reject(__LINE__, json, true, fragment)

static void test_int_bits(void) {
  uint64_t v;
  CHECK(spec_parse_int_bits("0", 1, 32, &v) && v == 0);
  CHECK(spec_parse_int_bits("4294967295", 10, 32, &v) && v == 0xffffffffu);
  CHECK(!spec_parse_int_bits("4294967296", 10, 32, &v));
  CHECK(spec_parse_int_bits("-1", 2, 32, &v) && v == 0xffffffffu);
  CHECK(spec_parse_int_bits("-2147483648", 11, 32, &v) && v == 0x80000000u);
  CHECK(!spec_parse_int_bits("-2147483649", 11, 32, &v));
  CHECK(spec_parse_int_bits("18446744073709551615", 20, 64, &v) && v == UINT64_MAX);
  CHECK(!spec_parse_int_bits("18446744073709551616", 20, 64, &v));
  CHECK(!spec_parse_int_bits("99999999999999999999", 20, 64, &v));
  CHECK(spec_parse_int_bits("-9223372036854775808", 20, 64, &v) && v == 0x8000000000000000ull);
  CHECK(!spec_parse_int_bits("-9223372036854775809", 20, 64, &v));
  CHECK(spec_parse_int_bits("255", 3, 8, &v) && v == 255);
  CHECK(!spec_parse_int_bits("256", 3, 8, &v));
  CHECK(spec_parse_int_bits("-128", 4, 8, &v) && v == 0x80);
  CHECK(spec_parse_int_bits("65535", 5, 16, &v) && v == 0xffff);
  CHECK(spec_parse_int_bits("-0", 2, 16, &v) && v == 0);
  CHECK(!spec_parse_int_bits("", 0, 32, &v));
  CHECK(!spec_parse_int_bits("-", 1, 32, &v));
  CHECK(!spec_parse_int_bits("+1", 2, 32, &v));
  CHECK(!spec_parse_int_bits("1 ", 2, 32, &v));
  CHECK(!spec_parse_int_bits("0x10", 4, 32, &v));
  CHECK(!spec_parse_int_bits("1", 1, 12, &v));
  CHECK(spec_parse_int_bits("123", 2, 32, &v) && v == 12); // only `len` bytes
}

static void test_scalars(void) {
  spec_value_t v = ARG("{\"type\": \"i32\", \"value\": \"4294967295\"}");
  CHECK(v.kind == SPEC_I32 && v.bits == 0xffffffffu);
  v = ARG("{\"type\": \"i64\", \"value\": \"18446744073709551615\"}");
  CHECK(v.kind == SPEC_I64 && v.bits == UINT64_MAX);
  v = ARG("{\"type\": \"f32\", \"value\": \"2143289344\"}");
  CHECK(v.kind == SPEC_F32 && v.bits == 0x7fc00000u && v.pattern == SPEC_EXACT);
  v = ARG("{\"type\": \"f64\", \"value\": \"9221120237041090560\"}");
  CHECK(v.kind == SPEC_F64 && v.bits == 0x7ff8000000000000ull);
  v = EXP("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
  CHECK(v.kind == SPEC_F32 && v.pattern == SPEC_NAN_CANONICAL);
  v = EXP("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}");
  CHECK(v.kind == SPEC_F64 && v.pattern == SPEC_NAN_ARITHMETIC);

  REJECT_ARG("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", "not allowed in an argument");
  REJECT_ARG("{\"type\": \"i32\", \"value\": \"4294967296\"}", "invalid i32");
  REJECT_ARG("{\"type\": \"i32\", \"value\": 1}", "without a \"value\" string");
  REJECT_ARG("{\"type\": \"i32\"}", "without a \"value\" string");
  REJECT_ARG("{\"value\": \"1\"}", "without a \"type\"");
  REJECT_ARG("{\"type\": \"stringref\", \"value\": \"null\"}", "unsupported value type");
  REJECT_ARG("[1]", "not an object");
  REJECT_EXP("{\"type\": \"f32\", \"value\": \"nan:signalling\"}", "invalid f32");
  REJECT_EXP("{\"type\": \"f32\", \"value\": \"4294967296\"}", "invalid f32");
  REJECT_EXP("{\"type\": \"f64\", \"value\": \"1.5\"}", "invalid f64");
}

static void test_refs(void) {
  spec_value_t v = ARG("{\"type\": \"externref\", \"value\": \"null\"}");
  CHECK(v.kind == SPEC_EXTERNREF && v.is_null);
  v = ARG("{\"type\": \"externref\", \"value\": \"137\"}");
  CHECK(v.kind == SPEC_EXTERNREF && !v.is_null && v.ref == 137);
  v = ARG("{\"type\": \"externref\", \"value\": \"0\"}");
  CHECK(v.kind == SPEC_EXTERNREF && !v.is_null && v.ref == 0);
  v = ARG("{\"type\": \"funcref\", \"value\": \"null\"}");
  CHECK(v.kind == SPEC_FUNCREF && v.is_null);
  v = EXP("{\"type\": \"funcref\", \"value\": \"\"}");
  CHECK(v.kind == SPEC_FUNCREF && !v.is_null);
  // wasm-tools' forms: `(ref.func)` without a value, `(ref.null)` of any type as "refnull".
  v = EXP("{\"type\": \"funcref\"}");
  CHECK(v.kind == SPEC_FUNCREF && !v.is_null);
  REJECT_ARG("{\"type\": \"funcref\"}", "without a");
  v = EXP("{\"type\": \"refnull\"}");
  CHECK(v.kind == SPEC_NULLREF && v.is_null);
  spec_value_t null_function = {.kind = SPEC_FUNCREF, .is_null = true}, null_extern = {.kind = SPEC_EXTERNREF, .is_null = true};
  spec_value_t some_function = {.kind = SPEC_FUNCREF, .is_null = false}, zero = {.kind = SPEC_I32};
  CHECK(spec_value_matches(&v, &null_function) && spec_value_matches(&v, &null_extern));
  CHECK(!spec_value_matches(&v, &some_function) && !spec_value_matches(&v, &zero));
  v = ARG("{\"type\": \"refnull\"}"); // the null of the parameter's hierarchy
  CHECK(v.kind == SPEC_NULLREF && v.is_null);
  REJECT_ARG("{\"type\": \"funcref\", \"value\": \"3\"}", "non-null funcref argument");
  REJECT_ARG("{\"type\": \"externref\", \"value\": \"-1\"}", "invalid externref");
  REJECT_ARG("{\"type\": \"externref\", \"value\": \"x\"}", "invalid externref");

  spec_value_t null_ext = spec_value_externref(true, 0), ext1 = spec_value_externref(false, 1);
  spec_value_t ext0 = spec_value_externref(false, 0), ext2 = spec_value_externref(false, 2);
  spec_value_t exp_null = ARG("{\"type\": \"externref\", \"value\": \"null\"}");
  spec_value_t exp1 = ARG("{\"type\": \"externref\", \"value\": \"1\"}");
  spec_value_t exp0 = ARG("{\"type\": \"externref\", \"value\": \"0\"}");
  CHECK(spec_value_matches(&exp_null, &null_ext));
  CHECK(!spec_value_matches(&exp_null, &ext0));
  CHECK(!spec_value_matches(&exp0, &null_ext));
  CHECK(spec_value_matches(&exp0, &ext0));
  CHECK(spec_value_matches(&exp1, &ext1));
  CHECK(!spec_value_matches(&exp1, &ext2));

  spec_value_t f_null = spec_value_funcref(true), f_some = spec_value_funcref(false);
  spec_value_t exp_fnull = EXP("{\"type\": \"funcref\", \"value\": \"null\"}");
  spec_value_t exp_fany = EXP("{\"type\": \"funcref\", \"value\": \"ref.func\"}");
  CHECK(spec_value_matches(&exp_fnull, &f_null));
  CHECK(!spec_value_matches(&exp_fnull, &f_some));
  CHECK(spec_value_matches(&exp_fany, &f_some));
  CHECK(!spec_value_matches(&exp_fany, &f_null));
  // Kinds must agree.
  CHECK(!spec_value_matches(&exp_fnull, &null_ext));
  CHECK(!spec_value_matches(&exp_null, &f_null));
}

// The GC forms of the 3.0 scripts, as wasm-tools writes them.
static void test_gc_refs(void) {
  // (ref.host N): an anyref argument and result; (ref.null any|none).
  spec_value_t v = ARG("{\"type\": \"anyref\", \"value\": \"2\"}");
  CHECK(v.kind == SPEC_ANYREF && !v.is_null && !v.wildcard && v.object == SPEC_ANY_HOST && v.ref == 2);
  spec_value_t host1 = EXP("{\"type\": \"anyref\", \"value\": \"1\"}");
  spec_value_t any_null = ARG("{\"type\": \"anyref\", \"value\": \"null\"}");
  CHECK(any_null.kind == SPEC_ANYREF && any_null.is_null);
  v = ARG("{\"type\": \"nullref\"}");
  CHECK(v.kind == SPEC_ANYREF && v.is_null);
  REJECT_ARG("{\"type\": \"anyref\"}", "without a");
  REJECT_ARG("{\"type\": \"anyref\", \"value\": \"-1\"}", "invalid anyref");

  // Bottom types and exnref nulls.
  v = ARG("{\"type\": \"nullfuncref\"}");
  CHECK(v.kind == SPEC_FUNCREF && v.is_null);
  v = ARG("{\"type\": \"nullexternref\"}");
  CHECK(v.kind == SPEC_EXTERNREF && v.is_null);
  v = EXP("{\"type\": \"nullexnref\"}");
  CHECK(v.kind == SPEC_EXNREF && v.is_null);
  spec_value_t exn_null = ARG("{\"type\": \"exnref\", \"value\": \"null\"}");
  CHECK(exn_null.kind == SPEC_EXNREF && exn_null.is_null);
  REJECT_ARG("{\"type\": \"exnref\", \"value\": \"1\"}", "only null");
  REJECT_EXP("{\"type\": \"exnref\"}", "without a");

  // eqref/i31ref/structref/arrayref without a value: (ref.eq) ... in results, (ref.null eq) ...
  // in arguments; with "null", a null anyref either way.
  spec_value_t eq = EXP("{\"type\": \"eqref\"}"), i31 = EXP("{\"type\": \"i31ref\"}");
  spec_value_t st = EXP("{\"type\": \"structref\"}"), arr = EXP("{\"type\": \"arrayref\"}");
  CHECK(eq.kind == SPEC_EQREF && i31.kind == SPEC_I31REF && st.kind == SPEC_STRUCTREF && arr.kind == SPEC_ARRAYREF);
  CHECK(!eq.is_null && !i31.is_null && !st.is_null && !arr.is_null);
  v = ARG("{\"type\": \"structref\"}");
  CHECK(v.kind == SPEC_ANYREF && v.is_null);
  v = EXP("{\"type\": \"i31ref\", \"value\": \"null\"}");
  CHECK(v.kind == SPEC_ANYREF && v.is_null);
  REJECT_ARG("{\"type\": \"arrayref\", \"value\": \"3\"}", "only null");
  spec_value_t any = EXP("{\"type\": \"anyref\"}"), ext = EXP("{\"type\": \"externref\"}");
  CHECK(any.kind == SPEC_ANYREF && any.wildcard && !any.is_null);
  CHECK(ext.kind == SPEC_EXTERNREF && ext.wildcard && !ext.is_null);
  REJECT_ARG("{\"type\": \"externref\"}", "without a");

  // Matching against what the runtime returns.
  spec_value_t r_i31 = spec_value_anyref(SPEC_ANY_I31, 7), r_struct = spec_value_anyref(SPEC_ANY_STRUCT, 0);
  spec_value_t r_array = spec_value_anyref(SPEC_ANY_ARRAY, 0), r_host1 = spec_value_anyref(SPEC_ANY_HOST, 1);
  spec_value_t r_host0 = spec_value_anyref(SPEC_ANY_HOST, 0), r_foreign = spec_value_anyref(SPEC_ANY_HOST, UINT64_MAX);
  spec_value_t r_other = spec_value_anyref(SPEC_ANY_OTHER, 0), r_null = spec_value_null(SPEC_ANYREF);
  spec_value_t r_ext1 = spec_value_externref(false, 1), r_ext_foreign = spec_value_externref(false, UINT64_MAX);
  spec_value_t r_ext_null = spec_value_externref(true, 0), r_func_null = spec_value_funcref(true);
  spec_value_t r_exn_null = spec_value_exnref(true), r_exn = spec_value_exnref(false);
  CHECK(r_i31.bits == 7 && spec_value_anyref(SPEC_ANY_I31, 0xffffffffu).bits == 0x7fffffffu);
  CHECK(spec_value_matches(&i31, &r_i31) && !spec_value_matches(&i31, &r_struct) && !spec_value_matches(&i31, &r_null));
  CHECK(spec_value_matches(&st, &r_struct) && !spec_value_matches(&st, &r_array) && !spec_value_matches(&st, &r_host1));
  CHECK(spec_value_matches(&arr, &r_array) && !spec_value_matches(&arr, &r_struct) && !spec_value_matches(&arr, &r_null));
  CHECK(spec_value_matches(&eq, &r_i31) && spec_value_matches(&eq, &r_struct) && spec_value_matches(&eq, &r_array));
  CHECK(!spec_value_matches(&eq, &r_host1) && !spec_value_matches(&eq, &r_null) && !spec_value_matches(&eq, &r_other));
  CHECK(!spec_value_matches(&eq, &r_ext1) && !spec_value_matches(&i31, &r_ext_foreign));
  CHECK(spec_value_matches(&any, &r_i31) && spec_value_matches(&any, &r_host1) && spec_value_matches(&any, &r_other));
  CHECK(!spec_value_matches(&any, &r_null) && !spec_value_matches(&any, &r_ext1));
  CHECK(spec_value_matches(&host1, &r_host1) && !spec_value_matches(&host1, &r_host0));
  CHECK(!spec_value_matches(&host1, &r_foreign) && !spec_value_matches(&host1, &r_null) && !spec_value_matches(&host1, &r_ext1));
  CHECK(!spec_value_matches(&host1, &r_i31)); // i31 1 is not host 1
  CHECK(spec_value_matches(&any_null, &r_null) && !spec_value_matches(&any_null, &r_host0));
  CHECK(!spec_value_matches(&any_null, &r_ext_null) && !spec_value_matches(&any_null, &r_func_null));
  // (ref.extern): any non-null externref, also one the runner did not make (an externalized i31).
  CHECK(spec_value_matches(&ext, &r_ext1) && spec_value_matches(&ext, &r_ext_foreign));
  CHECK(!spec_value_matches(&ext, &r_ext_null) && !spec_value_matches(&ext, &r_host1));
  CHECK(spec_value_matches(&exn_null, &r_exn_null) && !spec_value_matches(&exn_null, &r_exn));
  CHECK(!spec_value_matches(&exn_null, &r_ext_null));
  // (ref.null) and the null of a defined type: the null of every hierarchy.
  spec_value_t refnull = spec_value_null(SPEC_NULLREF);
  CHECK(spec_value_matches(&refnull, &r_null) && spec_value_matches(&refnull, &r_exn_null));
  CHECK(spec_value_matches(&refnull, &r_ext_null) && spec_value_matches(&refnull, &r_func_null));
  CHECK(!spec_value_matches(&refnull, &r_i31) && !spec_value_matches(&refnull, &r_exn));
  // Builders of the script runner's expectations.
  v = spec_value_non_null(SPEC_FUNCREF);
  spec_value_t r_func = spec_value_funcref(false);
  CHECK(spec_value_matches(&v, &r_func) && !spec_value_matches(&v, &r_func_null));
  v = spec_value_non_null(SPEC_I31REF);
  CHECK(spec_value_matches(&v, &r_i31) && !spec_value_matches(&v, &r_array));
}

static void test_float_matching(void) {
  // f32: canonical NaN is 0x7fc00000 or 0xffc00000; arithmetic any NaN with the quiet bit.
  CHECK(spec_f32_matches(0x7fc00000u, SPEC_NAN_CANONICAL, 0));
  CHECK(spec_f32_matches(0xffc00000u, SPEC_NAN_CANONICAL, 0));
  CHECK(!spec_f32_matches(0x7fc00001u, SPEC_NAN_CANONICAL, 0));
  CHECK(!spec_f32_matches(0x7fa00000u, SPEC_NAN_CANONICAL, 0));
  CHECK(!spec_f32_matches(0x7f800000u, SPEC_NAN_CANONICAL, 0)); // infinity
  CHECK(spec_f32_matches(0x7fc00000u, SPEC_NAN_ARITHMETIC, 0));
  CHECK(spec_f32_matches(0xffc00001u, SPEC_NAN_ARITHMETIC, 0));
  CHECK(spec_f32_matches(0x7fffffffu, SPEC_NAN_ARITHMETIC, 0));
  CHECK(!spec_f32_matches(0x7fa00000u, SPEC_NAN_ARITHMETIC, 0)); // signalling
  CHECK(!spec_f32_matches(0x7f800000u, SPEC_NAN_ARITHMETIC, 0));
  CHECK(!spec_f32_matches(0x3fc00000u, SPEC_NAN_ARITHMETIC, 0)); // 1.5
  CHECK(spec_f32_matches(0x80000000u, SPEC_EXACT, 0x80000000u));
  CHECK(!spec_f32_matches(0x00000000u, SPEC_EXACT, 0x80000000u)); // +0 is not -0
  CHECK(!spec_f32_matches(0x7fc00001u, SPEC_EXACT, 0x7fc00000u)); // payloads compared exactly

  CHECK(spec_f64_matches(0x7ff8000000000000ull, SPEC_NAN_CANONICAL, 0));
  CHECK(spec_f64_matches(0xfff8000000000000ull, SPEC_NAN_CANONICAL, 0));
  CHECK(!spec_f64_matches(0x7ff8000000000001ull, SPEC_NAN_CANONICAL, 0));
  CHECK(!spec_f64_matches(0x7ff0000000000001ull, SPEC_NAN_CANONICAL, 0));
  CHECK(spec_f64_matches(0x7ff8000000000001ull, SPEC_NAN_ARITHMETIC, 0));
  CHECK(spec_f64_matches(0xffffffffffffffffull, SPEC_NAN_ARITHMETIC, 0));
  CHECK(!spec_f64_matches(0x7ff4000000000000ull, SPEC_NAN_ARITHMETIC, 0));
  CHECK(!spec_f64_matches(0x7ff0000000000000ull, SPEC_NAN_ARITHMETIC, 0));
  CHECK(!spec_f64_matches(0x3ff8000000000000ull, SPEC_NAN_ARITHMETIC, 0));
  CHECK(!spec_f64_matches(0x7ff8000000000000ull >> 32, SPEC_NAN_ARITHMETIC, 0)); // f32 bits in f64

  spec_value_t exp = EXP("{\"type\": \"f32\", \"value\": \"nan:canonical\"}");
  spec_value_t a = spec_value_f32(0xffc00000u);
  CHECK(spec_value_matches(&exp, &a));
  a = spec_value_f64(0x7ff8000000000000ull); // right NaN, wrong kind
  CHECK(!spec_value_matches(&exp, &a));
  exp = EXP("{\"type\": \"f64\", \"value\": \"4607182418800017408\"}"); // 1.0
  a = spec_value_f64(0x3ff0000000000000ull);
  CHECK(spec_value_matches(&exp, &a));
  a = spec_value_f64(0x3ff0000000000001ull);
  CHECK(!spec_value_matches(&exp, &a));
  exp = EXP("{\"type\": \"i32\", \"value\": \"1\"}");
  a = spec_value_i64(1);
  CHECK(!spec_value_matches(&exp, &a));
  a = spec_value_i32(1);
  CHECK(spec_value_matches(&exp, &a));
}

static void test_v128(void) {
  spec_value_t v = ARG("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"50462976\", "
                       "\"117835012\", \"286263560\", \"353637138\"]}");
  CHECK(v.kind == SPEC_V128 && v.lane_type == SPEC_LANE_I32);
  static const uint8_t bytes[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 18, 19, 20, 21};
  CHECK(memcmp(v.v128, bytes, 16) == 0);
  spec_value_t i8 = ARG("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"0\", \"1\", \"2\", "
                        "\"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"16\", \"17\", \"18\", "
                        "\"19\", \"20\", \"21\"]}");
  CHECK(memcmp(i8.v128, bytes, 16) == 0);
  spec_value_t actual = spec_value_v128(bytes);
  CHECK(spec_value_matches(&v, &actual));
  CHECK(spec_value_matches(&i8, &actual));
  actual.v128[15] ^= 1;
  CHECK(!spec_value_matches(&v, &actual));
  CHECK(!spec_value_matches(&i8, &actual));

  v = ARG("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"65535\", \"-1\", \"0\", \"1\", "
          "\"32768\", \"-32768\", \"258\", \"4660\"]}");
  static const uint8_t i16[16] = {0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0, 0, 0x80, 0, 0x80, 2, 1, 0x34, 0x12};
  CHECK(memcmp(v.v128, i16, 16) == 0);
  v = ARG("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": [\"9223372036854775808\", "
          "\"18446744071562067968\"]}");
  static const uint8_t i64[16] = {0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff};
  CHECK(memcmp(v.v128, i64, 16) == 0);

  // Float lanes with NaN patterns, lane by lane.
  spec_value_t e = EXP("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", "
                       "\"nan:arithmetic\", \"0\", \"1065353216\"]}");
  CHECK(e.lane_patterns[0] == SPEC_NAN_CANONICAL && e.lane_patterns[1] == SPEC_NAN_ARITHMETIC &&
        e.lane_patterns[2] == SPEC_EXACT && e.lane_patterns[3] == SPEC_EXACT);
  uint8_t lanes[16];
  uint32_t f[4] = {0xffc00000u, 0x7fc12345u, 0, 0x3f800000u};
  for (int i = 0; i < 4; i++) {
    for (int b = 0; b < 4; b++) lanes[i * 4 + b] = (uint8_t)(f[i] >> (8 * b));
  }
  actual = spec_value_v128(lanes);
  CHECK(spec_value_matches(&e, &actual));
  lanes[4 + 2] = 0xa0; // lane 1: 0x7fa02345, signalling: not arithmetic
  actual = spec_value_v128(lanes);
  CHECK(!spec_value_matches(&e, &actual));
  for (int b = 0; b < 4; b++) lanes[4 + b] = (uint8_t)(f[1] >> (8 * b));
  lanes[8 + 3] = 0x80; // lane 2: -0 is not +0
  actual = spec_value_v128(lanes);
  CHECK(!spec_value_matches(&e, &actual));

  e = EXP("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": [\"nan:arithmetic\", "
          "\"9218868437227405312\"]}"); // +inf
  uint64_t d[2] = {0x7ffc000000000000ull, 0x7ff0000000000000ull};
  for (int i = 0; i < 2; i++) {
    for (int b = 0; b < 8; b++) lanes[i * 8 + b] = (uint8_t)(d[i] >> (8 * b));
  }
  actual = spec_value_v128(lanes);
  CHECK(spec_value_matches(&e, &actual));
  spec_value_t not_v128 = spec_value_i64(0);
  CHECK(!spec_value_matches(&e, &not_v128));

  REJECT_ARG("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", \"0\", \"0\", "
             "\"0\"]}",
             "not allowed in an argument");
  REJECT_ARG("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"0\", \"0\", \"0\"]}",
             "array of 4 strings");
  REJECT_ARG("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": \"0\"}", "array of 4 strings");
  REJECT_ARG("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"256\", \"0\", \"0\", \"0\", "
             "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\"]}",
             "lane 0");
  REJECT_ARG("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"0\", 0, \"0\", \"0\"]}",
             "lane 1 is a number");
  REJECT_ARG("{\"type\": \"v128\", \"lane_type\": \"i128\", \"value\": []}", "unknown v128 lane type");
  REJECT_ARG("{\"type\": \"v128\", \"value\": []}", "lane_type");
}

static void test_values_array(void) {
  json_value_t *j = parse("[{\"type\": \"i32\", \"value\": \"1\"}, {\"type\": \"f32\", \"value\": "
                          "\"nan:canonical\"}]");
  spec_value_t *vals;
  size_t n;
  char err[200];
  CHECK(spec_values_parse(j, true, &vals, &n, err, sizeof err) && n == 2 && vals[0].kind == SPEC_I32 &&
        vals[1].pattern == SPEC_NAN_CANONICAL);
  free(vals);
  CHECK(!spec_values_parse(j, false, &vals, &n, err, sizeof err) && vals == NULL && n == 0);
  CHECK(strstr(err, "value 1:") != NULL);
  json_free(j);
  j = parse("[]");
  CHECK(spec_values_parse(j, false, &vals, &n, err, sizeof err) && vals == NULL && n == 0);
  json_free(j);
  j = parse("{}");
  CHECK(!spec_values_parse(j, false, &vals, &n, err, sizeof err));
  json_free(j);
}

static void expect_format(int line, const spec_value_t *v, const char *want) {
  char buf[400];
  spec_value_format(v, buf, sizeof buf);
  if (strcmp(buf, want) != 0) {
    fprintf(stderr, "%s:%d: formatted \"%s\", expected \"%s\"\n", __FILE__, line, buf, want);
    failures++;
  }
}
#define EXPECT_FORMAT(v, want) expect_format(__LINE__, v, want)

static void test_format(void) {
  spec_value_t v = spec_value_i32(0xffffffffu);
  EXPECT_FORMAT(&v, "i32:-1 (0xffffffff)");
  v = spec_value_i64(0x8000000000000000ull);
  EXPECT_FORMAT(&v, "i64:-9223372036854775808 (0x8000000000000000)");
  v = spec_value_f32(0x3fc00000u);
  EXPECT_FORMAT(&v, "f32:1.5 (0x3fc00000)");
  v = spec_value_f32(0xffc00000u);
  EXPECT_FORMAT(&v, "f32:-nan(0xffc00000)");
  v = spec_value_f32(0x7f800000u);
  EXPECT_FORMAT(&v, "f32:inf (0x7f800000)");
  v = spec_value_f64(0x8000000000000000ull);
  EXPECT_FORMAT(&v, "f64:-0 (0x8000000000000000)");
  v = spec_value_f64(0x7ff0000000000001ull);
  EXPECT_FORMAT(&v, "f64:nan(0x7ff0000000000001)");
  v = EXP("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}");
  EXPECT_FORMAT(&v, "f64:nan:arithmetic");
  v = spec_value_externref(false, 42);
  EXPECT_FORMAT(&v, "externref:42");
  v = spec_value_externref(true, 0);
  EXPECT_FORMAT(&v, "externref:null");
  v = spec_value_funcref(false);
  EXPECT_FORMAT(&v, "funcref:non-null");
  v = spec_value_anyref(SPEC_ANY_HOST, 3);
  EXPECT_FORMAT(&v, "anyref:host 3");
  v = spec_value_anyref(SPEC_ANY_HOST, UINT64_MAX);
  EXPECT_FORMAT(&v, "anyref:host (foreign)");
  v = spec_value_anyref(SPEC_ANY_I31, 7);
  EXPECT_FORMAT(&v, "anyref:i31 7");
  v = spec_value_anyref(SPEC_ANY_STRUCT, 0);
  EXPECT_FORMAT(&v, "anyref:struct");
  v = spec_value_anyref(SPEC_ANY_ARRAY, 0);
  EXPECT_FORMAT(&v, "anyref:array");
  v = spec_value_null(SPEC_ANYREF);
  EXPECT_FORMAT(&v, "anyref:null");
  v = spec_value_non_null(SPEC_ANYREF);
  EXPECT_FORMAT(&v, "anyref:non-null");
  v = spec_value_non_null(SPEC_EXTERNREF);
  EXPECT_FORMAT(&v, "externref:non-null");
  v = spec_value_non_null(SPEC_STRUCTREF);
  EXPECT_FORMAT(&v, "structref:non-null");
  v = spec_value_non_null(SPEC_EQREF);
  EXPECT_FORMAT(&v, "eqref:non-null");
  v = spec_value_exnref(true);
  EXPECT_FORMAT(&v, "exnref:null");
  v = spec_value_null(SPEC_NULLREF);
  EXPECT_FORMAT(&v, "refnull:null");
  v = EXP("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", "
          "\"1065353216\", \"0\", \"2143289345\"]}");
  EXPECT_FORMAT(&v, "v128:f32x4[nan:canonical 1 0 nan(0x7fc00001)]");
  char buf[400];
  spec_value_format_lanes(&v, SPEC_LANE_I16, buf, sizeof buf);
  CHECK(strcmp(buf, "v128:i16x8[0x0000 0x0000 0x0000 0x3f80 0x0000 0x0000 0x0001 0x7fc0]") == 0);
  v = ARG("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"0\", \"1\", \"2\", \"3\", \"4\", "
          "\"5\", \"6\", \"7\", \"8\", \"9\", \"10\", \"11\", \"12\", \"13\", \"14\", \"255\"]}");
  EXPECT_FORMAT(&v, "v128:i8x16[0x00 0x01 0x02 0x03 0x04 0x05 0x06 0x07 0x08 0x09 0x0a 0x0b 0x0c 0x0d 0x0e 0xff]");
  // Truncation keeps the buffer terminated.
  char small[8];
  spec_value_format(&v, small, sizeof small);
  CHECK(strlen(small) == 7 && strncmp(small, "v128:i8", 7) == 0);
  spec_value_format(&v, small, 1);
  CHECK(small[0] == '\0');
}

int main(void) {
  test_json_basics();
  test_json_strings();
  test_json_errors();
  test_json_depth();
  test_json_large();
  test_json_allocation_failures();
  test_int_bits();
  test_scalars();
  test_refs();
  test_gc_refs();
  test_float_matching();
  test_v128();
  test_values_array();
  test_format();
  if (failures == 0) {
    printf("spec_values_test: all checks passed\n");
    return 0;
  }
  printf("spec_values_test: %d check(s) failed\n", failures);
  return 1;
}
