/* Capabilities and no_new_privs: what root inside the container keeps. */
#ifndef RUNBOX_CAPS_H
#define RUNBOX_CAPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

/* process.capabilities of config.json: bit N for capability N. */
enum {
    CAPS_BOUNDING,
    CAPS_EFFECTIVE,
    CAPS_INHERITABLE,
    CAPS_PERMITTED,
    CAPS_AMBIENT,
    CAPS_NSETS,
};

/*
 * In the child, last thing before seccomp and exec: switches to the
 * configured uid/gid with supplementary groups cleared, keeps only
 * Docker's default capabilities in every set (bounding, permitted,
 * effective, inheritable, ambient) and sets PR_SET_NO_NEW_PRIVS. 0 or -1.
 */
int caps_drop(const struct config *cfg);

/* CAP_CHOWN -> 0: the number of a capability(7) name, or -1. */
int caps_by_name(const char *name);

/* ... and back: the name of CAP, from 0 to CAP_LAST_CAP. */
const char *caps_name(int cap);

/* 1 if CAP is in this process's bounding set: it can still be had. */
int caps_bounded(int cap);

/*
 * The OCI way, in the child instead of caps_drop(): every set as in SETS,
 * the configured uid/gid with GROUPS as its supplementary groups. 0 or -1.
 */
int caps_apply(const uint64_t sets[CAPS_NSETS], const struct config *cfg,
        const gid_t *groups, size_t ngroups);

#endif
