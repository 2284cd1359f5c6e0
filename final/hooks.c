/*
 * OCI hooks. Each is {path, args, env, timeout}: path is executed with
 * args (args[0] its name) and env, with the state JSON written to its
 * stdin; a timeout in seconds kills it. In runbox's own namespaces:
 * prestart and createRuntime in runbox create, once the container's
 * process exists; poststart in runbox start; poststop in runbox delete.
 * In the container's: createContainer and startContainer, which its
 * process runs itself, before pivot_root(2) and last before its
 * execve(2). A failing prestart, createRuntime, createContainer or
 * startContainer hook fails the container; the others are only reported
 * (runtime-spec config.md).
 *
 * See: fork(2), execve(2), pipe(2), waitpid(2).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "features.h"
#include "hooks.h"
#include "json.h"
#include "signals.h"
#include "util.h"

#define TICK_NS (10 * 1000 * 1000)

static const char *const phases[] = {"prestart", "createRuntime",
        "createContainer", "startContainer", "poststart", "poststop"};

/* Each hook of each phase has an absolute path; the rest is checked late. */
static int
check_hooks(json_object *hooks)
{
    json_object *list, *hook, *path;
    size_t i, k;

    for (k = 0; k < sizeof(phases) / sizeof(phases[0]); k++) {
        if (!json_object_object_get_ex(hooks, phases[k], &list) || list == NULL)
            continue;
        if (!json_object_is_type(list, json_type_array)) {
            warnx("config.json: hooks.%s: expected an array", phases[k]);
            return -1;
        }
        for (i = 0; i < json_object_array_length(list); i++) {
            hook = json_object_array_get_idx(list, i);
            if (!json_object_object_get_ex(hook, "path", &path) ||
                    !json_object_is_type(path, json_type_string) ||
                    json_object_get_string(path)[0] != '/') {
                warnx("config.json: hooks.%s[%zu].path: expected an "
                      "absolute path",
                        phases[k], i);
                return -1;
            }
        }
    }
    return 0;
}

int
hooks_save(json_object *doc, const char *dir)
{
    char path[PATH_MAX];
    json_object *kept, *v;
    int found, ret = -1;

    kept = json_object_new_object();
    if (kept == NULL) {
        warnx("json_object_new_object: out of memory");
        return -1;
    }
    found = json_member(doc, "hooks", json_type_object, "hooks", &v);
    if (found == -1 || (found == 1 && check_hooks(v) == -1))
        goto out_put;
    if (found == 1)
        json_object_object_add(kept, "hooks", json_object_get(v));
    if (json_object_object_get_ex(doc, "annotations", &v) &&
            json_object_is_type(v, json_type_object))
        json_object_object_add(kept, "annotations", json_object_get(v));
    /* Most configs have neither: no file to write, read, and remove. */
    if (json_object_object_length(kept) == 0) {
        ret = 0;
        goto out_put;
    }
    if (path_printf(path, sizeof(path), "%s/hooks.json", dir) == -1)
        goto out_put;
    if (json_object_to_file(path, kept) == -1)
        warnx("write %s: %s", path, json_util_get_last_err());
    else
        ret = 0;
out_put:
    json_object_put(kept);
    return ret;
}

/* A NULL-terminated array of the strings in LIST (none if absent). */
static char **
strings(json_object *hook, const char *key)
{
    json_object *list, *v;
    size_t i, n = 0;
    char **out;

    if (json_object_object_get_ex(hook, key, &list) &&
            json_object_is_type(list, json_type_array))
        n = json_object_array_length(list);
    out = calloc(n + 1, sizeof(*out));
    if (out == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        v = json_object_array_get_idx(list, i);
        out[i] = (char *)(json_object_is_type(v, json_type_string)
                        ? json_object_get_string(v)
                        : "");
    }
    return out;
}

/* In the child: the pipe's read end as stdin, then the hook. */
static void
exec_hook(int fd, const char *path, char **args, char **env)
{
    char *fallback[] = {(char *)path, NULL};

    if (dup2(fd, STDIN_FILENO) == -1)
        _exit(127);
    execve(path, args[0] ? args : fallback, env);
    warn("hook %s", path);
    _exit(127);
}

