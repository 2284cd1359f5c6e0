#!/usr/bin/env bats
# config.json's filesystem (final/ocimount.c, final/ocirootfs.c): the
# mounts in order with their options, linux.devices and the default
# devices, maskedPaths, readonlyPaths, rootfsPropagation, root.readonly,
# each seen through the container's own /proc/self/mountinfo and stat;
# a symlink in the rootfs that would lead a mount out to the host; bad
# entries refused with one line, exit 1, nothing left on the host.
load helper
load oci-helper

# runbox run --bundle of sh -c SCRIPT, with JQ applied to the config.
inside() {
    bundle "$(jq -nc --arg s "$1" '["sh","-c",$s]')" "${2:-.}"
    IDS+=("m$BATS_TEST_NUMBER")
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" "m$BATS_TEST_NUMBER"
}

# The mountinfo line (proc(5)) of mountpoint $1 in $output, as "per-mount
# options|optional fields|type|source|super options"; the last if several.
mount_of() {
    printf '%s\n' "$output" | awk -v m="$1" '$5 == m {
        opt = ""
        for (i = 7; $i != "-"; i++) opt = opt (opt == "" ? "" : " ") $i
        line = $6 "|" opt "|" $(i + 1) "|" $(i + 2) "|" $(i + 3)
    } END { print line }'
}

# The flags of a per-mount options field, one a line, sorted.
flags() {
    tr , '\n' <<<"$1" | sort | tr '\n' ' '
}

@test "oci mounts: each type, in order, with its flags and data" {
    mkdir "$BATS_TEST_TMPDIR/data"
    echo host >"$BATS_TEST_TMPDIR/data/f"
    inside 'cat /proc/self/mountinfo; touch /tmp/ro/x /tmp/bind/x 2>/dev/null ||
        echo not-written' '.mounts += [
        {destination: "/tmp", type: "tmpfs", source: "tmpfs",
            options: ["nosuid", "nodev", "noexec", "mode=1770", "size=2m"]},
        {destination: "/tmp/ro", type: "tmpfs", source: "tmp2",
            options: ["ro", "sync", "noatime", "nodiratime", "rw", "ro"]},
        {destination: "/tmp/bind", source: "'"$BATS_TEST_TMPDIR/data"'",
            options: ["rbind", "ro", "nosuid", "strictatime"]},
        {destination: "/tmp/file", type: "bind",
            source: "'"$BATS_TEST_TMPDIR/data/f"'", options: ["noexec"]},
        {destination: "/tmp/mq", type: "mqueue", source: "mq",
            options: ["relatime"]}]'
    assert_success
    assert_equal "${lines[-1]}" not-written
    IFS='|' read -r opts _ type source data <<<"$(mount_of /tmp)"
    assert_equal "$(flags "$opts")" "nodev noexec nosuid relatime rw "
    assert_equal "$type $source" "tmpfs tmpfs"
    assert_equal "$(flags "$data")" "mode=1770 rw size=2048k "
    IFS='|' read -r opts _ type source _ <<<"$(mount_of /tmp/ro)"
    assert_equal "$(flags "$opts")" "noatime nodiratime ro "
    assert_equal "$type $source" "tmpfs tmp2"
    # A bind mount takes its flags from the remount after it.
    IFS='|' read -r opts _ type _ _ <<<"$(mount_of /tmp/bind)"
    assert_equal "$(flags "$opts")" "nosuid ro "
    IFS='|' read -r opts _ _ _ _ <<<"$(mount_of /tmp/file)"
    assert_equal "$(flags "$opts")" "noexec relatime rw "
    IFS='|' read -r opts _ type source _ <<<"$(mount_of /tmp/mq)"
    assert_equal "$type $source" "mqueue mq"
    # In the config's order: each after the one it is mounted in.
    assert_equal "$(printf '%s\n' "$output" | awk '$5 ~ /^\/tmp/ {print $5}' |
        tr '\n' ' ')" "/tmp /tmp/ro /tmp/bind /tmp/file /tmp/mq "
    [ ! -e "$BATS_TEST_TMPDIR/data/x" ] || fail "the read-only bind was written"
}

