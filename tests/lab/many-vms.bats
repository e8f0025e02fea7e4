#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario "many VMs" (scenario-many-vms.sh): N small VMs (N=10 here) on node2 of a
# two-node lab; node2 loses power and node1 restarts them all; then the whole site loses
# power and comes back. The scenario runs once; the tests read its output. Needs root,
# libvirtd + QEMU, ipmi_sim and the installed packages. LAB_NAME=blmany-bats.

bats_require_minimum_version 1.5.0

LABCTL="$BATS_TEST_DIRNAME/lab-cluster.sh"
SCENARIO="$BATS_TEST_DIRNAME/scenario-many-vms.sh"
export LAB_NAME=blmany-bats

skip_reason() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	local x
	for x in ipmi_sim ipmitool libvirtd virtlogd qemu-system-x86_64 crm corosync pacemakerd bc; do
		command -v "$x" >/dev/null || { echo "needs $x"; return; }
	done
	[ -x /usr/lib/ocf/resource.d/baton/vm ] && [ -x /usr/sbin/fence_baton_ipmi ] ||
		echo "baton-agents and baton-fence are not installed"
}

setup_file() {
	export MANY_SKIP MANY_OUT MANY_RC
	MANY_SKIP=$(skip_reason)
	[ -z "$MANY_SKIP" ] || return 0
	MANY_OUT="$BATS_FILE_TMPDIR/scenario.out"
	MANY_RC=0
	N=10 LAB_KEEP=0 timeout -k 10 900 "$SCENARIO" >"$MANY_OUT" 2>&1 || MANY_RC=$?
}

teardown_file() {
	[ -z "${MANY_SKIP:-}" ] || return 0
	"$LABCTL" down --purge >/dev/null 2>&1 || true
}

setup() {
	[ -z "${MANY_SKIP:-}" ] || skip "$MANY_SKIP"
	output=$(cat "$MANY_OUT")
}

teardown() {
	if [ "$BATS_TEST_NUMBER" = 1 ] && [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -z "${MANY_SKIP:-}" ]; then
		tail -n 80 "$MANY_OUT" | sed 's/^/# scenario: /' >&3
	fi
}

# the event's time in seconds on the timeline the scenario printed
at() { sed -n "s/^ *\([0-9.]*\) s  $1.*/\1/p" <<<"$output" | head -n 1; }

@test "many VMs: the scenario passes every check" {
	[ "$MANY_RC" = 0 ]
	! grep -q '^FAILED' <<<"$output"
}

@test "many VMs: node2's 10 VMs all come alive on node1 after the fencing, none hung" {
	grep -qx 'ok: all 10 guests alive on node1' <<<"$output"
	grep -qx 'part 1: hung guests: 0' <<<"$output"
	local fenced first last
	fenced=$(at "part 1: fencing of node2 confirmed")
	first=$(at "part 1: first guest alive")
	last=$(at "part 1: last guest alive (10 of 10)")
	[ -n "$fenced" ] && [ -n "$first" ] && [ -n "$last" ]
	[ "$(echo "$fenced < $first && $first <= $last" | bc)" = 1 ]
}

@test "many VMs: after a whole-site power loss every guest comes alive again, none hung" {
	grep -qx 'ok: the cluster formed again' <<<"$output"
	grep -qx 'part 2: hung guests: 0' <<<"$output"
	[ -n "$(at "part 2: last guest alive (10 of 10)")" ]
}
