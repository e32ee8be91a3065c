// WASI platform layer: sock_accept, sock_recv, sock_send, sock_shutdown on descriptors the
// embedder preopened or inherited (WASI preview 1 cannot create sockets).
#define _GNU_SOURCE
#include "wasi_internal.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int iov_count(size_t count) { return count > 1024 ? 1024 : (int)count; }

uint16_t cswasm_wasi_sock_accept(int fd, uint16_t fdflags, int *out_fd) {
  if (fdflags & ~CSWASM_WASI_FDFLAGS_NONBLOCK) return CSWASM_WASI_EINVAL;
  int flags = SOCK_CLOEXEC | ((fdflags & CSWASM_WASI_FDFLAGS_NONBLOCK) ? SOCK_NONBLOCK : 0);
  int accepted;
  CSWASM_WASI_RETRY(accepted, accept4(fd, NULL, NULL, flags));
  if (accepted < 0) return cswasm_wasi_errno_from_host(errno);
  *out_fd = accepted;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_sock_recv(int fd, const cswasm_wasi_iovec *iovs, size_t count, uint16_t riflags,
                               size_t *nread, uint16_t *roflags) {
  if (riflags & ~(CSWASM_WASI_RIFLAGS_RECV_PEEK | CSWASM_WASI_RIFLAGS_RECV_WAITALL)) return CSWASM_WASI_EINVAL;
  int flags = MSG_NOSIGNAL;
  if (riflags & CSWASM_WASI_RIFLAGS_RECV_PEEK) flags |= MSG_PEEK;
  if (riflags & CSWASM_WASI_RIFLAGS_RECV_WAITALL) flags |= MSG_WAITALL;
  struct msghdr message;
  memset(&message, 0, sizeof message);
  message.msg_iov = (struct iovec *)(void *)(uintptr_t)iovs;
  message.msg_iovlen = (size_t)iov_count(count);
  ssize_t n;
  CSWASM_WASI_RETRY(n, recvmsg(fd, &message, flags));
  if (n < 0) return cswasm_wasi_errno_from_host(errno);
  *nread = (size_t)n;
  *roflags = (message.msg_flags & MSG_TRUNC) ? CSWASM_WASI_ROFLAGS_RECV_DATA_TRUNCATED : 0;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_sock_send(int fd, const cswasm_wasi_ciovec *iovs, size_t count, uint16_t siflags,
                               size_t *nwritten) {
  if (siflags != 0) return CSWASM_WASI_EINVAL;
  struct msghdr message;
  memset(&message, 0, sizeof message);
  message.msg_iov = (struct iovec *)(void *)(uintptr_t)iovs;
  message.msg_iovlen = (size_t)iov_count(count);
  ssize_t n;
  CSWASM_WASI_RETRY(n, sendmsg(fd, &message, MSG_NOSIGNAL));
  if (n < 0) return cswasm_wasi_errno_from_host(errno);
  *nwritten = (size_t)n;
  return CSWASM_WASI_ESUCCESS;
}

uint16_t cswasm_wasi_sock_shutdown(int fd, uint8_t how) {
  int mode;
  switch (how) {
  case CSWASM_WASI_SDFLAGS_RD: mode = SHUT_RD; break;
  case CSWASM_WASI_SDFLAGS_WR: mode = SHUT_WR; break;
  case CSWASM_WASI_SDFLAGS_RD | CSWASM_WASI_SDFLAGS_WR: mode = SHUT_RDWR; break;
  default: return CSWASM_WASI_EINVAL;
  }
  if (shutdown(fd, mode) != 0) return cswasm_wasi_errno_from_host(errno);
  return CSWASM_WASI_ESUCCESS;
}
