# SPDX-License-Identifier: GPL-2.0-or-later
# libvirtd.bash - a libvirtd (QEMU driver) for a test, started without systemd. Needs root.
#
#   libvirtd_up     start virtlogd and libvirtd (unless this library's instances already run)
#                   and wait until qemu:///system answers; creates the libvirt-qemu account
#                   when missing and writes /etc/libvirt/qemu.conf when there is none
#   libvirtd_stop   stop libvirtd only (running guests survive, as after a daemon crash)
#   libvirtd_start  start it again and wait for it
#   libvirtd_down   destroy the domains named baton-t-*, stop both daemons, remove what
#                   libvirtd_up created
#
# Pitfalls (see tests/vm/README.md): libvirt 9.0 resolves its compiled-in user
# 'libvirt-qemu' before it reads qemu.conf, so the account must exist even when QEMU runs
# as root; without virtlogd, starting a domain fails.

LIBVIRTD_PIDFILE=/run/baton-test-libvirtd.pid
VIRTLOGD_PIDFILE=/run/baton-test-virtlogd.pid
LIBVIRTD_MARK=/run/baton-test-libvirtd.created
QEMU_CONF=/etc/libvirt/qemu.conf

_pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

libvirtd_wait() {
    local i
    for i in $(seq 150); do
        virsh -c qemu:///system version >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "libvirtd did not answer within 15 s" >&2
    return 1
}

libvirtd_start() {
    _pid_alive "$LIBVIRTD_PIDFILE" || libvirtd -d -p "$LIBVIRTD_PIDFILE"
    libvirtd_wait
}

libvirtd_stop() {
    local p i
    _pid_alive "$LIBVIRTD_PIDFILE" || return 0
    p=$(cat "$LIBVIRTD_PIDFILE")
    kill "$p"
    for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p"
    rm -f "$LIBVIRTD_PIDFILE"
}

libvirtd_up() {
    : > "$LIBVIRTD_MARK.new"
    if ! getent group libvirt-qemu >/dev/null; then
        groupadd -r libvirt-qemu && echo group >> "$LIBVIRTD_MARK.new"
    fi
    if ! getent passwd libvirt-qemu >/dev/null; then
        useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu &&
            echo user >> "$LIBVIRTD_MARK.new"
    fi
    if [ ! -e "$QEMU_CONF" ]; then
        mkdir -p /etc/libvirt
        # no cgroups, no mount namespace, no chown of the images: none of these work everywhere
        # without systemd (containers, CI runners)
        cat > "$QEMU_CONF" <<'CONF'
# baton-test: written by tests/integration/lib/libvirtd.bash, removed by libvirtd_down
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
cgroup_controllers = [ ]
namespaces = [ ]
CONF
        echo qemuconf >> "$LIBVIRTD_MARK.new"
    fi
    [ -f "$LIBVIRTD_MARK" ] || mv "$LIBVIRTD_MARK.new" "$LIBVIRTD_MARK"
    rm -f "$LIBVIRTD_MARK.new"
    mkdir -p /var/log/libvirt /var/lib/libvirt/qemu /run/libvirt
    _pid_alive "$VIRTLOGD_PIDFILE" || virtlogd -d -p "$VIRTLOGD_PIDFILE"
    libvirtd_start
}

libvirtd_down() {
    local d p i
    if _pid_alive "$LIBVIRTD_PIDFILE"; then
        for d in $(virsh -c qemu:///system list --all --name 2>/dev/null | grep '^baton-t-'); do
            virsh -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
            virsh -c qemu:///system undefine "$d" >/dev/null 2>&1 || true
        done
    fi
    libvirtd_stop
    if _pid_alive "$VIRTLOGD_PIDFILE"; then
        p=$(cat "$VIRTLOGD_PIDFILE")
        kill "$p"
        for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$p" 2>/dev/null && kill -9 "$p"
    fi
    rm -f "$VIRTLOGD_PIDFILE"
    if [ -f "$LIBVIRTD_MARK" ]; then
        grep -qx qemuconf "$LIBVIRTD_MARK" && grep -q '^# baton-test' "$QEMU_CONF" 2>/dev/null && rm -f "$QEMU_CONF"
        grep -qx user "$LIBVIRTD_MARK" && userdel libvirt-qemu 2>/dev/null
        grep -qx group "$LIBVIRTD_MARK" && groupdel libvirt-qemu 2>/dev/null
        rm -f "$LIBVIRTD_MARK"
    fi
    return 0
}
