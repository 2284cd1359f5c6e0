/* runbox features and runbox --version: what this build of runbox is. */
#ifndef RUNBOX_FEATURES_H
#define RUNBOX_FEATURES_H

#define RUNBOX_VERSION "0.1.0"
#define RUNBOX_SPEC_VERSION "1.0.2" /* the runtime-spec runbox follows */

/* The runtime-spec's features document, on stdout. 0 or -1. */
int features_print(void);

/* runbox --version, in runc's shape (Docker's docker info reads it). */
void features_print_version(void);

#endif
