#!/usr/bin/env bats
# From step04 on, a step runs CMD inside $ROOTFS (default ./rootfs). A bad
# rootfs gets one line that names it and says how to build one, exit 125,
# and leaves nothing behind: no process, no mount.
load helper

setup() {
    requires root rootfs
    remember_host
}

rootfs_steps() {
    local n
    for n in $(all_steps); do
        [ "$n" -ge 4 ] && echo "$n"
    done
}

# Runs every rootfs step with ROOTFS=$1, expecting 125 and stderr matching $2.
each_rootfs_step_refuses() {
    local n
    for n in $(rootfs_steps); do
        ROOTFS=$1 run -125 --separate-stderr "$(step "$n")" run /bin/true
        assert_one_error "^step$n: $2"
    done
    assert_host_unchanged
    run pgrep -f "^$TOP/step0"
    assert_failure
}

@test "a missing rootfs is named, with how to build one" {
    each_rootfs_step_refuses "$BATS_TEST_TMPDIR/none" \
        "rootfs $BATS_TEST_TMPDIR/none: No such file or directory \(build one with: make rootfs\)$"
}

@test "an empty rootfs is refused" {
    mkdir "$BATS_TEST_TMPDIR/empty"
    each_rootfs_step_refuses "$BATS_TEST_TMPDIR/empty" \
        "rootfs $BATS_TEST_TMPDIR/empty is empty \(build one with: make rootfs\)$"
}

@test "a rootfs that is a file is refused" {
    touch "$BATS_TEST_TMPDIR/file"
    each_rootfs_step_refuses "$BATS_TEST_TMPDIR/file" \
        "rootfs $BATS_TEST_TMPDIR/file: Not a directory \(build one with: make rootfs\)$"
}

@test "a rootfs without CMD gives 127 inside, and nothing left behind" {
    local n
    for n in $(rootfs_steps); do
        run -127 --separate-stderr "$(step "$n")" run /usr/bin/no-such-program
        assert_one_error "^step$n: exec /usr/bin/no-such-program: No such file or directory$"
    done
    assert_host_unchanged
}

@test "without ROOTFS, the steps use ./rootfs" {
    local n
    cd "$TOP"
    for n in $(rootfs_steps); do
        ROOTFS= run env -u ROOTFS "./step$n" run /bin/cat /etc/hostname
        assert_success
        assert_output container
    done
}
