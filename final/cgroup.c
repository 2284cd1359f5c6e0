/*
 * A cgroup per container, as in step06, with the limits of the command
 * line. The hierarchy is found at run time: one cgroup2 tree (v2), or a
 * tmpfs of per-controller trees (v1, and hybrid machines). cgroups(7).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "devices.h"
#include "util.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* v2: one directory. v1: one in each controller's tree we limit. */
static const char *const dirs_v2[] = {""};
static const char *const dirs_v1[] = {"memory/", "pids/", "cpu/", "cpuset/",
        "blkio/", "devices/", "freezer/", "hugetlb/", "net_cls/", "net_prio/"};

static const char *const *
cgroup_dirs(const struct cgroup *cg, int *n)
{
    *n = cg->v2 ? 1 : CGROUP_DIRS_MAX;
    return cg->v2 ? dirs_v2 : dirs_v1;
}

int
cgroup_detect(struct cgroup *cg, const char *name)
{
    struct statfs fs;
    int i;

    if (statfs(CGROUP_ROOT, &fs) == -1) {
        warn("statfs %s", CGROUP_ROOT);
        return -1;
    }
    if (fs.f_type != CGROUP2_SUPER_MAGIC && fs.f_type != TMPFS_MAGIC) {
        warnx("%s is neither cgroup2 nor a tmpfs of v1 cgroups", CGROUP_ROOT);
        return -1;
    }
    cg->v2 = fs.f_type == CGROUP2_SUPER_MAGIC;
    cg->made = 0;
    cg->none = 0;
    cg->base[0] = '\0';
    for (i = 0; i < CGROUP_DIRS_MAX; i++)
        cg->tasks[i] = -1;
    return path_printf(cg->name, sizeof(cg->name), "%s", name);
}

/* FILE in the container's cgroup under DIR ("" for the directory). */
static int
cgroup_path(char *buf, size_t size, const struct cgroup *cg, const char *dir,
        const char *file)
{
    return path_printf(buf, size, "%s%s/%s%s%s%s", CGROUP_ROOT, cg->base, dir,
            cg->name, *file ? "/" : "", file);
}

/* Writes a limit, skipping files this kernel lacks if OPTIONAL. */
static int
cgroup_write(const struct cgroup *cg, const char *dir, const char *file,
        const char *value, int optional)
{
    char path[PATH_MAX];

    if (cgroup_path(path, sizeof(path), cg, dir, file) == -1)
        return -1;
    if (optional && access(path, F_OK) == -1 && errno == ENOENT)
        return 0;
    return write_file(path, value);
}

/* The caller's own v2 cgroup, from /proc/self/cgroup: "0::/PATH". */
static int
own_cgroup(char *buf, size_t size)
{
    char line[PATH_MAX];
    FILE *f;
    int ret = -1;

    f = fopen("/proc/self/cgroup", "re");
    if (f == NULL) {
        warn("open /proc/self/cgroup");
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "0::/", 4) == 0) {
            ret = path_printf(buf, size, "%s", line + 3);
            break;
        }
    }
    fclose(f);
    if (ret == -1)
        warnx("/proc/self/cgroup: no cgroup v2 line");
    return ret;
}

/* CONTROLLER is enabled for the children of DIR, or one line says so. */
static int
check_controller(const char *dir, const char *controller, const char *opt)
{
    char path[PATH_MAX], list[256] = "", *word, *save;
    FILE *f;

    if (path_printf(path, sizeof(path), "%s/cgroup.subtree_control", dir) == -1)
        return -1;
    f = fopen(path, "re");
    if (f != NULL) {
        if (fgets(list, sizeof(list), f) == NULL)
            list[0] = '\0';
        fclose(f);
    }
    for (word = strtok_r(list, " \n", &save); word != NULL;
            word = strtok_r(NULL, " \n", &save))
        if (strcmp(word, controller) == 0)
            return 0;
    warnx("%s without root: the %s controller is not delegated in %s", opt,
            controller, dir);
    return -1;
}

/*
 * The children of the caller's parent cgroup are the caller's to make
 * only if it was delegated to them (systemd: Delegate=yes, as in
 * user@UID.service); moving a process there takes write access to the
 * cgroup.procs of that common parent (cgroups(7), "Delegation").
 */
