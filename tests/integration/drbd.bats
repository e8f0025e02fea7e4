#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:drbd against the DRBD simulator tests/drbd/drbdsim (the DRBD
# kernel module cannot be loaded on the test machines): one state file
# models the resource r0 on two nodes, node1 and node2. Each test gets its
# own temporary directory with, per node, drbdadm/drbdsetup wrappers that
# run the simulator as that node, a fake crm_attribute that records the
# promotion score calls (BATON_PCMK_TOOLS_DIR), and the agent's state_dir.
# Everything is removed after the test, also when it fails. No root needed.
#
# The agent is $BATON_AGENT_DIR/drbd, by default the installed
# /usr/lib/ocf/resource.d/baton/drbd; for a build tree:
#   BATON_AGENT_DIR=_build/<dir>/agents/drbd bats tests/integration/drbd.bats

load lib/ocf-agent

bats_require_minimum_version 1.5.0

AGENT=$(agent_path drbd)
SIM=$(readlink -f "$BATS_TEST_DIRNAME/../drbd/drbdsim")

setup_file() {
	agent_require || return 1
	command -v python3 >/dev/null || skip "needs python3 (the simulator)"
	test_hooks_on
}

teardown_file() {
	test_hooks_off
}

setup() {
	T=$(mktemp -d /tmp/baton-drbd-test.XXXXXX)
	export DRBDSIM_STATE=$T/state.json
	local n tool
	for n in node1 node2; do
		mkdir -p "$T/$n/bin" "$T/$n/pcmk" "$T/$n/run"
		for tool in drbdadm drbdsetup; do
			printf '#!/bin/sh\nDRBDSIM_NODE=%s DRBDSIM_STATE=%s exec %s %s "$@"\n' \
				"$n" "$DRBDSIM_STATE" "$SIM" "$tool" >"$T/$n/bin/$tool"
			chmod 755 "$T/$n/bin/$tool"
		done
		fake_crm_attribute "$T/$n/pcmk" "$T/$n/pcmk/calls"
	done
	sim ctl init r0 --nodes node1,node2
}

teardown() {
	rm -rf "$T"
}

sim() { "$SIM" "$@"; }
# as NODE drbdadm|drbdsetup ARGS...: the simulated tool on NODE
as() { local n=$1; shift; "$T/$n/bin/$@"; }

# drbd NODE ACTION [NAME=VALUE | OCF_VAR=VALUE]...: the agent on NODE.
drbd() {
	local node=$1 action=$2
	shift 2
	ocf_exec "$action" OCF_RESOURCE_INSTANCE=drbd-r0 BATON_PCMK_TOOLS_DIR="$T/$node/pcmk" \
		OCF_RESKEY_CRM_meta_interval=10000 drbd_resource=r0 drbdadm="$T/$node/bin/drbdadm" \
		drbdsetup="$T/$node/bin/drbdsetup" state_dir="$T/$node/run" "$@"
}

# The last promotion score call on NODE: a number, "deleted" or "none".
score() {
	local last
	last=$(tail -n 1 "$T/$1/pcmk/calls" 2>/dev/null) || true
	case $last in
	*--update*) echo "${last##* }" ;;
	*--delete*) echo deleted ;;
	*) echo none ;;
	esac
}
ncalls() { if [ -f "$T/$1/pcmk/calls" ]; then wc -l <"$T/$1/pcmk/calls"; else echo 0; fi; }

# jq over this node's `drbdsetup status --json` for r0
status() { as "$1" drbdsetup status --json | jq -r ".[] | select(.name == \"r0\") | $2"; }

# answers RC REASON ACTION [PARAMETER]...: the agent on node1 answers ACTION with RC and, unless
# REASON is empty, an exit reason matching it.
answers() {
	local rc=$1 reason=$2
	shift 2
	run "-$rc" --separate-stderr drbd node1 "$@"
	[ -z "$reason" ] || assert_reason "$reason"
}

