// A small JSON parser: see json.h.
#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
  const unsigned char *start;
  const unsigned char *p;
  const unsigned char *end;
  size_t depth;
  size_t max_depth;
  json_error_t *err;
} parser_t;

// A growable byte buffer for decoding strings.
typedef struct buffer {
  char *data;
  size_t len;
  size_t cap;
} buffer_t;

static void fail_at(parser_t *ps, const unsigned char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_at(parser_t *ps, const unsigned char *at, const char *fmt, ...) {
  if (ps->err == NULL) return;
  json_error_t *err = ps->err;
  err->offset = (size_t)(at - ps->start);
  err->line = 1;
  err->column = 1;
  for (const unsigned char *q = ps->start; q < at; q++) {
    if (*q == '\n') {
      err->line++;
      err->column = 1;
    } else {
      err->column++;
    }
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
}

static void fail_unexpected(parser_t *ps, const char *what) {
  if (ps->p >= ps->end) {
    fail_at(ps, ps->p, "unexpected end of input, expected %s", what);
  } else if (*ps->p >= 0x20 && *ps->p < 0x7f) {
    fail_at(ps, ps->p, "unexpected '%c', expected %s", *ps->p, what);
  } else {
    fail_at(ps, ps->p, "unexpected byte 0x%02x, expected %s", *ps->p, what);
  }
}

static void skip_whitespace(parser_t *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
    ps->p++;
  }
}

// Makes room for `extra` more elements of `size` bytes in the array at `*items` (capacity `*cap`,
// `count` used). Returns false on overflow or allocation failure (the array is left intact).
static bool grow(void **items, size_t *cap, size_t count, size_t extra, size_t size) {
  if (count + extra <= *cap) return true;
  if (extra > SIZE_MAX / size - count) return false;
  size_t need = count + extra;
  size_t new_cap = *cap < 4 ? 4 : *cap;
  while (new_cap < need) {
    if (new_cap > SIZE_MAX / size / 2) {
      new_cap = need;
      break;
    }
    new_cap *= 2;
  }
  void *grown = realloc(*items, new_cap * size);
  if (grown == NULL) return false;
  *items = grown;
  *cap = new_cap;
  return true;
}

static bool buffer_append(buffer_t *b, const void *bytes, size_t n) {
  // One extra byte is always kept for the terminating NUL.
  if (!grow((void **)&b->data, &b->cap, b->len, n + 1, 1)) return false;
  memcpy(b->data + b->len, bytes, n);
  b->len += n;
  return true;
}

// Length of the valid UTF-8 sequence at `s` (at most `n` bytes available), 0 if invalid:
// overlong forms, surrogates and code points above U+10FFFF are rejected.
static size_t utf8_sequence_length(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0; // overlong
  if (cp >= 0xd800 && cp <= 0xdfff) return 0;                            // surrogate
  if (cp > 0x10ffff) return 0;
  return len;
}

static void encode_utf8(uint32_t cp, unsigned char *out, size_t *len) {
  if (cp < 0x80) {
    out[0] = (unsigned char)cp;
    *len = 1;
  } else if (cp < 0x800) {
    out[0] = (unsigned char)(0xc0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3f));
    *len = 2;
  } else if (cp < 0x10000) {
    out[0] = (unsigned char)(0xe0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (unsigned char)(0x80 | (cp & 0x3f));
    *len = 3;
  } else {
    out[0] = (unsigned char)(0xf0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (unsigned char)(0x80 | (cp & 0x3f));
    *len = 4;
  }
}

// Reads the 4 hex digits after "\u" (ps->p points at the 'u'); advances past them.
static bool parse_hex4(parser_t *ps, uint32_t *out) {
  const unsigned char *u = ps->p;
  if (ps->end - u < 5) {
    fail_at(ps, u - 1, "truncated \\u escape");
    return false;
  }
  uint32_t v = 0;
  for (int i = 1; i <= 4; i++) {
    unsigned char c = u[i];
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = (uint32_t)(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = (uint32_t)(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = (uint32_t)(c - 'A' + 10);
    } else {
      fail_at(ps, u + i, "invalid hex digit in \\u escape");
      return false;
    }
    v = (v << 4) | d;
  }
  ps->p = u + 5;
  *out = v;
  return true;
}

// Parses a string (ps->p at the opening quote) into a new NUL-terminated buffer.
static bool parse_string(parser_t *ps, char **out, size_t *out_len) {
  const unsigned char *open = ps->p;
  ps->p++;
  // Fast path: no escapes, just validate and copy.
  const unsigned char *q = ps->p;
  while (q < ps->end && *q != '"' && *q != '\\' && *q >= 0x20) {
    if (*q < 0x80) {
      q++;
      continue;
    }
    size_t n = utf8_sequence_length(q, (size_t)(ps->end - q));
    if (n == 0) {
      fail_at(ps, q, "invalid UTF-8 in string");
      return false;
    }
    q += n;
  }
  if (q < ps->end && *q == '"') {
    size_t n = (size_t)(q - ps->p);
    char *s = malloc(n + 1);
    if (s == NULL) {
      fail_at(ps, open, "out of memory");
      return false;
    }
    memcpy(s, ps->p, n);
    s[n] = '\0';
    ps->p = q + 1;
    *out = s;
    *out_len = n;
    return true;
  }
  // Slow path: decode escapes into a buffer.
  buffer_t b = {0};
  if (!buffer_append(&b, ps->p, (size_t)(q - ps->p))) goto oom;
  ps->p = q;
  for (;;) {
    if (ps->p >= ps->end) {
      fail_at(ps, open, "unterminated string");
      goto fail;
    }
    unsigned char c = *ps->p;
    if (c == '"') {
      ps->p++;
      break;
    }
    if (c < 0x20) {
      fail_at(ps, ps->p, "unescaped control character 0x%02x in string", c);
      goto fail;
    }
    if (c == '\\') {
      if (ps->end - ps->p < 2) {
        fail_at(ps, open, "unterminated string");
        goto fail;
      }
      unsigned char e = ps->p[1];
      char simple = 0;
      switch (e) {
      case '"': simple = '"'; break;
      case '\\': simple = '\\'; break;
      case '/': simple = '/'; break;
      case 'b': simple = '\b'; break;
      case 'f': simple = '\f'; break;
      case 'n': simple = '\n'; break;
      case 'r': simple = '\r'; break;
      case 't': simple = '\t'; break;
      case 'u': break;
      default:
        fail_at(ps, ps->p, "invalid escape sequence");
        goto fail;
      }
      if (e != 'u') {
        if (!buffer_append(&b, &simple, 1)) goto oom;
        ps->p += 2;
        continue;
      }
      const unsigned char *escape = ps->p;
      ps->p++; // at 'u'
      uint32_t cp;
      if (!parse_hex4(ps, &cp)) goto fail;
      if (cp >= 0xdc00 && cp <= 0xdfff) {
        fail_at(ps, escape, "unpaired low surrogate in \\u escape");
        goto fail;
      }
      if (cp >= 0xd800 && cp <= 0xdbff) {
        if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
          fail_at(ps, escape, "unpaired high surrogate in \\u escape");
          goto fail;
        }
        ps->p++; // at 'u'
        uint32_t low;
        if (!parse_hex4(ps, &low)) goto fail;
        if (low < 0xdc00 || low > 0xdfff) {
          fail_at(ps, escape, "high surrogate not followed by a low surrogate");
          goto fail;
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      }
      unsigned char utf8[4];
      size_t n;
      encode_utf8(cp, utf8, &n);
      if (!buffer_append(&b, utf8, n)) goto oom;
      continue;
    }
    size_t n = utf8_sequence_length(ps->p, (size_t)(ps->end - ps->p));
    if (n == 0) {
      fail_at(ps, ps->p, "invalid UTF-8 in string");
      goto fail;
    }
    if (!buffer_append(&b, ps->p, n)) goto oom;
    ps->p += n;
  }
  if (b.data == NULL && !grow((void **)&b.data, &b.cap, 0, 1, 1)) goto oom;
  b.data[b.len] = '\0';
  *out = b.data;
  *out_len = b.len;
  return true;
oom:
  fail_at(ps, open, "out of memory");
fail:
  free(b.data);
  return false;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool parse_number(parser_t *ps, json_value_t *out) {
  const unsigned char *s = ps->p;
  const unsigned char *q = s;
  if (q < ps->end && *q == '-') q++;
  if (q >= ps->end || !is_digit(*q)) {
    fail_at(ps, q, "invalid number: expected a digit");
    return false;
  }
  if (*q == '0') {
    q++;
    if (q < ps->end && is_digit(*q)) {
      fail_at(ps, q, "invalid number: leading zero");
      return false;
    }
  } else {
    while (q < ps->end && is_digit(*q)) q++;
  }
  if (q < ps->end && *q == '.') {
    q++;
    if (q >= ps->end || !is_digit(*q)) {
      fail_at(ps, q, "invalid number: expected a digit after '.'");
      return false;
    }
    while (q < ps->end && is_digit(*q)) q++;
  }
  if (q < ps->end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < ps->end && (*q == '+' || *q == '-')) q++;
    if (q >= ps->end || !is_digit(*q)) {
      fail_at(ps, q, "invalid number: expected a digit in the exponent");
      return false;
    }
    while (q < ps->end && is_digit(*q)) q++;
  }
  size_t n = (size_t)(q - s);
  char *text = malloc(n + 1);
  if (text == NULL) {
    fail_at(ps, s, "out of memory");
    return false;
  }
  memcpy(text, s, n);
  text[n] = '\0';
  out->kind = JSON_NUMBER;
  out->as.string.data = text;
  out->as.string.len = n;
  ps->p = q;
  return true;
}

static bool parse_literal(parser_t *ps, const char *word, json_value_t *out, json_kind_t kind,
                          bool boolean) {
  size_t n = strlen(word);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
    fail_at(ps, ps->p, "invalid literal, expected '%s'", word);
    return false;
  }
  ps->p += n;
  out->kind = kind;
  out->as.boolean = boolean;
  return true;
}

// Releases what `v` owns (not `v` itself).
static void value_clear(json_value_t *v) {
  switch (v->kind) {
  case JSON_NUMBER:
  case JSON_STRING:
    free(v->as.string.data);
    break;
  case JSON_ARRAY:
    for (size_t i = 0; i < v->as.array.count; i++) value_clear(&v->as.array.items[i]);
    free(v->as.array.items);
    break;
  case JSON_OBJECT:
    for (size_t i = 0; i < v->as.object.count; i++) {
      free(v->as.object.members[i].key);
      value_clear(&v->as.object.members[i].value);
    }
    free(v->as.object.members);
    break;
  case JSON_NULL:
  case JSON_BOOL:
    break;
  }
  v->kind = JSON_NULL;
}

static bool parse_value(parser_t *ps, json_value_t *out);

static bool parse_array(parser_t *ps, json_value_t *out) {
  const unsigned char *open = ps->p;
  ps->p++;
  json_value_t *items = NULL;
  size_t count = 0, cap = 0;
  skip_whitespace(ps);
  if (ps->p < ps->end && *ps->p == ']') {
    ps->p++;
  } else {
    for (;;) {
      if (!grow((void **)&items, &cap, count, 1, sizeof *items)) {
        fail_at(ps, open, "out of memory");
        goto fail;
      }
      if (!parse_value(ps, &items[count])) goto fail;
      count++;
      skip_whitespace(ps);
      if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        continue;
      }
      if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        break;
      }
      fail_unexpected(ps, "',' or ']'");
      goto fail;
    }
  }
  out->kind = JSON_ARRAY;
  out->as.array.items = items;
  out->as.array.count = count;
  return true;
fail:
  for (size_t i = 0; i < count; i++) value_clear(&items[i]);
  free(items);
  return false;
}

