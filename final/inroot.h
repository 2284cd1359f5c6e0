/* Paths inside the container's new root, before pivot_root(2). */
#ifndef RUNBOX_INROOT_H
#define RUNBOX_INROOT_H

/* One mount(2) call, onto TARGET inside the new root. */
struct mount_spec {
    const char *source;
    const char *target; /* inside the container */
    const char *fstype;
    unsigned long flags;
    const char *data;
};

/*
 * In the child: PATH inside ROOT (an fd of the new root) as an O_PATH fd,
 * resolved as the container will see it; inroot_make() makes it on
 * the way if missing (its last part an empty file if FILE). -1 (warned
 * by inroot_make() only: a caller of the other names the path).
 */
int inroot_open(int root, const char *path, int flags);
int inroot_make(int root, const char *target, int file);

/*
 * Refuses TARGET, a mount's destination, if it leads into a procfs by any
 * path (a symlink of the rootfs): runbox writes to /proc after the
 * mounts, and CVE-2019-16884 redirected such writes. 0, or -1 with one
 * line.
 */
int inroot_check_target(int root, const char *target);

/* M, its target made by inroot_make() (FILE as there). 0 or -1. */
int inroot_mount(int root, const struct mount_spec *m, int file);

/* /dev/fd, stdin, stdout, stderr, core and ptmx, made in DEV. 0 or -1. */
int inroot_dev_links(int dev);

#endif
