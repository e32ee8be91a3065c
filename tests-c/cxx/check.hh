// Assertions for the C++ API tests (programs written against wasmtime's own C++ headers): count
// failures with file:line and the values compared, never stop early; `must` unwraps a Result or
// reports its error and stops the test, since nothing after it could run.
#ifndef SWASM_TEST_CHECK_HH
#define SWASM_TEST_CHECK_HH

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include <wasmtime.hh>

namespace check {

inline int failures = 0;

template <typename T> std::string show(const T &value) {
  std::ostringstream out;
  if constexpr (std::is_same_v<T, bool>) out << (value ? "true" : "false");
  else if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>) out << int(value);
  else out << value;
  return out.str();
}

inline void fail(const char *file, int line, const std::string &message) {
  std::fprintf(stderr, "%s:%d: %s\n", file, line, message.c_str());
  failures++;
}

// The message of any failed Result's error (Error, Trap or TrapError).
template <typename E> std::string message_of(const E &error) { return error.message(); }

inline int report(const char *name) {
  if (failures == 0) {
    std::printf("%s: all checks passed\n", name);
    return 0;
  }
  std::printf("%s: %d check(s) failed\n", name, failures);
  return 1;
}

} // namespace check

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) check::fail(__FILE__, __LINE__, std::string("CHECK failed: ") + #cond);           \
  } while (0)

#define CHECK_EQ(actual, expected)                                                                 \
  do {                                                                                             \
    const auto &check_actual = (actual);                                                           \
    const auto &check_expected = (expected);                                                       \
    if (!(check_actual == check_expected))                                                         \
      check::fail(__FILE__, __LINE__,                                                              \
                  std::string(#actual) + " is " + check::show(check_actual) + ", expected " +      \
                      check::show(check_expected));                                                \
  } while (0)

// `text` contains `part`.
#define CHECK_CONTAINS(text, part)                                                                 \
  do {                                                                                             \
    const std::string check_text(text);                                                            \
    if (check_text.find(part) == std::string::npos)                                                \
      check::fail(__FILE__, __LINE__,                                                              \
                  std::string(#text) + " is \"" + check_text + "\", expected to contain \"" +      \
                      (part) + "\"");                                                              \
  } while (0)

// The Result succeeded; its value.
#define must(result)                                                                               \
  ([&]() {                                                                                         \
    auto check_result = (result);                                                                  \
    if (!check_result) {                                                                           \
      check::fail(__FILE__, __LINE__,                                                              \
                  std::string(#result) + " failed: " + check::message_of(check_result.err_ref())); \
      std::printf("stopping: a later check depends on this one\n");                                \
      std::exit(1);                                                                                \
    }                                                                                              \
    return check_result.ok();                                                                      \
  }())

// The Result failed; its error's message.
#define error_message(result)                                                                      \
  ([&]() -> std::string {                                                                          \
    auto check_result = (result);                                                                  \
    if (check_result) {                                                                            \
      check::fail(__FILE__, __LINE__, std::string(#result) + " succeeded, expected a failure");    \
      return std::string();                                                                        \
    }                                                                                              \
    return check::message_of(check_result.err_ref());                                              \
  }())

#endif