/* Waits for PID, killing it after TIMEOUT seconds (0: never). */
static int
wait_hook(pid_t pid, long long timeout, const char *path)
{
    const struct timespec tick = {0, TICK_NS};
    long long ticks = 0;
    int status;

    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (timeout > 0 && ++ticks > timeout * (1000000000 / TICK_NS)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            warnx("hook %s: timed out after %lld s", path, timeout);
            return -1;
        }
        nanosleep(&tick, NULL);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    warnx("hook %s: failed with status %d", path, signals_exit_status(status));
    return -1;
}

static int
run_hook(json_object *hook, const char *state)
{
    const char *path =
            json_object_get_string(json_object_object_get(hook, "path"));
    char **args = strings(hook, "args"), **env = strings(hook, "env");
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    int fd[2] = {-1, -1}, ret = -1;
    pid_t pid;

    if (args == NULL || env == NULL || pipe2(fd, O_CLOEXEC) == -1) {
        warn("hook %s", path);
        goto out_free;
    }
    fflush(NULL);
    pid = fork();
    if (pid == -1) {
        warn("fork");
        goto out_close;
    }
    if (pid == 0)
        exec_hook(fd[0], path, args, env);
    close(fd[0]);
    fd[0] = -1;
    /*
     * A hook that does not read its stdin gets EPIPE: not a failure. The
     * disposition is put back: the container's process passes it on.
     */
    sigaction(SIGPIPE, &ignore, &old);
    if (write(fd[1], state, strlen(state)) == -1 && errno != EPIPE)
        warn("write the state to hook %s", path);
    sigaction(SIGPIPE, &old, NULL);
    close(fd[1]);
    fd[1] = -1;
    ret = wait_hook(pid,
            json_object_get_int64(json_object_object_get(hook, "timeout")),
            path);
out_close:
    if (fd[0] != -1)
        close(fd[0]);
    if (fd[1] != -1)
        close(fd[1]);
out_free:
    free(args);
    free(env);
    return ret;
}

/* After a failing poststart or poststop hook, the others still run. */
static int
keeps_going(const char *phase)
{
    return strcmp(phase, "poststart") == 0 || strcmp(phase, "poststop") == 0;
}

static int
run_list(json_object *list, const char *phase, const char *state)
{
    size_t i;
    int ret = 0;

    for (i = 0; i < json_object_array_length(list); i++) {
        if (run_hook(json_object_array_get_idx(list, i), state) == 0)
            continue;
        ret = -1;
        if (!keeps_going(phase))
            break;
    }
    return ret;
}

/*
 * DIR/hooks.json into *DOC, and its list of PHASE, or NULL: none kept.
 * The caller puts *DOC (NULL too).
 */
static json_object *
kept_list(const char *dir, const char *phase, json_object **doc)
{
    char path[PATH_MAX];
    json_object *hooks, *list;

    *doc = NULL;
    if (path_printf(path, sizeof(path), "%s/hooks.json", dir) == -1)
        return NULL;
    *doc = json_object_from_file(path);
    if (*doc != NULL && json_object_object_get_ex(*doc, "hooks", &hooks) &&
            json_object_object_get_ex(hooks, phase, &list) &&
            json_object_is_type(list, json_type_array))
        return list;
    return NULL;
}

int
hooks_run(const char *dir, const char *phase, const char *state)
{
    json_object *doc, *list;
    int ret = 0;

    list = kept_list(dir, phase, &doc);
    if (list != NULL)
        ret = run_list(list, phase, state);
    json_object_put(doc);
    return ret;
}

int
hooks_count(const char *dir, const char *phase)
{
    json_object *doc, *list;
    int n;

    list = kept_list(dir, phase, &doc);
    n = list != NULL ? (int)json_object_array_length(list) : 0;
    json_object_put(doc);
    return n;
}

