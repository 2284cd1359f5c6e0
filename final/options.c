/*
 * The options of runbox run, in the getopt_long(3) convention. Every value
 * is checked here, before anything exists, so a bad one leaves nothing
 * behind: one line that names the option, and exit 125.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bridge.h"
#include "cgroup.h"
#include "namespaces.h"
#include "net.h"
#include "ocimount.h"
#include "options.h"
#include "process.h"
#include "seccomp.h"
#include "util.h"

#define DEFAULT_PATH \
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define MIN_MEMORY (6LL << 20) /* docker's minimum: below, nothing starts */
#define MAX_PIDS (1LL << 22) /* the kernel's PID_MAX_LIMIT */
#define MAX_ID 2147483646LL

enum {
    OPT_HOSTNAME = 256,
    OPT_PIDS,
    OPT_CPUS,
    OPT_NET,
    OPT_READ_ONLY,
    OPT_USERNS,
    OPT_INIT,
};
/* --net bridge's own. */
enum { OPT_BRIDGE = 512, OPT_SUBNET, OPT_NAT };

static const struct option long_options[] = {
        {"rootfs", required_argument, NULL, 'r'},
        {"hostname", required_argument, NULL, OPT_HOSTNAME},
        {"memory", required_argument, NULL, 'm'},
        {"pids", required_argument, NULL, OPT_PIDS},
        {"cpus", required_argument, NULL, OPT_CPUS},
        {"net", required_argument, NULL, OPT_NET},
        {"bridge", required_argument, NULL, OPT_BRIDGE},
        {"subnet", required_argument, NULL, OPT_SUBNET},
        {"nat", no_argument, NULL, OPT_NAT},
        {"volume", required_argument, NULL, 'v'},
        {"env", required_argument, NULL, 'e'},
        {"workdir", required_argument, NULL, 'w'},
        {"user", required_argument, NULL, 'u'},
        {"read-only", no_argument, NULL, OPT_READ_ONLY},
        {"tty", no_argument, NULL, 't'},
        {"userns", no_argument, NULL, OPT_USERNS},
        {"init", no_argument, NULL, OPT_INIT},
        {NULL, 0, NULL, 0},
};

/* S, a whole number in [MIN, MAX], or -1 with one line naming OPT ARG. */
static int
parse_number(const char *opt, const char *arg, const char *s, long long min,
        long long max, long long *out)
{
    char *end;

    errno = 0;
    *out = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || *out < min || *out > max) {
        warnx("%s %s: not a whole number from %lld to %lld", opt, arg, min,
                max);
        return -1;
    }
    return 0;
}

/*
 * A new setting of the container's cgroup, as config.json's
 * linux.resources would give it (cgroup.h): FILE1 on v1, FILE2 on v2,
 * VALUE in both ("" for a file a version has not). The cgroup layer
 * writes it. The setting, valid until the next one, or NULL.
 */
static struct cgroup_setting *
add_limit(struct config *cfg, const char *option, const char *controller,
        const char *file1, const char *file2, const char *value)
{
    struct cgroup_setting *s;

    if (cfg->resources == NULL) {
        cfg->resources = calloc(1, sizeof(*cfg->resources));
        if (cfg->resources == NULL) {
            warn("calloc");
            return NULL;
        }
        cfg->resources->origin = "run";
    }
    s = cgroup_add_setting(cfg->resources, controller, "%s", option);
    if (s == NULL)
        return NULL;
    snprintf(s->v1, sizeof(s->v1), "%s", file1);
    snprintf(s->v2, sizeof(s->v2), "%s", file2);
    snprintf(s->v1_value, sizeof(s->v1_value), "%s", value);
    snprintf(s->v2_value, sizeof(s->v2_value), "%s", value);
    return s;
}

/*
 * SIZE: bytes, or a number with k, m or g (powers of 1024), as docker.
 * memory + swap (memsw on v1) may not be below memory; on v2 the swap
 * limit is its own, 0. A kernel without swap accounting has neither file.
 */
