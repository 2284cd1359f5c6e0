/*
 * linux.resources: each value is one write to a file of the container's
 * cgroup. The names on v1 are the controllers' own; on v2 they follow
 * runc and crun (cpu.shares becomes cpu.weight, the CFS quota and period
 * become cpu.max, blkio becomes io). A value this machine cannot apply
 * (its controller not mounted, its file missing, no v2 equivalent) is
 * refused with one line naming the field, never ignored.
 *
 * See: the runtime-spec's config-linux.md ("Control groups"), the kernel's
 * Documentation/admin-guide/cgroup-v1/ and cgroup-v2.rst, cgroups(7).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "resources.h"
#include "util.h"

#define RES "linux.resources"

/* How a value becomes its v2 form. */
enum conversion {
    SAME,
    UNLIMITED_MAX, /* -1 (v1: no limit) is "max" */
    PIDS_MAX, /* 0 and -1 are "max", on v1 too */
    SHARES_WEIGHT, /* cpu.shares [2, 262144] to cpu.weight [1, 10000] */
    BLKIO_WEIGHT, /* blkio.weight [10, 1000] to io.weight [1, 10000] */
    CPU_MAX, /* quota and period: "QUOTA PERIOD" */
    SWAP_MAX, /* v1 counts memory + swap, v2 swap alone */
};

/* A number of linux.resources.OBJECT.KEY, in table order (v1 needs the
 * memory limit before memsw, the CFS period before the quota). */
struct number {
    const char *object, *key, *controller, *v1, *v2;
    long long min, max;
    enum conversion conv;
};

static const struct number numbers[] = {
        {"memory", "limit", "memory", "memory.limit_in_bytes", "memory.max", -1,
                LLONG_MAX, UNLIMITED_MAX},
        {"memory", "reservation", "memory", "memory.soft_limit_in_bytes",
                "memory.low", -1, LLONG_MAX, UNLIMITED_MAX},
        {"memory", "swap", "memory", "memory.memsw.limit_in_bytes",
                "memory.swap.max", -1, LLONG_MAX, SWAP_MAX},
        {"memory", "kernel", "memory", "memory.kmem.limit_in_bytes", "", -1,
                LLONG_MAX, SAME},
        {"memory", "kernelTCP", "memory", "memory.kmem.tcp.limit_in_bytes", "",
                -1, LLONG_MAX, SAME},
        {"memory", "swappiness", "memory", "memory.swappiness", "", 0, 100,
                SAME},
        {"cpu", "shares", "cpu", "cpu.shares", "cpu.weight", 2, 262144,
                SHARES_WEIGHT},
        {"cpu", "period", "cpu", "cpu.cfs_period_us", "cpu.max", 1000, 1000000,
                CPU_MAX},
        {"cpu", "quota", "cpu", "cpu.cfs_quota_us", "cpu.max", -1, LLONG_MAX,
                CPU_MAX},
        {"cpu", "realtimePeriod", "cpu", "cpu.rt_period_us", "", 1, 1000000,
                SAME},
        {"cpu", "realtimeRuntime", "cpu", "cpu.rt_runtime_us", "", -1, 1000000,
                SAME},
        {"pids", "limit", "pids", "pids.max", "pids.max", -1, LLONG_MAX,
                PIDS_MAX},
        {"blockIO", "weight", "blkio", "blkio.weight", "io.weight", 10, 1000,
                BLKIO_WEIGHT},
        {"blockIO", "leafWeight", "blkio", "blkio.leaf_weight", "", 10, 1000,
                SAME},
        {"network", "classID", "net_cls", "net_cls.classid", "", 0, UINT32_MAX,
                SAME},
};

/*
 * What runc allows every container on top of its rules: mknod(2) of any
 * device, and the devices that mount.c puts in /dev (and the pty ones).
 */
static const char *const default_devices[] = {"c *:* m", "b *:* m", "c 1:3 rwm",
        "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm",
        "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm"};

