/* The command line of runbox run, checked whole before anything is made. */
#ifndef RUNBOX_OPTIONS_H
#define RUNBOX_OPTIONS_H

#include "config.h"

/*
 * Parses "run [OPTIONS] [--] CMD [ARG...]" (argv[0] is "run") into CFG.
 * On a bad option or value: one line naming it, -1.
 */
int options_parse(struct config *cfg, int argc, char *argv[]);

/* Frees what options_parse() allocated. */
void options_free(struct config *cfg);

#endif
