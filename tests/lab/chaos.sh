#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# chaos.sh - random faults on a 3-node lab cluster under client load, with invariants checked
# all the time by an observer outside the nodes (issue 19; tests/lab/README.md, "Chaos").
#
#   chaos.sh [--seed S[,S...]] [--minutes M | --faults N] [--kinds K1,K2...] [--remotes R]
#   chaos.sh --plan [--seed S] [--faults N] [--kinds ...]   print the steps a seed draws
#   chaos.sh --list                                          the fault kinds
#
# The cluster (lab-cluster.sh, LAB_NAME blchaos): 3 nodes and R Pacemaker Remote nodes
# (--remotes, default 0; slapd and chronyd only on the full nodes), each with its own libvirtd
# and a bridge br0 on the lab network, fencing through fence_baton_ipmi. Resources: CHAOS_VMS
# small TCG guests (ocf:baton:vm, 192 MiB that balloon down to 96 where two share a node's 320
# MiB, each following the one before, depth 10 monitors, allow-migrate), the ldap and ntp
# promotable clones (3 instances each) with their service addresses (ocf:baton:vip
# 10.98.0.100, .101) and one free address (.102). Load from the management namespace: a ping
# every 0.2 s to every address, the LDAP writer of ldap-client.bash (counts acknowledged
# writes) and each guest's uptime every 2 s.
#
# The driver draws faults from a small deterministic PRNG seeded with S (printed; the same
# seed, --kinds and --remotes replay the same sequence): see KINDS below. One step in five
# injects a second fault 1-5 s after the first. After each step the driver waits until the
# cluster has recovered (every node online, every resource running, promoted once, each
# address on one node, every guest answering, an LDAP write acknowledged) within BOUND seconds
# plus the fault's own duration, then pauses 5-15 s (as CTS does) and draws the next step.
#
# The observer (a process on the host, reading /proc and each node's addresses every 0.5 s)
# and the checks after each step stop the run on any violation of:
#   guest-twice    a guest's QEMU running (not paused, as a migration's target is) on two nodes
#   address-twice  an address on two nodes for longer than ADDR_TWICE_MS (one announcement)
#   write-lost     an acknowledged LDAP write missing on the provider, unless acknowledged
#                  between a node-loss fault (less 1 s) and the moment that node went away
#                  (killed, or fenced after its links were cut): the provider that
#                  acknowledged it may be that node (asynchronous replication,
#                  agents/ldap/README.md); those are counted apart
#   not-recovered  the cluster not recovered within the bound after a step
#   memory         after a recovery, a node's running guests holding more than host_memory
#                  (HOST_MIB) or one ballooned below its floor (VM_MIN)
#   agent-timeout  a baton agent's action killed by its operation timeout (pacemaker.log)
#   fence-failed   a fencing that never succeeded (a failed attempt retried with success is
#                  counted, not a violation: a BMC may be away for a while)
# and then prints the seed, the step, its timeline and keeps the logs ($LAB_DIR, chaos/).
# Each run ends with a table: faults by kind, recoveries (median, worst), violations, agent
# timeouts. Exit 0 only if there was no violation. LAB_KEEP=1 leaves the lab running.
#
# Environment: CHAOS_SEED, CHAOS_FAULTS, CHAOS_MINUTES, CHAOS_REMOTES (the options' defaults),
# CHAOS_VMS (2), CHAOS_BOUND (150 s), LAB_BOOT_DELAY (5 s), LAB_NAME (blchaos).
# Needs root, the installed baton packages, libvirtd + QEMU, slapd + ldap-utils, chrony,
# ipmi_sim and the test guest images (tests/vm/guest-image.sh).
# (single quotes on purpose: those commands expand inside a node)
# shellcheck disable=SC2016
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)

# every kind of fault the driver knows (--kinds picks a subset; the order matters for replay)
ALL_KINDS="power crash isolate bmc libvirtd-stop slapd chronyd vip standby split libvirtd-kill guest-hang"
NODE_LOSS="power crash isolate split"   # kinds that take a node out (a split may, or stall)

usage() { sed -n '3,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
PLAN=0 SEEDS=${CHAOS_SEED:-} MINUTES=${CHAOS_MINUTES:-} FAULTS=${CHAOS_FAULTS:-} KINDS=$ALL_KINDS
REMOTES=${CHAOS_REMOTES:-0}
while [ $# -gt 0 ]; do
	case $1 in
	--seed) SEEDS=${2:-}; shift 2 ;;
	--minutes) MINUTES=${2:-}; shift 2 ;;
	--faults) FAULTS=${2:-}; shift 2 ;;
	--kinds) KINDS=${2//,/ }; shift 2 ;;
	--remotes) REMOTES=${2:-}; shift 2 ;;
	--list) echo "$ALL_KINDS"; exit 0 ;;
	--plan) PLAN=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -n "$SEEDS" ] || SEEDS=$(( $(date +%s%N) % 1000000000 ))
