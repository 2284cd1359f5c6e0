#!/usr/bin/env bats
# What an engine or a tutorial asks of runbox before any container:
# runbox --version in runc's shape (docker info reads it), runbox features
# (the runtime-spec's features document) and runbox spec (the config.json
# to start from), each checked against the runtime-spec's own JSON schemas;
# and the config.json of runc spec, crun spec and runbox spec, run as is.
load helper
load oci-helper

VALIDATE=$TOP/../shared/oci-validation/validate-json

# validate features|config FILE: the runtime-spec's schema says ok.
validate() {
    [ -x "$VALIDATE" ] || skip_or_fail "no $VALIDATE (the OCI validation tools beside the repository)"
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
        fail "python3-jsonschema is missing (tools/install-test-deps)"
    run /usr/bin/python3 "$VALIDATE" "$1" "$2"
    assert_success
    assert_output ok
}

@test "oci-spec: --version is runc's shape: version, commit, spec" {
    run --separate-stderr "$RUNBOX" --version
    assert_success
    assert_line --index 0 --regexp '^runbox version [0-9]+\.[0-9]+\.[0-9]+$'
    assert_line --index 1 --regexp '^commit: [^ ]+$'
    assert_line --index 2 --regexp '^spec: 1\.[0-9]+\.[0-9]+$'
    # The state that runbox reports names the same version of the spec.
    bundle '["sleep","1000"]'
    create v1
    assert_equal "spec: $("$RUNBOX" state v1 | jq -r .ociVersion)" "${lines[2]}"
}

@test "oci-spec: features is a valid features document of what runbox does" {
    "$RUNBOX" features >"$BATS_TEST_TMPDIR/features.json"
    validate features "$BATS_TEST_TMPDIR/features.json"
    run jq -r '.linux.namespaces | join(" ")' "$BATS_TEST_TMPDIR/features.json"
    assert_output "user pid network ipc uts mount cgroup time"
    run jq -r '.linux.mountExtensions.idmap.enabled, .linux.intelRdt.enabled,
        (.linux.capabilities | index("CAP_SYS_ADMIN") != null),
        (.mountOptions | index("rbind") != null)' "$BATS_TEST_TMPDIR/features.json"
    assert_output "$(printf 'false\nfalse\ntrue\ntrue')"
    # Each seccomp action it lists is one that create takes; one it does
    # not list (SCMP_ACT_NOTIFY needs a listener) is refused.
    for action in $(jq -r '.linux.seccomp.actions[]' "$BATS_TEST_TMPDIR/features.json"); do
        bundle '["true"]' ".linux.seccomp = {defaultAction: \"SCMP_ACT_ALLOW\",
            syscalls: [{names: [\"getpid\"], action: \"$action\"}]}"
        run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" "a-${action,,}"
        assert_success
    done
    bundle '["true"]' '.linux.seccomp = {defaultAction: "SCMP_ACT_NOTIFY"}'
    bad_bundle a-notify 'linux.seccomp.defaultAction: .*SCMP_ACT_NOTIFY'
    ! jq -e '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY")' \
        "$BATS_TEST_TMPDIR/features.json" || fail "features lists SCMP_ACT_NOTIFY"
}

@test "oci-spec: spec writes a valid config.json, runc's, and never over one" {
    local dir=$BATS_TEST_TMPDIR/new
    mkdir "$dir"
    (cd "$dir" && "$RUNBOX" spec)
    validate config "$dir/config.json"
    run jq -c '[.process.terminal, .process.args, .root,
        [.linux.namespaces[].type]]' "$dir/config.json"
    assert_output '[true,["sh"],{"path":"rootfs","readonly":true},["pid","network","ipc","uts","mount"]]'
    echo '{}' >"$dir/config.json"
    run --separate-stderr "$RUNBOX" spec --bundle "$dir"
    assert_failure 1
    assert_one_error "^runbox: $dir/config.json exists: remove it first\$"
    assert_equal "$(cat "$dir/config.json")" '{}'
    rm "$dir/config.json"
    "$RUNBOX" spec --rootless --bundle "$dir"
    validate config "$dir/config.json"
    run jq -c '[[.linux.namespaces[].type], .linux.uidMappings,
        .linux.resources]' "$dir/config.json"
    assert_output "[[\"pid\",\"ipc\",\"uts\",\"mount\",\"user\"],[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}],null]"
}

# The config.json of `$1 spec`, untouched, beside a ./rootfs: sh on a
# terminal reads a line and exits with its status.
spec_runs() {
    local dir=$BATS_TEST_TMPDIR/$1
    command -v "$1" >/dev/null || fail "$1 is missing (tools/install-test-deps)"
    mkdir "$dir"
    ln -s "$ROOTFS" "$dir/rootfs"
    (cd "$dir" && "$1" spec)
    IDS+=("spec-$1")
    run bash -c 'echo "tty; exit 7" | "$1" run --bundle "$2" "$3"' _ \
        "$RUNBOX" "$dir" "spec-$1"
    assert_failure 7
    assert_line --regexp $'^/dev/pts/[0-9]+\r$'
}

@test "oci-spec: runbox run takes runc spec's config.json as it is" {
    spec_runs runc
}

@test "oci-spec: runbox run takes crun spec's config.json as it is" {
    spec_runs crun
}

@test "oci-spec: runbox run takes runbox spec's config.json as it is" {
    PATH=$(dirname "$RUNBOX"):$PATH spec_runs runbox
}
