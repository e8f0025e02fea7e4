#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scenario-switch.sh - a running cluster moves from the standard agents to baton, under load,
# with nothing restarted; then a node dies and the failover runs on baton's agents.
#
# Two nodes with IPMI fencing through fence_ipmilan, each with its own libvirtd and a bridge
# on the lab network. The standard stack: two guests with ocf:heartbeat:VirtualDomain (web on
# node1, db on node2, each answering HTTP on its own lab address), one slapd with
# ocf:heartbeat:slapd and its service address (ocf:heartbeat:IPaddr2) on node1, and a second
# IPaddr2 address that follows the web guest. Under load - the management namespace pings both
# addresses every 0.1 s, writes numbered entries to the directory without pause, and reads each
# guest's uptime every second - baton-switch shows its plan, then moves every resource and
# fence device with --apply. Checked: no guest rebooted (its uptime never goes back), no
# address answered nothing for more than 1 s, every acknowledged write is in the directory, and
# neither node's Pacemaker log has a stop or a start of a moved resource (the fence devices
# are registered once more: Pacemaker's executor reports a refreshed device stopped). Then
# node1 is killed: node2 fences it with fence_baton_ipmi and starts the web guest, slapd and
# both addresses with ocf:baton:vm, ldap and vip.
#
# Prints every command a user would type, the checks and a timeline. Exit 0 only if every
# check passed. LAB_KEEP=1 leaves the lab running; LAB_NAME (blsw) names its namespaces.
# Needs root, the installed baton packages (baton-switch among them), resource-agents,
# fence-agents, libvirtd + QEMU, slapd + ldap-utils, ipmi_sim and the test guest images.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
LAB_NAME=${LAB_NAME:-blsw}
LAB_LIBVIRT=1
LAB_GUEST_NET=1
LAB_FENCE=ipmilan
LAB_BOOT_DELAY=${LAB_BOOT_DELAY:-15}   # node1 stays dead while node2 takes over
# slapd's configuration and database: private to each node, same path on both
DATA=/var/lib/baton-lab-$LAB_NAME
# shellcheck disable=SC2034 # exported by scenario-lib.sh
LAB_NODE_DIRS=$DATA
# shellcheck source=tests/lab/scenario-lib.sh
source "$HERE/scenario-lib.sh"
# shellcheck source=tests/lab/ldap-client.bash
source "$HERE/ldap-client.bash"

NET=10.98.0
LDAP_IP=$NET.100
WEB_IP=$NET.101
PASSWORD=lab-ldap-secret
GUEST_MIB=128
declare -A GUEST_IP=([web]=$NET.150 [db]=$NET.151)
MOVED="web db ip-ldap ip-web slapd"     # the services: none may be stopped or started
FENCES="fence-node1 fence-node2"

for x in slapd slapadd slapcat slappasswd ldapadd ldapsearch qemu-system-x86_64 fence_ipmilan \
	baton-switch; do
	command -v "$x" >/dev/null || [ -x "/usr/sbin/$x" ] || { echo "FAILED: $x is missing" >&2; exit 1; }
done
for a in heartbeat/VirtualDomain heartbeat/IPaddr2 heartbeat/slapd baton/vm baton/vip baton/ldap; do
	[ -x "/usr/lib/ocf/resource.d/$a" ] || { echo "FAILED: ocf:${a/\//:} is not installed" >&2; exit 1; }
done
CACHE=$("$HERE/../vm/guest-image.sh") || { echo "FAILED: guest-image.sh" >&2; exit 1; }
ldap_client_init || { echo "FAILED: the client's directory" >&2; exit 1; }
LOAD=$(mktemp -d /tmp/baton-switch-load.XXXXXX) || exit 1

on_exit() {
	local rc=$?
	load_stop
	writer_kill
	ldap_client_cleanup
	case $LOAD in /tmp/baton-switch-load.?*) rm -rf "$LOAD" ;; esac
	if [ "$LAB_KEEP" != 1 ]; then
		if [ "$rc" = 0 ]; then "$LAB" down --purge; else "$LAB" down; fi >/dev/null 2>&1
		rmdir "$DATA" 2>/dev/null   # the empty mount point the nodes made on the host
	fi
	(exit "$rc")
	lab_down_on_exit
}

