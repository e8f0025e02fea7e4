#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario "many VIPs, no single point of failure" (scenario-vips.sh): six ocf:baton:vip
# addresses spread two per node over a 3-node lab cluster; a node crashes, is fenced, its
# VIPs move to the survivors (announced by gratuitous ARP) and fail back when it returns.
# The scenario runs once; the tests read its output. Needs root, tcpdump, ipmi_sim and the
# installed agents (vip, fence_baton_ipmi).

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-vips.sh"
LAB_NAME=blvip
LAB_NEEDS="tcpdump"
LAB_AGENTS=vip
load lab

@test "scenario-vips.sh passes" {
	[ "$LAB_RC" = 0 ]
	has "scenario vips: PASSED"
	if grep '^FAILED' <<<"$output"; then return 1; fi
}

@test "six VIPs start two per node and answer ping" {
	has "ok: every VIP started on its home node (node1: vip1 vip4, node2: vip2 vip5, node3: vip3 vip6)"
	has "ok: each VIP is on exactly one node (kernel and cluster agree)"
	has "ok: every VIP answers ping from the management namespace"
}

@test "the crashed node is lost and fenced" {
	has "killed node3"
	has "ok: node3 lost (node1's log)"
	has "ok: fencing of node3 confirmed"
}

@test "its VIPs move to the survivors, one each; the others stay" {
	grep -Eq "^ok: the cluster started vip3 on node[12] \(node[12]'s log: start ok\)" <<<"$output"
	grep -Eq "^ok: the cluster started vip6 on node[12] \(node[12]'s log: start ok\)" <<<"$output"
	has "ok: the VIPs of node3 went to different survivors (two nodes with three VIPs each)"
	has "ok: the VIPs of the survivors did not move (every sample since the crash)"
}

@test "each moved VIP is announced by gratuitous ARP from its new owner" {
	grep -Eq "^ok: gratuitous ARP for 10\.98\.0\.103 from node[12]'s MAC" <<<"$output"
	grep -Eq "^ok: gratuitous ARP for 10\.98\.0\.106 from node[12]'s MAC" <<<"$output"
	grep -Eq "^ok: the management namespace's ARP cache maps 10\.98\.0\.103 to node[12]'s MAC" <<<"$output"
	has "ok: every VIP answers ping again"
}

@test "no address is on two nodes at once" {
	grep -Eq '^ok: no address on two nodes at once in any of [0-9]+ samples' <<<"$output"
}

@test "the node comes back and gets its VIPs back (stickiness 0)" {
	has "ok: node3 online again (seen from node1)"
	has "ok: every VIP on its home node again (node1: vip1 vip4, node2: vip2 vip5, node3: vip3 vip6)"
	has "ok: gratuitous ARP for 10.98.0.103 from node3's MAC"
	has "ok: every VIP answers ping after the failback"
}

@test "the timeline has every event, in order" {
	local tl
	tl=$(sed -n '/^timeline (seconds after the failure)/,/^$/p' <<<"$output")
	[ -n "$tl" ]
	if grep 'not seen\|not found' <<<"$tl"; then return 1; fi
	local ev prev=-1 at
	for ev in "node3 killed" "node3 lost" "node3 fenced" "vip3 gratuitous ARP from node" \
		"node3 member again" "vip3 gratuitous ARP from node3" "all VIPs home, 2 per node"; do
		at=$(grep -F -m1 -- "$ev" <<<"$tl" | awk '{print $1}')
		[ -n "$at" ] || { echo "timeline lacks: $ev" >&2; return 1; }
		[ "$(echo "$at >= $prev" | bc)" = 1 ] || { echo "out of order: $ev at $at s" >&2; return 1; }
		prev=$at
	done
	# the failover itself: kill -> every VIP answers ping (some 10 s here; 45 s on a loaded machine)
	at=$(grep -F -m1 "all VIPs answer ping" <<<"$tl" | awk '{print $1}')
	[ -n "$at" ] && [ "$(echo "$at < 45" | bc)" = 1 ]
}
