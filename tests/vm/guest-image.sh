#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-image.sh - build the tiny test guests for the vm agent's integration tests:
# Debian's own kernel (linux-image-amd64's dependency, fetched with apt-get download) and three
# busybox initramfs images:
#   coop.cpio.gz    loads virtio_pci + virtio_balloon (working balloon, memory statistics)
#                   and button + evdev with busybox acpid (obeys the ACPI power button)
#   uncoop.cpio.gz  loads no module: no balloon driver, ignores the power button
#   net.cpio.gz     coop + virtio_net: eth0 gets the static address of the kernel command
#                   line (baton.ip=ADDR/PREFIX), busybox httpd on port 80 serves /health
#                   ("ok", 200) and the CGIs /cgi-bin/break (removes /health: the health
#                   check fails from then on), /cgi-bin/repair (puts it back) and
#                   /cgi-bin/uptime (/proc/uptime: a migrated guest keeps counting),
#                   /cgi-bin/dmesg (the kernel's log)
# All print "BATON-GUEST-READY variant=..." on the serial console when /init is done.
# Images are written under a temporary name and renamed: files in use are never rewritten.
#
#   guest-image.sh [DIR]     build into DIR (default $BATON_TEST_CACHE or /var/cache/baton-test),
#                            unless the images are already there (only the missing net image
#                            is added to an older cache, with the kernel that is there); prints DIR
#   guest-image.sh xml NAME MiB coop|uncoop [MAX_MiB]
#   guest-image.sh xml NAME MiB net [MAX_MiB [ADDR/PREFIX [MAC [BRIDGE]]]]
#                            print a domain XML (TCG, direct kernel boot, serial log in
#                            $BATON_VM_LOGDIR or /tmp) for the images in DIR; net adds a virtio
#                            NIC on BRIDGE (br0) with MAC (default 52:54:00:62:XX:YY from the
#                            address) and ADDR/PREFIX (default 10.98.0.150/24) on the command line
#
# Needs: apt-get (with package lists), dpkg-deb, depmod, modinfo (kmod), busybox-static, cpio, gzip.
set -euo pipefail

DIR=${BATON_TEST_CACHE:-/var/cache/baton-test}
MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_balloon button evdev"
NET_MODS="failover net_failover virtio_net"
MARK=BATON-GUEST-READY

die() { echo "guest-image: $*" >&2; exit 1; }

write_init() { # variant rootdir
    local v=$1 r=$2
    # the interpreter must be busybox itself: /bin/sh exists only after --install
    cat > "$r/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
INIT
    local mods=$MODS
    [ "$v" = net ] && mods="$MODS $NET_MODS"
    if [ "$v" = coop ] || [ "$v" = net ]; then
        echo "for m in $mods; do insmod /lib/modules/\$m.ko || echo \"insmod \$m failed\"; done" >> "$r/init"
        cat >> "$r/init" <<'INIT'
# acpid reads the power button's input device, which appears shortly after insmod
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/input/event1 ] && break; sleep 0.2; done
acpid -c /etc/acpi -l /dev/console
bal=no; ls /sys/bus/virtio/drivers/virtio_balloon 2>/dev/null | grep -q virtio && bal=yes
INIT
    else
        echo 'bal=no' >> "$r/init"
    fi
    local extra=""
    if [ "$v" = net ]; then
        cat >> "$r/init" <<'INIT'
ip=; gw=
for a in $(cat /proc/cmdline); do
    case $a in baton.ip=*) ip=${a#baton.ip=} ;; baton.gw=*) gw=${a#baton.gw=} ;; esac
done
ip link set lo up
[ -n "$ip" ] && ip addr add "$ip" dev eth0
ip link set eth0 up
[ -n "$gw" ] && ip route add default via "$gw"
mkdir -p /www/cgi-bin
echo ok > /www/health
httpd -p 80 -h /www
INIT
        extra=' ip=$ip'
    fi
    echo "echo \"$MARK variant=$v balloon=\$bal$extra\"" >> "$r/init"
    # PID 1 must never exit; it has no signal handlers, so signals are ignored
    echo 'while :; do sleep 3600; done' >> "$r/init"
    chmod 755 "$r/init"
}

