# shellcheck shell=bash
# The engine tests' own helpers (load helper first): a daemon (containerd
# or dockerd) started by the test in a mount and network namespace of its
# own, with a tmpfs on /run, so that its sockets, states and shims never
# touch the host's; and the teardown that leaves no daemon, shim,
# container, cgroup or mount behind, also when a test failed.

# engine_start DIR CMD...: CMD in new mount, network and PID namespaces,
# with /run (and each directory of $ENGINE_TMPFS: what the daemon would
# write on the host, e.g. dockerd's /etc/docker/key.json) a tmpfs there
# and lo up. CMD is PID 1 there: whatever it starts (shims, containers)
# dies with it, and the kernel reaps what it leaves. unshare's PID (in
# those mount and network namespaces) in DIR/pid, the output in DIR/log.
engine_start() {
    local dir=$1
    shift
    mkdir -p "$dir"
    # 3>&-: bats waits for whatever holds its fd 3.
    # shellcheck disable=SC2016 # expanded by the inner sh
    ENGINE_TMPFS=${ENGINE_TMPFS:-} unshare --mount --net --pid --fork \
        --kill-child=TERM --mount-proc --propagation private sh -c '
        for d in /run $ENGINE_TMPFS; do
            mount -t tmpfs -o mode=0755 engine "$d" || exit 1
        done
        ip link set lo up && exec "$@"' sh "$@" </dev/null >"$dir/log" 2>&1 3>&- &
    echo "$!" >"$dir/pid"
}

# The daemon's PID (on the host): unshare's one child.
engine_pid() {
    local pid children
    pid=$(cat "$ENGINE_DIR/pid")
    children=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null) || true
    echo "${children%% *}"
}

# CMD... inside the daemon's namespaces: its /run, its sockets there, and
# its /proc, which is its PID namespace's.
engine_in() {
    nsenter -t "$(engine_pid)" -m -n -p "$@"
}

# Waits up to 30 s until CMD... succeeds in the daemon's namespaces.
engine_wait() {
    local _
    for _ in $(seq 150); do
        engine_in "$@" >/dev/null 2>&1 && return 0
        alive "$(cat "$ENGINE_DIR/pid")" ||
            fail "the daemon died: $(tail -5 "$ENGINE_DIR/log")"
        sleep 0.2
    done
    fail "the daemon never answered: $(tail -5 "$ENGINE_DIR/log")"
}

# Every process of the cgroups under NAME (depth 1 and 2), killed, then
# the cgroups removed, deepest first, and NAME itself: on v1, in every
# hierarchy. What the engine made there (containerd's "default", Docker's
# "docker") goes with the test.
engine_remove_cgroups() {
    local name=$1 dir left=0
    for dir in /sys/fs/cgroup/"$name" /sys/fs/cgroup/*/"$name"; do
        [ -d "$dir" ] || continue
        cat "$dir"/*/cgroup.procs "$dir/cgroup.procs" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    done
    for dir in /sys/fs/cgroup/"$name" /sys/fs/cgroup/*/"$name"; do
        [ -d "$dir" ] || continue
        find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [ ! -d "$dir" ] || { echo "cgroup $dir is left" >&2; left=1; }
    done
    return "$left"
}

# PID runs and is not a zombie (the daemon is no child of this shell).
alive() {
    local stat
    stat=$(ps -o stat= -p "$1") && [[ $stat != Z* ]]
}

# The daemon stopped (SIGTERM, then SIGKILL after 10 s): PID 1 of its PID
# namespace, so that everything it started goes with it; then unshare.
engine_stop() {
    local pid daemon _
    [ -f "$ENGINE_DIR/pid" ] || return 0
    pid=$(cat "$ENGINE_DIR/pid")
    daemon=$(engine_pid)
    [ -z "$daemon" ] || kill -TERM "$daemon" 2>/dev/null || true
    for _ in $(seq 100); do
        alive "$pid" || break
        sleep 0.1
    done
    [ -z "$daemon" ] || kill -KILL "$daemon" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$ENGINE_DIR/pid"
}
