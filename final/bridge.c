/*
 * The bridge of --net bridge, docker0's counterpart: a virtual switch on
 * the host, with the subnet's first address (the containers' gateway),
 * and one veth port per container.
 *
 * Who owns what is written in the kernel, not in files: runbox sets the
 * alias (IFLA_IFALIAS, "ip link set dev X alias") of every link it makes.
 * Its bridge says "runbox", or "runbox nat" when it NATs; a port says
 * "runbox 10.77.0.2", the address its container got. Addresses in use
 * are thus read from the bridge's ports, and a port's address is free
 * again the moment the port is deleted, by runbox or by the kernel.
 *
 * Concurrent runbox processes take turns: flock(2) on the directory
 * RUNBOX_STATE_DIR, held from "which addresses are taken" to "the port
 * carries the new one", and from "delete the port" to "remove the
 * bridge if it was the last". A lock on a directory leaves no file.
 *
 * See: rtnetlink(7), veth(4), bridge(8), flock(2)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bridge.h"
#include "mount.h"
#include "nat.h"
#include "netlink.h"
#include "util.h"

#define ALIAS "runbox"
#define ALIAS_NAT "runbox nat"
#define PORT_ALIAS "runbox " /* and the address */
#define MIN_PREFIX 8
#define MAX_PREFIX 30 /* the gateway and one container */

/* Every link of the namespace at one moment: see list_links(). */
struct links {
    struct nl_link *link;
    size_t n, cap;
};

/* What the address check of the subnet is told, and finds. */
struct scan {
    const struct bridge_config *b;
    int bridge; /* the bridge's index, 0: there is none */
    int has_gateway;
};

static uint32_t
mask_of(int prefix)
{
    return prefix == 0 ? 0 : ~0U << (32 - prefix);
}

/* Letters, digits, '-' and '_': a name for ip(8) and for nft(8) alike. */
int
bridge_parse_name(struct bridge_config *b, const char *arg)
{
    size_t i, len = strlen(arg);

    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)arg[i]) && arg[i] != '-' && arg[i] != '_')
            break;
    if (len == 0 || len >= sizeof(b->name) || i < len ||
            !isalpha((unsigned char)arg[0])) {
        warnx("--bridge %s: not a name of 1 to 15 letters, digits, '-' or '_'",
                arg);
        return -1;
    }
    memcpy(b->name, arg, len + 1);
    return 0;
}

int
bridge_parse_subnet(struct bridge_config *b, const char *arg)
{
    char addr[INET_ADDRSTRLEN], *end;
    const char *slash = strchr(arg, '/');
    long prefix = 0;
    uint32_t net;

    if (slash != NULL && (size_t)(slash - arg) < sizeof(addr)) {
        memcpy(addr, arg, (size_t)(slash - arg));
        addr[slash - arg] = '\0';
        errno = 0;
        prefix = strtol(slash + 1, &end, 10);
        if (errno != 0 || end == slash + 1 || *end != '\0')
            prefix = 0;
    }
    if (prefix < MIN_PREFIX || prefix > MAX_PREFIX ||
            inet_pton(AF_INET, addr, &b->subnet) != 1) {
        warnx("--subnet %s: not an IPv4 subnet from /%d to /%d, e.g. %s", arg,
                MIN_PREFIX, MAX_PREFIX, BRIDGE_SUBNET);
        return -1;
    }
    b->prefix = (int)prefix;
    net = ntohl(b->subnet.s_addr);
    if ((net & ~mask_of(b->prefix)) != 0) {
        b->subnet.s_addr = htonl(net & mask_of(b->prefix));
        warnx("--subnet %s: host bits set (the subnet is %s/%d)", arg,
                inet_ntop(AF_INET, &b->subnet, addr, sizeof(addr)), b->prefix);
        return -1;
    }
    return 0;
}

