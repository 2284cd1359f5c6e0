#!/usr/bin/env bats
# linux.resources of an OCI bundle, seen in the kernel's cgroup files on
# v1 or v2 (`sudo make test-vm` runs this file on both); runbox pause and
# resume through the cgroup freezer; runbox ps from cgroup.procs; and
# values this machine cannot apply refused with one line, nothing left.
load helper
load oci-helper

v2() {
    [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]
}

# The content of FILE (V1FILE on v1, V2FILE on v2) of the cgroup of
# container ID, in CONTROLLER's hierarchy on v1.
cg() {
    local id=$1 controller=$2 v1file=$3 v2file=$4
    if v2; then
        cat "/sys/fs/cgroup/runbox-oci-$id/$v2file"
    else
        cat "/sys/fs/cgroup/$controller/runbox-oci-$id/$v1file"
    fi
}

# runbox create ID fails: status 1, one line matching REGEX, no state and
# no cgroup left (runbox_teardown compares the rest of the host).
refused() {
    run --separate-stderr "$RUNBOX" create --bundle "$BUNDLE" "$1"
    assert_failure 1
    assert_one_error "$2"
    [ ! -e "/run/runbox/oci/$1" ] || fail "state of $1 is left"
    [ -z "$(find /sys/fs/cgroup -maxdepth 2 -name "runbox-oci-$1")" ] ||
        fail "a cgroup of $1 is left"
}

# The PIDs of the processes of the container, init first, then its
# children, as the kernel lists them (proc(5), /proc/PID/task/TID/children).
container_pids() {
    echo "$1"
    tr ' ' '\n' <"/proc/$1/task/$1/children" | grep .
}

@test "oci-cgroups: memory, cpu, cpuset and pids values are in the cgroup files" {
    local pid
    bundle '["sleep","1000"]' '.linux.resources = {
        memory: {limit: 67108864, reservation: 33554432, swap: 134217728},
        cpu: {shares: 512, quota: 20000, period: 50000, cpus: "0", mems: "0"},
        pids: {limit: 42}}'
    create r1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    assert_equal "$(cg r1 pids cgroup.procs cgroup.procs)" "$pid"
    assert_equal "$(cg r1 memory memory.limit_in_bytes memory.max)" 67108864
    assert_equal "$(cg r1 memory memory.soft_limit_in_bytes memory.low)" 33554432
    assert_equal "$(cg r1 pids pids.max pids.max)" 42
    assert_equal "$(cg r1 cpuset cpuset.cpus cpuset.cpus)" 0
    assert_equal "$(cg r1 cpuset cpuset.mems cpuset.mems)" 0
    if v2; then
        # v2 counts swap alone; runc's map of shares [2, 262144] to weight.
        assert_equal "$(cg r1 memory - memory.swap.max)" 67108864
        assert_equal "$(cg r1 cpu - cpu.weight)" 20
        assert_equal "$(cg r1 cpu - cpu.max)" "20000 50000"
    else
        assert_equal "$(cg r1 memory memory.memsw.limit_in_bytes -)" 134217728
        assert_equal "$(cg r1 cpu cpu.shares -)" 512
        assert_equal "$(cg r1 cpu cpu.cfs_quota_us -)" 20000
        assert_equal "$(cg r1 cpu cpu.cfs_period_us -)" 50000
    fi
}

@test "oci-cgroups: a 0 that Docker writes for not set leaves the kernel's default, as runc" {
    bundle '["sleep","1000"]' '.linux.resources = {
        memory: {limit: 0, reservation: 0, swap: 0},
        cpu: {shares: 0, quota: 0, period: 0, realtimePeriod: 0,
            realtimeRuntime: 0},
        blockIO: {weight: 0, leafWeight: 0}}'
    create z1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    if v2; then
        assert_equal "$(cg z1 cpu - cpu.weight)" 100
        assert_equal "$(cg z1 cpu - cpu.max)" "max 100000"
        assert_equal "$(cg z1 memory - memory.max)" max
    else
        assert_equal "$(cg z1 cpu cpu.shares -)" 1024
        assert_equal "$(cg z1 cpu cpu.cfs_quota_us -)" -1
        assert_equal "$(cg z1 memory memory.limit_in_bytes -)" \
            "$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
    fi
    # Not 0, a value: still checked.
    bundle '["sleep","1000"]' '.linux.resources.cpu.shares = 1'
    refused z2 'linux.resources.cpu.shares: not a number from 2 to 262144$'
}

