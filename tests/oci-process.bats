#!/usr/bin/env bats
# The process attributes of config.json (final/process.c, final/sysctl.c),
# seen by the kernel: the five capability sets, rlimits, no_new_privs,
# oom_score_adj, groups and umask in /proc/PID/status and /proc/PID/limits
# of the running container, linux.sysctl from inside against the host's;
# and each bad value refused with one line, exit 1, nothing left.
load helper
load oci-helper

# The value of FIELD in /proc/$PID/status.
status_field() {
    awk -v f="$1:" '$1 == f {$1 = ""; print substr($0, 2)}' "/proc/$PID/status"
}

# CapBnd CapPrm CapEff CapInh CapAmb of $PID, in one line.
cap_sets() {
    echo "$(status_field CapBnd) $(status_field CapPrm)" \
        "$(status_field CapEff) $(status_field CapInh) $(status_field CapAmb)"
}

# The soft and hard limit of /proc/$PID/limits' line NAME.
limits_of() {
    awk -v n="$1" 'index($0, n) == 1 {
        $0 = substr($0, 27); print $1, $2}' "/proc/$PID/limits"
}

@test "oci-process: a non-root user keeps its ambient capabilities" {
    # CAP_CHOWN is bit 0, CAP_KILL bit 5, CAP_NET_RAW bit 13.
    bundle '["sleep","1000"]' '.process.user = {uid: 1000, gid: 1000}
        | .process.capabilities = {
            bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
            permitted: ["CAP_CHOWN", "CAP_KILL"], effective: ["CAP_CHOWN"],
            inheritable: ["CAP_KILL"], ambient: ["CAP_KILL"]}'
    started c1 sleep
    # execve(2) of a program without file capabilities, by a non-root
    # user: permitted and effective become the ambient set (capabilities(7)).
    assert_equal "$(cap_sets)" "0000000000002021 0000000000000020 \
0000000000000020 0000000000000020 0000000000000020"
}

@test "oci-process: an ambient capability not inheritable is skipped, as runc and crun do" {
    # `runc spec`'s sets (no inheritable), for a non-root user; CAP_KILL
    # alone inheritable: the one ambient capability the kernel raises.
    # CAP_KILL is bit 5, CAP_NET_BIND_SERVICE 10, CAP_AUDIT_WRITE 29.
    bundle '["sleep","1000"]' '.process.user = {uid: 1000, gid: 1000}
        | .process.capabilities = (["CAP_AUDIT_WRITE", "CAP_KILL",
            "CAP_NET_BIND_SERVICE"] as $c | {bounding: $c, effective: $c,
            permitted: $c, ambient: $c})'
    started a1 sleep
    assert_equal "$(cap_sets)" "0000000020000420 0000000000000000 \
0000000000000000 0000000000000000 0000000000000000"
    bundle '["sleep","1000"]' '.process.user = {uid: 1000, gid: 1000}
        | .process.capabilities = (["CAP_AUDIT_WRITE", "CAP_KILL",
            "CAP_NET_BIND_SERVICE"] as $c | {bounding: $c, effective: $c,
            permitted: $c, ambient: $c, inheritable: ["CAP_KILL"]})'
    started a2 sleep
    assert_equal "$(cap_sets)" "0000000020000420 0000000000000020 \
0000000000000020 0000000000000020 0000000000000020"
}

@test "oci-process: root gets the bounding set; no capabilities: none at all" {
    bundle '["sleep","1000"]' '.process.capabilities = {
        bounding: ["CAP_CHOWN", "CAP_NET_RAW"], permitted: ["CAP_CHOWN"],
        effective: ["CAP_CHOWN"]}'
    started c2 sleep
    # Root's execve(2): permitted and effective are inheritable | bounding.
    assert_equal "$(cap_sets)" "0000000000002001 0000000000002001 \
0000000000002001 0000000000000000 0000000000000000"
    bundle '["sleep","1000"]'
    started c3 sleep
    assert_equal "$(cap_sets)" "0000000000000000 0000000000000000 \
0000000000000000 0000000000000000 0000000000000000"
}

