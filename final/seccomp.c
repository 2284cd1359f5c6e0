/*
 * The system-call filter: seccomp(2). runbox run's rules, and why each
 * call is refused, are in final/bpf/seccomp-filter.c, which libseccomp
 * compiles when runbox is built; here the finished BPF program is only
 * loaded, with one system call, instead of being built anew at every
 * start. config.json's profile comes compiled from seccomp-oci.c.
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

const struct seccomp_prog *
seccomp_default(void)
{
    static const struct seccomp_prog prog = {
            .insns = seccomp_filter,
            .len = NELEM(seccomp_filter),
    };

    return &prog;
}

/*
 * The kernel takes a filter only from a process with no_new_privs set, or
 * with CAP_SYS_ADMIN. The filter lives on across execve(2), and in every
 * child of CMD.
 */
int
seccomp_install(const struct seccomp_prog *prog)
{
    struct sock_fprog fprog = {
            .len = prog->len,
            /* The kernel copies it, and never writes to it. */
            .filter = (struct sock_filter *)prog->insns,
    };

    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, prog->flags, &fprog) ==
            -1) {
        warn("seccomp SECCOMP_SET_MODE_FILTER");
        return -1;
    }
    return 0;
}
