#!/usr/bin/env bats
# runbox as an OCI runtime, driven as podman and conmon drive runc: a
# bundle's config.json, create -> created -> start -> running -> kill ->
# stopped -> delete, the fields of config.json seen from inside, and bad
# bundles refused with one line and nothing made. Host state and runbox's
# leftovers are compared before and after every test.
load helper
load oci-helper

@test "oci: create, created, start, running, kill, stopped, delete" {
    local pid
    bundle '["sleep","1000"]'
    create c1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    assert_equal "$(status_of c1)" created
    pid=$("$RUNBOX" state c1 | jq .pid)
    assert_equal "$(cat "$BUNDLE/pid")" "$pid"
    # Held on the fifo: not yet the command, but already in its namespaces.
    assert_equal "$(cat "/proc/$pid/comm")" runbox
    [ "$(ns_of "$pid" pid)" != "$(ns_of $$ pid)" ] || fail "the host's pid ns"
    assert_equal "$(cat "$(cgroup_dir pids runbox-oci-c1)/cgroup.procs")" "$pid"
    "$RUNBOX" start c1
    wait_for_exec "$pid" sleep
    assert_equal "$(status_of c1)" running
    "$RUNBOX" kill c1 KILL
    for _ in $(seq 50); do
        [ "$(status_of c1)" = stopped ] && break
        sleep 0.1
    done
    assert_equal "$(status_of c1)" stopped
    run "$RUNBOX" state c1
    refute_output --partial '"pid"'
    "$RUNBOX" delete c1
    [ ! -e /run/runbox/oci ] || fail "/run/runbox/oci is left"
    run --separate-stderr "$RUNBOX" state c1
    assert_failure 1
    assert_one_error 'container c1 does not exist'
}

@test "oci: the fields of config.json, seen from inside" {
    local script
    mkdir "$BATS_TEST_TMPDIR/data"
    echo marker >"$BATS_TEST_TMPDIR/data/m"
    script='id -u; id -g; pwd; hostname; echo "$FOO"; cat /root/m;
        touch /root/x 2>/dev/null || echo read-only'
    bundle "$(jq -nc --arg s "$script" '["sh","-c",$s]')" '
        .process.user = {uid: 1000, gid: 1001} | .process.cwd = "/tmp"
        | .process.env += ["FOO=bar"] | .hostname = "web-1"
        | .mounts += [{destination: "/root", type: "bind",
            source: "'"$BATS_TEST_TMPDIR/data"'", options: ["rbind", "ro"]}]
        | .unknownField = {anything: 1}'
    run "$RUNBOX" run --bundle "$BUNDLE" f1
    assert_success
    assert_equal "$output" "$(printf '1000\n1001\n/tmp\nweb-1\nbar\nmarker\nread-only')"
    [ ! -e "$BATS_TEST_TMPDIR/data/x" ] || fail "the read-only bind was written"
}

@test "oci: linux.resources become the cgroup's limits" {
    local pid
    bundle '["sleep","1000"]' '.linux.resources = {memory: {limit: 67108864},
        pids: {limit: 42}, cpu: {quota: 50000, period: 100000}}'
    create r1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    assert_cgroup_limits runbox-oci-r1 "$pid" 42 67108864 50000
}

@test "oci: linux.cgroupsPath names the cgroup; the parents runbox made go with it" {
    local pid
    bundle '["sleep","1000"]' '.linux.cgroupsPath = "/runbox-oci-parent/a/p1"
        | .linux.resources.pids.limit = 7'
    create p1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    assert_equal "$(cat "$(cgroup_dir pids runbox-oci-parent/a/p1)/pids.max")" 7
    assert_equal "$(cat "$(cgroup_dir pids runbox-oci-parent/a/p1)/cgroup.procs")" "$pid"
    # A second container in the same parents: p1 made them, and removes
    # them once they are empty. Had p1 gone first, they would stay, as
    # runc leaves every parent.
    bundle '["sleep","1000"]' '.linux.cgroupsPath = "/runbox-oci-parent/a/p2"'
    create p2 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    "$RUNBOX" delete --force p2
    [ ! -e "$(cgroup_dir pids runbox-oci-parent/a/p2)" ] || fail "p2 is left"
    [ -d "$(cgroup_dir pids runbox-oci-parent/a/p1)" ] || fail "p1 is gone"
    "$RUNBOX" delete --force p1
    [ ! -e "$(cgroup_dir pids runbox-oci-parent)" ] || fail "a parent is left"
}

