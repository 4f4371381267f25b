// What Glibc does not export to Swift: epoll, eventfd, timerfd, and a few socket constants.
#ifndef CLINUX_H
#define CLINUX_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <pthread.h>
#include <sys/types.h>

/// `epoll_event.data` is a union; Swift cannot reach into it portably.
static inline int clinux_epoll_event_fd(const struct epoll_event *event) { return event->data.fd; }

/// Fills an epoll_event for `fd` with `events`.
static inline struct epoll_event clinux_epoll_event_make(int fd, uint32_t events) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = 0;
    event.data.fd = fd;
    return event;
}

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC; Glibc declares it only under _GNU_SOURCE.
int clinux_accept4_nonblocking(int listener);

/// Names the calling thread (15 bytes at most), for top -H and perf.
void clinux_set_thread_name(const char *name);

/// Lowers the calling thread's priority by `increment` nice levels (Linux nice values are per thread).
void clinux_renice_current_thread(int increment);

/// Fixes glibc's mmap threshold at `bytes` (mallopt(M_MMAP_THRESHOLD)), which also stops it from rising; 1 on success.
int clinux_fix_mmap_threshold(int bytes);

/// sendmsg(2) of `length` bytes with `count` descriptors attached (SCM_RIGHTS, unix(7)); -1 and errno on failure.
ssize_t clinux_send_with_descriptors(int socket, const void *bytes, size_t length, const int *descriptors, int count);

/// recvmsg(2) of at most `length` bytes; the descriptors that came with them (close-on-exec) are stored in
/// `descriptors` (at most `capacity`) and their number in `*received`. -1 and errno on failure.
ssize_t clinux_receive_with_descriptors(int socket, void *bytes, size_t length, int *descriptors, int capacity, int *received);

/// The user id of the process at the other end of a Unix socket (SO_PEERCRED), or -1.
long clinux_peer_user(int socket);

/// The process's arguments as the kernel passed them to main (argc, argv), captured before main runs: Swift's
/// CommandLine reads /proc/self/cmdline instead, which a bare chroot does not have.
int clinux_argument_count(void);
/// Argument `index` (below `clinux_argument_count()`).
const char *clinux_argument(int index);

#endif