/* A new setting named FIELD, in CONTROLLER's v1 hierarchy. */
/* snprintf() into a setting's file or value, one line if it is cut. */
static int put(const struct cgroup_setting *s, char *buf, size_t size,
        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
put(const struct cgroup_setting *s, char *buf, size_t size, const char *fmt,
        ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = format_whole(buf, size, fmt, ap);
    va_end(ap);
    if (ret == -1)
        warnx("config.json: %s: longer than %zu bytes", s->field, size - 1);
    return ret;
}

/* KEY of O as a number, or DFLT: its own entry of numbers[] checks it. */
static long long
raw(const json_object *o, const char *key, long long dflt)
{
    json_object *v;

    if (!json_object_object_get_ex(o, key, &v) ||
            !json_object_is_type(v, json_type_int))
        return dflt;
    return json_object_get_int64(v);
}

/*
 * NUM's KEY in O is 0, which means "not set" as runc reads it (Docker
 * writes cpu.shares 0 and blockIO.weight 0 when the user set nothing);
 * only swappiness, the pids limit (no limit) and classID take 0.
 */
static int
unset_zero(const struct number *num, const json_object *o)
{
    json_object *v;

    if (strcmp(num->key, "swappiness") == 0 || num->conv == PIDS_MAX ||
            strcmp(num->key, "classID") == 0)
        return 0;
    return json_object_object_get_ex(o, num->key, &v) &&
            json_object_is_type(v, json_type_int) &&
            json_object_get_int64(v) == 0;
}

/* The v2 form of V, the value of NUM in the object O. */
static int
v2_value(struct cgroup_setting *s, const struct number *num,
        const json_object *o, long long v)
{
    char *buf = s->v2_value;
    size_t size = sizeof(s->v2_value);
    long long quota, period, limit;

    switch (num->conv) {
    case UNLIMITED_MAX:
    case PIDS_MAX:
        if (v == -1 || (num->conv == PIDS_MAX && v <= 0))
            return put(s, buf, size, "max");
        break;
    case SHARES_WEIGHT:
        return put(s, buf, size, "%lld", 1 + (v - 2) * 9999 / 262142);
    case BLKIO_WEIGHT:
        return put(s, buf, size, "%lld", 1 + (v - 10) * 9999 / 990);
    case CPU_MAX:
        quota = raw(o, "quota", -1);
        period = raw(o, "period", 0);
        if (period == 0) /* not set */
            period = CPU_PERIOD_US;
        if (quota <= 0)
            return put(s, buf, size, "max %lld", period);
        return put(s, buf, size, "%lld %lld", quota, period);
    case SWAP_MAX:
        limit = raw(o, "limit", 0);
        if (v == -1)
            return put(s, buf, size, "max");
        /* v2 needs the memory limit to tell swap from memory + swap. */
        if (limit <= 0 || v < limit) {
            s->v2[0] = '\0';
            return 0;
        }
        return put(s, buf, size, "%lld", v - limit);
    case SAME:
        break;
    }
    return put(s, buf, size, "%lld", v);
}

static int
add_number(struct resources *res, const struct number *num,
        const json_object *o, const char *name, long long v)
{
    struct cgroup_setting *s =
            cgroup_add_setting(res, num->controller, "%s", name);

    if (s == NULL)
        return -1;
    snprintf(s->v1, sizeof(s->v1), "%s", num->v1);
    snprintf(s->v2, sizeof(s->v2), "%s", num->v2);
    if (num->conv == PIDS_MAX && v <= 0)
        snprintf(s->v1_value, sizeof(s->v1_value), "max");
    else
        snprintf(s->v1_value, sizeof(s->v1_value), "%lld", v);
    return s->v2[0] ? v2_value(s, num, o, v) : 0;
}

static int
parse_numbers(struct resources *res, const json_object *resources)
{
    const struct number *num;
    json_object *o;
    char name[96];
    long long v;
    size_t i;
    int found;

    for (i = 0; i < NELEM(numbers); i++) {
        num = &numbers[i];
        snprintf(name, sizeof(name), RES ".%s", num->object);
        found = json_member(resources, num->object, json_type_object, name, &o);
        if (found == -1)
            return -1;
        if (found == 0 || unset_zero(num, o))
            continue;
        snprintf(name, sizeof(name), RES ".%s.%s", num->object, num->key);
        found = json_member_number(o, num->key, name, num->min, num->max, &v);
        if (found == -1 ||
                (found == 1 && add_number(res, num, o, name, v) == -1))
            return -1;
    }
    return 0;
}

/* memory.disableOOMKiller and memory.useHierarchy, booleans. */
static int
parse_memory_flags(struct resources *res, const json_object *memory)
{
    struct cgroup_setting *s;
    json_object *b;

    if (json_member(memory, "disableOOMKiller", json_type_boolean,
                RES ".memory.disableOOMKiller", &b) == -1)
        return -1;
    if (b != NULL && json_object_get_boolean(b)) {
        s = cgroup_add_setting(res, "memory", RES ".memory.disableOOMKiller");
        if (s == NULL)
            return -1;
        snprintf(s->v1, sizeof(s->v1), "memory.oom_control");
        snprintf(s->v1_value, sizeof(s->v1_value), "1");
    }
    if (json_member(memory, "useHierarchy", json_type_boolean,
                RES ".memory.useHierarchy", &b) == -1)
        return -1;
    if (b == NULL)
        return 0;
    s = cgroup_add_setting(res, "memory", RES ".memory.useHierarchy");
    if (s == NULL)
        return -1;
    snprintf(s->v1, sizeof(s->v1), "memory.use_hierarchy");
    snprintf(s->v1_value, sizeof(s->v1_value), "%d",
            json_object_get_boolean(b));
    /* v2 is hierarchical, always. */
    s->v2_needs_none = json_object_get_boolean(b);
    return 0;
}

/* cpu.cpus and cpu.mems: lists such as "0-3,6" (cpuset(7)). */
static int
parse_cpuset(struct resources *res, const json_object *cpu)
{
    static const char *const keys[] = {"cpus", "mems"};
    struct cgroup_setting *s;
    const char *list;
    char name[64];
    size_t i;
    int found;

    for (i = 0; i < NELEM(keys); i++) {
        snprintf(name, sizeof(name), RES ".cpu.%s", keys[i]);
        found = json_member_string(cpu, keys[i], name, &list);
        if (found == -1)
            return -1;
        if (found == 0 || *list == '\0')
            continue;
        if (list[strspn(list, "0123456789,-")] != '\0') {
            warnx("config.json: %s: not a list such as 0-3,6", name);
            return -1;
        }
        s = cgroup_add_setting(res, "cpuset", "%s", name);
        if (s == NULL ||
                put(s, s->v1_value, sizeof(s->v1_value), "%s", list) == -1)
            return -1;
        snprintf(s->v1, sizeof(s->v1), "cpuset.%s", keys[i]);
        snprintf(s->v2, sizeof(s->v2), "cpuset.%s", keys[i]);
        snprintf(s->v2_value, sizeof(s->v2_value), "%s", s->v1_value);
    }
    return 0;
}

/* An array of objects: KEY of O, NAME in messages, *N entries. */
static int
objects(const json_object *o, const char *key, const char *name,
        json_object **arr, size_t *n)
{
    char entry[128];
    size_t i;

    if (json_member(o, key, json_type_array, name, arr) == -1)
        return -1;
    *n = *arr ? json_object_array_length(*arr) : 0;
    for (i = 0; i < *n; i++) {
        if (!json_object_is_type(json_object_array_get_idx(*arr, i),
                    json_type_object)) {
            snprintf(entry, sizeof(entry), "%s[%zu]", name, i);
            warnx("config.json: %s: expected an object", entry);
            return -1;
        }
    }
    return 0;
}

/* PREFIX.KEY, a number that must be there. */
static int
required_number(const json_object *o, const char *prefix, const char *key,
        long long max, long long *out)
{
    char name[128];
    int found;

    snprintf(name, sizeof(name), "%s.%s", prefix, key);
    found = json_member_number(o, key, name, 0, max, out);
    if (found == 0)
        warnx("config.json: %s: missing", name);
    return found == 1 ? 0 : -1;
}

/* One blockIO.weightDevice entry: a weight and a leaf weight. */
static int
parse_weight_device(struct resources *res, const json_object *d,
        const char *name)
{
    static const char *const keys[] = {"weight", "leafWeight"};
    struct cgroup_setting *s;
    long long major, minor, w;
    char field[128];
    size_t k;
    int found;

    if (required_number(d, name, "major", UINT32_MAX, &major) == -1 ||
            required_number(d, name, "minor", UINT32_MAX, &minor) == -1)
        return -1;
    for (k = 0; k < NELEM(keys); k++) {
        snprintf(field, sizeof(field), "%s.%s", name, keys[k]);
        found = json_member_number(d, keys[k], field, 10, 1000, &w);
        if (found == -1)
            return -1;
        if (found == 0)
            continue;
        s = cgroup_add_setting(res, "blkio", "%s", field);
        if (s == NULL)
            return -1;
        snprintf(s->v1, sizeof(s->v1), "blkio.%s_device",
                k ? "leaf_weight" : "weight");
        snprintf(s->v1_value, sizeof(s->v1_value), "%lld:%lld %lld", major,
                minor, w);
        if (k == 0) {
            snprintf(s->v2, sizeof(s->v2), "io.weight");
            snprintf(s->v2_value, sizeof(s->v2_value), "%lld:%lld %lld", major,
                    minor, 1 + (w - 10) * 9999 / 990);
        }
    }
    return 0;
}

/* blockIO.throttle*Device: v1 has a file each, v2 a key of io.max. */
static const struct throttle {
    const char *key, *v1, *v2;
} throttles[] = {
        {"throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps"},
        {"throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps"},
        {"throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops"},
        {"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
                "wiops"},
};

static int
parse_throttle(struct resources *res, const struct throttle *t,
        const json_object *d, const char *name)
{
    struct cgroup_setting *s;
    long long major, minor, rate;

    if (required_number(d, name, "major", UINT32_MAX, &major) == -1 ||
            required_number(d, name, "minor", UINT32_MAX, &minor) == -1 ||
            required_number(d, name, "rate", LLONG_MAX, &rate) == -1)
        return -1;
    s = cgroup_add_setting(res, "blkio", "%s", name);
    if (s == NULL)
        return -1;
    snprintf(s->v1, sizeof(s->v1), "%s", t->v1);
    snprintf(s->v1_value, sizeof(s->v1_value), "%lld:%lld %lld", major, minor,
            rate);
    snprintf(s->v2, sizeof(s->v2), "io.max");
    snprintf(s->v2_value, sizeof(s->v2_value), "%lld:%lld %s=%lld", major,
            minor, t->v2, rate);
    return 0;
}

static int
parse_blkio_devices(struct resources *res, const json_object *blkio)
{
    json_object *arr;
    char name[96];
    size_t i, k, n;

    if (objects(blkio, "weightDevice", RES ".blockIO.weightDevice", &arr, &n) ==
            -1)
        return -1;
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), RES ".blockIO.weightDevice[%zu]", i);
        if (parse_weight_device(res, json_object_array_get_idx(arr, i), name) ==
                -1)
            return -1;
    }
    for (k = 0; k < NELEM(throttles); k++) {
        snprintf(name, sizeof(name), RES ".blockIO.%s", throttles[k].key);
        if (objects(blkio, throttles[k].key, name, &arr, &n) == -1)
            return -1;
        for (i = 0; i < n; i++) {
            snprintf(name, sizeof(name), RES ".blockIO.%s[%zu]",
                    throttles[k].key, i);
            if (parse_throttle(res, &throttles[k],
                        json_object_array_get_idx(arr, i), name) == -1)
                return -1;
        }
    }
    return 0;
}

