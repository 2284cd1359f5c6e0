/*
 * Escape attempts, one per subcommand, made as root inside a container.
 * Each prints "BLOCKED WHAT: WHY" and exits 0 when the container stopped
 * it, or "ESCAPED WHAT: HOW" and exits 1 when it did not; 2 is a usage or
 * setup error. A call that fails with EPERM or ENOSYS was refused; one
 * that fails with any other error got past the permission checks, and
 * counts as an escape.
 *
 * Nothing here harms the host even when it escapes: sysrq and sysctl only
 * open their file for writing, the disk is read or mounted read-only, the
 * module image is empty, and ptrace uses PTRACE_SEIZE, which stops no one.
 *
 * Usage: escape SUBCOMMAND [ARG...]   (escape alone lists them)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LENGTH(a) (sizeof(a) / sizeof((a)[0]))

/* snprintf() into a path buffer, or give up. */
static void __attribute__((format(printf, 3, 4)))
path_printf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size)
        errx(2, "path too long: %s", buf);
}

static int
blocked(const char *what, const char *why)
{
    printf("BLOCKED %s: %s\n", what, why);
    return 0;
}

static int __attribute__((format(printf, 2, 3)))
escaped(const char *what, const char *fmt, ...)
{
    va_list ap;

    printf("ESCAPED %s: ", what);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    return 1;
}

/* The verdict on a system call that returned RC, with errno. */
static int
verdict(const char *what, long rc)
{
    if (rc == -1 && (errno == EPERM || errno == ENOSYS))
        return blocked(what, strerror(errno));
    if (rc == -1)
        return escaped(what, "past the permission checks (%s)",
                strerror(errno));
    return escaped(what, "the call succeeded");
}

/* The double chroot of chroot-escape.c, then: is HOST_PATH in sight? */
static int
try_chroot(char **argv)
{
    struct stat st;
    int i;

    if (chroot("/bin") == -1)
        return blocked("chroot", strerror(errno));
    /* The working directory is now above the root: climb. */
    for (i = 0; i < 256; i++)
        if (chdir("..") == -1)
            err(2, "chdir ..");
    if (chroot(".") == -1)
        return blocked("chroot", strerror(errno));
    if (stat(argv[0], &st) == -1)
        return blocked("chroot", strerror(errno));
    return escaped("chroot", "%s is in sight", argv[0]);
}

/* A block device node for MAJ:MIN in DIR, at PATH. */
static int
make_disk_node(const char *majmin, const char *dir, char *path, size_t size)
{
    unsigned int major, minor;

    if (sscanf(majmin, "%u:%u", &major, &minor) != 2)
        errx(2, "not MAJOR:MINOR: %s", majmin);
    path_printf(path, size, "%s/.escape-disk",
            strcmp(dir, "/") == 0 ? "" : dir);
    return mknod(path, S_IFBLK | 0600, makedev(major, minor));
}

/* The host's disk, read through a node made inside, in DIR. */
static int
try_mknod(char **argv)
{
    char path[PATH_MAX], sector[512];
    ssize_t n;
    int fd;

    if (make_disk_node(argv[0], argv[1], path, sizeof(path)) == -1)
        return blocked("mknod", strerror(errno));
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        blocked("mknod", strerror(errno));
        unlink(path);
        return 0;
    }
    unlink(path);
    n = read(fd, sector, sizeof(sector));
    close(fd);
    if (n != (ssize_t)sizeof(sector))
        return escaped("mknod", "%s opened; its first read failed", path);
    return escaped("mknod", "read the host's disk %s through %s", argv[0],
            path);
}

/* The host's disk, mounted read-only on /root. */
static int
try_mount_disk(char **argv)
{
    char path[PATH_MAX];
    int made, saved;
    long rc;

    made = make_disk_node(argv[0], "/dev", path, sizeof(path)) == 0;
    rc = mount(path, "/root", argv[1], MS_RDONLY, NULL);
    saved = errno;
    if (rc == 0)
        umount2("/root", MNT_DETACH);
    if (made)
        unlink(path);
    errno = saved;
    return verdict("mount-disk", rc);
}

/* Opens PATH for writing and writes nothing: the open is the escape. */
static int
try_open_for_writing(const char *what, const char *path)
{
    int fd;

    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1)
        return blocked(what, strerror(errno));
    close(fd);
    return escaped(what, "%s is open for writing (nothing written)", path);
}

static int
try_sysrq(char **argv)
{
    (void)argv;
    return try_open_for_writing("sysrq", "/proc/sysrq-trigger");
}

static int
try_sysctl(char **argv)
{
    return try_open_for_writing("sysctl", argv[0]);
}

