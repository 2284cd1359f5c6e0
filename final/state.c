/*
 * The state directory of an OCI container: runbox create writes it, the
 * later commands (start, state, kill, delete) read it, each one holding
 * the directory's lock meanwhile. The lock is a fcntl(2) record lock, not
 * flock(2): a record lock belongs to the process, so the container that
 * runbox create clones does not inherit it, and does not keep the
 * directory locked while it waits for runbox start.
 *
 * Whether the container still runs is asked of the kernel each time, not
 * remembered: a PID in /proc whose start time (proc(5), /proc/PID/stat
 * field 22) is the one recorded, and not a zombie.
 *
 * See: the runtime-spec's runtime.md (state), fcntl(2) F_SETLKW.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "features.h"
#include "freezer.h"
#include "state.h"
#include "util.h"

int
state_check_id(const char *id)
{
    size_t i, len = strlen(id);

    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)id[i]) && strchr("_-.", id[i]) == NULL)
            break;
    if (len == 0 || len > STATE_ID_MAX || i < len || id[0] == '.') {
        warnx("container id '%s': expected 1 to %d letters, digits, '_', "
              "'-' or '.'",
                id, STATE_ID_MAX);
        return -1;
    }
    return 0;
}

int
state_path(const struct state *st, const char *name, char *buf, size_t size)
{
    return path_printf(buf, size, "%s/%s", st->dir, name);
}

/* Opens (CREATE: makes) the lock file and waits for its lock. */
static int
lock_dir(struct state *st, int create)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    char path[PATH_MAX];

    if (state_path(st, "lock", path, sizeof(path)) == -1)
        return -1;
    st->lock = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (st->lock == -1 && errno == ENOENT) {
        warnx("container %s does not exist", st->id);
        return -1;
    }
    if (st->lock == -1) {
        warn("open %s", path);
        return -1;
    }
    if (fcntl(st->lock, F_SETLKW, &fl) == -1) {
        warn("lock %s", path);
        state_close(st);
        return -1;
    }
    return 0;
}

static int
init(struct state *st, const char *root, const char *id)
{
    memset(st, 0, sizeof(*st));
    st->lock = -1;
    if (state_check_id(id) == -1)
        return -1;
    snprintf(st->id, sizeof(st->id), "%s", id);
    return path_printf(st->dir, sizeof(st->dir), "%s/oci/%s", root, id);
}

/* mkdir -p PATH (no trailing '/'), each directory it makes 0700. */
static int
make_dirs(char *path)
{
    char *p;

    for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0700) == -1 && errno != EEXIST) {
            warn("mkdir %s", path);
            return -1;
        }
        *p = '/';
    }
    if (mkdir(path, 0700) == -1 && errno != EEXIST) {
        warn("mkdir %s", path);
        return -1;
    }
    return 0;
}

/*
 * --root, made with its parents as runc and crun make it (containerd
 * passes /run/containerd/runc/NAMESPACE), and trusted only if it is a
 * directory of ours that no one else may write, not reached through a
 * symbolic link planted in its place: the states say what to kill and
 * which directories to remove.
 */
int
state_make_root(const char *root)
{
    char path[PATH_MAX];
    size_t len;
    struct stat sb;
    int fd;

    if (*root == '\0') {
        warnx("--root: an empty path");
        return -1;
    }
    if (path_printf(path, sizeof(path), "%s", root) == -1)
        return -1;
    for (len = strlen(path); len > 1 && path[len - 1] == '/'; len--)
        path[len - 1] = '\0';
    if (make_dirs(path) == -1)
        return -1;
    fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1 || fstat(fd, &sb) == -1) {
        warn("--root %s", root);
        if (fd != -1)
            close(fd);
        return -1;
    }
    close(fd);
    if (S_ISLNK(sb.st_mode))
        warnx("--root %s: a symbolic link, not a directory", root);
    else if (!S_ISDIR(sb.st_mode))
        warnx("--root %s: not a directory", root);
    else if (sb.st_uid != geteuid())
        warnx("--root %s: owned by uid %d, not by runbox's %d", root,
                (int)sb.st_uid, (int)geteuid());
    else if (sb.st_mode & (S_IWGRP | S_IWOTH))
        warnx("--root %s: writable by others (mode %03o)", root,
                (unsigned)sb.st_mode & 0777);
    else
        return 0;
    return -1;
}

