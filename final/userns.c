/*
 * A user namespace makes root inside an ordinary user outside
 * (user_namespaces(7)). Started without sudo, runbox maps the caller's
 * own uid and gid to 0: the one mapping an unprivileged process may write.
 * As root, --userns maps 0-65535 inside to USERNS_BASE and up, ids that
 * no file or process of the host has. The other namespaces are made with
 * it, so they belong to it: its root may mount, set the hostname, bring
 * lo up, all inside, and holds no capability over the host's files. A
 * bundle's config.json gives maps of its own (namespaces.c).
 *
 * See: user_namespaces(7), capabilities(7), setgroups(2)
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount.h"
#include "namespaces.h"
#include "userns.h"
#include "util.h"

/* A setting that switches unprivileged user namespaces off, and the fix. */
static const struct {
    const char *path;
    const char *name;
    const char *off; /* the value that means "off" */
    const char *on;
} switches[] = {
        /* Debian's own patch, off by default before Debian 11. */
        {"/proc/sys/kernel/unprivileged_userns_clone",
                "kernel.unprivileged_userns_clone", "0", "1"},
        {"/proc/sys/user/max_user_namespaces", "user.max_user_namespaces", "0",
                "15000"},
        /* Ubuntu 24.04: user namespaces without capabilities, by AppArmor. */
        {"/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
                "kernel.apparmor_restrict_unprivileged_userns", "1", "0"},
};

/* The first line of PATH into BUF, "" if it cannot be read. */
static void
read_line(const char *path, char *buf, size_t size)
{
    FILE *f;

    buf[0] = '\0';
    f = fopen(path, "re");
    if (f == NULL)
        return;
    if (fgets(buf, (int)size, f) == NULL)
        buf[0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

/* Says which setting keeps an unprivileged user namespace from working. */
static int
check_switches(void)
{
    char value[32];
    size_t i;

    for (i = 0; i < sizeof(switches) / sizeof(switches[0]); i++) {
        read_line(switches[i].path, value, sizeof(value));
        if (strcmp(value, switches[i].off) != 0)
            continue;
        warnx("run: unprivileged user namespaces are off here (%s = %s): "
              "run with sudo, or have root run sysctl -w %s=%s",
                switches[i].name, value, switches[i].name, switches[i].on);
        return -1;
    }
    return 0;
}

/*
 * The caller's own directory for state: $XDG_RUNTIME_DIR/runbox, or
 * /tmp/runbox-UID. In /tmp anyone could have made that name first, so it
 * must be a directory of the caller's, closed to everyone else.
 */
static int
make_state_root(struct config *cfg)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    struct stat sb;

    if (xdg != NULL && *xdg == '/') {
        if (path_printf(cfg->state_root, sizeof(cfg->state_root), "%s/runbox",
                    xdg) == -1)
            return -1;
    } else if (path_printf(cfg->state_root, sizeof(cfg->state_root),
                       "/tmp/runbox-%u", (unsigned int)cfg->root_uid) == -1) {
        return -1;
    }
    if (mkdir(cfg->state_root, 0700) == -1 && errno != EEXIST) {
        warn("mkdir %s", cfg->state_root);
        return -1;
    }
    if (lstat(cfg->state_root, &sb) == -1) {
        warn("stat %s", cfg->state_root);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode) || sb.st_uid != cfg->root_uid ||
            (sb.st_mode & 077) != 0) {
        warnx("%s: not a directory of uid %u closed to others: remove it",
                cfg->state_root, (unsigned int)cfg->root_uid);
        return -1;
    }
    return 0;
}

static int
configure_rootless(struct config *cfg)
{
    cfg->userns = 1;
    cfg->rootless = 1;
    cfg->root_uid = geteuid();
    cfg->root_gid = getegid();
    cfg->id_count = 1;
    if (cfg->uid != 0 || cfg->gid != 0) {
        warnx("--user %u:%u: without root, only uid 0 and gid 0 exist in "
              "the container (they are yours)",
                (unsigned int)cfg->uid, (unsigned int)cfg->gid);
        return -1;
    }
    /* A bridge and its veth ports are made on the host: root's. */
    if (cfg->net == NET_BRIDGE) {
        warnx("--net bridge: without root, only --net none: run with sudo");
        return -1;
    }
    if (check_switches() == -1)
        return -1;
    return make_state_root(cfg);
}

int
userns_configure(struct config *cfg)
{
    if (geteuid() != 0)
        return configure_rootless(cfg);
    if (cfg->userns) {
        cfg->root_uid = USERNS_BASE;
        cfg->root_gid = USERNS_BASE;
        cfg->id_count = USERNS_COUNT;
    }
    return path_printf(cfg->state_root, sizeof(cfg->state_root), "%s",
            RUNBOX_STATE_DIR);
}

static int
write_map(pid_t pid, const char *file, const char *map)
{
    char path[64];

    if (path_printf(path, sizeof(path), "/proc/%d/%s", (int)pid, file) == -1)
        return -1;
    return write_file(path, map);
}

/* The maps of the description: namespaces_defaults() or config.json's. */
static int
write_maps(const struct config *cfg, pid_t pid)
{
    if (write_map(pid, "uid_map", cfg->ns->uid_map) == -1)
        return -1;
    return write_map(pid, "gid_map", cfg->ns->gid_map);
}

int
userns_map(const struct config *cfg, pid_t pid)
{
    char path[64];

    /*
     * Without root, setgroups(2) must be denied before gid_map is written:
     * else the child could drop a group that the host uses to keep it out.
     */
    if (cfg->rootless) {
        if (path_printf(path, sizeof(path), "/proc/%d/setgroups", (int)pid) ==
                        -1 ||
                write_file(path, "deny") == -1)
            return -1;
    }
    return write_maps(cfg, pid);
}

int
userns_enter(const struct config *cfg)
{
    /*
     * Root of the host is no one in the namespace: drop its groups (the
     * rootless caller cannot, setgroups is denied: they show as nogroup).
     */
    if (!cfg->rootless && setgroups(0, NULL) == -1) {
        warn("setgroups");
        return -1;
    }
    if (setresgid(0, 0, 0) == -1) {
        warn("setresgid 0 in the user namespace");
        return -1;
    }
    if (setresuid(0, 0, 0) == -1) {
        warn("setresuid 0 in the user namespace");
        return -1;
    }
    return 0;
}
