/*
 * runbox spec: the config.json that runc spec writes (what every OCI
 * tutorial starts from), with runbox's hostname. --rootless changes it
 * as runc spec --rootless does: a user namespace that maps root inside
 * to the caller, no network namespace (a rootless caller cannot make a
 * veth), /sys bound from the host (a new sysfs needs the network
 * namespace's owner), no gid= for devpts (no group 5 in the map), no
 * cgroup settings.
 *
 * See: the runtime-spec's config.md and config-linux.md, runc's
 * libcontainer/specconv (Example, ToRootless), user_namespaces(7).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "features.h"
#include "spec.h"
#include "util.h"

static const char default_spec[] =
        "{\"ociVersion\": \"" RUNBOX_SPEC_VERSION "\","
        " \"process\": {\"terminal\": true, \"user\": {\"uid\": 0, \"gid\": 0},"
        "  \"args\": [\"sh\"],"
        "  \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
        "/usr/bin:/sbin:/bin\", \"TERM=xterm\"],"
        "  \"cwd\": \"/\","
        "  \"capabilities\": {"
        "   \"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
        " \"CAP_NET_BIND_SERVICE\"],"
        "   \"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
        " \"CAP_NET_BIND_SERVICE\"],"
        "   \"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
        " \"CAP_NET_BIND_SERVICE\"],"
        "   \"ambient\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
        " \"CAP_NET_BIND_SERVICE\"]},"
        "  \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024,"
        " \"soft\": 1024}],"
        "  \"noNewPrivileges\": true},"
        " \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
        " \"hostname\": \"runbox\","
        " \"mounts\": ["
        "  {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": "
        "\"proc\"},"
        "  {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": "
        "\"tmpfs\", \"options\": [\"nosuid\", \"strictatime\", \"mode=755\","
        " \"size=65536k\"]},"
        "  {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": "
        "\"devpts\", \"options\": [\"nosuid\", \"noexec\", \"newinstance\","
        " \"ptmxmode=0666\", \"mode=0620\", \"gid=5\"]},"
        "  {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": "
        "\"shm\", \"options\": [\"nosuid\", \"noexec\", \"nodev\", "
        "\"mode=1777\", \"size=65536k\"]},"
        "  {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", "
        "\"source\": \"mqueue\", \"options\": [\"nosuid\", \"noexec\", "
        "\"nodev\"]},"
        "  {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": "
        "\"sysfs\", \"options\": [\"nosuid\", \"noexec\", \"nodev\", "
        "\"ro\"]},"
        "  {\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", "
        "\"source\": \"cgroup\", \"options\": [\"nosuid\", \"noexec\", "
        "\"nodev\", \"relatime\", \"ro\"]}],"
        " \"linux\": {"
        "  \"resources\": {\"devices\": [{\"allow\": false, "
        "\"access\": \"rwm\"}]},"
        "  \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"},"
        " {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}],"
        "  \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", "
        "\"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\", "
        "\"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", "
        "\"/sys/firmware\", \"/proc/scsi\"],"
        "  \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", "
        "\"/proc/sys\", \"/proc/sysrq-trigger\"]}}";

static const char rootless_sys[] =
        "{\"destination\": \"/sys\", \"type\": \"none\", \"source\": "
        "\"/sys\", \"options\": [\"rbind\", \"nosuid\", \"noexec\", "
        "\"nodev\", \"ro\"]}";

/* [{"containerID": 0, "hostID": ID, "size": 1}] */
static json_object *
mapping(unsigned int id)
{
    json_object *map = json_object_new_object(), *arr;

    json_object_object_add(map, "containerID", json_object_new_int(0));
    json_object_object_add(map, "hostID", json_object_new_int64(id));
    json_object_object_add(map, "size", json_object_new_int(1));
    arr = json_object_new_array();
    json_object_array_add(arr, map);
    return arr;
}

/* Drops the network namespace, adds the user namespace and its maps. */
static void
rootless_namespaces(json_object *linux_)
{
    json_object *old, *ns, *type, *user;
    size_t i;

    json_object_object_get_ex(linux_, "namespaces", &old);
    ns = json_object_new_array();
    for (i = 0; i < json_object_array_length(old); i++) {
        json_object_object_get_ex(json_object_array_get_idx(old, i), "type",
                &type);
        if (strcmp(json_object_get_string(type), "network") != 0)
            json_object_array_add(ns,
                    json_object_get(json_object_array_get_idx(old, i)));
    }
    user = json_object_new_object();
    json_object_object_add(user, "type", json_object_new_string("user"));
    json_object_array_add(ns, user);
    json_object_object_add(linux_, "namespaces", ns);
    json_object_object_add(linux_, "uidMappings", mapping(geteuid()));
    json_object_object_add(linux_, "gidMappings", mapping(getegid()));
    json_object_object_del(linux_, "resources");
}

/* /sys bound from the host; devpts without gid=5. */
static void
rootless_mounts(json_object *doc)
{
    json_object *mounts, *m, *dst, *opts, *kept;
    size_t i, k;

    json_object_object_get_ex(doc, "mounts", &mounts);
    for (i = 0; i < json_object_array_length(mounts); i++) {
        m = json_object_array_get_idx(mounts, i);
        json_object_object_get_ex(m, "destination", &dst);
        if (strcmp(json_object_get_string(dst), "/sys") == 0) {
            json_object_array_put_idx(mounts, i,
                    json_tokener_parse(rootless_sys));
            continue;
        }
        if (strcmp(json_object_get_string(dst), "/dev/pts") != 0 ||
                !json_object_object_get_ex(m, "options", &opts))
            continue;
        kept = json_object_new_array();
        for (k = 0; k < json_object_array_length(opts); k++)
            if (strncmp(json_object_get_string(
                                json_object_array_get_idx(opts, k)),
                        "gid=", 4) != 0)
                json_object_array_add(kept,
                        json_object_get(json_object_array_get_idx(opts, k)));
        json_object_object_add(m, "options", kept);
    }
}

/* All of S to FD, or -1 (a short write says EIO). */
static int
write_all(int fd, const char *s)
{
    size_t len = strlen(s);
    ssize_t n = write(fd, s, len);

    if (n >= 0 && (size_t)n != len)
        errno = EIO;
    return n >= 0 && (size_t)n == len ? 0 : -1;
}

/* The document, whole, to a new DIR/config.json: never over one. */
static int
write_new(const char *dir, const char *text)
{
    char path[PATH_MAX];
    int fd;

    if (path_printf(path, sizeof(path), "%s/config.json", dir) == -1)
        return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd == -1 && errno == EEXIST) {
        warnx("%s exists: remove it first", path);
        return -1;
    }
    if (fd == -1) {
        warn("create %s", path);
        return -1;
    }
    if (write_all(fd, text) == -1 || write_all(fd, "\n") == -1) {
        warn("write %s", path);
        close(fd);
        unlink(path);
        return -1;
    }
    if (close(fd) == -1) {
        warn("close %s", path);
        unlink(path);
        return -1;
    }
    return 0;
}

int
spec_write(const char *dir, int rootless)
{
    json_object *doc = json_tokener_parse(default_spec), *linux_;
    int ret;

    if (doc == NULL) {
        warnx("spec: the default config.json does not parse");
        return -1;
    }
    if (rootless) {
        json_object_object_get_ex(doc, "linux", &linux_);
        rootless_namespaces(linux_);
        rootless_mounts(doc);
    }
    ret = write_new(dir,
            json_object_to_json_string_ext(doc,
                    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(doc);
    return ret;
}
