/*
 * CVE-2019-5736. A process that runbox starts in a container is a copy of
 * runbox until its execve(2), and /proc/PID/exe of that process names
 * runbox's own file on the host. An image whose /bin/sh is a symlink to
 * /proc/self/exe makes runbox execute that file again, inside: with the
 * image's loader and an /etc/ld.so.preload of its own, the image's code
 * runs in it, keeps an fd of /proc/self/exe, and once every runbox on
 * the host has exited (until then a write fails with ETXTBSY), reopens
 * it for writing through /proc/self/fd/N: root inside rewrites the
 * runtime that the host runs next.
 *
 * So the OCI commands whose processes enter a container (create, exec,
 * and run --bundle, which outlive runbox or join a container that does)
 * never let one do so from runbox's file: before anything, runbox copies
 * itself into a memfd
 * (memfd_create(2)), seals the copy against every change (F_SEAL_WRITE,
 * F_SEAL_GROW, F_SEAL_SHRINK, and F_SEAL_SEAL so that no seal comes off)
 * and executes the copy (execveat(2)). /proc/self/exe of every process
 * runbox makes is then that copy: a write to it fails (EPERM) whoever
 * asks, and the file on the host is reached by no path at all. runc and
 * crun did the same (runc's libcontainer/dmz, crun's
 * ensure_cloned_binary()).
 *
 * runbox run needs no copy, and saves its cost at every start: runbox
 * executes its file for as long as any process of the container lives, so
 * the kernel refuses to open the file for writing (ETXTBSY, open(2)). Its
 * guard (runtime.c) sees to that even when runbox is killed: it executes
 * the file too, and exits only once the container's PID namespace is
 * empty.
 *
 * See: memfd_create(2), fcntl(2) "File seals", execveat(2), proc(5)
 * "/proc/pid/exe".
 */
#define _GNU_SOURCE
#include <elf.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sealed.h"
#include "util.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: say the copy is meant to run */
#endif

/*
 * A sanitizer's report names functions from the debugging information of
 * /proc/self/exe: under one, the whole file is copied.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

extern char **environ;

/* The commands whose processes enter a container. */
static const char *const entering[] = {"run", "create", "exec"};

int
sealed_needed(int argc, char *argv[])
{
    size_t i;
    int a;

    /* Any word will do, an option's value too: a copy too many is safe. */
    for (a = 1; a < argc; a++)
        for (i = 0; i < NELEM(entering); i++)
            if (strcmp(argv[a], entering[i]) == 0)
                return 1;
    return 0;
}

/* Whether FD, runbox's own executable, is a copy sealed as above. */
static int
is_sealed(int fd)
{
    int seals = fcntl(fd, F_GET_SEALS);

    return seals != -1 && (seals & SEALS) == SEALS;
}

/*
 * A memfd that may be executed: vm.memfd_noexec (Linux 6.3) wants
 * MFD_EXEC said, and older kernels refuse the flag (EINVAL).
 */
static int
make_memfd(void)
{
    int fd;

    fd = memfd_create("runbox", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd == -1 && errno == EINVAL)
        fd = memfd_create("runbox", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd == -1)
        warn("memfd_create");
    return fd;
}

/* SIZE bytes of SRC into the memfd DST, whole. */
static int
copy_whole(int dst, int src, off_t size)
{
    off_t offset = 0;
    ssize_t n;

    while (offset < size) {
        n = sendfile(dst, src, &offset, (size_t)(size - offset));
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0) {
            warn("copy /proc/self/exe into a memfd");
            return -1;
        }
    }
    return 0;
}

/*
 * How much of the ELF file EXE execve(2) and ld.so(8) read: up to the end
 * of its last segment (elf(5), the program headers). What follows, the
 * section headers and the debugging information, is left out of the copy,
 * which is then a third of the file. 0 if EXE is not a 64-bit ELF file as
 * expected: then the whole file is copied.
 */
static off_t
loaded_size(int exe)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    off_t end = 0;
    int i;

    if (pread(exe, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
            memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
            eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(ph))
        return 0;
    for (i = 0; i < eh.e_phnum; i++) {
        if (pread(exe, &ph, sizeof(ph),
                    (off_t)(eh.e_phoff + (Elf64_Off)i * sizeof(ph))) !=
                (ssize_t)sizeof(ph))
            return 0;
        if ((off_t)(ph.p_offset + ph.p_filesz) > end)
            end = (off_t)(ph.p_offset + ph.p_filesz);
    }
    /* The program headers themselves, if no segment holds them. */
    if ((off_t)(eh.e_phoff + (Elf64_Off)eh.e_phnum * sizeof(ph)) > end)
        end = (off_t)(eh.e_phoff + (Elf64_Off)eh.e_phnum * sizeof(ph));
    return end;
}

/* A sealed copy of the executable EXE, or -1 after one line. */
static int
sealed_copy(int exe)
{
    struct stat sb;
    off_t size;
    int fd;

    if (fstat(exe, &sb) == -1) {
        warn("stat /proc/self/exe");
        return -1;
    }
    size = SANITIZED ? 0 : loaded_size(exe);
    if (size <= 0 || size > sb.st_size)
        size = sb.st_size;
    fd = make_memfd();
    if (fd == -1)
        return -1;
    if (copy_whole(fd, exe, size) == -1)
        goto out_close;
    if (fcntl(fd, F_ADD_SEALS, SEALS) == -1) {
        warn("seal the copy of runbox");
        goto out_close;
    }
    return fd;
out_close:
    close(fd);
    return -1;
}

int
sealed_reexec(char *argv[])
{
    int exe, copy;

    exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (exe == -1) {
        warn("open /proc/self/exe");
        return -1;
    }
    if (is_sealed(exe)) {
        close(exe);
        /* execveat(2) named the process after the fd ("3"): runbox. */
        prctl(PR_SET_NAME, program_invocation_short_name, 0, 0, 0);
        return 0;
    }
    copy = sealed_copy(exe);
    close(exe);
    if (copy == -1)
        return -1;
    execveat(copy, "", argv, environ, AT_EMPTY_PATH);
    warn("execveat the sealed copy of runbox");
    close(copy);
    return -1;
}
