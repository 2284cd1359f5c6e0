/*
 * OCI hooks: programs named in config.json that the runtime runs at
 * points of the lifecycle, each with the container's state on its stdin
 * (runtime-spec, config.md "POSIX-platform Hooks").
 */
#ifndef RUNBOX_HOOKS_H
#define RUNBOX_HOOKS_H

#include <stddef.h>

/*
 * At create: keeps config.json's hooks and annotations in DIR/hooks.json,
 * so that later commands use them as they were then. 0, or -1 with one
 * line naming a bad field.
 */
int hooks_save(const char *bundle, const char *dir);

/*
 * Runs the hooks of PHASE ("prestart", "createRuntime", "poststart",
 * "poststop") kept in DIR, in order, with STATE (JSON) on stdin. 0, or
 * -1 with one line per failing hook: prestart and createRuntime stop at
 * the first, poststart and poststop run every one (runtime-spec).
 */
int hooks_run(const char *dir, const char *phase, const char *state);

/* The Ith hook phase runbox knows (runbox features), or NULL. */
const char *hooks_phase_name(size_t i);

#endif
