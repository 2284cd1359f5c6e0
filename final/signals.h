/*
 * The signals runbox relays to a container's process while it waits for
 * it, and the exit status it passes on (signals.c).
 */
#ifndef RUNBOX_SIGNALS_H
#define RUNBOX_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

/*
 * Blocks the signals runbox relays, and SIGCHLD, for signals_wait(); the
 * mask before goes to OLD.
 */
void signals_block(sigset_t *set, sigset_t *old);

/* In a child: every signal at its default, and the mask OLD_MASK back. */
void signals_reset(const sigset_t *old_mask);

/*
 * Waits for PID, relaying the signals of SET to it and reaping any other
 * child on the way; returns PID's exit status (signals_exit_status()).
 */
int signals_wait(pid_t pid, const sigset_t *set);

/*
 * A wait status as an exit status, as docs/contract.md maps it: the
 * process's own, or 128 + N if signal N killed it.
 */
int signals_exit_status(int wstatus);

#endif
