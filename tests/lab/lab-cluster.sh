#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lab-cluster.sh - the baton lab: a real N-node Pacemaker 2.1 / Corosync 3 (knet) cluster on
# this one machine. Each node is a set of Linux namespaces (net, pid, mount, uts, ipc) with its
# own corosync, pacemaker and (LAB_LIBVIRT=1) libvirtd; each node has a simulated BMC
# (OpenIPMI ipmi_sim) whose chassis power really kills and boots it, so fencing through
# fence_baton_ipmi, and everything that follows a node's death, runs against the unmodified
# cluster stack. The agents are the ones installed on the host (all nodes share /usr).
# Needs root. tests/lab/README.md explains how it works and its pitfalls.
#
#   lab-cluster.sh up N [--remote R]
#                                 N = 2..9 full nodes, R = 0.. Pacemaker Remote nodes (N + R
#                                 <= 19). Builds the networks, starts the BMCs, powers the nodes
#                                 on through IPMI, waits for a DC with all full nodes online,
#                                 then configures fencing with crm (one device per node, remote
#                                 nodes included) and the remote nodes' connections
#                                 (ocf:pacemaker:remote), and waits for them online
#   lab-cluster.sh down [--purge] kill nodes and BMCs, delete the namespaces; logs stay in
#                                 $LAB_DIR unless --purge
#   lab-cluster.sh exec K CMD...  run CMD inside node K, e.g. crm_mon -1, crm configure ...
#   lab-cluster.sh kill K [--power-off]
#                                 crash node K (SIGKILL to its init: every process of the node,
#                                 its guests included, dies at once; its NIC loses its addresses).
#                                 The chassis stays "on" unless --power-off.
#   lab-cluster.sh stop K         graceful: pacemaker and corosync stop, chassis goes off
#   lab-cluster.sh start K        power node K on through its BMC (reset if on but dead)
#   lab-cluster.sh power K on|off|status|cycle|reset|soft    ipmitool against BMC K
#   lab-cluster.sh bmc K stop|start|status   take BMC K away (fencing of K then fails) / back
#   lab-cluster.sh wait-online [TIMEOUT] [K...]  wait for a DC and nodes K... (default all)
#   lab-cluster.sh settle [TIMEOUT]   crm_resource --wait on a live node
#   lab-cluster.sh status         BMC power, node PIDs, crm_mon of a live node
#   lab-cluster.sh pid K          host PID of node K's init (for nsenter -t PID ...)
#   lab-cluster.sh env            shell variables for test harnesses
#   lab-cluster.sh stonith        (re)create the fence devices
#   lab-cluster.sh remote         (re)create the remote nodes' connection resources
#   lab-cluster.sh fetch-remoted  unpack pacemaker-remoted from its .deb (see LAB_REMOTED)
#   lab-cluster.sh crash-test K [TIMEOUT]   wait for all nodes online, kill K, print seconds to
#                                 "fencing of K succeeded" and to "K online again"
#   lab-cluster.sh peer CMD...    run CMD in the management namespace (the lab's switch: it
#                                 sees every node's eth0, the BMCs and the VIP range)
#
# Nodes 1..N are full nodes "nodeK" (corosync + pacemakerd); nodes N+1..N+R are remote nodes
# "remoteJ" (J = K - N): the same namespaces, BMC and (LAB_LIBVIRT=1) libvirtd, running
# pacemaker-remoted instead of corosync and pacemaker; the authkey at /etc/pacemaker/authkey
# is the lab's own ($LAB_DIR/etc/pacemaker, bind-mounted on every node). Wherever a command
# takes K, "nodeK" and "remoteJ" are accepted too.
#
# Environment:
#   LAB_REMOTE    R, the number of remote nodes of "up" when --remote is not given (0)
#   LAB_REMOTED   the pacemaker-remoted binary the remote nodes run. Debian's pacemaker and
#                 pacemaker-remote packages conflict (installing one removes the other), and
#                 the lab's nodes share the host's /usr: the binary is taken from the
#                 pacemaker-remote .deb (apt-get download, same version as pacemaker),
#                 unpacked under /var/cache/baton-lab/pacemaker-remote ("fetch-remoted" does it;
#                 "up --remote" too when it is missing)
#   LAB_REMOTE_MONITOR  monitor interval of the remote connections (5s)
#   LAB_NAME      namespace prefix (blab): namespaces ${LAB_NAME}0 (management) and
#                 ${LAB_NAME}1..N (nodes); two labs with different names can run at once
#   LAB_DIR       state and logs (/var/lib/baton-lab/$LAB_NAME)
#   LAB_TOKEN     corosync totem token in ms (3000)
#   LAB_FENCE     baton (fence_baton_ipmi, default) | ipmilan (fence_ipmilan, the baseline)
#                 | none (stonith-enabled=false)
#   LAB_UP_TIMEOUT  seconds for the cluster to form (180)
#   LAB_LIBVIRT   1 = every node also runs its own virtlogd + libvirtd (private /etc/libvirt,
#                 /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt; TCP listener without
#                 authentication on the node's lab address, for migration); guests die with
#                 their node
#   LAB_GUEST_NET 1 = each node's eth0 is enslaved to a bridge br0 that carries the node's
#                 address, so guests with <interface type='bridge'><source bridge='br0'/> sit
#                 on the lab network and keep their address when they migrate
#   LAB_NODE_DIRS space-separated absolute paths that each node gets as a private, persistent
#                 directory ($LAB_DIR/nodeK/dirs/...), e.g. a service's data directory that
#                 must differ between nodes although all nodes share the host's file system
#   LAB_BOOT_DELAY seconds a node spends in "firmware" after power-on before its OS starts
#                 (0). Real servers take minutes; a lab node that is back 2 s after being
#                 fenced makes the cluster move resources back onto it before they have settled
#   LAB_DC_DEADTIME  dc-deadtime seeded into the first CIB (5s; Pacemaker's default of 20 s
#                 is what a fresh cluster otherwise waits before electing a DC)
# Internal (run by the script itself): _lab N, _bmc K get|set ..., _machine K, _init K.
set -uo pipefail

