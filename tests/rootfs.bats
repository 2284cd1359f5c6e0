#!/usr/bin/env bats
# `make rootfs` (tools/mkrootfs) builds ./rootfs offline from the host's
# static busybox; `make rootfs-alpine` (tools/rootfs-alpine) fetches Alpine's
# minirootfs and checks its sha256 before unpacking it. Both build beside DIR
# and rename the tree into place only when it is complete: a failure leaves
# no half-built DIR, no DIR.tmp.*, and an existing DIR as it was.
#
# Every test builds under $BATS_TEST_TMPDIR and never touches ./rootfs; the
# Alpine tests use a small tarball made here, so nothing is downloaded.
load helper

setup_file() {
    local src=$BATS_FILE_TMPDIR/src
    # A tree shaped like Alpine's: absolute and relative symlinks, a setuid
    # program, an /etc/hostname to be replaced, and no /proc, /sys or /tmp.
    mkdir -p "$src/bin" "$src/usr/bin" "$src/etc" "$src/dev" "$src/root"
    printf '#!/bin/sh\n' >"$src/bin/busybox"
    chmod 755 "$src/bin/busybox"
    ln -s /bin/busybox "$src/bin/sh"
    ln -s ../../bin/busybox "$src/usr/bin/env"
    install -m 4755 /dev/null "$src/bin/suid"
    echo localhost >"$src/etc/hostname"
    echo 'root:x:0:0:root:/root:/bin/sh' >"$src/etc/passwd"
    chmod 700 "$src/root"
    tar -C "$src" --numeric-owner --owner=0 --group=0 -cf "$BATS_FILE_TMPDIR/alpine.tar" .
    # Named daemon (uid 1 on Debian) but numbered 1000: only
    # --numeric-owner gives it uid 1000.
    mkdir -p "$BATS_FILE_TMPDIR/extra/root"
    install -m 0700 /dev/null "$BATS_FILE_TMPDIR/extra/root/private"
    tar -C "$BATS_FILE_TMPDIR/extra" --owner=daemon:1000 --group=daemon:1000 \
        -rf "$BATS_FILE_TMPDIR/alpine.tar" ./root/private
    gzip -n "$BATS_FILE_TMPDIR/alpine.tar"
    export TARBALL=$BATS_FILE_TMPDIR/alpine.tar.gz
    TARBALL_SHA256=$(sha256sum <"$TARBALL")
    export TARBALL_SHA256=${TARBALL_SHA256%% *}
}

setup() {
    DIR=$BATS_TEST_TMPDIR/rootfs
}

teardown() {
    helper_teardown
    if [ -n "${LEFTOVER_PIDS:-}" ]; then
        # shellcheck disable=SC2086 # one word per pid
        kill -KILL $LEFTOVER_PIDS 2>/dev/null || true
    fi
    if [ -n "${HTTPD_PID:-}" ]; then
        kill "$HTTPD_PID" 2>/dev/null || true
        wait "$HTTPD_PID" 2>/dev/null || true
    fi
    if [ -n "${USER_TMP:-}" ]; then
        rm -rf "$USER_TMP"
    fi
}