struct in_addr
bridge_gateway(const struct bridge_config *b)
{
    struct in_addr gw = {htonl(ntohl(b->subnet.s_addr) + 1)};

    return gw;
}

static int
is_ours(const struct nl_link *link)
{
    return strcmp(link->kind, "bridge") == 0 &&
            (strcmp(link->alias, ALIAS) == 0 ||
                    strcmp(link->alias, ALIAS_NAT) == 0);
}

/*
 * An address on the bridge must be the gateway; one elsewhere must not
 * share a single address with the subnet, or the kernel would route
 * those addresses one way or the other, never both.
 */
static int
check_addr(const struct nl_addr *a, void *data)
{
    struct scan *sc = data;
    const struct bridge_config *b = sc->b;
    uint32_t net = ntohl(b->subnet.s_addr), addr = ntohl(a->addr.s_addr);
    uint32_t mask = mask_of(a->prefix < b->prefix ? a->prefix : b->prefix);
    char text[INET_ADDRSTRLEN], net_text[INET_ADDRSTRLEN];
    char name[IF_NAMESIZE] = "?";

    if (a->index == sc->bridge && addr == net + 1 && a->prefix == b->prefix) {
        sc->has_gateway = 1;
        return 0;
    }
    if (a->index != sc->bridge && (addr & mask) != (net & mask))
        return 0;
    if_indextoname((unsigned int)a->index, name);
    warnx("--subnet %s/%d: %s has %s/%d",
            inet_ntop(AF_INET, &b->subnet, net_text, sizeof(net_text)),
            b->prefix, name, inet_ntop(AF_INET, &a->addr, text, sizeof(text)),
            a->prefix);
    return -1;
}

/*
 * 0: the bridge is runbox's and fits B (LINK filled, *HAS_GATEWAY said);
 * 1: there is none, and the subnet is free; -1: one line says why not.
 */
static int
inspect(struct nl *nl, const struct bridge_config *b, struct nl_link *link,
        int *has_gateway)
{
    struct scan sc = {.b = b};
    int ret;

    ret = nl_link_get(nl, b->name, link);
    if (ret == -1)
        return -1;
    if (ret == 0 && !is_ours(link)) {
        warnx("--bridge %s: a link of that name exists, and runbox did not make it",
                b->name);
        return -1;
    }
    sc.bridge = ret == 0 ? link->index : 0;
    if (nl_addrs(nl, check_addr, &sc) == -1)
        return -1;
    *has_gateway = sc.has_gateway;
    return ret;
}

/* Waits for the lock; the descriptor is the lock. */
static int
lock_net(void)
{
    int fd;

    if (mkdir(RUNBOX_STATE_DIR, 0700) == -1 && errno != EEXIST) {
        warn("mkdir %s", RUNBOX_STATE_DIR);
        return -1;
    }
    fd = open(RUNBOX_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1) {
        warn("open %s", RUNBOX_STATE_DIR);
        return -1;
    }
    if (flock(fd, LOCK_EX) == -1) {
        warn("flock %s", RUNBOX_STATE_DIR);
        close(fd);
        return -1;
    }
    return fd;
}

static int
add_link(const struct nl_link *link, void *data)
{
    struct links *ls = data;
    struct nl_link *grown;

    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? 2 * ls->cap : 16;
        grown = reallocarray(ls->link, ls->cap, sizeof(*grown));
        if (grown == NULL) {
            warn("realloc");
            return -1;
        }
        ls->link = grown;
    }
    ls->link[ls->n++] = *link;
    return 0;
}

/* A dump cannot be interrupted by other requests: read it all first. */
static int
list_links(struct nl *nl, struct links *ls)
{
    memset(ls, 0, sizeof(*ls));
    if (nl_links(nl, add_link, ls) == -1) {
        free(ls->link);
        ls->link = NULL;
        return -1;
    }
    return 0;
}

