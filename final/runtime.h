/* clone(2), the sync pipe, the wait: the life of one container. */
#ifndef RUNBOX_RUNTIME_H
#define RUNBOX_RUNTIME_H

#include "config.h"

/* Runs the container; returns the exit status of SPEC.md. */
int runtime_run(const struct config *cfg);

#endif
