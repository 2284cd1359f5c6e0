/* --init: a small init as PID 1 that reaps zombies, as docker run --init. */
#ifndef RUNBOX_INIT_H
#define RUNBOX_INIT_H

#include "config.h"

/*
 * In the container, once set up, just before exec: forks CMD's process.
 * Returns 0 in that child, which goes on to exec CMD, or -1; the init
 * never returns: it exits with CMD's status once CMD is gone.
 */
int init_start(const struct config *cfg);

#endif
