/*
 * Outbound NAT, as docker's MASQUERADE rule for docker0, written for
 * nftables: a table of runbox's own per bridge, so that runbox never
 * touches a table or a rule it did not make.
 *
 *   table ip runbox-runbox0 {
 *       chain postrouting {
 *           type nat hook postrouting priority srcnat;
 *           ip saddr 10.77.0.0/24 oifname != "runbox0" masquerade
 *       }
 *   }
 *
 * The nft(8) tool does the work, run with an argv (no shell). Each call
 * is one nft transaction, all or nothing. "add table" first makes the
 * table exist, so that the "delete table" that follows cannot fail: a
 * table left by a killed runbox is replaced, and a missing one is not an
 * error when removed.
 *
 * See: nft(8), posix_spawn(3), the kernel's
 * Documentation/networking/ip-sysctl.rst (ip_forward)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nat.h"
#include "util.h"

#define IP_FORWARD "/proc/sys/net/ipv4/ip_forward"

extern char **environ;

/*
 * NAT is of no use unless the kernel forwards the containers' packets.
 * Docker turns forwarding on for the whole host; runbox does not change
 * a setting of the host's, and says what to do instead.
 */
int
nat_check(void)
{
    char value = '0';
    int fd;

    fd = open(IP_FORWARD, O_RDONLY | O_CLOEXEC);
    if (fd == -1 || read(fd, &value, 1) != 1) {
        warn("read %s", IP_FORWARD);
        if (fd != -1)
            close(fd);
        return -1;
    }
    close(fd);
    if (value == '1')
        return 0;
    warnx("--nat: this host does not forward IPv4 (sysctl -w net.ipv4.ip_forward=1 first)");
    return -1;
}

/* Reads the first line nft wrote on FD into MSG: its own error. */
static void
read_message(int fd, char *msg, size_t size)
{
    ssize_t n;

    n = read(fd, msg, size - 1);
    msg[n > 0 ? n : 0] = '\0';
    msg[strcspn(msg, "\n")] = '\0';
}

/* Runs "nft CMDS"; on failure one line with the first line nft said. */
static int
run_nft(const char *cmds, const char *what)
{
    char *argv[] = {"nft", (char *)cmds, NULL};
    posix_spawn_file_actions_t actions;
    char msg[256] = "";
    int pipefd[2], status, ret = -1;
    pid_t pid;

    if (pipe2(pipefd, O_CLOEXEC) == -1) {
        warn("pipe");
        return -1;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
    errno = posix_spawnp(&pid, "nft", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipefd[1]);
    if (errno != 0) {
        warn("nft %s (apt-get install nftables)", what);
        goto out_close;
    }
    read_message(pipefd[0], msg, sizeof(msg));
    if (waitpid(pid, &status, 0) == -1)
        warn("waitpid nft");
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        warnx("nft %s: %s", what, msg[0] ? msg : "failed");
    else
        ret = 0;
out_close:
    close(pipefd[0]);
    return ret;
}

int
nat_add(const char *bridge, struct in_addr subnet, int prefix)
{
    char cmds[512], what[64], net[INET_ADDRSTRLEN];

    inet_ntop(AF_INET, &subnet, net, sizeof(net));
    if (path_printf(what, sizeof(what), "add table ip runbox-%s", bridge) ==
                    -1 ||
            path_printf(cmds, sizeof(cmds),
                    "add table ip runbox-%s; delete table ip runbox-%s; "
                    "add table ip runbox-%s; "
                    "add chain ip runbox-%s postrouting { type nat hook postrouting priority srcnat; }; "
                    "add rule ip runbox-%s postrouting ip saddr %s/%d oifname != \"%s\" masquerade",
                    bridge, bridge, bridge, bridge, bridge, net, prefix,
                    bridge) == -1)
        return -1;
    return run_nft(cmds, what);
}

int
nat_remove(const char *bridge)
{
    char cmds[128], what[64];

    if (path_printf(what, sizeof(what), "delete table ip runbox-%s", bridge) ==
                    -1 ||
            path_printf(cmds, sizeof(cmds),
                    "add table ip runbox-%s; delete table ip runbox-%s", bridge,
                    bridge) == -1)
        return -1;
    return run_nft(cmds, what);
}
