#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario "switch" (tests/lab/scenario-switch.sh): a two-node cluster running the standard
# agents (VirtualDomain, IPaddr2, slapd, fence_ipmilan) is moved to baton with baton-switch
# under load, with nothing restarted; then a node dies and the failover runs on baton.
#
# Needs root, the installed baton packages, resource-agents, fence-agents, libvirtd + QEMU,
# slapd + ldap-utils, ipmi_sim, crmsh and the test guest images. A few minutes.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-switch.sh"
LAB_NAME=blsw
LAB_NEEDS="libvirtd virtlogd qemu-system-x86_64 fence_ipmilan baton-switch slapd ldapadd ping wget"
LAB_AGENTS="vm vip ldap"
LAB_TIMEOUT=600
load lab

@test "switch: the scenario passed every check" {
	[ "$LAB_RC" = 0 ]
	! grep -q '^FAILED' <<<"$output"
	has_re 'result: moved to baton with no restart; failover on baton in [0-9.]+ s .*'
}

@test "switch: every resource and fence device moved to its baton agent" {
	has 'ok: baton-switch --apply moved everything (exit status 0, got 0)'
	for r in web db; do has "ok: $r runs on ocf:baton:vm"; done
	for r in ip-web ip-ldap; do has "ok: $r runs on ocf:baton:vip"; done
	has 'ok: slapd runs on ocf:baton:ldap'
	has 'ok: fence-node1 is a fence_baton_ipmi device'
}

@test "switch: no guest rebooted, no address gap over 1 s, no write lost, no stop or start" {
	has_re 'ok: the web guest never rebooted: its uptime only grew \([1-9][0-9]* readings\)'
	has_re 'ok: the db guest never rebooted: its uptime only grew \([1-9][0-9]* readings\)'
	has_re 'ok: 10\.98\.0\.100 never went more than 1 s without answering .*'
	has_re 'ok: 10\.98\.0\.101 never went more than 1 s without answering .*'
	has_re 'ok: every acknowledged write is in the directory \([1-9][0-9]* acknowledged, missing: none\)'
	has "ok: no stop or start of a moved service in either node's Pacemaker log"
}

@test "switch: after the move, a node's death fails over on the baton agents" {
	has 'ok: node2 fenced node1 with fence_baton_ipmi'
	has 'ok: web runs on node2 (ocf:baton:vm)'
	has 'ok: slapd runs on node2 (ocf:baton:ldap) with 10.98.0.100'
	has 'ok: writes resume'
}
