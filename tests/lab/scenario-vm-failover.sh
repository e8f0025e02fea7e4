#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scenario-vm-failover.sh - the users' first scenario: two hosts, one important VM each.
#
# node1 runs the web VM and node2 the database VM; each VM is sized to use most of its host
# (host_memory=768 MiB of which a 512 MiB VM). node2 loses power. node1 fences it through
# fence_baton_ipmi, shrinks the web VM by ballooning (it has the lower priority), starts the
# database VM in the memory freed. node2 comes back (fencing powered it on again); by the
# configured policy (the database prefers node2 more than stickiness holds it) the database
# VM live-migrates home, and the web VM grows back to its target.
#
# Prints every command a user would type, the checks, and a timeline. Exit 0 only if every
# check passed. LAB_KEEP=1 leaves the lab running; LAB_NAME (blvm) names its namespaces.
# STACK=standard plays the same failover with the standard agents (ocf:heartbeat:VirtualDomain
# and fence_ipmilan, VMs of 384 MiB so that both fit without ballooning, which VirtualDomain
# cannot do) and stops after it: bench/failover compares the two.
# Needs root, the installed baton packages, libvirtd + QEMU, ipmi_sim and the test guest
# images (tests/vm/guest-image.sh builds them, once).
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
STACK=${STACK:-baton}
LAB_NAME=${LAB_NAME:-blvm}
LAB_LIBVIRT=1
case $STACK in
baton) LAB_FENCE=baton MIB=512 ;;
standard) LAB_FENCE=ipmilan MIB=384 ;;
*) echo "STACK: baton or standard, not '$STACK'" >&2; exit 2 ;;
esac
LAB_BOOT_DELAY=${LAB_BOOT_DELAY:-15}   # a fenced host is not back in 2 s: the failback waits
# shellcheck source=tests/lab/scenario-lib.sh
source "$HERE/scenario-lib.sh"

IMAGES=$("$HERE/../vm/guest-image.sh") || { echo "FAILED: guest images" >&2; exit 1; }
export BATON_TEST_CACHE=$IMAGES

