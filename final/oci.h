/*
 * runbox as an OCI runtime: the commands of runc and crun (create, start,
 * state, kill, delete, run, list), on a bundle's config.json, for podman,
 * conmon, containerd or a person.
 */
#ifndef RUNBOX_OCI_H
#define RUNBOX_OCI_H

#include <sys/types.h>

/*
 * 1 if ARGV is an OCI command line: global options first (--root...), an
 * OCI command, or run with --bundle. runbox run -r ROOTFS CMD is not.
 */
int oci_wanted(int argc, char *argv[]);

/* Runs it; returns 0, 1 on an error (one line said why), or run's status. */
int oci_main(int argc, char *argv[]);

#endif
