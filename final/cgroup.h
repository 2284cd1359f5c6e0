/* A cgroup per container, on cgroup v2 or v1, found at run time. */
#ifndef RUNBOX_CGROUP_H
#define RUNBOX_CGROUP_H

#include <sys/types.h>

#include "config.h"

struct cgroup {
    int v2;
    char name[RUNBOX_NAME_MAX]; /* runbox-PID, in each hierarchy */
};

/* Detects v1 or v2 for the cgroup NAME. 0 or -1; nothing is made. */
int cgroup_detect(struct cgroup *cg, const char *name);

/* Makes the cgroup, writes the limits of CFG, moves PID in. 0 or -1. */
int cgroup_create(struct cgroup *cg, const struct config *cfg, pid_t pid);

/*
 * Removes the cgroup from every hierarchy where it exists, waiting out
 * EBUSY. Safe after a cgroup_create() that failed half-way. 0 or -1.
 */
int cgroup_remove(struct cgroup *cg);

#endif
