#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario: many service addresses over 3 nodes, no single point of failure.
#
# Six ocf:baton:vip addresses (10.98.0.101-106/24 on eth0) spread two per node: each VIP
# prefers a home node (location score 10: vip1+vip4 node1, vip2+vip5 node2, vip3+vip6
# node3), every node has room for 4 (utilization vips=4, each VIP uses 1) and
# placement-strategy=balanced splits homeless VIPs evenly over the nodes with room.
# Then node3 (VICTIM), home of vip3 and vip6, crashes. Expected: it is lost and fenced, its
# two VIPs start one on each survivor (3 + 3; the four others do not move), each new owner
# announces its VIP by gratuitous ARP (seen in the management namespace with the new
# owner's MAC) and every VIP answers ping again; no address is ever on two nodes at once.
# Fencing reboots the node; policy: resource-stickiness=0, so when the node is back its two
# VIPs fail back to it (a second short move) and the spread is 2 + 2 + 2 again.
#
# Needs root, tcpdump, ipmi_sim and the installed agents. LAB_NAME (blvip) keeps this lab
# apart from others; LAB_KEEP=1 leaves it up; VICTIM=K crashes node K (3).
set -uo pipefail

LAB_NAME=${LAB_NAME:-blvip}
VICTIM=${VICTIM:-3}
. "$(dirname "$0")/scenario-lib.sh"

NODES=3
VIPS=(1 2 3 4 5 6)
SURVIVORS=$(seq 1 $NODES | grep -vx "$VICTIM" | tr '\n' ' ')
OBS=${SURVIVORS%% *}   # the observer: the first survivor
vip_ip() { echo "10.98.0.10$1"; }
home() { echo $(( ($1 - 1) % NODES + 1 )); }   # vip1,4 -> node1; vip2,5 -> node2; vip3,6 -> node3

