/*
 * The container's filesystem, built by the child in its own mount
 * namespace: an overlay over the rootfs, so that the rootfs is never
 * written (or, from a bundle, the rootfs itself); the mounts and devices
 * the description lists (ocirootfs.c: for runbox run, /proc, /sys and a
 * minimal /dev as Docker makes them); the volumes; then pivot_root(2)
 * into it, with the old root detached, so that nothing of the host is
 * left to reach. Last, the masked and read-only paths hide what /proc and
 * /sys still tell about the host.
 *
 * Every mountpoint inside the new root is looked up with openat2(2)
 * RESOLVE_IN_ROOT, so that a symlink in the rootfs cannot send a mount
 * out to the host (CVE-2024-21626, CVE-2025-31133).
 *
 * With --read-only the rootfs is bound read-only at once, before any
 * other mount, so nothing can be made in it, by mistake either: /proc,
 * /sys, /dev and the DST of each volume must exist there already
 * (Docker's rule for the first three; the busybox rootfs has them), and
 * the new "/" is read-only with nothing left to do.
 *
 * See: mount_namespaces(7), mount(2), pivot_root(2), openat2(2),
 * the kernel's Documentation/filesystems/overlayfs.rst
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hosts.h"
#include "inroot.h"
#include "mount.h"
#include "ocirootfs.h"
#include "sysctl.h"
#include "util.h"

/*
 * A bind remount sets the mount's flags anew: these must be passed again,
 * or it clears them, or fails with EPERM where they are locked (in a user
 * namespace, mount_namespaces(7)). Atime flags are kept unless given.
 */
static const struct {
    unsigned long st; /* statvfs(3) */
    unsigned long ms; /* mount(2) */
} kept_flags[] = {
        {ST_NOSUID, MS_NOSUID},
        {ST_NODEV, MS_NODEV},
        {ST_NOEXEC, MS_NOEXEC},
};

static int remove_tree(const char *dir);

/*
 * nftw(3) walks depth first (FTW_DEPTH): a directory comes after its
 * entries, so that it is empty by the time it is removed.
 */
static int
remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    /*
     * Without root, a directory closed to its owner (by the container, or
     * overlayfs' own work/work) cannot be read, but it is the caller's to
     * open again: then it is walked anew.
     */
    if (type == FTW_DNR && chmod(path, 0700) == 0)
        return remove_tree(path) == 0 ? 0 : 1;
    if (remove(path) == -1) {
        warn("remove %s", path);
        return 1;
    }
    return 0;
}

static int
remove_tree(const char *dir)
{
    int ret;

    /* Never follow a symlink the container left, never cross a mount. */
    ret = nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    if (ret == -1 && errno != ENOENT) {
        warn("remove %s", dir);
        return -1;
    }
    return ret > 0 ? -1 : 0;
}

int
mount_cleanup(struct rootfs_state *st)
{
    if (st->dir[0] == '\0')
        return 0;
    if (remove_tree(st->dir) == -1)
        return -1;
    st->dir[0] = '\0';
    return 0;
}

/*
 * In a user namespace the overlay is mounted by root inside, who is
 * cfg->root_uid outside: give it what it must write.
 */
static int
give_to_root(const struct config *cfg, const char *path)
{
    if (cfg->userns && chown(path, cfg->root_uid, cfg->root_gid) == -1) {
        warn("chown %s", path);
        return -1;
    }
    return 0;
}

static int
make_dir(const struct config *cfg, const char *dir, const char *name)
{
    char path[PATH_MAX];

    if (path_printf(path, sizeof(path), "%s/%s", dir, name) == -1)
        return -1;
    if (mkdir(path, 0700) == -1) {
        warn("mkdir %s", path);
        return -1;
    }
    return give_to_root(cfg, path);
}

/*
 * The root of an overlay takes its mode and owner from upper/: give it
 * those of the rootfs, whatever the umask, or a user of -u could find
 * "/" closed to them; its owner is root inside, in a user namespace.
 */
static int
make_upper(const struct config *cfg, const char *dir)
{
    char upper[PATH_MAX];
    struct stat sb;

    if (stat(cfg->rootfs, &sb) == -1) {
        warn("stat %s", cfg->rootfs);
        return -1;
    }
    if (make_dir(cfg, dir, "upper") == -1 ||
            path_printf(upper, sizeof(upper), "%s/upper", dir) == -1)
        return -1;
    if (cfg->userns) {
        sb.st_uid = cfg->root_uid;
        sb.st_gid = cfg->root_gid;
    }
    if (chown(upper, sb.st_uid, sb.st_gid) == -1) {
        warn("chown %s", upper);
        return -1;
    }
    if (chmod(upper, sb.st_mode & 07777) == -1) {
        warn("chmod %s", upper);
        return -1;
    }
    return 0;
}

