# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# What the lab's bats files share: each plays its scenario once in setup_file and its tests
# read the output. bats 1.8 cannot skip in setup_file, so the reason to skip is kept and every
# test skips in setup. A test file sets, before "load lab":
#
#   LAB_SCENARIO   the scenario script (tests/lab/scenario-*.sh)
#   LAB_NAME       its lab's name (exported: the scenario and lab-cluster.sh use it)
#   LAB_NEEDS      the commands it needs besides the cluster stack (space-separated)
#   LAB_AGENTS     the baton OCF agents it needs (space-separated)
#   LAB_TIMEOUT    seconds the scenario may take (600)
# and may set LAB_ENV (VAR=VALUE words given to the scenario). Then in the tests:
#
#   output         the scenario's output (stdout and stderr)
#   LAB_RC         its exit status
#   has TEXT       a line of the output contains TEXT
#   has_re REGEX   a whole line matches REGEX (grep -E)
#   at EVENT       the time of EVENT on the scenario's timeline ("  12.34 s  EVENT...")

LAB_CTL="$BATS_TEST_DIRNAME/lab-cluster.sh"
export LAB_NAME

lab_skip_reason() {
	local x a
	[ "$(id -u)" = 0 ] || { echo "needs root"; return; }
	for x in ipmi_sim ipmitool corosync pacemakerd crm bc fence_baton_ipmi ${LAB_NEEDS:-}; do
		command -v "$x" >/dev/null || [ -x "/usr/sbin/$x" ] || { echo "needs $x"; return; }
	done
	for a in ${LAB_AGENTS:-}; do
		[ -x "/usr/lib/ocf/resource.d/baton/$a" ] || { echo "not installed: ocf:baton:$a"; return; }
	done
}

setup_file() {
	export LAB_SKIP LAB_OUT="$BATS_FILE_TMPDIR/scenario.out" LAB_RC_FILE="$BATS_FILE_TMPDIR/scenario.rc"
	LAB_SKIP=$(lab_skip_reason)
	[ -z "$LAB_SKIP" ] || return 0
	local rc=0
	# shellcheck disable=SC2086
	env LAB_KEEP=0 ${LAB_ENV:-} timeout -k 10 "${LAB_TIMEOUT:-600}" "$LAB_SCENARIO" >"$LAB_OUT" 2>&1 || rc=$?
	echo "$rc" >"$LAB_RC_FILE"
}

teardown_file() {
	[ -z "${LAB_SKIP:-}" ] || return 0
	# the scenario takes its lab down itself; this covers one killed half-way
	"$LAB_CTL" down --purge >/dev/null 2>&1 || true
}

setup() {
	[ -z "${LAB_SKIP:-}" ] || skip "$LAB_SKIP"
	output=$(cat "$LAB_OUT")
	LAB_RC=$(cat "$LAB_RC_FILE")
}

# the whole output once, with the first test that fails
teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -z "${LAB_SKIP:-}" ] && [ ! -e "$LAB_OUT.shown" ]; then
		sed 's/^/# scenario: /' "$LAB_OUT" >&3
		: >"$LAB_OUT.shown"
	fi
}

has() { grep -qF -- "$1" <<<"$output" || { echo "not in the scenario's output: $1" >&2; return 1; }; }
has_re() { grep -qxE -- "$1" <<<"$output" || { echo "no line of the scenario's output matches: $1" >&2; return 1; }; }
at() { sed -n "s/^ *\([0-9.]*\) s  $1.*/\1/p" <<<"$output" | head -n 1; }