WORK=   # the watchers' records (made once the lab is up)
TCPDUMP_PID=
SAMPLER_PID=
stop_bg() {
	[ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
	[ -n "$TCPDUMP_PID" ] && kill "$TCPDUMP_PID" 2>/dev/null && wait "$TCPDUMP_PID" 2>/dev/null
	SAMPLER_PID='' TCPDUMP_PID=''
	return 0
}
on_exit() {
	local rc=$?
	stop_bg
	if [ "$rc" != 0 ]; then   # what the watchers saw last, for the reader of a failure
		echo "VIPs on the nodes' eth0 now: $(for k in $(seq 1 $NODES); do printf 'node%s: %s ' "$k" "$(names "$(vips_on "$k")")"; done)" >&2
		[ -s "$WORK/samples" ] && { echo "last address samples:"; tail -n 10 "$WORK/samples"; } >&2
		[ -s "$WORK/arp" ] && { echo "last ARP frames on the bridge:"; tail -n 20 "$WORK/arp"; } >&2
	fi
	[ -n "$WORK" ] && rm -rf "$WORK"
	(exit "$rc")
	lab_down_on_exit   # scenario-lib: takes the lab down (unless LAB_KEEP=1), exits with rc
}

# ---- what the kernels say (read from the host through each node's net namespace; the
# namespace outlives a crashed node, its eth0 then has no address at all)
vips_on() { # K: the VIP numbers configured on node K's eth0
	ip -n "$LAB_NAME$1" -4 -o addr show dev eth0 2>/dev/null |
		sed -n 's|.* 10\.98\.0\.10\([1-6]\)/.*|\1|p' | sort | tr '\n' ' '
}
names() { local v out=(); for v in $1; do out+=("vip$v"); done; echo "${out[*]}"; }   # "3 6" -> "vip3 vip6"
holders() { # V: the nodes whose eth0 has VIP V
	local k
	for k in $(seq 1 $NODES); do
		[[ " $(vips_on "$k")" == *" $1 "* ]] && printf '%s ' "$k"
	done
}
mac_of() { ip -n "$LAB_NAME$1" -o link show dev eth0 | sed -n 's|.*link/ether \([0-9a-f:]*\) .*|\1|p'; }

# One line per sample, every 0.1 s until killed: "TIME n1=1 4 ;n2=2 5 ;n3=3 6 ;n2=2 5 ;n1=1 4 ;".
# The nodes are read one after the other, forwards then backwards: a VIP that moves from A to
# B between the reads of A and of B shows on both in one direction only, a VIP that really is
# on both at once shows on both in both directions (see no_sample_with_duplicates).
sampler() {
	local k line
	while :; do
		line=""
		for k in $(seq 1 $NODES) $(seq $((NODES - 1)) -1 1); do line+="n$k=$(vips_on "$k");"; done
		echo "$(now) $line"   # the time after the reads: "seen by then"
		sleep 0.1
	done
}
# node numbers that held VIP V in samples taken after T0 (in order of first appearance)
sampled_holders() {
	awk -v t0="$T0" -v v="$1" '$1 >= t0 {
		n = split(substr($0, index($0, " ") + 1), f, ";")
		for (i = 1; i <= n; i++) {
			split(f[i], kv, "="); k = substr(kv[1], 2)
			if ((" " kv[2] " ") ~ (" " v " ") && !(k in seen)) { seen[k] = 1; printf "%s ", k }
		}
	}' "$WORK/samples"
}
# host time of the first sample after time S (default T0) with VIP V on node K
first_sample() {
	awk -v t0="${3:-$T0}" -v v="$1" -v k="n$2" '$1 >= t0 {
		n = split(substr($0, index($0, " ") + 1), f, ";")
		for (i = 1; i <= n; i++) { split(f[i], kv, "="); if (kv[1] == k && (" " kv[2] " ") ~ (" " v " ")) { print $1; exit } }
	}' "$WORK/samples"
}
no_sample_with_duplicates() {
	awk '{
		n = split(substr($0, index($0, " ") + 1), f, ";")
		delete at; delete seen; delete ord
		for (i = 1; i <= n; i++) {
			split(f[i], kv, "="); m = split(kv[2], vs, " ")
			for (j = 1; j <= m; j++) { at[vs[j], ++seen[vs[j]]] = kv[1] }
		}
		for (v in seen)
			for (i = 1; i <= seen[v]; i++)
				for (j = i + 1; j <= seen[v]; j++)
					if (at[v, i] != at[v, j]) {
						ord[v, at[v, i], at[v, j]] = 1
						if ((v, at[v, j], at[v, i]) in ord) {
							print "sample at " $1 ": 10.98.0.10" v " on " at[v, i] " and " at[v, j] ": " $0; bad = 1
						}
					}
	} END { exit bad }' "$WORK/samples" >&2
}

# ---- what the cluster says
declare -F logged >/dev/null || logged() { [ -n "$(log_time "$1" "$2")" ]; }   # scenario-lib has it
crm_node_online() { lab "$1" crm_mon -1 --output-as=xml 2>/dev/null | grep -q "<node name=\"node$2\" .*online=\"$3\""; }
fence_successes() { lab "$1" stonith_admin --history "node$2" --verbose --output-as=xml 2>/dev/null | grep -c 'status="success"'; }
fenced_since() { [ "$(fence_successes "$1" "$2")" -gt "$3" ]; }

# ---- what the network says (management namespace, the lab's switch)
answers() { "$LAB" peer ping -c 1 -W 1 -q "$(vip_ip "$1")" >/dev/null 2>&1; }
all_answer() { local v; for v in "${VIPS[@]}"; do answers "$v" || return 1; done; }
# host time of the first gratuitous ARP (request "who-has V tell V" or reply "V is-at") for
# VIP V from MAC M captured after time S
garp_time() {
	local ip; ip=$(vip_ip "$1")
	awk -v s="$3" -v mac="$2" -v req="who-has $ip tell $ip," -v rep="Reply $ip is-at $2," \
		'$1 >= s && $2 == mac && (index($0, req) || index($0, rep)) { print $1; exit }' "$WORK/arp"
}
garp_seen() { [ -n "$(garp_time "$@")" ]; }
neigh_is() { # V MAC: the management namespace's neighbour entry for VIP V has MAC
	"$LAB" peer ip neigh show "$(vip_ip "$1")" dev "br-$LAB_NAME" | grep -q " lladdr $2 "
}

