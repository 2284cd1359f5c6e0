/*
 * runbox exec: one more process in a container that runs, as runc exec.
 * Its process is described as config.json's: the bundle's "process" with
 * the command line's CMD, --env, --cwd, --user and --tty on top, or
 * --process FILE (what conmon passes) in its place, read by bundle.c.
 *
 * The process joins the container's cgroup while it still sees the
 * host's, then every namespace of the container's PID 1 at once, through
 * a pidfd (pidfd_open(2); setns(2) takes one since Linux 5.8). A PID
 * namespace is joined only by the children of the caller, so runbox
 * joins that one itself, and forks. The child then goes the last steps
 * of the container's first process (runtime.c): the terminal, the
 * working directory, user and capabilities, seccomp last, execve(2).
 *
 * See: setns(2), pidfd_open(2), pid_namespaces(7), runc-exec(8).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "cgroup.h"
#include "exec.h"
#include "namespaces.h"
#include "newfile.h"
#include "runtime.h"
#include "signals.h"
#include "state.h"
#include "tty.h"
#include "util.h"

#define REPORT_FD 3 /* the child's end of the report pipe, once moved */

/* The command line of runbox exec. */
struct exec_args {
    const char *id;
    const char *process; /* --process FILE */
    const char *pid_file;
    const char *console_socket;
    const char *cwd;
    const char *user;
    char **env; /* --env, NULL-terminated */
    char **cmd; /* CMD..., NULL-terminated, maybe empty */
    int detach;
    int tty;
};

/* What the child needs: the container, and the fds to its parent. */
struct exec_child {
    const struct config *cfg;
    const struct cgroup *cg;
    int pidfd; /* of the container's PID 1 */
    int ns; /* the namespaces to join, CLONE_NEW* */
    int report[2]; /* a byte on [1]: the child failed; EOF: it exec'd */
    int console[2]; /* -t: [1] the child's end; [0] runbox's relay */
    sigset_t old_mask;
};

enum {
    OPT_PID_FILE = 256,
    OPT_CONSOLE_SOCKET,
    OPT_CWD,
};

static const struct option options[] = {
        {"process", required_argument, NULL, 'p'},
        {"pid-file", required_argument, NULL, OPT_PID_FILE},
        {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},
        {"cwd", required_argument, NULL, OPT_CWD},
        {"env", required_argument, NULL, 'e'},
        {"user", required_argument, NULL, 'u'},
        {"detach", no_argument, NULL, 'd'},
        {"tty", no_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
};

static int
parse_args(struct exec_args *a, int argc, char *argv[])
{
    size_t nenv = 0;
    int opt;

    optind = 0;
    while ((opt = getopt_long(argc, argv, "+p:e:u:dt", options, NULL)) != -1) {
        if (opt == 'p')
            a->process = optarg;
        else if (opt == OPT_PID_FILE)
            a->pid_file = optarg;
        else if (opt == OPT_CONSOLE_SOCKET)
            a->console_socket = optarg;
        else if (opt == OPT_CWD)
            a->cwd = optarg;
        else if (opt == 'e')
            a->env[nenv++] = optarg;
        else if (opt == 'u')
            a->user = optarg;
        else if (opt == 'd')
            a->detach = 1;
        else if (opt == 't')
            a->tty = 1;
        else
            return -1;
    }
    a->id = optind < argc ? argv[optind++] : NULL;
    a->cmd = argv + optind;
    if (a->id == NULL || (a->process == NULL) == (a->cmd[0] == NULL)) {
        warnx("exec: expected a container id, then a command or --process");
        return -1;
    }
    return 0;
}

/* A JSON object from FILE; NULL after one line. */
static json_object *
read_object(const char *file)
{
    json_object *o;
    int fd;

    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        warn("open %s", file);
        return NULL;
    }
    o = json_object_from_fd(fd);
    close(fd);
    if (!json_object_is_type(o, json_type_object)) {
        warnx("%s: not a JSON object", file);
        json_object_put(o);
        return NULL;
    }
    return o;
}

static json_object *
string_list(char **list)
{
    json_object *arr = json_object_new_array();

    while (arr != NULL && *list != NULL)
        json_object_array_add(arr, json_object_new_string(*list++));
    return arr;
}