static bool parse_object(parser_t *ps, json_value_t *out) {
  const unsigned char *open = ps->p;
  ps->p++;
  json_member_t *members = NULL;
  size_t count = 0, cap = 0;
  skip_whitespace(ps);
  if (ps->p < ps->end && *ps->p == '}') {
    ps->p++;
  } else {
    for (;;) {
      skip_whitespace(ps);
      if (ps->p >= ps->end || *ps->p != '"') {
        fail_unexpected(ps, "a string key");
        goto fail;
      }
      if (!grow((void **)&members, &cap, count, 1, sizeof *members)) {
        fail_at(ps, open, "out of memory");
        goto fail;
      }
      json_member_t *m = &members[count];
      if (!parse_string(ps, &m->key, &m->key_len)) goto fail;
      skip_whitespace(ps);
      if (ps->p >= ps->end || *ps->p != ':') {
        fail_unexpected(ps, "':'");
        free(m->key);
        goto fail;
      }
      ps->p++;
      if (!parse_value(ps, &m->value)) {
        free(m->key);
        goto fail;
      }
      count++;
      skip_whitespace(ps);
      if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        continue;
      }
      if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        break;
      }
      fail_unexpected(ps, "',' or '}'");
      goto fail;
    }
  }
  out->kind = JSON_OBJECT;
  out->as.object.members = members;
  out->as.object.count = count;
  return true;
