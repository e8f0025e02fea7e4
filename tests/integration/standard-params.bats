#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Every parameter a standard agent has and baton's refuses (the <baton:standard>
# tables of xml-metadata/*.xml) is refused by the built agent: validate-all,
# start and monitor fail with 6 and a reason naming it and what to use instead,
# before the agent touches anything; stop answers 0 (the resource cannot have
# started with it). The parameters are read from the XML, so a new entry is
# tested without a change here. Nothing runs but the agents: no root, no
# libvirtd, slapd or DRBD (the refusal comes before the agent's own checks).
# vip.bats shows on a real interface that start adds no address.
#
# The agents are BATON_BUILDDIR/agents/AGENT/AGENT when BATON_BUILDDIR is set
# (a build tree: BATON_BUILDDIR=_build/lab bats tests/integration/standard-params.bats),
# else the installed ones in /usr/lib/ocf/resource.d/baton. Needs xmllint.

bats_require_minimum_version 1.5.0

SRCDIR=$(readlink -f "$BATS_TEST_DIRNAME/../..")

setup_file() {
	command -v xmllint >/dev/null || skip "needs xmllint"
}

agent_path() {
	if [ -n "${BATON_BUILDDIR-}" ]; then
		echo "$(readlink -f "$BATON_BUILDDIR")/agents/$1/$1"
	else
		echo "/usr/lib/ocf/resource.d/baton/$1"
	fi
}

# refused AGENT: "STANDARD-AGENT NAME" per refused parameter of AGENT's table
refused() {
	local xml=$SRCDIR/xml-metadata/$1.xml agent name
	for agent in $(xmllint --xpath "//*[local-name()='standard']/@agent" "$xml" |
		sed 's/ *agent="\([^"]*\)"/\1 /g'); do
		for name in $(xmllint --xpath "//*[local-name()='standard'][@agent='$agent']/*[local-name()='param'][@decision='refused']/@name" "$xml" |
			sed 's/ *name="\([^"]*\)"/\1 /g'); do
			echo "$agent $name"
		done
	done
}

# run_agent AGENT ACTION VAR=VALUE...: in an environment of exactly these
run_agent() {
	local agent=$1 action=$2
	shift 2
	env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE="$agent-std" "$@" \
		"$(agent_path "$agent")" "$action"
}

check_agent() {
	local agent=$1 n=0 std name
	[ -x "$(agent_path "$agent")" ] || { echo "agent not found: $(agent_path "$agent")" >&2; return 1; }
	while read -r std name; do
		n=$((n + 1))
		for action in validate-all start monitor; do
			run --separate-stderr run_agent "$agent" "$action" "OCF_RESKEY_$name=baton-test-value"
			if [ "$status" -ne 6 ] ||
				! grep -q "^ocf-exit-reason:parameter $name of $std is not supported by ocf:baton:$agent: .*; " <<<"$stderr"; then
				echo "$agent $action with $name: status $status, stderr: $stderr" >&2
				return 1
			fi
			[ -z "$output" ] || { echo "$agent $action printed: $output" >&2; return 1; }
		done
		run --separate-stderr run_agent "$agent" stop "OCF_RESKEY_$name=baton-test-value"
		[ "$status" -eq 0 ] || { echo "$agent stop with $name: $status $stderr" >&2; return 1; }
	done < <(refused "$agent")
	[ "$n" -gt 0 ] || { echo "$agent: no refused parameters found in its table" >&2; return 1; }
}

@test "vip refuses every refused IPaddr2 parameter; stop answers 0" {
	check_agent vip
}

@test "vm refuses every refused VirtualDomain parameter; stop answers 0" {
	check_agent vm
}

@test "ldap refuses no slapd parameter: each is implemented, or changes nothing (ldapsearch)" {
	# ldap.bats tests parameters, maxfiles, watch_suffix and ignore_suffix on a real slapd
	[ -z "$(refused ldap)" ]
	grep -q 'name="ldapsearch" decision="noop"' "$SRCDIR/xml-metadata/ldap.xml"
}

@test "drbd refuses every refused linbit drbd parameter; stop answers 0" {
	check_agent drbd
}

@test "an empty value is no value (Pacemaker's way of clearing a parameter): not refused" {
	run --separate-stderr run_agent vip validate-all OCF_RESKEY_network_namespace= OCF_RESKEY_ip=
	[ "$status" -eq 6 ]     # for the missing ip, not for network_namespace
	grep -q "^ocf-exit-reason:parameter 'ip' is required" <<<"$stderr"
	! grep -q network_namespace <<<"$stderr" || false
}
