/*
 * runbox ps ID: every process of the container, its init and what that
 * started, is in the container's cgroup; cgroup.procs lists their PIDs
 * as the reader's PID namespace numbers them (cgroups(7)). runbox kill
 * --all signals the same list.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "freezer.h"
#include "ps.h"

/* cgroup.procs of NAME, open to read; NULL after one line, or GONE. */
static FILE *
open_procs(const char *name, int *gone)
{
    char path[PATH_MAX];
    struct cgroup cg;
    FILE *f;

    *gone = 0;
    /* pids: the one v1 hierarchy every container is in. */
    if (cgroup_detect(&cg, name) == -1 ||
            cgroup_file(&cg, "pids", "cgroup.procs", path, sizeof(path)) == -1)
        return NULL;
    f = fopen(path, "re");
    if (f == NULL && errno == ENOENT)
        *gone = 1;
    else if (f == NULL)
        warn("open %s", path);
    return f;
}

int
ps_print(const char *name, const char *format)
{
    char line[32];
    int json, gone, first = 1;
    FILE *f;

    json = format != NULL && strcmp(format, "json") == 0;
    if (format != NULL && !json && strcmp(format, "table") != 0) {
        warnx("ps: --format %s: expected table or json", format);
        return -1;
    }
    f = open_procs(name, &gone);
    if (f == NULL) {
        if (gone)
            warnx("ps: the cgroup %s is gone", name);
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

int
ps_signal(const char *name, int sig)
{
    char line[32];
    int gone, ret = 0;
    long pid;
    FILE *f;

    f = open_procs(name, &gone);
    if (f == NULL)
        return gone ? 0 : -1; /* no cgroup: no process */
    while (fgets(line, sizeof(line), f) != NULL) {
        pid = strtol(line, NULL, 10);
        if (pid > 0 && kill((pid_t)pid, sig) == -1 && errno != ESRCH) {
            warn("kill %ld", pid);
            ret = -1;
        }
    }
    fclose(f);
    /* A frozen task takes its SIGKILL only once thawed (v1), as runc. */
    if (ret == 0 && sig == SIGKILL && freezer_frozen(name))
        ret = freezer_set(name, 0);
    return ret;
}
