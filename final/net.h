/* The container's network. */
#ifndef RUNBOX_NET_H
#define RUNBOX_NET_H

#include "config.h"

/* In the child, in its new network namespace: lo up. 0 or -1. */
int net_setup_child(const struct config *cfg);

#endif
