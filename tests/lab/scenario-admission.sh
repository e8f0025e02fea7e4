#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scenario-admission.sh - admission control: would the others absorb a host failure?
#
# Three hosts of 768 MiB for VMs (host_memory=768), four VMs of different priorities and
# floors: db (512 MiB, floor 384, priority 10) and web (256, floor 192, priority 5) on node1,
# app (512, floor 256, priority 1) on node2, batch (384, floor 192, priority 0) on node3.
# db fails over to node2 and web to node3 (location scores), app has no second home.
#
# Part 1: the forecast (baton-vm-capacity cluster, and baton-failover-ok on every node) says
# every host's failure is absorbed; it is printed for each host. node1 really loses power: the
# scenario checks that the cluster put db and web where the forecast said, with the sizes it
# said, and ballooned app exactly as forecast.
# Part 2: node1 comes back in standby (maintenance). Now the forecast for node2 says app
# would stay stopped, 256 MiB short, and baton-failover-ok turns 0 on node2. node2 really
# loses power and stays off (stonith-action=off): db starts on node3 shrinking batch and web as forecast, and app stays stopped
# with the forecast shortfall in its start's exit reason.
#
# Prints every command a user would type and the checks. Exit 0 only if every check passed.
# LAB_KEEP=1 leaves the lab running; LAB_NAME (bladm) names its namespaces. Needs root, the
# installed baton packages, libvirtd + QEMU, ipmi_sim, jq and the test guest images.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
LAB_NAME=${LAB_NAME:-bladm}
LAB_LIBVIRT=1
LAB_FENCE=baton
LAB_BOOT_DELAY=${LAB_BOOT_DELAY:-5}
# shellcheck source=tests/lab/scenario-lib.sh
source "$HERE/scenario-lib.sh"

IMAGES=$("$HERE/../vm/guest-image.sh") || { echo "FAILED: guest images" >&2; exit 1; }
export BATON_TEST_CACHE=$IMAGES

balloon_mib() { # K DOMAIN: the balloon's actual size in MiB
	lab "$1" virsh -q -c qemu:///system dommemstat "$2" 2>/dev/null | awk '$1 == "actual" { print int($2 / 1024) }'
}
balloon_is() { [ "$(balloon_mib "$1" "$2")" = "$3" ]; }   # K DOMAIN MiB
guest_ready() { grep -q BATON-GUEST-READY "$DOMAINS/$1.console.log" 2>/dev/null; }
located() { [ "$(where "$OBS" "$1")" = "$2" ]; }            # RSC NODE, seen from $OBS
stopped() { [ -z "$(where "$OBS" "$1")" ]; }
attr_is() { # NODE NAME VALUE: the transient node attribute, as the CIB has it
	[ "$(lab "$OBS" crm_attribute --node "$1" --name "$2" --lifetime reboot --query --quiet 2>/dev/null)" = "$3" ]
}
# the forecast as JSON, seen from node $OBS
forecast() { FC=$(lab "$OBS" baton-vm-capacity cluster --json 2>/dev/null); [ -n "$FC" ]; }
fc() { jq -r "$@" <<<"$FC"; }
# every host published its VMs (N of them in all) and the forecast sees them
published() { # N
	forecast && [ "$(fc '[.nodes[] | select(.online and .published)] | length')" = "$(fc '[.nodes[] | select(.online)] | length')" ] &&
		[ "$(fc '[.nodes[] | .vms // 0] | add')" = "$1" ]
}
failover_attrs_are() { # VALUE NODE...
	local v=$1 n
	shift
	for n in "$@"; do attr_is "$n" baton-failover-ok "$v" || return 1; done
}
node_index() { echo "${1#node}"; }

