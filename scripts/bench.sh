#!/bin/sh
# bench.sh: virtkit and libvirt 9.0 side by side, in one run, on the same guests.
#
# Usage: scripts/bench.sh BUILDDIR        (the target of `make bench`)
#   QUICK=1          every workload at a tiny size (the `bench-harness` test)
#   BENCH_JSON=FILE  where the JSON goes (default bench/results.json)
#   BENCH_MD=FILE    the Markdown file whose table is rewritten (default
#                    BENCHMARKS.md; empty: none)
#   BENCH_ONLY=virtkit  measure virtkit alone (libvirtd is not started)
#   STOPREPS=N STOPDEADLINE=S  the stop-within-a-deadline rows' repetitions and deadline
#   BENCH_ROWS=G,G   only these groups of rows: core (everything below not
#                    named otherwise), stop (stop within a deadline), journal
#                    (the event journal's cost, virtkit alone), netguest
#                    (a guest's NAT start, guest-to-guest TCP; in core too),
#                    snapsave (snapshot create/revert and save/restore of a
#                    running guest; in core too), live (disk attach+detach,
#                    getAllDomainStats of 1 and STATSN=20 running guests; in
#                    core too), storage (vol-upload/download, pool refresh;
#                    in core too), net (NAT network start/stop, domifaddr
#                    --source lease; in core too), hotplug (the disk
#                    attach+detach rows of live alone), cold (the daemon
#                    cold starts, nothing and N1 defined, COLDREPS each
#                    (COLDN2=1: N2 too); in core too); default all.
#                    Use with BENCH_MD= (a partial run would rewrite the table)
#   BENCH_SKIP=G,G   leave these groups out, also where core holds them (only
#                    snapsave so far: bench-harness runs core without it
#                    beside snapsave,stop,journal)
#   BENCH_SAMPLES=FILE  the raw samples ("SIDE METRIC VALUE" lines) are copied
#                    there too, with "meta KEY VALUE" lines (libvirt yes|no,
#                    n1, n2, running) for report.py: runs of different
#                    BENCH_ROWS side by side, reported as one (bench-harness)
#
# virtkitd runs with every directory under a temporary folder. libvirtd runs
# in a private mount namespace (unshare -m) where temporary folders are
# bound over /etc/libvirt, /var/lib/libvirt, /run/libvirt, /var/log/libvirt,
# /var/cache/libvirt, and over /etc/passwd and /etc/group copies that add
# the libvirt-qemu user and group its QEMU driver insists on: nothing of the
# host is changed except the empty mount-point folders created when missing
# (removed at the end). libvirtd runs under bench/subreaper (see
# facts/libvirt-baseline.md), beside its own virtlogd. Each workload runs
# on both sides back to back, the order alternating from one workload to
# the next. Every process started here is stopped by pid at the end.
set -eu

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=$(cd "$build" && pwd)
VK="$build/bench/vkbench"
LV="$build/bench/vkbench-libvirt"
VKSTOP="$build/bench/vkstopbench"
VKJ="$build/bench/vkjournalbench"
LVSTOP="$build/bench/vkstopbench-libvirt"
FLOOR="$build/bench/qmpfloor"
SUBREAPER="$build/bench/subreaper"
VKD="$build/src/daemon/virtkitd"
JSON=${BENCH_JSON:-$top/bench/results.json}
MD=${BENCH_MD-$top/BENCHMARKS.md}

if [ -n "${QUICK:-}" ]; then
    # one of each (the check needs one figure per row and side)
    N1=20; N2=40; REPS=1; LOOKUPS=50; LISTS=5; TSECS=0.3; GREPS=1; SDREPS=1; SETTLE=0.2
    SUSREPS=1; COLDREPS=1; INPROC=200; FLOORREPS=1
    STOPREPS=${STOPREPS:-1}; STOPDEADLINE=${STOPDEADLINE:-4}; JREPS=2; JEVENTS=1000; JROUNDS="on off"
    STORMB=8; STORREPS=1; CONSECS=1; CONKEYS=1; NETREPS=1; NETBYTES=1048576
    NETBLOCKS=2; NETBLOCKROUNDS=1
    # the guests a reconnecting daemon finds (2 are a real reconnect of
    # several); the test guest's two destroys and the hung guest's stop on
    # a guest still booting (BOOTWAIT=started): two boots fewer per side
    RUNNING=2; BOOTWAIT=started
    # the test guests without the kernel's crypto self-tests (~10% of a
    # boot's CPU under TCG), as the test suites boot them; a full run keeps
    # the command line its figures in BENCHMARKS.md were measured with
    export VKBENCH_GUEST_CMDLINE="console=ttyS0 no_timer_check cryptomgr.notests quiet"
else
    N1=1000; N2=10000; REPS=3; LOOKUPS=2000; LISTS=50; TSECS=2; GREPS=${GREPS:-5}; SDREPS=10; SETTLE=2
    SUSREPS=20; COLDREPS=${COLDREPS:-3}; INPROC=10000; FLOORREPS=10
    STOPREPS=${STOPREPS:-3}; STOPDEADLINE=${STOPDEADLINE:-10}; JREPS=20; JEVENTS=10000; JROUNDS="on off off on"
    STORMB=1024; STORREPS=3; CONSECS=5; CONKEYS=30; NETREPS=10; NETBYTES=${NETBYTES:-4194304}
    NETBLOCKS=${NETBLOCKS:-9}; NETBLOCKROUNDS=${NETBLOCKROUNDS:-2}
    RUNNING=5; BOOTWAIT=ready
