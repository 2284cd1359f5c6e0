#!/usr/bin/env bats
# step02 gives the child its own UTS namespace: its hostname is its own.
# It still sees, and can signal, every process of the host: step03 and
# step05 mend that.
load helper

setup() {
    requires root
    remember_host
}

@test "step02: the hostname inside is container, and the host's is unchanged" {
    run "$(step 02)" run hostname
    assert_success
    assert_output container
    assert_host_unchanged
}

@test "step02: the child has a UTS namespace of its own, and only that" {
    local cmd kind
    start_bg "$(step 02)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    [ "$(ns_of "$cmd" uts)" != "$(ns_of $$ uts)" ] || fail "same UTS namespace as the host"
    for kind in pid mnt net ipc cgroup user; do
        [ "$(ns_of "$cmd" "$kind")" = "$(ns_of $$ "$kind")" ] ||
            fail "$kind namespace differs, but step02 adds only UTS"
    done
}

@test "step02: a hostname set inside stays inside" {
    run "$(step 02)" run sh -c 'hostname changed-inside && hostname'
    assert_success
    assert_output changed-inside
    assert_host_unchanged
}

@test "step02 leaks: the host's processes are visible, and can be signalled" {
    start_bg sleep 1000
    local marker=$BG_PID
    run "$(step 02)" run sh -c "echo \$\$; tr '\\0' ' ' </proc/$marker/cmdline"
    assert_success
    refute_line --index 0 1
    assert_line --index 1 "sleep 1000 "
    run "$(step 02)" run kill -0 "$marker"
    assert_success
}
