/* A cgroup per container, on cgroup v2 or v1, found at run time. */
#ifndef RUNBOX_CGROUP_H
#define RUNBOX_CGROUP_H

#include <sys/types.h>

#include "config.h"

/* Hierarchies a cgroup may span: memory, pids and cpu on v1. */
#define CGROUP_DIRS_MAX 3

struct cgroup {
    int v2;
    int made; /* bit i: hierarchy i holds it; only those are removed */
    int none; /* rootless and no limit asked for: no cgroup at all */
    char name[RUNBOX_NAME_MAX]; /* runbox-PID, in each hierarchy */
    char base[RUNBOX_PATH_MAX]; /* where it goes: "" (the root), or the */
    /* subtree delegated to a rootless caller */
    int tasks[CGROUP_DIRS_MAX]; /* v1: cgroup_prepare()'s fds, else -1 */
};

/* Detects v1 or v2 for the cgroup NAME. 0 or -1; nothing is made. */
int cgroup_detect(struct cgroup *cg, const char *name);

/*
 * Rootless: no cgroup if no limit was asked for; else the subtree that
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

/* Makes the missing parents of a nested NAME (OCI cgroupsPath). 0 or -1. */
int cgroup_make_parents(const struct cgroup *cg);

/* For runbox cleanup: takes a stale cgroup NAME as made by this runtime. */
int cgroup_adopt(struct cgroup *cg, const char *name);

/* runbox exec: moves the caller into the adopted cgroup CG. 0 or -1. */
int cgroup_enter(const struct cgroup *cg);

#endif