# check_forecast NODE: compare what the cluster did after NODE failed with the forecast in
# $FC_SAVED: where each VM runs, its balloon, the balloons of the VMs that were to shrink,
# and the VMs that were to stay stopped
check_forecast() {
	local failed=$1 f rsc dom node mib k short reason
	f=$(jq -c --arg n "$failed" '.failures[] | select(.node == $n)' <<<"$FC_SAVED")
	# the loops read fd 7: the commands inside (lab, where) would eat their stdin
	while IFS=$'\t' read -r -u 7 rsc dom node mib; do
		if [ "$node" = null ]; then
			wait_for 60 "$rsc stays stopped, as forecast" stopped "$rsc"
			continue
		fi
		k=$(node_index "$node")
		wait_for 90 "$rsc runs on $node, as forecast" located "$rsc" "$node"
		wait_for 60 "$dom has $mib MiB on $node, as forecast" balloon_is "$k" "$dom" "$mib"
	done 7< <(jq -r '.starts[] | [.resource, .domain, (.node // "null"), (.start_mib // 0)] | @tsv' <<<"$f")
	while IFS=$'\t' read -r -u 7 node dom mib; do
		k=$(node_index "$node")
		wait_for 60 "$dom on $node was shrunk to $mib MiB, as forecast" balloon_is "$k" "$dom" "$mib"
	done 7< <(jq -r '.shrinks[] | [.node, .domain, .to_mib] | @tsv' <<<"$f")
	# the VMs that stay stopped: their start's exit reason names the forecast shortfall
	while IFS=$'\t' read -r -u 7 rsc short; do
		wait_for 90 "$rsc's start failed" start_failed "$rsc"
		reason=$(start_failure "$rsc")
		echo "$rsc: exit reason of its failed start: $reason"
		check "$rsc's exit reason names the forecast shortfall ($short MiB short)" \
			grep -qF "$short MiB short of its floor" <<<"$reason"
	done 7< <(jq -r '.starts[] | select(.node == null) | [.resource, .shortfall_mib] | @tsv' <<<"$f")
}
# the exit reason of RSC's failed start, from the CIB's operation history (crm_mon's failures)
start_failure() {
	lab "$OBS" crm_mon -1 --output-as=xml 2>/dev/null |
		sed -n "s/.*<failure op_key=\"$1_start_0\".*exitreason=\"\([^\"]*\)\".*/\1/p" | head -n 1
}
start_failed() { [ -n "$(start_failure "$1")" ]; }

# ---------------------------------------------------------------- the lab and the four VMs

echo "== a three-node lab cluster with IPMI fencing and a libvirtd per node"
lab_up 3
OBS=3   # the node the scenario asks (it never fails)
DOMAINS=$SCENARIO_DIR/domains
mkdir -p "$DOMAINS"
for spec in db:512 web:256 app:512 batch:384; do
	BATON_VM_LOGDIR=$DOMAINS "$HERE/../vm/guest-image.sh" xml "${spec%:*}" "${spec#*:}" coop "${spec#*:}" \
		>"$DOMAINS/${spec%:*}.xml" || { echo "FAILED: domain XML for ${spec%:*}" >&2; exit 1; }
done

echo
echo "== four VMs; each host has 768 MiB for VMs; db fails over to node2, web to node3"
vm_create() { # NAME TARGET MIN PRIORITY
	show "$OBS" pcs resource create "$1" ocf:baton:vm config="$DOMAINS/$1.xml" host_memory=768 \
		host_reserve=0 target_memory="$2" min_memory="$3" priority="$4" \
		op start timeout=90s stop timeout=60s monitor interval=10s timeout=30s --disabled
}
check "pcs resource create db ..." vm_create db 512 384 10
check "pcs resource create web ..." vm_create web 256 192 5
check "pcs resource create app ..." vm_create app 512 256 1
check "pcs resource create batch ..." vm_create batch 384 192 0
show "$OBS" pcs constraint location db prefers node1=150 node2=100
show "$OBS" pcs constraint location web prefers node1=150 node3=100
show "$OBS" pcs constraint location app prefers node2=200
show "$OBS" pcs constraint location batch prefers node3=200
# after a failure the starts come in priority order, as the forecast plans them: two starts
# on one host are otherwise serialised by the host lock in whatever order they arrive
show "$OBS" pcs constraint order start db 'then' start app kind=Optional
show "$OBS" pcs resource defaults update resource-stickiness=100
show "$OBS" pcs resource enable db web app batch
wait_for 90 "db runs on node1" located db node1
wait_for 60 "web runs on node1" located web node1
wait_for 60 "app runs on node2" located app node2
wait_for 60 "batch runs on node3" located batch node3
for vm in db web app batch; do wait_for 120 "the $vm guest has booted" guest_ready "$vm"; done
"$LAB" settle 60 >/dev/null

# ---------------------------------------------------------------- part 1: the forecast, then node1 fails

