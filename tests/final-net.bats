#!/usr/bin/env bats
# runbox --net bridge: containers on one bridge, each with eth0, an
# address of its own and a route via the gateway; NAT only with --nat;
# Docker's /etc files; and nothing left once runbox has exited. Every
# runbox here runs in a network namespace the test made, which plays the
# host: the bridge, the ports and the NAT table are made there, and the
# packets never leave the test's own namespaces.
load helper

setup() {
    runbox_setup netns cgroup
    NETNS_PIDS=()
    NETNS=$(new_netns)
    NETNS_PIDS+=("$NETNS")
    SHARED="$BATS_TEST_TMPDIR/shared"
    mkdir "$SHARED"
}

teardown() {
    local pid
    helper_teardown
    for pid in "${NETNS_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    runbox_teardown
}

# A network namespace of the test's own, held by a sleep; prints its PID.
# The sleep is a child of the test's shell, so teardown can kill it.
new_netns() {
    local pid _
    unshare --net sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
    pid=$!
    for _ in $(seq 50); do
        [ "$(ns_of "$pid" net)" != "$(ns_of $$ net)" ] && break
        sleep 0.1
    done
    nsenter --net="/proc/$pid/ns/net" ip link set lo up
    echo "$pid"
}

# in_ns PID CMD...: CMD in the network namespace of PID.
in_ns() {
    local pid=$1
    shift
    nsenter --net="/proc/$pid/ns/net" "$@"
}

in_netns() {
    in_ns "$NETNS" "$@"
}

# Starts runbox in the test's namespace, in the background, as a child
# of the test's shell (so that it can be waited for); its output goes to
# $SHARED/NAME.out; its PID to $RB. Teardown kills it if it is left.
start_runbox() {
    local name=$1
    shift
    nsenter --net="/proc/$NETNS/ns/net" "$RUNBOX" run "$@" </dev/null >"$SHARED/$name.out" 2>&1 3>&- &
    RB=$!
    BG_PIDS+=("$RB")
}

# What runbox makes in the test's namespace: links, and nftables tables.
net_state() {
    in_netns ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print "link", $2}'
    in_netns nft list tables | sed 's/^/nft /'
}

# Nothing but lo (and the test's own links, given) is left in it.
assert_net_clean() {
    local expected=("link lo" "$@")
    assert_equal "$(net_state | sort)" "$(printf '%s\n' "${expected[@]}" | sort)"
}

# A script for the containers: writes eth0's address to /shared/NAME,
# then runs the shell code SCRIPT, which may call wait_for FILE.
write_peer_script() {
    cat >"$SHARED/addr.sh" <<'SCRIPT'
me=$1
shift
ip -4 -o addr show eth0 | awk '{split($4, a, "/"); print a[1]}' >/shared/$me.tmp
mv /shared/$me.tmp /shared/$me.addr
wait_for() {
    i=0
    while [ ! -e "$1" ]; do
        i=$((i + 1))
        [ $i -le 1200 ] || return 1
        sleep 0.1
    done
}
eval "$1"
SCRIPT
}

@test "runbox net: --net bridge: lo and eth0 only, an address, a route via the gateway" {
    run in_netns "$RUNBOX" run --net bridge sh -c 'ip -o link; ip -4 -o addr show eth0; ip route; ping -c 1 -W 2 10.77.0.1'
    assert_success
    assert_equal "$(printf '%s\n' "${lines[@]}" | grep -c ' mtu ')" 2
    assert_line --regexp '^1: lo: <LOOPBACK,UP,LOWER_UP>'
    assert_line --regexp '^[0-9]+: eth0@if[0-9]+: <[A-Z,_-]*UP[A-Z,_-]*>'
    assert_line --regexp 'eth0 +inet 10\.77\.0\.2/24 '
    assert_line --regexp '^default via 10\.77\.0\.1 dev eth0'
    assert_line --partial '1 packets received'
    assert_net_clean
}

