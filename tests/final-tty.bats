#!/usr/bin/env bats
# runbox run -t, as docker run -t: CMD's stdin, stdout and stderr are a
# pty of the container's own devpts, runbox's terminal is raw while it
# runs and as it was after, the window size follows it, what is typed
# (^C included) reaches CMD, and statuses and signals pass as without -t.
# A real terminal comes from script(1) (util-linux), which runs a small
# sh script on a pty of its own.
# The single-quoted scripts are expanded by the sh that runs them.
# feed() is called by in_terminal(), which shellcheck cannot see.
# shellcheck disable=SC2016,SC2317
load helper

setup() {
    runbox_setup
    command -v script >/dev/null ||
        skip_or_fail "no script(1) here (apt-get install bsdutils)"
}

teardown() {
    runbox_teardown
}

# What in_terminal types; a test may define its own.
feed() {
    :
}

# Runs the sh script read from stdin on a terminal of its own: script(1)
# gives it a pty, and types there what feed() writes. RUNBOX and OUT (a
# file) are in its environment. The input stays open until the script
# is done: at its end script(1) types ^D, which, if it came before runbox
# had made the terminal raw, would reach the container as a NUL.
in_terminal() {
    local dir=$BATS_TEST_TMPDIR _
    rm -f "$dir/done"
    {
        echo "trap 'touch $dir/done' EXIT"
        cat
    } >"$dir/term.sh"
    {
        feed
        for _ in $(seq 600); do
            [ -e "$dir/done" ] && break
            sleep 0.1
        done
    } | OUT=$dir/out RUNBOX=$RUNBOX timeout -s KILL 60 \
        script -qec "sh $dir/term.sh" /dev/null
}

