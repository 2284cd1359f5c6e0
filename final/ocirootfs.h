/*
 * The filesystem a description lists (ocimount.h), built by the child
 * inside the new root, for mount_setup().
 */
#ifndef RUNBOX_OCIROOTFS_H
#define RUNBOX_OCIROOTFS_H

#include "ocimount.h"

/*
 * Before pivot_root(2), ROOT an O_PATH fd of the new root: the mounts in
 * order, then the default devices and linux.devices. 0 or -1.
 */
int ocirootfs_mount(const struct fs_spec *fs, int root);

/* After pivot_root(2): linux.rootfsPropagation on "/". 0 or -1. */
int ocirootfs_propagate(const struct fs_spec *fs);

#endif
