#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 1 on the lab cluster (tests/lab/scenario-vm-failover.sh): two nodes, a web VM and a
# database VM using most of their hosts' memory; the database's node loses power; the survivor
# fences it with fence_baton_ipmi, balloons the web VM down, starts the database VM; the node
# comes back, the database VM live-migrates home and the web VM grows back. The scenario runs
# once; the tests read its output. Needs root, libvirtd + QEMU, ipmi_sim, crmsh and the
# installed baton packages.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-vm-failover.sh"
LAB_NAME=blvm-bats
LAB_NEEDS="libvirtd virtlogd qemu-system-x86_64"
LAB_AGENTS=vm
LAB_TIMEOUT=420
load lab

@test "vm failover: the scenario passed every check" {
	[ "$LAB_RC" = 0 ]
	! grep -q '^FAILED' <<<"$output"
	has_re 'failover total: [0-9.]+ s from power loss to the db guest ready on node1'
}

@test "vm failover: node1 fenced node2, shrank web within its floor, and both VMs fit" {
	has 'ok: node1 fenced node2 through its BMC'
	has 'ok: web was shrunk, not below its floor (192 <= 256 < 512)'
	has "ok: both fit in node1's 768 MiB (256 + 512)"
	has 'ok: web kept running through the failover'
}

@test "vm failover: the timeline is causal: loss, fencing asked and done, then the shrinking and the start, then the boot" {
	# the balloon is seen by a 0.1 s host poll: it may be seen after the start returned
	local lost asked fenced shrunk started ready
	lost=$(at "node1 sees node2 lost")
	asked=$(at "node1 requests fencing of node2")
	fenced=$(at "fencing of node2 confirmed")
	shrunk=$(at "web ballooned down")
	started=$(at "db start returned")
	ready=$(at "db guest ready")
	[ -n "$lost" ] && [ -n "$asked" ] && [ -n "$fenced" ] && [ -n "$shrunk" ] && [ -n "$started" ] && [ -n "$ready" ]
	[ "$(echo "$lost <= $asked && $asked <= $fenced" | bc)" = 1 ]
	[ "$(echo "$fenced <= $shrunk && $fenced <= $started && $started <= $ready" | bc)" = 1 ]
}

@test "vm failover: node2 back: db live-migrates home and web grows back to 512 MiB" {
	has 'ok: node2 is online again'
	has 'ok: db was live-migrated home (no stop/start on node2)'
	has 'ok: web grew back to 512 MiB on node1'
	has 'ok: db has 512 MiB on node2'
}
