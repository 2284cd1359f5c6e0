#!/usr/bin/env bats
# runbox against the classic container escapes: root inside tries each one
# with the escape probe (tests/probes/escape.c), which says BLOCKED or
# ESCAPED. What stops them: pivot_root with the old root detached, Docker's
# fourteen capabilities, no_new_privs, the seccomp filter, read-only /proc
# knobs, and only 0, 1 and 2 handed to CMD. The last tests run the probe on
# the host, in throwaway namespaces, to show it does see an escape when
# nothing stands in the way.
load helper

# Docker's default capabilities, as /proc/PID/status shows a set of them.
DOCKER_CAPS=00000000a80425fb

setup() {
    requires root rootfs
    RUNBOX=$(runbox_bin)
    ROOT=$(rootfs_with_probes escape)
    LOOP=
    remember_host
}

teardown() {
    helper_teardown
    if [ -n "$LOOP" ]; then
        losetup -d "$LOOP"
    fi
    assert_host_unchanged
}

# escape SUBCOMMAND [ARG...], as root in a container of the test's rootfs.
escape_inside() {
    run "$RUNBOX" run -r "$ROOT" /bin/escape "$@"
}

assert_blocked() {
    assert_success
    assert_output --regexp "^BLOCKED $1: "
}

@test "runbox escape: root keeps Docker's 14 capabilities, no ambient, no_new_privs, seccomp" {
    escape_inside caps
    assert_success
    assert_line "Uid: 0 0 0 0"
    assert_line "Groups:"
    assert_line "CapEff: $DOCKER_CAPS"
    assert_line "CapPrm: $DOCKER_CAPS"
    assert_line "CapBnd: $DOCKER_CAPS"
    assert_line "CapInh: 0000000000000000"
    assert_line "CapAmb: 0000000000000000"
    assert_line "NoNewPrivs: 1"
    # 2: SECCOMP_MODE_FILTER.
    assert_line "Seccomp: 2"
}

@test "runbox escape: with -u 1000:1000, ids are 1000, no groups, no capability left" {
    run "$RUNBOX" run -r "$ROOT" -u 1000:1000 sh -c 'id -u; id -g; id -G'
    assert_success
    assert_output "1000
1000
1000"
    run "$RUNBOX" run -r "$ROOT" -u 1000:1000 /bin/escape caps
    assert_success
    assert_line "Uid: 1000 1000 1000 1000"
    assert_line "Gid: 1000 1000 1000 1000"
    assert_line "Groups:"
    assert_line "CapEff: 0000000000000000"
    assert_line "CapPrm: 0000000000000000"
    assert_line "CapAmb: 0000000000000000"
    # The bounding set still limits what a setuid program could get back.
    assert_line "CapBnd: $DOCKER_CAPS"
    assert_line "NoNewPrivs: 1"
}

@test "runbox escape: the double chroot climbs no higher than the container's root" {
    echo "host-only-$$" >"$BATS_TEST_TMPDIR/marker"
    escape_inside chroot "$BATS_TEST_TMPDIR/marker"
    assert_blocked chroot
}

@test "runbox escape: a device node of a host disk cannot be read, wherever it is made" {
    # CAP_MKNOD is one of Docker's 14: making the node is allowed, opening
    # it must not be, in the rootfs, in /dev, or in a volume.
    local dir verdicts=""
    loop_disk
    mkdir "$BATS_TEST_TMPDIR/volume"
    for dir in / /tmp /dev /volume; do
        run "$RUNBOX" run -r "$ROOT" -v "$BATS_TEST_TMPDIR/volume:/volume" \
            /bin/escape mknod "$DISK" "$dir"
        verdicts+="$output"$'\n'
    done
    [[ $verdicts != *ESCAPED* ]] || fail "$verdicts"
    [ "$(grep -c '^BLOCKED mknod: ' <<<"$verdicts")" = 4 ] || fail "$verdicts"
}

@test "runbox escape: a host disk cannot be mounted" {
    loop_disk
    escape_inside mount-disk "$DISK" ext4
    assert_success
    assert_output "BLOCKED mount-disk: Operation not permitted"
}

@test "runbox escape: /proc/sysrq-trigger and /proc/sys cannot be opened for writing" {
    # The probe only opens them: nothing is ever written.
    escape_inside sysrq
    assert_blocked sysrq
    escape_inside sysctl /proc/sys/kernel/core_pattern
    assert_success
    assert_output "BLOCKED sysctl: Read-only file system"
    escape_inside sysctl /proc/sys/kernel/hostname
    assert_output "BLOCKED sysctl: Read-only file system"
}

@test "runbox escape: no kernel module can be loaded" {
    escape_inside module
    assert_success
    assert_output "BLOCKED module: Operation not permitted"
}

@test "runbox escape: ptrace, keyrings and bpf are refused" {
    local what
    for what in ptrace keyctl bpf; do
        escape_inside "$what"
        assert_success
        assert_output "BLOCKED $what: Operation not permitted"
    done
}

@test "runbox escape: no new namespace, by unshare or by clone" {
    local what
    for what in userns unshare-mount clone-newns clone-newuser; do
        escape_inside "$what"
        assert_success
        assert_output "BLOCKED $what: Operation not permitted"
    done
}

@test "runbox escape: clone3 says ENOSYS, so the C library falls back to clone" {
    escape_inside clone3
    assert_success
    assert_output "BLOCKED clone3: Function not implemented"
    # pthread_create() tries clone3 first; fork, pipes and subshells too.
    escape_inside thread
    assert_success
    assert_output "a thread ran"
    run "$RUNBOX" run -r "$ROOT" sh -c 'echo forked | cat; (echo subshell)'
    assert_success
    assert_output "forked
subshell"
}