int
cgroup_delegated(struct cgroup *cg, const struct config *cfg)
{
    char own[PATH_MAX], dir[PATH_MAX], procs[PATH_MAX];
    const struct resources *res = cfg->resources;
    size_t i;

    if (res == NULL || (res->n == 0 && !res->every_hierarchy)) {
        cg->none = 1;
        return 0;
    }
    if (!cg->v2) {
        warnx("--memory, --pids and --cpus without root need cgroup v2 "
              "(here: v1): run with sudo");
        return -1;
    }
    if (own_cgroup(own, sizeof(own)) == -1)
        return -1;
    *strrchr(own, '/') = '\0';
    if (path_printf(dir, sizeof(dir), "%s%s", CGROUP_ROOT, own) == -1 ||
            path_printf(procs, sizeof(procs), "%s/cgroup.procs", dir) == -1)
        return -1;
    if (access(dir, W_OK) == -1 || access(procs, W_OK) == -1) {
        warnx("--memory, --pids and --cpus without root need a delegated "
              "cgroup: %s is not yours (try systemd-run --user --scope -p "
              "Delegate=yes), or run with sudo",
                dir);
        return -1;
    }
    for (i = 0; i < res->n; i++)
        if (check_controller(dir, res->set[i].controller, res->set[i].field) ==
                -1)
            return -1;
    return path_printf(cg->base, sizeof(cg->base), "%s", own);
}

/* v1: the hierarchy CONTROLLER ("memory") is mounted. */
static int
cgroup_mounted(const char *controller)
{
    char path[PATH_MAX];

    return path_printf(path, sizeof(path), "%s/%s", CGROUP_ROOT, controller) ==
            0 &&
            access(path, F_OK) == 0;
}

/*
 * every_hierarchy: the container is in every hierarchy mounted, as with
 * runc: its pause needs freezer, its ps the one cgroup. net_cls and
 * net_prio are often one hierarchy with two names: only the first is
 * made. Bit i of the mask: dirs_v1[i] is mounted, and is the first name
 * of its hierarchy. Read once per runbox: the mounts under /sys/fs/cgroup
 * are the host's, and one stat(2) of each of the ten names tells.
 */
static int
first_names(void)
{
    static int mask = -1;
    struct stat sb[CGROUP_DIRS_MAX];
    char path[PATH_MAX];
    int i, j, found = 0;

    if (mask != -1)
        return mask;
    for (i = 0; i < CGROUP_DIRS_MAX; i++) {
        snprintf(path, sizeof(path), "%s/%s", CGROUP_ROOT, dirs_v1[i]);
        if (stat(path, &sb[i]) == -1)
            continue;
        found |= 1 << i;
        for (j = 0; j < i; j++)
            if ((found & 1 << j) && sb[j].st_dev == sb[i].st_dev &&
                    sb[j].st_ino == sb[i].st_ino)
                break;
        if (j < i)
            found &= ~(1 << i);
    }
    mask = found;
    return mask;
}

/*
 * v1: a cgroup in each hierarchy whose limit is set, and always in pids,
 * so that the container's processes are in one cgroup of their own. One
 * without a limit would cost a mkdir(2), a move and an rmdir(2) per start.
 * H is a hierarchy's index in dirs_v1 ("memory/").
 */
static int
needed(const struct cgroup *cg, const struct config *cfg, int h)
{
    const struct resources *res = cfg->resources;
    const char *dir = dirs_v1[h];
    size_t i, len = strlen(dir) - 1; /* without its '/' */

    if (cg->v2)
        return 1;
    if (res != NULL && res->every_hierarchy)
        return (first_names() & 1 << h) != 0;
    for (i = 0; res != NULL && i < res->n; i++)
        if (strlen(res->set[i].controller) == len &&
                strncmp(res->set[i].controller, dir, len) == 0)
            return 1;
    return strcmp(dir, "pids/") == 0;
}

static int
write_subtree_control(const char *dir)
{
    char path[PATH_MAX];

    if (path_printf(path, sizeof(path), "%s/cgroup.subtree_control", dir) == -1)
        return -1;
    return write_file(path, "+cpu +memory +pids");
}

/*
 * v1: a new cpuset cgroup has no CPUs and no memory nodes, and takes no
 * process until it has: it gets its parent's (cpuset(7)).
 */
