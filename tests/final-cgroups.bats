#!/usr/bin/env bats
# runbox's limits in a cgroup, on v2 or v1 (`sudo make test-vm` runs this
# file on both): they are in the kernel's files while it runs, they hold,
# and the cgroup is gone after. Without root, limits need a cgroup v2
# subtree delegated to the caller; anywhere else, one line refuses them.
load helper

setup() {
    runbox_setup cgroup
}

teardown() {
    runbox_teardown
    if [ -n "${WORK:-}" ]; then rootless_teardown; fi
    if [ -n "${DELEGATED:-}" ]; then
        rmdir "$DELEGATED/leaf" "$DELEGATED"
    fi
}

@test "runbox: the container's cgroup carries the limits, and is gone after" {
    local cmd name
    start_bg "$RUNBOX" run -m 64m --pids 30 --cpus 0.25 sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    name="runbox-$BG_PID"
    assert_cgroup_limits "$name" "$cmd" 30 67108864 25000
    # Inside, the cgroup namespace makes the container's cgroup its root.
    run "$RUNBOX" run cat /proc/self/cgroup
    refute_output --partial runbox-
    kill -KILL "$cmd"
    wait "$BG_PID" || true
    assert_no_runbox_leftovers
}

@test "runbox: a memory hog is killed at --memory, with status 137" {
    local rootfs
    rootfs=$(rootfs_with_probes memhog)
    run -137 "$RUNBOX" run -r "$rootfs" -m 32m /bin/memhog 200
    [ "${lines[-1]}" -lt 32 ] || fail "it got to ${lines[-1]} MiB"
    assert_no_runbox_leftovers
}

@test "runbox: --pids stops a fork bomb at the limit, and leaves nothing" {
    local rootfs
    rootfs=$(rootfs_with_probes forkbomb)
    run "$RUNBOX" run -r "$rootfs" --pids 20 /bin/forkbomb 200
    assert_success
    # The forkbomb itself is one of the 20.
    assert_output "forked 19, then: Resource temporarily unavailable"
    assert_no_runbox_leftovers
}

# The line that refuses limits without root, for this machine's cgroups.
refusal() {
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        echo '^runbox: --memory, --pids and --cpus without root need a delegated cgroup: /sys/fs/cgroup.* is not yours'
    else
        echo '^runbox: --memory, --pids and --cpus without root need cgroup v2 \(here: v1\): run with sudo$'
    fi
}

@test "rootless: a limit without a delegated cgroup is refused, nothing made" {
    requires userns
    rootless_setup
    run -125 --separate-stderr rootless --memory 64m true
    assert_one_error "$(refusal)"
    run -125 --separate-stderr rootless --pids 10 --cpus 0.5 true
    assert_one_error "$(refusal)"
    run rootless true
    assert_success
}

@test "rootless: limits go to a cgroup v2 subtree delegated to the caller (v1: refused)" {
    requires userns
    local cmd name
    rootless_setup
    if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
        run -125 --separate-stderr rootless --memory 64m true
        assert_one_error "$(refusal)"
        return
    fi
    # As systemd's Delegate=yes: a subtree nobody may write, nobody in a leaf.
    write_file_if_missing() { grep -qw "$2" "$1" || echo "+$2" >"$1"; }
    for c in memory pids cpu; do
        write_file_if_missing /sys/fs/cgroup/cgroup.subtree_control "$c"
    done
    DELEGATED=/sys/fs/cgroup/runbox-test-delegated.$$
    mkdir -p "$DELEGATED/leaf"
    echo "+memory +pids +cpu" >"$DELEGATED/cgroup.subtree_control"
    chown "$USER_ID" "$DELEGATED" "$DELEGATED/cgroup.procs" "$DELEGATED/leaf" "$DELEGATED/leaf/cgroup.procs"
    start_bg sh -c 'echo $$ >"$0/leaf/cgroup.procs" && exec "$@"' "$DELEGATED" \
        "${AS_USER[@]}" "$WORK/runbox" run -r "$WORK/rootfs" -m 64m --pids 30 --cpus 0.25 sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    name=runbox-$BG_PID
    assert_equal "$(cat "$DELEGATED/$name/cgroup.procs")" "$cmd"
    assert_equal "$(cat "$DELEGATED/$name/memory.max")" 67108864
    assert_equal "$(cat "$DELEGATED/$name/pids.max")" 30
    assert_equal "$(cat "$DELEGATED/$name/cpu.max")" "25000 100000"
    kill -KILL "$cmd"
    wait "$BG_PID" || true
    assert_file_not_exist "$DELEGATED/$name"
}
