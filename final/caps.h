/* Capabilities and no_new_privs: what root inside the container keeps. */
#ifndef RUNBOX_CAPS_H
#define RUNBOX_CAPS_H

#include "config.h"

/*
 * In the child, last thing before seccomp and exec: switches to the
 * configured uid/gid with supplementary groups cleared, keeps only
 * Docker's default capabilities in every set (bounding, permitted,
 * effective, inheritable, ambient) and sets PR_SET_NO_NEW_PRIVS. 0 or -1.
 */
int caps_drop(const struct config *cfg);

#endif