@test "oci-process: rlimits are the process's limits" {
    bundle '["sleep","1000"]' '.process.rlimits = [
        {type: "RLIMIT_NOFILE", soft: 100, hard: 200},
        {type: "RLIMIT_MSGQUEUE", soft: 4096, hard: 8192},
        {type: "RLIMIT_CORE", soft: 0, hard: "INFINITY"}]'
    # jq 1.6 writes 2^64 - 1 as 18446744073709552000, which runbox refuses
    # (it does not fit in 64 bits): RLIM_INFINITY goes in as text.
    sed -i 's/"INFINITY"/18446744073709551615/' "$BUNDLE/config.json"
    started r1 sleep
    assert_equal "$(limits_of 'Max open files')" "100 200"
    assert_equal "$(limits_of 'Max msgqueue size')" "4096 8192"
    assert_equal "$(limits_of 'Max core file size')" "0 unlimited"
}

@test "oci-process: noNewPrivileges sets no_new_privs; seccomp either way" {
    local filter='.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO"}]}'
    bundle '["sleep","1000"]' ".process.noNewPrivileges = true | $filter"
    started n1 sleep
    assert_equal "$(status_field NoNewPrivs) $(status_field Seccomp)" "1 2"
    bundle '["sleep","1000"]' ".process.noNewPrivileges = false | $filter"
    started n2 sleep
    # Without no_new_privs and CAP_SYS_ADMIN, the filter went in first.
    assert_equal "$(status_field NoNewPrivs) $(status_field Seccomp)" "0 2"
}

@test "oci-process: oomScoreAdj, additionalGids and umask" {
    bundle '["sleep","1000"]' '.process.oomScoreAdj = 500
        | .process.user = {uid: 1000, gid: 1001, additionalGids: [5, 27],
            umask: 23}'
    started u1 sleep
    assert_equal "$(cat "/proc/$PID/oom_score_adj")" 500
    assert_equal "$(status_field Gid | awk '{print $1}')" 1001
    assert_equal "$(status_field Groups)" "5 27"
    assert_equal "$(status_field Umask)" 0027
}

@test "oci-process: linux.sysctl is the container's, the host's unchanged" {
    local forward shmmni
    forward=$(cat /proc/sys/net/ipv4/ip_forward)
    shmmni=$(cat /proc/sys/kernel/shmmni)
    bundle '["cat","/proc/sys/net/ipv4/ip_forward","/proc/sys/kernel/shmmni"]' \
        '.linux.sysctl = {"net.ipv4.ip_forward": "'$((1 - forward))'",
            "kernel.shmmni": "1234"}'
    run --separate-stderr "$RUNBOX" run --bundle "$BUNDLE" s1
    assert_success
    assert_equal "$output" "$(printf '%s\n1234' $((1 - forward)))"
    assert_equal "$(cat /proc/sys/net/ipv4/ip_forward)" "$forward"
    assert_equal "$(cat /proc/sys/kernel/shmmni)" "$shmmni"
}

@test "oci-process: bad process attributes: one line naming the field, exit 1" {
    bundle '["sh"]' '.process.capabilities.bounding = ["CAP_CHOWN", "CAP_TEST"]'
    bad_bundle b1 '^runbox: config.json: process.capabilities.bounding\[1\]: unknown capability CAP_TEST$'
    bundle '["sh"]' '.process.capabilities = {effective: ["CAP_KILL"]}'
    bad_bundle b2 'process.capabilities.effective: CAP_KILL is not in permitted$'
    bundle '["sh"]' '.process.rlimits = [{type: "RLIMIT_TEST", soft: 1, hard: 1}]'
    bad_bundle b4 'process.rlimits\[0\].type: unknown resource RLIMIT_TEST$'
    bundle '["sh"]' '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 2, hard: 1}]'
    bad_bundle b5 'process.rlimits\[0\]: soft above hard$'
    bundle '["sh"]' '.process.rlimits = [{type: "RLIMIT_CPU", soft: 1, hard: 1},
        {type: "RLIMIT_CPU", soft: 2, hard: 2}]'
    bad_bundle b6 'process.rlimits\[1\].type: RLIMIT_CPU given twice$'
    bundle '["sh"]' '.process.rlimits = [{type: "RLIMIT_CPU", soft: -1, hard: 1}]'
    bad_bundle b7 'process.rlimits\[0\].soft: negative$'
    bundle '["sh"]' '.process.oomScoreAdj = 1001'
    bad_bundle b8 'process.oomScoreAdj: not a number from -1000 to 1000$'
    bundle '["sh"]' '.process.user.additionalGids = [5, -1]'
    bad_bundle b9 'process.user.additionalGids\[1\]: not a number from 0 to'
    bundle '["sh"]' '.process.user.umask = "022"'
    bad_bundle b10 'process.user.umask: expected int, got string$'
    bundle '["sh"]' '.process.noNewPrivileges = "yes"'
    bad_bundle b11 'process.noNewPrivileges: expected boolean, got string$'
}

