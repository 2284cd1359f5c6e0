/* Small helpers shared by the files of runbox. */
#define _GNU_SOURCE
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util.h"

/* VALUE whole to FD, which is closed; -1 with errno, and no line. */
static int
write_whole(int fd, const char *value)
{
    size_t len = strlen(value);
    ssize_t n;
    int error;

    n = write(fd, value, len);
    error = n == -1 ? errno : EIO; /* EIO: a short write */
    close(fd);
    if (n == -1 || (size_t)n != len) {
        errno = error;
        return -1;
    }
    return 0;
}

int
write_file(const char *path, const char *value)
{
    int fd;

    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1) {
        warn("open %s", path);
        return -1;
    }
    if (write_whole(fd, value) == -1) {
        warn("write %s to %s", value, path);
        return -1;
    }
    return 0;
}

int
format_whole(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, size, fmt, ap);

    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
path_printf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = format_whole(buf, size, fmt, ap);
    va_end(ap);
    if (ret == -1)
        warnx("path too long: %.64s...", buf);
    return ret;
}

int
on_procfs(int fd)
{
    struct statfs sf;

    return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/*
 * Never through a path that a mount or a symlink of the container could
 * redirect (CVE-2019-16884): /proc itself must be a procfs, NAME is
 * resolved beneath it without magic links, and the file reached must be
 * on procfs too. See openat2(2), statfs(2).
 */
int
proc_open(const char *name, int flags)
{
    struct open_how how = {.flags = (unsigned)flags | O_CLOEXEC,
            .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    int dir, fd;

    dir = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir == -1) {
        warn("open /proc");
        return -1;
    }
    if (!on_procfs(dir)) {
        warnx("/proc is not a procfs: refusing to write /proc/%s", name);
        close(dir);
        return -1;
    }
    fd = (int)syscall(SYS_openat2, dir, name, &how, sizeof(how));
    close(dir);
    if (fd == -1) {
        warn("open /proc/%s", name);
        return -1;
    }
    if (!on_procfs(fd)) {
        warnx("/proc/%s is not on procfs: refusing to write it", name);
        close(fd);
        return -1;
    }
    return fd;
}

int
proc_write(const char *name, const char *value)
{
    int fd;

    fd = proc_open(name, O_WRONLY);
    if (fd == -1)
        return -1;
    if (write_whole(fd, value) == -1) {
        warn("write %s to /proc/%s", value, name);
        return -1;
    }
    return 0;
}

/* The files of /proc that lxcfs emulates, which runc lets a mount cover. */
static const char *const proc_emulated[] = {"/proc/cpuinfo", "/proc/diskstats",
        "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
        "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev",
        "/proc/sys/kernel/ns_last_pid"};

/* PATH with "//", "/./" and "/../" resolved as words, into CLEAN. */
static int
clean_path(const char *path, char *clean, size_t size)
{
    size_t len = 0, n;
    const char *p = path;

    while (*p != '\0') {
        p += strspn(p, "/");
        n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.')) {
            p += n;
            continue;
        }
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (len > 0 && clean[--len] != '/')
                ;
        } else if (len + 1 + n < size) {
            clean[len++] = '/';
            memcpy(clean + len, p, n);
            len += n;
        } else {
            return -1;
        }
        p += n;
    }
    clean[len] = '\0';
    return 0;
}

int
proc_mount_allowed(const char *destination, int is_proc)
{
    char clean[PATH_MAX];
    size_t i;

    if (clean_path(destination, clean, sizeof(clean)) == -1)
        return 0;
    if (strcmp(clean, "/proc") == 0)
        return is_proc;
    if (strncmp(clean, "/proc/", 6) != 0)
        return 1;
    for (i = 0; i < sizeof(proc_emulated) / sizeof(proc_emulated[0]); i++)
        if (strcmp(clean, proc_emulated[i]) == 0)
            return 1;
    return 0;
}

int
parse_size(const char *s, long long *out)
{
    int shift = 0;
    char *end;

    errno = 0;
    *out = strtoll(s, &end, 10);
    if (end != s && *end != '\0') {
        switch (tolower((unsigned char)*end++)) {
        case 'k':
            shift = 10;
            break;
        case 'm':
            shift = 20;
            break;
        case 'g':
            shift = 30;
            break;
        default:
            return -1;
        }
    }
    if (errno != 0 || end == s || *end != '\0' ||
            (shift > 0 && (*out < 0 || *out > (LLONG_MAX >> shift))))
        return -1;
    if (shift > 0)
        *out <<= shift;
    return 0;
}

char *
xstrdup(const char *s)
{
    char *copy = strdup(s);

    if (copy == NULL)
        warn("strdup");
    return copy;
}
