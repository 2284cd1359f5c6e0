#!/usr/bin/env bats
# runbox without root: an ordinary user (nobody, 65534) is root inside a
# user namespace of its own and no one more outside. And runbox --userns as
# root: root inside is uid 100000 outside. What the kernel shows on both
# sides, what the container's root still cannot do, and what is left after.
load helper

setup() {
    runbox_setup userns
    rootless_setup
    (cd "$WORK/rootfs" && find . -printf '%p %U %m\n' | sort | md5sum) >"$BATS_TEST_TMPDIR/rootfs.sum"
}

teardown() {
    runbox_teardown
    rootless_teardown
}

rootfs_unchanged() {
    (cd "$WORK/rootfs" && find . -printf '%p %U %m\n' | sort | md5sum) |
        diff "$BATS_TEST_TMPDIR/rootfs.sum" - || fail "the rootfs changed"
}

@test "rootless: root inside, nobody outside: the maps and the host's view" {
    local cmd
    run rootless sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
    assert_success
    assert_line --index 0 0
    assert_line --index 1 0
    assert_line --index 2 --regexp "^ +0 +$USER_ID +1$"
    assert_line --index 3 --regexp "^ +0 +$USER_ID +1$"
    start_bg "${AS_USER[@]}" "$WORK/runbox" run -r "$WORK/rootfs" sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    # status(5): real, effective, saved and filesystem uid, as the host sees them.
    assert_equal "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$cmd/status")" \
        "$USER_ID $USER_ID $USER_ID $USER_ID"
    for kind in user mnt uts ipc pid net cgroup; do
        [ "$(ns_of "$cmd" "$kind")" != "$(ns_of $$ "$kind")" ] ||
            fail "the $kind namespace is the host's"
    done
}

@test "rootless: Docker's 14 capabilities, no_new_privs and seccomp, as with root" {
    run rootless grep -E '^(CapEff|CapBnd|CapInh|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status
    assert_success
    assert_line --regexp '^CapEff:\s+00000000a80425fb$'
    assert_line --regexp '^CapBnd:\s+00000000a80425fb$'
    assert_line --regexp '^CapInh:\s+0+$'
    assert_line --regexp '^CapAmb:\s+0+$'
    assert_line --regexp '^NoNewPrivs:\s+1$'
    assert_line --regexp '^Seccomp:\s+2$'
}

@test "rootless: its own /proc, a read-only /sys and /proc/sys, masked paths" {
    run rootless sh -c 'ps -o pid= >/tmp/ps; wc -l </tmp/ps; cat /proc/keys /proc/timer_list | wc -c;
        touch /sys/x 2>&1; echo 1 >/proc/sys/kernel/domainname 2>&1;
        grep -E " /(proc|sys|dev|dev/pts) " /proc/self/mounts | cut -d" " -f2,3 | sort'
    assert_line --index 0 2
    assert_line --index 1 0
    assert_line --index 2 --partial 'Read-only file system'
    assert_line --index 3 --partial 'Read-only file system'
    assert_line '/dev tmpfs'
    assert_line '/dev/pts devpts'
    assert_line '/proc proc'
    assert_line '/sys sysfs'
}

@test "rootless: where sysfs cannot be mounted anew, the host's /sys is bound read-only" {
    # A mount over part of the host's sysfs, in a throwaway mount
    # namespace, makes the kernel refuse a new sysfs to a user namespace
    # (mount_too_revealing()): runbox binds the host's, read-only.
    run unshare --mount --propagation private sh -c 'mount -t tmpfs none /sys/firmware &&
        exec "$@"' sh "${AS_USER[@]}" "$WORK/runbox" run -r "$WORK/rootfs" sh -c \
        'grep " /sys " /proc/self/mounts | cut -d" " -f3,4; touch /sys/x 2>&1; ls /sys/class/net | grep -vx lo | wc -l'
    assert_success
    assert_line --index 0 --regexp '^sysfs ro,'
    assert_line --index 1 --partial 'Read-only file system'
    # The host's network devices: a new sysfs would show the container's lo only.
    [ "${lines[2]}" -gt 0 ] || fail "/sys is not the host's: ${lines[2]} devices"
}