/* --user UID[:GID]: the GID is the UID's unless given, as runbox run -u. */
static int
set_user(json_object *process, const char *s)
{
    long long uid, gid;
    json_object *user;
    char *end;

    errno = 0;
    uid = strtoll(s, &end, 10);
    gid = uid;
    if (*end == ':')
        gid = strtoll(end + 1, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || uid < 0 || gid < 0 ||
            uid > INT32_MAX || gid > INT32_MAX) {
        warnx("exec: --user %s: expected UID[:GID]", s);
        return -1;
    }
    user = json_object_new_object();
    json_object_object_add(user, "uid", json_object_new_int64(uid));
    json_object_object_add(user, "gid", json_object_new_int64(gid));
    return json_object_object_add(process, "user", user);
}

/* The command line on top of PROCESS, config.json's or --process's. */
static int
edit_process(json_object *process, const struct exec_args *a)
{
    json_object *env;
    char **e;

    if (a->cmd[0] != NULL &&
            json_object_object_add(process, "args", string_list(a->cmd)) != 0)
        return -1;
    if (!json_object_object_get_ex(process, "env", &env) ||
            !json_object_is_type(env, json_type_array)) {
        env = json_object_new_array();
        json_object_object_add(process, "env", env);
    }
    for (e = a->env; *e != NULL; e++)
        json_object_array_add(env, json_object_new_string(*e));
    if (a->cwd != NULL)
        json_object_object_add(process, "cwd", json_object_new_string(a->cwd));
    if (a->tty)
        json_object_object_add(process, "terminal", json_object_new_boolean(1));
    return a->user != NULL ? set_user(process, a->user) : 0;
}

/*
 * The bundle's config.json with the process of the exec, read by
 * bundle.c as create read it: one parser, the same checks.
 */
static int
load_config(struct config *cfg, const struct state *st,
        const struct exec_args *a)
{
    char path[PATH_MAX];
    json_object *doc, *process = NULL;
    const char *text;
    size_t len;
    int ret = -1;

    if (path_printf(path, sizeof(path), "%s/config.json", st->bundle) == -1)
        return -1;
    doc = read_object(path);
    if (doc == NULL)
        return -1;
    if (a->process != NULL) {
        process = read_object(a->process);
        if (process == NULL)
            goto out_put;
        json_object_object_add(doc, "process", process);
    } else if (!json_object_object_get_ex(doc, "process", &process) ||
            !json_object_is_type(process, json_type_object)) {
        warnx("%s: process: missing", path);
        goto out_put;
    }
    if (edit_process(process, a) == -1)
        goto out_put;
    text = json_object_to_json_string_length(doc, JSON_C_TO_STRING_PLAIN, &len);
    if (text == NULL)
        warnx("exec: the process cannot be written as JSON");
    else
        ret = bundle_parse(cfg, text, len, st->bundle);
out_put:
    json_object_put(doc);
    return ret;
}

/* A terminal is relayed by runbox, or sent to --console-socket. */
static int
check_terminal(const struct config *cfg, const struct exec_args *a)
{
    if (a->console_socket != NULL && !cfg->tty) {
        warnx("exec: --console-socket needs --tty or process.terminal");
        return -1;
    }
    if (cfg->tty && a->detach && a->console_socket == NULL) {
        warnx("exec: a terminal with --detach needs --console-socket");
        return -1;
    }
    return 0;
}

/* 1 if PID's namespace of KIND is not runbox's own. */
static int
other_ns(pid_t pid, const char *kind)
{
    char path[64];
    struct stat mine, theirs;

    snprintf(path, sizeof(path), "/proc/self/ns/%s", kind);
    if (stat(path, &mine) == -1)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kind);
    if (stat(path, &theirs) == -1)
        return 0;
    return mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev;
}

/*
 * The namespaces of the container that are not runbox's own: those its
 * config.json did not list are (setns(2) refuses to enter the caller's
 * own user namespace).
 */
