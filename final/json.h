/* The members of a JSON object, checked as they are read (json.c). */
#ifndef RUNBOX_JSON_H
#define RUNBOX_JSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Member KEY of OBJ, called NAME in messages: 1 and *OUT if it has TYPE,
 * 0 if absent or null, -1 with one line if it has another type. The
 * others read a string, a whole number in [MIN, MAX], one in [0,
 * UINT64_MAX], an array of MIN strings at least, and such an array copied
 * into a NULL-terminated one.
 */
int json_member(const json_object *obj, const char *key, json_type type,
        const char *name, json_object **out);
int json_member_string(const json_object *obj, const char *key,
        const char *name, const char **out);
int json_member_number(const json_object *obj, const char *key,
        const char *name, long long min, long long max, long long *out);
int json_member_uint64(const json_object *obj, const char *key,
        const char *name, uint64_t *out);
int json_member_strings(const json_object *obj, const char *key,
        const char *name, size_t min, json_object **out);
int json_string_array(const json_object *obj, const char *key, const char *name,
        size_t min, char ***out);

#endif
