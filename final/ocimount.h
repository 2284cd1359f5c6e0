/*
 * The filesystem part of an OCI config.json: mounts, linux.devices,
 * linux.maskedPaths and readonlyPaths, linux.rootfsPropagation and
 * linux.mountLabel, read into a struct oci_fs (runtime-spec config.md,
 * config-linux.md). ocirootfs.h builds it in the container.
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

struct oci_fs {
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
};

/*
 * Reads the fields above from DOC into a new cfg->oci_fs; a relative bind
 * source is taken from DIR, the bundle. 0, or -1 with one line printed.
 */
int ocimount_parse(struct config *cfg, const json_object *doc, const char *dir);

void ocimount_free(struct oci_fs *fs);

/* The Ith mount option runbox knows (runbox features), or NULL. */
const char *ocimount_option_name(size_t i);

#endif
