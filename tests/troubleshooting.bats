#!/usr/bin/env bats
# docs/troubleshooting.md has an entry for every message the steps and
# runbox can print, and none for a message no code prints any more. The
# messages are the format strings of err(3), errx, warn, warnx and
# fprintf(stderr, ...) in step0*/container.c and final/*.c; an entry is a
# heading "### `FORMAT`".
load helper

CATALOG=docs/troubleshooting.md

# "FILE:LINE<TAB>FORMAT" for each message in the C files given. Comments
# are dropped first (their newlines kept, for the line numbers); adjacent
# literals are joined, and \\ and \" unescaped, as the compiler would.
messages() {
    perl -0777 -ne '
        s{/\*.*?\*/}{"\n" x ($& =~ tr/\n//)}gse;
        while (/\b(?:(?:err|errx|warn|warnx)\s*\(\s*[^;"]*?|fprintf\s*\(\s*stderr\s*,\s*)((?:"(?:[^"\\]|\\.)*"\s*)+)/g) {
            my ($lits, $line) = ($1, 1 + (substr($_, 0, $-[0]) =~ tr/\n//));
            my $fmt = join("", $lits =~ /"((?:[^"\\]|\\.)*)"/g);
            $fmt =~ s/\\(["\\])/$1/g;
            print "$ARGV:$line\t$fmt\n";
        }' "$@"
}

# The formats the catalog has entries for.
entries() {
    sed -n 's/^### `\(.*\)`$/\1/p' "$TOP/$CATALOG"
}

setup() {
    cd "$TOP" || fail "cannot enter $TOP"
    mapfile -t SOURCES < <(ls step0*/container.c final/*.c)
}

@test "the message reader finds what grep finds, and reads formats whole" {
    local found expected
    # Every call outside a comment's lines, as grep sees them.
    expected=$(grep -hvE '^\s*(/?\*|//)' "${SOURCES[@]}" |
        grep -oE '\b(err|errx|warn|warnx)\(|fprintf\(stderr' | wc -l)
    found=$(messages "${SOURCES[@]}" | wc -l)
    assert_equal "$found" "$expected"
    # A call split over lines, a joined literal, an escaped backslash.
    cat >"$BATS_TEST_TMPDIR/t.c" <<'EOF'
/* warn("not a message") */
err(errno == ENOENT ? 127 : 126,
        "exec %s", argv[0]);
warnx("a %s" " b", s);
fprintf(stderr, "x '\\' y\n");
EOF
    run messages "$BATS_TEST_TMPDIR/t.c"
    assert_output "$BATS_TEST_TMPDIR/t.c:2	exec %s
$BATS_TEST_TMPDIR/t.c:4	a %s b
$BATS_TEST_TMPDIR/t.c:5	x '\\' y\\n"
}

@test "every message of the steps and runbox has an entry in docs/troubleshooting.md" {
    local missing
    # FILE:LINE<TAB>FORMAT of each message whose format has no entry.
    missing=$(messages "${SOURCES[@]}" |
        awk -F'\t' 'NR == FNR { have[$0] = 1; next } !($2 in have)' <(entries) -)
    [ -z "$missing" ] || fail "$(printf '%s\n' "$missing" |
        awk -F'\t' '{ print "missing from '"$CATALOG"': ### `" $2 "`  (" $1 ")" }')"
}

@test "every entry of docs/troubleshooting.md is a message some code prints" {
    local stale
    stale=$(entries | grep -vxFf <(messages "${SOURCES[@]}" | cut -f2) || true)
    [ -z "$stale" ] || fail "$(printf '%s\n' "$stale" |
        sed "s|.*|no code prints this entry of $CATALOG: ### \`&\`|")"
}

@test "each entry has its by, cause and fix lines" {
    run awk '
        /^### `/ { if (name != "" && n != 3) print name; name = $0; n = 0; next }
        /^##/ { if (name != "" && n != 3) print name; name = ""; next }
        name != "" && /^- \*\*(by|cause|fix):\*\* / { n++ }
        END { if (name != "" && n != 3) print name }' "$CATALOG"
    assert_output ""
}