static int
copy_cpuset(const char *path, const char *dir)
{
    static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
    char parent[PATH_MAX], file[PATH_MAX], value[4096];
    size_t i;
    FILE *f;

    if (strcmp(dir, "cpuset/") != 0)
        return 0;
    if (path_printf(parent, sizeof(parent), "%s", path) == -1)
        return -1;
    *strrchr(parent, '/') = '\0';
    for (i = 0; i < 2; i++) {
        if (path_printf(file, sizeof(file), "%s/%s", parent, files[i]) == -1)
            return -1;
        f = fopen(file, "re");
        if (f == NULL || fgets(value, sizeof(value), f) == NULL) {
            warn("read %s", file);
            if (f != NULL)
                fclose(f);
            return -1;
        }
        fclose(f);
        if (path_printf(file, sizeof(file), "%s/%s", path, files[i]) == -1 ||
                write_file(file, value) == -1)
            return -1;
    }
    return 0;
}

struct cgroup_setting *
cgroup_add_setting(struct resources *res, const char *controller,
        const char *fmt, ...)
{
    struct cgroup_setting *s;
    va_list ap;

    s = reallocarray(res->set, res->n + 1, sizeof(*res->set));
    if (s == NULL) {
        warn("realloc");
        return NULL;
    }
    res->set = s;
    s = &res->set[res->n++];
    memset(s, 0, sizeof(*s));
    s->controller = controller;
    va_start(ap, fmt);
    vsnprintf(s->field, sizeof(s->field), fmt, ap);
    va_end(ap);
    return s;
}

void
cgroup_free_settings(struct resources *res)
{
    if (res != NULL)
        free(res->set);
    free(res);
}

int
cgroup_check_settings(const struct cgroup *cg, const struct resources *res)
{
    const struct cgroup_setting *s;
    size_t i;

    for (i = 0; res != NULL && i < res->n; i++) {
        s = &res->set[i];
        if (cg->v2 ? s->v2[0] == '\0' && !s->v2_needs_none : s->v1[0] == '\0') {
            warnx("%s: %s: not supported on cgroup %s", res->origin, s->field,
                    cg->v2 ? "v2" : "v1");
            return -1;
        }
        /*
         * v1: the hierarchy is asked for once per run of its settings (the
         * device rules are a dozen). Each setting before passed the test
         * above, so it names one.
         */
        if (cg->v2 ||
                (i > 0 &&
                        strcmp(s->controller, res->set[i - 1].controller) == 0))
            continue;
        if (!cgroup_mounted(s->controller)) {
            warnx("%s: %s: no %s cgroup hierarchy on this machine", res->origin,
                    s->field, s->controller);
            return -1;
        }
    }
    return 0;
}

