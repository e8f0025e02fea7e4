#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ntp as a promotable clone in a real one-node Pacemaker/Corosync
# cluster (tests/harness/pcmk-single.sh, in its own namespace and directory so
# that it never meets another test's cluster), with its service address
# (ocf:baton:vip) colocated with the Promoted role and started after promote.
# chronyd runs inside the cluster's namespaces with control_clock=false (-x):
# the host clock is never touched; port 123 of the cluster's own netns.
#
# Needs root, chrony and pcs. BATON_AGENT_DIR=DIR (a directory holding the
# agents "ntp" and "vip") makes the cluster see DIR as provider baton;
# default: the installed agents.

bats_require_minimum_version 1.5.0

load ../harness/pcmk-single

VIP=192.0.2.30
STATE=/run/bt-ntp   # the cluster's private /run

promoted() { in_cluster crm_mon -1 --output-as=xml | grep -q '<resource id="ntp" .*role="Promoted"'; }
stopped() { ! in_cluster crm_mon -1 --output-as=xml | grep -q '<resource id="ntp" .*role="\(Promoted\|Unpromoted\|Started\)"'; }
ip_up() { in_cluster ip -o -4 addr show dev bt0 | grep -q " $VIP/24 "; }
ip_gone() { ! in_cluster ip -o -4 addr show dev bt0 | grep -q " $VIP/"; }
ip_started() { in_cluster crm_mon -1 --output-as=xml | grep -q '<resource id="ntp-ip" .*role="Started"'; }
chronyd_running() { in_cluster pgrep -x chronyd >/dev/null; }
chronyd_gone() { ! chronyd_running; }
# the instance's command socket (the instance name of an anonymous clone may be ntp or ntp:0)
sock() { in_cluster sh -c "ls $STATE/*/chronyd/chronyd.sock 2>/dev/null | head -n 1"; }
# stratum (3rd CSV field of chronyc -c tracking) of the running instance
stratum() {
	local s
	s=$(sock)
	[ -n "$s" ] || return 1
	in_cluster chronyc -h "$s" -c tracking | awk -F, '{print $3}'
}
stratum_is() { [ "$(stratum 2>/dev/null)" = "$1" ]; }
score() { in_cluster crm_attribute --promotion=ntp --lifetime reboot --query --quiet 2>/dev/null; }
score_set() { local v; v=$(score) && [ -n "$v" ] && [ "$v" -gt 0 ]; }

# why the tests are skipped (bats 1.8 cannot skip in setup_file: the tests skip in setup)
skip_reason() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	command -v chronyd >/dev/null && command -v chronyc >/dev/null || { echo "needs chrony"; return; }
	command -v pcs >/dev/null || { echo "needs pcs"; return; }
	local dir
	dir=$(pcmk_agent_dir)
	[ -x "$dir/ntp" ] && [ -x "$dir/vip" ] ||
		echo "agents not installed: $dir/ntp and $dir/vip (make install, or BATON_AGENT_DIR=DIR)"
}

setup_file() {
	export NTP_PCMK_SKIP
	NTP_PCMK_SKIP=$(skip_reason)
	[ -z "$NTP_PCMK_SKIP" ] || return 0
	pcmk_up ntp || return 1
}

teardown_file() {
	[ -z "${NTP_PCMK_SKIP:-}" ] || return 0
	# kills pacemaker, its chronyd and the namespace with bt0 (and the address)
	pcmk_down
}

setup() {
	[ -z "${NTP_PCMK_SKIP:-}" ] || skip "$NTP_PCMK_SKIP"
}

teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -z "${NTP_PCMK_SKIP:-}" ] && [ -n "${BATON_PCMK_NS:-}" ]; then
		pcmk_show_failure
		in_cluster ip -o addr show dev bt0 2>&1 | sed 's/^/# bt0: /' >&3 || true
		grep -E 'ntp|chrony' "$BATON_PCMK_LOG" 2>/dev/null | tail -n 20 | sed 's/^/# log: /' >&3 || true
	fi
}

@test "pacemaker: pcs resource create ... promotable: the instance is promoted, chronyd answers" {
	local cib="$BATON_PCMK_SHARE/cib-ntp.xml"
	in_cluster cibadmin --query >"$cib"
	run -0 in_cluster pcs -f "$cib" resource create ntp ocf:baton:ntp \
		control_clock=false local_stratum=8 port=123 allow=192.0.2.0/24 \
		primary_address="$VIP" state_dir="$STATE" \
		op monitor role=Promoted interval=5s timeout=20s monitor role=Unpromoted interval=6s timeout=20s \
		promotable promoted-max=1 clone-max=1 notify=false
	run -0 in_cluster pcs -f "$cib" resource create ntp-ip ocf:baton:vip \
		ip="$VIP" cidr_netmask=24 nic=bt0 op monitor interval=5s timeout=20s
	run -0 in_cluster pcs -f "$cib" constraint colocation add ntp-ip with Promoted ntp-clone INFINITY
	run -0 in_cluster pcs -f "$cib" constraint order promote ntp-clone then start ntp-ip
	run -0 in_cluster pcs cluster cib-push "$cib" --config
	wait_until 60 promoted
	chronyd_running
	# the promoted instance serves its own clock at local_stratum
	wait_until 20 stratum_is 8
	run -0 in_cluster crm_failcount --query --resource ntp --node "$BATON_PCMK_NODE"
	[[ $output == *"value=0"* ]]
}

@test "pacemaker: the service address follows the Promoted role, up on bt0" {
	wait_until 60 promoted
	wait_until 30 ip_started
	wait_until 10 ip_up
	# the constraints pcs wrote: with the Promoted role, after promote
	run -0 in_cluster cibadmin --query --scope constraints
	local colo order
	colo=$(grep '<rsc_colocation ' <<<"$output")
	[[ $colo == *' rsc="ntp-ip"'* && $colo == *' with-rsc="ntp-clone"'* ]]
	[[ $colo == *' with-rsc-role="Promoted"'* && $colo == *' score="INFINITY"'* ]]
	order=$(grep '<rsc_order ' <<<"$output")
	[[ $order == *' first="ntp-clone"'* && $order == *' first-action="promote"'* ]]
	[[ $order == *' then="ntp-ip"'* && $order == *' then-action="start"'* ]]
	promoted
}

@test "pacemaker: the promotion score is set while the instance runs" {
	wait_until 60 promoted
	wait_until 20 score_set
	run -0 score
	[ "$output" -eq 10 ]   # own clock, no upstream: 10 (README, promotion score)
}

@test "pacemaker: disabling the clone demotes and stops it, the address goes away" {
	wait_until 30 ip_up
	run -0 in_cluster pcs resource disable ntp-clone
	wait_until 60 stopped
	wait_until 20 ip_gone
	wait_until 20 chronyd_gone
	# Pacemaker demoted before it stopped, and both succeeded
	grep -Eq 'demote operation for ntp[: ].*: ok' "$BATON_PCMK_LOG"
	grep -Eq 'stop operation for ntp[: ].*: ok' "$BATON_PCMK_LOG"
	# stop deleted the promotion score
	run score
	[ -z "$output" ] || [ "$output" = 0 ]
	run -0 in_cluster pcs resource enable ntp-clone
	wait_until 60 promoted
	wait_until 30 ip_up
	wait_until 20 stratum_is 8
}
