#!/usr/bin/env bats
# Chapter 06's "Try it" transcripts, run again and compared (tools/tryit):
# the blocks of the hierarchy this machine has. make test-vm runs this
# file again in VMs with pure cgroup v2 and with v1, so that both halves
# of the chapter run.
load tryit-helper

setup() {
    tryit_setup
}

teardown() {
    tryit_teardown
}

@test "06-cgroups: the Try it transcripts of this machine's hierarchy are what the step prints" {
    local mode=v1
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        mode=v2
    elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
        mode=hybrid
    fi
    run tools/tryit list docs/06-cgroups.md
    assert_success
    # The blocks of this hierarchy run, the others say why they do not:
    # the transcripts are of a pure v2 machine, and of a hybrid one (whose
    # list of v1 trees is that machine's own).
    case $mode in
    v2)
        assert_line --regexp '^2 [0-9]+ run$'
        assert_line --regexp '^7 [0-9]+ not run: needs hybrid cgroups, this machine has v2'
        ;;
    hybrid)
        assert_line --regexp '^2 [0-9]+ not run: needs cgroup v2, this machine has hybrid'
        assert_line --regexp '^7 [0-9]+ run$'
        ;;
    v1)
        assert_line --regexp '^2 [0-9]+ not run: needs cgroup v2, this machine has v1'
        assert_line --regexp '^7 [0-9]+ not run: needs hybrid cgroups, this machine has v1'
        ;;
    esac
    # The probes run everywhere.
    assert_line --regexp '^3 [0-9]+ run$'
    run tools/tryit check docs/06-cgroups.md
    assert_success
}
