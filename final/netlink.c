/*
 * rtnetlink(7) through libmnl. Each function builds one request, as
 * ip(8) would, sends it with NLM_F_ACK and reads until the kernel's
 * answer: the acknowledgement, or an error whose errno says why. A dump
 * (NLM_F_DUMP) is read to its NLMSG_DONE, one callback per object.
 *
 * See: netlink(7), rtnetlink(7), veth(4), the kernel's
 * include/uapi/linux/if_link.h, libmnl's examples/rtnl/
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netlink.h"

/* One request and its attributes; a dump answer is read in pieces. */
#define NL_BUF_SIZE 8192

/*
 * A dump: the user's function and its data. A dump is read to its end
 * even after the function failed, or its rest would answer the next
 * request.
 */
struct dump {
    int (*link_fn)(const struct nl_link *, void *);
    int (*addr_fn)(const struct nl_addr *, void *);
    void *data;
    int failed;
};

int
nl_open(struct nl *nl)
{
    nl->seq = 0;
    nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (nl->sock == NULL) {
        warn("socket NETLINK_ROUTE");
        return -1;
    }
    if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) == -1) {
        warn("bind NETLINK_ROUTE");
        mnl_socket_close(nl->sock);
        nl->sock = NULL;
        return -1;
    }
    nl->portid = mnl_socket_get_portid(nl->sock);
    return 0;
}

/*
 * A socket stays in the namespace it was made in (network_namespaces(7)):
 * enter NETNS, make it, and come back at once.
 */
int
nl_open_in(struct nl *nl, int netns)
{
    int self, ret = -1;

    self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self == -1) {
        warn("open /proc/self/ns/net");
        return -1;
    }
    if (setns(netns, CLONE_NEWNET) == -1) {
        warn("setns into the container's network namespace");
        goto out_close;
    }
    ret = nl_open(nl);
    if (setns(self, CLONE_NEWNET) == -1) {
        warn("setns back into runbox's network namespace");
        if (ret == 0)
            nl_close(nl);
        ret = -1;
    }
out_close:
    close(self);
    return ret;
}

void
nl_close(struct nl *nl)
{
    if (nl->sock != NULL)
        mnl_socket_close(nl->sock);
    nl->sock = NULL;
}

/*
 * Sends NLH and reads until the kernel is done with it, calling CB on
 * each answer. -1 with errno set: the kernel's own for a refusal.
 */
static int
talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    char buf[NL_BUF_SIZE];
    ssize_t n;
    int ret;

    nlh->nlmsg_seq = ++nl->seq;
    if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) == -1)
        return -1;
    do {
        n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
        if (n == -1)
            return -1;
        ret = mnl_cb_run(buf, (size_t)n, nl->seq, nl->portid, cb, data);
    } while (ret > MNL_CB_STOP);
    return ret == MNL_CB_ERROR ? -1 : 0;
}

static struct nlmsghdr *
new_request(char *buf, int type, int flags)
{
    struct nlmsghdr *nlh;

    memset(buf, 0, NL_BUF_SIZE);
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = (unsigned short)type;
    /* A dump ends with NLMSG_DONE; anything else, with an ACK asked for. */
    if (flags != NLM_F_DUMP)
        flags |= NLM_F_ACK;
    nlh->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
    return nlh;
}

static struct ifinfomsg *
put_ifinfo(struct nlmsghdr *nlh, unsigned int flags)
{
    struct ifinfomsg *ifm;

    ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_flags = flags;
    ifm->ifi_change = flags;
    return ifm;
}

/* Copies the string attribute ATTR into DST of SIZE bytes, cut if longer. */
static void
copy_str(char *dst, size_t size, const struct nlattr *attr)
{
    snprintf(dst, size, "%.*s", (int)mnl_attr_get_payload_len(attr),
            (const char *)mnl_attr_get_payload(attr));
}