@test "oci mounts: propagation of a mount and of the root" {
    inside 'cat /proc/self/mountinfo' '.mounts += [
        {destination: "/tmp", type: "tmpfs", source: "tmpfs"},
        {destination: "/tmp/s", type: "tmpfs", source: "s",
            options: ["shared"]},
        {destination: "/tmp/u", type: "tmpfs", source: "u",
            options: ["unbindable"]},
        {destination: "/tmp/p", type: "tmpfs", source: "p",
            options: ["rprivate"]}]'
    assert_success
    assert_regex "$(mount_of /tmp/s)" '^[^|]*\|shared:[0-9]+\|'
    assert_regex "$(mount_of /tmp/u)" '^[^|]*\|unbindable\|'
    assert_regex "$(mount_of /tmp/p)" '^[^|]*\|\|'
    # runbox's own default: "/" private, as the mount namespace's copy.
    assert_regex "$(mount_of /)" '^[^|]*\|\|'
    inside 'cat /proc/self/mountinfo' '.linux.rootfsPropagation = "shared"'
    assert_success
    assert_regex "$(mount_of /)" '^[^|]*\|shared:[0-9]+\|'
    assert_regex "$(mount_of /proc)" '^[^|]*\|shared:[0-9]+\|'
    inside 'cat /proc/self/mountinfo' '.linux.rootfsPropagation = "unbindable"'
    assert_success
    assert_regex "$(mount_of /)" '^[^|]*\|unbindable\|'
}

@test "oci mounts: linux.devices and the default devices, made with mknod" {
    inside 'cd /dev && stat -c "%n %F %t %T %a %u %g" null zero full random \
        urandom tty c b p u && for l in fd stdin stdout stderr ptmx; do
        readlink $l; done' '
        .linux.devices = [
        {path: "/dev/c", type: "c", major: 10, minor: 200, fileMode: 432,
            uid: 5, gid: 6},
        {path: "/dev/b", type: "b", major: 7, minor: 1, fileMode: 384},
        {path: "/dev/p", type: "p", fileMode: 420, uid: 1000},
        {path: "/dev/u", type: "u", major: 1, minor: 3},
        {path: "/dev/null", type: "c", major: 1, minor: 3, fileMode: 438,
            gid: 9}]'
    assert_success
    assert_output "null character special file 1 3 666 0 9
zero character special file 1 5 666 0 0
full character special file 1 7 666 0 0
random character special file 1 8 666 0 0
urandom character special file 1 9 666 0 0
tty character special file 5 0 666 0 0
c character special file a c8 660 5 6
b block special file 7 1 600 0 0
p fifo 0 0 644 1000 0
u character special file 1 3 666 0 0
/proc/self/fd
/proc/self/fd/0
/proc/self/fd/1
/proc/self/fd/2
pts/ptmx"
}

@test "oci mounts: maskedPaths unreadable, readonlyPaths read-only, no others" {
    inside 'cat /proc/self/mountinfo; wc -c </etc/passwd; ls -A /etc | wc -l
        touch /root/x 2>/dev/null || echo root-masked
        echo x >/proc/sys/kernel/hostname 2>/dev/null || echo sys-read-only
        echo x >/tmp/f 2>/dev/null || echo tmp-read-only
        echo x >/tmp/rw/f && echo tmp-rw-written
        stat -c "%F %t %T" /etc/passwd' '.mounts += [
        {destination: "/tmp", type: "tmpfs", source: "tmpfs"},
        {destination: "/tmp/rw", type: "tmpfs", source: "rw"}]
        | .linux.maskedPaths = ["/etc/passwd", "/root", "/nonexistent"]
        | .linux.readonlyPaths = ["/proc/sys", "/tmp"]'
    assert_success
    assert_equal "${lines[-1]}" "character special file 1 3"
    unset 'lines[-1]'
    # A mount below a read-only path keeps its own flags, as with runc.
    # /etc/passwd is the null device: read as empty; /etc keeps its files.
    assert_equal "${lines[-6]}" 0
    assert_equal "${lines[-5]}" 3
    assert_equal "${lines[-4]}" root-masked
    assert_equal "${lines[-3]}" sys-read-only
    assert_equal "${lines[-2]}" tmp-read-only
    assert_equal "${lines[-1]}" tmp-rw-written
    assert_regex "$(mount_of /root)" '^ro,.*\|tmpfs\|'
    assert_regex "$(mount_of /proc/sys)" '^ro,'
    # The config's lists replace runbox run's: /proc/kcore is not masked.
    assert_equal "$(mount_of /proc/kcore)" ""
}