static int
namespaces_of(pid_t pid)
{
    static const struct {
        const char *name;
        int flag;
    } kinds[] = {{"mnt", CLONE_NEWNS}, {"uts", CLONE_NEWUTS},
            {"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET},
            {"cgroup", CLONE_NEWCGROUP}, {"user", CLONE_NEWUSER},
            {"time", CLONE_NEWTIME}};
    size_t i;
    int ns = 0;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (other_ns(pid, kinds[i].name))
            ns |= kinds[i].flag;
    return ns;
}

/*
 * The container ID, created or running: the pidfd of its PID 1, opened
 * before the check, so that the PID cannot be another process's by then.
 * A created container's PID 1 waits at the exec fifo with every namespace
 * made (runtime.c), so a process can join them, as runc allows; a paused
 * one would freeze the new process with the rest, a stopped one has none.
 */
static int
open_container(struct state *st, const char *root, const char *id)
{
    const char *status;
    int pidfd;

    if (state_open(st, root, id) == -1)
        return -1;
    pidfd = st->pid > 0 ? pidfd_open(st->pid, 0) : -1;
    status = state_status(st);
    if (pidfd == -1 ||
            (strcmp(status, "running") != 0 &&
                    strcmp(status, "created") != 0)) {
        warnx("container %s is %s: exec needs it created or running", id,
                status);
        if (pidfd != -1)
            close(pidfd);
        pidfd = -1;
    }
    state_close(st);
    return pidfd;
}

/* Only REPORT_FD, at 3, and 0, 1, 2 stay: see setup_container(). */
static int
close_fds(struct exec_child *c)
{
    if (c->report[1] != REPORT_FD &&
            dup3(c->report[1], REPORT_FD, O_CLOEXEC) == -1) {
        warn("dup3");
        return -1;
    }
    c->report[1] = REPORT_FD;
    if (close_range(REPORT_FD + 1, ~0U, 0) == -1) {
        warn("close_range");
        return -1;
    }
    return 0;
}

/* In the container's PID namespace, not yet in the rest. */
static int
enter(struct exec_child *c)
{
    const struct config *cfg = c->cfg;

    signals_reset(&c->old_mask);
    close(c->report[0]);
    c->report[0] = -1;
    /* Before it joins: a process of the container could ptrace it. */
    if (runtime_undumpable() == -1)
        return -1;
    /* While cgroup.procs is still the host's to see. */
    if (cgroup_enter(c->cg) == -1)
        return -1;
    /* setns(2) with no namespace is EINVAL: a container of the host's. */
    if (c->ns != 0 && setns(c->pidfd, c->ns) == -1) {
        warn("setns to the container's namespaces");
        return -1;
    }
    if (tty_child(cfg, c->console) == -1)
        return -1;
    if (close_fds(c) == -1)
        return -1;
    /* Without a mount namespace of its own: chroot(2) first (runtime.c). */
    if (namespaces_own(cfg, CLONE_NEWNS) && chdir(cfg->workdir) == -1) {
        warn("chdir %s", cfg->workdir);
        return -1;
    }
    return runtime_drop_privileges(cfg);
}

/*
 * The child failed: the lines it printed, then BYTE ('e': runbox failed,
 * 'x': the command could not run), on the report pipe.
 */
static void
report(const struct exec_child *c, FILE *lines, char **text, size_t *len,
        char byte)
{
    if (lines != NULL && fclose(lines) == 0 && *len > 0)
        (void)!write(c->report[1], *text, *len);
    (void)!write(c->report[1], &byte, 1);
}

/*
 * What the child would print goes to runbox through the report pipe, and
 * runbox prints it: on its stderr, and into --log, which the child, past
 * close_range(2), no longer has, and where containerd and Docker read a
 * runtime's error. Not with runbox's own terminal relay (-t without
 * --console-socket): there the child's stderr is runbox's already.
 */
static void
child(struct exec_child *c)
{
    FILE *lines = NULL;
    char *text = NULL;
    size_t len = 0;
    int status;

    if (!c->cfg->tty || c->cfg->console_socket != NULL) {
        lines = open_memstream(&text, &len);
        if (lines != NULL)
            stderr = lines;
    }
    if (enter(c) == -1) {
        report(c, lines, &text, &len, 'e');
        _exit(EXIT_RUNTIME);
    }
    status = runtime_exec(c->cfg);
    report(c, lines, &text, &len, 'x');
    _exit(status);
}

/*
 * The child failed (it said why): its own status, 126 or 127 when the
 * command could not run, as docker exec; otherwise runbox failed.
 */
static int
failed(pid_t pid)
{
    int wstatus;

    if (waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus) &&
            WEXITSTATUS(wstatus) != EXIT_RUNTIME)
        return WEXITSTATUS(wstatus);
    return -1;
}

/* Blocks until the child exec'd (0) or failed (its status, or -1). */
static int
await_exec(struct exec_child *c, pid_t pid)
{
    char text[4096]; /* the lines of a failed child: a few */
    size_t len = 0;
    ssize_t n;

    close(c->report[1]);
    c->report[1] = -1;
    do {
        n = read(c->report[0], text + len, sizeof(text) - len);
        if (n > 0)
            len += (size_t)n;
    } while ((n > 0 && len < sizeof(text)) || (n == -1 && errno == EINTR));
    if (len == 0)
        return 0;
    /* Its lines, without the byte that ends them (report()). */
    fwrite(text, 1, len - 1, stderr);
    return failed(pid);
}