fail:
  for (size_t i = 0; i < count; i++) {
    free(members[i].key);
    value_clear(&members[i].value);
  }
  free(members);
  return false;
}

// Parses one value (leading whitespace allowed) into `*out`. On failure `*out` owns nothing.
static bool parse_value(parser_t *ps, json_value_t *out) {
  memset(out, 0, sizeof *out);
  out->kind = JSON_NULL;
  skip_whitespace(ps);
  out->offset = (size_t)(ps->p - ps->start);
  if (ps->p >= ps->end) {
    fail_unexpected(ps, "a value");
    return false;
  }
  switch (*ps->p) {
  case '{':
  case '[': {
    if (ps->depth >= ps->max_depth) {
      fail_at(ps, ps->p, "nesting deeper than %zu levels", ps->max_depth);
      return false;
    }
    ps->depth++;
    bool ok = *ps->p == '{' ? parse_object(ps, out) : parse_array(ps, out);
    ps->depth--;
    return ok;
  }
  case '"': {
    char *s;
    size_t n;
    if (!parse_string(ps, &s, &n)) return false;
    out->kind = JSON_STRING;
    out->as.string.data = s;
    out->as.string.len = n;
    return true;
  }
  case 't':
    return parse_literal(ps, "true", out, JSON_BOOL, true);
  case 'f':
    return parse_literal(ps, "false", out, JSON_BOOL, false);
  case 'n':
    return parse_literal(ps, "null", out, JSON_NULL, false);
  default:
    if (*ps->p == '-' || is_digit(*ps->p)) return parse_number(ps, out);
    fail_unexpected(ps, "a value");
    return false;
  }
}

