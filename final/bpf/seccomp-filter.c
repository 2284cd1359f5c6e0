/*
 * The system-call filter's rules, written with libseccomp and compiled
 * once, by make: this program prints the filter as a C table of BPF
 * instructions, final/seccomp-filter.h, which seccomp.c loads with one
 * seccomp(2) call. Building the same filter with libseccomp at every start
 * cost runbox 200 us and nine probing system calls (docs/performance.md).
 *
 * Docker's default profile is an allowlist: some 350 calls are allowed and
 * every other one fails with EPERM. This filter is written the other way
 * round, as a denylist: everything is allowed but the calls named below.
 * It is close to Docker's policy, and stricter in places: Docker allows
 * ptrace(2), process_vm_readv(2) and name_to_handle_at(2) on current
 * kernels, this filter does not. A learner reads the fifty dangerous calls,
 * each with the reason it is dangerous, instead of three hundred harmless ones.
 * The price: a system call added to the kernel after this list was written is
 * allowed here, where Docker would refuse it until its profile learns it.
 *
 * Most of these need a capability the container no longer has, so the
 * filter is a second wall: it also closes what needs no capability at all
 * (user namespaces, keyrings, ptrace, bpf, userfaultfd...), and it shrinks
 * the kernel code a container can reach, where the next exploit will be.
 *
 * Only the native architecture, x86_64, is in the filter. A call through
 * another ABI of the same kernel, i386 (int $0x80) or x32 (numbers with
 * bit 30 set), takes the filter's bad-architecture action, which kills
 * the process: otherwise mount(2) under its i386 number would slip past
 * every rule. Docker allows both ABIs; here a 32-bit program dies with
 * SIGSYS. The native architecture is the build machine's: runbox is built
 * where it runs.
 *
 * Usage: seccomp-filter > final/seccomp-filter.h
 * See: seccomp(2), seccomp_rule_add(3), seccomp_init(3), seccomp_export_bpf(3)
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Each fails with EPERM, as with Docker. */
static const char *const denied[] = {
        /* The kernel itself: replace it, extend it, stop it. */
        "kexec_load",
        "kexec_file_load",
        "init_module",
        "finit_module",
        "delete_module",
        "reboot",
        "swapon",
        "swapoff",
        "acct",
        "quotactl",
        "quotactl_fd",
        /* The kernel log shows the host's messages and kernel addresses. */
        "syslog",
        /* The clock is not namespaced: it is the host's. */
        "settimeofday",
        "clock_settime",
        "clock_adjtime",
        "adjtimex",
        "stime",
        /* Nor are the keyrings. */
        "keyctl",
        "add_key",
        "request_key",
        /* Another process's memory. */
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        /* Large kernel surfaces, behind which exploits keep being found. */
        "bpf",
        "perf_event_open",
        "userfaultfd",
        "io_uring_setup",
        "io_uring_enter",
        "io_uring_register",
        "lookup_dcookie",
        /* A file handle opens any file of the filesystem, mounted or not. */
        "open_by_handle_at",
        "name_to_handle_at",
        /* Hardware and NUMA placement belong to the host. */
        "iopl",
        "ioperm",
        "move_pages",
        "mbind",
        "set_mempolicy",
        "get_mempolicy",
        /* Obsolete, or i386 only: nothing a container needs. */
        "vm86",
        "vm86old",
        "uselib",
        "sysfs",
        "_sysctl",
        "nfsservctl",
        "fanotify_init",
        /* The mount table, old API and new: built once, by the runtime. */
        "mount",
        "umount2",
        "pivot_root",
        "mount_setattr",
        "open_tree",
        "move_mount",
        "fsopen",
        "fsconfig",
        "fsmount",
        "fspick",
        /* New namespaces, or another process's: see also clone below. */
        "unshare",
        "setns",
};

/*
 * The namespace flags of clone(2). CLONE_NEWTIME is not one of them: its
 * bit is part of the exit signal in clone()'s flags, and it exists only
 * for unshare(2) and clone3(2), both refused whole.
 */
static const unsigned long clone_namespaces[] = {
        CLONE_NEWNS,
        CLONE_NEWCGROUP,
        CLONE_NEWUTS,
        CLONE_NEWIPC,
        CLONE_NEWUSER,
        CLONE_NEWPID,
        CLONE_NEWNET,
};

