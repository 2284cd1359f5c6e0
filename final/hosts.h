/* The container's /etc/hosts, /etc/hostname and /etc/resolv.conf. */
#ifndef RUNBOX_HOSTS_H
#define RUNBOX_HOSTS_H

#include <netinet/in.h>

/* Where in the state directory they are written; mount.c binds them. */
#define HOSTS_DIR "etc"

/*
 * Writes DIR/etc/hosts (HOSTNAME at ADDR), DIR/etc/hostname and
 * DIR/etc/resolv.conf (from the host's). 0, or -1 with one line.
 */
int hosts_write(const char *dir, const char *hostname, struct in_addr addr);

#endif
