#!/bin/sh
# Build (once) the tiny real test guest of facts/test-guest.md from Debian packages.
#
# Output: a directory holding
#   vmlinuz      the Debian cloud kernel, as QEMU boots it cheapest: the
#                ELF image unpacked from Debian's bzImage, booted through
#                its PVH entry (no decompression and no real-mode setup in
#                the guest: ~0.25 s less QEMU CPU per boot under TCG); the
#                bzImage itself when it cannot be unpacked
#   bzImage      Debian's kernel as shipped (an EFI stub: what OVMF boots)
#   initrd.gz    busybox initramfs whose /init answers the ACPI power button
#   VERSION      the kernel version string
# The directory is printed on stdout (the only thing printed there).
#
# Location: $VIRTKIT_TEST_GUEST_CACHE (default /var/cache/virtkit/test-guest, or
# $XDG_CACHE_HOME/virtkit/test-guest when /var/cache is not writable), then
# /<kernel-version>[-<variant>]-<first 12 hex digits of the init script's
# hash>/.  Rebuilt only when vmlinuz or initrd.gz is missing (a changed init
# script is a new folder; its hash is also recorded in INIT.sha256).
#
# Guest behaviour (console on ttyS0):
#   - prints GUEST-READY once the power-button reader is armed;
#   - on the power button: prints GUEST-POWERBUTTON, sync, poweroff -f;
#     with "virtkit.deaf" on the kernel command line it prints GUEST-DEAF
#     and ignores the button (no handler);
#   - with "virtkit.writedisk=1" on the kernel command line and a virtio disk
#     (/dev/vda): before GUEST-READY, writes 4 MiB of a pattern (the block
#     "VIRTKIT-TEST-PATTERN" repeated) at offset 0, syncs, prints
#     GUEST-DISK-WRITTEN (or GUEST-DISK-MISSING if no /dev/vda appeared);
#   - with "virtkit.dhcp=1" and a virtio NIC (eth0): before GUEST-READY, asks
#     for an address with busybox udhcpc (sending the host name given as
#     "virtkit.hostname=NAME", if any), configures it and prints
#     "GUEST-IP <address>" (or GUEST-DHCP-FAILED).
set -eu

base=${VIRTKIT_TEST_GUEST_CACHE:-}
if [ -z "$base" ]; then
    if mkdir -p /var/cache/virtkit/test-guest 2>/dev/null &&
       [ -w /var/cache/virtkit/test-guest ]; then
        base=/var/cache/virtkit/test-guest
    else
        base=${XDG_CACHE_HOME:-$HOME/.cache}/virtkit/test-guest
    fi
fi

log() { echo "build-test-guest: $*" >&2; }

# The kernel package apt's metadata names. apt-cache costs ~0.7 CPU s and
# every test that boots a guest calls this script (~90 call sites in make
# check): the answer is kept in $base/.kernel-package beside a checksum of
# apt's package lists (names, sizes, times: apt-get update replaces them),
# and asked again only once they changed. (apt's own binary cache is
# turned off on some hosts, which is why apt-cache costs that much.)
lists=/var/lib/apt/lists
memo=$base/.kernel-package
aptkey() {
    l=$(ls -l --full-time "$lists" 2>/dev/null) && [ -n "$l" ] &&
        printf '%s\n' "$l" | cksum
}
key=$(aptkey || true)
pkg=""
if [ -n "$key" ] && [ -f "$memo" ] && [ "$(head -n1 "$memo")" = "$key" ]; then
    pkg=$(sed -n 2p "$memo")
fi
if [ -z "$pkg" ]; then
    pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
          sed -n 's/^ *Depends: *\(linux-image-[^ ]*\)$/\1/p' | head -n1)
    if [ -n "$pkg" ] && [ -n "$key" ] && mkdir -p "$base" 2>/dev/null; then
        printf '%s\n%s\n' "$key" "$pkg" >"$memo.$$" 2>/dev/null &&
            mv "$memo.$$" "$memo" 2>/dev/null || rm -f "$memo.$$"
    fi