int
state_new(struct state *st, const char *root, const char *id)
{
    char oci[PATH_MAX];

    if (init(st, root, id) == -1 ||
            path_printf(oci, sizeof(oci), "%s/oci", root) == -1)
        return -1;
    /* 0700: the state tells where the container's files are. */
    if (state_make_root(root) == -1)
        return -1;
    if (mkdir(oci, 0700) == -1 && errno != EEXIST) {
        warn("mkdir %s", oci);
        return -1;
    }
    if (mkdir(st->dir, 0700) == -1) {
        if (errno == EEXIST)
            warnx("container %s exists", id);
        else
            warn("mkdir %s", st->dir);
        return -1;
    }
    if (lock_dir(st, 1) == -1) {
        rmdir(st->dir);
        return -1;
    }
    return 0;
}

static const char *
get_string(json_object *doc, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(doc, key, &v) ||
            !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

static long long
get_number(json_object *doc, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(doc, key, &v))
        return 0;
    return json_object_get_int64(v);
}

/* OUT[0..N), from the array KEY of DOC; what it lacks reads as 0. */
static void
get_numbers(json_object *doc, const char *key, int *out, size_t n)
{
    json_object *arr;
    size_t i;

    if (!json_object_object_get_ex(doc, key, &arr) ||
            !json_object_is_type(arr, json_type_array))
        arr = NULL;
    for (i = 0; i < n; i++)
        out[i] = arr && i < json_object_array_length(arr)
                ? json_object_get_int(json_object_array_get_idx(arr, i))
                : 0;
}

static json_object *
new_numbers(const int *in, size_t n)
{
    json_object *arr = json_object_new_array();
    size_t i;

    for (i = 0; arr != NULL && i < n; i++)
        json_object_array_add(arr, json_object_new_int(in[i]));
    return arr;
}

/* state.json is runbox's own, so a field it lacks reads as empty. */
static int
read_state(struct state *st)
{
    char path[PATH_MAX];
    json_object *doc;

    if (state_path(st, "state.json", path, sizeof(path)) == -1)
        return -1;
    doc = json_object_from_file(path);
    if (doc == NULL) {
        warnx("container %s has no state: %s", st->id,
                json_util_get_last_err());
        return -1;
    }
    st->pid = (pid_t)get_number(doc, "pid");
    st->start_time = (unsigned long long)get_number(doc, "start_time");
    st->created = get_number(doc, "created");
    snprintf(st->bundle, sizeof(st->bundle), "%s", get_string(doc, "bundle"));
    snprintf(st->cgroup, sizeof(st->cgroup), "%s", get_string(doc, "cgroup"));
    get_numbers(doc, "cgroup_parents", st->cgroup_parents, CGROUP_DIRS_MAX);
    json_object_put(doc);
    return 0;
}

int
state_open(struct state *st, const char *root, const char *id)
{
    if (init(st, root, id) == -1 || lock_dir(st, 0) == -1)
        return -1;
    if (read_state(st) == -1) {
        state_close(st);
        return -1;
    }
    return 0;
}

int
state_save(const struct state *st)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    json_object *doc;
    int ret = -1;

    if (state_path(st, "state.json", path, sizeof(path)) == -1 ||
            state_path(st, "state.json.new", tmp, sizeof(tmp)) == -1)
        return -1;
    doc = json_object_new_object();
    if (doc == NULL) {
        warnx("json_object_new_object: out of memory");
        return -1;
    }
    json_object_object_add(doc, "pid", json_object_new_int64(st->pid));
    json_object_object_add(doc, "start_time",
            json_object_new_int64((long long)st->start_time));
    json_object_object_add(doc, "created", json_object_new_int64(st->created));
    json_object_object_add(doc, "bundle", json_object_new_string(st->bundle));
    json_object_object_add(doc, "cgroup", json_object_new_string(st->cgroup));
    json_object_object_add(doc, "cgroup_parents",
            new_numbers(st->cgroup_parents, CGROUP_DIRS_MAX));
    if (json_object_to_file_ext(tmp, doc, JSON_C_TO_STRING_PLAIN) == -1)
        warnx("write %s: %s", tmp, json_util_get_last_err());
    else if (rename(tmp, path) == -1)
        warn("rename %s", tmp);
    else
        ret = 0;
    json_object_put(doc);
    return ret;
}

