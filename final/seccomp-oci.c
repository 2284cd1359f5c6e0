/*
 * linux.seccomp of config.json: a default action, the architectures the
 * filter accepts, and rules (system call names, an action, conditions on
 * the arguments). runbox run loads a filter compiled when runbox is built
 * (seccomp.c); a bundle brings its own, compiled here by libseccomp into
 * a BPF program while config.json is read: a name libseccomp does not
 * know stops runbox create before anything is made, and the child, once
 * started, loads the finished program with one system call, last.
 *
 * See: seccomp(2), seccomp_init(3), seccomp_rule_add(3),
 * seccomp_arch_add(3), seccomp_export_bpf(3), the runtime-spec's
 * config-linux.md (Seccomp)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "seccomp-oci.h"
#include "seccomp.h"
#include "util.h"

#define MAX_ERRNO 4095 /* a filter's errno is the low 16 bits; errno(3) */

static const struct {
    const char *name;
    unsigned int flag;
} flags[] = {
        {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
        {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
        {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
};

/* The errno of ERRNO, or the message of TRACE, goes in the low 16 bits. */
static const struct {
    const char *name;
    uint32_t action;
    int with_errno;
} actions[] = {
        {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, 0},
        {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), 1},
        {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), 1},
        {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, 0},
        {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, 0},
        {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, 0},
        {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, 0},
        {"SCMP_ACT_LOG", SCMP_ACT_LOG, 0},
};

static const struct {
    const char *name;
    enum scmp_compare op;
} ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE},
        {"SCMP_CMP_LT", SCMP_CMP_LT},
        {"SCMP_CMP_LE", SCMP_CMP_LE},
        {"SCMP_CMP_EQ", SCMP_CMP_EQ},
        {"SCMP_CMP_GE", SCMP_CMP_GE},
        {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

/*
 * An action by name, at KEY of OBJ; ERRNO and TRACE carry the number at
 * ERRNO_KEY (EPERM if absent, as runc). SCMP_ACT_NOTIFY would need a
 * listener process: not supported.
 */
static int
parse_action(const json_object *obj, const char *prefix, const char *key,
        const char *errno_key, uint32_t *action)
{
    char name[96], errno_name[96];
    const char *s = "";
    long long ret = EPERM;
    size_t k;

    snprintf(name, sizeof(name), "%s%s", prefix, key);
    snprintf(errno_name, sizeof(errno_name), "%s%s", prefix, errno_key);
    if (json_member_string(obj, key, name, &s) == -1 ||
            json_member_number(obj, errno_key, errno_name, 0, MAX_ERRNO,
                    &ret) == -1)
        return -1;
    for (k = 0; k < NELEM(actions); k++)
        if (strcmp(s, actions[k].name) == 0)
            break;
    if (k == NELEM(actions)) {
        warnx("config.json: %s: \"%s\" is not a supported action", name, s);
        return -1;
    }
    *action = actions[k].action;
    if (actions[k].with_errno)
        *action |= (uint32_t)ret;
    return 0;
}

/* SCMP_ARCH_X86_64 is libseccomp's "x86_64": seccomp_arch_resolve_name(3). */
static int
add_arch(scmp_filter_ctx ctx, const char *s, const char *name)
{
    char arch[32];
    uint32_t token = 0;
    size_t i;
    int rc;

    if (strncmp(s, "SCMP_ARCH_", 10) == 0 && strlen(s + 10) < sizeof(arch)) {
        for (i = 0; s[10 + i] != '\0'; i++)
            arch[i] = (char)tolower((unsigned char)s[10 + i]);
        arch[i] = '\0';
        token = seccomp_arch_resolve_name(arch);
    }
    if (token == 0) {
        warnx("config.json: %s: \"%s\" is not an architecture", name, s);
        return -1;
    }
    rc = seccomp_arch_add(ctx, token);
    if (rc < 0 && rc != -EEXIST) {
        warnx("config.json: %s: seccomp_arch_add %s: %s", name, s,
                strerror(-rc));
        return -1;
    }
    return 0;
}

static int
parse_arches(scmp_filter_ctx ctx, const json_object *sec)
{
    json_object *list;
    char name[64];
    size_t i, n;

    if (json_member_strings(sec, "architectures", "linux.seccomp.architectures",
                0, &list) == -1)
        return -1;
    n = list ? json_object_array_length(list) : 0;
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "linux.seccomp.architectures[%zu]", i);
        if (add_arch(ctx,
                    json_object_get_string(json_object_array_get_idx(list, i)),
                    name) == -1)
            return -1;
    }
    return 0;
}

