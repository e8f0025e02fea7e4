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
#   libvirtd_guest_ready DOM [VIRSH...]
#                   wait up to 60 s until DOM runs a booted guest: its balloon driver delivers
#                   statistics (dommemstat last_update > 0). VIRSH: the command to ask with
#                   (default virsh -c qemu:///system; a function such as one entering a node)
#
# Pitfalls (see tests/vm/README.md): libvirt 9.0 resolves its compiled-in user
# 'libvirt-qemu' before it reads qemu.conf, so the account must exist even when QEMU runs
# as root; without virtlogd, starting a domain fails.

LIBVIRTD_PIDFILE=/run/baton-test-libvirtd.pid
VIRTLOGD_PIDFILE=/run/baton-test-virtlogd.pid
LIBVIRTD_MARK=/run/baton-test-libvirtd.created
QEMU_CONF=/etc/libvirt/qemu.conf

# QEMU as root with no cgroups, no mount namespace, no chown of the images: none of these
# work everywhere without systemd (containers, CI runners)
_qemu_conf() {
    cat <<'CONF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
cgroup_controllers = [ ]
namespaces = [ ]
CONF
}

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
        {
            echo "# baton-test: written by tests/integration/lib/libvirtd.bash, removed by libvirtd_down"
            _qemu_conf
        } > "$QEMU_CONF"
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

libvirtd_guest_ready() {
    local dom=$1 i u
    shift
    [ $# -gt 0 ] || set -- virsh -c qemu:///system
    for i in $(seq 600); do
        u=$("$@" dommemstat "$dom" 2>/dev/null | awk '$1=="last_update"{print $2}')
        [ "${u:-0}" -gt 0 ] 2>/dev/null && return 0
        sleep 0.1
    done
    echo "domain $dom: no booted guest after 60 s" >&2
    return 1
}

# ---------------------------------------------------------------- two "nodes" for live migration
#
#   libvirtd_ns_up DIR     nodes 1 and 2, each: network namespace baton-mig-K (192.0.2.K/24 on a
#                          veth pair between the two namespaces, nothing on the host's
#                          interfaces), a private mount namespace with a tmpfs on /run and
#                          DIR/nodeK/{etc,lib,cache,log} on the libvirt directories, its own
#                          virtlogd and libvirtd (TCP listener without auth on 192.0.2.K, a
#                          distinct host_uuid). Call libvirtd_up first (the libvirt-qemu account).
#   libvirtd_ns_exec K CMD run CMD in node K's namespaces (sees its /run/libvirt)
#   libvirtd_ns_down DIR   destroy the nodes' domains, stop the daemons, delete the namespaces

MIGNET=192.0.2

libvirtd_ns_exec() {
    local k=$1
    shift
    nsenter -t "$(cat "$MIG_DIR/node$k/libvirtd.pid")" -m -n -- "$@"
}

libvirtd_ns_up() {
    local dir=$1 k d
    export MIG_DIR=$dir
    for k in 1 2; do
        ip netns add "baton-mig-$k"
        ip -n "baton-mig-$k" link set lo up
    done
    ip link add mig1 netns baton-mig-1 type veth peer name mig2 netns baton-mig-2
    for k in 1 2; do
        ip -n "baton-mig-$k" addr add "$MIGNET.$k/24" dev "mig$k"
        ip -n "baton-mig-$k" link set "mig$k" up
    done
    for k in 1 2; do
        d=$dir/node$k
        mkdir -p "$d"/{etc/qemu,etc/secrets,etc/nwfilter,lib/qemu,cache,log/qemu}
        _qemu_conf > "$d/etc/qemu.conf"
        cat > "$d/etc/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "$MIGNET.$k"
auth_tcp = "none"
host_uuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c$k"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
        ip netns exec "baton-mig-$k" unshare --mount --propagation private -- sh -c "
            mount -t tmpfs tmpfs /run &&
            mount --bind '$d/etc' /etc/libvirt &&
            mount --bind '$d/lib' /var/lib/libvirt &&
            mount --bind '$d/cache' /var/cache/libvirt &&
            mount --bind '$d/log' /var/log/libvirt &&
            virtlogd -d -p '$d/virtlogd.pid' &&
            libvirtd -d -l -p '$d/libvirtd.pid'" || return 1
    done
}

# wait until node K's libvirtd answers
libvirtd_ns_wait() {
    local k=$1 i
    for i in $(seq 150); do
        [ -s "$MIG_DIR/node$k/libvirtd.pid" ] &&
            libvirtd_ns_exec "$k" virsh -c qemu:///system version >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "libvirtd of node $k did not answer within 15 s" >&2
    return 1
}

libvirtd_ns_down() {
    local dir=$1 k d p i
    for k in 1 2; do
        [ -s "$dir/node$k/libvirtd.pid" ] || continue
        for d in $(MIG_DIR=$dir libvirtd_ns_exec "$k" virsh -c qemu:///system list --name 2>/dev/null |
                       grep '^baton-t-'); do
            MIG_DIR=$dir libvirtd_ns_exec "$k" virsh -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
        done
        for p in libvirtd virtlogd; do
            [ -s "$dir/node$k/$p.pid" ] || continue
            i=$(cat "$dir/node$k/$p.pid")
            kill "$i" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$i" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$i" 2>/dev/null || true
            rm -f "$dir/node$k/$p.pid"
        done
    done
    ip netns del baton-mig-1 2>/dev/null || true
    ip netns del baton-mig-2 2>/dev/null || true
    return 0
}
