#!/usr/bin/env bats
# A hostile config.json, or root inside the container it describes, tries
# what runc and crun stop: each test performs the attack and fails while
# it works. A host disk read through a node made inside, a config without
# device rules; a seccomp value beyond 2^63; hooks that must run inside;
# masked paths, read-only paths and sysctls without a mount namespace; a
# create that would remove a cgroup it did not make.
load helper
load oci-helper

teardown() {
    [ -z "${LOOP:-}" ] || losetup -d "$LOOP"
    [ ! -d "${OWN_CGROUP:-}" ] || rmdir "$OWN_CGROUP"
    oci_teardown
}

# Root inside with CAP_MKNOD, as podman and Docker give it: the script
# that makes a node of the host's disk in /dev (a tmpfs without nodev,
# as crun spec writes it) and reads it.
mknod_disk() {
    echo "mknod /dev/disk b ${DISK%:*} ${DISK#*:} && echo made &&
        head -c 16 /dev/disk"
}

# runbox create ID is refused: status 1, one line matching REGEX, no state
# left. The container's stdio is a file: one that was made (the attack
# worked) fails the test rather than hold bats' pipe open.
refused() {
    local status=0
    IDS+=("$1")
    "$RUNBOX" create --bundle "$BUNDLE" "$1" </dev/null >"$OUT" \
        2>"$BATS_TEST_TMPDIR/err" || status=$?
    stderr=$(cat "$BATS_TEST_TMPDIR/err")
    assert_equal "$status" 1
    assert_one_error "$2"
    [ ! -e "/run/runbox/oci/$1" ] || fail "state of $1 is left"
}

# The bundle's config.json, the test's copy with VALUE for "VALUE".
with_value() {
    sed "s/\"VALUE\"/$1/" "$BATS_TEST_TMPDIR/config.json" >"$BUNDLE/config.json"
}

mknod_caps='.process.capabilities = ({bounding: ["CAP_MKNOD"],
    effective: ["CAP_MKNOD"], permitted: ["CAP_MKNOD"]})'

@test "oci-hostile: with no device rules, root inside cannot read a host disk through a node it makes" {
    loop_disk
    bundle "$(jq -n --arg s "$(mknod_disk)" '["sh","-c",$s]')" "$mknod_caps"
    [ "$(jq .linux.resources "$BUNDLE/config.json")" = null ]
    run "$RUNBOX" run --bundle "$BUNDLE" hx-dev1
    IDS+=(hx-dev1)
    refute_output --partial "host disk marker"
    assert_line made
    assert_line --partial "/dev/disk: Operation not permitted"
    # runbox exec joins the cgroup: the same rules.
    bundle '["sleep","1000"]' "$mknod_caps"
    started hx-dev2 sleep
    run "$RUNBOX" exec hx-dev2 sh -c "$(mknod_disk)"
    refute_output --partial "host disk marker"
    assert_line made
    assert_line --partial "/dev/disk: Operation not permitted"
}

@test "oci-hostile: masked paths, read-only paths and sysctls without a mount namespace are refused" {
    local without_mnt='.linux.namespaces |= map(select(.type != "mount"))'
    bundle '["true"]' "$without_mnt | .linux.maskedPaths = [\"/etc/hostname\"]"
    refused hx-mask '^runbox: config.json: linux.maskedPaths: needs a mount namespace of the container.s own \(linux.namespaces\)$'
    bundle '["true"]' "$without_mnt | .linux.readonlyPaths = [\"/proc/sys\"]"
    refused hx-ro '^runbox: config.json: linux.readonlyPaths: needs a mount namespace of the container.s own \(linux.namespaces\)$'
    bundle '["true"]' "$without_mnt | .linux.sysctl = {\"net.ipv4.ip_forward\": \"1\"}"
    refused hx-sysctl '^runbox: config.json: linux.sysctl: needs a mount namespace of the container.s own \(linux.namespaces\)$'
    # With one, a masked file reads as /dev/null.
    [ -s "$ROOTFS/etc/hostname" ]
    bundle '["cat","/etc/hostname"]' '.linux.maskedPaths = ["/etc/hostname"]'
    run "$RUNBOX" run --bundle "$BUNDLE" hx-masked
    IDS+=(hx-masked)
    assert_success
    assert_output ""
}