/* hugepageLimits[]: {pageSize: "2MB", limit}, hugetlb.2MB.* files. */
static int
parse_hugepages(struct resources *res, const json_object *resources)
{
    struct cgroup_setting *s;
    json_object *arr, *h;
    const char *size = "";
    char name[96];
    long long limit;
    size_t i, n, digits;

    if (objects(resources, "hugepageLimits", RES ".hugepageLimits", &arr, &n) ==
            -1)
        return -1;
    for (i = 0; i < n; i++) {
        h = json_object_array_get_idx(arr, i);
        snprintf(name, sizeof(name), RES ".hugepageLimits[%zu].pageSize", i);
        if (json_member_string(h, "pageSize", name, &size) == -1)
            return -1;
        digits = strspn(size, "0123456789");
        if (digits == 0 || digits > 6 || size[digits] == '\0' ||
                strspn(size + digits, "KMG") != 1 ||
                strcmp(size + digits + 1, "B") != 0) {
            warnx("config.json: %s: expected a size such as 2MB", name);
            return -1;
        }
        snprintf(name, sizeof(name), RES ".hugepageLimits[%zu]", i);
        if (required_number(h, name, "limit", LLONG_MAX, &limit) == -1)
            return -1;
        s = cgroup_add_setting(res, "hugetlb", "%s", name);
        if (s == NULL)
            return -1;
        snprintf(s->v1, sizeof(s->v1), "hugetlb.%s.limit_in_bytes", size);
        snprintf(s->v2, sizeof(s->v2), "hugetlb.%s.max", size);
        snprintf(s->v1_value, sizeof(s->v1_value), "%lld", limit);
        snprintf(s->v2_value, sizeof(s->v2_value), "%lld", limit);
    }
    return 0;
}

