/*
 * The OCI commands, as runc and crun name them. runbox create builds the
 * container from the bundle's config.json with the code of runbox run,
 * and leaves it waiting on the exec fifo (runtime.c) in the state
 * "created"; runbox exits, and the container is reparented. runbox start
 * opens the fifo, and the container's process runs. The state directory
 * (state.c) holds all a later runbox needs to find what create made: the
 * PID and the cgroup. The mounts, the bundle's root bound on itself
 * first (mount.c), live in the container's mount namespace and go with it.
 *
 * Errors: one line, exit 1 (runc's convention), and nothing left made.
 *
 * See: the runtime-spec's runtime.md (lifecycle, operations), fifo(7),
 * runc's and crun's man pages for the command line.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "cgroup.h"
#include "exec.h"
#include "features.h"
#include "freezer.h"
#include "hooks.h"
#include "log.h"
#include "mount.h"
#include "net.h"
#include "newfile.h"
#include "oci.h"
#include "ps.h"
#include "runtime.h"
#include "signals.h"
#include "spec.h"
#include "state.h"
#include "tty.h"
#include "update.h"
#include "util.h"

#define DEFAULT_ROOT "/run/runbox"
#define WAIT_TRIES 1000 /* of 10 ms: how long a container may take to die */

/* The command line, global options and the command's own. */
struct oci_args {
    const char *root;
    const char *command;
    const char *bundle;
    const char *pid_file;
    const char *console_socket;
    const char *id;
    const char *signal;
    const char *format; /* ps --format */
    int force;
    int detach;
    int quiet;
    int systemd_cgroup; /* cgroupsPath is slice:prefix:name */
    int rootless; /* spec --rootless */
    int all; /* kill --all: every process of the cgroup */
    int own_console; /* run: console_socket is runbox's own, relayed */
    const char *log; /* --log FILE */
    const char *log_format;
    int argc; /* from the command on, for exec's own options */
    char **argv;
};

struct command {
    const char *name;
    int (*run)(const struct oci_args *a);
    int needs_id;
    int reads_bundle;
};

enum {
    OPT_ROOT = 256,
    OPT_LOG,
    OPT_LOG_FORMAT,
    OPT_IGNORED,
    OPT_SYSTEMD_CGROUP,
    OPT_PID_FILE,
    OPT_CONSOLE_SOCKET,
    OPT_FORMAT,
    OPT_ROOTLESS,
};

