# shellcheck shell=bash
# The setup and teardown of the tests that run the chapters' "Try it"
# transcripts again (tools/tryit): tests/docs-tryit.bats, and
# tests/docs-tryit-cgroups.bats, which make test-vm runs in VMs too.
load helper

tryit_setup() {
    requires root mountns
    cd "$TOP" || fail "cannot enter $TOP"
    export TMPDIR=$BATS_TEST_TMPDIR
    remember_host
}

# The host as it was; the copies of the checkout gone, nothing mounted
# from them; no cgroup of a step06 that is gone.
tryit_teardown() {
    local dir pid
    assert_host_unchanged
    [ -z "$(find "$BATS_TEST_TMPDIR" -maxdepth 1 -name 'tryit.*')" ] ||
        fail "tools/tryit left its copy behind"
    ! grep -q "$BATS_TEST_TMPDIR/tryit\." /proc/self/mountinfo ||
        fail "tools/tryit left a mount behind"
    for dir in /sys/fs/cgroup/step06-* /sys/fs/cgroup/*/step06-*; do
        [ -d "$dir" ] || continue
        pid=${dir##*-}
        kill -0 "$pid" 2>/dev/null || fail "a cgroup is left behind: $dir"
    done
}
