/*
 * linux.resources.devices on cgroup v2: no devices.allow there, but an
 * eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE, attached to the
 * cgroup with bpf(2), that the kernel runs at each open(2) and mknod(2)
 * of a device node and that returns 1 (allow) or 0 (EPERM), as runc and
 * crun do. The rules are first played as v1 would keep them (a default,
 * allow or deny, and a list of exceptions to it), so that the program is
 * one test per exception and the default at the end.
 *
 * See: bpf(2), the kernel's Documentation/admin-guide/cgroup-v2.rst
 * ("Device controller") and cgroup-v1/devices.rst, linux/bpf.h.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "devices.h"

#define ANY -1L /* a major or minor of "*" */
#define MAX_RULES 256
/* 6 loads, 8 per rule at most, 2 at the end. */
#define MAX_INSNS (6 + 8 * MAX_RULES + 2)

struct rule {
    int type; /* 'a', 'b' or 'c' */
    long major, minor; /* or ANY */
    unsigned access; /* BPF_DEVCG_ACC_* */
};

/* What v1 keeps: the default, and exceptions to it (devices.rst). */
struct rules {
    int allow_default;
    struct rule list[MAX_RULES];
    size_t n;
};

/* "c 1:3 rwm", as resources.c wrote it for v1 (never anything else). */
static int
read_rule(const char *text, struct rule *r)
{
    char type, major[16], minor[16], access[4];
    const char *p;

    if (sscanf(text, "%c %15[^:]:%15s %3s", &type, major, minor, access) != 4) {
        warnx("%s: not a device rule", text);
        return -1;
    }
    r->type = type;
    r->major = strcmp(major, "*") == 0 ? ANY : strtol(major, NULL, 10);
    r->minor = strcmp(minor, "*") == 0 ? ANY : strtol(minor, NULL, 10);
    r->access = 0;
    for (p = access; *p != '\0'; p++)
        r->access |= *p == 'r' ? BPF_DEVCG_ACC_READ
                : *p == 'w'    ? BPF_DEVCG_ACC_WRITE
                               : BPF_DEVCG_ACC_MKNOD;
    return 0;
}

static int
same_device(const struct rule *a, const struct rule *b)
{
    return a->type == b->type && a->major == b->major && a->minor == b->minor;
}

/*
 * One rule, as the v1 kernel applies it: "a" sets the default and clears
 * the exceptions; a rule of the default's kind takes its access off an
 * exception; one of the other kind adds an exception (or its access).
 */
static int
play(struct rules *rs, const struct rule *r, int allow)
{
    size_t i;

    if (r->type == 'a') {
        rs->allow_default = allow;
        rs->n = 0;
        return 0;
    }
    for (i = 0; i < rs->n && !same_device(&rs->list[i], r); i++)
        ;
    if (allow == rs->allow_default) {
        if (i < rs->n && (rs->list[i].access &= ~r->access) == 0)
            rs->list[i] = rs->list[--rs->n];
        return 0;
    }
    if (i == rs->n) {
        if (rs->n == MAX_RULES) {
            warnx("config.json: linux.resources.devices: more than %d rules",
                    MAX_RULES);
            return -1;
        }
        rs->list[rs->n] = *r;
        rs->list[rs->n++].access = 0;
    }
    rs->list[i].access |= r->access;
    return 0;
}

static struct bpf_insn
insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
    struct bpf_insn i = {.code = code, .off = off, .imm = imm};

    i.dst_reg = dst;
    i.src_reg = src;
    return i;
}

/*
 * A test of R against the device in r2 (type), r3 (access), r4 (major),
 * r5 (minor): on a mismatch, a jump past the test; on a match, the
 * exception's verdict, VERDICT. Returns the number of instructions.
 */
