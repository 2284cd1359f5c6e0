/*
 * The container's filesystem, as a description: runbox run's, Docker's
 * set from the tables below (ocimount_defaults()); or config.json's: the
 * mounts, in order, with their options
 * split as mount(8) splits them, into mount(2) flags, a propagation type
 * and the data string the filesystem reads (tmpfs' mode=, devpts'
 * ptmxmode=...); the devices to mknod(2); the paths to mask and to make
 * read-only; the propagation of "/". Only read and checked here: nothing
 * is made on the host (ocirootfs.c builds it all in the container).
 *
 * See: the runtime-spec's config.md (mounts) and config-linux.md, mount(8)
 * FILESYSTEM-INDEPENDENT MOUNT OPTIONS, mount(2), mount_namespaces(7).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "json.h"
#include "ocimount.h"
#include "util.h"

#define NAME_SIZE 64 /* "linux.readonlyPaths[N]" and the like */
#define DATA_MAX 4096 /* mount(2) copies one page of options at most */
#define MAX_ID 2147483646LL
#define MAX_MAJOR 4095LL /* 12 bits: the kernel's MINORBITS is 20 */
#define MAX_MINOR 1048575LL

/* mount(8)'s options that are flags: CLEAR first, then SET. */
static const struct {
    const char *name;
    unsigned long clear;
    unsigned long set;
} flag_options[] = {
        {"defaults", 0, 0},
        {"ro", 0, MS_RDONLY},
        {"rw", MS_RDONLY, 0},
        {"nosuid", 0, MS_NOSUID},
        {"suid", MS_NOSUID, 0},
        {"nodev", 0, MS_NODEV},
        {"dev", MS_NODEV, 0},
        {"noexec", 0, MS_NOEXEC},
        {"exec", MS_NOEXEC, 0},
        {"sync", 0, MS_SYNCHRONOUS},
        {"async", MS_SYNCHRONOUS, 0},
        {"dirsync", 0, MS_DIRSYNC},
        {"remount", 0, MS_REMOUNT},
        {"mand", 0, MS_MANDLOCK},
        {"nomand", MS_MANDLOCK, 0},
        {"noatime", 0, MS_NOATIME},
        {"atime", MS_NOATIME, 0},
        {"nodiratime", 0, MS_NODIRATIME},
        {"diratime", MS_NODIRATIME, 0},
        {"relatime", 0, MS_RELATIME},
        {"norelatime", MS_RELATIME, 0},
        {"strictatime", 0, MS_STRICTATIME},
        {"nostrictatime", MS_STRICTATIME, 0},
        {"lazytime", 0, MS_LAZYTIME},
        {"nolazytime", MS_LAZYTIME, 0},
        {"silent", 0, MS_SILENT},
        {"loud", MS_SILENT, 0},
        {"bind", 0, MS_BIND},
        {"rbind", 0, MS_BIND | MS_REC},
};

/* A change of propagation is a mount(2) call of its own. */
static const struct {
    const char *name;
    unsigned long flags;
} propagations[] = {
        {"private", MS_PRIVATE},
        {"rprivate", MS_PRIVATE | MS_REC},
        {"shared", MS_SHARED},
        {"rshared", MS_SHARED | MS_REC},
        {"slave", MS_SLAVE},
        {"rslave", MS_SLAVE | MS_REC},
        {"unbindable", MS_UNBINDABLE},
        {"runbindable", MS_UNBINDABLE | MS_REC},
};

static unsigned long
propagation_of(const char *name)
{
    size_t i;

    for (i = 0; i < NELEM(propagations); i++)
        if (strcmp(name, propagations[i].name) == 0)
            return propagations[i].flags;
    return 0;
}

/* Appends OPT to DATA, comma-separated: 0, or -1 if it is full. */
static int
add_data(char *data, size_t *len, const char *opt)
{
    int n;

    n = snprintf(data + *len, DATA_MAX - *len, "%s%s", *len ? "," : "", opt);
    if (n < 0 || (size_t)n >= DATA_MAX - *len)
        return -1;
    *len += (size_t)n;
    return 0;
}

