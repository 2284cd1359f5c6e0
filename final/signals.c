/*
 * The signals between runbox and a container's process: those runbox
 * relays while it waits, as docker run does; every signal back at its
 * default in a new process; and the process's end as an exit status.
 *
 * See: signal(7), sigwaitinfo(2), waitpid(2).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "config.h"
#include "signals.h"
#include "util.h"

/* The signals runbox relays to the container, as docker run does. */
static const int relayed[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
        SIGUSR2, SIGWINCH};

void
signals_block(sigset_t *set, sigset_t *old)
{
    size_t i;

    sigemptyset(set);
    for (i = 0; i < NELEM(relayed); i++)
        sigaddset(set, relayed[i]);
    sigaddset(set, SIGCHLD);
    sigprocmask(SIG_BLOCK, set, old);
}

/*
 * An ignored signal stays ignored across execve(2), and a shell cannot
 * even trap one that was ignored when it started: a runbox started by
 * nohup, or in the background of a script, would pass that on. Start
 * the container with every signal at its default, as runc does.
 */
void
signals_reset(const sigset_t *old_mask)
{
    int sig;

    for (sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, old_mask, NULL);
}

int
signals_exit_status(int wstatus)
{
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return WEXITSTATUS(wstatus);
}

/*
 * The signals are blocked, so none is lost between two waits:
 * sigwaitinfo(2) takes them in order. Other children are reaped too: the
 * init of --init is the parent of every orphan in the container.
 */
int
signals_wait(pid_t pid, const sigset_t *set)
{
    siginfo_t info;
    int status, sig;
    pid_t done;

    for (;;) {
        while ((done = waitpid(-1, &status, WNOHANG)) > 0)
            if (done == pid)
                return signals_exit_status(status);
        sig = sigwaitinfo(set, &info);
        if (sig == -1 && errno != EINTR) {
            warn("sigwaitinfo");
            return EXIT_RUNTIME;
        }
        if (sig > 0 && sig != SIGCHLD)
            kill(pid, sig);
    }
}