/*
 * An overlay's upper/, work/ and merged/ are on a tmpfs of the
 * container's own (mount_layers()), except for root of a user namespace:
 * its layers are made here, in the state directory, owned by its ids
 * outside (give_to_root(), make_upper()). With its overlay in memory, a
 * container has a state directory only for the /etc files of --net
 * bridge (hosts.c).
 */
static int
overlay_in_memory(const struct config *cfg)
{
    return !cfg->read_only && !cfg->bind_root && !cfg->userns;
}

/* What is left half-made on failure is for mount_cleanup() to remove. */
int
mount_prepare(const struct config *cfg, struct rootfs_state *st)
{
    st->dir[0] = '\0';
    /*
     * 0711: root of a user namespace must pass through to its own state
     * directory; each is 0700, as upper/ keeps what the container writes,
     * setuid files too. Rootless, the caller's own: userns_configure().
     */
    if (!cfg->rootless &&
            ((mkdir(cfg->state_root, 0711) == -1 && errno != EEXIST) ||
                    chmod(cfg->state_root, 0711) == -1)) {
        warn("mkdir %s", cfg->state_root);
        return -1;
    }
    if (overlay_in_memory(cfg) && cfg->net != NET_BRIDGE)
        return 0;
    if (path_printf(st->dir, sizeof(st->dir), "%s/%s.XXXXXX", cfg->state_root,
                cfg->name) == -1) {
        st->dir[0] = '\0';
        return -1;
    }
    /* mkdtemp(3): a name no other runbox has, mode 0700. */
    if (mkdtemp(st->dir) == NULL) {
        warn("mkdtemp %s", st->dir);
        st->dir[0] = '\0';
        return -1;
    }
    if (give_to_root(cfg, st->dir) == -1)
        return -1;
    if (overlay_in_memory(cfg))
        return 0;
    if (!cfg->read_only) {
        if (make_upper(cfg, st->dir) == -1 ||
                make_dir(cfg, st->dir, "work") == -1)
            return -1;
    }
    return make_dir(cfg, st->dir, "merged");
}

/*
 * Remounts the bind mount at PATH with FLAGS (MS_RDONLY or 0), always
 * nodev: no device node on it opens, so one made by root inside (it has
 * CAP_MKNOD) cannot reach a host disk. Messages call it NAME.
 */
static int
remount(const char *path, const char *name, unsigned long flags)
{
    struct statvfs sv;
    size_t i;

    flags |= MS_BIND | MS_REMOUNT | MS_NODEV;
    /* A remount must repeat the locked flags, or it fails with EPERM. */
    if (statvfs(path, &sv) == -1) {
        warn("statvfs %s", name);
        return -1;
    }
    for (i = 0; i < NELEM(kept_flags); i++)
        if (sv.f_flag & kept_flags[i].st)
            flags |= kept_flags[i].ms;
    if (mount(NULL, path, NULL, flags, NULL) == -1) {
        warn("remount %s%s", name, flags & MS_RDONLY ? " read-only" : "");
        return -1;
    }
    return 0;
}

static int
make_private(void)
{
    /*
     * systemd makes "/" shared: pivot_root(2) fails with EINVAL on a
     * shared mount, and every mount below would propagate to the host.
     */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
        warn("mount --make-rprivate /");
        return -1;
    }
    return 0;
}

/*
 * overlayfs: reads fall through to the rootfs (lowerdir), writes land in
 * upper/, which mount_cleanup() removes. The options are one string of
 * paths, so a rootfs path with a separator in it is refused rather than
 * mis-parsed; the state directory's name is runbox's own.
 */
static int
bind_rootfs(const char *rootfs, const char *merged, int read_only)
{
    if (mount(rootfs, merged, NULL, MS_BIND, NULL) == -1) {
        warn("bind %s on %s", rootfs, merged);
        return -1;
    }
    /* An OCI root is the bundle's own, written in place (runtime-spec). */
    if (!read_only)
        return 0;
    /* Now, before anything else could write into the rootfs itself. */
    return remount(merged, merged, MS_RDONLY);
}

