# shellcheck shell=bash
# bats sets $stderr and reads $BG_PID; the tests set what helpers read.
# shellcheck disable=SC2154,SC2034
# Loaded by every test file (`load helper`). It gives the tests:
#   requires WHAT...      skip unless the machine can (STRICT=1: fail instead)
#   step NN               the path of ./stepNN, which must have been built
#   probe NAME            a small static C program from tests/probes/, built once
#   start_bg CMD...       run CMD in the background; killed in teardown
#   child_of PID          the first child of PID, once it exists
#   host_state            what a test must leave as it found it (of this run's)
#   assert_one_error RE   stderr is exactly one line, matching RE
# and a teardown that removes what the test started, also when it failed.
bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load /usr/lib/bats/bats-file/load

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
export ROOTFS="${ROOTFS:-$TOP/rootfs}"
# Under AddressSanitizer a child dying on its clone(2) stack looks like a leak.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

skip_or_fail() {
    if [ "${STRICT:-0}" = 1 ]; then
        fail "STRICT=1 and this test would skip: $*"
    fi
    skip "$*"
}

# requires root|mountns|netns|userns|cgroup|cgroup2|cgroup1|rootfs|cc-static
requires() {
    local what
    for what in "$@"; do
        case $what in
        root) [ "$(id -u)" = 0 ] || skip_or_fail "needs root" ;;
        mountns) unshare --mount true 2>/dev/null || skip_or_fail "cannot make a mount namespace" ;;
        netns) unshare --net true 2>/dev/null || skip_or_fail "cannot make a network namespace" ;;
        userns) unshare --user true 2>/dev/null || skip_or_fail "cannot make a user namespace" ;;
        cgroup) [ -d /sys/fs/cgroup ] || skip_or_fail "no cgroups" ;;
        cgroup2) [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || skip_or_fail "cgroup v2 is not the only hierarchy here" ;;
        cgroup1) [ -d /sys/fs/cgroup/memory ] || skip_or_fail "no cgroup v1 memory controller here" ;;
        rootfs) [ -x "$ROOTFS/bin/busybox" ] || skip_or_fail "no busybox rootfs at $ROOTFS (make rootfs)" ;;
        cc-static) [ -e "$(cc -print-file-name=libc.a)" ] || skip_or_fail "no static libc (apt-get install libc6-dev)" ;;
        *) fail "requires: unknown requirement '$what'" ;;
        esac
    done
}

