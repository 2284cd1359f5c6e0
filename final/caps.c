/*
 * What root inside the container may still do. capabilities(7) splits the
 * power of root into some forty capabilities; the container keeps Docker's
 * default fourteen. The rest (CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_PTRACE,
 * CAP_NET_ADMIN...) are gone for good: dropped from the bounding set, they
 * cannot come back, not even through a set-user-ID or file-capability
 * binary, and PR_SET_NO_NEW_PRIVS stops execve(2) from granting any more.
 *
 * capset(2) is called directly: libcap's cap_set_proc() is the same call.
 */
#define _GNU_SOURCE
#include <err.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

#define CAP_LAST_CAP_PATH "/proc/sys/kernel/cap_last_cap"

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

static uint64_t
kept_mask(void)
{
    uint64_t mask = 0;
    size_t i;

    for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        mask |= UINT64_C(1) << kept[i];
    return mask;
}

/*
 * The running kernel's last capability, not CAP_LAST_CAP of the headers
 * we were built with: a newer kernel has capabilities we never heard of,
 * and they must go too.
 */
static int
last_cap(void)
{
    FILE *f;
    int last;

    f = fopen(CAP_LAST_CAP_PATH, "re");
    if (f == NULL) {
        warn("open %s", CAP_LAST_CAP_PATH);
        return -1;
    }
    if (fscanf(f, "%d", &last) != 1 || last < 0) {
        warnx("read %s: not a number", CAP_LAST_CAP_PATH);
        fclose(f);
        return -1;
    }
    fclose(f);
    return last;
}

/* PR_CAPBSET_DROP needs CAP_SETPCAP in the effective set: still root. */
static int
drop_bounding(uint64_t keep)
{
    int cap, last;

    last = last_cap();
    if (last == -1)
        return -1;
    for (cap = 0; cap <= last; cap++) {
        if (cap < 64 && (keep >> cap & 1))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1) {
            warn("prctl PR_CAPBSET_DROP %d", cap);
            return -1;
        }
    }
    return 0;
}

/*
 * setgroups(2) and setresgid(2) need CAP_SETGID, so they come before
 * setresuid(2): once no uid is 0 any more, the kernel empties the
 * permitted, effective and ambient sets (capabilities(7), "Effect of user
 * ID changes"). That is what Docker gives a non-root user, so there is no
 * PR_SET_KEEPCAPS here; a runtime granting capabilities to a non-root user
 * would set it first and raise them again through the ambient set.
 */
static int
switch_user(const struct config *cfg)
{
    /* Rootless, setgroups(2) is denied: see userns_map(). */
    if (!cfg->rootless && setgroups(0, NULL) == -1) {
        warn("setgroups");
        return -1;
    }
    if (setresgid(cfg->gid, cfg->gid, cfg->gid) == -1) {
        warn("setresgid %u", (unsigned int)cfg->gid);
        return -1;
    }
    if (setresuid(cfg->uid, cfg->uid, cfg->uid) == -1) {
        warn("setresuid %u", (unsigned int)cfg->uid);
        return -1;
    }
    return 0;
}

/*
 * Permitted and effective become CAPS; inheritable becomes empty, as in
 * Docker since CVE-2022-24769: an inheritable set would hand capabilities
 * to a non-root user who runs a program with file capabilities.
 */
static int
set_caps(uint64_t caps)
{
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};

    data[0].effective = (uint32_t)caps;
    data[0].permitted = (uint32_t)caps;
    data[1].effective = (uint32_t)(caps >> 32);
    data[1].permitted = (uint32_t)(caps >> 32);
    if (syscall(SYS_capset, &header, data) == -1) {
        warn("capset");
        return -1;
    }
    return 0;
}

int
caps_drop(const struct config *cfg)
{
    uint64_t keep = kept_mask();

    /* While still root: bounding first, then the user, then the sets. */
    if (drop_bounding(keep) == -1 || switch_user(cfg) == -1)
        return -1;
    /*
     * Docker: root gets the fourteen in permitted and effective; any other
     * user gets them in the bounding set only, like a non-root user on the
     * host, whose execve(2) of an ordinary program grants nothing.
     */
    if (set_caps(cfg->uid == 0 ? keep : 0) == -1)
        return -1;
    /*
     * Empty already, since an ambient capability must also be inheritable;
     * cleared anyway, so that Docker's empty ambient set rests on no trick.
     */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1) {
        warn("prctl PR_CAP_AMBIENT_CLEAR_ALL");
        return -1;
    }
    /*
     * Set-user-ID and file capabilities no longer raise anything; and
     * installing a seccomp(2) filter no longer takes CAP_SYS_ADMIN.
     */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
        warn("prctl PR_SET_NO_NEW_PRIVS");
        return -1;
    }
    return 0;
}