/*
 * In a user namespace, overlayfs needs Linux 5.11, and an upper directory
 * on a filesystem that can hold one: without them, a rootless container
 * gets the rootfs bound read-only, and a tmpfs on /tmp for its writes, as
 * docker run --read-only --tmpfs /tmp. 0 for an overlay, 1 for that, -1.
 */
static int
mount_overlay(const struct config *cfg, const char *dir, const char *merged)
{
    char data[4096]; /* mount(2) copies one page of options at most */

    if (strpbrk(cfg->rootfs, ",:\\") != NULL) {
        warnx("rootfs %s: overlayfs takes no path with ',', ':' or '\\'",
                cfg->rootfs);
        return -1;
    }
    if (path_printf(data, sizeof(data),
                "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", cfg->rootfs,
                dir, dir) == -1)
        return -1;
    /* nodev: see remount(). */
    if (mount("overlay", merged, "overlay", MS_NODEV, data) == 0)
        return 0;
    if (!cfg->rootless || (errno != EPERM && errno != EINVAL)) {
        warn("mount overlay on %s", merged);
        return -1;
    }
    warnx("mount overlay: %s: the rootfs is read-only, /tmp a tmpfs",
            strerror(errno));
    return bind_rootfs(cfg->rootfs, merged, 1) == -1 ? -1 : 1;
}

/*
 * A tmpfs on DIR, the state directory or else the state root, in the
 * child's mount namespace only, holds upper/, work/ and merged/. What
 * the container writes is in memory, charged to its memory cgroup, as
 * it is wherever /run is a tmpfs, and goes with the namespace. On a /run
 * on disk, every start would pay the journal: the mkdir(2)s and
 * rmdir(2)s, overlayfs' checks in work/, its sync at unmount
 * (docs/performance.md).
 */
static int
mount_layers(const struct config *cfg, const char *dir, const char *merged)
{
    if (mount("tmpfs", dir, "tmpfs", MS_NODEV, "mode=0700") == -1) {
        warn("mount tmpfs on %s", dir);
        return -1;
    }
    if (make_upper(cfg, dir) == -1 || make_dir(cfg, dir, "work") == -1 ||
            make_dir(cfg, dir, "merged") == -1)
        return -1;
    return mount_overlay(cfg, dir, merged);
}

static int
mount_root(const struct config *cfg, const char *dir, const char *merged)
{
    /* An OCI root is made read-only last: see root_read_only(). */
    if (cfg->read_only || cfg->bind_root)
        return bind_rootfs(cfg->rootfs, merged,
                cfg->read_only && !cfg->bind_root);
    if (overlay_in_memory(cfg))
        return mount_layers(cfg, dir, merged);
    return mount_overlay(cfg, dir, merged);
}

/* TARGET is opened anew: an fd of the mountpoint is under the new mount. */
static int
reinroot_mount(int root, const char *target, unsigned long flags)
{
    char fd_path[FD_PATH_SIZE];
    int fd = -1, ret = -1;

    fd = inroot_open(root, target, 0);
    if (fd == -1) {
        warn("open %s in the container", target);
        return -1;
    }
    if (path_printf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd) == 0)
        ret = remount(fd_path, target, flags);
    close(fd);
    return ret;
}

/*
 * A bind mount ignores MS_RDONLY and MS_NODEV, and a remount changes one
 * mount only. So the volume is made as a detached tree first
 * (open_tree(2)), made nodev (see remount()) and, with :ro, read-only,
 * all the way down (mount_setattr(2) with AT_RECURSIVE), and only then
 * moved onto the target's fd (move_mount(2)): its flags are never applied
 * through a path, which a process sharing the volume could swap for a
 * symlink in between.
 */
static int
mount_volume(int root, const struct volume *v)
{
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_NODEV};
    int tree, target = -1, ret = -1;
    struct stat sb;

    if (v->read_only)
        attr.attr_set |= MOUNT_ATTR_RDONLY;
    tree = open_tree(AT_FDCWD, v->source,
            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree == -1 || fstat(tree, &sb) == -1) {
        warn("volume %s", v->source);
        goto out_close;
    }
    if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                sizeof(attr)) == -1) {
        warn("mount_setattr %s", v->source);
        goto out_close;
    }
    if (inroot_check_target(root, v->target) == -1)
        goto out_close;
    target = inroot_make(root, v->target, !S_ISDIR(sb.st_mode));
    if (target == -1)
        goto out_close;
    if (move_mount(tree, "", target, "",
                MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == -1) {
        warn("mount %s on %s", v->source, v->target);
        goto out_close;
    }
    ret = 0;
out_close:
    if (target != -1)
        close(target);
    if (tree != -1)
        close(tree);
    return ret;
}