requires_static_busybox() {
    local bb
    bb=$(command -v busybox) || bb=
    if [ -z "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
        skip_or_fail "no static busybox here (apt-get install busybox-static)"
    fi
}

requires_command() {
    command -v "$1" >/dev/null || skip_or_fail "needs $1 (apt-get install $1)"
}

mkrootfs() {
    "$TOP/tools/mkrootfs" "$@"
}

# rootfs-alpine DIR, fetching $TARBALL and expecting its checksum.
alpine() {
    env ALPINE_URL="$TARBALL" ALPINE_SHA256="$TARBALL_SHA256" \
        "$TOP/tools/rootfs-alpine" "$@"
}

assert_no_temp() {
    local left
    left=$(find "$(dirname "$1")" -maxdepth 1 -name "$(basename "$1").tmp.*")
    [ -z "$left" ] || fail "left behind: $left"
}

# What an existing DIR looks like, to check a failure left it as it was.
snapshot() {
    find "$1" -printf '%P %M %U %s %l\n' | sort
}

make_old_dir() {
    mkdir -p "$DIR/etc"
    echo old >"$DIR/etc/marker"
    snapshot "$DIR" >"$BATS_TEST_TMPDIR/old"
}

assert_old_dir() {
    diff -u "$BATS_TEST_TMPDIR/old" <(snapshot "$DIR") || fail "$DIR changed"
}

# A directory for PATH with only these commands, e.g. no curl and no wget.
path_with() {
    local dir=$BATS_TEST_TMPDIR/path cmd
    mkdir -p "$dir"
    for cmd in "$@"; do
        ln -s "$(command -v "$cmd")" "$dir/$cmd"
    done
    echo "$dir"
}

BASIC_COMMANDS=(sh cat chmod cp cut dirname env head mkdir mktemp mv rm sed
    sha256sum tar gzip tr uname)

# Serves $1 on http://127.0.0.1:$PORT/ with busybox httpd until teardown.
# Not start_bg: httpd never exits by itself, and teardown kills it at once.
serve() {
    requires_command busybox
    for _ in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 40000))
        busybox httpd -f -p "127.0.0.1:$PORT" -h "$1" </dev/null >/dev/null 2>&1 3>&- &
        HTTPD_PID=$!
        for _ in $(seq 50); do
            kill -0 "$HTTPD_PID" 2>/dev/null || break
            (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
            sleep 0.1
        done
        wait "$HTTPD_PID" 2>/dev/null || true
    done
    fail "cannot start busybox httpd"
}

@test "mkrootfs: a static busybox with a link per applet" {
    requires_static_busybox
    run mkrootfs "$DIR"
    assert_success
    cmp "$DIR/bin/busybox" "$(command -v busybox)"
    run ldd "$DIR/bin/busybox"
    assert_failure
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
    local applet links=0
    while read -r applet; do
        [ "$applet" = bin/busybox ] && continue
        [ "$(readlink "$DIR/$applet")" = /bin/busybox ] ||
            fail "$applet is not a link to /bin/busybox"
        links=$((links + 1))
    done < <(busybox --list-full)
    [ "$links" -gt 100 ] || fail "only $links applet links"
    run find "$DIR" -type l ! -lname /bin/busybox
    assert_output ''
    assert_no_temp "$DIR"
}

@test "mkrootfs: the links resolve inside, chroot runs /bin/sh" {
    requires root
    requires_static_busybox
    mkrootfs "$DIR"
    run chroot "$DIR" /bin/sh -c 'echo ok; readlink /bin/sh'
    assert_success
    assert_output $'ok\n/bin/busybox'
}

@test "mkrootfs: /etc files and empty mount points" {
    requires_static_busybox
    mkrootfs "$DIR"
    grep -qx 'root:x:0:0:root:/root:/bin/sh' "$DIR/etc/passwd"
    grep -qx 'root:x:0:' "$DIR/etc/group"
    [ "$(cat "$DIR/etc/hostname")" = container ]
    local d
    for d in proc sys dev tmp root; do
        [ -d "$DIR/$d" ] && [ ! -L "$DIR/$d" ] || fail "no /$d directory"
        [ -z "$(ls -A "$DIR/$d")" ] || fail "/$d is not empty"
    done
    [ "$(stat -c %a "$DIR/tmp")" = 1777 ]
    [ "$(stat -c %a "$DIR/root")" = 700 ]
    [ "$(stat -c %a "$DIR")" = 755 ]
}