@test "oci: a parent that was there before stays; a failed create leaves none" {
    mkdir "$(cgroup_dir pids runbox-oci-parent)"
    bundle '["sleep","1000"]' '.linux.cgroupsPath = "/runbox-oci-parent/a/p3"'
    create p3 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    "$RUNBOX" delete --force p3
    [ ! -e "$(cgroup_dir pids runbox-oci-parent/a)" ] || fail "a is left"
    [ -d "$(cgroup_dir pids runbox-oci-parent)" ] || fail "the old parent is gone"
    rmdir "$(cgroup_dir pids runbox-oci-parent)"
    # The kernel refuses the limit once the cgroups are made.
    bundle '["true"]' '.linux.cgroupsPath = "/runbox-oci-parent/b/p4"
        | .linux.resources.cpu.cpus = "4096"'
    run create p4
    assert_failure 1
    run find /sys/fs/cgroup -maxdepth 2 -name runbox-oci-parent
    assert_output ""
}

@test "oci: a cgroupsPath that leads out of the cgroup tree is refused" {
    bundle '["true"]' '.linux.cgroupsPath = "/a/../../etc"'
    bad_bundle c1 'config.json: linux.cgroupsPath: not a cgroup path'
}

# A hook that keeps its stdin (the state JSON) in $BATS_TEST_TMPDIR/NAME.
hook() {
    jq -nc --arg f "$BATS_TEST_TMPDIR/$1" '{path: "/bin/sh",
        args: ["sh", "-c", "cat >\($f)"], timeout: 5}'
}

@test "oci: hooks get the state on stdin: prestart, poststart, poststop" {
    local pid
    bundle '["sleep","1000"]' ".hooks = {prestart: [$(hook prestart)],
        poststart: [$(hook poststart)], poststop: [$(hook poststop)]}
        | .annotations = {\"org.example\": \"yes\"}"
    create h1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    assert_equal "$(jq -r '.status, .pid, .id, .annotations["org.example"]' \
        "$BATS_TEST_TMPDIR/prestart")" "$(printf 'created\n%s\nh1\nyes' "$pid")"
    [ ! -e "$BATS_TEST_TMPDIR/poststart" ] || fail "poststart ran at create"
    "$RUNBOX" start h1
    assert_equal "$(jq -r .status "$BATS_TEST_TMPDIR/poststart")" running
    "$RUNBOX" delete --force h1
    assert_equal "$(jq -r .status "$BATS_TEST_TMPDIR/poststop")" stopped
}

@test "oci: a failing prestart hook fails create, and leaves nothing" {
    bundle '["sleep","1000"]' '.hooks.prestart = [{path: "/bin/false"}]'
    run --separate-stderr "$RUNBOX" create --bundle "$BUNDLE" h2
    assert_failure 1
    assert_one_error '^runbox: hook /bin/false: failed with status 1$'
    [ ! -e /run/runbox/oci/h2 ] || fail "state of h2 is left"
    bundle '["true"]' '.hooks.poststart = [{path: "bin/true"}]'
    bad_bundle h3 'config.json: hooks.poststart\[0\].path: expected an absolute path'
    bundle '["true"]' '.hooks = {prestart: 5}'
    bad_bundle h5 '^runbox: config.json: hooks.prestart: expected an array$'
}