static size_t
emit_rule(struct bpf_insn *p, const struct rule *r, int verdict)
{
    const __u8 jne = BPF_JMP | BPF_JNE | BPF_K;
    size_t n = 0, i;

    p[n++] = insn(jne, BPF_REG_2, 0, 0,
            r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
    /* Every access asked for must be one the rule names. */
    p[n++] = insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
    p[n++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (__s32)r->access);
    p[n++] = insn(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
    if (r->major != ANY)
        p[n++] = insn(jne, BPF_REG_4, 0, 0, (__s32)r->major);
    if (r->minor != ANY)
        p[n++] = insn(jne, BPF_REG_5, 0, 0, (__s32)r->minor);
    p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, verdict);
    p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    for (i = 0; i < n - 2; i++)
        if (BPF_CLASS(p[i].code) == BPF_JMP)
            p[i].off = (__s16)(n - i - 1);
    return n;
}

/* The program for RS; the number of its instructions. */
static size_t
emit(struct bpf_insn *p, const struct rules *rs)
{
    const __u8 ldx = BPF_LDX | BPF_MEM | BPF_W;
    size_t n = 0, i;

    p[n++] = insn(ldx, BPF_REG_2, BPF_REG_1, 0, 0);
    p[n++] = insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
    p[n++] = insn(ldx, BPF_REG_3, BPF_REG_1, 0, 0);
    p[n++] = insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
    p[n++] = insn(ldx, BPF_REG_4, BPF_REG_1, 4, 0);
    p[n++] = insn(ldx, BPF_REG_5, BPF_REG_1, 8, 0);
    for (i = 0; i < rs->n; i++)
        n += emit_rule(p + n, &rs->list[i], !rs->allow_default);
    p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0,
            rs->allow_default);
    p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return n;
}

/*
 * BPF_PROG_LOAD of the N instructions at P, with the verifier's log in
 * LOG if SIZE: a log that does not fit fails the load (ENOSPC), so the
 * log is asked for only to say why a load failed.
 */
static int
load(const struct bpf_insn *p, size_t n, char *log, size_t size)
{
    union bpf_attr attr;

    memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (__u64)(unsigned long)p;
    attr.insn_cnt = (__u32)n;
    attr.license = (__u64)(unsigned long)"GPL";
    attr.log_buf = (__u64)(unsigned long)log;
    attr.log_size = (__u32)size;
    attr.log_level = size ? 1 : 0;
    return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

/* The verifier's verdict: the last line of its log. */
static const char *
verdict(char *log)
{
    char *end = log + strlen(log), *line;

    while (end > log && end[-1] == '\n')
        *--end = '\0';
    line = strrchr(log, '\n');
    return line ? line + 1 : log;
}

/* Loads the N instructions at P and attaches them to the cgroup DIR. */
static int
load_and_attach(const struct bpf_insn *p, size_t n, const char *dir)
{
    static const size_t log_size = 1 << 20;
    union bpf_attr attr;
    int prog, cgroup, failure, again, ret = -1;
    char *log;

    prog = load(p, n, NULL, 0);
    if (prog == -1) {
        failure = errno;
        log = calloc(1, log_size);
        again = log ? load(p, n, log, log_size) : -1;
        if (again == -1 && log != NULL && *log != '\0')
            warnx("bpf BPF_PROG_LOAD of the device rules: %s: %s",
                    strerror(failure), verdict(log));
        else
            warnx("bpf BPF_PROG_LOAD of the device rules: %s",
                    strerror(failure));
        if (again != -1)
            close(again);
        free(log);
        return -1;
    }
    cgroup = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup == -1) {
        warn("open %s", dir);
        goto out_close_prog;
    }
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (__u32)cgroup;
    attr.attach_bpf_fd = (__u32)prog;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) == -1)
        warn("bpf BPF_PROG_ATTACH to %s", dir);
    else
        ret = 0;
    close(cgroup);
out_close_prog:
    close(prog);
    return ret;
}

int
devices_attach(const struct resources *res, const char *dir)
{
    struct bpf_insn *p;
    struct rules *rs;
    struct rule r;
    size_t i;
    int ret = -1;

    rs = calloc(1, sizeof(*rs));
    p = calloc(MAX_INSNS, sizeof(*p));
    if (rs == NULL || p == NULL) {
        warn("calloc");
        goto out_free;
    }
    /* Without rules a cgroup allows every device, as on v1. */
    rs->allow_default = 1;
    for (i = 0; i < res->n; i++) {
        if (strncmp(res->set[i].v1, "devices.", 8) != 0)
            continue;
        if (read_rule(res->set[i].v1_value, &r) == -1 ||
                play(rs, &r, strcmp(res->set[i].v1, "devices.allow") == 0) ==
                        -1)
            goto out_free;
    }
    ret = load_and_attach(p, emit(p, rs), dir);
out_free:
    free(p);
    free(rs);
    return ret;
}
