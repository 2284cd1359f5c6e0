# The OCI tests' own helpers (load helper first): a bundle whose
# config.json jq writes, runbox create with the container's stdio in
# files, and the status that runbox state reports. A file that loads it
# gets oci_setup and oci_teardown as its setup and teardown.

oci_setup() {
    runbox_setup cgroup
    command -v jq >/dev/null || fail "jq is missing (tools/install-test-deps)"
    BUNDLE=$BATS_TEST_TMPDIR/bundle
    mkdir -p "$BUNDLE"
    OUT=$BATS_TEST_TMPDIR/out
    IDS=()
    OTHER_ROOTS=() # --root DIRs: every container there is deleted
}

oci_teardown() {
    local id root
    for id in "${IDS[@]}"; do
        "$RUNBOX" delete --force "$id" 2>/dev/null || true
    done
    for root in "${OTHER_ROOTS[@]}"; do
        for id in $("$RUNBOX" --root "$root" list --quiet 2>/dev/null); do
            "$RUNBOX" --root "$root" delete --force "$id" || true
        done
    done
    # A cgroupsPath's parents stay, as with runc: the test removes its own.
    find /sys/fs/cgroup -maxdepth 2 -name runbox-oci-parent -exec rmdir {} +
    runbox_teardown
}

# config.json for ARGS (a JSON array), the read-only rootfs, the mounts of
# `crun spec`, and JQ, a jq filter applied last:
# bundle '["sleep","100"]' '.hostname = "web"'
bundle() {
    jq -n --arg root "$ROOTFS" --argjson args "$1" '{
        ociVersion: "1.0.2",
        process: {args: $args, cwd: "/", user: {uid: 0, gid: 0},
            env: ["PATH=/bin:/sbin:/usr/bin"]},
        root: {path: $root, readonly: true},
        hostname: "oci",
        mounts: [
            {destination: "/proc", type: "proc", source: "proc"},
            {destination: "/dev", type: "tmpfs", source: "tmpfs",
                options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {destination: "/dev/pts", type: "devpts", source: "devpts",
                options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620"]},
            {destination: "/dev/shm", type: "tmpfs", source: "shm",
                options: ["nosuid", "noexec", "nodev", "mode=1777"]},
            {destination: "/dev/mqueue", type: "mqueue", source: "mqueue",
                options: ["nosuid", "noexec", "nodev"]},
            {destination: "/sys", type: "sysfs", source: "sysfs",
                options: ["nosuid", "noexec", "nodev", "ro"]}],
        linux: {namespaces: [{type: "pid"}, {type: "mount"}, {type: "ipc"},
            {type: "uts"}, {type: "network"}]}
    } | '"${2:-.}" >"$BUNDLE/config.json"
}

# runbox create ID: the container's stdio is a file, never bats' pipe,
# which would hold `run` until the container exits.
create() {
    IDS+=("$1")
    "$RUNBOX" create --bundle "$BUNDLE" --pid-file "$BUNDLE/pid" "$1" \
        </dev/null >"$OUT" 2>"$BATS_TEST_TMPDIR/err"
}

# runbox create and start ID; once its process runs CMD (a new time
# namespace takes it only at its execve(2)), its PID in $PID.
started() {
    create "$1" || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    "$RUNBOX" start "$1"
    PID=$(cat "$BUNDLE/pid")
    wait_for_exec "$PID" "$2"
}

# runbox run --bundle ID in the background ($BG_PID), until it is running.
run_in_background() {
    start_bg "$RUNBOX" run --bundle "$BUNDLE" "$1"
    IDS+=("$1")
    for _ in $(seq 50); do
        [ "$(status_of "$1" 2>/dev/null)" = running ] && return 0
        sleep 0.1
    done
    fail "container $1 never ran"
}

status_of() {
    "$RUNBOX" state "$1" | jq -r .status
}

# Each bad bundle: one line naming the problem, exit 1, nothing made.
bad_bundle() {
    local id=$1 expected=$2
    run --separate-stderr "$RUNBOX" create --bundle "$BUNDLE" "$id"
    assert_failure 1
    assert_one_error "$expected"
    [ ! -e "/run/runbox/oci/$id" ] || fail "state of $id is left"
}

setup() {
    oci_setup
}

teardown() {
    oci_teardown
}