fi

# want GROUP: true when BENCH_ROWS is unset or names GROUP
want() {
    [ -z "${BENCH_ROWS:-}" ] && return 0
    case ",$BENCH_ROWS," in *",$1,"*) return 0 ;; esac
    return 1
}
# skipped GROUP: true when BENCH_SKIP names GROUP
skipped() {
    case ",${BENCH_SKIP:-}," in *",$1,"*) return 0 ;; esac
    return 1
}

for f in "$VK" "$FLOOR" "$SUBREAPER" "$VKD"; do
    if [ ! -x "$f" ]; then
        echo "bench: $f is not built (make)" >&2
        exit 1
    fi
done
libvirt=yes
if [ "${BENCH_ONLY:-}" = virtkit ] ||
    ! { want core || want cold || want stop || want netguest || want snapsave || want live || want hotplug ||
        want storage || want net; }; then
    libvirt=no
elif [ ! -x "$LV" ] || [ ! -x /usr/sbin/libvirtd ] || [ ! -x /usr/sbin/virtlogd ]; then
    echo "bench: libvirt's daemon or vkbench-libvirt missing (make deps); virtkit only" >&2
    libvirt=no
fi
if [ "$libvirt" = yes ] && [ "$(id -u)" != 0 ]; then
    echo "bench: libvirtd needs root here; virtkit only" >&2
    libvirt=no
fi

guest=$("$here/build-test-guest.sh")
tmp=$(mktemp -d /tmp/vkbench-XXXXXX)
chmod 755 "$tmp"
samples="$tmp/samples"
: >"$samples"
vkdir="$tmp/vk"
lvdir="$tmp/lv"
mkdir -p "$vkdir/config" "$vkdir/state" "$vkdir/run" "$vkdir/log" "$vkdir/cache" "$tmp/serial"
VKURI="qemu+unix:///system?socket=$vkdir/run/virtkit-sock"
LVURI="qemu+unix:///system?socket=$lvdir/run/libvirt-sock"
vk_pid=""
lv_wrap_pid=""
created_dirs=""
# As root each daemon runs in a network namespace of its own (unshare -n),
# so that the network rows' bridges, rules and dnsmasq never touch the
# host's network; without root the network rows are skipped.
NETNS=""
if [ "$(id -u)" = 0 ]; then NETNS="-n"; fi

log() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }

# --- virtkitd ---------------------------------------------------------------
vk_start() {
    rm -f "$tmp/vk.t0"
    sh -c 'echo $(( $(date +%s%N) / 1000000 )) >"$0.tmp"; mv "$0.tmp" "$0"; exec "$@"' \
        "$tmp/vk.t0" ${NETNS:+unshare $NETNS} "$VKD" --system --config-dir "$vkdir/config" --state-dir "$vkdir/state" \
        --runtime-dir "$vkdir/run" --log-dir "$vkdir/log" --cache-dir "$vkdir/cache" \
        ${VKD_EXTRA:-} >>"$tmp/virtkitd.log" 2>&1 &
    vk_pid=$!
}

vk_stop() {
    if [ -n "$vk_pid" ]; then
        kill -TERM "$vk_pid" 2>/dev/null || true
        wait "$vk_pid" 2>/dev/null || true
        vk_pid=""
    fi
}

# --- libvirtd ---------------------------------------------------------------
lv_setup() {
    mkdir -p "$lvdir/etc" "$lvdir/lib" "$lvdir/run" "$lvdir/log" "$lvdir/cache"
    for d in /etc/libvirt /var/lib/libvirt /run/libvirt /var/log/libvirt /var/cache/libvirt; do
        if [ ! -d "$d" ]; then
            mkdir "$d"
            created_dirs="$d $created_dirs"
        fi
    done
    cat >"$lvdir/etc/qemu.conf" <<'EOF'
user = "root"
group = "root"
EOF
    : >"$lvdir/etc/libvirtd.conf"
    cp /etc/passwd "$lvdir/passwd"
    cp /etc/group "$lvdir/group"
    if ! getent passwd libvirt-qemu >/dev/null; then
        echo "libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin" \
            >>"$lvdir/passwd"
    fi
    if ! getent group libvirt-qemu >/dev/null; then
        echo "libvirt-qemu:x:64055:" >>"$lvdir/group"
    fi
    cat >"$lvdir/wrap.sh" <<EOF
#!/bin/sh
# Runs inside a private mount namespace (unshare -m).
set -e
mount --make-rprivate /
mount --bind "$lvdir/etc" /etc/libvirt
mount --bind "$lvdir/lib" /var/lib/libvirt
mount --bind "$lvdir/run" /run/libvirt
mount --bind "$lvdir/log" /var/log/libvirt
mount --bind "$lvdir/cache" /var/cache/libvirt
mount --bind "$lvdir/passwd" /etc/passwd
mount --bind "$lvdir/group" /etc/group
if [ ! -S /run/libvirt/virtlogd-sock ]; then
    /usr/sbin/virtlogd -d -p "$lvdir/virtlogd.pid"
    while [ ! -S /run/libvirt/virtlogd-sock ]; do sleep 0.01; done
fi
echo \$(( \$(date +%s%N) / 1000000 )) >"$tmp/lv.t0.tmp"
mv "$tmp/lv.t0.tmp" "$tmp/lv.t0"
exec "$SUBREAPER" /usr/sbin/libvirtd -p "$lvdir/libvirtd.pid"
EOF
    chmod 755 "$lvdir/wrap.sh"
}

