/*
 * The namespaces of an OCI container, as config.json lists them: a type
 * without a path is made new, a type with a path is joined, a type not
 * listed is the runtime's own. runbox run makes them all
 * (namespaces_defaults()). The child reads cfg->ns, whichever made it.
 */
#ifndef RUNBOX_NAMESPACES_H
#define RUNBOX_NAMESPACES_H

#include <json-c/json.h>

#include "config.h"

#define NS_TYPES 8 /* pid network mount ipc uts user cgroup time */

struct namespaces {
    int new_flags; /* the CLONE_NEW* flags of the types to make */
    int fds[NS_TYPES]; /* a type joined by path: its open file, else -1 */
    char *uid_map; /* linux.uidMappings as /proc/PID/uid_map takes them */
    char *gid_map;
    int hostname; /* config.json names one: set it */
};

/*
 * linux.namespaces, linux.uidMappings, linux.gidMappings and the hostname
 * of DOC: every path opened and checked to be a namespace of its type.
 * One line and -1 if a value is bad or cannot work; bundle_free() frees.
 */
int namespaces_parse(struct config *cfg, const json_object *doc);

/*
 * runbox run's: every type new (time where the kernel has it), user only
 * with cfg->userns, its maps one range from cfg->root_uid and root_gid.
 * After userns_configure(). 0, or -1 with one line.
 */
int namespaces_defaults(struct config *cfg);

void namespaces_free(struct namespaces *ns);

/* Whether the child sets cfg->hostname (sethostname(2)). */
int namespaces_hostname(const struct config *cfg);

/* The CLONE_NEW* flags for clone(2): the namespaces it makes new. */
int namespaces_clone_flags(const struct config *cfg);

/* Whether the container gets a new namespace of FLAG (CLONE_NEW*). */
int namespaces_new(const struct config *cfg, int flag);

/* ... or has one of its own: new, or joined by path. */
int namespaces_own(const struct config *cfg, int flag);

/* The parent, around clone(2): into a pid namespace to join, and back. */
int namespaces_enter_pid(const struct config *cfg, int *saved);
int namespaces_leave_pid(int saved);

/*
 * The child: joins the namespaces of FLAGS given by path, the user
 * namespace first; new cgroup and time namespaces are made by LATE.
 */
int namespaces_join(const struct config *cfg, int flags);
int namespaces_late(const struct config *cfg);

/* The Ith namespace type of config.json (runbox features), or NULL. */
const char *namespaces_type_name(size_t i);

#endif
