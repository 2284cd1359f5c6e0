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

/* Docker's fourteen default capabilities, bit N for capability N. */
uint64_t caps_default(void);

/* CAP_CHOWN -> 0: the number of a capability(7) name, or -1. */
int caps_by_name(const char *name);

/* ... and back: the name of CAP, from 0 to CAP_LAST_CAP. */
const char *caps_name(int cap);

/* 1 if CAP is in this process's bounding set: it can still be had. */
int caps_bounded(int cap);

/*
 * In the child, last before seccomp and exec: every set as in SETS, the
 * configured uid/gid with GROUPS as its supplementary groups. 0 or -1.
 */
int caps_apply(const uint64_t sets[CAPS_NSETS], const struct config *cfg,
        const gid_t *groups, size_t ngroups);

#endif