@test "mkrootfs: the tree is readable inside whatever the umask" {
    requires_static_busybox
    umask 077
    run mkrootfs "$DIR"
    assert_success
    local f
    for f in bin sbin usr usr/bin usr/sbin etc proc sys dev; do
        [ "$(stat -c %a "$DIR/$f")" = 755 ] || fail "/$f is $(stat -c %a "$DIR/$f"), not 755"
    done
    for f in etc/passwd etc/group etc/hostname; do
        [ "$(stat -c %a "$DIR/$f")" = 644 ] || fail "/$f is $(stat -c %a "$DIR/$f"), not 644"
    done
}

@test "mkrootfs: rebuilding over an existing DIR replaces it" {
    requires_static_busybox
    make_old_dir
    run mkrootfs "$DIR"
    assert_success
    assert_file_not_exist "$DIR/etc/marker"
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
    assert_no_temp "$DIR"
}

@test "mkrootfs: DIR/ with a trailing slash is DIR" {
    requires_static_busybox
    make_old_dir
    run mkrootfs "$DIR/"
    assert_success
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
    assert_file_not_exist "$DIR/etc/marker"
    assert_no_temp "$DIR"
}

@test "mkrootfs: a failure in the middle leaves no DIR.tmp.* and DIR as it was" {
    # Not an ELF, so ldd calls it static; its second applet cannot be linked.
    printf '#!/bin/sh\necho bin/sh\necho no/such/dir/applet\n' >"$BATS_TEST_TMPDIR/box"
    chmod 755 "$BATS_TEST_TMPDIR/box"
    make_old_dir
    BUSYBOX=$BATS_TEST_TMPDIR/box run mkrootfs "$DIR"
    assert_failure
    assert_old_dir
    assert_no_temp "$DIR"
}

@test "mkrootfs: a busybox that cannot list its applets is an error" {
    printf '#!/bin/sh\nexit 1\n' >"$BATS_TEST_TMPDIR/box"
    chmod 755 "$BATS_TEST_TMPDIR/box"
    BUSYBOX=$BATS_TEST_TMPDIR/box run mkrootfs "$DIR"
    assert_failure
    assert_file_not_exist "$DIR"
    assert_no_temp "$DIR"
}

@test "mkrootfs: a missing parent directory fails and creates nothing" {
    requires_static_busybox
    run mkrootfs "$BATS_TEST_TMPDIR/no/such/rootfs"
    assert_failure
    assert_file_not_exist "$BATS_TEST_TMPDIR/no"
}

@test "mkrootfs: without a static busybox it falls back to rootfs-alpine" {
    BUSYBOX=$(command -v true) ALPINE_URL=$TARBALL ALPINE_SHA256=$TARBALL_SHA256 \
        run --separate-stderr mkrootfs "$DIR"
    assert_success
    [[ $stderr == *"trying the Alpine rootfs"* ]] || fail "no word of the fallback: $stderr"
    [[ $stderr == *busybox-static* ]] || fail "no package named: $stderr"
    [ "$(readlink "$DIR/usr/bin/env")" = ../../bin/busybox ]
    assert_no_temp "$DIR"
}

@test "mkrootfs: a fallback that cannot fetch leaves DIR as it was" {
    make_old_dir
    BUSYBOX=$BATS_TEST_TMPDIR/none ALPINE_URL=$BATS_TEST_TMPDIR/none.tar.gz \
        run --separate-stderr mkrootfs "$DIR"
    assert_failure
    [[ $stderr == *"sudo apt-get install busybox-static"* ]] || fail "no package named: $stderr"
    assert_old_dir
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: a verified tarball keeps its symlinks and modes" {
    run alpine "$DIR"
    assert_success
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
    [ "$(readlink "$DIR/usr/bin/env")" = ../../bin/busybox ]
    [ "$(stat -c %a "$DIR/bin/suid")" = 4755 ]
    [ "$(stat -c %a "$DIR/root/private")" = 700 ]
    [ "$(stat -c %a "$DIR/bin/busybox")" = 755 ]
    [ "$(cat "$DIR/etc/hostname")" = container ]
    local d
    for d in proc sys dev tmp root; do
        [ -d "$DIR/$d" ] || fail "no /$d directory"
    done
    [ "$(stat -c %a "$DIR/tmp")" = 1777 ]
    [ "$(stat -c %a "$DIR")" = 755 ]
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: as root, owners are kept by number" {
    requires root
    run alpine "$DIR"
    assert_success
    [ "$(stat -c '%u:%g' "$DIR/root/private")" = 1000:1000 ]
    [ "$(stat -c '%u:%g' "$DIR/bin/suid")" = 0:0 ]
}

