/* Small helpers shared by the files of runbox. */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int
write_file(const char *path, const char *value)
{
    size_t len = strlen(value);
    ssize_t n;
    int fd;

    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1) {
        warn("open %s", path);
        return -1;
    }
    n = write(fd, value, len);
    if (n == -1 || (size_t)n != len) {
        warn("write %s to %s", value, path);
        close(fd);
        return -1;
    }
    close(fd);
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