start_both() {
	run -0 --separate-stderr drbd node1 start
	run -0 --separate-stderr drbd node2 start
}

# ------------------------------------------------------------------ metadata

@test "meta-data: valid OCF 1.0 for ocf-tester, OCF 1.1 with both promotable monitors" {
	run -0 --separate-stderr env -i "$AGENT" meta-data
	local dtd=/usr/share/resource-agents/ra-api-1.dtd
	if [ -r "$dtd" ]; then xmllint --noout --dtdvalid "$dtd" - <<<"$output"; fi
	run -0 --separate-stderr env -i OCF_RA_VERSION_MAJOR=1 "$AGENT" meta-data
	grep -q '<action name="monitor" timeout="20s" interval="10s" role="Promoted"' <<<"$output"
	grep -q '<action name="monitor" timeout="20s" interval="20s" role="Unpromoted"' <<<"$output"
	grep -q '<parameter name="drbd_resource" .*required="1"' <<<"$output"
	for a in start stop promote demote notify validate-all reload-agent; do
		grep -q "<action name=\"$a\"" <<<"$output"
	done
}

# ------------------------------------------------------------------ validation

@test "validate: bad names are 6, missing tools 5, a probe without drbdsetup fails, stop 0" {
	#       rc  exit reason                                       action        parameters
	answers 6   "not a DRBD resource name"                        validate-all  drbd_resource='r0;rm'
	answers 6   ""                                                validate-all  OCF_RESKEY_drbd_resource=
	answers 5   "drbdadm /nonexistent/drbdadm is not installed"   validate-all  drbdadm=/nonexistent/drbdadm
	answers 5   ""                                                validate-all  drbdconf=/nonexistent/drbd.conf
	# Without drbdsetup nobody can tell whether r0 is up: not "not running".
	answers 5   "cannot be told"                                  monitor       drbdsetup=/nonexistent/drbdsetup \
		OCF_RESKEY_CRM_meta_interval=0
	# drbdsetup answers that r0 is down: a probe without drbdadm is 7.
	answers 7   ""                                                monitor       drbdadm=/nonexistent/drbdadm \
		OCF_RESKEY_CRM_meta_interval=0
	answers 0   ""                                                stop          drbdadm=/nonexistent/drbdadm
	answers 6   "allow_dual_primary"                              validate-all  OCF_RESKEY_CRM_meta_promoted_max=2
	answers 0   ""                                                validate-all  OCF_RESKEY_CRM_meta_promoted_max=2 \
		allow_dual_primary=true
	answers 6   ""                                                validate-all  OCF_RESKEY_CRM_meta_clone_node_max=2
	# The names ocf:linbit:drbd accepts are accepted.
	answers 0   ""                                                validate-all  drbd_resource='a-b.c_d:1@x+y=z%'
	# A misconfigured clone can still be stopped (really, not just answered 0).
	answers 0   ""                                                start
	answers 0   ""                                                stop          OCF_RESKEY_CRM_meta_clone_node_max=2
	run -10 --separate-stderr as node1 drbdsetup status --json r0
	answers 0   ""                                                validate-all
}

@test "validate: a resource name starting with '-' is 6 and never reaches drbdadm" {
	printf '#!/bin/sh\necho "$@" >>%s/drbdadm.calls\n' "$T" >"$T/drbdadm-log"
	chmod 755 "$T/drbdadm-log"
	local a
	for a in validate-all start; do
		run -6 --separate-stderr drbd node1 $a drbd_resource=--help drbdadm="$T/drbdadm-log"
		assert_reason "starts with '-'"
	done
	# A stop of what could never have started is 0 (libbaton's rule for 6), unseen.
	run -0 --separate-stderr drbd node1 stop drbd_resource=--help drbdadm="$T/drbdadm-log"
	run -6 --separate-stderr drbd node1 validate-all drbd_resource=-c drbdadm="$T/drbdadm-log"
	[ ! -e "$T/drbdadm.calls" ]
}