[ -n "$MINUTES$FAULTS" ] || FAULTS=10
for s in ${SEEDS//,/ }; do [[ $s =~ ^[0-9]+$ ]] || { echo "chaos: seed '$s' is not a number" >&2; exit 2; }; done
[[ $REMOTES =~ ^[0-9]$ ]] || { echo "chaos: --remotes takes 0..9" >&2; exit 2; }
for k in $KINDS; do [[ " $ALL_KINDS " == *" $k "* ]] || { echo "chaos: no fault kind '$k' (--list)" >&2; exit 2; }; done
read -r -a KIND_LIST <<<"$KINDS"

LAB_NAME=${LAB_NAME:-blchaos}
LAB_LIBVIRT=1
LAB_GUEST_NET=1
LAB_BOOT_DELAY=${LAB_BOOT_DELAY:-5}
DATA=/var/lib/baton-lab-$LAB_NAME
# shellcheck disable=SC2034 # exported by scenario-lib.sh
LAB_NODE_DIRS=$DATA
# shellcheck source=tests/lab/scenario-lib.sh
source "$HERE/scenario-lib.sh"
# shellcheck source=tests/lab/ldap-client.bash
source "$HERE/ldap-client.bash"

N=3
ALL=$((N + REMOTES))   # nodes 1..N are full nodes, N+1..ALL remote nodes
NET=10.98.0
LDAP_IP=$NET.100
NTP_IP=$NET.101
FREE_IP=$NET.102
ADDRS="$LDAP_IP $NTP_IP $FREE_IP"
PASSWORD=lab-ldap-secret
NVMS=${CHAOS_VMS:-2}
# each guest 192 MiB, down to 96 by ballooning; a host gives guests 320 MiB: two guests on
# one node (g2 follows g1) fit only ballooned, so every fault that moves them balloons
VM_MIB=192 VM_MIN=96 HOST_MIB=320
BOUND=${CHAOS_BOUND:-150}
ADDR_TWICE_MS=1000
GUESTS=()
declare -A GUEST_IP
for i in $(seq 1 "$NVMS"); do GUESTS+=("g$i"); GUEST_IP[g$i]=$NET.$((149 + i)); done

# ---------------------------------------------------------------- the PRNG

# A 31-bit linear congruential generator: the same seed gives the same sequence with any bash
# (bash's own $RANDOM changed its algorithm in 5.1). R = a number in 0..N-1.
RNG=0
rng_seed() { # the seed is scrambled and the first outputs dropped: near seeds, far sequences
	local i
	RNG=$((($1 * 2654435761 + 0x5bd1e995) & 0x7fffffff))
	for i in 1 2 3 4 5 6 7 8; do rng_next; done
}
rng_next() { RNG=$(((RNG * 1103515245 + 12345) & 0x7fffffff)); }
rand() { rng_next; R=$(((RNG >> 12) % $1)); }
rand_range() { rand $(($2 - $1 + 1)); R=$((R + $1)); }

# ---------------------------------------------------------------- bookkeeping

OBS=                    # the run's files ($LAB_DIR/chaos): events, observer, violations
LIFTERS=()              # background jobs that end a timed fault
LOAD_PIDS=()
OBSERVER=
STEP=0
SEED=
EVENTS=

usec() { echo "${EPOCHREALTIME/[!0-9]/}"; }
event() { printf '%s %s\n' "$(now)" "$*" >>"$EVENTS"; printf '  [%s] %s\n' "$(date +%T)" "$*"; }
violation() { # KIND DETAIL
	printf '%s %s %s\n' "$(now)" "$1" "$2" >>"$OBS/violations"
}
violated() { [ -s "$OBS/violations" ]; }

on_exit() {
	local rc=$? p
	trap - EXIT
	[ -n "$OBS" ] && touch "$OBS/stop" 2>/dev/null
	for p in "${LIFTERS[@]}" "${LOAD_PIDS[@]}" $OBSERVER; do kill "$p" 2>/dev/null; done
	writer_kill
	for p in "${LIFTERS[@]}" "${LOAD_PIDS[@]}" $OBSERVER; do wait "$p" 2>/dev/null; done
	if [ -n "$OBS" ] && [ -n "${CLIENT:-}" ]; then
		cp "$CLIENT/acked" "$CLIENT/failed" "$OBS/" 2>/dev/null
	fi
	ldap_client_cleanup
	if [ "$LAB_KEEP" != 1 ]; then
		if [ "$rc" = 0 ]; then "$LAB" down --purge; else "$LAB" down; fi >/dev/null 2>&1
		rmdir "$DATA" 2>/dev/null   # the empty mount point the nodes made on the host
	fi
	(exit "$rc")
	lab_down_on_exit
}

# ---------------------------------------------------------------- the nodes, seen from the host

ns() { echo "$LAB_NAME$1"; }
init_pid() { "$LAB" pid "$1" 2>/dev/null; }
# host PIDs of the processes named COMM (comm) in node K
procs_of() { # K COMM
	local p c
	for p in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
		read -r c <"/proc/$p/comm" 2>/dev/null && [ "$c" = "$2" ] && echo "$p"
	done
}
addrs_of() { ip -n "$(ns "$1")" -o -4 addr show 2>/dev/null | awk '{ sub("/.*", "", $4); print $4 }'; }
holders() { # ADDR: nodes with ADDR
	local k
	for k in $(seq 1 $ALL); do addrs_of "$k" | grep -qxF "$1" && echo "$k"; done
}
live_node() { # a node whose cluster tools answer
	local k
	for k in $(seq 1 $N); do
		lab "$k" crm_mon -1 --output-as=xml >/dev/null 2>&1 && { echo "$k"; return 0; }
	done
	return 1
}

# The cluster's state from crm_mon's XML on a live node: nothing printed when every node is
# online (not standby, not unclean), a DC exists and every resource instance is active once,
# with one Promoted instance of each promotable clone; else what is missing.
not_recovered() {
	local k xml=
	for k in $(seq 1 $N); do
		xml=$(lab "$k" crm_mon -1 --output-as=xml 2>/dev/null) && break
	done
	[ -n "$xml" ] || { echo "no node answers"; return; }
	awk -v n=$N -v r="$REMOTES" '
		function attr(a,   m) { if (match($0, a "=\"[^\"]*\"")) return substr($0, RSTART + length(a) + 2, RLENGTH - length(a) - 3); return "" }
		/<current_dc / && attr("present") != "true" { print "no DC" }
		/<node name=.*type="remote"/ {
			remotes++
			if (attr("online") != "true") print attr("name") " offline"
			else if (attr("standby") == "true") print attr("name") " in standby"
			if (attr("unclean") == "true") print attr("name") " unclean"
		}
		/<node name=.*type="member"/ {
			nodes++
			if (attr("online") != "true") print attr("name") " offline"
			else if (attr("standby") == "true") print attr("name") " in standby"
			if (attr("unclean") == "true") print attr("name") " unclean"
		}
		# a clone instance Pacemaker lists as orphaned and stopped (a probe on a node the
		# clone may not run on) is no instance that should run
		/<resource id=.*orphaned="true"/ && attr("active") != "true" { next }
		/<resource id=/ {
			id = attr("id"); role = attr("role")
			if (attr("active") != "true" || attr("nodes_running_on") != "1" || attr("failed") == "true" || attr("blocked") == "true")
				bad[id] = bad[id] " " role
			if (role == "Promoted") promoted[id]++
			if (id == "ldap" || id == "ntp") clone[id] = 1
		}
		END {
			if (nodes < n) print "only " nodes " nodes known"
			if (remotes < r) print "only " remotes + 0 " remote nodes known"
			for (i in bad) print i ":" bad[i]
			for (i in clone) if (promoted[i] != 1) print i " promoted " promoted[i] + 0 " times"
		}' <<<"$xml"
	local a g c
	for a in $ADDRS; do
		c=$(holders "$a" | wc -l)
		[ "$c" = 1 ] || echo "$a on $c nodes"
	done
	for g in "${GUESTS[@]}"; do
		[ -n "$(uptime_of "$g")" ] || echo "guest $g does not answer"
	done
	[ -n "$(awk -v t="$STEP_T0" '$2 > t' "$CLIENT/acked" | head -n 1)" ] || echo "no LDAP write acknowledged since the fault"
}

http() { "$LAB" peer wget -q -T 2 -O - "http://$1/$2" 2>/dev/null; }   # ADDR PATH
uptime_of() { http "${GUEST_IP[$1]}" cgi-bin/uptime | awk '{ print $1 }'; }

# ---------------------------------------------------------------- the observer

# Runs on the host until $OBS/stop. Never asks the agents or the cluster: QEMU processes of
# every node (their network namespace tells the node), each node's addresses.
running_on_nodes() { # G K...: those of the nodes K where libvirt says G is running
	local g=$1 k
	shift
	for k; do
		[ "$(lab "$k" virsh -q -c qemu:///system domstate "$g" 2>/dev/null)" = running ] && echo "$k"
	done
}
observer() {
	local -A twice_since
	local t p k g a c name seen arg rounds=0
	local -a args
	while [ ! -e "$OBS/stop" ]; do
		t=$(usec)
		# addresses: on which nodes, now
		declare -A on=()
		for k in $(seq 1 $ALL); do
			for a in $(addrs_of "$k"); do on[$a]+="$k "; done
		done
		for a in $ADDRS; do
			c=$(wc -w <<<"${on[$a]:-}")
			if [ "$c" -gt 1 ]; then
				[ -n "${twice_since[$a]:-}" ] || twice_since[$a]=$t
				if [ $((t - twice_since[$a])) -gt $((ADDR_TWICE_MS * 1000)) ]; then
					violation address-twice "$a on nodes ${on[$a]}for $(((t - twice_since[$a]) / 1000)) ms"
				fi
			else
				twice_since[$a]=
			fi
		done
		unset on
		# guests: the node of each QEMU process, by its network namespace
		declare -A gnodes=()
		for p in $(pgrep -x qemu-system-x86 2>/dev/null); do
			mapfile -d '' args <"/proc/$p/cmdline" 2>/dev/null || continue
			name=
			for arg in "${args[@]}"; do
				case $arg in guest=*) name=${arg#guest=}; name=${name%%,*} ;; esac
			done
			[ -n "$name" ] || continue
			for k in $(seq 1 $ALL); do
				[[ /proc/$p/ns/net -ef /run/netns/$(ns "$k") ]] && gnodes[$name]+="$k "
			done
		done
		for g in "${!gnodes[@]}"; do
			[ "$(wc -w <<<"${gnodes[$g]}")" -gt 1 ] || continue
			# a live migration has QEMU on both nodes, the target paused until the source
			# stopped: only a guest running on two nodes, seen so in two rounds of questions
			# 1 s apart, is a guest twice (the nodes' libvirtd are asked one after the other,
			# so a single round can see the source before and the target after the switch)
			# shellcheck disable=SC2086 # node lists
			seen=$(running_on_nodes "$g" ${gnodes[$g]})
			if [ "$(wc -w <<<"$seen")" -gt 1 ]; then
				sleep 1
				# shellcheck disable=SC2086
				seen=$(running_on_nodes "$g" $seen)
				[ "$(wc -w <<<"$seen")" -gt 1 ] && violation guest-twice "$g running on nodes $seen"
			fi
		done
		unset gnodes
		# written aside, then renamed: a reader never sees the file empty
		rounds=$((rounds + 1))
		echo "$t $rounds" >"$OBS/observer.alive.new" && mv -f "$OBS/observer.alive.new" "$OBS/observer.alive"
		sleep 0.5
	done
}

# its last round ended less than 10 s ago (a check that does not run checks nothing)
observer_alive() {
	local t _
	read -r t _ <"$OBS/observer.alive" 2>/dev/null || return 1
	[ $(($(usec) - t)) -lt 10000000 ]
}

# ---------------------------------------------------------------- load

load_start() {
	local a g
	for a in $ADDRS "${GUEST_IP[@]}"; do
		"$LAB" peer ping -n -D -i 0.2 -W 1 "$a" >"$OBS/ping-$a" 2>&1 &
		LOAD_PIDS+=($!)
	done
	for g in "${GUESTS[@]}"; do
		(
			while [ ! -e "$OBS/stop" ]; do
				echo "$(now) $(uptime_of "$g")" >>"$OBS/uptime-$g"
				sleep 2
			done
		) &
		LOAD_PIDS+=($!)
	done
	writer_start "$LDAP_IP"
}
longest_gap() { # ADDR: the longest time between two answers to its pings, in seconds
	sed -n 's/^\[\([0-9.]*\)\] .* bytes from .*/\1/p' "$OBS/ping-$1" |
		awk 'NR > 1 && $1 - prev > max { max = $1 - prev } { prev = $1 } END { printf "%.1f\n", max }'
}
guest_restarts() { # G: how often its uptime went back
	awk '$2 != "" { if (n++ && $2 < prev) r++; prev = $2 } END { print r + 0 }' "$OBS/uptime-$1" 2>/dev/null
}

# ---------------------------------------------------------------- faults

# pick_fault: F_KIND F_NODE F_ARG (a duration in s, an address or another node), drawn
pick_fault() {
	rand ${#KIND_LIST[@]}
	F_KIND=${KIND_LIST[$R]}
	rand $ALL
	F_NODE=$((R + 1))
	# slapd and chronyd run on the full nodes only; a split is between two of them
	case $F_KIND in slapd | chronyd | split) F_NODE=$(((F_NODE - 1) % N + 1)) ;; esac
	case $F_KIND in
	bmc | standby) rand_range 10 30; F_ARG=$R ;;
	libvirtd-stop) rand_range 5 45; F_ARG=$R ;;
	libvirtd-kill) rand_range 2 20; F_ARG=$R ;;
	split) rand_range 20 60; F_ARG=$R ;;
	guest-hang) rand ${#GUESTS[@]}; F_ARG=${GUESTS[$R]} ;;
	vip) read -r -a F_ADDRS <<<"$ADDRS"; rand ${#F_ADDRS[@]}; F_ARG=${F_ADDRS[$R]} ;;
	*) F_ARG=- ;;
	esac
}
is_node_loss() { [[ " $NODE_LOSS " == *" $1 "* ]]; }
# one step, drawn: S_KIND S_NODE S_ARG, S_TWO (0: a second fault S_KIND2 S_NODE2 S_ARG2
# S_DELAY s later), S_PAUSE (s after the recovery). Never two nodes lost at once: the third
# alone would have no quorum and fence no one; a second node loss becomes the first node's
# BMC going away (its fencing then fails until the BMC is back).
draw_step() {
	pick_fault
	S_KIND=$F_KIND S_NODE=$F_NODE S_ARG=$F_ARG S_KIND2=- S_NODE2=- S_ARG2=- S_DELAY=0
	rand 5
	S_TWO=$R
	if [ "$S_TWO" = 0 ]; then
		pick_fault
		S_KIND2=$F_KIND S_NODE2=$F_NODE S_ARG2=$F_ARG
		rand_range 1 5
		S_DELAY=$R
		if is_node_loss "$S_KIND" && is_node_loss "$S_KIND2"; then
			S_KIND2=bmc S_NODE2=$S_NODE
			[ "$S_ARG2" = - ] && S_ARG2=20
		fi
	fi
	rand_range 5 15
	S_PAUSE=$R
}
duration() { case $1 in bmc | standby | libvirtd-stop | libvirtd-kill | split) echo "$2" ;; *) echo 0 ;; esac; }
split_peer() { echo $(($1 % N + 1)); }   # K: the node a split cuts K from
nodename() { if [ "$1" -le $N ]; then echo "node$1"; else echo "remote$(($1 - N))"; fi; }
describe() { # KIND NODE ARG
	case $1 in
	power) echo "$(nodename "$2") loses power" ;;
	crash) echo "$(nodename "$2") crashes (power left on)" ;;
	isolate)
		if [ "$2" -le $N ]; then echo "node$2's corosync links cut (clients still reach it)"
		else echo "$(nodename "$2")'s links to the cluster nodes cut (clients still reach it)"; fi ;;
	bmc) echo "$(nodename "$2")'s BMC does not answer for $3 s" ;;
	libvirtd-stop) echo "libvirtd of g1's node (else $(nodename "$2")) SIGSTOPped for $3 s" ;;
	libvirtd-kill) echo "libvirtd of g1's node (else $(nodename "$2")) killed, started again $3 s later" ;;
	split) echo "the link between $(nodename "$2") and $(nodename "$(split_peer "$2")") cut for $3 s (both still reach the third)" ;;
	guest-hang) echo "$3's kernel hung (NMI panic; the domain stays running for libvirt)" ;;
	slapd) echo "$(nodename "$2")'s slapd killed" ;;
	chronyd) echo "$(nodename "$2")'s chronyd killed" ;;
	vip) echo "$3 removed behind the agent's back" ;;
	standby) echo "$(nodename "$2") in standby for $3 s" ;;
	esac
}

