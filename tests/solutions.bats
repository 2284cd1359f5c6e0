#!/usr/bin/env bats
# The chapters' exercises whose solution is code (docs/solutions/*.patch),
# checked for real: each patch is applied to a copy of its step (or of
# final/), built by the step's own rules (mk/step.mk, mk/flags.mk: the same
# warnings, -Werror, and CC or SANITIZE as given to make), and run next to
# the unpatched program, to show what the exercise asked for.
load helper

setup() {
    requires root
    remember_host
}

teardown() {
    remove_left_cgroups
    helper_teardown
    assert_host_unchanged
    [ ! -e "$BATS_TEST_TMPDIR/leftovers.before" ] || assert_no_runbox_leftovers
}

# solved DIR PATCH: DIR (a step directory, or final) with
# docs/solutions/PATCH applied, built in the test's own directory; prints
# the path of the program built.
solved() {
    local dir=$1 patch=$2 src=$BATS_TEST_TMPDIR/src
    command -v patch >/dev/null || fail "needs patch(1) (apt-get install patch)"
    mkdir -p "$src"
    cp -a "$TOP/mk" "$TOP/$dir" "$src/"
    # Objects of the checkout's own build may be of other flags (SANITIZE).
    find "$src" -name '*.o' -delete
    patch -d "$src" -p1 --quiet --forward <"$TOP/docs/solutions/$patch" >&2 ||
        fail "docs/solutions/$patch does not apply to $dir"
    if [ "$dir" = final ]; then
        # The Makefile checks the libraries first (tools/need-libs).
        mkdir -p "$src/tools"
        cp "$TOP/Makefile" "$src/"
        cp "$TOP/tools/need-libs" "$src/tools/"
        make -s -C "$src" runbox >"$src/build.log" 2>&1 ||
            fail "final with $patch does not build: $(cat "$src/build.log")"
        echo "$src/runbox"
    else
        make -s -C "$src/$dir" >"$src/build.log" 2>&1 ||
            fail "$dir with $patch does not build: $(cat "$src/build.log")"
        echo "$src/${dir%%-*}"
    fi
}

