// Wrappers for calls that Glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not set.
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <unistd.h>
#include <malloc.h>
#include <string.h>
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

ssize_t clinux_send_with_descriptors(int socket, const void *bytes, size_t length, const int *descriptors, int count) {
    struct iovec vector = { .iov_base = (void *)bytes, .iov_len = length };
    size_t space = CMSG_SPACE(sizeof(int) * (size_t)count);
    char control[space];
    memset(control, 0, space);
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = control, .msg_controllen = space };
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
    memcpy(CMSG_DATA(header), descriptors, sizeof(int) * (size_t)count);
    return sendmsg(socket, &message, MSG_NOSIGNAL);
}

ssize_t clinux_receive_with_descriptors(int socket, void *bytes, size_t length, int *descriptors, int capacity, int *received) {
    struct iovec vector = { .iov_base = bytes, .iov_len = length };
    // With no room asked for, descriptors sent anyway are closed by the kernel (MSG_CTRUNC), never leaked to us.
    size_t space = capacity > 0 ? CMSG_SPACE(sizeof(int) * (size_t)capacity) : 0;
    char control[space > 0 ? space : 1];
    memset(control, 0, sizeof(control));
    struct msghdr message = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = space > 0 ? control : NULL, .msg_controllen = space };
    *received = 0;
    ssize_t result = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    if (result < 0) return result;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int index = 0; index < count; index++) {
            int descriptor;
            memcpy(&descriptor, CMSG_DATA(header) + sizeof(int) * (size_t)index, sizeof(int));
            if (*received < capacity) descriptors[(*received)++] = descriptor; else close(descriptor);
        }
    }
    return result;
}

long clinux_peer_user(int socket) {
    struct ucred credentials;
    socklen_t size = sizeof(credentials);
    if (getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) return -1;
    return (long)credentials.uid;
}

static int saved_argument_count;
static char **saved_arguments;

// glibc calls the functions of .init_array with main's (argc, argv, envp) before main: the arguments are kept as
// the kernel gave them, with no file to read.
static void clinux_save_arguments(int count, char **arguments, char **environment) {
    (void)environment;
    saved_argument_count = count;
    saved_arguments = arguments;
}

__attribute__((section(".init_array"), used))
static void (*const clinux_save_arguments_entry)(int, char **, char **) = clinux_save_arguments;

int clinux_argument_count(void) {
    return saved_argument_count;
}

const char *clinux_argument(int index) {
    return saved_arguments[index];
}