@test "rootfs-alpine: as a user with umask 077, modes survive too (tar -p)" {
    local tool=$TOP/tools/rootfs-alpine tarball=$TARBALL dir=$DIR as_user=()
    if [ "$(id -u)" = 0 ]; then
        # nobody cannot enter the test's own directories.
        USER_TMP=$(mktemp -d /tmp/rootfs-test.XXXXXX)
        chmod 755 "$USER_TMP"
        cp "$tool" "$tarball" "$USER_TMP/"
        install -d -o 65534 -g 65534 "$USER_TMP/out"
        tool=$USER_TMP/rootfs-alpine tarball=$USER_TMP/alpine.tar.gz dir=$USER_TMP/out/rootfs
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    umask 077
    run "${as_user[@]}" env ALPINE_URL="$tarball" ALPINE_SHA256="$TARBALL_SHA256" \
        sh "$tool" "$dir"
    assert_success
    [ "$(stat -c %a "$dir/bin/suid")" = 4755 ]
    [ "$(stat -c %a "$dir/bin/busybox")" = 755 ]
    [ "$(stat -c %a "$dir/etc/hostname")" = 644 ]
    [ "$(stat -c %a "$dir/tmp")" = 1777 ]
    [ "$(stat -c %a "$dir")" = 755 ]
    [ "$(readlink "$dir/bin/sh")" = /bin/busybox ]
}

@test "rootfs-alpine: ALPINE_URL may be file://, with a space in the path" {
    cp "$TARBALL" "$BATS_TEST_TMPDIR/alpine mini#1.tar.gz"
    ALPINE_URL="file://$BATS_TEST_TMPDIR/alpine mini#1.tar.gz" \
        ALPINE_SHA256=$TARBALL_SHA256 run "$TOP/tools/rootfs-alpine" "$DIR"
    assert_success
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
}

@test "rootfs-alpine: rebuilding over an existing DIR/ replaces it" {
    make_old_dir
    run alpine "$DIR/"
    assert_success
    assert_file_not_exist "$DIR/etc/marker"
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: a wrong checksum is one line, and nothing is unpacked" {
    # A tar that leaves a trace: it must not run before the checksum matches.
    mkdir "$BATS_TEST_TMPDIR/spy"
    printf '#!/bin/sh\ntouch "%s"\nexec "%s" "$@"\n' "$BATS_TEST_TMPDIR/tar.ran" \
        "$(command -v tar)" >"$BATS_TEST_TMPDIR/spy/tar"
    chmod 755 "$BATS_TEST_TMPDIR/spy/tar"
    make_old_dir
    local wrong
    wrong=$(printf '%s' "$TARBALL_SHA256" | tr 0-9a-f 1-9a-f0)
    PATH=$BATS_TEST_TMPDIR/spy:$PATH ALPINE_URL=$TARBALL ALPINE_SHA256=$wrong \
        run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
    assert_failure
    [ "$(grep -c '^rootfs-alpine: ' <<<"$stderr")" = 2 ] || fail "more than one error: $stderr"
    [[ $(tail -n 1 <<<"$stderr") =~ ^rootfs-alpine:\ checksum\ mismatch\ .*expected\ sha256\ $wrong,\ got\ $TARBALL_SHA256$ ]] ||
        fail "no checksum mismatch named: $stderr"
    assert_file_not_exist "$BATS_TEST_TMPDIR/tar.ran"
    assert_old_dir
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: without ALPINE_SHA256 the pinned checksum is expected" {
    local pinned
    pinned=$(sed -n 's/^pinned_sha256=\([0-9a-f]\{64\}\)$/\1/p' "$TOP/tools/rootfs-alpine")
    [ -n "$pinned" ] || fail "no pinned_sha256 in tools/rootfs-alpine"
    ALPINE_URL=$TARBALL run --separate-stderr env -u ALPINE_SHA256 "$TOP/tools/rootfs-alpine" "$DIR"
    assert_failure
    [[ $stderr == *"checksum mismatch"*"expected sha256 $pinned,"* ]] || fail "pinned checksum not used: $stderr"
    assert_file_not_exist "$DIR"
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: an ALPINE_SHA256 that is no sha256 is refused" {
    ALPINE_URL=$TARBALL ALPINE_SHA256=1234 run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
    assert_failure
    assert_one_error '^rootfs-alpine: ALPINE_SHA256=1234 is not a sha256'
    assert_file_not_exist "$DIR"
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: a missing tarball fails cleanly" {
    make_old_dir
    local url
    for url in "$BATS_TEST_TMPDIR/none.tar.gz" "file://$BATS_TEST_TMPDIR/none.tar.gz"; do
        ALPINE_URL=$url ALPINE_SHA256=$TARBALL_SHA256 \
            run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
        assert_failure
        assert_one_error "^rootfs-alpine: $BATS_TEST_TMPDIR/none.tar.gz: no such file"
        assert_old_dir
        assert_no_temp "$DIR"
    done
}

