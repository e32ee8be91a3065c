// Values of the spec-test JSON: see spec_values.h.
#include "spec_values.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F32_SIGN 0x80000000u
#define F32_CANONICAL_NAN 0x7fc00000u // exponent all ones, only the quiet bit set
#define F64_SIGN 0x8000000000000000ull
#define F64_CANONICAL_NAN 0x7ff8000000000000ull

static void set_err(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t err_len, const char *fmt, ...) {
  if (err == NULL || err_len == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, err_len, fmt, ap);
  va_end(ap);
}

size_t spec_lane_count(spec_lane_type_t lane_type) {
  switch (lane_type) {
  case SPEC_LANE_I8: return 16;
  case SPEC_LANE_I16: return 8;
  case SPEC_LANE_I32:
  case SPEC_LANE_F32: return 4;
  case SPEC_LANE_I64:
  case SPEC_LANE_F64: return 2;
  }
  return 0;
}

static unsigned lane_width(spec_lane_type_t lane_type) {
  return (unsigned)(128 / spec_lane_count(lane_type));
}

static bool lane_is_float(spec_lane_type_t lane_type) {
  return lane_type == SPEC_LANE_F32 || lane_type == SPEC_LANE_F64;
}

static const char *lane_name(spec_lane_type_t lane_type) {
  switch (lane_type) {
  case SPEC_LANE_I8: return "i8x16";
  case SPEC_LANE_I16: return "i16x8";
  case SPEC_LANE_I32: return "i32x4";
  case SPEC_LANE_I64: return "i64x2";
  case SPEC_LANE_F32: return "f32x4";
  case SPEC_LANE_F64: return "f64x2";
  }
  return "?";
}

static bool lane_type_parse(const char *name, spec_lane_type_t *out) {
  static const struct {
    const char *name;
    spec_lane_type_t type;
  } names[] = {
      {"i8", SPEC_LANE_I8},   {"i16", SPEC_LANE_I16}, {"i32", SPEC_LANE_I32},
      {"i64", SPEC_LANE_I64}, {"f32", SPEC_LANE_F32}, {"f64", SPEC_LANE_F64},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i].name) == 0) {
      *out = names[i].type;
      return true;
    }
  }
  return false;
}

const char *spec_valkind_name(spec_valkind_t kind) {
  switch (kind) {
  case SPEC_I32: return "i32";
  case SPEC_I64: return "i64";
  case SPEC_F32: return "f32";
  case SPEC_F64: return "f64";
  case SPEC_V128: return "v128";
  case SPEC_FUNCREF: return "funcref";
  case SPEC_EXTERNREF: return "externref";
  case SPEC_NULLREF: return "refnull";
  case SPEC_ANYREF: return "anyref";
  case SPEC_EQREF: return "eqref";
  case SPEC_I31REF: return "i31ref";
  case SPEC_STRUCTREF: return "structref";
  case SPEC_ARRAYREF: return "arrayref";
  case SPEC_EXNREF: return "exnref";
  }
  return "?";
}

bool spec_valkind_parse(const char *name, spec_valkind_t *out) {
  static const spec_valkind_t kinds[] = {
      SPEC_I32,     SPEC_I64,    SPEC_F32,   SPEC_F64,    SPEC_V128,      SPEC_FUNCREF,  SPEC_EXTERNREF,
      SPEC_NULLREF, SPEC_ANYREF, SPEC_EQREF, SPEC_I31REF, SPEC_STRUCTREF, SPEC_ARRAYREF, SPEC_EXNREF};
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    if (strcmp(name, spec_valkind_name(kinds[i])) == 0) {
      *out = kinds[i];
      return true;
    }
  }
  return false;
}

