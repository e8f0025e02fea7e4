#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-image.sh - build the tiny test guests for the vm agent's integration tests:
# Debian's own kernel (linux-image-amd64's dependency, fetched with apt-get download) and two
# busybox initramfs images:
#   coop.cpio.gz    loads virtio_pci + virtio_balloon (working balloon, memory statistics)
#                   and button + evdev with busybox acpid (obeys the ACPI power button)
#   uncoop.cpio.gz  loads no module: no balloon driver, ignores the power button
# Both print "BATON-GUEST-READY variant=..." on the serial console when /init is done.
#
#   guest-image.sh [DIR]     build into DIR (default $BATON_TEST_CACHE or /var/cache/baton-test),
#                            unless the images are already there; prints DIR
#   guest-image.sh xml NAME MiB coop|uncoop [MAX_MiB]
#                            print a domain XML (TCG, direct kernel boot, serial log in
#                            $BATON_VM_LOGDIR or /tmp) for the images in DIR
#
# Needs: apt-get (with package lists), dpkg-deb, depmod, modinfo (kmod), busybox-static, cpio, gzip.
set -euo pipefail

DIR=${BATON_TEST_CACHE:-/var/cache/baton-test}
MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_balloon button evdev"
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
    if [ "$v" = coop ]; then
        echo "for m in $MODS; do insmod /lib/modules/\$m.ko || echo \"insmod \$m failed\"; done" >> "$r/init"
        cat >> "$r/init" <<'INIT'
# acpid reads the power button's input device, which appears shortly after insmod
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /dev/input/event1 ] && break; sleep 0.2; done
acpid -c /etc/acpi -l /dev/console
bal=no; ls /sys/bus/virtio/drivers/virtio_balloon 2>/dev/null | grep -q virtio && bal=yes
INIT
    else
        echo 'bal=no' >> "$r/init"
    fi
    echo "echo \"$MARK variant=$v balloon=\$bal\"" >> "$r/init"
    # PID 1 must never exit; it has no signal handlers, so signals are ignored
    echo 'while :; do sleep 3600; done' >> "$r/init"
    chmod 755 "$r/init"
}

build_initrd() { # variant kernel-root kver
    local v=$1 kr=$2 kv=$3 r m f
    r=$(mktemp -d)
    mkdir -p "$r"/{bin,proc,sys,dev,lib/modules,etc/acpi/PWRF,tmp}
    cp /bin/busybox "$r/bin/busybox"
    if [ "$v" = coop ]; then
        for m in $MODS; do
            f=$(modinfo -b "$kr" -k "$kv" -n "$m")
            case "$f" in /*) cp "$f" "$r/lib/modules/$m.ko" ;; *) rm -rf "$r"; die "module $m: $f" ;; esac
        done
        # poweroff -f: reboot(2) directly; plain poweroff would signal PID 1, a shell here
        printf '#!/bin/sh\nsync\npoweroff -f\n' > "$r/etc/acpi/PWRF/00000080"
        chmod 755 "$r/etc/acpi/PWRF/00000080"
    fi
    write_init "$v" "$r"
    (cd "$r" && find . | cpio -o -H newc --quiet | gzip -9) > "$DIR/$v.cpio.gz.tmp"
    mv "$DIR/$v.cpio.gz.tmp" "$DIR/$v.cpio.gz"
    rm -rf "$r"
}

build() {
    local pkg deb kv kr
    mkdir -p "$DIR/src"
    if [ -f "$DIR/vmlinuz" ] && [ -f "$DIR/coop.cpio.gz" ] && [ -f "$DIR/uncoop.cpio.gz" ]; then
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
    cp "$kr/boot/vmlinuz-$kv" "$DIR/vmlinuz.tmp"
    build_initrd coop "$kr" "$kv"
    build_initrd uncoop "$kr" "$kv"
    mv "$DIR/vmlinuz.tmp" "$DIR/vmlinuz"
    rm -rf "$kr"
    echo "$DIR"
}

xml() { # name MiB variant [max]
    local name=$1 mib=$2 v=$3 max=${4:-$2} logdir=${BATON_VM_LOGDIR:-/tmp}
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
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <serial type='file'>
      <source path='$logdir/$name.console.log'/>
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
