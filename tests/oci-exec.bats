#!/usr/bin/env bats
# runbox exec, as podman and conmon call runc exec: the process joins the
# container's namespaces and cgroup, runs with its capabilities and
# seccomp filter, passes its exit status on; --detach and --pid-file;
# a terminal sent to a --console-socket (create too); --log; bad input
# refused with one line, exit 1. Host state and leftovers are compared
# before and after every test.
load helper
load oci-helper

teardown() {
    [ -z "${SOCKDIR:-}" ] || rm -rf "$SOCKDIR"
    oci_teardown
}

# A started container ID running sleep, of a config.json with JQ applied;
# its PID in $PID.
running() {
    bundle '["sleep","1000"]' "${2:-.}"
    started "$1" sleep
}

# A unix socket PATH (short: sun_path holds 108 bytes) served by the
# console-socket probe, which types INPUT.
console_socket() {
    SOCKDIR=$(mktemp -d /tmp/runbox-console.XXXXXX)
    SOCK=$SOCKDIR/console.sock
    start_bg "$(probe console-socket)" "$SOCK" "$1"
    for _ in $(seq 100); do
        [ -S "$SOCK" ] && return 0
        sleep 0.05
    done
    fail "the console socket never appeared"
}

# Waits for the probe; its output, without the pty's carriage returns,
# in $output and $lines.
console_output() {
    wait "$BG_PID" || fail "console-socket: $(cat "$BATS_TEST_TMPDIR/bg.out")"
    run sed 's/\r$//' "$BATS_TEST_TMPDIR/bg.out"
}

@test "oci exec: the process joins every namespace and the cgroup" {
    local pid ns
    running x1 '.linux.namespaces += [{type: "cgroup"}]'
    "$RUNBOX" exec --detach --pid-file "$BUNDLE/exec.pid" x1 sleep 500 \
        </dev/null >"$OUT.exec" 2>&1
    pid=$(cat "$BUNDLE/exec.pid")
    wait_for_exec "$pid" sleep
    assert_equal "$(cat "/proc/$pid/comm")" sleep
    for ns in mnt uts ipc net pid cgroup; do
        assert_equal "$(ns_of "$pid" "$ns")" "$(ns_of "$PID" "$ns")"
        [ "$(ns_of "$pid" "$ns")" != "$(ns_of $$ "$ns")" ] ||
            fail "exec is in the host's $ns namespace"
    done
    assert_equal "$(cat "/proc/$pid/cgroup")" "$(cat "/proc/$PID/cgroup")"
    grep -qx "$pid" "$(cgroup_dir pids runbox-oci-x1)/cgroup.procs" ||
        fail "exec is not in the container's cgroup"
    # Inside, it is one more process of the container's PID namespace.
    run "$RUNBOX" exec x1 ps -o pid,comm
    assert_success
    assert_line --regexp '^ *1 sleep$'
}

@test "oci exec: the container's capabilities and seccomp filter, user, cwd, env" {
    local caps
    running x2 '.process.noNewPrivileges = true | .process.capabilities =
        {bounding: ["CAP_KILL", "CAP_CHOWN"], effective: ["CAP_KILL"],
        permitted: ["CAP_KILL"]} | .linux.seccomp = {defaultAction:
        "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir", "mkdirat"],
        action: "SCMP_ACT_ERRNO"}]}'
    caps=$(awk '/^CapEff/ {print $2}' "/proc/$PID/status")
    assert_equal "$caps" 0000000000000020
    run "$RUNBOX" exec x2 awk '/^(CapEff|Seccomp|NoNewPrivs):/ {print $2}' \
        /proc/self/status
    assert_success
    assert_output "$(printf '%s\n1\n2' "$caps")"
    # The container's own filter: mkdir(2) is refused.
    run "$RUNBOX" exec x2 mkdir /tmp/d
    assert_failure
    assert_output --partial "Operation not permitted"
    run "$RUNBOX" exec --user 1000:1001 --cwd /tmp --env FOO=bar x2 \
        sh -c 'id -u; id -g; pwd; echo $FOO; grep ^CapEff /proc/self/status'
    assert_success
    assert_output "$(printf '1000\n1001\n/tmp\nbar\nCapEff:\t0000000000000000')"
}

