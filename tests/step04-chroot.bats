#!/usr/bin/env bats
# step04 chroots into the rootfs: the host's files are out of sight. But the
# container still shares the host's mount table, and a root process can
# climb out of a chroot: step05 mends the first, final's pivot_root the second.
load helper

setup() {
    requires root rootfs
    remember_host
}

teardown() {
    helper_teardown
    leave_host_as_found
}

@test "step04: / inside is the rootfs, and host files are gone" {
    # hint: "/" inside is still the host's: chroot(2) into the rootfs (ROOTFS, or
    # ./rootfs), then chdir(2) to the new "/", in the child before execvp(3).
    echo host-only >"$BATS_TEST_TMPDIR/marker"
    [ -e "$BATS_TEST_TMPDIR/marker" ]
    run "$(step 04)" run sh -c "ls /; test -e $BATS_TEST_TMPDIR/marker && echo marker seen"
    assert_failure
    refute_line "marker seen"
    assert_line bin
    assert_line etc
    run "$(step 04)" run cat /etc/hostname
    assert_output container
}

@test "step04: the host sees the container's root directory is the rootfs" {
    # hint: /proc/PID/root and cwd of the child are the host's "/": chroot(2)
    # changes the root, chdir(2) the working directory; both are needed.
    local cmd
    start_bg "$(step 04)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    [ "$(readlink "/proc/$cmd/root")" = "$(realpath "$ROOTFS")" ] ||
        fail "root of $cmd is $(readlink "/proc/$cmd/root")"
    [ "$(readlink "/proc/$cmd/cwd")" = "$(realpath "$ROOTFS")" ] ||
        fail "cwd of $cmd is outside the new root"
    [ "$(ns_of "$cmd" pid)" != "$(ns_of $$ pid)" ] || fail "lost step03's PID namespace"
}

@test "step04 leaks: a mount made inside appears in the host's mount table (shown in a throwaway mount namespace)" {
    # hint: a mount on /tmp inside lands on the rootfs's /tmp only once
    # the child has chroot(2)ed into the rootfs: this check passes with the others.
    requires mountns
    local tag="step04-leak-$$"
    run unshare --mount sh -c "
        '$(step 04)' run mount -t tmpfs $tag /tmp || exit 1
        grep ' $tag ' /proc/self/mountinfo"
    assert_success
    assert_output --partial "$(realpath "$ROOTFS")/tmp"
    assert_host_unchanged
}

@test "step04 leaks: a root process climbs out of the chroot (shown in a throwaway mount namespace)" {
    # hint: the escape probe runs from the rootfs's /bin: it needs the child
    # chroot(2)ed into the rootfs, as the other checks ask.
    requires mountns
    local rootfs
    rootfs=$(rootfs_with_probes chroot-escape)
    echo "host-only-$$" >"$BATS_TEST_TMPDIR/marker"
    ROOTFS=$rootfs run unshare --mount --uts "$(step 04)" run \
        /bin/chroot-escape /bin/cat "$BATS_TEST_TMPDIR/marker"
    assert_success
    assert_output "host-only-$$"
    assert_host_unchanged
}
