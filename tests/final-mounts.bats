#!/usr/bin/env bats
# runbox's filesystem, seen through the kernel's own tables: the mounts
# inside are exactly Docker's set, / is an overlay the rootfs never feels
# (or read-only), the old root is gone, /proc and /sys are masked, /dev
# is minimal, volumes land inside the container even through a hostile
# symlink, and after exit no mount and no state directory remain.
# The single-quoted scripts are the container's, expanded by its own sh.
# shellcheck disable=SC2016
load helper

# Docker's lists, as final/mount.c: a path this kernel lacks is skipped.
MASKED=(/proc/asound /proc/acpi /proc/kcore /proc/keys /proc/latency_stats
    /proc/timer_list /proc/timer_stats /proc/sched_debug /proc/scsi
    /sys/firmware /sys/devices/virtual/powercap)
READONLY=(/proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger)

# Prints "MOUNTPOINT FSTYPE" for each line of a mountinfo (proc(5)): the
# type follows the " - " that ends the optional fields.
MOUNTS_AWK='{ for (i = 7; $i != "-"; i++) continue; print $5, $(i + 1) }'

setup() {
    runbox_setup
}

# After every test: no mount left on the host, no state directory under
# /run/runbox, no cgroup.
teardown() {
    runbox_teardown
}

# The mounts a container has, as MOUNTS_AWK prints them. The host runs
# the same kernel, so what it has of the masked and read-only paths is
# what the container has.
expected_mounts() {
    local p host_dev
    printf '%s\n' "/ $1" '/proc proc' '/dev tmpfs' '/dev/pts devpts' \
        '/dev/shm tmpfs' '/dev/mqueue mqueue' '/sys sysfs'
    # The device nodes are the host's, bound from its /dev (devtmpfs).
    host_dev=$(findmnt -no FSTYPE /dev)
    for p in null zero full random urandom tty; do
        echo "/dev/$p $host_dev"
    done
    # A masked file has that /dev/null bound over it.
    for p in "${MASKED[@]}"; do
        if [ -f "$p" ]; then echo "$p $host_dev"; fi
        if [ -d "$p" ]; then echo "$p tmpfs"; fi
    done
    for p in "${READONLY[@]}"; do
        if [ -e "$p" ]; then echo "$p proc"; fi
    done
}

# A copy of the rootfs that the test may change, with PROBES in /bin;
# never ./rootfs itself, even where that is a symlink.
rootfs_copy() {
    local dir
    dir=$(rootfs_with_probes) || return 1
    # Checked before a probe is copied in; errexit is off in $(...).
    if [ "$(realpath "$dir")" = "$(realpath "$ROOTFS")" ]; then
        fail "$dir is $ROOTFS itself, not a copy"
        return 1
    fi
    rootfs_with_probes "$@"
}

# A checksum of a tree: names, types, modes, owners, sizes, times, link
# targets and contents.
tree_sum() {
    (
        cd "$1" || exit 1
        find . -printf '%p %y %m %U:%G %s %T@ %C@ %l\n' | LC_ALL=C sort
        find . -type f -exec md5sum {} + | LC_ALL=C sort
    ) | md5sum
}

@test "runbox mounts: the mount table inside is exactly Docker's set" {
    run "$RUNBOX" run -r "$ROOTFS" awk "$MOUNTS_AWK" /proc/self/mountinfo
    assert_success
    assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" \
        "$(expected_mounts overlay | sort)"
}

@test "runbox mounts: / is an overlay: writes never reach the rootfs, nor the next run" {
    local rootfs before
    rootfs=$(rootfs_copy)
    before=$(tree_sum "$rootfs")
    run "$RUNBOX" run -r "$rootfs" sh -c '
        echo new >/etc/new && rm /etc/passwd && echo more >>/etc/group &&
        chmod 700 /bin && mkdir -p /made/here && cat /etc/new && stat -c %a /
        grep " / / " /proc/self/mountinfo'
    assert_success
    assert_line --index 0 new
    # The root of the overlay has the mode of the rootfs, whatever the umask.
    assert_line --index 1 "$(stat -c %a "$rootfs")"
    assert_line --index 2 --partial " - overlay overlay rw,lowerdir=$(realpath "$rootfs"),upperdir=/run/runbox/"
    assert_equal "$(tree_sum "$rootfs")" "$before"
    run "$RUNBOX" run -r "$rootfs" sh -c 'ls /etc; ls -d /made 2>&1; stat -c %a /bin'
    assert_output "group
hostname
passwd
ls: /made: No such file or directory
$(stat -c %a "$rootfs/bin")"
}

