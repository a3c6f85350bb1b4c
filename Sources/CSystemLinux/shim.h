#ifndef MWRASP_CSYSTEMLINUX_SHIM_H
#define MWRASP_CSYSTEMLINUX_SHIM_H
// Linux-only interfaces that Swift's Glibc module does not export.
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <malloc.h>

// These are GNU extensions: glibc declares them only under _GNU_SOURCE, which the Glibc
// module is not built with, so declare them here with glibc's own signatures.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int mwrasp_accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
    return accept4(fd, addr, addrlen, flags);
}
static inline int mwrasp_pthread_setname(pthread_t thread, const char *name) {
    return pthread_setname_np(thread, name);
}
static inline int mwrasp_malloc_trim(void) {
    return malloc_trim(0);
}
static inline pid_t mwrasp_gettid(void) {
    return (pid_t)syscall(SYS_gettid);
}
#endif