fi
if [ -z "$pkg" ]; then
    # Offline or no apt metadata: reuse the newest guest already built.
    existing=$(ls -1d "$base"/*/ 2>/dev/null | sort -V | tail -n1 || true)
    if [ -n "$existing" ] && [ -f "$existing/vmlinuz" ] && [ -f "$existing/initrd.gz" ]; then
        echo "${existing%/}"
        exit 0
    fi
    log "cannot resolve linux-image-cloud-amd64 (apt-cache depends failed)"
    exit 1
fi
kver=${pkg#linux-image-}
# VIRTKIT_TEST_GUEST_VARIANT=balloon: the same guest with virtio_balloon
# loaded before GUEST-READY (prints GUEST-BALLOON), in a directory of its
# own so that the default guest (and its INIT.sha256) stays as it is.
# VIRTKIT_TEST_GUEST_VARIANT=events: the balloon guest that, after
# GUEST-READY, also causes events from inside when its command line asks:
#   virtkit.rtc=1     sets its clock to 2030-01-01 00:00:00 UTC and writes it
#                     to the RTC (hwclock -w -u), then prints GUEST-RTC-SET;
#   virtkit.reboot=1  the same, then reboots itself once (reboot -f), printing
#                     GUEST-REBOOTING, and GUEST-REBOOTED after the reboot
#                     (the RTC, which a reset keeps, is then in 2030);
#   virtkit.agent=1   opens the virtio-serial port of the guest agent channel
#                     (org.qemu.guest_agent.0), prints GUEST-AGENT-OPEN, closes
#                     it a second later and prints GUEST-AGENT-CLOSED;
#   virtkit.agentd=1  runs a minimal guest agent on that port (in the
#                     background, GUEST-AGENTD-READY): it answers guest-sync
#                     and guest-ping, and on guest-shutdown prints
#                     GUEST-AGENT-SHUTDOWN, syncs and powers off;
#   virtkit.hvc=1     answers each line written to its first virtio console
#                     (/dev/hvc0) with "GUEST-HVC-GOT <line>" on that console
#                     and on the serial one (GUEST-HVC-READY once it reads;
#                     GUEST-HVC-MISSING: no hvc0);
#   virtkit.watchdog=1  arms the i6300esb watchdog (~1 s, never fed) from
#                     userspace (the kernel has no driver for it) and prints
#                     GUEST-WATCHDOG-ARMED (GUEST-WATCHDOG-MISSING: none);
#                     one hotplugged later is armed too (checked every 0.5 s).
# VIRTKIT_TEST_GUEST_VARIANT=agent: the balloon guest running Debian's own QEMU
# guest agent (qemu-ga from the package qemu-guest-agent, fetched with
# apt-get download like the kernel, with the host's shared libraries it
# needs) on its org.qemu.guest_agent.0 port, after GUEST-READY: the host
# name is virtkit.hostname=NAME (default vkguest), an ext2 filesystem on
# /dev/vda (when the guest has a disk; mkfs'ed by the guest) is mounted on
# /mnt (GUEST-MNT-READY), then qemu-ga starts (GUEST-QGA-STARTED). It has an
# /etc/os-release (ID=virtkit), accounts root and vkuser in /etc/shadow (and a
# /bin/chpasswd: busybox has none), and
# an /sbin/shutdown that prints GUEST-AGENT-SHUTDOWN-<poweroff|halt|reboot>
# and does it (what qemu-ga's guest-shutdown runs).
# VIRTKIT_TEST_GUEST_VARIANT=net: the default guest (virtkit.dhcp=1 works as
# there) that, after GUEST-READY, uses its virtio NIC as its command line asks
# (each item runs in the background, so they do not wait for each other):
#   virtkit.ip=A/P[,GW]   static address A/P on eth0 (and a default route via
#                         GW), then prints "GUEST-IP A";
#   virtkit.ping=H1,H2    pings each host until it answers (at most ~240 s),
#                         printing "GUEST-PING H ok" (or "GUEST-PING H fail");
#   virtkit.nclisten=P    accepts TCP connections on port P one after the
#                         other, printing "GUEST-NC-RECEIVED <bytes>" for each;
#   virtkit.ncsend=H:P:N[:C]  sends N zero bytes to H port P (retrying until
#                         the listener is there, at most ~240 s), C times (1),
#                         printing "GUEST-NC-SENT N <uptime before> <uptime
#                         after>" (seconds from /proc/uptime) each time, or
#                         GUEST-NC-SEND-FAILED;
#   virtkit.nctrigger=Q   with ncsend: each send waits for a TCP connection
#                         on port Q first (the host starts each transfer:
#                         make bench alternates virtkit's and libvirt's).
# VIRTKIT_TEST_GUEST_VARIANT=virtiofs: the default guest with fuse and
# virtiofs (from the same kernel package) loaded after GUEST-READY, which
# then mounts the virtiofs tag virtkit.vfstag=TAG (default "share") on /mnt,
# trying every 0.5 s (at most ~300 s: a share hotplugged later is mounted
# too) and prints "GUEST-VFS-MOUNTED TAG", then "GUEST-VFS-READ <text>"
# with the printable start of /mnt/host.txt (GUEST-VFS-NOFILE: none), then
# writes "VIRTKIT-GUEST-WROTE-VFS" to /mnt/guest.txt (sync) and prints
# GUEST-VFS-WRITTEN (GUEST-VFS-WRITE-FAILED); GUEST-VFS-MOUNT-FAILED when
# the tag never came.
variant=${VIRTKIT_TEST_GUEST_VARIANT:-}
case $variant in
    ''|balloon|hotplug|scsi|pci|events|net|agent|shell|virtiofs) ;;
    *) log "unknown variant '$variant'"; exit 1 ;;
esac

# The /init, kept here so its hash decides whether the initrd is stale.
init_script='#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
insmod /lib/modules/evdev.ko
insmod /lib/modules/button.ko

# devtmpfs creates nodes asynchronously: wait for the Power Button node.
pbdev=""
i=0
while [ -z "$pbdev" ] && [ $i -lt 200 ]; do
    for n in /sys/class/input/event*; do
        [ -e "$n/device/name" ] || continue
        if [ "$(cat $n/device/name)" = "Power Button" ] && [ -c /dev/input/${n##*/} ]; then
            pbdev=/dev/input/${n##*/}
        fi
    done
    [ -n "$pbdev" ] || { sleep 0.05; i=$((i+1)); }
done

if grep -q "virtkit.writedisk=1" /proc/cmdline; then
    for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do
        insmod /lib/modules/$m.ko 2>/dev/null
    done
    i=0
    while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
    if [ -b /dev/vda ]; then
        yes VIRTKIT-TEST-PATTERN | head -c 4194304 > /tmp/pattern
        dd if=/tmp/pattern of=/dev/vda bs=65536 conv=fsync 2>/dev/null
        sync
        echo GUEST-DISK-WRITTEN
    else
        echo GUEST-DISK-MISSING
    fi
fi

if grep -q "virtkit.dhcp=1" /proc/cmdline; then
    for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
        insmod /lib/modules/$m.ko 2>/dev/null
    done
    i=0
    # probing virtio-net can take seconds under TCG on a loaded host
    while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
    printf "#!/bin/sh\n[ \"\$1\" = bound ] || [ \"\$1\" = renew ] || exit 0\nifconfig \$interface \$ip netmask \$subnet up\necho \$ip > /tmp/dhcp-ip\n" > /tmp/dhcp.sh
    chmod 755 /tmp/dhcp.sh
    ip link set lo up
    ip link set eth0 up
    hn=$(sed -n "s/.*virtkit.hostname=\([^ ]*\).*/\1/p" /proc/cmdline)
    if [ -n "$hn" ]; then
        udhcpc -i eth0 -n -q -t 20 -T 3 -s /tmp/dhcp.sh -x hostname:$hn >/tmp/udhcpc.log 2>&1
    else
        udhcpc -i eth0 -n -q -t 20 -T 3 -s /tmp/dhcp.sh >/tmp/udhcpc.log 2>&1
    fi
    if [ -s /tmp/dhcp-ip ]; then
        echo "GUEST-IP $(cat /tmp/dhcp-ip)"
    else
        echo GUEST-DHCP-FAILED
        tail -n 3 /tmp/udhcpc.log
        ip -o link
    fi
fi

# One reader per power-button device (ACPI may expose more than one), and
# none on other input devices: the keyboard controller emits events of its
# own at boot, which must not power the guest off. virtkit.deaf on the
# kernel command line: no reader, the guest ignores the button (an OS with
# no power-button handler, as the stop ladder tests need).
armed=0
deaf=0
if grep -qw virtkit.deaf /proc/cmdline; then deaf=1; echo GUEST-DEAF; fi
for n in /sys/class/input/event*; do
    [ $deaf = 1 ] && break
    [ -e "$n/device/name" ] || continue
    [ "$(cat $n/device/name)" = "Power Button" ] || continue
    e=/dev/input/${n##*/}
    [ -c "$e" ] || continue
    (
        # evdev refuses reads shorter than one input_event (24 bytes here).
        dd if=$e of=/dev/null bs=24 count=1 2>/dev/null || exit 0
        echo GUEST-POWERBUTTON
        sync
        poweroff -f
    ) &
    armed=1
done
[ -n "$pbdev" ] || echo GUEST-NO-POWERBUTTON
# The readers are forked; give each a moment to reach its blocking read.
sleep 0.1
echo GUEST-READY
while :; do sleep 3600; done
'
if [ "$variant" = balloon ]; then
    init_script=$(printf '%s\n' "$init_script" | sed 's|^echo GUEST-READY$|for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_balloon; do insmod /lib/modules/$m.ko 2>/dev/null; done\n[ -d /sys/bus/virtio/drivers/virtio_balloon ] \&\& echo GUEST-BALLOON\necho GUEST-READY|')
fi
# VIRTKIT_TEST_GUEST_VARIANT=hotplug: the same guest with the virtio
# block/net/SCSI and CD-ROM drivers loaded before GUEST-READY, onlining
# every hotplugged CPU, and printing a "GUEST-HW ..." line (CPUs present
# and online, block devices with their size in sectors, network
# interfaces, each NIC's carrier as link=NAME:0|1, the queues each NIC's
# driver uses as queues=NAME:RX/TX, each NIC's MTU as mtu=NAME:MTU, the
# hardware RNGs as
# rng=virtio_rng.0,) at start and
# whenever that changes, checked every 0.2 s: what
# the guest sees of a hotplug, on its console. A virtio console that
# appears (/dev/hvcN opens) prints GUEST-HVC-OPEN hvcN and answers each line
# written to it with "GUEST-hvcN-GOT <line>" on it and on the serial one.
if [ "$variant" = hotplug ] || [ "$variant" = scsi ] || [ "$variant" = pci ]; then
    hw_watch='for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk failover net_failover virtio_net scsi_common scsi_mod sd_mod cdrom sr_mod virtio_scsi rng-core virtio-rng virtio_console virtio_mem; do
    insmod /lib/modules/$m.ko 2>/dev/null
done
(
    # Shell builtins only (read, test, globs): under TCG every fork and
    # exec of a 0.2 s poll costs the host CPU for as long as the guest runs
    # (measured: 0.16 CPU s per second of a running guest with cat, ls,
    # sed, sort, tr and sleep; 0.03 so).
    # read -t on a FIFO nobody writes is the sleep.
    mkfifo /tmp/hw.tick
    exec 4<>/tmp/hw.tick
    last=
    while :; do
        for c in /sys/devices/system/cpu/cpu[1-9]*; do
            [ -f $c/online ] || continue
            read -r o < $c/online
            [ "$o" = 0 ] && echo 1 > $c/online
        done
        cpus=
        read -r possible < /sys/devices/system/cpu/possible
        i=0
        while [ $i -le ${possible##*-} ]; do
            [ -d /sys/devices/system/cpu/cpu$i ] && cpus="$cpus$i,"
            i=$((i+1))
        done
        read -r online < /sys/devices/system/cpu/online
        blk=
        for b in /sys/block/*; do
            [ -e $b/size ] || continue
            case ${b##*/} in loop*|ram*) continue ;; esac
            read -r size < $b/size
            blk="$blk${b##*/}:$size,"
        done
        # each NIC up (IFF_UP, bit 0 of its flags), so that its carrier
        # (the link state of the host side) reads
        net=
        lnk=
        qs=
        mtus=
        for n in /sys/class/net/*; do
            [ -e $n ] || continue
            net="$net${n##*/},"
            [ "${n##*/}" = lo ] && continue
            # its queues the kernel uses (real_num_rx/tx_queues), rx/tx
            nrx=0
            ntx=0
            for x in $n/queues/rx-*; do [ -e $x ] && nrx=$((nrx+1)); done
            for x in $n/queues/tx-*; do [ -e $x ] && ntx=$((ntx+1)); done
            qs="$qs${n##*/}:$nrx/$ntx,"
            read -r m < $n/mtu
            mtus="$mtus${n##*/}:$m,"
            read -r flags < $n/flags
            case $flags in *[13579bdf]) ;; *) ifconfig ${n##*/} up 2>/dev/null ;; esac
            carrier=
            read -r carrier < $n/carrier 2>/dev/null
            lnk="$lnk${n##*/}:$carrier,"
        done
        rng=
        r=/sys/class/misc/hw_random/rng_available
        [ -e $r ] && IFS= read -r rng < $r 2>/dev/null
        # a virtio console that appears (one hotplugged): its hvcN opens
        # (before that the node exists but ENODEV) and each line written
        # to it is answered there and here: GUEST-hvcN-GOT <line>
        for c in /tmp/hvc-closed.*; do
            [ -e "$c" ] || continue
            hvcs=${hvcs// ${c##*.}/}
            rm -f "$c"
        done
        for h in /dev/hvc[0-7]; do
            case " $hvcs " in *" ${h##*/} "*) continue ;; esac
            [ -c $h ] || continue
            # (true, not exec: a failed redirection of exec ends the shell)
            true 5<>$h 2>/dev/null || continue
            hvcs="$hvcs ${h##*/}"
            (exec 5<>$h
             stty -echo <&5 2>/dev/null
             echo "GUEST-HVC-OPEN ${h##*/}"
             while IFS= read -r line <&5; do
                 echo "GUEST-${h##*/}-GOT $line" >&5
                 echo "GUEST-${h##*/}-GOT $line"
             done
             echo "GUEST-HVC-CLOSED ${h##*/}"
             : > /tmp/hvc-closed.${h##*/}) &
        done
        s="GUEST-HW cpus=$cpus online=$online block=$blk queues=$qs mtu=$mtus net=$net link=$lnk rng=${rng// /,}"
        [ "$s" != "$last" ] && echo "$s" && last=$s
        read -t 0.2 tick <&4
    done
) &'
    init_script=$(printf '%s\n' "$init_script" |
        HW="$hw_watch" awk '$0 == "echo GUEST-READY" { print ENVIRON["HW"] } { print }')
fi
# VIRTKIT_TEST_GUEST_VARIANT=scsi: the hotplug guest that, after
# GUEST-READY, reads and writes its first SCSI disk (/dev/sda, waited for
# up to ~10 s): prints "GUEST-SDA-READ <text>" with the printable start of
# its first sector (a marker the host wrote), then writes
# "VIRTKIT-GUEST-WROTE-SDA" at byte 4096 (fsync) and prints
# GUEST-SDA-WRITTEN (GUEST-SDA-MISSING: no sda); it opens /dev/sr0 every
# 0.5 s, so that a medium changed is seen in GUEST-HW: daemon-scsi.
if [ "$variant" = scsi ]; then
    scsi_rw='i=0
while [ ! -b /dev/sda ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
if [ -b /dev/sda ]; then
    echo "GUEST-SDA-READ $(dd if=/dev/sda bs=512 count=1 2>/dev/null | head -c 64 | tr -cd A-Za-z0-9-)"
    printf VIRTKIT-GUEST-WROTE-SDA | dd of=/dev/sda bs=4096 seek=1 conv=fsync 2>/dev/null
    sync
    echo GUEST-SDA-WRITTEN
else
    echo GUEST-SDA-MISSING
fi
# the SCSI cdrom opened every 0.5 s: the kernel polls no medium by
# itself, an open reads the new capacity (GUEST-HW sr0:SECTORS)
(while :; do
    [ -b /dev/sr0 ] && dd if=/dev/sr0 of=/dev/null bs=2048 count=1 2>/dev/null
    sleep 0.5
done) &'
    init_script=$(printf '%s\n' "$init_script" |
        RW="$scsi_rw" awk '{ print } $0 == "echo GUEST-READY" { print ENVIRON["RW"] }')
fi
# VIRTKIT_TEST_GUEST_VARIANT=pci: the hotplug guest that, after
# GUEST-READY, lists what it sees on PCI as lspci would: a
# "GUEST-LSPCI <domain:bus:slot.fn> <vendor>:<device> <class>" line per
# function (once the first virtio disk is there, waited for up to ~10 s),
# then "GUEST-BLOCKPATH <disk> <sysfs path>" per virtio disk (the PCI
# bridges and ports it sits behind) and GUEST-LSPCI-DONE: daemon-pcitopo.
if [ "$variant" = pci ]; then
    pci_list='i=0
while [ ! -e /sys/block/vda ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
for d in /sys/bus/pci/devices/*; do
    read -r v < $d/vendor; read -r p < $d/device; read -r c < $d/class
    echo "GUEST-LSPCI ${d##*/} ${v#0x}:${p#0x} ${c#0x}"
done
for b in /sys/block/vd*; do
    [ -e $b ] && echo "GUEST-BLOCKPATH ${b##*/} $(readlink -f $b)"
done
echo GUEST-LSPCI-DONE'
    init_script=$(printf '%s\n' "$init_script" |
        LS="$pci_list" awk '{ print } $0 == "echo GUEST-READY" { print ENVIRON["LS"] }')
fi
if [ "$variant" = events ]; then
    init_script=$(printf '%s\n' "$init_script" | sed 's|^echo GUEST-READY$|for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_balloon virtio_console; do insmod /lib/modules/$m.ko 2>/dev/null; done\n[ -d /sys/bus/virtio/drivers/virtio_balloon ] \&\& echo GUEST-BALLOON\necho GUEST-READY\n. /bin/guest-events.sh|')
fi
if [ "$variant" = net ]; then
    init_script=$(printf '%s\n' "$init_script" | sed 's|^echo GUEST-READY$|echo GUEST-READY\n. /bin/guest-net.sh|')
fi
# VIRTKIT_TEST_GUEST_VARIANT=shell: the default guest that, after
# GUEST-READY, runs an interactive shell on its console (ttyS0, the
# controlling terminal; prompt "vkguest# "), again whenever it exits: what
# a person sees and types in a serial console (daemon-virtmanager).
if [ "$variant" = shell ]; then
    init_script=$(printf '%s\n' "$init_script" | sed 's|^while :; do sleep 3600; done$|export PS1="vkguest# "\nwhile :; do setsid cttyhack sh -i; sleep 0.2; done|')
fi
if [ "$variant" = agent ]; then
    init_script=$(printf '%s\n' "$init_script" | sed 's|^echo GUEST-READY$|for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_balloon virtio_console virtio_blk; do insmod /lib/modules/$m.ko 2>/dev/null; done\necho GUEST-READY\n. /bin/guest-agent.sh|')
fi
if [ "$variant" = virtiofs ]; then
    vfs_script='for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci fuse virtiofs; do
    insmod /lib/modules/$m.ko 2>/dev/null
done
(
    tag=$(sed -n "s/.*virtkit.vfstag=\([^ ]*\).*/\1/p" /proc/cmdline)
    [ -n "$tag" ] || tag=share
    mkdir -p /mnt
    i=0
    until mount -t virtiofs "$tag" /mnt 2>/dev/null; do
        i=$((i+1))
        if [ $i -ge 600 ]; then echo GUEST-VFS-MOUNT-FAILED; exit 0; fi
        sleep 0.5
    done
    echo "GUEST-VFS-MOUNTED $tag"
    if [ -f /mnt/host.txt ]; then
        echo "GUEST-VFS-READ $(head -c 64 /mnt/host.txt | tr -cd A-Za-z0-9-)"
    else
        echo GUEST-VFS-NOFILE
    fi
    if printf VIRTKIT-GUEST-WROTE-VFS > /mnt/guest.txt && sync; then
        echo GUEST-VFS-WRITTEN
    else
        echo GUEST-VFS-WRITE-FAILED
    fi
) &'
    init_script=$(printf '%s\n' "$init_script" |
        VFS="$vfs_script" awk '{ print } $0 == "echo GUEST-READY" { print ENVIRON["VFS"] }')
fi
init_hash=$(printf '%s' "$init_script" | sha256sum | cut -d' ' -f1)
# The events variant's actions (sourced by its /init after GUEST-READY).
events_script='set_rtc() { date -u -s "2030-01-01 00:00:00" >/dev/null; hwclock -w -u; echo GUEST-RTC-SET; }
if grep -q "virtkit.reboot=1" /proc/cmdline; then
    # the RTC survives the reset: a clock in 2030 says this is the second boot
    if hwclock -r -u | grep -q 2030; then
        echo GUEST-REBOOTED
    else
        set_rtc
        echo GUEST-REBOOTING
        sync
        reboot -f
    fi
elif grep -q "virtkit.rtc=1" /proc/cmdline; then
    set_rtc
fi
if grep -q "virtkit.agent=1" /proc/cmdline; then
    port=""
    i=0
    while [ -z "$port" ] && [ $i -lt 200 ]; do
        for n in /sys/class/virtio-ports/*; do
            [ "$(cat $n/name 2>/dev/null)" = org.qemu.guest_agent.0 ] && port=/dev/${n##*/}
        done
        [ -n "$port" ] && [ -c "$port" ] || { port=""; sleep 0.05; i=$((i+1)); }
    done
    if [ -n "$port" ]; then
        exec 3<>"$port"
        echo GUEST-AGENT-OPEN
        sleep 1
        exec 3>&-
        echo GUEST-AGENT-CLOSED
    else
        echo GUEST-AGENT-MISSING
    fi
fi
if grep -q "virtkit.agentd=1" /proc/cmdline; then
    port=""
    i=0
    while [ -z "$port" ] && [ $i -lt 200 ]; do
        for n in /sys/class/virtio-ports/*; do
            [ "$(cat $n/name 2>/dev/null)" = org.qemu.guest_agent.0 ] && port=/dev/${n##*/}
        done
        [ -n "$port" ] && [ -c "$port" ] || { port=""; sleep 0.05; i=$((i+1)); }
    done
    if [ -n "$port" ]; then
        # a read returns end-of-file while no host client is connected:
        # look again every 50 ms (the port stays open, so QEMU reports it).
        # The pause is a read -t on a FIFO nobody writes, not a forked
        # sleep: under TCG each fork costs the host CPU for as long as the
        # guest runs.
        (exec 3<>"$port"
         mkfifo /tmp/agentd.tick
         exec 4<>/tmp/agentd.tick
         while :; do
             while read -r line <&3; do
                 case "$line" in
                 *guest-sync*)
                     id=$(echo "$line" | sed -n "s/.*\"id\" *: *\([0-9]*\).*/\1/p")
                     printf "{\"return\": %s}\n" "$id" >&3 ;;
                 *guest-ping*) printf "{\"return\": {}}\n" >&3 ;;
                 *guest-shutdown*)
                     echo GUEST-AGENT-SHUTDOWN
                     sync
                     poweroff -f ;;
                 *) printf "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"not supported\"}}\n" >&3 ;;
                 esac
             done
             read -t 0.05 tick <&4
         done) &
        echo GUEST-AGENTD-READY
    else
        echo GUEST-AGENT-MISSING
    fi
