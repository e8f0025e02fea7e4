#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Pacemaker fences with the installed fence_baton_ipmi: stonith_admin talks to
# pacemaker-fenced of a real one-node cluster (tests/harness/pcmk-single.sh, in
# its own namespace and directory), which runs the agent against an ipmi_sim
# BMC listening on 127.0.0.1 inside the cluster's network namespace. The node
# fenced ("fake-node2") is not a cluster member: only its BMC exists.
#
# Needs root, ipmi_sim (openipmi), ipmitool and xmllint.

bats_require_minimum_version 1.5.0

load lib/ipmi-sim
load ../harness/pcmk-single

LIB=$(readlink -f "$BATS_TEST_DIRNAME/lib/ipmi-sim.bash")
AGENT=/usr/sbin/fence_baton_ipmi
PLUGIN=/usr/lib/x86_64-linux-gnu/baton/stonith/ipmi.so
PORT=6231
PW=pcmk-bmc-pw-x

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -x "$AGENT" ] && [ -f "$PLUGIN" ] || skip "fence_baton_ipmi not installed ($AGENT, $PLUGIN)"
	command -v ipmi_sim >/dev/null || skip "ipmi_sim (openipmi) not installed"
	command -v stonith_admin >/dev/null || skip "pacemaker not installed"
	command -v xmllint >/dev/null || skip "xmllint not installed"
	pcmk_up fence || return 1
	# Where the host (reading the chassis state) and the hook (in the netns) both see it.
	export BMC=$BATON_PCMK_SHARE/bmc
	mkdir -p "$BMC"
	ip netns exec "$BATON_PCMK_NS" bash -c 'source "$1"; ipmi_sim_start "$2" "$3" admin "$4"' \
		_ "$LIB" "$BMC" "$PORT" "$PW" || { echo "ipmi_sim did not start" >&2; return 1; }
}

teardown_file() {
	[ "$(id -u)" = 0 ] || return 0
	[ -n "${BMC:-}" ] && [ -d "$BMC" ] && ipmi_sim_stop "$BMC"
	pcmk_down
}

teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${BATON_PCMK_NS:-}" ]; then
		printf '%s\n' "${output:-}" | sed 's/^/# output: /' >&3
		ipmi_sim_log "$BMC" 2>&1 | sed 's/^/# bmc: /' >&3 || true
		grep -i 'fence\|stonith' "$BATON_PCMK_LOG" 2>/dev/null | tail -n 20 | sed 's/^/# log: /' >&3 || true
	fi
}

# register ID PASSWORD HOST
register() {
	in_cluster stonith_admin --register "$1" -a fence_baton_ipmi -o ip=127.0.0.1 \
		-o ipport="$PORT" -o username=admin -o password="$2" -o lanplus=1 \
		-o ipmi_workarounds=opensesspriv -o pcmk_host_list="$3"
}

@test "fence-pacemaker: stonith_admin --list-installed lists fence_baton_ipmi" {
	run -0 in_cluster stonith_admin --list-installed
	grep -qx 'fence_baton_ipmi' <<<"$output"
}

@test "fence-pacemaker: stonith_admin --metadata is valid XML naming the agent" {
	run -0 --separate-stderr in_cluster stonith_admin --metadata -a fence_baton_ipmi
	xmllint --noout - <<<"$output"
	[ "$(xmllint --xpath 'string(/resource-agent/@name)' - <<<"$output")" = fence_baton_ipmi ]
}

@test "fence-pacemaker: a registered device is listed, queried, and fences only its host" {
	run -0 register dev1 "$PW" fake-node2
	run -0 in_cluster stonith_admin --list-registered
	grep -qx dev1 <<<"$output"
	# --query runs the agent's status action against the BMC
	: >"$BMC/commands"
	run -0 in_cluster stonith_admin --query dev1
	run -0 in_cluster stonith_admin --list fake-node2
	grep -qx dev1 <<<"$output"
	run -0 in_cluster stonith_admin --list some-other-node
	[[ $output != *dev1* ]]
	# status is read-only: nothing switched
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	[ -z "$(ipmi_sim_log "$BMC")" ]
}

@test "fence-pacemaker: --reboot switches the chassis off then on, history says success" {
	ipmi_sim_set_power "$BMC" 1
	: >"$BMC/commands"
	run -0 in_cluster stonith_admin --reboot fake-node2 --timeout 30
	[ "$(ipmi_sim_log "$BMC")" = "$(printf 'set power 0\nset power 1')" ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	run -0 in_cluster stonith_admin --history fake-node2
	[[ $output == *"reboot of fake-node2 successful"* ]]
}

@test "fence-pacemaker: --fence powers the chassis off and leaves it off" {
	ipmi_sim_set_power "$BMC" 1
	: >"$BMC/commands"
	run -0 in_cluster stonith_admin --fence fake-node2 --timeout 30
	[ "$(ipmi_sim_log "$BMC")" = "set power 0" ]
	[ "$(ipmi_sim_power "$BMC")" = 0 ]
	run -0 in_cluster stonith_admin --history fake-node2 --verbose
	[[ $output == *"turning off of fake-node2 successful"* ]]
}

@test "fence-pacemaker: a wrong password fails the fencing within the timeout, nothing switched" {
	run -0 register dev-badpw wrong-password fake-node3
	ipmi_sim_set_power "$BMC" 1
	: >"$BMC/commands"
	run ! in_cluster stonith_admin --query dev-badpw
	local t0=$SECONDS
	run ! in_cluster stonith_admin --reboot fake-node3 --timeout 20
	[ $((SECONDS - t0)) -le 25 ]
	[ -z "$(ipmi_sim_log "$BMC")" ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	run -0 in_cluster stonith_admin --history fake-node3 --verbose
	[[ $output == *"reboot of fake-node3 failed"* ]]
	[[ $output != *"successful"* ]]
}