/*
 * Makes NAME fail with ACTION when the comparisons in ARGS hold. A name
 * that this libseccomp does not know, or that is no system call of this
 * architecture (a negative pseudo-number, like vm86 on x86_64), is skipped:
 * there is nothing to refuse.
 */
static int
deny(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned int nargs,
        const struct scmp_arg_cmp *args)
{
    int nr, rc;

    nr = seccomp_syscall_resolve_name(name);
    if (nr < 0)
        return 0;
    rc = seccomp_rule_add_array(ctx, action, nr, nargs, args);
    if (rc < 0) {
        warnx("seccomp_rule_add %s: %s", name, strerror(-rc));
        return -1;
    }
    return 0;
}

static int
add_rules(scmp_filter_ctx ctx)
{
    struct scmp_arg_cmp arg;
    unsigned long flag;
    size_t i;

    for (i = 0; i < NELEM(denied); i++)
        if (deny(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0, NULL) == -1)
            return -1;
    /*
     * A rule tests (arg & mask) == value, never (arg & mask) != 0: one rule
     * per flag, each refusing a clone() with that flag set.
     */
    for (i = 0; i < NELEM(clone_namespaces); i++) {
        flag = clone_namespaces[i];
        arg = SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag);
        if (deny(ctx, SCMP_ACT_ERRNO(EPERM), "clone", 1, &arg) == -1)
            return -1;
    }
    /*
     * personality(2) could turn address-space randomisation off. Docker
     * also allows PER_LINUX32, UNAME26 and the query 0xffffffff; a rule
     * that names five allowed values takes five comparisons of the same
     * argument, which libseccomp refuses. Only PER_LINUX passes here.
     */
    arg = SCMP_A0(SCMP_CMP_NE, PER_LINUX, 0);
    if (deny(ctx, SCMP_ACT_ERRNO(EPERM), "personality", 1, &arg) == -1)
        return -1;
    /*
     * clone3(2) passes its flags in memory, which a filter cannot read.
     * ENOSYS makes the C library fall back to clone(2), whose flags the
     * rules above can see. Docker does the same.
     */
    return deny(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
}

/* The filter, as libseccomp would load it, written to F. */
static int
export_filter(FILE *f)
{
    scmp_filter_ctx ctx;
    int rc, ret = -1;

    ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) {
        warnx("seccomp_init: cannot make a filter");
        return -1;
    }
    /*
     * A binary tree of the syscall numbers, not a chain of ~50 compares:
     * the kernel runs the filter once per syscall number when it loads it
     * (the action cache of seccomp_cache_prepare()), so the tree halves the
     * load, ~90 us to ~50 us here, and a denied call is found in six
     * compares (seccomp_attr_set(3), libseccomp 2.5).
     */
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    if (rc < 0) {
        warnx("seccomp_attr_set SCMP_FLTATR_CTL_OPTIMIZE: %s", strerror(-rc));
        goto out_release;
    }
    if (add_rules(ctx) == -1)
        goto out_release;
    rc = seccomp_export_bpf(ctx, fileno(f));
    if (rc < 0) {
        warnx("seccomp_export_bpf: %s", strerror(-rc));
        goto out_release;
    }
    ret = 0;
out_release:
    seccomp_release(ctx);
    return ret;
}

/* The BPF instructions in F, as a C table on stdout. */
static int
print_table(FILE *f)
{
    struct sock_filter insn;
    size_t n = 0;

    printf("/* Made by final/bpf/seccomp-filter (make): do not edit. */\n"
           "static const struct sock_filter seccomp_filter[] = {\n");
    rewind(f);
    while (fread(&insn, sizeof(insn), 1, f) == 1) {
        printf("        {0x%04x, %u, %u, 0x%08x},\n", insn.code, insn.jt,
                insn.jf, insn.k);
        n++;
    }
    printf("};\n");
    if (ferror(f) || n == 0 || n > BPF_MAXINSNS) {
        warnx("the exported filter has %zu instructions", n);
        return -1;
    }
    return fflush(stdout) == 0 ? 0 : -1;
}

int
main(void)
{
    FILE *f;
    int ret;

    f = tmpfile();
    if (f == NULL)
        err(1, "tmpfile");
    ret = export_filter(f) == 0 && print_table(f) == 0 ? 0 : 1;
    fclose(f);
    return ret;
}
