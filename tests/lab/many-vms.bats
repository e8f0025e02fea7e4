#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario "many VMs" (scenario-many-vms.sh): N small VMs (N=10 here) on node2 of a
# two-node lab; node2 loses power and node1 restarts them all; then the whole site loses
# power and comes back. The scenario runs once; the tests read its output. Needs root,
# libvirtd + QEMU, ipmi_sim and the installed packages.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-many-vms.sh"
LAB_NAME=blmany-bats
LAB_NEEDS="libvirtd virtlogd qemu-system-x86_64"
LAB_AGENTS=vm
LAB_ENV="N=10"
LAB_TIMEOUT=900
load lab

@test "many VMs: the scenario passed every check" {
	[ "$LAB_RC" = 0 ]
	! grep -q '^FAILED' <<<"$output"
}

@test "many VMs: node2's 10 VMs all come alive on node1 after the fencing, none hung" {
	has 'ok: all 10 guests alive on node1'
	has 'part 1: hung guests: 0'
	local fenced first last
	fenced=$(at "part 1: fencing of node2 confirmed")
	first=$(at "part 1: first guest alive")
	last=$(at "part 1: last guest alive (10 of 10)")
	[ -n "$fenced" ] && [ -n "$first" ] && [ -n "$last" ]
	[ "$(echo "$fenced < $first && $first <= $last" | bc)" = 1 ]
}

@test "many VMs: after a whole-site power loss every guest comes alive again, none hung" {
	has 'ok: the cluster formed again'
	has 'part 2: hung guests: 0'
	[ -n "$(at "part 2: last guest alive (10 of 10)")" ]
}
