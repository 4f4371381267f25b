// Wrappers for calls that Glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not set.
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <unistd.h>
#include <malloc.h>
#include "CLinux.h"

int clinux_accept4_nonblocking(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

void clinux_set_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}

void clinux_renice_current_thread(int increment) {
    // On Linux, nice values are per thread: PRIO_PROCESS with a thread id changes only that thread.
    setpriority(PRIO_PROCESS, (id_t)gettid(), getpriority(PRIO_PROCESS, (id_t)gettid()) + increment);
}

int clinux_fix_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
