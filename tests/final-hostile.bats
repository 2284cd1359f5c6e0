#!/usr/bin/env bats
# runbox against a hostile image: each test performs an attack that worked
# against an earlier runbox (and against runc or crun before their fixes),
# and fails while it works. Chapter 08 ("A hostile image") tells each one.
load helper
load oci-helper

# oci_setup() is setup(); the tests may leave one directory to remove.
teardown() {
    oci_teardown
    if [ -n "${TO_REMOVE:-}" ]; then
        rm -rf "$TO_REMOVE"
    fi
}

# A copy of runbox for the attacks that try to rewrite it: the build's own
# binary is never at risk.
copy_runbox() {
    COPY=$BATS_TEST_TMPDIR/runbox
    cp "$RUNBOX" "$COPY"
    COPY_SUM=$(sha256sum <"$COPY")
}

assert_copy_unchanged() {
    [ "$(sha256sum <"$COPY")" = "$COPY_SUM" ] ||
        fail "the runtime's file on the host was rewritten from inside"
}

# Under AddressSanitizer (make SANITIZE=1), runbox run inside the image
# must be told that a preloaded library may come before the sanitizer's.
asan_env() {
    if ldd "$RUNBOX" | grep -q libasan; then
        echo "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0"
    else
        echo "RUNBOX_TEST=1"
    fi
}

# The image of CVE-2019-5736: the host's loader and the libraries runbox
# needs (so that runbox can run inside it), /bin/sh a symlink to
# /proc/self/exe, and in /etc/ld.so.preload a library that keeps an fd of
# /proc/self/exe and hands it to /bin/overwrite. /out is where the probe
# reports, a directory of the test bound into the container.
hostile_image() {
    local lib
    IMAGE=$BATS_TEST_TMPDIR/image
    REPORT=$BATS_TEST_TMPDIR/report
    mkdir "$IMAGE" "$REPORT" && cp -a "$ROOTFS/." "$IMAGE"
    for lib in $(ldd "$RUNBOX" | grep -o '/[^ ]*'); do
        mkdir -p "$IMAGE$(dirname "$lib")"
        cp -L "$lib" "$IMAGE$lib"
    done
    cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$IMAGE/lib/exe-preload.so" \
        "$TOP/tests/attacks/exe-preload.c"
    echo /lib/exe-preload.so >"$IMAGE/etc/ld.so.preload"
    cp "$(probe overwrite)" "$IMAGE/bin/overwrite"
    ln -sf /proc/self/exe "$IMAGE/bin/sh"
    mkdir "$IMAGE/out"
}


bundle_with_image() {
    jq --arg image "$IMAGE" --arg report "$REPORT" --arg env "$(asan_env)" \
        "$1 | .process.env += [\$env]" \
        "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
    mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# runbox create and start of ID, ARGS (JSON) in the hostile image, with the
# report directory on /out, by the copy of runbox.
start_hostile() {
    bundle "$2"
    bundle_with_image '.root.path = $image | .mounts += [{destination: "/out",
        type: "bind", source: $report, options: ["rbind", "rw"]}]'
    IDS+=("$1")
    "$COPY" create --bundle "$BUNDLE" "$1" </dev/null >"$OUT" 2>&1
    "$COPY" start "$1"
}

# The probe's verdict, once it has one (it tries for up to 10 s).
report() {
    local _
    for _ in $(seq 150); do
        [ -e "$REPORT/result" ] && break
        sleep 0.1
    done
    cat "$REPORT/result" 2>/dev/null || fail "the probe never reported"
}

@test "hostile image: CVE-2019-5736 through create and start cannot rewrite runbox" {
    copy_runbox
    hostile_image
    start_hostile exe-create '["/bin/sh"]'
    run report
    assert_output "BLOCKED write: Operation not permitted"
    assert_copy_unchanged
}

@test "hostile image: CVE-2019-5736 through exec cannot rewrite runbox" {
    copy_runbox
    hostile_image
    start_hostile exe-exec '["/bin/busybox", "sleep", "100"]'
    wait_for_exec "$("$COPY" state exe-exec | jq .pid)" busybox
    "$COPY" exec exe-exec /bin/sh </dev/null
    run report
    assert_output "BLOCKED write: Operation not permitted"
    assert_copy_unchanged
}