@test "stop/probe without drbdconf: taken down by drbdsetup or failed, never 0 while up" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	[ "$(status node1 .role)" = Primary ]
	# A probe that cannot use the configuration still sees r0 up: 5, with the role.
	run -5 --separate-stderr drbd node1 monitor drbdconf="$T/missing.conf" OCF_RESKEY_CRM_meta_interval=0
	assert_reason "drbdconf .* is not readable"
	assert_reason "r0 is up here as Primary"
	# Held open: drbdsetup down cannot demote it, so the stop fails.
	sim ctl set-open node1 yes
	run -5 --separate-stderr drbd node1 stop drbdconf="$T/missing.conf"
	assert_reason "r0 is still up as Primary"
	[ "$(status node1 .role)" = Primary ]
	# Released: drbdsetup takes it down, and the simulator lists nothing.
	sim ctl set-open node1 no
	run -0 --separate-stderr drbd node1 stop drbdconf="$T/missing.conf"
	[ "$(as node1 drbdsetup status --json)" = "$(printf '[\n\n]')" ]
	[ "$(score node1)" = deleted ]
	[ ! -e "$T/node1/run/drbd-r0" ]
	run -7 --separate-stderr drbd node1 monitor drbdconf="$T/missing.conf" OCF_RESKEY_CRM_meta_interval=0
	# Without drbdsetup a stop cannot prove anything: it fails (node2 is still up).
	run -5 --separate-stderr drbd node2 stop drbdsetup=/nonexistent/drbdsetup
	assert_reason "cannot be told"
	[ "$(status node2 .role)" = Secondary ]
}

@test "state_dir: created 0700; a link or one others can write to is not used" {
	run -0 --separate-stderr drbd node1 start state_dir="$T/node1/new/state"
	[ "$(stat -c %a "$T/node1/new/state")" = 700 ]
	[ "$(stat -c %a "$T/node1/new/state/drbd-r0")" = 600 ]
	run -0 --separate-stderr drbd node2 start
	# Writable by others: a planted state file is neither read nor replaced.
	mkdir -m 0777 "$T/open"
	chmod 0777 "$T/open"
	echo "score 10000" >"$T/open/drbd-r0"
	local n
	n=$(ncalls node1)
	run -0 --separate-stderr drbd node1 monitor state_dir="$T/open"
	[[ "$stderr" == *"writable by everyone"* ]]
	[ "$(ncalls node1)" -eq $((n + 1)) ]
	[ "$(cat "$T/open/drbd-r0")" = "score 10000" ]
	ln -s "$T/node1/new/state" "$T/link"
	run -0 --separate-stderr drbd node1 monitor state_dir="$T/link"
	[[ "$stderr" == *"is a symbolic link"* ]]
}

# ------------------------------------------------------------------ start / stop

@test "start/stop: probe 7, start up, monitor 0, score only when it changes, stop confirmed" {
	run -7 --separate-stderr drbd node1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$(ncalls node1)" -eq 0 ]
	start_both
	[ "$(status node1 .role)" = Secondary ]
	[ "$(status node1 '.connections[0]["connection-state"]')" = Connected ]
	run -0 --separate-stderr drbd node1 monitor
	[ "$(score node1)" = 10000 ]
	grep -q -- '--promotion=drbd-r0 --lifetime reboot --update 10000' "$T/node1/pcmk/calls"
	# Unchanged: no crm_attribute run at all.
	local n
	n=$(ncalls node1)
	run -0 --separate-stderr drbd node1 monitor
	[ "$(ncalls node1)" -eq "$n" ]
	[[ $(cat "$T/node1/run/drbd-r0") =~ ^score\ 10000\ [0-9]+$ ]]
	# A probe always sets it (the cluster may have lost its transient attributes).
	run -0 --separate-stderr drbd node1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$(ncalls node1)" -eq $((n + 1)) ]
	# So does a monitor once the score is a minute old (the memo says when it was set: here
	# long ago): Pacemaker drops a remote node's transient attributes when its connection moves.
	printf 'score 10000 1\n' >"$T/node1/run/drbd-r0"
	run -0 --separate-stderr drbd node1 monitor
	[ "$(ncalls node1)" -eq $((n + 2)) ]
	run -0 --separate-stderr drbd node1 monitor
	[ "$(ncalls node1)" -eq $((n + 2)) ]

	run -0 --separate-stderr drbd node2 stop
	[ "$(score node2)" = deleted ]
	run -10 --separate-stderr as node2 drbdsetup status --json r0
	run -190 --separate-stderr drbd node1 monitor
	assert_reason "peer node2 is not connected (Connecting)"
	[ "$(score node1)" = 1000 ]

	run -0 --separate-stderr drbd node1 stop
	[ "$(as node1 drbdsetup status --json)" = "$(printf '[\n\n]')" ]
	run -7 --separate-stderr drbd node1 monitor
	run -0 --separate-stderr drbd node1 stop
	[ ! -e "$T/node1/run/drbd-r0" ]
}

