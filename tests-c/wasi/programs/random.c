// Random: getentropy gives different bytes from one call to the next, fills buffers of every size
// up to its limit of 256 bytes, and refuses more (random_get; EIO from wasi-libc past 256);
// random_get directly, also of 0 bytes and of a large buffer.
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

int main(void) {
  unsigned char first[32], second[32];
  CHECK(getentropy(first, sizeof first) == 0 && getentropy(second, sizeof second) == 0, "getentropy twice, 32 bytes");
  CHECK(memcmp(first, second, sizeof first) != 0, "the two differ");
  int all_zero = 1;
  for (size_t i = 0; i < sizeof first; i++) all_zero &= first[i] == 0;
  CHECK(!all_zero, "the first is not all zeros");
  static unsigned char buffer[256 + 1];
  int ok = 1;
  for (size_t length = 1; length <= 256; length++) {
    memset(buffer, 0, sizeof buffer);
    if (getentropy(buffer, length) != 0 || buffer[length] != 0) ok = 0;
  }
  CHECK(ok, "getentropy of 1 to 256 bytes writes exactly those bytes");
  CHECK_ERRNO(getentropy(buffer, 257), EIO, "getentropy of 257 bytes");
  static unsigned char large[1 << 20];
  CHECK(__wasi_random_get(large, sizeof large) == 0, "random_get of 1 MiB");
  // Each byte value appears: 1 MiB of uniform bytes misses one with probability about 256 * e^-4096.
  int seen[256] = {0}, missing = 0;
  for (size_t i = 0; i < sizeof large; i++) seen[large[i]] = 1;
  for (int i = 0; i < 256; i++) missing += !seen[i];
  CHECK(missing == 0, "every byte value appears in it");
  CHECK(__wasi_random_get(large, 0) == 0, "random_get of 0 bytes");
  CHECKS_DONE();
}