@test "oci: run passes the exit status, and a signal's 128+N" {
    local rc
    bundle '["sh","-c","exit 3"]'
    run "$RUNBOX" run --bundle "$BUNDLE" e1
    assert_failure 3
    # PID 1 of a namespace gets only the signals it handles, and SIGKILL:
    # pid_namespaces(7).
    bundle '["sleep","1000"]'
    run_in_background e2
    "$RUNBOX" kill e2 KILL
    rc=0
    wait "$BG_PID" || rc=$?
    BG_PIDS=()
    assert_equal "$rc" 137
}

@test "oci: run relays SIGTERM to the container, and leaves nothing" {
    local rc pid
    bundle '["sh","-c","trap \"exit 7\" TERM; while :; do sleep 0.1; done"]'
    run_in_background t1
    # The shell has set its trap once it runs its loop: a sleep is there.
    pid=$("$RUNBOX" state t1 | jq .pid)
    for _ in $(seq 50); do
        pgrep -P "$pid" >/dev/null && break
        sleep 0.1
    done
    kill -TERM "$BG_PID"
    rc=0
    wait "$BG_PID" || rc=$?
    BG_PIDS=()
    assert_equal "$rc" 7
    run "$RUNBOX" state t1
    assert_failure 1
}

@test "oci: a writable root is the bundle's own, written in place" {
    local root
    root=$(rootfs_with_probes)
    bundle '["sh","-c","echo hi >/written"]' \
        ".root = {path: \"$root\", readonly: false}"
    run "$RUNBOX" run --bundle "$BUNDLE" w1
    assert_success
    assert_equal "$(cat "$root/written")" hi
}

@test "oci: delete refuses a running container; --force kills it" {
    bundle '["sleep","1000"]'
    create d1
    "$RUNBOX" start d1
    run --separate-stderr "$RUNBOX" delete d1
    assert_failure 1
    assert_one_error 'container d1 is running: kill it first, or delete --force'
    "$RUNBOX" delete --force d1
    run "$RUNBOX" delete --force d1
    assert_success
}

@test "oci: a created container can be deleted without ever running" {
    bundle '["sh","-c","echo ran"]'
    create d2
    "$RUNBOX" delete --force d2
    [ ! -s "$OUT" ] || fail "the command ran: $(cat "$OUT")"
}

# runbox create ID, its process stopped, and runbox start ID in the
# background, given time to try: PID and START. A stopped process is out
# of its open(2) of the fifo (the signal interrupts it; it opens again
# once continued): to start, a process not at the fifo yet.
start_stopped() {
    create "$1" || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    PID=$(cat "$BUNDLE/pid")
    kill -STOP "$PID"
    "$RUNBOX" start "$1" 2>"$BATS_TEST_TMPDIR/start-err" &
    START=$!
    sleep 0.3
}

@test "oci: start waits for a process that is not at the fifo yet, and says so if it dies first" {
    local started=0
    bundle '["sleep","1000"]'
    start_stopped w1
    kill -0 "$START" 2>/dev/null || fail "start returned before the process was at the fifo"
    # Not runbox state: start holds the container's lock while it waits.
    [ -p /run/runbox/oci/w1/exec.fifo ] || fail "the fifo is gone: the process was let go"
    kill -CONT "$PID"
    wait "$START" || fail "start: $(cat "$BATS_TEST_TMPDIR/start-err")"
    wait_for_exec "$PID" sleep
    assert_equal "$(status_of w1)" running
    "$RUNBOX" delete --force w1

    start_stopped w2
    kill -KILL "$PID"
    wait "$START" || started=$?
    assert_equal "$started" 1
    assert_equal "$(cat "$BATS_TEST_TMPDIR/start-err")" \
        "runbox: container w2 exited before it was started"
    "$RUNBOX" delete w2
}

