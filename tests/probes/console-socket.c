/*
 * What conmon does with --console-socket, for the tests: listens on a
 * unix socket at PATH, takes the one pty master a runtime sends there
 * (SCM_RIGHTS, unix(7), cmsg(3)), writes INPUT and a newline to it, and
 * copies what comes out to stdout until no process holds the slave any
 * more (EIO, pty(7)). PATH appears only once it is listened on.
 * Usage: console-socket PATH INPUT
 */
#define _GNU_SOURCE
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define TIMEOUT 20 /* seconds, so that a failing test never hangs */

static int
listen_at(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    char tmp[sizeof(addr.sun_path)];
    int sock;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        errx(1, "%s: path too long", path);
    memcpy(addr.sun_path, tmp, strlen(tmp) + 1);
    sock = socket(AF_UNIX, SOCK_STREAM, 0);
    if (sock == -1)
        err(1, "socket");
    if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) == -1)
        err(1, "bind %s", tmp);
    if (listen(sock, 1) == -1)
        err(1, "listen");
    if (rename(tmp, path) == -1)
        err(1, "rename %s", tmp);
    return sock;
}

static int
receive_fd(int conn)
{
    char byte, buf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct msghdr msg = {.msg_iov = &iov,
            .msg_iovlen = 1,
            .msg_control = buf,
            .msg_controllen = sizeof(buf)};
    struct cmsghdr *c;
    int fd;

    if (recvmsg(conn, &msg, 0) != 1)
        err(1, "recvmsg");
    c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_type != SCM_RIGHTS)
        errx(1, "no descriptor came");
    memcpy(&fd, CMSG_DATA(c), sizeof(fd));
    return fd;
}

int
main(int argc, char *argv[])
{
    char buf[4096];
    int sock, conn, master;
    ssize_t n;

    if (argc != 3)
        errx(1, "usage: console-socket PATH INPUT");
    alarm(TIMEOUT);
    sock = listen_at(argv[1]);
    conn = accept(sock, NULL, NULL);
    if (conn == -1)
        err(1, "accept");
    master = receive_fd(conn);
    if (dprintf(master, "%s\n", argv[2]) < 0)
        err(1, "write pty");
    while ((n = read(master, buf, sizeof(buf))) > 0)
        if (write(STDOUT_FILENO, buf, (size_t)n) != n)
            err(1, "write stdout");
    return 0;
}
