#define _GNU_SOURCE
#include "FileMapping.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int cswasm_map_file(const char *path, cswasm_mapped_file *out) {
  out->data = NULL;
  out->size = 0;
  out->fd = -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat info;
  if (fstat(fd, &info) != 0) {
    int error = errno;
    close(fd);
    return error;
  }
  if (!S_ISREG(info.st_mode)) {
    close(fd);
    return S_ISDIR(info.st_mode) ? EISDIR : ENODEV;
  }
  if (info.st_size > 0) {
    void *data = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      int error = errno;
      close(fd);
      return error;
    }
    out->data = data;
    out->size = (size_t)info.st_size;
  }
  out->fd = fd;
  return 0;
}

void cswasm_unmap_file(cswasm_mapped_file *file) {
  if (file->data) munmap((void *)file->data, file->size);
  if (file->fd >= 0) close(file->fd);
  file->data = NULL;
  file->size = 0;
  file->fd = -1;
}

int cswasm_take_file(cswasm_mapped_file *file) {
  int fd = file->fd;
  file->fd = -1;
  return fd;
}

void cswasm_close_file(int fd) {
  if (fd >= 0) close(fd);
}

int cswasm_anonymous_file(size_t size, void **contents) {
  *contents = NULL;
  int fd = memfd_create("swasm-memory-image", MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (ftruncate(fd, (off_t)size) != 0) {
    close(fd);
    return -1;
  }
  void *mapped = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapped == MAP_FAILED) {
    close(fd);
    return -1;
  }
  *contents = mapped;
  return fd;
}

void cswasm_finish_anonymous_file(void *contents, size_t size) { (void)munmap(contents, size); }

// strerrordesc_np, not strerror: no locale, so no message catalog loaded with libc's malloc
// (and no allocation for an unknown number either).
const char *cswasm_error_text(int error) {
  const char *text = strerrordesc_np(error);
  return text != NULL ? text : "Unknown error";
}