LAB_NAME=${LAB_NAME:-blab}
LAB_DIR=${LAB_DIR:-/var/lib/baton-lab/$LAB_NAME}
LAB_TOKEN=${LAB_TOKEN:-3000}
LAB_FENCE=${LAB_FENCE:-baton}
LAB_UP_TIMEOUT=${LAB_UP_TIMEOUT:-180}
LAB_LIBVIRT=${LAB_LIBVIRT:-0}
LAB_GUEST_NET=${LAB_GUEST_NET:-0}
LAB_DC_DEADTIME=${LAB_DC_DEADTIME:-5s}
LAB_NODE_DIRS=${LAB_NODE_DIRS:-}
LAB_BOOT_DELAY=${LAB_BOOT_DELAY:-0}
LAB_REMOTE=${LAB_REMOTE:-0}
LAB_REMOTE_MONITOR=${LAB_REMOTE_MONITOR:-5s}
REMOTED_DIR=/var/cache/baton-lab/pacemaker-remote
LAB_REMOTED=${LAB_REMOTED:-$(command -v pacemaker-remoted || echo "$REMOTED_DIR/usr/sbin/pacemaker-remoted")}
NS=$LAB_NAME
BR=br-$LAB_NAME
NET=10.98.0
BMC_PORT=623
BMC_USER=admin
BMC_PASS=lab-bmc-secret
BMC_CIPHER=3          # ipmitool probes cipher suites otherwise: ~10 s a call against ipmi_sim
CLUSTER_NAME=baton-lab
BIN="$LAB_DIR/bin/lab-cluster.sh"   # the copy BMCs and nodes run (editing the source does
                                    # not change a running lab)

