/* runbox cleanup: what a runbox killed with SIGKILL left behind. */
#ifndef RUNBOX_CLEANUP_H
#define RUNBOX_CLEANUP_H

#include "config.h"

/*
 * Removes the cgroups and state directories of runbox processes that no
 * longer exist; those of running ones are left alone. Rootless, only the
 * caller's state directories (CFG from userns_configure()). 0 or -1.
 */
int cleanup_leftovers(const struct config *cfg);

#endif
