/*
 * The OCI lifecycle as an engine drives it, for tools/bench: create,
 * start, wait, delete of one container. Each command is a child of this
 * program, spawned without a shell, as containerd's runc shim runs the
 * runtime; and like the shim this program is a child subreaper
 * (PR_SET_CHILD_SUBREAPER, prctl(2)): once create has exited, the
 * container's process is its child, and the wait is a waitpid(2) that
 * sleeps until the process exits. (A wait that polls /proc, as a shell
 * script must, takes a CPU from the runtime and from the kernel's work
 * at the container's exit.)
 *
 * Usage: lifecycle [--times FILE] BUNDLE RUNTIME [OPTION...]
 *   --times FILE  append one line to FILE: the microseconds of create,
 *                 start, wait and delete, as this program saw them
 *                 (CLOCK_MONOTONIC): the lifecycle without the time this
 *                 program takes to start and exit, which is no runtime's
 *   OPTION...     the runtime's global options, e.g. --root DIR
 * Exit status: 0, or 1 after one line naming what failed.
 *
 * See: prctl(2) PR_SET_CHILD_SUBREAPER, posix_spawn(3), waitpid(2),
 * clock_gettime(2).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 32

extern char **environ;

/* RUNTIME OPTION... COMMAND..., as one argument vector. */
struct command {
    char *argv[MAX_ARGS + 1];
    int argc;
};

static void
add(struct command *c, char *arg)
{
    if (c->argc == MAX_ARGS)
        errx(1, "more than %d arguments", MAX_ARGS);
    c->argv[c->argc++] = arg;
    c->argv[c->argc] = NULL;
}

/* Runs C to its end; its standard output goes to /dev/null if QUIET. */
static void
run(const struct command *c, int quiet)
{
    posix_spawn_file_actions_t actions;
    pid_t pid;
    int status, e;

    posix_spawn_file_actions_init(&actions);
    if (quiet)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                O_WRONLY, 0);
    e = posix_spawnp(&pid, c->argv[0], &actions, NULL, c->argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (e != 0) {
        errno = e;
        err(1, "spawn %s", c->argv[0]);
    }
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid %s", c->argv[0]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        errx(1, "%s %s: exit status %d", c->argv[0], c->argv[c->argc - 1],
                WIFEXITED(status) ? WEXITSTATUS(status)
                                  : 128 + WTERMSIG(status));
}

/* The command RUNTIME OPTION... followed by the words of WORDS. */
static void
runtime(char *argv[], int argc, char *const words[], int quiet)
{
    struct command c = {.argc = 0};
    int i;

    for (i = 2; i < argc; i++)
        add(&c, argv[i]);
    for (i = 0; words[i] != NULL; i++)
        add(&c, words[i]);
    run(&c, quiet);
}

static pid_t
read_pid(const char *path)
{
    char buf[32];
    ssize_t n;
    pid_t pid;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        err(1, "open %s", path);
    n = read(fd, buf, sizeof(buf) - 1);
    if (n <= 0)
        errx(1, "%s: no pid", path);
    close(fd);
    buf[n] = '\0';
    pid = (pid_t)atoi(buf);
    /* 0 or less would have waitpid(2) wait for another child. */
    if (pid <= 0)
        errx(1, "%s: not a pid: %s", path, buf);
    return pid;
}

/* Microseconds of CLOCK_MONOTONIC. */
static long long
now_us(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Appends the four steps' microseconds, T[1] - T[0] ..., to PATH. */
static void
write_times(const char *path, const long long t[5])
{
    FILE *f = fopen(path, "ae");

    if (f == NULL)
        err(1, "open %s", path);
    fprintf(f, "%lld %lld %lld %lld\n", t[1] - t[0], t[2] - t[1], t[3] - t[2],
            t[4] - t[3]);
    if (fclose(f) != 0)
        err(1, "write %s", path);
}

int
main(int argc, char *argv[])
{
    char id[32], pid_file[4096];
    const char *times = NULL;
    long long t[5];
    pid_t pid;
    int status;

    if (argc > 2 && strcmp(argv[1], "--times") == 0) {
        times = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc < 3)
        errx(1, "usage: lifecycle [--times FILE] BUNDLE RUNTIME [OPTION...]");
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1)
        err(1, "prctl PR_SET_CHILD_SUBREAPER");
    snprintf(id, sizeof(id), "lc-%d", (int)getpid());
    if (snprintf(pid_file, sizeof(pid_file), "%s/pid-%s", argv[1], id) >=
            (int)sizeof(pid_file))
        errx(1, "%s: path too long", argv[1]);

    t[0] = now_us();
    runtime(argv, argc,
            (char *const[]){"create", "--bundle", argv[1], "--pid-file",
                    pid_file, id, NULL},
            1);
    t[1] = now_us();
    runtime(argv, argc, (char *const[]){"start", id, NULL}, 0);
    t[2] = now_us();
    pid = read_pid(pid_file);
    if (waitpid(pid, &status, 0) == -1)
        err(1, "waitpid %d, the container's process", (int)pid);
    t[3] = now_us();
    runtime(argv, argc, (char *const[]){"delete", id, NULL}, 0);
    t[4] = now_us();
    unlink(pid_file);
    if (times != NULL)
        write_times(times, t);
    /* Whatever else a runtime left to this subreaper. */
    while (waitpid(-1, &status, WNOHANG) > 0)
        ;
    return 0;
}