const char *
hooks_phase_name(size_t i)
{
    return i < sizeof(phases) / sizeof(phases[0]) ? phases[i] : NULL;
}

struct hooks {
    json_object *doc; /* hooks.json, which holds the lists */
    json_object *create_container, *start_container; /* arrays, or NULL */
    json_object *state; /* what they get: pid and status set as they run */
};

/* DOC's hooks of PHASE, a non-empty array, or NULL. */
static json_object *
list_of(json_object *doc, const char *phase)
{
    json_object *hooks, *list;

    if (!json_object_object_get_ex(doc, "hooks", &hooks) ||
            !json_object_object_get_ex(hooks, phase, &list) ||
            !json_object_is_type(list, json_type_array) ||
            json_object_array_length(list) == 0)
        return NULL;
    return list;
}

/* The state of runtime-spec runtime.md, as state.c writes it. */
static json_object *
new_state(json_object *doc, const char *id, const char *bundle)
{
    json_object *state = json_object_new_object(), *annotations;

    if (state == NULL)
        return NULL;
    json_object_object_add(state, "ociVersion",
            json_object_new_string(RUNBOX_SPEC_VERSION));
    json_object_object_add(state, "id", json_object_new_string(id));
    json_object_object_add(state, "bundle", json_object_new_string(bundle));
    if (json_object_object_get_ex(doc, "annotations", &annotations) &&
            annotations != NULL)
        json_object_get(annotations);
    else
        annotations = json_object_new_object();
    json_object_object_add(state, "annotations", annotations);
    return state;
}

int
hooks_load(const char *dir, const char *id, const char *bundle,
        struct hooks **out)
{
    char path[PATH_MAX];
    struct hooks *h;

    *out = NULL;
    if (path_printf(path, sizeof(path), "%s/hooks.json", dir) == -1)
        return -1;
    /* hooks_save() kept nothing. */
    if (access(path, F_OK) == -1 && errno == ENOENT)
        return 0;
    h = calloc(1, sizeof(*h));
    if (h == NULL) {
        warn("calloc");
        return -1;
    }
    h->doc = json_object_from_file(path);
    if (h->doc == NULL) {
        warnx("%s: %s", path, json_util_get_last_err());
        hooks_free(h);
        return -1;
    }
    h->create_container = list_of(h->doc, "createContainer");
    h->start_container = list_of(h->doc, "startContainer");
    if (h->create_container == NULL && h->start_container == NULL) {
        hooks_free(h);
        return 0;
    }
    h->state = new_state(h->doc, id, bundle);
    if (h->state == NULL) {
        warnx("json_object_new_object: out of memory");
        hooks_free(h);
        return -1;
    }
    *out = h;
    return 0;
}

/* The hooks of LIST, PHASE, with the state's status STATUS. */
static int
run_inside(const struct hooks *h, json_object *list, const char *phase,
        const char *status)
{
    if (list == NULL)
        return 0;
    json_object_object_add(h->state, "status", json_object_new_string(status));
    return run_list(list, phase,
            json_object_to_json_string_ext(h->state,
                    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

int
hooks_create_container(struct hooks *h)
{
    char self[32];
    long long pid = getpid();
    ssize_t n;

    if (h == NULL)
        return 0;
    /* Before pivot_root(2), /proc is the runtime's: the PID it sees. */
    n = readlink("/proc/self", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = '\0';
        pid = strtoll(self, NULL, 10);
    }
    json_object_object_add(h->state, "pid", json_object_new_int64(pid));
    return run_inside(h, h->create_container, "createContainer", "creating");
}

int
hooks_pause_for_create(const struct hooks *h)
{
    return h != NULL && h->create_container != NULL;
}

int
hooks_start_container(const struct hooks *h)
{
    if (h == NULL)
        return 0;
    return run_inside(h, h->start_container, "startContainer", "created");
}

void
hooks_free(struct hooks *h)
{
    if (h == NULL)
        return;
    json_object_put(h->state);
    json_object_put(h->doc);
    free(h);
}
