/*
 * runbox cleanup. A runbox killed with SIGKILL cannot clean up: its
 * container dies with it (PR_SET_PDEATHSIG), and the kernel takes the
 * namespaces and their mounts, but two things live on: the cgroup
 * directories and the state directory under /run/runbox. Both carry the
 * PID of their runbox, runbox-PID, so what is stale is easy to tell.
 * With --net bridge, so does the host end of its veth pair, which lives
 * on if anything else holds the container's network namespace; and its
 * bridge and NAT table stay even when nothing does (bridge_cleanup()).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "cgroup.h"
#include "cleanup.h"
#include "mount.h"
#include "util.h"

/* runbox-PID[.suffix] of a runbox that is no longer running. */
static int
is_stale(const char *name)
{
    char path[64], comm[32] = "";
    FILE *f;
    int pid;

    if (sscanf(name, "runbox-%d", &pid) != 1 || pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/comm", pid);
    f = fopen(path, "re");
    if (f == NULL)
        return 1;
    if (fgets(comm, sizeof(comm), f) == NULL)
        comm[0] = '\0';
    fclose(f);
    return strcmp(comm, "runbox\n") != 0;
}

/* Calls REMOVE on each stale runbox-PID entry of DIR. */
static int
each_stale(const char *dir, int (*remove)(const char *dir, const char *name))
{
    struct dirent *e;
    DIR *d;
    int ret = 0;

    d = opendir(dir);
    if (d == NULL)
        return errno == ENOENT ? 0 : (warn("opendir %s", dir), -1);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "runbox-", 7) == 0 && is_stale(e->d_name) &&
                remove(dir, e->d_name) == -1)
            ret = -1;
    closedir(d);
    return ret;
}

static int
remove_cgroup(const char *dir, const char *name)
{
    struct cgroup cg;

    (void)dir;
    if (cgroup_adopt(&cg, name) == -1 || cgroup_remove(&cg) == -1)
        return -1;
    printf("removed cgroup %s\n", name);
    return 0;
}

static int
remove_state(const char *dir, const char *name)
{
    struct rootfs_state st = {0};

    if (path_printf(st.dir, sizeof(st.dir), "%s/%s", dir, name) == -1 ||
            mount_cleanup(&st) == -1)
        return -1;
    /* mount_cleanup() empties st.dir. */
    printf("removed %s/%s\n", dir, name);
    return 0;
}

int
cleanup_leftovers(const struct config *cfg)
{
    /* v2 keeps the cgroup in /sys/fs/cgroup, v1 in every controller. */
    static const char *const cgroup_dirs[] = {"/sys/fs/cgroup",
            "/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids",
            "/sys/fs/cgroup/cpu"};
    size_t i;
    int ret = 0;

    /* A rootless runbox made its cgroups, if any, under a delegated one. */
    for (i = 0;
            !cfg->rootless && i < sizeof(cgroup_dirs) / sizeof(cgroup_dirs[0]);
            i++)
        if (each_stale(cgroup_dirs[i], remove_cgroup) == -1)
            ret = -1;
    if (each_stale(cfg->state_root, remove_state) == -1)
        ret = -1;
    /* In the caller's network namespace; rootless, there is no bridge. */
    if (!cfg->rootless && bridge_cleanup(is_stale) == -1)
        ret = -1;
    return ret;
}
