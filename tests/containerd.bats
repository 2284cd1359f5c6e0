#!/usr/bin/env bats
# runbox under containerd, as a new user drives it: ctr run --runc-binary
# with a rootfs directory (a copy of ./rootfs: no registry is reached).
# The test starts its own containerd (Debian's package) in a mount and
# network namespace of its own, with its root, state and socket in the
# test's directory and a tmpfs on /run; the runc v2 shim then calls runbox
# as it calls runc: --root, --log, --log-format json, create --bundle
# --pid-file [--console-socket], start, state, kill [--all], delete,
# exec --process --detach, pause, resume, ps --format json. Nothing of the
# daemon, its shims, containers or cgroups (containerd's "default" parent
# included) stays after a test, also when it failed.
load helper
load engine-helper

setup_file() {
    requires root rootfs
    local bin
    for bin in containerd ctr containerd-shim-runc-v2; do
        command -v "$bin" >/dev/null ||
            skip_or_fail "$bin is missing (apt-get install containerd)"
    done
    export ENGINE_DIR=$BATS_FILE_TMPDIR/containerd
    mkdir -p "$ENGINE_DIR"
    cp -a "$ROOTFS" "$ENGINE_DIR/rootfs"
    # No CRI (it would look for CNI), no snapshotter this test does not use.
    cat >"$ENGINE_DIR/config.toml" <<TOML
version = 2
root = "$ENGINE_DIR/root"
state = "/run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri",
    "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
    "io.containerd.snapshotter.v1.devmapper",
    "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$ENGINE_DIR/containerd.sock"
TOML
    engine_start "$ENGINE_DIR" containerd --config "$ENGINE_DIR/config.toml"
    engine_wait ctr -a "$ENGINE_DIR/containerd.sock" version
}

teardown_file() {
    engine_stop
    engine_remove_cgroups default
}

setup() {
    runbox_setup
    OWN_NAMES+=(default)
}

# Every container the test made: its task killed and deleted, then it.
teardown() {
    local id
    for id in $(ctr_ c ls -q 2>/dev/null); do
        ctr_ t kill -s KILL "$id" >/dev/null 2>&1 || true
        ctr_ t delete -f "$id" >/dev/null 2>&1 || true
        ctr_ c rm "$id" >/dev/null 2>&1 || true
    done
    runbox_teardown
    assert_equal "$(ctr_ c ls -q)" ""
    # The parents runbox made for cgroupsPath /default/ID go with the last.
    assert_equal "$(find /sys/fs/cgroup -maxdepth 2 -name default)" ""
}

ctr_() {
    engine_in ctr -a "$ENGINE_DIR/containerd.sock" "$@"
}

# ctr run with runbox as the runtime, on the copy of the rootfs.
ctr_run() {
    local opts=()
    while [[ $1 == -* ]]; do
        opts+=("$1")
        shift
    done
    ctr_ run --runc-binary "$RUNBOX" "${opts[@]}" --rootfs "$ENGINE_DIR/rootfs" "$@"
}

@test "containerd: ctr run --rm: the output, the exit status, its cgroup under default" {
    run --separate-stderr ctr_run --rm c1 sh -c 'echo hello; cat /proc/self/cgroup; exit 3'
    assert_failure 3
    assert_line hello
    assert_line --regexp '^[0-9]+:pids:/default/c1$'
    [ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "containerd: run -d, exec, ps, pause and resume, metrics, kill --all, delete" {
    ctr_run -d c2 sleep 1000
    run ctr_ t ls
    assert_line --regexp '^c2 +[0-9]+ +RUNNING$'
    run ctr_ t exec --exec-id e1 c2 sh -c 'echo $$; cat /proc/1/cmdline'
    assert_success
    assert_line --index 1 sleep1000
    ctr_ t exec --exec-id e2 -d c2 sleep 500
    run ctr_ t ps c2
    assert_equal "${#lines[@]}" 3 # a header, init and e2
    ctr_ t pause c2
    run ctr_ t ls
    assert_line --regexp '^c2 +[0-9]+ +PAUSED$'
    ctr_ t resume c2
    run ctr_ t metrics c2
    assert_success
    assert_output --partial memory
    ctr_ t kill --all -s KILL c2
    for _ in $(seq 50); do
        ctr_ t ls | grep -q 'c2 .*STOPPED' && break
        sleep 0.1
    done
    run ctr_ t ls
    assert_line --regexp '^c2 +[0-9]+ +STOPPED$'
    # A task gone: containerd reads runbox's "container not running".
    run ctr_ t kill -s KILL c2
    assert_failure
    assert_output --partial 'process already finished: not found'
    ctr_ t delete c2
    ctr_ c rm c2
}

@test "containerd: run -t: the pty through --console-socket" {
    # script(1) gives ctr the terminal it asks for.
    run script -qec "nsenter -t $(engine_pid) -m -n -p ctr -a \
        $ENGINE_DIR/containerd.sock run -t --rm --runc-binary $RUNBOX \
        --rootfs $ENGINE_DIR/rootfs c3 sh -c 'tty; exit 4'" /dev/null
    assert_failure 4
    assert_output --regexp '/dev/pts/[0-9]+'
}

@test "containerd: a runtime error reaches ctr as runbox's one line" {
    run --separate-stderr ctr_ run --runc-binary "$RUNBOX" --cap-add CAP_BOGUS \
        --rootfs "$ENGINE_DIR/rootfs" c4 true
    assert_failure
    # containerd reads it from --log FILE --log-format json.
    assert_equal "$stderr" "ctr: failed to create shim task: OCI runtime create failed: runbox: config.json: process.capabilities.bounding[14]: unknown capability CAP_BOGUS: unknown"
    run ctr_ t ls -q
    assert_output ""
    # The same for exec: the line of runbox exec's child, which runbox
    # prints and logs for it.
    ctr_run -d c5 sleep 1000
    run --separate-stderr ctr_ t exec --exec-id e1 c5 /no/such/command
    assert_failure
    assert_regex "$stderr" 'runbox: exec /no/such/command: No such file or directory'
}
