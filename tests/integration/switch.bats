#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# baton-switch on a real one-node Pacemaker/Corosync cluster (tests/harness/pcmk-single.sh):
# IPaddr2 addresses moved to ocf:baton:vip and back while they stay up, a parameter baton
# refuses keeping its resource where it is, and a resource the agents no longer find where the
# cluster had it left unmanaged instead of being called stopped.
#
# Needs root. By default the installed baton-switch and agents are tested (what ./lab check
# does after installing the packages); BATON_AGENT_DIR=DIR makes the cluster see DIR as
# provider baton, BATON_SWITCH=PATH runs another baton-switch (e.g. a build tree's).

bats_require_minimum_version 1.5.0

load ../harness/pcmk-single

SWITCH=${BATON_SWITCH:-/usr/sbin/baton-switch}
IP1=192.0.2.31
IP2=192.0.2.32
IP3=192.0.2.33

has_addr() { ip -n "$BATON_PCMK_NS" -4 -o addr show dev "$BATON_PCMK_NIC" | grep -qF " $1/"; }
agent_of() { in_cluster crm_resource --resource "$1" --query-xml | grep -o "<primitive [^>]*>" | head -1; }
rsc_started() { in_cluster crm_mon -1 --output-as=xml | grep -q "<resource id=\"$1\" .*role=\"Started\""; }

# The cluster log's lines since mark_log: did the cluster start or stop one of these resources?
mark_log() { log_mark=$(wc -l <"$BATON_PCMK_LOG"); }
starts_or_stops() {
	tail -n +$((log_mark + 1)) "$BATON_PCMK_LOG" |
		grep -E "Initiating (start|stop) operation ($1)_(start|stop)_0" || true
}

# Every 0.1 s, whether each address is on the NIC; a gap is a "missing" line in $BATS_FILE_TMPDIR.
watch_addrs() {
	: >"$BATS_FILE_TMPDIR/missing"
	(
		while [ -e "$BATS_FILE_TMPDIR/watching" ]; do
			for a in "$@"; do has_addr "$a" || echo "$(date +%T.%N) $a" >>"$BATS_FILE_TMPDIR/missing"; done
			sleep 0.1
		done
	) 3>&- &
	watcher=$!
	touch "$BATS_FILE_TMPDIR/watching"
}
stop_watching() { rm -f "$BATS_FILE_TMPDIR/watching"; wait "$watcher" 2>/dev/null || true; }

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -x "$SWITCH" ] || skip "baton-switch not found: $SWITCH (install the packages: ./lab install)"
	[ -x "$(pcmk_agent_dir)/vip" ] || skip "agent not found: $(pcmk_agent_dir)/vip"
	pcmk_up switch || return 1
	in_cluster pcs resource create ip1 ocf:heartbeat:IPaddr2 ip=$IP1 cidr_netmask=24 \
		nic="$BATON_PCMK_NIC" arp_bg=true op monitor interval=10s --group g1 || return 1
	in_cluster pcs resource create ip2 ocf:heartbeat:IPaddr2 ip=$IP2 cidr_netmask=24 \
		nic="$BATON_PCMK_NIC" op monitor interval=10s --group g1 || return 1
	wait_until 60 rsc_started ip2
}

teardown_file() {
	[ "$(id -u)" = 0 ] || return 0
	pcmk_down
}

teardown() {
	stop_watching 2>/dev/null || true
	pcmk_show_failure
}

@test "the plan shows the vip definition and changes nothing" {
	run -0 in_cluster "$SWITCH"
	[[ $output == *"ip1: ocf:heartbeat:IPaddr2 -> ocf:baton:vip"* ]]
	[[ $output == *"new: "*"ip=$IP1"* ]]
	[[ $output == *"left out: arp_bg has no effect in ocf:baton:vip"* ]]
	[[ $output == *"ip2: ocf:heartbeat:IPaddr2 -> ocf:baton:vip"* ]]
	[[ $(agent_of ip1) == *'provider="heartbeat"'* ]]
}

@test "a plan from a CIB file is the plan from the live cluster" {
	# (the cluster's /tmp is its own: the file goes where both sides see it)
	in_cluster cibadmin --query >"$BATON_PCMK_SHARE/cib.xml"
	run -0 in_cluster "$SWITCH"
	live=$output
	# in the cluster too: validate-all looks at this node, whose NIC the addresses use
	run -0 in_cluster "$SWITCH" --cib "$BATON_PCMK_SHARE/cib.xml"
	[ "$output" = "$live" ]
	run -2 "$SWITCH" --cib "$BATON_PCMK_SHARE/no-such-file.xml"
	[[ $output == *"not an XML file"* ]]
	rm -f "$BATON_PCMK_SHARE/cib.xml"
}

