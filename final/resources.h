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

#endif
