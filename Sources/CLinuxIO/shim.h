#ifndef BITLINK_CLINUXIO_SHIM_H
#define BITLINK_CLINUXIO_SHIM_H
// The Swift Glibc module does not include the Linux-only headers the IO engine needs
// (epoll(7), eventfd(2)); this header exposes them to BitlinkCore. Nothing is linked:
// the functions live in libc.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <time.h>

/// accept4(2) is declared only under _GNU_SOURCE, which the Glibc module is not built
/// with; the symbol is in glibc since 2.10. Same prototype, so a second declaration is harmless.
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

/// EPOLLET is `1u << 31`, which Swift imports with a type that does not mix with the
/// other flags; these give every flag as a plain uint32_t.
static inline uint32_t bitlink_epoll_in(void) { return EPOLLIN; }
static inline uint32_t bitlink_epoll_out(void) { return EPOLLOUT; }
static inline uint32_t bitlink_epoll_rdhup(void) { return EPOLLRDHUP; }
static inline uint32_t bitlink_epoll_hup(void) { return EPOLLHUP; }
static inline uint32_t bitlink_epoll_err(void) { return EPOLLERR; }
static inline uint32_t bitlink_epoll_et(void) { return EPOLLET; }
static inline uint32_t bitlink_epoll_oneshot(void) { return EPOLLONESHOT; }
#endif
