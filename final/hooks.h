/*
 * OCI hooks: programs named in config.json that the runtime runs at
 * points of the lifecycle, each with the container's state on its stdin
 * (runtime-spec, config.md "POSIX-platform Hooks").
 */
#ifndef RUNBOX_HOOKS_H
#define RUNBOX_HOOKS_H

#include <json-c/json.h>
#include <stddef.h>

/*
 * At create: keeps the hooks and annotations of DOC, config.json as
 * bundle_load() read it, in DIR/hooks.json, so that later commands use
 * them as they were then; with neither, no file. 0, or -1 with one line
 * naming a bad field.
 */
int hooks_save(json_object *doc, const char *dir);

/*
 * Runs the hooks of PHASE ("prestart", "createRuntime", "poststart",
 * "poststop") kept in DIR, in order, with STATE (JSON) on stdin. 0, or
 * -1 with one line per failing hook: prestart and createRuntime stop at
 * the first, poststart and poststop run every one (runtime-spec).
 */
int hooks_run(const char *dir, const char *phase, const char *state);

/* How many hooks of PHASE DIR keeps: 0 if none, or if none can be read. */
int hooks_count(const char *dir, const char *phase);

/* The hooks the container's process runs itself, and their state. */
struct hooks;

/*
 * runbox create, before the container's process is made: the
 * createContainer and startContainer hooks kept in DIR, with the state of
 * container ID of BUNDLE for them, into *OUT (NULL if there are none).
 * 0, or -1 with one line.
 */
int hooks_load(const char *dir, const char *id, const char *bundle,
        struct hooks **out);

/*
 * In the container's process, in its namespaces, once its mounts are
 * made and before pivot_root(2): the createContainer hooks, their paths
 * resolved on the host, as the runtime-spec asks. It also notes the
 * process's PID as the host sees it, for hooks_start_container(). 0, or
 * -1 with one line naming the hook that failed.
 */
int hooks_create_container(struct hooks *h);

/* Whether H has createContainer hooks, for which runbox create pauses. */
int hooks_pause_for_create(const struct hooks *h);

/*
 * In the container's process, last before execve(2) of its program, with
 * the container's privileges: the startContainer hooks, their paths
 * resolved in the container. 0, or -1 with one line.
 */
int hooks_start_container(const struct hooks *h);

void hooks_free(struct hooks *h);

/* The Ith hook phase runbox knows (runbox features), or NULL. */
const char *hooks_phase_name(size_t i);

#endif
