/*
 * rtnetlink(7) through libmnl: the few requests runbox needs to build a
 * bridge network, each the message that ip(8) would send.
 */
#ifndef RUNBOX_NETLINK_H
#define RUNBOX_NETLINK_H

#include <net/if.h>
#include <netinet/in.h>

struct mnl_socket;

/* A NETLINK_ROUTE socket, bound to the network namespace it was made in. */
struct nl {
    struct mnl_socket *sock;
    unsigned int portid;
    unsigned int seq;
};

/* What the kernel tells about one link. */
struct nl_link {
    int index;
    int master; /* the bridge it is a port of; 0: none */
    char name[IF_NAMESIZE];
    char kind[16]; /* "bridge", "veth", ...; "" for a plain device */
    char alias[64]; /* IFLA_IFALIAS: where runbox marks its own links */
};

/* One IPv4 address of a link. */
struct nl_addr {
    int index;
    struct in_addr addr;
    int prefix;
};

/* Opens a socket in the caller's network namespace. 0 or -1. */
int nl_open(struct nl *nl);

/* ... or in the namespace of the descriptor NETNS (setns(2) and back). */
int nl_open_in(struct nl *nl, int netns);

void nl_close(struct nl *nl);

/* The link NAME: 0 and LINK filled, 1 if there is none, -1 on error. */
int nl_link_get(struct nl *nl, const char *name, struct nl_link *link);

/* Calls FN on every link (RTM_GETLINK dump); stops at FN's -1. */
int nl_links(struct nl *nl, int (*fn)(const struct nl_link *, void *),
        void *data);

/* Calls FN on every IPv4 address (RTM_GETADDR dump); stops at FN's -1. */
int nl_addrs(struct nl *nl, int (*fn)(const struct nl_addr *, void *),
        void *data);

/* ip link add NAME type bridge; ip link set NAME up */
int nl_bridge_add(struct nl *nl, const char *name);

/*
 * ip link add NAME master MASTER up type veth peer name PEER netns NETNS:
 * one request makes both ends, the peer straight in the namespace of the
 * descriptor NETNS, and down (veth(4) cannot open it before NAME exists).
 */
int nl_veth_add(struct nl *nl, const char *name, int master, const char *peer,
        int netns);

/* ip link set dev NAME alias ALIAS */
int nl_link_alias(struct nl *nl, const char *name, const char *alias);

/* ip link set dev NAME up */
int nl_link_up(struct nl *nl, const char *name);

/* ip link del NAME; a link that is already gone is no error. */
int nl_link_del(struct nl *nl, const char *name);

/* ip addr add ADDR/PREFIX dev INDEX */
int nl_addr_add(struct nl *nl, int index, struct in_addr addr, int prefix);

/* ip route add default via GATEWAY dev INDEX */
int nl_route_default(struct nl *nl, int index, struct in_addr gateway);

#endif