/* The state letter and start time of PID, from /proc/PID/stat. */
static int
proc_stat(pid_t pid, char *state, unsigned long long *start)
{
    char path[64], buf[1024], *p;
    size_t n;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces and ')': skip to the last ')'. */
    p = strrchr(buf, ')');
    if (p == NULL ||
            sscanf(p + 1,
                    " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
                    "%*s %*s %*s %*s %*s %*s %*s %llu",
                    state, start) != 2)
        return -1;
    return 0;
}

unsigned long long
state_start_time(pid_t pid)
{
    unsigned long long start;
    char c;

    return proc_stat(pid, &c, &start) == 0 ? start : 0;
}

const char *
state_status(const struct state *st)
{
    char fifo[PATH_MAX], c;
    unsigned long long start;

    if (st->pid <= 0 || proc_stat(st->pid, &c, &start) == -1 ||
            start != st->start_time || c == 'Z' || c == 'X')
        return "stopped";
    if (state_path(st, "exec.fifo", fifo, sizeof(fifo)) == 0 &&
            access(fifo, F_OK) == 0)
        return "created";
    if (freezer_frozen(st->cgroup))
        return "paused";
    return "running";
}

/* The annotations of config.json, as hooks.c kept them at create. */
static json_object *
annotations(const struct state *st)
{
    char path[PATH_MAX];
    json_object *doc, *v, *out = NULL;

    if (state_path(st, "hooks.json", path, sizeof(path)) == -1)
        return json_object_new_object();
    doc = json_object_from_file(path);
    if (doc != NULL && json_object_object_get_ex(doc, "annotations", &v) &&
            json_object_is_type(v, json_type_object))
        out = json_object_get(v);
    json_object_put(doc);
    return out ? out : json_object_new_object();
}

char *
state_json(const struct state *st)
{
    const char *status = state_status(st);
    json_object *doc;
    char *text;

    doc = json_object_new_object();
    if (doc == NULL) {
        warnx("json_object_new_object: out of memory");
        return NULL;
    }
    json_object_object_add(doc, "ociVersion",
            json_object_new_string(RUNBOX_SPEC_VERSION));
    json_object_object_add(doc, "id", json_object_new_string(st->id));
    json_object_object_add(doc, "status", json_object_new_string(status));
    if (strcmp(status, "stopped") != 0)
        json_object_object_add(doc, "pid", json_object_new_int64(st->pid));
    json_object_object_add(doc, "bundle", json_object_new_string(st->bundle));
    json_object_object_add(doc, "annotations", annotations(st));
    text = strdup(json_object_to_json_string_ext(doc,
            JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    if (text == NULL)
        warn("strdup");
    json_object_put(doc);
    return text;
}

int
state_print(const struct state *st)
{
    char *text = state_json(st);

    if (text == NULL)
        return -1;
    printf("%s\n", text);
    free(text);
    return fflush(stdout) == 0 ? 0 : -1;
}

static int
remove_file(const struct state *st, const char *name)
{
    char path[PATH_MAX];

    if (state_path(st, name, path, sizeof(path)) == -1)
        return -1;
    if (unlink(path) == -1 && errno != ENOENT) {
        warn("remove %s", path);
        return -1;
    }
    return 0;
}

int
state_remove(struct state *st, const char *root)
{
    static const char *const files[] = {"exec.fifo", "hooks.json",
            "state.json.new", "state.json", "lock"};
    char oci[PATH_MAX];
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (remove_file(st, files[i]) == -1)
            return -1;
    if (rmdir(st->dir) == -1) {
        warn("rmdir %s", st->dir);
        return -1;
    }
    state_close(st);
    /* The last container takes ROOT/oci with it; another may be there. */
    if (path_printf(oci, sizeof(oci), "%s/oci", root) == 0)
        rmdir(oci);
    return 0;
}

void
state_close(struct state *st)
{
    if (st->lock != -1)
        close(st->lock);
    st->lock = -1;
}