@test "oci mounts: root.readonly, and type cgroup read-only" {
    inside 'touch /x 2>/dev/null || echo root-read-only
        cat /proc/self/mountinfo
        echo 5 >/sys/fs/cgroup/pids/pids.max 2>/dev/null || echo cg-read-only' '
        .mounts += [{destination: "/sys/fs/cgroup", type: "cgroup",
            source: "cgroup", options: ["nosuid", "noexec", "nodev", "ro"]}]'
    assert_success
    assert_equal "${lines[0]}" root-read-only
    assert_equal "${lines[-1]}" cg-read-only
    assert_regex "$(mount_of /)" '^ro,'
    if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
        assert_regex "$(mount_of /sys/fs/cgroup)" '^ro,.*\|cgroup2\|'
    else
        assert_regex "$(mount_of /sys/fs/cgroup)" '^ro,.*\|tmpfs\|'
        assert_regex "$(mount_of /sys/fs/cgroup/pids)" '^ro,.*\|cgroup\|.*pids'
    fi
}

@test "oci mounts: a symlink in the rootfs does not lead a mount to the host" {
    local root victim="$BATS_TEST_TMPDIR/victim"
    mkdir "$victim"
    root=$(rootfs_with_probes)
    # Absolute, and up past the root: both resolve inside it.
    ln -s "$victim" "$root/abs"
    ln -s ../../../../../../.. "$root/up"
    mkdir -p "$root/$victim"
    inside 'cat /proc/self/mountinfo' '.root.path = "'"$root"'"
        | .root.readonly = false | .mounts += [{destination: "/abs/sub", type: "tmpfs", source: "a"},
            {destination: "/up/tmp/sub", type: "tmpfs", source: "u"}]'
    assert_success
    assert_regex "$(mount_of "$victim/sub")" '\|tmpfs\|a\|'
    assert_regex "$(mount_of /tmp/sub)" '\|tmpfs\|u\|'
    [ -d "$root/$victim/sub" ] || fail "the mountpoint is not in the rootfs"
    [ ! -e "$victim/sub" ] || fail "the mountpoint was made on the host"
    [ ! -e /tmp/sub ] || fail "/tmp/sub was made on the host"
    # Where the rootfs lacks the target, nothing is made: not on the host.
    rm -r "${root:?}/$victim"
    inside 'true' '.root.path = "'"$root"'" | .root.readonly = false
        | .mounts += [{destination: "/abs/sub", type: "tmpfs", source: "a"}]'
    assert_failure 1
    assert_regex "${stderr_lines[0]}" '^runbox: open /abs in the container: No such file'
    [ ! -e "$victim/sub" ] || fail "the mountpoint was made on the host"
}

# Bad entries: one line naming the field, exit 1, nothing made.
bad_mounts() {
    bundle '["true"]' "$1"
    run --separate-stderr "$RUNBOX" create --bundle "$BUNDLE" bad1
    assert_failure 1
    assert_one_error "$2"
    [ ! -e /run/runbox/oci/bad1 ] || fail "the state of bad1 is left"
}

@test "oci mounts: bad entries are refused with one line, exit 1" {
    bad_mounts '.mounts += [{destination: "/x"}]' \
        '^runbox: config.json: mounts\[6\].type: missing$'
    bad_mounts '.mounts += [{destination: "/x", type: "bind",
        source: "/nonexistent"}]' \
        '^runbox: config.json: mounts\[6\].source /nonexistent: No such file'
    bad_mounts '.mounts[1].options += ["'"$(printf 'x%.0s' {1..4100})"'"]' \
        '^runbox: config.json: mounts\[1\].options: longer than 4095 bytes$'
    bad_mounts '.mounts[0].options = "ro"' \
        '^runbox: config.json: mounts\[0\].options: expected array, got string$'
    bad_mounts 'del(.mounts[0])' \
        '^runbox: config.json: mounts: no proc on /proc, which runbox needs$'
    bad_mounts '.linux.maskedPaths = ["/ok", "proc/kcore"]' \
        '^runbox: config.json: linux.maskedPaths\[1\]: not an absolute path$'
    bad_mounts '.linux.readonlyPaths = ["sys"]' \
        '^runbox: config.json: linux.readonlyPaths\[0\]: not an absolute path$'
    bad_mounts '.linux.devices = [{path: "/dev/x", type: "x"}]' \
        '^runbox: config.json: linux.devices\[0\].type: expected c, b, u or p$'
    bad_mounts '.linux.devices = [{path: "/dev/x", type: "c", minor: 1}]' \
        '^runbox: config.json: linux.devices\[0\].major: missing$'
    bad_mounts '.linux.devices = [{path: "/dev/x", type: "b", major: 4096,
        minor: 0}]' \
        '^runbox: config.json: linux.devices\[0\].major: not a number from 0 to 4095$'
    bad_mounts '.linux.devices = [{path: "/dev/x", type: "p", fileMode: 4096}]' \
        '^runbox: config.json: linux.devices\[0\].fileMode: not a number from 0 to 4095$'
    bad_mounts '.linux.devices = [{path: "x", type: "p"}]' \
        '^runbox: config.json: linux.devices\[0\].path: expected an absolute path$'
    bad_mounts '.linux.rootfsPropagation = "sideways"' \
        '^runbox: config.json: linux.rootfsPropagation: sideways: expected shared, slave, private or unbindable$'
}

