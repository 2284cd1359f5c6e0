/*
 * The life of one container: clone(2) into new namespaces, a pipe to hold
 * the child until its cgroup is ready, the setup inside in a fixed order,
 * signals relayed while waiting, and every exit path cleaned up.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "hooks.h"
#include "init.h"
#include "mount.h"
#include "namespaces.h"
#include "net.h"
#include "ocimount.h"
#include "process.h"
#include "runtime.h"
#include "seccomp.h"
#include "signals.h"
#include "tty.h"
#include "userns.h"
#include "util.h"

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
    int ready[2]; /* runbox create: a byte on [1] once set up, at the fifo */
    int hooks_go[2]; /* createContainer hooks: a byte on [1], they may run */
    int netns; /* runbox create: its network namespace, made ahead; -1 */
};

extern char **environ;

/* Dies with the parent (prctl(2)), which alone holds the pipe's write end. */
static int
follow_parent(struct child_args *args)
{
    close(args->sync[1]);
    if (args->hooks_go[1] != -1)
        close(args->hooks_go[1]);
    /* A created container outlives runbox create: no death signal. */
    if (args->cfg->dies_with_runbox && prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
        warn("prctl PR_SET_PDEATHSIG");
        return -1;
    }
    return 0;
}

/*
 * Not dumpable (PR_SET_DUMPABLE in prctl(2)) until its execve(2): no
 * process of the container may ptrace(2) it, or open its /proc/PID/mem or
 * /proc/PID/exe, while it still holds runbox's privileges. execve(2)
 * makes CMD dumpable again.
 */
int
runtime_undumpable(void)
{
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
        warn("prctl PR_SET_DUMPABLE");
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
 * Without a mount namespace of its own, the container shares runbox's
 * mounts: runbox mounts nothing there, not even /proc, and changes the
 * root with chroot(2) only: after what needs the host's /proc (the
 * process's limits), before the capabilities go (CAP_SYS_CHROOT).
 */
static int
enter_root(const struct config *cfg)
{
    if (chroot(cfg->rootfs) == -1) {
        warn("chroot %s", cfg->rootfs);
        return -1;
    }
    if (chdir(cfg->workdir) == -1) {
        warn("chdir %s", cfg->workdir);
        return -1;
    }
    return 0;
}

/*
 * runbox create with createContainer hooks: the container is built but
 * for pivot_root(2). runbox create records it and runs its own hooks
 * (createRuntime) first, as the runtime-spec orders them; then the
 * container's process runs the createContainer hooks, the host's paths
 * still in sight. A 'h' on the ready pipe, then a byte on hooks_go.
 */
static int
pause_for_hooks(void *arg)
{
    const struct child_args *args = arg;
    char go;

    if (write(args->ready[1], "h", 1) != 1) {
        warn("write ready pipe");
        return -1;
    }
    if (read(args->hooks_go[0], &go, 1) != 1)
        return -1;
    return hooks_create_container(args->cfg->hooks);
}

/* The mounts, in the container's mount namespace, new or joined. */
static int
setup_mounts(const struct child_args *args)
{
    if (!namespaces_own(args->cfg, CLONE_NEWNS))
        return 0;
    return mount_setup(args->cfg, args->st,
            args->hooks_go[0] != -1 ? pause_for_hooks : NULL, (void *)args);
}

/*
 * runbox create: the container is built, and waits here, before its
 * privileges go, for runbox start to open the fifo for writing (fifo(7):
 * an open for reading blocks until then). The fifo is reached through
 * its fd: after pivot_root(2) its path is not.
 */
static int
await_start(const struct child_args *args)
{
    char path[FD_PATH_SIZE];
    int fd;

    /* runbox create returns once the container is built, or has failed. */
    if (write(args->ready[1], "1", 1) != 1) {
        warn("write ready pipe");
        return -1;
    }
    close(args->ready[1]);
    /* Through the procfs at /proc only (util.c, CVE-2019-16884). */
    fd = proc_open("self/fd", O_PATH | O_DIRECTORY);
    if (fd == -1)
        return -1;
    close(fd);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", args->exec_fifo);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        warn("open the exec fifo");
        return -1;
    }
    close(fd);
    return 0;
}

/* The filter the description gives (seccomp.h), or, as with runc, none. */
static int
load_filter(const struct config *cfg)
{
    return cfg->seccomp ? seccomp_install(cfg->seccomp) : 0;
}