static size_t
flag_index(const char *name)
{
    size_t i;

    for (i = 0; i < NELEM(flag_options); i++)
        if (strcmp(name, flag_options[i].name) == 0)
            break;
    return i;
}

/*
 * OPTS, the strings of mounts[I].options, into M's flags, propagation and
 * data, in order: a later option wins ("ro" then "rw" is read-write).
 */
static int
parse_options(struct oci_mount *m, const json_object *opts, size_t i)
{
    char data[DATA_MAX] = "";
    size_t k, f, n, len = 0;
    const char *opt;

    n = opts ? json_object_array_length(opts) : 0;
    for (k = 0; k < n; k++) {
        opt = json_object_get_string(json_object_array_get_idx(opts, k));
        f = flag_index(opt);
        if (f < NELEM(flag_options))
            m->flags =
                    (m->flags & ~flag_options[f].clear) | flag_options[f].set;
        else if (propagation_of(opt) != 0)
            m->propagation = propagation_of(opt);
        else if (add_data(data, &len, opt) == -1) {
            warnx("config.json: mounts[%zu].options: longer than %d bytes", i,
                    DATA_MAX - 1);
            return -1;
        }
    }
    m->data = len > 0 ? xstrdup(data) : NULL;
    return len > 0 && m->data == NULL ? -1 : 0;
}

/*
 * A bind mount's source is a host path, relative to the bundle DIR if not
 * absolute, resolved now; another's is for its filesystem (a device, or
 * just a name: "tmpfs"), its type if missing.
 */
static int
parse_source(struct oci_mount *m, const json_object *obj, size_t i,
        const char *dir)
{
    char name[NAME_SIZE], path[PATH_MAX];
    const char *src = m->type;
    int found;

    snprintf(name, sizeof(name), "mounts[%zu].source", i);
    found = json_member_string(obj, "source", name, &src);
    if (found == -1)
        return -1;
    if (!(m->flags & MS_BIND)) {
        m->source = xstrdup(src);
        return m->source ? 0 : -1;
    }
    if (found == 0) {
        warnx("config.json: %s: missing", name);
        return -1;
    }
    if (path_printf(path, sizeof(path), "%s/%s", src[0] == '/' ? "" : dir,
                src) == -1)
        return -1;
    m->source = realpath(path, NULL);
    if (m->source == NULL) {
        warn("config.json: %s %s", name, src);
        return -1;
    }
    return 0;
}

static int
parse_mount(struct fs_spec *fs, const json_object *obj, size_t i,
        const char *dir)
{
    struct oci_mount *m = &fs->mounts[fs->nmounts++];
    const char *dst = NULL, *type = NULL;
    json_object *opts = NULL;
    char name[NAME_SIZE];
    int found;

    snprintf(name, sizeof(name), "mounts[%zu]", i);
    if (!json_object_is_type(obj, json_type_object)) {
        warnx("config.json: %s: expected an object", name);
        return -1;
    }
    snprintf(name, sizeof(name), "mounts[%zu].destination", i);
    found = json_member_string(obj, "destination", name, &dst);
    if (found != -1 && (found == 0 || dst[0] != '/'))
        warnx("config.json: %s: expected an absolute path", name);
    if (found != 1 || dst[0] != '/')
        return -1;
    snprintf(name, sizeof(name), "mounts[%zu].options", i);
    if (json_member_strings(obj, "options", name, 0, &opts) == -1 ||
            parse_options(m, opts, i) == -1)
        return -1;
    snprintf(name, sizeof(name), "mounts[%zu].type", i);
    if (json_member_string(obj, "type", name, &type) == -1)
        return -1;
    if (type != NULL && strcmp(type, "bind") == 0)
        m->flags |= MS_BIND;
    if (!(m->flags & MS_BIND) && (type == NULL || type[0] == '\0')) {
        warnx("config.json: %s: missing", name);
        return -1;
    }
    /* CVE-2019-16884: what runbox writes in /proc must reach procfs. */
    if (!proc_mount_allowed(dst,
                !(m->flags & MS_BIND) && strcmp(type, "proc") == 0)) {
        warnx("config.json: mounts[%zu]: %s: only a proc may cover /proc, "
              "and nothing inside it",
                i, dst);
        return -1;
    }
    m->destination = xstrdup(dst);
    m->type = m->flags & MS_BIND ? NULL : xstrdup(type);
    if (m->destination == NULL || (!(m->flags & MS_BIND) && m->type == NULL))
        return -1;
    fs->has_dev |= strcmp(dst, "/dev") == 0;
    fs->has_cgroup |= m->type != NULL && strcmp(m->type, "cgroup") == 0;
    return parse_source(m, obj, i, dir);
}