/*
 * root.readonly of config.json: the bundle's root, written in place, gets
 * the mountpoints its mounts need first (as runc makes them: Docker's -v
 * of a directory the image lacks), and is made read-only last, before
 * pivot_root(2). runbox run --read-only never writes into its rootfs: it
 * is read-only from the start (bind_rootfs()).
 */
static int
root_read_only(const struct config *cfg, const char *merged)
{
    if (!cfg->bind_root || !cfg->read_only)
        return 0;
    return remount(merged, merged, MS_RDONLY);
}

/*
 * The files of hosts.c (--net bridge), bound over the rootfs's /etc/NAME
 * as Docker does: a write inside lands in the state directory. With
 * --read-only a file the rootfs lacks cannot be made, and is left out.
 */
static int
mount_etc_file(const struct config *cfg, int root, const char *dir,
        const char *name)
{
    char src[PATH_MAX], dst[PATH_MAX];
    struct mount_spec bind = {src, dst, NULL, MS_BIND, NULL};
    int fd;

    if (path_printf(src, sizeof(src), "%s/%s", dir, name) == -1 ||
            path_printf(dst, sizeof(dst), "/etc/%s", name) == -1)
        return -1;
    if (cfg->read_only) {
        fd = inroot_open(root, dst, 0);
        if (fd == -1 && errno == ENOENT)
            return 0;
        if (fd != -1)
            close(fd);
    }
    if (inroot_mount(root, &bind, 1) == -1)
        return -1;
    return reinroot_mount(root, dst, 0);
}

static int
mount_etc_files(const struct config *cfg, int root, const char *state_dir)
{
    char dir[PATH_MAX];
    struct dirent *e;
    DIR *d;
    int ret = 0;

    if (path_printf(dir, sizeof(dir), "%s/%s", state_dir, HOSTS_DIR) == -1)
        return -1;
    d = opendir(dir);
    if (d == NULL && errno == ENOENT) /* --net none */
        return 0;
    if (d == NULL) {
        warn("opendir %s", dir);
        return -1;
    }
    while (ret == 0 && (e = readdir(d)) != NULL)
        if (e->d_type == DT_REG)
            ret = mount_etc_file(cfg, root, dir, e->d_name);
    closedir(d);
    return ret;
}

/* Volumes after /dev, as Docker: one may cover a part of it. */
static int
mount_volumes(const struct config *cfg, int root)
{
    size_t i;

    for (i = 0; i < cfg->nvolumes; i++)
        if (mount_volume(root, &cfg->volumes[i]) == -1)
            return -1;
    return 0;
}

/*
 * pivot_root(2) NOTES: with new_root and put_old both ".", the old root
 * is stacked on the new one, where umount2(2) detaches it: no put_old
 * directory is needed (runc does the same).
 */
static int
pivot(const char *merged)
{
    if (chdir(merged) == -1) {
        warn("chdir %s", merged);
        return -1;
    }
    if (syscall(SYS_pivot_root, ".", ".") == -1) {
        warn("pivot_root %s", merged);
        return -1;
    }
    if (umount2(".", MNT_DETACH) == -1) {
        warn("umount the old root");
        return -1;
    }
    if (chdir("/") == -1) {
        warn("chdir /");
        return -1;
    }
    return 0;
}

/*
 * A file gets the null device over it (NULL_PATH, see open_null()), a
 * directory an empty read-only tmpfs: one for them all, mounted on the
 * first and bound onto the others. EMPTY holds the first one's path, ""
 * until then: each new tmpfs is a superblock the kernel builds, and
 * tears down when the container exits; a bind mount only points at one.
 */
static int
mask_path(const char *path, const char *null_path, char *empty, size_t size)
{
    struct stat sb;

    if (stat(path, &sb) == -1) {
        if (errno == ENOENT) /* not on this kernel */
            return 0;
        warn("stat %s", path);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (mount(null_path, path, NULL, MS_BIND, NULL) == -1) {
            warn("mount /dev/null on %s", path);
            return -1;
        }
        return 0;
    }
    if (empty[0] != '\0') {
        if (mount(empty, path, NULL, MS_BIND, NULL) == -1) {
            warn("bind an empty directory on %s", path);
            return -1;
        }
        return 0;
    }
    if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) == -1) {
        warn("mount tmpfs on %s", path);
        return -1;
    }
    return path_printf(empty, size, "%s", path);
}

