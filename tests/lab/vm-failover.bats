#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 1 on the lab cluster (tests/lab/scenario-vm-failover.sh): two nodes, a web VM and a
# database VM using most of their hosts' memory; the database's node loses power; the survivor
# fences it with fence_baton_ipmi, balloons the web VM down, starts the database VM; the node
# comes back, the database VM live-migrates home and the web VM grows back.
#
# Needs root, libvirtd + QEMU, ipmi_sim, crmsh and the installed baton packages.

bats_require_minimum_version 1.5.0

SCENARIO="$BATS_TEST_DIRNAME/scenario-vm-failover.sh"
LABCTL="$BATS_TEST_DIRNAME/lab-cluster.sh"
export LAB_NAME=blvm-bats

skip_reason() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	local x
	for x in ipmi_sim ipmitool libvirtd virtlogd qemu-system-x86_64 crm corosync pacemakerd; do
		command -v "$x" >/dev/null || { echo "needs $x"; return; }
	done
	[ -x /usr/lib/ocf/resource.d/baton/vm ] && [ -x /usr/sbin/fence_baton_ipmi ] ||
		echo "baton-agents and baton-fence are not installed"
}

setup_file() {
	export VMF_SKIP
	VMF_SKIP=$(skip_reason)
}

teardown_file() {
	[ -z "${VMF_SKIP:-}" ] || return 0
	"$LABCTL" down --purge >/dev/null 2>&1 || true
}

setup() {
	[ -z "${VMF_SKIP:-}" ] || skip "$VMF_SKIP"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] && return 0
	printf '%s\n' "${output:-}" | tail -n 60 | sed 's/^/# /' >&3
}

# the event's time in seconds on the timeline the scenario printed
at() { sed -n "s/^ *\([0-9.]*\) s  $1.*/\1/p" <<<"$output" | head -n 1; }

@test "lab scenario 1: host power loss, fencing, ballooning, failover and failback of a VM" {
	run -0 --separate-stderr timeout -k 10 420 "$SCENARIO"
	# every check of the scenario passed, none failed
	! grep -q '^FAILED' <<<"$stderr"
	grep -qx 'ok: node1 fenced node2 through its BMC' <<<"$output"
	grep -qx 'ok: web was shrunk, not below its floor (192 <= 256 < 512)' <<<"$output"
	grep -qx 'ok: both fit in node1.s 768 MiB (256 + 512)' <<<"$output"
	grep -qx 'ok: web grew back to 512 MiB on node1' <<<"$output"
	grep -qx 'ok: db was live-migrated home (no stop/start on node2)' <<<"$output"
	# the timeline is in causal order: the shrinking and the start come after the fencing
	# (the balloon is seen by a 0.1 s host poll: it may be seen after the start returned)
	local fenced shrunk started ready
	fenced=$(at "fencing of node2 confirmed")
	shrunk=$(at "web ballooned down")
	started=$(at "db start returned")
	ready=$(at "db guest ready")
	[ -n "$fenced" ] && [ -n "$shrunk" ] && [ -n "$started" ] && [ -n "$ready" ]
	[ "$(echo "$fenced <= $shrunk && $fenced <= $started && $started <= $ready" | bc)" = 1 ]
	grep -q '^failover total: [0-9.]* s' <<<"$output"
}
