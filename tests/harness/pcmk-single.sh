#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pcmk-single.sh - a real one-node Pacemaker 2.1 / Corosync 3 cluster for a test, without
# systemd and without touching the host's cluster configuration. Needs root.
#
#   pcmk-single.sh start         clean leftovers, build the namespaces, start corosync and
#                                pacemakerd, wait until the node is online and DC, then print
#                                shell assignments for the test (eval "$(pcmk-single.sh start)")
#   pcmk-single.sh exec CMD...   run CMD inside the cluster (its mount/uts/ipc/net/pid
#                                namespaces), so crm_resource, crm_mon, cibadmin, crm, pcs and
#                                ip talk to this cluster and see its NICs
#   pcmk-single.sh wait [T]      wait until the node is online and the DC is elected (T s, 120)
#   pcmk-single.sh settle [T]    crm_resource --wait inside the cluster (T s, 60)
#   pcmk-single.sh env           the assignments "start" printed (cluster must be running)
#   pcmk-single.sh status        running or not, then crm_mon -1
#   pcmk-single.sh stop          kill everything, delete the namespace and the state directory
#                                (logs are copied to $BATON_PCMK_SAVE_LOGS/$NS first, if set)
#
# Layout. Network namespace $BATON_PCMK_NS (default baton-pcmk) holds
#   eth0 (veth, peer eth0p) 203.0.113.1/24: corosync's knet link, nothing else uses it;
#   bt0  (veth, peer bt0p)  192.0.2.1/24:   the NIC for resources under test; 192.0.2.10-99 free.
# (veth pairs rather than dummy interfaces: some kernels, this CI's among them, have no dummy.)
# Inside it, unshare starts a new pid/mount/uts/ipc namespace whose PID 1 is this script
# ("_init"): it mounts private tmpfs on /run, /dev/shm and /tmp, binds private copies of
# /etc/corosync, /etc/hosts, /etc/passwd, /etc/group, /var/lib/pacemaker, /var/lib/corosync,
# /var/lib/heartbeat and /var/log from $BATON_PCMK_DIR, then runs corosync -f and pacemakerd
# and reaps orphans. Everything else (binaries, /usr/lib/ocf) is the host's. Killing that
# PID 1 kills the whole cluster at once. The CIB starts with stonith-enabled=false and a short
# dc-deadtime, so the node is DC a few seconds after start.
#
# Environment: BATON_PCMK_NS (baton-pcmk), BATON_PCMK_DIR (/var/lib/$BATON_PCMK_NS; removed
#   by stop and by start; two clusters at once need two names), BATON_PCMK_TIMEOUT (120 s for
#   start), BATON_PCMK_SAVE_LOGS (stop first copies the logs to $BATON_PCMK_SAVE_LOGS/$NS),
#   BATON_PCMK_OCF_BATON (a directory whose agents Pacemaker must see as provider "baton",
#   e.g. a build tree's agents/vip: inside the cluster only, /usr/lib/ocf/resource.d is
#   replaced by links to the host's providers plus this one).
# Internal: _init (PID 1 of the cluster).
set -uo pipefail

NS=${BATON_PCMK_NS:-baton-pcmk}
DIR=${BATON_PCMK_DIR:-/var/lib/$NS}
TIMEOUT=${BATON_PCMK_TIMEOUT:-120}
NODE=baton-node1
RING_ADDR=203.0.113.1
NIC=bt0
NIC_ADDR=192.0.2.1
BIN="$DIR/bin/pcmk-single.sh"   # the copy PID 1 runs: editing the source must not affect it