# $output and $lines without the \r that a pty adds to each line (ONLCR).
strip_cr() {
    output=${output//$'\r'/}
    mapfile -t lines <<<"$output"
}

# Waits (up to 10 s) for a process whose command line matches $1.
wait_for_process() {
    local _
    for _ in $(seq 100); do
        pgrep -f "$1" >/dev/null && return 0
        sleep 0.1
    done
    return 1
}

@test "runbox -t: CMD's terminal is a pty of the container's own devpts" {
    run "$RUNBOX" run -t sh -c '
        tty
        test -t 0 && test -t 1 && test -t 2 && echo "0 1 2: a terminal"
        grep " /dev/pts " /proc/self/mountinfo
        [ "$(stat -c %d "$(tty)")" = "$(stat -c %d /dev/pts)" ] &&
            echo "on that devpts"
        stat -c %d /dev/pts' </dev/null
    strip_cr
    assert_success
    assert_line --index 0 /dev/pts/0
    assert_line --index 1 "0 1 2: a terminal"
    # A devpts of its own: newinstance, /dev/ptmx of mode 0666 (pts(4)).
    assert_line --index 2 --regexp ' /dev/pts [^ ]+ (.* )?- devpts devpts [^ ]*ptmxmode=666'
    assert_line --index 3 "on that devpts"
    [ "${lines[4]}" != "$(stat -c %d /dev/pts)" ] ||
        fail "the pty is on the host's devpts"
}

@test "runbox: without -t, no terminal when runbox's stdin is none" {
    run "$RUNBOX" run sh -c 'if test -t 0 || test -t 1; then echo terminal; else echo none; fi' </dev/null
    assert_success
    assert_output none
}

@test "runbox -t: the user of -u owns the pty, as after login(1)" {
    run "$RUNBOX" run -t -u 1000:2000 sh -c 'stat -c "%u %a" "$(tty)"' </dev/null
    strip_cr
    assert_success
    assert_output "1000 620"
}

@test "runbox -t: the pty has the size of runbox's terminal" {
    run in_terminal <<'EOF'
stty rows 40 cols 100
"$RUNBOX" run -t stty size
EOF
    strip_cr
    assert_success
    assert_output "40 100"
}

@test "runbox -t: a resize of runbox's terminal resizes the pty, and SIGWINCH follows inside" {
    run in_terminal <<'EOF'
stty rows 30 cols 90
exec 3<&0
"$RUNBOX" run -t sh -c 'trap "stty size; exit 7" WINCH; stty size; while :; do sleep 0.1; done' <&3 >"$OUT" &
for i in $(seq 100); do
    grep -q . "$OUT" && break
    sleep 0.1
done
stty rows 50 cols 120
wait $!
EOF
    assert_equal "$status" 7
    run cat "$BATS_TEST_TMPDIR/out"
    strip_cr
    assert_output "30 90
50 120"
}

@test "runbox -t: what is typed reaches CMD, and its status comes back" {
    feed() {
        printf 'echo hi\nexit 3\n'
    }
    run in_terminal <<'EOF'
"$RUNBOX" run -t sh
EOF
    strip_cr
    assert_equal "$status" 3
    assert_line hi
}

@test "runbox -t: ^C typed reaches the foreground process inside as SIGINT" {
    feed() {
        # Once sleep runs: before, it would interrupt nothing.
        wait_for_process '^sleep 1234$' || return
        printf '\003'
    }
    run in_terminal <<'EOF'
"$RUNBOX" run -t sh -c 'trap "echo sh got INT" INT; sleep 1234; echo "sleep ended $?"; exit 5'
EOF
    strip_cr
    assert_equal "$status" 5
    assert_line "sleep ended 130"
}

@test "runbox -t --init: CMD is in the terminal's foreground, so ^C reaches it" {
    feed() {
        wait_for_process '^sleep 1234$' || return
        printf '\003'
    }
    run in_terminal <<'EOF'
"$RUNBOX" run -t --init sh -c 'trap "echo sh got INT" INT; sleep 1234; echo "sleep ended $?"; exit 5'
EOF
    strip_cr
    assert_equal "$status" 5
    assert_line "sleep ended 130"
    assert_line --regexp "sh got INT$"
}

@test "runbox -t: runbox's terminal is as it was after every exit" {
    run in_terminal <<'EOF'
stty -g >"$OUT.before"
"$RUNBOX" run -t true
"$RUNBOX" run -t sh -c 'exit 3'
"$RUNBOX" run -t nosuch
# It fails before the pty exists.
"$RUNBOX" run -t --read-only -v /tmp:/runbox-tty-test true
# Its stdout closes: runbox stops with one line, and kills the container.
"$RUNBOX" run -t yes | head -n 1 >/dev/null
stty -g >"$OUT.after"
EOF
    assert_success
    assert_equal "$(cat "$BATS_TEST_TMPDIR/out.after")" \
        "$(cat "$BATS_TEST_TMPDIR/out.before")"
}

@test "runbox -t: exit statuses pass through" {
    local cmd
    run -3 "$RUNBOX" run -t sh -c 'exit 3' </dev/null
    # Errors of the setup, and of execve(2), go to runbox's stderr, not
    # to the pty (runbox's stdout).
    run -127 --separate-stderr "$RUNBOX" run -t nosuch </dev/null
    assert_output ""
    assert_one_error '^runbox: exec nosuch: No such file or directory$'
    run -126 --separate-stderr "$RUNBOX" run -t /etc/passwd </dev/null
    assert_output ""
    assert_one_error '^runbox: exec /etc/passwd: Permission denied$'
    run -125 --separate-stderr "$RUNBOX" run -t -w /no/such true </dev/null
    assert_output ""
    assert_one_error '^runbox: chdir /no/such: No such file or directory$'
    # A failure before the pty exists: the child's line, and only that.
    run -125 --separate-stderr "$RUNBOX" run -t --read-only -v /tmp:/runbox-tty-test true </dev/null
    assert_one_error '^runbox: '
    start_bg "$RUNBOX" run -t sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    kill -KILL "$cmd"
    status=0
    wait "$BG_PID" || status=$?
    assert_equal "$status" 137
}

@test "runbox -t: signals sent to runbox still reach the container" {
    local _
    start_bg "$RUNBOX" run -t sh -c 'trap "echo got TERM; exit 9" TERM; echo ready; while :; do sleep 0.1; done'
    for _ in $(seq 50); do
        grep -q ready "$BATS_TEST_TMPDIR/bg.out" && break
        sleep 0.1
    done
    kill -TERM "$BG_PID"
    status=0
    wait "$BG_PID" || status=$?
    assert_equal "$status" 9
    grep -q "got TERM" "$BATS_TEST_TMPDIR/bg.out" ||
        fail "no TERM inside: $(cat "$BATS_TEST_TMPDIR/bg.out")"
}

@test "runbox -t with stdin not a terminal: input flows, and its end is ^D" {
    run timeout -s KILL 30 sh -c 'printf "a\nb\n" | "$1" run -t sh -c "while read l; do echo got \$l; done; echo end"' sh "$RUNBOX"
    strip_cr
    assert_success
    assert_line "got a"
    assert_line "got b"
    assert_line --index -1 end
    # A last line without a newline takes two ^D: the first ends the line.
    run timeout -s KILL 30 sh -c 'printf abc | "$1" run -t sh -c "read x; echo x=\$x"' sh "$RUNBOX"
    strip_cr
    assert_success
    assert_output --regexp 'x=abc$'
}

@test "runbox -t: neither the pty's master nor the socket leaks inside" {
    run "$RUNBOX" run -t ls -1 /proc/self/fd </dev/null
    strip_cr
    assert_success
    assert_output "0
1
2
3"
}