/*
 * In the foreground: the process's status, signals relayed to it, its
 * terminal relayed by runbox. With --detach: 0 once it exec'd; it is
 * then left to whoever reaps runbox's orphans (conmon, a subreaper).
 */
static int
supervise(struct exec_child *c, const struct exec_args *a, pid_t pid,
        const sigset_t *set)
{
    int ret, wstatus;

    if (c->cfg->tty && a->console_socket == NULL) {
        close(c->console[1]);
        c->console[1] = -1;
        if (a->pid_file && newfile_pid(a->pid_file, pid) == -1)
            return -1;
        if (tty_relay(c->console[0], pid, set, &wstatus) == -1)
            return -1;
        return signals_exit_status(wstatus);
    }
    ret = await_exec(c, pid);
    if (ret != 0)
        return ret;
    if (a->pid_file && newfile_pid(a->pid_file, pid) == -1)
        return -1;
    return a->detach ? 0 : signals_wait(pid, set);
}

/* The fds the child needs: the report pipe, the terminal's socket. */
static int
open_channels(struct exec_child *c, const struct exec_args *a)
{
    if (pipe2(c->report, O_CLOEXEC) == -1) {
        warn("pipe");
        return -1;
    }
    if (!c->cfg->tty)
        return 0;
    if (a->console_socket != NULL) {
        c->console[1] = tty_connect(a->console_socket);
        return c->console[1] == -1 ? -1 : 0;
    }
    return tty_socketpair(c->console);
}

static void
close_channels(struct exec_child *c)
{
    int i;

    for (i = 0; i < 2; i++) {
        if (c->report[i] != -1)
            close(c->report[i]);
        if (c->console[i] != -1)
            close(c->console[i]);
    }
}

/*
 * pid_namespaces(7): setns(2) with CLONE_NEWPID moves only the children
 * the caller makes next. runbox forks one inside, then goes back, so that
 * no later child of its own lands there (LeakSanitizer makes one at exit,
 * and would not find runbox's threads by their PIDs). The child, or -1.
 */
static pid_t
fork_inside(int pidfd)
{
    pid_t pid = -1;
    int own;

    own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
    if (own == -1) {
        warn("open /proc/self/ns/pid");
        return -1;
    }
    if (setns(pidfd, CLONE_NEWPID) == -1) {
        warn("setns to the container's pid namespace");
        goto out_close;
    }
    fflush(NULL);
    pid = fork();
    if (pid == -1)
        warn("fork");
    if (pid > 0 && setns(own, CLONE_NEWPID) == -1) {
        warn("setns back to runbox's pid namespace");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        pid = -1;
    }
out_close:
    close(own);
    return pid;
}

static int
run_process(struct exec_child *c, const struct exec_args *a)
{
    sigset_t set;
    pid_t pid;
    int ret = -1;

    if (open_channels(c, a) == -1)
        goto out_close;
    signals_block(&set, &c->old_mask);
    pid = fork_inside(c->pidfd);
    if (pid == 0)
        child(c);
    if (pid > 0)
        ret = supervise(c, a, pid, &set);
    sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
out_close:
    close_channels(c);
    return ret;
}

static int
exec_in(const struct state *st, int pidfd, const struct exec_args *a)
{
    struct config cfg = {0};
    struct cgroup cg;
    struct exec_child c = {.cfg = &cfg,
            .cg = &cg,
            .pidfd = pidfd,
            .report = {-1, -1},
            .console = {-1, -1}};
    int ret = -1;

    if (load_config(&cfg, st, a) == -1 || check_terminal(&cfg, a) == -1)
        goto out_free;
    cfg.console_socket = a->console_socket;
    if (cgroup_adopt(&cg, st->cgroup) == -1)
        goto out_free;
    c.ns = namespaces_of(st->pid);
    ret = run_process(&c, a);
out_free:
    bundle_free(&cfg);
    return ret;
}

int
exec_main(const char *root, int argc, char *argv[])
{
    struct exec_args a = {0};
    struct state st;
    int pidfd, ret = -1;

    a.env = calloc((size_t)argc + 1, sizeof(*a.env));
    if (a.env == NULL) {
        warn("calloc");
        return -1;
    }
    if (parse_args(&a, argc, argv) == -1)
        goto out_free;
    pidfd = open_container(&st, root, a.id);
    if (pidfd == -1)
        goto out_free;
    ret = exec_in(&st, pidfd, &a);
    close(pidfd);
out_free:
    free(a.env);
    return ret;
}