# What the kernel does with a 32-bit call when nothing filters it, on
# the host: "entry" if the call succeeds (status 1, ESCAPED); else "none,
# status N": the kernel has no i386 entry (built without
# CONFIG_IA32_EMULATION, or booted with ia32_emulation=0: int $0x80 ends in
# SIGSEGV, status 139), or something below it refuses the call.
i386_entry_on_host() {
    local escape
    escape=$(probe escape)
    run "$escape" i386
    case "$status:$output" in
    "1:ESCAPED i386: the call succeeded") echo entry ;;
    *) echo "none, status $status" ;;
    esac
}

@test "runbox escape: a system call through the i386 entry never succeeds inside" {
    [ "$(uname -m)" = x86_64 ] || skip "x86_64 only"
    local host
    host=$(i386_entry_on_host)
    escape_inside i386
    refute_output --partial ESCAPED
    if [ "$host" = entry ]; then
        # 159 = 128 + SIGSYS: the filter knows only x86_64 and kills.
        assert_equal "$status" 159
        assert_output ""
    else
        # No i386 entry here: the call dies before any filter runs, in
        # SIGSEGV (139) where the kernel has none, and never succeeds.
        echo "# the host refuses a 32-bit call unconfined too ($host): inside, status $status" >&3
        [ "$status" = 139 ] || [ "$status" = 159 ] ||
            fail "inside: status $status, expected 139 (SIGSEGV) or 159 (SIGSYS)"
    fi
}

@test "runbox escape: CMD gets 0, 1 and 2 only, not a descriptor of the host" {
    # A directory fd left open is the runc escape of CVE-2024-21626.
    escape_inside fds 9<"$BATS_TEST_TMPDIR"
    assert_success
    assert_output "BLOCKED fds: only 0, 1 and 2 are open"
}

@test "runbox escape: no path inside leads to the runbox binary (CVE-2019-5736)" {
    # The attack overwrites the runtime through /proc/PID/exe of a runtime
    # process that entered the container. Here none is left inside once
    # CMD runs, and no other path reaches the file.
    local dev ino
    read -r dev ino < <(stat -L -c '%d %i' "$RUNBOX")
    escape_inside exe "$dev" "$ino"
    assert_success
    assert_output "BLOCKED exe: no path leads to the runtime's binary"
    run "$RUNBOX" run -r "$ROOT" readlink /proc/1/exe
    assert_output /bin/busybox
}

@test "runbox escape: the probe escapes where nothing stops it (host, throwaway namespaces)" {
    requires mountns userns
    local escape what
    escape=$(probe escape)
    for what in userns unshare-mount clone-newns clone-newuser clone3 ptrace keyctl bpf; do
        run unshare --mount --uts --ipc --pid --fork "$escape" "$what"
        assert_failure 1
        assert_output --regexp "^ESCAPED $what: "
    done
    echo "host-only-$$" >"$BATS_TEST_TMPDIR/marker"
    run unshare --mount "$escape" chroot "$BATS_TEST_TMPDIR/marker"
    assert_output "ESCAPED chroot: $BATS_TEST_TMPDIR/marker is in sight"
    # The UTS namespace is a throwaway one; the probe writes nothing anyway.
    run unshare --mount --uts "$escape" sysctl /proc/sys/kernel/hostname
    assert_output --regexp '^ESCAPED sysctl: '
    run "$escape" fds 9<"$BATS_TEST_TMPDIR"
    assert_failure 1
    assert_line "fd 9 -> $BATS_TEST_TMPDIR"
    # The device node goes to a tmpfs of the throwaway mount namespace.
    loop_disk
    # shellcheck disable=SC2016 # expanded by the inner sh
    run unshare --mount sh -c 'mount -t tmpfs escape /dev && exec "$1" mknod "$2" /dev' \
        sh "$escape" "$DISK"
    assert_output --regexp "^ESCAPED mknod: read the host's disk $DISK"
    # Where the kernel has the i386 entry, the probe sees the call succeed;
    # where it has none, the log says what the host did instead.
    if [ "$(uname -m)" = x86_64 ]; then
        what=$(i386_entry_on_host)
        [ "$what" = entry ] || echo "# this kernel has no i386 entry ($what)" >&3
    fi
}

@test "runbox escape: -w through a descriptor the caller passed does not leave the root (CVE-2024-21626)" {
    run -125 "$RUNBOX" run -w /proc/self/fd/9 sh -c 'ls ../..' 9</
    assert_output --partial "chdir /proc/self/fd/9: No such file or directory"
}

@test "runbox escape: a volume's /dev/null that is a symlink cannot mask with a host file (CVE-2025-31133)" {
    local dev="$BATS_TEST_TMPDIR/dev"
    mkdir "$dev"
    ln -s /proc/sys/kernel/core_pattern "$dev/null"
    run -125 --separate-stderr "$RUNBOX" run -v "$dev:/dev" cat /proc/keys
    assert_one_error '^runbox: /dev/null in the container is not the null device$'
}

@test "runbox escape: a read-only volume is read-only and nodev all the way down" {
    requires mountns
    local src="$BATS_TEST_TMPDIR/src"
    mkdir -p "$src/sub"
    # The submount exists only in the test's own mount namespace.
    run unshare --mount sh -c "
        mount -t tmpfs escape-sub '$src/sub' || exit 1
        '$RUNBOX' run -v '$src:/v:ro' sh -c '
            touch /v/sub/f 2>/dev/null && echo WROTE
            mknod /tmp/n c 1 3 && cat /tmp/n; grep \" /v\" /proc/self/mountinfo'"
    refute_output --partial WROTE
    assert_line --regexp '^[0-9]+ [0-9]+ [^ ]+ / /v/sub ro,nodev'
    assert_line --regexp ' /v ro,nodev'
}