die() { echo "lab-cluster: $*" >&2; exit 1; }
ts() { date +%H:%M:%S.%3N; }
now() { date +%s.%N; }
nd() { echo "$LAB_DIR/node$1"; }
bd() { echo "$LAB_DIR/bmc$1"; }
nnodes() { cat "$LAB_DIR/nodes" 2>/dev/null || echo 0; }        # full nodes
nremote() { cat "$LAB_DIR/remotes" 2>/dev/null || echo 0; }     # remote nodes
nall() { echo $(($(nnodes) + $(nremote))); }
is_num() { [[ $1 =~ ^[0-9]+$ ]]; }
is_remote() { [ "$1" -gt "$(nnodes)" ]; }
# the cluster's name of node K: nodeK for a full node, remoteJ for remote node J = K - N
name() { if is_remote "$1"; then echo "remote$(($1 - $(nnodes)))"; else echo "node$1"; fi; }
# K, nodeK or remoteJ -> K (anything else is returned as it is, for check_k to refuse)
idx() {
	case ${1:-} in
	node[0-9]*) echo "${1#node}" ;;
	remote[0-9]*) echo $((${1#remote} + $(nnodes))) ;;
	*) echo "${1:-}" ;;
	esac
}
check_k() { is_num "${1:-}" && [ "$1" -ge 1 ] && [ "$1" -le "$(nall)" ] || die "no such node: ${1:-}"; }
ipmi() { # K ipmitool-args... (run from the management namespace, the BMC network)
	local k=$1; shift
	ip netns exec "${NS}0" ipmitool -I lanplus -C "$BMC_CIPHER" -H "$NET.$((200 + k))" \
		-p "$BMC_PORT" -U "$BMC_USER" -P "$BMC_PASS" "$@"
}

# PID (as seen from the caller's pid namespace) of the init of the shallowest pid namespace
# whose PID 1 lives in network namespace $1: node K = "${NS}K", the lab itself = "${NS}0".
# Works on the host and inside the lab pid namespace (BMC scripts). Zombies are ignored.
ns_init_pid() {
	local p best="" bestd=99 line d st
	for p in $(ip netns pids "$1" 2>/dev/null); do
		line=$(grep '^NSpid:' "/proc/$p/status" 2>/dev/null) || continue
		st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ "$st" = Z ] && continue
		set -- $line
		shift
		d=$#
		[ "${!d}" = 1 ] || continue
		if [ "$d" -lt "$bestd" ]; then best=$p; bestd=$d; fi
	done
	echo "$best"
}
node_pid() { ns_init_pid "$NS$1"; }
lab_pid() { ns_init_pid "${NS}0"; }
alive() { [ -n "${1:-}" ] && [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
close_fds() { # close every fd > 2 this shell inherited (ipmi_sim leaks its sockets into popen)
	local fd
	for fd in $(ls /proc/$BASHPID/fd 2>/dev/null); do
		[ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
	done
	return 0
}

# ---------------------------------------------------------------- node side (inside namespaces)

# PID 1 of node K's pid namespace; net ns ${NS}K; private mount/uts/ipc ns. Plays "the OS".
cmd_init() {
	local k=$1 d; d=$(nd "$k")
	local me; me=$(name "$k")
	exec </dev/null >>"$d/log/console.log" 2>&1
	echo "$(ts) init: $me booting (host pid $(awk '{print $1}' /proc/self/stat 2>/dev/null))"
	hostname "$me"
	# private runtime dirs; persistent state bind-mounted from $LAB_DIR/nodeK
	mount -t tmpfs -o mode=0755,size=64m tmpfs /run
	mkdir -p /run/lock /run/crm /run/resource-agents /run/user
	chmod 1755 /run/resource-agents
	chown hacluster:haclient /run/crm
	mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm   # libqb ring buffers: never share
	mount -t tmpfs -o mode=1777,size=256m tmpfs /tmp
	mount --bind "$d/etc/corosync" /etc/corosync
	mount --bind "$LAB_DIR/etc/pacemaker" /etc/pacemaker   # the lab's authkey
	mount --bind "$d/etc/hosts" /etc/hosts
	mount --bind "$d/etc/hostname" /etc/hostname
	mount --bind "$d/etc/passwd" /etc/passwd
	mount --bind "$d/etc/group" /etc/group
	mount --bind "$d/lib/pacemaker" /var/lib/pacemaker
	mount --bind "$d/lib/corosync" /var/lib/corosync
	mount --bind "$d/lib/heartbeat" /var/lib/heartbeat
	mount --bind "$d/log" /var/log
	local lv=0
	[ "$(cat "$LAB_DIR/libvirt" 2>/dev/null)" = 1 ] && lv=1
	if [ $lv = 1 ]; then
		mount --bind "$d/etc/libvirt" /etc/libvirt
		mount --bind "$d/lib/libvirt" /var/lib/libvirt
		mount --bind "$d/cache/libvirt" /var/cache/libvirt
		mkdir -p /run/libvirt /var/log/libvirt/qemu /var/lib/libvirt/qemu
	fi
	local dir
	while read -r dir; do
		[ -n "$dir" ] || continue
		mkdir -p "$dir" "$d/dirs$dir"
		mount --bind "$d/dirs$dir" "$dir"
	done <"$LAB_DIR/node-dirs"
	# a Pacemaker "panic" writes 'b' to sysrq-trigger, which would reboot the whole machine:
	# make it a no-op. Its follow-up reboot(2) only kills this pid namespace (see _machine).
	# (absent in some containers: nothing to neutralise there)
	[ -e /proc/sysrq-trigger ] && mount --bind /dev/null /proc/sysrq-trigger
	# "the NIC": address comes with the OS, _machine flushes it when the node dies
	ip link set lo up
	ip addr flush dev eth0 2>/dev/null
	local nic=eth0
	if [ -e "$LAB_DIR/guest-net" ]; then
		# guests' taps join br0 next to eth0: they are on the lab network themselves
		nic=br0
		ip link add br0 type bridge
		ip link set eth0 master br0
		ip link set br0 up
	fi
	ip addr add "$NET.$k/24" dev "$nic"
	ip link set eth0 up
	export PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none \
		PCMK_debug=no HA_LOGFACILITY=none
	local i
	if [ $lv = 1 ]; then
		# before pacemakerd: the first probes of VirtualDomain resources need libvirtd.
		# Both daemons and every qemu they start are processes of this pid namespace.
		virtlogd -d -p /run/virtlogd.pid
		libvirtd -d -l -p /run/libvirtd.pid
		for i in $(seq 1 150); do
			virsh -c qemu:///system version >/dev/null 2>&1 && break
			sleep 0.1
		done
		if virsh -c qemu:///system version >/dev/null 2>&1; then
			echo "$(ts) init: libvirtd up (pid $(cat /run/libvirtd.pid))"
		else
			echo "$(ts) init: WARNING: libvirtd not answering (see /var/log/libvirt/libvirtd.log)"
		fi
	fi
	local cpid="" ppid=""
	if is_remote "$k"; then
		# a Pacemaker Remote node: no corosync; the cluster connects to its port 3121
		"$LAB_REMOTED" &
		ppid=$!
		echo "$(ts) init: pacemaker-remoted started (pid $ppid)"
	else
		corosync -f &
		cpid=$!
		for i in $(seq 1 100); do
			corosync-cfgtool -s >/dev/null 2>&1 && break
			alive "$cpid" || break
			sleep 0.1
		done
		if ! alive "$cpid"; then echo "$(ts) init: corosync failed to start"; exit 3; fi
		echo "$(ts) init: corosync up (pid $cpid)"
		pacemakerd &
		ppid=$!
		echo "$(ts) init: pacemakerd started (pid $ppid)"
	fi
	local stopping=0
	graceful() {
		stopping=1
		echo "$(ts) init: graceful shutdown requested"
		kill -TERM "$ppid" 2>/dev/null
	}
	trap graceful TERM
	# bash as PID 1 reaps every orphan while it waits in a foreground sleep
	while alive "$ppid"; do sleep 0.5; done
	if [ -n "$cpid" ]; then
		echo "$(ts) init: pacemakerd gone (stopping=$stopping); stopping corosync"
		corosync-cfgtool -H --force >/dev/null 2>&1 || kill -TERM "$cpid" 2>/dev/null
		for i in $(seq 1 100); do alive "$cpid" || break; sleep 0.1; done
		alive "$cpid" && kill -KILL "$cpid"
	else
		echo "$(ts) init: pacemaker-remoted gone (stopping=$stopping)"
	fi
	echo "$(ts) init: halted"
	[ "$stopping" = 1 ] && exit 0
	exit 3 # pacemakerd exited by itself: the "OS" halts, chassis stays on
}

# The "machine" of node K: runs in net ns ${NS}K inside the lab pid ns, started by BMC power-on.
# Boots the OS (cmd_init) in fresh pid/mount/uts/ipc namespaces; when the OS dies the NIC goes
# down and loses every address (VIPs must not outlive the node).
cmd_machine() {
	local k=$1 d rc; d=$(nd "$k")
	exec </dev/null >>"$d/log/console.log" 2>&1
	close_fds
	echo "$(ts) machine: power on"
	local post; post=$(cat "$LAB_DIR/boot-delay" 2>/dev/null || echo 0)
	[ "$post" != 0 ] && { echo "$(ts) machine: firmware ($post s)"; sleep "$post"; }
	while :; do
		ip link set lo up
		unshare --mount --pid --fork --mount-proc --uts --ipc --propagation slave \
			--kill-child "$BIN" _init "$k"
		rc=$?
		ip addr flush dev eth0 2>/dev/null
		ip link del br0 2>/dev/null
		ip link set eth0 down 2>/dev/null
		# rc: 0 graceful halt; 1 = unshare 2.38 after SIGKILL of init ("sigprocmask unblock
		# failed" message, harmless); 137 SIGKILL (newer unshare); 129 reboot(2) inside the
		# node (RB_AUTOBOOT kills the pid ns with SIGHUP); 130 halt/poweroff via reboot(2).
		echo "$(ts) machine: OS ended rc=$rc"
		if [ "$rc" = 129 ] && [ "$(cat "$(bd "$k")/power" 2>/dev/null)" = 1 ]; then
			echo "$(ts) machine: reboot"
			continue
		fi
		break
	done
	if [ "$rc" = 0 ] || [ "$rc" = 130 ]; then echo 0 >"$(bd "$k")/power"; fi
	echo "$(ts) machine: off"
}

# chassis_control program of ipmi_sim for BMC K:  _bmc K get power | set power "0|1" |
# set reset "1" | set shutdown "1" | set boot ... | set identify ...  (ipmi_sim runs it with
# popen() and blocks until it exits, so it must return fast and leave nothing on its stdout).
machine_running() { # K -> 0 if the node's machine process or OS exists
	[ -n "$(ip netns pids "$NS$1" 2>/dev/null)" ]
}
machine_kill() { # K: hard power-off: SIGKILL the OS init, wait for the machine wrapper to end
	local k=$1 p i
	p=$(node_pid "$k")
	if [ -n "$p" ]; then
		kill -KILL "$p" 2>/dev/null
		for i in $(seq 1 100); do machine_running "$k" || return 0; sleep 0.05; done
	fi
	# wrapper still there (e.g. stuck): kill everything left in the node's netns
	for p in $(ip netns pids "$NS$k"); do kill -KILL "$p" 2>/dev/null; done
	ip -n "$NS$k" addr flush dev eth0 2>/dev/null
	ip -n "$NS$k" link del br0 2>/dev/null
	ip -n "$NS$k" link set eth0 down 2>/dev/null
}
machine_start() {
	local k=$1
	setsid ip netns exec "$NS$k" "$BIN" _machine "$k" </dev/null >>"$(nd "$k")/log/console.log" 2>&1 &
}
cmd_bmc() {
	local k=$1 op=$2; shift 2
	local d; d=$(bd "$k")
	close_fds
	exec 9>"$d/lock"
	flock 9
	local pw; pw=$(cat "$d/power" 2>/dev/null || echo 0)
	case $op in
	get)
		local what
		for what in "$@"; do
			case $what in
			power) echo "power:$pw" ;;
			boot) echo "boot:default" ;;
			esac
		done
		echo "$(ts) get $* -> power:$pw" >>"$d/bmc.log"
		;;
	set)
		echo "$(ts) set $*" >>"$d/bmc.log"
		while [ $# -ge 2 ]; do
			case $1 in
			power)
				if [ "$2" = 0 ]; then
					echo 0 >"$d/power"
					machine_kill "$k"
				elif [ "$pw" != 1 ]; then
					machine_running "$k" && machine_kill "$k"
					echo 1 >"$d/power"
					machine_start "$k"
				fi
				;;
			reset)
				machine_kill "$k"
				echo 1 >"$d/power"
				machine_start "$k"
				;;
			shutdown) # soft off: ask the OS to stop; the machine turns the chassis off
				local p; p=$(node_pid "$k")
				[ -n "$p" ] && kill -TERM "$p" 2>/dev/null
				;;
			esac
			shift 2
		done
		echo "$(ts) done, power:$(cat "$d/power")" >>"$d/bmc.log"
		;;
	check) ;;
	esac
	return 0
}