/* Empty images: past the permission checks, the loader says ENOEXEC. */
static int
try_module(char **argv)
{
    long rc;
    int fd;

    (void)argv;
    fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        err(2, "open /dev/null");
    rc = syscall(SYS_finit_module, fd, "", 0);
    close(fd);
    if (rc == -1 && (errno == EPERM || errno == ENOSYS))
        rc = syscall(SYS_init_module, "", 0UL, "");
    return verdict("module", rc);
}

/*
 * A child traces its parent. PTRACE_SEIZE makes the same permission checks
 * as PTRACE_ATTACH but stops no one; the tracee is let go when we exit.
 */
static int
try_ptrace(char **argv)
{
    pid_t parent = getpid(), child;
    int status;

    (void)argv;
    fflush(stdout);
    child = fork();
    if (child == -1)
        err(2, "fork");
    if (child == 0) {
        status = verdict("ptrace", ptrace(PTRACE_SEIZE, parent, 0, 0));
        fflush(stdout);
        _exit(status);
    }
    if (waitpid(child, &status, 0) == -1)
        err(2, "waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

static int
try_userns(char **argv)
{
    (void)argv;
    return verdict("userns", unshare(CLONE_NEWUSER));
}

static int
try_unshare_mount(char **argv)
{
    (void)argv;
    return verdict("unshare-mount", unshare(CLONE_NEWNS));
}

static int
try_keyctl(char **argv)
{
    (void)argv;
    return verdict("keyctl",
            syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING,
                    0));
}

static int
try_bpf(char **argv)
{
    union bpf_attr attr;
    long fd;

    (void)argv;
    memset(&attr, 0, sizeof(attr));
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
    if (fd >= 0)
        close((int)fd);
    return verdict("bpf", fd);
}

/* A child that exits at once; the verdict is on making it. */
static int
reap(const char *what, long pid)
{
    if (pid == 0)
        _exit(0);
    if (pid > 0)
        waitpid((pid_t)pid, NULL, 0);
    return verdict(what, pid > 0 ? 0 : -1);
}

/* The raw system call, as the C library's clone() wrapper makes it. */
static int
try_clone(const char *what, unsigned long flags)
{
    fflush(stdout);
    return reap(what,
            syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL));
}

static int
try_clone_newns(char **argv)
{
    (void)argv;
    return try_clone("clone-newns", CLONE_NEWNS);
}

static int
try_clone_newuser(char **argv)
{
    (void)argv;
    return try_clone("clone-newuser", CLONE_NEWUSER);
}

/* clone3(2) with CLONE_NEWUSER: flags a filter cannot see, in memory. */
static int
try_clone3(char **argv)
{
    struct clone_args args;

    (void)argv;
    memset(&args, 0, sizeof(args));
    args.flags = CLONE_NEWUSER;
    args.exit_signal = SIGCHLD;
    fflush(stdout);
    return reap("clone3", syscall(SYS_clone3, &args, sizeof(args)));
}

static void *
thread_main(void *arg)
{
    return arg;
}

/* Not an escape: glibc makes threads with clone3(2), or clone(2) on ENOSYS. */
static int
try_thread(char **argv)
{
    pthread_t thread;
    int rc;

    (void)argv;
    rc = pthread_create(&thread, NULL, thread_main, NULL);
    if (rc != 0)
        errx(2, "pthread_create: %s", strerror(rc));
    pthread_join(thread, NULL);
    printf("a thread ran\n");
    return 0;
}

/*
 * getpid() through the i386 entry, int $0x80, where system calls have
 * other numbers: a filter that checks only x86_64 numbers would miss it.
 */
static int
try_i386(char **argv)
{
    long rc = 20; /* __NR_getpid of i386 */

    (void)argv;
#if defined(__x86_64__)
    __asm__ volatile("int $0x80" : "+a"(rc) : : "memory");
#else
    errx(2, "i386: x86_64 only");
#endif
    if (rc < 0 && rc > -4096) {
        errno = (int)-rc;
        rc = -1;
    }
    return verdict("i386", rc);
}

/*
 * Types TEXT into the terminal of the process, as if at its keyboard
 * (TIOCSTI in ioctl_tty(2)): into /dev/tty, else into a terminal on 0.
 * Allowed only on the caller's controlling terminal, or with
 * CAP_SYS_ADMIN: a container in the caller's session types into the
 * caller's shell.
 */
static int
try_tiocsti(char **argv)
{
    const char *p;
    int fd, rc = 0;

    fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd == -1 && !isatty(STDIN_FILENO))
        return blocked("tiocsti", "no terminal at all");
    if (fd == -1)
        fd = STDIN_FILENO;
    for (p = argv[0]; *p != '\0' && rc == 0; p++)
        rc = ioctl(fd, TIOCSTI, p);
    return verdict("tiocsti", rc);
}