@test "a parameter vip does not implement keeps its resource on IPaddr2, with the reason" {
	in_cluster pcs resource create ip3 ocf:heartbeat:IPaddr2 ip=$IP3 cidr_netmask=24 \
		nic="$BATON_PCMK_NIC" mac=02:00:00:00:00:33
	wait_until 60 rsc_started ip3
	run -1 in_cluster "$SWITCH" --resource ip3
	[[ $output == *"CANNOT MOVE: mac: "*"instead: "* ]]
	run -1 in_cluster "$SWITCH" --apply --resource ip3
	[[ $output == *"not moved: ip3 stays on ocf:heartbeat:IPaddr2"* ]]
	[[ $(agent_of ip3) == *'type="IPaddr2"'* ]]
	in_cluster pcs resource delete ip3 --force
}

@test "a resource that is no longer where the cluster had it is left unmanaged, not called stopped" {
	in_cluster pcs resource create ip3 ocf:heartbeat:IPaddr2 ip=$IP3 cidr_netmask=24 \
		nic="$BATON_PCMK_NIC" op monitor interval=1h
	wait_until 60 rsc_started ip3
	# behind the cluster's back: neither agent can find it where the cluster had it
	ip -n "$BATON_PCMK_NS" addr del "$IP3/24" dev "$BATON_PCMK_NIC"
	run -1 in_cluster "$SWITCH" --apply --resource ip3 --timeout 60
	[[ $output == *"ip3: the new agent ocf:baton:vip finds it: stopped"*"MISMATCH"* ]]
	[[ $output == *"UNMANAGED: ip3: "* ]]
	# the old definition is back, and the cluster keeps its hands off
	[[ $(agent_of ip3) == *'type="IPaddr2"'* ]]
	run -0 in_cluster crm_resource --resource ip3 --meta --get-parameter is-managed
	[[ $output == *false* ]]
	in_cluster pcs resource delete ip3 --force
}

@test "--apply moves the addresses to vip with no stop, no start and no gap" {
	mark_log
	watch_addrs $IP1 $IP2
	run -0 in_cluster "$SWITCH" --apply
	stop_watching
	[[ $output == *"moved:     ip1 (ocf:heartbeat:IPaddr2 -> ocf:baton:vip)"* ]]
	[[ $output == *"moved:     ip2 (ocf:heartbeat:IPaddr2 -> ocf:baton:vip)"* ]]
	[[ $(agent_of ip1) == *'provider="baton"'*'type="vip"'* || $(agent_of ip1) == *'type="vip"'*'provider="baton"'* ]]
	# managed again, with no is-managed left behind, and arp_bg (a no-op for vip) left out
	run -0 in_cluster crm_resource --resource ip1 --query-xml
	[[ $output != *"is-managed"* ]]
	[[ $output != *"arp_bg"* ]]
	wait_until 30 rsc_started ip1
	[ -z "$(starts_or_stops 'ip1|ip2')" ]
	[ ! -s "$BATS_FILE_TMPDIR/missing" ]
	# and vip runs it from now on: its recurring monitor
	in_cluster crm_resource --resource ip1 --force-check
}

@test "--back returns them to IPaddr2 the same way" {
	mark_log
	watch_addrs $IP1 $IP2
	run -0 in_cluster "$SWITCH" --back --apply
	stop_watching
	[[ $output == *"moved:     ip1 (ocf:baton:vip -> ocf:heartbeat:IPaddr2)"* ]]
	[[ $output == *"moved:     ip2 (ocf:baton:vip -> ocf:heartbeat:IPaddr2)"* ]]
	[[ $(agent_of ip2) == *'type="IPaddr2"'* ]]
	wait_until 30 rsc_started ip2
	[ -z "$(starts_or_stops 'ip1|ip2')" ]
	[ ! -s "$BATS_FILE_TMPDIR/missing" ]
}

@test "bad options are refused with usage" {
	run -2 "$SWITCH" --timeout 0
	[[ $output == *"--timeout takes seconds"* ]]
	run -2 "$SWITCH" --apply --cib /dev/null
	[[ $output == *"--cib is for plans"* ]]
	run -2 in_cluster "$SWITCH" --resource no-such-resource
	[[ $output == *"no-such-resource is no resource of an agent to move"* ]]
}