# ---------------------------------------------------------------- helpers

http() { "$LAB" peer wget -q -T 2 -O - "http://$1/$2" 2>/dev/null; }   # ADDR PATH
uptime_of() { http "${GUEST_IP[$1]}" cgi-bin/uptime | awk '{print $1}'; }
answers() { [ -n "$(uptime_of "$1")" ]; }
ip_on() { lab "$1" ip -o -4 addr show | grep -q " $2/24 "; }
located_on() { [ "$(where 1 "$1")" = "node$2" ]; }
agent_of() { # RSC: class[:provider]:type of its definition in the CIB, seen from node 1
	local head c p t
	head=$(lab 1 cibadmin --query --xpath "//primitive[@id='$1']" 2>/dev/null | head -n 1)
	c=$(sed -n 's/.* class="\([^"]*\)".*/\1/p' <<<"$head")
	p=$(sed -n 's/.* provider="\([^"]*\)".*/\1/p' <<<"$head")
	t=$(sed -n 's/.* type="\([^"]*\)".*/\1/p' <<<"$head")
	echo "$c${p:+:$p}:$t"
}
agent_is() { [ "$(agent_of "$1")" = "$2" ]; }
# "Initiating start|stop operation RSC_start_0|RSC_stop_0" on node K's log since t0, one per line
starts_stops() {
	local k=$1 rsc=$2
	grep -E "Initiating (start|stop) operation ${rsc}_(start|stop)_0" \
		"$LAB_DIR/node$k/log/pacemaker/pacemaker.log" 2>/dev/null |
		while read -r mon day hms rest; do
			stamp=$(date -d "$mon $day $hms" +%s.%N 2>/dev/null) || continue
			[ "$(echo "$stamp >= $T0" | bc)" = 1 ] && echo "node$k: $hms $rest"
		done
}

# The load: a ping every 0.1 s to each address, each guest's uptime every second.
LOAD_PIDS=()
load_start() {
	local a g
	for a in $LDAP_IP $WEB_IP; do
		"$LAB" peer ping -n -D -i 0.1 -W 1 "$a" >"$LOAD/ping-$a" 2>&1 &
		LOAD_PIDS+=($!)
	done
	for g in web db; do
		(
			while [ ! -e "$LOAD/stop" ]; do
				echo "$(now) $(uptime_of "$g")" >>"$LOAD/uptime-$g"
				sleep 1
			done
		) &
		LOAD_PIDS+=($!)
	done
}
load_stop() {
	local p
	touch "$LOAD/stop" 2>/dev/null
	# the pings run in the lab's management namespace, children of "lab-cluster.sh peer"
	pkill -f "ping -n -D -i 0.1 -W 1 $NET" 2>/dev/null
	for p in "${LOAD_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	LOAD_PIDS=()
}
# the longest time between two answers to the pings of ADDR, in seconds
longest_gap() {
	sed -n 's/^\[\([0-9.]*\)\] .* bytes from .*/\1/p' "$LOAD/ping-$1" |
		awk 'NR > 1 && $1 - prev > max { max = $1 - prev } { prev = $1 } END { printf "%.2f\n", max }'
}
gap_under() { [ "$(echo "$(longest_gap "$1") <= $2" | bc)" = 1 ]; }
# every reading of the guest's uptime is larger than the one before (an empty reading, a
# moment the guest did not answer, is skipped: it is the pings' business)
uptime_monotonic() {
	awk '$2 != "" { if (n++ && $2 <= prev) { print "went back: " prev " -> " $2; bad = 1 } prev = $2 }
	     END { exit bad }' "$LOAD/uptime-$1"
}
readings() { awk '$2 != ""' "$LOAD/uptime-$1" | wc -l; }

# ---------------------------------------------------------------- the lab and the standard stack

echo "== a two-node lab cluster fenced with fence_ipmilan; a libvirtd per node; $DATA per node"
lab_up 2
trap on_exit EXIT
SETUP=$SCENARIO_DIR/ldap-setup.sh
install -m 755 "$HERE/../ldap/setup.sh" "$SETUP" || { echo "FAILED: copy tests/ldap/setup.sh" >&2; exit 1; }
for k in 1 2; do
	printf 'node%s# tests/ldap/setup.sh %s %s PASSWORD\n' "$k" "$DATA" "$k"
	lab "$k" "$SETUP" "$DATA" "$k" "$PASSWORD" >/dev/null || { echo "FAILED: slapd instance on node$k" >&2; exit 1; }
