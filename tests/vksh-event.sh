#!/bin/sh
# vksh-event.sh: vksh event across processes, through a private virtkitd
# serving test+unix:///default.  One vksh watches (event --all --loop) while
# others change domains; the watcher must print exactly the lifecycle events
# libvirt's test driver emits for those changes (facts/lifecycle.md §9).
#
# Usage: tests/vksh-event.sh VKSH VIRTKITD
# Output is TAP.  Every wait has a deadline; the daemon and the watcher are
# stopped by pid.
set -u

vksh=$1
virtkitd=$2

tmp=$(mktemp -d /tmp/vkshev.XXXXXX)
daemon_pid=
watch_pid=
cleanup() {
    [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
    [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
    [ -n "$watch_pid" ] && wait "$watch_pid" 2>/dev/null
    [ -n "$daemon_pid" ] && wait "$daemon_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "1..5"

fail() {
    echo "not ok $1 - $2"
    shift 2
    for f in "$@"; do
        [ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f"
    done
    exit 1
}

# wait_for SECONDS CMD...: runs CMD every 50 ms until it succeeds; false
# when the deadline passes first.
wait_for() {
    limit=$(( $1 * 20 ))
    shift
    i=0
    while ! "$@"; do
        i=$((i + 1))
        [ $i -ge $limit ] && return 1
        sleep 0.05
    done
    return 0
}

mkdir -p "$tmp/config" "$tmp/state" "$tmp/run" "$tmp/log" "$tmp/cache"
"$virtkitd" --system --config-dir "$tmp/config" --state-dir "$tmp/state" \
    --runtime-dir "$tmp/run" --log-dir "$tmp/log" --cache-dir "$tmp/cache" \
    >"$tmp/virtkitd.log" 2>&1 &
daemon_pid=$!
uri="test+unix:///default?socket=$tmp/run/virtkit-sock"
LC_ALL=C
export LC_ALL

if wait_for 30 test -S "$tmp/run/virtkit-sock"; then
    echo "ok 1 - virtkitd accepts on its socket"
else
    fail 1 "virtkitd accepts on its socket" "$tmp/virtkitd.log"
fi

# The watcher keeps a connection open, so the daemon keeps the test
# driver's state between the other vksh processes.
"$vksh" -c "$uri" event --all --loop --timeout 60 >"$tmp/events" 2>"$tmp/events.err" &
watch_pid=$!

cat >"$tmp/t1.xml" <<'EOF'
<domain type='test'>
  <name>t1</name>
  <uuid>44444444-2222-3333-4444-555555555555</uuid>
  <memory>65536</memory>
  <os>
    <type>hvm</type>
  </os>
</domain>
EOF
sed 's/t1/t2/; s/44444444/55555555/' "$tmp/t1.xml" >"$tmp/t2.xml"
sed 's/t1/probe/; s/44444444/66666666/' "$tmp/t1.xml" >"$tmp/probe.xml"

# Registration is asynchronous: start and stop a transient 'probe' domain
# until the watcher has seen it.  Its events (late ones included) are left
# out of the comparison below.
probe() {
    "$vksh" -q -c "$uri" "create $tmp/probe.xml; destroy probe" >/dev/null 2>&1
    grep -q "domain 'probe'" "$tmp/events"
}
if ! wait_for 30 probe; then
    fail 2 "watcher receives events" "$tmp/events" "$tmp/events.err" "$tmp/virtkitd.log"
fi

"$vksh" -q -c "$uri" "destroy test; start test; suspend test; resume test; \
reboot test; reset test; shutdown test; define $tmp/t1.xml; start t1; \
undefine t1; destroy t1; create $tmp/t2.xml; destroy t2" >"$tmp/actions" 2>&1 ||
    fail 2 "scenario runs" "$tmp/actions"

cat >"$tmp/expected" <<'EOF'
event 'lifecycle' for domain 'test': Stopped Destroyed
event 'lifecycle' for domain 'test': Started Booted
event 'lifecycle' for domain 'test': Suspended Paused
event 'lifecycle' for domain 'test': Resumed Unpaused
event 'lifecycle' for domain 'test': Stopped Shutdown
event 'lifecycle' for domain 't1': Defined Added
event 'lifecycle' for domain 't1': Started Booted
event 'lifecycle' for domain 't1': Undefined Removed
event 'lifecycle' for domain 't1': Stopped Destroyed
event 'lifecycle' for domain 't2': Started Booted
event 'lifecycle' for domain 't2': Stopped Destroyed
EOF
want=$(wc -l <"$tmp/expected")
scenario_events() {
    grep -v "domain 'probe'" "$tmp/events" >"$tmp/got"
    [ "$(wc -l <"$tmp/got")" -ge "$want" ]
}
wait_for 30 scenario_events
if cmp -s "$tmp/expected" "$tmp/got"; then
    echo "ok 2 - watcher prints each lifecycle event as virsh does"
else
    diff -u "$tmp/expected" "$tmp/got" | sed 's/^/# /'
    fail 2 "watcher prints each lifecycle event as virsh does" "$tmp/events.err"
fi

# SIGINT ends the loop with virsh's summary and status 0 (events arrived).
kill -INT "$watch_pid"
wait "$watch_pid"
rc=$?
watch_pid=
total=$(grep -c "^event '" "$tmp/events")
if [ $rc -eq 0 ] &&
   [ "$(tail -n 3 "$tmp/events")" = "event loop interrupted
events received: $total" ] &&
   [ -z "$(tail -n 1 "$tmp/events")" ]; then
    echo "ok 3 - interrupt prints the summary"
else
    fail 3 "interrupt prints the summary (status $rc)" "$tmp/events" "$tmp/events.err"
fi

# One-shot (no --loop), filtered by domain, with timestamps: t2's events are
# not printed, the first one of 'test' ends the command with status 0.
"$vksh" -c "$uri" event --domain test --event lifecycle --timestamp --timeout 60 \
    >"$tmp/oneshot" 2>"$tmp/oneshot.err" &
watch_pid=$!
oneshot_done() {
    "$vksh" -q -c "$uri" "create $tmp/t2.xml; destroy t2; suspend test; resume test" \
        >/dev/null 2>&1
    ! kill -0 "$watch_pid" 2>/dev/null
}
wait_for 30 oneshot_done
wait "$watch_pid"
rc=$?
watch_pid=
stamp='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000'
if [ $rc -eq 0 ] && [ "$(wc -l <"$tmp/oneshot")" -eq 3 ] &&
   sed -n 1p "$tmp/oneshot" |
       grep -Eqx "$stamp: event 'lifecycle' for domain 'test': (Suspended Paused|Resumed Unpaused)" &&
   [ "$(sed -n 2,3p "$tmp/oneshot")" = "events received: 1" ]; then
    echo "ok 4 - one-shot, --domain filter and --timestamp"
else
    fail 4 "one-shot, --domain filter and --timestamp (status $rc)" "$tmp/oneshot" "$tmp/oneshot.err"
fi

# The object event commands wait the same way: SIGINT ends pool-event's loop
# with virsh's summary and status 0, not vksh itself.
"$vksh" -c "$uri" pool-event --event lifecycle --loop --timeout 60 \
    >"$tmp/pool" 2>"$tmp/pool.err" &
watch_pid=$!
pool_seen() {
    "$vksh" -q -c "$uri" "pool-create-as evpool dir --target $tmp; pool-destroy evpool" \
        >/dev/null 2>&1
    grep -q "^event 'lifecycle' for storage pool evpool" "$tmp/pool"
}
wait_for 30 pool_seen || fail 5 "pool-event receives events" "$tmp/pool" "$tmp/pool.err"
kill -INT "$watch_pid"
wait "$watch_pid"
rc=$?
watch_pid=
total=$(grep -c "^event '" "$tmp/pool")
if [ $rc -eq 0 ] &&
   [ "$(tail -n 3 "$tmp/pool")" = "event loop interrupted
events received: $total" ]; then
    echo "ok 5 - pool-event: interrupt prints the summary"
else
    fail 5 "pool-event: interrupt prints the summary (status $rc)" "$tmp/pool" "$tmp/pool.err"
fi
