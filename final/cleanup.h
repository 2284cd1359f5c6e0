/* runbox cleanup: what a runbox killed with SIGKILL left behind. */
#ifndef RUNBOX_CLEANUP_H
#define RUNBOX_CLEANUP_H

#include "config.h"

/*
 * Removes the cgroups, state directories and bridge ports of runbox
 * processes that no longer exist, then the bridges left with no port;
 * those of running ones are left alone. Rootless, only the caller's state
 * directories (CFG from userns_configure()). 0 or -1.
 */
int cleanup_leftovers(const struct config *cfg);

#endif
