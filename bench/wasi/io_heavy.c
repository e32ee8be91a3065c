// A WASI program whose time goes into moving bytes: copies stdin to stdout in 64 KiB reads and
// writes, keeping a cheap checksum (a sum of 64-bit words), and prints the byte count and
// checksum to stderr at the end.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint64_t buffer[8192]; // 64 KiB

int main(void) {
  uint64_t total = 0, sum = 0;
  for (;;) {
    ssize_t got = read(0, buffer, sizeof buffer);
    if (got < 0) return 1;
    if (got == 0) break;
    if (got % 8) memset((char *)buffer + got, 0, 8 - got % 8);
    for (ssize_t i = 0; i < (got + 7) / 8; i++) sum += buffer[i];
    for (ssize_t done = 0; done < got;) {
      ssize_t put = write(1, (char *)buffer + done, (size_t)(got - done));
      if (put <= 0) return 1;
      done += put;
    }
    total += (uint64_t)got;
  }
  fprintf(stderr, "bytes %llu, checksum %llu\n", (unsigned long long)total, (unsigned long long)sum);
  return 0;
}
