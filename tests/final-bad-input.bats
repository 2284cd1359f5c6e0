#!/usr/bin/env bats
# Every bad invocation of runbox gets one line naming the problem, exit
# 125 (or 126/127 for a CMD that cannot run), and leaves nothing behind:
# no cgroup, no mount, no state directory, no process.
load helper

setup() {
    runbox_setup
}

teardown() {
    runbox_teardown
}

# refuses STATUS REGEX ARGS...: runbox ARGS exits STATUS, prints one line
# on stderr matching REGEX, and leaves nothing.
refuses() {
    local status_expected=$1 regex=$2
    shift 2
    run "-$status_expected" --separate-stderr "$RUNBOX" "$@"
    assert_one_error "$regex"
    assert_no_runbox_leftovers
}

@test "runbox: no command, an unknown one, or no CMD" {
    refuses 125 '^runbox: missing command; see runbox --help$'
    refuses 125 '^runbox: unknown command bogus; see runbox --help$' bogus true
    refuses 125 '^runbox: missing CMD; usage: ' run
    refuses 125 '^runbox: missing CMD; usage: ' run --
    refuses 125 '^runbox: missing CMD; usage: ' run -m 64m
}

@test "runbox: unknown options and options without their value" {
    refuses 125 "^runbox: unrecognized option '--bogus'$" run --bogus true
    refuses 125 "^runbox: invalid option -- 'z'$" run -z true
    refuses 125 "^runbox: option requires an argument -- 'm'$" run -m
    refuses 125 "^runbox: option '--pids' requires an argument$" run --pids
    refuses 125 "^runbox: option '--rootfs' requires an argument$" run --rootfs
    refuses 125 "^runbox: option requires an argument -- 'v'$" run -v
}

@test "runbox: bad sizes for --memory" {
    local size
    for size in 0 -1 10x abc 1k 5m "" 99999999999999999999g 1.5g; do
        refuses 125 "^runbox: --memory $size: not a size of at least 6m" run --memory "$size" true
    done
}

@test "runbox: bad --pids and --cpus" {
    local n
    for n in 0 -1 x 1.5 4194305; do
        refuses 125 "^runbox: --pids $n: not a whole number from 1 to" run --pids "$n" true
    done
    for n in 0 -0.5 x 0.001 1000 nan inf; do
        refuses 125 "^runbox: --cpus $n: not a number from 0.01 to" run --cpus "$n" true
    done
}

@test "runbox: bad volumes" {
    refuses 125 '^runbox: --volume /tmp: expected SRC:DST' run -v /tmp true
    refuses 125 '^runbox: --volume /tmp:rel: expected SRC:DST' run -v /tmp:rel true
    refuses 125 '^runbox: --volume :/x: expected SRC:DST' run -v :/x true
    refuses 125 '^runbox: --volume /tmp:/x:rx: expected SRC:DST' run -v /tmp:/x:rx true
    refuses 125 '^runbox: --volume /tmp:/x/../../etc: DST may not contain \.\.$' run -v /tmp:/x/../../etc true
    refuses 125 '^runbox: --volume /tmp:/: DST may not be /$' run -v /tmp:/ true
    refuses 125 '^runbox: --volume /tmp://: DST may not be /$' run -v /tmp:// true
    refuses 125 "^runbox: --volume $BATS_TEST_TMPDIR/none:/x: source $BATS_TEST_TMPDIR/none: No such file or directory$" \
        run -v "$BATS_TEST_TMPDIR/none:/x" true
}

@test "runbox: bad --user, --workdir, --env, --hostname, --net" {
    refuses 125 '^runbox: --user 99999999999: not a whole number' run -u 99999999999 true
    refuses 125 '^runbox: --user -1: not a whole number' run -u -1 true
    refuses 125 '^runbox: --user x: not a whole number' run -u x true
    refuses 125 '^runbox: --user 1:y: not a whole number' run -u 1:y true
    refuses 125 '^runbox: --workdir tmp: not an absolute path$' run -w tmp true
    refuses 125 '^runbox: --env =x: expected KEY=VALUE$' run -e =x true
    refuses 125 '^runbox: --hostname bad_name: not a valid hostname$' run --hostname bad_name true
    refuses 125 '^runbox: --hostname -x: not a valid hostname$' run --hostname -x true
    refuses 125 '^runbox: --net host: ' run --net host true
}

@test "runbox: a bad rootfs is named, with how to build one" {
    mkdir "$BATS_TEST_TMPDIR/empty"
    touch "$BATS_TEST_TMPDIR/file"
    refuses 125 "^runbox: rootfs $BATS_TEST_TMPDIR/none: No such file or directory \(build one with: make rootfs\)$" \
        run -r "$BATS_TEST_TMPDIR/none" true
    refuses 125 "^runbox: rootfs $BATS_TEST_TMPDIR/empty is empty" run -r "$BATS_TEST_TMPDIR/empty" true
    refuses 125 "^runbox: rootfs $BATS_TEST_TMPDIR/file: Not a directory" run -r "$BATS_TEST_TMPDIR/file" true
}

@test "runbox: a CMD that is missing from the rootfs, or cannot run" {
    refuses 127 '^runbox: exec no-such-cmd: No such file or directory$' run no-such-cmd
    refuses 127 '^runbox: exec /bin/nope: No such file or directory$' run /bin/nope
    refuses 126 '^runbox: exec /etc/passwd: Permission denied$' run /etc/passwd
    refuses 126 '^runbox: exec /etc: Permission denied$' run /etc
}

@test "runbox: a workdir missing in the rootfs fails inside, and leaves nothing" {
    refuses 125 '^runbox: chdir /no/such/dir: No such file or directory$' run -w /no/such/dir true
}

@test "runbox --help and --version answer on stdout, exit 0" {
    run "$RUNBOX" --help
    assert_success
    assert_line --index 0 'usage: runbox run [OPTIONS] [--] CMD [ARG...]'
    run "$RUNBOX" --version
    assert_success
    assert_line --index 0 --regexp '^runbox version [0-9]+\.[0-9]+\.[0-9]+$'
}
