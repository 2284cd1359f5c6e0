/* clone(2), the sync pipe, the wait: the life of one container. */
#ifndef RUNBOX_RUNTIME_H
#define RUNBOX_RUNTIME_H

#include <sys/types.h>

#include "cgroup.h"
#include "config.h"
#include "mount.h"
#include "net.h"

/* Runs the container; returns the exit status of docs/contract.md. */
int runtime_run(const struct config *cfg);

/*
 * In the container's first process, and in runbox exec's (OCI): the
 * process's limits, its root if it has no mount namespace of its own, its
 * user and capabilities, and its seccomp filter, in the order the kernel
 * needs. 0 or -1, with one line.
 */
int runtime_drop_privileges(const struct config *cfg);

/*
 * CMD, in the environ of the container; returns only if execvp(3) failed,
 * having said why: 127 if CMD is not found, else 126.
 */
int runtime_exec(const struct config *cfg);

/*
 * A process that enters the container is not dumpable until it execs
 * CMD (runtime.c). 0 or -1, with one line.
 */
int runtime_undumpable(void);

/* What runbox create does with its container (oci.c), given CTX. */
struct create_calls {
    /* Records the container's PID, as soon as it exists, while it builds. */
    int (*record)(void *ctx, pid_t pid);
    /*
     * runbox create's hooks: before the createContainer hooks of
     * cfg->hooks if there are some, else once the container waits at the
     * fifo.
     */
    int (*hooks)(void *ctx);
    void *ctx;
};

/*
 * runbox create: starts the container in the cgroup CG (detected, not
 * made), on the state ST (prepared), held at cfg->exec_fifo until
 * runbox start, in the network namespace that NA makes ahead if it was
 * started (net_ahead_start(); the caller ends it); CALLS record it and
 * run the hooks. Returns 0, or -1 with nothing left of the container
 * but what CALLS->record made.
 */
int runtime_create(const struct config *cfg, const struct rootfs_state *st,
        struct cgroup *cg, struct net_ahead *na,
        const struct create_calls *calls);

#endif