# PID 1 of the lab pid namespace, net ns ${NS}0: runs the BMCs, reaps every orphan of the lab.
cmd_lab() {
	local n=$1 k
	exec </dev/null >>"$LAB_DIR/lab.log" 2>&1
	close_fds
	n=$(nall)
	echo "$(ts) lab: starting $n BMCs"
	for k in $(seq 1 "$n"); do
		ipmi_sim -c "$(bd "$k")/lan.conf" -f "$(bd "$k")/bmc.emu" -n -s "$(bd "$k")/state" \
			</dev/null >>"$(bd "$k")/ipmi_sim.log" 2>&1 &
		echo "$(ts) lab: bmc$k ipmi_sim pid $!"
	done
	trap 'echo "$(ts) lab: TERM"; exit 0' TERM
	while :; do sleep 1; done
}

# ---------------------------------------------------------------- host side

lab_rm() { # remove the lab's own files from $LAB_DIR (never the whole directory)
	local k
	rm -rf "$LAB_DIR/bin" "$LAB_DIR/nodes" "$LAB_DIR/nodes.running" "$LAB_DIR/lab.log" \
		"$LAB_DIR/libvirt" "$LAB_DIR/guest-net" "$LAB_DIR/node-dirs" \
		"$LAB_DIR/boot-delay" "$LAB_DIR/remotes" "$LAB_DIR/etc"
	for k in $(seq 1 9); do rm -rf "$(nd "$k")" "$(bd "$k")"; done
}

libvirt_configs() { # K: private libvirt config/state of node K (LAB_LIBVIRT=1)
	local k=$1 d; d=$(nd "$k")
	mkdir -p "$d/etc/libvirt/qemu" "$d/etc/libvirt/secrets" "$d/etc/libvirt/nwfilter" \
		"$d/lib/libvirt/qemu" "$d/cache/libvirt" "$d/log/libvirt/qemu"
	[ -f /etc/libvirt/libvirt.conf ] && cp /etc/libvirt/libvirt.conf "$d/etc/libvirt/"
	# qemu as root, no chown of the shared image files, no cgroups, no per-guest mount ns
	cat >"$d/etc/libvirt/qemu.conf" <<-EOF
	user = "root"
	group = "root"
	dynamic_ownership = 0
	remember_owner = 0
	cgroup_controllers = [ ]
	namespaces = [ ]
	EOF
	# distinct host_uuid: with equal UUIDs (e.g. the one SMBIOS UUID of the machine) migration
	# fails with "Attempt to migrate guest to the same host"
	cat >"$d/etc/libvirt/libvirtd.conf" <<-EOF
	listen_tls = 0
	listen_tcp = 1
	listen_addr = "$NET.$k"
	auth_tcp = "none"
	host_uuid = "6ba7b810-9dad-41d1-80b4-00c04fd430c$k"
	log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
	EOF
}

# A first CIB with a short dc-deadtime: a new cluster otherwise idles 20 s before it elects
# a DC. Pacemaker accepts a cib.xml without its .sig file (it warns once).
seed_cib() {
	cat >"$1" <<-EOF
	<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.9">
	  <configuration>
	    <crm_config>
	      <cluster_property_set id="cib-bootstrap-options">
	        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="$LAB_DC_DEADTIME"/>
	      </cluster_property_set>
	    </crm_config>
	    <nodes/>
	    <resources/>
	    <constraints/>
	  </configuration>
	  <status/>
	</cib>
	EOF
	chown hacluster:haclient "$1"
	chmod 600 "$1"
}