/* network.priorities[]: {name: an interface, priority}: net_prio(v1). */
static int
parse_priorities(struct resources *res, const json_object *network)
{
    struct cgroup_setting *s;
    json_object *arr, *p;
    const char *ifname = "";
    char name[96];
    long long prio;
    size_t i, n;

    if (objects(network, "priorities", RES ".network.priorities", &arr, &n) ==
            -1)
        return -1;
    for (i = 0; i < n; i++) {
        p = json_object_array_get_idx(arr, i);
        snprintf(name, sizeof(name), RES ".network.priorities[%zu].name", i);
        if (json_member_string(p, "name", name, &ifname) == -1)
            return -1;
        if (*ifname == '\0' || strlen(ifname) >= 16 ||
                ifname[strcspn(ifname, " /\n")] != '\0') {
            warnx("config.json: %s: not an interface name", name);
            return -1;
        }
        snprintf(name, sizeof(name), RES ".network.priorities[%zu]", i);
        if (required_number(p, name, "priority", UINT32_MAX, &prio) == -1)
            return -1;
        s = cgroup_add_setting(res, "net_prio", "%s", name);
        if (s == NULL)
            return -1;
        snprintf(s->v1, sizeof(s->v1), "net_prio.ifpriomap");
        snprintf(s->v1_value, sizeof(s->v1_value), "%s %lld", ifname, prio);
    }
    return 0;
}