@test "rootless: root inside cannot read a root-only file of the host" {
    echo secret >"$WORK/secret"
    chmod 600 "$WORK/secret"
    run rootless -v "$WORK/secret:/secret" sh -c 'cat /secret; chmod 644 /secret; chown 0 /secret'
    assert_failure
    refute_line secret
    assert_line --partial 'cat: can'\''t open '\''/secret'\'': Permission denied'
    assert_line --partial "chmod: /secret: Operation not permitted"
    assert_equal "$(stat -c '%u %a' "$WORK/secret")" "0 600"
}

@test "rootless: writes under / go to the overlay; the rootfs is unchanged" {
    run rootless sh -c 'echo new >/new && echo changed >>/etc/passwd && rm /bin/ls && cat /new && tail -1 /etc/passwd'
    assert_success
    assert_output $'new\nchanged'
    rootfs_unchanged
    assert_equal "$(find "$STATE_ROOT" -mindepth 1 | head -1)" ""
}

@test "rootless: a rootfs of root's own is read and run; writes at / work too" {
    chmod 755 "$WORK"
    run "${AS_USER[@]}" "$WORK/runbox" run -r "$ROOTFS" sh -c 'id -u; echo x >/new && cat /new'
    assert_success
    assert_output $'0\nx'
}

@test "rootless: what the container closes to its owner is removed all the same" {
    run rootless sh -c 'mkdir -p /a/b && touch /a/b/f && chmod 0 /a/b /a'
    assert_success
    assert_equal "$(find "$STATE_ROOT" -mindepth 1 | head -1)" ""
}

@test "rootless: -u of another user is refused: only uid 0 is mapped" {
    run -125 --separate-stderr rootless -u 1000 true
    assert_one_error '^runbox: --user 1000:1000: without root, only uid 0 and gid 0 exist in the container \(they are yours\)$'
}

# Runs CMD as root of a new user namespace with ids 0-65535 mapped to
# themselves: there, user.max_user_namespaces is the test's own to set.
in_own_userns() {
    local fifo=$BATS_TEST_TMPDIR/go pid
    mkfifo "$fifo"
    unshare --user sh -c 'read -r _ <"$0" && exec "$@"' "$fifo" "$@" &
    pid=$!
    until [ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]; do
        sleep 0.01
    done
    echo "0 0 65536" >"/proc/$pid/uid_map"
    echo "0 0 65536" >"/proc/$pid/gid_map"
    echo go >"$fifo"
    wait "$pid"
}

@test "rootless: user namespaces switched off: one line naming the setting" {
    run -125 --separate-stderr in_own_userns sh -c \
        'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" "$@"' \
        "${AS_USER[@]}" "$WORK/runbox" run -r "$WORK/rootfs" true
    assert_one_error '^runbox: run: unprivileged user namespaces are off here \(user.max_user_namespaces = 0\): run with sudo, or have root run sysctl -w user.max_user_namespaces=15000$'
}

@test "rootless: runbox and its guard killed with SIGKILL: runbox cleanup, as the user, removes its state" {
    local runbox cmd
    start_bg "${AS_USER[@]}" "$WORK/runbox" run -r "$WORK/rootfs" sleep 1000
    runbox=$BG_PID
    cmd=$(child_of "$runbox")
    wait_for_exec "$cmd" sleep
    # The guard alone would remove the state: it goes first (runtime.c).
    kill_runbox_and_guard "$runbox"
    while kill -0 "$cmd" 2>/dev/null; do sleep 0.05; done
    assert_dir_exist "$(echo "$STATE_ROOT/runbox-$runbox".*)"
    run "${AS_USER[@]}" "$WORK/runbox" cleanup
    assert_success
    assert_output --regexp "^removed $STATE_ROOT/runbox-$runbox\.[A-Za-z0-9]{6}$"
}

