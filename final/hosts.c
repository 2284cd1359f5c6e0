/*
 * The three files docker writes for a container on a network, in the
 * container's state directory, which mount.c binds over the rootfs's
 * own (the rootfs itself is never written):
 *
 * - /etc/hosts: localhost, and the container's hostname at its address;
 * - /etc/hostname: the hostname;
 * - /etc/resolv.conf: the host's, less the nameservers the container
 *   cannot reach: those on the host's loopback (127.0.0.53 of
 *   systemd-resolved, say), which is not the container's, and IPv6 ones
 *   (eth0 has no IPv6 address). If none is left, docker's fallback,
 *   Google's public servers.
 *
 * See: hosts(5), hostname(5), resolv.conf(5)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hosts.h"
#include "util.h"

#define HOST_RESOLV_CONF "/etc/resolv.conf"
#define FALLBACK_NAMESERVERS "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"

/* Opens DIR/etc/NAME for writing, mode 0644. */
static FILE *
open_file(const char *dir, const char *name)
{
    char path[PATH_MAX];
    FILE *f;

    if (path_printf(path, sizeof(path), "%s/%s/%s", dir, HOSTS_DIR, name) == -1)
        return NULL;
    f = fopen(path, "wxe");
    if (f == NULL)
        warn("create %s", path);
    return f;
}

/* Closes F, which was written as NAME; a full disk shows up here. */
static int
close_file(FILE *f, const char *name)
{
    int failed = ferror(f);

    if (fclose(f) != 0 || failed) {
        warn("write %s", name);
        return -1;
    }
    return 0;
}

/* A nameserver line the container can use: IPv4, not loopback. */
static int
reachable(const char *line)
{
    char addr[64];
    struct in_addr in;

    if (sscanf(line, " nameserver %63s", addr) != 1)
        return -1; /* not a nameserver line */
    return inet_pton(AF_INET, addr, &in) == 1 &&
            (ntohl(in.s_addr) >> 24) != 127;
}

static int
write_resolv_conf(const char *dir)
{
    char line[1024];
    int nameservers = 0, r;
    FILE *in, *out;

    out = open_file(dir, "resolv.conf");
    if (out == NULL)
        return -1;
    in = fopen(HOST_RESOLV_CONF, "re");
    if (in == NULL && errno != ENOENT) {
        warn("open %s", HOST_RESOLV_CONF);
        fclose(out);
        return -1;
    }
    while (in != NULL && fgets(line, sizeof(line), in) != NULL) {
        r = reachable(line);
        if (r != 0)
            fputs(line, out);
        nameservers += r == 1;
    }
    if (in != NULL)
        fclose(in);
    if (nameservers == 0)
        fputs(FALLBACK_NAMESERVERS, out);
    return close_file(out, "resolv.conf");
}

int
hosts_write(const char *dir, const char *hostname, struct in_addr addr)
{
    char path[PATH_MAX], text[INET_ADDRSTRLEN];
    FILE *f;

    if (path_printf(path, sizeof(path), "%s/%s", dir, HOSTS_DIR) == -1)
        return -1;
    if (mkdir(path, 0755) == -1) {
        warn("mkdir %s", path);
        return -1;
    }
    f = open_file(dir, "hosts");
    if (f == NULL)
        return -1;
    fprintf(f,
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "fe00::0\tip6-localnet\n"
            "ff00::0\tip6-mcastprefix\n"
            "ff02::1\tip6-allnodes\n"
            "ff02::2\tip6-allrouters\n"
            "%s\t%s\n",
            inet_ntop(AF_INET, &addr, text, sizeof(text)), hostname);
    if (close_file(f, "hosts") == -1)
        return -1;
    f = open_file(dir, "hostname");
    if (f == NULL)
        return -1;
    fprintf(f, "%s\n", hostname);
    if (close_file(f, "hostname") == -1)
        return -1;
    return write_resolv_conf(dir);
}
