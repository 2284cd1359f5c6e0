/*
 * runbox run -t, as docker run -t: CMD gets a pty of the container's own
 * devpts instance (pts(4)), none of the host's. The child opens it after
 * pivot_root(2) and hands the master to runbox over a socketpair
 * (SCM_RIGHTS, unix(7)); runbox sets its own terminal raw and copies the
 * bytes both ways, so that the line discipline that turns ^C into SIGINT
 * is the container's (pty(7)). With --console-socket (runbox create and
 * exec, for conmon) the master goes to that socket instead.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "signals.h"
#include "tty.h"

#define RELAY_BUF 4096

/* runbox's side of the relay. */
struct relay {
    int in; /* STDIN_FILENO, -1 once input has ended */
    int master; /* -1 once no process inside holds the slave */
    int sig; /* signalfd(2) of the relayed signals */
    int term; /* stdin is a terminal: raw mode, window size */
    pid_t pid;
    int exited;
    char buf[RELAY_BUF]; /* read from stdin, not yet written to the pty */
    size_t off, len;
    char last; /* the last byte read from stdin */
};

/* cmsg(3): the control buffer must be aligned for a struct cmsghdr. */
union fd_cmsg {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
};

int
tty_socketpair(int sock[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) == -1) {
        warn("socketpair");
        return -1;
    }
    return 0;
}

/*
 * After pivot_root(2), /dev/ptmx leads to the container's devpts. The
 * slave is opened through the master with TIOCGPTPEER (ioctl_tty(2)):
 * no ptsname(3) path to look up, which could name another pty.
 */
static int
open_pty(int *slave)
{
    int master;

    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master == -1) {
        warn("open /dev/ptmx");
        return -1;
    }
    if (unlockpt(master) == -1) {
        warn("unlockpt /dev/ptmx");
        close(master);
        return -1;
    }
    *slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*slave == -1) {
        warn("ioctl TIOCGPTPEER");
        close(master);
        return -1;
    }
    return master;
}

/*
 * A message for one descriptor, in U, and one byte of data, in BYTE: a
 * descriptor travels with at least one byte (unix(7), cmsg(3)).
 */
static void
fd_message(struct msghdr *msg, struct iovec *iov, char *byte, union fd_cmsg *u)
{
    memset(u, 0, sizeof(*u));
    memset(msg, 0, sizeof(*msg));
    iov->iov_base = byte;
    iov->iov_len = 1;
    msg->msg_iov = iov;
    msg->msg_iovlen = 1;
    msg->msg_control = u->buf;
    msg->msg_controllen = sizeof(u->buf);
}

static int
send_master(int sock, int master)
{
    union fd_cmsg u;
    char byte = 'm';
    struct iovec iov;
    struct msghdr msg;
    struct cmsghdr *c;

    fd_message(&msg, &iov, &byte, &u);
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &master, sizeof(int));
    if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1) {
        warn("sendmsg pty master");
        return -1;
    }
    return 0;
}

/*
 * setsid(2) leaves the new session without a terminal; TIOCSCTTY
 * (ioctl_tty(2)) makes the slave its controlling terminal, so that ^C
 * typed on it signals the foreground process group inside, and /dev/tty
 * opens it.
 */
static int
take_terminal(const struct config *cfg, int slave)
{
    int fd;

    if (setsid() == -1) {
        warn("setsid");
        return -1;
    }
    if (ioctl(slave, TIOCSCTTY, 0) == -1) {
        warn("ioctl TIOCSCTTY");
        return -1;
    }
    /* As login(1) does: the user of -u owns its terminal. */
    if (fchown(slave, cfg->uid, (gid_t)-1) == -1) {
        warn("fchown pty to uid %u", (unsigned)cfg->uid);
        return -1;
    }
    /* 2 stays runbox's stderr for setup errors: see tty_take_stderr(). */
    for (fd = STDIN_FILENO; fd <= STDOUT_FILENO; fd++) {
        if (dup2(slave, fd) == -1) {
            warn("dup2 pty to %d", fd);
            return -1;
        }
    }
    return 0;
}