die() { echo "pcmk-single: $*" >&2; exit 1; }
ts() { date +%H:%M:%S.%3N; }
alive() { [ -n "${1:-}" ] && [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# Host PID of the cluster's PID 1: among the processes of our network namespace, the one that
# is PID 1 of the outermost pid namespace. No PID file, so a stale one cannot mislead us.
init_pid() {
	local p line d best="" bestd=99
	for p in $(ip netns pids "$NS" 2>/dev/null); do
		line=$(grep '^NSpid:' "/proc/$p/status" 2>/dev/null) || continue
		[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] && continue
		set -- $line
		shift
		d=$#
		[ "${!d}" = 1 ] || continue
		if [ "$d" -lt "$bestd" ]; then best=$p; bestd=$d; fi
	done
	echo "$best"
}

# ---------------------------------------------------------------- inside the cluster

cmd_init() {
	exec </dev/null >>"$DIR/log/console.log" 2>&1
	echo "$(ts) init: starting"
	hostname "$NODE"
	# provider "baton" replaced (BATON_PCMK_OCF_BATON): the host's providers and the agent
	# directory are bound under $DIR first, where the links of $DIR/resource.d find them
	# (the agent directory may be under /tmp, which the tmpfs below hides)
	if [ -f "$DIR/ocf-baton.src" ]; then
		mount --bind /usr/lib/ocf/resource.d "$DIR/ocf-host" &&
			mount --bind "$(cat "$DIR/ocf-baton.src")" "$DIR/ocf-baton" || exit 2
	fi
	mount -t tmpfs -o mode=0755,size=64m tmpfs /run || exit 2
	mkdir -p /run/lock /run/crm /run/resource-agents /run/user
	chown hacluster:haclient /run/crm
	chmod 1755 /run/resource-agents
	# libqb keeps IPC ring buffers in /dev/shm named after PIDs, which are namespace-local
	mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm || exit 2
	mount -t tmpfs -o mode=1777,size=256m tmpfs /tmp || exit 2
	local src dst opt
	while read -r src dst opt; do
		# optional targets are bound only where the host has them (cluster-glue's dir)
		[ "$opt" = optional ] && [ ! -e "$dst" ] && continue
		mount --bind "$DIR/$src" "$dst" || { echo "$(ts) init: bind $dst failed"; exit 2; }
	done <<-EOF
	etc/corosync /etc/corosync
	etc/hosts /etc/hosts
	etc/hostname /etc/hostname
	etc/passwd /etc/passwd
	etc/group /etc/group
	lib/pacemaker /var/lib/pacemaker
	lib/corosync /var/lib/corosync
	lib/heartbeat /var/lib/heartbeat optional
	log /var/log
	EOF
	if [ -d "$DIR/resource.d" ]; then
		mount --bind "$DIR/resource.d" /usr/lib/ocf/resource.d || exit 2
	fi
	# a Pacemaker panic writes 'b' here, which would reboot the host
	[ -e /proc/sysrq-trigger ] && mount --bind /dev/null /proc/sysrq-trigger
	export PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none \
		PCMK_debug=no HA_LOGFACILITY=none
	corosync -f &
	local cpid=$! ppid
	for _ in $(seq 1 100); do
		corosync-cfgtool -s >/dev/null 2>&1 && break
		alive "$cpid" || break
		sleep 0.1
	done
	alive "$cpid" || { echo "$(ts) init: corosync failed to start"; exit 3; }
	echo "$(ts) init: corosync up (pid $cpid)"
	pacemakerd &
	ppid=$!
	echo "$(ts) init: pacemakerd started (pid $ppid)"
	trap 'echo "$(ts) init: stopping"; kill -TERM "$ppid" 2>/dev/null' TERM
	# bash as PID 1 reaps orphans while it sleeps in the foreground
	while alive "$ppid"; do sleep 0.5; done
	echo "$(ts) init: pacemakerd gone; stopping corosync"
	corosync-cfgtool -H --force >/dev/null 2>&1 || kill -TERM "$cpid" 2>/dev/null
	for _ in $(seq 1 50); do alive "$cpid" || break; sleep 0.1; done
	alive "$cpid" && kill -KILL "$cpid"
	echo "$(ts) init: halted"
	exit 0
}

# ---------------------------------------------------------------- host side

write_state() {
	local d
	mkdir -p "$DIR/bin" "$DIR/etc/corosync" "$DIR/lib/corosync" "$DIR/lib/heartbeat" \
		"$DIR/lib/pacemaker/"{cib,pengine,blackbox,cores} "$DIR/log/pacemaker" \
		"$DIR/log/corosync" "$DIR/log/crmsh" "$DIR/log/cluster" "$DIR/share" || return 1
	cp "$(readlink -f "$0")" "$BIN" && chmod 755 "$BIN" || return 1
	# private copies: a host tool rewriting /etc/passwd must not make hacluster vanish mid-start
	cp /etc/passwd /etc/group "$DIR/etc/" || return 1
	grep -q '^hacluster:' "$DIR/etc/passwd" && grep -q '^haclient:' "$DIR/etc/group" ||
		die "user hacluster / group haclient missing (is pacemaker installed?)"
	echo "$NODE" >"$DIR/etc/hostname"
	printf '127.0.0.1 localhost\n%s %s\n' "$RING_ADDR" "$NODE" >"$DIR/etc/hosts"
	cat >"$DIR/etc/corosync/corosync.conf" <<-EOF
	totem {
	    version: 2
	    cluster_name: baton-test
	    transport: knet
	    crypto_cipher: none
	    crypto_hash: none
	    token: 1000
	}
	nodelist {
	    node {
	        ring0_addr: $RING_ADDR
	        name: $NODE
	        nodeid: 1
	    }
	}
	quorum {
	    provider: corosync_votequorum
	}
	logging {
	    to_logfile: yes
	    logfile: /var/log/corosync/corosync.log
	    to_syslog: no
	    to_stderr: no
	    timestamp: on
	}
	EOF
	# Seed the CIB: no fencing device exists, and the default dc-deadtime (20 s) would be
	# spent waiting for peers that a one-node cluster never has.
	local cib="$DIR/lib/pacemaker/cib/cib.xml"
	cibadmin --empty >"$cib" || return 1
	for d in stonith-enabled=false dc-deadtime=2s cluster-recheck-interval=1min; do
		CIB_file=$cib crm_attribute --type crm_config --name "${d%%=*}" --update "${d#*=}" ||
			return 1
	done
	rm -f "$cib.sig"   # none: the CIB manager accepts an unsigned file and signs it
	chown -R hacluster:haclient "$DIR/lib/pacemaker" "$DIR/log/pacemaker"
	chmod 750 "$DIR/lib/pacemaker/"{cib,pengine,blackbox,cores}
	chmod 600 "$cib"
	if [ -n "${BATON_PCMK_OCF_BATON:-}" ]; then
		[ -d "$BATON_PCMK_OCF_BATON" ] || die "BATON_PCMK_OCF_BATON: no such directory"
		mkdir -p "$DIR/resource.d" "$DIR/ocf-host"
		for d in /usr/lib/ocf/resource.d/*; do
			[ "${d##*/}" = baton ] || ln -s "$DIR/ocf-host/${d##*/}" "$DIR/resource.d/"
		done
		mkdir -p "$DIR/ocf-baton"
		readlink -f "$BATON_PCMK_OCF_BATON" >"$DIR/ocf-baton.src"
		ln -s "$DIR/ocf-baton" "$DIR/resource.d/baton"
	fi
}

make_net() {
	ip netns add "$NS" &&
	ip -n "$NS" link set lo up &&
	ip -n "$NS" link add eth0 type veth peer name eth0p &&
	ip -n "$NS" link add "$NIC" type veth peer name "${NIC}p" &&
	ip -n "$NS" addr add "$RING_ADDR/24" dev eth0 &&
	ip -n "$NS" addr add "$NIC_ADDR/24" dev "$NIC" &&
	for l in eth0 eth0p "$NIC" "${NIC}p"; do ip -n "$NS" link set "$l" up || return 1; done
}

# "DC" when a DC is present, "ONLINE" when our node is online, from crm_mon's XML
cluster_state() {
	cmd_exec crm_mon -1 --output-as=xml 2>/dev/null | awk -v n="$NODE" '
		/<current_dc / && /present="true"/ { print "DC" }
		/<node name=/ && index($0, "name=\"" n "\"") && /online="true"/ { print "ONLINE" }'
}

cmd_wait() {
	local to=${1:-$TIMEOUT} t0=$SECONDS s
	while :; do
		[ -n "$(init_pid)" ] || { echo "pcmk-single: the cluster is not running" >&2; return 1; }
		s=$(cluster_state)
		grep -qx DC <<<"$s" && grep -qx ONLINE <<<"$s" && return 0
		if [ $((SECONDS - t0)) -ge "$to" ]; then
			echo "pcmk-single: no DC / node not online after $to s; logs in $DIR/log" >&2
			return 1
		fi
		sleep 0.5
	done
}

cmd_env() {
	local p; p=$(init_pid)
	[ -n "$p" ] || die "the cluster is not running"
	cat <<-EOF
	BATON_PCMK_NS=$NS
	BATON_PCMK_DIR=$DIR
	BATON_PCMK_PID=$p
	BATON_PCMK_NODE=$NODE
	BATON_PCMK_NIC=$NIC
	BATON_PCMK_NIC_ADDR=$NIC_ADDR/24
	BATON_PCMK_VIP_RANGE=192.0.2.10-192.0.2.99
	BATON_PCMK_SHARE=$DIR/share
	BATON_PCMK_LOG=$DIR/log/pacemaker/pacemaker.log
	BATON_PCMK_EXEC='$(readlink -f "$0") exec'
	EOF
}

cmd_stop() {
	local p
	p=$(init_pid)
	if [ -n "$p" ]; then
		kill -TERM "$p" 2>/dev/null   # graceful: pacemaker stops its resources first
		for _ in $(seq 1 100); do alive "$p" || break; sleep 0.2; done
		alive "$p" && kill -KILL "$p" 2>/dev/null   # the kernel kills the whole pid ns
		for _ in $(seq 1 50); do alive "$p" || break; sleep 0.1; done
	fi
	# whatever is left in the netns (the unshare and ip netns exec parents, strays)
	for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	for _ in $(seq 1 50); do [ -z "$(ip netns pids "$NS" 2>/dev/null)" ] && break; sleep 0.1; done
	[ -e "/run/netns/$NS" ] && ip netns del "$NS"
	if [ -d "$DIR" ]; then
		# the binds under $DIR live in the cluster's mount namespace only; should one ever be
		# visible here, rm -rf must not walk into it (ocf-host is /usr/lib/ocf/resource.d)
		local m
		for m in $(awk -v d="$DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
			umount -l "$m" 2>/dev/null
		done
		if awk -v d="$DIR/" 'index($5, d) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
			echo "pcmk-single: mounts under $DIR remain; not removing it" >&2
			return 1
		fi
		if [ -n "${BATON_PCMK_SAVE_LOGS:-}" ] && [ -d "$DIR/log" ]; then
			rm -rf "${BATON_PCMK_SAVE_LOGS:?}/$NS"
			mkdir -p "$BATON_PCMK_SAVE_LOGS/$NS" && cp -a "$DIR/log/." "$BATON_PCMK_SAVE_LOGS/$NS/"
		fi
		rm -rf "$DIR"
	fi
	[ ! -e "/run/netns/$NS" ] && [ ! -d "$DIR" ]
}

cmd_start() {
	local x t0=$SECONDS
	[ "$(id -u)" = 0 ] || die "needs root"
	for x in ip unshare nsenter setsid corosync corosync-cfgtool pacemakerd crm_mon cibadmin \
		crm_attribute; do
		command -v "$x" >/dev/null || die "missing $x"
	done
	cmd_stop || die "could not clean up a previous run (namespace $NS, $DIR)"
	write_state || { cmd_stop; die "writing the cluster state in $DIR failed"; }
	make_net || { cmd_stop; die "creating network namespace $NS failed"; }
	setsid ip netns exec "$NS" unshare --pid --fork --mount-proc --mount --uts --ipc \
		--propagation slave --kill-child "$BIN" _init </dev/null >>"$DIR/log/console.log" 2>&1 &
	for x in $(seq 1 100); do [ -n "$(init_pid)" ] && break; sleep 0.1; done
	if ! cmd_wait "$TIMEOUT"; then
		tail -n 20 "$DIR/log/console.log" "$DIR/log/pacemaker/pacemaker.log" >&2 2>/dev/null
		cmd_stop
		die "the cluster did not come up"
	fi
	echo "pcmk-single: $NODE is DC after $((SECONDS - t0)) s" >&2
	cmd_env
}

cmd_exec() {
	local p wd=$PWD
	p=$(init_pid)
	[ -n "$p" ] || { echo "pcmk-single: the cluster is not running" >&2; return 125; }
	# these are private inside: the host's directory of the same name is not there
	case $wd in /tmp | /tmp/* | /run | /run/* | /dev/shm* | /var/log* | /var/lib/pacemaker*) wd=/ ;; esac
	nsenter -t "$p" -m -u -i -n -p --wd="$wd" -- "$@"
}

cmd_status() {
	local p; p=$(init_pid)
	if [ -z "$p" ]; then echo "stopped"; return 3; fi
	echo "running: netns $NS, init pid $p, state in $DIR"
	cmd_exec crm_mon -1
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
exec) shift; [ $# -ge 1 ] || die "usage: exec CMD..."; cmd_exec "$@" ;;
wait) cmd_wait "${2:-$TIMEOUT}" ;;
settle) cmd_exec crm_resource --wait --timeout "${2:-60}" ;;
env) cmd_env ;;
status) cmd_status ;;
_init) cmd_init ;;
*) sed -n '3,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
