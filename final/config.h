/*
 * The one description of a container: main() fills it from the command
 * line, everything else reads it through a const pointer.
 */
#ifndef RUNBOX_CONFIG_H
#define RUNBOX_CONFIG_H

/* Every file of final/ needs Linux; the Makefile checks this file first. */
#ifndef __linux__
#error "namespaces and cgroups are Linux kernel features: build this on Linux (docs/non-linux.md)"
#endif

#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses, as chroot(1) and docker run. */
#define EXIT_RUNTIME 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

#define RUNBOX_NAME_MAX 128 /* runbox-oci- and a 64-character OCI id */

enum net_mode {
    NET_NONE, /* a new network namespace with only lo, up */
    NET_BRIDGE, /* ... and eth0, a veth port of a bridge on the host */
};

/* --net bridge: which bridge, its subnet, and NAT out of it (net.c). */
struct bridge_config {
    char name[16]; /* IF_NAMESIZE */
    struct in_addr subnet; /* the network address */
    int prefix;
    int nat;
};

struct fs_spec;
struct seccomp_prog;

struct volume {
    const char *source; /* absolute path on the host */
    const char *target; /* absolute path inside the container */
    int read_only;
};

struct config {
    char **argv; /* CMD and its arguments, NULL-terminated */
    const char *rootfs; /* absolute, resolved by main() */
    const char *hostname;
    char name[RUNBOX_NAME_MAX]; /* runbox-PID: cgroup, temp dir */
    enum net_mode net;
    struct bridge_config bridge;
    struct volume *volumes;
    size_t nvolumes;
    char **env; /* KEY=VALUE, NULL-terminated: the container's environ */
    const char *workdir; /* absolute, inside the container */
    uid_t uid;
    gid_t gid;
    int read_only;
    int tty;
    int init; /* --init: PID 1 is runbox's init, CMD its child */
    int userns; /* a user namespace of its own: rootless, or --userns */
    int rootless; /* started without root: only the caller's ids map */
    int dies_with_runbox; /* runbox run: PR_SET_PDEATHSIG, and the guard */
    uid_t root_uid; /* who root inside is on the host: 0 without userns */
    gid_t root_gid;
    unsigned int id_count; /* ids mapped from 0 on: 1 rootless, else 65536 */
    char state_root[PATH_MAX]; /* holds the state directories */
    /*
     * In the shape config.json gives them: from a bundle (bundle.c), or
     * runbox run's options and defaults (options.c). Never NULL but where
     * said.
     */
    struct fs_spec *fs; /* mounts, devices, masked paths: ocimount.h */
    struct process *process; /* user, capabilities, rlimits: process.h */
    struct namespaces *ns; /* made new, joined, and maps: namespaces.h */
    struct resources *resources; /* the cgroup's settings, or NULL: cgroup.h */
    const struct seccomp_prog *seccomp; /* loaded last, or NULL: seccomp.h */
    /* What only a bundle describes: 0 or NULL from runbox run. */
    const char *exec_fifo; /* the container waits on it until runbox start */
    int bind_root; /* the rootfs itself, writable, not an overlay over it */
    struct sysctl *sysctl; /* linux.sysctl: sysctl.c */
    const char *console_socket; /* the pty's master goes there (tty.c) */
    struct hooks *hooks; /* those its process runs (hooks.c), or NULL */
};

#define CPU_PERIOD_US 100000

#endif
