#!/usr/bin/env bats
# tools/doctor: the real checks on this machine, then each failing check
# made to happen, either for real inside a throwaway namespace (not root,
# a namespace limit of 0, a cgroup controller unmounted) or through a
# faked /proc file (DOCTOR_PROC: WSL1, a Debian sysctl, cgroup v1).
load helper

setup() {
    requires root userns mountns
    DOCTOR=$TOP/tools/doctor
    FAKE=$BATS_TEST_TMPDIR/proc
    remember_host
}

teardown() {
    helper_teardown
    assert_host_unchanged
}

# fake FILE CONTENT: $DOCTOR_PROC/FILE holds CONTENT instead of /proc/FILE.
fake() {
    mkdir -p "$(dirname "$FAKE/$1")"
    printf '%s\n' "$2" >"$FAKE/$1"
}

# The real mountinfo, less the mounts at /sys/fs/cgroup/NAME for each NAME.
mountinfo_without() {
    local name pattern="^$"
    for name in "$@"; do
        pattern="$pattern|^\S+ \S+ \S+ \S+ /sys/fs/cgroup/$name "
    done
    grep -Ev "$pattern" /proc/self/mountinfo
}

# The line of CHECK, which must be there once and match STATUS and REGEX.
assert_check() {
    local check=$1 status_expected=$2 regex=$3 line
    line=$(printf '%s\n' "${lines[@]}" | grep -E "^[a-z]+ +$check  ") ||
        fail "no line for $check in: $output"
    [ "$(printf '%s\n' "$line" | wc -l)" = 1 ] || fail "$check reported twice: $line"
    [[ $line =~ ^$status_expected\ +$check\ +$regex ]] ||
        fail "expected '$status_expected $check $regex', got: $line"
}

@test "doctor on this machine: root, every namespace, the cgroup mode the kernel shows" {
    local kind mode
    run "$DOCTOR"
    assert_success
    assert_check root ok "running as root"
    for kind in uts pid mount net ipc cgroup user time; do
        assert_check "ns-$kind" ok "unshare --$kind works"
    done
    # statfs(2), not mountinfo, as the steps see it.
    case $(stat -fc %T /sys/fs/cgroup) in
    cgroup2fs) mode=v2 ;;
    tmpfs) mode=v1 ;;
    esac
    if [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
        mode=hybrid
    fi
    assert_check cgroups ok "$mode: "
    if [ "$mode" != v2 ]; then
        assert_check controllers ok "v1: memory, pids and cpu are mounted"
    elif [ "$(grep -owE 'cpu|memory|pids' /sys/fs/cgroup/cgroup.subtree_control | wc -l)" = 3 ]; then
        assert_check controllers ok "v2: memory, pids and cpu are enabled"
    else
        assert_check controllers warn "v2: .* not in the root's cgroup.subtree_control"
    fi
    assert_check kernel ok "Linux $(uname -r)$"
    assert_check cc ok "/"
    assert_line --regexp '^doctor: every step can run here'
    # One line per check, then the summary.
    run bash -c "'$DOCTOR' | grep -cvE '^(ok|warn|fail) +[a-z-]+  .+'"
    assert_output 1
}

@test "make doctor runs it and passes its exit status on" {
    run make -s -C "$TOP" doctor
    assert_success
    assert_line --regexp '^ok +root '
    fake version "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com)"
    DOCTOR_PROC=$FAKE run make -s -C "$TOP" doctor
    assert_failure
}

@test "not root: root fails, a namespace says it needs root" {
    # The script as a string: nobody may not reach a checkout under /root.
    run setpriv --reuid=65534 --regid=65534 --clear-groups \
        bash -c "$(cat "$DOCTOR")" doctor
    assert_failure 1
    assert_check root fail "uid 65534: the steps and runbox need root; fix: sudo"
    assert_check ns-uts warn "needs root \(it works in a user namespace\)"
    assert_line --regexp '^doctor: [0-9]+ failed'
}

@test "a namespace the kernel refuses: fail, with the sysctl that refused it" {
    # The limit is per user namespace: 0 here leaves the host's alone.
    run unshare --user --map-root-user sh -c \
        'echo 0 >/proc/sys/user/max_net_namespaces && exec "$0"' "$DOCTOR"
    assert_failure 1
    assert_check ns-net fail "unshare --net: .*No space left on device; fix: user.max_net_namespaces is 0"
    assert_check ns-uts ok "unshare --uts works"
}

