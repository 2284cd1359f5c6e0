/*
 * config.json, read with json-c, into the struct config of runbox run.
 * What runbox does not do yet is refused by name rather than ignored
 * (a mount the kernel cannot make, a seccomp action it does not have).
 * Each part is read in the file of its concept: the process attributes
 * in process.c, the filesystem in ocimount.c, the cgroup in resources.c,
 * linux.sysctl in sysctl.c, the namespaces in namespaces.c, the seccomp
 * profile in seccomp-oci.c.
 * Unknown fields are ignored, as the runtime-spec asks.
 *
 * See: the runtime-spec's config.md and config-linux.md, json-c's
 * json_object.h and json_tokener.h.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "json.h"
#include "namespaces.h"
#include "ocimount.h"
#include "process.h"
#include "resources.h"
#include "seccomp-oci.h"
#include "sysctl.h"
#include "util.h"

#define MAX_CONFIG (4 << 20) /* bytes: a config.json is a few kB */
#define MAX_ID 2147483646LL

static int
parse_user(struct config *cfg, const json_object *process)
{
    json_object *user;
    long long id;
    int found;

    found = json_member(process, "user", json_type_object, "process.user",
            &user);
    if (found != 1)
        return found;
    found = json_member_number(user, "uid", "process.user.uid", 0, MAX_ID, &id);
    if (found == -1)
        return -1;
    cfg->uid = found ? (uid_t)id : 0;
    found = json_member_number(user, "gid", "process.user.gid", 0, MAX_ID, &id);
    if (found == -1)
        return -1;
    cfg->gid = found ? (gid_t)id : 0;
    return 0;
}

static int
parse_process(struct config *cfg, const json_object *doc)
{
    json_object *process, *terminal;
    const char *cwd = "/";
    size_t i;
    int found;

    /* Of another type, json_member() said so: one line. */
    found = json_member(doc, "process", json_type_object, "process", &process);
    if (found != 1) {
        if (found == 0)
            warnx("config.json: process: missing");
        return -1;
    }
    if (json_string_array(process, "args", "process.args", 1, &cfg->argv) ==
                    -1 ||
            json_string_array(process, "env", "process.env", 0, &cfg->env) ==
                    -1)
        return -1;
    for (i = 0; cfg->env[i] != NULL; i++) {
        if (strchr(cfg->env[i], '=') == NULL || cfg->env[i][0] == '=') {
            warnx("config.json: process.env[%zu]: expected KEY=VALUE", i);
            return -1;
        }
    }
    if (json_member_string(process, "cwd", "process.cwd", &cwd) == -1)
        return -1;
    if (cwd[0] != '/') {
        warnx("config.json: process.cwd: not an absolute path");
        return -1;
    }
    cfg->workdir = xstrdup(cwd);
    if (cfg->workdir == NULL || parse_user(cfg, process) == -1)
        return -1;
    if (json_member(process, "terminal", json_type_boolean, "process.terminal",
                &terminal) == -1)
        return -1;
    cfg->tty = terminal != NULL && json_object_get_boolean(terminal);
    return process_parse(cfg, process);
}

/* root.path, relative to the bundle; it must be a directory. */
static int
parse_root(struct config *cfg, const json_object *doc, const char *dir)
{
    char path[PATH_MAX];
    json_object *root, *ro;
    const char *rel = NULL;
    struct stat sb;
    int found;

    found = json_member(doc, "root", json_type_object, "root", &root);
    if (found == 1)
        found = json_member_string(root, "path", "root.path", &rel);
    if (found != 1) {
        if (found == 0)
            warnx("config.json: root.path: missing");
        return -1;
    }
    if (json_member(root, "readonly", json_type_boolean, "root.readonly",
                &ro) == -1)
        return -1;
    cfg->read_only = ro != NULL && json_object_get_boolean(ro);
    if (path_printf(path, sizeof(path), "%s/%s", rel[0] == '/' ? "" : dir,
                rel) == -1)
        return -1;
    cfg->rootfs = realpath(path, NULL);
    if (cfg->rootfs == NULL || stat(cfg->rootfs, &sb) == -1 ||
            !S_ISDIR(sb.st_mode)) {
        warnx("config.json: root.path %s: %s", rel,
                cfg->rootfs ? "not a directory" : strerror(errno));
        return -1;
    }
    cfg->bind_root = 1;
    return 0;
}

