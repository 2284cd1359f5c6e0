#!/usr/bin/env bats
# step03 gives the child its own PID namespace: CMD is process 1 there.
# But /proc is still the host's, so ps(1) lists the host: step05 mends that.
load helper

setup() {
    requires root
}

@test "step03: \$\$ is 1 inside" {
    # hint: CMD is not process 1: it needs a PID namespace of its own, a clone(2)
    # flag (pid_namespaces(7)); its first process is 1 there.
    run "$(step 03)" run sh -c 'echo $$'
    assert_success
    assert_output 1
}

@test "step03: the host sees the container's process 1 under a host PID" {
    # hint: NSpid in /proc/PID/status has one PID: the child is in the host's PID
    # namespace; clone(2) makes a new one with its flag (pid_namespaces(7)).
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
    # hint: SIGTERM killed CMD: only the init of a PID namespace ignores signals it
    # has no handler for (pid_namespaces(7)); CMD is not that init yet.
    # pid_namespaces(7): init gets only the signals it catches.
    run "$(step 03)" run sh -c 'kill -TERM $$; echo still here'
    assert_success
    assert_output "still here"
}

@test "step03: processes of the host cannot be signalled by PID" {
    # hint: kill(2) reached a host process: in a PID namespace of its own
    # (pid_namespaces(7)) the child sees no host PID to signal.
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