@test "runbox mounts: --read-only: / refuses writes; /dev, /dev/shm and volumes take them" {
    local rootfs before vol
    rootfs=$(rootfs_copy)
    before=$(tree_sum "$rootfs")
    vol="$BATS_TEST_TMPDIR/vol"
    mkdir "$vol"
    run "$RUNBOX" run -r "$rootfs" --read-only -v "$vol:/tmp" sh -c '
        touch /etc/new 2>&1
        touch /dev/new /dev/shm/new /tmp/new && echo others ok
        awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo'
    assert_success
    assert_line --index 0 'touch: /etc/new: Read-only file system'
    assert_line --index 1 'others ok'
    assert_line --index 2 --regexp '^ro(,|$)'
    assert_file_exist "$vol/new"
    assert_equal "$(tree_sum "$rootfs")" "$before"
    # The same mount table as with the overlay, but / is the rootfs's own.
    run "$RUNBOX" run -r "$rootfs" --read-only awk "$MOUNTS_AWK" /proc/self/mountinfo
    assert_success
    assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" \
        "$(expected_mounts "$(findmnt -no FSTYPE --target "$rootfs")" | sort)"
}

@test "runbox mounts: the old root is gone: no host file is reachable, even out of a chroot" {
    local rootfs marker="host-marker-$$-$RANDOM"
    rootfs=$(rootfs_copy chroot-escape)
    touch "$BATS_TEST_TMPDIR/$marker"
    # chroot-escape climbs out of a chroot to the real root: here, the
    # container's own, with nothing of the host above it.
    run "$RUNBOX" run -r "$rootfs" sh -c "
        find / -name '$marker' 2>/dev/null; echo searched
        /bin/chroot-escape /bin/sh -c \"find / -name '$marker' 2>/dev/null; echo escaped and searched\""
    assert_success
    assert_output "searched
escaped and searched"
}

@test "runbox mounts: masked paths read empty, masked directories are empty and read-only" {
    local p dirs=0 expected=()
    for p in "${MASKED[@]}"; do
        if [ -d "$p" ]; then
            expected+=("$p: dir of 0, touch: $p/x: Read-only file system")
            dirs=$((dirs + 1))
        elif [ -e "$p" ]; then
            expected+=("$p: 0 bytes")
        fi
    done
    # One empty tmpfs for every masked directory: one device number.
    expected+=("masked directories on $((dirs > 0)) device(s)")
    run "$RUNBOX" run -r "$ROOTFS" sh -c '
        for p in "$@"; do
            if [ -d "$p" ]; then
                echo "$p: dir of $(ls -A "$p" | wc -l), $(touch "$p/x" 2>&1)"
                stat -c %d "$p" >>/tmp/devices
            elif [ -e "$p" ]; then
                echo "$p: $(cat "$p" | wc -c) bytes"
            fi
        done
        touch /tmp/devices
        echo "masked directories on $(sort -u /tmp/devices | wc -l) device(s)"' sh "${MASKED[@]}"
    assert_success
    assert_equal "$output" "$(printf '%s\n' "${expected[@]}")"
}

@test "runbox mounts: read-only paths refuse writes, even from root" {
    local p
    # Each knob is written with its own value: nothing changes even if
    # the write got through.
    run "$RUNBOX" run -r "$ROOTFS" sh -c '
        for f in /proc/sys/kernel/hostname /proc/sys/vm/overcommit_memory; do
            v=$(cat "$f"); echo "$v" >"$f"
        done 2>&1
        awk "{ print \$5, \$6 }" /proc/self/mountinfo'
    assert_success
    assert_line --index 0 "sh: can't create /proc/sys/kernel/hostname: Read-only file system"
    assert_line --index 1 "sh: can't create /proc/sys/vm/overcommit_memory: Read-only file system"
    for p in "${READONLY[@]}"; do
        if [ -e "$p" ]; then
            assert_line --regexp "^$p ro,nosuid,nodev,noexec(,|$)"
        fi
    done
}

