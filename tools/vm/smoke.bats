#!/usr/bin/env bats
# The smoke test of tools/vm-test, run only inside its VM:
#   sudo tools/vm-test --cgroup both tools/vm/smoke.bats
# It proves the guest's cgroup layout ($VM_CGROUP: v2 or v1) and that a
# pids and a memory limit bite there. It lives outside tests/ so that the
# host's suite never runs it, and loads bats's libraries itself because
# tests/helper.bash finds the project from tests/.
bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

setup() {
    [[ -n ${VM_CGROUP:-} ]] || skip "runs inside tools/vm-test only"
    CGROUPS=()
}

teardown() {
    local cgroup
    for cgroup in "${CGROUPS[@]}"; do
        remove_cgroup "$cgroup"
    done
}

# new_cgroup CONTROLLER: makes a cgroup that has CONTROLLER's files and
# sets $CG to it: in the one tree (v2), or in CONTROLLER's tree (v1).
new_cgroup() {
    if [[ $VM_CGROUP == v2 ]]; then
        CG=/sys/fs/cgroup/vm-smoke-$1
    else
        CG=/sys/fs/cgroup/$1/vm-smoke
    fi
    mkdir "$CG"
    CGROUPS+=("$CG")
}

# A cgroup can be removed once it has no process, and a killed one may take
# a moment to go. The pids are read all at once: cgroup v2 restarts a
# partly read cgroup.procs from its new start, so killing while reading
# line by line (bash's read) skips some.
remove_cgroup() {
    local pids
    [[ -d $1 ]] || return 0
    for _ in $(seq 50); do
        mapfile -t pids <"$1/cgroup.procs"
        if [[ ${#pids[@]} -gt 0 ]]; then
            kill -KILL "${pids[@]}" 2>/dev/null || true
        fi
        rmdir "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    rmdir "$1"
}

@test "the cgroup layout is the one asked for" {
    if [[ $VM_CGROUP == v2 ]]; then
        assert_equal "$(stat -fc %T /sys/fs/cgroup)" cgroup2fs
        run cat /sys/fs/cgroup/cgroup.controllers
        assert_output --regexp '(^| )memory( |$)'
        assert_output --regexp '(^| )pids( |$)'
        assert_output --regexp '(^| )cpu( |$)'
    else
        assert_equal "$(stat -fc %T /sys/fs/cgroup)" tmpfs
        assert [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]
        assert_equal "$(stat -fc %T /sys/fs/cgroup/pids)" cgroupfs
    fi
}

@test "pids.max=5 stops the 6th process" {
    new_cgroup pids
    echo 5 >"$CG/pids.max"
    # dash, not bash: bash retries a failed fork for seconds. The shell is
    # the 1st process of the cgroup; the 5th sleep would be the 6th.
    run sh -c 'echo $$ >"$1/cgroup.procs"
        for i in 1 2 3 4 5 6; do sleep 60 >/dev/null 2>&1 & echo "started $i"; done' sh "$CG"
    assert_failure
    assert_line "started 4"
    refute_line "started 5"
    assert_output --partial "fork"
    run cat "$CG/pids.events"
    assert_output --regexp '^max [1-9]'
}

@test "a 20M memory limit kills a memory hog (status 137)" {
    new_cgroup memory
    if [[ $VM_CGROUP == v2 ]]; then
        echo 20M >"$CG/memory.max"
        echo 0 >"$CG/memory.swap.max"
    else
        echo 20M >"$CG/memory.limit_in_bytes"
    fi
    # tail keeps the last line in memory, and /dev/zero never ends one.
    run sh -c 'echo $$ >"$1/cgroup.procs"; exec tail /dev/zero' sh "$CG"
    assert_failure 137
    # The cgroup's OOM killer did it, not the whole VM's.
    if [[ $VM_CGROUP == v2 ]]; then
        run grep '^oom_kill ' "$CG/memory.events"
    else
        run grep '^oom_kill ' "$CG/memory.oom_control"
    fi
    assert_output --regexp '^oom_kill [1-9]'
}
