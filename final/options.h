/* The command line of runbox run, checked whole before anything is made. */
#ifndef RUNBOX_OPTIONS_H
#define RUNBOX_OPTIONS_H

#include "config.h"

/*
 * Parses "run [OPTIONS] [--] CMD [ARG...]" (argv[0] is "run") into CFG.
 * On a bad option or value: one line naming it, -1.
 */
int options_parse(struct config *cfg, int argc, char *argv[]);

/*
 * After userns_configure(): what runbox run's options leave to defaults,
 * in the form a config.json gives them, so that the core reads one
 * description: the process (process.h), the namespaces (namespaces.h),
 * the seccomp filter (seccomp.h), and a container that dies with runbox.
 * 0, or -1 with one line.
 */
int options_complete(struct config *cfg);

/* Frees what options_parse() and options_complete() allocated. */
void options_free(struct config *cfg);

#endif