@test "runbox mounts: /dev holds exactly Docker's nodes and links, with their modes" {
    run "$RUNBOX" run -r "$ROOTFS" sh -c '
        stat -c "%n %A" /dev
        cd /dev && for f in * pts/*; do
            if [ -L "$f" ]; then
                echo "$f -> $(readlink "$f")"
            else
                stat -c "%n %A %t,%T" "$f"
            fi
        done'
    assert_success
    assert_output "/dev drwxr-xr-x
core -> /proc/kcore
fd -> /proc/self/fd
full crw-rw-rw- 1,7
mqueue drwxrwxrwt 0,0
null crw-rw-rw- 1,3
ptmx -> pts/ptmx
pts drwxr-xr-x 0,0
random crw-rw-rw- 1,8
shm drwxrwxrwt 0,0
stderr -> /proc/self/fd/2
stdin -> /proc/self/fd/0
stdout -> /proc/self/fd/1
tty crw-rw-rw- 5,0
urandom crw-rw-rw- 1,9
zero crw-rw-rw- 1,5
pts/ptmx crw-rw-rw- 5,2"
}

@test "runbox mounts: /dev/pts is a new devpts instance, its ptmx open to all" {
    local inside
    run "$RUNBOX" run -r "$ROOTFS" awk '$5 == "/dev/pts"' /proc/self/mountinfo
    assert_success
    assert_equal "${#lines[@]}" 1
    assert_output --regexp ' - devpts devpts rw,.*mode=620,ptmxmode=666'
    # A new instance is a new superblock: a device number of its own.
    inside=$(echo "$output" | cut -d' ' -f3)
    awk '{ for (i = 7; $i != "-"; i++) continue; if ($(i + 1) == "devpts") print $3 }' \
        /proc/self/mountinfo | grep -qx "$inside" &&
        fail "the container's devpts ($inside) is one of the host's"
    true
}

@test "runbox mounts: a volume: written inside, seen on the host; :ro refuses writes" {
    local rootfs before src="$BATS_TEST_TMPDIR/src"
    rootfs=$(rootfs_copy)
    before=$(tree_sum "$rootfs")
    mkdir "$src"
    echo from-host >"$src/host-file"
    echo a-file >"$BATS_TEST_TMPDIR/single"
    run "$RUNBOX" run -r "$rootfs" -v "$src:/data" -v "$src:/deep/ro:ro" \
        -v "$BATS_TEST_TMPDIR/single:/etc/single:ro" sh -c '
        cat /data/host-file /etc/single
        echo from-container >/data/inside
        echo no >/deep/ro/refused 2>&1
        echo no >/etc/single 2>&1
        awk "\$5 ~ /^\/(data|deep|etc)/ { print \$5, \$6 }" /proc/self/mountinfo'
    assert_success
    assert_output --regexp "^from-host
a-file
sh: can't create /deep/ro/refused: Read-only file system
sh: can't create /etc/single: Read-only file system
/data rw(,[a-z]+)*
/deep/ro ro(,[a-z]+)*
/etc/single ro(,[a-z]+)*$"
    assert_equal "$(cat "$src/inside")" from-container
    assert_file_not_exist "$src/refused"
    assert_equal "$(cat "$BATS_TEST_TMPDIR/single")" a-file
    # The mountpoints were made in the overlay, not in the rootfs.
    assert_equal "$(tree_sum "$rootfs")" "$before"
}

@test "runbox mounts: a rootfs symlink cannot point a volume at the host (CVE-2024-21626)" {
    local rootfs src="$BATS_TEST_TMPDIR/src" host="$BATS_TEST_TMPDIR/host-dir"
    rootfs=$(rootfs_copy)
    mkdir "$src" "$host"
    echo volume >"$src/content"
    touch "$host/canary"
    # /etc in the attack, which both the host and the rootfs have; here a
    # directory of the test, so that a failure harms nothing. Absolute,
    # and relative climbing out with "..".
    mkdir -p "$rootfs$host"
    ln -s "$host" "$rootfs/evil"
    ln -s "../../../../../../../../..$host" "$rootfs/evil-relative"
    run "$RUNBOX" run -r "$rootfs" -v "$src:/evil/x" \
        -v "$src:/evil-relative/y:ro" sh -c '
        cat /evil/x/content /evil-relative/y/content
        awk "\$5 ~ /host-dir/ { print \$5 }" /proc/self/mountinfo'
    assert_success
    # Inside, the symlinks resolve in the container's root, and so did
    # the mountpoints.
    assert_output "volume
volume
$host/x
$host/y"
    assert_equal "$(ls -A "$host")" canary
}

@test "runbox mounts: a symlink to a host path the rootfs lacks is refused, nothing made" {
    local rootfs src="$BATS_TEST_TMPDIR/src" host="$BATS_TEST_TMPDIR/host-dev"
    rootfs=$(rootfs_copy)
    mkdir "$src" "$host"
    ln -s "$BATS_TEST_TMPDIR/missing" "$rootfs/dangling"
    run -125 --separate-stderr "$RUNBOX" run -r "$rootfs" -v "$src:/dangling/x" true
    assert_one_error '^runbox: .*/dangling'
    assert_file_not_exist "$BATS_TEST_TMPDIR/missing"
    # The same for a mountpoint of runbox's own: /dev made a symlink to
    # a host directory would get the nodes there.
    rm -r "${rootfs:?}/dangling" "${rootfs:?}/dev"
    ln -s "$host" "$rootfs/dev"
    run -125 --separate-stderr "$RUNBOX" run -r "$rootfs" true
    assert_one_error '^runbox: .*/dev'
    assert_equal "$(ls -A "$host")" ""
}