/* linux.devices[I].KEY, a number up to MAX; 0 if absent and not REQUIRED. */
static int
device_number(const json_object *obj, size_t i, const char *key, long long max,
        int required, long long *out)
{
    char name[NAME_SIZE];
    int found;

    snprintf(name, sizeof(name), "linux.devices[%zu].%s", i, key);
    found = json_member_number(obj, key, name, 0, max, out);
    if (found == 0 && required) {
        warnx("config.json: %s: missing", name);
        return -1;
    }
    return found == -1 ? -1 : 0;
}

/* The file type of "c", "u" (unbuffered: a char device too), "b", "p". */
static mode_t
device_type(const char *type)
{
    if (strcmp(type, "c") == 0 || strcmp(type, "u") == 0)
        return S_IFCHR;
    if (strcmp(type, "b") == 0)
        return S_IFBLK;
    return strcmp(type, "p") == 0 ? S_IFIFO : 0;
}

static int
parse_device(struct oci_device *d, const json_object *obj, size_t i)
{
    long long major = 0, minor = 0, mode = 0666, uid = 0, gid = 0;
    const char *path = NULL, *type = "";
    char name[NAME_SIZE];
    int found;

    snprintf(name, sizeof(name), "linux.devices[%zu].path", i);
    found = json_member_string(obj, "path", name, &path);
    if (found != -1 && (found == 0 || path[0] != '/'))
        warnx("config.json: %s: expected an absolute path", name);
    if (found != 1 || path[0] != '/')
        return -1;
    snprintf(name, sizeof(name), "linux.devices[%zu].type", i);
    if (json_member_string(obj, "type", name, &type) == -1)
        return -1;
    d->mode = device_type(type);
    if (d->mode == 0) {
        warnx("config.json: %s: expected c, b, u or p", name);
        return -1;
    }
    if (device_number(obj, i, "major", MAX_MAJOR, d->mode != S_IFIFO, &major) ==
                    -1 ||
            device_number(obj, i, "minor", MAX_MINOR, d->mode != S_IFIFO,
                    &minor) == -1 ||
            device_number(obj, i, "fileMode", 07777, 0, &mode) == -1 ||
            device_number(obj, i, "uid", MAX_ID, 0, &uid) == -1 ||
            device_number(obj, i, "gid", MAX_ID, 0, &gid) == -1)
        return -1;
    d->mode |= (mode_t)mode;
    d->rdev = makedev(major, minor);
    d->uid = (uid_t)uid;
    d->gid = (gid_t)gid;
    d->path = xstrdup(path);
    return d->path ? 0 : -1;
}

static int
parse_devices(struct fs_spec *fs, const json_object *linux_)
{
    json_object *list = NULL, *d;
    char name[NAME_SIZE];
    size_t i, n;

    if (json_member(linux_, "devices", json_type_array, "linux.devices",
                &list) == -1)
        return -1;
    n = list ? json_object_array_length(list) : 0;
    fs->devices = calloc(n + 1, sizeof(*fs->devices));
    if (fs->devices == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < n; i++) {
        d = json_object_array_get_idx(list, i);
        snprintf(name, sizeof(name), "linux.devices[%zu]", i);
        if (!json_object_is_type(d, json_type_object)) {
            warnx("config.json: %s: expected an object", name);
            return -1;
        }
        if (parse_device(&fs->devices[fs->ndevices++], d, i) == -1)
            return -1;
    }
    return 0;
}

