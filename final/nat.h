/* Outbound NAT for a bridge, in an nftables table of runbox's own. */
#ifndef RUNBOX_NAT_H
#define RUNBOX_NAT_H

#include <netinet/in.h>

/* Whether this network namespace forwards IPv4: 0, or -1 with one line. */
int nat_check(void);

/*
 * Makes (or makes anew) "table ip runbox-BRIDGE": masquerade what comes
 * from SUBNET/PREFIX and leaves by another interface than BRIDGE.
 */
int nat_add(const char *bridge, struct in_addr subnet, int prefix);

/* Deletes that table; one that is not there is no error. */
int nat_remove(const char *bridge);

#endif
