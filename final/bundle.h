/*
 * An OCI bundle: a directory with config.json and a root filesystem. Its
 * config.json becomes the same struct config that runbox run fills from
 * its command line (runtime-spec, config.md).
 */
#ifndef RUNBOX_BUNDLE_H
#define RUNBOX_BUNDLE_H

#include <json-c/json.h>
#include <stddef.h>

#include "config.h"

/*
 * Reads DIR/config.json into CFG (zeroed first). Unknown fields are
 * ignored; a bad one gets one line naming it, and -1. Nothing is made on
 * the host. On -1 too, bundle_free() releases what was filled. With DOC,
 * *DOC is the document read, for the parts the caller keeps (the hooks),
 * so that all come from one reading; the caller puts it (NULL on -1).
 */
int bundle_load(struct config *cfg, const char *dir, json_object **doc);

/* The same from the LEN bytes of JSON at TEXT, the bundle being DIR. */
int bundle_parse(struct config *cfg, const char *text, size_t len,
        const char *dir);

void bundle_free(struct config *cfg);

#endif