@test "user namespaces off: ns-user and unpriv-userns warn, with the fix" {
    run unshare --user --map-root-user sh -c \
        'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0"' "$DOCTOR"
    assert_check ns-user warn "unshare --user: .*fix: user.max_user_namespaces is 0"
    assert_check unpriv-userns warn "unprivileged user namespaces are off: user.max_user_namespaces is 0"
}

@test "Debian's unprivileged_userns_clone=0: warn, and the steps can still run" {
    fake sys/kernel/unprivileged_userns_clone 0
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_success
    assert_check unpriv-userns warn "unprivileged user namespaces are off: kernel.unprivileged_userns_clone is 0 \(Debian\); fix: sudo sysctl -w kernel.unprivileged_userns_clone=1"
}

@test "Ubuntu 24.04's AppArmor restriction: warn, with the sysctl" {
    fake sys/kernel/apparmor_restrict_unprivileged_userns 1
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_success
    assert_check unpriv-userns warn "unprivileged user namespaces are off: kernel.apparmor_restrict_unprivileged_userns is 1 \(Ubuntu 24.04\)"
}

@test "WSL1 fails, WSL2 passes" {
    fake version "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #1237-Microsoft"
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_failure 1
    assert_check wsl fail "WSL1 has no namespaces or cgroups; fix: wsl --set-version"
    fake version "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1c602f52c2e4) (gcc (GCC) 11.2.0)"
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_success
    assert_check wsl ok "WSL2"
    # The first WSL2 kernels did not say WSL2.
    fake version "Linux version 4.19.128-microsoft-standard (oe-user@oe-host) (gcc version 8.2.0 (GCC))"
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_check wsl ok "WSL2"
}

@test "cgroup v1 with memory disabled at boot: fail, with the kernel parameter" {
    fake self/mountinfo "$(mountinfo_without memory unified)"
    fake cgroups "$(sed '/^memory/s/1$/0/' /proc/cgroups)"
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_failure 1
    assert_check cgroups ok "v1: "
    assert_check controllers fail "v1: memory not mounted under /sys/fs/cgroup; disabled at boot; fix: add cgroup_enable=memory"
}

@test "a v1 controller really unmounted, in a mount namespace: fail" {
    requires cgroup1
    # Every mount stacked there goes, not only the top one.
    run unshare --mount sh -c \
        'while mountpoint -q /sys/fs/cgroup/pids; do umount /sys/fs/cgroup/pids || exit; done
        exec "$0"' "$DOCTOR"
    assert_failure 1
    assert_check controllers fail "v1: pids not mounted"
}

@test "cgroup v2 without memory, and without cpu in subtree_control" {
    local sys=$BATS_TEST_TMPDIR/sys
    fake self/mountinfo "$(mountinfo_without '.*')
99 1 0:99 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"
    mkdir -p "$sys/fs/cgroup"
    echo "cpuset cpu io pids" >"$sys/fs/cgroup/cgroup.controllers"
    echo "pids" >"$sys/fs/cgroup/cgroup.subtree_control"
    DOCTOR_PROC=$FAKE DOCTOR_SYS=$sys run "$DOCTOR"
    assert_failure 1
    assert_check cgroups ok "v2: "
    assert_check controllers fail "v2: memory not in /sys/fs/cgroup/cgroup.controllers"
    echo "cpuset cpu io memory pids" >"$sys/fs/cgroup/cgroup.controllers"
    DOCTOR_PROC=$FAKE DOCTOR_SYS=$sys run "$DOCTOR"
    assert_success
    assert_check controllers warn "v2: memory cpu not in the root's cgroup.subtree_control"
}

@test "an old kernel: warn for runbox, fail below 4.6" {
    fake sys/kernel/osrelease 5.10.0-28-amd64
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_success
    assert_check kernel warn "Linux 5.10.0-28-amd64: the steps work; runbox needs 5.12"
    fake sys/kernel/osrelease 3.10.0-1160.el7.x86_64
    DOCTOR_PROC=$FAKE run "$DOCTOR"
    assert_failure 1
    assert_check kernel fail "Linux 3.10.0-1160.el7.x86_64: older than 4.6"
}

