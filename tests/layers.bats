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
