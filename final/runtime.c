/*
 * The life of one container: clone(2) into new namespaces, a pipe to hold
 * the child until its cgroup is ready, the setup inside in a fixed order,
 * signals relayed while waiting, and every exit path cleaned up.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "init.h"
#include "mount.h"
#include "net.h"
#include "runtime.h"
#include "seccomp.h"
#include "tty.h"
#include "userns.h"

#define STACK_SIZE (1024 * 1024)

/* What the child needs: read-only, shared through clone's argument. */
struct child_args {
    const struct config *cfg;
    const struct rootfs_state *st;
    const struct cgroup *cg; /* v1: prepared, for the child to join */
    int sync[2]; /* one byte on sync[0]: the cgroup is ready, go on */
    int console[2]; /* -t: the pty's master crosses from [1] to [0] */
    sigset_t old_mask;
    int exec_fifo; /* runbox create: an O_PATH fd of the fifo, else -1 */
};

/* The signals runbox relays to the container, as docker run does. */
static const int relayed[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
        SIGUSR2, SIGWINCH};

extern char **environ;

/* Dies with the parent (prctl(2)), which alone holds the pipe's write end. */
static int
follow_parent(struct child_args *args)
{
    close(args->sync[1]);
    /* A created container outlives runbox create: no death signal. */
    if (args->exec_fifo == -1 && prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
        warn("prctl PR_SET_PDEATHSIG");
        return -1;
    }
    return 0;
}

/* Blocks until the parent has made the cgroup. */
static int
await_parent(struct child_args *args)
{
    char go;

    /* EOF: the parent failed or died; never run CMD half set up. */
    if (read(args->sync[0], &go, 1) != 1)
        return -1;
    close(args->sync[0]);
    return 0;
}

/*
 * time_namespaces(7): clone(2) has no bit left for CLONE_NEWTIME, and
 * unshare(2) moves only the children there, or, since Linux 6.0, the
 * caller at its next execve(2): CMD. Clocks start with no offset, as
 * on the host. A kernel without time namespaces (EINVAL) goes without.
 */
static int
unshare_time(void)
{
    if (unshare(CLONE_NEWTIME) == -1 && errno != EINVAL) {
        warn("unshare CLONE_NEWTIME");
        return -1;
    }
    return 0;
}

/*
 * runbox create: the container is built, and waits here, before its
 * privileges go, for runbox start to open the fifo for reading (fifo(7):
 * an open for writing blocks until then). The fifo is reached through
 * its fd: after pivot_root(2) its path is not.
 */
static int
await_start(int fifo)
{
    char path[32];
    int fd;

    snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1) {
        warn("open the exec fifo");
        return -1;
    }
    close(fd);
    return 0;
}

/*
 * The order is the lesson: the mounts (made before, see child_main())
 * while still privileged, the cgroup namespace once inside the cgroup,
 * then privileges down, seccomp last (it would forbid the mounts), and
 * exec.
 */
static int
setup_container(const struct child_args *args)
{
    const struct config *cfg = args->cfg;

    if (unshare(CLONE_NEWCGROUP) == -1) {
        warn("unshare CLONE_NEWCGROUP");
        return -1;
    }
    if (unshare_time() == -1)
        return -1;
    if (sethostname(cfg->hostname, strlen(cfg->hostname)) == -1) {
        warn("sethostname %s", cfg->hostname);
        return -1;
    }
    if (net_setup_child(cfg) == -1)
        return -1;
    /* After pivot_root(2): the pty is of the container's own devpts. */
    if (cfg->tty && cfg->console_socket &&
            tty_console_child(cfg, args->console[1]) == -1)
        return -1;
    if (cfg->tty && !cfg->console_socket &&
            tty_setup_child(cfg, args->console) == -1)
        return -1;
    if (args->exec_fifo != -1 && await_start(args->exec_fifo) == -1)
        return -1;
    /*
     * Only 0, 1 and 2 cross into the container: close_range(2). Before
     * chdir(), or "-w /proc/self/fd/N" of an fd the caller passed would
     * lead outside the root (CVE-2024-21626).
     */
    if (close_range(3, ~0U, 0) == -1) {
        warn("close_range");
        return -1;
    }
    if (chdir(cfg->workdir) == -1) {
        warn("chdir %s", cfg->workdir);
        return -1;
    }
    if (caps_drop(cfg) == -1)
        return -1;
    /* A change of uid or gid clears the parent-death signal: set it again. */
    if (args->exec_fifo == -1 && prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
        warn("prctl PR_SET_PDEATHSIG");
        return -1;
    }
    return seccomp_apply();
}

/*
 * An ignored signal stays ignored across execve(2), and a shell cannot
 * even trap one that was ignored when it started: a runbox started by
 * nohup, or in the background of a script, would pass that on. Start
 * the container with every signal at its default, as runc does.
 */