static int
parse_flags(unsigned int *out, const json_object *sec)
{
    json_object *list;
    const char *s;
    size_t i, k, n;

    if (json_member_strings(sec, "flags", "linux.seccomp.flags", 0, &list) ==
            -1)
        return -1;
    n = list ? json_object_array_length(list) : 0;
    for (i = 0; i < n; i++) {
        s = json_object_get_string(json_object_array_get_idx(list, i));
        for (k = 0; k < NELEM(flags); k++)
            if (strcmp(s, flags[k].name) == 0)
                break;
        if (k == NELEM(flags)) {
            warnx("config.json: linux.seccomp.flags[%zu]: \"%s\" is not a "
                  "supported flag",
                    i, s);
            return -1;
        }
        *out |= flags[k].flag;
    }
    return 0;
}

/* A member of ARG that must be there: index and op. */
static int
required(int found, const char *name, const char *key)
{
    if (found == 0)
        warnx("config.json: %s.%s: missing", name, key);
    return found == 1 ? 0 : -1;
}

/* ARG, called NAME: which argument, compared how, with what. */
static int
parse_arg(const json_object *arg, const char *name, struct scmp_arg_cmp *cmp)
{
    char field[160];
    const char *op = "";
    long long index = 0;
    uint64_t value = 0, value2 = 0;
    size_t k;

    if (!json_object_is_type(arg, json_type_object)) {
        warnx("config.json: %s: expected an object", name);
        return -1;
    }
    snprintf(field, sizeof(field), "%s.index", name);
    if (required(json_member_number(arg, "index", field, 0, 5, &index), name,
                "index") == -1)
        return -1;
    snprintf(field, sizeof(field), "%s.value", name);
    if (json_member_uint64(arg, "value", field, &value) == -1)
        return -1;
    snprintf(field, sizeof(field), "%s.valueTwo", name);
    if (json_member_uint64(arg, "valueTwo", field, &value2) == -1)
        return -1;
    snprintf(field, sizeof(field), "%s.op", name);
    if (required(json_member_string(arg, "op", field, &op), name, "op") == -1)
        return -1;
    for (k = 0; k < NELEM(ops) && strcmp(op, ops[k].name) != 0; k++)
        ;
    if (k == NELEM(ops)) {
        warnx("config.json: %s: \"%s\" is not an operator", field, op);
        return -1;
    }
    *cmp = (struct scmp_arg_cmp){(unsigned int)index, ops[k].op,
            (scmp_datum_t)value, (scmp_datum_t)value2};
    return 0;
}

static int
parse_args(const json_object *rule, const char *name, struct scmp_arg_cmp *cmp,
        unsigned int *count)
{
    char field[128];
    json_object *args;
    size_t i, n;

    snprintf(field, sizeof(field), "%s.args", name);
    if (json_member(rule, "args", json_type_array, field, &args) == -1)
        return -1;
    n = args ? json_object_array_length(args) : 0;
    if (n > 6) {
        warnx("config.json: %s: more than 6 arguments", field);
        return -1;
    }
    for (i = 0; i < n; i++) {
        snprintf(field, sizeof(field), "%s.args[%zu]", name, i);
        if (parse_arg(json_object_array_get_idx(args, i), field, &cmp[i]) == -1)
            return -1;
    }
    *count = (unsigned int)n;
    return 0;
}

/*
 * libseccomp takes one condition per argument in a rule. Several on the
 * same argument mean any of them (runc reads them so): a rule each.
 */
static int
add_rule(scmp_filter_ctx ctx, uint32_t action, int nr,
        const struct scmp_arg_cmp *cmp, unsigned int count)
{
    unsigned int i, j, same = 0;
    int rc = 0;

    for (i = 0; i < count; i++)
        for (j = i + 1; j < count; j++)
            same |= cmp[i].arg == cmp[j].arg;
    if (!same)
        return seccomp_rule_add_array(ctx, action, nr, count, cmp);
    for (i = 0; i < count && rc == 0; i++)
        rc = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[i]);
    return rc;
}

/*
 * syscalls[I]: each name, with the rule's action and conditions. A rule
 * with the default action changes nothing, and libseccomp refuses it.
 */
static int
parse_rule(scmp_filter_ctx ctx, const json_object *rule, size_t i,
        uint32_t default_action)
{
    struct scmp_arg_cmp cmp[6];
    char name[64], field[96];
    json_object *names;
    unsigned int count;
    const char *call;
    uint32_t action;
    size_t k, n;
    int nr, rc;

    snprintf(name, sizeof(name), "linux.seccomp.syscalls[%zu]", i);
    snprintf(field, sizeof(field), "%s.names", name);
    if (!json_object_is_type(rule, json_type_object)) {
        warnx("config.json: %s: expected an object", name);
        return -1;
    }
    /* Absent, the names are "expected at least 1 strings" too. */
    if (json_member_strings(rule, "names", field, 1, &names) != 1)
        return -1;
    snprintf(field, sizeof(field), "%s.", name);
    if (parse_action(rule, field, "action", "errnoRet", &action) == -1 ||
            parse_args(rule, name, cmp, &count) == -1)
        return -1;
    n = json_object_array_length(names);
    for (k = 0; k < n && action != default_action; k++) {
        call = json_object_get_string(json_object_array_get_idx(names, k));
        nr = seccomp_syscall_resolve_name(call);
        rc = nr == __NR_SCMP_ERROR ? -ENOENT
                                   : add_rule(ctx, action, nr, cmp, count);
        if (rc < 0) {
            warnx("config.json: %s.names[%zu]: %s: %s", name, k, call,
                    rc == -ENOENT ? "not a system call" : strerror(-rc));
            return -1;
        }
    }
    return 0;
}