write_configs() { # N R
	local n=$1 r=$2 k j d b
	lab_rm   # only what the lab owns: $LAB_DIR may hold other things
	mkdir -p "$LAB_DIR/bin"
	# the BMCs start the nodes from this copy: it must know the lab without the environment
	sed -e "s|^LAB_NAME=.*|LAB_NAME=\${LAB_NAME:-$LAB_NAME}|" \
		-e "s|^LAB_DIR=.*|LAB_DIR=\${LAB_DIR:-$LAB_DIR}|" "$(readlink -f "$0")" >"$BIN"
	chmod 755 "$BIN"
	echo "$n" >"$LAB_DIR/nodes"
	echo "$r" >"$LAB_DIR/remotes"
	# the key the cluster and its remote nodes share (pacemaker-remoted reads it as root,
	# pacemaker-controld of a full node as hacluster)
	mkdir -p "$LAB_DIR/etc/pacemaker"
	dd if=/dev/urandom of="$LAB_DIR/etc/pacemaker/authkey" bs=4096 count=1 status=none
	chown -R hacluster:haclient "$LAB_DIR/etc/pacemaker"
	chmod 750 "$LAB_DIR/etc/pacemaker"
	chmod 640 "$LAB_DIR/etc/pacemaker/authkey"
	[ "$LAB_LIBVIRT" = 1 ] && echo 1 >"$LAB_DIR/libvirt"
	[ "$LAB_GUEST_NET" = 1 ] && : >"$LAB_DIR/guest-net"
	echo "$LAB_BOOT_DELAY" >"$LAB_DIR/boot-delay"
	local dir
	: >"$LAB_DIR/node-dirs"
	for dir in $LAB_NODE_DIRS; do
		[[ $dir == /* ]] || die "LAB_NODE_DIRS: not an absolute path: $dir"
		echo "$dir" >>"$LAB_DIR/node-dirs"
	done
	for k in $(seq 1 $((n + r))); do
		d=$(nd "$k")
		[ "$LAB_LIBVIRT" = 1 ] && libvirt_configs "$k"
		mkdir -p "$d/etc/corosync" "$d/lib/corosync" "$d/lib/heartbeat" \
			"$d/lib/pacemaker/"{cib,pengine,blackbox,cores} "$d/log/pacemaker" \
			"$d/log/corosync" "$d/log/crmsh" "$d/log/cluster"
		chown -R hacluster:haclient "$d/lib/pacemaker" "$d/log/pacemaker"
		chmod 750 "$d/lib/pacemaker/"{cib,pengine,blackbox,cores}
		name "$k" >"$d/etc/hostname"
		seed_cib "$d/lib/pacemaker/cib/cib.xml"
		# private copies of the user database: a host tool rewriting /etc/passwd in place
		# made "hacluster" unresolvable for a moment and pacemakerd refused to start
		cp /etc/passwd /etc/group "$d/etc/"
		grep -q '^hacluster:' "$d/etc/passwd" && grep -q '^haclient:' "$d/etc/group" ||
			die "user hacluster / group haclient missing"
		{
			echo "127.0.0.1 localhost"
			for j in $(seq 1 $((n + r))); do echo "$NET.$j $(name "$j")"; done
			for j in $(seq 1 $((n + r))); do echo "$NET.$((200 + j)) bmc$j"; done
		} >"$d/etc/hosts"
		{
			cat <<-EOF
			totem {
			    version: 2
			    cluster_name: $CLUSTER_NAME
			    transport: knet
			    crypto_cipher: none
			    crypto_hash: none
			    token: $LAB_TOKEN
			}
			nodelist {
			EOF
			for j in $(seq 1 "$n"); do
				printf '    node {\n        ring0_addr: %s\n        name: node%s\n        nodeid: %s\n    }\n' \
					"$NET.$j" "$j" "$j"
			done
			cat <<-EOF
			}
			quorum {
			    provider: corosync_votequorum
			$([ "$n" = 2 ] && echo "    two_node: 1")
			}
			logging {
			    to_logfile: yes
			    logfile: /var/log/corosync/corosync.log
			    to_syslog: no
			    to_stderr: no
			    timestamp: on
			}
			EOF
		} >"$d/etc/corosync/corosync.conf"
		b=$(bd "$k")
		mkdir -p "$b/state"
		echo 0 >"$b/power"
		cat >"$b/lan.conf" <<-EOF
		name "bmc$k"
		set_working_mc 0x20
		startlan 1
		  addr $NET.$((200 + k)) $BMC_PORT
		  priv_limit admin
		  allowed_auths_callback none md2 md5 straight
		  allowed_auths_user none md2 md5 straight
		  allowed_auths_operator none md2 md5 straight
		  allowed_auths_admin none md2 md5 straight
		  guid a123456789abcdefa123456789abcd$(printf %02x "$k")
		endlan
		chassis_control "$BIN _bmc $k"
		user 2 true "$BMC_USER" "$BMC_PASS" admin 10 none md2 md5 straight
		EOF
		cat >"$b/bmc.emu" <<-EOF
		mc_setbmc 0x20
		mc_add 0x20 0 has-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
		sel_enable 0x20 1000 0x0a
		mc_enable 0x20
		EOF
	done
}

make_net() { # N: nodes, full and remote
	local n=$1 k
	ip netns add "${NS}0"
	ip -n "${NS}0" link set lo up
	ip -n "${NS}0" link add "$BR" type bridge
	ip -n "${NS}0" addr add "$NET.254/24" dev "$BR"
	for k in $(seq 1 "$n"); do ip -n "${NS}0" addr add "$NET.$((200 + k))/24" dev "$BR"; done
	ip -n "${NS}0" link set "$BR" up
	for k in $(seq 1 "$n"); do
		ip netns add "$NS$k"
		ip -n "$NS$k" link set lo up
		ip -n "${NS}0" link add "v$NS$k" type veth peer name eth0 netns "$NS$k"
		ip -n "${NS}0" link set "v$NS$k" master "$BR"
		ip -n "${NS}0" link set "v$NS$k" up
	done
}

crm_xml() { # K: crm_mon XML from node K (empty if K is down)
	local p; p=$(node_pid "$1")
	[ -n "$p" ] && nsenter -t "$p" -m -u -i -n -p crm_mon -1 --output-as=xml 2>/dev/null
}
any_live_node() { # a running full node (the cluster's tools are run there)
	local k
	for k in $(seq 1 "$(nnodes)"); do [ -n "$(node_pid "$k")" ] && { echo "$k"; return 0; }; done
	return 1
}
online_nodes() { # K: names of nodes online as seen from K, and DC presence line
	crm_xml "$1" | awk '
		/<current_dc / { if ($0 ~ /present="true"/) print "DC" }
		/<node name=/ { if ($0 ~ /online="true"/) { match($0, /name="[^"]*"/); print substr($0, RSTART+6, RLENGTH-7) } }'
}
cmd_wait_online() { # [TIMEOUT] [K...]  (default: every node, remote nodes included)
	local to=${1:-120} want k ok t0 from out
	shift || true
	want=""
	for k in "$@"; do want+=" $(idx "$k")"; done
	[ -n "$want" ] || want=$(seq 1 "$(nall)")
	t0=$(date +%s)
	while :; do
		ok=0
		# asked from a full node: one of those waited for, else any
		for from in $(for k in $want; do is_remote "$k" || echo "$k"; done) $(seq 1 "$(nnodes)"); do
			out=$(online_nodes "$from")
			grep -qx DC <<<"$out" || continue
			ok=1
			for k in $want; do grep -qx "$(name "$k")" <<<"$out" || { ok=0; break; }; done
			[ $ok = 1 ] && break
		done
		[ $ok = 1 ] && return 0
		[ $(($(date +%s) - t0)) -ge "$to" ] && { echo "timeout waiting for nodes: $want" >&2; return 1; }
		sleep 0.5
	done
}

cmd_exec() {
	local k=$1; shift
	check_k "$k"
	local p; p=$(node_pid "$k")
	[ -n "$p" ] || { echo "lab-cluster: $(name "$k") is not running" >&2; return 125; }
	nsenter -t "$p" -m -u -i -n -p --wd="$PWD" -- "$@"
}

# The crm commands an administrator would type, printed before they run. The password goes
# to crm on its stdin and into the CIB; Pacemaker hands it to the agent on its stdin.
stonith_config() { # N
	local n=$1 j agent extra
	case $LAB_FENCE in
	baton) agent=fence_baton_ipmi extra="ipmi_workarounds=opensesspriv" ;;
	ipmilan) agent=fence_ipmilan extra="" ;;
	esac
	for j in $(seq 1 "$n"); do
		printf 'primitive fence-node%s stonith:%s params ip=%s ipport=%s username=%s password=%s lanplus=1 cipher=%s %s pcmk_host_list=node%s op monitor interval=60s\n' \
			"$j" "$agent" "$NET.$((200 + j))" "$BMC_PORT" "$BMC_USER" "$BMC_PASS" "$BMC_CIPHER" "$extra" "$j"
		printf 'location fence-node%s-not-self fence-node%s -inf: node%s\n' "$j" "$j" "$j"
	done
	# a remote node is fenced by the full nodes (fence devices never run on remote nodes)
	for j in $(seq $((n + 1)) "$(nall)"); do
		printf 'primitive fence-%s stonith:%s params ip=%s ipport=%s username=%s password=%s lanplus=1 cipher=%s %s pcmk_host_list=%s op monitor interval=60s\n' \
			"$(name "$j")" "$agent" "$NET.$((200 + j))" "$BMC_PORT" "$BMC_USER" "$BMC_PASS" "$BMC_CIPHER" "$extra" "$(name "$j")"
	done
	echo "property stonith-enabled=true"
}

cmd_stonith() {
	local n k cfg
	n=$(nnodes)
	k=$(any_live_node) || die "no node running"
	case $LAB_FENCE in
	none) cfg="property stonith-enabled=false" ;;
	baton | ipmilan) cfg=$(stonith_config "$n") ;;
	*) die "LAB_FENCE: baton, ipmilan or none, not '$LAB_FENCE'" ;;
	esac
	printf '$ crm configure <<EOF\n%s\ncommit\nEOF\n' "$cfg"
	printf '%s\ncommit\n' "$cfg" | cmd_exec "$k" crm configure || die "crm configure failed"
}

# The connections to the remote nodes, as an administrator configures them: one
# ocf:pacemaker:remote resource a remote node, named as the node (its server= is the address
# pacemaker-remoted listens on); reconnect_interval: once fenced and back, it joins again.
remote_config() {
	local j
	for j in $(seq $(($(nnodes) + 1)) "$(nall)"); do
		printf 'primitive %s ocf:pacemaker:remote params server=%s reconnect_interval=15s op monitor interval=%s timeout=30s\n' \
			"$(name "$j")" "$NET.$j" "$LAB_REMOTE_MONITOR"
	done
}

# pacemaker-remoted without the pacemaker-remote package (it would remove pacemaker): the
# binary of the .deb whose version is the installed pacemaker's, unpacked into $REMOTED_DIR
cmd_fetch_remoted() {
	local v tmp
	v=$(dpkg-query -W -f '${Version}' pacemaker 2>/dev/null) || die "pacemaker is not installed"
	tmp=$(mktemp -d) || return 1
	chmod 755 "$tmp"   # apt's _apt user downloads into it
	if (cd "$tmp" && apt-get download -q "pacemaker-remote=$v" >/dev/null 2>&1) &&
		rm -rf "$REMOTED_DIR" && mkdir -p "$REMOTED_DIR" &&
		dpkg-deb -x "$tmp"/pacemaker-remote_*.deb "$REMOTED_DIR"; then
		rm -rf "$tmp"
		echo "$(ts) pacemaker-remoted $v unpacked in $REMOTED_DIR"
		return 0
	fi
	rm -rf "$tmp"
	echo "lab-cluster: could not fetch pacemaker-remote $v (apt-get download)" >&2
	return 1
}

cmd_remote() {
	local k cfg
	[ "$(nremote)" -gt 0 ] || return 0
	k=$(any_live_node) || die "no node running"
	cfg=$(remote_config)
	printf '$ crm configure <<EOF\n%s\ncommit\nEOF\n' "$cfg"
	printf '%s\ncommit\n' "$cfg" | cmd_exec "$k" crm configure || die "crm configure failed"
}

cmd_up() {
	local n=${1:-} r=$LAB_REMOTE
	[ "${2:-}" = --remote ] && r=${3:-}
	is_num "$n" && [ "$n" -ge 2 ] && [ "$n" -le 9 ] || die "usage: up N [--remote R] (N 2..9)"
	is_num "$r" && [ $((n + r)) -le 19 ] || die "usage: up N [--remote R] (N + R <= 19)"
	[ "$r" = 0 ] || [ -x "$LAB_REMOTED" ] || cmd_fetch_remoted || die "missing $LAB_REMOTED"
	[ "$(id -u)" = 0 ] || die "needs root"
	local fa=fence_baton_ipmi
	[ "$LAB_FENCE" = ipmilan ] && fa=fence_ipmilan
	for x in ip ipmi_sim ipmitool corosync pacemakerd crm unshare nsenter setsid flock bc $fa; do
		command -v "$x" >/dev/null || die "missing $x"
	done
	if [ "$LAB_LIBVIRT" = 1 ]; then
		for x in libvirtd virtlogd virsh qemu-system-x86_64; do
			command -v "$x" >/dev/null || die "missing $x (LAB_LIBVIRT=1)"
		done
		mkdir -p /etc/libvirt /var/lib/libvirt /var/cache/libvirt   # bind-mount targets
		# libvirt 9.0 resolves its built-in default user before reading qemu.conf: the account
		# must exist (in the nodes' copies of passwd/group, taken below)
		getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
		getent passwd libvirt-qemu >/dev/null ||
			useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
	fi
	# the bridge br-NAME is an interface name: 15 characters at most
	[ ${#BR} -le 15 ] || die "LAB_NAME '$LAB_NAME' too long: 12 characters at most"
	ip netns pids "${NS}0" >/dev/null 2>&1 && die "${NS}0 exists: run '$0 down' first"
	for k in $(seq 1 9); do
		[ -e "/run/netns/$NS$k" ] && die "netns $NS$k exists: run '$0 down' first"
	done
	local t0; t0=$(now)
	mkdir -p /etc/pacemaker   # bind-mount target of the lab's authkey
	write_configs "$n" "$r"
	make_net $((n + r))
	# the lab: pid namespace (PID 1 = bash reaper) in net ns "${NS}0" holding the BMCs
	setsid ip netns exec "${NS}0" unshare --pid --fork --mount-proc --propagation slave --kill-child \
		"$BIN" _lab "$n" </dev/null >>"$LAB_DIR/lab.log" 2>&1 &
	local k i
	for k in $(seq 1 $((n + r))); do
		for i in $(seq 1 50); do
			ipmi "$k" chassis power status >/dev/null 2>&1 && break
			sleep 0.2
		done
		ipmi "$k" chassis power status >/dev/null 2>&1 || die "BMC $k not answering (see $(bd "$k"))"
	done
	echo "$(ts) BMCs up: $(for k in $(seq 1 $((n + r))); do printf '%s:%s ' "$NET.$((200 + k))" "$BMC_PORT"; done)"
	for k in $(seq 1 $((n + r))); do ipmi "$k" chassis power on >/dev/null || die "power on $(name "$k") failed"; done
	echo "$(ts) nodes powered on via IPMI; waiting for DC + $n nodes online"
	cmd_wait_online "$LAB_UP_TIMEOUT" $(seq 1 "$n") || die "cluster did not form; logs in $LAB_DIR/node*/log"
	echo "$(ts) cluster formed ($(printf '%.1f' "$(echo "$(now) - $t0" | bc)") s after up)"
	cmd_stonith
	if [ "$LAB_FENCE" != none ]; then
		k=$(any_live_node)
		local started=0
		for i in $(seq 1 120); do
			[ "$(crm_xml "$k" | grep -c '<resource id="fence-[a-z]*[0-9]*" .*role="Started"')" = $((n + r)) ] &&
				{ started=1; break; }
			sleep 0.5
		done
		if [ $started = 1 ]; then echo "$(ts) fence devices started"
		else echo "$(ts) WARNING: not all fence devices started after 60 s" >&2; fi
	fi
	if [ "$r" -gt 0 ]; then
		cmd_remote
		cmd_wait_online "$LAB_UP_TIMEOUT" || die "remote nodes not online; logs in $LAB_DIR/node*/log"
		echo "$(ts) $r remote nodes online"
	fi
	echo "$(ts) up: $n nodes$([ "$r" -gt 0 ] && echo " + $r remote nodes") ($(printf '%.1f' "$(echo "$(now) - $t0" | bc)") s)"
	cmd_exec 1 crm_mon -1
}

cmd_down() {
	local purge=${1:-} k p i
	local n; n=$(nall)
	[ "$n" = 0 ] && n=9
	for k in $(seq 1 "$n"); do
		p=$(node_pid "$k")
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	done
	p=$(lab_pid)
	if [ -n "$p" ]; then
		kill -KILL "$p" 2>/dev/null # kernel kills every process of the lab pid ns (BMCs, nodes)
		for i in $(seq 1 100); do alive "$p" || break; sleep 0.1; done
	fi
	# anything left in our namespaces (should be nothing)
	for k in $(seq 0 "$n"); do
		for p in $(ip netns pids "$NS$k" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	done
	sleep 0.2
	for k in $(seq 1 "$n") 0; do
		[ -e "/run/netns/$NS$k" ] && ip netns del "$NS$k"
	done
	if [ "$purge" = --purge ]; then lab_rm; rmdir "$LAB_DIR" 2>/dev/null; else rm -f "$LAB_DIR/nodes.running"; fi
	echo "$(ts) down"
}

cmd_kill() {
	local k=$1 opt=${2:-} p
	check_k "$k"
	p=$(node_pid "$k")
	[ -n "$p" ] || { echo "$(name "$k") is not running" >&2; return 1; }
	[ "$opt" = --power-off ] && echo 0 >"$(bd "$k")/power"
	kill -KILL "$p"
	echo "$(ts) killed $(name "$k") (init host pid $p)"
}

cmd_stop() {
	local k=$1 p i
	check_k "$k"
	p=$(node_pid "$k")
	[ -n "$p" ] || { echo "$(name "$k") is not running"; return 0; }
	kill -TERM "$p"
	for i in $(seq 1 600); do alive "$p" || { echo "$(ts) $(name "$k") stopped"; return 0; }; sleep 0.5; done
	echo "$(name "$k") did not stop in 300 s" >&2
	return 1
}

cmd_start() {
	local k=$1
	check_k "$k"
	if [ -n "$(node_pid "$k")" ]; then echo "$(name "$k") already running"; return 0; fi
	if ipmi "$k" chassis power status | grep -q 'is on'; then
		ipmi "$k" chassis power reset
	else
		ipmi "$k" chassis power on
	fi
}

cmd_power() {
	local k=$1 op=${2:-status}
	check_k "$k"
	ipmi "$k" chassis power "$op"
}

cmd_bmcctl() {
	local k=$1 op=${2:-status} p lp
	check_k "$k"
	p=$(for x in $(ip netns pids "${NS}0"); do
		tr '\0' ' ' <"/proc/$x/cmdline" 2>/dev/null | grep -q "^ipmi_sim -c $(bd "$k")/lan.conf" && echo "$x"
	done)
	case $op in
	status) [ -n "$p" ] && echo "bmc$k running (pid $p)" || echo "bmc$k stopped" ;;
	stop) [ -n "$p" ] && kill -KILL $p && echo "bmc$k stopped" ;;
	start)
		[ -n "$p" ] && { echo "bmc$k already running"; return 0; }
		lp=$(lab_pid)
		[ -n "$lp" ] || die "lab not running"
		nsenter -t "$lp" -m -n -p -- setsid ipmi_sim -c "$(bd "$k")/lan.conf" -f "$(bd "$k")/bmc.emu" \
			-n -s "$(bd "$k")/state" </dev/null >>"$(bd "$k")/ipmi_sim.log" 2>&1 &
		sleep 0.5
		echo "bmc$k started"
		;;
	esac
}

