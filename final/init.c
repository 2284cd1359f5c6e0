/*
 * PID 1 of a PID namespace is everyone's parent of last resort: an orphan
 * is reparented to it, and its zombie stays until PID 1 waits for it
 * (pid_namespaces(7)). A shell does that; most programs do not. With
 * --init, PID 1 is this small init instead, as tini is for docker run
 * --init: CMD is its child, it passes on the signals runbox relays, reaps
 * every zombie, and exits with CMD's status, which ends the namespace.
 *
 * See: pid_namespaces(7), wait(2), credentials(7) ("Sessions and process
 * groups"), tcsetpgrp(3)
 */
#define _GNU_SOURCE
#include <err.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "init.h"
#include "runtime.h"
#include "signals.h"

/*
 * With -t, CMD gets a process group of its own in the foreground of the
 * container's terminal: ^C and a resize reach CMD, once, not the init.
 */
static int
take_foreground(void)
{
    sigset_t ttou, old;
    int ret = 0;

    if (setpgid(0, 0) == -1) {
        warn("setpgid");
        return -1;
    }
    /* A background group is stopped by SIGTTOU when it calls tcsetpgrp. */
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    if (tcsetpgrp(STDIN_FILENO, getpid()) == -1) {
        warn("tcsetpgrp");
        ret = -1;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return ret;
}

int
init_start(const struct config *cfg)
{
    sigset_t set, old;
    pid_t pid;

    signals_block(&set, &old);
    pid = fork();
    if (pid == -1) {
        warn("fork");
        return -1;
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return cfg->tty ? take_foreground() : 0;
    }
    prctl(PR_SET_NAME, "runbox-init", 0, 0, 0);
    _exit(signals_wait(pid, &set));
}