bool spec_parse_int_bits(const char *s, size_t len, unsigned width, uint64_t *out) {
  if (width != 8 && width != 16 && width != 32 && width != 64) return false;
  size_t i = 0;
  bool negative = false;
  if (len > 0 && s[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i >= len) return false;
  uint64_t value = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    unsigned digit = (unsigned)(s[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  uint64_t mask = width == 64 ? UINT64_MAX : ((uint64_t)1 << width) - 1;
  if (negative) {
    uint64_t limit = (uint64_t)1 << (width - 1); // magnitude of the most negative value
    if (value > limit) return false;
    *out = (0 - value) & mask;
  } else {
    if (value > mask) return false;
    *out = value;
  }
  return true;
}

// Parses a float (or float lane) text: a bit pattern, or a NaN pattern if allowed.
static bool parse_float_text(const char *s, size_t len, unsigned width, bool expected,
                             uint64_t *bits, spec_pattern_t *pattern, char *err, size_t err_len) {
  if (len == 13 && memcmp(s, "nan:canonical", 13) == 0) {
    *pattern = SPEC_NAN_CANONICAL;
  } else if (len == 14 && memcmp(s, "nan:arithmetic", 14) == 0) {
    *pattern = SPEC_NAN_ARITHMETIC;
  } else {
    *pattern = SPEC_EXACT;
    if (!spec_parse_int_bits(s, len, width, bits)) {
      set_err(err, err_len, "invalid f%u bit pattern \"%.*s\"", width, (int)(len > 40 ? 40 : len),
              s);
      return false;
    }
    return true;
  }
  if (!expected) {
    set_err(err, err_len, "NaN pattern \"%.*s\" not allowed in an argument", (int)len, s);
    return false;
  }
  *bits = 0;
  return true;
}

static void store_lane(uint8_t v128[16], unsigned width, size_t lane, uint64_t bits) {
  size_t bytes = width / 8;
  for (size_t b = 0; b < bytes; b++) v128[lane * bytes + b] = (uint8_t)(bits >> (8 * b));
}

static uint64_t load_lane(const uint8_t v128[16], unsigned width, size_t lane) {
  size_t bytes = width / 8;
  uint64_t bits = 0;
  for (size_t b = 0; b < bytes; b++) bits |= (uint64_t)v128[lane * bytes + b] << (8 * b);
  return bits;
}

static bool parse_v128(const json_value_t *json, bool expected, spec_value_t *out, char *err,
                       size_t err_len) {
  const char *lane_text = json_get_string(json, "lane_type", NULL);
  if (lane_text == NULL) {
    set_err(err, err_len, "v128 value without a \"lane_type\" string");
    return false;
  }
  if (!lane_type_parse(lane_text, &out->lane_type)) {
    set_err(err, err_len, "unknown v128 lane type \"%s\"", lane_text);
    return false;
  }
  const json_value_t *lanes = json_get_array(json, "value");
  size_t count = spec_lane_count(out->lane_type);
  if (lanes == NULL || lanes->as.array.count != count) {
    set_err(err, err_len, "v128 %s value must be an array of %zu strings", lane_text, count);
    return false;
  }
  unsigned width = lane_width(out->lane_type);
  for (size_t i = 0; i < count; i++) {
    const json_value_t *lane = &lanes->as.array.items[i];
    if (lane->kind != JSON_STRING) {
      set_err(err, err_len, "v128 lane %zu is a %s, not a string", i, json_kind_name(lane->kind));
      return false;
    }
    uint64_t bits;
    if (lane_is_float(out->lane_type)) {
      char lane_err[96];
      if (!parse_float_text(lane->as.string.data, lane->as.string.len, width, expected, &bits,
                            &out->lane_patterns[i], lane_err, sizeof lane_err)) {
        set_err(err, err_len, "v128 lane %zu: %s", i, lane_err);
        return false;
      }
    } else if (!spec_parse_int_bits(lane->as.string.data, lane->as.string.len, width, &bits)) {
      set_err(err, err_len, "v128 lane %zu: invalid i%u \"%.40s\"", i, width, lane->as.string.data);
      return false;
    }
    store_lane(out->v128, width, i, bits);
  }
  return true;
}

bool spec_value_parse(const json_value_t *json, bool expected, spec_value_t *out, char *err,
                      size_t err_len) {
  memset(out, 0, sizeof *out);
  if (json == NULL || json->kind != JSON_OBJECT) {
    set_err(err, err_len, "value is not an object");
    return false;
  }
  const char *type = json_get_string(json, "type", NULL);
  if (type == NULL) {
    set_err(err, err_len, "value without a \"type\" string");
    return false;
  }
  // wasm-tools' bottom types: (ref.null none|nofunc|noextern|noexn).
  static const struct {
    const char *name;
    spec_valkind_t kind;
  } bottoms[] = {
      {"nullref", SPEC_ANYREF},
      {"nullfuncref", SPEC_FUNCREF},
      {"nullexternref", SPEC_EXTERNREF},
      {"nullexnref", SPEC_EXNREF},
  };
  for (size_t i = 0; i < sizeof bottoms / sizeof bottoms[0]; i++) {
    if (strcmp(type, bottoms[i].name) == 0) {
      *out = spec_value_null(bottoms[i].kind);
      return true;
    }
  }
  if (!spec_valkind_parse(type, &out->kind)) {
    set_err(err, err_len, "unsupported value type \"%.40s\"", type);
    return false;
  }
  if (out->kind == SPEC_V128) return parse_v128(json, expected, out, err, err_len);
  if (out->kind == SPEC_NULLREF) {
    out->is_null = true; // as an argument: the null of the parameter's hierarchy
    return true;
  }
  size_t len;
  const char *text = json_get_string(json, "value", &len);
  bool null_text = text != NULL && len == 4 && memcmp(text, "null", 4) == 0;
  switch (out->kind) {
  case SPEC_EQREF:
  case SPEC_I31REF:
  case SPEC_STRUCTREF:
  case SPEC_ARRAYREF:
    // No value: (ref.eq) ... in results; (ref.null eq) ... in arguments, where nothing else can
    // be written (wasm-tools writes both alike).
    if (null_text || (text == NULL && !expected)) {
      *out = spec_value_null(SPEC_ANYREF);
      return true;
    }
    if (text == NULL) {
      *out = spec_value_non_null(out->kind);
      return true;
    }
    set_err(err, err_len, "invalid %s \"%.40s\" (only null can be written)", type, text);
    return false;
  case SPEC_FUNCREF:
  case SPEC_EXTERNREF:
  case SPEC_ANYREF:
    // wasm-tools writes (ref.func), (ref.extern) and (ref.any) without a value.
    if (text == NULL && expected) {
      *out = spec_value_non_null(out->kind);
      return true;
    }
    break;
  default:
    break;
  }
  if (text == NULL) {
    set_err(err, err_len, "%s value without a \"value\" string", type);
    return false;
  }
  switch (out->kind) {
  case SPEC_I32:
  case SPEC_I64: {
    unsigned width = out->kind == SPEC_I32 ? 32 : 64;
    if (!spec_parse_int_bits(text, len, width, &out->bits)) {
      set_err(err, err_len, "invalid %s \"%.40s\"", type, text);
      return false;
    }
    return true;
  }
  case SPEC_F32:
  case SPEC_F64:
    return parse_float_text(text, len, out->kind == SPEC_F32 ? 32 : 64, expected, &out->bits,
                            &out->pattern, err, err_len);
  case SPEC_FUNCREF:
    if (len == 4 && memcmp(text, "null", 4) == 0) {
      out->is_null = true;
      return true;
    }
    if (!expected) {
      // An argument would need a real function of some instance: the JSON has no such form.
      set_err(err, err_len, "non-null funcref argument \"%.40s\" not supported", text);
      return false;
    }
    out->is_null = false; // matches any non-null function
    return true;
  case SPEC_EXTERNREF:
  case SPEC_ANYREF:
    if (null_text) {
      out->is_null = true;
      return true;
    }
    if (len == 0 || text[0] == '-' || !spec_parse_int_bits(text, len, 64, &out->ref)) {
      set_err(err, err_len, "invalid %s \"%.40s\"", type, text);
      return false;
    }
    out->is_null = false;
    out->object = SPEC_ANY_HOST; // anyref: ref.host N
    return true;
  case SPEC_EXNREF:
    if (null_text) {
      out->is_null = true;
      return true;
    }
    set_err(err, err_len, "invalid exnref \"%.40s\" (only null can be written)", text);
    return false;
  case SPEC_V128:
  case SPEC_NULLREF:
  case SPEC_EQREF:
  case SPEC_I31REF:
  case SPEC_STRUCTREF:
  case SPEC_ARRAYREF:
    break;
  }
  set_err(err, err_len, "internal error: unhandled value kind");
  return false;
}

bool spec_values_parse(const json_value_t *array, bool expected, spec_value_t **out, size_t *count,
                       char *err, size_t err_len) {
  *out = NULL;
  *count = 0;
  if (array == NULL || array->kind != JSON_ARRAY) {
    set_err(err, err_len, "values are not an array");
    return false;
  }
  size_t n = array->as.array.count;
  if (n == 0) return true;
  spec_value_t *values = calloc(n, sizeof *values);
  if (values == NULL) {
    set_err(err, err_len, "out of memory");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    char item_err[160];
    if (!spec_value_parse(&array->as.array.items[i], expected, &values[i], item_err,
                          sizeof item_err)) {
      set_err(err, err_len, "value %zu: %s", i, item_err);
      free(values);
      return false;
    }
  }
  *out = values;
  *count = n;
  return true;
}

spec_value_t spec_value_i32(uint32_t bits) {
  spec_value_t v = {.kind = SPEC_I32, .bits = bits};
  return v;
}

spec_value_t spec_value_i64(uint64_t bits) {
  spec_value_t v = {.kind = SPEC_I64, .bits = bits};
  return v;
}

spec_value_t spec_value_f32(uint32_t bits) {
  spec_value_t v = {.kind = SPEC_F32, .bits = bits};
  return v;
}

spec_value_t spec_value_f64(uint64_t bits) {
  spec_value_t v = {.kind = SPEC_F64, .bits = bits};
  return v;
}

spec_value_t spec_value_v128(const uint8_t bytes[16]) {
  spec_value_t v = {.kind = SPEC_V128, .lane_type = SPEC_LANE_I8};
  memcpy(v.v128, bytes, 16);
  return v;
}

spec_value_t spec_value_funcref(bool is_null) {
  spec_value_t v = {.kind = SPEC_FUNCREF, .is_null = is_null};
  return v;
}

spec_value_t spec_value_externref(bool is_null, uint64_t n) {
  spec_value_t v = {.kind = SPEC_EXTERNREF, .is_null = is_null, .ref = is_null ? 0 : n};
  return v;
}

spec_value_t spec_value_anyref(spec_any_object_t object, uint64_t n) {
  spec_value_t v = {.kind = SPEC_ANYREF, .object = object};
  if (object == SPEC_ANY_HOST) v.ref = n;
  if (object == SPEC_ANY_I31) v.bits = n & 0x7fffffffu;
  return v;
}

spec_value_t spec_value_exnref(bool is_null) {
  spec_value_t v = {.kind = SPEC_EXNREF, .is_null = is_null};
  return v;
}

spec_value_t spec_value_null(spec_valkind_t kind) {
  spec_value_t v = {.kind = kind, .is_null = true};
  return v;
}

spec_value_t spec_value_non_null(spec_valkind_t kind) {
  spec_value_t v = {.kind = kind, .wildcard = true};
  return v;
}

static bool is_reference(spec_valkind_t kind) {
  return kind == SPEC_FUNCREF || kind == SPEC_EXTERNREF || kind == SPEC_ANYREF || kind == SPEC_EXNREF;
}

// Whether `actual` is a non-null anyref whose object has the (abstract) type `kind`.
static bool any_object_is(spec_valkind_t kind, const spec_value_t *actual) {
  if (actual->kind != SPEC_ANYREF || actual->is_null) return false;
  switch (kind) {
  case SPEC_I31REF: return actual->object == SPEC_ANY_I31;
  case SPEC_STRUCTREF: return actual->object == SPEC_ANY_STRUCT;
  case SPEC_ARRAYREF: return actual->object == SPEC_ANY_ARRAY;
  case SPEC_EQREF:
    return actual->object == SPEC_ANY_I31 || actual->object == SPEC_ANY_STRUCT ||
           actual->object == SPEC_ANY_ARRAY;
  default: return false;
  }
}

bool spec_f32_matches(uint32_t bits, spec_pattern_t pattern, uint32_t expected_bits) {
  switch (pattern) {
  case SPEC_EXACT: return bits == expected_bits;
  case SPEC_NAN_CANONICAL: return (bits & ~F32_SIGN) == F32_CANONICAL_NAN;
  case SPEC_NAN_ARITHMETIC: return (bits & F32_CANONICAL_NAN) == F32_CANONICAL_NAN;
  }
  return false;
}

bool spec_f64_matches(uint64_t bits, spec_pattern_t pattern, uint64_t expected_bits) {
  switch (pattern) {
  case SPEC_EXACT: return bits == expected_bits;
  case SPEC_NAN_CANONICAL: return (bits & ~F64_SIGN) == F64_CANONICAL_NAN;
  case SPEC_NAN_ARITHMETIC: return (bits & F64_CANONICAL_NAN) == F64_CANONICAL_NAN;
  }
  return false;
}

bool spec_value_matches(const spec_value_t *expected, const spec_value_t *actual) {
  if (expected->kind == SPEC_NULLREF) return is_reference(actual->kind) && actual->is_null;
  if (expected->kind == SPEC_EQREF || expected->kind == SPEC_I31REF ||
      expected->kind == SPEC_STRUCTREF || expected->kind == SPEC_ARRAYREF) {
    return any_object_is(expected->kind, actual);
  }
  if (expected->kind != actual->kind) return false;
  switch (expected->kind) {
  case SPEC_I32:
  case SPEC_I64:
    return expected->bits == actual->bits;
  case SPEC_F32:
    return spec_f32_matches((uint32_t)actual->bits, expected->pattern, (uint32_t)expected->bits);
  case SPEC_F64:
    return spec_f64_matches(actual->bits, expected->pattern, expected->bits);
  case SPEC_V128: {
    spec_lane_type_t lt = expected->lane_type;
    unsigned width = lane_width(lt);
    for (size_t i = 0; i < spec_lane_count(lt); i++) {
      uint64_t a = load_lane(actual->v128, width, i);
      uint64_t e = load_lane(expected->v128, width, i);
      bool ok;
      if (lt == SPEC_LANE_F32) {
        ok = spec_f32_matches((uint32_t)a, expected->lane_patterns[i], (uint32_t)e);
      } else if (lt == SPEC_LANE_F64) {
        ok = spec_f64_matches(a, expected->lane_patterns[i], e);
      } else {
        ok = a == e;
      }
      if (!ok) return false;
    }
    return true;
  }
  case SPEC_FUNCREF:
  case SPEC_EXNREF:
    return expected->is_null == actual->is_null;
  case SPEC_EXTERNREF:
    if (expected->is_null || actual->is_null) return expected->is_null == actual->is_null;
    return expected->wildcard || expected->ref == actual->ref;
  case SPEC_ANYREF:
    if (expected->is_null || actual->is_null) return expected->is_null == actual->is_null;
    if (expected->wildcard) return true;
    return actual->object == SPEC_ANY_HOST && expected->ref == actual->ref;
  case SPEC_NULLREF:
  case SPEC_EQREF:
  case SPEC_I31REF:
  case SPEC_STRUCTREF:
  case SPEC_ARRAYREF:
    break; // handled above
  }
  return false;
}

// Appends to buf at *pos (bounded, always NUL-terminated).
static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...) {
  if (*pos >= len) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  *pos = (size_t)n >= len - *pos ? len - 1 : *pos + (size_t)n;
}

static const char *pattern_name(spec_pattern_t p) {
  return p == SPEC_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

static void append_f32(char *buf, size_t len, size_t *pos, uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  if (f != f) {
    append(buf, len, pos, "%snan(0x%08" PRIx32 ")", (bits & F32_SIGN) ? "-" : "", bits);
  } else {
    append(buf, len, pos, "%.9g", (double)f);
  }
}

static void append_f64(char *buf, size_t len, size_t *pos, uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  if (d != d) {
    append(buf, len, pos, "%snan(0x%016" PRIx64 ")", (bits & F64_SIGN) ? "-" : "", bits);
  } else {
    append(buf, len, pos, "%.17g", d);
  }
}

char *spec_value_format_lanes(const spec_value_t *v, spec_lane_type_t lane_type, char *buf,
                              size_t len) {
  if (len == 0) return buf;
  buf[0] = '\0';
  size_t pos = 0;
  append(buf, len, &pos, "%s:", spec_valkind_name(v->kind));
  switch (v->kind) {
  case SPEC_I32:
    append(buf, len, &pos, "%" PRId32 " (0x%08" PRIx32 ")", (int32_t)(uint32_t)v->bits,
           (uint32_t)v->bits);
    break;
  case SPEC_I64:
    append(buf, len, &pos, "%" PRId64 " (0x%016" PRIx64 ")", (int64_t)v->bits, v->bits);
    break;
  case SPEC_F32:
    if (v->pattern != SPEC_EXACT) {
      append(buf, len, &pos, "%s", pattern_name(v->pattern));
    } else {
      append_f32(buf, len, &pos, (uint32_t)v->bits);
      if ((v->bits & 0x7f800000u) != 0x7f800000u || (v->bits & 0x007fffffu) == 0) {
        append(buf, len, &pos, " (0x%08" PRIx32 ")", (uint32_t)v->bits); // NaNs show their bits
      }
    }
    break;
  case SPEC_F64:
    if (v->pattern != SPEC_EXACT) {
      append(buf, len, &pos, "%s", pattern_name(v->pattern));
    } else {
      append_f64(buf, len, &pos, v->bits);
      if ((v->bits & 0x7ff0000000000000ull) != 0x7ff0000000000000ull ||
          (v->bits & 0x000fffffffffffffull) == 0) {
        append(buf, len, &pos, " (0x%016" PRIx64 ")", v->bits);
      }
    }
    break;
  case SPEC_V128: {
    // Patterns belong to the value's own lanes; shown only when printed in those lanes.
    bool own = lane_type == v->lane_type;
    unsigned width = lane_width(lane_type);
    append(buf, len, &pos, "%s[", lane_name(lane_type));
    for (size_t i = 0; i < spec_lane_count(lane_type); i++) {
      if (i > 0) append(buf, len, &pos, " ");
      uint64_t bits = load_lane(v->v128, width, i);
      if (own && lane_is_float(lane_type) && v->lane_patterns[i] != SPEC_EXACT) {
        append(buf, len, &pos, "%s", pattern_name(v->lane_patterns[i]));
      } else if (lane_type == SPEC_LANE_F32) {
        append_f32(buf, len, &pos, (uint32_t)bits);
      } else if (lane_type == SPEC_LANE_F64) {
        append_f64(buf, len, &pos, bits);
      } else {
        append(buf, len, &pos, "0x%0*" PRIx64, (int)(width / 4), bits);
      }
    }
    append(buf, len, &pos, "]");
    break;
  }
  case SPEC_FUNCREF:
  case SPEC_EXNREF:
    append(buf, len, &pos, "%s", v->is_null ? "null" : "non-null");
    break;
  case SPEC_EXTERNREF:
    if (v->is_null) {
      append(buf, len, &pos, "null");
    } else if (v->wildcard) {
      append(buf, len, &pos, "non-null");
    } else {
      append(buf, len, &pos, "%" PRIu64, v->ref);
    }
    break;
  case SPEC_ANYREF:
    if (v->is_null) {
      append(buf, len, &pos, "null");
    } else if (v->wildcard) {
      append(buf, len, &pos, "non-null");
    } else {
      switch (v->object) {
      case SPEC_ANY_HOST:
        if (v->ref == UINT64_MAX) {
          append(buf, len, &pos, "host (foreign)");
        } else {
          append(buf, len, &pos, "host %" PRIu64, v->ref);
        }
        break;
      case SPEC_ANY_I31: append(buf, len, &pos, "i31 %" PRIu64, v->bits); break;
      case SPEC_ANY_STRUCT: append(buf, len, &pos, "struct"); break;
      case SPEC_ANY_ARRAY: append(buf, len, &pos, "array"); break;
      case SPEC_ANY_OTHER: append(buf, len, &pos, "non-null"); break;
      }
    }
    break;
  case SPEC_NULLREF:
    append(buf, len, &pos, "null");
    break;
  case SPEC_EQREF:
  case SPEC_I31REF:
  case SPEC_STRUCTREF:
  case SPEC_ARRAYREF:
    append(buf, len, &pos, "non-null");
    break;
  }
  return buf;
}

char *spec_value_format(const spec_value_t *v, char *buf, size_t len) {
  return spec_value_format_lanes(v, v->lane_type, buf, len);
}

void spec_values_format_list(const spec_value_t *values, size_t count, const spec_value_t *like,
                             size_t like_count, char *buf, size_t len) {
  if (len == 0) return;
  size_t pos = 0;
  buf[0] = '\0';
  int n = snprintf(buf, len, "[");
  if (n < 0) return;
  pos = (size_t)n >= len ? len - 1 : (size_t)n;
  for (size_t i = 0; i < count && pos + 1 < len; i++) {
    char one[400];
    if (like != NULL && i < like_count && like[i].kind == SPEC_V128 && values[i].kind == SPEC_V128) {
      spec_value_format_lanes(&values[i], like[i].lane_type, one, sizeof one);
    } else {
      spec_value_format(&values[i], one, sizeof one);
    }
    n = snprintf(buf + pos, len - pos, "%s%s", i > 0 ? ", " : "", one);
    if (n < 0) break;
    pos = (size_t)n >= len - pos ? len - 1 : pos + (size_t)n;
  }
  if (pos + 1 < len) snprintf(buf + pos, len - pos, "]");
}
