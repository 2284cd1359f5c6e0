#!/usr/bin/env bats
# The docs against the code (tools/check-docs, run by make check): the
# runbox --help transcripts and runbox.1 against the built runbox, chapter
# 08's table against final/*.c, every exercise against docs/solutions/,
# every path a document names against the tree, every Mermaid diagram
# against Mermaid's own parser. Each check passes here, and fails on a
# drift planted in a copy of the tree.
load helper

setup() {
    cd "$TOP" || fail "cannot enter $TOP"
    RUNBOX=$TOP/runbox
    [ -x "$RUNBOX" ] || fail "no $RUNBOX: make final first"
    export RUNBOX
    COPY=$BATS_TEST_TMPDIR/tree
}

# A copy of the checkout to plant a drift in, without .git and build/.
copy_tree() {
    mkdir -p "$COPY"
    tar -C "$TOP" --exclude=./.git --exclude=./build -cf - . | tar -C "$COPY" -xf -
}

# check_copy CHECK: tools/check-docs CHECK on the copy.
check_copy() {
    CHECKS_TOP=$COPY run --separate-stderr tools/check-docs "$1"
}

@test "help: every runbox --help transcript is what runbox prints, and runbox.1 has each option and subcommand" {
    run --separate-stderr tools/check-docs help
    [ "$status" = 0 ] || fail "$stderr"
    # At least the one of chapter 08 is checked.
    grep -qx '$ ./runbox --help' docs/08-final.md || fail "chapter 08 lost its --help transcript"
}

@test "help: a changed line of a transcript fails, naming the file" {
    copy_tree
    sed -i 's/^      --pids N            at most N processes$/      --pids N            at most N tasks/' "$COPY/docs/08-final.md"
    ! cmp -s docs/08-final.md "$COPY/docs/08-final.md" || fail "the planted drift did not land"
    check_copy help
    assert_failure
    [[ $stderr == *"docs/08-final.md:"*"the runbox --help transcript differs"* ]] || fail "$stderr"
    [[ $stderr == *"at most N tasks"* ]] || fail "$stderr"
}

@test "help: an option missing from runbox.1 fails, and one runbox does not have" {
    copy_tree
    sed -i 's/^\.BI \\-\\-pids " N"$/.BI \\-\\-pid\\-limit " N"/' "$COPY/docs/man/runbox.1"
    ! cmp -s docs/man/runbox.1 "$COPY/docs/man/runbox.1" || fail "the planted drift did not land"
    check_copy help
    assert_failure
    [[ $stderr == *"runbox.1 lacks the option --pids of runbox --help"* ]] || fail "$stderr"
    [[ $stderr == *"runbox.1 has an option --pid-limit that runbox --help does not list"* ]] || fail "$stderr"
}

@test "table: every final/*.c is in chapter 08's table and map, and only those" {
    run --separate-stderr tools/check-docs table
    [ "$status" = 0 ] || fail "$stderr"
    copy_tree
    sed -i '/^| `util\.c` |/d' "$COPY/docs/08-final.md"
    touch "$COPY/final/newthing.c"
    check_copy table
    assert_failure
    [[ $stderr == *"final/util.c is not in the table"* ]] || fail "$stderr"
    [[ $stderr == *"final/newthing.c is not in the table"* ]] || fail "$stderr"
    [[ $stderr == *"final/newthing.c is not in the map of final/"* ]] || fail "$stderr"
    rm "$COPY/final/util.c"
    sed -i 's/^| `caps\.c` |/| `capabilities.c` |/' "$COPY/docs/08-final.md"
    check_copy table
    [[ $stderr == *"the table names final/capabilities.c, which does not exist"* ]] || fail "$stderr"
    [[ $stderr == *"the map names final/util.c, which does not exist"* ]] || fail "$stderr"
}

@test "solutions: every exercise has one, listed in docs/solutions/README.md, and a short answer in instructor.md" {
    run --separate-stderr tools/check-docs solutions
    [ "$status" = 0 ] || fail "$stderr"
    copy_tree
    rm "$COPY"/docs/solutions/09-2-*
    printf '%s\n' '4. A fourth exercise.' >>"$COPY/docs/11-oci.md"
    check_copy solutions
    assert_failure
    [[ $stderr == *"exercise 2 has no solution in docs/solutions/09-2-*"* ]] || fail "$stderr"
    [[ $stderr == *"exercise 4 has no solution in docs/solutions/11-4-*"* ]] || fail "$stderr"
    [[ $stderr == *"exercise 11-4 is not in the table"* ]] || fail "$stderr"
    [[ $stderr == *"docs/instructor.md: exercise 11-4 has no short answer"* ]] || fail "$stderr"
}

@test "paths: every file a document links to or names exists" {
    run --separate-stderr tools/check-docs paths
    [ "$status" = 0 ] || fail "$stderr"
    copy_tree
    printf '%s\n' 'See `final/nosuch.c` and [the man page](man/nosuch.1).' >>"$COPY/docs/02-uts.md"
    rm "$COPY/tests/probes/chroot-escape.c"
    check_copy paths
    assert_failure
    [[ $stderr == *"docs/02-uts.md:"*": names final/nosuch.c, which does not exist"* ]] || fail "$stderr"
    [[ $stderr == *"names docs/man/nosuch.1, which does not exist"* ]] || fail "$stderr"
    [[ $stderr == *"names tests/probes/chroot-escape.c, which does not exist"* ]] || fail "$stderr"
}

@test "mermaid: every diagram parses with Mermaid's parser; a broken one fails, with its line" {
    command -v node >/dev/null || skip_or_fail "no node here (apt-get install nodejs npm)"
    [ -d "$TOP/build/mermaid/node_modules/mermaid" ] ||
        skip_or_fail "no Mermaid parser: run tools/mermaid-setup (.ci/run does)"
    run --separate-stderr tools/check-docs mermaid
    [ "$status" = 0 ] || fail "$stderr"
    assert_output --regexp '^mermaid: [1-9][0-9]* diagrams, 0 that do not parse$'
    copy_tree
    # The ';' that once broke chapter 11's diagram: a statement ends there.
    sed -i 's/mounts, then waits on exec.fifo/mounts; waits on exec.fifo/' "$COPY/docs/11-oci.md"
    ! cmp -s docs/11-oci.md "$COPY/docs/11-oci.md" || fail "the planted drift did not land"
    MERMAID_DIR=$TOP/build/mermaid check_copy mermaid
    assert_failure
    [[ $stderr =~ docs/11-oci\.md:[0-9]+:\ .*(Parse error|error) ]] || fail "$stderr"
}

@test "setup: the install lines of README, instructor.md and non-linux.md name every -dev package make needs" {
    local file pkg pkgs
    pkgs=$(sed -nE 's/^RUNBOX="\$RUNBOX (.*)"$|^RUNBOX="\$STEPS (.*)"$/\1\2/p' tools/need-libs |
        tr ' ' '\n' | cut -d: -f1)
    [ "$(echo "$pkgs" | wc -l)" -ge 3 ] || fail "cannot read the packages of tools/need-libs: $pkgs"
    for file in README.md docs/instructor.md docs/non-linux.md; do
        for pkg in $pkgs; do
            grep -qE "apt-get install.*\b$pkg\b|^ +.*\b$pkg\b" "$file" ||
                fail "$file: no install line names $pkg"
        done
    done
}
