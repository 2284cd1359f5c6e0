/*
 * The container's filesystem as its description lists it (ocimount.h:
 * config.json's, or runbox run's): each mount in order, on a mountpoint
 * made and opened inside the new root (openat2(2) RESOLVE_IN_ROOT,
 * inroot.c), so that a symlink in the rootfs cannot lead a mount out to
 * the host. Then the devices the runtime-spec asks of every container,
 * made with mknod(2) or bound from the host (host_nodes), and those of
 * linux.devices.
 *
 * See: mount(2), mount_namespaces(7), mknod(2), cgroups(7), the
 * runtime-spec's config-linux.md (Default Devices, Devices).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "inroot.h"
#include "mount.h"
#include "ocirootfs.h"
#include "util.h"

#define HOST_CGROUP "/sys/fs/cgroup"

/* The runtime-spec's default devices, as Documentation/admin-guide/devices.txt.
 */
static const struct {
    const char *path;
    unsigned int major, minor;
} default_devices[] = {
        {"/dev/null", 1, 3},
        {"/dev/zero", 1, 5},
        {"/dev/full", 1, 7},
        {"/dev/random", 1, 8},
        {"/dev/urandom", 1, 9},
        {"/dev/tty", 5, 0},
};

/*
 * Without a /dev of the config's, the devices would be made in the
 * bundle's rootfs: runbox mounts this tmpfs first (as runbox run's /dev,
 * but not nodev, so that the nodes made in it open).
 */
static const struct oci_mount own_dev = {"tmpfs", "/dev", "tmpfs",
        MS_NOSUID | MS_STRICTATIME, 0, "mode=755,size=65536k"};

/* The flags of mount(2) that are a mount's own, as mount_setattr(2)'s. */
static const struct {
    unsigned long ms;
    unsigned long long attr;
} mount_attrs[] = {
        {MS_RDONLY, MOUNT_ATTR_RDONLY},
        {MS_NOSUID, MOUNT_ATTR_NOSUID},
        {MS_NODEV, MOUNT_ATTR_NODEV},
        {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
        {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
        {MS_NOATIME, MOUNT_ATTR_NOATIME},
        {MS_STRICTATIME, MOUNT_ATTR_STRICTATIME},
};

/*
 * A bind mount takes no flag but MS_REC: its own flags are set after it,
 * all of them, as a remount would (the atime kept unless given; "ro" on
 * an rbind is for the top mount only, as runc). The atime values of
 * mount_setattr(2) are one field: MOUNT_ATTR_RELATIME is 0 in it.
 */
static struct mount_attr
bind_attr(unsigned long flags)
{
    struct mount_attr attr = {0};
    size_t i;

    for (i = 0; i < NELEM(mount_attrs); i++)
        if (flags & mount_attrs[i].ms)
            attr.attr_set |= mount_attrs[i].attr;
    attr.attr_clr = (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                            MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME) &
            ~attr.attr_set;
    if (flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME))
        attr.attr_clr |= MOUNT_ATTR__ATIME;
    return attr;
}

/*
 * The flags of a bind mount, then the propagation, a change of its own
 * (recursive with MS_REC). The destination is opened anew: the fd taken
 * before the mount is of what is under it.
 */
static int
finish_mount(int root, const struct oci_mount *m)
{
    struct mount_attr attr = {0}, prop = {0};
    int fd, ret = -1;

    if (m->flags & MS_BIND)
        attr = bind_attr(m->flags);
    prop.propagation = m->propagation & ~MS_REC;
    if (!(m->flags & MS_BIND) && m->propagation == 0)
        return 0;
    fd = inroot_open(root, m->destination, 0);
    if (fd == -1) {
        warn("open %s in the container", m->destination);
        return -1;
    }
    if ((m->flags & MS_BIND) &&
            mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) == -1)
        warn("remount %s", m->destination);
    else if (m->propagation &&
            mount_setattr(fd, "",
                    AT_EMPTY_PATH |
                            (m->propagation & MS_REC ? AT_RECURSIVE : 0),
                    &prop, sizeof(prop)) == -1)
        warn("set the propagation of %s", m->destination);
    else
        ret = 0;
    close(fd);
    return ret;
}

