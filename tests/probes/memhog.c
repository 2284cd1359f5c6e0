/*
 * Allocates and touches MIB mebibytes, one at a time, printing each to
 * stdout, so a memory limit shows as the last number before the kill.
 *
 * Usage: memhog MIB
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char *argv[])
{
    int mib = argc > 1 ? atoi(argv[1]) : 200;
    int i;
    char *p;

    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 1; i <= mib; i++) {
        p = malloc(1 << 20);
        if (p == NULL) {
            printf("malloc failed at %d MiB\n", i);
            return 1;
        }
        memset(p, 1, 1 << 20);
        printf("%d\n", i);
    }
    return 0;
}