static int
parse_memory(struct config *cfg, const char *s)
{
    struct cgroup_setting *swap;
    char value[32];
    long long bytes;

    if (parse_size(s, &bytes) == -1 || bytes < MIN_MEMORY) {
        warnx("--memory %s: not a size of at least 6m (k, m, g suffixes)", s);
        return -1;
    }
    snprintf(value, sizeof(value), "%lld", bytes);
    if (add_limit(cfg, "--memory", "memory", "memory.limit_in_bytes",
                "memory.max", value) == NULL)
        return -1;
    swap = add_limit(cfg, "--memory", "memory", "memory.memsw.limit_in_bytes",
            "memory.swap.max", value);
    if (swap == NULL)
        return -1;
    snprintf(swap->v2_value, sizeof(swap->v2_value), "0");
    swap->optional = 1;
    return 0;
}

static int
parse_pids(struct config *cfg, const char *s)
{
    char value[32];
    long long max;

    if (parse_number("--pids", s, s, 1, MAX_PIDS, &max) == -1)
        return -1;
    snprintf(value, sizeof(value), "%lld", max);
    return add_limit(cfg, "--pids", "pids", "pids.max", "pids.max", value) ? 0
                                                                           : -1;
}

/* A quota per period: v1 has two files, the period first; v2 one. */
static int
cpu_limit(struct config *cfg, long long quota_us)
{
    struct cgroup_setting *s;
    char value[32];

    snprintf(value, sizeof(value), "%d", CPU_PERIOD_US);
    s = add_limit(cfg, "--cpus", "cpu", "cpu.cfs_period_us", "", value);
    if (s == NULL)
        return -1;
    s->v2_needs_none = 1;
    snprintf(value, sizeof(value), "%lld", quota_us);
    s = add_limit(cfg, "--cpus", "cpu", "cpu.cfs_quota_us", "cpu.max", value);
    if (s == NULL)
        return -1;
    snprintf(s->v2_value, sizeof(s->v2_value), "%lld %d", quota_us,
            CPU_PERIOD_US);
    return 0;
}

static int
parse_cpus(struct config *cfg, const char *s)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    char *end;
    double cpus;

    errno = 0;
    cpus = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(cpus >= 0.01) ||
            cpus > (double)ncpu) {
        warnx("--cpus %s: not a number from 0.01 to %ld", s, ncpu);
        return -1;
    }
    return cpu_limit(cfg, (long long)(cpus * CPU_PERIOD_US));
}

/* SRC:DST[:ro|rw]: SRC must exist on the host, DST is absolute. */
static int
parse_volume(const char *s, struct volume *vol)
{
    char *copy, *dst, *mode;

    copy = strdup(s);
    if (copy == NULL) {
        warn("strdup");
        return -1;
    }
    dst = strchr(copy, ':');
    mode = dst ? strchr(dst + 1, ':') : NULL;
    if (dst != NULL)
        *dst++ = '\0';
    if (mode != NULL)
        *mode++ = '\0';
    if (dst == NULL || *copy == '\0' || *dst != '/' ||
            (mode && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0)) {
        warnx("--volume %s: expected SRC:DST[:ro] with DST absolute", s);
        goto out_free;
    }
    if (dst[strspn(dst, "/")] == '\0') {
        warnx("--volume %s: DST may not be /", s);
        goto out_free;
    }
    if (strstr(dst, "/../") || strcmp(dst + strlen(dst) - 3, "/..") == 0) {
        warnx("--volume %s: DST may not contain ..", s);
        goto out_free;
    }
    if (!proc_mount_allowed(dst, 0)) {
        warnx("--volume %s: DST may not be /proc or inside it", s);
        goto out_free;
    }
    vol->source = realpath(copy, NULL);
    if (vol->source == NULL) {
        warn("--volume %s: source %s", s, copy);
        goto out_free;
    }
    vol->target = strdup(dst);
    if (vol->target == NULL) {
        warn("strdup");
        goto out_free;
    }
    vol->read_only = mode && strcmp(mode, "ro") == 0;
    free(copy);
    return 0;
out_free:
    free(copy);
    return -1;
}

