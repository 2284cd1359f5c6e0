#!/usr/bin/env bats
# linux.namespaces of config.json, seen through /proc/PID/ns: a type
# listed without a path is new, with a path it is the namespace the path
# names (held by a process the test made with unshare(1)), not listed it
# is runbox's own. The maps of a user namespace, read back from uid_map
# and gid_map. Bad namespaces: one line, exit 1, nothing left.
load helper
load oci-helper

# The types of config.json and their names under /proc/PID/ns.
TYPES=(pid network mount ipc uts cgroup time)
declare -gA PROC_NAME=([pid]=pid [network]=net [mount]=mnt [ipc]=ipc
    [uts]=uts [cgroup]=cgroup [time]=time [user]=user)

# The path under /proc/HOLDER/ns of the namespace of TYPE that HOLDER's
# children get: pid and time move only the children of unshare(1).
holder_ns() {
    local path=${PROC_NAME[$2]}
    [ "$2" = pid ] || [ "$2" = time ] && path+=_for_children
    echo "/proc/$1/ns/$path"
}

# A jq filter: linux.namespaces, each TYPE joined by HOLDER's path.
joined() {
    local holder=$1 type list=""
    shift
    for type in "$@"; do
        list+="{type: \"$type\", path: \"$(holder_ns "$holder" "$type")\"},"
    done
    echo ".linux.namespaces = [${list%,}]"
}

@test "oci namespaces: each type listed without a path is new" {
    local pid type
    bundle '["sleep","1000"]' '.linux.namespaces = [{type: "pid"},
        {type: "network"}, {type: "mount"}, {type: "ipc"}, {type: "uts"},
        {type: "cgroup"}, {type: "time"}]'
    started n1 sleep
    pid=$PID
    for type in "${TYPES[@]}"; do
        [ "$(ns_of "$pid" "${PROC_NAME[$type]}")" != \
            "$(ns_of $$ "${PROC_NAME[$type]}")" ] ||
            fail "$type: the container has runbox's own"
    done
    assert_equal "$(ns_of "$pid" user)" "$(ns_of $$ user)"
}

@test "oci namespaces: a new network namespace is the container's before /sys is mounted, lo up" {
    local pid
    bundle '["sleep","1000"]'
    started w1 sleep
    pid=$PID
    [ "$(ns_of "$pid" net)" != "$(ns_of $$ net)" ] ||
        fail "the container has runbox's own network namespace"
    # runbox create makes it ahead, in a thread (net.c), with lo up.
    run nsenter --net="/proc/$pid/ns/net" ip -o link
    assert_success
    assert_output --regexp '^1: lo: <LOOPBACK,UP,LOWER_UP>'
    assert_equal "${#lines[@]}" 1
    # sysfs lists the links of the namespace its mounter was in: the
    # child joined the namespace before it mounted /sys.
    assert_equal "$(ls "/proc/$pid/root/sys/class/net")" lo
}

@test "oci namespaces: a type not listed is runbox's own; no mount is made" {
    local pid type
    bundle '["sleep","1000"]' '.linux.namespaces = [] | del(.hostname)'
    started i1 sleep
    pid=$PID
    for type in "${TYPES[@]}" user; do
        assert_equal "$(ns_of "$pid" "${PROC_NAME[$type]}")" \
            "$(ns_of $$ "${PROC_NAME[$type]}")"
    done
    # Without a mount namespace of its own: chroot(2) into root.path.
    assert_equal "$(readlink "/proc/$pid/root")" "$ROOTFS"
    assert_equal "$(hostname)" \
        "$(sed -n 's/^hostname //p' "$BATS_TEST_TMPDIR/host.before")"
}

@test "oci namespaces: a type with a path joins that namespace" {
    local holder pid type
    start_bg unshare --pid --net --mount --ipc --uts --cgroup --time \
        --fork sleep 1000
    holder=$BG_PID
    # unshare(1) is in its new namespaces once its child (sleep) is there.
    child_of "$holder" >/dev/null
    # A hook runbox starts after clone(2) shows runbox's pid namespace.
    bundle '["sleep","1000"]' "$(joined "$holder" "${TYPES[@]}")"'
        | .hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c",
            "readlink /proc/self/ns/pid >'"$BATS_TEST_TMPDIR/hook"'"]}]'
    started p1 sleep
    pid=$PID
    for type in "${TYPES[@]}"; do
        assert_equal "$(ns_of "$pid" "${PROC_NAME[$type]}")" \
            "$(readlink "$(holder_ns "$holder" "$type")")"
    done
    # runbox itself went back to its own pid namespace after clone(2).
    assert_equal "$(cat "$BATS_TEST_TMPDIR/hook")" "$(ns_of $$ pid)"
    # The hostname is set in the joined uts namespace.
    assert_equal "$(nsenter --target "$holder" --uts hostname)" oci
}