@test "hostile image: CVE-2019-5736 through runbox run finds runbox busy, even when runbox is killed" {
    local writer _
    copy_runbox
    hostile_image
    # runbox run needs no sealed copy: while any process of the container
    # lives, runbox (or its guard) executes the file, and the kernel
    # refuses to open it for writing.
    run "$COPY" run -r "$IMAGE" -v "$REPORT:/out" -e "$(asan_env)" /bin/sh
    run report
    assert_output "BLOCKED open: Text file busy"
    assert_copy_unchanged
    rm "$REPORT/result"
    # SIGKILL to runbox, while the probe retries: the guard takes the
    # container down before the file is ever free.
    start_bg "$COPY" run -r "$IMAGE" -v "$REPORT:/out" -e "$(asan_env)" /bin/sh
    for _ in $(seq 50); do
        writer=$(pgrep -x overwrite) && break
        sleep 0.1
    done
    [ -n "$writer" ] || fail "the payload never ran"
    kill -KILL "${BG_PIDS[-1]}"
    for _ in $(seq 50); do
        [ -e "/proc/$writer" ] || break
        sleep 0.1
    done
    [ ! -e "/proc/$writer" ] || fail "the container outlived runbox"
    assert_copy_unchanged
    [ ! -e "$REPORT/result" ] || assert_equal "$(cat "$REPORT/result")" "BLOCKED open: Text file busy"
}

@test "hostile image: every process of the OCI commands runs from a sealed copy, never from runbox's file" {
    local pid
    bundle '["sleep", "100"]'
    create sealed || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$("$RUNBOX" state sealed | jq .pid)
    # PID 1, waiting for runbox start, is runbox until its execve(2).
    assert_equal "$(readlink "/proc/$pid/exe")" "/memfd:runbox (deleted)"
    # The process name stays runbox's: runbox cleanup finds runboxes by it.
    assert_equal "$(cat "/proc/$pid/comm")" runbox
}

@test "hostile image: runbox run types nothing into the caller's shell (TIOCSTI)" {
    local root
    root=$(rootfs_with_probes escape)
    in_a_terminal "$RUNBOX" run -r "$root" /bin/escape tiocsti 'echo INJECTED
'
    assert_line --partial "BLOCKED tiocsti: Operation not permitted"
    assert_line --regexp '^the shell read: ?.?$'
    # Its own session: no controlling terminal, /dev/tty opens none.
    in_a_terminal "$RUNBOX" run -r "$root" sh -c 'echo x >/dev/tty'
    assert_line --partial "can't create /dev/tty: No such device or address"
}

@test "hostile image: runbox exec types nothing into the caller's shell (TIOCSTI)" {
    local root
    root=$(rootfs_with_probes escape)
    bundle '["sleep", "100"]' '.root.path = "'"$root"'"'
    started tiocsti sleep
    in_a_terminal "$RUNBOX" exec tiocsti /bin/escape tiocsti 'echo INJECTED
'
    assert_line --partial "BLOCKED tiocsti: Operation not permitted"
    assert_line --regexp '^the shell read: ?.?$'
}

@test "hostile image: PID 1, waiting for runbox start, is not dumpable" {
    local root pid
    # Root of the user namespace (uid 100000) must reach the rootfs.
    root=$(mktemp -d /tmp/runbox-hostile.XXXXXX)
    TO_REMOVE=$root
    chmod 755 "$root"
    cp -a "$(rootfs_with_probes escape)/." "$root"
    bundle '["sleep", "100"]' '.root.path = "'"$root"'"
        | .linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    create dumpable || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$("$RUNBOX" state dumpable | jq .pid)
    # The kernel's view: a dumpable process's /proc files are its own
    # (uid 100000); those of one that is not are root's (proc(5),
    # /proc/pid: "PR_SET_DUMPABLE"), and ptrace(2) by the container's
    # processes, /proc/1/mem and /proc/1/exe with it, is refused.
    assert_equal "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" 100000
    assert_equal "$(stat -c %u "/proc/$pid/mem")" 0
    run "$RUNBOX" exec dumpable /bin/escape proc-mem 1
    assert_output --regexp '^BLOCKED proc-mem: '
    "$RUNBOX" start dumpable
    wait_for_exec "$pid" sleep
    # CMD is dumpable again, as any process (execve(2)).
    assert_equal "$(stat -c %u "/proc/$pid/mem")" 100000
}