static int
tty_setup_child(const struct config *cfg, const int sock[2])
{
    int master, slave, ret = -1;
    char go;

    /* Held here too, runbox's end would never read as EOF. */
    close(sock[0]);
    master = open_pty(&slave);
    if (master == -1)
        return -1;
    if (send_master(sock[1], master) == -1)
        goto out_close_pty;
    /* CMD starts sized and raw. EOF: runbox failed, and said why. */
    if (read(sock[1], &go, 1) != 1 || take_terminal(cfg, slave) == -1)
        goto out_close_pty;
    ret = 0;
out_close_pty:
    close(slave);
    close(master);
    close(sock[1]);
    return ret;
}

/*
 * --console-socket: the master goes to whoever listens there (conmon),
 * which sizes it and relays it; no go comes back, as with runc.
 */
static int
tty_console_child(const struct config *cfg, int sock)
{
    int master, slave, ret = -1;

    master = open_pty(&slave);
    if (master == -1)
        return -1;
    if (send_master(sock, master) == 0 && take_terminal(cfg, slave) == 0)
        ret = 0;
    /*
     * The pty is 2 as well, at once, as with runc: runbox create's stderr
     * is a pipe that containerd's shim reads until its end, and that end
     * must not wait for runbox start.
     */
    if (ret == 0 && dup2(STDOUT_FILENO, STDERR_FILENO) == -1) {
        warn("dup2 pty to 2");
        ret = -1;
    }
    close(slave);
    close(master);
    return ret;
}

int
tty_child(const struct config *cfg, const int sock[2])
{
    /*
     * Without a terminal of its own, still a session of its own, as runc
     * gives: in the caller's session, the caller's terminal would be the
     * container's /dev/tty, and ioctl TIOCSTI (ioctl_tty(2)) on it would
     * type a command into the caller's shell, run once runbox returns.
     */
    if (!cfg->tty && setsid() == -1) {
        warn("setsid");
        return -1;
    }
    if (!cfg->tty)
        return 0;
    return cfg->console_socket ? tty_console_child(cfg, sock[1])
                               : tty_setup_child(cfg, sock);
}

/* Connected on the host, before the container's root hides PATH. */
int
tty_connect(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int sock;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        warnx("--console-socket %s: path too long", path);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock == -1) {
        warn("socket");
        return -1;
    }
    if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) == -1) {
        warn("--console-socket %s", path);
        close(sock);
        return -1;
    }
    return sock;
}

int
tty_take_stderr(void)
{
    int saved;

    saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (dup2(STDOUT_FILENO, STDERR_FILENO) == -1) {
        warn("dup2 pty to 2");
        if (saved != -1)
            close(saved);
        return -1;
    }
    return saved;
}

/* *MASTER stays -1 if the child closed the socket first: it failed. */
static int
receive_master(int sock, int *master)
{
    union fd_cmsg u;
    char byte;
    struct iovec iov;
    struct msghdr msg;
    struct cmsghdr *c;
    ssize_t n;

    fd_message(&msg, &iov, &byte, &u);
    *master = -1;
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n == -1) {
        warn("recvmsg pty master");
        return -1;
    }
    if (n == 0)
        return 0;
    c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_level != SOL_SOCKET ||
            c->cmsg_type != SCM_RIGHTS ||
            c->cmsg_len != CMSG_LEN(sizeof(int))) {
        warnx("recvmsg pty master: no descriptor came");
        return -1;
    }
    memcpy(master, CMSG_DATA(c), sizeof(int));
    return 0;
}

/*
 * The pty takes the size of runbox's terminal. On a change, TIOCSWINSZ
 * has the kernel send SIGWINCH to the pty's foreground process group
 * (ioctl_tty(2)), the one inside: runbox forwards none.
 */
static int
copy_winsize(const struct relay *r)
{
    struct winsize ws;

    if (!r->term || r->master == -1)
        return 0;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == -1) {
        warn("ioctl TIOCGWINSZ stdin");
        return -1;
    }
    if (ioctl(r->master, TIOCSWINSZ, &ws) == -1) {
        warn("ioctl TIOCSWINSZ pty");
        return -1;
    }
    return 0;
}