/* conmon and podman pass --log, --log-format and --systemd-cgroup. */
static const struct option global_options[] = {
        {"root", required_argument, NULL, OPT_ROOT},
        {"log", required_argument, NULL, OPT_LOG},
        {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
        {"debug", no_argument, NULL, OPT_IGNORED},
        {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP},
        {NULL, 0, NULL, 0},
};

static const struct option command_options[] = {
        {"bundle", required_argument, NULL, 'b'},
        {"pid-file", required_argument, NULL, OPT_PID_FILE},
        {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},
        {"force", no_argument, NULL, 'f'},
        {"detach", no_argument, NULL, 'd'},
        {"all", no_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'},
        {"no-pivot", no_argument, NULL, OPT_IGNORED},
        {"no-new-keyring", no_argument, NULL, OPT_IGNORED},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"rootless", no_argument, NULL, OPT_ROOTLESS},
        {NULL, 0, NULL, 0},
};

/* Waits until the kernel has no running process for the container. */
static int
wait_stopped(const struct state *st)
{
    const struct timespec pause = {0, 10 * 1000 * 1000};
    int i;

    for (i = 0; i < WAIT_TRIES; i++) {
        if (strcmp(state_status(st), "stopped") == 0)
            return 0;
        nanosleep(&pause, NULL);
    }
    warnx("container %s: process %d does not die", st->id, (int)st->pid);
    return -1;
}

/* The state, as JSON, to the hooks of PHASE; if not REQUIRED, a failure
 * is only reported (hooks.c). */
static int
run_hooks(const struct state *st, const char *phase, int required)
{
    char *json = state_json(st);
    int ret;

    if (json == NULL)
        return -1;
    ret = hooks_run(st->dir, phase, json);
    free(json);
    return required ? ret : 0;
}

/*
 * Everything create made, gone: the process, the cgroup, the state
 * directory. What was not made yet is empty in ST.
 */
static int
destroy(struct state *st, const char *root)
{
    const char *status = state_status(st);
    struct cgroup cg;

    if (strcmp(status, "stopped") != 0) {
        kill(st->pid, SIGKILL);
        /* A frozen task takes its SIGKILL only once thawed (v1). */
        if (strcmp(status, "paused") == 0 && freezer_set(st->cgroup, 0) == -1)
            return -1;
        if (wait_stopped(st) == -1)
            return -1;
    }
    if (st->cgroup[0] != '\0' &&
            (cgroup_adopt(&cg, st->cgroup) == -1 || cgroup_remove(&cg) == -1))
        return -1;
    if (st->cgroup[0] != '\0')
        cgroup_remove_parents(&cg, st->cgroup_parents);
    run_hooks(st, "poststop", 0);
    return state_remove(st, root);
}

/* What record() and create_hooks() need, through runtime_create(). */
struct launch {
    struct state *st;
    const struct config *cfg;
    const struct oci_args *a;
    int pid_file_written;
};

/* The created container's PID in ST, and the pid file. */
static int
record(void *arg, pid_t pid)
{
    struct launch *l = arg;
    struct state *st = l->st;
    const struct config *cfg = l->cfg;
    const struct oci_args *a = l->a;

    st->pid = pid;
    st->start_time = state_start_time(pid);
    snprintf(st->cgroup, sizeof(st->cgroup), "%s", cfg->name);
    snprintf(st->bundle, sizeof(st->bundle), "%s", a->bundle);
    st->created = (long long)time(NULL);
    if (state_save(st) == -1)
        return -1;
    if (a->pid_file && newfile_pid(a->pid_file, pid) == -1)
        return -1;
    l->pid_file_written = a->pid_file != NULL;
    return 0;
}

/* The hooks of runbox create, once the container is built. */
static int
create_hooks(void *arg)
{
    const struct launch *l = arg;

    if (run_hooks(l->st, "prestart", 1) == -1)
        return -1;
    return run_hooks(l->st, "createRuntime", 1);
}

/*
 * The container made from CFG, held at its fifo, in the network
 * namespace of NA if one is made ahead; recorded in ST. DOC is its
 * config.json, for the hooks.
 */
static int
launch(struct state *st, struct config *cfg, struct net_ahead *na,
        json_object *doc, const struct oci_args *a)
{
    char fifo[PATH_MAX];
    /* The bundle's root is bound on itself: no directory (mount.c). */
    const struct rootfs_state rs = {0};
    struct launch l = {st, cfg, a, 0};
    const struct create_calls calls = {record, create_hooks, &l};
    struct cgroup cg;

    if (hooks_save(doc, st->dir) == -1 ||
            hooks_load(st->dir, st->id, a->bundle, &cfg->hooks) == -1 ||
            state_path(st, "exec.fifo", fifo, sizeof(fifo)) == -1)
        return -1;
    if (mkfifo(fifo, 0600) == -1) {
        warn("mkfifo %s", fifo);
        return -1;
    }
    cfg->exec_fifo = fifo;
    if (cgroup_detect(&cg, cfg->name) == -1)
        return -1;
    if (cgroup_make_parents(&cg, st->cgroup_parents) == -1)
        goto out_remove_parents;
    /*
     * The cgroup is recorded, for destroy() to remove, only once it is
     * runbox's: a cgroupsPath that exists fails its mkdir(2) (EEXIST),
     * and a cgroup runbox did not make is never removed.
     * runtime_create() removes what it made if it fails.
     */
    if (runtime_create(cfg, &rs, &cg, na, &calls) == -1)
        goto out_unrecord;
    return 0;

out_unrecord:
    /* Gone with what runtime_create() made: not for destroy() to remove. */
    st->cgroup[0] = '\0';
    if (l.pid_file_written)
        unlink(a->pid_file);
out_remove_parents:
    cgroup_remove_parents(&cg, st->cgroup_parents);
    return -1;
}

/*
 * Checked whole before anything is made: bad input leaves nothing. The
 * document in *DOC, for the caller to put.
 */
static int
load_bundle(struct config *cfg, const struct oci_args *a, json_object **doc)
{
    if (bundle_load(cfg, a->bundle, doc) == -1)
        return -1;
    /* runbox create exits: the terminal's master goes to the socket. */
    if (cfg->tty && a->console_socket == NULL) {
        warnx("process.terminal needs --console-socket");
        return -1;
    }
    if (!cfg->tty && a->console_socket != NULL && !a->own_console) {
        warnx("--console-socket needs process.terminal");
        return -1;
    }
    cfg->console_socket = cfg->tty ? a->console_socket : NULL;
    if (cfg->name[0] != '\0' && a->systemd_cgroup)
        return cgroup_systemd_path(cfg->name, sizeof(cfg->name));
    if (cfg->name[0] != '\0') /* linux.cgroupsPath */
        return 0;
    return path_printf(cfg->name, sizeof(cfg->name), "runbox-oci-%s", a->id);
}

static int
do_create(const struct oci_args *a)
{
    struct config cfg = {0};
    struct net_ahead na = {.fd = -1};
    json_object *doc = NULL;
    struct state st;
    int ret = -1;

    if (state_check_id(a->id) == -1 || load_bundle(&cfg, a, &doc) == -1)
        goto out_free;
    /* Its network namespace is made while the rest is (net.c). */
    if (net_ahead_start(&na, &cfg) == -1)
        goto out_free;
    if (state_new(&st, a->root, a->id) == -1)
        goto out_end_net;
    ret = launch(&st, &cfg, &na, doc, a);
    if (ret == -1)
        destroy(&st, a->root);
    state_close(&st);
    hooks_free(cfg.hooks);
out_end_net:
    net_ahead_end(&na);
out_free:
    json_object_put(doc);
    bundle_free(&cfg);
    return ret;
}

/*
 * The container waits in an open(2) of the fifo for reading. An open for
 * writing with O_NONBLOCK succeeds only while a reader is there, and
 * lets it go (fifo(7)): nothing more to wait for, no round trip. ENXIO:
 * no reader yet, as create returns just before the container opens the
 * fifo; or none ever, as it has died.
 */
static int
release(const struct state *st, const char *fifo)
{
    const struct timespec tick = {0, 100 * 1000};
    int fd;

    for (;;) {
        fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd != -1)
            break;
        if (errno != ENXIO) {
            warn("open %s", fifo);
            return -1;
        }
        if (strcmp(state_status(st), "stopped") == 0) {
            warnx("container %s exited before it was started", st->id);
            return -1;
        }
        nanosleep(&tick, NULL);
    }
    close(fd);
    return 0;
}