/* linux.KEY, a list of absolute paths inside the container. */
static int
parse_paths(const json_object *linux_, const char *key, char ***out, size_t *n)
{
    char name[NAME_SIZE];

    snprintf(name, sizeof(name), "linux.%s", key);
    if (json_string_array(linux_, key, name, 0, out) == -1)
        return -1;
    for (*n = 0; (*out)[*n] != NULL; (*n)++) {
        if ((*out)[*n][0] != '/') {
            warnx("config.json: %s[%zu]: not an absolute path", name, *n);
            return -1;
        }
    }
    return 0;
}

/*
 * linux.rootfsPropagation, for the whole tree (MS_REC) as crun does. A
 * mount label means something to SELinux only: runbox has no code for
 * SELinux, so it refuses one where SELinux would read it, and, as runc
 * and crun, has nothing to apply where it is off.
 */
static int
parse_root(struct fs_spec *fs, const json_object *linux_)
{
    const char *prop = "", *label = "";

    if (json_member_string(linux_, "rootfsPropagation",
                "linux.rootfsPropagation", &prop) == -1 ||
            json_member_string(linux_, "mountLabel", "linux.mountLabel",
                    &label) == -1)
        return -1;
    if (prop[0] != '\0' && propagation_of(prop) == 0) {
        warnx("config.json: linux.rootfsPropagation: %s: expected shared, "
              "slave, private or unbindable",
                prop);
        return -1;
    }
    fs->root_propagation = prop[0] ? propagation_of(prop) | MS_REC : 0;
    if (label[0] != '\0' && access("/sys/fs/selinux/enforce", F_OK) == 0) {
        warnx("config.json: linux.mountLabel: SELinux is not supported");
        return -1;
    }
    return 0;
}

/*
 * runbox reaches its exec fifo (runtime.c) and masks through /proc after
 * pivot_root(2): a config without it is refused now, not half-started.
 */
static int
check_proc(const struct fs_spec *fs)
{
    size_t i;

    for (i = 0; i < fs->nmounts; i++)
        if (fs->mounts[i].type != NULL &&
                strcmp(fs->mounts[i].type, "proc") == 0 &&
                strcmp(fs->mounts[i].destination, "/proc") == 0)
            return 0;
    warnx("config.json: mounts: no proc on /proc, which runbox needs");
    return -1;
}

int
ocimount_parse(struct config *cfg, const json_object *doc, const char *dir)
{
    json_object *mounts = NULL, *linux_ = NULL;
    struct fs_spec *fs;
    size_t i, n;

    fs = cfg->fs = calloc(1, sizeof(*fs));
    if (fs == NULL) {
        warn("calloc");
        return -1;
    }
    if (json_member(doc, "mounts", json_type_array, "mounts", &mounts) == -1 ||
            json_member(doc, "linux", json_type_object, "linux", &linux_) == -1)
        return -1;
    n = mounts ? json_object_array_length(mounts) : 0;
    fs->mounts = calloc(n + 1, sizeof(*fs->mounts));
    if (fs->mounts == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < n; i++)
        if (parse_mount(fs, json_object_array_get_idx(mounts, i), i, dir) == -1)
            return -1;
    if (check_proc(fs) == -1 ||
            parse_paths(linux_, "maskedPaths", &fs->masked, &fs->nmasked) ==
                    -1 ||
            parse_paths(linux_, "readonlyPaths", &fs->readonly,
                    &fs->nreadonly) == -1 ||
            parse_devices(fs, linux_) == -1)
        return -1;
    return parse_root(fs, linux_);
}