@test "oci-process: an LSM label is refused where its LSM is not enabled" {
    [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] ||
        fail "AppArmor is enabled here: this test expects a kernel without"
    [ ! -e /sys/fs/selinux/enforce ] ||
        fail "SELinux is enabled here: this test expects a kernel without"
    bundle '["sh"]' '.process.apparmorProfile = "runbox-test"'
    bad_bundle l1 'config.json: process.apparmorProfile: AppArmor is not enabled in this kernel$'
    bundle '["sh"]' '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
    bad_bundle l2 'config.json: process.selinuxLabel: SELinux is not enabled in this kernel$'
}

@test "oci-process: a sysctl of the host, or of a namespace not made, is refused" {
    bundle '["sh"]' '.linux.sysctl = {"vm.swappiness": "10"}'
    bad_bundle y1 'linux.sysctl.vm.swappiness: not in a namespace: it would change the host$'
    bundle '["sh"]' '.linux.sysctl = {"net.ipv4.ip_forward": "1"}
        | .linux.namespaces |= map(select(.type != "network"))'
    bad_bundle y2 'linux.sysctl.net.ipv4.ip_forward: needs a network namespace of its own$'
    bundle '["sh"]' '.linux.sysctl = {"net.ipv4..ip_forward": "1"}'
    bad_bundle y3 'linux.sysctl: net.ipv4..ip_forward: not a sysctl name$'
    bundle '["sh"]' '.linux.sysctl = {"net/ipv4/ip_forward": "1"}'
    bad_bundle y4 'linux.sysctl: net/ipv4/ip_forward: not a sysctl name$'
    bundle '["sh"]' '.linux.sysctl = {"kernel.shmmni": 1}'
    bad_bundle y5 'linux.sysctl.kernel.shmmni: expected string, got int$'
}

# Root on these machines lacks CAP_SYS_RESOURCE; setpriv(1) makes sure.
@test "oci-process: what needs CAP_SYS_RESOURCE fails with one line saying so" {
    local nofile
    nofile=$(ulimit -Hn)
    bundle '["sh"]' '.process.capabilities.bounding = ["CAP_SYS_RESOURCE"]'
    run --separate-stderr setpriv --bounding-set -sys_resource \
        "$RUNBOX" create --bundle "$BUNDLE" k1
    assert_failure 1
    assert_one_error 'process.capabilities.bounding\[0\]: CAP_SYS_RESOURCE is not in runbox.s own bounding set$'
    bundle '["true"]' '.process.oomScoreAdj = -500'
    run --separate-stderr setpriv --bounding-set -sys_resource \
        "$RUNBOX" run --bundle "$BUNDLE" k2
    assert_failure 125
    assert_one_error '^runbox: write /proc/self/oom_score_adj: lowering it to -500 needs CAP_SYS_RESOURCE$'
    bundle '["true"]' '.process.rlimits = [{type: "RLIMIT_NOFILE",
        soft: 1, hard: '$((nofile + 1))'}]'
    run --separate-stderr setpriv --bounding-set -sys_resource \
        "$RUNBOX" run --bundle "$BUNDLE" k3
    assert_failure 125
    assert_one_error "^runbox: setrlimit RLIMIT_NOFILE: a hard limit above runbox's own needs CAP_SYS_RESOURCE$"
}