static int
parse_syscalls(scmp_filter_ctx ctx, const json_object *sec,
        uint32_t default_action)
{
    json_object *rules;
    size_t i, n;

    if (json_member(sec, "syscalls", json_type_array, "linux.seccomp.syscalls",
                &rules) == -1)
        return -1;
    n = rules ? json_object_array_length(rules) : 0;
    for (i = 0; i < n; i++)
        if (parse_rule(ctx, json_object_array_get_idx(rules, i), i,
                    default_action) == -1)
            return -1;
    return 0;
}

/*
 * The program as the kernel takes it: libseccomp writes it to a file
 * (seccomp_export_bpf(3)), here one in memory (memfd_create(2)).
 */
static int
export_filter(scmp_filter_ctx ctx, struct seccomp_prog *s)
{
    struct sock_filter *insns;
    struct stat sb;
    int fd, rc, ret = -1;

    fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
    if (fd == -1) {
        warn("memfd_create");
        return -1;
    }
    rc = seccomp_export_bpf(ctx, fd);
    if (rc < 0 || fstat(fd, &sb) == -1 || sb.st_size == 0 ||
            sb.st_size % sizeof(*s->insns) != 0) {
        warnx("seccomp_export_bpf: cannot compile linux.seccomp");
        goto out_close;
    }
    if (sb.st_size / sizeof(*s->insns) > BPF_MAXINSNS) {
        warnx("config.json: linux.seccomp: longer than the %d instructions "
              "of a filter",
                BPF_MAXINSNS);
        goto out_close;
    }
    insns = malloc((size_t)sb.st_size);
    if (insns == NULL) {
        warn("malloc");
    } else if (pread(fd, insns, (size_t)sb.st_size, 0) != sb.st_size) {
        warn("read the compiled seccomp filter");
        free(insns);
    } else {
        s->insns = insns;
        s->len = (unsigned short)(sb.st_size / sizeof(*insns));
        ret = 0;
    }
out_close:
    close(fd);
    return ret;
}

/* linux.seccomp of SEC, compiled into CFG->seccomp. */
static int
compile(struct config *cfg, const json_object *sec, uint32_t default_action)
{
    struct seccomp_prog *prog;
    scmp_filter_ctx ctx;
    int ret = -1;

    prog = calloc(1, sizeof(*prog));
    if (prog == NULL) {
        warn("calloc");
        return -1;
    }
    cfg->seccomp = prog; /* bundle_free() frees it */
    ctx = seccomp_init(default_action);
    if (ctx == NULL) {
        warnx("seccomp_init: cannot make a filter");
        return -1;
    }
    if (parse_arches(ctx, sec) == 0 && parse_flags(&prog->flags, sec) == 0 &&
            parse_syscalls(ctx, sec, default_action) == 0)
        ret = export_filter(ctx, prog);
    seccomp_release(ctx);
    return ret;
}

int
seccomp_oci_parse(struct config *cfg, const json_object *doc)
{
    json_object *linux_, *sec;
    uint32_t default_action;
    int found;

    found = json_member(doc, "linux", json_type_object, "linux", &linux_);
    if (found == 1)
        found = json_member(linux_, "seccomp", json_type_object,
                "linux.seccomp", &sec);
    if (found != 1)
        return found;
    if (!json_object_object_get_ex(sec, "defaultAction", NULL)) {
        warnx("config.json: linux.seccomp.defaultAction: missing");
        return -1;
    }
    if (parse_action(sec, "linux.seccomp.", "defaultAction", "defaultErrnoRet",
                &default_action) == -1)
        return -1;
    return compile(cfg, sec, default_action);
}

/* What compile() allocated: the core sees it as const. */
void
seccomp_oci_free(const struct seccomp_prog *s)
{
    if (s == NULL)
        return;
    free((void *)s->insns);
    free((void *)s);
}

const char *
seccomp_oci_name(enum seccomp_oci_names list, size_t i)
{
    switch (list) {
    case SECCOMP_OCI_ACTIONS:
        return i < NELEM(actions) ? actions[i].name : NULL;
    case SECCOMP_OCI_OPERATORS:
        return i < NELEM(ops) ? ops[i].name : NULL;
    case SECCOMP_OCI_FLAGS:
        return i < NELEM(flags) ? flags[i].name : NULL;
    }
    return NULL;
}
