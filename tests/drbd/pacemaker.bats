#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:drbd as a promotable clone in a real one-node Pacemaker/Corosync
# cluster (tests/harness/pcmk-single.sh, in its own namespace and directory
# so that it never meets another test's cluster), against the DRBD simulator:
# the cluster node is simulated node1, simulated node2 is its peer, driven by
# the test. Pacemaker runs the agent (no notify), which sets the real
# promotion score with crm_attribute.
#
# Needs root. BATON_AGENT_DIR=DIR (a directory holding the agent "drbd", e.g.
# a build tree's agents/drbd) makes the cluster see DIR as provider baton;
# default: the installed agent.

bats_require_minimum_version 1.5.0

load ../harness/pcmk-single

SIM=$(readlink -f "$BATS_TEST_DIRNAME/drbdsim")

sim() { "$SIM" "$@"; }
sim_role() { DRBDSIM_NODE=node1 "$SIM" drbdsetup status --json | jq -r '.[] | select(.name == "r0") | .role'; }
sim_down() { [ "$(DRBDSIM_NODE=node1 "$SIM" drbdsetup status --json | jq length)" -eq 0 ]; }
promoted() { in_cluster crm_mon -1 --output-as=xml | grep -q '<resource id="drbd-r0" .*role="Promoted"'; }
stopped() { ! in_cluster crm_mon -1 --output-as=xml | grep -q '<resource id="drbd-r0" .*role="\(Promoted\|Unpromoted\|Started\)"'; }
score_is() {
	local v
	v=$(in_cluster crm_attribute --promotion=drbd-r0 --lifetime reboot --query --quiet 2>/dev/null) || v=none
	[ "$v" = "$1" ]
}

# why the tests are skipped (bats 1.8 cannot skip in setup_file: the tests skip in setup)
skip_reason() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	command -v jq >/dev/null || { echo "needs jq"; return; }
	[ -x "$(pcmk_agent_dir)/drbd" ] || echo "agent not found: $(pcmk_agent_dir)/drbd"
}

setup_file() {
	export DRBD_PCMK_SKIP
	DRBD_PCMK_SKIP=$(skip_reason)
	[ -z "$DRBD_PCMK_SKIP" ] || return 0
	pcmk_up drbd || return 1
	# The simulator's state and wrappers, where the host and the cluster both see them.
	export D=$BATON_PCMK_SHARE/drbd
	export DRBDSIM_STATE=$D/state.json
	mkdir -p "$D/bin"
	# A copy: the cluster has a private /tmp, where a checkout may live.
	install -m 755 "$SIM" "$D/bin/drbdsim"
	local tool
	for tool in drbdadm drbdsetup; do
		printf '#!/bin/sh\nDRBDSIM_NODE=node1 DRBDSIM_STATE=%s exec %s %s "$@"\n' \
			"$DRBDSIM_STATE" "$D/bin/drbdsim" "$tool" >"$D/bin/$tool"
		chmod 755 "$D/bin/$tool"
	done
	sim ctl init r0 --nodes node1,node2
	sim ctl peer-up node2
}

teardown_file() {
	[ -z "${DRBD_PCMK_SKIP:-}" ] || return 0
	pcmk_down
}

setup() {
	[ -z "${DRBD_PCMK_SKIP:-}" ] || skip "$DRBD_PCMK_SKIP"
}

teardown() {
	pcmk_show_failure
}

@test "pacemaker: the promotable clone is started and promoted by its score" {
	local cib="$BATON_PCMK_SHARE/cib-drbd.xml"
	in_cluster cibadmin --query >"$cib"
	run -0 in_cluster pcs -f "$cib" resource create drbd-r0 ocf:baton:drbd drbd_resource=r0 \
		drbdadm="$D/bin/drbdadm" drbdsetup="$D/bin/drbdsetup" \
		op monitor role=Promoted interval=5s timeout=20s monitor role=Unpromoted interval=6s timeout=20s \
		promotable promoted-max=1 clone-max=1 notify=false
	run -0 in_cluster pcs cluster cib-push "$cib" --config
	wait_until 90 promoted
	[ "$(sim_role)" = Primary ]
	wait_until 20 score_is 10000
}

@test "pacemaker: a lost peer is degraded (191), the instance stays promoted, the score drops" {
	wait_until 60 promoted
	sim ctl crash node2
	wait_until 30 score_is 1000
	promoted
	run -0 in_cluster crm_failcount --query --resource drbd-r0 --node "$BATON_PCMK_NODE"
	[[ $output == *"value=0"* ]]
	sim ctl peer-up node2
	wait_until 30 score_is 10000
	promoted
}

@test "pacemaker: disabling the clone demotes and takes the resource down" {
	run -0 in_cluster pcs resource disable drbd-r0-clone
	wait_until 90 stopped
	wait_until 10 sim_down
	run -0 in_cluster pcs resource enable drbd-r0-clone
	wait_until 90 promoted
}

@test "pacemaker: with notify=true the clone works the same, notifications succeed" {
	run -0 in_cluster pcs resource meta drbd-r0-clone notify=true
	run -0 in_cluster pcs resource disable drbd-r0-clone
	wait_until 90 stopped
	run -0 in_cluster pcs resource enable drbd-r0-clone
	wait_until 90 promoted
	[ "$(sim_role)" = Primary ]
	wait_until 20 score_is 10000
	# Pacemaker ran the notify action, and it succeeded.
	grep -Eq 'notify operation for drbd-r0.*: ok' "$BATON_PCMK_LOG"
	run -0 in_cluster crm_failcount --query --resource drbd-r0 --node "$BATON_PCMK_NODE"
	[[ $output == *"value=0"* ]]
}

@test "pacemaker: a Primary peer keeps the instance Unpromoted until it steps down" {
	unpromoted() { in_cluster crm_mon -1 --output-as=xml | grep -q '<resource id="drbd-r0" .*role="Unpromoted"'; }
	run -0 in_cluster pcs resource disable drbd-r0-clone
	wait_until 90 stopped
	# The peer takes over outside the cluster (its data is newer then).
	DRBDSIM_NODE=node2 "$SIM" drbdadm primary r0
	run -0 in_cluster pcs resource enable drbd-r0-clone
	wait_until 90 unpromoted
	# Several Unpromoted monitors (6 s): no score, no promotion.
	sleep 14
	unpromoted
	score_is none
	[ "$(sim_role)" = Secondary ]
	DRBDSIM_NODE=node2 "$SIM" drbdadm secondary r0
	wait_until 90 promoted
	[ "$(sim_role)" = Primary ]
	[ "$(DRBDSIM_NODE=node1 "$SIM" drbdsetup status --json | jq -r '.[0].devices[0]["disk-state"]')" = UpToDate ]
}
