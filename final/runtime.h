/* clone(2), the sync pipe, the wait: the life of one container. */
#ifndef RUNBOX_RUNTIME_H
#define RUNBOX_RUNTIME_H

#include <signal.h>
#include <sys/types.h>

#include "config.h"

/* Runs the container; returns the exit status of SPEC.md. */
int runtime_run(const struct config *cfg);

/*
 * Blocks the signals runbox relays, and SIGCHLD, for runtime_wait(); the
 * mask before goes to OLD.
 */
void runtime_block_signals(sigset_t *set, sigset_t *old);

/*
 * Waits for PID, relaying the signals of SET to it and reaping any other
 * child on the way; returns PID's exit status as SPEC.md maps it.
 */
int runtime_wait(pid_t pid, const sigset_t *set);

#endif
