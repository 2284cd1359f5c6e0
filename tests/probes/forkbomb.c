/*
 * A polite fork bomb: forks children that only wait, until fork(2) fails
 * or LIMIT children exist, prints how many it made and why it stopped,
 * then exits (in a PID namespace its children die with it).
 *
 * Usage: forkbomb LIMIT
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
    int limit = argc > 1 ? atoi(argv[1]) : 100;
    int made = 0;
    pid_t pid;

    while (made < limit) {
        pid = fork();
        if (pid == -1) {
            printf("forked %d, then: %s\n", made, strerror(errno));
            return 0;
        }
        if (pid == 0) {
            pause();
            _exit(0);
        }
        made++;
    }
    printf("forked %d\n", made);
    return 0;
}