lv_start() {
    rm -f "$tmp/lv.t0" "$lvdir/libvirtd.pid"
    # shellcheck disable=SC2086
    unshare -m $NETNS sh "$lvdir/wrap.sh" >>"$tmp/libvirtd.log" 2>&1 &
    lv_wrap_pid=$!
}

lv_stop() {
    if [ -n "$lv_wrap_pid" ]; then
        if [ -s "$lvdir/libvirtd.pid" ]; then
            kill -TERM "$(cat "$lvdir/libvirtd.pid")" 2>/dev/null || true
        else
            kill -TERM "$lv_wrap_pid" 2>/dev/null || true
        fi
        wait "$lv_wrap_pid" 2>/dev/null || true
        rm -f "$lvdir/libvirtd.pid"
        lv_wrap_pid=""
    fi
}

# Kills what a daemon left running (guests of ours, by the pid files the
# daemons wrote under our folders) and everything else started here.
cleanup() {
    set +e
    vk_stop
    lv_stop
    find "$tmp" -name '*.pid' 2>/dev/null | while read -r f; do
        pid=$(cat "$f" 2>/dev/null)
        case "$pid" in
            ''|*[!0-9]*) ;;
            *) kill -KILL "$pid" 2>/dev/null ;;
        esac
    done
    # virtkitd records its guests' QEMUs in status files, not pid files: a
    # bench cut short (or a daemon that died) would leave them running. A
    # pid is killed only while it still is a QEMU.
    find "$tmp" -path '*/qemu/*.xml' 2>/dev/null | while read -r f; do
        for pid in $(grep -o "pid='[0-9]*'" "$f" 2>/dev/null | tr -dc "0-9\n"); do
            case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
                qemu-system-*) kill -KILL "$pid" 2>/dev/null ;;
            esac
        done
    done
    for d in $created_dirs; do
        rmdir "$d" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- measuring ----------------------------------------------------------------
# record SIDE CMD...: runs a measuring command, keeps its "S metric value"
# lines tagged with SIDE. A failure is logged and the run goes on (the
# report shows the missing figures).
record() {
    side=$1
    shift
    if ! "$@" >"$tmp/out" 2>"$tmp/err"; then
        log "$side: '$*' failed: $(tail -n 3 "$tmp/err")"
    fi
    awk -v side="$side" '$1 == "S" { print side, $2, $3 }' "$tmp/out" >>"$samples"
}

sides() {
    # sets SIDES (called as a command, not as $(sides): in a subshell the
    # counter never moved, and every workload ran virtkit first)
    if [ "$libvirt" = yes ]; then
        order=$((order + 1))
        if [ $((order % 2)) = 1 ]; then SIDES="virtkit libvirt"; else SIDES="libvirt virtkit"; fi
    else
        SIDES=virtkit
    fi
}
order=0

# both WORKLOAD ARGS...: the workload on each side, in alternating order.
both() {
    sides
    for s in $SIDES; do
        if [ "$s" = virtkit ]; then
            record virtkit "$VK" "$VKURI" "$@"
        else
            record libvirt "$LV" "$LVURI" "$@"
        fi
    done
}

# wait_sock PATH: until a daemon listens there (at most 60 s)
wait_sock() {
    tries=0
    while [ ! -S "$1" ]; do
        tries=$((tries + 1))
        if [ $tries -gt 6000 ]; then
            log "$1 never appeared"
            return 1
        fi
        sleep 0.01
    done
}

rss_mb() {
    awk '/^VmRSS:/ { printf "%.3f", $2 / 1024 }' "/proc/$1/status"
}

# cold LABEL: restarts each daemon COLDREPS times, timing exec to the first
# answered list, then records its resident memory. The client starts with
# the daemon and retries from then on (it reads the exec time from the
# launcher's file once answered): waiting here for that file first (a
# 10 ms sleep loop, then the client's own exec) put up to ~12 ms of this
# script into both daemons' figures.
cold() {
    label=$1
    for _ in $(seq "$COLDREPS"); do
        sides
        for s in $SIDES; do
            if [ "$s" = virtkit ]; then
                vk_stop
                vk_start
                record virtkit "$VK" "$VKURI" firstlist "@$tmp/vk.t0" "cold_$label"
            else
                lv_stop
                lv_start
                record libvirt "$LV" "$LVURI" firstlist "@$tmp/lv.t0" "cold_$label"
            fi
        done
    done
    # Resident memory once settled: virtkitd parses inactive definitions in
    # the background after answering, so right after the list would flatter it.
    sleep "$SETTLE"
    echo "virtkit rss_$label $(rss_mb "$vk_pid")" >>"$samples"
    if [ "$libvirt" = yes ]; then
        echo "libvirt rss_$label $(rss_mb "$(cat "$lvdir/libvirtd.pid")")" >>"$samples"
    fi
}

# The cold-start rows alone (BENCH_ROWS=cold; in core below): nothing
# and N1 defined (COLDN2=1: N2 defined too), COLDREPS starts each.
cold_rows() {
    log "daemon cold start, nothing defined"
    cold 0
    log "define $N1"
    both define 0 "$N1" "_$N1"
    log "daemon cold start, $N1 defined"
    cold "$N1"
    if [ -n "${COLDN2:-}" ]; then
        log "define up to $N2"
        both define "$N1" $((N2 - N1)) "_$N2"
        log "daemon cold start, $N2 defined"
        cold "$N2"
    fi
}