/* M's source on the mountpoint DST, made as a file if FILE. */
static int
mount_at(int root, const char *dst, int file, const struct oci_mount *m)
{
    struct mount_spec spec = {m->source, dst, m->type, m->flags, m->data};

    return inroot_mount(root, &spec, file);
}

/*
 * One hierarchy of the host's /sys/fs/cgroup, mounted anew as NAME in
 * DIR, the tmpfs that mount_cgroup() has just made (an fd): in the
 * container's cgroup namespace it shows the container's own cgroup as its
 * root (cgroup_namespaces(7)). A v1 hierarchy is named by its controllers,
 * which are its directory's name ("cpu,cpuacct"). The tmpfs is runbox's,
 * made an instant ago, and no process of the container runs yet: its
 * entries are made in its fd, with no path resolved in the container.
 */
static int
mount_hierarchy(int dir, const char *dst, const char *name,
        const struct oci_mount *m)
{
    char path[PATH_MAX], data[NAME_MAX + 16], fd_path[FD_PATH_SIZE];
    const char *type = "cgroup";
    struct statfs sf;
    int fd, ret = -1;

    if (path_printf(path, sizeof(path), "%s/%s", HOST_CGROUP, name) == -1)
        return -1;
    if (statfs(path, &sf) == -1) {
        warn("statfs %s", path);
        return -1;
    }
    if (sf.f_type == CGROUP2_SUPER_MAGIC)
        type = "cgroup2";
    else if (sf.f_type != CGROUP_SUPER_MAGIC)
        return 0;
    if (path_printf(data, sizeof(data), "%s%s",
                strcmp(name, "systemd") == 0 ? "none,name=" : "", name) == -1 ||
            path_printf(path, sizeof(path), "%s/%s", dst, name) == -1)
        return -1;
    if (mkdirat(dir, name, 0755) == -1) {
        warn("mkdir %s in the container", path);
        return -1;
    }
    fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1) {
        warn("open %s in the container", path);
        return -1;
    }
    snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
    if (mount("cgroup", fd_path, type, m->flags,
                strcmp(type, "cgroup2") == 0 ? NULL : data) == -1)
        warn("mount %s on %s", "cgroup", path);
    else
        ret = 0;
    close(fd);
    return ret;
}

/*
 * Type "cgroup": the cgroup2 of a pure v2 host; on a v1 (or hybrid) one,
 * a tmpfs with each of its hierarchies in it, as runc and crun make it.
 */
static int
mount_cgroup(int root, const struct oci_mount *m)
{
    struct oci_mount tmpfs = {"tmpfs", NULL, "tmpfs", m->flags & ~MS_RDONLY, 0,
            "mode=755"};
    struct dirent *e;
    struct statfs sf;
    DIR *d;
    int dir, ret = 0;

    if (statfs(HOST_CGROUP, &sf) == -1) {
        warn("statfs %s", HOST_CGROUP);
        return -1;
    }
    if (sf.f_type == CGROUP2_SUPER_MAGIC) {
        tmpfs = (struct oci_mount){"cgroup2", NULL, "cgroup2", m->flags, 0,
                NULL};
        return mount_at(root, m->destination, 0, &tmpfs);
    }
    if (mount_at(root, m->destination, 0, &tmpfs) == -1)
        return -1;
    dir = inroot_open(root, m->destination, O_DIRECTORY);
    if (dir == -1) {
        warn("open %s in the container", m->destination);
        return -1;
    }
    d = opendir(HOST_CGROUP);
    if (d == NULL) {
        warn("opendir %s", HOST_CGROUP);
        close(dir);
        return -1;
    }
    while (ret == 0 && (e = readdir(d)) != NULL)
        if (e->d_type == DT_DIR && e->d_name[0] != '.')
            ret = mount_hierarchy(dir, m->destination, e->d_name, m);
    closedir(d);
    close(dir);
    if (ret == -1 || !(m->flags & MS_RDONLY))
        return ret;
    tmpfs = (struct oci_mount){NULL, m->destination, NULL,
            MS_BIND | (m->flags & ~MS_REC), 0, NULL};
    return finish_mount(root, &tmpfs);
}

