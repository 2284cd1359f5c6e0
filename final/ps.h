/* runbox ps: the processes of a container, as its cgroup lists them. */
#ifndef RUNBOX_PS_H
#define RUNBOX_PS_H

/*
 * Prints the PIDs in the cgroup NAME, one a line, or with FORMAT "json"
 * as one JSON array (runc's ps --format json). 0, or -1 after one line.
 */
int ps_print(const char *name, const char *format);

/*
 * kill --all: SIG to every process in the cgroup NAME (one that is gone
 * meanwhile is no error). 0, or -1 after one line.
 */
int ps_signal(const char *name, int sig);

#endif