@test "--userns as root: root inside is uid 100000 outside" {
    local runbox cmd
    run "$RUNBOX" run --userns sh -c 'id -u; cat /proc/self/uid_map; grep -E "^(Groups|CapEff):" /proc/self/status'
    assert_success
    assert_line --index 0 0
    assert_line --index 1 --regexp '^ +0 +100000 +65536$'
    assert_line --regexp '^Groups:\s*$'
    assert_line --regexp '^CapEff:\s+00000000a80425fb$'
    start_bg "$RUNBOX" run --userns sleep 1000
    cmd=$(child_of "$BG_PID")
    wait_for_exec "$cmd" sleep
    assert_equal "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$cmd/status")" \
        "100000 100000 100000 100000"
    [ "$(ns_of "$cmd" user)" != "$(ns_of $$ user)" ] || fail "the user namespace is the host's"
}

@test "--userns as root: the host's root files are no one's inside, and stay closed" {
    echo secret >"$WORK/secret"
    chmod 600 "$WORK/secret"
    run "$RUNBOX" run --userns -v "$WORK/secret:/secret" sh -c 'stat -c "%u %g" /bin/busybox; cat /secret'
    assert_failure
    assert_line --index 0 '65534 65534'
    assert_line --partial 'Permission denied'
    refute_line secret
}

@test "--userns as root: -u 1000 runs with no groups and no capabilities" {
    run "$RUNBOX" run --userns -u 1000:1000 sh -c 'id; grep -E "^(Groups|CapEff):" /proc/self/status'
    assert_success
    assert_line --index 0 'uid=1000 gid=1000'
    assert_line --regexp '^Groups:\s*$'
    assert_line --regexp '^CapEff:\s+0+$'
}

@test "rootless: -t gives a pty of the container's own devpts, --read-only holds" {
    command -v script >/dev/null || skip_or_fail "no script(1) here (apt-get install bsdutils)"
    # Input open until CMD is done: script(1) types ^D at its end, which
    # before the terminal is raw would reach the container as a NUL.
    run script -qec "${AS_USER[*]} $WORK/runbox run -t -r $WORK/rootfs sh -c 'tty; exit 4'" /dev/null < <(sleep 5)
    assert_equal "$status" 4
    assert_equal "${output//$'\r'/}" /dev/pts/0
    run rootless --read-only -v "$WORK:/tmp:ro" sh -c 'touch /x /tmp/y 2>&1; ls /tmp'
    assert_line "touch: /x: Read-only file system"
    assert_line "touch: /tmp/y: Read-only file system"
    assert_line rootfs
    rootfs_unchanged
}

@test "rootless: --net bridge is refused with one line: a bridge is made on the host" {
    run -125 --separate-stderr rootless --net bridge true
    assert_one_error '^runbox: --net bridge: without root, only --net none: run with sudo$'
}

@test "rootless: where overlayfs is refused, the rootfs is read-only and /tmp a tmpfs" {
    # An upper directory on an overlayfs is refused (EINVAL), as overlayfs
    # in a user namespace is before Linux 5.11: the state directory goes
    # on one, made in a mount namespace of the test's own.
    mkdir -p "$WORK/o/lower" "$WORK/o/upper" "$WORK/o/work" "$WORK/o/merged"
    run unshare --mount sh -c '
        mount -t overlay overlay -o "lowerdir=$0/lower,upperdir=$0/upper,workdir=$0/work" "$0/merged" &&
        install -d -o 65534 -m 700 "$0/merged/xdg" &&
        chmod 755 "$0/merged" &&
        exec "$@"' "$WORK/o" "${AS_USER[@]}" XDG_RUNTIME_DIR="$WORK/o/merged/xdg" \
        "$WORK/runbox" run -r "$WORK/rootfs" sh -c 'echo x >/tmp/x && cat /tmp/x; touch /y'
    assert_failure 1
    assert_line --index 0 'runbox: mount overlay: Invalid argument: the rootfs is read-only, /tmp a tmpfs'
    assert_line --index 1 x
    assert_line --index 2 'touch: /y: Read-only file system'
    rootfs_unchanged
}