# What ends each fault of the step, for wait_recovery: "lifted FLAG" (a timed fault: its job
# made FLAG), "reboot K PID" (node K lost: over when K runs again with an init other than
# PID), "respawn K COMM PIDS" (a daemon killed: over when K runs a COMM not in PIDS)
PENDING=()
LIFT_ID=0
# a background job that ends a timed fault, killed on exit; the fault is over once it ran
later() { # SECS CMD...
	local s=$1 flag
	shift
	LIFT_ID=$((LIFT_ID + 1))
	flag=$OBS/lifted.$LIFT_ID
	( sleep "$s"; "$@"; touch "$flag" ) &
	LIFTERS+=($!)
	PENDING+=("lifted $flag")
}
# is every fault of the step over? Records when a lost node went away (a loss window ends:
# what it acknowledged until then may be lost, asynchronous replication)
faults_over() {
	local i kind k a b p
	for i in "${!PENDING[@]}"; do
		read -r kind k a b <<<"${PENDING[$i]}"
		case $kind in
		lifted) [ -e "$k" ] || return 1 ;;
		reboot)
			p=$(init_pid "$k")
			if [ "$p" != "$a" ] && [ "${b:--}" = - ]; then
				b=$(now)
				PENDING[i]="reboot $k $a $b"
				echo "$STEP_T0 $b" >>"$OBS/loss-windows"
				event "$(nodename "$k") gone (killed or fenced)"
			fi
			[ -n "$p" ] && [ "$p" != "$a" ] || return 1
			;;
		respawn)
			for p in $(procs_of "$k" "$a"); do
				[[ ",$b," == *",$p,"* ]] || continue 2
			done
			return 1
			;;
		esac
	done
	return 0
}
# cut the links between node K and the nodes J... (default: every other node) both ways
# (blackhole routes: the BMCs and the management namespace stay reachable, so K's clients
# still reach K); lifted when one of the nodes cut off was fenced (its init changed) or after
# SECS. A split (J given) records that node's loss window itself and ends with a flag: which
# side is fenced, if any, is the cluster's choice.
cut_links() { # SECS K [J...]
	local secs=$1 k=$2 j watch p0=() flag=
	shift 2
	local peers=("$@")
	if [ ${#peers[@]} = 0 ]; then
		for j in $(seq 1 $ALL); do [ "$j" = "$k" ] || peers+=("$j"); done
		watch=("$k")
	else
		watch=("$k" "${peers[@]}")
		LIFT_ID=$((LIFT_ID + 1))
		flag=$OBS/lifted.$LIFT_ID
		PENDING+=("lifted $flag")
	fi
	for j in "${peers[@]}"; do
		ip -n "$(ns "$k")" route add blackhole "$NET.$j/32"
		ip -n "$(ns "$j")" route add blackhole "$NET.$k/32"
	done
	for j in "${watch[@]}"; do p0+=("$(init_pid "$j")"); done
	(
		local i w gone=
		for i in $(seq 1 $((secs * 2))); do
			for w in "${!watch[@]}"; do
				[ -n "${p0[$w]}" ] && [ "$(init_pid "${watch[$w]}")" != "${p0[$w]}" ] && gone=${watch[$w]}
			done
			[ -n "$gone" ] && break
			sleep 0.5
		done
		for j in "${peers[@]}"; do
			ip -n "$(ns "$k")" route del blackhole "$NET.$j/32" 2>/dev/null
			ip -n "$(ns "$j")" route del blackhole "$NET.$k/32" 2>/dev/null
		done
		if [ -n "$flag" ]; then
			[ -n "$gone" ] && echo "$STEP_T0 $(now)" >>"$OBS/loss-windows" &&
				echo "$(now) $(nodename "$gone") gone (fenced)" >>"$EVENTS"
			touch "$flag"
		fi
		echo "$(now) links of $(nodename "$k") restored" >>"$EVENTS"
	) &
	LIFTERS+=($!)
}
guest_node() { # G: the node whose network namespace holds G's QEMU (first found)
	local p k
	for p in $(pgrep -f "guest=$1," 2>/dev/null); do
		for k in $(seq 1 $ALL); do
			[[ /proc/$p/ns/net -ef /run/netns/$(ns "$k") ]] && { echo "$k"; return 0; }
		done
	done
	return 1
}
kill_procs() { # K COMM
	local p ps
	ps=$(procs_of "$1" "$2" | tr '\n' ',')
	[ -n "$ps" ] || { echo "(no $2 on $(nodename "$1"))"; return 0; }
	PENDING+=("respawn $1 $2 $ps")
	for p in ${ps//,/ }; do kill -KILL "$p" 2>/dev/null; done
}

inject() { # KIND NODE ARG
	local kind=$1 k=$2 arg=$3 p h out=
	# the node that will be fenced is known, except in a split
	case $kind in power | crash | isolate) PENDING+=("reboot $k $(init_pid "$k") -") ;; esac
	event "fault: $(describe "$kind" "$k" "$arg")"
	case $kind in
	power) out=$("$LAB" kill "$k" --power-off 2>&1) ;;
	crash) out=$("$LAB" kill "$k" 2>&1) ;;
	isolate) cut_links 120 "$k" ;;
	split) cut_links "$arg" "$k" "$(split_peer "$k")" ;;
	bmc)
		out=$("$LAB" bmc "$k" stop 2>/dev/null)
		later "$arg" bash -c '"$1" bmc "$2" start >/dev/null 2>&1; echo "$(date +%s.%N) BMC of $4 back" >>"$3"' \
			_ "$LAB" "$k" "$EVENTS" "$(nodename "$k")"
		;;
	libvirtd-stop | libvirtd-kill)
		# the guests' node: a libvirtd without a guest to manage tests nothing of the vm agent;
		# its guests run on, and a monitor in the meantime must not restart them
		h=$(guest_node "${GUESTS[0]}")
		[ -n "$h" ] && k=$h
		p=$(procs_of "$k" libvirtd)
		if [ -z "$p" ]; then
			out="(no libvirtd on $(nodename "$k"))"
		elif [ "$kind" = libvirtd-stop ]; then
			out="($(nodename "$k"))"
			kill -STOP "$p"
			later "$arg" bash -c 'kill -CONT $1; echo "$(date +%s.%N) libvirtd of $2 continued" >>"$3"' \
				_ "$p" "$(nodename "$k")" "$EVENTS"
		else
			out="($(nodename "$k"))"
			kill -KILL "$p"
			later "$arg" bash -c '"$1" exec "$2" libvirtd -d -l -p /run/libvirtd.pid
				echo "$(date +%s.%N) libvirtd of $4 started again" >>"$3"' _ "$LAB" "$k" "$EVENTS" "$(nodename "$k")"
		fi
		;;
	guest-hang)
		h=$(guest_node "$arg")
		if [ -z "$h" ]; then
			out="($arg runs on no node)"
		elif lab "$h" virsh -q -c qemu:///system inject-nmi "$arg" >/dev/null 2>&1; then
			out="(on $(nodename "$h"))"
		else
			out="(inject-nmi failed on $(nodename "$h"))"
		fi
		;;
	slapd | chronyd) kill_procs "$k" "$kind" ;;
	vip)
		h=$(holders "$arg" | head -n 1)
		if [ -n "$h" ]; then
			lab "$h" ip addr del "$arg/24" dev br0 && out="(was on $(nodename "$h"))"
		else
			out="(on no node)"
		fi
		;;
	standby)
		h=$(live_node) && out=$(lab "$h" crm node standby "$(nodename "$k")" 2>&1)
		later "$arg" bash -c 'for k in 1 2 3; do "$1" exec $k crm node online "$2" >/dev/null 2>&1 && break; done
			echo "$(date +%s.%N) $2 online again (standby off)" >>"$3"' _ "$LAB" "$(nodename "$k")" "$EVENTS"
		;;
	esac
	[ -n "$out" ] && printf '    %s\n' "$out"
	return 0
}

