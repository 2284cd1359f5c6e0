/*
 * runbox features: the runtime-spec's features document (features.md),
 * which tells an engine what this runtime supports before it writes a
 * config.json. Each list is read from the table the parser itself uses
 * (mount options, namespaces, capabilities, seccomp, hooks), so the
 * document cannot claim what runbox would refuse.
 *
 * See: the runtime-spec's features.md and features-linux.md, runc
 * features, seccomp_arch_resolve_name(3), seccomp_version(3).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <err.h>
#include <json-c/json.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "caps.h"
#include "features.h"
#include "hooks.h"
#include "namespaces.h"
#include "ocimount.h"
#include "seccomp-oci.h"
#include "util.h"

#ifndef RUNBOX_COMMIT
#define RUNBOX_COMMIT "unknown"
#endif

/* Those that libseccomp names; only those it resolves are listed. */
static const char *const archs[] = {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
        "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
        "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
        "SCMP_ARCH_RISCV64"};

/* A JSON array of NAME(0), NAME(1)... up to the first NULL. */
static json_object *
names(const char *(*name)(size_t), json_object *arr)
{
    const char *s;
    size_t i;

    for (i = 0; (s = name(i)) != NULL; i++)
        json_object_array_add(arr, json_object_new_string(s));
    return arr;
}

static const char *
cap_name(size_t i)
{
    return i <= CAP_LAST_CAP ? caps_name((int)i) : NULL;
}

static const char *
seccomp_action(size_t i)
{
    return seccomp_oci_name(SECCOMP_OCI_ACTIONS, i);
}

static const char *
seccomp_operator(size_t i)
{
    return seccomp_oci_name(SECCOMP_OCI_OPERATORS, i);
}

static const char *
seccomp_flag(size_t i)
{
    return seccomp_oci_name(SECCOMP_OCI_FLAGS, i);
}

/* SCMP_ARCH_X86_64 is libseccomp's "x86_64", as seccomp-oci.c reads it. */
static const char *
seccomp_arch(size_t i)
{
    char lower[32];
    size_t k;

    for (; i < NELEM(archs); i++) {
        for (k = 0; archs[i][10 + k] != '\0' && k < sizeof(lower) - 1; k++)
            lower[k] = (char)tolower((unsigned char)archs[i][10 + k]);
        lower[k] = '\0';
        if (seccomp_arch_resolve_name(lower) != 0)
            return archs[i];
    }
    return NULL;
}

/* An object of boolean members: KEYS[i] is VALUES[i]. */
static json_object *
flags(const char *const *keys, const int *values, size_t n)
{
    json_object *o = json_object_new_object();
    size_t i;

    for (i = 0; o != NULL && i < n; i++)
        json_object_object_add(o, keys[i], json_object_new_boolean(values[i]));
    return o;
}

static json_object *
enabled(int on)
{
    static const char *const key[] = {"enabled"};

    return flags(key, &on, 1);
}

static json_object *
seccomp(void)
{
    json_object *o = enabled(1);

    json_object_object_add(o, "actions",
            names(seccomp_action, json_object_new_array()));
    json_object_object_add(o, "operators",
            names(seccomp_operator, json_object_new_array()));
    json_object_object_add(o, "archs",
            names(seccomp_arch, json_object_new_array()));
    json_object_object_add(o, "knownFlags",
            names(seccomp_flag, json_object_new_array()));
    json_object_object_add(o, "supportedFlags",
            names(seccomp_flag, json_object_new_array()));
    return o;
}

static json_object *
linux_features(void)
{
    /* --systemd-cgroup places the cgroup as systemd would (cgroup.c). */
    static const char *const cgroup_keys[] = {"v1", "v2", "systemd",
            "systemdUser", "rdma"};
    static const int cgroup_values[] = {1, 1, 1, 0, 0};
    json_object *o = json_object_new_object(), *ext;

    json_object_object_add(o, "namespaces",
            names(namespaces_type_name, json_object_new_array()));
    json_object_object_add(o, "capabilities",
            names(cap_name, json_object_new_array()));
    json_object_object_add(o, "cgroup",
            flags(cgroup_keys, cgroup_values, NELEM(cgroup_keys)));
    json_object_object_add(o, "seccomp", seccomp());
    /* process.apparmorProfile and selinuxLabel, where the LSM is on. */
    json_object_object_add(o, "apparmor", enabled(1));
    json_object_object_add(o, "selinux", enabled(1));
    json_object_object_add(o, "intelRdt", enabled(0));
    ext = json_object_new_object();
    json_object_object_add(ext, "idmap", enabled(0));
    json_object_object_add(o, "mountExtensions", ext);
    return o;
}

int
features_print(void)
{
    const struct scmp_version *v = seccomp_version();
    json_object *doc = json_object_new_object(), *ann;
    char libseccomp[32];
    int ret;

    if (doc == NULL) {
        warnx("json_object_new_object: out of memory");
        return -1;
    }
    json_object_object_add(doc, "ociVersionMin",
            json_object_new_string("1.0.0"));
    json_object_object_add(doc, "ociVersionMax",
            json_object_new_string(RUNBOX_SPEC_VERSION));
    json_object_object_add(doc, "hooks",
            names(hooks_phase_name, json_object_new_array()));
    json_object_object_add(doc, "mountOptions",
            names(ocimount_option_name, json_object_new_array()));
    json_object_object_add(doc, "linux", linux_features());
    snprintf(libseccomp, sizeof(libseccomp), "%u.%u.%u", v->major, v->minor,
            v->micro);
    ann = json_object_new_object();
    json_object_object_add(ann, "io.github.seccomp.libseccomp.version",
            json_object_new_string(libseccomp));
    json_object_object_add(doc, "annotations", ann);
    ret = printf("%s\n",
            json_object_to_json_string_ext(doc,
                    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(doc);
    return ret < 0 || fflush(stdout) != 0 ? -1 : 0;
}

void
features_print_version(void)
{
    const struct scmp_version *v = seccomp_version();

    printf("runbox version %s\ncommit: %s\nspec: %s\nlibseccomp: %u.%u.%u\n",
            RUNBOX_VERSION, RUNBOX_COMMIT, RUNBOX_SPEC_VERSION, v->major,
            v->minor, v->micro);
}
