/*
 * linux.namespaces of config.json. A type listed without a path gets a
 * new namespace, made by clone(2) (cgroup and time: by unshare(2), late,
 * see runtime.c); a type with a path joins the namespace that path names,
 * with setns(2); a type not listed stays the runtime's own. Each path is
 * opened and its type checked (ioctl NS_GET_NSTYPE) while config.json is
 * read, so a bad one stops runbox create before anything is made.
 *
 * What runbox refuses: a hostname without a uts namespace of the
 * container's own (it would rename the host), a user namespace joined by
 * path with new namespaces beside it (they would belong to runbox's user
 * namespace, not to the one joined), a new user namespace without maps.
 *
 * See: namespaces(7), setns(2), ioctl_ns(2), user_namespaces(7)
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "json.h"
#include "namespaces.h"
#include "util.h"

#define MAX_ID 4294967295LL
#define MAP_LINE 40 /* "4294967295 4294967295 4294967295\n" */
#define MAX_MAPS 340 /* lines a uid_map takes: user_namespaces(7) */

/* Joined in this order: the user namespace first, its rights then hold. */
enum { USER, PID, NET, IPC, UTS, MNT, CGROUP, TIME };

static const struct {
    const char *type;
    int flag;
} types[NS_TYPES] = {
        [USER] = {"user", CLONE_NEWUSER},
        [PID] = {"pid", CLONE_NEWPID},
        [NET] = {"network", CLONE_NEWNET},
        [IPC] = {"ipc", CLONE_NEWIPC},
        [UTS] = {"uts", CLONE_NEWUTS},
        [MNT] = {"mount", CLONE_NEWNS},
        [CGROUP] = {"cgroup", CLONE_NEWCGROUP},
        [TIME] = {"time", CLONE_NEWTIME},
};

static int
type_index(const char *type)
{
    int i;

    for (i = 0; i < NS_TYPES; i++)
        if (strcmp(types[i].type, type) == 0)
            return i;
    return -1;
}

/*
 * PATH, opened, if it is a namespace of type T; one line if not. Only a
 * file of nsfs is opened: opening a device can have effects of its own.
 */
static int
open_namespace(const char *name, const char *path, int t)
{
    struct statfs sf;
    int fd, type = -1;

    if (statfs(path, &sf) == -1) {
        warn("config.json: %s %s", name, path);
        return -1;
    }
    fd = sf.f_type == NSFS_MAGIC ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd != -1)
        type = ioctl(fd, NS_GET_NSTYPE);
    if (type != types[t].flag) {
        warnx("config.json: %s: %s is not a %s namespace", name, path,
                types[t].type);
        if (fd != -1)
            close(fd);
        return -1;
    }
    return fd;
}

/* Entry I of linux.namespaces: a type listed once, with a path or not. */
static int
parse_entry(struct namespaces *ns, const json_object *entry, size_t i)
{
    const char *type = "", *path = NULL;
    char name[64];
    int t, found;

    snprintf(name, sizeof(name), "linux.namespaces[%zu].type", i);
    found = json_object_is_type(entry, json_type_object)
            ? json_member_string(entry, "type", name, &type)
            : 0;
    if (found != 1) {
        /* Of another type, json_member() said so: one line. */
        if (found == 0)
            warnx("config.json: %s: expected a namespace type", name);
        return -1;
    }
    t = type_index(type);
    if (t == -1 || ns->fds[t] != -1 || (ns->new_flags & types[t].flag)) {
        warnx("config.json: %s: %s is %s", name, type,
                t == -1 ? "not a namespace type" : "listed twice");
        return -1;
    }
    snprintf(name, sizeof(name), "linux.namespaces[%zu].path", i);
    found = json_member_string(entry, "path", name, &path);
    if (found == -1)
        return -1;
    if (found == 0 || path[0] == '\0') {
        ns->new_flags |= types[t].flag;
        return 0;
    }
    ns->fds[t] = open_namespace(name, path, t);
    return ns->fds[t] == -1 ? -1 : 0;
}

static int
parse_list(struct namespaces *ns, const json_object *linux_)
{
    json_object *list = NULL;
    size_t i, n;

    if (linux_ != NULL &&
            json_member(linux_, "namespaces", json_type_array,
                    "linux.namespaces", &list) == -1)
        return -1;
    n = list ? json_object_array_length(list) : 0;
    for (i = 0; i < n; i++)
        if (parse_entry(ns, json_object_array_get_idx(list, i), i) == -1)
            return -1;
    return 0;
}

/*
 * One {containerID, hostID, size} of KEY, as a line of a uid_map; *ROOT
 * becomes the host's id of 0 inside, if the line maps 0.
 */
