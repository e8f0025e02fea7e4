#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario "remote" (tests/lab/scenario-remote.sh): 2 full nodes + 4 Pacemaker Remote
# nodes (pacemaker-remoted, an IPMI BMC and a libvirtd each); 24 VIPs and 2 VMs balanced over
# all six; boot slots, ballooning and node attributes on a remote node; a VIP moved and a VM
# live-migrated between remote and full nodes; ntp, ldap and drbd (simulator) promotable clones
# on remote nodes; a remote node loses power and is fenced; then a full node is killed while
# the remote nodes run resources. The scenario runs once; the tests read its output. Needs
# root, libvirtd + QEMU, ipmi_sim, crmsh, slapd, jq, the installed baton packages and
# pacemaker-remoted (lab-cluster.sh fetch-remoted, run by ./lab deps). About 5 minutes.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/scenario-remote.sh"
LAB_NAME=blrem-bats
LAB_NEEDS="libvirtd virtlogd qemu-system-x86_64 chronyd chronyc slapd ldapsearch jq"
LAB_AGENTS="vm vip ntp ldap drbd"
LAB_TIMEOUT=600
load lab

@test "remote: the scenario passed every check" {
	[ "$LAB_RC" = 0 ]
	! grep -q '^FAILED' <<<"$output"
	has 'up: 2 nodes + 4 remote nodes'
	has_re '  \* RemoteOnline: \[ remote1 remote2 remote3 remote4 \]'
}

@test "remote: 24 VIPs and 2 VMs balanced over full and remote nodes, on the right kernels" {
	has 'ok: all 24 VIPs and both VMs started'
	has 'ok: vma and vmb run on remote2 (a remote node)'
	has 'ok: balanced: every node holds 3 to 6 resources'
	has 'ok: every VIP is on the eth0 of the node the cluster says, and only there'
}

@test "remote: boot slots and node attributes work on a remote node" {
	has 'ok: on remote2 one VM waited for the other'
	has 'ok: crm_node -n on remote1 says remote1'
	has "ok: node1 reads remote1's transient attribute (attrd through the connection)"
	has 'ok: node1 reads the promotion score remote1 wrote (master-ldap=7)'
}

@test "remote: a VM's start on a remote node balloons the VM already there; it grows back when the other leaves" {
	has_re 'ok: on remote2 the second VM.s start ballooned the first down \(balloons add up to <= 320 MiB, none below 96\)'
	has_re '^balloon vm[ab]: 192 -> [0-9]+ MiB$'
	has 'ok: vmb, alone on remote2 now, grew back to 192 MiB'
}

@test "remote: a VIP moves and a VM live-migrates between remote and full nodes" {
	has_re 'ok: vip[0-9]+ moved from remote[0-9] to node1'
	has_re 'ok: vip[0-9]+ moved back to remote[0-9] \(on its eth0\)'
	has 'ok: vma: migrate_to on remote2, migrate_from on node1'
	has 'ok: vma: migrate_to on node1, migrate_from on remote3'
	has 'ok: vmb: migrate_to on remote2, migrate_from on remote1'
	[ "$(grep -c 'was live-migrated (no start of' <<<"$output")" = 3 ]
}

@test "remote: remote1's power loss: noticed, fenced, then each resource elsewhere, in order" {
	local lost noticed fenced
	has 'ok: remote1 fenced through fence_baton_ipmi'
	has "ok: each of remote1's resources runs elsewhere"
	has 'ok: the spread is balanced over the 5 others (remote1: 0, others 4 to 6)'
	has 'ok: remote1, powered on by its fencing (reboot), is online again'
	noticed=$(at "connection loss noticed")
	fenced=$(at "remote1 fenced")
	[ -n "$noticed" ] && [ -n "$fenced" ]
	[ "$(echo "$noticed <= $fenced" | bc)" = 1 ]
	# every start after the failure comes after the fencing
	sed -n '/seconds after remote1 lost power/,/^spread after/p' <<<"$output" |
		awk -v f="$fenced" '/started on/ && $1 + 0 < f + 0 { bad = 1 } END { exit bad }'
}

@test "remote: a full node killed: node1 takes its connections, remote nodes' resources keep running" {
	has 'ok: node1 fenced node2 (power off)'
	has 'ok: node1 holds every remote connection'
	has 'ok: the remote nodes'"'"' resources kept running (no start of any of them)'
	has 'ok: every VIP on exactly the node the cluster says'
}

@test "remote: ocf:baton:ntp promotable clone on remote nodes: roles, scores, sync, one primary after node2's loss" {
	has 'ok: ntp: Promoted on one of remote3/remote4, Unpromoted on the other'
	has "ok: the ntp agents' promotion scores, written on remote3 and remote4, are read on node1"
	has_re 'ok: the ntp follower on remote[34] is synchronised to 10\.98\.0\.99 at stratum 9'
	has 'ok: ntp: one Promoted instance on remote3/remote4 again, the other Unpromoted, its address with it'
	has_re "ntp primary after node2's loss: remote[34].*"
}

@test "remote: ocf:baton:ldap promotable clone on remote nodes: roles, scores, replication, kept after node2's loss" {
	has 'ok: ldap: Promoted on one of remote3/remote4, Unpromoted on the other'
	has "ok: the ldap agents' promotion scores, written on remote3 and remote4, are read on node1"
	has_re 'ok: an entry is added through ldap://10\.98\.0\.98/ \(the primary on remote[34]\)'
	has_re 'ok: the replica on remote[34] has it \(syncrepl from the primary\)'
	has 'ok: ldap: one Promoted instance on remote3/remote4, the other Unpromoted, its address with it'
	has 'ok: the entry written before is still read through ldap://10.98.0.98/'
}

@test "remote: ocf:baton:drbd promotable clone on remote nodes (simulator): roles as the cluster's, the score through the connection" {
	has 'ok: drbd: Promoted on one of remote3/remote4, Unpromoted on the other'
	has_re 'ok: the simulated DRBD roles are the cluster.s \(Primary on remote[34] only\)'
	has_re "ok: the drbd primary's promotion score, written on remote[34], is read on node1"
	has 'ok: drbd: one Promoted instance on remote3/remote4, the simulator agrees'
}

@test "remote: promotion scores dropped with a moved connection are set again by the agents" {
	has_re 'ok: every promotion score on remote3/remote4 is set again \(connections moved from node2: .*\)'
}
