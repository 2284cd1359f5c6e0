/* linux.resources.devices on cgroup v2: an eBPF program (devices.c). */
#ifndef RUNBOX_DEVICES_H
#define RUNBOX_DEVICES_H

#include "cgroup.h"

/*
 * Attaches to the v2 cgroup directory DIR a program that applies the
 * device rules of RES, as devices.allow and devices.deny would on v1.
 * 0, or -1 after one line.
 */
int devices_attach(const struct resources *res, const char *dir);

#endif