# ---- placement checks
cluster_placement() { # "V@K ..." of the started VIPs as node K's crm_mon sees them, one call
	lab "$1" crm_mon -1 --output-as=xml 2>/dev/null | awk '
		/<resource id="vip[0-9]+" .*role="Started"/ { match($0, /id="vip[0-9]+"/); v = substr($0, RSTART + 7, RLENGTH - 8) }
		/<\/resource>/ { v = "" }
		v != "" && /<node name="node[0-9]+"/ { match($0, /name="node[0-9]+"/); printf "%s@%s ", v, substr($0, RSTART + 10, RLENGTH - 11) }'
}
kernel_placement() { local v; for v in "${VIPS[@]}"; do for k in $(holders "$v"); do printf '%s@%s ' "$v" "$k"; done; done; }
placement_is() { # "V@K ..." for every VIP (in VIP order): what the kernels and the cluster say
	[ "$(kernel_placement)" = "$1" ] && [ "$(cluster_placement "$OBS")" = "$1" ]
}
home_placement() { local v; for v in "${VIPS[@]}"; do printf '%s@%s ' "$v" "$(home "$v")"; done; }
placement_text() { # "1@1 4@1 ..." -> "node1: vip1 vip4, ..."
	local k item l txt=""
	for k in $(seq 1 $NODES); do
		l=""
		for item in $1; do [ "${item#*@}" = "$k" ] && l+=" vip${item%@*}"; done
		txt+="${txt:+, }node$k:$l"
	done
	echo "$txt"
}
each_vip_on_one_node() {
	local v h kp cp
	for v in "${VIPS[@]}"; do
		h=$(holders "$v")
		[ "$(wc -w <<<"$h")" = 1 ] || { echo "vip$v on nodes: ${h:-none}" >&2; return 1; }
	done
	kp=$(kernel_placement) cp=$(cluster_placement "$OBS")
	[ "$kp" = "$cp" ] || { echo "kernel says $kp, cluster says $cp" >&2; return 1; }
}
per_node_count_is() { # K N
	[ "$(wc -w <<<"$(vips_on "$1")")" = "$2" ]
}

# ====================================================================================
lab_up $NODES
trap on_exit EXIT
WORK=$(mktemp -d /tmp/scenario-vips.XXXXXX) || exit 1
for x in tcpdump ping; do command -v "$x" >/dev/null || { echo "FAILED: needs $x" >&2; exit 1; }; done

echo
echo "== six VIPs, two per node: a home node each, room for four per node, balanced placement"
{
	echo "property placement-strategy=balanced"
	echo "rsc_defaults resource-stickiness=0"
	for k in $(seq 1 $NODES); do echo "node node$k utilization vips=4"; done
	for v in "${VIPS[@]}"; do
		echo "primitive vip$v ocf:baton:vip params ip=$(vip_ip "$v") cidr_netmask=24 nic=eth0 arp_count=5 op monitor interval=5s timeout=20s utilization vips=1"
	done
	for v in "${VIPS[@]}"; do echo "location vip$v-home vip$v 10: node$(home "$v")"; done
} | crm_config 1 || { echo "FAILED: crm configure" >&2; exit 1; }

HOME_PLACEMENT=$(home_placement)
wait_for 60 "every VIP started on its home node ($(placement_text "$HOME_PLACEMENT"))" placement_is "$HOME_PLACEMENT"
show 1 crm_mon -1
check "each VIP is on exactly one node (kernel and cluster agree)" each_vip_on_one_node
for k in $(seq 1 $NODES); do check "node$k holds two VIPs: $(names "$(vips_on "$k")")" per_node_count_is "$k" 2; done
echo "mgmt# for v in 101 102 103 104 105 106; do ping -c 1 -W 1 10.98.0.\$v; done"
check "every VIP answers ping from the management namespace" all_answer