@test "runbox net: the bridge carries the gateway and the port, and both go with the container" {
    local rb cmd
    start_runbox a --net bridge sleep 1000
    rb=$RB
    cmd=$(child_of "$rb")
    wait_for_exec "$cmd" sleep
    run in_netns ip -o -4 addr show runbox0
    assert_output --regexp 'inet 10\.77\.0\.1/24 '
    run in_netns ip -o link show master runbox0
    assert_output --regexp "^[0-9]+: runbox-$rb@if[0-9]+: .* master runbox0 .*alias runbox 10\.77\.0\.2"
    # The port's other end is the container's eth0.
    run in_ns "$cmd" ip -o link show eth0
    assert_success
    kill -KILL "$cmd"
    wait "$rb" || true
    assert_net_clean
}

@test "runbox net: nothing is left the moment runbox exits, 20 times in a row" {
    local i
    for i in $(seq 20); do
        in_netns "$RUNBOX" run --net bridge true || fail "run $i failed"
        assert_net_clean
    done
}

@test "runbox net: two containers ping each other and the gateway" {
    local a b status_a status_b
    write_peer_script
    start_runbox a --net bridge -v "$SHARED:/shared" sh /shared/addr.sh a \
        'wait_for /shared/b.addr && ping -c 1 -W 2 $(cat /shared/b.addr) && ping -c 1 -W 2 10.77.0.1 && touch /shared/a.done && wait_for /shared/b.done'
    a=$RB
    start_runbox b --net bridge -v "$SHARED:/shared" sh /shared/addr.sh b \
        'wait_for /shared/a.addr && ping -c 1 -W 2 $(cat /shared/a.addr) && ping -c 1 -W 2 10.77.0.1 && touch /shared/b.done && wait_for /shared/a.done'
    b=$RB
    status_a=0
    wait "$a" || status_a=$?
    status_b=0
    wait "$b" || status_b=$?
    assert_equal "$status_a $status_b" "0 0" || cat "$SHARED"/*.out
    assert_equal "$(grep -c '1 packets received' "$SHARED/a.out" "$SHARED/b.out")" \
        "$SHARED/a.out:2
$SHARED/b.out:2"
    assert_not_equal "$(cat "$SHARED/a.addr")" "$(cat "$SHARED/b.addr")"
    assert_net_clean
}

@test "runbox net: 20 containers at once get 20 different addresses" {
    local i pids=() status
    write_peer_script
    for i in $(seq 20); do
        start_runbox "c$i" --net bridge -v "$SHARED:/shared" sh /shared/addr.sh "c$i" 'wait_for /shared/go'
        pids+=("$RB")
    done
    # A loaded machine may take a while to start 20 containers.
    for _ in $(seq 1200); do
        [ "$(find "$SHARED" -name '*.addr' | wc -l)" = 20 ] && break
        sleep 0.1
    done
    [ "$(find "$SHARED" -name '*.addr' | wc -l)" = 20 ] ||
        fail "not all 20 started: $(cat "$SHARED"/*.out)"
    # All 20 live at once: 20 ports on the bridge.
    assert_equal "$(in_netns ip -o link show master runbox0 | wc -l)" 20
    touch "$SHARED/go"
    for i in $(seq 20); do
        status=0
        wait "${pids[$((i - 1))]}" || status=$?
        assert_equal "c$i: $status" "c$i: 0"
    done
    assert_equal "$(cat "$SHARED"/*.addr | sort -u | wc -l)" 20
    assert_equal "$(cat "$SHARED"/*.addr | grep -cE '^10\.77\.0\.([2-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-4])$')" 20
    assert_net_clean
}

# refuses_net REGEX ARGS...: runbox run ARGS in the test's namespace
# exits 125 with one line matching REGEX.
refuses_net() {
    local regex=$1
    shift
    run -125 --separate-stderr in_netns "$RUNBOX" run "$@" true
    assert_one_error "$regex"
    assert_no_runbox_leftovers
}

@test "runbox net: a bad --net, --bridge or --subnet: one line, 125, nothing made" {
    local subnet
    refuses_net '^runbox: --net host: unknown network \(runbox has: none, bridge\)$' --net host
    refuses_net '^runbox: --net : unknown network' --net ''
    for subnet in 10.77.0.0 10.77.0.0/33 10.77.0.0/7 10.77.0.0/31 300.1.1.0/24 10.77.0.0/x /24 x; do
        refuses_net "^runbox: --subnet $subnet: not an IPv4 subnet from /8 to /30, e.g. 10\.77\.0\.0/24$" \
            --net bridge --subnet "$subnet"
    done
    refuses_net '^runbox: --subnet 10\.77\.0\.5/24: host bits set \(the subnet is 10\.77\.0\.0/24\)$' \
        --net bridge --subnet 10.77.0.5/24
    refuses_net "^runbox: --bridge bad/name: not a name of 1 to 15 letters" --net bridge --bridge bad/name
    refuses_net "^runbox: --bridge 0br: not a name" --net bridge --bridge 0br
    refuses_net "^runbox: --bridge abcdefghijklmnop: not a name" --net bridge --bridge abcdefghijklmnop
    refuses_net '^runbox: --bridge: needs --net bridge$' --bridge br1
    refuses_net '^runbox: --subnet: needs --net bridge$' --subnet 10.9.0.0/24
    refuses_net '^runbox: --nat: needs --net bridge$' --net none --nat
    assert_net_clean
}

@test "runbox net: a subnet that collides, or a bridge that is not runbox's: one line, 125, nothing made" {
    in_netns ip link add up0 type veth peer name up1
    in_netns ip addr add 10.77.3.3/16 dev up0
    refuses_net '^runbox: --subnet 10\.77\.0\.0/24: up0 has 10\.77\.3\.3/16$' --net bridge
    refuses_net '^runbox: --subnet 10\.0\.0\.0/8: up0 has 10\.77\.3\.3/16$' --net bridge --subnet 10.0.0.0/8
    refuses_net '^runbox: --subnet 10\.77\.3\.0/24: up0 has 10\.77\.3\.3/16$' --net bridge --subnet 10.77.3.0/24
    assert_net_clean "link up0" "link up1"
    in_netns ip link add runbox0 type bridge
    refuses_net '^runbox: --bridge runbox0: a link of that name exists, and runbox did not make it$' \
        --net bridge --subnet 10.78.0.0/24
    refuses_net '^runbox: --bridge up0: a link of that name exists' --net bridge --bridge up0 --subnet 10.78.0.0/24
    # --nat needs the host to forward; runbox does not switch it on.
    refuses_net '^runbox: --nat: this host does not forward IPv4 \(sysctl -w net\.ipv4\.ip_forward=1 first\)$' \
        --net bridge --bridge br1 --subnet 10.78.0.0/24 --nat
    assert_net_clean "link up0" "link up1" "link runbox0"
    # The other subnet and bridge work.
    run in_netns "$RUNBOX" run --net bridge --bridge br1 --subnet 10.78.0.0/24 ip -4 -o addr show eth0
    assert_success
    assert_output --regexp 'inet 10\.78\.0\.2/24 '
    assert_net_clean "link up0" "link up1" "link runbox0"
}

@test "runbox net: --net none stays the default: only lo, and nothing made" {
    run in_netns "$RUNBOX" run sh -c 'ip -o link; ip route'
    assert_success
    assert_output --regexp '^1: lo: <LOOPBACK,UP,LOWER_UP>[^
]*$'
    assert_net_clean
}

# An "outside" namespace behind up0, 198.51.100.0/24 (RFC 5737), with no
# route back to the containers' subnet: only a masqueraded packet gets a
# reply. The test's namespace forwards, as a host under docker would.
make_outside() {
    OUTSIDE=$(new_netns)
    NETNS_PIDS+=("$OUTSIDE")
    in_netns ip link add up0 type veth peer name up1 netns "$OUTSIDE"
    in_netns ip addr add 198.51.100.1/24 dev up0
    in_netns ip link set up0 up
    in_ns "$OUTSIDE" ip addr add 198.51.100.2/24 dev up1
    in_ns "$OUTSIDE" ip link set up1 up
    in_netns sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
}

@test "runbox net: --nat: the table exists only with --nat, masquerades, and is gone after" {
    local rb cmd
    make_outside
    run in_netns "$RUNBOX" run --net bridge ping -c 1 -W 1 198.51.100.2
    assert_failure 1
    assert_net_clean "link up0"
    start_runbox a --net bridge --nat sleep 1000
    rb=$RB
    cmd=$(child_of "$rb")
    wait_for_exec "$cmd" sleep
    run in_netns nft list tables
    assert_output 'table ip runbox-runbox0'
    run in_netns nft list table ip runbox-runbox0
    assert_output --partial 'type nat hook postrouting priority srcnat; policy accept;'
    assert_output --partial 'ip saddr 10.77.0.0/24 oifname != "runbox0" masquerade'
    run in_netns "$RUNBOX" run --net bridge --nat ping -c 1 -W 2 198.51.100.2
    assert_success
    assert_line --partial '1 packets received'
    kill -KILL "$cmd"
    wait "$rb" || true
    assert_net_clean "link up0"
}

@test "runbox net: /etc/hosts, /etc/hostname, /etc/resolv.conf as docker writes them; the rootfs's untouched" {
    local expected_resolv
    run in_netns "$RUNBOX" run --net bridge --hostname web-1 sh -c \
        'cat /etc/hosts; echo --; cat /etc/hostname; echo --; cat /etc/resolv.conf; echo --; grep -cE " /etc/(hosts|hostname|resolv\.conf) " /proc/self/mountinfo; echo changed >>/etc/hosts'
    assert_success
    # The host's resolv.conf, less the nameservers out of the container's
    # reach (loopback, IPv6); docker's fallback if none is left.
    expected_resolv=$(awk '$1 == "nameserver" && ($2 ~ /^127\./ || $2 ~ /:/) {next} {print}' /etc/resolv.conf)
    grep -q '^nameserver' <<<"$expected_resolv" ||
        expected_resolv=$(printf '%s\nnameserver 8.8.8.8\nnameserver 8.8.4.4' "$expected_resolv" | sed '/^$/d')
    assert_output "$(printf '127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
ff00::0\tip6-mcastprefix
ff02::1\tip6-allnodes
ff02::2\tip6-allrouters
10.77.0.2\tweb-1
--
web-1
--
%s
--
3' "$expected_resolv")"
    # With --read-only, only the files the rootfs has are covered.
    run in_netns "$RUNBOX" run --read-only --net bridge --hostname web-1 sh -c 'cat /etc/hostname; [ -e /etc/resolv.conf ] || echo none'
    assert_success
    assert_line --index 0 web-1
    [ -e "$ROOTFS/etc/resolv.conf" ] || assert_line --index 1 none
    # --net none leaves the rootfs's own.
    run in_netns "$RUNBOX" run --hostname web-1 cat /etc/hostname
    assert_output "$(cat "$ROOTFS/etc/hostname")"
    assert_net_clean
}

@test "runbox net: runbox cleanup removes a killed runbox's port, then the bridge and its NAT; a live one's stay" {
    local live live_cmd dead dead_cmd holder
    in_netns sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
    start_runbox live --net bridge --nat sleep 1000
    live=$RB
    live_cmd=$(child_of "$live")
    wait_for_exec "$live_cmd" sleep
    start_runbox dead --net bridge --nat sleep 1000
    dead=$RB
    dead_cmd=$(child_of "$dead")
    wait_for_exec "$dead_cmd" sleep
    # A process in the container's namespace keeps it, and the port, alive.
    nsenter --net="/proc/$dead_cmd/ns/net" sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
    holder=$!
    NETNS_PIDS+=("$holder")
    for _ in $(seq 50); do
        [ "$(ns_of "$holder" net)" = "$(ns_of "$dead_cmd" net)" ] && break
        sleep 0.1
    done
    kill_runbox_and_guard "$dead"
    in_netns ip -o link show "runbox-$dead" >/dev/null || fail "the killed runbox left no port: the test proves nothing"
    run in_netns "$RUNBOX" cleanup
    assert_success
    assert_line "removed link runbox-$dead"
    refute_line --partial "runbox-$live"
    refute_line --partial 'removed bridge'
    run in_netns ip -o link show master runbox0
    assert_output --regexp "^[0-9]+: runbox-$live@"
    run in_netns nft list tables
    assert_output 'table ip runbox-runbox0'
    # Now the live one is killed too: its bridge and table are stale.
    kill_runbox_and_guard "$live"
    run in_netns "$RUNBOX" cleanup
    assert_success
    assert_line 'removed bridge runbox0'
    assert_net_clean
}
