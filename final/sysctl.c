/*
 * linux.sysctl: the kernel parameters of /proc/sys that belong to one of
 * the container's namespaces, and so change nothing outside it. Which
 * ones do is the kernel's choice: the System V IPC limits and the POSIX
 * message queues of ipc_namespaces(7), the whole of net.* in
 * network_namespaces(7), the names of uts_namespaces(7). Everything else
 * (vm.*, kernel.pid_max...) is the host's, and is refused, as runc does.
 *
 * See: sysctl(8), proc(5) "/proc/sys", the runtime-spec's
 * config-linux.md "Sysctl".
 */
#define _GNU_SOURCE
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sysctl.h"
#include "util.h"

/* A parameter, or with a final '.', a prefix; and its namespace. */
static const struct {
    const char *name;
    const char *ns;
} namespaced[] = {
        {"kernel.msgmax", "ipc"},
        {"kernel.msgmnb", "ipc"},
        {"kernel.msgmni", "ipc"},
        {"kernel.sem", "ipc"},
        {"kernel.shmall", "ipc"},
        {"kernel.shmmax", "ipc"},
        {"kernel.shmmni", "ipc"},
        {"kernel.shm_rmid_forced", "ipc"},
        {"fs.mqueue.", "ipc"},
        {"net.", "network"},
        {"kernel.hostname", "uts"},
        {"kernel.domainname", "uts"},
};

/* Is a namespace of TYPE in linux.namespaces (checked by bundle.c)? */
static int
has_namespace(const json_object *linux_, const char *type)
{
    json_object *list, *ns, *t;
    size_t i, n;

    if (!json_object_object_get_ex(linux_, "namespaces", &list) ||
            !json_object_is_type(list, json_type_array))
        return 0;
    n = json_object_array_length(list);
    for (i = 0; i < n; i++) {
        ns = json_object_array_get_idx(list, i);
        if (json_object_object_get_ex(ns, "type", &t) &&
                strcmp(json_object_get_string(t), type) == 0)
            return 1;
    }
    return 0;
}

/* Dotted words: no '/', no empty word, so no path out of /proc/sys. */
static int
valid_key(const char *key)
{
    size_t len = strlen(key);

    return len > 0 && key[0] != '.' && key[len - 1] != '.' &&
            strstr(key, "..") == NULL &&
            strspn(key,
                    "abcdefghijklmnopqrstuvwxyz"
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == len;
}

static int
check_key(const json_object *linux_, const char *key, const json_object *value)
{
    char name[128];
    size_t i, len;

    if (!valid_key(key)) {
        warnx("config.json: linux.sysctl: %s: not a sysctl name", key);
        return -1;
    }
    if (!json_object_is_type(value, json_type_string)) {
        /* A long key is cut short: this is only the message. */
        snprintf(name, sizeof(name), "linux.sysctl.%s", key);
        warnx("config.json: %s: expected %s, got %s", name,
                json_type_to_name(json_type_string),
                json_type_to_name(json_object_get_type(value)));
        return -1;
    }
    for (i = 0; i < NELEM(namespaced); i++) {
        len = strlen(namespaced[i].name);
        if (namespaced[i].name[len - 1] == '.'
                        ? strncmp(key, namespaced[i].name, len) == 0
                        : strcmp(key, namespaced[i].name) == 0)
            break;
    }
    if (i == NELEM(namespaced)) {
        warnx("config.json: linux.sysctl.%s: not in a namespace: it would change the host",
                key);
        return -1;
    }
    if (!has_namespace(linux_, namespaced[i].ns)) {
        warnx("config.json: linux.sysctl.%s: needs a %s namespace of its own",
                key, namespaced[i].ns);
        return -1;
    }
    return 0;
}

static int
add_entry(struct sysctl *s, const char *key, json_object *value)
{
    struct sysctl_entry *e = &s->entries[s->n];

    e->key = strdup(key);
    e->value = strdup(json_object_get_string(value));
    s->n++;
    if (e->key == NULL || e->value == NULL) {
        warn("strdup");
        return -1;
    }
    return 0;
}

int
sysctl_parse(struct config *cfg, const json_object *linux_)
{
    json_object *obj;
    struct sysctl *s;

    if (json_member(linux_, "sysctl", json_type_object, "linux.sysctl", &obj) !=
            1)
        return obj ? -1 : 0;
    s = calloc(1, sizeof(*s));
    if (s != NULL)
        s->entries =
                calloc(json_object_object_length(obj) + 1, sizeof(*s->entries));
    cfg->sysctl = s;
    if (s == NULL || s->entries == NULL) {
        warn("calloc");
        return -1;
    }
    json_object_object_foreach(obj, key, value)
    {
        if (check_key(linux_, key, value) == -1 ||
                add_entry(s, key, value) == -1)
            return -1;
    }
    return 0;
}

/*
 * Through the container's own procfs, which runbox mounted: the values
 * are those of the namespaces of the writer, this process.
 */
int
sysctl_apply(const struct config *cfg)
{
    char path[PATH_MAX], *p;
    size_t i;

    for (i = 0; cfg->sysctl != NULL && i < cfg->sysctl->n; i++) {
        if (path_printf(path, sizeof(path), "sys/%s",
                    cfg->sysctl->entries[i].key) == -1)
            return -1;
        for (p = path + strlen("sys/"); *p != '\0'; p++)
            if (*p == '.')
                *p = '/';
        if (proc_write(path, cfg->sysctl->entries[i].value) == -1)
            return -1;
    }
    return 0;
}

void
sysctl_free(struct config *cfg)
{
    size_t i;

    if (cfg->sysctl == NULL)
        return;
    for (i = 0; i < cfg->sysctl->n; i++) {
        free(cfg->sysctl->entries[i].key);
        free(cfg->sysctl->entries[i].value);
    }
    free(cfg->sysctl->entries);
    free(cfg->sysctl);
    cfg->sysctl = NULL;
}