/* Without a hostname, the container keeps the host's, as runc. */
static int
parse_hostname(struct config *cfg, const json_object *doc)
{
    char host[HOST_NAME_MAX + 1];
    const char *name = host;

    if (gethostname(host, sizeof(host)) == -1) {
        warn("gethostname");
        return -1;
    }
    if (json_member_string(doc, "hostname", "hostname", &name) == -1)
        return -1;
    if (strlen(name) > HOST_NAME_MAX) {
        warnx("config.json: hostname: longer than %d bytes", HOST_NAME_MAX);
        return -1;
    }
    cfg->hostname = xstrdup(name);
    return cfg->hostname ? 0 : -1;
}

/*
 * linux.cgroupsPath, relative to the cgroup mounts (an absolute one as
 * well: runtime-spec config-linux.md), never leading out of them.
 */
static int
parse_cgroups_path(struct config *cfg, const json_object *linux_)
{
    const char *path = NULL, *p;
    int found;

    found = json_member_string(linux_, "cgroupsPath", "linux.cgroupsPath",
            &path);
    if (found != 1)
        return found;
    path += strspn(path, "/");
    for (p = path; *p != '\0'; p += strcspn(p, "/"), p += strspn(p, "/"))
        if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
            break;
    if (*path == '\0' || *p != '\0' || path[strlen(path) - 1] == '/' ||
            strlen(path) >= sizeof(cfg->name)) {
        warnx("config.json: linux.cgroupsPath: not a cgroup path");
        return -1;
    }
    memcpy(cfg->name, path, strlen(path) + 1);
    return 0;
}

static int
parse_linux(struct config *cfg, const json_object *doc)
{
    json_object *linux_;

    if (json_member(doc, "linux", json_type_object, "linux", &linux_) != 1)
        return linux_ ? -1 : 0;
    if (sysctl_parse(cfg, linux_) == -1)
        return -1;
    return parse_cgroups_path(cfg, linux_);
}

/* ociVersion, if given: a SemVer of the spec's major version, 1. */
static int
parse_version(const json_object *doc)
{
    const char *v = "1.0.0";
    unsigned int minor, patch;
    int end = 0;

    if (json_member_string(doc, "ociVersion", "ociVersion", &v) == -1)
        return -1;
    if (sscanf(v, "1.%u.%u%n", &minor, &patch, &end) != 2 ||
            (v[end] != '\0' && v[end] != '-' && v[end] != '+')) {
        warnx("config.json: ociVersion: %s is not a version 1.x.y", v);
        return -1;
    }
    return 0;
}

/*
 * maskedPaths, readonlyPaths and sysctls are made in the container's own
 * mount namespace, over its /proc and /sys: without one there is nowhere
 * to make them, and the container would run without them. Refused, as
 * runc does ("unable to restrict sys entries without a private MNT
 * namespace").
 */
static int
check_mount_namespace(const struct config *cfg)
{
    const char *field = NULL;

    if (namespaces_own(cfg, CLONE_NEWNS))
        return 0;
    if (cfg->fs != NULL && cfg->fs->nmasked > 0)
        field = "linux.maskedPaths";
    else if (cfg->fs != NULL && cfg->fs->nreadonly > 0)
        field = "linux.readonlyPaths";
    else if (cfg->sysctl != NULL && cfg->sysctl->n > 0)
        field = "linux.sysctl";
    if (field == NULL)
        return 0;
    warnx("config.json: %s: needs a mount namespace of the container's own "
          "(linux.namespaces)",
            field);
    return -1;
}

/* The digits at S, N of them, without leading zeros, exceed LIMIT's. */
static int
above(const char *s, size_t n, const char *limit)
{
    size_t m = strlen(limit);

    return n > m || (n == m && memcmp(s, limit, n) > 0);
}

/*
 * json-c reads a whole number too wide for 64 bits as the nearest one it
 * holds, and says nothing: 2^64 as 2^64 - 1, -2^63 - 1 as -2^63. Such a
 * number, outside the strings, is refused here, before json-c reads it:
 * a seccomp rule's value is compared with all 64 bits of an argument.
 */
