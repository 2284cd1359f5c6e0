/* clone(2), the sync pipe, the wait: the life of one container. */
#ifndef RUNBOX_RUNTIME_H
#define RUNBOX_RUNTIME_H

#include <sys/types.h>

#include "cgroup.h"
#include "config.h"
#include "mount.h"

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

/*
 * runbox create: starts the container in the cgroup CG (detected, not
 * made), on the state ST (prepared), held at cfg->exec_fifo until
 * runbox start. CREATED(CTX, PID) records it and runs runbox create's
 * hooks: before the createContainer hooks of cfg->hooks if there are
 * some, else once the container waits at the fifo. Returns 0, or -1 with
 * nothing left of the container.
 */
int runtime_create(const struct config *cfg, const struct rootfs_state *st,
        struct cgroup *cg, int (*created)(void *, pid_t), void *ctx);

#endif