static void
parse_linkinfo(const struct nlattr *info, struct nl_link *link)
{
    const struct nlattr *attr;

    mnl_attr_for_each_nested(attr, info)
    {
        if (mnl_attr_get_type(attr) == IFLA_INFO_KIND)
            copy_str(link->kind, sizeof(link->kind), attr);
    }
}

static int
parse_link(const struct nlmsghdr *nlh, struct nl_link *link)
{
    const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *attr;

    memset(link, 0, sizeof(*link));
    link->index = ifm->ifi_index;
    mnl_attr_for_each(attr, nlh, sizeof(*ifm))
    {
        switch (mnl_attr_get_type(attr)) {
        case IFLA_IFNAME:
            copy_str(link->name, sizeof(link->name), attr);
            break;
        case IFLA_MASTER:
            link->master = (int)mnl_attr_get_u32(attr);
            break;
        case IFLA_IFALIAS:
            copy_str(link->alias, sizeof(link->alias), attr);
            break;
        case IFLA_LINKINFO:
            parse_linkinfo(attr, link);
            break;
        }
    }
    return MNL_CB_OK;
}

static int
link_cb(const struct nlmsghdr *nlh, void *data)
{
    struct dump *dump = data;
    struct nl_link link;

    parse_link(nlh, &link);
    if (!dump->failed && dump->link_fn(&link, dump->data) == -1)
        dump->failed = 1;
    return MNL_CB_OK;
}

static int
get_link_cb(const struct nlmsghdr *nlh, void *data)
{
    return parse_link(nlh, data);
}

int
nl_link_get(struct nl *nl, const char *name, struct nl_link *link)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh = new_request(buf, RTM_GETLINK, 0);

    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    if (talk(nl, nlh, get_link_cb, link) == 0)
        return 0;
    if (errno == ENODEV)
        return 1;
    warn("rtnetlink: get link %s", name);
    return -1;
}

int
nl_links(struct nl *nl, int (*fn)(const struct nl_link *, void *), void *data)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh = new_request(buf, RTM_GETLINK, NLM_F_DUMP);
    struct dump dump = {.link_fn = fn, .data = data};

    put_ifinfo(nlh, 0);
    if (talk(nl, nlh, link_cb, &dump) == -1) {
        warn("rtnetlink: list links");
        return -1;
    }
    return dump.failed ? -1 : 0;
}

static int
addr_cb(const struct nlmsghdr *nlh, void *data)
{
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    struct dump *dump = data;
    const struct nlattr *attr;
    struct nl_addr addr = {.index = (int)ifa->ifa_index,
            .prefix = ifa->ifa_prefixlen};

    if (ifa->ifa_family != AF_INET)
        return MNL_CB_OK;
    /* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's. */
    mnl_attr_for_each(attr, nlh, sizeof(*ifa))
    {
        if (mnl_attr_get_type(attr) == IFA_LOCAL &&
                mnl_attr_get_payload_len(attr) == sizeof(addr.addr))
            memcpy(&addr.addr, mnl_attr_get_payload(attr), sizeof(addr.addr));
    }
    if (!dump->failed && dump->addr_fn(&addr, dump->data) == -1)
        dump->failed = 1;
    return MNL_CB_OK;
}

int
nl_addrs(struct nl *nl, int (*fn)(const struct nl_addr *, void *), void *data)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh = new_request(buf, RTM_GETADDR, NLM_F_DUMP);
    struct dump dump = {.addr_fn = fn, .data = data};
    struct ifaddrmsg *ifa;

    ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_INET;
    if (talk(nl, nlh, addr_cb, &dump) == -1) {
        warn("rtnetlink: list addresses");
        return -1;
    }
    return dump.failed ? -1 : 0;
}

/* IFLA_LINKINFO { IFLA_INFO_KIND KIND, IFLA_INFO_DATA { ... } } opened. */
static struct nlattr *
start_linkinfo(struct nlmsghdr *nlh, const char *kind)
{
    struct nlattr *info;

    info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
    return info;
}

