#!/usr/bin/env bats
# make install and uninstall (PREFIX, DESTDIR), and the man pages they
# install: each renders without a warning, and runbox.1 documents every
# option that `runbox --help` lists.
load helper

PAGES=(docs/man/runbox.1 docs/man/runbox-steps.7)

setup() {
    RUNBOX=$(runbox_bin)
    command -v man >/dev/null || fail "no man(1): apt-get install man-db"
    command -v groff >/dev/null || fail "no groff(1): apt-get install groff-base"
}

# The page as plain text, lines long enough that nothing is hyphenated.
render() {
    groff -man -Tascii -rLL=1000n -P-c -P-b -P-u "$1" 2>&1
}

@test "make install puts runbox and the man pages under DESTDIR/PREFIX, uninstall removes them" {
    local d=$BATS_TEST_TMPDIR/d
    run make -s -C "$TOP" install DESTDIR="$d" PREFIX=/usr
    assert_success
    assert_equal "$(stat -c %a "$d/usr/bin/runbox")" 755
    assert_equal "$(stat -c %a "$d/usr/share/man/man1/runbox.1")" 644
    assert_equal "$(stat -c %a "$d/usr/share/man/man7/runbox-steps.7")" 644
    assert_equal "$(stat -c %a "$d/usr/bin")" 755
    cmp "$TOP/docs/man/runbox.1" "$d/usr/share/man/man1/runbox.1"
    # Only these three: the steps are lessons, run from the checkout.
    run find "$d" -type f
    assert_equal "${#lines[@]}" 3
    run "$d/usr/bin/runbox" --version
    assert_success
    assert_line --index 0 --regexp '^runbox version [0-9]'
    run env MANWIDTH=80 man --warnings -l "$d/usr/share/man/man1/runbox.1"
    assert_success
    assert_output --partial "runbox run [OPTIONS] [--] CMD [ARG...]"
    run make -s -C "$TOP" uninstall DESTDIR="$d" PREFIX=/usr
    assert_success
    run find "$d" -type f
    assert_output ""
}

@test "PREFIX defaults to /usr/local" {
    run make -s -n -C "$TOP" install DESTDIR=/nonexistent
    assert_success
    assert_line --partial '/nonexistent/usr/local/bin/runbox'
    assert_line --partial '/nonexistent/usr/local/share/man/man1/runbox.1'
}

@test "each man page renders without a warning, through man and groff" {
    local page
    for page in "${PAGES[@]}"; do
        run --separate-stderr env MANWIDTH=80 man --warnings -l "$TOP/$page"
        assert_success
        [ -z "$stderr" ] || fail "man --warnings $page: $stderr"
        [ "${#lines[@]}" -gt 20 ] || fail "$page renders to almost nothing: $output"
        run --separate-stderr groff -man -ww -z "$TOP/$page"
        assert_success
        [ -z "$stderr" ] || fail "groff -ww $page: $stderr"
    done
}

@test "runbox.1 documents every option of runbox --help, as --help spells it" {
    local page missing="" opt
    page=$(render "$TOP/docs/man/runbox.1")
    run "$RUNBOX" --help
    assert_success
    # "  -r, --rootfs DIR  ..." and "      --pids N  ...": the option part,
    # which must start an item of the page (a tag at the first indent).
    while read -r opt; do
        grep -qE -- "^ {7}$opt( |$)" <<<"$page" || missing="$missing, $opt"
    done < <(printf '%s\n' "${lines[@]}" | sed -nE 's/^ +((-[a-zA-Z], )?--[a-z-]+).*/\1/p')
    [ -z "$missing" ] || fail "runbox.1 lacks these options of runbox --help: ${missing#, }"
    # The subcommands of the usage lines too.
    for opt in "runbox run" "runbox cleanup"; do
        grep -qF -- "$opt" <<<"$page" || fail "runbox.1 lacks $opt"
    done
}

@test "runbox.1 lists the exit statuses of docs/contract.md" {
    local page status
    page=$(render "$TOP/docs/man/runbox.1")
    for status in 125 126 127 '128\+N'; do
        grep -qE "^ +$status( |$)" <<<"$page" || fail "EXIT STATUS lacks $status"
    done
}
