/*
 * --log FILE and --log-format text|json, as conmon passes them to runc:
 * every line runbox prints on stderr goes to FILE as well, in json one
 * object a line, {"level":"error","msg":"...","time":"RFC 3339"}, from
 * which conmon takes the last error to show the user.
 *
 * warn(3) and err(3) write to the stdio stream stderr, which is replaced
 * with a stream of our own (fopencookie(3)) that writes each byte to fd
 * 2, as before, and each whole line to FILE. The fd 2 that the container
 * inherits does not change.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "newfile.h"

/* Writes LEN bytes of BUF to FD; a log that fails is not worth dying. */
static void
write_out(int fd, const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(fd, buf, len);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* RFC 3339 in UTC, with nanoseconds, as runc's logrus writes it. */
static void
now_rfc3339(char *buf, size_t size)
{
    struct timespec ts;
    struct tm tm;
    char secs[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    strftime(secs, sizeof(secs), "%Y-%m-%dT%H:%M:%S",
            gmtime_r(&ts.tv_sec, &tm));
    snprintf(buf, size, "%s.%09ldZ", secs, ts.tv_nsec);
}

static void
log_line(const struct log *lg)
{
    char when[64], text[LOG_LINE_MAX + 128];
    json_object *o;
    const char *s;
    size_t len;

    now_rfc3339(when, sizeof(when));
    if (!lg->json) {
        len = (size_t)snprintf(text, sizeof(text), "%s error %.*s\n", when,
                (int)lg->len, lg->line);
        write_out(lg->fd, text, len < sizeof(text) ? len : sizeof(text) - 1);
        return;
    }
    o = json_object_new_object();
    if (o == NULL)
        return;
    json_object_object_add(o, "level", json_object_new_string("error"));
    json_object_object_add(o, "msg",
            json_object_new_string_len(lg->line, (int)lg->len));
    json_object_object_add(o, "time", json_object_new_string(when));
    s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
    if (s != NULL) {
        write_out(lg->fd, s, len);
        write_out(lg->fd, "\n", 1);
    }
    json_object_put(o);
}

/* fopencookie(3)'s write: to fd 2 at once, to the log by whole lines. */
static ssize_t
log_write(void *cookie, const char *buf, size_t size)
{
    struct log *lg = cookie;
    size_t i;

    write_out(STDERR_FILENO, buf, size);
    for (i = 0; i < size; i++) {
        if (buf[i] == '\n') {
            log_line(lg);
            lg->len = 0;
        } else if (lg->len < LOG_LINE_MAX) {
            lg->line[lg->len++] = buf[i];
        }
    }
    return (ssize_t)size;
}

/*
 * FILE, to append to: the lines of earlier commands stay, as runc keeps
 * them. Only a regular file with no other name is appended to, and it is
 * opened through the O_PATH fd that was checked, so that a link planted
 * at FILE (symbolic or hard) or a device is never written: in its place
 * goes a new file (newfile.c). The fd, or -1 after one line.
 */
static int
open_log(const char *file)
{
    char tmp[PATH_MAX], self[64];
    struct stat sb;
    int path_fd, fd;

    fd = open(file,
            O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
            0644);
    if (fd != -1 || errno != EEXIST) {
        if (fd == -1)
            warn("--log %s", file);
        return fd;
    }
    path_fd = open(file, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (path_fd != -1 && fstat(path_fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
            sb.st_nlink == 1) {
        snprintf(self, sizeof(self), "/proc/self/fd/%d", path_fd);
        fd = open(self, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd == -1)
            warn("--log %s", file);
        close(path_fd);
        return fd;
    }
    if (path_fd != -1)
        close(path_fd);
    fd = newfile_open(file, tmp, sizeof(tmp));
    if (fd != -1 && newfile_commit(tmp, file) == -1) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int
log_open(struct log *lg, const char *file, const char *format)
{
    cookie_io_functions_t io = {.write = log_write};
    FILE *f;

    lg->fd = -1;
    lg->len = 0;
    lg->saved = NULL;
    if (file == NULL)
        return 0;
    if (format != NULL && strcmp(format, "json") != 0 &&
            strcmp(format, "text") != 0) {
        warnx("--log-format %s: expected text or json", format);
        return -1;
    }
    lg->json = format != NULL && strcmp(format, "json") == 0;
    lg->fd = open_log(file);
    if (lg->fd == -1)
        return -1;
    f = fopencookie(lg, "w", io);
    if (f == NULL) {
        warn("fopencookie");
        close(lg->fd);
        lg->fd = -1;
        return -1;
    }
    /* Unbuffered: nothing is lost when a child _exit(2)s. */
    setvbuf(f, NULL, _IONBF, 0);
    lg->saved = stderr;
    stderr = f;
    return 0;
}

void
log_close(struct log *lg)
{
    if (lg->saved == NULL)
        return;
    fclose(stderr);
    stderr = lg->saved;
    lg->saved = NULL;
    close(lg->fd);
    lg->fd = -1;
}
