// epoll and eventfd for BitlinkSim's server engine: Swift's Glibc module does not
// export <sys/epoll.h> or <sys/eventfd.h>. Header only; the calls are in libc.
#ifndef CSIMEPOLL_SHIM_H
#define CSIMEPOLL_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