/*
 * sysfs(5) shows the network namespace of its mounter, and the kernel
 * refuses it (EPERM) in a user namespace that does not own that netns,
 * or where a mount covers part of the host's sysfs (mount_too_revealing()
 * in fs/namespace.c): then the host's /sys is bound instead, with M's
 * flags and always read-only, as rootless runtimes do.
 */
static int
mount_sysfs(int root, const struct oci_mount *m)
{
    struct oci_mount host = {"/sys", m->destination, NULL, MS_BIND | MS_REC, 0,
            NULL};
    char fd_path[FD_PATH_SIZE];
    int fd, ret = -1;

    fd = inroot_make(root, m->destination, 0);
    if (fd == -1)
        return -1;
    snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
    if (mount(m->source, fd_path, "sysfs", m->flags, m->data) == 0)
        ret = finish_mount(root, m);
    else if (errno != EPERM)
        warn("mount sysfs on %s", m->destination);
    else if (mount_at(root, m->destination, 0, &host) == 0) {
        host.flags = MS_BIND | MS_RDONLY | (m->flags & ~MS_REC);
        ret = finish_mount(root, &host);
    }
    close(fd);
    return ret;
}

static int
mount_one(int root, const struct oci_mount *m)
{
    struct stat sb;
    int file = 0;

    if (m->type != NULL && strcmp(m->type, "cgroup") == 0)
        return mount_cgroup(root, m);
    if (m->flags & MS_BIND) {
        if (stat(m->source, &sb) == -1) {
            warn("stat %s", m->source);
            return -1;
        }
        file = !S_ISDIR(sb.st_mode);
    }
    if ((m->type == NULL || strcmp(m->type, "proc") != 0) &&
            inroot_check_target(root, m->destination) == -1)
        return -1;
    if (m->type != NULL && strcmp(m->type, "sysfs") == 0)
        return mount_sysfs(root, m);
    if (mount_at(root, m->destination, file, m) == -1)
        return -1;
    return finish_mount(root, m);
}

/*
 * In a user namespace mknod(2) is refused (user_namespaces(7)): the
 * host's node of the same path is bound instead, as runc does.
 */
static int
bind_host_node(int root, const char *path)
{
    struct mount_spec bind = {path, path, NULL, MS_BIND, NULL};

    return inroot_mount(root, &bind, 1);
}

/*
 * The node NAME just made in PARENT gets UID:GID and MODE whole (the
 * umask took from mknod's). Through an O_PATH fd of the node itself,
 * checked to be it: a path would follow a symlink that a process sharing
 * a volume put there meanwhile, and chmod a file of the host.
 */
static int
own_node(int parent, const char *name, const char *path, mode_t mode,
        dev_t rdev, uid_t uid, gid_t gid)
{
    char fd_path[FD_PATH_SIZE];
    struct stat sb;
    int fd, ret = -1;

    fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1) {
        warn("open %s", path);
        return -1;
    }
    /* A fifo has no device number: mknod(2) ignores RDEV for it. */
    if (fstat(fd, &sb) == -1 || (sb.st_mode & S_IFMT) != (mode & S_IFMT) ||
            (!S_ISFIFO(sb.st_mode) && sb.st_rdev != rdev)) {
        warnx("%s was replaced while it was made", path);
        goto out_close;
    }
    snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
    if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) == -1 ||
            chmod(fd_path, mode & 07777) == -1) {
        warn("chown or chmod %s", path);
        goto out_close;
    }
    ret = 0;
out_close:
    close(fd);
    return ret;
}

/*
 * NAME in PARENT, the container's PATH, made anew as MODE (its type and
 * permissions), RDEV, UID:GID.
 */