json_value_t *json_parse(const char *text, size_t len, size_t max_depth, json_error_t *err) {
  if (err != NULL) memset(err, 0, sizeof *err);
  parser_t ps = {
      .start = (const unsigned char *)text,
      .p = (const unsigned char *)text,
      .end = (const unsigned char *)text + len,
      .depth = 0,
      .max_depth = max_depth == 0 ? JSON_DEFAULT_MAX_DEPTH : max_depth,
      .err = err,
  };
  if (text == NULL && len != 0) {
    if (err != NULL) snprintf(err->message, sizeof err->message, "no input");
    return NULL;
  }
  json_value_t *root = malloc(sizeof *root);
  if (root == NULL) {
    fail_at(&ps, ps.p, "out of memory");
    return NULL;
  }
  if (!parse_value(&ps, root)) {
    free(root);
    return NULL;
  }
  skip_whitespace(&ps);
  if (ps.p != ps.end) {
    fail_unexpected(&ps, "end of input");
    json_free(root);
    return NULL;
  }
  return root;
}

void json_free(json_value_t *root) {
  if (root == NULL) return;
  value_clear(root);
  free(root);
}

const char *json_kind_name(json_kind_t kind) {
  switch (kind) {
  case JSON_NULL: return "null";
  case JSON_BOOL: return "boolean";
  case JSON_NUMBER: return "number";
  case JSON_STRING: return "string";
  case JSON_ARRAY: return "array";
  case JSON_OBJECT: return "object";
  }
  return "?";
}

const json_value_t *json_get(const json_value_t *object, const char *key) {
  if (object == NULL || object->kind != JSON_OBJECT || key == NULL) return NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < object->as.object.count; i++) {
    const json_member_t *m = &object->as.object.members[i];
    if (m->key_len == n && memcmp(m->key, key, n) == 0) return &m->value;
  }
  return NULL;
}

const char *json_get_string(const json_value_t *object, const char *key, size_t *len) {
  const json_value_t *v = json_get(object, key);
  if (v == NULL || v->kind != JSON_STRING) return NULL;
  if (len != NULL) *len = v->as.string.len;
  return v->as.string.data;
}

const json_value_t *json_get_array(const json_value_t *object, const char *key) {
  const json_value_t *v = json_get(object, key);
  return v != NULL && v->kind == JSON_ARRAY ? v : NULL;
}