@test "oci mounts: a mount the kernel refuses fails create, nothing left" {
    bundle '["true"]' '.mounts += [{destination: "/tmp", type: "tmpfs",
        source: "tmpfs", options: ["mode=nonsense"]}]'
    # create waits until the container is built: the error is create's.
    run create m1
    assert_failure 1
    stderr=$(cat "$BATS_TEST_TMPDIR/err")
    assert_one_error '^runbox: mount tmpfs on /tmp: Invalid argument$'
    run "$RUNBOX" state m1
    assert_failure 1
    # Recorded while the child built itself (runtime.c), then undone.
    assert_file_not_exists "$BUNDLE/pid"
    assert_dir_not_exists "$(cgroup_dir pids runbox-oci-m1)"
}

@test "oci mounts: linux.mountLabel has nothing to label without SELinux" {
    [ ! -e /sys/fs/selinux/enforce ] || skip_or_fail "SELinux is enabled here"
    inside 'echo ok' '.linux.mountLabel = "system_u:object_r:svirt_sandbox_file_t:s0"'
    assert_success
    assert_output ok
}

@test "oci mounts: root.readonly with a mount where the image has no directory: made, then read-only (docker run --read-only -v)" {
    local root
    root=$(rootfs_with_probes)
    mkdir "$BATS_TEST_TMPDIR/data"
    echo hello >"$BATS_TEST_TMPDIR/data/f"
    bundle '["sh", "-c", "cat /data/f; touch /x 2>/dev/null || echo root-read-only"]' '
        .root.path = "'"$root"'"
        | .mounts += [{destination: "/data", type: "bind",
            source: "'"$BATS_TEST_TMPDIR/data"'", options: ["rbind", "rw"]}]'
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" ro-mkdir
    assert_success
    assert_output "hello
root-read-only"
    # As runc does, the mountpoint is made in the bundle's own root.
    [ -d "$root/data" ] || fail "no /data made in the bundle's root"
    [ ! -e "$root/x" ] || fail "the read-only root was written"
}

@test "oci mounts: a device node in a shared volume swapped for a symlink never chmods the link's target" {
    local vol="$BATS_TEST_TMPDIR/vol" target="$BATS_TEST_TMPDIR/host-file"
    local racer i
    mkdir "$vol"
    echo secret >"$target"
    chmod 600 "$target"
    # Another process sharing the volume swaps the node, the moment it
    # appears, for a symlink to a file of the host.
    "$(probe swap-race)" "$vol" node "$target" 30 >"$BATS_TEST_TMPDIR/racer" &
    racer=$!
    bundle '["true"]' '.mounts += [{destination: "/tmp", type: "bind",
            source: "'"$vol"'", options: ["rbind", "rw"]}]
        | .linux.devices = [{path: "/tmp/node", type: "c", major: 1,
            minor: 3, fileMode: 438}]'
    for i in $(seq 40); do
        "$RUNBOX" run --bundle "$BUNDLE" "race-$i" >/dev/null 2>&1 || true
        rm -f "$vol/node"
        [ "$(stat -c %a "$target")" = 600 ] || break
    done
    kill "$racer"
    wait "$racer" || true
    [ -s "$BATS_TEST_TMPDIR/racer" ] || fail "the node was never swapped: the test proves nothing"
    assert_equal "$(stat -c %a "$target")" 600
}