# ---------------------------------------------------------------- invariants after a step

# acknowledged writes missing on the provider: "uid end-of-ack" lines
missing_writes() {
	local m uids i acked
	# the acknowledgements first: each of them was received before the search began (the
	# writer goes on meanwhile)
	acked=$(cat "$CLIENT/acked")
	for i in 1 2 3; do
		uids=$(ldap_uids "$LDAP_IP") && [ -n "$uids" ] && break
		uids=
		sleep 1
	done
	[ -n "$uids" ] || return 1
	m=$(comm -23 <(awk '{ print "w" $1 }' <<<"$acked" | sort) <(sort <<<"$uids"))
	[ -n "$m" ] || return 0
	awk 'NR == FNR { miss[$1] = 1; next } miss["w" $1] { print "w" $1, $3 }' <(echo "$m") <(echo "$acked")
}
# a write acknowledged in a node-loss window (fault - 1 s .. recovery) may be lost: the
# provider that acknowledged it may be the node that was lost (asynchronous replication)
in_window() { # TIME
	awk -v t="$1" '$1 - 1 <= t && t <= $2 { ok = 1 } END { exit !ok }' "$OBS/loss-windows" 2>/dev/null
}
check_writes() {
	local lines uid t at_risk=0 lost=""
	lines=$(missing_writes) || { violation write-check "could not read the directory through $LDAP_IP"; return; }
	while read -r uid t; do
		[ -n "$uid" ] || continue
		if in_window "$t"; then at_risk=$((at_risk + 1)); else lost+="$uid "; fi
	done <<<"$lines"
	AT_RISK_LOST=$at_risk
	[ -z "$lost" ] || violation write-lost "acknowledged, missing on the provider: $lost"
}
# after a recovery, each node's running guests hold no more than host_memory and none is
# below its floor (the balloons as each node's libvirtd reports them)
check_memory() {
	local k g m sum held
	for k in $(seq 1 $ALL); do
		sum=0 held=
		for g in "${GUESTS[@]}"; do
			[ -n "$(running_on_nodes "$g" "$k")" ] || continue
			m=$(balloon_mib "$k" "$g")
			[ -n "$m" ] || { violation memory "$(nodename "$k"): no balloon size of $g"; continue; }
			sum=$((sum + m))
			held+="$g $m MiB, "
			[ "$m" -ge "$VM_MIN" ] || violation memory "$(nodename "$k"): $g ballooned to $m MiB, below its floor of $VM_MIN"
		done
		[ "$sum" -le "$HOST_MIB" ] || violation memory "$(nodename "$k"): guests hold $sum MiB (${held%, }), host_memory is $HOST_MIB"
		[ -n "$held" ] && echo "    $(nodename "$k"): ${held%, }"
	done
}
# baton agents' actions killed by their timeout, in every node's pacemaker.log
agent_timeouts() {
	cat "$LAB_DIR"/node*/log/pacemaker/pacemaker.log 2>/dev/null |
		grep -E 'process \(PID [0-9]+\) timed out|operation for [^ ]+ on [^ ]+: Timed Out|fence_baton_ipmi.*(timed out|Timer expired)' |
		grep -E "$RSC_RE" || true
}
check_timeouts() {
	local n
	n=$(agent_timeouts | grep -c .)
	if [ "$n" -gt "$TIMEOUTS" ]; then
		violation agent-timeout "$(agent_timeouts | tail -n $((n - TIMEOUTS)) | tr '\n' ' ')"
	fi
	TIMEOUTS=$n
}
# fencing as the nodes' controllers logged it: each operation once (its event id), by result
fence_counts() { # "succeeded failed"
	local ok bad
	ok=$(cat "$LAB_DIR"/node*/log/pacemaker/pacemaker.log 2>/dev/null |
		sed -n 's/.* was terminated (.*: OK | event=\([^ ]*\).*/\1/p' | sort -u | grep -c .)
	bad=$(cat "$LAB_DIR"/node*/log/pacemaker/pacemaker.log 2>/dev/null |
		sed -n 's/.* was not terminated (.*| event=\([^ ]*\).*/\1/p' | sort -u | grep -c .)
	echo "$ok $bad"
}

