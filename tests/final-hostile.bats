#!/usr/bin/env bats
# runbox against a hostile image: each test performs an attack that worked
# against an earlier runbox (and against runc or crun before their fixes),
# and fails while it works. Chapter 08 ("A hostile image") tells each one.
load helper
load oci-helper

# A copy of runbox for the attacks that try to rewrite it: the build's own
# binary is never at risk.
copy_runbox() {
    COPY=$BATS_TEST_TMPDIR/runbox
    cp "$RUNBOX" "$COPY"
    COPY_SUM=$(sha256sum <"$COPY")
}

assert_copy_unchanged() {
    [ "$(sha256sum <"$COPY")" = "$COPY_SUM" ] ||
        fail "the runtime's file on the host was rewritten from inside"
}

# The image of CVE-2019-5736: the host's loader and the libraries runbox
# needs (so that runbox can run inside it), /bin/sh a symlink to
# /proc/self/exe, and in /etc/ld.so.preload a library that keeps an fd of
# /proc/self/exe and hands it to /bin/overwrite. /out is where the probe
# reports, a directory of the test bound into the container.
hostile_image() {
    local lib
    IMAGE=$BATS_TEST_TMPDIR/image
    REPORT=$BATS_TEST_TMPDIR/report
    mkdir "$IMAGE" "$REPORT" && cp -a "$ROOTFS/." "$IMAGE"
    for lib in $(ldd "$RUNBOX" | grep -o '/[^ ]*'); do
        mkdir -p "$IMAGE$(dirname "$lib")"
        cp -L "$lib" "$IMAGE$lib"
    done
    cc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$IMAGE/lib/exe-preload.so" \
        "$TOP/tests/attacks/exe-preload.c"
    echo /lib/exe-preload.so >"$IMAGE/etc/ld.so.preload"
    cp "$(probe overwrite)" "$IMAGE/bin/overwrite"
    ln -sf /proc/self/exe "$IMAGE/bin/sh"
    mkdir "$IMAGE/out"
}


bundle_with_image() {
    jq --arg image "$IMAGE" --arg report "$REPORT" "$1" \
        "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
    mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# The probe's verdict, once it has one (it tries for up to 10 s).
report() {
    local _
    for _ in $(seq 150); do
        [ -e "$REPORT/result" ] && break
        sleep 0.1
    done
    cat "$REPORT/result" 2>/dev/null || fail "the probe never reported"
}

@test "hostile image: CVE-2019-5736 through create and start cannot rewrite runbox" {
    copy_runbox
    hostile_image
    bundle '["/bin/sh"]'
    bundle_with_image '.root.path = $image | .mounts += [{destination: "/out",
        type: "bind", source: $report, options: ["rbind", "rw"]}]'
    IDS+=(exe-create)
    "$COPY" create --bundle "$BUNDLE" exe-create </dev/null >"$OUT" 2>&1
    "$COPY" start exe-create
    run report
    assert_output "BLOCKED write: Operation not permitted"
    assert_copy_unchanged
}

@test "hostile image: CVE-2019-5736 through exec cannot rewrite runbox" {
    copy_runbox
    hostile_image
    bundle '["/bin/busybox", "sleep", "100"]'
    bundle_with_image '.root.path = $image | .mounts += [{destination: "/out",
        type: "bind", source: $report, options: ["rbind", "rw"]}]'
    IDS+=(exe-exec)
    "$COPY" create --bundle "$BUNDLE" exe-exec </dev/null >"$OUT" 2>&1
    "$COPY" start exe-exec
    wait_for_exec "$("$COPY" state exe-exec | jq .pid)" busybox
    "$COPY" exec exe-exec /bin/sh </dev/null
    run report
    assert_output "BLOCKED write: Operation not permitted"
    assert_copy_unchanged
}

@test "hostile image: every process runbox makes runs from a sealed copy, never from its file" {
    # --init's PID 1 stays runbox for the container's whole life.
    run "$RUNBOX" run --init -r "$ROOTFS" readlink /proc/1/exe
    assert_success
    assert_output "/memfd:runbox (deleted)"
    run "$RUNBOX" run --init -r "$ROOTFS" sh -c 'echo x >>/proc/1/exe'
    assert_failure
    # The process name stays runbox's: runbox cleanup finds runboxes by it.
    run "$RUNBOX" run --init -r "$ROOTFS" cat /proc/1/comm
    assert_output runbox-init
}