done
# node2's slapd takes over with a copy of node1's directory as it was set up (no replication
# here: the writes of node1's slapd stay on node1, as with the standard agent)
printf 'node1# slapcat -n1 -F %s/slapd.d | node2# slapadd -q -n1 -F %s/slapd.d\n' "$DATA" "$DATA"
lab 1 slapcat -n1 -F "$DATA/slapd.d" | lab 2 slapadd -q -n1 -F "$DATA/slapd.d" ||
	{ echo "FAILED: seeding node2's database" >&2; exit 1; }
# the guests' domain XML: files both nodes read; serial consoles in each node's /var/log
for g in web db; do
	BATON_TEST_CACHE=$CACHE BATON_VM_LOGDIR=/var/log/libvirt/qemu \
		"$HERE/../vm/guest-image.sh" xml "$g" "$GUEST_MIB" net "$GUEST_MIB" "${GUEST_IP[$g]}/24" \
		>"$SCENARIO_DIR/$g.xml" || { echo "FAILED: domain XML for $g" >&2; exit 1; }
done

echo
echo "== the standard stack: VirtualDomain, IPaddr2, slapd, fence_ipmilan"
VD="hypervisor=qemu:///system migration_transport=tcp autoset_utilization_cpu=false autoset_utilization_hv_memory=false autoset_utilization_host_memory=false"
crm_config 1 <<EOF
primitive web ocf:heartbeat:VirtualDomain params config=$SCENARIO_DIR/web.xml $VD op start timeout=90s op stop timeout=90s op monitor interval=10s timeout=30s
primitive db ocf:heartbeat:VirtualDomain params config=$SCENARIO_DIR/db.xml $VD op start timeout=90s op stop timeout=90s op monitor interval=10s timeout=30s
primitive ip-web ocf:heartbeat:IPaddr2 params ip=$WEB_IP cidr_netmask=24 nic=br0 op monitor interval=10s timeout=20s
primitive slapd ocf:heartbeat:slapd params slapd=/usr/sbin/slapd config=$DATA/slapd.d services=ldap:/// bind_dn=$ROOTDN password=$PASSWORD op start timeout=30s op stop timeout=30s op monitor interval=10s timeout=20s
primitive ip-ldap ocf:heartbeat:IPaddr2 params ip=$LDAP_IP cidr_netmask=24 nic=br0 op monitor interval=10s timeout=20s
group ldap-grp slapd ip-ldap
colocation ip-web-with-web inf: ip-web web
order ip-web-after-web Mandatory: web ip-web
location web-home web 100: node1
location db-home db 100: node2
location ldap-home ldap-grp 100: node1
rsc_defaults resource-stickiness=200
EOF
wait_for 120 "web runs on node1 and answers" located_on web 1
wait_for 120 "db runs on node2" located_on db 2
wait_for 120 "the web guest answers at ${GUEST_IP[web]}" answers web
wait_for 120 "the db guest answers at ${GUEST_IP[db]}" answers db
wait_for 60 "slapd runs on node1 with $LDAP_IP" ip_on 1 "$LDAP_IP"
wait_for 60 "$WEB_IP follows web to node1" ip_on 1 "$WEB_IP"
"$LAB" settle 120 >/dev/null
show 1 crm_mon -1

echo
echo "== the load: pings to $LDAP_IP and $WEB_IP every 0.1 s, a writer to ldap://$LDAP_IP/, the guests' uptime"
load_start
writer_start "$LDAP_IP"
wait_for 30 "the writer's adds are acknowledged" test -s "$CLIENT/acked"
wait_for 30 "both guests' uptime is read" test -s "$LOAD/uptime-db"
sleep 3

# ---------------------------------------------------------------- the switch

