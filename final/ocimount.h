/*
 * The filesystem part of a container's description, in the shape of an
 * OCI config.json: mounts, linux.devices, linux.maskedPaths and
 * readonlyPaths, linux.rootfsPropagation and linux.mountLabel, in a
 * struct fs_spec (runtime-spec config.md, config-linux.md): read from a
 * bundle, or runbox run's defaults. ocirootfs.h builds it in the
 * container.
 */
#ifndef RUNBOX_OCIMOUNT_H
#define RUNBOX_OCIMOUNT_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"

struct oci_mount {
    char *source; /* absolute on the host for a bind mount */
    char *destination; /* absolute inside the container */
    char *type; /* NULL for a bind mount */
    unsigned long flags; /* mount(2) flags, MS_BIND and MS_REC included */
    unsigned long propagation; /* MS_SHARED... (| MS_REC), or 0 */
    char *data; /* the options that are not flags, joined by ',' */
};

struct oci_device {
    char *path;
    mode_t mode; /* S_IFCHR, S_IFBLK or S_IFIFO, and the permissions */
    dev_t rdev;
    uid_t uid;
    gid_t gid;
};

struct fs_spec {
    struct oci_mount *mounts;
    size_t nmounts;
    struct oci_device *devices;
    size_t ndevices;
    char **masked; /* NULL-terminated */
    size_t nmasked;
    char **readonly; /* NULL-terminated */
    size_t nreadonly;
    unsigned long root_propagation; /* for "/", or 0: runbox's rprivate */
    int has_dev; /* a mount on /dev: else runbox mounts a tmpfs there */
    int has_cgroup; /* a mount of type cgroup: made once in the cgroup */
    int host_nodes; /* the default devices are the host's own nodes, */
    /* bound (/dev is then nodev); else made with mknod(2) */
};

/*
 * Reads the fields above from DOC into a new cfg->fs; a relative bind
 * source is taken from DIR, the bundle. 0, or -1 with one line printed.
 */
int ocimount_parse(struct config *cfg, const json_object *doc, const char *dir);

/*
 * runbox run's, in the same shape: Docker's /proc, /dev, /sys and their
 * masked and read-only paths, the default devices bound from the host
 * onto a nodev /dev. Into a new cfg->fs: 0, or -1 with one line.
 */
int ocimount_defaults(struct config *cfg);

void ocimount_free(struct fs_spec *fs);

/* The Ith mount option runbox knows (runbox features), or NULL. */
const char *ocimount_option_name(size_t i);

#endif
