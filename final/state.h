/*
 * The state of one OCI container, kept on disk so that it outlives the
 * runbox that made it: ROOT/oci/ID/ holds state.json, the exec fifo, and
 * a lock file that each runbox holds while it reads or changes them.
 */
#ifndef RUNBOX_STATE_H
#define RUNBOX_STATE_H

#include <limits.h>
#include <sys/types.h>

#include "cgroup.h"
#include "config.h"

#define STATE_ID_MAX 64 /* podman's ids: 64 hex digits */

struct state {
    char id[STATE_ID_MAX + 1];
    char dir[PATH_MAX]; /* ROOT/oci/ID */
    int lock; /* -1, or the lock file's fd, holding its fcntl(2) lock */
    pid_t pid; /* 0 until the container is started */
    unsigned long long start_time; /* of PID, in /proc/PID/stat: no reuse */
    char bundle[PATH_MAX];
    char cgroup[RUNBOX_NAME_MAX];
    /* Per hierarchy, the depth of the first parent runbox made, or 0. */
    int cgroup_parents[CGROUP_DIRS_MAX];
    long long created; /* seconds since the epoch */
};

/* One line if ID is not letters, digits, '_', '-', '.' (64 at most). */
int state_check_id(const char *id);

/*
 * ROOT made with its parents (0700), and checked: a directory of ours
 * that others may not write, not a symbolic link. 0, or -1 after one line.
 */
int state_make_root(const char *root);

/* ROOT/oci/ID made and locked; one line if it exists. 0 or -1. */
int state_new(struct state *st, const char *root, const char *id);

/* ROOT/oci/ID locked and read; one line if there is none. 0 or -1. */
int state_open(struct state *st, const char *root, const char *id);

/* Writes state.json anew (rename(2): never half a file). 0 or -1. */
int state_save(const struct state *st);

/* ST->dir/NAME, e.g. the exec fifo. 0 or -1. */
int state_path(const struct state *st, const char *name, char *buf,
        size_t size);

/* The start time of PID, to record at create: 0 if it is gone. */
unsigned long long state_start_time(pid_t pid);

/* "created", "running", "paused" or "stopped", from the kernel's view. */
const char *state_status(const struct state *st);

/* The runtime-spec's state JSON, to free(); NULL after one line. */
char *state_json(const struct state *st);

/* Prints the runtime-spec's state JSON on stdout. 0 or -1. */
int state_print(const struct state *st);

/* Removes ROOT/oci/ID and the lock with it. 0 or -1. */
int state_remove(struct state *st, const char *root);

/* Unlocks. */
void state_close(struct state *st);

#endif