cmd_status() {
	local n k p
	n=$(nall)
	[ "$n" = 0 ] && { echo "lab not set up"; return 1; }
	echo "lab pid: $(lab_pid)"
	for k in $(seq 1 "$n"); do
		p=$(node_pid "$k")
		printf '%s  addr %s  bmc %s:%s  chassis %s  init-pid %s\n' "$(name "$k")" "$NET.$k" "$NET.$((200 + k))" \
			"$BMC_PORT" "$( [ "$(cat "$(bd "$k")/power")" = 1 ] && echo on || echo off)" "${p:--}"
	done
	k=$(any_live_node) && cmd_exec "$k" crm_mon -1
}

cmd_env() {
	local n k
	n=$(nnodes)
	echo "LAB_NAME=$LAB_NAME"
	echo "LAB_DIR=$LAB_DIR"
	echo "LAB_MGMT_NETNS=${NS}0"
	echo "LAB_NODES=$n"
	echo "LAB_REMOTES=$(nremote)"
	echo "LAB_BMC_PORT=$BMC_PORT"
	echo "LAB_BMC_USER=$BMC_USER"
	echo "LAB_BMC_PASS=$BMC_PASS"
	echo "LAB_BMC_CIPHER=$BMC_CIPHER"
	echo "LAB_VIP_RANGE=$NET.100-$NET.199"
	echo "LAB_LIBVIRT=$(cat "$LAB_DIR/libvirt" 2>/dev/null || echo 0)"
	# remote nodes follow the full nodes: LAB_NODE$((N+J))_NAME=remoteJ
	for k in $(seq 1 "$(nall)"); do
		echo "LAB_NODE${k}_NAME=$(name "$k")"
		echo "LAB_NODE${k}_ADDR=$NET.$k"
		echo "LAB_NODE${k}_NETNS=$NS$k"
		echo "LAB_NODE${k}_BMC=$NET.$((200 + k))"
		echo "LAB_NODE${k}_PID=$(node_pid "$k")"
		echo "LAB_NODE${k}_LOG=$(nd "$k")/log"
	done
}