void
runtime_reset_signals(const sigset_t *old_mask)
{
    int sig;

    for (sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    sigprocmask(SIG_SETMASK, old_mask, NULL);
}

/*
 * The filesystem is built before the go, while the parent makes the
 * cgroup, unless it needs what the parent does first: root of a user
 * namespace (its maps), or the /etc files naming the address that the
 * parent gives with --net bridge.
 */
static int
mounts_early(const struct config *cfg)
{
    return !cfg->userns && cfg->net != NET_BRIDGE;
}

static int
child_main(void *arg)
{
    struct child_args *args = arg;
    const struct config *cfg = args->cfg;
    int saved_stderr = -1;
    int joined, mounted;

    runtime_reset_signals(&args->old_mask);
    if (follow_parent(args) == -1)
        _exit(EXIT_RUNTIME);
    /*
     * The filesystem is built while the parent makes the cgroup: moving a
     * process into a cgroup may wait out an RCU grace period (the writer
     * side of cgroup_threadgroup_rwsem). On v1 the cgroup is made before
     * clone(2), and the child moves itself in first, without that wait
     * (cgroup_prepare()). CMD, and anything it could do, still waits for
     * the go. A failure waits too, so that the parent never moves a
     * process that is gone, and only one line is printed.
     */
    joined = cgroup_join(args->cg);
    mounted = joined == 0 && mounts_early(cfg) ? mount_setup(cfg, args->st) : 0;
    if (await_parent(args) == -1 || joined == -1 || mounted == -1)
        _exit(EXIT_RUNTIME);
    if (cfg->userns && userns_enter(cfg) == -1)
        _exit(EXIT_RUNTIME);
    if (!mounts_early(cfg) && mount_setup(cfg, args->st) == -1)
        _exit(EXIT_RUNTIME);
    if (setup_container(args) == -1)
        _exit(EXIT_RUNTIME);
    if (cfg->init && init_start(cfg) == -1)
        _exit(EXIT_RUNTIME);
    /* execvp() searches the PATH of environ: the container's own. */
    environ = cfg->env;
    if (cfg->tty)
        saved_stderr = tty_take_stderr();
    execvp(cfg->argv[0], cfg->argv);
    if (saved_stderr != -1)
        dup2(saved_stderr, STDERR_FILENO);
    warn("exec %s", cfg->argv[0]);
    _exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

static int
exit_status(int status)
{
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/*
 * The signals are blocked, so none is lost between two waits:
 * sigwaitinfo(2) takes them in order. Other children are reaped too: the
 * init of --init is the parent of every orphan in the container.
 */
int
runtime_wait(pid_t pid, const sigset_t *set)
{
    siginfo_t info;
    int status, sig;
    pid_t done;

    for (;;) {
        while ((done = waitpid(-1, &status, WNOHANG)) > 0)
            if (done == pid)
                return exit_status(status);
        sig = sigwaitinfo(set, &info);
        if (sig == -1 && errno != EINTR) {
            warn("sigwaitinfo");
            return EXIT_RUNTIME;
        }
        if (sig > 0 && sig != SIGCHLD)
            kill(pid, sig);
    }
}

static pid_t
start_child(struct child_args *args)
{
    int flags = SIGCHLD;
    char *stack;
    pid_t pid;

    flags |= CLONE_NEWNS; /* mount_namespaces(7) */
    flags |= CLONE_NEWUTS; /* uts_namespaces(7) */
    flags |= CLONE_NEWIPC; /* ipc_namespaces(7) */
    flags |= CLONE_NEWPID; /* pid_namespaces(7) */
    flags |= CLONE_NEWNET; /* network_namespaces(7) */
    if (args->cfg->userns)
        flags |= CLONE_NEWUSER; /* user_namespaces(7) */
    stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        warn("mmap stack");
        return -1;
    }
    fflush(NULL);
    pid = clone(child_main, stack + STACK_SIZE, flags, args);
    if (pid == -1 && errno == EPERM && !args->cfg->rootless)
        warnx("clone: new namespaces need root: run with sudo");
    else if (pid == -1)
        warn("clone");
    /* Without CLONE_VM the child has its own copy of the stack. */
    munmap(stack, STACK_SIZE);
    return pid;
}

void
runtime_block_signals(sigset_t *set, sigset_t *old)
{
    size_t i;

    sigemptyset(set);
    for (i = 0; i < sizeof(relayed) / sizeof(relayed[0]); i++)
        sigaddset(set, relayed[i]);
    sigaddset(set, SIGCHLD);
    sigprocmask(SIG_BLOCK, set, old);
}

static int
release_child(struct child_args *args)
{
    if (write(args->sync[1], "1", 1) != 1) {
        warn("write sync pipe");
        return -1;
    }
    close(args->sync[1]);
    args->sync[1] = -1;
    return 0;
}

int
runtime_run(const struct config *cfg)
{
    struct rootfs_state st = {0};
    struct child_args args = {.cfg = cfg,
            .st = &st,
            .sync = {-1, -1},
            .console = {-1, -1},
            .exec_fifo = -1};
    struct cgroup cg = {0};
    struct net_state net = {.netns = -1};
    int status = EXIT_RUNTIME, wstatus;
    sigset_t set;
    pid_t pid;

    if (cgroup_detect(&cg, cfg->name) == -1 ||
            (cfg->rootless && cgroup_delegated(&cg, cfg) == -1))
        return EXIT_RUNTIME;
    if (net_check(cfg) == -1)
        return EXIT_RUNTIME;
    args.cg = &cg;
    if (mount_prepare(cfg, &st) == -1)
        goto out_remove_state;
    if (pipe2(args.sync, O_CLOEXEC) == -1) {
        warn("pipe");
        goto out_remove_state;
    }
    runtime_block_signals(&set, &args.old_mask);
    if (cfg->tty && tty_socketpair(args.console) == -1)
        goto out_close_pipe;
    if (cgroup_prepare(&cg, cfg) == -1)
        goto out_remove_cgroup;
    pid = start_child(&args);
    if (pid == -1)
        goto out_remove_cgroup;
    close(args.sync[0]);
    args.sync[0] = -1;
    if (args.console[1] != -1)
        close(args.console[1]);
    args.console[1] = -1;
    /* The maps first: the child's first act is to become root with them. */
    if (cfg->userns && userns_map(cfg, pid) == -1)
        goto out_kill_child;
    if (cgroup_create(&cg, cfg, pid) == -1 ||
            net_attach(cfg, &net, pid, st.dir) == -1 ||
            release_child(&args) == -1)
        goto out_kill_child;
    if (cfg->tty && tty_relay(args.console[0], pid, &set, &wstatus) == -1)
        goto out_kill_child;
    status = cfg->tty ? exit_status(wstatus) : runtime_wait(pid, &set);
    goto out_detach_net;

out_kill_child:
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
out_detach_net:
    if (net_detach(cfg, &net) == -1)
        status = EXIT_RUNTIME;
out_remove_cgroup:
    if (cgroup_remove(&cg) == -1)
        status = EXIT_RUNTIME;
out_close_pipe:
    if (args.sync[0] != -1)
        close(args.sync[0]);
    if (args.sync[1] != -1)
        close(args.sync[1]);
    if (args.console[0] != -1)
        close(args.console[0]);
    if (args.console[1] != -1)
        close(args.console[1]);
    sigprocmask(SIG_SETMASK, &args.old_mask, NULL);
out_remove_state:
    if (mount_cleanup(&st) == -1)
        status = EXIT_RUNTIME;
    return status;
}

/*
 * runbox create: the child of runtime_run(), but held at cfg->exec_fifo
 * and left running when runbox exits: it is reparented (to init, or to
 * conmon, a subreaper: PR_SET_CHILD_SUBREAPER in prctl(2)).
 */
int
runtime_create(const struct config *cfg, const struct rootfs_state *st,
        struct cgroup *cg, pid_t *pid)
{
    struct child_args args = {.cfg = cfg,
            .st = st,
            .cg = cg,
            .sync = {-1, -1},
            .console = {-1, -1}};
    int ret = -1;

    sigprocmask(SIG_SETMASK, NULL, &args.old_mask);
    args.exec_fifo = open(cfg->exec_fifo, O_PATH | O_CLOEXEC);
    if (args.exec_fifo == -1) {
        warn("open %s", cfg->exec_fifo);
        return -1;
    }
    if (pipe2(args.sync, O_CLOEXEC) == -1) {
        warn("pipe");
        goto out_close;
    }
    if (cfg->console_socket &&
            (args.console[1] = tty_connect(cfg->console_socket)) == -1)
        goto out_close;
    if (cgroup_prepare(cg, cfg) == -1)
        goto out_remove_cgroup;
    *pid = start_child(&args);
    if (*pid == -1)
        goto out_remove_cgroup;
    if (cgroup_create(cg, cfg, *pid) == 0 && release_child(&args) == 0) {
        ret = 0;
        goto out_close;
    }
    kill(*pid, SIGKILL);
    waitpid(*pid, NULL, 0);
out_remove_cgroup:
    cgroup_remove(cg);
out_close:
    if (args.sync[0] != -1)
        close(args.sync[0]);
    if (args.sync[1] != -1)
        close(args.sync[1]);
    if (args.console[1] != -1)
        close(args.console[1]);
    close(args.exec_fifo);
    return ret;
}
