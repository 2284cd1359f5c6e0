/*
 * The container's network. With --net none (the default, as docker run
 * --network none), a new network namespace holds only lo, which starts
 * down: bring it up so that programs can talk to themselves.
 */
#define _GNU_SOURCE
#include <err.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

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