echo
echo "== watching: ARP on the bridge (tcpdump in $LAB_MGMT_NETNS), addresses on every node (0.1 s)"
# what "lab-cluster.sh peer" runs, without the wrapper: $! is tcpdump itself (ip execs it)
ip netns exec "$LAB_MGMT_NETNS" tcpdump -l -n -e -tt -i "br-$LAB_NAME" arp >"$WORK/arp" 2>"$WORK/tcpdump.err" &
TCPDUMP_PID=$!
wait_for 10 "tcpdump is capturing on br-$LAB_NAME" grep -q 'listening on' "$WORK/tcpdump.err"
sampler >"$WORK/samples" &
SAMPLER_PID=$!

MOVED=$(vips_on "$VICTIM")
check "node$VICTIM holds VIPs before the crash: $(names "$MOVED")" test -n "$MOVED"
declare -A MAC
for k in $(seq 1 $NODES); do MAC[$k]=$(mac_of "$k"); done
FENCED_BEFORE=$(fence_successes "$OBS" "$VICTIM")

echo
echo "== crash node$VICTIM (holds $(names "$MOVED"))"
t0
"$LAB" kill "$VICTIM"

# What happened is read from records that stay (pacemaker.log, stonith history, the samples,
# the capture), not from the live state: the node is back and takes its VIPs back a few
# seconds after the fencing, sooner than a loaded machine may get round to looking.
wait_for 30 "node$VICTIM lost (node$OBS's log)" logged "$OBS" "pacemaker-controld.*Node node$VICTIM state is now lost"
wait_for 30 "fencing of node$VICTIM confirmed (stonith history on node$OBS)" fenced_since "$OBS" "$VICTIM" "$FENCED_BEFORE"

declare -A OWNER
survivor_of() { # V: the first survivor that held V since t0 (samples)
	local k
	for k in $(sampled_holders "$1"); do [ "$k" != "$VICTIM" ] && { echo "$k"; return 0; }; done
	return 1
}
for v in $MOVED; do
	wait_for 30 "vip$v started on a survivor (address samples)" survivor_of "$v"
	OWNER[$v]=$(survivor_of "$v")
	echo "   vip$v went to node${OWNER[$v]} (eth0 MAC ${MAC[${OWNER[$v]}]})"
done
for v in $MOVED; do
	k=${OWNER[$v]}
	wait_for 5 "gratuitous ARP for $(vip_ip "$v") from node$k's MAC ${MAC[$k]} seen in the management namespace" \
		garp_seen "$v" "${MAC[$k]}" "$T0"
	wait_for 2 "the management namespace's ARP cache maps $(vip_ip "$v") to node$k's MAC" \
		neigh_is "$v" "${MAC[$k]}"
done
echo "mgmt# for v in 101 102 103 104 105 106; do ping -c 1 -W 1 10.98.0.\$v; done"
wait_for 10 "every VIP answers ping again" all_answer
T_ANSWER=$(now)
for v in $MOVED; do
	k=${OWNER[$v]}
	wait_for 10 "the cluster started vip$v on node$k (node$k's log: start ok)" \
		logged "$k" "Result of start operation for vip$v on node$k: ok"
done
distinct_owners() { [ "$(printf '%s\n' "${OWNER[@]}" | sort -u | wc -l)" = "${#OWNER[@]}" ]; }
check "the VIPs of node$VICTIM went to different survivors (two nodes with three VIPs each)" distinct_owners
stayed_home() {
	local v
	for v in "${VIPS[@]}"; do
		[[ " $MOVED" == *" $v "* ]] && continue
		[ "$(sampled_holders "$v")" = "$(home "$v") " ] || { echo "vip$v was on nodes: $(sampled_holders "$v")" >&2; return 1; }
	done
}
check "the VIPs of the survivors did not move (every sample since the crash)" stayed_home
show "$OBS" crm_mon -1