/*
 * The runtime-spec runs the poststart hooks "after the user-specified
 * process is executed": until its execve(2), the container's process is
 * runbox's sealed copy (sealed.c), which its /proc/PID/exe names. Polled,
 * for a second at most: no event tells a parent of an exec.
 */
static void
await_exec(const struct state *st)
{
    const struct timespec tick = {0, 100 * 1000};
    char path[64], exe[PATH_MAX];
    ssize_t n;
    int i;

    snprintf(path, sizeof(path), "/proc/%d/exe", (int)st->pid);
    for (i = 0; i < 10000; i++) {
        n = readlink(path, exe, sizeof(exe) - 1);
        if (n <= 0)
            return; /* it has exited, or is a zombie */
        exe[n] = '\0';
        if (strncmp(exe, "/memfd:runbox", 13) != 0)
            return;
        nanosleep(&tick, NULL);
    }
}

static int
start(struct state *st)
{
    char fifo[PATH_MAX];
    const char *status = state_status(st);

    if (strcmp(status, "created") != 0) {
        warnx("container %s is %s, not created", st->id, status);
        return -1;
    }
    if (state_path(st, "exec.fifo", fifo, sizeof(fifo)) == -1 ||
            release(st, fifo) == -1)
        return -1;
    if (unlink(fifo) == -1) {
        warn("remove %s", fifo);
        return -1;
    }
    /* Without poststart hooks, nothing waits for CMD's execve(2). */
    if (hooks_count(st->dir, "poststart") == 0)
        return 0;
    await_exec(st);
    return run_hooks(st, "poststart", 0);
}

