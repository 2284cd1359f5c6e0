#!/usr/bin/env bats
# tools/check-layers (make check): final/'s files call each other one way
# only, and the check sees a loop planted in a copy.
load helper

setup() {
    requires cc-static
}

@test "layers: no file of final/ calls a file that calls back into it" {
    run "$TOP/tools/check-layers"
    assert_success
    assert_output ""
}

@test "layers: a loop planted in a copy of final/ is found and named" {
    local copy="$BATS_TEST_TMPDIR/final"
    cp -r "$TOP/final" "$copy"
    rm -f "$copy"/*.o
    # util.c, the lowest layer, calling up into runtime.c.
    cat >>"$copy/util.c" <<'C'

int util_calls_up(void);
int
util_calls_up(void)
{
    return runtime_undumpable();
}
C
    sed -i 's/^#include "util.h"$/#include "util.h"\n#include "runtime.h"/' "$copy/util.c"
    run "$TOP/tools/check-layers" "$copy"
    assert_failure 1
    assert_output --partial "check-layers: runtime.c and util.c call each other"
}

@test "layers: the core reads one description, never the front end that filled it" {
    # runbox run's options and a bundle both fill struct config
    # (options_complete(), bundle_parse()): the files that start a
    # container call neither front end, nor a parser of config.json (json.c
    # is a helper: the concept files that read their part of it use it).
    local core="runtime|mount|ocirootfs|cgroup|namespaces|process|caps|seccomp|tty|init|userns|net"
    local front="main|options|oci|state|bundle|exec|update|spec|features|resources|seccomp-oci|ocimount"
    run "$TOP/tools/check-layers" --arrows
    assert_success
    local arrows
    arrows=$(grep -E "^($core) " <<<"$output" || true)
    [ -n "$arrows" ] || fail "no arrow out of the core: the check sees nothing"
    refute_line --regexp "^($core) ($front)$"
    # And no flag that says where the description came from (as the
    # "int oci" that runtime_drop_privileges() once took), comments aside.
    run perl -0777 -ne 's{/\*.*?\*/}{}gs; print "$ARGV: $1\n" while /\b(oci|is_oci|oci_mode|from_bundle)\b/g' \
        "$TOP"/final/{runtime,mount,cgroup,tty,caps,seccomp,process,namespaces}.c
    assert_success
    assert_output ""
}