@test "start on an up resource adjusts it: a connection dropped by hand comes back" {
	start_both
	as node1 drbdadm disconnect r0
	[ "$(status node1 '.connections[0]["connection-state"]')" = StandAlone ]
	run -0 --separate-stderr drbd node1 start
	[[ "$stderr" == *"drbdadm adjust r0"* ]]
	[ "$(status node1 '.connections[0]["connection-state"]')" = Connected ]
}

@test "stop of a Primary demotes it first; a failed down is not reported as stopped" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	run -0 --separate-stderr drbd node1 stop
	run -7 --separate-stderr drbd node1 monitor
	# Held open (a mounted file system): demote and stop fail with the reason.
	run -0 --separate-stderr drbd node2 promote
	sim ctl set-open node2 yes
	run -1 --separate-stderr drbd node2 stop
	assert_reason "held open"
	[ "$(status node2 .role)" = Primary ]
}

# ------------------------------------------------------------------ roles

@test "promote/demote: 8 for Primary, the peer loses its score, demote back to 0" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	[ "$(status node1 .role)" = Primary ]
	run -8 --separate-stderr drbd node1 monitor
	run -0 --separate-stderr drbd node2 monitor
	[ "$(score node2)" = deleted ]
	run -0 --separate-stderr drbd node1 promote
	run -0 --separate-stderr drbd node1 demote
	[ "$(status node1 .role)" = Secondary ]
	run -0 --separate-stderr drbd node1 monitor
	run -0 --separate-stderr drbd node1 demote
	run -0 --separate-stderr drbd node2 monitor
	[ "$(score node2)" = 10000 ]
}

@test "refusals: a peer is Primary; the local disk is Outdated; no quorum" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	run -1 --separate-stderr drbd node2 promote
	assert_reason "refusing to promote r0: peer node1 is Primary"
	[ "$(status node2 .role)" = Secondary ]
	# With allow_dual_primary the agent lets DRBD decide; DRBD's config says no (exit 11).
	run -1 --separate-stderr drbd node2 promote allow_dual_primary=true
	assert_reason "drbdadm primary r0 exited with 11: .*Multiple primaries"
	sim ctl allow-two-primaries yes
	run -0 --separate-stderr drbd node2 promote allow_dual_primary=true
	run -8 --separate-stderr drbd node2 monitor allow_dual_primary=true
	run -0 --separate-stderr drbd node2 demote
	sim ctl allow-two-primaries no

	run -0 --separate-stderr drbd node1 demote
	sim ctl crash node1
	sim ctl set-disk node2 0 Outdated
	run -1 --separate-stderr drbd node2 promote
	assert_reason "the local disk of volume 0 is Outdated, not UpToDate"
	run -190 --separate-stderr drbd node2 monitor
	[ "$(score node2)" = deleted ]

	sim ctl set-disk node2 0 UpToDate
	sim ctl set-quorum node2 0 no
	run -1 --separate-stderr drbd node2 promote
	assert_reason "volume 0 has no quorum"
	[ "$(status node2 .role)" = Secondary ]
}

