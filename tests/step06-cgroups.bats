#!/usr/bin/env bats
# step06 puts each container in a cgroup of its own, with memory 100 MiB,
# 20 processes and half a CPU, on cgroup v2 or v1, whichever the machine
# runs, and removes it when the container ends. What it still shares with
# the host: the network, which step07 gives it.
load helper

setup() {
    requires root rootfs cgroup
    remember_host
}

teardown() {
    helper_teardown
    [ -z "${MADE:-}" ] || rmdir "$MADE" 2>/dev/null || true
    # The leak check of every test: no cgroup of this test's step06 runs
    # may remain (helper.bash: host_state).
    leave_host_as_found
}

# The cgroup directories of the step06 of PID, one per v1 tree or one on v2.
step06_cgroups() {
    find /sys/fs/cgroup -maxdepth 2 -type d -name "step06-$1"
}

@test "step06: the container's process is in a cgroup of its own, with the limits" {
    # hint: the child must be in a cgroup of its own, step06-PID, with the
    # limits written to its files (cgroups(7)): on v2 memory.max, pids.max,
    # cpu.max; on v1 one directory per controller; then its PID in cgroup.procs.
    local cmd name
    start_bg "$(step 06)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    name="step06-$BG_PID"
    # /proc/PID/cgroup: one line per v1 tree, or "0::/PATH" on v2.
    run grep -c ":/$name\$" "/proc/$cmd/cgroup"
    assert_output --regexp '^(1|3)$'
    assert_cgroup_limits "$name" "$cmd" 20 104857600 50000
}

@test "step06: CMD is in its cgroup from its first instruction" {
    # hint: CMD started before the parent had moved it into the cgroup: the child
    # waits on a pipe(2) until the parent writes to it, then goes on.
    # The child waits on a pipe until the parent has moved it: even the
    # very first thing CMD reads shows the container's cgroup.
    local i
    for i in 1 2 3 4 5; do
        run "$(step 06)" run cat /proc/self/cgroup
        assert_success
        assert_line --regexp '^[0-9]+:(pids)?:/step06-[0-9]+$'
    done
}

@test "step06: a fork bomb stops at 20 processes, and leaves nothing on the host" {
    # hint: fork() never failed: the pids controller's pids.max (cgroups(7))
    # stops it at 20 processes, if the child is in the cgroup.
    local rootfs
    rootfs=$(rootfs_with_probes forkbomb)
    ROOTFS=$rootfs run "$(step 06)" run /bin/forkbomb 200
    assert_success
    # The forkbomb itself is one of the 20.
    assert_output "forked 19, then: Resource temporarily unavailable"
}

@test "step06: a memory hog is killed by the OOM killer at 100 MiB (status 137)" {
    # hint: the memory hog was not stopped: the memory controller's limit
    # (memory.max on v2, memory.limit_in_bytes on v1; cgroups(7)) makes the
    # OOM killer end it, and swap must not be a way around it.
    local rootfs before
    rootfs=$(rootfs_with_probes memhog)
    before=$(oom_kills)
    ROOTFS=$rootfs run -137 "$(step 06)" run /bin/memhog 400
    # The last MiB it touched is below the limit.
    [ "${lines[-1]}" -lt 100 ] || fail "it got to ${lines[-1]} MiB"
    [ "$(oom_kills)" -gt "$before" ] || fail "no OOM kill counted in /proc/vmstat"
}

@test "step06: a busy loop is throttled to half a CPU" {
    # hint: nr_throttled stayed 0: the cpu controller's quota (cpu.max on v2,
    # cpu.cfs_quota_us on v1) gives the cgroup 50 ms in every 100 ms.
    local cmd stat _ throttled=0
    start_bg "$(step 06)" run sh -c 'while :; do :; done'
    cmd=$(child_of "$BG_PID")
    stat="$(cgroup_dir cpu "step06-$BG_PID")/cpu.stat"
    for _ in $(seq 50); do
        throttled=$(awk '$1 == "nr_throttled" {print $2}' "$stat" 2>/dev/null) || true
        [ "${throttled:-0}" -gt 0 ] && break
        sleep 0.1
    done
    [ "${throttled:-0}" -gt 0 ] || fail "nr_throttled stayed 0 in $stat"
    kill -KILL "$cmd"
}

@test "step06: the cgroup is gone after CMD exits, fails, or is killed" {
    # hint: the cgroup must go when the container ends, however it ends: the
    # parent rmdir(2)s it after waitpid(2), and tries again while the kernel
    # still says EBUSY.
    local cmd status_got=0
    run "$(step 06)" run true
    assert_success
    run -3 "$(step 06)" run sh -c 'exit 3'
    run -127 "$(step 06)" run no-such-command
    start_bg "$(step 06)" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    [ -n "$(step06_cgroups "$BG_PID")" ] || fail "no cgroup step06-$BG_PID while it runs"
    kill -KILL "$cmd"
    wait "$BG_PID" || status_got=$?
    assert_equal "$status_got" 137
    assert_equal "$(step06_cgroups "$BG_PID")" ""
}

@test "step06 leaks: the container shares the host's network" {
    assert_network_is_the_hosts 06
}

@test "step06: a cgroup of the same name is refused, and left as it was" {
    # hint: a cgroup that was there before is someone else's: mkdir(2) fails with
    # EEXIST, the step says so and exits 125, and removes only what it made.
    # As if another step06 of the same name were running: the subshell
    # makes the memory cgroup step06-PID with its own PID, then becomes
    # step06 (exec), whose first mkdir(2) is that one.
    local pid
    run bash -c 'mkdir "$1/step06-$BASHPID" && echo "$BASHPID" && exec "$2" run echo "CMD ran"' \
        _ "$(dirname "$(cgroup_dir memory step06)")" "$(step 06)"
    pid=${lines[0]}
    MADE=$(cgroup_dir memory "step06-$pid")
    assert_failure 125
    [ -d "$MADE" ] || fail "step06 removed $MADE, which it did not make"
    rmdir "$MADE"
    refute_output --partial "CMD ran"
    assert_line --index 1 --regexp "mkdir /sys/fs/cgroup/.*step06-$pid: File exists"
    assert_equal "$(step06_cgroups "$pid")" ""
}