/*
 * seccomp(2) takes a filter from a process with no_new_privs or with
 * CAP_SYS_ADMIN. A process without no_new_privs may end up with neither:
 * its filter is loaded before its capabilities go, as runc does. Without
 * a mount namespace of its own, the container enters its root here
 * (namespaces.c).
 */
int
runtime_drop_privileges(const struct config *cfg)
{
    int early = !cfg->process->no_new_privs;

    if (early && load_filter(cfg) == -1)
        return -1;
    if (process_limits(cfg) == -1)
        return -1;
    /* chroot(2) needs CAP_SYS_CHROOT: before the capabilities go. */
    if (!namespaces_own(cfg, CLONE_NEWNS) && enter_root(cfg) == -1)
        return -1;
    if (process_apply(cfg) == -1)
        return -1;
    /* A change of uid or gid clears the parent-death signal: set it again. */
    if (cfg->dies_with_runbox && prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
        warn("prctl PR_SET_PDEATHSIG");
        return -1;
    }
    return early ? 0 : load_filter(cfg);
}

/*
 * A cgroup filesystem that config.json mounts shows the hierarchy from the
 * root of the mounter's cgroup namespace: made before the container has
 * one of its own, rooted in its cgroup, it would list (and, read-write,
 * let it write) every cgroup of the host. Then the mounts wait until the
 * child is in its cgroup, and its cgroup namespace is made first.
 */
static int
cgroup_mounted_in(const struct config *cfg)
{
    return cfg->fs->has_cgroup;
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

    if (!cgroup_mounted_in(cfg) && namespaces_late(cfg) == -1)
        return -1;
    if (namespaces_hostname(cfg) &&
            sethostname(cfg->hostname, strlen(cfg->hostname)) == -1) {
        warn("sethostname %s", cfg->hostname);
        return -1;
    }
    /*
     * A network namespace not made new is the host's, or another's; one
     * made ahead has lo up already (net.c).
     */
    if (namespaces_new(cfg, CLONE_NEWNET) && args->netns == -1 &&
            net_setup_child(cfg) == -1)
        return -1;
    /* After pivot_root(2): the pty is of the container's own devpts. */
    if (tty_child(cfg, args->console) == -1)
        return -1;
    if (args->exec_fifo != -1 && await_start(args) == -1)
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
    if (namespaces_own(cfg, CLONE_NEWNS) && chdir(cfg->workdir) == -1) {
        warn("chdir %s", cfg->workdir);
        return -1;
    }
    return runtime_drop_privileges(cfg);
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
    return !cfg->userns && cfg->net != NET_BRIDGE && !cgroup_mounted_in(cfg);
}

static int
child_main(void *arg)
{
    struct child_args *args = arg;
    const struct config *cfg = args->cfg;
    int joined, mounted;

    signals_reset(&args->old_mask);
    /*
     * In a new user namespace, once runbox has written the maps: the
     * /proc files of a process that is not dumpable are root's, and a
     * runbox without root could not write them.
     */
    if (!cfg->userns && runtime_undumpable() == -1)
        _exit(EXIT_RUNTIME);
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
    /* Before /sys is mounted: sysfs shows the mounter's namespace. */
    if (joined == 0 && args->netns != -1)
        joined = net_ahead_enter(args->netns);
    /*
     * The namespaces config.json gives by path; pid is joined before
     * clone(2), cgroup and time late (setup_container()).
     */
    if (joined == 0)
        joined = namespaces_join(cfg, ~(CLONE_NEWCGROUP | CLONE_NEWTIME));
    mounted = joined == 0 && mounts_early(cfg) ? setup_mounts(args) : 0;
    if (await_parent(args) == -1 || joined == -1 || mounted == -1)
        _exit(EXIT_RUNTIME);
    if (cfg->userns && runtime_undumpable() == -1)
        _exit(EXIT_RUNTIME);
    if (cfg->userns && userns_enter(cfg) == -1)
        _exit(EXIT_RUNTIME);
    if (cgroup_mounted_in(cfg) && namespaces_late(cfg) == -1)
        _exit(EXIT_RUNTIME);
    if (!mounts_early(cfg) && setup_mounts(args) == -1)
        _exit(EXIT_RUNTIME);
    if (setup_container(args) == -1 || hooks_start_container(cfg->hooks) == -1)
        _exit(EXIT_RUNTIME);
    if (cfg->init && init_start(cfg) == -1)
        _exit(EXIT_RUNTIME);
    _exit(runtime_exec(cfg));
}