@test "oci-hostile: a create that fails on a cgroupsPath that exists leaves that cgroup alone" {
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        OWN_CGROUP=/sys/fs/cgroup/runbox-hostile-own
    else
        # Made after memory, pids, cpu, cpuset, blkio and devices: runbox
        # has made its own in those when its mkdir(2) here fails.
        OWN_CGROUP=/sys/fs/cgroup/freezer/runbox-hostile-own
    fi
    mkdir "$OWN_CGROUP"
    bundle '["true"]' '.linux.cgroupsPath = "/runbox-hostile-own"'
    run --separate-stderr "$RUNBOX" create --bundle "$BUNDLE" hx-cg
    IDS+=(hx-cg)
    assert_failure 1
    assert_one_error "^runbox: mkdir $OWN_CGROUP: File exists$"
    [ -d "$OWN_CGROUP" ] || fail "runbox removed $OWN_CGROUP, which it did not make"
    # What runbox made, it removed.
    assert_equal "$(find /sys/fs/cgroup -maxdepth 2 -name runbox-hostile-own)" "$OWN_CGROUP"
    [ ! -e /run/runbox/oci/hx-cg ] || fail "state of hx-cg is left"
}

@test "oci-hostile: a seccomp value of 2^63 and more is compared as written, or refused, never clamped" {
    # dd's seek is ftruncate(2)'s length, all 64 bits of it: 2^63 + 1 is
    # denied with EDOM; 2^63 - 1, what json-c clamps 2^63 + 1 to, is not.
    local dd='dd if=/dev/zero of=/dev/shm/f bs=1 count=1 seek'
    bundle "$(jq -n --arg s "$dd=9223372036854775809; $dd=9223372036854775807" \
        '["sh","-c",$s]')" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["ftruncate"], action: "SCMP_ACT_ERRNO",
            errnoRet: 33, args: [{index: 1, value: "VALUE", op: "SCMP_CMP_EQ"}]}]}'
    # jq writes a number this large as a double: the value goes in as text.
    mv "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.json"
    with_value 9223372036854775809
    run "$RUNBOX" run --bundle "$BUNDLE" hx-sec1
    IDS+=(hx-sec1)
    assert_line --index 0 --regexp '^dd: /dev/shm/f: .*out of domain$'
    [ "$(grep -c 'out of domain' <<<"$output")" = 1 ] || fail "$output"
    # Beyond 64 bits, or below 0: one line, nothing made.
    with_value 18446744073709551616
    refused hx-sec2 '^runbox: config.json: the number at byte [0-9]+ does not fit in 64 bits$'
    with_value -1
    refused hx-sec3 '^runbox: config.json: linux.seccomp.syscalls\[0\].args\[0\].value: not a number from 0 to 18446744073709551615$'
}
@test "oci-hostile: createContainer and startContainer hooks run in the container: before its root is entered, and before its process" {
    local hook="$BATS_TEST_TMPDIR/create-hook" log="$BATS_TEST_TMPDIR/create.log" pid
    # A script of the host: before pivot_root(2) its path is the host's.
    cat >"$hook" <<HOOK
#!/bin/sh
{ readlink /proc/self/ns/mnt /proc/self/ns/uts /proc/self/ns/net; cat; } >"$log"
HOOK
    chmod +x "$hook"
    bundle '["cat","/dev/shm/started"]' ".hooks = {
        createContainer: [{path: $(jq -n --arg h "$hook" '$h')}],
        startContainer: [{path: \"/bin/sh\", args: [\"sh\", \"-c\",
            \"{ hostname; cat; } >/dev/shm/started\"]}]}"
    create hx-hook || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    [ -s "$log" ] || fail "the createContainer hook did not run"
    run cat "$log"
    assert_line --index 0 "$(ns_of "$pid" mnt)"
    assert_line --index 1 "$(ns_of "$pid" uts)"
    assert_line --index 2 "$(ns_of "$pid" net)"
    [ "$(ns_of "$pid" mnt)" != "$(ns_of $$ mnt)" ]
    assert_equal "$(sed -n 4p "$log" | jq -r '.id, .status, .pid')" "hx-hook
creating
$pid"
    "$RUNBOX" start hx-hook
    for _ in $(seq 50); do
        [ "$(status_of hx-hook)" = stopped ] && break
        sleep 0.1
    done
    # The hook ran in the container, before its process, which printed
    # what the hook wrote.
    run cat "$OUT"
    assert_line --index 0 oci
    assert_equal "$(sed -n 2p "$OUT" | jq -r '.id, .status, .pid')" "hx-hook
created
$pid"
}

@test "oci-hostile: a failing createContainer hook fails create; a failing startContainer hook, the process" {
    bundle '["true"]' '.hooks.createContainer = [{path: "/bin/false"}]'
    refused hx-hook2 '^runbox: hook /bin/false: failed with status 1$'
    bundle '["echo","ran"]' '.hooks.startContainer = [{path: "/bin/false"}]'
    create hx-hook3 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    "$RUNBOX" start hx-hook3
    for _ in $(seq 50); do
        [ "$(status_of hx-hook3)" = stopped ] && break
        sleep 0.1
    done
    assert_equal "$(status_of hx-hook3)" stopped
    [ ! -s "$OUT" ] || fail "the process ran: $(cat "$OUT")"
    stderr=$(cat "$BATS_TEST_TMPDIR/err")
    assert_one_error '^runbox: hook /bin/false: failed with status 1$'
}

@test "oci-hostile: hooks run in the runtime-spec's order: createRuntime, createContainer, startContainer" {
    local log="$BATS_TEST_TMPDIR/order" hook="$BATS_TEST_TMPDIR/note"
    # Each hook appends its phase to one file of the host: the last one,
    # inside the container, through a bind mount on /tmp.
    printf '#!/bin/sh\necho "$1" >>%s\n' "$log" >"$hook"
    chmod +x "$hook"
    mkdir "$BATS_TEST_TMPDIR/vol"
    bundle '["true"]' ".hooks = {
        createRuntime: [{path: \"$hook\", args: [\"note\", \"createRuntime\"]}],
        createContainer: [{path: \"$hook\", args: [\"note\", \"createContainer\"]}],
        startContainer: [{path: \"/bin/sh\", args: [\"sh\", \"-c\",
            \"echo startContainer >>/tmp/order\"]}]}
        | .mounts += [{destination: \"/tmp\", type: \"bind\",
            source: \"$BATS_TEST_TMPDIR/vol\", options: [\"rbind\"]}]"
    create hx-order || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    assert_equal "$(cat "$log")" "createRuntime
createContainer"
    "$RUNBOX" start hx-order
    for _ in $(seq 50); do
        [ "$(status_of hx-order)" = stopped ] && break
        sleep 0.1
    done
    assert_equal "$(cat "$BATS_TEST_TMPDIR/vol/order")" startContainer
}

@test "oci-hostile: a member of the wrong type is refused in one line that names it" {
    local member value name i=0
    # Each once gave two lines (json_member()'s, then "missing"), or
    # none (hooks).
    for member in process root root.path hooks 'linux.namespaces[0].type' \
        'process.rlimits[0].type'; do
        # As a regex: each '.', '[' and ']' escaped.
        name=${member//./\\.}
        name=${name//\[/\\[}
        name=${name//\]/\\]}
        for value in 5 '"x"' '[]' true; do
            # A string is what these may be: root.path "x" is a path.
            [ "$value" != '"x"' ] || [[ $member != *path && $member != *type ]] ||
                continue
            bundle '["true"]' ".$member = $value"
            i=$((i + 1))
            refused "wt$i" "^runbox: config.json: $name: expected [a-z]+, got [a-z]+$"
        done
    done
}