@test "oci: an id in use, start twice, kill a stopped one: one line each" {
    bundle '["true"]'
    create s1
    run --separate-stderr "$RUNBOX" create --bundle "$BUNDLE" s1
    assert_failure 1
    assert_one_error 'container s1 exists'
    "$RUNBOX" start s1
    for _ in $(seq 50); do
        [ "$(status_of s1)" = stopped ] && break
        sleep 0.1
    done
    run --separate-stderr "$RUNBOX" start s1
    assert_failure 1
    assert_one_error 'container s1 is stopped, not created'
    run --separate-stderr "$RUNBOX" kill s1
    assert_failure 1
    assert_one_error 'kill s1: container not running$'
    "$RUNBOX" delete s1
}

@test "oci: --root keeps the state elsewhere; list shows it" {
    local root=$BATS_TEST_TMPDIR/state
    bundle '["sleep","1000"]'
    OTHER_ROOTS+=("$root")
    "$RUNBOX" --root "$root" create --bundle "$BUNDLE" l1 </dev/null >"$OUT" 2>&1
    [ -d "$root/oci/l1" ] || fail "no state in $root"
    run "$RUNBOX" --root "$root" list
    assert_line --index 1 --regexp '^l1 +[0-9]+ +created +'"$BUNDLE"
    run "$RUNBOX" state l1
    assert_failure 1
    "$RUNBOX" --root "$root" delete --force l1
    [ ! -e "$root/oci" ] || fail "$root/oci is left"
}

@test "oci: --root is made with its parents, 0700; one that is not ours alone is refused" {
    local top=$BATS_TEST_TMPDIR/top d
    bundle '["sleep","1000"]'
    OTHER_ROOTS+=("$top/a/b")
    "$RUNBOX" --root "$top/a/b" create --bundle "$BUNDLE" r1 </dev/null >"$OUT" 2>&1
    for d in "$top" "$top/a"; do
        assert_equal "$(stat -c %a "$d")" 700
    done
    # 0711 once mount.c has made its directory there (for user namespaces).
    assert_regex "$(stat -c %a "$top/a/b")" '^7[01][01]$'
    "$RUNBOX" --root "$top/a/b" delete --force r1
    # The attack: a link planted where the root will be, to a directory of
    # the attacker's; or a root that others may write, or another's.
    mkdir "$BATS_TEST_TMPDIR/theirs"
    ln -s "$BATS_TEST_TMPDIR/theirs" "$BATS_TEST_TMPDIR/link"
    run --separate-stderr "$RUNBOX" --root "$BATS_TEST_TMPDIR/link" create \
        --bundle "$BUNDLE" r2
    assert_failure 1
    assert_one_error "^runbox: --root $BATS_TEST_TMPDIR/link: a symbolic link, not a directory\$"
    assert_equal "$(ls -A "$BATS_TEST_TMPDIR/theirs")" ""
    mkdir -m 0777 "$BATS_TEST_TMPDIR/open"
    run --separate-stderr "$RUNBOX" --root "$BATS_TEST_TMPDIR/open" create \
        --bundle "$BUNDLE" r3
    assert_failure 1
    assert_one_error 'open: writable by others \(mode 777\)$'
    mkdir -m 0700 "$BATS_TEST_TMPDIR/other"
    chown 1000 "$BATS_TEST_TMPDIR/other"
    run --separate-stderr "$RUNBOX" --root "$BATS_TEST_TMPDIR/other" create \
        --bundle "$BUNDLE" r4
    assert_failure 1
    assert_one_error 'other: owned by uid 1000, not by runbox.s 0$'
    touch "$BATS_TEST_TMPDIR/file"
    run --separate-stderr "$RUNBOX" --root "$BATS_TEST_TMPDIR/file" create \
        --bundle "$BUNDLE" r5
    assert_failure 1
    assert_one_error 'file: not a directory$'
    for d in open other; do
        assert_equal "$(ls -A "$BATS_TEST_TMPDIR/$d")" ""
    done
}