echo
echo "== baton-switch: first the plan (a dry run), then --apply"
t0
show 1 baton-switch
PLAN_RC=$?
check "every resource and fence device can move (plan exit status 0, got $PLAN_RC)" test "$PLAN_RC" = 0
mark "baton-switch --apply begins"
show 1 baton-switch --apply
APPLY_RC=$?
mark "baton-switch --apply returned"
check "baton-switch --apply moved everything (exit status 0, got $APPLY_RC)" test "$APPLY_RC" = 0
sleep 3
writer_stop
load_stop

echo
echo "== what the switch changed, and what it did not"
for r in web db; do check "$r runs on ocf:baton:vm" agent_is "$r" ocf:baton:vm; done
for r in ip-web ip-ldap; do check "$r runs on ocf:baton:vip" agent_is "$r" ocf:baton:vip; done
check "slapd runs on ocf:baton:ldap" agent_is slapd ocf:baton:ldap
for r in $FENCES; do check "$r is a fence_baton_ipmi device" agent_is "$r" stonith:fence_baton_ipmi; done
check "web is still on node1" located_on web 1
check "db is still on node2" located_on db 2
check "slapd is still on node1" located_on slapd 1
for g in web db; do
	check "the $g guest never rebooted: its uptime only grew ($(readings "$g") readings)" uptime_monotonic "$g"
done
for a in $LDAP_IP $WEB_IP; do
	check "$a never went more than 1 s without answering (longest gap $(longest_gap "$a") s)" gap_under "$a" 1
done
MISSING=$(missing_on "$LDAP_IP" | tr '\n' ' ')
check "every acknowledged write is in the directory ($(acked_count) acknowledged, missing: ${MISSING:-none})" \
	test -z "$MISSING"
RESTARTS=
for k in 1 2; do
	for r in $MOVED; do RESTARTS+=$(starts_stops "$k" "$r"); done
done
check "no stop or start of a moved service in either node's Pacemaker log${RESTARTS:+: $RESTARTS}" \
	test -z "$RESTARTS"
for k in 1 2; do
	for r in $FENCES; do
		s=$(starts_stops "$k" "$r")
		[ -n "$s" ] && echo "note: $s (the fence device's registration with pacemaker-fenced)"
	done
done
show 1 crm_mon -1
timeline "seconds after the plan began"

# ---------------------------------------------------------------- failover on baton

echo
echo "== node1 dies: node2 fences it and takes over on the baton agents"
writer_start "$LDAP_IP"
t0
KILLED=$("$LAB" kill 1) || { echo "FAILED: lab-cluster.sh kill 1" >&2; exit 1; }
echo "$KILLED"
T0=$(date -d "$(awk '{ print $1 }' <<<"$KILLED")" +%s.%N)
mark "node1 killed" "$T0"
wait_for 60 "node2 fenced node1 with fence_baton_ipmi" \
	logged 2 "Peer node1 was terminated \(reboot\) by node2.*OK"
wait_for 120 "web runs on node2 (ocf:baton:vm)" located_on web 2
wait_for 120 "the web guest answers again" answers web
wait_for 60 "slapd runs on node2 (ocf:baton:ldap) with $LDAP_IP" ip_on 2 "$LDAP_IP"
wait_for 60 "$WEB_IP follows web to node2" ip_on 2 "$WEB_IP"
wait_for 60 "the writer's adds are acknowledged by node2's slapd" \
	logged 2 "Result of start operation for ip-ldap on node2: ok"
wait_for 30 "writes resume" test "$(awk -v t="$T0" '$2 > t' "$CLIENT/acked" | wc -l)" -gt 0
writer_stop
mark "fencing of node1 confirmed (fence_baton_ipmi)" \
	"$(log_time 2 "Peer node1 was terminated \(reboot\) by node2.*OK")"
mark "web started on node2 (ocf:baton:vm)" "$(log_time 2 "Result of start operation for web on node2: ok")"
mark "slapd started on node2 (ocf:baton:ldap)" "$(log_time 2 "Result of start operation for slapd on node2: ok")"
mark "$LDAP_IP up on node2 (ocf:baton:vip)" "$(log_time 2 "Result of start operation for ip-ldap on node2: ok")"
show 2 crm_mon -1
timeline
echo
printf 'result: moved to baton with no restart; failover on baton in %.1f s (web guest started)\n' \
	"$(echo "$(log_time 2 "Result of start operation for web on node2: ok") - $T0" | bc)"
