/* linux.seccomp of config.json: the spec's profile, as a BPF program. */
#ifndef RUNBOX_SECCOMP_OCI_H
#define RUNBOX_SECCOMP_OCI_H

#include <json-c/json.h>

#include "config.h"
#include "seccomp.h"

/*
 * linux.seccomp of DOC, if there is one, compiled by libseccomp into a
 * BPF program in cfg->seccomp (seccomp.h): one line and -1 for an action,
 * architecture, flag, system call or operator that is not known.
 * Nothing is loaded yet.
 */
int seccomp_oci_parse(struct config *cfg, const json_object *doc);

void seccomp_oci_free(const struct seccomp_prog *s);

/* The Ith name runbox knows of each list (runbox features), or NULL. */
enum seccomp_oci_names {
    SECCOMP_OCI_ACTIONS,
    SECCOMP_OCI_OPERATORS,
    SECCOMP_OCI_FLAGS,
};
const char *seccomp_oci_name(enum seccomp_oci_names list, size_t i);

#endif