# the step's timeline: the driver's events and the nodes' key log lines since the step began
step_timeline() {
	local t0=$1 k
	{
		awk -v t="$t0" '$1 >= t - 1 { $1 = $1; print }' "$EVENTS"
		for k in $(seq 1 $ALL); do
			grep -hE 'state is now lost|was terminated|Operation .* targeting .* (Error|Timer)|Result of (start|stop|promote|demote|migrate_to|migrate_from) operation|Timed Out|timed out' \
				"$LAB_DIR/node$k/log/pacemaker/pacemaker.log" 2>/dev/null |
				while read -r mon day hms rest; do
					s=$(date -d "$mon $day $hms" +%s.%N 2>/dev/null) || continue
					[ "$(echo "$s >= $t0 - 1" | bc)" = 1 ] && echo "$s $(nodename "$k"): ${rest#* }"
				done
		done
	} | sort -n | awk -v t="$t0" '{ s = $1; $1 = ""; printf "%8.2f s %s\n", s - t, $0 }'
}

stop_run() { # why
	printf '\nVIOLATION in step %s (seed %s): %s\n' "$STEP" "$SEED" "$1"
	sed 's/^/  /' "$OBS/violations"
	printf '\ntimeline of step %s (seconds after its first fault)\n' "$STEP"
	step_timeline "$STEP_T0" | tail -n 80
	printf '\nreplay: tests/lab/chaos.sh --seed %s --faults %s%s%s\n' "$SEED" "$STEP" \
		"$([ "$KINDS" != "$ALL_KINDS" ] && echo " --kinds ${KINDS// /,}")" \
		"$([ "$REMOTES" -gt 0 ] && echo " --remotes $REMOTES")"
	printf 'logs kept in %s (node*/log, chaos/)\n' "$LAB_DIR"
	show_table
	exit 1
}

# ---------------------------------------------------------------- figures

RECOVERIES=()   # "kind seconds"
declare -A INJECTED=() SECOND=()   # faults by kind: first of a step, second of a step
stats() { # numbers on stdin: "median worst"
	sort -n | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-", "-"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f\n", m, v[NR] }'
}
show_table() {
	local k n r st fc w
	printf '\nchaos: seed(s) %s, %s steps in %s s, kinds: %s\n' "$SEEDS" "$STEP_TOTAL" "$((SECONDS - RUN_T0))" "$KINDS"
	printf '%-16s %8s %8s %10s %10s %9s\n' "fault" injected "as 2nd" recovered "median s" "worst s"
	for k in $KINDS; do
		n=${INJECTED[$k]:-0}
		[ "$n" = 0 ] && [ "${SECOND[$k]:-0}" = 0 ] && continue
		r=$(printf '%s\n' "${RECOVERIES[@]}" | awk -v k="$k" '$1 == k' | wc -l)
		st=$(printf '%s\n' "${RECOVERIES[@]}" | awk -v k="$k" '$1 == k { print $2 }' | stats)
		# shellcheck disable=SC2086 # st: two words
		printf '%-16s %8s %8s %10s %10s %9s\n' "$k" "$n" "${SECOND[$k]:-0}" "$r" ${st}
	done
	st=$(printf '%s\n' "${RECOVERIES[@]}" | awk 'NF == 2 { print $2 }' | stats)
	# shellcheck disable=SC2086 # st: two words
	printf '%-16s %8s %8s %10s %10s %9s\n' "all steps" "$STEP_TOTAL" "" "$(printf '%s\n' "${RECOVERIES[@]}" | grep -c .)" ${st}
	printf '(a step of two faults is counted under its first kind, its second in "as 2nd";\n recovery: seconds from the first fault until every node, resource, address, guest\n and the LDAP writes are back)\n'
	fc=$(fence_counts 2>/dev/null)
	# shellcheck disable=SC2086 # fc: two words
	printf 'fencing: %s succeeded, %s failed attempts (each retried until it succeeded: every\n lost node came back)\n' ${fc:-? ?}
	w=$(acked_count)
	printf 'LDAP: %s writes acknowledged, %s failed or refused; lost: %s outside a node-loss window, %s inside one\n' \
		"$w" "$(wc -l <"$CLIENT/failed")" "$(grep -c ' write-lost ' "$OBS/violations" 2>/dev/null)" "${AT_RISK_LOST:-0}"
	printf 'observer: %s rounds\n' "$(awk '{ print $2 }' "$OBS/observer.alive" 2>/dev/null)"
	for g in "${GUESTS[@]}"; do
		printf 'guest %s: %s uptime readings, restarted %s times (its uptime went back)\n' "$g" \
			"$(awk '$2 != ""' "$OBS/uptime-$g" 2>/dev/null | wc -l)" "$(guest_restarts "$g")"
	done
	for a in $ADDRS "${GUEST_IP[@]}"; do
		printf 'pings to %s: longest gap %s s\n' "$a" "$(longest_gap "$a")"
	done
	printf 'invariant violations: %s\n' "$(grep -c . "$OBS/violations" 2>/dev/null)"
	printf 'agent timeouts: %s\n' "${TIMEOUTS:-0}"
}

