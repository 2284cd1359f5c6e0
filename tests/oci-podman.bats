#!/usr/bin/env bats
# The real client: podman (4.3, with conmon) runs containers through
# runbox instead of crun, on an image imported offline from ./rootfs. Its
# storage is the test's own (--root, --runroot, the vfs driver: no mounts);
# --network none, since any other network changes the host's firewall;
# and the ulimits, since root here lacks CAP_SYS_RESOURCE to raise them.
load helper

setup_file() {
    [ -x "$(command -v podman)" ] || return 0
    tar -C "${ROOTFS:-rootfs}" -c . |
        podman_cmd import - localhost/busybox >/dev/null
}

podman_cmd() {
    podman --root "$BATS_FILE_TMPDIR/storage" \
        --runroot "$BATS_FILE_TMPDIR/run" --cgroup-manager cgroupfs \
        --events-backend file --storage-driver vfs "$@"
}

setup() {
    runbox_setup cgroup
    command -v podman >/dev/null || skip_or_fail "no podman (apt-get install podman)"
    # podman's cgroupfs manager makes libpod_parent and leaves it: remove
    # it after the test only if the test made it.
    PARENT_MADE=0
    [ -n "$(find /sys/fs/cgroup -maxdepth 2 -name libpod_parent)" ] ||
        PARENT_MADE=1
}

# libpod_parent and conmon's cgroup inside it, deepest first, once conmon
# (which outlives `podman rm`) has left it: up to 10 s, then its errors.
remove_libpod_parent() {
    local _
    for _ in $(seq 100); do
        find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -depth -type d \
            -path '*/libpod_parent*' -exec rmdir {} + 2>/dev/null || true
        [ -n "$(find /sys/fs/cgroup -maxdepth 2 -name libpod_parent)" ] ||
            return 0
        sleep 0.1
    done
    find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -depth -type d \
        -path '*/libpod_parent*' -exec rmdir {} +
}

teardown() {
    local status=0
    podman_cmd rm --force --all >/dev/null 2>&1 || true
    if [ "$PARENT_MADE" = 1 ]; then
        remove_libpod_parent || status=1
    fi
    runbox_teardown
    return "$status"
}

run_opts=(--runtime "$TOP/runbox" --network none
    --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

@test "podman run --rm through runbox: output and exit status" {
    run podman_cmd run --rm "${run_opts[@]}" --hostname web-1 \
        localhost/busybox sh -c 'hostname; echo $$; exit 7'
    assert_failure 7
    assert_output "$(printf 'web-1\n1')"
    run podman_cmd ps -a -q
    assert_output ''
}

@test "podman pause and unpause through runbox: the cgroup's freezer" {
    local id
    id=$(podman_cmd run -d "${run_opts[@]}" localhost/busybox sleep 1000)
    podman_cmd pause "$id"
    assert_equal "$(podman_cmd inspect -f '{{.State.Status}}' "$id")" paused
    assert_equal "$("$RUNBOX" state "$id" | jq -r .status)" paused
    podman_cmd unpause "$id"
    assert_equal "$("$RUNBOX" state "$id" | jq -r .status)" running
}

@test "podman run -d, ps, stop, rm through runbox" {
    local id pid
    id=$(podman_cmd run -d "${run_opts[@]}" localhost/busybox sleep 1000)
    run podman_cmd ps -q --no-trunc
    assert_output "$id"
    # runbox's own view: the container is running, in runbox's state.
    pid=$("$RUNBOX" state "$id" | jq .pid)
    assert_equal "$("$RUNBOX" state "$id" | jq -r .status)" running
    assert_equal "$(cat "/proc/$pid/comm")" sleep
    podman_cmd stop -t 1 "$id"
    podman_cmd rm "$id"
    run "$RUNBOX" state "$id"
    assert_failure 1
}

# podman with this test's storage, as one string for script(1)'s -c.
podman_line() {
    printf '%q ' podman --root "$BATS_FILE_TMPDIR/storage" \
        --runroot "$BATS_FILE_TMPDIR/run" --cgroup-manager cgroupfs \
        --events-backend file --storage-driver vfs "$@"
}

@test "podman exec through runbox: output and exit status" {
    local id pid
    id=$(podman_cmd run -d "${run_opts[@]}" localhost/busybox sleep 1000)
    run podman_cmd exec "$id" sh -c 'echo hello; echo $$; exit 5'
    assert_failure 5
    assert_line --index 0 hello
    # A process of the container's own PID namespace: not PID 1.
    [ "${lines[1]}" -gt 1 ] || fail "exec ran as PID ${lines[1]}"
    run podman_cmd exec --user 1000 --workdir /tmp "$id" sh -c 'id -u; pwd'
    assert_success
    assert_output "$(printf '1000\n/tmp')"
    # The container is untouched.
    pid=$("$RUNBOX" state "$id" | jq .pid)
    assert_equal "$(cat "/proc/$pid/comm")" sleep
    podman_cmd rm --force --time 0 "$id" >/dev/null
}

@test "podman exec -t through runbox: a terminal from the console socket" {
    local id
    id=$(podman_cmd run -d "${run_opts[@]}" localhost/busybox sleep 1000)
    run podman_cmd exec -t "$id" sh -c 'tty; [ -t 1 ] && echo out-tty; exit 3'
    assert_failure 3
    assert_line --regexp $'^/dev/pts/[0-9]+\r$'
    assert_line $'out-tty\r'
    podman_cmd rm --force --time 0 "$id" >/dev/null
}

@test "podman run -it through runbox: interactive, under script(1)" {
    command -v script >/dev/null || fail "script is missing (util-linux)"
    # script(1) stops when its input ends: the input stays open a while.
    run script -qec "$(podman_line run -it --rm "${run_opts[@]}" \
        localhost/busybox sh -c 'tty; read l; echo "got $l"; exit 6')" \
        /dev/null < <(sleep 1; echo typed; sleep 5)
    assert_failure 6
    assert_line --regexp $'/dev/pts/[0-9]+\r$'
    assert_line --partial $'got typed\r'
    run podman_cmd ps -a -q
    assert_output ''
}
