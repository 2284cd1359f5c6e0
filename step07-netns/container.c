/*
 * step07-netns: the child gets a network of its own, and one cable out.
 *
 * New here: CLONE_NEWNET gives the child an empty network namespace (only
 * a loopback device, down). A veth pair, a virtual cable, links it to the
 * host: one end stays on the host as step07-PID (10.77.7.1/30), the other
 * goes into the container as eth0 (10.77.7.2/30). ip(8) does the work
 * here; final/ speaks rtnetlink(7) to the kernel itself.
 *
 * Usage: sudo ./step07 run CMD [ARG...]
 * See: network_namespaces(7), veth(4), ip-link(8), ip-address(8)
 */
#define _GNU_SOURCE
/* First: elsewhere, a missing Linux header would be the first error. */
#ifndef __linux__
#error "namespaces and cgroups are Linux kernel features: build this on Linux (docs/non-linux.md)"
#endif
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)
#define HOSTNAME "container"
#define PATH_SIZE 4096
#define CGROUP_ROOT "/sys/fs/cgroup"
#define SUBTREE_CONTROL CGROUP_ROOT "/cgroup.subtree_control"
#define HOST_ADDR "10.77.7.1/30"
#define CONTAINER_ADDR "10.77.7.2/30"

/* The exit statuses of chroot(1) and docker run. */
#define EXIT_RUNTIME 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

struct config {
    char **argv; /* CMD and its arguments, NULL-terminated */
    const char *hostname;
    const char *rootfs;
    int sync[2]; /* the child waits on sync[0] until the parent is done */
};

/* A limit: its controller, its file on v1 and on v2, and its value. */
struct limit {
    const char *controller, *v1_file, *v2_file, *value;
};

static const struct limit limits[] = {
        {"memory", "memory.limit_in_bytes", "memory.max", "104857600"},
        {"memory", "memory.swappiness", "memory.swap.max", "0"}, /* no swap */
        {"pids", "pids.max", "pids.max", "20"}, /* then fork() fails: EAGAIN */
        {"cpu", "cpu.cfs_quota_us", "cpu.max", "50000"}, /* us in each 100 ms */
};

/* v1: a tree per controller, and our cgroup in each; v2: one tree. */
static const char *const controllers[] = {"memory", "pids", "cpu"};

/* The host's end of the veth pair, and the container's namespace. */
struct veth {
    char name[IF_NAMESIZE]; /* step07-PID */
    int netns;
    int made; /* delete only a pair this run made */
};

struct cgroup {
    int v2;
    char name[64]; /* step06-PID: "%.40s-%d" always fits */
    size_t made; /* how many of its directories exist: only those go */
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

/* Blocks until the parent has set up the cgroup around this process. */
static void
await_setup(const struct config *cfg)
{
    char go;

    close(cfg->sync[1]);
    /* 0 bytes: the parent died or failed; never run CMD unlimited. */
    if (read(cfg->sync[0], &go, 1) != 1)
        errx(EXIT_RUNTIME, "the parent did not finish the setup");
}

/*
 * Runs ip(8) with ARGV and waits for it. No shell in between, so nothing
 * in ARGV is ever parsed as shell syntax.
 */
static int
run_ip(char *const argv[])
{
    int status;
    pid_t pid;

    pid = fork();
    if (pid == -1) {
        warn("fork");
        return -1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        warn("exec %s", argv[0]);
        _exit(EXIT_NOT_FOUND);
    }
    if (waitpid(pid, &status, 0) == -1) {
        warn("waitpid %d", (int)pid);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        warnx("ip %s %s %s: failed", argv[1], argv[2], argv[3]);
        return -1;
    }
    return 0;
}

/* Inside: loopback up, and the container's end of the cable addressed. */
static void
setup_net(void)
{
    char *lo[] = {"ip", "link", "set", "lo", "up", NULL};
    char *addr[] = {"ip", "addr", "add", CONTAINER_ADDR, "dev", "eth0", NULL};
    char *up[] = {"ip", "link", "set", "eth0", "up", NULL};

    if (run_ip(lo) == -1 || run_ip(addr) == -1 || run_ip(up) == -1)
        exit(EXIT_RUNTIME);
}

/*
 * Runs in the child. It never returns: a child that returned would exit
 * without flushing its stdio, so it ends in execvp() or in err().
 */
static int
child_main(void *arg)
{
    const struct config *cfg = arg;

    await_setup(cfg);
    setup_uts(cfg);
    setup_net();
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

/* FILE ("" for the directory) in our cgroup of CONTROLLER: bounded, short. */
static void
cgroup_path(char *buf, const struct cgroup *cg, const char *controller,
        const char *file)
{
    snprintf(buf, PATH_SIZE, "%s/%s%s%s%s%s", CGROUP_ROOT,
            cg->v2 ? "" : controller, cg->v2 ? "" : "/", cg->name,
            *file ? "/" : "", file);
}

/* Writes VALUE whole, or says why not: a short write is a failure too. */
static int
write_file(const char *path, const char *value)
{
    int fd, ok;

    fd = open(path, O_WRONLY | O_CLOEXEC);
    ok = fd != -1 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);
    if (!ok)
        warn("write %s to %s", value, path);
    if (fd != -1)
        close(fd);
    return ok ? 0 : -1;
}

/* Makes the cgroup, moves PID into it and sets its limits. */
static int
cgroup_create(struct cgroup *cg, pid_t pid)
{
    char path[PATH_SIZE], pidstr[16];
    size_t i, ndirs = cg->v2 ? 1 : 3;

    /* v2: controllers serve a cgroup only if its parent enables them. */
    if (cg->v2 && write_file(SUBTREE_CONTROL, "+cpu +memory +pids") == -1)
        return -1;
    snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
    snprintf(cg->name, sizeof(cg->name), "%.40s-%d",
            program_invocation_short_name, (int)getpid());
    for (i = 0; i < ndirs; i++) {
        cgroup_path(path, cg, controllers[i], "");
        if (mkdir(path, 0755) == -1) {
            warn("mkdir %s", path);
            return -1;
        }
        cg->made = i + 1;
        cgroup_path(path, cg, controllers[i], "cgroup.procs");
        if (write_file(path, pidstr) == -1)
            return -1;
    }
    for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        cgroup_path(path, cg, limits[i].controller,
                cg->v2 ? limits[i].v2_file : limits[i].v1_file);
        if (write_file(path, limits[i].value) == -1)
            return -1;
    }
    return 0;
}

