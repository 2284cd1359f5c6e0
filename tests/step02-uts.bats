#!/usr/bin/env bats
# step02 gives the child its own UTS namespace: its hostname is its own.
# It still sees, and can signal, every process of the host: step03 and
# step05 mend that. Every test runs step02 inside a UTS namespace the test
# made (unshare --uts), so a step02 that sets the hostname in the wrong
# namespace (make grade runs these on a learner's own) changes only that.
load helper

setup() {
    requires root
    remember_host
}

teardown() {
    helper_teardown
    leave_host_as_found
}

@test "step02: the hostname inside is container, and the host's is unchanged" {
    # hint: the child still uses the host's hostname: give it a UTS
    # namespace of its own with a clone(2) flag (uts_namespaces(7)), and set
    # its name there with sethostname(2), before it runs CMD.
    run unshare --uts sh -c "'$(step 02)' run hostname && hostname"
    assert_success
    assert_line --index 0 container
    assert_line --index 1 "$(hostname)"
}

@test "step02: the child has a UTS namespace of its own, and only that" {
    # hint: /proc/PID/ns/uts of the child is the host's: clone(2) makes a
    # new UTS namespace only when asked to, with its flag (uts_namespaces(7)).
    local cmd kind
    start_bg unshare --uts "$(step 02)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    [ "$(ns_of "$cmd" uts)" != "$(ns_of "$BG_PID" uts)" ] ||
        fail "the child's UTS namespace, $(ns_of "$cmd" uts), is its parent's: it shares the host's hostname"
    for kind in pid mnt net ipc cgroup user; do
        [ "$(ns_of "$cmd" "$kind")" = "$(ns_of $$ "$kind")" ] ||
            fail "$kind namespace differs, but step02 adds only UTS"
    done
}

@test "step02: a hostname set inside stays inside" {
    # hint: hostname(1) inside changed the host's name too: the child must
    # have its own UTS namespace (a clone(2) flag, uts_namespaces(7)).
    run unshare --uts sh -c "'$(step 02)' run sh -c 'hostname changed-inside && hostname' && hostname"
    assert_success
    assert_line --index 0 changed-inside
    assert_line --index 1 "$(hostname)"
}

@test "step02 leaks: the host's processes are visible, and can be signalled" {
    start_bg sleep 1000
    local marker=$BG_PID
    run unshare --uts "$(step 02)" run sh -c "echo \$\$; tr '\\0' ' ' </proc/$marker/cmdline"
    assert_success
    refute_line --index 0 1
    assert_line --index 1 "sleep 1000 "
    run unshare --uts "$(step 02)" run kill -0 "$marker"
    assert_success
}