@test "oci exec: the exit status is passed on" {
    running x3
    run "$RUNBOX" exec x3 sh -c 'echo out; exit 7'
    assert_failure 7
    assert_output out
    run "$RUNBOX" exec x3 sh -c 'kill -TERM $$'
    assert_failure 143
    run -127 --separate-stderr "$RUNBOX" exec x3 /no/such
    assert_one_error 'exec /no/such: No such file or directory'
    # The container lives on.
    assert_equal "$(status_of x3)" running
}

@test "oci exec --process: a runtime-spec process object, as conmon passes" {
    running x4
    jq -n '{args: ["sh", "-c", "id -u; pwd; echo $A; exit 3"], cwd: "/proc",
        env: ["PATH=/bin", "A=from-json"], user: {uid: 42, gid: 42},
        terminal: false}' >"$BUNDLE/process.json"
    run "$RUNBOX" exec --process "$BUNDLE/process.json" x4
    assert_failure 3
    assert_output "$(printf '42\n/proc\nfrom-json')"
}

@test "oci exec --detach --pid-file: returns at once, the process runs on" {
    local pid
    running x5
    # Not through `run`: it would wait for the end of the output that
    # sleep, detached, holds.
    "$RUNBOX" exec -d --pid-file "$BUNDLE/exec.pid" x5 sleep 300 \
        </dev/null >"$OUT.exec" 2>&1
    assert_equal "$(cat "$OUT.exec")" ''
    pid=$(cat "$BUNDLE/exec.pid")
    assert_equal "$(cat "/proc/$pid/comm")" sleep
    # Its parent is no longer runbox, which has exited.
    [ "$(awk '{print $4}' "/proc/$pid/stat")" != "$$" ] || fail "parent"
}

@test "oci exec --tty --console-socket: the pty's master goes to the socket" {
    running x6
    console_socket hello
    run "$RUNBOX" exec --tty --console-socket "$SOCK" x6 \
        sh -c 'tty; [ -t 0 ] && [ -t 2 ] && echo stdio-tty; read l; echo "got $l"'
    assert_success
    console_output
    assert_line --regexp '^/dev/pts/[0-9]+$'
    assert_line stdio-tty
    assert_line 'got hello'
}

@test "oci exec --tty in the foreground: runbox relays the terminal" {
    running x10
    run bash -c 'echo typed | "$1" exec --tty x10 \
        sh -c "tty; read l; echo got \$l; exit 4"' _ "$RUNBOX"
    assert_failure 4
    assert_line --regexp $'^/dev/pts/[0-9]+\r$'
    assert_line $'got typed\r'
}

@test "oci create --console-socket: process.terminal for the container" {
    bundle '["sh","-c","tty; read l; echo got $l"]' '.process.terminal = true'
    console_socket world
    IDS+=(t1)
    "$RUNBOX" create --bundle "$BUNDLE" --console-socket "$SOCK" t1 \
        </dev/null >"$OUT" 2>&1 || fail "create: $(cat "$OUT")"
    "$RUNBOX" start t1
    console_output
    assert_line --regexp '^/dev/pts/[0-9]+$'
    assert_line 'got world'
}

@test "oci exec: a created container takes a process; a paused one is refused" {
    bundle '["sleep","1000"]' '.hostname = "made"'
    create x8
    assert_equal "$(status_of x8)" created
    # Its PID 1 is still runbox, waiting at the exec fifo, in the
    # container's namespaces: the exec'd process sees its hostname and it.
    run --separate-stderr "$RUNBOX" exec x8 sh -c 'hostname; cat /proc/1/comm'
    assert_success
    assert_output "$(printf 'made\nrunbox')"
    assert_equal "$(status_of x8)" created
    "$RUNBOX" start x8
    assert_equal "$(status_of x8)" running
    "$RUNBOX" pause x8
    run --separate-stderr "$RUNBOX" exec x8 true
    assert_failure 1
    assert_one_error 'container x8 is paused: exec needs it created or running'
    "$RUNBOX" resume x8
}