build_initrd() { # variant kernel-root kver
    local v=$1 kr=$2 kv=$3 r m f t
    r=$(mktemp -d)
    mkdir -p "$r"/{bin,proc,sys,dev,lib/modules,etc/acpi/PWRF,tmp}
    cp /bin/busybox "$r/bin/busybox"
    local mods=$MODS
    [ "$v" = net ] && mods="$MODS $NET_MODS"
    if [ "$v" = coop ] || [ "$v" = net ]; then
        for m in $mods; do
            f=$(modinfo -b "$kr" -k "$kv" -n "$m")
            case "$f" in /*) cp "$f" "$r/lib/modules/$m.ko" ;; *) rm -rf "$r"; die "module $m: $f" ;; esac
        done
        # poweroff -f: reboot(2) directly; plain poweroff would signal PID 1, a shell here
        printf '#!/bin/sh\nsync\npoweroff -f\n' > "$r/etc/acpi/PWRF/00000080"
        chmod 755 "$r/etc/acpi/PWRF/00000080"
    fi
    [ "$v" = net ] && write_cgis "$r"
    write_init "$v" "$r"
    # a private temporary name: two builds at once never write into one file
    t=$(mktemp "$DIR/.$v.cpio.gz.XXXXXX")
    (cd "$r" && find . | cpio -o -H newc --quiet | gzip -9) > "$t"
    chmod 644 "$t"
    mv "$t" "$DIR/$v.cpio.gz"
    rm -rf "$r"
}

write_cgis() { # rootdir: the net variant's web service (busybox httpd runs cgi-bin/*)
    local r=$1 c
    mkdir -p "$r/www/cgi-bin"
    for c in break repair uptime dmesg; do
        {
            echo '#!/bin/sh'
            case $c in
            break) echo 'rm -f /www/health' ;;
            repair) echo 'echo ok > /www/health' ;;
            esac
            printf 'printf "Content-Type: text/plain\\r\\n\\r\\n"\n'
            case $c in
            uptime) echo 'cat /proc/uptime' ;;
            dmesg) echo 'dmesg' ;;
            *) echo "echo $c" ;;
            esac
        } > "$r/www/cgi-bin/$c"
        chmod 755 "$r/www/cgi-bin/$c"
    done
}

# The net image for a cache made before it existed: its modules must come from the kernel
# package whose vmlinuz is the one there (never replaced: guests of other tests boot it).
build_net() {
    local deb kr kv
    [ -x /bin/busybox ] || die "busybox-static is not installed"
    for deb in "$DIR"/src/linux-image-*.deb; do
        [ -f "$deb" ] || continue
        kr=$(mktemp -d)
        dpkg-deb -x "$deb" "$kr"
        for kv in "$kr"/boot/vmlinuz-*; do
            kv=${kv##*/vmlinuz-}
            if cmp -s "$kr/boot/vmlinuz-$kv" "$DIR/vmlinuz"; then
                depmod -b "$kr" "$kv"
                build_initrd net "$kr" "$kv"
                rm -rf "$kr"
                return 0
            fi
        done
        rm -rf "$kr"
    done
    die "no kernel package in $DIR/src matches $DIR/vmlinuz (remove the cache to rebuild it all)"
}

build() {
    local pkg deb kv kr t
    mkdir -p "$DIR/src"
    if [ -f "$DIR/vmlinuz" ] && [ -f "$DIR/coop.cpio.gz" ] && [ -f "$DIR/uncoop.cpio.gz" ]; then
        [ -f "$DIR/net.cpio.gz" ] || build_net
        echo "$DIR"; return 0
    fi
    [ -x /bin/busybox ] || die "busybox-static is not installed"
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    [ -n "$pkg" ] || die "cannot resolve linux-image-amd64 (run apt-get update)"
    deb=$(ls "$DIR"/src/"${pkg}"_*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        (cd "$DIR/src" && apt-get download "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
        deb=$(ls "$DIR"/src/"${pkg}"_*.deb | head -1)
    fi
    kr=$(mktemp -d)
    dpkg-deb -x "$deb" "$kr"
    kv=${pkg#linux-image-}
    depmod -b "$kr" "$kv"        # the package ships no modules.dep (its postinst makes it)
    t=$(mktemp "$DIR/.vmlinuz.XXXXXX")
    cp "$kr/boot/vmlinuz-$kv" "$t"
    chmod 644 "$t"
    build_initrd coop "$kr" "$kv"
    build_initrd uncoop "$kr" "$kv"
    build_initrd net "$kr" "$kv"
    mv "$t" "$DIR/vmlinuz"
    rm -rf "$kr"
    echo "$DIR"
}

xml() { # name MiB variant [max [addr/prefix [mac [bridge]]]]
    local name=$1 mib=$2 v=$3 max=${4:-$2} logdir=${BATON_VM_LOGDIR:-/tmp}
    local cmdline="console=ttyS0 quiet" nic="" addr mac br a
    if [ "$v" = net ]; then
        addr=${5:-10.98.0.150/24}
        IFS=./ read -r -a a <<< "$addr"
        [ "${#a[@]}" = 5 ] || die "not ADDR/PREFIX: $addr"
        mac=${6:-$(printf '52:54:00:62:%02x:%02x' "${a[2]}" "${a[3]}")}
        br=${7:-br0}
        cmdline="$cmdline baton.ip=$addr"
        nic="
    <interface type='bridge'>
      <mac address='$mac'/>
      <source bridge='$br'/>
      <model type='virtio'/>
    </interface>"
    fi
    # the net variant's console survives a migration back (libvirt truncates it otherwise)
    local append=""
    [ "$v" = net ] && append=" append='on'"
    cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <description>baton-test guest variant=$v</description>
  <memory unit='MiB'>$max</memory>
  <currentMemory unit='MiB'>$mib</currentMemory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$DIR/vmlinuz</kernel>
    <initrd>$DIR/$v.cpio.gz</initrd>
    <cmdline>$cmdline</cmdline>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>$nic
    <serial type='file'>
      <source path='$logdir/$name.console.log'$append/>
      <target port='0'/>
    </serial>
    <memballoon model='virtio'>
      <stats period='1'/>
    </memballoon>
  </devices>
</domain>
XML
}

case "${1:-}" in
    xml) shift; xml "$@" ;;
    "") build ;;
    *) DIR=$1; build ;;
esac