static size_t
count_ports(const struct links *ls, int bridge)
{
    size_t i, n = 0;

    for (i = 0; i < ls->n; i++)
        if (ls->link[i].master == bridge)
            n++;
    return n;
}

/*
 * The bridge NAME, if it is runbox's and has no port left (a port of
 * someone else's counts too), goes, with its NAT table first.
 * 1: removed; 0: kept; -1: one line says why.
 */
static int
release_bridge(struct nl *nl, const char *name)
{
    struct nl_link link;
    struct links ls;
    size_t ports;
    int ret;

    ret = nl_link_get(nl, name, &link);
    if (ret != 0 || !is_ours(&link))
        return ret == -1 ? -1 : 0;
    if (list_links(nl, &ls) == -1)
        return -1;
    ports = count_ports(&ls, link.index);
    free(ls.link);
    if (ports > 0)
        return 0;
    if (strcmp(link.alias, ALIAS_NAT) == 0 && nat_remove(name) == -1)
        return -1;
    return nl_link_del(nl, name) == -1 ? -1 : 1;
}

static int
make_bridge(struct nl *nl, const struct bridge_config *b, struct nl_link *link)
{
    if (nl_bridge_add(nl, b->name) == -1)
        return -1;
    if (nl_link_alias(nl, b->name, ALIAS) == -1)
        return -1;
    return nl_link_get(nl, b->name, link) == 0 ? 0 : -1;
}

/*
 * The bridge, made if missing, with its gateway address, and its NAT if
 * asked for: the alias says "nat" before the table exists, so that a
 * killed runbox leaves nothing that runbox cleanup would not remove.
 */
static int
ensure_bridge(struct nl *nl, const struct bridge_config *b,
        struct nl_link *link)
{
    int has_gateway = 0, ret;

    ret = inspect(nl, b, link, &has_gateway);
    if (ret == -1 || (ret == 1 && make_bridge(nl, b, link) == -1))
        return -1;
    if (!has_gateway &&
            nl_addr_add(nl, link->index, bridge_gateway(b), b->prefix) == -1)
        return -1;
    if (!b->nat)
        return 0;
    if (strcmp(link->alias, ALIAS_NAT) != 0 &&
            nl_link_alias(nl, b->name, ALIAS_NAT) == -1)
        return -1;
    return nat_add(b->name, b->subnet, b->prefix);
}

static int
is_taken(const struct links *ls, int bridge, uint32_t addr)
{
    struct in_addr in;
    size_t i;

    for (i = 0; i < ls->n; i++)
        if (ls->link[i].master == bridge &&
                strncmp(ls->link[i].alias, PORT_ALIAS, strlen(PORT_ALIAS)) ==
                        0 &&
                inet_pton(AF_INET, ls->link[i].alias + strlen(PORT_ALIAS),
                        &in) == 1 &&
                ntohl(in.s_addr) == addr)
            return 1;
    return 0;
}

/* The lowest address of the subnet that no port of BRIDGE holds. */
static int
allocate(struct nl *nl, const struct bridge_config *b, int bridge,
        struct in_addr *addr)
{
    uint32_t net = ntohl(b->subnet.s_addr), a;
    uint32_t broadcast = net | ~mask_of(b->prefix);
    char text[INET_ADDRSTRLEN];
    struct links ls;

    if (list_links(nl, &ls) == -1)
        return -1;
    for (a = net + 2; a < broadcast && is_taken(&ls, bridge, a); a++)
        ;
    free(ls.link);
    if (a >= broadcast) {
        warnx("--subnet %s/%d: every address is taken",
                inet_ntop(AF_INET, &b->subnet, text, sizeof(text)), b->prefix);
        return -1;
    }
    addr->s_addr = htonl(a);
    return 0;
}

static int
add_port(struct nl *nl, const char *port, int bridge, int netns,
        struct in_addr addr)
{
    char alias[64], text[INET_ADDRSTRLEN];