/* UID[:GID], numeric: the image has no user database runbox trusts. */
static int
parse_user(const char *s, struct config *cfg)
{
    char buf[64], *colon;
    long long id;

    if (path_printf(buf, sizeof(buf), "%s", s) == -1)
        return -1;
    colon = strchr(buf, ':');
    if (colon != NULL)
        *colon = '\0';
    if (parse_number("--user", s, buf, 0, MAX_ID, &id) == -1)
        return -1;
    cfg->uid = (uid_t)id;
    cfg->gid = (gid_t)id;
    if (colon && parse_number("--user", s, colon + 1, 0, MAX_ID, &id) == -1)
        return -1;
    if (colon)
        cfg->gid = (gid_t)id;
    return 0;
}

/* RFC 1123 labels: letters, digits, '-' and '.', at most 64 characters. */
static int
check_hostname(const char *s)
{
    size_t i, len = strlen(s);

    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
            break;
    if (len == 0 || len > 64 || i < len || s[0] == '-') {
        warnx("--hostname %s: not a valid hostname", s);
        return -1;
    }
    return 0;
}

/* Fails here, with a hint, rather than as a puzzling error inside. */
static int
check_rootfs(struct config *cfg, const char *path)
{
    struct dirent *entry;
    DIR *dir;
    int empty = 1;

    cfg->rootfs = realpath(path, NULL);
    if (cfg->rootfs == NULL || (dir = opendir(cfg->rootfs)) == NULL) {
        warnx("rootfs %s: %s (build one with: make rootfs)", path,
                strerror(errno));
        return -1;
    }
    while ((entry = readdir(dir)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            empty = 0;
    closedir(dir);
    if (empty) {
        warnx("rootfs %s is empty (build one with: make rootfs)", path);
        return -1;
    }
    return 0;
}

/* Sets KEY=VALUE in ENV, replacing an earlier value of KEY. */
static int
env_set(char **env, const char *entry)
{
    size_t keylen = strcspn(entry, "=");
    size_t i;

    for (i = 0; env[i] != NULL; i++)
        if (strncmp(env[i], entry, keylen + 1) == 0)
            break;
    free(env[i]);
    env[i] = strdup(entry);
    if (env[i] == NULL) {
        warn("strdup");
        return -1;
    }
    return 0;
}

/* -e KEY=VALUE, or -e KEY for the host's value of KEY (as docker). */
static int
parse_env(struct config *cfg, const char *s)
{
    char buf[4096];
    const char *host;

    if (*s == '=' || *s == '\0') {
        warnx("--env %s: expected KEY=VALUE", s);
        return -1;
    }
    if (strchr(s, '=') != NULL)
        return env_set(cfg->env, s);
    host = getenv(s);
    if (host == NULL)
        return 0;
    if (path_printf(buf, sizeof(buf), "%s=%s", s, host) == -1)
        return -1;
    return env_set(cfg->env, buf);
}

/* What docker sets: PATH, HOSTNAME, HOME, and TERM with a terminal. */
static int
default_env(struct config *cfg)
{
    char buf[128];

    if (env_set(cfg->env, "PATH=" DEFAULT_PATH) == -1)
        return -1;
    snprintf(buf, sizeof(buf), "HOSTNAME=%s", cfg->hostname);
    if (env_set(cfg->env, buf) == -1)
        return -1;
    if (env_set(cfg->env, cfg->uid == 0 ? "HOME=/root" : "HOME=/") == -1)
        return -1;
    if (cfg->tty && env_set(cfg->env, "TERM=xterm") == -1)
        return -1;
    return 0;
}

static int
apply_option(struct config *cfg, int opt, const char *arg)
{
    switch (opt) {
    case OPT_HOSTNAME:
        cfg->hostname = arg;
        return check_hostname(arg);
    case 'm':
        return parse_memory(cfg, arg);
    case OPT_PIDS:
        return parse_pids(cfg, arg);
    case OPT_CPUS:
        return parse_cpus(cfg, arg);
    case OPT_NET:
        return net_parse_mode(cfg, arg);
    case OPT_BRIDGE:
        return bridge_parse_name(&cfg->bridge, arg);
    case OPT_SUBNET:
        return bridge_parse_subnet(&cfg->bridge, arg);
    case OPT_NAT:
        cfg->bridge.nat = 1;
        return 0;
    case 'v':
        return parse_volume(arg, &cfg->volumes[cfg->nvolumes++]);
    case 'w':
        cfg->workdir = arg;
        if (*arg == '/')
            return 0;
        warnx("--workdir %s: not an absolute path", arg);
        return -1;
    case 'u':
        return parse_user(arg, cfg);
    case OPT_READ_ONLY:
        cfg->read_only = 1;
        return 0;
    case 't':
        cfg->tty = 1;
        return 0;
    case OPT_USERNS:
        cfg->userns = 1;
        return 0;
    case OPT_INIT:
        cfg->init = 1;
        return 0;
    default:
        return -1; /* getopt_long(3) has printed the line */
    }
}

int
options_parse(struct config *cfg, int argc, char *argv[])
{
    const char *rootfs = "./rootfs";
    int opt, i;

    memset(cfg, 0, sizeof(*cfg));
    cfg->hostname = "container";
    cfg->workdir = "/";
    cfg->volumes = calloc((size_t)argc, sizeof(*cfg->volumes));
    cfg->env = calloc((size_t)argc + 5, sizeof(*cfg->env));
    if (cfg->volumes == NULL || cfg->env == NULL) {
        warn("calloc");
        return -1;
    }
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+r:m:v:e:w:u:t", long_options,
                    NULL)) != -1) {
        if (opt == 'r')
            rootfs = optarg;
        else if (opt != 'e' && apply_option(cfg, opt, optarg) == -1)
            return -1;
    }
    if (net_check_options(cfg) == -1)
        return -1;
    if (optind >= argc) {
        warnx("missing CMD; usage: runbox run [OPTIONS] [--] CMD [ARG...]");
        return -1;
    }
    cfg->argv = &argv[optind];
    if (check_rootfs(cfg, rootfs) == -1 || default_env(cfg) == -1)
        return -1;
    /* -e last, so that it may override the defaults. */
    optind = 0; /* 0, not 1: getopt_long(3) starts over */
    while ((opt = getopt_long(argc, argv, "+r:m:v:e:w:u:t", long_options,
                    NULL)) != -1)
        if (opt == 'e' && parse_env(cfg, optarg) == -1)
            return -1;
    i = snprintf(cfg->name, sizeof(cfg->name), "runbox-%d", (int)getpid());
    return i > 0 && (size_t)i < sizeof(cfg->name) ? 0 : -1;
}

int
options_complete(struct config *cfg)
{
    cfg->seccomp = seccomp_default();
    cfg->dies_with_runbox = 1;
    if (process_defaults(cfg) == -1 || ocimount_defaults(cfg) == -1)
        return -1;
    return namespaces_defaults(cfg);
}

void
options_free(struct config *cfg)
{
    size_t i;

    process_free(cfg);
    ocimount_free(cfg->fs);
    cfg->fs = NULL;
    namespaces_free(cfg->ns);
    cfg->ns = NULL;
    cgroup_free_settings(cfg->resources);
    cfg->resources = NULL;
    for (i = 0; i < cfg->nvolumes; i++) {
        free((char *)cfg->volumes[i].source);
        free((char *)cfg->volumes[i].target);
    }
    for (i = 0; cfg->env && cfg->env[i] != NULL; i++)
        free(cfg->env[i]);
    free(cfg->volumes);
    free(cfg->env);
    free((char *)cfg->rootfs);
}