static int
check_widths(const char *text, size_t len)
{
    size_t i = 0, start, end;
    int in_string = 0, negative, fraction;

    while (i < len) {
        if (in_string || text[i] == '"') {
            if (text[i] == '\\')
                i++;
            else if (text[i] == '"')
                in_string = !in_string;
            i++;
            continue;
        }
        if (text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
            i++;
            continue;
        }
        start = i;
        negative = text[i] == '-';
        for (i += negative; i < len && text[i] == '0'; i++)
            ;
        for (end = i; end < len && text[end] >= '0' && text[end] <= '9'; end++)
            ;
        /* A fraction or an exponent makes a double: json-c's business. */
        fraction = end < len && text[end] != '\0' &&
                strchr(".eE", text[end]) != NULL;
        if (!fraction &&
                above(text + i, end - i,
                        negative ? "9223372036854775808"
                                 : "18446744073709551615")) {
            warnx("config.json: the number at byte %zu does not fit in 64 "
                  "bits",
                    start);
            return -1;
        }
        for (i = end; i < len && text[i] != '\0' &&
                strchr("0123456789.eE+-", text[i]) != NULL;
                i++)
            ;
    }
    return 0;
}

/* bundle_parse(), the document in *KEEP if KEEP and it succeeds. */
static int
parse_text(struct config *cfg, const char *text, size_t len, const char *dir,
        json_object **keep)
{
    struct json_tokener *tok;
    json_object *doc;
    int ret = -1;

    memset(cfg, 0, sizeof(*cfg));
    if (len > MAX_CONFIG || len > INT_MAX) {
        warnx("config.json: larger than %d bytes", MAX_CONFIG);
        return -1;
    }
    if (check_widths(text, len) == -1)
        return -1;
    tok = json_tokener_new();
    if (tok == NULL) {
        warn("json_tokener_new");
        return -1;
    }
    doc = json_tokener_parse_ex(tok, text, (int)len);
    if (doc == NULL || json_tokener_get_parse_end(tok) != len) {
        warnx("config.json: not JSON: %s at byte %zu",
                json_tokener_error_desc(json_tokener_get_error(tok)),
                json_tokener_get_parse_end(tok));
        goto out_free_tokener;
    }
    if (!json_object_is_type(doc, json_type_object))
        warnx("config.json: not a JSON object");
    else if (parse_process(cfg, doc) == 0 && parse_root(cfg, doc, dir) == 0 &&
            parse_hostname(cfg, doc) == 0 &&
            ocimount_parse(cfg, doc, dir) == 0 && parse_linux(cfg, doc) == 0 &&
            resources_parse(cfg, doc) == 0 && parse_version(doc) == 0 &&
            namespaces_parse(cfg, doc) == 0 &&
            seccomp_oci_parse(cfg, doc) == 0 && check_mount_namespace(cfg) == 0)
        ret = 0;
out_free_tokener:
    if (ret == 0 && keep != NULL)
        *keep = doc;
    else
        json_object_put(doc);
    json_tokener_free(tok);
    return ret;
}

int
bundle_parse(struct config *cfg, const char *text, size_t len, const char *dir)
{
    return parse_text(cfg, text, len, dir, NULL);
}

int
bundle_load(struct config *cfg, const char *dir, json_object **doc)
{
    char path[PATH_MAX], *text = NULL;
    size_t len = 0;
    FILE *f;
    int ret;

    memset(cfg, 0, sizeof(*cfg));
    if (doc != NULL)
        *doc = NULL;
    if (path_printf(path, sizeof(path), "%s/config.json", dir) == -1)
        return -1;
    f = fopen(path, "re");
    if (f == NULL) {
        warn("%s", path);
        return -1;
    }
    text = malloc(MAX_CONFIG + 1);
    if (text == NULL) {
        warn("malloc");
        fclose(f);
        return -1;
    }
    len = fread(text, 1, MAX_CONFIG + 1, f);
    if (ferror(f)) {
        warn("read %s", path);
        ret = -1;
    } else {
        ret = parse_text(cfg, text, len, dir, doc);
    }
    free(text);
    fclose(f);
    return ret;
}

static void
free_strings(char **list)
{
    size_t i;

    for (i = 0; list && list[i] != NULL; i++)
        free(list[i]);
    free(list);
}

void
bundle_free(struct config *cfg)
{
    size_t i;

    free_strings(cfg->argv);
    free_strings(cfg->env);
    for (i = 0; i < cfg->nvolumes; i++) {
        free((char *)cfg->volumes[i].source);
        free((char *)cfg->volumes[i].target);
    }
    free(cfg->volumes);
    free((char *)cfg->rootfs);
    free((char *)cfg->workdir);
    free((char *)cfg->hostname);
    process_free(cfg);
    sysctl_free(cfg);
    ocimount_free(cfg->fs);
    cgroup_free_settings(cfg->resources);
    namespaces_free(cfg->ns);
    seccomp_oci_free(cfg->seccomp);
    memset(cfg, 0, sizeof(*cfg));
}