# ------------------------------------------------------------------ failover

@test "failover: peer lost, survivor promoted, peer returns as Secondary and resyncs" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	sim ctl crash node1
	run -190 --separate-stderr drbd node2 monitor
	assert_reason "peer node1 is not connected"
	[ "$(score node2)" = 1000 ]
	run -0 --separate-stderr drbd node2 promote
	run -191 --separate-stderr drbd node2 monitor

	# node1 comes back: its data is older, it becomes SyncTarget (10% per status call).
	sim ctl sync-step 10
	run -7 --separate-stderr drbd node1 monitor OCF_RESKEY_CRM_meta_interval=0
	run -0 --separate-stderr drbd node1 start
	[ "$(status node1 .role)" = Secondary ]
	[ "$(score node1)" = deleted ]
	run -190 --separate-stderr drbd node1 monitor
	assert_reason "resyncing from node2"
	run -191 --separate-stderr drbd node2 monitor
	assert_reason "peer node1 volume 0 is Inconsistent (SyncSource"
	local i
	for i in $(seq 12); do
		run --separate-stderr drbd node1 monitor
		[ "$status" -eq 190 ] || break
	done
	[ "$status" -eq 0 ]
	[ "$(status node1 '.devices[0]["disk-state"]')" = UpToDate ]
	run -8 --separate-stderr drbd node2 monitor
	[ "$(score node2)" = 10000 ]
	# node1 may not be promoted while node2 is Primary.
	run -1 --separate-stderr drbd node1 promote
}

@test "stalled resync: no progress across monitors is reported, progress clears it" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	sim ctl crash node2
	run -191 --separate-stderr drbd node1 monitor
	sim ctl stall-resync on
	run -0 --separate-stderr drbd node2 start
	run -190 --separate-stderr drbd node2 monitor resync_stall_timeout=0
	[[ "$stderr" != *stalled* ]]
	run -190 --separate-stderr drbd node2 monitor resync_stall_timeout=0
	assert_reason "resync of volume 0 from node1 stalled at 0.00%"
	# With the default (10 minutes) a stall is not yet one.
	run -190 --separate-stderr drbd node2 monitor
	[[ "$stderr" != *stalled* ]]
	sim ctl stall-resync off
	run -190 --separate-stderr drbd node2 monitor resync_stall_timeout=0
	[[ "$stderr" != *stalled* ]]
	assert_reason "resyncing from node1"
}

# ------------------------------------------------------------------ split brain

@test "split brain: reported, promote refused, adjust does not discard, resolved by hand" {
	start_both
	sim ctl split-brain
	run -190 --separate-stderr drbd node1 monitor
	assert_reason "connection to node2 is StandAlone"
	[ "$(score node1)" = deleted ]
	run -1 --separate-stderr drbd node1 promote
	assert_reason "StandAlone.*--discard-my-data"
	[ "$(status node1 .role)" = Secondary ]
	# A restart (adjust) reconnects, DRBD sees the split brain again.
	run -0 --separate-stderr drbd node1 start
	[ "$(status node1 '.connections[0]["connection-state"]')" = StandAlone ]
	[ "$(status node1 '.devices[0]["disk-state"]')" = UpToDate ]
	[ "$(status node2 '.devices[0]["disk-state"]')" = UpToDate ]
	# The admin picks node2 as the victim.
	as node2 drbdadm connect --discard-my-data r0
	as node1 drbdadm connect r0
	[ "$(status node2 '.peer_devices' 2>/dev/null; status node2 '.connections[0].peer_devices[0]["replication-state"]')" != "" ]
	run -190 --separate-stderr drbd node2 monitor
	assert_reason "resyncing from node1"
}

# ------------------------------------------------------------------ notify, degraded codes