/*
 * Opens /proc/PID/mem for writing: what a process of the container could
 * do to a runtime process that joined it, were it dumpable (ptrace(2)
 * "Ptrace access mode checking").
 */
static int
try_proc_mem(char **argv)
{
    char path[64];
    int fd;

    snprintf(path, sizeof(path), "/proc/%s/mem", argv[0]);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd == -1 && (errno == EACCES || errno == EPERM))
        return blocked("proc-mem", strerror(errno));
    if (fd == -1)
        err(2, "open %s", path);
    close(fd);
    return escaped("proc-mem", "%s is open for writing", path);
}

/*
 * For up to SECONDS, opens /proc/N/mem for writing of every other process
 * that appears in the container: a runtime process joining it (runbox
 * exec) is one, from its fork until its execve(2).
 */
static int
try_proc_mem_race(char **argv)
{
    time_t end = time(NULL) + atoi(argv[0]);
    char path[300], exe[PATH_MAX];
    struct dirent *e;
    ssize_t n;
    DIR *d;
    int fd;

    while (time(NULL) < end) {
        d = opendir("/proc");
        if (d == NULL)
            err(2, "opendir /proc");
        while ((e = readdir(d)) != NULL) {
            if (atoi(e->d_name) <= 1 || atoi(e->d_name) == getpid())
                continue;
            snprintf(path, sizeof(path), "/proc/%s/mem", e->d_name);
            fd = open(path, O_RDWR | O_CLOEXEC);
            if (fd == -1)
                continue;
            snprintf(path, sizeof(path), "/proc/%s/exe", e->d_name);
            n = readlink(path, exe, sizeof(exe) - 1);
            exe[n > 0 ? n : 0] = '\0';
            /* CMD itself, once exec'd, is anyone's to open. */
            if (strstr(exe, "runbox") == NULL) {
                close(fd);
                continue;
            }
            closedir(d);
            return escaped("proc-mem-race", "opened /proc/%s/mem of %s",
                    e->d_name, exe);
        }
        closedir(d);
    }
    return blocked("proc-mem-race", "no runtime process was ever open");
}

/*
 * What su, gosu and su-exec do on the way: a change of credentials, here
 * setfsuid(2) there and back, after which the kernel clears the death
 * signal of prctl(2) PR_SET_PDEATHSIG. Prints it, then execs CMD...
 */
static int
try_drop_deathsig(char **argv)
{
    int sig = -1;

    setfsuid(1);
    setfsuid(0);
    if (prctl(PR_GET_PDEATHSIG, &sig) == -1)
        err(2, "prctl PR_GET_PDEATHSIG");
    printf("death signal: %d\n", sig);
    fflush(stdout);
    execvp(argv[0], argv);
    err(2, "exec %s", argv[0]);
}

/* Prints KEY: VALUE with every run of blanks made one space. */
static void
print_status_line(char *line)
{
    char *word, *save = NULL;
    const char *sep = "";

    for (word = strtok_r(line, " \t\n", &save); word != NULL;
            word = strtok_r(NULL, " \t\n", &save)) {
        printf("%s%s", sep, word);
        sep = " ";
    }
    putchar('\n');
}

/* What the process holds: ids, capabilities, no_new_privs, seccomp. */
static int
try_caps(char **argv)
{
    static const char *const keys[] = {
            "Uid:", "Gid:", "Groups:", "CapInh:", "CapPrm:", "CapEff:",
            "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:"};
    char line[512];
    size_t i;
    FILE *f;

    (void)argv;
    f = fopen("/proc/self/status", "re");
    if (f == NULL)
        err(2, "open /proc/self/status");
    while (fgets(line, sizeof(line), f) != NULL)
        for (i = 0; i < LENGTH(keys); i++)
            if (strncmp(line, keys[i], strlen(keys[i])) == 0)
                print_status_line(line);
    fclose(f);
    return 0;
}

/* Descriptors beyond 0, 1 and 2 that CMD was handed. */
static int
try_fds(char **argv)
{
    char path[64], target[4096];
    struct dirent *entry;
    int fd, leaked = 0;
    ssize_t n;
    DIR *dir;

    (void)argv;
    dir = opendir("/proc/self/fd");
    if (dir == NULL)
        err(2, "opendir /proc/self/fd");
    while ((entry = readdir(dir)) != NULL) {
        fd = atoi(entry->d_name);
        if (entry->d_name[0] == '.' || fd <= 2 || fd == dirfd(dir))
            continue;
        path_printf(path, sizeof(path), "/proc/self/fd/%d", fd);
        n = readlink(path, target, sizeof(target) - 1);
        target[n < 0 ? 0 : n] = '\0';
        printf("fd %d -> %s\n", fd, target);
        leaked++;
    }
    closedir(dir);
    if (leaked > 0)
        return escaped("fds", "%d descriptors besides 0, 1 and 2", leaked);
    return blocked("fds", "only 0, 1 and 2 are open");
}

