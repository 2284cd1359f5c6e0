/*
 * The bridge of --net bridge: made by the first container that needs it,
 * an address for each container, removed with its last port.
 */
#ifndef RUNBOX_BRIDGE_H
#define RUNBOX_BRIDGE_H

#include "config.h"

#define BRIDGE_NAME "runbox0"
#define BRIDGE_SUBNET "10.77.0.0/24"

/* --bridge NAME and --subnet CIDR: checked and stored in B, or one line. */
int bridge_parse_name(struct bridge_config *b, const char *arg);
int bridge_parse_subnet(struct bridge_config *b, const char *arg);

/* The bridge's own address: the first of the subnet. */
struct in_addr bridge_gateway(const struct bridge_config *b);

/*
 * Before anything is made: the bridge is runbox's and has this subnet,
 * or there is none and no address of this namespace overlaps the
 * subnet; --nat needs IPv4 forwarding. 0, or -1 with one line.
 */
int bridge_check(const struct bridge_config *b);

/*
 * Makes the bridge if need be, picks a free address, and links a veth
 * pair to it: PORT on the bridge, eth0 in the namespace NETNS. *ADDR is
 * eth0's address. All under one lock, so no two runbox pick the same.
 */
int bridge_attach(const struct bridge_config *b, const char *port, int netns,
        struct in_addr *addr);

/* Deletes PORT; the bridge and its NAT go with the last port. */
int bridge_detach(const struct bridge_config *b, const char *port);

/*
 * runbox cleanup: the ports whose runbox IS_STALE, then runbox's bridges
 * that have no port left, with their NAT.
 */
int bridge_cleanup(int (*is_stale)(const char *name));

#endif