static int
readonly_path(const char *path)
{
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) == -1) {
        if (errno == ENOENT) /* not on this kernel */
            return 0;
        warn("bind %s on itself", path);
        return -1;
    }
    return remount(path, path, MS_RDONLY);
}

/*
 * The /dev/null to mask with, opened once and checked to be the null
 * device: a volume over /dev could have put a symlink there, to a file
 * that masking would then bind read-write over /proc (CVE-2025-31133).
 */
static int
open_null(void)
{
    struct stat sb;
    int fd;

    fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1) {
        warn("open /dev/null in the container");
        return -1;
    }
    if (fstat(fd, &sb) == -1 || !S_ISCHR(sb.st_mode) ||
            sb.st_rdev != makedev(1, 3)) {
        warnx("/dev/null in the container is not the null device");
        close(fd);
        return -1;
    }
    return fd;
}

/* After pivot_root(2): no host is left to escape to. */
static int
protect_paths(const char *const *masked, size_t nmasked,
        const char *const *readonly, size_t nreadonly)
{
    char null_path[FD_PATH_SIZE], empty[PATH_MAX] = "";
    int null_fd, ret = -1;
    size_t i;

    null_fd = open_null();
    if (null_fd == -1)
        return -1;
    if (path_printf(null_path, sizeof(null_path), "/proc/self/fd/%d",
                null_fd) == -1)
        goto out_close;
    for (i = 0; i < nmasked; i++)
        if (mask_path(masked[i], null_path, empty, sizeof(empty)) == -1)
            goto out_close;
    for (i = 0; i < nreadonly; i++)
        if (readonly_path(readonly[i]) == -1)
            goto out_close;
    ret = 0;
out_close:
    close(null_fd);
    return ret;
}

/* The description's lists, then the propagation "/" may ask for. */
static int
protect(const struct config *cfg)
{
    const struct fs_spec *fs = cfg->fs;

    if (protect_paths((const char *const *)fs->masked, fs->nmasked,
                (const char *const *)fs->readonly, fs->nreadonly) == -1)
        return -1;
    return ocirootfs_propagate(fs);
}

/*
 * Where the root is mounted: a bundle's on itself, as runc does, so that
 * nothing of it is made on the host; else merged/ in DIR.
 */
static int
root_path(const struct config *cfg, const char *dir, char *merged, size_t size)
{
    if (cfg->bind_root)
        return path_printf(merged, size, "%s", cfg->rootfs);
    return path_printf(merged, size, "%s/merged", dir);
}

int
mount_setup(const struct config *cfg, const struct rootfs_state *st,
        int (*before_pivot)(void *), void *arg)
{
    static const struct mount_spec tmp = {"tmpfs", "/tmp", "tmpfs",
            MS_NOSUID | MS_NODEV, "mode=1777"};
    const char *dir = st->dir[0] != '\0' ? st->dir : cfg->state_root;
    char merged[PATH_MAX], state_path[FD_PATH_SIZE];
    int state = -1, root = -1, ret = -1, no_overlay;

    if (root_path(cfg, dir, merged, sizeof(merged)) == -1 ||
            make_private() == -1)
        return -1;
    /* The etc/ of hosts.c, through an fd: mount_layers() covers DIR. */
    if (st->dir[0] != '\0') {
        state = open(st->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (state == -1) {
            warn("open %s", st->dir);
            return -1;
        }
        if (path_printf(state_path, sizeof(state_path), "/proc/self/fd/%d",
                    state) == -1)
            goto out_close_state;
    }
    no_overlay = mount_root(cfg, dir, merged);
    if (no_overlay == -1)
        goto out_close_state;
    root = open(merged, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root == -1) {
        warn("open %s", merged);
        goto out_close_state;
    }
    if (ocirootfs_mount(cfg->fs, root) == -1 ||
            (no_overlay && inroot_mount(root, &tmp, 0) == -1) ||
            (st->dir[0] != '\0' &&
                    mount_etc_files(cfg, root, state_path) == -1) ||
            mount_volumes(cfg, root) == -1 ||
            (before_pivot != NULL && before_pivot(arg) == -1) ||
            root_read_only(cfg, merged) == -1 || pivot(merged) == -1 ||
            sysctl_apply(cfg) == -1 || protect(cfg) == -1)
        goto out_close_root;
    ret = 0;
out_close_root:
    close(root);
out_close_state:
    if (state != -1)
        close(state);
    return ret;
}
