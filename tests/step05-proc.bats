#!/usr/bin/env bats
# step05 gives the child a mount namespace of its own, with "/" private,
# and mounts a /proc that shows only the container's processes. What it
# still shares with the host: the cgroup (no limits, step06) and the
# network (step07).
load helper

setup() {
    requires root rootfs
    remember_host
}

teardown() {
    helper_teardown
    leave_host_as_found
}

@test "step05: ps lists only the container's processes" {
    # hint: ps reads /proc: the host's /proc shows the host's PIDs. In a mount
    # namespace of its own (a clone(2) flag, mount_namespaces(7)), the child
    # mounts a new proc(5) on the rootfs's /proc, before chroot(2).
    # "; true" keeps busybox sh from replacing itself with its last command.
    run "$(step 05)" run sh -c 'echo $$; ps -o pid,comm; true'
    assert_success
    assert_line --index 0 1
    assert_line --index 1 --regexp '^PID +COMMAND$'
    assert_line --index 2 --regexp '^ +1 sh$'
    assert_line --index 3 --regexp '^ +2 ps$'
    assert_equal "${#lines[@]}" 4
    assert_host_unchanged
}

@test "step05: the shell of the issue: hostname container, \$\$ 1, no host files" {
    # hint: each earlier step's property must still hold: the UTS and PID
    # namespaces and the chroot(2) stay as they were.
    run "$(step 05)" run sh -c 'hostname; echo $$; test -e /etc/os-release || echo no-os-release'
    assert_success
    assert_output "container
1
no-os-release"
    [ -e /etc/os-release ]
}

@test "step05: the child has its own mount, PID and UTS namespaces" {
    # hint: /proc/PID/ns/mnt of the child is the host's: clone(2) gives it a
    # copy of the mount table only with its flag (mount_namespaces(7)).
    local cmd kind
    start_bg "$(step 05)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    for kind in mnt pid uts; do
        [ "$(ns_of "$cmd" "$kind")" != "$(ns_of $$ "$kind")" ] ||
            fail "same $kind namespace as the host"
    done
}

@test "step05: the container's /proc is in its own mount table, not the host's" {
    # hint: the child mounts a new proc(5) with mount(2), on the rootfs's
    # /proc, in its own mount namespace (mount_namespaces(7)).
    local cmd
    start_bg "$(step 05)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    # The host sees /proc mounted in the container's table, not in its own.
    grep -q " /proc .* - proc " "/proc/$cmd/mountinfo" ||
        fail "no proc mount in the container's mountinfo"
    grep -q " $(realpath "$ROOTFS")/proc " /proc/self/mountinfo &&
        fail "the container's /proc is in the host's mount table"
    true
}

@test "step05: a mount inside stays inside, even when the host's / is shared" {
    # hint: on a host whose "/" is shared (systemd), a mount made inside
    # propagates back: make "/" private, recursively, with mount(2) in the new
    # mount namespace before anything else (mount_namespaces(7)).
    requires mountns
    local tag="step05-leak-$$"
    # As on a systemd host: the outer namespace's / is shared, so a step
    # that forgot MS_PRIVATE would propagate the mount into it.
    run unshare --mount sh -c "
        mount --make-rshared / || exit 1
        '$(step 05)' run sh -c 'mount -t tmpfs $tag /tmp && grep -c $tag /proc/self/mountinfo' || exit 1
        grep -c -e ' $tag ' -e '$(realpath "$ROOTFS")/proc ' /proc/self/mountinfo"
    # Inside, the mount is there once; outside, neither it nor /proc (grep
    # -c prints 0 and exits 1).
    assert_failure 1
    assert_line --index 0 1
    assert_line --index 1 0
    assert_host_unchanged
}

@test "step05 leaks: the container shares the host's cgroup, so nothing limits it" {
    requires cgroup
    local cmd
    start_bg "$(step 05)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    assert_equal "$(cat "/proc/$cmd/cgroup")" "$(cat "/proc/$BG_PID/cgroup")"
    assert_equal "$(ns_of "$cmd" cgroup)" "$(ns_of $$ cgroup)"
}

@test "step05 leaks: the container shares the host's network" {
    # hint: /proc/net/dev inside is read from the container's own /proc: it
    # needs the proc(5) mount the other checks ask for.
    assert_network_is_the_hosts 05
    start_bg "$(step 05)" run sleep 1000
    assert_equal "$(ns_of "$(child_of "$BG_PID")" net)" "$(ns_of $$ net)"
}