virsh1() { lab 1 virsh -q -c qemu:///system "$@"; }
virsh2() { lab 2 virsh -q -c qemu:///system "$@"; }
balloon_is() { [ "$(balloon_mib "$1" "$2")" = "$3" ]; }   # K DOMAIN MiB
running_on() { [ "$(lab "$1" virsh -q -c qemu:///system domstate "$2" 2>/dev/null)" = running ]; }
# the guest printed its ready marker on a serial log written after t0 (a new QEMU truncates it)
guest_ready() { grep -q BATON-GUEST-READY "$DOMAINS/$1.console.log" 2>/dev/null; }
fence_agent() { [ "$STACK" = standard ] && echo fence_ipmilan || echo fence_baton_ipmi; }
located() { [ "$(where 1 "$1")" = "$2" ] || [ "$(where 2 "$1")" = "$2" ]; }

# ---------------------------------------------------------------- the lab and the two VMs

echo "== a two-node lab cluster with IPMI fencing and a libvirtd per node"
lab_up 2
DOMAINS=$SCENARIO_DIR/domains
mkdir -p "$DOMAINS"
for vm in web db; do
	BATON_VM_LOGDIR=$DOMAINS "$HERE/../vm/guest-image.sh" xml "$vm" "$MIB" coop "$MIB" >"$DOMAINS/$vm.xml" ||
		{ echo "FAILED: domain XML for $vm" >&2; exit 1; }
done

echo
if [ "$STACK" = standard ]; then
	echo "== the two VMs with ocf:heartbeat:VirtualDomain: web on node1, db on node2"
	crm_config 1 <<-EOF
	primitive web ocf:heartbeat:VirtualDomain params config=$DOMAINS/web.xml hypervisor=qemu:///system autoset_utilization_cpu=false autoset_utilization_hv_memory=false autoset_utilization_host_memory=false op start timeout=90s op stop timeout=90s op monitor interval=10s timeout=30s
	primitive db ocf:heartbeat:VirtualDomain params config=$DOMAINS/db.xml hypervisor=qemu:///system autoset_utilization_cpu=false autoset_utilization_hv_memory=false autoset_utilization_host_memory=false op start timeout=90s op stop timeout=90s op monitor interval=10s timeout=30s
	location web-home web 200: node1
	location db-home db 200: node2
	rsc_defaults resource-stickiness=100
	EOF
else
	echo "== the two VMs: web on node1, db on node2; each host has 768 MiB for VMs"
	# created with pcs (crm configures the same), disabled until their places are set: the
	# database has the higher priority and a higher floor; the web VM gives memory
	vm_create() { # NAME MIN PRIORITY
		show 1 pcs resource create "$1" ocf:baton:vm config="$DOMAINS/$1.xml" host_memory=768 \
			host_reserve=0 min_memory="$2" target_memory=512 priority="$3" migration_transport=tcp \
			op start timeout=90s stop timeout=60s monitor interval=10s timeout=30s OCF_CHECK_LEVEL=10 \
			meta allow-migrate=true --disabled
	}
	check "pcs resource create web ocf:baton:vm ..." vm_create web 192 1
	check "pcs resource create db ocf:baton:vm ..." vm_create db 256 10
	show 1 pcs constraint location web prefers node1=200
	show 1 pcs constraint location db prefers node2=200
	show 1 pcs resource defaults update resource-stickiness=100
	show 1 pcs resource enable web db
fi
wait_for 60 "web runs on node1" located web node1
wait_for 60 "db runs on node2" located db node2
wait_for 60 "the web guest has booted" guest_ready web
wait_for 60 "the db guest has booted" guest_ready db
"$LAB" settle 60 >/dev/null
show 1 crm_mon -1
check "web has its full $MIB MiB on node1" test "$(balloon_mib 1 web)" = "$MIB"
check "db has its full $MIB MiB on node2" test "$(balloon_mib 2 db)" = "$MIB"

# ---------------------------------------------------------------- node2 loses power

# Events the host sees, each recorded once, at the 0.1 s poll that first sees it.
watch_events() {
	local shrunk=0 started=0 ready=0
	while :; do
		if [ $shrunk = 0 ] && [ "$(balloon_mib 1 web)" -lt "$MIB" ] 2>/dev/null; then
			echo "web ballooned down on node1 (host poll) $(now)"; shrunk=1
		fi
		if [ $started = 0 ] && running_on 1 db; then
			echo "db domain running on node1 (host poll) $(now)"; started=1
		fi
		if [ $started = 1 ] && [ $ready = 0 ] && guest_ready db; then
			echo "db guest ready: BATON-GUEST-READY on its console $(now)"; ready=1
		fi
		[ $ready = 1 ] && { [ $shrunk = 1 ] || [ "$STACK" = standard ]; } && return 0
		sleep 0.1
	done
}

echo
echo "== node2 loses power (its init, corosync, pacemaker, libvirtd and the db guest die at once)"
: >"$DOMAINS/db.console.log"
t0
"$LAB" kill 2
EVENTS=$SCENARIO_DIR/events
watch_events >"$EVENTS" &
WATCHER=$!
wait_for 60 "node1 fenced node2 through its BMC" logged 1 "Peer node2 was terminated \(reboot\) by node1.*OK"
wait_for 60 "db runs on node1" located db node1
wait_for 60 "db's guest has booted on node1" grep -q "db guest ready" "$EVENTS"
kill "$WATCHER" 2>/dev/null
wait "$WATCHER" 2>/dev/null

mark "node2 killed (power lost)" "$T0"
mark "node1 sees node2 lost" "$(log_time 1 "Node node2 state is now lost")"
mark "node1 requests fencing of node2 (scheduler)" "$(log_time 1 "Requesting fencing \(reboot\) of node node2")"
mark "fencing of node2 confirmed ($(fence_agent) reboot)" \
	"$(log_time 1 "Peer node2 was terminated \(reboot\) by node1.*OK")"
while read -r line; do
	mark "${line% *}" "${line##* }"
done <"$EVENTS"
mark "db start returned on node1" "$(log_time 1 "Result of start operation for db on node1: ok")"
show 1 crm_mon -1
FAILOVER=$(echo "$(sed -n 's/^db guest ready.* //p' "$EVENTS") - $T0" | bc)
if [ "$STACK" = standard ]; then
	timeline
	printf '\nfailover total: %.2f s from power loss to the db guest ready on node1\n' "$FAILOVER"
	exit 0
fi
WEB=$(balloon_mib 1 web)
DB=$(balloon_mib 1 db)
echo "node1: web $WEB MiB + db $DB MiB (host_memory 768)"
check "web was shrunk, not below its floor (192 <= $WEB < 512)" test "$WEB" -ge 192 -a "$WEB" -lt 512
check "both fit in node1's 768 MiB ($WEB + $DB)" test $((WEB + DB)) -le 768
check "web kept running through the failover" running_on 1 web
timeline

# ---------------------------------------------------------------- node2 comes back

echo
echo "== node2 is back (fencing powered it on); the policy moves db home by live migration"
wait_for 60 "node2 is online again" "$LAB" wait-online 1 1 2
wait_for 90 "db runs on node2 again" located db node2
wait_for 30 "web grew back to 512 MiB on node1" balloon_is 1 web 512
mark "node2 online again" "$(log_time 1 "Node node2 state is now member")"
mark "db migrate_to node2 returned" "$(log_time 1 "Result of migrate_to operation for db on node1: ok")"
mark "db stopped on node1: memory given back" "$(log_time 1 "Result of stop operation for db on node1: ok")"
"$LAB" settle 60 >/dev/null
check "db was live-migrated home (no stop/start on node2)" \
	logged 2 "Result of migrate_from operation for db on node2: ok"
check "db has 512 MiB on node2" test "$(balloon_mib 2 db)" = 512
show 1 crm_mon -1
timeline
printf '\nfailover total: %.2f s from power loss to the db guest ready on node1\n' "$FAILOVER"
