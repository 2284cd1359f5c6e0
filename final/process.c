/*
 * What the process of an OCI container is given beyond its argv, env and
 * cwd (bundle.c): its five capability sets (capabilities(7)), its
 * resource limits (setrlimit(2)), no_new_privs (prctl(2)), its OOM score
 * (proc(5), oom_score_adj), its supplementary groups (setgroups(2)), its
 * umask (umask(2)) and an AppArmor or SELinux label for its execve(2)
 * (proc(5), /proc/PID/attr). Where the spec leaves a field out, the
 * process gets nothing: no capability, no limit changed.
 *
 * See: the runtime-spec's config.md, "process" and "POSIX process".
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "process.h"
#include "util.h"

#define MAX_ID 2147483646LL
#define APPARMOR_ENABLED "/sys/module/apparmor/parameters/enabled"
#define SELINUX_ENFORCE "/sys/fs/selinux/enforce"
#define OOM_SCORE_ADJ "/proc/self/oom_score_adj"

/* The keys of process.capabilities, in the order of CAPS_BOUNDING... */
static const char *const cap_sets[CAPS_NSETS] = {"bounding", "effective",
        "inheritable", "permitted", "ambient"};

/* setrlimit(2)'s resources, as config.json names them. */
static const struct {
    const char *name;
    int resource;
} rlimit_names[] = {
        {"RLIMIT_AS", RLIMIT_AS},
        {"RLIMIT_CORE", RLIMIT_CORE},
        {"RLIMIT_CPU", RLIMIT_CPU},
        {"RLIMIT_DATA", RLIMIT_DATA},
        {"RLIMIT_FSIZE", RLIMIT_FSIZE},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
        {"RLIMIT_NICE", RLIMIT_NICE},
        {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_NPROC", RLIMIT_NPROC},
        {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
        {"RLIMIT_RTTIME", RLIMIT_RTTIME},
        {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_STACK", RLIMIT_STACK},
};

/* parse_rlimit() takes each once: struct process has room for all. */
_Static_assert(NELEM(rlimit_names) <= RLIM_NLIMITS, "rlimits of process.h");

static const char *
rlimit_name(int resource)
{
    size_t i;

    for (i = 0; i < NELEM(rlimit_names); i++)
        if (rlimit_names[i].resource == resource)
            return rlimit_names[i].name;
    return "RLIMIT_?";
}

/*
 * One set: each name a capability this kernel knows, and one runbox
 * still has in its bounding set, or capset(2) would fail in the child.
 */
static int
parse_cap_set(uint64_t *set, const json_object *caps, const char *key)
{
    json_object *arr;
    const char *cap_name;
    char name[64];
    size_t i, n;
    int cap;

    snprintf(name, sizeof(name), "process.capabilities.%s", key);
    if (json_member_strings(caps, key, name, 0, &arr) != 1)
        return arr ? -1 : 0;
    n = json_object_array_length(arr);
    for (i = 0; i < n; i++) {
        cap_name = json_object_get_string(json_object_array_get_idx(arr, i));
        cap = caps_by_name(cap_name);
        if (cap == -1) {
            warnx("config.json: %s[%zu]: unknown capability %s", name, i,
                    cap_name);
            return -1;
        }
        if (!caps_bounded(cap)) {
            warnx("config.json: %s[%zu]: %s is not in runbox's own bounding set",
                    name, i, cap_name);
            return -1;
        }
        *set |= UINT64_C(1) << cap;
    }
    return 0;
}

/*
 * What capset(2) would refuse in the child: SET must lie within OF.
 */
static int
check_subset(const struct process *p, int set, int of)
{
    uint64_t extra = p->caps[set] & ~p->caps[of];
    int cap;

    if (extra == 0)
        return 0;
    for (cap = 0; !(extra >> cap & 1); cap++)
        ;
    warnx("config.json: process.capabilities.%s: %s is not in %s",
            cap_sets[set], caps_name(cap), cap_sets[of]);
    return -1;
}

static int
parse_capabilities(struct process *p, const json_object *process)
{
    json_object *caps;
    size_t i;

    if (json_member(process, "capabilities", json_type_object,
                "process.capabilities", &caps) != 1)
        return caps ? -1 : 0;
    for (i = 0; i < CAPS_NSETS; i++)
        if (parse_cap_set(&p->caps[i], caps, cap_sets[i]) == -1)
            return -1;
    if (check_subset(p, CAPS_EFFECTIVE, CAPS_PERMITTED) == -1 ||
            check_subset(p, CAPS_INHERITABLE, CAPS_BOUNDING) == -1)
        return -1;
    /*
     * PR_CAP_AMBIENT_RAISE of one not permitted and inheritable fails
     * with EPERM, which runc and crun ignore: `runc spec` asks for ambient
     * capabilities without inheritable ones. They are skipped here too.
     */
    p->caps[CAPS_AMBIENT] &=
            p->caps[CAPS_PERMITTED] & p->caps[CAPS_INHERITABLE];
    return 0;
}

/* A limit is a uint64: RLIM_INFINITY is 18446744073709551615. */
static int
parse_limit(const json_object *r, const char *key, const char *name,
        rlim_t *out)
{
    json_object *v;

    if (json_member(r, key, json_type_int, name, &v) != 1) {
        if (v == NULL)
            warnx("config.json: %s: missing", name);
        return -1;
    }
    if (json_object_get_int64(v) < 0) {
        warnx("config.json: %s: negative", name);
        return -1;
    }
    *out = (rlim_t)json_object_get_uint64(v);
    return 0;
}

/* One of each resource: RLIM_NLIMITS entries at most. */
static int
parse_rlimit(struct process *p, const json_object *r, size_t i)
{
    struct process_rlimit rl;
    const char *type = "";
    char name[64];
    size_t k;
    int found;

    snprintf(name, sizeof(name), "process.rlimits[%zu].type", i);
    found = json_member_string(r, "type", name, &type);
    if (found != 1) {
        /* Of another type, json_member() said so: one line. */
        if (found == 0)
            warnx("config.json: %s: missing", name);
        return -1;
    }
    for (k = 0; k < NELEM(rlimit_names); k++)
        if (strcmp(type, rlimit_names[k].name) == 0)
            break;
    if (k == NELEM(rlimit_names)) {
        warnx("config.json: %s: unknown resource %s", name, type);
        return -1;
    }
    rl.resource = rlimit_names[k].resource;
    for (k = 0; k < p->nrlimits; k++)
        if (p->rlimits[k].resource == rl.resource) {
            warnx("config.json: %s: %s given twice", name, type);
            return -1;
        }
    snprintf(name, sizeof(name), "process.rlimits[%zu].soft", i);
    if (parse_limit(r, "soft", name, &rl.limit.rlim_cur) == -1)
        return -1;
    snprintf(name, sizeof(name), "process.rlimits[%zu].hard", i);
    if (parse_limit(r, "hard", name, &rl.limit.rlim_max) == -1)
        return -1;
    if (rl.limit.rlim_cur > rl.limit.rlim_max) {
        warnx("config.json: process.rlimits[%zu]: soft above hard", i);
        return -1;
    }
    p->rlimits[p->nrlimits++] = rl;
    return 0;
}

static int
parse_rlimits(struct process *p, const json_object *process)
{
    json_object *arr, *r;
    char name[64];
    size_t i, n;

    if (json_member(process, "rlimits", json_type_array, "process.rlimits",
                &arr) == -1)
        return -1;
    n = arr ? json_object_array_length(arr) : 0;
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "process.rlimits[%zu]", i);
        r = json_object_array_get_idx(arr, i);
        if (!json_object_is_type(r, json_type_object)) {
            warnx("config.json: %s: expected an object", name);
            return -1;
        }
        if (parse_rlimit(p, r, i) == -1)
            return -1;
    }
    return 0;
}

/* process.user.additionalGids and process.user.umask; uid, gid: bundle.c */
static int
parse_user_extra(struct process *p, const json_object *process)
{
    json_object *user, *arr, *v;
    long long umask_value = 0;
    char name[64];
    size_t i, n;
    int found;

    if (json_member(process, "user", json_type_object, "process.user", &user) !=
            1)
        return user ? -1 : 0;
    if (json_member(user, "additionalGids", json_type_array,
                "process.user.additionalGids", &arr) == -1)
        return -1;
    n = arr ? json_object_array_length(arr) : 0;
    p->groups = calloc(n + 1, sizeof(*p->groups));
    if (p->groups == NULL) {
        warn("calloc");
        return -1;
    }
    for (i = 0; i < n; i++) {
        v = json_object_array_get_idx(arr, i);
        snprintf(name, sizeof(name), "process.user.additionalGids[%zu]", i);
        if (!json_object_is_type(v, json_type_int) ||
                json_object_get_int64(v) < 0 ||
                json_object_get_int64(v) > MAX_ID) {
            warnx("config.json: %s: not a number from %lld to %lld", name, 0LL,
                    MAX_ID);
            return -1;
        }
        p->groups[p->ngroups++] = (gid_t)json_object_get_int64(v);
    }
    found = json_member_number(user, "umask", "process.user.umask", 0, 0777,
            &umask_value);
    p->has_umask = found == 1;
    p->umask = (mode_t)umask_value;
    return found == -1 ? -1 : 0;
}

/* A label only where its LSM runs: never a label silently not applied. */
static int
parse_label(struct process *p, const json_object *process, const char *key,
        const char *attr)
{
    char name[64], enabled[2] = "";
    const char *label = "";
    int is_apparmor = strcmp(key, "apparmorProfile") == 0;
    FILE *f;

    snprintf(name, sizeof(name), "process.%s", key);
    if (json_member_string(process, key, name, &label) == -1)
        return -1;
    if (label[0] == '\0')
        return 0;
    f = fopen(is_apparmor ? APPARMOR_ENABLED : SELINUX_ENFORCE, "re");
    if (f != NULL && fgets(enabled, sizeof(enabled), f) == NULL)
        enabled[0] = '\0';
    if (f != NULL)
        fclose(f);
    if (f == NULL || (is_apparmor && enabled[0] != 'Y')) {
        warnx("config.json: %s: %s is not enabled in this kernel", name,
                is_apparmor ? "AppArmor" : "SELinux");
        return -1;
    }
    if (p->lsm_label != NULL) {
        warnx("config.json: %s: a second label", name);
        return -1;
    }
    p->lsm_attr = attr;
    p->lsm_label = malloc(strlen("exec ") + strlen(label) + 1);
    if (p->lsm_label == NULL) {
        warn("malloc");
        return -1;
    }
    /* AppArmor's attr takes a command: proc(5), apparmor(7). */
    sprintf(p->lsm_label, "%s%s", is_apparmor ? "exec " : "", label);
    return 0;
}

static int
parse_flags(struct process *p, const json_object *process)
{
    json_object *nnp;
    long long adj = 0;
    int found;

    if (json_member(process, "noNewPrivileges", json_type_boolean,
                "process.noNewPrivileges", &nnp) == -1)
        return -1;
    p->no_new_privs = nnp != NULL && json_object_get_boolean(nnp);
    found = json_member_number(process, "oomScoreAdj", "process.oomScoreAdj",
            -1000, 1000, &adj);
    p->has_oom_score_adj = found == 1;
    p->oom_score_adj = (int)adj;
    return found == -1 ? -1 : 0;
}

int
process_parse(struct config *cfg, const json_object *process)
{
    struct process *p = calloc(1, sizeof(*p));

    if (p == NULL) {
        warn("calloc");
        return -1;
    }
    cfg->process = p;
    if (parse_capabilities(p, process) == -1 ||
            parse_rlimits(p, process) == -1 ||
            parse_user_extra(p, process) == -1 ||
            parse_flags(p, process) == -1 ||
            parse_label(p, process, "apparmorProfile",
                    "/proc/self/attr/apparmor/exec") == -1 ||
            parse_label(p, process, "selinuxLabel", "/proc/self/attr/exec") ==
                    -1)
        return -1;
    return 0;
}

/* Raising a hard limit above runbox's own takes CAP_SYS_RESOURCE. */
static int
set_rlimits(const struct process *p)
{
    const struct process_rlimit *rl;
    size_t i;

    for (i = 0; i < p->nrlimits; i++) {
        rl = &p->rlimits[i];
        if (setrlimit(rl->resource, &rl->limit) == 0)
            continue;
        if (errno == EPERM)
            warnx("setrlimit %s: a hard limit above runbox's own needs CAP_SYS_RESOURCE",
                    rlimit_name(rl->resource));
        else
            warn("setrlimit %s", rlimit_name(rl->resource));
        return -1;
    }
    return 0;
}

/* Lowering oom_score_adj below what it was takes CAP_SYS_RESOURCE: proc(5). */
static int
set_oom_score_adj(const struct process *p)
{
    char value[16];
    ssize_t n;
    int fd;

    if (!p->has_oom_score_adj)
        return 0;
    snprintf(value, sizeof(value), "%d", p->oom_score_adj);
    fd = proc_open("self/oom_score_adj", O_WRONLY);
    if (fd == -1)
        return -1;
    n = write(fd, value, strlen(value));
    if (n == -1 && errno == EACCES)
        warnx("write %s: lowering it to %d needs CAP_SYS_RESOURCE",
                OOM_SCORE_ADJ, p->oom_score_adj);
    else if (n == -1 || (size_t)n != strlen(value))
        warn("write %s to %s", value, OOM_SCORE_ADJ);
    close(fd);
    return n == (ssize_t)strlen(value) ? 0 : -1;
}

int
process_defaults(struct config *cfg)
{
    struct process *p;
    uint64_t docker = caps_default();

    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        warn("calloc");
        return -1;
    }
    /*
     * Docker: root gets the fourteen in permitted and effective; any other
     * user gets them in the bounding set only, like a non-root user on the
     * host, whose execve(2) of an ordinary program grants nothing.
     * Inheritable stays empty, as in Docker since CVE-2022-24769: it would
     * hand capabilities to a non-root user who runs a program with file
     * capabilities; and so does ambient, which must be inheritable.
     */
    p->caps[CAPS_BOUNDING] = docker;
    p->caps[CAPS_PERMITTED] = cfg->uid == 0 ? docker : 0;
    p->caps[CAPS_EFFECTIVE] = cfg->uid == 0 ? docker : 0;
    /*
     * Set-user-ID and file capabilities no longer raise anything; and
     * installing a seccomp(2) filter no longer takes CAP_SYS_ADMIN.
     */
    p->no_new_privs = 1;
    cfg->process = p;
    return 0;
}

int
process_limits(const struct config *cfg)
{
    const struct process *p = cfg->process;

    if (set_rlimits(p) == -1 || set_oom_score_adj(p) == -1)
        return -1;
    /* The label is the LSM's for the next execve(2): CMD. */
    if (p->lsm_label != NULL &&
            proc_write(p->lsm_attr + strlen("/proc/"), p->lsm_label) == -1)
        return -1;
    if (p->has_umask)
        umask(p->umask);
    return 0;
}

int
process_apply(const struct config *cfg)
{
    const struct process *p = cfg->process;

    if (caps_apply(p->caps, cfg, p->groups, p->ngroups) == -1)
        return -1;
    if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
        warn("prctl PR_SET_NO_NEW_PRIVS");
        return -1;
    }
    return 0;
}

void
process_free(struct config *cfg)
{
    if (cfg->process == NULL)
        return;
    free(cfg->process->groups);
    free(cfg->process->lsm_label);
    free(cfg->process);
    cfg->process = NULL;
}