static int
make_node_in(int root, int parent, const char *name, const char *path,
        mode_t mode, dev_t rdev, uid_t uid, gid_t gid)
{
    int ret;

    ret = mknodat(parent, name, mode, rdev);
    /* A default device listed in linux.devices too: the config's wins. */
    if (ret == -1 && errno == EEXIST && unlinkat(parent, name, 0) == 0)
        ret = mknodat(parent, name, mode, rdev);
    if (ret == -1 && errno == EPERM)
        return bind_host_node(root, path);
    if (ret == -1) {
        warn("mknod %s", path);
        return -1;
    }
    return own_node(parent, name, path, mode, rdev, uid, gid);
}

/* PATH made anew as MODE (its type and permissions), RDEV, UID:GID. */
static int
make_node(int root, const char *path, mode_t mode, dev_t rdev, uid_t uid,
        gid_t gid)
{
    char dir[PATH_MAX], *name;
    int parent, ret;

    if (path_printf(dir, sizeof(dir), "%s", path) == -1)
        return -1;
    name = strrchr(dir, '/');
    *name++ = '\0';
    parent = inroot_make(root, dir[0] ? dir : "/", 0);
    if (parent == -1)
        return -1;
    ret = make_node_in(root, parent, name, path, mode, rdev, uid, gid);
    close(parent);
    return ret;
}

/*
 * host_nodes: the host's node PATH bound onto an empty file, made with
 * O_EXCL through DEV, the fd of the fresh /dev tmpfs, where nothing of
 * the rootfs can lead elsewhere; the fd of the new file is the
 * mountpoint, and no path is looked up in the container at all. A bind
 * mount keeps the flags of the host's /dev, on which the node opens.
 */
static int
bind_host_node_in(int dev, const char *path)
{
    const char *name = path + strlen("/dev/");
    char target[FD_PATH_SIZE];
    int fd, ret = 0;

    fd = openat(dev, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd == -1) {
        warn("create %s in the container", path);
        return -1;
    }
    snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
    if (mount(path, target, NULL, MS_BIND, NULL) == -1) {
        warn("mount %s on %s", path, path);
        ret = -1;
    }
    close(fd);
    return ret;
}

/* The runtime-spec's default devices: made, or the host's bound. */
static int
make_default_devices(const struct fs_spec *fs, int root, int dev)
{
    dev_t rdev;
    size_t i;
    int ret;

    for (i = 0; i < NELEM(default_devices); i++) {
        rdev = makedev(default_devices[i].major, default_devices[i].minor);
        /* Each in DEV, the fd of /dev: resolved once, not six times. */
        if (fs->host_nodes)
            ret = bind_host_node_in(dev, default_devices[i].path);
        else
            ret = make_node_in(root, dev,
                    default_devices[i].path + strlen("/dev/"),
                    default_devices[i].path, S_IFCHR | 0666, rdev, 0, 0);
        if (ret == -1)
            return -1;
    }
    return 0;
}

/* The default devices, linux.devices, then the links of /dev. */
static int
make_devices(const struct fs_spec *fs, int root)
{
    const struct oci_device *d;
    size_t i;
    int dev, ret = -1;

    dev = inroot_open(root, "/dev", O_DIRECTORY);
    if (dev == -1) {
        warn("open /dev in the container");
        return -1;
    }
    if (make_default_devices(fs, root, dev) == -1)
        goto out_close;
    for (i = 0; i < fs->ndevices; i++) {
        d = &fs->devices[i];
        if (make_node(root, d->path, d->mode, d->rdev, d->uid, d->gid) == -1)
            goto out_close;
    }
    ret = inroot_dev_links(dev);
out_close:
    close(dev);
    return ret;
}

int
ocirootfs_mount(const struct fs_spec *fs, int root)
{
    size_t i;

    if (!fs->has_dev && mount_one(root, &own_dev) == -1)
        return -1;
    for (i = 0; i < fs->nmounts; i++)
        if (mount_one(root, &fs->mounts[i]) == -1)
            return -1;
    return make_devices(fs, root);
}

int
ocirootfs_propagate(const struct fs_spec *fs)
{
    if (fs->root_propagation &&
            mount(NULL, "/", NULL, fs->root_propagation, NULL) == -1) {
        warn("set the propagation of %s", "/");
        return -1;
    }
    return 0;
}