/* A devices[] rule on v1 is "TYPE MAJOR:MINOR ACCESS" (cgroup-v1/devices). */
static int
device_rule(struct cgroup_setting *s, const json_object *d)
{
    const char *type = "a", *access = "rwm";
    long long major = -1, minor = -1;
    char name[128], mj[24] = "*", mn[24] = "*";

    snprintf(name, sizeof(name), "%s.type", s->field);
    if (json_member_string(d, "type", name, &type) == -1)
        return -1;
    if (strlen(type) != 1 || strchr("abc", *type) == NULL) {
        warnx("config.json: %s: expected a, b or c", name);
        return -1;
    }
    snprintf(name, sizeof(name), "%s.access", s->field);
    if (json_member_string(d, "access", name, &access) == -1)
        return -1;
    if (*access == '\0' || access[strspn(access, "rwm")] != '\0' ||
            strlen(access) > 3) {
        warnx("config.json: %s: expected letters of rwm", name);
        return -1;
    }
    snprintf(name, sizeof(name), "%s.major", s->field);
    if (json_member_number(d, "major", name, -1, UINT32_MAX, &major) == -1)
        return -1;
    snprintf(name, sizeof(name), "%s.minor", s->field);
    if (json_member_number(d, "minor", name, -1, UINT32_MAX, &minor) == -1)
        return -1;
    if (major >= 0)
        snprintf(mj, sizeof(mj), "%lld", major);
    if (minor >= 0)
        snprintf(mn, sizeof(mn), "%lld", minor);
    snprintf(s->v1_value, sizeof(s->v1_value), "%s %s:%s %s", type, mj, mn,
            access);
    return 0;
}

/* A rule written to FILE (devices.allow or devices.deny), NAME in messages. */
static struct cgroup_setting *
add_rule(struct resources *res, const char *file, const char *name)
{
    struct cgroup_setting *s = cgroup_add_setting(res, "devices", "%s", name);

    if (s == NULL)
        return NULL;
    snprintf(s->v1, sizeof(s->v1), "%s", file);
    s->v2_needs_none = 1;
    return s;
}

/*
 * "Deny all", then devices[] in order, then the defaults, as runc: a
 * config without rules gets the defaults alone, never every device, or
 * root inside (CAP_MKNOD is in every default set) could make a node of a
 * host disk and read it. v2 has no files for them but an eBPF program,
 * which devices.c makes of the same rules. Where they cannot be applied,
 * runbox does as runc: on v1 without a devices hierarchy,
 * cgroup_check_settings() refuses the container (runc: "fatal for security
 * reasons"); runc rootless skips them, but runbox's OCI commands need
 * root (the cgroup is root's), so the rules always apply.
 */
