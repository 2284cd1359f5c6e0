/* A user namespace: root inside, an ordinary user outside. */
#ifndef RUNBOX_USERNS_H
#define RUNBOX_USERNS_H

#include <sys/types.h>

#include "config.h"

/* --userns as root: ids 0-65535 inside are these outside. */
#define USERNS_BASE 100000
#define USERNS_COUNT 65536

/*
 * After the options, before anything is made: without root, a rootless
 * container (the caller's ids mapped to 0, a state directory of the
 * caller's own); with --userns, root's mapping. One line and -1 if it
 * cannot work here: a -u that is not mapped, user namespaces switched off.
 */
int userns_configure(struct config *cfg);

/* The parent, once the child exists: writes its uid and gid maps. */
int userns_map(const struct config *cfg, pid_t pid);

/* The child, once mapped: becomes root of its user namespace. */
int userns_enter(const struct config *cfg);

#endif
