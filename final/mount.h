/*
 * The container's filesystem: an overlay over the rootfs (or the rootfs
 * read-only), volumes, pivot_root(2), /proc, /sys, /dev, masked paths.
 */
#ifndef RUNBOX_MOUNT_H
#define RUNBOX_MOUNT_H

#include <limits.h>

#include "config.h"

/* Where each container's state directory lives: runbox-PID.XXXXXX */
#define RUNBOX_STATE_DIR "/run/runbox"

/* Host side, before clone(): the state directory the overlay writes to. */
struct rootfs_state {
    char dir[PATH_MAX]; /* a fresh private temp dir: upper/, work/, merged/ */
};

/* Host side: makes the state dir. 0 or -1 (with one warning printed). */
int mount_prepare(const struct config *cfg, struct rootfs_state *st);

/* Host side, after the container is gone: removes the state dir. */
int mount_cleanup(struct rootfs_state *st);

/*
 * In the child, inside its new mount namespace, before the privileges
 * are dropped: builds the whole tree and pivots into it. BEFORE_PIVOT, if
 * not NULL, is called with ARG once every mount is made, while the host's
 * paths are still in sight (OCI's createContainer hooks). 0 or -1.
 */
int mount_setup(const struct config *cfg, const struct rootfs_state *st,
        int (*before_pivot)(void *), void *arg);

#endif
