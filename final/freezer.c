/*
 * The freezer stops every process of a cgroup where it stands, as if by
 * SIGSTOP but unseen by them, and thaws them again. v1: freezer.state,
 * "FROZEN" or "THAWED", which reads "FREEZING" until each task is
 * stopped. v2: "1" or "0" in cgroup.freeze, and cgroup.events says
 * "frozen 1" once done.
 *
 * See: the kernel's Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst
 * and cgroup-v2.rst ("Core Interface Files"), cgroups(7).
 */
#define _GNU_SOURCE
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cgroup.h"
#include "freezer.h"
#include "util.h"

#define FREEZE_TRIES 1000 /* of 1 ms: a task in a syscall stops on return */

/* The file that reports the freezer's state for the cgroup NAME. */
static int
state_file(const char *name, char *path, size_t size, int *v2)
{
    struct cgroup cg;

    if (cgroup_detect(&cg, name) == -1)
        return -1;
    *v2 = cg.v2;
    return cgroup_file(&cg, "freezer",
            cg.v2 ? "cgroup.events" : "freezer.state", path, size);
}

/* 1 if PATH (freezer.state or cgroup.events) says frozen, -1 if unread. */
static int
read_frozen(const char *path, int v2)
{
    char line[64];
    int frozen = 0;
    FILE *f;

    f = fopen(path, "re");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strcmp(line, v2 ? "frozen 1\n" : "FROZEN\n") == 0)
            frozen = 1;
    fclose(f);
    return frozen;
}

int
freezer_frozen(const char *name)
{
    char path[PATH_MAX];
    int v2;

    if (*name == '\0' || state_file(name, path, sizeof(path), &v2) == -1)
        return 0;
    return read_frozen(path, v2) == 1;
}

/* Writes the wish to freeze or thaw: v1 freezer.state, v2 cgroup.freeze. */
static int
request(const char *name, int v2, int frozen)
{
    struct cgroup cg;
    char path[PATH_MAX];

    if (cgroup_detect(&cg, name) == -1 ||
            cgroup_file(&cg, "freezer", v2 ? "cgroup.freeze" : "freezer.state",
                    path, sizeof(path)) == -1)
        return -1;
    return write_file(path,
            v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED"));
}

int
freezer_set(const char *name, int frozen)
{
    const struct timespec pause = {0, 1000 * 1000};
    char path[PATH_MAX];
    int i, v2, now;

    if (state_file(name, path, sizeof(path), &v2) == -1 ||
            request(name, v2, frozen) == -1)
        return -1;
    for (i = 0; i < FREEZE_TRIES; i++) {
        now = read_frozen(path, v2);
        if (now == -1) {
            warn("read %s", path);
            return -1;
        }
        if (now == frozen)
            return 0;
        nanosleep(&pause, NULL);
    }
    warnx("cgroup %s: still %s after %d ms", name,
            frozen ? "freezing" : "thawing", FREEZE_TRIES);
    request(name, v2, 0);
    return -1;
}