echo
echo "== part 1: every host published what it holds and can give; the forecast for each failure"
wait_for 60 "the three hosts published their 4 VMs (baton-vm-host)" published 4
wait_for 90 "baton-failover-ok is 1 on every node" failover_attrs_are 1 node1 node2 node3
show "$OBS" crm_mon -1 -A
show "$OBS" baton-vm-capacity cluster
check "the forecast: every single host failure is absorbed (exit status 0)" lab "$OBS" baton-vm-capacity cluster
forecast
FC_SAVED=$FC
check "the forecast for node1: db to node2 with 512 MiB, app shrinks to 256 MiB, web to node3" \
	test "$(fc -c '.failures[] | select(.node == "node1") | [.starts[] | [.resource, .node, .start_mib]], [.shrinks[] | [.domain, .to_mib]]' | tr -d '\n')" \
	= '[["db","node2",512],["web","node3",256]][["app",256]]'

echo
echo "== node1 loses power with db and web"
for vm in db web; do : >"$DOMAINS/$vm.console.log"; done
t0
"$LAB" kill 1
wait_for 60 "node1 was fenced through its BMC" logged "$OBS" "Peer node1 was terminated \(reboot\) by node[0-9]+.*OK"
check_forecast node1
mark "node1 killed (power lost)" "$T0"
mark "fencing of node1 confirmed" "$(log_time "$OBS" "Peer node1 was terminated \(reboot\) by node[0-9]+.*OK")"
mark "db start returned on node2" "$(log_time 2 "Result of start operation for db on node2: ok")"
mark "web start returned on node3" "$(log_time 3 "Result of start operation for web on node3: ok")"
timeline
show "$OBS" crm_mon -1

# ---------------------------------------------------------------- part 2: node1 in maintenance; node2 fails

echo
echo "== part 2: node1 is back and goes into maintenance (standby); is the cluster still safe?"
wait_for 120 "node1 is online again" "$LAB" wait-online 1 1 2 3
show "$OBS" pcs node standby node1
"$LAB" settle 60 >/dev/null
check "db stayed on node2 and web on node3 (stickiness)" located db node2
check "web stayed on node3" located web node3
wait_for 60 "the hosts published their VMs again" published 4
show "$OBS" baton-vm-capacity cluster
# node3's failure would now leave web (5) and batch (0) stopped too; db (10) is safe either way
lab "$OBS" baton-vm-capacity cluster --min-priority 1 >/dev/null 2>&1
check "the forecast's exit status is 1 with --min-priority 1: VMs would stay stopped" test $? = 1
lab "$OBS" baton-vm-capacity cluster --min-priority 6 >/dev/null 2>&1
check "and 0 with --min-priority 6: db (priority 10) restarts whichever host fails" test $? = 0
forecast
FC_SAVED=$FC
SHORT=$(fc '.failures[] | select(.node == "node2") | .starts[] | select(.resource == "app") | .shortfall_mib')
check "the forecast for node2: db to node3, app stays stopped ($SHORT MiB short)" \
	test "$(fc -c '.failures[] | select(.node == "node2") | [.starts[] | [.resource, .node]]')" = '[["db","node3"],["app",null]]'
# the agents recompute when a host changes, and at least every 60 s from their monitors
wait_for 120 "baton-failover-ok turned 0 on node2 (the vm agents' own forecast)" attr_is node2 baton-failover-ok 0
show "$OBS" crm_mon -1 -A

echo
echo "== node2 loses power with db and app (and stays off: app's home does not come back)"
show "$OBS" pcs property set stonith-action=off
: >"$DOMAINS/db.console.log"
t0
"$LAB" kill 2
wait_for 60 "node2 was fenced through its BMC (power off)" logged "$OBS" "Peer node2 was terminated \(off\) by node[0-9]+.*OK"
check_forecast node2
"$LAB" settle 60 >/dev/null
check "app is still stopped once the cluster settled" stopped app
mark "node2 killed (power lost)" "$T0"
mark "fencing of node2 confirmed" "$(log_time "$OBS" "Peer node2 was terminated \(off\) by node[0-9]+.*OK")"
mark "db start returned on node3" "$(log_time 3 "Result of start operation for db on node3: ok")"
mark "app start failed on node3" "$(log_time 3 "Result of start operation for app on node3: error")"
timeline
show "$OBS" crm_mon -1
echo
echo "admission: every forecast matched"
