/*
 * runbox run -t: a pty of the container's own devpts, its master handed
 * to runbox, which relays it to runbox's own terminal, as docker run -t.
 */
#ifndef RUNBOX_TTY_H
#define RUNBOX_TTY_H

#include <signal.h>
#include <sys/types.h>

#include "config.h"

/* Host side, before clone(): the socketpair the master will cross. */
int tty_socketpair(int sock[2]);

/*
 * In the child, after mount_setup() and before the privileges go: a
 * session of its own (setsid(2)), never the caller's; with -t or
 * process.terminal, it also opens a pty and makes the slave its controlling
 * terminal, its 0 and 1. The master goes through SOCK[1] to runbox, which
 * the child then waits for; or, with a --console-socket, through SOCK[1],
 * that socket, to whoever listens, and nothing is awaited. 0 or -1.
 */
int tty_child(const struct config *cfg, const int sock[2]);

/* The --console-socket at PATH, connected (unix(7)): an fd, or -1. */
int tty_connect(const char *path);

/*
 * Just before execve(2): the pty becomes 2 as well. runbox's stderr, which
 * took the setup's errors, is kept close-on-exec for an execve(2) that
 * fails: returned, or -1.
 */
int tty_take_stderr(void);

/*
 * Host side, once the child is released: receives the master from SOCK,
 * relays runbox's stdin and stdout to it, and the signals of SET (blocked)
 * to PID, until PID exits; reaps it into WSTATUS. 0, or -1 with PID still
 * to be killed and reaped. The terminal's mode is restored either way.
 */
int tty_relay(int sock, pid_t pid, const sigset_t *set, int *wstatus);

#endif
