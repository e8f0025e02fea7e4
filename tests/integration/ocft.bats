#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# resource-agents' own conformance suite, ocft, with its STOCK configs
# (/usr/share/resource-agents/ocft/configs) run against baton's agents:
#   IPaddr2, IPaddr2v4, IPaddr2v6 -> ocf:baton:vip  (in a network namespace of their own)
#   VirtualDomain                 -> ocf:baton:vm   (the project's tiny test guest, TCG)
#   drbd.linbit                   -> ocf:baton:drbd (the DRBD simulator tests/drbd/drbdsim)
# tests/ocft/run-ocft.sh changes only Agent/AgentRoot and the site values a config says to
# adjust; a case where baton answers differently on purpose comes from tests/ocft/cases/ and
# is listed in the agent's README. The output shows each check; on a failure, the first failed
# case with what the agent said.
#
# Needs root and resource-agents (ocft). The agents: $BATON_AGENT_DIR (default the installed
# /usr/lib/ocf/resource.d/baton); for a build tree, BATON_AGENT_DIR=_build/<dir>/agents/vip
# (run-ocft.sh finds agents/vm/vm and agents/drbd/drbd next to it).
# A missing prerequisite skips, except under CI=true, where it fails.

RUN=$BATS_TEST_DIRNAME/../ocft/run-ocft.sh
export BATON_AGENT_DIR=${BATON_AGENT_DIR:-/usr/lib/ocf/resource.d/baton}

# ocft CONFIG: run it; 77 from run-ocft.sh is a missing prerequisite
ocft() {
	run "$RUN" "$1"
	echo "$output"
	if [ "$status" -eq 77 ]; then
		[ "${CI:-}" != true ] || { echo "CI=true: a missing prerequisite is a failure" >&2; return 1; }
		skip "prerequisite missing: $(tail -n 1 <<<"$output")"
	fi
	[ "$status" -eq 0 ]
	# every case of the config ran and at least one check was made
	[[ "$output" =~ ocft\ $1\ against\ .*:\ ([0-9]+)/([0-9]+)\ cases\ run,\ ([0-9]+)\ checks\ OK,\ 0\ failed ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	[ "${BASH_REMATCH[3]}" -gt 0 ]
}

@test "ocft IPaddr2 (stock config) against ocf:baton:vip" {
	ocft IPaddr2
}

@test "ocft IPaddr2v4 (stock config) against ocf:baton:vip" {
	ocft IPaddr2v4
}

@test "ocft IPaddr2v6 (stock config) against ocf:baton:vip" {
	ocft IPaddr2v6
}

@test "ocft VirtualDomain (stock config) against ocf:baton:vm with a real guest" {
	ocft VirtualDomain
}

@test "ocft drbd.linbit (stock config) against ocf:baton:drbd and the DRBD simulator" {
	ocft drbd.linbit
}