@test "rootfs-alpine: a corrupt tarball with a matching checksum leaves nothing" {
    local bad=$BATS_TEST_TMPDIR/bad.tar.gz sum
    head -c "$(($(stat -c %s "$TARBALL") / 2))" "$TARBALL" >"$bad"
    sum=$(sha256sum <"$bad")
    make_old_dir
    ALPINE_URL=$bad ALPINE_SHA256=${sum%% *} run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
    assert_failure
    [[ $(tail -n 1 <<<"$stderr") == "rootfs-alpine: cannot unpack bad.tar.gz: gzip: "* ]] ||
        fail "no unpack error: $stderr"
    assert_old_dir
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: a tarball that is no root filesystem is refused" {
    local bad=$BATS_TEST_TMPDIR/empty.tar.gz sum
    mkdir "$BATS_TEST_TMPDIR/empty"
    tar -C "$BATS_TEST_TMPDIR/empty" -czf "$bad" .
    sum=$(sha256sum <"$bad")
    ALPINE_URL=$bad ALPINE_SHA256=${sum%% *} run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
    assert_failure
    [[ $(tail -n 1 <<<"$stderr") == *"is not a root filesystem"* ]] || fail "$stderr"
    assert_file_not_exist "$DIR"
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: curl shows its progress on stderr" {
    requires_command curl
    run --separate-stderr alpine "$DIR"
    assert_success
    [[ $stderr == *"rootfs-alpine: fetching $TARBALL"* ]] || fail "$stderr"
    [[ $stderr == *"100.0%"* ]] || fail "no progress bar: $stderr"
    assert_output "rootfs-alpine: $DIR built from alpine.tar.gz"
}

# Downloads the test's tarball over http from 127.0.0.1 with PATH=$1 and
# expects the progress bar $2 on stderr.
download_over_http() {
    serve "$BATS_FILE_TMPDIR"
    PATH=$1 ALPINE_URL=http://127.0.0.1:$PORT/alpine.tar.gz ALPINE_SHA256=$TARBALL_SHA256 \
        run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
    assert_success
    [[ $stderr == *"$2"* ]] || fail "no progress bar: $stderr"
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
}

@test "rootfs-alpine: downloads over http with curl, with progress" {
    requires_command curl
    download_over_http "$PATH" "100.0%"
}

@test "rootfs-alpine: downloads over http with wget when there is no curl" {
    requires_command wget
    download_over_http "$(path_with "${BASIC_COMMANDS[@]}" wget)" "100%"
}