# --- the run --------------------------------------------------------------------
log "test guest: $guest; temporary folder: $tmp; libvirt side: $libvirt"
[ "$libvirt" = yes ] && lv_setup

if want core; then
log "daemon cold start, nothing defined"
cold 0

log "raw QEMU floor, minimal guest"
record floor "$FLOOR" mini "$FLOORREPS"
log "start/destroy of a minimal diskless guest"
both startdestroy "$SDREPS"
log "suspend/resume"
both suspend "$SUSREPS"
log "test guest (raw QEMU floor first)"
record floor "$FLOOR" guest "$guest" "$tmp/serial" "$GREPS"
both guest "$guest" "$tmp/serial" "$GREPS" "$BOOTWAIT"

if [ -n "$NETNS" ]; then
    log "network: NAT network start/stop and domifaddr (source lease), $NETREPS times"
    both network "$NETREPS"
fi

log "console: output throughput ($CONSECS s) and $CONKEYS keystroke round trips"
both console "$guest" "$CONSECS" "$CONKEYS"
else
    # no cold-start rows: the daemons are started here
    vk_start
    wait_sock "$vkdir/run/virtkit-sock"
    if [ "$libvirt" = yes ]; then
        lv_start
        wait_sock "$lvdir/run/libvirt-sock"
    fi
fi
if ! want core && want cold; then
    cold_rows
fi

# The network rows alone (BENCH_ROWS=net; in core above)
if [ -n "$NETNS" ] && ! want core && want net; then
    log "network: NAT network start/stop and domifaddr (source lease), $NETREPS times"
    both network "$NETREPS"
fi