# step 05 -> a program that runs ./step05; a missing build is an error,
# never a skip. STEP_BIN, if set, is the program that stepNN-*.bats tests
# instead of ./stepNN (make grade: the learner's own build).
#
# The program is a two-line wrapper that notes its PID in $STEP_PIDS, then
# execs the step under the same PID: the names a step gives what it makes
# on the host (step06-PID, step07-PID) are then known to be this test's.
step() {
    local bin="$TOP/step$1" wrapper text
    if [ -n "${STEP_BIN:-}" ] && [[ ${BATS_TEST_FILENAME##*/} == step$1-* ]]; then
        bin=$(realpath "$STEP_BIN")
    fi
    [ -x "$bin" ] || fail "$bin is not built (run make)"
    # shellcheck disable=SC2016 # expanded by the wrapper, when it runs
    text=$(printf '#!/bin/sh\n{ [ -z "$STEP_PIDS" ] || echo $$ >>"$STEP_PIDS"; } 2>/dev/null\nexec %s "$@"' \
        "'${bin//\'/\'\\\'\'}'")
    # One wrapper per text, where nobody may run it too (contract.bats);
    # a STEP_BIN's beside it, so that it goes with it.
    wrapper=$TOP/tests/bin/run-$(printf '%s' "$text" | md5sum | cut -c1-12)/step$1
    [ "$bin" = "$TOP/step$1" ] || wrapper=${bin%/*}/.run-${wrapper#*/run-}
    if [ ! -x "$wrapper" ]; then
        mkdir -p "${wrapper%/*}"
        printf '%s\n' "$text" >"$wrapper.$$"
        chmod 755 "$wrapper.$$"
        mv "$wrapper.$$" "$wrapper"
    fi
    echo "$wrapper"
}

# The steps known to this checkout, as numbers: 01 02 ...
all_steps() {
    local d
    for d in "$TOP"/step0[1-9]-*/; do
        d=${d%/}
        d=${d##*/step}
        echo "${d%%-*}"
    done
}

probe() {
    local src="$TOP/tests/probes/$1.c" bin="$TOP/tests/bin/$1"
    requires cc-static
    if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
        mkdir -p "$TOP/tests/bin"
        cc -static -O2 -Wall -Wextra -Werror -o "$bin.tmp.$$" "$src" ||
            fail "cannot build probe $1"
        mv "$bin.tmp.$$" "$bin"
    fi
    echo "$bin"
}

# Processes the test started in the background, killed in teardown.
BG_PIDS=()
start_bg() {
    "$@" </dev/null >"$BATS_TEST_TMPDIR/bg.out" 2>&1 &
    BG_PIDS+=("$!")
    BG_PID=$!
    echo "$BG_PID" >>"$STEP_PIDS"
}

# Waits (up to 5 s) for PID's first child, e.g. the container of a step.
child_of() {
    local pid=$1 child _
    for _ in $(seq 50); do
        child=$(cut -d' ' -f1 "/proc/$pid/task/$pid/children" 2>/dev/null)
        if [ -n "$child" ]; then
            echo "$child"
            return 0
        fi
        sleep 0.1
    done
    fail "process $pid started no child"
}

# The first descendant of PID that runs PROGRAM (its comm), e.g. sleep.
wait_for_exec() {
    local pid=$1 comm=$2 _
    for _ in $(seq 50); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] && return 0
        sleep 0.1
    done
    fail "process $pid did not exec $comm"
}

# Kills what start_bg started. The container's processes go first, so that
# a step still cleans up after its container (cgroup, veth); the step itself
# is killed only if it has not exited 5 s later. A process without children
# (a plain sleep, or a step already cleaning up) gets half a second.
helper_teardown() {
    local pid tries _
    for pid in "${BG_PIDS[@]}"; do
        tries=5
        ! pkill -KILL -P "$pid" 2>/dev/null || tries=50
        for _ in $(seq "$tries"); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    BG_PIDS=()
}

teardown() {
    helper_teardown
}

# What a test must leave as it found it: the hostname, and what this run
# made on the host. Other runs on the same machine (learners grading at
# once, CI jobs) make and remove their own cgroups, mounts and links
# meanwhile: only the names that carry this run's identity are compared.
#   - cgroups (to depth 2) and links named NAME-PID, for a PID this test
#     started (step, start_bg: $STEP_PIDS), or named with one of the words
#     in OWN_NAMES (a prefix the test chose; runbox's, when $RUNBOX is set);
#   - mounts at a path the test owns: $ROOTFS, its $BATS_TEST_TMPDIR, or
#     one that carries such a name.
export STEP_PIDS=${BATS_TEST_TMPDIR:-/nonexistent}/pids
OWN_NAMES=()

# The extended regex of the names this run owns.
own_names_regex() {
    local words=("${OWN_NAMES[@]}") pids
    [ -z "${RUNBOX:-}" ] || words+=(runbox)
    pids=$(sort -u "$STEP_PIDS" 2>/dev/null | paste -sd'|')
    [ -z "$pids" ] || words+=("[a-z0-9]+-($pids)([^0-9]|\$)")
    [ ${#words[@]} -gt 0 ] || words=("^\$") # nothing
    local IFS='|'
    echo "${words[*]}"
}

host_state() {
    local names paths
    names=$(own_names_regex)
    paths=$(realpath -e "$ROOTFS" "$BATS_TEST_TMPDIR" 2>/dev/null)
    echo "hostname $(hostname)"
    awk -v paths="$paths" -v names="$names" '
        function owned(dir, i) {
            for (i in p)
                if (dir == p[i] || index(dir, p[i] "/") == 1)
                    return 1
            return dir ~ names
        }
        BEGIN { split(paths, p, "\n") }
        owned($5) || $10 ~ names {print "mount", $5, $9, $10}' /proc/self/mountinfo | sort
    find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d 2>/dev/null |
        awk -v names="$names" '{n = $0; sub(/.*\//, "", n)} n ~ names {print "cgroup", $0}' | sort
    ip -o link show 2>/dev/null |
        awk -F': ' -v names="$names" '{n = $2; sub(/@.*/, "", n)} n ~ names {print "link", $2}' | sort
    # The rootfs too: a container of the steps writes into it directly.
    echo "rootfs $(find "$ROOTFS" -printf '%p %s %m %l\n' 2>/dev/null | sort | md5sum)"
}

remember_host() {
    host_state >"$BATS_TEST_TMPDIR/host.before"
}

assert_host_unchanged() {
    host_state >"$BATS_TEST_TMPDIR/host.after"
    diff -u "$BATS_TEST_TMPDIR/host.before" "$BATS_TEST_TMPDIR/host.after" ||
        fail "the host changed"
}

# The teardown of a step's tests, which make grade runs on a learner's
# program: the host as it was, or the test fails, and what this run left
# is removed all the same: its cgroups (what runs in them killed first)
# and its mounts.
leave_host_as_found() {
    assert_host_unchanged && return 0
    local dir pid mnt _
    for dir in $(host_state | awk '$1 == "cgroup" {print $2}'); do
        while read -r pid; do
            kill -KILL "$pid" 2>/dev/null || true
        done <"$dir/cgroup.procs"
        for _ in $(seq 50); do
            rmdir "$dir" 2>/dev/null && break
            sleep 0.1
        done
    done
    host_state | grep '^mount ' | grep -vxF -f <(grep '^mount ' "$BATS_TEST_TMPDIR/host.before") |
        while read -r _ mnt _; do
            umount -l "$mnt" 2>/dev/null || true
        done
    return 1
}

# Drops what AddressSanitizer prints about clone(2) stacks (SANITIZE=1).
without_sanitizer_noise() {
    grep -v -e '^==[0-9]*==' -e '^False positive error reports' \
        -e '^For details see' -e '^$' || true
}

# After `run --separate-stderr`: stderr is one line, matching the regex.
assert_one_error() {
    local lines
    lines=$(printf '%s\n' "$stderr" | without_sanitizer_noise)
    [ "$(printf '%s\n' "$lines" | wc -l)" = 1 ] ||
        fail "expected one line on stderr, got: $lines"
    [[ $lines =~ $1 ]] || fail "stderr '$lines' does not match '$1'"
}

# The namespace of a kind (uts, pid, mnt, net, ipc, cgroup, user) of PID.
ns_of() {
    readlink "/proc/$1/ns/$2"
}

# A disk of the host that root can read: a loop device over a file of the
# test (some VMs forbid even the host's root to open their real disk).
# Sets LOOP, which the test's teardown detaches, and DISK, its
# MAJOR:MINOR.
loop_disk() {
    local img="$BATS_TEST_TMPDIR/disk.img" major minor
    printf 'host disk marker\n' >"$img"
    truncate -s 1M "$img"
    LOOP=$(losetup --find --show "$img") || skip_or_fail "no loop device"
    read -r major minor < <(stat -c '%t %T' "$LOOP")
    DISK="$((16#$major)):$((16#$minor))"
}

# A copy of the rootfs with the named probes in /bin, for tests that need
# a tool busybox lacks. The real ./rootfs is never modified.
rootfs_with_probes() {
    local dir="$BATS_TEST_TMPDIR/rootfs" name
    # "$ROOTFS/." copies the tree even when $ROOTFS is a symlink.
    if [ ! -d "$dir" ]; then
        mkdir "$dir" && cp -a "$ROOTFS/." "$dir"
    fi
    for name in "$@"; do
        cp "$(probe "$name")" "$dir/bin/$name"
    done
    echo "$dir"
}

# The directory of cgroup NAME for CONTROLLER: one tree on cgroup v2, a
# tree per controller on v1.
cgroup_dir() {
    local controller=$1 name=$2
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        echo "/sys/fs/cgroup/$name"
    else
        echo "/sys/fs/cgroup/$controller/$name"
    fi
}

# The kernel's count of OOM kills since boot (proc(5), /proc/vmstat).
oom_kills() {
    awk '$1 == "oom_kill" {print $2}' /proc/vmstat
}

# Step NN's container sees the host's network interfaces: /proc/net/dev
# lists the interfaces of the reader's network namespace.
assert_network_is_the_hosts() {
    run "$(step "$1")" run cat /proc/net/dev
    assert_success
    assert_equal "$(printf '%s\n' "${lines[@]:2}" | cut -d: -f1 | sort)" \
        "$(tail -n +3 /proc/net/dev | cut -d: -f1 | sort)"
}

# The final runtime; RUNBOX= may point at another build of it.
runbox_bin() {
    local bin=${RUNBOX:-$TOP/runbox}
    [ -x "$bin" ] || fail "$bin is not built (make final)"
    echo "$bin"
}

# Everything a runbox run could leave on the host: its cgroups, its state
# directories, and the mounts; compare before and after with host_state.
runbox_leftovers() {
    find /sys/fs/cgroup -maxdepth 2 -type d -name 'runbox-*'
    find /run/runbox -mindepth 1 -maxdepth 1 2>/dev/null || true
    grep -c runbox /proc/self/mountinfo || true
}

# The setup of runbox's tests: root, a rootfs (and any other requirement
# given), the binary in $RUNBOX, and a record of the host and of what
# runbox could leave behind.
runbox_setup() {
    requires root rootfs "$@"
    RUNBOX=$(runbox_bin)
    remember_host
    runbox_leftovers >"$BATS_TEST_TMPDIR/leftovers.before"
}

assert_no_runbox_leftovers() {
    runbox_leftovers | diff "$BATS_TEST_TMPDIR/leftovers.before" - ||
        fail "runbox left something behind"
}

# ... and their teardown: the host as it was, nothing of runbox left.
runbox_teardown() {
    helper_teardown
    assert_host_unchanged
    assert_no_runbox_leftovers
}

# The cgroup NAME holds only PID, with these limits, on v2 or on v1:
# assert_cgroup_limits NAME PID PIDS_MAX MEMORY_BYTES CPU_QUOTA_US
# (the CPU period is 100 ms in every runtime here).
assert_cgroup_limits() {
    local name=$1 pid=$2
    assert_equal "$(cat "$(cgroup_dir pids "$name")/pids.max")" "$3"
    assert_equal "$(cat "$(cgroup_dir pids "$name")/cgroup.procs")" "$pid"
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        assert_equal "$(cat "/sys/fs/cgroup/$name/memory.max")" "$4"
        assert_equal "$(cat "/sys/fs/cgroup/$name/cpu.max")" "$5 100000"
    else
        assert_equal "$(cat "/sys/fs/cgroup/memory/$name/memory.limit_in_bytes")" "$4"
        assert_equal "$(cat "/sys/fs/cgroup/cpu/$name/cpu.cfs_quota_us")" "$5"
        assert_equal "$(cat "/sys/fs/cgroup/cpu/$name/cpu.cfs_period_us")" 100000
    fi
}

# Rootless runs, as nobody: the binary and a rootfs of nobody's own in
# $WORK (nobody cannot enter the test's own directories, mktemp -d being
# 0700), as a learner would build them. rootless ARGS... runs runbox run.
USER_ID=65534
AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups env -u XDG_RUNTIME_DIR)
STATE_ROOT=/tmp/runbox-65534

rootless_setup() {
    WORK=$(mktemp -d /tmp/runbox-rootless.XXXXXX)
    chmod 755 "$WORK"
    cp "$RUNBOX" "$WORK/runbox"
    cp -a "$ROOTFS" "$WORK/rootfs"
    chown -R "$USER_ID:$USER_ID" "$WORK/rootfs"
    STATE_ROOT_WAS_THERE=
    [ -e "$STATE_ROOT" ] && STATE_ROOT_WAS_THERE=1
    return 0
}

rootless() {
    "${AS_USER[@]}" "$WORK/runbox" run -r "$WORK/rootfs" "$@"
}

# Nothing left in nobody's state directory, which goes if the test made
# it; what is left is reported, then removed all the same.
rootless_teardown() {
    local left=""
    rm -rf "$WORK"
    [ -d "$STATE_ROOT" ] || return 0
    left=$(find "$STATE_ROOT" -mindepth 1 -maxdepth 1)
    if [ -n "$left" ]; then
        chmod -R u+rwx "$STATE_ROOT"
        rm -rf "${STATE_ROOT:?}"/*
    fi
    [ -n "$STATE_ROOT_WAS_THERE" ] || rmdir "$STATE_ROOT"
    [ -z "$left" ] || fail "runbox left in $STATE_ROOT: $left"
}

# SIGKILL to runbox PID and, first, to its guard (runtime.c), as a reboot
# or the OOM killer may: what the guard would remove is left for
# runbox cleanup.
kill_runbox_and_guard() {
    pkill -KILL -P "$1" -x runbox-guard || fail "runbox $1 has no guard"
    kill -KILL "$1"
    wait "$1" || true
}

# Runs COMMAND... in a shell on a terminal of its own, script(1)'s pty, as
# a user types it; then that shell reads one line, for up to 2 s, and
# prints what it read: what the container typed into the caller's terminal
# (ioctl TIOCSTI). Nothing typed is run. script(1)'s own input stays open
# and empty: at its end, script would type an end-of-file that the shell
# could read before what the container typed.
in_a_terminal() {
    printf '%q ' "$@" >"$BATS_TEST_TMPDIR/typed"
    # shellcheck disable=SC2016 # expanded by the shell on the terminal
    printf '\nread -r -t 2 line; echo "the shell read: $line"\n' \
        >>"$BATS_TEST_TMPDIR/typed"
    run script -qec "bash $BATS_TEST_TMPDIR/typed" /dev/null < <(sleep 10)
    kill "$!" 2>/dev/null || true # the sleep of <(...)
}
