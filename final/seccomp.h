/*
 * A system-call filter, seccomp(2): a BPF program that the child loads
 * last before execve(2). runbox run's is Docker's default profile, built
 * into runbox (seccomp-filter.h); config.json's is compiled from its
 * linux.seccomp (seccomp-oci.c). The core loads whichever it is given.
 */
#ifndef RUNBOX_SECCOMP_H
#define RUNBOX_SECCOMP_H

#include <linux/filter.h>

struct seccomp_prog {
    const struct sock_filter *insns;
    unsigned short len;
    unsigned int flags; /* SECCOMP_FILTER_FLAG_* of seccomp(2) */
};

/* The profile runbox run gives every container: what Docker's forbids. */
const struct seccomp_prog *seccomp_default(void);

/*
 * In the child, after the capabilities, unless no_new_privs is off (see
 * runtime_drop_privileges()): loads PROG into the kernel. 0 or -1.
 */
int seccomp_install(const struct seccomp_prog *prog);

#endif
