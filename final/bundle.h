/*
 * An OCI bundle: a directory with config.json and a root filesystem. Its
 * config.json becomes the same struct config that runbox run fills from
 * its command line (runtime-spec, config.md).
 */
#ifndef RUNBOX_BUNDLE_H
#define RUNBOX_BUNDLE_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/*
 * Reads DIR/config.json into CFG (zeroed first). Unknown fields are
 * ignored; a bad one gets one line naming it, and -1. Nothing is made on
 * the host. On -1 too, bundle_free() releases what was filled.
 */
int bundle_load(struct config *cfg, const char *dir);

/* The same from the LEN bytes of JSON at TEXT, the bundle being DIR. */
int bundle_parse(struct config *cfg, const char *text, size_t len,
        const char *dir);

void bundle_free(struct config *cfg);

/*
 * Member KEY of OBJ, called NAME in messages: 1 and *OUT if it has TYPE,
 * 0 if absent or null, -1 with one line if it has another type. The
 * others read a string, a whole number in [MIN, MAX], one in [0,
 * UINT64_MAX], an array of MIN strings at least, and such an array copied
 * into a NULL-terminated one.
 */
int bundle_member(const json_object *obj, const char *key, json_type type,
        const char *name, json_object **out);
int bundle_member_string(const json_object *obj, const char *key,
        const char *name, const char **out);
int bundle_member_number(const json_object *obj, const char *key,
        const char *name, long long min, long long max, long long *out);
int bundle_member_uint64(const json_object *obj, const char *key,
        const char *name, uint64_t *out);
int bundle_member_strings(const json_object *obj, const char *key,
        const char *name, size_t min, json_object **out);
int bundle_string_array(const json_object *obj, const char *key,
        const char *name, size_t min, char ***out);

#endif