# The net test guest (daemons in network namespaces of their own, as root):
# a NAT interface's start (GREPS times), and guest-to-guest TCP through the
# bridge (busybox nc, NETBYTES each time). The transfers move at the speed
# the two guests' TCG vCPUs get on the host, so a change of the machine's
# load between the two sides' blocks once swung the ratio from 0.76x to
# 1.36x: both sides' guests are up at the same time ("netguest ... serve").
# The transfers run in NETBLOCKS blocks; each block boots both sides'
# guest pairs afresh (receiver and sender at once, one side after the
# other, which side first alternating), then runs one uncounted warm-up
# and NETBLOCKROUNDS rounds. What a booted TCG pair costs per byte differs
# from boot to boot by more than the 5 % the target allows (one boot per
# side gave 0.91x and 1.20x in two runs, each with a tight CI), so the
# rounds of a block are not independent samples: report.py summarizes
# each block by its rounds' median ratio and takes the row's interval
# over the blocks. In each round both sides' senders send at once
# (vkbench netpair, the order of their triggers alternating ABBA over the
# run's rounds), each side's figure its bytes/s on its sender's tap over
# the window in which both transfers move; the guests' threads are
# pinned, the same way on both sides (NETPIN=TX,RX: each sender's vCPU
# and emulator threads on host CPU TX, each receiver's on RX; default
# 0,1; empty: not pinned), so that both senders share one CPU's run queue
# and load, both receivers the other's. NETPAIR=0: the sides' transfers
# of a round run one after the other instead, each started by vkbench
# nettrigger (the rows before 2026-12-07).
# QUICK (the bench-harness check) leaves them out unless BENCH_ROWS names
# them: four guest boots and their DHCP waits would add a minute to it.
if [ -n "$NETNS" ] && { { want core && [ -z "${QUICK:-}" ]; } ||
    case ",${BENCH_ROWS:-}," in *,netguest,*) true ;; *) false ;; esac; }; then
    netguest=$(VIRTKIT_TEST_GUEST_VARIANT=net "$here/build-test-guest.sh")
    [ "$(nproc)" -ge 2 ] || NETPIN=${NETPIN-}
    NETPIN=${NETPIN-0,1}
    if [ -n "$NETPIN" ]; then
        export VKBENCH_NET_TXCPU="${NETPIN%%,*}" VKBENCH_NET_RXCPU="${NETPIN#*,}"
    else
        unset VKBENCH_NET_TXCPU VKBENCH_NET_RXCPU
    fi
    log "network: guest with a NAT interface, start x $GREPS; guest to guest, $NETBYTES bytes, $NETBLOCKS blocks (fresh guests) of $NETBLOCKROUNDS rounds${NETPIN:+, pinned (sender, receiver CPU: $NETPIN)}"
    # Both sides' vkbench run at once, each told by a line on its stdin (a
    # fifo, kept open on fd 7 or 8) when to start its receiver guest (the
    # start rows: GREPS times, the sides alternating, one guest booting at
    # a time), then when to boot a fresh pair (or, "down", to take its
    # pair down); they hold their last pair until their stdin ends.
    sides
    fd=7
    for s in $SIDES; do
        if [ "$s" = virtkit ]; then bin=$VK; uri=$VKURI; nspid=$vk_pid; tag=v; else
            bin=$LV; uri=$LVURI; nspid=$(cat "$lvdir/libvirtd.pid"); tag=l; fi
        d="$tmp/ng-$s"
        mkdir -p "$d"
        mkfifo "$d/in"
        "$bin" "$uri" netguest "$netguest" "$d" "$GREPS" "$NETBYTES" serve "$tag" \
            <"$d/in" >"$d/out" 2>"$d/err" &
        echo $! >"$d/vkbench.pid"
        echo "$nspid" >"$d/nspid"
        echo "$tag" >"$d/tag"
        echo "$fd" >"$d/fd"
        eval "exec $fd>\"\$d/in\""
        fd=$((fd + 1))
    done
    # ng_step SIDE PATTERN N [LINE]: one line to SIDE (LINE, default go),
    # then wait (as long as its vkbench lives) for N lines of PATTERN in
    # its output
    ng_step() {
        echo "${4:-go}" >&"$(cat "$tmp/ng-$1/fd")" 2>/dev/null || true
        while [ "$(grep -c "$2" "$tmp/ng-$1/out")" -lt "$3" ]; do
            kill -0 "$(cat "$tmp/ng-$1/vkbench.pid")" 2>/dev/null || return 1
            sleep 0.2
        done
    }
    ng_alive=$SIDES
    for r in $(seq "$GREPS"); do
        set -- $ng_alive
        [ $((r % 2)) = 0 ] && [ $# = 2 ] && set -- "$2" "$1"
        for s in "$@"; do
            if ! ng_step "$s" '^S guest_nat_start_ip ' "$r"; then
                log "$s: netguest failed: $(tail -n 3 "$tmp/ng-$s/err")"
                ng_alive=$(echo $ng_alive | tr ' ' '\n' | grep -vx "$s" | tr '\n' ' ')
            fi
        done
    done
    # ng_pids SIDE: the side's two QEMU of its current pair (found by their
    # -name in the side's network namespace), for the figures of their
    # threads below
    ng_pids() {
        ns=$(readlink "/proc/$(cat "$tmp/ng-$1/nspid")/ns/net")
        for role in rx tx; do
            rm -f "$tmp/ng-$1/${role}pid"
            for f in $(grep -lsa "guest=vkb-$role$(cat "$tmp/ng-$1/tag")," /proc/[0-9]*/cmdline); do
                p=${f#/proc/}; p=${p%/cmdline}
                [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$ns" ] && echo "$p" >"$tmp/ng-$1/${role}pid"
            done
        done
        return 0
    }
    # ng_guests SIDE: where the side's guests' threads may run (their
    # affinity) and how much of their memory the host backs with huge pages
    ng_guests() {
        for role in tx rx; do
            p=$(cat "$tmp/ng-$1/${role}pid" 2>/dev/null) || continue
            printf '%s CPUs %s, %s kB THP; ' "$role" "$(cat /proc/"$p"/task/*/status 2>/dev/null |
                awk '$1 == "Cpus_allowed_list:" { print $2 }' | sort -u | tr '\n' ' ' | sed 's/ $//')" \
                "$(awk '$1 == "AnonHugePages:" { print $2 }' /proc/"$p"/smaps_rollup 2>/dev/null)"
        done
    }
    # ng_snap SIDE: "KEY RUN_NS WAIT_NS MIGRATIONS" of the side's guests'
    # threads (from their schedstat and sched), KEY the role (tx, rx) and
    # v for the vCPU thread, o for the others (main loop, workers) together
    ng_snap() {
        for role in tx rx; do
            p=$(cat "$tmp/ng-$1/${role}pid" 2>/dev/null) || continue
            awk -v role="$role" '
                { n = split(FILENAME, f, "/"); t = f[n - 1]; file = f[n] }
                file == "comm" { vcpu[t] = ($0 ~ /^CPU /) }
                file == "schedstat" { run[t] = $1; wait[t] = $2 }
                file == "sched" && $1 == "se.nr_migrations" { mig[t] = $3 }
                END { for (t in run) { k = role (vcpu[t] ? "v" : "o")
                          r[k] += run[t]; w[k] += wait[t]; m[k] += mig[t] }
                      for (k in r) print k, r[k], w[k], m[k] }' \
                /proc/"$p"/task/*/comm /proc/"$p"/task/*/schedstat /proc/"$p"/task/*/sched 2>/dev/null
        done
    }
    # ng_threads SIDE: what the side's guests' threads did since ng_snap
    # SIDE >$tmp/ng-snap-a-SIDE (ms on a CPU, ms waiting for one,
    # migrations between CPUs)
    ng_threads() {
        ng_snap "$1" >"$tmp/ng-snap-b-$1"
        awk -v f0="$tmp/ng-snap-a-$1" '
            { r[$1] = $2; w[$1] = $3; m[$1] = $4 }
            END { while ((getline line < f0) > 0) { split(line, a, " ")
                      r[a[1]] -= a[2]; w[a[1]] -= a[3]; m[a[1]] -= a[4] }
                  split("txv rxv txo rxo", k, " ")
                  for (i = 1; i <= 4; i++)
                      printf "%s %.0f/%.0f ms %d mig; ", k[i], r[k[i]] / 1e6, w[k[i]] / 1e6, m[k[i]] }' \
            "$tmp/ng-snap-b-$1"
    }
    # ng_tap SIDE: the sender's tap of the side's current pair
    ng_tap() { awk '$1 == "TXTAP" { t = $2 } END { print t }' "$tmp/ng-$1/out"; }
    # ng_pair B R SIDE_A SIDE_B [warm-up]: one netpair of the two sides'
    # current pairs (A's trigger first); unless a warm-up, its figures are
    # kept as round R of block B
    ng_pair() {
        for s in "$3" "$4"; do ng_snap "$s" >"$tmp/ng-snap-a-$s"; done
        if "$VK" - netpair \
            "$(cat "$tmp/ng-$3/nspid")" "$tmp/ng-$3/vkb-tx$(cat "$tmp/ng-$3/tag").serial" "$(ng_tap "$3")" \
            "$(cat "$tmp/ng-$4/nspid")" "$tmp/ng-$4/vkb-tx$(cat "$tmp/ng-$4/tag").serial" "$(ng_tap "$4")" \
            "$NETBYTES" >"$tmp/out" 2>"$tmp/err"; then
            read -r _ ng_a ng_b ng_win ng_ga ng_gb <"$tmp/out"
            if [ -z "${5:-}" ]; then
                printf '%s %s %s %s\n%s %s %s %s\n' "$1" "$2" "$3" "$ng_a" "$1" "$2" "$4" "$ng_b" >>"$tmp/ng-rounds"
                printf '%s net_guest2guest_bytes_per_s %s\n%s net_guest2guest_bytes_per_s %s\n' \
                    "$3" "$ng_a" "$4" "$ng_b" >>"$samples"
            fi
            log "guest to guest block $1 ${5:-round $2}: $3 $ng_a B/s, $4 $ng_b B/s over $ng_win s, virtkit/libvirt $(echo "$3 $ng_a $4 $ng_b" |
                awk '{ v[$1] = $2; v[$3] = $4 } END { printf "%.3f", v["virtkit"] / v["libvirt"] }') (their whole transfers, timed by the guests: $ng_ga, $ng_gb); load $(cut -d' ' -f1 /proc/loadavg)"
            for s in "$3" "$4"; do log "  $s: $(ng_threads "$s")"; done
        else
            log "guest to guest block $1 ${5:-round $2}: netpair failed: $(tail -n 3 "$tmp/err")"
        fi
    }
    # ng_single B R SIDE [warm-up]: one transfer of SIDE's current pair
    # alone (vkbench nettrigger: NETPAIR=0, or one side only)
    ng_single() {
        ng_snap "$3" >"$tmp/ng-snap-a-$3"
        if "$VK" - nettrigger "$(cat "$tmp/ng-$3/nspid")" \
            "$tmp/ng-$3/vkb-tx$(cat "$tmp/ng-$3/tag").serial" "$NETBYTES" >"$tmp/out" 2>"$tmp/err"; then
            v=$(awk '$1 == "S" && $2 == "net_guest2guest_bytes_per_s" { print $3 }' "$tmp/out")
            if [ -z "${4:-}" ]; then
                echo "$1 $2 $3 $v" >>"$tmp/ng-rounds"
                echo "$3 net_guest2guest_bytes_per_s $v" >>"$samples"
            fi
            log "guest to guest block $1 ${4:-round $2} $3: $v B/s; $(ng_threads "$3")load $(cut -d' ' -f1 /proc/loadavg)"
        else
            log "guest to guest block $1 ${4:-round $2} $3: nettrigger failed: $(tail -n 3 "$tmp/err")"
        fi
    }
    # The blocks: in each, both sides' pairs of the block before go down
    # (so that neither boots beside the other's old pair), then each side's
    # pair boots fresh (its receiver and sender at once), one side after
    # the other, which side first alternating from block to block; one
    # uncounted warm-up transfer, then NETBLOCKROUNDS rounds, their trigger
    # order alternating (ABBA) over all rounds of the run.
    set -- $ng_alive
    if [ "${NETPAIR:-1}" = 1 ] && [ $# = 2 ]; then
        log "guest to guest: both sides' transfers at once in each round, measured over their common window"
    fi
    : >"$tmp/ng-rounds"
    nr=0
    for blk in $(seq "$NETBLOCKS"); do
        set -- $ng_alive
        [ $# -ge 1 ] || break
        [ $((blk % 2)) = 0 ] && [ $# = 2 ] && set -- "$2" "$1"
        ng_up=""
        ng_order=$*
        if [ "$blk" -gt 1 ]; then
            for s in "$@"; do
                ng_step "$s" '^DOWN ' "$((blk - 1))" down ||
                    log "$s: netguest failed: $(tail -n 3 "$tmp/ng-$s/err")"
            done
        fi
        for s in "$@"; do
            if ng_step "$s" '^READY ' "$blk"; then ng_up="$ng_up $s"; else
                log "$s: netguest failed: $(tail -n 3 "$tmp/ng-$s/err")"; fi
        done
        # a side whose vkbench died is left out from here on
        ng_alive=$(for s in $ng_alive; do case " $ng_up " in *" $s "*) echo "$s" ;; esac; done)
        set -- $ng_alive
        [ $# -ge 1 ] || break
        log "block $blk: fresh pairs booted, $ng_order in that order"
        for s in "$@"; do
            ng_pids "$s"
            log "  $s: $(ng_guests "$s")"
        done
        if [ "${NETPAIR:-1}" = 1 ] && [ $# = 2 ]; then
            ng_pair "$blk" 0 "$1" "$2" warm-up
        else
            for s in "$@"; do ng_single "$blk" 0 "$s" warm-up; done
        fi
        for _ in $(seq "$NETBLOCKROUNDS"); do
            nr=$((nr + 1))
            set -- $ng_alive
            [ $((nr % 2)) = 0 ] && [ $# = 2 ] && set -- "$2" "$1"
            if [ "${NETPAIR:-1}" = 1 ] && [ $# = 2 ]; then
                ng_pair "$blk" "$nr" "$1" "$2"
            else
                for s in "$@"; do ng_single "$blk" "$nr" "$s"; done
            fi
        done
    done
    # Each round with both figures is one paired sample (virtkit/libvirt,
    # bytes/s: above 1 is virtkit ahead), tagged with its block
    # ("paired:B"): report.py takes the row's ratio and its confidence
    # interval over the blocks (each block's median one sample: the rounds
    # of one boot share that boot's cost per byte)
    awk '{ v[$1 " " $2 " " $3] = $4; r[$1 " " $2] = 1 }
        END { for (k in r) if (v[k " virtkit"] > 0 && v[k " libvirt"] > 0) {
                  split(k, a, " ")
                  printf "paired:%s net_guest2guest_bytes_per_s %.6f\n", a[1],
                      v[k " virtkit"] / v[k " libvirt"] } }' "$tmp/ng-rounds" >>"$samples"
    awk '$1 ~ /^paired:/ { b = substr($1, 8); x[b] = x[b] " " sprintf("%.3f", $3); n[b]++ }
        END { for (b in n) print b, n[b], x[b] }' "$samples" | sort -n | while read -r pb _ x; do
        log "guest to guest block $pb: virtkit/libvirt per round: $x, median $(echo "$x" |
            tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    done
    exec 7>&- 8>&-
    for s in $SIDES; do
        d="$tmp/ng-$s"
        if ! wait "$(cat "$d/vkbench.pid")"; then
            log "$s: netguest failed: $(tail -n 3 "$d/err")"
        fi
        rm -f "$d/vkbench.pid"
        awk -v side="$s" '$1 == "S" { print side, $2, $3 }' "$d/out" >>"$samples"
    done
fi

# Snapshots and save of a running guest (in core too): the test guest on a
# qcow2 disk, booted once on each side.
if { want core || want snapsave; } && ! skipped snapsave; then
    log "test guest on qcow2: internal snapshot create/revert running, save/restore, $GREPS times"
    both snapsave "$guest" "$tmp/serial" "$GREPS"
fi

# Running guests (issue 15): attach+detach of a disk on the test guest
# (HPREPS times), getAllDomainStats of every running guest with 1 and with
# STATSN minimal guests running (one call, all groups, STATSREPS times).
# QUICK leaves them out unless BENCH_ROWS names them (a boot and 2x STATSN
# guest starts per side).
if { want core && [ -z "${QUICK:-}" ]; } ||
    case ",${BENCH_ROWS:-}," in *,live,*) true ;; *) false ;; esac; then
    if [ -n "${QUICK:-}" ]; then HPREPS=1; STATSN=3; STATSREPS=2; else
        HPREPS=${HPREPS:-10}; STATSN=${STATSN:-20}; STATSREPS=${STATSREPS:-10}; fi
    log "running guests: disk attach+detach x $HPREPS; getAllDomainStats, 1 and $STATSN running"
    both hotplug "$guest" "$tmp/serial" "$HPREPS"
    both stats "$STATSN" "$STATSREPS"
elif want hotplug; then
    HPREPS=${HPREPS:-10}
    log "running guests: disk attach+detach x $HPREPS"
    both hotplug "$guest" "$tmp/serial" "$HPREPS"
fi

# The event journal's cost (virtkit alone): virtkitd with its journal (the
# default) and without (--event-journal-max 0), restarted between the two,
# alternating; latency from destroy to the STOPPED event at a client, and
# the daemon's CPU per 10,000 journaled events (storage pool refreshes).
if want journal; then
    log "event journal's cost: $JREPS STOPPED latencies and $JEVENTS events, on and off"
    for tag in $JROUNDS; do
        vk_stop
        if [ "$tag" = off ]; then VKD_EXTRA="--event-journal-max 0"; else VKD_EXTRA=""; fi
        vk_start
        record virtkit "$VKJ" "$VKURI" stopped "$tag" $((JREPS * 2 / $(echo $JROUNDS | wc -w)))
        record virtkit "$VKJ" "$VKURI" cpu "$tag" "$JEVENTS" "$tmp/jpool" "$vk_pid" 2
        vk_stop
        # the journal's own CPU (its hook's thread time and its sync
        # thread's), which virtkitd tells at exit, per 10,000 events
        [ "$tag" = on ] && awk '/event journal: [0-9]+ events journaled/ {
                for (i = 1; i <= NF; i++) {
                    if ($i == "events") n = $(i - 1)
                    if ($i == "appending,") a = $(i - 2)
                    if ($i == "syncing") y = $(i - 2)
                }
            } END { if (n > 0) printf "virtkit journal_cpu10k_self %.3f\n", (a + y) * 10000 / n }' \
            "$tmp/virtkitd.log" >>"$samples"
    done
    VKD_EXTRA=""
    if want stop || want core; then
        vk_start
        wait_sock "$vkdir/run/virtkit-sock"
    fi
fi

# Stop within a deadline (SIGKILL allowed at its end), for three guest
# behaviours: virtkit's one vkDomainStop call against the shutdown, poll
# every 100 ms, destroy sequence a libvirt user writes (docs/virtkit-api.md).
for behaviour in acpi deaf hung; do
    want stop || break
    log "stop within $STOPDEADLINE s, guest $behaviour"
    sides
    for s in $SIDES; do
        if [ "$s" = virtkit ]; then
            record virtkit "$VKSTOP" "$VKURI" stop "$guest" "$tmp/serial" "$behaviour" \
                "$STOPDEADLINE" "$STOPREPS" "$vkdir/run/qemu/vkb-stop.xml" "$BOOTWAIT"
        elif [ -x "$LVSTOP" ]; then
            record libvirt "$LVSTOP" "$LVURI" stop "$guest" "$tmp/serial" "$behaviour" \
                "$STOPDEADLINE" "$STOPREPS" "$lvdir/run/qemu/vkb-stop.pid" "$BOOTWAIT"
        fi
    done
done

if want core; then
log "define $N1"
both define 0 "$N1" "_$N1"
both list "$LISTS" "_$N1"
both lookup "$N1" "$LOOKUPS" "_$N1"
log "lookup+state throughput with $N1 defined"
both throughput "$N1" 1 shared "$TSECS" "$REPS"
both throughput "$N1" 8 shared "$TSECS" "$REPS"
both throughput "$N1" 8 own "$TSECS" "$REPS"
log "daemon cold start, $N1 defined"
cold "$N1"

log "define up to $N2"
both define "$N1" $((N2 - N1)) "_$N2"
both list "$LISTS" "_$N2"
both lookup "$N2" "$LOOKUPS" "_$N2"
log "daemon cold start, $N2 defined"
cold "$N2"
log "undefine $N2"
both undefine "$N2" "_$N2"

log "daemon cold start with $RUNNING running guests to reconnect"
both running "$RUNNING"
cold "running$RUNNING"
both stoprunning "$RUNNING"
fi

if want core || want storage; then
# Storage: a full image of STORMB MiB (random bytes) and a sparse one of the
# same size with 1/64 of it data (refresh: N1 volumes); the disk's own write speed (dd of the
# full image with fsync) is the floor. Each side gets a fresh pool folder.
log "storage: upload/download of $STORMB MiB (full and sparse), refresh with $N1 volumes"
dd if=/dev/urandom of="$tmp/full.img" bs=1M count="$STORMB" status=none
truncate -s "${STORMB}M" "$tmp/sparse.img"
dd if="$tmp/full.img" of="$tmp/sparse.img" bs=1M count=$(((STORMB + 63) / 64)) \
    seek=$((STORMB / 2)) conv=notrunc status=none
for _ in $(seq "$STORREPS"); do
    t0=$(date +%s%N)
    dd if="$tmp/full.img" of="$tmp/dd.out" bs=1M conv=fsync status=none
    echo "floor floor_dd_write_full $(awk -v d="$(($(date +%s%N) - t0))" 'BEGIN { printf "%.3f", d / 1e6 }')" >>"$samples"
    rm -f "$tmp/dd.out"
done
# The transfers one round at a time, the sides alternating (ABBA): a block
# of one side's rounds then the other's measured the machine's load as
# much as the daemons when it moved between the blocks (a storage run at
# load 22 gave 0.97x with every round's order virtkit first). Then each
# side's refreshes.
for r in $(seq "$STORREPS"); do
    sides
    round=""
    for s in $SIDES; do
        if [ "$s" = virtkit ]; then
            record virtkit "$VK" "$VKURI" storage "$tmp/vkpool" "$tmp/full.img" \
                "$tmp/sparse.img" "$N1" 1 xfer
        else
            record libvirt "$LV" "$LVURI" storage "$tmp/lvpool" "$tmp/full.img" \
                "$tmp/sparse.img" "$N1" 1 xfer
        fi
        round="$round $s $(awk '$2 == "vol_upload_full" { printf "%.0f ms", $3 }' "$tmp/out")"
    done
    log "storage round $r, vol-upload:$round"
done
sides
for s in $SIDES; do
    if [ "$s" = virtkit ]; then
        record virtkit "$VK" "$VKURI" storage "$tmp/vkpool" "$tmp/full.img" "$tmp/sparse.img" \
            "$N1" "$STORREPS" refresh
    else
        record libvirt "$LV" "$LVURI" storage "$tmp/lvpool" "$tmp/full.img" \
            "$tmp/sparse.img" "$N1" "$STORREPS" refresh
    fi
done
rm -rf "$tmp/vkpool" "$tmp/lvpool" "$tmp/full.img" "$tmp/sparse.img"
fi

if want core; then
log "in-process test driver, $INPROC defined"
record virtkit "$VK" test:///default inproc "$INPROC" "$REPS"
if [ "$libvirt" = yes ]; then
    record libvirt "$LV" test:///default inproc "$INPROC" "$REPS"
fi
fi

vk_stop
lv_stop
log "daemons stopped"

if [ -n "${BENCH_SAMPLES:-}" ]; then
    { cat "$samples"
      printf 'meta libvirt %s\nmeta n1 %s\nmeta n2 %s\nmeta running %s\n' \
          "$libvirt" "$N1" "$N2" "$RUNNING"; } >"$BENCH_SAMPLES"
fi
report_args="--json $JSON --n1 $N1 --n2 $N2 --running $RUNNING"
[ -n "${QUICK:-}" ] && report_args="$report_args --quick"
[ "$libvirt" = yes ] || report_args="$report_args --no-libvirt"
[ -n "$MD" ] && report_args="$report_args --markdown $MD"
rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
about="Run of $(date -u '+%Y-%m-%d %H:%M UTC') at commit $rev on $(nproc) CPUs, QEMU $(qemu-system-x86_64 --version | awk 'NR==1 { print $4 }'), libvirt side: $libvirt."
# shellcheck disable=SC2086
python3 "$top/bench/report.py" $report_args --about "$about" "$samples"