@test "hostile image: a process of the container cannot open runbox exec's process" {
    local root i
    root=$(rootfs_with_probes escape)
    # PID 1 watches for a runtime process it can open, for 8 s; the
    # seccomp profile, compiled after the capabilities go, widens the
    # window between them and execve(2) to a millisecond or so.
    bundle '["/bin/escape", "proc-mem-race", "8"]' '.root.path = "'"$root"'"
        | .process.noNewPrivileges = true
        | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [range(1; 400) | {names: ["personality"],
                action: "SCMP_ACT_ERRNO",
                args: [{index: 0, value: ., op: "SCMP_CMP_EQ"}]}]}'
    started race escape
    for i in $(seq 60); do
        "$RUNBOX" exec race /bin/true || break
    done
    for i in $(seq 100); do
        [ "$(status_of race)" = stopped ] && break
        sleep 0.1
    done
    run cat "$OUT"
    assert_output "BLOCKED proc-mem-race: no runtime process was ever open"
}

@test "hostile image: the container dies with runbox even after CMD changes credentials" {
    local root runbox sleeper pid _
    root=$(rootfs_with_probes escape)
    start_bg "$RUNBOX" run -r "$root" /bin/escape drop-deathsig sleep 1000
    runbox=${BG_PIDS[-1]}
    for _ in $(seq 50); do
        for pid in $(pgrep -P "$runbox"); do
            [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && sleeper=$pid
        done
        [ -n "${sleeper:-}" ] && break
        sleep 0.1
    done
    [ -n "${sleeper:-}" ] || fail "CMD never ran"
    # The kernel cleared the container's own tie to runbox.
    assert_equal "$(awk '/^Uid:/ {print $2}' "/proc/$sleeper/status")" 0
    kill -KILL "$runbox"
    for _ in $(seq 50); do
        [ -e "/proc/$sleeper" ] || break
        sleep 0.1
    done
    [ ! -e "/proc/$sleeper" ] || fail "the container outlived runbox"
    # ... and what runbox made on the host went with it.
    for _ in $(seq 50); do
        [ -z "$(find /sys/fs/cgroup -maxdepth 2 -name "runbox-$runbox")" ] && break
        sleep 0.1
    done
    assert_equal "$(find /sys/fs/cgroup -maxdepth 2 -name "runbox-$runbox")" ""
    assert_equal "$(pgrep -P 1 -f "runbox run -r $root" || true)" ""
}

@test "hostile image: no mount covers /proc or lands inside it (CVE-2019-16884)" {
    local src=$BATS_TEST_TMPDIR/fake-proc root
    mkdir -p "$src/self/attr"
    touch "$src/self/attr/exec" "$src/self/oom_score_adj"
    # A config.json that covers /proc would have runbox write the LSM label
    # and oom_score_adj into the image's files, and apply neither.
    bundle '["true"]' '.mounts += [{destination: "/proc", type: "bind",
        source: "'"$src"'", options: ["rbind"]}]'
    bad_bundle p1 'mounts\[6\]: /proc: only a proc may cover /proc, and nothing inside it$'
    bundle '["true"]' '.mounts += [{destination: "//proc/./self/../sys", type: "tmpfs",
        source: "tmpfs"}]'
    bad_bundle p2 'only a proc may cover /proc, and nothing inside it$'
    # The files lxcfs emulates may be covered, as with runc.
    bundle '["cat", "/proc/uptime"]' '.mounts += [{destination: "/proc/uptime",
        type: "bind", source: "'"$src"'/self/oom_score_adj", options: ["bind"]}]'
    run "$RUNBOX" run --bundle "$BUNDLE" p3
    assert_success
    assert_output ""
    run -125 --separate-stderr "$RUNBOX" run -v "$src:/proc" true
    assert_one_error '^runbox: --volume .*: DST may not be /proc or inside it$'
    # A symlink of the image that leads into /proc is no way around it.
    root=$(rootfs_with_probes)
    ln -s /proc/self "$root/innocent"
    bundle '["true"]' '.root.path = "'"$root"'" | .mounts += [{destination: "/innocent",
        type: "bind", source: "'"$src"'", options: ["rbind"]}]'
    bad_bundle p4 '^runbox: /innocent in the container leads into /proc: no mount may cover it$'
}
