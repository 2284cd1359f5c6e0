#!/usr/bin/env bats
# The contract every step keeps (docs/contract.md): CMD's exit status is passed on,
# 126 and 127 as in the shell, 128+N for a signal, 125 and one line for a
# usage or runtime error, and nothing left behind by a failure.
load helper

setup() {
    requires root rootfs
}

# Runs `stepNN run ARGS...` for each step in $STEPS (default: every step),
# expecting STATUS each time.
each_step_exits() {
    local status_expected=$1 n
    shift
    for n in ${STEPS:-$(all_steps)}; do
        run --separate-stderr "$(step "$n")" run "$@"
        [ "$status" = "$status_expected" ] ||
            fail "step$n run $*: status $status, expected $status_expected (stderr: $stderr)"
    done
}

@test "every step passes on CMD's own exit status" {
    each_step_exits 0 sh -c 'exit 0'
    each_step_exits 3 sh -c 'exit 3'
    each_step_exits 124 sh -c 'exit 124'
}

@test "every step passes CMD's output and input through" {
    local n
    for n in $(all_steps); do
        run "$(step "$n")" run sh -c 'read -r line; echo "got $line"' <<<"hello"
        assert_success
        assert_output "got hello"
    done
}

# Sent from the host: inside a PID namespace (step03 on), CMD is init, and
# init gets only the signals it handles, except SIGKILL from outside.
@test "a CMD killed by signal N exits 128+N" {
    local n cmd status_got
    for n in $(all_steps); do
        start_bg "$(step "$n")" run sleep 1000
        cmd=$(child_of "$BG_PID")
        wait_for_exec "$cmd" sleep
        kill -KILL "$cmd"
        status_got=0
        wait "$BG_PID" || status_got=$?
        [ "$status_got" = 137 ] || fail "step$n: status $status_got, expected 137"
    done
    # Before step03, CMD is no init: it dies of a signal it sends itself.
    STEPS='01 02' each_step_exits 143 sh -c 'kill -TERM $$'
}

@test "a CMD that is not found exits 127 with one line naming it" {
    local n
    for n in $(all_steps); do
        run -127 --separate-stderr "$(step "$n")" run no-such-command-here
        assert_one_error "^step$n: exec no-such-command-here: No such file or directory$"
    done
}

@test "a CMD that cannot be executed exits 126 with one line naming it" {
    local n
    for n in $(all_steps); do
        # /etc/passwd exists on the host and in the rootfs, without x bits.
        run -126 --separate-stderr "$(step "$n")" run /etc/passwd
        assert_one_error "^step$n: exec /etc/passwd: Permission denied$"
    done
}

@test "no CMD, no subcommand or an unknown one: a usage line and 125" {
    local n bin
    for n in $(all_steps); do
        bin=$(step "$n")
        run -125 --separate-stderr "$bin"
        assert_one_error "^step$n: missing command; usage: .*step$n run CMD \[ARG\.\.\.\]$"
        run -125 --separate-stderr "$bin" run
        assert_one_error "^step$n: missing CMD; usage: "
        run -125 --separate-stderr "$bin" start true
        assert_one_error "^step$n: unknown command start; usage: "
    done
}

@test "steps with namespaces refuse an unprivileged user with one line and 125" {
    local n bin
    for n in $(all_steps); do
        [ "$n" = 01 ] && continue
        bin=$(step "$n")
        run -125 --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" run true
        assert_one_error "^step$n: clone: new namespaces need root: run with sudo$"
    done
}

@test "step01 creates no namespace, so it needs no privilege" {
    run setpriv --reuid=nobody --regid=nogroup --clear-groups "$(step 01)" run id -u
    assert_success
    assert_output 65534
}