# kill K, then time "fencing of K succeeded" (seen from a survivor) and "K online again".
# --verbose matters: without it stonith_admin lists only one success per target, so a count
# of successes never grows after the first fencing of K.
cmd_crash_test() {
	local k=$1 to=${2:-180} s t0 tf="" to_on="" x
	check_k "$k"
	cmd_wait_online 120 || return 1   # start each run from a complete cluster
	for s in $(seq 1 "$(nnodes)"); do [ "$s" != "$k" ] && [ -n "$(node_pid "$s")" ] && break; done
	local before; before=$(cmd_exec "$s" stonith_admin --history "$(name "$k")" --verbose --output-as=xml 2>/dev/null | grep -c 'status="success"')
	t0=$(now)
	cmd_kill "$k" >/dev/null
	while :; do
		x=$(now)
		if [ -z "$tf" ]; then
			[ "$(cmd_exec "$s" stonith_admin --history "$(name "$k")" --verbose --output-as=xml 2>/dev/null | grep -c 'status="success"')" -gt "$before" ] &&
				tf=$(echo "$x - $t0" | bc)
		fi
		if [ -n "$tf" ] && online_nodes "$s" | grep -qx "$(name "$k")"; then
			to_on=$(echo "$x - $t0" | bc)
			break
		fi
		[ "$(echo "$x - $t0 > $to" | bc)" = 1 ] && break
		sleep 0.2
	done
	printf '%s killed; fenced after %s s; online again after %s s (observer node%s)\n' \
		"$(name "$k")" "${tf:-TIMEOUT}" "${to_on:-TIMEOUT}" "$s"
	[ -n "$to_on" ]
}

