// Exit status: exit(3) after writing to stdout and stderr, which stdio flushes before proc_exit;
// the runtime's exit status is 3.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("before exit\n");
  fprintf(stderr, "to stderr\n");
  exit(3);
}