    if (nl_veth_add(nl, port, bridge, "eth0", netns) == -1)
        return -1;
    inet_ntop(AF_INET, &addr, text, sizeof(text));
    snprintf(alias, sizeof(alias), "%s%s", PORT_ALIAS, text);
    if (nl_link_alias(nl, port, alias) == -1) {
        nl_link_del(nl, port);
        return -1;
    }
    return 0;
}

/* What bridge_attach() and bridge_detach() pass through locked(). */
struct port_request {
    const struct bridge_config *b;
    const char *port;
    int netns;
    struct in_addr *addr;
};

/* Runs FN with a netlink socket, under the lock (see the top). */
static int
locked(int (*fn)(struct nl *, void *), void *arg)
{
    int lock, ret = -1;
    struct nl nl;

    lock = lock_net();
    if (lock == -1)
        return -1;
    if (nl_open(&nl) == 0) {
        ret = fn(&nl, arg);
        nl_close(&nl);
    }
    close(lock);
    return ret;
}

static int
check(struct nl *nl, void *arg)
{
    struct nl_link link;
    int has_gateway;

    return inspect(nl, arg, &link, &has_gateway) == -1 ? -1 : 0;
}

int
bridge_check(const struct bridge_config *b)
{
    if (b->nat && nat_check() == -1)
        return -1;
    /*
     * Under the lock: another runbox may be making the bridge, which is
     * not marked as runbox's until it has its alias.
     */
    return locked(check, (void *)b);
}

static int
attach(struct nl *nl, void *arg)
{
    const struct port_request *r = arg;
    struct nl_link bridge;

    if (ensure_bridge(nl, r->b, &bridge) == 0 &&
            allocate(nl, r->b, bridge.index, r->addr) == 0 &&
            add_port(nl, r->port, bridge.index, r->netns, *r->addr) == 0)
        return 0;
    release_bridge(nl, r->b->name);
    return -1;
}

int
bridge_attach(const struct bridge_config *b, const char *port, int netns,
        struct in_addr *addr)
{
    struct port_request r = {b, port, netns, addr};

    return locked(attach, &r);
}

static int
detach(struct nl *nl, void *arg)
{
    const struct port_request *r = arg;
    int ret;

    ret = nl_link_del(nl, r->port);
    if (release_bridge(nl, r->b->name) == -1)
        ret = -1;
    return ret;
}

int
bridge_detach(const struct bridge_config *b, const char *port)
{
    struct port_request r = {b, port, -1, NULL};

    return locked(detach, &r);
}

/* The stale ports first: a bridge is released only once it has none. */
static int
remove_stale(struct nl *nl, const struct links *ls,
        int (*is_stale)(const char *name))
{
    const struct nl_link *l;
    size_t i;
    int ret = 0;

    for (i = 0; i < ls->n; i++) {
        l = &ls->link[i];
        if (l->master == 0 ||
                strncmp(l->alias, PORT_ALIAS, strlen(PORT_ALIAS)) != 0 ||
                !is_stale(l->name))
            continue;
        if (nl_link_del(nl, l->name) == -1)
            ret = -1;
        else
            printf("removed link %s\n", l->name);
    }
    for (i = 0; i < ls->n; i++) {
        l = &ls->link[i];
        if (!is_ours(l))
            continue;
        switch (release_bridge(nl, l->name)) {
        case -1:
            ret = -1;
            break;
        case 1:
            printf("removed bridge %s\n", l->name);
        }
    }
    return ret;
}

static int
cleanup(struct nl *nl, void *arg)
{
    int (*const *is_stale)(const char *) = arg;
    struct links ls;
    int ret;

    if (list_links(nl, &ls) == -1)
        return -1;
    ret = remove_stale(nl, &ls, *is_stale);
    free(ls.link);
    return ret;
}

int
bridge_cleanup(int (*is_stale)(const char *name))
{
    return locked(cleanup, &is_stale);
}
