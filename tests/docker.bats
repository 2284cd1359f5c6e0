#!/usr/bin/env bats
# bats sets $stderr_lines.
# shellcheck disable=SC2154
# runbox under Docker, as a new user types it: docker run --runtime
# runbox. The test starts its own dockerd (Debian's docker.io, and the
# containerd it manages) in a mount and network namespace of its own, with
# its data-root, exec-root, pidfile and socket in the test's directory, a
# tmpfs on /run and /etc/docker, no bridge and no firewall rules, and
# runbox added as a runtime; the image is ./rootfs imported (no registry is
# reached). Nothing of the daemons, shims, containers or cgroups (Docker's
# "docker" parent included) stays after a test, also when it failed.
load helper
load engine-helper

IMAGE=runbox-rootfs:test

setup_file() {
    requires root rootfs
    local bin
    for bin in dockerd containerd containerd-shim-runc-v2 /usr/bin/docker; do
        command -v "$bin" >/dev/null ||
            skip_or_fail "$bin is missing (apt-get install docker.io)"
    done
    export ENGINE_DIR=$BATS_FILE_TMPDIR/docker
    export DOCKER_CONFIG=$ENGINE_DIR/cli
    mkdir -p "$ENGINE_DIR/cli"
    ENGINE_TMPFS=/etc/docker engine_start "$ENGINE_DIR" dockerd \
        --data-root "$ENGINE_DIR/data" --exec-root "$ENGINE_DIR/exec" \
        --pidfile "$ENGINE_DIR/dockerd.pid" -H "unix://$ENGINE_DIR/docker.sock" \
        --bridge=none --iptables=false --ip6tables=false \
        --storage-driver vfs --add-runtime "runbox=$(runbox_bin)"
    engine_wait /usr/bin/docker -H "unix://$ENGINE_DIR/docker.sock" info
    tar -C "$ROOTFS" -c . | docker_ import - "$IMAGE" >/dev/null
}

teardown_file() {
    docker_ ps -aq 2>/dev/null | xargs -r /usr/bin/docker \
        -H "unix://$ENGINE_DIR/docker.sock" rm -f >/dev/null 2>&1 || true
    engine_stop
    engine_remove_cgroups docker
}

setup() {
    runbox_setup
    OWN_NAMES+=(docker)
}

teardown() {
    docker_ ps -aq | xargs -r /usr/bin/docker -H "unix://$ENGINE_DIR/docker.sock" \
        rm -f >/dev/null 2>&1 || true
    runbox_teardown
    assert_equal "$(docker_ ps -aq)" ""
    assert_equal "$(find /sys/fs/cgroup -maxdepth 3 -path '*/docker/*' -type d)" ""
}

# The Docker CLI of the package (not another one on PATH), to this dockerd.
docker_() {
    /usr/bin/docker -H "unix://$ENGINE_DIR/docker.sock" "$@"
}

# The cgroup directory of container NAME in CONTROLLER's hierarchy (v1).
docker_cgroup() {
    cgroup_dir "$1" "docker/$(docker_ inspect -f '{{.Id}}' "$2")"
}

# With a terminal: script(1) gives the docker CLI one.
with_tty() {
    script -qec "$*" /dev/null </dev/null
}

@test "docker: info lists runbox; run --rm passes output and exit status" {
    run docker_ info --format '{{json .Runtimes}}'
    assert_output --partial "\"runbox\":{\"path\":\"$RUNBOX\"}"
    run --separate-stderr docker_ run --rm --runtime runbox "$IMAGE" \
        sh -c 'echo hello; cat /proc/self/cgroup; exit 3'
    assert_failure 3
    assert_line hello
    assert_line --regexp '^[0-9]+:pids:/docker/[0-9a-f]{64}$'
}

