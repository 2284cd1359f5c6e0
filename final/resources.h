/*
 * linux.resources of an OCI config.json: each value is one write to a
 * cgroup file, named for v1 and for v2 as runc and crun map them.
 */
#ifndef RUNBOX_RESOURCES_H
#define RUNBOX_RESOURCES_H

#include <json-c/json.h>
#include <stddef.h>

#include "cgroup.h"
#include "config.h"

struct cgroup_setting {
    char field[96]; /* its name in config.json, for messages */
    const char *controller; /* its v1 hierarchy, e.g. "memory" */
    char v1[64]; /* the file on v1, "" if v1 has none */
    char v1_value[256];
    char v2[64]; /* the file on v2, "" if v2 has none */
    char v2_value[256];
    int v2_needs_none; /* v2 has no file: it behaves so, or (devices) */
    /* the rule goes into an eBPF program */
};

struct resources {
    struct cgroup_setting *set; /* in the order they are written */
    size_t n;
    int devices; /* has device rules: on v2, an eBPF program (devices.c) */
};

/*
 * linux.resources of the config.json DOC into CFG->resources, empty if
 * absent. One line naming the field, and -1, if a value is bad. Nothing
 * is written.
 */
int resources_parse(struct config *cfg, const json_object *doc);

/*
 * runbox update: a linux.resources object RESOURCES, read as create reads
 * it, without the devices rules. NULL after one line.
 */
struct resources *resources_parse_update(const json_object *resources);

void resources_free(struct resources *res);

/*
 * Before any mkdir(2): each setting has a file on this cgroup version,
 * and on v1 its hierarchy is mounted. One line and -1 if not.
 */
int resources_check(const struct resources *res, const struct cgroup *cg);

/* Writes each setting into the container's cgroup CG. 0 or -1. */
int resources_apply(const struct resources *res, const struct cgroup *cg);

#endif
