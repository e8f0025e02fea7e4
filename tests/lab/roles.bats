#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario 2, relocatable services with roles: tests/lab/scenario-roles.sh (a two-node
# lab cluster, ocf:baton:ldap and ocf:baton:ntp as promotable clones with their service
# addresses; the primaries' node crashes under a writing client). The scenario runs once in
# setup_file; the tests read its output.
#
# Needs root, the installed baton agents (ldap, ntp, vip) and fence agent, slapd,
# ldap-utils, chrony, OpenIPMI's ipmi_sim, pacemaker, corosync and crmsh. About a minute.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-roles.sh"
LAB_NAME=blrole
LAB_NEEDS="slapd slapadd slapcat slappasswd ldapadd ldapsearch chronyd chronyc"
LAB_AGENTS="ldap ntp vip"
load lab

refute() { ! "$@"; }   # a failing "! cmd" does not fail a bats test unless it is the last line

@test "roles: the scenario passed every check (exit status 0, no FAILED)" {
	if [ "$LAB_RC" != 0 ]; then
		# the scenario leaves the logs after a failure; teardown_file purges them
		grep -hE 'error|warning: .*(ldap|ntp)|baton-(ldap|ntp|vip)' /var/lib/baton-lab/blrole/node*/log/pacemaker/pacemaker.log 2>/dev/null |
			tail -n 40 | sed 's/^/# log: /' >&3
		return 1
	fi
	refute grep -q '^FAILED' "$LAB_OUT"
	has_re 'result: [0-9]+ acknowledged writes, [0-9]+ lost in the crash.*'
	# the evidence, in bats' output: the last timeline and the counts
	{ tac "$LAB_OUT" | sed '/^timeline/q' | tac; grep -E '^(acknowledged|ldap promote took|result)' "$LAB_OUT"; } |
		sed 's/^/# /' >&3
}

@test "roles: one Promoted and one Unpromoted of ldap and of ntp, the addresses on the primary" {
	has_re 'ok: ldap: Promoted on node[12], Unpromoted on node[12]'
	has_re 'ok: ntp: Promoted on node[12] \(with the ldap primary\), Unpromoted on node[12]'
	has_re 'ok: 10\.98\.0\.100 is on node[12].s eth0'
	has_re 'ok: 10\.98\.0\.101 is on node[12].s eth0'
	has_re "ok: node[12]'s slapd follows ldap://10\.98\.0\.100/ \(olcSyncrepl\) and refers writes there \(olcUpdateRef\)"
	# the printed configuration has the roles and constraints a user would type
	has 'pcs resource create ldap ocf:baton:ldap'
	has 'promotable promoted-max=1 clone-max=2 notify=true'
	has 'colocation ldap-ip-with-primary inf: ldap-ip ldap-clone:Promoted'
	has 'order ldap-ip-after-promote Mandatory: ldap-clone:promote ldap-ip:start'
	has 'colocation ntp-ip-with-primary inf: ntp-ip ntp-clone:Promoted'
	# no password on the agents' command lines: the CIB names the file
	refute grep -q 'lab-ldap-secret' "$LAB_OUT"
}

@test "roles: replication through the service address; the replica refers writes" {
	has 'ok: ldapadd through ldap://10.98.0.100/ succeeds'
	has_re 'ok: uid=first is on the replica node[12] \(ldap://10\.98\.0\.[12]/\)'
	has 'ok: both have the same contextCSN'
	has 'ok: a write to the replica itself is refused with a referral (rc 10, got 10)'
	has_re 'ok: the ntp follower on node[12] is synchronised to 10\.98\.0\.101 at stratum 9'
}

@test "roles: crash of the primary's node: lost, fenced, promoted, addresses moved, writes resume" {
	has_re 'ok: node[12] sees node[12] lost'
	has_re 'ok: node[12] fenced node[12] through its BMC'
	has_re 'ok: ldap is promoted on node[12]'
	has_re 'ok: 10\.98\.0\.100 is up on node[12]'
	has_re 'ok: ntp is promoted on node[12]'
	has_re 'ok: 10\.98\.0\.101 is up on node[12]'
	has_re "ok: the client's writes resume on node[12]"
	has_re ' +0\.00 s  node[12] killed \(crash of the primary.s node\)'
	has_re ' +[0-9.]+ s  first write acknowledged by node[12]'
}

@test "roles: every write acknowledged after the crash is kept; a loss only in the crash's last instant" {
	has 'ok: the client wrote through both providers'
	has_re 'ok: every write acknowledged by node[12] is on node[12] \(missing: none\)'
	has_re 'acknowledged but missing on node[12]: .*'
	# README (agents/ldap): asynchronous replication may lose the last acknowledged writes of
	# the crashed provider, nothing else; the scenario checked each missing one
	local line
	line=$(grep -E '^acknowledged but missing on node[12]: ' "$LAB_OUT")
	if [ "${line##*: }" != none ]; then
		has_re "ok: w[0-9]+, missing, is one of node[12]'s last two acknowledged writes .*"
	fi
}

@test "roles: the fenced ex-primary comes back as a replica, never writable, in sync" {
	has_re 'ok: node[12] is online again'
	has_re 'ok: ldap: Promoted on node[12], Unpromoted on node[12]'
	has_re 'ok: a write to the ex-primary is refused with a referral \(rc 10, got 10\)'
	has_re 'ok: node[12] has node[12].s data \(same contextCSN\)'
	has_re 'ok: node[12] has the same entries as node[12]'
}

@test "roles: nothing of the lab remains: namespaces, slapd, chronyd" {
	"$LAB_CTL" down --purge >/dev/null 2>&1
	run ip netns list
	refute grep -qE '^blrole[0-9]' <<<"$output"
	# the daemons the scenario saw are gone
	local comm pid
	[ "$(grep -c '^daemon pid: ' "$LAB_OUT")" -eq 4 ]   # a slapd and a chronyd per node
	while read -r _ _ comm pid; do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$comm" ] || { echo "$comm $pid still runs" >&2; return 1; }
	done < <(grep '^daemon pid: ' "$LAB_OUT")
	refute pgrep -f 'slapd.*/var/lib/baton-lab-blrole/'
}