/* rmdir(2): EBUSY while the kernel still tears down the dead: try again. */
static int
cgroup_remove(const struct cgroup *cg)
{
    char path[PATH_SIZE];
    size_t i;
    int tries, ret = 0;

    for (i = 0; i < cg->made; i++) {
        cgroup_path(path, cg, controllers[i], "");
        for (tries = 0; rmdir(path) == -1; tries++) {
            if (errno != EBUSY || tries == 500) {
                warn("rmdir %s", path);
                ret = -1;
                break;
            }
            usleep(10 * 1000); /* 10 ms */
        }
    }
    return ret;
}

/* One byte tells the child that it may go on: see await_setup(). */
static int
release_child(const struct config *cfg)
{
    if (write(cfg->sync[1], "1", 1) == 1)
        return 0;
    warn("write sync pipe");
    return -1;
}

/* veth(4): a pair of devices; what goes in one end comes out the other. */
static int
net_create(struct veth *veth, pid_t pid)
{
    char path[PATH_SIZE], pidstr[16];
    char *add[] = {"ip", "link", "add", veth->name, "type", "veth", "peer",
            "name", "eth0", "netns", pidstr, NULL};
    char *addr[] = {"ip", "addr", "add", HOST_ADDR, "dev", veth->name, NULL};
    char *up[] = {"ip", "link", "set", veth->name, "up", NULL};

    snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
    snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
    /* Held open, the namespace outlives the container: see net_remove(). */
    veth->netns = open(path, O_RDONLY | O_CLOEXEC);
    if (veth->netns == -1) {
        warn("open %s", path);
        return -1;
    }
    if (run_ip(add) == -1)
        return -1;
    veth->made = 1;
    if (run_ip(addr) == -1 || run_ip(up) == -1)
        return -1;
    return 0;
}

/*
 * Left alone, the kernel would remove the pair with the container's
 * namespace, but later and asynchronously. The namespace is still held
 * open, so the pair is surely there: delete it now, then let go.
 */
static int
net_remove(struct veth *veth)
{
    char *del[] = {"ip", "link", "del", veth->name, NULL};
    int ret = 0;

    if (veth->made && run_ip(del) == -1)
        ret = -1;
    if (veth->netns != -1)
        close(veth->netns);
    return ret;
}

int
main(int argc, char *argv[])
{
    struct config cfg = {0};
    struct cgroup cg = {0};
    struct statfs fs;
    struct veth veth = {.netns = -1};
    int status, failed;
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
    /* At most 14 characters: a PID has at most 7 digits (proc(5)). */
    snprintf(veth.name, sizeof(veth.name), "step07-%d", (int)getpid());
    /* cgroups(7): a cgroup2 mount is one tree; v1 has a tree each. */
    if (statfs(CGROUP_ROOT, &fs) == -1)
        err(EXIT_RUNTIME, "statfs %s", CGROUP_ROOT);
    cg.v2 = fs.f_type == CGROUP2_SUPER_MAGIC;
    if (pipe2(cfg.sync, O_CLOEXEC) == -1)
        err(EXIT_RUNTIME, "pipe");

    stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        err(EXIT_RUNTIME, "mmap stack");

    flags |= CLONE_NEWUTS; /* uts_namespaces(7) */
    flags |= CLONE_NEWPID; /* pid_namespaces(7) */
    flags |= CLONE_NEWNS; /* mount_namespaces(7) */
    flags |= CLONE_NEWNET; /* network_namespaces(7) */

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
    close(cfg.sync[0]);
    /* From here on, the parent has made something: it warns and cleans up. */
    failed = cgroup_create(&cg, pid) == -1 || net_create(&veth, pid) == -1 ||
            release_child(&cfg) == -1;
    if (failed)
        kill(pid, SIGKILL);
    status = wait_child(pid);
    close(cfg.sync[1]);
    if (net_remove(&veth) == -1)
        status = EXIT_RUNTIME;
    if (cgroup_remove(&cg) == -1 || failed)
        status = EXIT_RUNTIME;
    return status;
}
