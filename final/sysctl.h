/*
 * linux.sysctl of an OCI config.json: kernel parameters (sysctl(8)) of the
 * container's own namespaces, written under its /proc/sys.
 */
#ifndef RUNBOX_SYSCTL_H
#define RUNBOX_SYSCTL_H

#include <json-c/json.h>
#include <stddef.h>

#include "config.h"

struct sysctl_entry {
    char *key; /* net.ipv4.ip_forward */
    char *value;
};

struct sysctl {
    struct sysctl_entry *entries;
    size_t n;
};

/*
 * LINUX's sysctl object into cfg->sysctl. Only parameters of a namespace
 * that LINUX lists are taken: one of the host's would change the host.
 * A bad one gets one line naming it, and -1.
 */
int sysctl_parse(struct config *cfg, const json_object *linux_);

/* In the child, after pivot_root(2), before /proc/sys is made read-only. */
int sysctl_apply(const struct config *cfg);

void sysctl_free(struct config *cfg);

#endif
