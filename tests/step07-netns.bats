#!/usr/bin/env bats
# step07 gives the container a network namespace of its own, linked to the
# host by a veth pair: 10.77.7.1/30 on the host's end, 10.77.7.2/30 on the
# container's eth0. Every test runs step07 inside a network namespace that
# the test made, so the machine's own interfaces are never touched; the
# only traffic is between those two ends.
load helper

setup() {
    requires root rootfs cgroup netns
    remember_host
    STEP07=$(step 07)
    export STEP07
}

teardown() {
    helper_teardown
    leave_host_as_found
}

# Starts step07 in the background, and waits until the host's end is up.
WAIT_FOR_VETH='
    "$STEP07" run sleep 30 &
    for i in $(seq 50); do
        ip -o -4 addr | grep -q "10.77.7.1/30" && break
        sleep 0.1
    done'

# Runs a bash script in a new network namespace, as "the host" of step07.
# However the script ends (set -e), the containers it started in the
# background are killed, and their step07 waited for: it cleans up after
# them, and nothing holds run's output open (make grade's skeletons).
in_test_netns() {
    # shellcheck disable=SC2016 # expanded by the script's bash
    run unshare --net bash -c 'trap '\''for job in $(jobs -p); do pkill -KILL -P "$job"; done; wait'\'' EXIT; set -e; '"$1"
}

@test "step07: inside, only lo and eth0, both up, eth0 addressed" {
    # hint: the child needs a network namespace of its own (a clone(2) flag,
    # network_namespaces(7)), lo up, and the veth(4) peer eth0 addressed and up
    # (ip-link(8), ip-address(8)).
    in_test_netns '"$STEP07" run sh -c "ip -o link; ip -o -4 addr"'
    assert_success
    assert_equal "$(printf '%s\n' "${lines[@]}" | awk -F': ' '/mtu/ {sub(/@.*/, "", $2); print $2}' | sort | tr '\n' ' ')" "eth0 lo "
    assert_line --regexp '^1: lo: <LOOPBACK,UP,LOWER_UP>'
    assert_line --regexp '^[0-9]+: eth0 +inet 10\.77\.7\.2/30 '
}

@test "step07: the container's network namespace is not the host's" {
    # hint: /proc/PID/ns/net of the child is the host's: clone(2) makes a new
    # network namespace only with its flag (network_namespaces(7)).
    local cmd
    # unshare execs step07: BG_PID is step07, in the test's namespace.
    start_bg unshare --net "$STEP07" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    [ "$(ns_of "$cmd" net)" != "$(ns_of "$BG_PID" net)" ] || fail "same network namespace as its host"
    [ "$(ns_of "$BG_PID" net)" != "$(ns_of $$ net)" ] || fail "the test's own namespace is the machine's"
}

@test "step07: the container pings the host's end" {
    # hint: no packet crossed: a veth(4) pair, step07-PID on the host (10.77.7.1/30)
    # and eth0 in the container (10.77.7.2/30), both ends up.
    in_test_netns '"$STEP07" run ping -c 1 -W 5 10.77.7.1'
    assert_success
    assert_output --partial "1 packets received"
}

@test "step07: the host's end pings the container" {
    # hint: no reply from 10.77.7.2: the container's end, eth0, must be up and
    # addressed inside before CMD runs (the child waits on the pipe).
    in_test_netns "
        $WAIT_FOR_VETH
        ping -c 1 -w 10 10.77.7.2
        pkill -KILL -P \$! sleep; wait"
    assert_success
    # Under emulation (make test-vm) a slow first reply may count twice.
    assert_output --regexp ' [1-9][0-9]* received'

}

@test "step07: the host's end is 10.77.7.1/30, and it is gone after exit" {
    # hint: the host's end, step07-PID, must carry 10.77.7.1/30, and be deleted by
    # the parent when the container ends (ip link del; veth(4)).
    in_test_netns "$WAIT_FOR_VETH"'
        ip -o -4 addr show | awk "{print \$2, \$4}"
        pkill -KILL -P $! sleep
        wait $! || echo "status $?"
        ip -o link | awk -F": " "{print \"after:\", \$2}"'
    assert_success
    assert_line --regexp '^step07-[0-9]+ 10\.77\.7\.1/30$'
    assert_line "status 137"
    # Nothing but the test namespace's own loopback remains.
    assert_equal "$(printf '%s\n' "${lines[@]}" | grep -c '^after:')" 1
    assert_line "after: lo"
}

@test "step07: a veth that cannot be made leaves nothing, CMD never runs, and what was there stays" {
    # hint: when ip link add fails, the step must stop with 125 before CMD runs,
    # and delete nothing it did not make.
    # An interface named like step07's host end already exists: the
    # subshell makes it with its own PID, then becomes step07 (exec).
    in_test_netns '
        (ip link add "step07-$BASHPID" type veth peer name other &&
            exec "$STEP07" run echo "CMD ran") || echo "status $?"
        ip -o link | awk -F": " "{sub(/@.*/, \"\", \$2); print \"left:\", \$2}"'
    assert_success
    refute_output --partial "CMD ran"
    assert_line "status 125"
    assert_line --regexp '^step07: ip link add step07-[0-9]+: failed$'
    assert_line "left: lo"
    assert_line --regexp '^left: step07-[0-9]+$'
    assert_line "left: other"
}

@test "step07 lacks: no route beyond its /30, so no way out (no NAT)" {
    # hint: the container's only route is the one eth0's address gives: it
    # appears once eth0 is addressed and up inside (ip-address(8)).
    in_test_netns '"$STEP07" run ip route'
    assert_success
    assert_output --regexp '^10\.77\.7\.0/30 dev eth0 .*src 10\.77\.7\.2 *$'
    in_test_netns '"$STEP07" run ip route get 192.0.2.1'
    assert_failure
    assert_output --partial "unreachable"
}

@test "step07 lacks: one container at a time; a second gets the same addresses (no bridge)" {
    # hint: two containers at once each give the host an end with 10.77.7.1/30:
    # it passes once each run makes its veth(4) pair, as the other checks ask.
    in_test_netns '
        "$STEP07" run sleep 30 &
        "$STEP07" run sleep 30 &
        for i in $(seq 50); do
            [ "$(ip -o -4 addr | grep -c 10.77.7.1/30)" = 2 ] && break
            sleep 0.1
        done
        ip -o -4 addr | grep -c "10.77.7.1/30"
        ip -o link show type bridge | wc -l
        for job in $(jobs -p); do pkill -KILL -P "$job" || true; done
        wait'
    assert_line --index 0 2
    assert_line --index 1 0
}

@test "step07 lacks: CMD is in the caller's session, and types into its shell (TIOCSTI)" {
    local root
    root=$(rootfs_with_probes escape)
    # The caller's terminal is CMD's controlling terminal: root inside
    # pushes a line into its input (ioctl_tty(2)), which the shell reads
    # once step07 returns. final/ gives CMD a session of its own (setsid).
    in_a_terminal unshare --net env ROOTFS="$root" "$STEP07" run \
        /bin/escape tiocsti 'echo INJECTED
'
    assert_line --partial "ESCAPED tiocsti: the call succeeded"
    assert_line --partial "the shell read: echo INJECTED"
}