@test "runbox mounts: nothing reaches the host, during or after, even when its / is shared" {
    requires mountns
    local cmd
    start_bg "$RUNBOX" run -r "$ROOTFS" sh -c 'echo x >/written && exec sleep 1000'
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    # Nothing in /run/runbox on the host while the container runs, not even
    # what it wrote: the overlay's layers are on a tmpfs over /run/runbox...
    assert_equal "$(find /run/runbox -mindepth 1)" ""
    # ... in the container's mount namespace, as its overlay, not the host's.
    grep -q " / / .* - overlay .*,upperdir=/run/runbox/upper," "/proc/$cmd/mountinfo" ||
        fail "no overlay inside, with its layers on /run/runbox"
    diff <(grep '^mount ' "$BATS_TEST_TMPDIR/host.before") <(host_state | grep '^mount ') ||
        fail "a mount of the container is in the host's table"
    kill -KILL "$cmd"
    wait "$BG_PID" || true
    # As on a systemd host: the outer / shared, so that a runtime that
    # forgot MS_PRIVATE would propagate its mounts into it.
    run unshare --mount sh -c "
        mount --make-rshared / || exit 1
        '$RUNBOX' run -r '$ROOTFS' sh -c 'grep -c \" - overlay \" /proc/self/mountinfo' || exit 1
        grep -c -e ' - overlay ' -e /run/runbox /proc/self/mountinfo"
    assert_failure 1
    assert_output "1
0"
}

@test "runbox mounts: a rootfs path overlayfs cannot take is refused, unless --read-only" {
    local rootfs="$BATS_TEST_TMPDIR/with,comma"
    mkdir "$rootfs"
    cp -a "$ROOTFS/." "$rootfs"
    run -125 --separate-stderr "$RUNBOX" run -r "$rootfs" true
    assert_one_error "^runbox: rootfs $rootfs: overlayfs takes no path with ',', ':' or '\\\\'$"
    run "$RUNBOX" run -r "$rootfs" --read-only cat /etc/hostname
    assert_success
    assert_output "$(cat "$rootfs/etc/hostname")"
}
