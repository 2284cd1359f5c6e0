/* runbox runs from a sealed copy of itself: CVE-2019-5736 (sealed.c). */
#ifndef RUNBOX_SEALED_H
#define RUNBOX_SEALED_H

/*
 * Whether ARGV, an OCI command line, is one whose processes enter a
 * container: create, exec, run --bundle.
 */
int sealed_needed(int argc, char *argv[]);

/*
 * Executes a sealed copy of runbox with ARGV and the same environment,
 * unless runbox already runs from one: then returns 0. -1 after one line.
 */
int sealed_reexec(char *argv[]);

#endif