static int
do_start(const struct oci_args *a)
{
    struct state st;
    int ret;

    if (state_open(&st, a->root, a->id) == -1)
        return -1;
    ret = start(&st);
    state_close(&st);
    return ret;
}

static int
do_state(const struct oci_args *a)
{
    struct state st;
    int ret;

    if (state_open(&st, a->root, a->id) == -1)
        return -1;
    ret = state_print(&st);
    state_close(&st);
    return ret;
}

/* A signal by number, or by name with or without SIG: 9, KILL, SIGKILL. */
static int
parse_signal(const char *s)
{
    const char *name = strncmp(s, "SIG", 3) == 0 ? s + 3 : s;
    const char *abbrev;
    char *end;
    long n;
    int sig;

    n = strtol(s, &end, 10);
    if (end != s && *end == '\0' && n > 0 && n < NSIG)
        return (int)n;
    for (sig = 1; sig < NSIG; sig++) {
        abbrev = sigabbrev_np(sig);
        if (abbrev != NULL && strcmp(abbrev, name) == 0)
            return sig;
    }
    warnx("kill: %s: not a signal", s);
    return -1;
}

static int
do_kill(const struct oci_args *a)
{
    struct state st;
    const char *status;
    int sig, ret = -1;

    sig = parse_signal(a->signal ? a->signal : "TERM");
    if (sig == -1 || state_open(&st, a->root, a->id) == -1)
        return -1;
    status = state_status(&st);
    /* containerd's shim reads "container not running" as "already gone". */
    if (a->all)
        ret = ps_signal(st.cgroup, sig);
    else if (strcmp(status, "stopped") == 0)
        warnx("kill %s: container not running", a->id);
    else if (kill(st.pid, sig) == -1)
        warn("kill %d", (int)st.pid);
    else
        ret = 0;
    state_close(&st);
    return ret;
}

static int
do_delete(const struct oci_args *a)
{
    struct state st;
    const char *status;
    int ret = -1;

    if (state_open(&st, a->root, a->id) == -1)
        return a->force ? 0 : -1;
    status = state_status(&st);
    if (strcmp(status, "stopped") != 0 && !a->force)
        warnx("container %s is %s: kill it first, or delete --force", a->id,
                status);
    else
        ret = destroy(&st, a->root);
    state_close(&st);
    return ret;
}

/*
 * run --bundle of a config.json with process.terminal (runc spec's) and
 * no --console-socket: runbox listens on a socket of its own under
 * --root, where the container sends its pty's master at create, and
 * relays that terminal to its own, as runc run does. Nonblocking: with
 * no terminal, no one connects. The fd, or -1 after one line.
 */
static int
listen_console(struct oci_args *b, char *path, size_t size)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    if (state_check_id(b->id) == -1 || state_make_root(b->root) == -1 ||
            path_printf(path, size, "%s/%s.tty", b->root, b->id) == -1)
        return -1;
    if (path_printf(addr.sun_path, sizeof(addr.sun_path), "%s", path) == -1)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        warn("socket");
        return -1;
    }
    unlink(path); /* one a killed runbox left */
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == -1 ||
            listen(fd, 1) == -1) {
        warn("listen %s", path);
        close(fd);
        return -1;
    }
    b->console_socket = path;
    b->own_console = 1;
    return fd;
}

/* The container's connection, if it has a terminal; -2 if it has none. */
static int
accept_console(int listener, const char *path)
{
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);

    if (fd == -1 && errno != EAGAIN) {
        warn("accept %s", path);
        return -1;
    }
    return fd == -1 ? -2 : fd;
}

/* In the foreground: the status of PID, its terminal relayed if CONN. */
static int
supervise(pid_t pid, int conn, const sigset_t *set)
{
    int wstatus;

    if (conn < 0)
        return signals_wait(pid, set);
    if (tty_relay(conn, pid, set, &wstatus) == -1)
        return -1;
    return signals_exit_status(wstatus);
}

/*
 * runbox run --bundle: create, start, wait, delete, in the foreground.
 * The lock is let go while the container runs, for runbox kill and state.
 * The signals runbox relays are blocked from the start, so that a
 * SIGTERM or ^C reaches the container and never leaves it behind
 * runbox.
 */
