/*
 * runbox ps ID: every process of the container, its init and what that
 * started, is in the container's cgroup; cgroup.procs lists their PIDs
 * as the reader's PID namespace numbers them (cgroups(7)).
 */
#define _GNU_SOURCE
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "ps.h"

int
ps_print(const char *name, const char *format)
{
    char path[RUNBOX_PATH_MAX], line[32];
    int json, first = 1;
    struct cgroup cg;
    FILE *f;

    json = format != NULL && strcmp(format, "json") == 0;
    if (format != NULL && !json && strcmp(format, "table") != 0) {
        warnx("ps: --format %s: expected table or json", format);
        return -1;
    }
    /* pids: the one v1 hierarchy every container is in. */
    if (cgroup_detect(&cg, name) == -1 ||
            cgroup_file(&cg, "pids", "cgroup.procs", path, sizeof(path)) == -1)
        return -1;
    f = fopen(path, "re");
    if (f == NULL) {
        warn("open %s", path);
        return -1;
    }
    if (json)
        putchar('[');
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (json)
            printf("%s%s", first ? "" : ",", line);
        else
            printf("%s\n", line);
        first = 0;
    }
    if (json)
        puts("]");
    fclose(f);
    return 0;
}