/* runbox run's filesystems: Docker's, in the order they are mounted. */
static const struct oci_mount run_mounts[] = {
        {"proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, NULL},
        /* nodev: the nodes in it are bound from the host (host_nodes). */
        {"tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, 0,
                "mode=755,size=65536k"},
        /* newinstance: ptys of its own, none of the host's (pts(4)). */
        {"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, 0,
                "newinstance,ptmxmode=0666,mode=0620"},
        {"shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0,
                "mode=1777,size=65536k"},
        /* An mqueue shows the IPC namespace of its mounter: mq_overview(7). */
        {"mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0,
                NULL},
        {"sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                0, NULL},
};

/* Docker's lists: what /proc and /sys tell about the host's hardware. */
static const char *const run_masked[] = {
        "/proc/asound",
        "/proc/acpi",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/sys/firmware",
        "/sys/devices/virtual/powercap",
};

/* ... and the knobs that would change the host's kernel. */
static const char *const run_readonly[] = {
        "/proc/bus",
        "/proc/fs",
        "/proc/irq",
        "/proc/sys",
        "/proc/sysrq-trigger",
};

/* A NULL-terminated copy of the N strings of FROM into *TO. 0 or -1. */
static int
copy_list(char ***to, size_t *count, const char *const *from, size_t n)
{
    size_t i;

    *to = calloc(n + 1, sizeof(**to));
    if (*to == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < n; i++)
        if (((*to)[i] = xstrdup(from[i])) == NULL)
            return -1;
    *count = n;
    return 0;
}

/* The Ith mount of run_mounts[] into M, its strings copied. 0 or -1. */
static int
copy_mount(struct oci_mount *m, size_t i)
{
    *m = run_mounts[i];
    m->source = xstrdup(run_mounts[i].source);
    m->destination = xstrdup(run_mounts[i].destination);
    m->type = xstrdup(run_mounts[i].type);
    m->data = run_mounts[i].data ? xstrdup(run_mounts[i].data) : NULL;
    if (m->source == NULL || m->destination == NULL || m->type == NULL ||
            (run_mounts[i].data != NULL && m->data == NULL))
        return -1;
    return 0;
}

int
ocimount_defaults(struct config *cfg)
{
    struct fs_spec *fs;
    size_t i;

    fs = cfg->fs = calloc(1, sizeof(*fs));
    if (fs == NULL) {
        warn("calloc");
        return -1;
    }
    fs->has_dev = 1;
    fs->host_nodes = 1;
    fs->mounts = calloc(NELEM(run_mounts), sizeof(*fs->mounts));
    if (fs->mounts == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < NELEM(run_mounts); i++) {
        fs->nmounts = i + 1; /* ocimount_free() frees what was copied */
        if (copy_mount(&fs->mounts[i], i) == -1)
            return -1;
    }
    if (copy_list(&fs->masked, &fs->nmasked, run_masked, NELEM(run_masked)) ==
            -1)
        return -1;
    return copy_list(&fs->readonly, &fs->nreadonly, run_readonly,
            NELEM(run_readonly));
}

void
ocimount_free(struct fs_spec *fs)
{
    size_t i;

    if (fs == NULL)
        return;
    for (i = 0; i < fs->nmounts; i++) {
        free(fs->mounts[i].source);
        free(fs->mounts[i].destination);
        free(fs->mounts[i].type);
        free(fs->mounts[i].data);
    }
    free(fs->mounts);
    for (i = 0; i < fs->ndevices; i++)
        free(fs->devices[i].path);
    free(fs->devices);
    /* NULL-terminated: filled in part too, if parse_paths() failed. */
    for (i = 0; fs->masked != NULL && fs->masked[i] != NULL; i++)
        free(fs->masked[i]);
    for (i = 0; fs->readonly != NULL && fs->readonly[i] != NULL; i++)
        free(fs->readonly[i]);
    free(fs->masked);
    free(fs->readonly);
    free(fs);
}

const char *
ocimount_option_name(size_t i)
{
    if (i < NELEM(flag_options))
        return flag_options[i].name;
    i -= NELEM(flag_options);
    return i < NELEM(propagations) ? propagations[i].name : NULL;
}
