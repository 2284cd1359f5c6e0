#!/usr/bin/env bats
# The workshop fits its three hours: each chapter 01-08 names its core,
# tools/workshop-time counts its minutes from the core's words, commands
# and writing, and docs/instructor.md's plan gives each block those
# minutes, one block after the other, from 0:00 to 3:00.
load helper

setup() {
    cd "$TOP" || fail "cannot enter $TOP"
    COPY=$BATS_TEST_TMPDIR/tree
    mkdir -p "$COPY"
    cp -a docs tools "$COPY/"
}

@test "every chapter 01-08 names a workshop core made of sections it has" {
    run --separate-stderr tools/workshop-time
    [ "$status" = 0 ] || fail "$stderr"
    assert_equal "${#lines[@]}" 8
    for line in "${lines[@]}"; do
        [[ $line =~ ^0[1-8]-[a-z]+\ [0-9]+\ [0-9]+\ [0-9]+$ ]] || fail "$line"
    done
}

@test "the plan of docs/instructor.md adds up, from 0:00 to 3:00, as the chapters count" {
    run --separate-stderr tools/workshop-time --check
    [ "$status" = 0 ] || fail "$stderr"
}

@test "a core that grows fails the plan, naming the block" {
    # 300 words more in chapter 06's Why: two minutes more.
    awk '{ print } /^## Why$/ && !done { for (i = 0; i < 30; i++) print "one two three four five six seven eight nine ten"; done = 1 }' \
        docs/06-cgroups.md >"$COPY/docs/06-cgroups.md"
    run --separate-stderr "$COPY/tools/workshop-time" --check
    assert_failure
    [[ $stderr == *"1:56-2:18: 06-cgroups.md's core counts 24 minutes (tools/workshop-time), the plan gives it 22"* ]] || fail "$stderr"
}

@test "a plan whose blocks do not follow each other, or end past 3:00, fails" {
    sed -i 's/^| 1:06-1:16 | break | 10 |/| 1:06-1:21 | break | 15 |/' "$COPY/docs/instructor.md"
    run --separate-stderr "$COPY/tools/workshop-time" --check
    assert_failure
    [[ $stderr == *"1:16-1:29: starts at minute 76, the block before ends at 81"* ]] || fail "$stderr"
    sed -i 's/^> \*\*Workshop core:\*\* Why · The system calls · Try it\./> **Workshop core:** Why · The sistem calls · Try it./' "$COPY/docs/04-chroot.md"
    run --separate-stderr "$COPY/tools/workshop-time" "$COPY/docs/04-chroot.md"
    assert_failure
    [[ $stderr == *"the core names a section it does not have: The sistem calls"* ]] || fail "$stderr"
}
