/*
 * The system-call filter: seccomp(2). Its rules, and why each call is
 * refused, are in final/bpf/seccomp-filter.c, which libseccomp compiles
 * when runbox is built; here the finished BPF program is only loaded, with
 * one system call, instead of being built anew at every start.
 *
 * See: seccomp(2), the kernel's userspace-api/seccomp_filter.rst
 */
#define _GNU_SOURCE
#include <err.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp-filter.h"
#include "seccomp.h"
#include "util.h"

/*
 * The kernel takes a filter only from a process with no_new_privs set, or
 * with CAP_SYS_ADMIN: caps_drop() has set it. The filter lives on across
 * execve(2), and in every child of CMD.
 */
int
seccomp_apply(void)
{
    struct sock_fprog prog = {
            .len = NELEM(seccomp_filter),
            .filter = (struct sock_filter *)seccomp_filter,
    };

    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == -1) {
        warn("seccomp SECCOMP_SET_MODE_FILTER");
        return -1;
    }
    return 0;
}
