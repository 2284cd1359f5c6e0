/*
 * The members of a JSON object, each checked for its type as it is read,
 * a wrong one named in one line: what every parser of config.json reads
 * it with (bundle.c, and the files of each part it names).
 *
 * See: json-c's json_object.h.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

/*
 * Member KEY of OBJ, called NAME in messages: 1 and *OUT if it has TYPE,
 * 0 if absent or null, -1 with one line if it has another type.
 */
int
json_member(const json_object *obj, const char *key, json_type type,
        const char *name, json_object **out)
{
    if (!json_object_object_get_ex(obj, key, out) || *out == NULL)
        return 0;
    if (json_object_is_type(*out, type))
        return 1;
    warnx("config.json: %s: expected %s, got %s", name, json_type_to_name(type),
            json_type_to_name(json_object_get_type(*out)));
    return -1;
}

int
json_member_string(const json_object *obj, const char *key, const char *name,
        const char **out)
{
    json_object *v;
    int found = json_member(obj, key, json_type_string, name, &v);

    if (found == 1)
        *out = json_object_get_string(v);
    return found;
}

/* A whole number in [MIN, MAX]. */
int
json_member_number(const json_object *obj, const char *key, const char *name,
        long long min, long long max, long long *out)
{
    json_object *v;
    int found = json_member(obj, key, json_type_int, name, &v);

    if (found != 1)
        return found;
    errno = 0;
    *out = json_object_get_int64(v);
    /* Above INT64_MAX, json-c keeps a uint64: get_int64 says INT64_MAX. */
    if (errno != 0 || *out < min || *out > max ||
            json_object_get_uint64(v) > INT64_MAX) {
        warnx("config.json: %s: not a number from %lld to %lld", name, min,
                max);
        return -1;
    }
    return 1;
}

/* A whole number of 64 bits: bundle_parse() refused any wider (bundle.c). */
int
json_member_uint64(const json_object *obj, const char *key, const char *name,
        uint64_t *out)
{
    json_object *v;
    int found = json_member(obj, key, json_type_int, name, &v);

    if (found != 1)
        return found;
    if (json_object_get_int64(v) < 0) {
        warnx("config.json: %s: not a number from 0 to %" PRIu64, name,
                UINT64_MAX);
        return -1;
    }
    *out = json_object_get_uint64(v);
    return 1;
}

/* An array of strings, MIN at least: as json_member(), each entry checked. */
int
json_member_strings(const json_object *obj, const char *key, const char *name,
        size_t min, json_object **out)
{
    size_t i, n;
    int found = json_member(obj, key, json_type_array, name, out);

    n = found == 1 ? json_object_array_length(*out) : 0;
    if (found != -1 && n < min) {
        warnx("config.json: %s: expected at least %zu strings", name, min);
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (!json_object_is_type(json_object_array_get_idx(*out, i),
                    json_type_string)) {
            warnx("config.json: %s[%zu]: expected a string", name, i);
            return -1;
        }
    }
    return found;
}

/* ... copied into a NULL-terminated array. */
int
json_string_array(const json_object *obj, const char *key, const char *name,
        size_t min, char ***out)
{
    json_object *arr;
    size_t i, n;
    int found = json_member_strings(obj, key, name, min, &arr);

    if (found == -1)
        return -1;
    n = found == 1 ? json_object_array_length(arr) : 0;
    *out = calloc(n + 1, sizeof(**out));
    if (*out == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < n; i++) {
        (*out)[i] = xstrdup(
                json_object_get_string(json_object_array_get_idx(arr, i)));
        if ((*out)[i] == NULL)
            return -1;
    }
    return 0;
}