@test "inside a container (podman's marker file, in a mount namespace): ok, or the flags to fix it" {
    run unshare --mount sh -c \
        'mount -t tmpfs tmpfs /run && touch /run/.containerenv && exec "$0"' "$DOCTOR"
    assert_check container ok "inside podman, privileged enough: the namespaces and cgroups work"
    # The same, with a namespace the kernel refuses: the fix is the flags.
    run unshare --user --map-root-user --mount sh -c \
        'echo 0 >/proc/sys/user/max_net_namespaces &&
        mount -t tmpfs tmpfs /run && touch /run/.containerenv && exec "$0"' "$DOCTOR"
    assert_failure 1
    assert_check container warn "inside podman, and a namespace or cgroup check fails; fix: docker run --privileged --cgroupns=host"
}

@test "a shared / is explained, a private one too" {
    run unshare --mount --propagation shared "$DOCTOR"
    assert_check propagation ok "/ is shared \(systemd does that\): step05 and runbox make it private"
    run unshare --mount --propagation private "$DOCTOR"
    assert_check propagation ok "/ is private"
}

@test "doctor takes no arguments" {
    run --separate-stderr "$DOCTOR" --fix
    assert_failure 2
    assert_one_error '^usage: tools/doctor'
}

# without HEADER... CMD...: CMD in a mount namespace whose /usr/include
# lacks each HEADER, as a machine without its -dev package: an overlay
# over the real one, with the headers deleted in its upper layer (the
# host's /usr/include is left as it is).
without() {
    local headers=() work
    work=$(mktemp -d "$BATS_TEST_TMPDIR/inc.XXXX")
    while [ "$1" != -- ]; do
        headers+=("$1")
        shift
    done
    shift
    mkdir -p "$work/upper" "$work/work"
    unshare --mount bash -c '
        work=$1 headers=$2
        shift 2
        mount -t overlay overlay -o "lowerdir=/usr/include,upperdir=$work/upper,workdir=$work/work" /usr/include || exit 99
        for h in $headers; do rm -rf "/usr/include/$h" || exit 99; done
        exec "$@"' without "$work" "${headers[*]}" "$@"
}

@test "make without libjson-c-dev: one line naming the package, before any compiler error" {
    local copy=$BATS_TEST_TMPDIR/tree
    mkdir "$copy"
    cp -a "$TOP/Makefile" "$TOP/mk" "$TOP/tools" "$TOP/final" "$TOP"/step0[1-9]-* "$copy/"
    find "$copy" -name '*.o' -delete
    rm -f "$copy/final/seccomp-filter.h" "$copy/final/bpf/seccomp-filter"
    ln -s "$TOP/rootfs" "$copy/rootfs"
    run without json-c -- make -C "$copy"
    assert_failure 2
    assert_line "make: runbox needs libjson-c-dev (no <json-c/json.h>); fix: sudo apt-get install libjson-c-dev"
    refute_output --partial "fatal error"
    # The steps were built: they need none of it.
    assert_file_exists "$copy/step07"
    # Two missing: still one line, naming both.
    run without seccomp.h libmnl -- make -C "$copy" final
    assert_failure 2
    assert_line "make: runbox needs libseccomp-dev libmnl-dev (no <seccomp.h> <libmnl/libmnl.h>); fix: sudo apt-get install libseccomp-dev libmnl-dev"
    refute_output --partial "fatal error"
    # libc's own headers: the steps say so too.
    run without stdio.h -- make -C "$copy" step01
    assert_failure 2
    assert_line "make: the steps need libc6-dev (no <stdio.h>); fix: sudo apt-get install libc6-dev"
    refute_output --partial "fatal error"
}

@test "doctor without the -dev packages: libraries fails, naming each" {
    run "$DOCTOR"
    assert_check libraries ok "the headers of libc, Linux, libseccomp, libmnl and json-c are there"
    run without seccomp.h libmnl json-c -- "$DOCTOR"
    assert_failure 1
    assert_check libraries fail "no <seccomp.h> <libmnl/libmnl.h> <json-c/json.h>: make cannot build runbox; fix: sudo apt-get install libseccomp-dev libmnl-dev libjson-c-dev$"
    # The compiler make would use, as make doctor passes it on.
    CFLAGS=-nostdinc run "$DOCTOR"
    assert_check libraries fail "no <stdio.h> <linux/sched.h> .*fix: sudo apt-get install libc6-dev linux-libc-dev "
}