static int
map_line(const json_object *m, const char *key, size_t i, char *line,
        unsigned int *root)
{
    static const char *const fields[] = {"containerID", "hostID", "size"};
    long long v[3];
    char name[64];
    size_t k;
    int found;

    snprintf(name, sizeof(name), "linux.%s[%zu]", key, i);
    if (!json_object_is_type(m, json_type_object)) {
        warnx("config.json: %s: expected an object", name);
        return -1;
    }
    for (k = 0; k < 3; k++) {
        snprintf(name, sizeof(name), "linux.%s[%zu].%s", key, i, fields[k]);
        found = json_member_number(m, fields[k], name, k == 2, MAX_ID, &v[k]);
        if (found == 0)
            warnx("config.json: %s: missing", name);
        if (found != 1)
            return -1;
    }
    snprintf(line, MAP_LINE, "%lld %lld %lld\n", v[0], v[1], v[2]);
    if (v[0] == 0)
        *root = (unsigned int)v[1];
    return 0;
}

/* linux.KEY, the lines that /proc/PID/uid_map (or gid_map) takes. */
static int
parse_maps(const json_object *linux_, const char *key, char **out,
        unsigned int *root)
{
    json_object *maps = NULL;
    char name[64];
    size_t i, n;

    snprintf(name, sizeof(name), "linux.%s", key);
    if (linux_ != NULL &&
            json_member(linux_, key, json_type_array, name, &maps) == -1)
        return -1;
    n = maps ? json_object_array_length(maps) : 0;
    if (n > MAX_MAPS) {
        warnx("config.json: %s: more than %d maps", name, MAX_MAPS);
        return -1;
    }
    if (n == 0)
        return 0;
    *out = calloc(n, MAP_LINE);
    if (*out == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < n; i++)
        if (map_line(json_object_array_get_idx(maps, i), key, i,
                    *out + strlen(*out), root) == -1)
            return -1;
    return 0;
}

/* What the kernel would take, but runbox cannot make right. */
static int
check_combination(const struct namespaces *ns)
{
    int new_user = ns->new_flags & CLONE_NEWUSER;

    if (ns->hostname && !(ns->new_flags & CLONE_NEWUTS) && ns->fds[UTS] == -1) {
        warnx("config.json: hostname: needs a uts namespace of its own");
        return -1;
    }
    if (ns->fds[USER] != -1 && ns->new_flags != 0) {
        warnx("config.json: linux.namespaces: a user namespace joined by "
              "path, with new namespaces: not supported");
        return -1;
    }
    if ((ns->uid_map || ns->gid_map) && !new_user) {
        warnx("config.json: linux.uidMappings: needs a new user namespace");
        return -1;
    }
    if (new_user && (!ns->uid_map || !ns->gid_map)) {
        warnx("config.json: linux.namespaces: a new user namespace needs "
              "linux.uidMappings and linux.gidMappings");
        return -1;
    }
    return 0;
}

/* A new cfg->ns, nothing made new or joined yet; NULL after one line. */
static struct namespaces *
new_namespaces(struct config *cfg)
{
    struct namespaces *ns;
    int i;

    ns = calloc(1, sizeof(*ns));
    if (ns == NULL) {
        warn("calloc");
        return NULL;
    }
    for (i = 0; i < NS_TYPES; i++)
        ns->fds[i] = -1;
    cfg->ns = ns;
    return ns;
}

int
namespaces_parse(struct config *cfg, const json_object *doc)
{
    json_object *linux_ = NULL;
    unsigned int root_uid = 0, root_gid = 0;
    const char *hostname = "";
    struct namespaces *ns = new_namespaces(cfg);

    if (ns == NULL)
        return -1;
    if (json_member(doc, "linux", json_type_object, "linux", &linux_) == -1)
        return -1;
    if (json_member_string(doc, "hostname", "hostname", &hostname) == -1)
        return -1;
    ns->hostname = hostname[0] != '\0';
    if (parse_list(ns, linux_) == -1 ||
            parse_maps(linux_, "uidMappings", &ns->uid_map, &root_uid) == -1 ||
            parse_maps(linux_, "gidMappings", &ns->gid_map, &root_gid) == -1 ||
            check_combination(ns) == -1)
        return -1;
    /* Root inside owns runbox's state directory (mount.c). */
    cfg->userns = (ns->new_flags & CLONE_NEWUSER) != 0;
    cfg->root_uid = root_uid;
    cfg->root_gid = root_gid;
    return 0;
}

/* "0 FIRST COUNT\n": COUNT ids from 0 inside, from FIRST outside. */
static char *
one_range(unsigned int first, unsigned int count)
{
    char map[MAP_LINE];

    snprintf(map, sizeof(map), "0 %u %u\n", first, count);
    return xstrdup(map);
}