@test "notify: post-start adjusts and refreshes the score; never fails" {
	start_both
	as node1 drbdadm disconnect r0
	run -0 --separate-stderr drbd node1 notify OCF_RESKEY_CRM_meta_notify_type=post \
		OCF_RESKEY_CRM_meta_notify_operation=start \
		OCF_RESKEY_CRM_meta_notify_start_uname=node2 OCF_RESKEY_CRM_meta_notify_start_resource=drbd-r0:1
	[ "$(status node1 '.connections[0]["connection-state"]')" = Connected ]
	[ "$(score node1)" = 10000 ]
	run -0 --separate-stderr drbd node1 notify OCF_RESKEY_CRM_meta_notify_type=pre \
		OCF_RESKEY_CRM_meta_notify_operation=promote
	sim ctl crash node1
	run -0 --separate-stderr drbd node1 notify OCF_RESKEY_CRM_meta_notify_type=post \
		OCF_RESKEY_CRM_meta_notify_operation=stop
}

@test "report_degraded=false maps 190/191 to 0/8" {
	start_both
	run -0 --separate-stderr drbd node1 promote
	sim ctl crash node2
	run -8 --separate-stderr drbd node1 monitor report_degraded=false
	[[ "$stderr" == *"degraded: peer node2 is not connected"* ]]
	run -191 --separate-stderr drbd node1 monitor
}

@test "suspended I/O and a lost quorum are degraded" {
	start_both
	sim ctl set-suspended node1 yes
	sim ctl set-quorum node1 0 no
	run -190 --separate-stderr drbd node1 monitor
	assert_reason "I/O is suspended; volume 0 has no quorum"
	[ "$(score node1)" = deleted ]
}

@test "a broken drbdsetup answer fails the monitor instead of guessing" {
	printf '#!/bin/sh\necho "r0 role:Secondary"\n' >"$T/node1/bin/drbdsetup"
	run -1 --separate-stderr drbd node1 monitor
	assert_reason "cannot read drbdsetup status --json"
	printf '#!/bin/sh\nsleep 30\n' >"$T/node1/bin/drbdsetup"
	run -1 --separate-stderr drbd node1 monitor OCF_RESKEY_CRM_meta_timeout=2000
	assert_reason "timed out"
}

# ------------------------------------------------------------------ ocf-tester

@test "ocf-tester passes (peer node2 up as Secondary)" {
	command -v ocf-tester >/dev/null || skip "no ocf-tester"
	sim ctl peer-up node2
	run env BATON_PCMK_TOOLS_DIR="$T/node1/pcmk" ocf-tester -n drbd-r0 \
		-o drbd_resource=r0 -o drbdadm="$T/node1/bin/drbdadm" \
		-o drbdsetup="$T/node1/bin/drbdsetup" -o state_dir="$T/node1/run" "$AGENT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"passed all tests"* ]]
}

@test "three nodes: a lost peer of two lowers the score to 1000 + 10 per connected peer" {
	rm -f "$DRBDSIM_STATE"
	sim ctl init r0 --nodes node1,node2,node3
	mkdir -p "$T/node3/bin" "$T/node3/pcmk" "$T/node3/run"
	local tool
	for tool in drbdadm drbdsetup; do
		sed 's/DRBDSIM_NODE=node1/DRBDSIM_NODE=node3/' "$T/node1/bin/$tool" >"$T/node3/bin/$tool"
		chmod 755 "$T/node3/bin/$tool"
	done
	fake_crm_attribute "$T/node3/pcmk" "$T/node3/pcmk/calls"
	for n in node1 node2 node3; do
		run -0 --separate-stderr drbd $n start
	done
	run -0 --separate-stderr drbd node1 monitor
	[ "$(score node1)" = 10000 ]
	sim ctl crash node3
	run -190 --separate-stderr drbd node1 monitor
	assert_reason "peer node3 is not connected"
	[ "$(score node1)" = 1010 ]
	run -0 --separate-stderr drbd node1 promote
	run -190 --separate-stderr drbd node2 monitor
	[ "$(score node2)" = deleted ]
}