@test "oci exec: a stopped or unknown container, bad options: one line, exit 1" {
    bundle '["true"]'
    create x7
    "$RUNBOX" start x7
    for _ in $(seq 50); do
        [ "$(status_of x7)" = stopped ] && break
        sleep 0.1
    done
    run --separate-stderr "$RUNBOX" exec x7 true
    assert_failure 1
    assert_one_error 'container x7 is stopped: exec needs it created or running'
    run --separate-stderr "$RUNBOX" exec nosuch true
    assert_failure 1
    assert_one_error 'container nosuch does not exist'
    run --separate-stderr "$RUNBOX" exec x7
    assert_failure 1
    assert_one_error 'exec: expected a container id, then a command or --process'
}

@test "oci exec: bad process input: one line, exit 1, nothing runs" {
    running x8
    run --separate-stderr "$RUNBOX" exec --user me x8 true
    assert_failure 1
    assert_one_error 'exec: --user me: expected UID\[:GID\]'
    run --separate-stderr "$RUNBOX" exec --console-socket /nonexistent x8 true
    assert_failure 1
    assert_one_error 'exec: --console-socket needs --tty or process.terminal'
    run --separate-stderr "$RUNBOX" exec --tty --detach x8 true
    assert_failure 1
    assert_one_error 'exec: a terminal with --detach needs --console-socket'
    echo '{"args": "sh"}' >"$BUNDLE/process.json"
    run --separate-stderr "$RUNBOX" exec --process "$BUNDLE/process.json" x8
    assert_failure 1
    assert_one_error 'process.args: expected array, got string'
    run --separate-stderr "$RUNBOX" exec --process "$BUNDLE/none.json" x8
    assert_failure 1
    assert_one_error 'none.json: No such file or directory'
    run --separate-stderr "$RUNBOX" exec --cwd /no/dir x8 true
    assert_failure 1
    assert_one_error 'chdir /no/dir: No such file or directory'
    # Nothing of these is left in the container: sleep alone.
    run "$RUNBOX" exec x8 ps -o comm
    assert_output "$(printf 'COMMAND\nsleep\nps')"
}

@test "oci --log FILE --log-format json: errors as JSON lines, for conmon" {
    local log=$BATS_TEST_TMPDIR/log.json
    run --separate-stderr "$RUNBOX" --log "$log" --log-format json \
        exec nosuch true
    assert_failure 1
    assert_one_error 'container nosuch does not exist'
    assert_equal "$(jq -r .level "$log")" error
    assert_equal "$(jq -r .msg "$log")" 'runbox: container nosuch does not exist'
    [[ $(jq -r .time "$log") =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$ ]] ||
        fail "time is not RFC 3339: $(cat "$log")"
    run --separate-stderr "$RUNBOX" --log "$log" --log-format yaml list
    assert_failure 1
    assert_one_error 'log-format yaml: expected text or json'
}

@test "oci --log: the container's own stderr is not the log's" {
    local log=$BATS_TEST_TMPDIR/log.txt
    running x9
    run --separate-stderr "$RUNBOX" --log "$log" exec x9 sh -c 'echo err >&2'
    assert_success
    assert_equal "$stderr" err
    [ ! -s "$log" ] || fail "the log has: $(cat "$log")"
}

@test "oci --log: the error of an exec'd process that cannot start reaches the log, once (containerd, Docker)" {
    local log=$BATS_TEST_TMPDIR/log.json
    running x10
    # The child past close_range(2) has no log fd: runbox prints its line.
    run -127 --separate-stderr "$RUNBOX" --log "$log" --log-format json \
        exec x10 /no/such/command
    assert_one_error '^runbox: exec /no/such/command: No such file or directory$'
    assert_equal "$(jq -r .msg "$log")" \
        'runbox: exec /no/such/command: No such file or directory'
    # --detach, as containerd's shim asks: the same line, the same status.
    run -127 --separate-stderr "$RUNBOX" --log "$log.2" --log-format json \
        exec --detach x10 /no/such/command
    assert_one_error '^runbox: exec /no/such/command: No such file or directory$'
    assert_equal "$(jq -r .msg "$log.2")" \
        'runbox: exec /no/such/command: No such file or directory'
    # A setup failure of the child too: 125's line.
    run --separate-stderr "$RUNBOX" --log "$log.3" exec --cwd /no/dir x10 true
    assert_failure 1
    assert_one_error 'chdir /no/dir: No such file or directory$'
    assert_regex "$(cat "$log.3")" ' error runbox: chdir /no/dir: No such file or directory$'
    assert_equal "$(wc -l <"$log.3")" 1
}