static int
do_run(const struct oci_args *a)
{
    struct oci_args b = *a;
    char tty_path[PATH_MAX];
    struct state st;
    sigset_t set, old;
    int status = -1, listener = -1, conn = -2;
    pid_t pid;

    if (a->console_socket == NULL && !a->detach &&
            (listener = listen_console(&b, tty_path, sizeof(tty_path))) == -1)
        return -1;
    signals_block(&set, &old);
    if (do_create(&b) == -1 || state_open(&st, a->root, a->id) == -1)
        goto out_restore;
    pid = st.pid;
    if (listener != -1)
        conn = accept_console(listener, tty_path);
    if (conn == -1 || start(&st) == -1) {
        destroy(&st, a->root);
        state_close(&st);
        goto out_restore;
    }
    state_close(&st);
    if (a->detach) {
        status = 0;
        goto out_restore;
    }
    /* The container is runbox's own child, until runbox exits. */
    status = supervise(pid, conn, &set);
    if (state_open(&st, a->root, a->id) == -1)
        goto out_restore;
    if (destroy(&st, a->root) == -1)
        status = -1;
    state_close(&st);
out_restore:
    if (conn >= 0)
        close(conn);
    if (listener != -1) {
        close(listener);
        unlink(tty_path);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return status;
}

static int
do_update(const struct oci_args *a)
{
    return update_main(a->root, a->argc, a->argv);
}

static int
do_features(const struct oci_args *a)
{
    (void)a;
    return features_print();
}

static int
do_spec(const struct oci_args *a)
{
    return spec_write(a->bundle, a->rootless);
}

static int
print_one(const char *root, const char *id, int quiet)
{
    struct state st;
    struct tm tm;
    time_t t;
    char when[32];

    if (quiet) {
        printf("%s\n", id);
        return 0;
    }
    if (state_open(&st, root, id) == -1)
        return -1;
    t = (time_t)st.created;
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    printf("%-20s %-8d %-10s %-40s %s\n", st.id, (int)st.pid, state_status(&st),
            st.bundle, when);
    state_close(&st);
    return 0;
}

static int
do_list(const struct oci_args *a)
{
    char dir[PATH_MAX];
    struct dirent *e;
    DIR *d;
    int ret = 0;

    if (path_printf(dir, sizeof(dir), "%s/oci", a->root) == -1)
        return -1;
    if (!a->quiet)
        printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE",
                "CREATED");
    d = opendir(dir);
    if (d == NULL)
        return errno == ENOENT ? 0 : (warn("opendir %s", dir), -1);
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' &&
                print_one(a->root, e->d_name, a->quiet) == -1)
            ret = -1;
    closedir(d);
    return ret;
}

/* pause (FROZEN) a running container, or resume (THAWED) a paused one. */
static int
freeze(const struct oci_args *a, int frozen)
{
    const char *want = frozen ? "running" : "paused";
    struct state st;
    int ret = -1;

    if (state_open(&st, a->root, a->id) == -1)
        return -1;
    if (strcmp(state_status(&st), want) != 0)
        warnx("container %s is %s, not %s", a->id, state_status(&st), want);
    else
        ret = freezer_set(st.cgroup, frozen);
    state_close(&st);
    return ret;
}

static int
do_pause(const struct oci_args *a)
{
    return freeze(a, 1);
}

static int
do_resume(const struct oci_args *a)
{
    return freeze(a, 0);
}

static int
do_ps(const struct oci_args *a)
{
    struct state st;
    int ret = -1;

    if (state_open(&st, a->root, a->id) == -1)
        return -1;
    if (strcmp(state_status(&st), "stopped") == 0)
        warnx("container %s is not running", a->id);
    else
        ret = ps_print(st.cgroup, a->format);
    state_close(&st);
    return ret;
}

static int
do_exec(const struct oci_args *a)
{
    return exec_main(a->root, a->argc, a->argv);
}

static const struct command commands[] = {
        {"create", do_create, 1, 1},
        {"start", do_start, 1, 0},
        {"state", do_state, 1, 0},
        {"kill", do_kill, 1, 0},
        {"delete", do_delete, 1, 0},
        {"run", do_run, 1, 1},
        {"list", do_list, 0, 0},
        {"pause", do_pause, 1, 0},
        {"resume", do_resume, 1, 0},
        {"ps", do_ps, 1, 0},
        {"exec", do_exec, 1, 0},
        {"update", do_update, 1, 0},
        {"features", do_features, 0, 0},
        {"spec", do_spec, 0, 0},
};

