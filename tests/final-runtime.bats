#!/usr/bin/env bats
# runbox as a process: every namespace its own, the environment docker
# gives, an init on request, signals relayed, no descriptor leaked, and
# nothing left behind: after one run, 200 in a row, 20 at once, or a
# SIGKILL to runbox itself (then `runbox cleanup`).
load helper

setup() {
    runbox_setup cgroup
}

teardown() {
    runbox_teardown
}

@test "runbox: every namespace differs from the host's" {
    local cmd kind
    start_bg "$RUNBOX" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    for kind in mnt uts ipc pid net cgroup time; do
        [ "$(ns_of "$cmd" "$kind")" != "$(ns_of $$ "$kind")" ] ||
            fail "the $kind namespace is the host's"
    done
}

@test "runbox: its time namespace has the host's clocks, with no offset" {
    run "$RUNBOX" run cat /proc/self/timens_offsets
    assert_success
    assert_line --regexp '^monotonic +0 +0$'
    assert_line --regexp '^boottime +0 +0$'
    # CLOCK_BOOTTIME: what uptime reads, inside and out, to the second.
    run "$RUNBOX" run cut -d. -f1 /proc/uptime
    assert_success
    [ "$((output - $(cut -d. -f1 /proc/uptime)))" -le 1 ] || fail "uptime $output inside"
}

# The states of PID's children, one letter each (proc(5): R, S, Z...).
children_states() {
    local child
    for child in $(cat "/proc/$1/task/$1/children"); do
        awk '{print $3}' "/proc/$child/stat"
    done
}

@test "runbox: an orphan's zombie stays under a CMD that reaps nothing; --init reaps it" {
    local cmd
    # sleep 0.1 is orphaned at once, reparented to PID 1, and exits.
    start_bg "$RUNBOX" run sh -c '(sleep 0.1 &); exec sleep 1000'
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    sleep 0.5
    assert_equal "$(children_states "$cmd")" Z
    helper_teardown
    start_bg "$RUNBOX" run --init sh -c '(sleep 0.1 &); exec sleep 1000'
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" runbox-init
    wait_for_exec "$(child_of "$cmd")" sleep
    sleep 0.5
    assert_equal "$(children_states "$cmd")" S
}

@test "runbox --init: PID 1 is the init, CMD its child; statuses and signals pass" {
    run --separate-stderr "$RUNBOX" run --init sh -c 'echo $$; cat /proc/1/comm; exit 3'
    assert_equal "$status" 3
    assert_output $'2\nrunbox-init'
    run "$RUNBOX" run --init sh -c 'kill -KILL $$'
    assert_equal "$status" 137
    # sleep as PID 1 ignores SIGTERM (no handler); as the init's child, it dies.
    start_bg "$RUNBOX" run --init sleep 1000
    wait_for_exec "$(child_of "$(child_of "$BG_PID")")" sleep
    kill -TERM "$BG_PID"
    status=0
    wait "$BG_PID" || status=$?
    assert_equal "$status" 143
}

@test "runbox: hostname, PID 1, only its own processes, only lo" {
    run "$RUNBOX" run sh -c 'hostname; echo $$; ps -o pid,comm; ip -o link; true'
    assert_success
    assert_line --index 0 container
    assert_line --index 1 1
    assert_line --regexp '^ +1 sh$'
    assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cE '^ +[0-9]+ ')" 2
    assert_line --regexp '^1: lo: <LOOPBACK,UP,LOWER_UP>'
    assert_equal "$(printf '%s\n' "${lines[@]}" | grep -c 'mtu')" 1
    run "$RUNBOX" run --hostname web-1 hostname
    assert_output web-1
}

@test "runbox: the environment: PATH, HOME, HOSTNAME, and -e, -w, -u" {
    run "$RUNBOX" run env
    assert_success
    assert_line "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    assert_line "HOME=/root"
    assert_line "HOSTNAME=container"
    refute_line --regexp '^BATS_'
    FROM_HOST=yes run "$RUNBOX" run -e A=1 -e A=2 -e HOME=/tmp -e FROM_HOST -w /etc sh -c 'env; pwd'
    assert_line A=2
    assert_line HOME=/tmp
    assert_line FROM_HOST=yes
    assert_line /etc
    run "$RUNBOX" run -u 1000:2000 sh -c 'id -u; id -g; id -G; echo $HOME'
    assert_output "1000
2000
2000
/"
}

@test "runbox: signals sent to runbox reach the container" {
    local sig
    for sig in INT TERM HUP QUIT USR1 USR2 WINCH; do
        start_bg "$RUNBOX" run sh -c "trap 'echo got $sig; exit 7' $sig; echo ready; while :; do sleep 0.1; done"
        for _ in $(seq 50); do
            grep -q ready "$BATS_TEST_TMPDIR/bg.out" && break
            sleep 0.1
        done
        kill "-$sig" "$BG_PID"
        status=0
        wait "$BG_PID" || status=$?
        assert_equal "$status" 7
        grep -q "got $sig" "$BATS_TEST_TMPDIR/bg.out" || fail "no $sig inside: $(cat "$BATS_TEST_TMPDIR/bg.out")"
    done
}

@test "runbox: no descriptor of the runtime leaks into the container" {
    # The test holds fd 7 open; inside, only 0, 1, 2 (and ls's own) exist.
    exec 7</dev/null
    run "$RUNBOX" run ls /proc/self/fd
    exec 7<&-
    assert_success
    assert_output "0
1
2
3"
}

@test "runbox: 200 containers in a row leave nothing behind" {
    local i
    for i in $(seq 200); do
        "$RUNBOX" run -m 64m --pids 10 true || fail "run $i failed"
    done
    assert_no_runbox_leftovers
}

@test "runbox: 20 containers at once leave nothing behind" {
    local i pids=()
    for i in $(seq 20); do
        "$RUNBOX" run -m 64m --pids 10 sh -c "sleep 0.5; exit $((i % 5))" &
        pids+=("$!")
    done
    for i in $(seq 20); do
        status=0
        wait "${pids[$((i - 1))]}" || status=$?
        assert_equal "$status" "$((i % 5))"
    done
    assert_no_runbox_leftovers
}

@test "runbox: SIGKILL to runbox and its guard kills the container; runbox cleanup removes the rest" {
    kill_runbox_and_clean_up
}

@test "runbox: SIGKILL to runbox and its guard kills a container of another user too" {
    # setresuid(2) clears the parent-death signal: runbox sets it again.
    kill_runbox_and_clean_up -u 1000:1000
}

kill_runbox_and_clean_up() {
    local cmd
    start_bg "$RUNBOX" run -m 64m "$@" sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    kill_runbox_and_guard "$BG_PID"
    for _ in $(seq 50); do
        kill -0 "$cmd" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$cmd" 2>/dev/null && fail "the container outlived runbox"
    [ -n "$(find /sys/fs/cgroup -maxdepth 2 -name "runbox-$BG_PID")" ] ||
        fail "nothing was left to clean up: the test proves nothing"
    run "$RUNBOX" cleanup
    assert_success
    assert_output --partial "removed cgroup runbox-$BG_PID"
    assert_no_runbox_leftovers
}