# ---------------------------------------------------------------- the plan of a seed, no lab

if [ "$PLAN" = 1 ]; then
	for SEED in ${SEEDS//,/ }; do
		rng_seed "$SEED"
		for i in $(seq 1 "${FAULTS:-10}"); do
			draw_step
			printf 'seed %s step %s: %s' "$SEED" "$i" "$(describe "$S_KIND" "$S_NODE" "$S_ARG")"
			[ "$S_TWO" = 0 ] && printf '; %s s later: %s' "$S_DELAY" "$(describe "$S_KIND2" "$S_NODE2" "$S_ARG2")"
			printf '; pause %s s\n' "$S_PAUSE"
		done
	done
	exit 0
fi

# ---------------------------------------------------------------- the lab and its resources

for x in slapd slapadd slapcat ldapadd ldapsearch chronyd chronyc qemu-system-x86_64 libvirtd ipmi_sim ping wget; do
	command -v "$x" >/dev/null || [ -x "/usr/sbin/$x" ] || { echo "FAILED: $x is missing" >&2; exit 1; }
done
for a in vm vip ldap ntp; do
	[ -x "/usr/lib/ocf/resource.d/baton/$a" ] || { echo "FAILED: ocf:baton:$a not installed" >&2; exit 1; }
done
CACHE=$("$HERE/../vm/guest-image.sh") || { echo "FAILED: guest-image.sh" >&2; exit 1; }
ldap_client_init || { echo "FAILED: the client's directory" >&2; exit 1; }


echo "== chaos: seed(s) $SEEDS, ${FAULTS:+$FAULTS steps}${MINUTES:+$MINUTES minutes}, fault kinds: $KINDS"
echo "== a three-node lab cluster$([ "$REMOTES" -gt 0 ] && echo " and $REMOTES remote node(s)") with IPMI fencing, a libvirtd per node, $DATA per node"
RUN_T0=$SECONDS
if [ "$REMOTES" -gt 0 ]; then lab_up $N --remote "$REMOTES"; else lab_up $N; fi
trap on_exit EXIT
OBS=$LAB_DIR/chaos
# a previous run's files go: its flags of lifted faults would end this run's faults at once
rm -rf "$OBS"
mkdir -p "$OBS"
EVENTS=$OBS/events
: >"$EVENTS"
: >"$OBS/violations"
: >"$OBS/loss-windows"
SETUP=$SCENARIO_DIR/ldap-setup.sh
install -m 755 "$HERE/../ldap/setup.sh" "$SETUP" || { echo "FAILED: copy tests/ldap/setup.sh" >&2; exit 1; }
for k in $(seq 1 $N); do
	printf 'node%s# tests/ldap/setup.sh %s %s PASSWORD\n' "$k" "$DATA" "$k"
	lab "$k" "$SETUP" "$DATA" "$k" "$PASSWORD" >/dev/null || { echo "FAILED: slapd instance on node$k" >&2; exit 1; }
done
for k in $(seq 2 $N); do
	printf 'node1# slapcat -n1 -F %s/slapd.d | node%s# slapadd -q -n1 -F %s/slapd.d\n' "$DATA" "$k" "$DATA"
	lab 1 slapcat -n1 -F "$DATA/slapd.d" | lab "$k" slapadd -q -n1 -F "$DATA/slapd.d" ||
		{ echo "FAILED: seeding node$k's database" >&2; exit 1; }
done
VMCFG=
prev=
for g in "${GUESTS[@]}"; do
	# unknown_nmi_panic: an NMI hangs the kernel (guest-hang) while libvirt still says running
	BATON_TEST_CACHE=$CACHE BATON_VM_LOGDIR=/var/log/libvirt/qemu \
		"$HERE/../vm/guest-image.sh" xml "$g" $VM_MIB net $VM_MIB "${GUEST_IP[$g]}/24" |
		sed 's|<cmdline>console=ttyS0 quiet|<cmdline>console=ttyS0 quiet unknown_nmi_panic=1|' >"$SCENARIO_DIR/$g.xml"
	grep -q unknown_nmi_panic=1 "$SCENARIO_DIR/$g.xml" || { echo "FAILED: domain XML for $g" >&2; exit 1; }
	VMCFG+="primitive $g ocf:baton:vm params config=$SCENARIO_DIR/$g.xml host_memory=$HOST_MIB host_reserve=0 target_memory=$VM_MIB min_memory=$VM_MIN migration_transport=tcp op start timeout=90s op stop timeout=90s op migrate_to timeout=120s op migrate_from timeout=60s op monitor interval=10s timeout=30s OCF_CHECK_LEVEL=10 meta allow-migrate=true"$'\n'
	# the next guest follows this one (and starts after it: the second start balloons)
	[ -n "$prev" ] && VMCFG+="colocation $g-with-$prev 50: $g $prev"$'\n'"order $prev-before-$g Optional: $prev $g"$'\n'
	prev=$g
done
# every ldap instance at its node's address: promote catches up from them when
# the provider does not answer (a replica cut off from it by a split)
PEER_URIS=$(for k in $(seq 1 "$N"); do printf 'ldap://%s.%s/ ' "$NET" "$k"; done)
PEER_URIS=${PEER_URIS% }
# slapd and chronyd instances are set up on the full nodes only
REMOTE_CFG=
[ "$REMOTES" -gt 0 ] && REMOTE_CFG="location ldap-on-full-nodes ldap-clone rule -inf: #kind ne cluster
location ntp-on-full-nodes ntp-clone rule -inf: #kind ne cluster
"
# failure-timeout: a failed start bans a resource from its node (start-failure-is-fatal);
# without it, many faults would ban everything everywhere
crm_config 1 <<EOF || { echo "FAILED: crm configure" >&2; exit 1; }
primitive ldap ocf:baton:ldap params config=$DATA/slapd.d suffix=$SUFFIX bind_dn=$ROOTDN password_file=$DATA/password provider_uri=ldap://$LDAP_IP/ peer_uris="$PEER_URIS" services=ldap:/// op start timeout=30s op stop timeout=30s op promote timeout=30s op demote timeout=30s op notify timeout=20s op monitor role=Promoted interval=5s timeout=20s op monitor role=Unpromoted interval=6s timeout=20s
clone ldap-clone ldap meta promotable=true promoted-max=1 clone-max=$N notify=true
primitive ldap-ip ocf:baton:vip params ip=$LDAP_IP cidr_netmask=24 nic=br0 op monitor interval=5s timeout=20s
colocation ldap-ip-with-primary inf: ldap-ip ldap-clone:Promoted
order ldap-ip-after-promote Mandatory: ldap-clone:promote ldap-ip:start
primitive ntp ocf:baton:ntp params control_clock=false primary_address=$NTP_IP primary_poll=-2 local_stratum=8 allow=$NET.0/24 op start timeout=30s op stop timeout=30s op promote timeout=30s op demote timeout=30s op monitor role=Promoted interval=5s timeout=20s op monitor role=Unpromoted interval=6s timeout=20s
clone ntp-clone ntp meta promotable=true promoted-max=1 clone-max=$N
primitive ntp-ip ocf:baton:vip params ip=$NTP_IP cidr_netmask=24 nic=br0 op monitor interval=5s timeout=20s
colocation ntp-ip-with-primary inf: ntp-ip ntp-clone:Promoted
order ntp-ip-after-promote Mandatory: ntp-clone:promote ntp-ip:start
primitive free-ip ocf:baton:vip params ip=$FREE_IP cidr_netmask=24 nic=br0 op monitor interval=5s timeout=20s
${VMCFG}${REMOTE_CFG}rsc_defaults resource-stickiness=100 failure-timeout=60s
EOF
# the baton resources and fence devices, for the timeout grep
RSC_RE="(ldap|ntp|ldap-ip|ntp-ip|free-ip|fence-node[0-9]|$(IFS='|'; echo "${GUESTS[*]}"))[_: ]"
recovered() { [ -z "$(not_recovered)" ]; }
# shellcheck disable=SC2143 # (grep -q would end not_recovered early: SIGPIPE)
cluster_up() { [ -z "$(not_recovered | grep -v -e '^guest ' -e '^no LDAP write')" ]; }
wait_for 240 "every node online, every resource running, each address on one node" cluster_up
STEP_T0=$(now)
load_start
observer >"$OBS/observer.log" 2>&1 &
OBSERVER=$!
wait_for 120 "the guests answer, the LDAP writes are acknowledged" recovered
show 1 crm_mon -1
TIMEOUTS=0
check_timeouts
violated && stop_run "before the first fault"

# ---------------------------------------------------------------- the steps

# wait until recovered (then RECOVERED=seconds since STEP_T0) or the bound; a violation stops
wait_recovery() { # BOUND
	local end=$(($(usec) + $1 * 1000000)) why
	RECOVERED=
	while :; do
		observer_alive || violation observer-dead "no round of the observer for 10 s"
		violated && stop_run "$(head -n 1 "$OBS/violations" | cut -d' ' -f2-)"
		if faults_over; then why=$(not_recovered); else why="the fault is not over"; fi
		if [ -z "$why" ]; then
			RECOVERED=$(echo "$(now) - $STEP_T0" | bc)
			return 0
		fi
		if [ "$(usec)" -gt "$end" ]; then
			violation not-recovered "after $1 s: $(tr '\n' ';' <<<"$why")"
			stop_run "not recovered within $1 s"
		fi
		sleep 1
	done
}

STEP_TOTAL=0
run_seed() { # SEED
	local kind node arg kind2 node2 arg2 delay pause bound two k
	SEED=$1
	rng_seed "$SEED"
	local i=0 t_end=
	[ -n "$MINUTES" ] && t_end=$((SECONDS + MINUTES * 60))
	echo
	echo "== seed $SEED"
	while :; do
		if [ -n "$FAULTS" ]; then [ "$i" -lt "$FAULTS" ] || break; else [ "$SECONDS" -lt "$t_end" ] || break; fi
		i=$((i + 1))
		STEP=$i
		STEP_TOTAL=$((STEP_TOTAL + 1))
		draw_step
		kind=$S_KIND node=$S_NODE arg=$S_ARG two=$S_TWO delay=$S_DELAY pause=$S_PAUSE
		kind2=$S_KIND2 node2=$S_NODE2 arg2=$S_ARG2
		echo
		echo "== step $i (seed $SEED)$([ "$two" = 0 ] && echo ": two faults, $delay s apart")"
		INJECTED[$kind]=$((${INJECTED[$kind]:-0} + 1))
		STEP_T0=$(now)
		PENDING=()
		bound=$((BOUND + $(duration "$kind" "$arg")))
		inject "$kind" "$node" "$arg"
		if [ "$two" = 0 ]; then
			sleep "$delay"
			SECOND[$kind2]=$((${SECOND[$kind2]:-0} + 1))
			inject "$kind2" "$node2" "$arg2"
			bound=$((bound + delay + $(duration "$kind2" "$arg2")))
		fi
		wait_recovery "$bound"
		event "recovered after $RECOVERED s"
		RECOVERIES+=("$kind $RECOVERED")
		check_writes
		check_memory
		check_timeouts
		violated && stop_run "$(head -n 1 "$OBS/violations" | cut -d' ' -f2-)"
		sleep "$pause"
	done
}

for s in ${SEEDS//,/ }; do run_seed "$s"; done
writer_stop
touch "$OBS/stop"
check_writes
check_timeouts
violated && stop_run "$(head -n 1 "$OBS/violations" | cut -d' ' -f2-)"
show 1 crm_mon -1 --failcounts
show_table
echo
echo "result: $STEP_TOTAL steps, 0 invariant violations, 0 agent timeouts"
