/*
 * The container's network. With --net none (the default, as docker run
 * --network none), a new network namespace holds only lo, which starts
 * down: bring it up so that programs can talk to themselves.
 *
 * With --net bridge (docker's default network), runbox also links the
 * namespace to a bridge on the host, from the host side, while the
 * child waits on the sync pipe: bridge.c makes the veth pair, with eth0
 * straight in the child's namespace; then a netlink socket made inside
 * that namespace gives eth0 its address and a default route via the
 * bridge, and hosts.c writes the /etc files that mount.c binds.
 *
 * The host side holds the namespace open until it has deleted the port
 * itself: the kernel frees a namespace, and the veth pair in it, some
 * time after its last process has exited (docs/07-netns.md).
 *
 * runbox create makes the namespace ahead. A new network namespace costs
 * the kernel a third of a millisecond (every protocol sets up its state
 * for it: copy_net_ns()); made by clone(2), it lies on the path from
 * create to a container waiting at its fifo, while the other CPU idles.
 * A thread of runbox makes it instead, with unshare(2), which moves that
 * thread alone, and brings lo up in it, while the main thread makes the
 * state and the cgroup; the child, cloned without CLONE_NEWNET, joins it
 * with setns(2) before it mounts /sys (sysfs shows the network namespace
 * of whoever mounts it). Not in a user namespace, which must own the
 * network namespace (and is made by the child's clone), nor with --net
 * bridge, whose host side moves eth0 by the child's PID.
 *
 * See: network_namespaces(7), veth(4), rtnetlink(7), unshare(2), setns(2)
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge.h"
#include "hosts.h"
#include "namespaces.h"
#include "net.h"
#include "netlink.h"
#include "util.h"

int
net_parse_mode(struct config *cfg, const char *arg)
{
    if (strcmp(arg, "none") == 0)
        cfg->net = NET_NONE;
    else if (strcmp(arg, "bridge") == 0)
        cfg->net = NET_BRIDGE;
    else {
        warnx("--net %s: unknown network (runbox has: none, bridge)", arg);
        return -1;
    }
    return 0;
}

int
net_check_options(struct config *cfg)
{
    struct bridge_config *b = &cfg->bridge;
    const char *opt = b->nat ? "--nat" : b->prefix ? "--subnet" : "--bridge";

    if (cfg->net != NET_BRIDGE && (b->nat || b->prefix || b->name[0])) {
        warnx("%s: needs --net bridge", opt);
        return -1;
    }
    if (b->name[0] == '\0' && bridge_parse_name(b, BRIDGE_NAME) == -1)
        return -1;
    if (b->prefix == 0 && bridge_parse_subnet(b, BRIDGE_SUBNET) == -1)
        return -1;
    return 0;
}

int
net_check(const struct config *cfg)
{
    return cfg->net == NET_BRIDGE ? bridge_check(&cfg->bridge) : 0;
}

/* eth0's address and default route, through a socket in NETNS. */
static int
setup_eth0(const struct bridge_config *b, int netns, struct in_addr addr)
{
    struct nl_link eth0;
    struct nl nl;
    int ret = -1;

    if (nl_open_in(&nl, netns) == -1)
        return -1;
    switch (nl_link_get(&nl, "eth0", &eth0)) {
    case 1:
        warnx("no eth0 in the container's network namespace");
        break;
    case 0:
        /* The route last: its gateway must be on a net of an up link. */
        if (nl_addr_add(&nl, eth0.index, addr, b->prefix) == 0 &&
                nl_link_up(&nl, "eth0") == 0 &&
                nl_route_default(&nl, eth0.index, bridge_gateway(b)) == 0)
            ret = 0;
    }
    nl_close(&nl);
    return ret;
}

int
net_attach(const struct config *cfg, struct net_state *ns, pid_t pid,
        const char *dir)
{
    struct in_addr addr;
    char path[64];

    if (cfg->net != NET_BRIDGE)
        return 0;
    if (path_printf(path, sizeof(path), "/proc/%d/ns/net", (int)pid) == -1)
        return -1;
    ns->netns = open(path, O_RDONLY | O_CLOEXEC);
    if (ns->netns == -1) {
        warn("open %s", path);
        return -1;
    }
    if (bridge_attach(&cfg->bridge, cfg->name, ns->netns, &addr) == -1)
        return -1;
    ns->attached = 1;
    if (setup_eth0(&cfg->bridge, ns->netns, addr) == -1)
        return -1;
    return hosts_write(dir, cfg->hostname, addr);
}

int
net_detach(const struct config *cfg, struct net_state *ns)
{
    int ret = 0;

    /* Before the namespace is let go: see the comment at the top. */
    if (ns->attached && bridge_detach(&cfg->bridge, cfg->name) == -1)
        ret = -1;
    ns->attached = 0;
    if (ns->netns != -1)
        close(ns->netns);
    ns->netns = -1;
    return ret;
}

/* netdevice(7): SIOCGIFFLAGS/SIOCSIFFLAGS on any socket of the namespace. */
static int
link_up(const char *name)
{
    struct ifreq ifr;
    int fd;

    memset(&ifr, 0, sizeof(ifr));
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        warn("socket");
        return -1;
    }
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == -1) {
        warn("get flags of %s", name);
        close(fd);
        return -1;
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1) {
        warn("set %s up", name);
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int
net_setup_child(const struct config *cfg)
{
    (void)cfg;
    return link_up("lo");
}

/* The thread of net_ahead_start(): na->fd, or -1 after one line. */
static void *
make_ahead(void *arg)
{
    struct net_ahead *na = arg;
    int fd;

    if (unshare(CLONE_NEWNET) == -1) {
        warn("unshare CLONE_NEWNET");
        return NULL;
    }
    if (link_up("lo") == -1)
        return NULL;
    fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        warn("open /proc/thread-self/ns/net");
    na->fd = fd; /* read once the thread is joined */
    return NULL;
}

int
net_ahead_start(struct net_ahead *na, const struct config *cfg)
{
    int e;

    if (!namespaces_new(cfg, CLONE_NEWNET) || cfg->userns ||
            cfg->net == NET_BRIDGE)
        return 0;
    e = pthread_create(&na->thread, NULL, make_ahead, na);
    if (e != 0) {
        errno = e;
        warn("pthread_create");
        return -1;
    }
    na->started = 1;
    return 0;
}

int
net_ahead_join(struct net_ahead *na)
{
    if (!na->started)
        return 0;
    pthread_join(na->thread, NULL);
    na->started = 0;
    return na->fd == -1 ? -1 : 0;
}

int
net_ahead_enter(int fd)
{
    int ret = setns(fd, CLONE_NEWNET);

    if (ret == -1)
        warn("setns CLONE_NEWNET");
    close(fd);
    return ret;
}

void
net_ahead_end(struct net_ahead *na)
{
    net_ahead_join(na);
    if (na->fd != -1)
        close(na->fd);
    na->fd = -1;
}
