#!/usr/bin/env bats
# linux.seccomp of config.json: the profile, compiled by libseccomp at
# create, is the container's filter (Seccomp: 2 in /proc/PID/status); a
# system call it denies fails inside with the errno it names, conditions
# on arguments hold; without a profile there is no filter. Bad profiles:
# one line, exit 1, nothing left.
load helper
load oci-helper

# A profile that allows all but the RULES given (a JSON array).
profile() {
    echo '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
        syscalls: '"$1"'}'
}

@test "oci seccomp: mkdir denied with EPERM, then with errnoRet's errno" {
    local script='grep ^Seccomp: /proc/self/status
        mkdir /dev/shm/a || echo refused'
    bundle "$(jq -nc --arg s "$script" '["sh","-c",$s]')"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" s0
    assert_success
    # The same command, without a profile: no filter, and mkdir works.
    assert_output "$(printf 'Seccomp:\t0')"
    bundle "$(jq -nc --arg s "$script" '["sh","-c",$s]')" "$(profile \
        '[{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"}]')"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" s1
    assert_success
    assert_line --index 0 "$(printf 'Seccomp:\t2')"
    assert_line --index 1 refused
    [[ $stderr =~ "Operation not permitted" ]] || fail "stderr: $stderr"
    bundle "$(jq -nc --arg s "$script" '["sh","-c",$s]')" "$(profile \
        '[{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO",
            errnoRet: 13}]')"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" s2
    assert_success
    assert_line --index 1 refused
    [[ $stderr =~ "Permission denied" ]] || fail "stderr: $stderr"
}

@test "oci seccomp: a condition on an argument: kill with signal 0 only" {
    bundle '["sh","-c","kill -CONT $$ && echo cont; kill -0 $$ || echo refused"]' \
        "$(profile '[{names: ["kill"], action: "SCMP_ACT_ERRNO",
            args: [{index: 1, value: 0, op: "SCMP_CMP_EQ"}]}]')"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" a1
    assert_success
    assert_output "cont
refused"
    # Two conditions on one argument: either one (a rule each).
    bundle '["sh","-c","kill -WINCH $$ && echo winch; kill -0 $$ || echo refused; kill -CONT $$ || echo refused"]' \
        "$(profile '[{names: ["kill"], action: "SCMP_ACT_ERRNO",
            args: [{index: 1, value: 0, op: "SCMP_CMP_EQ"},
                {index: 1, value: 18, op: "SCMP_CMP_EQ"}]}]')"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" a2
    assert_success
    assert_output "winch
refused
refused"
}

# An allow-list: what busybox's mkdir and rmdir need, and the runtime's
# execve(2); everything else fails with defaultErrnoRet, EOPNOTSUPP. With
# no_new_privs the filter is loaded last, after runbox's own setuid and
# capset(2); without it, first (oci-process.bats), when these would fail.
allow_list() {
    echo '.process.noNewPrivileges = true | .linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO",
        defaultErrnoRet: 95, syscalls: [{names: ["mkdir", "mkdirat"],
            action: "SCMP_ACT_ERRNO", errnoRet: 28},
        {action: "SCMP_ACT_ALLOW", names: ["execve", "brk", "arch_prctl",
            "set_tid_address", "getpid", "write", "writev", "exit_group",
            "rt_sigaction", "rt_sigprocmask", "getuid", "geteuid", "open",
            "openat", "close", "fcntl", "read", "stat", "fstat", "lstat",
            "newfstatat", "ioctl", "uname", "mmap", "munmap", "mprotect",
            "exit", "readlink", "prctl"]}]}'
}

@test "oci seccomp: the default action, and its errno, for what no rule names" {
    bundle '["mkdir","/dev/shm/a"]' "$(allow_list)"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" d1
    assert_failure 1
    [[ $stderr =~ "No space left on device" ]] || fail "stderr: $stderr"
    # rmdir(2) of a missing directory: ENOENT, if it were allowed.
    bundle '["rmdir","/dev/shm/none"]' "$(allow_list)"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" d2
    assert_failure 1
    [[ $stderr =~ "Operation not supported" ]] || fail "stderr: $stderr"
}

@test "oci seccomp: SCMP_ACT_KILL_PROCESS: the command dies of SIGSYS" {
    bundle '["mkdir","/dev/shm/a"]' "$(profile \
        '[{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_KILL_PROCESS"}]')"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" k1
    assert_failure $((128 + $(kill -l SYS)))
}

@test "oci seccomp: runbox run keeps its own filter" {
    run --separate-stderr "$RUNBOX" run -r "$ROOTFS" -- grep ^Seccomp: /proc/self/status
    assert_success
    assert_output "$(printf 'Seccomp:\t2')"
}

@test "oci seccomp: bad profiles: one line naming the field, exit 1, nothing left" {
    bundle '["sh"]' "$(profile '[{names: ["mkdir"], action: "SCMP_ACT_BOGUS"}]')"
    bad_bundle b1 '^runbox: config.json: linux.seccomp.syscalls\[0\].action: "SCMP_ACT_BOGUS" is not a supported action$'
    bundle '["sh"]' "$(profile '[{names: ["nosuchcall"], action: "SCMP_ACT_ERRNO"}]')"
    bad_bundle b2 'linux.seccomp.syscalls\[0\].names\[0\]: nosuchcall: not a system call$'
    bundle '["sh"]' "$(profile '[]') | .linux.seccomp.architectures = [\"SCMP_ARCH_VAX\"]"
    bad_bundle b3 'linux.seccomp.architectures\[0\]: "SCMP_ARCH_VAX" is not an architecture$'
    bundle '["sh"]' "$(profile '[{names: ["kill"], action: "SCMP_ACT_ERRNO",
        args: [{index: 1, value: 0, op: "SCMP_CMP_ABOUT"}]}]')"
    bad_bundle b4 'linux.seccomp.syscalls\[0\].args\[0\].op: "SCMP_CMP_ABOUT" is not an operator$'
    bundle '["sh"]' "$(profile '[{names: ["kill"], action: "SCMP_ACT_ERRNO",
        args: [{index: 6, value: 0, op: "SCMP_CMP_EQ"}]}]')"
    bad_bundle b5 'linux.seccomp.syscalls\[0\].args\[0\].index: not a number from 0 to 5$'
    bundle '["sh"]' "$(profile '[]') | .linux.seccomp.flags = [\"SECCOMP_FILTER_FLAG_BOGUS\"]"
    bad_bundle b6 'linux.seccomp.flags\[0\]: "SECCOMP_FILTER_FLAG_BOGUS" is not a supported flag$'
    bundle '["sh"]' '.linux.seccomp = {syscalls: []}'
    bad_bundle b7 'linux.seccomp.defaultAction: missing$'
    bundle '["sh"]' "$(profile '[{action: "SCMP_ACT_ERRNO"}]')"
    bad_bundle b8 'linux.seccomp.syscalls\[0\].names: expected at least 1 strings$'
    bundle '["sh"]' "$(profile '[{names: ["kill"], action: "SCMP_ACT_NOTIFY"}]')"
    bad_bundle b9 '"SCMP_ACT_NOTIFY" is not a supported action$'
}