@test "docker: -d, exec, top, logs, pause and unpause, stop, kill" {
    docker_ run -d --name d1 --runtime runbox "$IMAGE" sh -c \
        'echo started; trap "echo term; exit 0" TERM; while true; do sleep 0.1; done'
    run docker_ exec d1 sh -c 'echo exec-ok; cat /proc/1/cmdline'
    assert_success
    assert_line exec-ok
    run docker_ top d1
    assert_line --index 1 --partial 'sh -c echo started'
    docker_ pause d1
    assert_equal "$(docker_ inspect -f '{{.State.Status}}' d1)" paused
    assert_equal "$(cat "$(docker_cgroup freezer d1)/freezer.state")" FROZEN
    docker_ unpause d1
    assert_equal "$(docker_ inspect -f '{{.State.Status}}' d1)" running
    docker_ stop d1
    assert_equal "$(docker_ inspect -f '{{.State.ExitCode}}' d1)" 0
    run docker_ logs d1
    assert_output "$(printf 'started\nterm')"
    docker_ run -d --name d2 --runtime runbox "$IMAGE" sleep 1000
    docker_ kill d2
    assert_equal "$(docker_ inspect -f '{{.State.ExitCode}}' d2)" 137
}

@test "docker: run -it and exec -it get a terminal" {
    run with_tty /usr/bin/docker -H "unix://$ENGINE_DIR/docker.sock" run --rm -it \
        --runtime runbox "$IMAGE" sh -c "'tty; exit 6'"
    assert_failure 6
    assert_output --regexp '/dev/pts/[0-9]+'
    docker_ run -d --name t1 --runtime runbox "$IMAGE" sleep 1000
    run with_tty /usr/bin/docker -H "unix://$ENGINE_DIR/docker.sock" exec -it t1 \
        sh -c "'tty; exit 5'"
    assert_failure 5
    assert_output --regexp '/dev/pts/[0-9]+'
}

@test "docker: --memory, --pids-limit, --cpus, then update --memory" {
    docker_ run -d --name l1 --runtime runbox --memory 64m --pids-limit 20 \
        --cpus 0.5 "$IMAGE" sleep 1000
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        assert_equal "$(cat "$(docker_cgroup memory l1)/memory.max")" 67108864
        assert_equal "$(cat "$(docker_cgroup pids l1)/pids.max")" 20
        assert_equal "$(cat "$(docker_cgroup cpu l1)/cpu.max")" "50000 100000"
    else
        assert_equal "$(cat "$(docker_cgroup memory l1)/memory.limit_in_bytes")" 67108864
        assert_equal "$(cat "$(docker_cgroup pids l1)/pids.max")" 20
        assert_equal "$(cat "$(docker_cgroup cpu l1)/cpu.cfs_quota_us")" 50000
    fi
    # docker update goes through containerd's shim to runbox update.
    docker_ update --memory 128m --memory-swap 256m l1
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        assert_equal "$(cat "$(docker_cgroup memory l1)/memory.max")" 134217728
    else
        assert_equal "$(cat "$(docker_cgroup memory l1)/memory.limit_in_bytes")" 134217728
    fi
}

@test "docker: --read-only, -v, --user" {
    mkdir "$BATS_TEST_TMPDIR/vol"
    echo volume >"$BATS_TEST_TMPDIR/vol/f"
    # /data is not in the image: its mountpoint is made before the root
    # goes read-only, as runc makes it. One stream inside (2>&1): docker
    # relays stdout and stderr apart, and their lines would interleave.
    run docker_ run --rm --runtime runbox --read-only --user 1000:1000 \
        -v "$BATS_TEST_TMPDIR/vol:/data:ro" "$IMAGE" \
        sh -c 'exec 2>&1; id -u; id -g; cat /data/f; touch /x /data/y; exit 0'
    assert_success
    assert_line --index 0 1000
    assert_line --index 1 1000
    assert_line volume
    assert_line 'touch: /x: Read-only file system'
    assert_line 'touch: /data/y: Read-only file system'
    run docker_ run --rm --runtime runbox -v "$BATS_TEST_TMPDIR/vol:/data" \
        "$IMAGE" sh -c 'echo written >/data/g'
    assert_success
    assert_equal "$(cat "$BATS_TEST_TMPDIR/vol/g")" written
}

@test "docker: a runtime error reaches docker as runbox's one line" {
    run --separate-stderr docker_ run --rm --runtime runbox \
        --sysctl net.ipv4.bogus=1 "$IMAGE" true
    assert_failure 125
    # (With --rm, the CLI adds a line of its own about the wait it gave up.)
    assert_equal "${stderr_lines[0]}" "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runbox: open /proc/sys/net/ipv4/bogus: No such file or directory: unknown."
}