# node arguments: K, nodeK or remoteJ
[ $# -ge 2 ] && case $1 in exec | kill | stop | start | power | bmc | pid | crash-test) set -- "$1" "$(idx "$2")" "${@:3}" ;; esac
case ${1:-} in
up) cmd_up "${2:-}" "${3:-}" "${4:-}" ;;
down) cmd_down "${2:-}" ;;
exec) shift; [ $# -ge 2 ] || die "usage: exec K CMD..."; cmd_exec "$@" ;;
kill) cmd_kill "${2:-}" "${3:-}" ;;
stop) cmd_stop "${2:-}" ;;
start) cmd_start "${2:-}" ;;
power) cmd_power "${2:-}" "${3:-status}" ;;
bmc) cmd_bmcctl "${2:-}" "${3:-status}" ;;
wait-online) shift; cmd_wait_online "$@" ;;
settle) k=$(any_live_node) || die "no node running"; cmd_exec "$k" crm_resource --wait --timeout "${2:-120}" ;;
status) cmd_status ;;
pid) check_k "${2:-}"; node_pid "$2" ;;
env) cmd_env ;;
stonith) cmd_stonith ;;
remote) cmd_remote ;;
fetch-remoted) cmd_fetch_remoted ;;
crash-test) cmd_crash_test "${2:-}" "${3:-180}" ;;
peer) shift; [ $# -ge 1 ] || die "usage: peer CMD..."; ip netns exec "${NS}0" "$@" ;;
_init) cmd_init "$2" ;;
_machine) cmd_machine "$2" ;;
_bmc) shift; cmd_bmc "$@" ;;
_lab) cmd_lab "$2" ;;
*) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
