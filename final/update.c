/*
 * runbox update ID: the limits of a created, running or paused container,
 * changed in its cgroup, as containerd's shim (ctr task update, docker
 * update) asks runc: either a linux.resources object in --resources FILE
 * (- for stdin), or runc's flags (--memory, --pids-limit, --cpu-quota,
 * --cpu-period, --cpu-shares...), read by the parser of create
 * (resources.c), so that each value is checked and mapped to v1 or v2
 * the same way. The devices rules are create's alone, as with runc.
 *
 * See: runc-update(8), the runtime-spec's config-linux.md ("Control
 * groups"), cgroups(7).
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "resources.h"
#include "state.h"
#include "update.h"
#include "util.h"

/* runc update's flags: each sets linux.resources.OBJECT.KEY. */
static const struct flag {
    const char *name, *object, *key;
    int size; /* a memory size: k, m, g suffixes, -1 for no limit */
    int list; /* a string: cpuset(7) lists */
} flags[] = {
        {"memory", "memory", "limit", 1, 0},
        {"memory-reservation", "memory", "reservation", 1, 0},
        {"memory-swap", "memory", "swap", 1, 0},
        {"kernel-memory", "memory", "kernel", 1, 0},
        {"pids-limit", "pids", "limit", 0, 0},
        {"cpu-shares", "cpu", "shares", 0, 0},
        {"cpu-quota", "cpu", "quota", 0, 0},
        {"cpu-period", "cpu", "period", 0, 0},
        {"cpu-rt-period", "cpu", "realtimePeriod", 0, 0},
        {"cpu-rt-runtime", "cpu", "realtimeRuntime", 0, 0},
        {"cpuset-cpus", "cpu", "cpus", 0, 1},
        {"cpuset-mems", "cpu", "mems", 0, 1},
        {"blkio-weight", "blockIO", "weight", 0, 0},
};

#define NFLAGS NELEM(flags)

/* A number, or with FLAG->size 512m and the like, as runc reads them. */
static int
parse_value(const struct flag *flag, const char *s, long long *out)
{
    char *end;

    if (flag->size && parse_size(s, out) == 0)
        return 0;
    errno = 0;
    *out = strtoll(s, &end, 10);
    if (flag->size || errno != 0 || end == s || *end != '\0') {
        warnx("update: --%s %s: not a %s", flag->name, s,
                flag->size ? "size (k, m, g suffixes)" : "whole number");
        return -1;
    }
    return 0;
}

/* RES.OBJECT.KEY = the value of --FLAG. */
static int
set_flag(json_object *res, const struct flag *flag, const char *arg)
{
    json_object *o, *v;
    long long n;

    if (!flag->list && parse_value(flag, arg, &n) == -1)
        return -1;
    v = flag->list ? json_object_new_string(arg) : json_object_new_int64(n);
    if (!json_object_object_get_ex(res, flag->object, &o)) {
        o = json_object_new_object();
        json_object_object_add(res, flag->object, o);
    }
    json_object_object_add(o, flag->key, v);
    return 0;
}

/* --resources FILE, or - for stdin: a linux.resources object. */
static json_object *
read_resources(const char *file)
{
    json_object *o;

    o = strcmp(file, "-") == 0 ? json_object_from_fd(0)
                               : json_object_from_file(file);
    if (o == NULL) {
        warnx("update: --resources %s: %s", file, json_util_get_last_err());
        return NULL;
    }
    if (!json_object_is_type(o, json_type_object)) {
        warnx("update: --resources %s: not a JSON object", file);
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* The command line, into a linux.resources object, and ID. */
static json_object *
parse_args(int argc, char *argv[], const char **id)
{
    struct option options[NFLAGS + 2] = {{0}};
    json_object *res = NULL;
    const char *file = NULL;
    int opt, index;
    size_t i;

    for (i = 0; i < NFLAGS; i++)
        options[i] = (struct option){flags[i].name, required_argument, NULL,
                (int)i + 256};
    options[NFLAGS] =
            (struct option){"resources", required_argument, NULL, 'r'};
    res = json_object_new_object();
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+r:", options, &index)) != -1) {
        if (opt == 'r')
            file = optarg;
        else if (opt < 256 || set_flag(res, &flags[opt - 256], optarg) == -1)
            goto out_put;
    }
    if (optind != argc - 1) {
        warnx("update: expected one container id");
        goto out_put;
    }
    *id = argv[optind];
    if (file == NULL)
        return res;
    if (json_object_object_length(res) > 0) {
        warnx("update: --resources, or flags, not both");
        goto out_put;
    }
    json_object_put(res);
    return read_resources(file);
out_put:
    json_object_put(res);
    return NULL;
}

/* The setting of RES written to the v1 file FILE, or NULL. */
static struct cgroup_setting *
v1_setting(const struct resources *res, const char *file)
{
    size_t i;

    for (i = 0; i < res->n; i++)
        if (strcmp(res->set[i].v1, file) == 0)
            return &res->set[i];
    return NULL;
}

/*
 * v1 keeps memory <= memory + swap at every write: raising both writes
 * memsw first, lowering both the limit first (as runc orders them). On
 * v2 the two are apart (memory.max, memory.swap.max).
 */
static void
order_memory(struct resources *res, const struct cgroup *cg)
{
    struct cgroup_setting *mem, *memsw, tmp;
    char path[PATH_MAX], buf[32] = "";
    long long now;
    FILE *f;

    mem = v1_setting(res, "memory.limit_in_bytes");
    memsw = v1_setting(res, "memory.memsw.limit_in_bytes");
    if (cg->v2 || mem == NULL || memsw == NULL ||
            cgroup_file(cg, "memory", "memory.limit_in_bytes", path,
                    sizeof(path)) == -1)
        return;
    f = fopen(path, "re");
    if (f == NULL)
        return; /* cgroup_apply_settings() says why */
    if (fgets(buf, sizeof(buf), f) == NULL)
        buf[0] = '\0';
    fclose(f);
    now = strtoll(buf, NULL, 10);
    if (strcmp(memsw->v1_value, "-1") == 0 ||
            now < strtoll(memsw->v1_value, NULL, 10)) {
        tmp = *mem; /* the table puts the limit first */
        *mem = *memsw;
        *memsw = tmp;
    }
}

static int
apply(const struct state *st, const json_object *doc)
{
    struct resources *res = resources_parse_update(doc);
    struct cgroup cg;
    int ret = -1;

    if (res == NULL || cgroup_adopt(&cg, st->cgroup) == -1 ||
            cgroup_check_settings(&cg, res) == -1)
        goto out_free;
    order_memory(res, &cg);
    if (cgroup_apply_settings(&cg, res) == 0)
        ret = 0;
out_free:
    cgroup_free_settings(res);
    return ret;
}

int
update_main(const char *root, int argc, char *argv[])
{
    json_object *doc;
    const char *id;
    struct state st;
    int ret = -1;

    doc = parse_args(argc, argv, &id);
    if (doc == NULL)
        return -1;
    if (state_open(&st, root, id) == -1)
        goto out_put;
    if (strcmp(state_status(&st), "stopped") == 0)
        warnx("container %s is not running", id);
    else
        ret = apply(&st, doc);
    state_close(&st);
out_put:
    json_object_put(doc);
    return ret;
}