int
namespaces_defaults(struct config *cfg)
{
    struct namespaces *ns = new_namespaces(cfg);

    if (ns == NULL)
        return -1;
    ns->hostname = 1;
    ns->new_flags |= CLONE_NEWNS; /* mount_namespaces(7) */
    ns->new_flags |= CLONE_NEWUTS; /* uts_namespaces(7) */
    ns->new_flags |= CLONE_NEWIPC; /* ipc_namespaces(7) */
    ns->new_flags |= CLONE_NEWPID; /* pid_namespaces(7) */
    ns->new_flags |= CLONE_NEWNET; /* network_namespaces(7) */
    ns->new_flags |= CLONE_NEWCGROUP; /* cgroup_namespaces(7) */
    /* time_namespaces(7); a kernel before 5.6 has none: runs without. */
    if (access("/proc/self/ns/time", F_OK) == 0)
        ns->new_flags |= CLONE_NEWTIME;
    if (!cfg->userns)
        return 0;
    ns->new_flags |= CLONE_NEWUSER; /* user_namespaces(7) */
    ns->uid_map = one_range((unsigned int)cfg->root_uid, cfg->id_count);
    ns->gid_map = one_range((unsigned int)cfg->root_gid, cfg->id_count);
    return ns->uid_map && ns->gid_map ? 0 : -1;
}

void
namespaces_free(struct namespaces *ns)
{
    int i;

    if (ns == NULL)
        return;
    for (i = 0; i < NS_TYPES; i++)
        if (ns->fds[i] != -1)
            close(ns->fds[i]);
    free(ns->uid_map);
    free(ns->gid_map);
    free(ns);
}

int
namespaces_new(const struct config *cfg, int flag)
{
    return (cfg->ns->new_flags & flag) != 0;
}

/*
 * A hostname is set where config.json gives one (in the container's own
 * uts namespace, new or joined), and always by runbox run.
 */
int
namespaces_hostname(const struct config *cfg)
{
    return cfg->ns->hostname;
}

/*
 * Cgroup and time namespaces are made late, by unshare(2): see
 * namespaces_late().
 */
int
namespaces_clone_flags(const struct config *cfg)
{
    return cfg->ns->new_flags & ~(CLONE_NEWCGROUP | CLONE_NEWTIME);
}

int
namespaces_own(const struct config *cfg, int flag)
{
    int i;

    for (i = 0; i < NS_TYPES; i++)
        if (types[i].flag == flag && cfg->ns->fds[i] != -1)
            return 1;
    return namespaces_new(cfg, flag);
}

/*
 * setns(2) into a pid namespace moves only the caller's later children:
 * the container, cloned next. Then back, so that the hooks runbox starts
 * are not in it.
 */
int
namespaces_enter_pid(const struct config *cfg, int *saved)
{
    *saved = -1;
    if (cfg->ns->fds[PID] == -1)
        return 0;
    *saved = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
    if (*saved == -1) {
        warn("open /proc/self/ns/pid_for_children");
        return -1;
    }
    if (setns(cfg->ns->fds[PID], CLONE_NEWPID) == -1) {
        warn("setns %s", types[PID].type);
        close(*saved);
        *saved = -1;
        return -1;
    }
    return 0;
}

int
namespaces_leave_pid(int saved)
{
    int ret = 0;

    if (saved == -1)
        return 0;
    if (setns(saved, CLONE_NEWPID) == -1) {
        warn("setns back to runbox's pid namespace");
        ret = -1;
    }
    close(saved);
    return ret;
}

int
namespaces_join(const struct config *cfg, int flags)
{
    int i;

    for (i = 0; i < NS_TYPES; i++) {
        if (cfg->ns->fds[i] == -1 || !(types[i].flag & flags) ||
                types[i].flag == CLONE_NEWPID)
            continue;
        if (setns(cfg->ns->fds[i], types[i].flag) == -1) {
            warn("setns %s", types[i].type);
            return -1;
        }
    }
    return 0;
}

/*
 * time_namespaces(7): clone(2) has no bit left for CLONE_NEWTIME, and
 * unshare(2) moves only the children there, or, since Linux 6.0, the
 * caller at its next execve(2): CMD. Clocks start with no offset, as on
 * the host.
 */
static int
unshare_time(const struct config *cfg)
{
    if (!namespaces_new(cfg, CLONE_NEWTIME))
        return 0;
    if (unshare(CLONE_NEWTIME) == -1) {
        warn("unshare CLONE_NEWTIME");
        return -1;
    }
    return 0;
}

/* Inside the cgroup already: its namespace is rooted there. */
int
namespaces_late(const struct config *cfg)
{
    if (namespaces_join(cfg, CLONE_NEWCGROUP | CLONE_NEWTIME) == -1)
        return -1;
    if (namespaces_new(cfg, CLONE_NEWCGROUP) &&
            unshare(CLONE_NEWCGROUP) == -1) {
        warn("unshare CLONE_NEWCGROUP");
        return -1;
    }
    return unshare_time(cfg);
}

const char *
namespaces_type_name(size_t i)
{
    return i < NS_TYPES ? types[i].type : NULL;
}
