/*
 * Files written at a path from the command line. A container, or anyone
 * who may write where that path is, could plant a symbolic link there
 * (to /etc/passwd, say): open(2) with O_CREAT would follow it and write
 * into the host's file. So the file is made under a name of its own in
 * the same directory, with O_EXCL and O_NOFOLLOW (mkostemp(3)), and
 * rename(2) puts it in place: rename replaces a link, never follows it.
 *
 * See: open(2) O_EXCL and O_NOFOLLOW, rename(2), mkostemp(3); runc's
 * createPidFile.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "newfile.h"
#include "util.h"

int
newfile_open(const char *path, char *tmp, size_t size)
{
    const char *slash = strrchr(path, '/');
    int fd, ret;

    /* DIR/.NAME.XXXXXX: hidden, so that no one takes it for the file. */
    if (slash == NULL)
        ret = path_printf(tmp, size, ".%s.XXXXXX", path);
    else
        ret = path_printf(tmp, size, "%.*s/.%s.XXXXXX", (int)(slash - path),
                path, slash + 1);
    if (ret == -1)
        return -1;
    fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW);
    if (fd == -1) {
        warn("create %s", tmp);
        return -1;
    }
    /* mkostemp(3) makes it 0600; a pid file or a log is read by others. */
    if (fchmod(fd, 0644) == -1) {
        warn("chmod %s", tmp);
        close(fd);
        unlink(tmp);
        return -1;
    }
    return fd;
}

int
newfile_commit(const char *tmp, const char *path)
{
    if (rename(tmp, path) == 0)
        return 0;
    warn("rename %s to %s", tmp, path);
    unlink(tmp);
    return -1;
}

int
newfile_write(const char *path, const char *text)
{
    char tmp[PATH_MAX];
    size_t len = strlen(text);
    ssize_t n;
    int fd;

    fd = newfile_open(path, tmp, sizeof(tmp));
    if (fd == -1)
        return -1;
    n = write(fd, text, len);
    if (n == -1)
        warn("write %s", tmp);
    else if (n != (ssize_t)len)
        warnx("write %s: short write", tmp);
    if (n != (ssize_t)len) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) == -1) {
        warn("close %s", tmp);
        unlink(tmp);
        return -1;
    }
    return newfile_commit(tmp, path);
}

int
newfile_pid(const char *path, pid_t pid)
{
    char value[16];

    snprintf(value, sizeof(value), "%d", (int)pid);
    return newfile_write(path, value);
}