@test "oci namespaces: a user namespace joined by path, with the others" {
    local holder
    start_bg unshare --user --pid --net --mount --ipc --uts --cgroup \
        --fork sleep 1000
    holder=$BG_PID
    child_of "$holder" >/dev/null
    # As root, the maps need no setgroups deny: root inside is root.
    echo "0 0 65536" >"/proc/$holder/uid_map"
    echo "0 0 65536" >"/proc/$holder/gid_map"
    bundle '["sh","-c","hostname; readlink /proc/self/ns/user"]' \
        "$(joined "$holder" user pid network mount ipc uts cgroup)"
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" j1
    assert_success
    assert_output "oci
$(ns_of "$holder" user)"
}

@test "oci namespaces: a new user namespace gets the maps of config.json" {
    bundle '["sh","-c","cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g"]' '
        .linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 1000},
            {containerID: 1000, hostID: 300000, size: 10}]
        | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]'
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" u1
    assert_success
    # uid_map as the kernel prints it: each field right-aligned, width 10.
    assert_equal "$(printf '%s\n' "${lines[@]}" | awk '{$1 = $1; print}')" \
        "0 100000 1000
1000 300000 10
0 200000 65536
0
0"
}

@test "oci namespaces: the user namespace is the container's, seen from outside" {
    local pid
    bundle '["sleep","1000"]' '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
        | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
    started u2 sleep
    pid=$PID
    [ "$(ns_of "$pid" user)" != "$(ns_of $$ user)" ] || fail "runbox's own"
    # Root inside is uid 100000 outside, for the kernel.
    assert_equal "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" 100000
    assert_equal "$(awk '{print $1, $2, $3}' "/proc/$pid/uid_map")" \
        "0 100000 65536"
}

@test "oci namespaces: bad namespaces and maps: one line, exit 1, nothing left" {
    bundle '["sh"]' '.linux.namespaces += [{type: "cgroup", path: "/proc/self/ns/uts"}]'
    bad_bundle b1 '^runbox: config.json: linux.namespaces\[5\].path: /proc/self/ns/uts is not a cgroup namespace$'
    bundle '["sh"]' '.linux.namespaces += [{type: "time", path: "/etc/hostname"}]'
    bad_bundle b2 'linux.namespaces\[5\].path: /etc/hostname is not a time namespace$'
    bundle '["sh"]' '.linux.namespaces += [{type: "cgroup", path: "/nonexistent"}]'
    bad_bundle b3 'linux.namespaces\[5\].path /nonexistent: No such file or directory$'
    bundle '["sh"]' '.linux.namespaces += [{type: "bogus"}]'
    bad_bundle b4 'linux.namespaces\[5\].type: bogus is not a namespace type$'
    bundle '["sh"]' '.linux.namespaces = [{type: "pid"}]'
    bad_bundle b5 'config.json: hostname: needs a uts namespace of its own$'
    bundle '["sh"]' '.linux.uidMappings = [{containerID: 0, hostID: 1000, size: 1}]'
    bad_bundle b6 'linux.uidMappings: needs a new user namespace$'
    bundle '["sh"]' '.linux.namespaces += [{type: "user"}]'
    bad_bundle b7 'a new user namespace needs linux.uidMappings and linux.gidMappings$'
    bundle '["sh"]' '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [{containerID: 0, hostID: 1000}]'
    bad_bundle b8 'linux.uidMappings\[0\].size: missing$'
    bundle '["sh"]' '.linux.namespaces += [{type: "user"}]
        | .linux.uidMappings = [5] | .linux.gidMappings = [5]'
    bad_bundle b11 'linux.uidMappings\[0\]: expected an object$'
    bundle '["sh"]' '.linux.namespaces += [{type: "user", path: "/proc/self/ns/user"}]'
    bad_bundle b9 'a user namespace joined by path, with new namespaces: not supported$'
    bundle '["sh"]' '.ociVersion = "invalid"'
    bad_bundle b10 'config.json: ociVersion: invalid is not a version 1.x.y$'
}

@test "oci namespaces: runbox run still makes every namespace" {
    local type out
    run --separate-stderr "$RUNBOX" run -r "$ROOTFS" -- sh -c \
        'for t in pid net mnt ipc uts cgroup; do readlink /proc/self/ns/$t; done'
    assert_success
    for type in pid net mnt ipc uts cgroup; do
        out=$(printf '%s\n' "${lines[@]}" | grep "^$type:")
        [ "$out" != "$(ns_of $$ "$type")" ] || fail "$type is the host's"
    done
}