int
nl_bridge_add(struct nl *nl, const char *name)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh;

    nlh = new_request(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, IFF_UP);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_nest_end(nlh, start_linkinfo(nlh, "bridge"));
    if (talk(nl, nlh, NULL, NULL) == -1) {
        warn("rtnetlink: add bridge %s", name);
        return -1;
    }
    return 0;
}

/*
 * veth(4): the peer is described by a whole ifinfomsg and its own
 * attributes, nested in VETH_INFO_PEER; IFLA_NET_NS_FD puts it in NETNS.
 */
static void
put_peer(struct nlmsghdr *nlh, const char *peer, int netns)
{
    struct nlattr *data, *nest;
    struct ifinfomsg *ifm;

    data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    ifm = mnl_nlmsg_get_payload_tail(nlh);
    nlh->nlmsg_len += MNL_ALIGN(sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns);
    mnl_attr_nest_end(nlh, nest);
    mnl_attr_nest_end(nlh, data);
}

int
nl_veth_add(struct nl *nl, const char *name, int master, const char *peer,
        int netns)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh;
    struct nlattr *info;

    nlh = new_request(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, IFF_UP);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
    info = start_linkinfo(nlh, "veth");
    put_peer(nlh, peer, netns);
    mnl_attr_nest_end(nlh, info);
    if (talk(nl, nlh, NULL, NULL) == -1) {
        warn("rtnetlink: add veth %s", name);
        return -1;
    }
    return 0;
}

/* ALIAS, or NULL to set NAME up instead. */
static int
set_link(struct nl *nl, const char *name, const char *alias)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh = new_request(buf, RTM_NEWLINK, 0);

    put_ifinfo(nlh, alias == NULL ? IFF_UP : 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    if (alias != NULL)
        mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
    if (talk(nl, nlh, NULL, NULL) == -1) {
        warn("rtnetlink: set %s %s", name, alias ? "alias" : "up");
        return -1;
    }
    return 0;
}

int
nl_link_alias(struct nl *nl, const char *name, const char *alias)
{
    return set_link(nl, name, alias);
}

int
nl_link_up(struct nl *nl, const char *name)
{
    return set_link(nl, name, NULL);
}

int
nl_link_del(struct nl *nl, const char *name)
{
    char buf[NL_BUF_SIZE];
    struct nlmsghdr *nlh = new_request(buf, RTM_DELLINK, 0);

    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    if (talk(nl, nlh, NULL, NULL) == -1 && errno != ENODEV) {
        warn("rtnetlink: delete link %s", name);
        return -1;
    }
    return 0;
}

int
nl_addr_add(struct nl *nl, int index, struct in_addr addr, int prefix)
{
    char buf[NL_BUF_SIZE], text[INET_ADDRSTRLEN];
    struct nlmsghdr *nlh;
    struct ifaddrmsg *ifa;

    nlh = new_request(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = (unsigned char)prefix;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = (unsigned int)index;
    mnl_attr_put(nlh, IFA_LOCAL, sizeof(addr), &addr);
    mnl_attr_put(nlh, IFA_ADDRESS, sizeof(addr), &addr);
    if (talk(nl, nlh, NULL, NULL) == -1) {
        warn("rtnetlink: add address %s/%d",
                inet_ntop(AF_INET, &addr, text, sizeof(text)), prefix);
        return -1;
    }
    return 0;
}

int
nl_route_default(struct nl *nl, int index, struct in_addr gateway)
{
    char buf[NL_BUF_SIZE], text[INET_ADDRSTRLEN];
    struct nlmsghdr *nlh;
    struct rtmsg *rtm;

    nlh = new_request(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
    rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = AF_INET;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_BOOT;
    rtm->rtm_scope = RT_SCOPE_UNIVERSE;
    rtm->rtm_type = RTN_UNICAST;
    mnl_attr_put(nlh, RTA_GATEWAY, sizeof(gateway), &gateway);
    mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)index);
    if (talk(nl, nlh, NULL, NULL) == -1) {
        warn("rtnetlink: add default route via %s",
                inet_ntop(AF_INET, &gateway, text, sizeof(text)));
        return -1;
    }
    return 0;
}
