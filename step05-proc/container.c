/*
 * step05-proc: the child gets a mount table of its own, and its own /proc.
 *
 * New here: CLONE_NEWNS gives the child a copy of the mount table. "/" is
 * made private first, so that no mount made inside propagates back to the
 * host, and a new procfs is mounted on /proc: it shows the child's PID
 * namespace, so ps(1) lists only the container's processes.
 *
 * Usage: sudo ./step05 run CMD [ARG...]
 * See: mount_namespaces(7), mount(2), proc(5)
 */
#define _GNU_SOURCE
/* First: elsewhere, a missing Linux header would be the first error. */
#ifndef __linux__
#error "namespaces and cgroups are Linux kernel features: build this on Linux (docs/non-linux.md)"
#endif
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)
#define HOSTNAME "container"
#define PATH_SIZE 4096

/* The exit statuses of chroot(1) and docker run. */
#define EXIT_RUNTIME 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

struct config {
    char **argv; /* CMD and its arguments, NULL-terminated */
    const char *hostname;
    const char *rootfs;
};

static void
setup_uts(const struct config *cfg)
{
    if (sethostname(cfg->hostname, strlen(cfg->hostname)) == -1)
        err(EXIT_RUNTIME, "sethostname %s", cfg->hostname);
}

static void
setup_root(const struct config *cfg)
{
    /* chroot() leaves the working directory outside the new root. */
    if (chroot(cfg->rootfs) == -1 || chdir("/") == -1)
        err(EXIT_RUNTIME, "chroot %s", cfg->rootfs);
}

static void
setup_mounts(const struct config *cfg)
{
    unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    char proc[PATH_SIZE];
    int n;

    /*
     * systemd makes "/" shared: without this, every mount below would
     * propagate to the host's mount table and stay there.
     */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
        err(EXIT_RUNTIME, "mount --make-rprivate /");
    n = snprintf(proc, sizeof(proc), "%s/proc", cfg->rootfs);
    if (n < 0 || (size_t)n >= sizeof(proc))
        errx(EXIT_RUNTIME, "rootfs path too long: %s", cfg->rootfs);
    /* A procfs shows the PID namespace of the process that mounts it. */
    if (mount("proc", proc, "proc", flags, NULL) == -1)
        err(EXIT_RUNTIME, "mount proc on %s", proc);
}

/*
 * Runs in the child. It never returns: a child that returned would exit
 * without flushing its stdio, so it ends in execvp() or in err().
 */
static int
child_main(void *arg)
{
    const struct config *cfg = arg;

    setup_uts(cfg);
    setup_mounts(cfg);
    setup_root(cfg);
    execvp(cfg->argv[0], cfg->argv);
    err(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "exec %s",
            cfg->argv[0]);
}

/* Fails here, with a hint, rather than as a puzzling exec error inside. */
static void
check_rootfs(const char *path)
{
    DIR *dir = opendir(path);
    int entries = 0;

    if (dir == NULL)
        errx(EXIT_RUNTIME, "rootfs %s: %s (build one with: make rootfs)", path,
                strerror(errno));
    while (readdir(dir) != NULL)
        entries++;
    closedir(dir);
    if (entries <= 2) /* "." and ".." */
        errx(EXIT_RUNTIME, "rootfs %s is empty (build one with: make rootfs)",
                path);
}

/* The shell's convention: a child killed by signal N exits with 128+N. */
static int
exit_status(int status)
{
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static int
wait_child(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) == -1) {
        if (errno != EINTR) {
            warn("waitpid %d", (int)pid);
            return EXIT_RUNTIME;
        }
    }
    return exit_status(status);
}

int
main(int argc, char *argv[])
{
    struct config cfg = {0};
    int flags = SIGCHLD; /* the signal the parent gets when the child ends */
    char *stack;
    pid_t pid;

    if (argc < 2)
        errx(EXIT_RUNTIME, "missing command; usage: %s run CMD [ARG...]",
                argv[0]);
    if (strcmp(argv[1], "run") != 0)
        errx(EXIT_RUNTIME, "unknown command %s; usage: %s run CMD [ARG...]",
                argv[1], argv[0]);
    if (argc < 3)
        errx(EXIT_RUNTIME, "missing CMD; usage: %s run CMD [ARG...]", argv[0]);
    cfg.argv = &argv[2];
    cfg.hostname = HOSTNAME;
    cfg.rootfs = getenv("ROOTFS") ? getenv("ROOTFS") : "./rootfs";
    check_rootfs(cfg.rootfs);

    stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        err(EXIT_RUNTIME, "mmap stack");

    flags |= CLONE_NEWUTS; /* uts_namespaces(7) */
    flags |= CLONE_NEWPID; /* pid_namespaces(7) */
    flags |= CLONE_NEWNS; /* mount_namespaces(7) */

    /* Without this, output still buffered here would be printed twice. */
    fflush(NULL);
    /* The stack grows down on x86, ARM and almost all others: pass its top. */
    pid = clone(child_main, stack + STACK_SIZE, flags, &cfg);
    if (pid == -1 && errno == EPERM)
        errx(EXIT_RUNTIME, "clone: new namespaces need root: run with sudo");
    if (pid == -1)
        err(EXIT_RUNTIME, "clone");

    /*
     * Ctrl-C reaches the whole foreground group: let the container decide.
     * Only after clone(): CMD would inherit an ignored signal through
     * execve(2), and a shell cannot even trap a signal ignored at its start.
     */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    return wait_child(pid);
}
