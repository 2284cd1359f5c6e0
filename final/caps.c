/*
 * What root inside the container may still do. capabilities(7) splits the
 * power of root into some forty capabilities; the container keeps Docker's
 * default fourteen. The rest (CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_PTRACE,
 * CAP_NET_ADMIN...) are gone for good: dropped from the bounding set, they
 * cannot come back, not even through a set-user-ID or file-capability
 * binary, and PR_SET_NO_NEW_PRIVS stops execve(2) from granting any more.
 * An OCI config.json names its own five sets instead: caps_apply(), called
 * by process.c.
 *
 * capset(2) is called directly: libcap's cap_set_proc() is the same call.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

/* Docker's default set: moby's caps.DefaultCapabilities(). */
static const int kept[] = {
        CAP_CHOWN,
        CAP_DAC_OVERRIDE,
        CAP_FSETID,
        CAP_FOWNER,
        CAP_MKNOD,
        CAP_NET_RAW,
        CAP_SETGID,
        CAP_SETUID,
        CAP_SETFCAP,
        CAP_SETPCAP,
        CAP_NET_BIND_SERVICE,
        CAP_SYS_CHROOT,
        CAP_KILL,
        CAP_AUDIT_WRITE,
};

/* capabilities(7) by their names, as config.json spells them. */
static const char *const names[] = {
        [CAP_CHOWN] = "CAP_CHOWN",
        [CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
        [CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
        [CAP_FOWNER] = "CAP_FOWNER",
        [CAP_FSETID] = "CAP_FSETID",
        [CAP_KILL] = "CAP_KILL",
        [CAP_SETGID] = "CAP_SETGID",
        [CAP_SETUID] = "CAP_SETUID",
        [CAP_SETPCAP] = "CAP_SETPCAP",
        [CAP_LINUX_IMMUTABLE] = "CAP_LINUX_IMMUTABLE",
        [CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE",
        [CAP_NET_BROADCAST] = "CAP_NET_BROADCAST",
        [CAP_NET_ADMIN] = "CAP_NET_ADMIN",
        [CAP_NET_RAW] = "CAP_NET_RAW",
        [CAP_IPC_LOCK] = "CAP_IPC_LOCK",
        [CAP_IPC_OWNER] = "CAP_IPC_OWNER",
        [CAP_SYS_MODULE] = "CAP_SYS_MODULE",
        [CAP_SYS_RAWIO] = "CAP_SYS_RAWIO",
        [CAP_SYS_CHROOT] = "CAP_SYS_CHROOT",
        [CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
        [CAP_SYS_PACCT] = "CAP_SYS_PACCT",
        [CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
        [CAP_SYS_BOOT] = "CAP_SYS_BOOT",
        [CAP_SYS_NICE] = "CAP_SYS_NICE",
        [CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE",
        [CAP_SYS_TIME] = "CAP_SYS_TIME",
        [CAP_SYS_TTY_CONFIG] = "CAP_SYS_TTY_CONFIG",
        [CAP_MKNOD] = "CAP_MKNOD",
        [CAP_LEASE] = "CAP_LEASE",
        [CAP_AUDIT_WRITE] = "CAP_AUDIT_WRITE",
        [CAP_AUDIT_CONTROL] = "CAP_AUDIT_CONTROL",
        [CAP_SETFCAP] = "CAP_SETFCAP",
        [CAP_MAC_OVERRIDE] = "CAP_MAC_OVERRIDE",
        [CAP_MAC_ADMIN] = "CAP_MAC_ADMIN",
        [CAP_SYSLOG] = "CAP_SYSLOG",
        [CAP_WAKE_ALARM] = "CAP_WAKE_ALARM",
        [CAP_BLOCK_SUSPEND] = "CAP_BLOCK_SUSPEND",
        [CAP_AUDIT_READ] = "CAP_AUDIT_READ",
        [CAP_PERFMON] = "CAP_PERFMON",
        [CAP_BPF] = "CAP_BPF",
        [CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

uint64_t
caps_default(void)
{
    uint64_t mask = 0;
    size_t i;

    for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        mask |= UINT64_C(1) << kept[i];
    return mask;
}

/*
 * Every capability of the running kernel not in KEEP, up to its last, not
 * CAP_LAST_CAP of the headers we were built with: a newer kernel has
 * capabilities we never heard of, and they must go too. prctl(2):
 * PR_CAPBSET_DROP fails with EINVAL past the last one. (Not
 * /proc/sys/kernel/cap_last_cap: a container without a mount namespace
 * of its own has chroot(2)ed away from /proc by now.) It needs
 * CAP_SETPCAP in the effective set: still root.
 */
static int
drop_bounding(uint64_t keep)
{
    int cap;

    for (cap = 0;; cap++) {
        if (cap < 64 && (keep >> cap & 1))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
            continue;
        if (errno == EINVAL) /* past the last */
            return 0;
        warn("prctl PR_CAPBSET_DROP %d", cap);
        return -1;
    }
}

/*
 * setgroups(2) and setresgid(2) need CAP_SETGID, so they come before
 * setresuid(2): once no uid is 0 any more, the kernel empties the
 * permitted, effective and ambient sets (capabilities(7), "Effect of user
 * ID changes"). That is what Docker gives a non-root user; an OCI config
 * may grant a non-root user capabilities: KEEP keeps the permitted set
 * across the change (PR_SET_KEEPCAPS), and caps_apply() sets the rest.
 */
static int
switch_user(const struct config *cfg, const gid_t *groups, size_t ngroups,
        int keep)
{
    /* Rootless, setgroups(2) is denied: see userns_map(). */
    if (!cfg->rootless && setgroups(ngroups, groups) == -1) {
        warn("setgroups");
        return -1;
    }
    if (setresgid(cfg->gid, cfg->gid, cfg->gid) == -1) {
        warn("setresgid %u", (unsigned int)cfg->gid);
        return -1;
    }
    if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1) {
        warn("prctl PR_SET_KEEPCAPS");
        return -1;
    }
    if (setresuid(cfg->uid, cfg->uid, cfg->uid) == -1) {
        warn("setresuid %u", (unsigned int)cfg->uid);
        return -1;
    }
    return 0;
}

/* capset(2) of the effective, permitted and inheritable sets. */
static int
set_caps(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};
    int i;

    for (i = 0; i < 2; i++) {
        data[i].effective = (uint32_t)(effective >> 32 * i);
        data[i].permitted = (uint32_t)(permitted >> 32 * i);
        data[i].inheritable = (uint32_t)(inheritable >> 32 * i);
    }
    if (syscall(SYS_capset, &header, data) == -1) {
        warn("capset");
        return -1;
    }
    return 0;
}

int
caps_by_name(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i] != NULL && strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *
caps_name(int cap)
{
    return names[cap];
}

int
caps_bounded(int cap)
{
    return prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
}

/* PR_CAP_AMBIENT_RAISE: each must be permitted and inheritable already. */
static int
raise_ambient(uint64_t ambient)
{
    int cap;

    for (cap = 0; cap < 64; cap++) {
        if (!(ambient >> cap & 1))
            continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == -1) {
            warn("prctl PR_CAP_AMBIENT_RAISE %s", names[cap]);
            return -1;
        }
    }
    return 0;
}

int
caps_apply(const uint64_t sets[CAPS_NSETS], const struct config *cfg,
        const gid_t *groups, size_t ngroups)
{
    /* Bounding while still root, then the user, keeping what is permitted. */
    if (drop_bounding(sets[CAPS_BOUNDING]) == -1 ||
            switch_user(cfg, groups, ngroups, 1) == -1)
        return -1;
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1) {
        warn("prctl PR_SET_KEEPCAPS");
        return -1;
    }
    if (set_caps(sets[CAPS_EFFECTIVE], sets[CAPS_PERMITTED],
                sets[CAPS_INHERITABLE]) == -1)
        return -1;
    /*
     * An ambient capability must be permitted and inheritable, so the
     * capset(2) above has lowered the set already; cleared anyway, so
     * that an empty ambient set rests on no trick.
     */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1) {
        warn("prctl PR_CAP_AMBIENT_CLEAR_ALL");
        return -1;
    }
    return raise_ambient(sets[CAPS_AMBIENT]);
}
