#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario "admission" (scenario-admission.sh): three hosts, four VMs of different
# priorities and floors. The forecast of baton-vm-capacity cluster (and baton-failover-ok)
# for each host failure is printed; node1 really fails and the cluster's placement and
# ballooning are checked against the forecast; then with node1 in standby the forecast says
# app would stay stopped if node2 failed, node2 really fails, and app stays stopped with the
# forecast shortfall in its exit reason. The scenario runs once; the tests read its output.
# Needs root, libvirtd + QEMU, ipmi_sim, jq and the installed packages.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-admission.sh"
LAB_NAME=bladm-bats
LAB_NEEDS="libvirtd virtlogd qemu-system-x86_64 jq baton-vm-capacity"
LAB_AGENTS=vm
LAB_TIMEOUT=600
load lab

@test "admission: the scenario passed every check" {
	[ "$LAB_RC" = 0 ]
	! grep -q '^FAILED' <<<"$output"
	has 'admission: every forecast matched'
}

@test "admission: every host published its VMs and the answer; the forecast is printed for each host" {
	has 'ok: the three hosts published their 4 VMs (baton-vm-host)'
	has 'ok: baton-failover-ok is 1 on every node'
	has 'if node1 failed: 2 VM(s) to restart, all start'
	has 'if node2 failed: 1 VM(s) to restart, all start'
	has 'if node3 failed: 1 VM(s) to restart, all start'
	has 'ok: the forecast: every single host failure is absorbed (exit status 0)'
}

@test "admission: node1 fails: placement and ballooning are what the forecast said" {
	has 'ok: the forecast for node1: db to node2 with 512 MiB, app shrinks to 256 MiB, web to node3'
	has 'ok: db runs on node2, as forecast'
	has 'ok: db has 512 MiB on node2, as forecast'
	has 'ok: web runs on node3, as forecast'
	has 'ok: web has 256 MiB on node3, as forecast'
	has 'ok: app on node2 was shrunk to 256 MiB, as forecast'
}

@test "admission: with node1 in standby the forecast says app would stay stopped, and baton-failover-ok turns 0" {
	has "ok: the forecast's exit status is 1 with --min-priority 1: VMs would stay stopped"
	has "ok: and 0 with --min-priority 6: db (priority 10) restarts whichever host fails"
	has 'ok: the forecast for node2: db to node3, app stays stopped (256 MiB short)'
	has 'ok: baton-failover-ok turned 0 on node2 (the vm agents'"'"' own forecast)'
}

@test "admission: node2 fails: db starts on node3 shrinking batch and web as forecast; app stays stopped, 256 MiB short" {
	has 'ok: db runs on node3, as forecast'
	has 'ok: db has 384 MiB on node3, as forecast'
	has 'ok: batch on node3 was shrunk to 192 MiB, as forecast'
	has 'ok: web on node3 was shrunk to 192 MiB, as forecast'
	has 'ok: app stays stopped, as forecast'
	has "ok: app's exit reason names the forecast shortfall (256 MiB short)"
	has 'ok: app is still stopped once the cluster settled'
}
