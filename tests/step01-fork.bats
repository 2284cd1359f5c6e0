#!/usr/bin/env bats
# step01 runs CMD as a child process and isolates nothing: the child shares
# every namespace with the host. That is the leak step02 starts to mend.
load helper

setup() {
    requires root
}

@test "step01: CMD runs as a child of step01" {
    start_bg "$(step 01)" run sleep 1000
    local cmd
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    run awk '/^PPid:/ {print $2}' "/proc/$cmd/status"
    assert_output "$BG_PID"
}

@test "step01: the child shares every namespace with the host" {
    local kind
    start_bg "$(step 01)" run sleep 1000
    local cmd
    cmd=$(child_of "$BG_PID")
    for kind in uts pid mnt net ipc cgroup user; do
        [ "$(ns_of "$cmd" "$kind")" = "$(ns_of $$ "$kind")" ] ||
            fail "$kind namespace differs"
    done
}

@test "step01 leaks: a hostname set inside changes the host's (shown in a throwaway UTS namespace)" {
    local before
    before=$(hostname)
    run unshare --uts sh -c "'$(step 01)' run hostname leaked-from-step01 && hostname"
    assert_success
    assert_output leaked-from-step01
    [ "$(hostname)" = "$before" ]
}