fi
if grep -q "virtkit.watchdog=1" /proc/cmdline; then
    # The cloud kernel has no i6300esb driver (CONFIG_I6300ESB_WDT is not
    # set): the timer is armed from here through sysfs and /dev/mem, as
    # the driver would (unlock, preload both stages with 500 ticks of
    # ~1 ms, enable in ESB_LOCK_REG), and never reloaded. One plugged in
    # later (ACPI hotplug) is armed the same way.
    arm_wdt() {
        echo 1 > $1/enable
        bar=$(head -n1 $1/resource | cut -d" " -f1)
        for off in 0 4; do
            devmem $(printf 0x%x $((bar + 12))) 16 0x80
            devmem $(printf 0x%x $((bar + 12))) 16 0x86
            devmem $(printf 0x%x $((bar + off))) 32 500
        done
        printf "\\002" | dd of=$1/config bs=1 seek=104 count=1 conv=notrunc 2>/dev/null
        echo GUEST-WATCHDOG-ARMED
    }
    # each i6300esb not yet enabled, armed; shell builtins only (read,
    # globs): the loop below runs every 0.5 s for as long as the guest
    # does, and under TCG each fork (cat, sleep, a command substitution)
    # costs the host CPU (measured: 2.3 CPU s per 10 s of a running guest
    # with them)
    arm_new_wdts() {
        for d in /sys/bus/pci/devices/*; do
            read -r v < $d/vendor && [ "$v" = 0x8086 ] || continue
            read -r v < $d/device && [ "$v" = 0x25ab ] || continue
            read -r v < $d/enable && [ "$v" = 0 ] || continue
            arm_wdt $d
            wdt_armed=1
        done
    }
    wdt_armed=0
    arm_new_wdts
    [ $wdt_armed = 1 ] || echo GUEST-WATCHDOG-MISSING
    # the pause: a read -t on a FIFO nobody writes
    (mkfifo /tmp/wdt.tick
     exec 4<>/tmp/wdt.tick
     while :; do
         read -t 0.5 tick <&4
         arm_new_wdts
     done) &
fi
if grep -q "virtkit.hvc=1" /proc/cmdline; then
    (i=0
     while [ ! -c /dev/hvc0 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
     if [ -c /dev/hvc0 ]; then
         exec 3<>/dev/hvc0
         stty -echo <&3 2>/dev/null
         echo GUEST-HVC-READY
         # (the pause: a read -t on a FIFO nobody writes, not a fork)
         mkfifo /tmp/hvc.tick
         exec 4<>/tmp/hvc.tick
         while :; do
             while IFS= read -r line <&3; do
                 echo "GUEST-HVC-GOT $line" >&3
                 echo "GUEST-HVC-GOT $line"
             done
             read -t 0.05 tick <&4
         done
     else
         echo GUEST-HVC-MISSING
     fi) &
fi
if grep -q "virtkit.panic=1" /proc/cmdline; then
    # A kernel panic the host hears of: pvpanic-mmio drives the ISA pvpanic
    # device (ACPI QEMU0001) and writes to it from the panic notifier;
    # sysrq c panics the kernel
    insmod /lib/modules/pvpanic.ko 2>/dev/null
    insmod /lib/modules/pvpanic-mmio.ko 2>/dev/null
    if [ -d /sys/bus/platform/drivers/pvpanic-mmio ] &&
       ls /sys/bus/platform/drivers/pvpanic-mmio | grep -q QEMU0001; then
        echo GUEST-PANICKING
        sync
        echo c > /proc/sysrq-trigger
    else
        echo GUEST-PVPANIC-MISSING
    fi
fi
'
if [ "$variant" = events ]; then
    init_hash=$(printf '%s%s' "$init_script" "$events_script" | sha256sum | cut -d' ' -f1)
fi
# The agent variant's actions (sourced by its /init after GUEST-READY).
agent_script='hn=$(sed -n "s/.*virtkit\.hostname=\([^ ]*\).*/\1/p" /proc/cmdline)
hostname "${hn:-vkguest}"
# what guest-get-osinfo reads, the accounts guest-set-user-password
# changes (busybox chpasswd on /etc/shadow), and the /sbin/shutdown that
# guest-shutdown runs ("shutdown -h -P|-H|-r +0 MESSAGE"): it tells the
# console which mode it got and powers off or reboots a moment later
mkdir -p /etc /sbin /root
printf "ID=virtkit\nNAME=\"virtkit test guest\"\nPRETTY_NAME=\"virtkit test guest 1\"\nVERSION=\"1 (agent)\"\nVERSION_ID=1\n" > /etc/os-release
printf "root:x:0:0:root:/root:/bin/sh\nvkuser:x:1000:1000:vkuser:/tmp:/bin/sh\n" > /etc/passwd
printf "root:x:0:\nvkuser:x:1000:\n" > /etc/group
printf "root:*:19000:0:99999:7:::\nvkuser:!:19000:0:99999:7:::\n" > /etc/shadow
chmod 600 /etc/shadow
printf "#!/bin/sh\nmode=poweroff\nfor a in \"\$@\"; do case \$a in -r) mode=reboot;; -H) mode=halt;; esac; done\necho GUEST-AGENT-SHUTDOWN-\$mode > /dev/console\n( sleep 0.2; sync; if [ \$mode = reboot ]; then reboot -f; else poweroff -f; fi ) </dev/null >/dev/null 2>&1 &\nexit 0\n" > /sbin/shutdown
chmod 755 /sbin/shutdown
# busybox has no chpasswd (what guest-set-user-password runs): lines
# "user:password" on its input, the password hashed (sha512) unless -e
cat > /bin/chpasswd <<\EOF
#!/bin/sh
enc=0
[ "$1" = -e ] && enc=1
while IFS= read -r line || [ -n "$line" ]; do
    u=${line%%:*}
    p=${line#*:}
    grep -q "^$u:" /etc/shadow || { echo "chpasswd: unknown user $u" >&2; exit 1; }
    [ $enc = 1 ] || p=$(mkpasswd -m sha512 "$p") || exit 1
    sed -i "s|^$u:[^:]*:|$u:$p:|" /etc/shadow || exit 1
done
EOF
chmod 755 /bin/chpasswd
# /dev/vda is waited for only when the guest has a virtio block device
# (id 0x0002; virtio_pci, loaded before GUEST-READY, has registered them):
# a diskless guest spent ~10 s and ~1.5 CPU s under TCG in 200 forked
# sleeps before its agent started (daemon-power boots it three times)
blk=""
for v in /sys/bus/virtio/devices/*; do
    read id < $v/device && [ "$id" = 0x0002 ] && blk=yes
done 2>/dev/null
i=0
while [ -n "$blk" ] && [ ! -b /dev/vda ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
if [ -b /dev/vda ]; then
    mkdir -p /mnt
    mke2fs -q /dev/vda >/dev/null 2>&1 && mount -t ext2 /dev/vda /mnt && echo GUEST-MNT-READY
fi
port=""
i=0
while [ -z "$port" ] && [ $i -lt 200 ]; do
    for n in /sys/class/virtio-ports/*; do
        [ "$(cat $n/name 2>/dev/null)" = org.qemu.guest_agent.0 ] && port=/dev/${n##*/}
    done
    [ -n "$port" ] && [ -c "$port" ] || { port=""; sleep 0.05; i=$((i+1)); }
done
if [ -n "$port" ]; then
    mkdir -p /tmp/qga /var/run
    /sbin/qemu-ga -m virtio-serial -p "$port" -t /tmp/qga -f /tmp/qga/pid -l /tmp/qga/log &
    echo GUEST-QGA-STARTED
else
    echo GUEST-AGENT-MISSING
fi
'
if [ "$variant" = agent ]; then
    init_hash=$(printf '%s%s' "$init_script" "$agent_script" | sha256sum | cut -d' ' -f1)
fi
# The net variant's actions (sourced by its /init after GUEST-READY).
net_script='arg() { sed -n "s/.*virtkit\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
up() { read u rest < /proc/uptime; echo $u; }
if [ ! -e /sys/class/net/eth0 ]; then
    for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
        insmod /lib/modules/$m.ko 2>/dev/null
    done
    i=0
    while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
fi
ip link set lo up
sip=$(arg ip)
if [ -n "$sip" ]; then
    ip link set eth0 up
    ip addr add ${sip%%,*} dev eth0
    case $sip in *,*) ip route add default via ${sip#*,} ;; esac
    a=${sip%%,*}
    echo "GUEST-IP ${a%/*}"
fi
lp=$(arg nclisten)
if [ -n "$lp" ]; then
    # nc ends at EOF on its input: give it one that never ends
    mkfifo /tmp/nc.in
    (
        exec 3<>/tmp/nc.in
        while :; do echo "GUEST-NC-RECEIVED $(nc -l -p $lp <&3 | wc -c)"; done
    ) &
fi
for h in $(arg ping | tr , " "); do
    (
        i=0
        while ! ping -c 1 -W 1 $h >/dev/null 2>&1; do
            i=$((i+1))
            [ $i -lt 240 ] || { echo "GUEST-PING $h fail"; exit 0; }
            sleep 0.2
        done
        echo "GUEST-PING $h ok"
    ) &
done
snd=$(arg ncsend)
trg=$(arg nctrigger)
if [ -n "$snd" ]; then
    (
        h=${snd%%:*}; r=${snd#*:}; p=${r%%:*}; n=${r#*:}; c=1
        case $n in *:*) c=${n#*:}; n=${n%%:*} ;; esac
        i=0
        w=1
        while [ $c -gt 0 ]; do
            # nc ends at the EOF of /dev/null once the trigger connected
            if [ -n "$trg" ] && [ $w = 1 ]; then
                nc -l -p $trg </dev/null >/dev/null 2>&1
                w=0
            fi
            t0=$(up)
            if head -c $n /dev/zero | nc $h $p; then
                echo "GUEST-NC-SENT $n $t0 $(up)"
                c=$((c-1))
                w=1
                continue
            fi
            i=$((i+1))
            [ $i -lt 600 ] || { echo GUEST-NC-SEND-FAILED; break; }
            sleep 0.4
        done
    ) &
fi
'
if [ "$variant" = net ]; then
    init_hash=$(printf '%s%s' "$init_script" "$net_script" | sha256sum | cut -d' ' -f1)
fi

# the kernel's form is part of what the cache records: a guest built
# before the PVH image (vmlinuz then the bzImage) is built again
kernel_form=pvh-elf-1
init_hash=$(printf '%s%s' "$init_hash" "$kernel_form" | sha256sum | cut -d' ' -f1)
# A folder per variant and init script: worktrees (or branches) whose
# scripts differ each keep their own guest instead of rebuilding a shared
# one back and forth (and replacing it under a guest another one boots)
out=$base/$kver${variant:+-$variant}-$(printf '%.12s' "$init_hash")

if [ -f "$out/vmlinuz" ] && [ -f "$out/bzImage" ] && [ -f "$out/initrd.gz" ] &&
   [ "$(cat "$out/INIT.sha256" 2>/dev/null)" = "$init_hash" ]; then
    echo "$out"
    exit 0
fi

for tool in busybox cpio gzip dpkg apt-get; do
    command -v $tool >/dev/null 2>&1 || { log "missing tool: $tool"; exit 1; }
done
bb=/usr/bin/busybox
[ -x /bin/busybox ] && bb=/bin/busybox
# ldd fails on a static binary; a dynamic busybox would not run in the initramfs.
if ldd "$bb" >/dev/null 2>&1; then
    log "$bb is not statically linked (install busybox-static)"
    exit 1
fi

mkdir -p "$base"
work=$(mktemp -d "$base/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "downloading $pkg"
(cd "$work" && apt-get download "$pkg" >/dev/null 2>&1) || {
    log "apt-get download $pkg failed"; exit 1; }
dpkg -x "$work"/"$pkg"_*.deb "$work/pkg"
moddir=$work/pkg/lib/modules/$kver/kernel

extra_mods=""
if [ "$variant" = events ]; then
    extra_mods="drivers/char/virtio_console.ko drivers/misc/pvpanic/pvpanic.ko
                drivers/misc/pvpanic/pvpanic-mmio.ko"
fi
if [ "$variant" = agent ]; then
    extra_mods=drivers/char/virtio_console.ko
fi
if [ "$variant" = virtiofs ]; then
    extra_mods="fs/fuse/fuse.ko fs/fuse/virtiofs.ko"
fi
root=$work/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/lib/modules"
cp "$bb" "$root/bin/busybox"
for m in drivers/input/evdev.ko drivers/acpi/button.ko \
         drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko \
         drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci_legacy_dev.ko \
         drivers/virtio/virtio_pci.ko drivers/block/virtio_blk.ko \
         net/core/failover.ko drivers/net/net_failover.ko drivers/net/virtio_net.ko \
         ${variant:+drivers/virtio/virtio_balloon.ko} $extra_mods \
         $(if [ "$variant" = hotplug ] || [ "$variant" = scsi ] || [ "$variant" = pci ]; then
             echo drivers/scsi/scsi_common.ko \
             drivers/scsi/scsi_mod.ko drivers/scsi/sd_mod.ko drivers/cdrom/cdrom.ko \
             drivers/scsi/sr_mod.ko drivers/scsi/virtio_scsi.ko \
             drivers/char/hw_random/virtio-rng.ko drivers/char/virtio_console.ko \
             drivers/virtio/virtio_mem.ko; fi); do
    [ -f "$moddir/$m" ] || { log "module $m missing from $pkg"; exit 1; }
    cp "$moddir/$m" "$root/lib/modules/"
done
# the hw_random core, where the kernel has it as a module
if { [ "$variant" = hotplug ] || [ "$variant" = scsi ] || [ "$variant" = pci ]; } &&
    [ -f "$moddir/drivers/char/hw_random/rng-core.ko" ]; then
    cp "$moddir/drivers/char/hw_random/rng-core.ko" "$root/lib/modules/"
fi
printf '%s' "$init_script" > "$root/init"
chmod 0755 "$root/init"
[ "$variant" = events ] && printf '%s' "$events_script" > "$root/bin/guest-events.sh"
[ "$variant" = net ] && printf '%s' "$net_script" > "$root/bin/guest-net.sh"
if [ "$variant" = agent ]; then
    printf '%s' "$agent_script" > "$root/bin/guest-agent.sh"
    # Debian's qemu-ga and the shared libraries it needs, from this host
    (cd "$work" && apt-get download qemu-guest-agent >/dev/null 2>&1) || {
        log "apt-get download qemu-guest-agent failed"; exit 1; }
    dpkg -x "$work"/qemu-guest-agent_*.deb "$work/qga"
    mkdir -p "$root/sbin"
    cp "$work/qga/usr/sbin/qemu-ga" "$root/sbin/qemu-ga"
    # its set-time without a time runs /sbin/hwclock
    ln -s /bin/busybox "$root/sbin/hwclock"
    for lib in $(ldd "$root/sbin/qemu-ga" | sed -n 's|.*=> \(/[^ ]*\).*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p'); do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
fi

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$work/initrd.gz"
cp "$work"/pkg/boot/vmlinuz-"$kver" "$work/bzImage"
# The ELF inside the bzImage: its payload (offset and length in the setup
# header, after the setup sectors) decompressed. QEMU boots an ELF kernel
# through its PVH entry note (Xen note type 18); without one, or with a
# payload this script cannot unpack, the guest boots the bzImage.
unpack_elf() {
    python3 - "$1" "$2" <<'PY' || return 1
import struct, sys
d = open(sys.argv[1], "rb").read()
if d[0x202:0x206] != b"HdrS":
    sys.exit(1)
setup = (d[0x1f1] or 4) + 1
off, length = struct.unpack_from("<II", d, 0x248)
p = d[setup * 512 + off:setup * 512 + off + length]
# every format but gzip has the uncompressed size appended (4 bytes)
fmt = ("gzip" if p[:2] == b"\x1f\x8b" else "lz4" if p[:4] == b"\x02\x21\x4c\x18" else
       "xz" if p[:6] == b"\xfd7zXZ\x00" else "zstd" if p[:4] == b"\x28\xb5\x2f\xfd" else None)
if fmt is None:
    sys.exit(1)
open(sys.argv[2], "wb").write(p if fmt == "gzip" else p[:-4])
print(fmt)
PY
}
elf_ok=no
if fmt=$(unpack_elf "$work/bzImage" "$work/payload") && command -v "$fmt" >/dev/null 2>&1 &&
   "$fmt" -dc <"$work/payload" >"$work/vmlinux" 2>/dev/null &&
   python3 - "$work/vmlinux" <<'PY'; then
import struct, sys
d = open(sys.argv[1], "rb").read()
if d[:5] != b"\x7fELF\x02":
    sys.exit(1)
# the PVH entry: an ELF note named "Xen" of type 18 (XEN_ELFNOTE_PHYS32_ENTRY)
phoff, = struct.unpack_from("<Q", d, 0x20)
phentsize, phnum = struct.unpack_from("<HH", d, 0x36)
for i in range(phnum):
    ptype, _, poff, _, _, pfilesz = struct.unpack_from("<IIQQQQ", d, phoff + i * phentsize)
    if ptype != 4:
        continue
    n = poff
    while n + 12 <= poff + pfilesz:
        namesz, descsz, ntype = struct.unpack_from("<III", d, n)
        name = d[n + 12:n + 12 + namesz].rstrip(b"\0")
        if name == b"Xen" and ntype == 18:
            sys.exit(0)
        n += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
sys.exit(1)
PY
    elf_ok=yes
fi
if [ $elf_ok = yes ]; then
    mv "$work/vmlinux" "$work/vmlinuz"
else
    log "no PVH ELF in $pkg's bzImage: the guests boot the bzImage"
    cp "$work/bzImage" "$work/vmlinuz"
fi
rm -f "$work/payload" "$work/vmlinux"

mkdir -p "$out"
mv "$work/vmlinuz" "$out/vmlinuz.tmp" && mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$work/bzImage" "$out/bzImage.tmp" && mv "$out/bzImage.tmp" "$out/bzImage"
mv "$work/initrd.gz" "$out/initrd.gz.tmp" && mv "$out/initrd.gz.tmp" "$out/initrd.gz"
echo "$kver" > "$out/VERSION"
echo "$init_hash" > "$out/INIT.sha256"
log "built $out"
echo "$out"