echo
echo "== node$VICTIM comes back (fencing rebooted it); policy: stickiness 0, its VIPs fail back"
wait_for 60 "node$VICTIM online again (seen from node$OBS)" crm_node_online "$OBS" "$VICTIM" true
wait_for 30 "every VIP on its home node again ($(placement_text "$HOME_PLACEMENT"))" placement_is "$HOME_PLACEMENT"
T_BACK=$(now)
for v in $MOVED; do
	wait_for 5 "gratuitous ARP for $(vip_ip "$v") from node$VICTIM's MAC ${MAC[$VICTIM]} seen after the failback" \
		garp_seen "$v" "${MAC[$VICTIM]}" "$T0"
done
wait_for 10 "every VIP answers ping after the failback" all_answer
T_ANSWER2=$(now)
check "each VIP is on exactly one node (kernel and cluster agree)" each_vip_on_one_node
for k in $(seq 1 $NODES); do check "node$k holds two VIPs: $(names "$(vips_on "$k")")" per_node_count_is "$k" 2; done
show 1 crm_mon -1

stop_bg
NSAMPLES=$(wc -l <"$WORK/samples")
check "no address on two nodes at once in any of $NSAMPLES samples (every 0.1 s, since before the crash; nodes read forwards and backwards)" \
	no_sample_with_duplicates
check "the samples cover the whole failover and failback ($NSAMPLES >= 50)" test "$NSAMPLES" -ge 50

# ---- timeline (t0 = the kill)
mark_at() { # EVENT TIME: a mark, or a note that the event was not found
	if [ -n "$2" ]; then mark "$1" "$2"; else MARKS+=("       ?    $1 (time not found)"); fi
}
mark_at "node$VICTIM killed" "$T0"
mark_at "node$VICTIM lost (node$OBS's controller)" "$(log_time "$OBS" "pacemaker-controld.*Node node$VICTIM state is now lost")"
earliest_log() { # PATTERN: the earliest log_time of PATTERN over the survivors' logs
	local k t best=""
	for k in $SURVIVORS; do
		t=$(log_time "$k" "$1") || continue
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
# the fencer that ran the device logs "... returned 0" first; the others log "...: OK"
mark_at "node$VICTIM fenced (reboot done)" \
	"$(earliest_log "Operation 'reboot' (\[[0-9]+\] )?targeting node$VICTIM (using .* returned 0|by .*: OK)")"
for v in $MOVED; do
	k=${OWNER[$v]}
	mark_at "vip$v address seen on node$k (0.1 s samples)" "$(first_sample "$v" "$k")"
	mark_at "vip$v gratuitous ARP from node$k seen" "$(garp_time "$v" "${MAC[$k]}" "$T0")"
	mark_at "vip$v start ok on node$k" "$(log_time "$k" "Result of start operation for vip$v on node$k: ok")"
done
mark_at "all VIPs answer ping" "$T_ANSWER"
mark_at "node$VICTIM member again (node$OBS's controller)" "$(log_time "$OBS" "pacemaker-controld.*Node node$VICTIM state is now member")"
for v in $MOVED; do
	k=${OWNER[$v]}
	t=$(first_sample "$v" "$k")
	mark_at "vip$v address seen on node$VICTIM again" "$(first_sample "$v" "$VICTIM" "${t:-$T0}")"
	mark_at "vip$v gratuitous ARP from node$VICTIM seen" "$(garp_time "$v" "${MAC[$VICTIM]}" "${t:-$T0}")"
done
mark_at "all VIPs home, 2 per node" "$T_BACK"
mark_at "all VIPs answer ping after the failback" "$T_ANSWER2"
timeline
echo
echo "scenario vips: PASSED"
