#!/usr/bin/env bats
# Every "Try it" transcript of chapters 01-07, run again and compared with
# the chapter (tools/tryit: in a throwaway copy of the checkout, in mount,
# UTS and IPC namespaces of its own; PIDs, inode numbers, times and MAC
# addresses normalised). A block that cannot run here is marked in the
# chapter, and says why.
load tryit-helper

setup() {
    tryit_setup
}

teardown() {
    tryit_teardown
}

# tryit CHAPTER: its blocks run, and match; each block is run or says why.
tryit() {
    run tools/tryit list "docs/$1.md"
    assert_success
    [ "${#lines[@]}" -gt 0 ] || fail "docs/$1.md has no Try it block"
    refute_line --regexp '^[0-9]+ [0-9]+ not run: *$'
    assert_line --regexp '^[0-9]+ [0-9]+ run$'
    run tools/tryit check "docs/$1.md"
    assert_success
}

@test "01-fork: the Try it transcripts are what the step prints" { tryit 01-fork; }
@test "02-uts: the Try it transcripts are what the step prints" { tryit 02-uts; }
@test "03-pid: the Try it transcripts are what the step prints" { tryit 03-pid; }
@test "04-chroot: the Try it transcripts are what the step prints" { tryit 04-chroot; }
@test "05-proc: the Try it transcripts are what the step prints" { tryit 05-proc; }
@test "07-netns: the Try it transcripts are what the step prints" { tryit 07-netns; }

@test "an edited transcript fails the check, with the line that differs" {
    local chapter=$BATS_TEST_TMPDIR/01-fork.md
    sed 's/^step01: exec no-such-command: No such file or directory$/step01: exec no-such-command: not found/' \
        docs/01-fork.md >"$chapter"
    ! cmp -s docs/01-fork.md "$chapter" || fail "the planted drift did not land"
    run tools/tryit check "$chapter"
    assert_failure 1
    assert_line -- '-step01: exec no-such-command: not found'
    assert_line -- '+step01: exec no-such-command: No such file or directory'
}

@test "a block marked not run says why; an unmarked one runs; the marks are read" {
    local chapter=$BATS_TEST_TMPDIR/t.md
    printf '%s\n' '# t' '## Try it' '<!-- not run: needs a terminal -->' '```console' \
        '$ echo a' 'b' '```' '' '<!-- tryit: cgroup v2 only; numbers vary from 2 digits -->' \
        '```console' '$ echo 12' '99' '```' '```console' '$ echo 12' '12' '```' \
        '## Exercises' '```console' '$ false' '```' >"$chapter"
    run tools/tryit list "$chapter"
    assert_line --index 0 "1 4 not run: needs a terminal"
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        assert_line --index 1 "2 10 run"
    else
        assert_line --index 1 --regexp '^2 10 not run: needs cgroup v2, this machine has (v1|hybrid)$'
    fi
    assert_line --index 2 "3 14 run"
    assert_equal "${#lines[@]}" 3
    run tools/tryit check "$chapter"
    assert_success
}

@test "a checkout whose path holds the chapters' /work/main reads as CHECKOUT, whole" {
    local chapter=$BATS_TEST_TMPDIR/t.md top=$BATS_TEST_TMPDIR/check/work/main
    mkdir -p "$top"
    printf '%s\n' '# t' '## Try it' '```console' '$ pwd' '/work/main' '```' >"$chapter"
    TRYIT_TOP=$top run tools/tryit check "$chapter"
    assert_success
    printf '%s\n' '# t' '## Try it' '```console' '$ pwd' '/elsewhere/work/main' '```' >"$chapter"
    TRYIT_TOP=$top run tools/tryit check "$chapter"
    assert_failure 1
    assert_line -- '-/elsewhereCHECKOUT'
    assert_line -- '+CHECKOUT'
}
