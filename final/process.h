/*
 * The process attributes, as an OCI config.json has them (runtime-spec
 * config.md, "process"): capabilities, rlimits, noNewPrivileges,
 * oomScoreAdj, the user's additional groups and umask, the LSM labels.
 * runbox run gives Docker's defaults (process_defaults()); a bundle, its
 * own (process_parse()). The child applies whichever it was given.
 */
#ifndef RUNBOX_PROCESS_H
#define RUNBOX_PROCESS_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "caps.h"
#include "config.h"

struct process_rlimit {
    int resource; /* RLIMIT_NOFILE... */
    struct rlimit limit;
};

struct process {
    uint64_t caps[CAPS_NSETS]; /* absent: all empty, as the spec says */
    struct process_rlimit rlimits[RLIM_NLIMITS];
    size_t nrlimits;
    gid_t *groups; /* process.user.additionalGids */
    size_t ngroups;
    int no_new_privs;
    int has_oom_score_adj;
    int oom_score_adj;
    int has_umask;
    mode_t umask;
    const char *lsm_attr; /* the /proc/self/attr file for the label... */
    char *lsm_label; /* ... and what is written there, or NULL */
};

/*
 * config.json's PROCESS object into a new cfg->process. A bad or
 * unsupported field gets one line naming it, and -1; nothing is made.
 */
int process_parse(struct config *cfg, const json_object *process);

/*
 * runbox run's: Docker's capabilities for root, none for another user,
 * no_new_privs, nothing else. Into a new cfg->process: 0, or -1 with one
 * line. After cfg->uid is known.
 */
int process_defaults(struct config *cfg);

/*
 * In the child, after its mounts, while still root, and while /proc is
 * the container's own or the host's: rlimits, oomScoreAdj, umask, the
 * label. 0 or -1, with one line.
 */
int process_limits(const struct config *cfg);

/*
 * Then the user and capabilities, and no_new_privs last. 0 or -1, with
 * one line.
 */
int process_apply(const struct config *cfg);

void process_free(struct config *cfg);

#endif
