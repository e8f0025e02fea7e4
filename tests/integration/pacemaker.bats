#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vip under a real one-node Pacemaker/Corosync cluster (tests/harness/pcmk-single.sh):
# metadata and validation through Pacemaker's tools, a primitive created with pcs, the
# crm_resource --force-* actions, recovery by the recurring monitor, and stop.
#
# Needs root. By default the agent installed in /usr/lib/ocf/resource.d/baton is tested (what
# ./lab check does after installing the packages). BATON_AGENT_DIR=DIR (a directory holding the
# agent "vip", e.g. a build tree's agents/vip) makes only the cluster see DIR as provider baton.
# BATON_PCMK_AGENT=ocf:heartbeat:IPaddr2 runs the same tests against IPaddr2 (to check the
# harness itself; it takes the same parameters).

bats_require_minimum_version 1.5.0

load ../harness/pcmk-single

VIP=192.0.2.10
VIP2=192.0.2.20

# has_addr ADDR: ADDR is on bt0 in the cluster's network namespace
has_addr() { ip -n "$BATON_PCMK_NS" -4 -o addr show dev "$BATON_PCMK_NIC" | grep -qF " $1/"; }
# (a function, not "! has_addr": bash's errexit ignores a negated command)
no_addr() { ! has_addr "$1"; }

# vip1 (created by the pcs test) exists and is started: a later test fails at once, not after
# a minute of waiting, when the resource was never created
need_vip1() {
	in_cluster crm_resource --resource vip1 --query-xml >/dev/null 2>&1 ||
		{ echo "# vip1 does not exist (its creation failed above)" >&3; return 1; }
	wait_until 60 rsc_started vip1
}

rsc_started() { in_cluster crm_mon -1 --output-as=xml | grep -q "<resource id=\"$1\" .*role=\"Started\""; }
rsc_stopped() { ! in_cluster crm_mon -1 --output-as=xml | grep -q "<resource id=\"$1\" .*role=\"Started\""; }

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	export BATON_PCMK_AGENT=${BATON_PCMK_AGENT:-ocf:baton:vip}
	if [ "$BATON_PCMK_AGENT" = ocf:baton:vip ]; then
		[ -x "$(pcmk_agent_dir)/vip" ] ||
			skip "agent not found: $(pcmk_agent_dir)/vip (install the packages: ./lab install)"
	fi
	pcmk_up || return 1
}

teardown_file() {
	[ "$(id -u)" = 0 ] || return 0
	pcmk_down
}

teardown() {
	# on failure: the last command's output and what the cluster thought
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${BATON_PCMK_NS:-}" ]; then
		pcmk_show_failure
		echo "# cluster logs: $BATON_PCMK_DIR/log (copied to \$BATON_PCMK_SAVE_LOGS on stop)" >&3
	fi
}

@test "crm_resource --show-metadata prints the agent's metadata" {
	run -0 in_cluster crm_resource --show-metadata "$BATON_PCMK_AGENT"
	[[ $output == *"<resource-agent name=\"${BATON_PCMK_AGENT##*:}\""* ]]
	[[ $output == *'<parameter name="ip"'* ]]
	[[ $output == *'<action name="monitor"'* ]]
}

@test "pcs resource describe shows the agent" {
	run -0 in_cluster pcs resource describe "$BATON_PCMK_AGENT"
	[[ $output == *"$BATON_PCMK_AGENT"* ]]
	[[ $output == *"cidr_netmask"* ]]
}

@test "crm ra info shows the agent" {
	# crmsh parses the meta-data itself (lxml, from a str: no encoding declaration allowed)
	run -0 in_cluster crm ra info "$BATON_PCMK_AGENT"
	[[ $output == *"($BATON_PCMK_AGENT)"* ]]
	[[ $output == *"cidr_netmask"* ]]
}

