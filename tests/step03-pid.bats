#!/usr/bin/env bats
# step03 gives the child its own PID namespace: CMD is process 1 there.
# But /proc is still the host's, so ps(1) lists the host: step05 mends that.
load helper

setup() {
    requires root
}

@test "step03: \$\$ is 1 inside" {
    run "$(step 03)" run sh -c 'echo $$'
    assert_success
    assert_output 1
}

@test "step03: the host sees the container's process 1 under a host PID" {
    local cmd
    start_bg "$(step 03)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    [ "$(ns_of "$cmd" pid)" != "$(ns_of $$ pid)" ] || fail "same PID namespace as the host"
    [ "$(ns_of "$cmd" uts)" != "$(ns_of $$ uts)" ] || fail "lost step02's UTS namespace"
    # NSpid: the PID in each namespace, from the host's down to the child's.
    run awk '/^NSpid:/ {print $2, $3}' "/proc/$cmd/status"
    assert_output "$cmd 1"
}

@test "step03: process 1 ignores a signal it has no handler for" {
    # pid_namespaces(7): init gets only the signals it catches.
    run "$(step 03)" run sh -c 'kill -TERM $$; echo still here'
    assert_success
    assert_output "still here"
}

@test "step03: processes of the host cannot be signalled by PID" {
    start_bg sleep 1000
    run "$(step 03)" run sh -c "kill -0 $BG_PID"
    assert_failure
}

@test "step03 leaks: ps inside still lists the host's processes" {
    start_bg sleep 1000
    local marker=$BG_PID
    run "$(step 03)" run ps -eo pid=,args=
    assert_success
    assert_line --regexp "^ *$marker sleep 1000$"
    # ps is process 1 of the container, yet it reads its host PID in /proc.
    refute_line --regexp "^ *1 ps"
}
