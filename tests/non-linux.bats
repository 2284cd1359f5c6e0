#!/usr/bin/env bats
# Elsewhere than Linux, every step and final/ stop at one clear #error;
# tools/Dockerfile, the path for macOS and Windows, names only files that
# exist and packages that apt knows, and runs what CI runs.
load helper

MESSAGE="namespaces and cgroups are Linux kernel features: build this on Linux (docs/non-linux.md)"

setup() {
    cd "$TOP" || fail "cannot enter $TOP"
}

@test "without __linux__, each step fails to build, and the #error is the first error" {
    local f first
    for f in step0*/container.c; do
        run --separate-stderr cc -U__linux__ -fsyntax-only "$f"
        assert_failure
        first=$(grep -m1 'error' <<<"$stderr")
        [[ $first == *"$MESSAGE"* ]] || fail "$f: first error is not the #error: $first"
        # Before any #include: on macOS a missing Linux header would
        # otherwise be the first error.
        [ "$(grep -n -m1 '^#error' "$f" | cut -d: -f1)" -lt \
            "$(grep -n -m1 '^#include' "$f" | cut -d: -f1)" ] ||
            fail "$f: the #error comes after an #include"
    done
    # Identical in every step, so that no lesson diff shows it.
    run bash -c 'grep -h --no-group-separator -B2 -A1 "^#error" step0*/container.c | sort | uniq -c | awk "{print \$1}" | sort -u'
    assert_output "$(ls -d step0*/ | wc -l)"
}

@test "with __linux__, every step still builds" {
    local f
    for f in step0*/container.c; do
        cc -fsyntax-only -Wall -Wextra -Werror "$f" || fail "$f does not build"
    done
}

@test "without __linux__, make final stops at config.h's #error before compiling anything" {
    run --separate-stderr make -s -C "$TOP" final-linux-only CFLAGS=-U__linux__
    assert_failure
    [[ $(grep -m1 error <<<"$stderr") == *"final/config.h"*"$MESSAGE"* ]] ||
        fail "not config.h's #error first: $stderr"
    run make -s -C "$TOP" final-linux-only
    assert_success
    # Every object of final/ waits for the check.
    run make -pn -C "$TOP" runbox
    assert_output --regexp $'\nfinal/main\.o:.*\| *final-linux-only'
}

@test "tools/Dockerfile copies only files that exist, and runs what CI runs" {
    local src script
    # COPY and ADD sources, relative to the build context, the top.
    while read -r src; do
        [ -e "$src" ] || fail "tools/Dockerfile copies $src, which does not exist"
    done < <(awk '$1 == "COPY" || $1 == "ADD" { for (i = 2; i < NF; i++) print $i }' tools/Dockerfile)
    # The scripts it runs exist and are executable.
    for script in $(grep -oE 'tools/[a-z-]+' tools/Dockerfile | sort -u); do
        [ -x "$script" ] || fail "tools/Dockerfile runs $script, which is not an executable here"
    done
    # `sudo make test` (CI) runs the same two: tools/install-test-deps and the build.
    grep -qE '^RUN tools/install-test-deps && make( |$)' tools/Dockerfile ||
        fail "tools/Dockerfile no longer builds with tools/install-test-deps and make"
    grep -q '^test-deps:' Makefile && grep -q '@tools/install-test-deps' Makefile ||
        fail "make test no longer runs tools/install-test-deps"
    grep -q '^FROM debian:12$' tools/Dockerfile || fail "not Debian 12, the tutorial's machine"
    grep -q -- '--privileged --cgroupns=host' tools/Dockerfile docs/non-linux.md ||
        fail "the docker run line lost --privileged --cgroupns=host"
}

@test "every package tools/Dockerfile installs is one apt knows" {
    local pkgs pkg
    command -v apt-cache >/dev/null || skip_or_fail "no apt-cache: not Debian or Ubuntu"
    # The words after "apt-get install", up to the next && or line end.
    pkgs=$(sed -n 's/.*apt-get install \(.*\)/\1/p' tools/Dockerfile |
        sed 's/&&.*//' | tr ' ' '\n' | grep -vE '^(-.*|\\)?$')
    [ -n "$pkgs" ] || fail "found no package in tools/Dockerfile"
    for pkg in $pkgs; do
        apt-cache show "$pkg" >/dev/null 2>&1 || fail "apt does not know $pkg"
    done
}

@test "the Dockerfile's ignore file keeps built files out of the image" {
    local built
    for built in rootfs runbox 'step0[1-9]' '**/*.o' tests/bin .git; do
        grep -qxF -- "$built" tools/Dockerfile.dockerignore ||
            fail "tools/Dockerfile.dockerignore lacks $built"
    done
}