@test "oci-cgroups: under a cgroupsPath's new parents, cpuset takes its CPUs and a process" {
    local pid dir
    bundle '["sleep","1000"]' '.linux.cgroupsPath = "/runbox-oci-parent/c1"
        | .linux.resources.cpu.cpus = "0"'
    create c1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    dir=$(cgroup_dir cpuset runbox-oci-parent/c1)
    assert_equal "$(cat "$dir/cpuset.cpus")" 0
    assert_equal "$(cat "$dir/cgroup.procs")" "$pid"
    "$RUNBOX" delete --force c1
    [ ! -e "$dir" ] || fail "$dir is left"
}

@test "oci-cgroups: --systemd-cgroup: slice:prefix:name, made where systemd puts the unit" {
    local pid line
    bundle '["sleep","1000"]' '.linux.cgroupsPath = "rbxtest-sub.slice:rbx:s1"'
    IDS+=(s1)
    "$RUNBOX" --systemd-cgroup create --bundle "$BUNDLE" --pid-file "$BUNDLE/pid" \
        s1 </dev/null >"$OUT" 2>"$BATS_TEST_TMPDIR/err" ||
        fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    pid=$(cat "$BUNDLE/pid")
    if v2; then
        line=$(grep '^0::' "/proc/$pid/cgroup")
    else
        line=$(grep ':pids:' "/proc/$pid/cgroup")
    fi
    # A dash in a slice's name is a level: rbxtest.slice/rbxtest-sub.slice.
    assert_equal "${line#*:*:}" /rbxtest.slice/rbxtest-sub.slice/rbx-s1.scope
    "$RUNBOX" delete --force s1
    # runbox made both slices: they go with the container.
    [ -z "$(find /sys/fs/cgroup -maxdepth 2 -name 'rbxtest*')" ] ||
        fail "a slice is left"
    bundle '["true"]' '.linux.cgroupsPath = "rbxtest.slice:s2"'
    run --separate-stderr "$RUNBOX" --systemd-cgroup create --bundle "$BUNDLE" s2
    assert_failure 1
    assert_one_error '^runbox: config.json: linux.cgroupsPath: rbxtest.slice:s2 is not slice:prefix:name, as --systemd-cgroup reads it$'
    [ -z "$("$RUNBOX" list -q)" ] || fail "a container is left: $("$RUNBOX" list -q)"
}

@test "oci-cgroups: unified: each key a v2 file, written as given; refused on v1" {
    bundle '["sleep","1000"]' '.linux.resources.unified =
        {"memory.high": "50003968", "pids.max": "9"}'
    if ! v2; then
        refused u1 '^runbox: config.json: linux.resources.unified.memory.high: not supported on cgroup v1$'
        return
    fi
    create u1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    assert_equal "$(cg u1 - - memory.high)" 50003968
    assert_equal "$(cg u1 - - pids.max)" 9
}

