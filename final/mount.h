/*
 * The container's filesystem: an overlay over the rootfs (or the rootfs
 * read-only), volumes, pivot_root(2), /proc, /sys, /dev, masked paths.
 */
#ifndef RUNBOX_MOUNT_H
#define RUNBOX_MOUNT_H

#include "config.h"

/* Where each container's state directory lives: runbox-PID.XXXXXX */
#define RUNBOX_STATE_DIR "/run/runbox"

/* One mount(2) call, onto TARGET inside the new root. */
struct mount_spec {
    const char *source;
    const char *target; /* inside the container */
    const char *fstype;
    unsigned long flags;
    const char *data;
};

/* Host side, before clone(): the state directory the overlay writes to. */
struct rootfs_state {
    char dir[4096]; /* a fresh private temp dir: upper/, work/, merged/ */
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

/*
 * In the child: PATH inside ROOT (an fd of the new root) as an O_PATH fd,
 * resolved as the container will see it; mount_open_target() makes it on
 * the way if missing (its last part an empty file if FILE). -1 (warned
 * by mount_open_target() only: a caller of the other names the path).
 */
int mount_open_in_root(int root, const char *path, int flags);

/*
 * Refuses TARGET, a mount's destination, if it leads into a procfs by any
 * path (a symlink of the rootfs): runbox writes to /proc after the
 * mounts, and CVE-2019-16884 redirected such writes. 0, or -1 with one
 * line.
 */
int mount_check_target(int root, const char *target);
int mount_open_target(int root, const char *target, int file);

/* M, its target made by mount_open_target() (FILE as there). 0 or -1. */
int mount_in_root(int root, const struct mount_spec *m, int file);

/* /dev/fd, stdin, stdout, stderr, core and ptmx, made in DEV. 0 or -1. */
int mount_dev_links(int dev);

#endif