/* CVE-2019-5736: is the runtime's binary, DEV:INO, reachable by a path? */
static dev_t runtime_dev;
static ino_t runtime_ino;
static int runtime_seen;

static int
is_runtime(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (strcmp(path, "/proc") == 0 || strcmp(path, "/sys") == 0)
        return FTW_SKIP_SUBTREE;
    if (type == FTW_NS) /* no stat: nothing to compare */
        return FTW_CONTINUE;
    if (st->st_dev == runtime_dev && st->st_ino == runtime_ino) {
        printf("runtime binary at %s\n", path);
        runtime_seen++;
    }
    return FTW_CONTINUE;
}

/* stat() follows /proc/PID/exe and /proc/PID/fd/N to their files. */
static void
check_proc_links(const char *link, const char *pid)
{
    char path[PATH_MAX];
    struct stat st;

    path_printf(path, sizeof(path), "/proc/%s/%s", pid, link);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        is_runtime(path, &st, FTW_F, NULL);
}

static int
try_exe(char **argv)
{
    struct dirent *proc, *fd;
    char dir[PATH_MAX], name[PATH_MAX];
    DIR *fds, *procs;

    runtime_dev = (dev_t)strtoull(argv[0], NULL, 10);
    runtime_ino = (ino_t)strtoull(argv[1], NULL, 10);
    if (nftw("/", is_runtime, 16, FTW_PHYS | FTW_ACTIONRETVAL) == -1)
        err(2, "walk /");
    procs = opendir("/proc");
    if (procs == NULL)
        err(2, "opendir /proc");
    while ((proc = readdir(procs)) != NULL) {
        if (proc->d_name[0] < '1' || proc->d_name[0] > '9')
            continue;
        check_proc_links("exe", proc->d_name);
        path_printf(dir, sizeof(dir), "/proc/%s/fd", proc->d_name);
        fds = opendir(dir);
        while (fds != NULL && (fd = readdir(fds)) != NULL) {
            path_printf(name, sizeof(name), "fd/%s", fd->d_name);
            check_proc_links(name, proc->d_name);
        }
        if (fds != NULL)
            closedir(fds);
    }
    closedir(procs);
    if (runtime_seen > 0)
        return escaped("exe", "paths to the runtime: %d", runtime_seen);
    return blocked("exe", "no path leads to the runtime's binary");
}

static const struct subcommand {
    const char *name;
    const char *args;
    int nargs;
    int (*run)(char **argv);
} subcommands[] = {
        {"chroot", "HOST_PATH", 1, try_chroot},
        {"mknod", "MAJOR:MINOR DIR", 2, try_mknod},
        {"mount-disk", "MAJOR:MINOR FSTYPE", 2, try_mount_disk},
        {"sysrq", "", 0, try_sysrq},
        {"sysctl", "/proc/sys/PATH", 1, try_sysctl},
        {"module", "", 0, try_module},
        {"ptrace", "", 0, try_ptrace},
        {"userns", "", 0, try_userns},
        {"unshare-mount", "", 0, try_unshare_mount},
        {"keyctl", "", 0, try_keyctl},
        {"bpf", "", 0, try_bpf},
        {"clone-newns", "", 0, try_clone_newns},
        {"clone-newuser", "", 0, try_clone_newuser},
        {"clone3", "", 0, try_clone3},
        {"thread", "", 0, try_thread},
        {"i386", "", 0, try_i386},
        {"caps", "", 0, try_caps},
        {"fds", "", 0, try_fds},
        {"exe", "RUNTIME_DEV RUNTIME_INO", 2, try_exe},
        {"tiocsti", "TEXT", 1, try_tiocsti},
        {"proc-mem", "PID", 1, try_proc_mem},
        {"proc-mem-race", "SECONDS", 1, try_proc_mem_race},
        {"drop-deathsig", "CMD ARG", 2, try_drop_deathsig},
};

int
main(int argc, char *argv[])
{
    size_t i;

    for (i = 0; argc >= 2 && i < LENGTH(subcommands); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0 &&
                argc - 2 == subcommands[i].nargs)
            return subcommands[i].run(&argv[2]);
    fprintf(stderr, "usage:\n");
    for (i = 0; i < LENGTH(subcommands); i++)
        fprintf(stderr, "  escape %s%s%s\n", subcommands[i].name,
                subcommands[i].nargs > 0 ? " " : "", subcommands[i].args);
    return 2;
}