# The cgroups of a step killed before it could remove them: what runs in
# them is killed and they are removed, also when the test failed.
LEFT_CGROUPS=()
remove_left_cgroups() {
    local name dir pid _
    for name in "${LEFT_CGROUPS[@]}"; do
        for dir in /sys/fs/cgroup/"$name" /sys/fs/cgroup/*/"$name"; do
            [ -d "$dir" ] || continue
            for pid in $(cat "$dir/cgroup.procs"); do
                kill -KILL "$pid" 2>/dev/null || true
            done
            for _ in $(seq 50); do
                rmdir "$dir" 2>/dev/null && break
                sleep 0.1
            done
        done
    done
    LEFT_CGROUPS=()
}

# Waits (up to 5 s) until PID has exited: gone, or a zombie.
wait_gone() {
    local _
    for _ in $(seq 50); do
        [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ] || return 0
        [ -e "/proc/$1" ] || return 0
        sleep 0.1
    done
    fail "process $1 is still running"
}

# A job started by a non-interactive bash with & ignores SIGINT and SIGQUIT
# (bash(1)): the tests of Ctrl-C start their step with the default back.
DEFAULT_INT=(env "--default-signal=INT,QUIT")

# The zombies among the children of PID.
zombies_of() {
    local child
    for child in $(cat "/proc/$1/task/$1/children"); do
        [ "$(awk '{print $3}' "/proc/$child/stat" 2>/dev/null)" != Z ] || echo "$child"
    done
}

@test "01-2: SIGINT ignored before clone() and restored for CMD: Ctrl-C still stops CMD, 130" {
    local bin status=0
    bin=$(solved step01-fork 01-2-signals-before-clone.patch)
    # Not a group leader, setsid(1) execs: the step leads a group of its own.
    start_bg "${DEFAULT_INT[@]}" setsid "$bin" run sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    # SigIgn is a mask of ignored signals; SIGINT (2) is its bit 1.
    (($(printf '%d' "0x$(awk '/^SigIgn:/ {print $2}' "/proc/$BG_PID/status")") & 2)) ||
        fail "the step does not ignore SIGINT"
    (($(printf '%d' "0x$(awk '/^SigIgn:/ {print $2}' "/proc/$cmd/status")") & 2)) &&
        fail "CMD inherited an ignored SIGINT"
    # What the terminal does on Ctrl-C: SIGINT to the whole group.
    kill -INT -- "-$BG_PID"
    timeout 5 tail --pid="$BG_PID" -f /dev/null || fail "Ctrl-C did not stop CMD"
    wait "$BG_PID" || status=$?
    assert_equal "$status" 130
}

@test "02-2: --hostname NAME names the container; the default stays; 65 characters are refused" {
    local bin
    bin=$(solved step02-uts 02-2-hostname-option.patch)
    run "$bin" run --hostname box hostname
    assert_success
    assert_output box
    run "$bin" run hostname
    assert_output container
    run --separate-stderr "$bin" run --hostname "$(printf 'x%.0s' $(seq 65))" true
    assert_equal "$status" 125
    # HOST_NAME_MAX is 64: sethostname(2) fails with EINVAL.
    assert_one_error '^.*step02: sethostname x{65}: Invalid argument$'
    run --separate-stderr "$bin" run --hostname
    assert_equal "$status" 125
    assert_one_error 'step02: --hostname needs a NAME$'
}

@test "03-2 unpatched: process 1 ignores SIGINT, and leaves an orphan a zombie" {
    local cmd _
    start_bg "${DEFAULT_INT[@]}" "$(step 03)" run sh -c '(sleep 0.1 &); exec sleep 1000'
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    kill -INT "$cmd"
    # The orphan, `sleep 0.1`, ends: nobody reaps it.
    for _ in $(seq 50); do
        [ -z "$(zombies_of "$cmd")" ] || break
        sleep 0.1
    done
    assert_equal "$(zombies_of "$cmd" | wc -l)" 1
    assert_equal "$(awk '{print $3}' "/proc/$cmd/stat")" S
}

@test "03-2: a minimal init passes SIGINT on to CMD (130) and reaps orphans" {
    local bin init cmd status=0 _
    bin=$(solved step03-pid 03-2-init.patch)
    start_bg "${DEFAULT_INT[@]}" "$bin" run sh -c '(sleep 0.1 &); exec sleep 1000'
    init=$(child_of "$BG_PID")
    cmd=$(child_of "$init")
    wait_for_exec "$cmd" sleep
    # The orphan was re-parented to the init, which reaps it when it ends.
    for _ in $(seq 50); do
        [ "$(cat "/proc/$init/task/$init/children")" != "$cmd " ] || break
        sleep 0.1
    done
    assert_equal "$(cat "/proc/$init/task/$init/children")" "$cmd "
    kill -INT "$init"
    timeout 5 tail --pid="$BG_PID" -f /dev/null || fail "SIGINT did not stop CMD"
    wait "$BG_PID" || status=$?
    assert_equal "$status" 130
    run "$bin" run sh -c 'exit 3'
    assert_equal "$status" 3
    run --separate-stderr "$bin" run sh -c 'echo $$'
    assert_output 2
}

@test "05-1: a tmpfs on /tmp keeps the container's files out of the rootfs; unpatched they land in it" {
    local bin rootfs
    requires rootfs mountns
    bin=$(solved step05-proc 05-1-tmpfs.patch)
    rootfs=$(rootfs_with_probes)
    run env ROOTFS="$rootfs" "$bin" run sh -c 'echo hi >/tmp/marker; grep " /tmp " /proc/mounts'
    assert_success
    assert_output --regexp '^tmpfs /tmp tmpfs rw,nosuid,nodev'
    assert_file_not_exists "$rootfs/tmp/marker"
    run env ROOTFS="$rootfs" "$(step 05)" run sh -c 'echo hi >/tmp/marker'
    assert_success
    assert_file_exists "$rootfs/tmp/marker"
}

# STEP (step06, patched or not) running sleep: its PID in BG_PID, the
# container's in CMD, its cgroup removed in teardown whatever happens.
start_step06_sleep() {
    start_bg "$1" run sleep 1000
    LEFT_CGROUPS+=("step06-$BG_PID")
    CMD=$(child_of "$BG_PID")
    wait_for_exec "$CMD" sleep
}

@test "06-1 unpatched: SIGTERM to step06 leaves its cgroup, and the container in it" {
    local status=0
    requires rootfs cgroup
    start_step06_sleep "$(step 06)"
    kill -TERM "$BG_PID"
    wait "$BG_PID" || status=$?
    assert_equal "$status" 143
    assert_equal "$(cat "$(cgroup_dir pids "step06-$BG_PID")/cgroup.procs")" "$CMD"
}

@test "06-1: SIGTERM to the patched step06 stops the container and removes its cgroup" {
    local bin status=0
    requires rootfs cgroup
    bin=$(solved step06-cgroups 06-1-pdeathsig.patch)
    start_step06_sleep "$bin"
    kill -TERM "$BG_PID"
    wait "$BG_PID" || status=$?
    # The container was killed (SIGKILL, 9): 128 + 9.
    assert_equal "$status" 137
    wait_gone "$CMD"
    assert_dir_not_exists "$(cgroup_dir pids "step06-$BG_PID")"
    assert_dir_not_exists "$(cgroup_dir memory "step06-$BG_PID")"
}

@test "06-1: SIGKILL to the patched step06 kills the container; only its empty cgroup remains" {
    local bin
    requires rootfs cgroup
    bin=$(solved step06-cgroups 06-1-pdeathsig.patch)
    start_step06_sleep "$bin"
    kill -KILL "$BG_PID"
    wait "$BG_PID" || true
    wait_gone "$CMD"
    # Nobody is left to rmdir(2) it: that is what `runbox cleanup` is for.
    assert_equal "$(cat "$(cgroup_dir pids "step06-$BG_PID")/cgroup.procs")" ""
}

@test "07-2: a container on 10.77.7.4/30 runs beside one on 10.77.7.0/30; both links work" {
    local bin
    requires rootfs cgroup netns
    bin=$(solved step07-netns 07-2-second-subnet.patch)
    STEP07=$(step 07) PATCHED=$bin run unshare --net bash -c '
        set -e
        "$STEP07" run sleep 30 &
        trap "pkill -KILL -P $! sleep; wait" EXIT
        for i in $(seq 50); do
            ip -o -4 addr | grep -q "10.77.7.1/30" && break
            sleep 0.1
        done
        "$PATCHED" run sh -c "ip -o -4 addr show eth0; ping -c 1 -W 5 10.77.7.5"
        ping -c 1 -w 10 10.77.7.2'
    assert_success
    assert_line --regexp '^[0-9]+: eth0 +inet 10\.77\.7\.6/30 '
    assert_line --partial "1 packets received"
    assert_output --regexp ' [1-9][0-9]* received'
}

@test "08-1: /proc/cmdline masked by runbox: empty inside; unpatched it is the host's" {
    local bin
    runbox_setup
    bin=$(solved final 08-1-mask-cmdline.patch)
    [ -s /proc/cmdline ] || fail "this machine has an empty /proc/cmdline"
    run "$bin" run cat /proc/cmdline
    assert_success
    assert_output ""
    run "$RUNBOX" run cat /proc/cmdline
    assert_success
    assert_output "$(cat /proc/cmdline)"
}