int
runtime_exec(const struct config *cfg)
{
    int saved_stderr = -1, error;

    /* execvp() searches the PATH of environ: the container's own. */
    environ = cfg->env;
    if (cfg->tty)
        saved_stderr = tty_take_stderr();
    execvp(cfg->argv[0], cfg->argv);
    error = errno;
    if (saved_stderr != -1)
        dup2(saved_stderr, STDERR_FILENO);
    errno = error;
    warn("exec %s", cfg->argv[0]);
    return error == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

static pid_t
start_child(struct child_args *args)
{
    /* Those the description makes new (namespaces_defaults() lists them). */
    int flags = SIGCHLD | namespaces_clone_flags(args->cfg), saved_pidns;
    char *stack;
    pid_t pid;

    /* Made ahead, joined by the child (net.c). */
    if (args->netns != -1)
        flags &= ~CLONE_NEWNET;

    stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        warn("mmap stack");
        return -1;
    }
    if (namespaces_enter_pid(args->cfg, &saved_pidns) == -1) {
        munmap(stack, STACK_SIZE);
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
    if (namespaces_leave_pid(saved_pidns) == -1 && pid != -1) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

/*
 * What runbox made on the host for the container: its network's host
 * side, its cgroup, its state directory. 0, or -1 after one line.
 */
static int
release_host(const struct config *cfg, struct net_state *net, struct cgroup *cg,
        struct rootfs_state *st)
{
    int ret = 0;

    if (net_detach(cfg, net) == -1)
        ret = -1;
    if (cgroup_remove(cg) == -1)
        ret = -1;
    if (mount_cleanup(st) == -1)
        ret = -1;
    return ret;
}

/*
 * The guard's signal: runbox's death, or runbox saying that the container
 * has ended. Neither relayed nor ever sent by a terminal to its group.
 */
#define GUARD_SIGNAL SIGALRM

/*
 * The container dies with runbox, whatever its process does. The death
 * signal of the container's process (PR_SET_PDEATHSIG, prctl(2)) is
 * cleared by the kernel at any change of its credentials, which CMD may
 * make (setfsuid(2), su, gosu). So a guard holds the tie instead: a child
 * of runbox that never changes its credentials, and whose death signal
 * therefore stays. When runbox dies, even by SIGKILL, the guard kills
 * the container's PID 1 through a pidfd, which takes the whole PID
 * namespace with it (pid_namespaces(7)), waits for it, and removes what
 * runbox made on the host. When the container ends first, runbox stops
 * the guard before it cleans up.
 */
static pid_t
start_guard(const struct config *cfg, pid_t container, struct net_state *net,
        struct cgroup *cg, struct rootfs_state *st)
{
    struct pollfd pfd = {.events = POLLIN};
    pid_t runbox = getpid(), guard;
    sigset_t death;

    pfd.fd = pidfd_open(container, 0);
    if (pfd.fd == -1) {
        warn("pidfd_open %d", (int)container);
        return -1;
    }
    /* Blocked before fork(2), so that none is lost; unblocked at exit. */
    sigemptyset(&death);
    sigaddset(&death, GUARD_SIGNAL);
    sigprocmask(SIG_BLOCK, &death, NULL);
    guard = fork();
    if (guard != 0) {
        if (guard == -1)
            warn("fork the guard");
        close(pfd.fd);
        return guard;
    }
    prctl(PR_SET_NAME, "runbox-guard", 0, 0, 0);
    /* Not in runbox's process group: a kill of the group spares it. */
    setpgid(0, 0);
    /* The signal is blocked: it waits here, in sigwaitinfo(2). */
    if (prctl(PR_SET_PDEATHSIG, GUARD_SIGNAL) == -1)
        _exit(EXIT_RUNTIME);
    /* runbox may have died already, before the death signal was set. */
    if (getppid() == runbox && sigwaitinfo(&death, NULL) == -1)
        _exit(EXIT_RUNTIME);
    if (getppid() == runbox)
        _exit(0);
    pidfd_send_signal(pfd.fd, SIGKILL, NULL, 0);
    while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
        ;
    _exit(release_host(cfg, net, cg, st) == 0 ? 0 : EXIT_RUNTIME);
}

/* The container has ended: the guard exits, and runbox cleans up. */
static void
stop_guard(pid_t guard)
{
    if (guard <= 0)
        return;
    kill(guard, GUARD_SIGNAL);
    waitpid(guard, NULL, 0);
}

/*
 * One byte to the child through pipe FD; -1 with errno if not. A child
 * killed from outside has closed its end: the write then fails with
 * EPIPE, and SIGPIPE, whose default would end runbox before it cleans
 * up, is ignored meanwhile.
 */
static int
tell_child(int fd)
{
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    ssize_t n;
    int error;

    sigaction(SIGPIPE, &ignore, &old);
    n = write(fd, "1", 1);
    error = errno;
    sigaction(SIGPIPE, &old, NULL);
    errno = error;
    return n == 1 ? 0 : -1;
}

static int
release_child(struct child_args *args)
{
    if (tell_child(args->sync[1]) == -1) {
        warn("write sync pipe");
        return -1;
    }
    close(args->sync[1]);
    args->sync[1] = -1;
    return 0;
}

/* Closes the fds of PAIR that are open. */
static void
close_pair(int pair[2])
{
    if (pair[0] != -1)
        close(pair[0]);
    if (pair[1] != -1)
        close(pair[1]);
    pair[0] = pair[1] = -1;
}

/*
 * Clones the container, sets up its side of the host, releases it and
 * waits for it: CMD's exit status, or EXIT_RUNTIME with the child gone.
 * What the host side needs undone, the caller undoes.
 */
static int
run_child(struct child_args *args, struct cgroup *cg, struct net_state *net,
        struct rootfs_state *st, const sigset_t *set)
{
    const struct config *cfg = args->cfg;
    int status = EXIT_RUNTIME, wstatus;
    pid_t pid, guard = 0;

    pid = start_child(args);
    if (pid == -1)
        return EXIT_RUNTIME;
    close(args->sync[0]);
    args->sync[0] = -1;
    if (args->console[1] != -1)
        close(args->console[1]);
    args->console[1] = -1;
    /* The maps first: the child's first act is to become root with them. */
    if ((cfg->userns && userns_map(cfg, pid) == -1) ||
            cgroup_create(cg, cfg, pid) == -1 ||
            net_attach(cfg, net, pid, st->dir) == -1)
        goto out_kill_child;
    guard = start_guard(cfg, pid, net, cg, st);
    if (guard == -1 || release_child(args) == -1)
        goto out_kill_child;
    if (cfg->tty && tty_relay(args->console[0], pid, set, &wstatus) == -1)
        goto out_kill_child;
    status = cfg->tty ? signals_exit_status(wstatus) : signals_wait(pid, set);
    goto out_stop_guard;

out_kill_child:
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
out_stop_guard:
    stop_guard(guard);
    return status;
}

int
runtime_run(const struct config *cfg)
{
    struct rootfs_state st = {0};
    struct child_args args = {.cfg = cfg,
            .st = &st,
            .sync = {-1, -1},
            .console = {-1, -1},
            .exec_fifo = -1,
            .hooks_go = {-1, -1},
            .netns = -1};
    struct cgroup cg = {0};
    struct net_state net = {.netns = -1};
    int status = EXIT_RUNTIME;
    sigset_t set;

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
    signals_block(&set, &args.old_mask);
    if (cfg->tty && tty_socketpair(args.console) == -1)
        goto out_close_pipe;
    if (cgroup_prepare(&cg, cfg) == -1)
        goto out_remove_cgroup;
    status = run_child(&args, &cg, &net, &st, &set);
    if (net_detach(cfg, &net) == -1)
        status = EXIT_RUNTIME;
out_remove_cgroup:
    if (cgroup_remove(&cg) == -1)
        status = EXIT_RUNTIME;
out_close_pipe:
    close_pair(args.sync);
    close_pair(args.console);
    sigprocmask(SIG_SETMASK, &args.old_mask, NULL);
out_remove_state:
    if (mount_cleanup(&st) == -1)
        status = EXIT_RUNTIME;
    return status;
}

/*
 * The child writes BYTE: '1' once it waits at the fifo, 'h' once it waits
 * for the createContainer hooks. EOF instead: it failed, and said why.
 */
static int
await_child(struct child_args *args, char byte)
{
    char got;

    if (args->ready[1] != -1)
        close(args->ready[1]);
    args->ready[1] = -1;
    return read(args->ready[0], &got, 1) == 1 && got == byte ? 0 : -1;
}

/*
 * The container is made: CALLS run runbox create's hooks, before the
 * createContainer hooks if there are some (see pause_for_hooks()), else
 * once the container waits at the fifo.
 */
static int
hand_over(struct child_args *args, const struct create_calls *calls)
{
    if (args->hooks_go[1] == -1)
        return await_child(args, '1') == 0 ? calls->hooks(calls->ctx) : -1;
    if (await_child(args, 'h') == -1 || calls->hooks(calls->ctx) == -1)
        return -1;
    if (tell_child(args->hooks_go[1]) == -1) {
        warn("write hooks pipe");
        return -1;
    }
    return await_child(args, '1');
}

/*
 * runbox create's fds: the exec fifo, as an O_PATH fd (after pivot_root(2)
 * its path is out of sight), the pipes, the console socket. 0, or -1
 * after one line; what was opened, the caller closes.
 */
static int
create_channels(struct child_args *args)
{
    const struct config *cfg = args->cfg;

    args->exec_fifo = open(cfg->exec_fifo, O_PATH | O_CLOEXEC);
    if (args->exec_fifo == -1) {
        warn("open %s", cfg->exec_fifo);
        return -1;
    }
    /* Root of a new user namespace opens it: root_uid on the host. */
    if (cfg->userns &&
            fchownat(args->exec_fifo, "", cfg->root_uid, cfg->root_gid,
                    AT_EMPTY_PATH) == -1) {
        warn("chown %s", cfg->exec_fifo);
        return -1;
    }
    if (pipe2(args->sync, O_CLOEXEC) == -1 ||
            pipe2(args->ready, O_CLOEXEC) == -1 ||
            (hooks_pause_for_create(cfg->hooks) &&
                    pipe2(args->hooks_go, O_CLOEXEC) == -1)) {
        warn("pipe");
        return -1;
    }
    if (cfg->console_socket &&
            (args->console[1] = tty_connect(cfg->console_socket)) == -1)
        return -1;
    return 0;
}

/*
 * runbox create: the child of runtime_run(), but held at cfg->exec_fifo
 * and left running when runbox exits: it is reparented (to init, or to
 * conmon, a subreaper: PR_SET_CHILD_SUBREAPER in prctl(2)).
 */
int
runtime_create(const struct config *cfg, const struct rootfs_state *st,
        struct cgroup *cg, struct net_ahead *na,
        const struct create_calls *calls)
{
    struct child_args args = {.cfg = cfg,
            .st = st,
            .cg = cg,
            .sync = {-1, -1},
            .console = {-1, -1},
            .exec_fifo = -1,
            .ready = {-1, -1},
            .hooks_go = {-1, -1},
            .netns = -1};
    pid_t pid;
    int ret = -1;

    /*
     * The container starts with no signal blocked, whatever its caller
     * blocks: runbox run --bundle blocks those it relays (oci.c).
     */
    sigemptyset(&args.old_mask);
    if (create_channels(&args) == -1)
        goto out_close;
    if (cgroup_prepare(cg, cfg) == -1 || net_ahead_join(na) == -1)
        goto out_remove_cgroup;
    args.netns = na->fd;
    pid = start_child(&args);
    if (pid == -1)
        goto out_remove_cgroup;
    /*
     * Recorded while the child builds, on the other CPU: no other runbox
     * reads the state before create lets go of its lock.
     */
    if ((!cfg->userns || userns_map(cfg, pid) == 0) &&
            cgroup_create(cg, cfg, pid) == 0 && release_child(&args) == 0 &&
            calls->record(calls->ctx, pid) == 0 &&
            hand_over(&args, calls) == 0) {
        ret = 0;
        goto out_close;
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
out_remove_cgroup:
    cgroup_remove(cg);
out_close:
    close_pair(args.sync);
    close_pair(args.ready);
    close_pair(args.hooks_go);
    if (args.console[1] != -1)
        close(args.console[1]);
    if (args.exec_fifo != -1)
        close(args.exec_fifo);
    return ret;
}