@test "rootfs-alpine: a local tarball needs neither curl nor wget" {
    local path
    path=$(path_with "${BASIC_COMMANDS[@]}")
    PATH=$path run alpine "$DIR"
    assert_success
    [ "$(readlink "$DIR/bin/sh")" = /bin/busybox ]
}

@test "rootfs-alpine: without curl or wget, one line says what to install" {
    local path
    path=$(path_with "${BASIC_COMMANDS[@]}")
    PATH=$path ALPINE_URL=http://127.0.0.1:1/alpine.tar.gz \
        run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
    assert_failure
    assert_one_error '^rootfs-alpine: cannot download .* without curl or wget: sudo apt-get install curl, or .*sudo apt-get install busybox-static, then make rootfs$'
    assert_file_not_exist "$DIR"
    assert_no_temp "$DIR"
}

@test "rootfs-alpine: a download error says what to do and leaves nothing" {
    local tool path
    for tool in curl wget; do
        command -v "$tool" >/dev/null || continue
        path=$(path_with "${BASIC_COMMANDS[@]}" "$tool")
        make_old_dir
        # Port 1 on the loopback: refused at once, no network needed.
        PATH=$path ALPINE_URL=http://127.0.0.1:1/alpine.tar.gz \
            run --separate-stderr "$TOP/tools/rootfs-alpine" "$DIR"
        assert_failure
        [[ $(tail -n 1 <<<"$stderr") =~ ^rootfs-alpine:\ cannot\ download\ .*busybox-static.*make\ rootfs$ ]] ||
            fail "$tool: $stderr"
        assert_old_dir
        assert_no_temp "$DIR"
        rm -rf "$BATS_TEST_TMPDIR/path"
    done
}

@test "rootfs-alpine: an interrupted download leaves nothing" {
    requires_command curl
    local www=$BATS_TEST_TMPDIR/www pid
    # A server that never finishes: it sends a little, then trickles.
    mkdir -p "$www/cgi-bin"
    printf '%s\n' '#!/bin/sh' 'printf "Content-Type: application/gzip\r\nContent-Length: 100000000\r\n\r\n"' \
        'while head -c 1000 /dev/zero; do sleep 0.2; done' >"$www/cgi-bin/slow"
    chmod 755 "$www/cgi-bin/slow"
    serve "$www"
    make_old_dir
    ALPINE_URL=http://127.0.0.1:$PORT/cgi-bin/slow ALPINE_SHA256=$TARBALL_SHA256 \
        "$TOP/tools/rootfs-alpine" "$DIR" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
    pid=$!
    for _ in $(seq 50); do
        compgen -G "$DIR.tmp.*/alpine.tar.gz" >/dev/null && break
        sleep 0.1
    done
    compgen -G "$DIR.tmp.*/alpine.tar.gz" >/dev/null || fail "the download never started"
    # As a ^C would, the signal goes to rootfs-alpine and to its curl at once.
    # (SIGTERM: a background job ignores SIGINT.)
    LEFTOVER_PIDS=$(pgrep -P "$pid")
    # shellcheck disable=SC2086 # one word per pid
    kill -TERM "$pid" $LEFTOVER_PIDS
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && fail "rootfs-alpine still runs 10 s after SIGTERM"
    local status=0
    wait "$pid" || status=$?
    [ "$status" -ne 0 ] || fail "exit status 0 after SIGTERM"
    assert_old_dir
    assert_no_temp "$DIR"
}

@test "make -n rootfs-alpine runs tools/rootfs-alpine, make -n rootfs tools/mkrootfs" {
    run make -C "$TOP" -n rootfs-alpine
    assert_success
    assert_output --partial 'tools/rootfs-alpine rootfs'
    run make -C "$TOP" -n rootfs
    assert_success
    assert_output --partial 'tools/mkrootfs rootfs'
}
