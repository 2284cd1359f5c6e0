/*
 * Paths inside the container's new root, before pivot_root(2): each
 * opened as the container will see it (openat2(2) RESOLVE_IN_ROOT), made
 * on the way if missing, and mounted on through its fd, never looked up
 * a second time. Used by mount.c for runbox run and by ocirootfs.c for a
 * config.json's mounts.
 *
 * See: openat2(2), mount(2), proc(5) "/proc/self/fd".
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inroot.h"
#include "util.h"

static const struct dev_link {
    const char *name;
    const char *target;
} dev_links[] = {
        {"fd", "/proc/self/fd"},
        {"stdin", "/proc/self/fd/0"},
        {"stdout", "/proc/self/fd/1"},
        {"stderr", "/proc/self/fd/2"},
        {"core", "/proc/kcore"},
        {"ptmx", "pts/ptmx"},
};

/*
 * openat2(2): PATH resolves as if ROOT were "/", ".." and absolute
 * symlinks included, and no magic link of a /proc may jump out of it.
 */
int
inroot_open(int root, const char *path, int flags)
{
    struct open_how how;

    memset(&how, 0, sizeof(how));
    how.flags = O_PATH | O_CLOEXEC | flags;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
}

/* Makes NAME in DIR, a directory or an empty FILE, unless it exists. */
static int
make_entry(int dir, const char *name, int file, const char *path)
{
    int fd = -1;

    if (!file) {
        if (mkdirat(dir, name, 0755) == -1 && errno != EEXIST) {
            warn("mkdir %s in the container", path);
            return -1;
        }
        return 0;
    }
    /* O_EXCL: an existing name, a symlink too, is left as it is. */
    fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd == -1 && errno != EEXIST) {
        warn("create %s in the container", path);
        return -1;
    }
    if (fd != -1)
        close(fd);
    return 0;
}

/*
 * TARGET of the container as an O_PATH fd, made on the way if missing:
 * directories, and an empty file last if FILE. Each entry is made in the
 * fd of its resolved parent, never through a path, and each prefix is
 * resolved anew from ROOT, so symlinks lead where the container will see
 * them lead.
 */
int
inroot_make(int root, const char *target, int file)
{
    char path[PATH_MAX];
    char *name, *end, saved;
    int dir = -1, last;

    if (path_printf(path, sizeof(path), "%s", target) == -1)
        return -1;
    dir = inroot_open(root, "/", O_DIRECTORY);
    if (dir == -1) {
        warn("open / of the container");
        return -1;
    }
    for (name = path + strspn(path, "/"); *name != '\0';
            name = end + strspn(end, "/")) {
        end = name + strcspn(name, "/");
        last = end[strspn(end, "/")] == '\0';
        saved = *end;
        *end = '\0';
        if (make_entry(dir, name, last && file, path) == -1) {
            close(dir);
            return -1;
        }
        close(dir);
        dir = inroot_open(root, path, last ? 0 : O_DIRECTORY);
        if (dir == -1) {
            warn("open %s in the container", path);
            return -1;
        }
        *end = saved;
    }
    return dir;
}

/*
 * Mounts onto the inode inroot_make() resolved, through its magic link in
 * /proc (as crun does), so no path is looked up a second time.
 */
int
inroot_mount(int root, const struct mount_spec *m, int file)
{
    char fd_path[FD_PATH_SIZE];
    int fd = -1, ret = -1;

    fd = inroot_make(root, m->target, file);
    if (fd == -1)
        return -1;
    if (path_printf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd) == -1)
        goto out_close;
    if (mount(m->source, fd_path, m->fstype, m->flags, m->data) == -1) {
        warn("mount %s on %s", m->source, m->target);
        goto out_close;
    }
    ret = 0;
out_close:
    close(fd);
    return ret;
}

/* A link the config's /dev already has (OCI) is left as it is. */
int
inroot_dev_links(int dev)
{
    size_t i;

    for (i = 0; i < NELEM(dev_links); i++) {
        if (symlinkat(dev_links[i].target, dev, dev_links[i].name) == -1 &&
                errno != EEXIST) {
            warn("symlink /dev/%s", dev_links[i].name);
            return -1;
        }
    }
    return 0;
}

int
inroot_check_target(int root, const char *target)
{
    int fd, ret = 0;

    fd = inroot_open(root, target, O_PATH);
    /* Missing: it is made in the rootfs, where procfs makes nothing. */
    if (fd == -1)
        return 0;
    /* Outside /proc by its words, inside by a symlink: never allowed. */
    if (on_procfs(fd) &&
            (strncmp(target, "/proc/", 6) != 0 ||
                    !proc_mount_allowed(target, 0))) {
        warnx("%s in the container leads into /proc: no mount may cover it",
                target);
        ret = -1;
    }
    close(fd);
    return ret;
}