/* cfmakeraw(3): every byte, ^C included, reaches the pty as typed. */
static int
make_raw(const struct relay *r, struct termios *saved)
{
    struct termios raw;

    if (!r->term)
        return 0;
    if (tcgetattr(STDIN_FILENO, saved) == -1) {
        warn("tcgetattr stdin");
        return -1;
    }
    raw = *saved;
    cfmakeraw(&raw);
    if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == -1) {
        warn("tcsetattr stdin");
        return -1;
    }
    return 0;
}

static int
restore_terminal(const struct relay *r, const struct termios *saved)
{
    if (r->term && tcsetattr(STDIN_FILENO, TCSADRAIN, saved) == -1) {
        warn("tcsetattr stdin");
        return -1;
    }
    return 0;
}

/* The child waits for this byte: see tty_setup_child(). */
static int
start_relay(struct relay *r, int sock, struct termios *saved)
{
    char go = 'g';

    if (fcntl(r->master, F_SETFL, O_NONBLOCK) == -1) {
        warn("fcntl pty O_NONBLOCK");
        return -1;
    }
    if (copy_winsize(r) == -1 || make_raw(r, saved) == -1)
        return -1;
    /*
     * A master that came through a console socket (runbox run --bundle,
     * oci.c) has no one waiting for this: its sender may be gone.
     */
    if (send(sock, &go, 1, MSG_NOSIGNAL) != 1 && errno != EPIPE &&
            errno != ECONNRESET) {
        warn("send to the container");
        restore_terminal(r, saved);
        return -1;
    }
    return 0;
}

/*
 * As signals_wait() in runtime.c, from a signalfd(2) that poll(2)
 * watches beside the pty. SIGCHLD only marks the exit: the child stays a
 * zombie (WNOWAIT) until the pty is drained, so its PID is not reused.
 */
static int
on_signal(struct relay *r)
{
    struct signalfd_siginfo si;
    siginfo_t info;

    if (read(r->sig, &si, sizeof(si)) != sizeof(si)) {
        warn("read signalfd");
        return -1;
    }
    if (si.ssi_signo == SIGWINCH)
        return copy_winsize(r);
    if (si.ssi_signo != SIGCHLD) {
        kill(r->pid, (int)si.ssi_signo);
        return 0;
    }
    memset(&info, 0, sizeof(info));
    if (waitid(P_PID, (id_t)r->pid, &info, WEXITED | WNOHANG | WNOWAIT) == -1) {
        warn("waitid");
        return -1;
    }
    r->exited = info.si_pid == r->pid;
    return 0;
}

/*
 * Input that ends cannot close a pty; like script(1), send its VEOF
 * character (^D), which a read inside takes as end of file (termios(3)),
 * twice after a last line without a newline: the first only ends that
 * line. A terminal in raw mode has no end of its own: there, reading
 * stops. An error (EIO: the terminal hung up) ends input as well.
 */
static void
from_stdin(struct relay *r)
{
    struct termios t;
    ssize_t n;

    n = read(r->in, r->buf, sizeof(r->buf));
    if (n > 0) {
        r->off = 0;
        r->len = (size_t)n;
        r->last = r->buf[n - 1];
        return;
    }
    if (n == -1 && (errno == EAGAIN || errno == EINTR))
        return;
    r->in = -1;
    if (!r->term) {
        /* On a master, termios(3) calls reach the slave: pty(7). */
        r->buf[0] = tcgetattr(r->master, &t) == 0 ? (char)t.c_cc[VEOF] : CEOF;
        r->buf[1] = r->buf[0];
        r->off = 0;
        r->len = r->last == '\n' ? 1 : 2;
    }
}

static int
to_master(struct relay *r)
{
    ssize_t n;

    n = write(r->master, r->buf + r->off, r->len - r->off);
    if (n == -1 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n == -1 && errno != EIO) {
        warn("write pty");
        return -1;
    }
    /* EIO: nothing inside reads any more; the input is lost. */
    r->off = n == -1 ? r->len : r->off + (size_t)n;
    if (r->off == r->len)
        r->off = r->len = 0;
    return 0;
}