@test "oci-cgroups: v1's own knobs are set there, and refused by name on v2" {
    local dev blkio=
    # A throttle needs a block device: a VM on 9p has none.
    dev=$(cat /sys/block/*/dev 2>/dev/null | head -1)
    [ -z "$dev" ] || blkio=' | .linux.resources.blockIO = {throttleReadBpsDevice:
        [{major: '"${dev%:*}"', minor: '"${dev#*:}"', rate: 1048576}]}'
    bundle '["sleep","1000"]' '.linux.resources = {
        memory: {limit: 67108864, kernelTCP: 16777216, swappiness: 10,
            disableOOMKiller: true}}'"$blkio"
    if v2; then
        refused k1 '^runbox: config.json: linux.resources.memory.kernelTCP: not supported on cgroup v2$'
        return
    fi
    create k1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    assert_equal "$(cg k1 memory memory.kmem.tcp.limit_in_bytes -)" 16777216
    assert_equal "$(cg k1 memory memory.swappiness -)" 10
    assert_equal "$(cg k1 memory memory.oom_control - | grep oom_kill_disable)" \
        "oom_kill_disable 1"
    [ -z "$dev" ] ||
        assert_equal "$(cg k1 blkio blkio.throttle.read_bps_device -)" "$dev 1048576"
}

# Runs CMD... in the cgroup DIR, as a process of the container would.
in_cgroup() {
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$@"
}

# The cgroup of container ID that holds its device rules: its one
# directory on v2, its directory in the devices hierarchy on v1.
devices_dir() {
    if v2; then
        echo "/sys/fs/cgroup/runbox-oci-$1"
    else
        echo "/sys/fs/cgroup/devices/runbox-oci-$1"
    fi
}

@test "oci-cgroups: devices: the rules in order, then the defaults; a denied device cannot be opened" {
    local dir
    bundle '["sleep","1000"]' '.linux.resources.devices = [
        {allow: false, access: "rwm"},
        {allow: true, type: "c", major: 10, minor: 229, access: "rwm"},
        {allow: true, type: "b", major: 8, minor: 20, access: "r"},
        {allow: true, type: "c", major: 1, minor: 11, access: "rw"},
        {allow: false, type: "c", major: 1, minor: 11, access: "r"}]'
    create d1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    dir=$(devices_dir d1)
    if ! v2; then
        run cat "$dir/devices.list"
        assert_equal "${lines[0]}" "c 10:229 rwm"
        assert_equal "${lines[1]}" "b 8:20 r"
        assert_equal "${lines[2]}" "c 1:11 w"
        assert_equal "${lines[3]}" "c *:* m"
        assert_equal "${lines[5]}" "c 1:3 rwm"
    fi
    # /dev in the container is nodev: the kernel's check (v1 devices.list,
    # v2 the eBPF program) is seen from a process of the host joined to
    # the container's cgroup.
    # kmsg (every machine has it): allowed rw, then denied r, in that
    # order: w is left (an open for writing that writes nothing), and a
    # read falls to the default, deny.
    run in_cgroup "$dir" sh -c ': >/dev/kmsg'
    assert_success
    run in_cgroup "$dir" head -c1 /dev/kmsg
    assert_failure
    assert_output --regexp "/dev/kmsg.*Operation not permitted"
    # A default: zero is readable.
    run in_cgroup "$dir" head -c1 /dev/zero
    assert_success
}

@test "oci-cgroups: devices: a config without rules gets runc's: deny all, then the defaults" {
    local dir
    bundle '["sleep","1000"]'
    create d2 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    dir=$(devices_dir d2)
    if ! v2; then
        run cat "$dir/devices.list"
        assert_output "c *:* m
b *:* m
c 1:3 rwm
c 1:5 rwm
c 1:7 rwm
c 1:8 rwm
c 1:9 rwm
c 5:0 rwm
c 5:1 rwm
c 5:2 rwm
c 136:* rwm"
    fi
    # A node of a block device can be made (mknod of any node is allowed)
    # but not opened, before the driver is asked: EPERM even for a loop
    # device the machine lacks. In a tmpfs of a throwaway mount namespace.
    # shellcheck disable=SC2016 # expanded by the inner sh
    run in_cgroup "$dir" unshare --mount sh -c 'mount -t tmpfs disk /mnt &&
        mknod /mnt/disk b 7 0 && echo made && head -c1 /mnt/disk'
    assert_failure
    assert_line made
    assert_line --regexp "/mnt/disk.*Operation not permitted"
    # kmsg is on no list; null and zero are.
    run in_cgroup "$dir" head -c1 /dev/kmsg
    assert_failure
    assert_output --regexp "/dev/kmsg.*Operation not permitted"
    run in_cgroup "$dir" sh -c 'head -c1 /dev/zero >/dev/null'
    assert_success
}

@test "oci-cgroups: update: --resources FILE or -, and runc's flags, change the cgroup" {
    bundle '["sleep","1000"]' '.linux.resources = {memory: {limit: 67108864},
        pids: {limit: 42}}'
    create u1 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    echo '{"memory": {"limit": 134217728}, "cpu": {"shares": 0}}' >"$BUNDLE/res.json"
    "$RUNBOX" update --resources "$BUNDLE/res.json" u1
    assert_equal "$(cg u1 memory memory.limit_in_bytes memory.max)" 134217728
    echo '{"pids": {"limit": 7}}' | "$RUNBOX" update --resources - u1
    assert_equal "$(cg u1 pids pids.max pids.max)" 7
    "$RUNBOX" start u1
    "$RUNBOX" update --memory 96m --pids-limit 9 --cpu-quota 30000 \
        --cpu-period 60000 --cpu-shares 512 u1
    assert_equal "$(cg u1 memory memory.limit_in_bytes memory.max)" 100663296
    assert_equal "$(cg u1 pids pids.max pids.max)" 9
    if v2; then
        assert_equal "$(cg u1 cpu - cpu.max)" "30000 60000"
        assert_equal "$(cg u1 cpu - cpu.weight)" 20
    else
        assert_equal "$(cg u1 cpu cpu.cfs_quota_us -)" 30000
        assert_equal "$(cg u1 cpu cpu.cfs_period_us -)" 60000
        assert_equal "$(cg u1 cpu cpu.shares -)" 512
    fi
    # Paused too; the devices rules are create's alone.
    "$RUNBOX" pause u1
    echo '{"devices": [{"allow": true, "access": "rwm"}], "pids": {"limit": 11}}' |
        "$RUNBOX" update --resources - u1
    assert_equal "$(cg u1 pids pids.max pids.max)" 11
    "$RUNBOX" resume u1
}

@test "oci-cgroups: update raises and lowers memory and swap together, in the order v1 needs" {
    bundle '["sleep","1000"]' '.linux.resources.memory = {limit: 67108864,
        swap: 134217728}'
    create u3 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    # Above the old memory + swap: v1 takes memsw first, or refuses.
    "$RUNBOX" update --memory 200m --memory-swap 400m u3
    assert_equal "$(cg u3 memory memory.limit_in_bytes memory.max)" 209715200
    if v2; then
        assert_equal "$(cg u3 memory - memory.swap.max)" 209715200
    else
        assert_equal "$(cg u3 memory memory.memsw.limit_in_bytes -)" 419430400
    fi
    # Below the old limit: the limit first.
    "$RUNBOX" update --memory 32m --memory-swap 48m u3
    assert_equal "$(cg u3 memory memory.limit_in_bytes memory.max)" 33554432
    if ! v2; then
        assert_equal "$(cg u3 memory memory.memsw.limit_in_bytes -)" 50331648
    fi
}

@test "oci-cgroups: update: bad values, no id, a stopped container: one line, exit 1" {
    bundle '["sleep","1000"]'
    create u2 || fail "create: $(cat "$BATS_TEST_TMPDIR/err")"
    run --separate-stderr "$RUNBOX" update --cpu-shares 1 u2
    assert_failure 1
    assert_one_error 'linux.resources.cpu.shares: not a number from 2 to 262144$'
    run --separate-stderr "$RUNBOX" update --memory lots u2
    assert_failure 1
    assert_one_error '^runbox: update: --memory lots: not a size \(k, m, g suffixes\)$'
    run --separate-stderr bash -c 'echo "[1]" | "$1" update --resources - u2' _ "$RUNBOX"
    assert_failure 1
    assert_one_error 'update: --resources -: not a JSON object$'
    run --separate-stderr "$RUNBOX" update --memory 64m
    assert_failure 1
    assert_one_error 'update: expected one container id$'
    run --separate-stderr "$RUNBOX" update --memory 64m nosuch
    assert_failure 1
    assert_one_error 'container nosuch does not exist$'
    "$RUNBOX" kill u2 KILL
    for _ in $(seq 50); do
        [ "$(status_of u2)" = stopped ] && break
        sleep 0.1
    done
    run --separate-stderr "$RUNBOX" update --memory 64m u2
    assert_failure 1
    assert_one_error 'container u2 is not running$'
}

@test "oci-cgroups: kill --all signals every process of the cgroup" {
    local pid
    bundle '["sh","-c","sleep 1000 & sleep 1001 & wait"]'
    started k1 sh
    for _ in $(seq 50); do
        [ "$(wc -l <"$(cgroup_dir pids runbox-oci-k1)/cgroup.procs")" = 3 ] && break
        sleep 0.1
    done
    run "$RUNBOX" ps k1
    assert_equal "${#lines[@]}" 3
    "$RUNBOX" kill --all k1 KILL
    for _ in $(seq 50); do
        [ -z "$(cat "$(cgroup_dir pids runbox-oci-k1)/cgroup.procs")" ] && break
        sleep 0.1
    done
    assert_equal "$(cat "$(cgroup_dir pids runbox-oci-k1)/cgroup.procs")" ""
    # Stopped, --all still answers (containerd's shim asks after init died).
    "$RUNBOX" kill --all k1 KILL
}

@test "oci-cgroups: pause freezes every process, state says paused; resume lets them go" {
    local pid before
    bundle '["sh","-c","while sleep 0.02; do echo x; done"]'
    started f1 sh
    pid=$PID
    "$RUNBOX" pause f1
    assert_equal "$(status_of f1)" paused
    if v2; then
        grep -qx 'frozen 1' /sys/fs/cgroup/runbox-oci-f1/cgroup.events
    else
        assert_equal "$(cat /sys/fs/cgroup/freezer/runbox-oci-f1/freezer.state)" FROZEN
    fi
    before=$(wc -l <"$OUT")
    sleep 0.3
    assert_equal "$(wc -l <"$OUT")" "$before"
    run --separate-stderr "$RUNBOX" pause f1
    assert_failure 1
    assert_one_error '^runbox: container f1 is paused, not running$'
    "$RUNBOX" resume f1
    assert_equal "$(status_of f1)" running
    sleep 0.3
    [ "$(wc -l <"$OUT")" -gt "$before" ] || fail "nothing ran after resume"
    run --separate-stderr "$RUNBOX" resume f1
    assert_failure 1
    assert_one_error '^runbox: container f1 is running, not paused$'
}

@test "oci-cgroups: delete --force of a paused container kills it and leaves nothing" {
    local pid
    bundle '["sleep","1000"]'
    started f2 sleep
    pid=$PID
    "$RUNBOX" pause f2
    "$RUNBOX" kill f2 TERM
    assert_equal "$(status_of f2)" paused
    "$RUNBOX" delete --force f2
    [ ! -e "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat")" = Z ] ||
        fail "process $pid is still there"
}

@test "oci-cgroups: ps lists the PIDs of the container's cgroup, as lines or JSON" {
    local pid
    bundle '["sh","-c","sleep 1000 & sleep 1000 & wait"]'
    started p1 sh
    pid=$PID
    for _ in $(seq 50); do
        [ "$(container_pids "$pid" | wc -l)" = 3 ] && break
        sleep 0.1
    done
    run "$RUNBOX" ps p1
    assert_success
    assert_equal "$(sort -n <<<"$output")" "$(container_pids "$pid" | sort -n)"
    run "$RUNBOX" ps --format json p1
    assert_success
    assert_equal "$(jq -c 'sort' <<<"$output")" \
        "$(container_pids "$pid" | jq -sc 'sort')"
    run --separate-stderr "$RUNBOX" ps --format yaml p1
    assert_failure 1
    assert_one_error '^runbox: ps: --format yaml: expected table or json$'
}

@test "oci-cgroups: bad values and what this machine lacks: one line naming the field, nothing left" {
    bundle '["true"]' '.linux.resources.memory.swappiness = 101'
    refused b1 '^runbox: config.json: linux.resources.memory.swappiness: not a number from 0 to 100$'
    bundle '["true"]' '.linux.resources.cpu.cpus = "zero"'
    refused b2 '^runbox: config.json: linux.resources.cpu.cpus: not a list such as 0-3,6$'
    bundle '["true"]' '.linux.resources.devices = [{allow: true, type: "x"}]'
    refused b3 '^runbox: config.json: linux.resources.devices\[0\].type: expected a, b or c$'
    bundle '["true"]' '.linux.resources.hugepageLimits = [{pageSize: "../x", limit: 1}]'
    refused b4 '^runbox: config.json: linux.resources.hugepageLimits\[0\].pageSize: expected a size such as 2MB$'
    # Checked by the kernel, once the cgroup is made: it goes again.
    bundle '["true"]' '.linux.resources.cpu.cpus = "4095"'
    refused b5 '^runbox: config.json: linux.resources.cpu.cpus: write 4095 to /sys/fs/cgroup/.*cpuset.cpus: .*$'
    bundle '["true"]' '.linux.resources.unified = {"../memory.high": "1"}'
    refused b6 '^runbox: config.json: linux.resources.unified.../memory.high: not a cgroup file name$'
    bundle '["true"]' '.linux.resources.network.classID = 1'
    if v2; then
        refused b7 '^runbox: config.json: linux.resources.network.classID: not supported on cgroup v2$'
    elif [ ! -e /sys/fs/cgroup/net_cls ]; then
        refused b7 '^runbox: config.json: linux.resources.network.classID: no net_cls cgroup hierarchy on this machine$'
    fi
}

@test "oci cgroups: a cgroup mount shows the container's own cgroup, not the host's tree" {
    # Each hierarchy mounted inside has one cgroup.procs at its root; any
    # more would be cgroups below it: the host's, if the cgroup namespace
    # were made after the mount.
    bundle '["sh", "-c", "find /sys/fs/cgroup -name cgroup.procs | wc -l; grep -cE \" cgroup2? \" /proc/self/mounts"]' '
        .linux.namespaces += [{type: "cgroup"}]
        | .mounts += [{destination: "/sys/fs/cgroup", type: "cgroup",
            source: "cgroup", options: ["nosuid", "noexec", "nodev", "ro"]}]'
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" cgmount
    assert_success
    [ "${lines[1]}" -gt 0 ] || fail "no cgroup filesystem mounted: the test proves nothing"
    assert_equal "${lines[0]}" "${lines[1]}"
}