static const struct command *
find_command(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int
oci_wanted(int argc, char *argv[])
{
    int i;

    if (argc < 2)
        return 0;
    if (strncmp(argv[1], "--", 2) == 0 && strcmp(argv[1], "--help") != 0 &&
            strcmp(argv[1], "--version") != 0)
        return 1;
    if (strcmp(argv[1], "run") != 0)
        return find_command(argv[1]) != NULL;
    for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "-b") == 0 || strcmp(argv[i], "--bundle") == 0 ||
                strncmp(argv[i], "--bundle=", 9) == 0)
            return 1;
    return 0;
}

/* --root DIR and the options conmon passes, before the command. */
static int
parse_globals(struct oci_args *a, int argc, char *argv[])
{
    int opt;

    optind = 0;
    while ((opt = getopt_long(argc, argv, "+", global_options, NULL)) != -1) {
        if (opt == OPT_ROOT)
            a->root = optarg;
        else if (opt == OPT_LOG)
            a->log = optarg;
        else if (opt == OPT_LOG_FORMAT)
            a->log_format = optarg;
        else if (opt == OPT_SYSTEMD_CGROUP)
            a->systemd_cgroup = 1;
        else if (opt == '?')
            return -1;
    }
    if (optind >= argc) {
        warnx("missing command; see runbox --help");
        return -1;
    }
    return optind;
}

/* The command's options, then ID and (kill) SIGNAL. */
static int
parse_command(struct oci_args *a, const struct command *c, int argc,
        char *argv[])
{
    int opt;

    optind = 0;
    while ((opt = getopt_long(argc, argv, "+b:fdaq", command_options, NULL)) !=
            -1) {
        if (opt == 'b')
            a->bundle = optarg;
        else if (opt == OPT_PID_FILE)
            a->pid_file = optarg;
        else if (opt == OPT_CONSOLE_SOCKET)
            a->console_socket = optarg;
        else if (opt == 'f')
            a->force = 1;
        else if (opt == 'd')
            a->detach = 1;
        else if (opt == 'q')
            a->quiet = 1;
        else if (opt == OPT_FORMAT)
            a->format = optarg;
        else if (opt == OPT_ROOTLESS)
            a->rootless = 1;
        else if (opt == 'a')
            a->all = 1;
        else if (opt == '?')
            return -1;
    }
    a->id = optind < argc ? argv[optind++] : NULL;
    if (strcmp(c->name, "kill") == 0 && optind < argc)
        a->signal = argv[optind++];
    if ((c->needs_id && a->id == NULL) || optind < argc) {
        warnx("%s: expected %s", c->name,
                c->needs_id ? "one container id" : "no argument");
        return -1;
    }
    return 0;
}

static int
run_command(struct oci_args *a, const struct command *c, char *bundle)
{
    if (c->reads_bundle && realpath(a->bundle, bundle) == NULL) {
        warn("--bundle %s", a->bundle);
        return -1;
    }
    if (c->reads_bundle)
        a->bundle = bundle;
    return c->run(a);
}

int
oci_main(int argc, char *argv[])
{
    struct oci_args a = {.root = DEFAULT_ROOT, .bundle = "."};
    char bundle[PATH_MAX];
    const struct command *c;
    struct log lg;
    int i, ret = -1;

    i = strncmp(argv[1], "--", 2) == 0 ? parse_globals(&a, argc, argv) : 1;
    if (i == -1 || log_open(&lg, a.log, a.log_format) == -1)
        return 1;
    a.argc = argc - i;
    a.argv = argv + i;
    c = find_command(argv[i]);
    if (c == NULL)
        warnx("unknown command %s; see runbox --help", argv[i]);
    /* exec and update have options of their own (exec.c, update.c). */
    else if (c->run == do_exec || c->run == do_update ||
            parse_command(&a, c, a.argc, a.argv) == 0)
        ret = run_command(&a, c, bundle);
    log_close(&lg);
    return ret == -1 ? 1 : ret;
}