@test "crm_resource --validate accepts a good configuration and rejects a bad address" {
	local c=${BATON_PCMK_AGENT%%:*} p=${BATON_PCMK_AGENT#*:}
	p=${p%%:*}
	local t=${BATON_PCMK_AGENT##*:}
	run -0 in_cluster crm_resource --validate --class "$c" --provider "$p" --agent "$t" \
		--option ip=$VIP --option cidr_netmask=24 --option nic="$BATON_PCMK_NIC"
	run in_cluster crm_resource --validate --class "$c" --provider "$p" --agent "$t" \
		--option ip=300.0.2.10 --option cidr_netmask=24 --option nic="$BATON_PCMK_NIC"
	[ "$status" -ne 0 ]
	[[ $output == *"returned 6"* ]]   # OCF_ERR_CONFIGURED
	no_addr 300.0.2.10
}

@test "a primitive created offline with pcs is started by Pacemaker" {
	local cib="$BATON_PCMK_SHARE/cib-vip1.xml"
	in_cluster cibadmin --query >"$cib"
	run -0 in_cluster pcs -f "$cib" resource create vip1 "$BATON_PCMK_AGENT" ip=$VIP \
		cidr_netmask=24 nic="$BATON_PCMK_NIC" op monitor interval=5s timeout=20s
	run -0 in_cluster pcs cluster cib-push "$cib" --config
	wait_until 60 rsc_started vip1
	run -0 in_cluster crm_resource --locate --resource vip1
	[[ $output == *"is running on: $BATON_PCMK_NODE"* ]]
	has_addr $VIP
}

@test "crm_resource --force-check/--force-stop/--force-start run the agent directly" {
	need_vip1
	run -0 in_cluster crm_resource --resource vip1 --force-check
	run -0 in_cluster crm_resource --resource vip1 --force-stop
	no_addr $VIP
	run -7 in_cluster crm_resource --resource vip1 --force-check
	run -0 in_cluster crm_resource --resource vip1 --force-start
	has_addr $VIP
	run -0 in_cluster crm_resource --resource vip1 --force-check
	# the 5 s monitor may have seen the gap: forget it, so later tests start clean
	run -0 in_cluster crm_resource --cleanup --resource vip1
	wait_until 60 rsc_started vip1
	has_addr $VIP
}

@test "an address removed behind Pacemaker's back is detected by the monitor and restored" {
	need_vip1
	ip -n "$BATON_PCMK_NS" addr del $VIP/24 dev "$BATON_PCMK_NIC"
	no_addr $VIP
	# monitor interval 5 s, then stop + start
	wait_until 30 has_addr $VIP
	run -0 in_cluster crm_failcount --query --resource vip1 --node "$BATON_PCMK_NODE"
	[[ $output =~ value=([1-9][0-9]*) ]]
	run -0 in_cluster crm_resource --cleanup --resource vip1
	wait_until 60 rsc_started vip1
}

@test "a second address on the same NIC is independent of the first" {
	need_vip1
	run -0 in_cluster pcs resource create vip2 "$BATON_PCMK_AGENT" ip=$VIP2 cidr_netmask=24 \
		nic="$BATON_PCMK_NIC" op monitor interval=5s timeout=20s
	wait_until 60 rsc_started vip2
	has_addr $VIP
	has_addr $VIP2
	run -0 in_cluster pcs resource delete vip2
	wait_until 60 rsc_stopped vip2
	no_addr $VIP2
	has_addr $VIP
	rsc_started vip1
}

@test "disabling the resource stops it and removes the address" {
	need_vip1
	run -0 in_cluster crm_resource --resource vip1 --meta --set-parameter target-role \
		--parameter-value Stopped
	wait_until 60 rsc_stopped vip1
	no_addr $VIP
	run -7 in_cluster crm_resource --resource vip1 --force-check
	# the agent's stop must not have touched the NIC's own address
	has_addr 192.0.2.1
	run -0 in_cluster pcs resource delete vip1
	run -0 in_cluster crm_resource --wait --timeout 60
	no_addr $VIP
}