static int
parse_devices(struct resources *res, const json_object *resources)
{
    struct cgroup_setting *s;
    json_object *arr, *d, *allow;
    char name[96];
    size_t i, n;

    if (objects(resources, "devices", RES ".devices", &arr, &n) == -1)
        return -1;
    s = add_rule(res, "devices.deny", RES ".devices (runc's default)");
    if (s == NULL)
        return -1;
    snprintf(s->v1_value, sizeof(s->v1_value), "a *:* rwm");
    for (i = 0; i < n; i++) {
        d = json_object_array_get_idx(arr, i);
        snprintf(name, sizeof(name), RES ".devices[%zu].allow", i);
        if (json_member(d, "allow", json_type_boolean, name, &allow) != 1) {
            if (allow == NULL)
                warnx("config.json: %s: missing", name);
            return -1;
        }
        snprintf(name, sizeof(name), RES ".devices[%zu]", i);
        s = add_rule(res,
                json_object_get_boolean(allow) ? "devices.allow"
                                               : "devices.deny",
                name);
        if (s == NULL || device_rule(s, d) == -1)
            return -1;
    }
    for (i = 0; i < NELEM(default_devices); i++) {
        s = add_rule(res, "devices.allow", RES ".devices (runc's default)");
        if (s == NULL)
            return -1;
        snprintf(s->v1_value, sizeof(s->v1_value), "%s", default_devices[i]);
    }
    res->devices = 1;
    return 0;
}

/* unified: a map of v2 file names to the values written there. */
static int
parse_unified(struct resources *res, const json_object *resources)
{
    struct cgroup_setting *s;
    json_object *map;

    if (json_member(resources, "unified", json_type_object, RES ".unified",
                &map) != 1)
        return map ? -1 : 0;
    json_object_object_foreach((json_object *)map, key, value)
    {
        s = cgroup_add_setting(res, NULL, RES ".unified.%s", key);
        if (s == NULL)
            return -1;
        if (!json_object_is_type(value, json_type_string)) {
            warnx("config.json: %s: expected a string", s->field);
            return -1;
        }
        if (key[0] == '.' || strchr(key, '/') != NULL ||
                strchr(key, '.') == NULL) {
            warnx("config.json: %s: not a cgroup file name", s->field);
            return -1;
        }
        if (put(s, s->v2, sizeof(s->v2), "%s", key) == -1 ||
                put(s, s->v2_value, sizeof(s->v2_value), "%s",
                        json_object_get_string(value)) == -1)
            return -1;
    }
    return 0;
}

/* Every field; the devices rules with DEVICES (create, not update). */
static int
parse_all(struct resources *res, const json_object *resources, int devices)
{
    json_object *o;

    if (parse_numbers(res, resources) == -1)
        return -1;
    /* Each object's type was checked by parse_numbers(). */
    if (json_object_object_get_ex(resources, "memory", &o) && o != NULL &&
            parse_memory_flags(res, o) == -1)
        return -1;
    if (json_object_object_get_ex(resources, "cpu", &o) && o != NULL &&
            parse_cpuset(res, o) == -1)
        return -1;
    if (json_object_object_get_ex(resources, "blockIO", &o) && o != NULL &&
            parse_blkio_devices(res, o) == -1)
        return -1;
    if (json_object_object_get_ex(resources, "network", &o) && o != NULL &&
            parse_priorities(res, o) == -1)
        return -1;
    if (parse_hugepages(res, resources) == -1 ||
            (devices && parse_devices(res, resources) == -1))
        return -1;
    return parse_unified(res, resources);
}

int
resources_parse(struct config *cfg, const json_object *doc)
{
    json_object *linux_, *resources;

    /* An OCI container has cgroups to pause it by, even without limits. */
    cfg->resources = calloc(1, sizeof(*cfg->resources));
    if (cfg->resources == NULL) {
        warn("calloc");
        return -1;
    }
    cfg->resources->origin = "config.json";
    /* runc's layout: runbox update and ps find it in every hierarchy. */
    cfg->resources->every_hierarchy = 1;
    /* parse_linux() checked the type of "linux". */
    if (!json_object_object_get_ex(doc, "linux", &linux_) || linux_ == NULL)
        return parse_devices(cfg->resources, NULL);
    if (json_member(linux_, "resources", json_type_object, RES, &resources) !=
            1)
        return resources ? -1 : parse_devices(cfg->resources, NULL);
    return parse_all(cfg->resources, resources, 1);
}

struct resources *
resources_parse_update(const json_object *resources)
{
    struct resources *res = calloc(1, sizeof(*res));

    if (res != NULL)
        res->origin = "config.json";
    if (res == NULL) {
        warn("calloc");
        return NULL;
    }
    if (parse_all(res, resources, 0) == -1) {
        cgroup_free_settings(res);
        return NULL;
    }
    return res;
}
