#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Scenario 4 on the lab cluster (tests/lab/scenario-health-migrate.sh): a VM on the lab
# network (bridge br0 on each node) under ocf:baton:vm with a depth-20 HTTP health check.
# The service inside the guest breaks: Pacemaker sees it with the agent's reason and restarts
# the VM. Then the VM live-migrates to the other node under a continuous ping from the
# management namespace: migrate_to + migrate_from, no restart, a fraction of a second lost.
#
# Needs root, libvirtd + QEMU, ipmi_sim, crmsh, the installed baton packages and the test
# guest images (tests/vm/guest-image.sh builds the missing net image).

bats_require_minimum_version 1.5.0

SCENARIO="$BATS_TEST_DIRNAME/scenario-health-migrate.sh"
LABCTL="$BATS_TEST_DIRNAME/lab-cluster.sh"
export LAB_NAME=blmig

# why the test is skipped (bats 1.8 cannot skip in setup_file: the test skips in setup)
skip_reason() {
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	local x
	for x in ipmi_sim ipmitool libvirtd virtlogd virsh qemu-system-x86_64 crm corosync pacemakerd ping wget; do
		command -v "$x" >/dev/null || { echo "needs $x"; return; }
	done
	[ -x /usr/lib/ocf/resource.d/baton/vm ] && [ -x /usr/sbin/fence_baton_ipmi ] ||
		echo "baton-agents and baton-fence are not installed"
}

setup_file() {
	export HM_SKIP
	HM_SKIP=$(skip_reason)
}

teardown_file() {
	[ -z "${HM_SKIP:-}" ] || return 0
	# the scenario leaves a failed lab's logs for inspection: the test removes everything
	"$LABCTL" down --purge >/dev/null 2>&1 || true
	rm -rf "${LAB_DIR:-/var/lib/baton-lab/$LAB_NAME}/scenario"   # kept by a failed scenario
}

setup() {
	[ -z "${HM_SKIP:-}" ] || skip "$HM_SKIP"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] && return 0
	printf '%s\n' "${output:-}" | tail -n 80 | sed 's/^/# /' >&3
	printf '%s\n' "${stderr:-}" | tail -n 20 | sed 's/^/# stderr: /' >&3
}

# the time of an event on the timeline the scenario printed (first occurrence after "=== $1")
at() { sed -n "/^=== $1/,\$p" <<<"$output" | sed -n "s|^ *\([0-9.]*\) s  $2.*|\1|p" | head -n 1; }
before() { [ -n "$1" ] && [ -n "$2" ] && [ "$(echo "$1 <= $2" | bc)" = 1 ]; }

@test "lab scenario 4: VM health check failure and recovery, live migration under ping" {
	run -0 --separate-stderr timeout -k 10 300 "$SCENARIO"
	! grep -q '^FAILED' <<<"$stderr"
	# A: the failure is seen with the agent's reason and repaired by a restart
	grep -qx 'ok: Pacemaker records the failed monitor with the agent.s reason' <<<"$output"
	grep -q "returned 'error' (domain blmig-vm: health check: http://10.98.0.150/health answered with status 404)" <<<"$output"
	grep -qx 'ok: fail-count of vm on node[12] is 1' <<<"$output"
	grep -qx 'ok: the guest serves /health again' <<<"$output"
	grep -q '^ok: the guest was restarted (uptime' <<<"$output"
	local err stop start back
	err=$(at A "monitor on node.: error (health check)")
	stop=$(at A "stop on node.: ok")
	start=$(at A "start on node.: ok")
	back=$(at A "guest serves /health again")
	before "$err" "$stop" && before "$stop" "$start" && before "$start" "$back"
	# B: a live migration, not a restart, and the guest stays reachable
	grep -qx 'ok: no start of vm after the move (a migration, not stop + start)' <<<"$output"
	grep -q '^ok: the guest was not rebooted (uptime' <<<"$output"
	grep -q '^  INFO: domain blmig-vm migrated to node[12] in [0-9]* ms' <<<"$output"
	local to from
	to=$(at B "migrate_to on node.: ok")
	from=$(at B "migrate_from on node.: ok")
	before "$to" "$from"
	grep -qE '^ping: [0-9]+ sent, [0-9]+ answered, [0-9]+ lost \(~[0-9.]+ s at 0.02 s intervals\); longest gap between answers [0-9.]+ s$' <<<"$output"
	grep -qx 'ok: vm stays on node[12] after --clear' <<<"$output"
	grep -q '^scenario health-migrate passed in' <<<"$output"
	# the figures, for the record of "./lab check"
	grep -E '^timeline|^ +[0-9.]+ s  |^ping: |migrated to|^A: recovered|^scenario health-migrate passed' <<<"$output" |
		sed 's/^/# /' >&3
}
