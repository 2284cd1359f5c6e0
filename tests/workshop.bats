#!/usr/bin/env bats
# Workshop mode (make workshop, make grade): for each step 02-07, the
# skeleton that tools/workshop makes from the lesson diff builds, fails
# its grade with a hint, and passes more checks with one lesson hunk put
# back; the step's own code passes. Two grades at once both pass.
load helper

setup() {
    requires root rootfs cgroup netns
    WS=$BATS_TEST_TMPDIR/ws
}

# grade_copy NN: the grade of $WS/stepNN/container.c; sets output, status.
grade_copy() {
    run env WORKSHOP="$WS" "$TOP/tools/grade" "$1"
}

# The number of checks that passed, from grade's report.
passed() {
    printf '%s\n' "$output" | grep -c '^  ok ' || true
}

# workshop_step NN: the whole checkpoint of one step.
workshop_step() {
    local n=$1 ref skeleton_ok unit best=0 count
    ref=$(echo "$TOP"/step"$n"-*/container.c)
    run "$TOP/tools/workshop" --out "$WS" "$n"
    assert_success
    grep -q "TODO 1 (step$n)" "$WS/step$n/container.c" || fail "no TODO in the skeleton"
    # The skeleton: it builds, and fails, with a hint per failed check.
    grade_copy "$n"
    assert_failure 1
    assert_line --regexp "^  FAIL  "
    assert_line --regexp "^        hint: "
    refute_output --partial "does not build"
    skeleton_ok=$(passed)
    # One lesson hunk (with those it needs to build) put back: more pass.
    while read -r unit; do
        # shellcheck disable=SC2086 # the unit is a list of hunk numbers
        "$TOP/tools/workshop" --restore "$n" $unit >"$WS/step$n/container.c"
        grade_copy "$n"
        count=$(passed)
        [ "$count" -le "$best" ] || best=$count
        [ "$best" -le "$skeleton_ok" ] || break
    done < <("$TOP/tools/workshop" --units "$n")
    [ "$best" -gt "$skeleton_ok" ] ||
        fail "no hunk put back passes more than the skeleton's $skeleton_ok checks"
    # The step's own code: every check passes.
    cp "$ref" "$WS/step$n/container.c"
    grade_copy "$n"
    assert_success
    assert_line --regexp "^grade: step$n passes\. What you built: step$n "
    refute_line --regexp "^  FAIL"
}

@test "workshop: step02's skeleton fails with hints, a hunk back passes more, the step passes" {
    workshop_step 02
}

@test "workshop: step03's skeleton fails with hints, a hunk back passes more, the step passes" {
    workshop_step 03
}

@test "workshop: step04's skeleton fails with hints, a hunk back passes more, the step passes" {
    workshop_step 04
}

@test "workshop: step05's skeleton fails with hints, a hunk back passes more, the step passes" {
    workshop_step 05
}

@test "workshop: step06's skeleton fails with hints, a hunk back passes more, the step passes" {
    workshop_step 06
}

@test "workshop: step07's skeleton fails with hints, a hunk back passes more, the step passes" {
    workshop_step 07
}

@test "workshop: the skeleton is step NN-1 with comments added, so it behaves as step NN-1" {
    local n prev
    for n in 02 03 04 05 06 07; do
        prev=$(printf '%02d' $((10#$n - 1)))
        # Without its comments, what is left of the skeleton is step NN-1's code.
        diff <("$TOP/tools/workshop" --restore "$n" | gcc -fpreprocessed -dD -E -P - 2>/dev/null | grep -v '^#') \
            <(gcc -fpreprocessed -dD -E -P - <"$(echo "$TOP"/step"$prev"-*/container.c)" 2>/dev/null | grep -v '^#') ||
            fail "step$n's skeleton differs from step$prev in code"
    done
}

@test "workshop: two grades at once, on one machine, both pass" {
    local a b
    mkdir -p "$WS/a/step06" "$WS/b/step06"
    cp "$TOP"/step06-*/container.c "$WS/a/step06/"
    cp "$TOP"/step06-*/container.c "$WS/b/step06/"
    WORKSHOP=$WS/a "$TOP/tools/grade" 06 >"$BATS_TEST_TMPDIR/a.out" 2>&1 &
    a=$!
    WORKSHOP=$WS/b "$TOP/tools/grade" 06 >"$BATS_TEST_TMPDIR/b.out" 2>&1 &
    b=$!
    wait "$a" || fail "the first grade failed: $(cat "$BATS_TEST_TMPDIR/a.out")"
    wait "$b" || fail "the second grade failed: $(cat "$BATS_TEST_TMPDIR/b.out")"
    grep -q '^grade: step06 passes' "$BATS_TEST_TMPDIR/a.out"
    grep -q '^grade: step06 passes' "$BATS_TEST_TMPDIR/b.out"
}
