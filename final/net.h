/* The container's network: --net none (lo only) or --net bridge. */
#ifndef RUNBOX_NET_H
#define RUNBOX_NET_H

#include <pthread.h>
#include <sys/types.h>

#include "config.h"

/* What the host side holds while the container runs. */
struct net_state {
    int netns; /* the container's network namespace, held open; -1 */
    int attached; /* its port is on the bridge */
};

/* --net MODE: "none" or "bridge". 0, or -1 with one line. */
int net_parse_mode(struct config *cfg, const char *arg);

/*
 * After every option: the bridge's defaults, and --bridge, --subnet,
 * --nat refused without --net bridge. 0, or -1 with one line.
 */
int net_check_options(struct config *cfg);

/* Host side, before anything is made: see bridge_check(). 0 or -1. */
int net_check(const struct config *cfg);

/*
 * Host side, once the child PID exists, before it is released: its port
 * on the bridge, eth0 addressed with a default route, and the /etc files
 * in the state directory DIR. 0 or -1; net_detach() undoes even a half.
 */
int net_attach(const struct config *cfg, struct net_state *ns, pid_t pid,
        const char *dir);

/* Host side, after the child is gone: its port deleted, now. 0 or -1. */
int net_detach(const struct config *cfg, struct net_state *ns);

/* In the child, in its new network namespace: lo up. 0 or -1. */
int net_setup_child(const struct config *cfg);

/*
 * runbox create: the container's new network namespace, made ahead by a
 * thread while the main thread makes the rest (net.c).
 */
struct net_ahead {
    pthread_t thread;
    int started; /* the thread runs, or ran and is not joined yet */
    int fd; /* once joined: the namespace, with lo up; -1 */
};

/*
 * Starts the thread if CFG wants a new network namespace that runbox may
 * make ahead: not in a user namespace, not with --net bridge. 0, or -1
 * with one line.
 */
int net_ahead_start(struct net_ahead *na, const struct config *cfg);

/* Waits for the thread: 0, na->fd set if one ran; -1 once it said why. */
int net_ahead_join(struct net_ahead *na);

/* In the child, before /sys is mounted: into FD's namespace. 0 or -1. */
int net_ahead_enter(int fd);

/* The thread joined if it still runs, the fd closed. */
void net_ahead_end(struct net_ahead *na);

#endif