/* stdout may be non-blocking, shared with another program: wait. */
static int
write_all(const char *buf, size_t len)
{
    struct pollfd out = {.fd = STDOUT_FILENO, .events = POLLOUT};
    ssize_t n;

    while (len > 0) {
        n = write(STDOUT_FILENO, buf, len);
        if (n == -1 && errno != EAGAIN && errno != EINTR) {
            warn("write stdout");
            return -1;
        }
        if (n == -1 && errno == EAGAIN)
            poll(&out, 1, -1);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

/* 1: bytes went to stdout; 0: none for now, or none ever again; -1. */
static int
from_master(struct relay *r)
{
    char buf[RELAY_BUF];
    ssize_t n;

    n = read(r->master, buf, sizeof(buf));
    if (n == -1 && (errno == EAGAIN || errno == EINTR))
        return 0;
    /* EIO: no process inside holds the slave any more (pty(7)). */
    if (n == 0 || (n == -1 && errno == EIO)) {
        close(r->master);
        r->master = -1;
        return 0;
    }
    if (n == -1) {
        warn("read pty");
        return -1;
    }
    return write_all(buf, (size_t)n) == -1 ? -1 : 1;
}

static int
relay_loop(struct relay *r)
{
    struct pollfd fds[3];

    while (!r->exited) {
        /* stdin only into an empty buffer, and while the pty is there. */
        fds[0].fd = r->len == 0 && r->master != -1 ? r->in : -1;
        fds[0].events = POLLIN;
        fds[1].fd = r->master;
        fds[1].events = r->len > 0 ? POLLIN | POLLOUT : POLLIN;
        fds[2].fd = r->sig;
        fds[2].events = POLLIN;
        if (poll(fds, 3, -1) == -1) {
            if (errno == EINTR)
                continue;
            warn("poll");
            return -1;
        }
        if (fds[2].revents != 0 && on_signal(r) == -1)
            return -1;
        if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
                from_master(r) == -1)
            return -1;
        if ((fds[1].revents & POLLOUT) != 0 && r->master != -1 &&
                to_master(r) == -1)
            return -1;
        if (fds[0].revents != 0)
            from_stdin(r);
    }
    return 0;
}

/*
 * PID 1 of the container has exited, and every process inside before it
 * (pid_namespaces(7)): all they wrote is in the pty now, and then EIO.
 * EAGAIN instead: a slave lives on outside the container; stop there.
 */
static int
drain(struct relay *r)
{
    int n;

    do
        n = r->master == -1 ? 0 : from_master(r);
    while (n == 1);
    return n;
}

static int
reap(pid_t pid, int *wstatus)
{
    if (waitpid(pid, wstatus, 0) == -1) {
        warn("waitpid %d", (int)pid);
        return -1;
    }
    return 0;
}

int
tty_relay(int sock, pid_t pid, const sigset_t *set, int *wstatus)
{
    struct relay r = {.in = STDIN_FILENO, .sig = -1, .pid = pid, .last = '\n'};
    struct termios saved;
    int ret = -1;

    /*
     * A closed stdout fails a write (EPIPE) instead of killing runbox
     * with the terminal raw and the cgroup left behind.
     */
    signal(SIGPIPE, SIG_IGN);
    r.term = isatty(STDIN_FILENO);
    if (receive_master(sock, &r.master) == -1)
        return -1;
    if (r.master == -1) /* the child failed before, and said why */
        return reap(pid, wstatus);
    r.sig = signalfd(-1, set, SFD_CLOEXEC);
    if (r.sig == -1) {
        warn("signalfd");
        goto out_close_master;
    }
    if (start_relay(&r, sock, &saved) == -1)
        goto out_close_signalfd;
    if (relay_loop(&r) == 0 && drain(&r) == 0)
        ret = 0;
    if (restore_terminal(&r, &saved) == -1)
        ret = -1;
    if (ret == 0)
        ret = reap(pid, wstatus);
out_close_signalfd:
    close(r.sig);
out_close_master:
    if (r.master != -1)
        close(r.master);
    return ret;
}