@test "oci: --pid-file and --log never write through a link planted at their path" {
    local victim=$BATS_TEST_TMPDIR/victim pid
    echo precious >"$victim"
    bundle '["sleep","1000"]'
    # The attack: a symbolic link at the pid file's path, one dangling to
    # where a new file would do harm, and one at the log's path.
    ln -s "$victim" "$BUNDLE/pid"
    ln -s "$BATS_TEST_TMPDIR/planted" "$BUNDLE/pid2"
    IDS+=(p1 p2)
    "$RUNBOX" --log "$BUNDLE/pid2" --log-format json create --bundle "$BUNDLE" \
        --pid-file "$BUNDLE/pid" p1 </dev/null >"$OUT" 2>&1
    assert_equal "$(cat "$victim")" precious
    [ ! -L "$BUNDLE/pid" ] || fail "the link is still there"
    pid=$(cat "$BUNDLE/pid")
    assert_equal "$(status_of p1)" created
    assert_equal "$("$RUNBOX" state p1 | jq .pid)" "$pid"
    [ ! -e "$BATS_TEST_TMPDIR/planted" ] || fail "the log went through the link"
    # A hard link (another name of the victim) at the log's path.
    rm "$BUNDLE/pid2"
    ln "$victim" "$BUNDLE/log"
    run --separate-stderr "$RUNBOX" --log "$BUNDLE/log" --log-format json state p0
    assert_failure 1
    assert_equal "$(cat "$victim")" precious
    assert_equal "$(jq -r .msg "$BUNDLE/log")" "runbox: container p0 does not exist"
    # The log of earlier commands stays: a second error is appended.
    run --separate-stderr "$RUNBOX" --log "$BUNDLE/log" --log-format json state p9
    assert_equal "$(jq -r .msg "$BUNDLE/log" | tail -1)" "runbox: container p9 does not exist"
    assert_equal "$(wc -l <"$BUNDLE/log")" 2
    # Nothing else in the bundle: the temporary files are gone.
    assert_equal "$(ls -A "$BUNDLE" | sort | tr '\n' ' ')" "config.json log pid "
}

@test "oci: runbox cleanup leaves a created container alone" {
    bundle '["sleep","1000"]'
    create k1
    run "$RUNBOX" cleanup
    assert_success
    assert_output ''
    assert_equal "$(status_of k1)" created
}

@test "oci: bad bundles: one line naming the field, exit 1, nothing left" {
    bad_bundle b1 'config.json: No such file or directory'
    run --separate-stderr "$RUNBOX" create --bundle /nonexistent b0
    assert_failure 1
    assert_one_error '^runbox: --bundle /nonexistent: No such file or directory$'
    echo '{"process": ' >"$BUNDLE/config.json"
    bad_bundle b2 '^runbox: config.json: not JSON: '
    bundle '"sh"'
    bad_bundle b3 'config.json: process.args: expected array, got string'
    bundle '[]'
    bad_bundle b4 'config.json: process.args: expected at least 1 strings'
    bundle '["sh"]' '.process.user.uid = "0"'
    bad_bundle b5 'config.json: process.user.uid: expected int, got string'
    bundle '["sh"]' '.root.path = "/nonexistent"'
    bad_bundle b6 'config.json: root.path /nonexistent: No such file or directory'
    bundle '["sh"]' '.process.cwd = "tmp"'
    bad_bundle b7 'config.json: process.cwd: not an absolute path'
    bundle '["sh"]' '.linux.resources.pids.limit = 1.5'
    bad_bundle b8 'config.json: linux.resources.pids.limit: expected int, got double'
    bundle '["sh"]' '.linux.namespaces += [{type: "network"}]'
    bad_bundle b9 'linux.namespaces\[5\].type: network is listed twice'
    bundle '["sh"]' '.mounts += [{destination: "x", type: "tmpfs"}]'
    bad_bundle b10 'config.json: mounts\[6\].destination: expected an absolute path'
    bundle '["sh"]'
    bad_bundle 'bad/id' "container id 'bad/id': expected 1 to 64 letters"
    bad_bundle '.hidden' "container id '.hidden': expected"
}
