/* A cgroup per container, on cgroup v2 or v1, found at run time. */
#ifndef RUNBOX_CGROUP_H
#define RUNBOX_CGROUP_H

#include <limits.h>
#include <sys/types.h>

#include "config.h"

/* Hierarchies a cgroup may span on v1: memory, pids, cpu, cpuset, blkio,
 * devices, freezer, hugetlb, net_cls, net_prio. */
#define CGROUP_DIRS_MAX 10

struct cgroup {
    int v2;
    int made; /* bit i: hierarchy i holds it; only those are removed */
    int none; /* rootless and no limit asked for: no cgroup at all */
    char name[RUNBOX_NAME_MAX]; /* runbox-PID, in each hierarchy */
    char base[PATH_MAX]; /* where it goes: "" (the root), or the */
    /* subtree delegated to a rootless caller */
    int tasks[CGROUP_DIRS_MAX]; /* v1: cgroup_prepare()'s fds, else -1 */
};

/*
 * One value for a file of the cgroup, named for v1 and for v2: what the
 * parsers make of a config (resources.c), and the cgroup applies.
 */
struct cgroup_setting {
    char field[96]; /* its name where it was read, for messages */
    const char *controller; /* its v1 hierarchy, e.g. "memory" */
    char v1[64]; /* the file on v1, "" if v1 has none */
    char v1_value[256];
    char v2[64]; /* the file on v2, "" if v2 has none */
    char v2_value[256];
    int v2_needs_none; /* v2 has no file: it behaves so, or (devices) */
    /* the rule goes into an eBPF program */
    int optional; /* skipped where the kernel lacks the file (no swap */
    /* accounting) */
};

/*
 * What the container's cgroup gets: runbox run's --memory, --pids and
 * --cpus (options.c), or config.json's linux.resources (resources.c).
 */
struct resources {
    struct cgroup_setting *set; /* in the order they are written */
    size_t n;
    int devices; /* has device rules: on v2, an eBPF program (devices.c) */
    int every_hierarchy; /* v1: a cgroup in each one, as runc makes; else */
    /* in pids and in those of the settings */
    const char *origin; /* where the settings were read, for messages */
};

/*
 * A new setting at the end of RES, for CONTROLLER, its field named by
 * FMT; its files and values are the caller's to fill. NULL after one
 * line.
 */
struct cgroup_setting *cgroup_add_setting(struct resources *res,
        const char *controller, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

void cgroup_free_settings(struct resources *res);

/* Detects v1 or v2 for the cgroup NAME. 0 or -1; nothing is made. */
int cgroup_detect(struct cgroup *cg, const char *name);

/*
 * Rootless: no cgroup if no setting was asked for; else the subtree that
 * the caller was given, on v2 only. One line and -1 if there is none.
 */
int cgroup_delegated(struct cgroup *cg, const struct config *cfg);

/*
 * Before clone(2), on v1: makes the cgroup, writes the limits of CFG and
 * opens it for the child to join. Does nothing on v2. 0 or -1.
 */
int cgroup_prepare(struct cgroup *cg, const struct config *cfg);

/* In the child: moves itself into the prepared cgroup, if any. 0 or -1. */
int cgroup_join(const struct cgroup *cg);

/*
 * Makes the cgroup, writes the limits of CFG, moves PID in; after
 * cgroup_prepare(), only closes its fds. 0 or -1.
 */
int cgroup_create(struct cgroup *cg, const struct config *cfg, pid_t pid);

/*
 * Removes what cgroup_create() made, waiting out EBUSY; safe after one
 * that failed half-way. 0 or -1.
 */
int cgroup_remove(struct cgroup *cg);

/*
 * Makes the missing parents of a nested NAME (OCI cgroupsPath); MADE[i]:
 * in the i-th hierarchy, the depth of the first one it made, or 0. 0 or
 * -1.
 */
int cgroup_make_parents(const struct cgroup *cg, int made[CGROUP_DIRS_MAX]);

/* Removes the parents MADE says were made, unless still in use. */
void cgroup_remove_parents(const struct cgroup *cg,
        const int made[CGROUP_DIRS_MAX]);

/* For runbox cleanup: takes a stale cgroup NAME as made by this runtime. */
int cgroup_adopt(struct cgroup *cg, const char *name);

/* The path of FILE in CG, in CONTROLLER's hierarchy on v1. 0 or -1. */
int cgroup_file(const struct cgroup *cg, const char *controller,
        const char *file, char *buf, size_t size);

/* runbox exec: moves the caller into the adopted cgroup CG. 0 or -1. */
int cgroup_enter(const struct cgroup *cg);

/*
 * --systemd-cgroup: NAME, a cgroupsPath "slice:prefix:name", becomes in
 * place the path systemd gives that unit ("a-b.slice:p:c" is
 * a.slice/a-b.slice/p-c.scope). 0, or -1 with one line. SIZE: of NAME.
 */
int cgroup_systemd_path(char *name, size_t size);

/*
 * Before any mkdir(2): each setting of RES has a file on this cgroup
 * version, and on v1 its hierarchy is mounted. One line and -1 if not.
 */
int cgroup_check_settings(const struct cgroup *cg, const struct resources *res);

/* Writes each setting of RES into the cgroup CG. 0 or -1. */
int cgroup_apply_settings(const struct cgroup *cg, const struct resources *res);

#endif