static int
write_setting(const struct resources *res, const struct cgroup_setting *s,
        const char *path, const char *value)
{
    size_t len = strlen(value);
    int fd;

    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd == -1 && errno == ENOENT && s->optional)
        return 0;
    if (fd == -1) {
        warn("%s: %s: open %s", res->origin, s->field, path);
        return -1;
    }
    if (write(fd, value, len) != (ssize_t)len) {
        warn("%s: %s: write %s to %s", res->origin, s->field, value, path);
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/*
 * v2: the controller of FILE ("io" for io.max) enabled in
 * cgroup.subtree_control of each ancestor, root first. cpu, memory and
 * pids are already, by cgroup_make().
 */
static int
cgroup_enable(const struct cgroup *cg, const char *file)
{
    static const char *const enabled[] = {"cgroup", "cpu", "memory", "pids"};
    char full[PATH_MAX], path[PATH_MAX], ctrl[32], *end;
    size_t i;

    if (path_printf(ctrl, sizeof(ctrl), "+%.*s", (int)strcspn(file, "."),
                file) == -1)
        return -1;
    for (i = 0; i < NELEM(enabled); i++)
        if (strcmp(ctrl + 1, enabled[i]) == 0)
            return 0;
    if (cgroup_path(full, sizeof(full), cg, "", "") == -1)
        return -1;
    for (end = full + strlen(CGROUP_ROOT); end != NULL;
            end = strchr(end + 1, '/'))
        if (path_printf(path, sizeof(path), "%.*s/cgroup.subtree_control",
                    (int)(end - full), full) == -1 ||
                write_file(path, ctrl) == -1)
            return -1;
    return 0;
}

int
cgroup_apply_settings(const struct cgroup *cg, const struct resources *res)
{
    const struct cgroup_setting *s;
    char path[PATH_MAX];
    const char *file;
    size_t i;

    for (i = 0; res != NULL && i < res->n; i++) {
        s = &res->set[i];
        file = cg->v2 ? s->v2 : s->v1;
        if (*file == '\0')
            continue;
        if (cg->v2 && cgroup_enable(cg, file) == -1)
            return -1;
        if (cgroup_file(cg, s->controller, file, path, sizeof(path)) == -1 ||
                write_setting(res, s, path,
                        cg->v2 ? s->v2_value : s->v1_value) == -1)
            return -1;
    }
    if (res == NULL || !res->devices || !cg->v2)
        return 0;
    return cgroup_file(cg, NULL, "", path, sizeof(path)) == -1
            ? -1
            : devices_attach(res, path);
}

/* mkdir(2) in each hierarchy it needs, and the limits of CFG. */
static int
cgroup_make(struct cgroup *cg, const struct config *cfg)
{
    const char *const *dirs;
    char path[PATH_MAX];
    int i, n;

    if (cgroup_check_settings(cg, cfg->resources) == -1)
        return -1;
    /* v2: a controller serves a cgroup only if its parent enables it. */
    if (cg->v2 && cg->base[0] == '\0' &&
            write_file(CGROUP_ROOT "/cgroup.subtree_control",
                    "+cpu +memory +pids") == -1)
        return -1;
    dirs = cgroup_dirs(cg, &n);
    for (i = 0; i < n; i++) {
        if (!needed(cg, cfg, i))
            continue;
        if (cgroup_path(path, sizeof(path), cg, dirs[i], "") == -1)
            return -1;
        if (mkdir(path, 0755) == -1) {
            warn("mkdir %s", path);
            return -1;
        }
        cg->made |= 1 << i;
        if (!cg->v2 && copy_cpuset(path, dirs[i]) == -1)
            return -1;
    }
    return cgroup_apply_settings(cg, cfg->resources);
}

/*
 * v1: the cgroup is made before clone(2), and the child moves itself in
 * through these fds (cgroup_join()). Moving a PID through cgroup.procs
 * takes the writer side of cgroup_threadgroup_rwsem, which waits for an
 * RCU grace period, milliseconds; a thread that writes 0 to "tasks" moves
 * only itself and skips that lock (cgroup_procs_write_start() in
 * kernel/cgroup/cgroup.c). The child has one thread: it is the process.
 * The fds are opened here, by root: v1 checks the opener's credentials.
 */
int
cgroup_prepare(struct cgroup *cg, const struct config *cfg)
{
    const char *const *dirs;
    char path[PATH_MAX];
    int i, n;

    if (cg->none || cg->v2)
        return 0;
    if (cgroup_make(cg, cfg) == -1)
        return -1;
    dirs = cgroup_dirs(cg, &n);
    for (i = 0; i < n; i++) {
        if (!(cg->made & 1 << i))
            continue;
        if (cgroup_path(path, sizeof(path), cg, dirs[i], "tasks") == -1)
            return -1;
        cg->tasks[i] = open(path, O_WRONLY | O_CLOEXEC);
        if (cg->tasks[i] == -1) {
            warn("open %s", path);
            return -1;
        }
    }
    return 0;
}

/* The parent's copies of the fds of cgroup_prepare(). */
static void
close_tasks(struct cgroup *cg)
{
    int i;

    for (i = 0; i < CGROUP_DIRS_MAX; i++) {
        if (cg->tasks[i] != -1)
            close(cg->tasks[i]);
        cg->tasks[i] = -1;
    }
}

int
cgroup_join(const struct cgroup *cg)
{
    int i;

    for (i = 0; i < CGROUP_DIRS_MAX; i++)
        if (cg->tasks[i] != -1 && write(cg->tasks[i], "0", 1) != 1) {
            warn("join the cgroup %s", cg->name);
            return -1;
        }
    return 0;
}

int
cgroup_create(struct cgroup *cg, const struct config *cfg, pid_t pid)
{
    const char *const *dirs;
    char pidstr[16];
    int i, n;

    if (cg->none)
        return 0;
    /* Prepared: made already, and the child moves itself in. */
    if (cg->made) {
        close_tasks(cg);
        return 0;
    }
    if (cgroup_make(cg, cfg) == -1)
        return -1;
    dirs = cgroup_dirs(cg, &n);
    snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
    for (i = 0; i < n; i++)
        if ((cg->made & 1 << i) &&
                cgroup_write(cg, dirs[i], "cgroup.procs", pidstr, 0) == -1)
            return -1;
    return 0;
}

/*
 * The container's processes are gone, but the kernel may still be
 * releasing them: rmdir(2) fails with EBUSY for a moment. Try again,
 * after 50 us, then twice as long each time up to 10 ms, for 5 s in all.
 */
static int
remove_dir(const char *path)
{
    struct timespec pause = {0, 50 * 1000};
    long waited_ns = 0;

    /* ENOENT: a stale cgroup (cgroup_adopt) may lack a hierarchy. */
    while (rmdir(path) == -1 && errno != ENOENT) {
        if (errno != EBUSY || waited_ns >= 5000L * 1000 * 1000) {
            warn("rmdir %s", path);
            return -1;
        }
        nanosleep(&pause, NULL);
        waited_ns += pause.tv_nsec;
        pause.tv_nsec = pause.tv_nsec * 2 > 10 * 1000 * 1000
                ? 10 * 1000 * 1000
                : pause.tv_nsec * 2;
    }
    return 0;
}

int
cgroup_remove(struct cgroup *cg)
{
    const char *const *dirs;
    char path[PATH_MAX];
    int i, n, ret = 0;

    close_tasks(cg);
    dirs = cgroup_dirs(cg, &n);
    for (i = n - 1; i >= 0; i--) {
        if (!(cg->made & 1 << i))
            continue;
        if (cgroup_path(path, sizeof(path), cg, dirs[i], "") == -1)
            return -1;
        if (remove_dir(path) == -1)
            ret = -1;
    }
    cg->made = 0;
    return ret;
}

int
cgroup_adopt(struct cgroup *cg, const char *name)
{
    int n;

    if (cgroup_detect(cg, name) == -1)
        return -1;
    cgroup_dirs(cg, &n);
    cg->made = (1 << n) - 1;
    return 0;
}

/*
 * The parents of a nested cgroup (an OCI cgroupsPath such as "a/b/c"),
 * made if missing; MADE[i] is the depth of the first one made in the i-th
 * hierarchy (1 for "a"), or 0: cgroup_remove_parents() removes those,
 * and no others. On v2 each parent must enable the controllers for the
 * one below it.
 */
int
cgroup_make_parents(const struct cgroup *cg, int made[CGROUP_DIRS_MAX])
{
    const char *const *dirs;
    char path[PATH_MAX], *slash;
    size_t root;
    int i, n, depth, new;

    dirs = cgroup_dirs(cg, &n);
    for (i = 0; i < n; i++) {
        made[i] = 0;
        if (!cg->v2 && !(first_names() & 1 << i))
            continue;
        if (cgroup_path(path, sizeof(path), cg, dirs[i], "") == -1)
            return -1;
        root = strlen(CGROUP_ROOT) + 1 + strlen(dirs[i]);
        depth = 0;
        for (slash = strchr(path + root, '/'); slash != NULL;
                slash = strchr(slash + 1, '/')) {
            *slash = '\0';
            new = mkdir(path, 0755) == 0;
            if (!new &&errno != EEXIST) {
                warn("mkdir %s", path);
                return -1;
            }
            depth++;
            if (new &&made[i] == 0)
                made[i] = depth;
            if (new && !cg->v2 && copy_cpuset(path, dirs[i]) == -1)
                return -1;
            if (cg->v2 && write_subtree_control(path) == -1)
                return -1;
            *slash = '/';
        }
    }
    return 0;
}

/*
 * The parents cgroup_make_parents() made, deepest first; one still in
 * use (another container's) stays, and so do those above it.
 */
void
cgroup_remove_parents(const struct cgroup *cg, const int made[CGROUP_DIRS_MAX])
{
    const char *const *dirs;
    char path[PATH_MAX], *slash;
    size_t root;
    int i, n, depth;

    dirs = cgroup_dirs(cg, &n);
    for (i = 0; i < n; i++) {
        if (made[i] <= 0 ||
                cgroup_path(path, sizeof(path), cg, dirs[i], "") == -1)
            continue;
        root = strlen(CGROUP_ROOT) + 1 + strlen(dirs[i]);
        depth = 0;
        for (slash = path + root; (slash = strchr(slash + 1, '/')) != NULL;)
            depth++;
        while (depth-- >= made[i] && (slash = strrchr(path + root, '/'))) {
            *slash = '\0';
            if (rmdir(path) == -1 && errno != ENOENT)
                break;
        }
    }
}

int
cgroup_file(const struct cgroup *cg, const char *controller, const char *file,
        char *buf, size_t size)
{
    char dir[64];

    if (cg->v2)
        return cgroup_path(buf, size, cg, "", file);
    if (path_printf(dir, sizeof(dir), "%s/", controller) == -1)
        return -1;
    return cgroup_path(buf, size, cg, dir, file);
}

/*
 * runbox exec: the caller moves itself into the container's cgroup CG
 * (adopted). "0" names the writer (cgroup.procs in cgroups(7)); a
 * hierarchy the container was never put in is skipped.
 */
int
cgroup_enter(const struct cgroup *cg)
{
    const char *const *dirs;
    int i, n;

    dirs = cgroup_dirs(cg, &n);
    for (i = 0; i < n; i++)
        if (cgroup_write(cg, dirs[i], "cgroup.procs", "0", 1) == -1)
            return -1;
    return 0;
}

/* S ends in SUFFIX. */
static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * systemd names a slice by its path, one dash per level: "a-b.slice" is
 * a.slice/a-b.slice; no dash at either end, no two together.
 */
static int
valid_slice(const char *slice)
{
    size_t base;

    if (!ends_with(slice, ".slice"))
        return 0;
    base = strlen(slice) - strlen(".slice");
    return base > 0 && slice[0] != '-' && slice[base - 1] != '-' &&
            strstr(slice, "--") == NULL;
}

/* The cgroup path of SLICE into BUF: each prefix up to a dash, a level. */
static int
slice_path(const char *slice, char *buf, size_t size)
{
    size_t base = strlen(slice) - strlen(".slice"), i, used = 0;

    for (i = 1; i <= base; i++) {
        if (i < base && slice[i] != '-')
            continue;
        if (path_printf(buf + used, size - used, "%s%.*s.slice",
                    used > 0 ? "/" : "", (int)i, slice) == -1)
            return -1;
        used = strlen(buf);
    }
    return 0;
}

/*
 * podman and Kubernetes on a systemd host pass --systemd-cgroup and a
 * cgroupsPath of systemd's form, slice:prefix:name: a unit
 * "prefix-name.scope" in the slice ("" is system.slice, "-" the root).
 * runbox makes the cgroup where systemd would put that unit, by itself:
 * unlike crun and runc it does not ask systemd over D-Bus, so systemd
 * neither knows the unit nor accounts for it (systemd.slice(5),
 * systemd.scope(5)).
 */
int
cgroup_systemd_path(char *name, size_t size)
{
    char copy[RUNBOX_NAME_MAX], path[RUNBOX_NAME_MAX] = "";
    char *prefix, *unit;
    const char *slice = copy;

    if (path_printf(copy, sizeof(copy), "%s", name) == -1)
        return -1;
    prefix = strchr(copy, ':');
    unit = prefix != NULL ? strchr(prefix + 1, ':') : NULL;
    if (unit == NULL || strchr(unit + 1, ':') != NULL || unit[1] == '\0' ||
            strchr(copy, '/') != NULL)
        goto bad;
    *prefix++ = '\0';
    *unit++ = '\0';
    if (slice[0] == '\0')
        slice = "system.slice";
    if (strcmp(slice, "-") != 0 && !valid_slice(slice))
        goto bad;
    /* Too long: path_printf() has said so. */
    if (strcmp(slice, "-") != 0 && slice_path(slice, path, sizeof(path)) == -1)
        return -1;
    /* A unit that is a slice keeps its name; any other is a scope. */
    if (ends_with(unit, ".slice")) {
        if (path_printf(name, size, "%s%s%s", path, path[0] ? "/" : "", unit) ==
                -1)
            return -1;
    } else if (path_printf(name, size, "%s%s%s%s%s.scope", path,
                       path[0] ? "/" : "", prefix, prefix[0] ? "-" : "",
                       unit) == -1) {
        return -1;
    }
    return 0;
bad:
    warnx("config.json: linux.cgroupsPath: %s is not slice:prefix:name, "
          "as --systemd-cgroup reads it",
            name);
    return -1;
}
