/*
 * runbox pause and resume: the container's processes stopped and let go
 * all at once by the freezer of its cgroup, v1 or v2.
 */
#ifndef RUNBOX_FREEZER_H
#define RUNBOX_FREEZER_H

/*
 * Freezes (FROZEN) or thaws the processes of the cgroup NAME, and waits
 * until the kernel reports it done. 0, or -1 after one line.
 */
int freezer_set(const char *name, int frozen);

/* 1 if the cgroup NAME is frozen; 0 if not, or if it has no freezer. */
int freezer_frozen(const char *name);

#endif
