#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ntp with real chronyd instances on loopback: ntp1 and ntp2 are
# two instances of the resource on one host, each with its own state
# directory and NTP port; whichever is promoted serves its own clock
# (local stratum), the other follows it. chronyd runs with -x
# (control_clock=false): the host clock and the host's chrony are left
# alone. The promotion score goes to a fake crm_attribute that records its
# arguments. Every chronyd a test started is killed in teardown, also when
# the test fails.
#
# Needs root and chrony (chronyd, chronyc); ocf-tester for its test. The agent
# is $BATON_AGENT_DIR/ntp, by default the installed
# /usr/lib/ocf/resource.d/baton/ntp; for a build tree:
# BATON_AGENT_DIR=_build/<dir>/agents/ntp bats tests/integration/ntp.bats

load lib/ocf-agent

bats_require_minimum_version 1.5.0

AGENT=$(agent_path ntp)

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root (chronyd)"
	[ -x /usr/sbin/chronyd ] && [ -x /usr/bin/chronyc ] || skip "chrony not installed"
	agent_require || return 1
	test_hooks_on
}

teardown_file() {
	test_hooks_off
}

setup() {
	agent_tmp ntp
	# Two ports per test, apart for parallel runs and from anything well known.
	P1=$((20000 + ($$ * 16 + BATS_TEST_NUMBER * 2) % 20000))
	P2=$((P1 + 1))
}

# Kill what the agent left running (found by its -f argument: a test may have removed the
# pid file), then remove everything.
teardown() {
	kill_matching "-f $STATE/ntp[0-9]+/chrony\.conf( |\$)"
	case $T in /tmp/bt-ntp.?*) rm -rf "$T" ;; esac
}

# ntp N ACTION [NAME=VALUE | OCF_VAR=VALUE]...: instance N (1 or 2) of the
# resource, with a clean environment; NAME=VALUE becomes OCF_RESKEY_NAME=VALUE.
ntp() {
	local n=$1 action=$2 port peer
	shift 2
	if [ "$n" = 1 ]; then port=$P1 peer=$P2; else port=$P2 peer=$P1; fi
	ocf_exec "$action" OCF_RESOURCE_INSTANCE="ntp$n" BATON_PCMK_TOOLS_DIR="$TOOLS" \
		OCF_RESKEY_CRM_meta_interval=10000 state_dir="$STATE" control_clock=false \
		port="$port" bind_address=127.0.0.1 allow=127.0.0.1 \
		primary_address=127.0.0.1 primary_port="$peer" primary_poll=-2 max_unsync=0 "$@"
}

cc() { chronyc -h "$STATE/ntp$1/chronyd/chronyd.sock" "${@:2}"; }
pid_of() { cat "$STATE/ntp$1/chronyd.pid"; }

# tracking_is N PATTERN: chronyd N's tracking line matches PATTERN within 5 s. A
# follower's tracking names its source only after its first clock update, which
# may come a poll after the source is selected (what monitor checks).
tracking_is() {
	local i line
	for ((i = 0; i < 50; i++)); do
		line=$(cc "$1" -c tracking)
		[[ $line == $2 ]] && return 0
		sleep 0.1
	done
	echo "tracking of ntp$1: '$line', wanted '$2'" >&2
	return 1
}

# wait_rc SECONDS RC N ACTION [ARGS]...: repeat until the agent returns RC.
wait_rc() {
	local limit=$1 want=$2 i rc
	shift 2
	for ((i = 0; i < limit * 10; i++)); do
		rc=0
		"$@" 2>/dev/null || rc=$?
		[ "$rc" = "$want" ] && return 0
		sleep 0.1
	done
	echo "wanted $want from '$*', last got $rc" >&2
	return 1
}

# ntp1 promoted (serving its own clock), ntp2 unpromoted and synchronised to it.
pair_up() {
	ntp 1 start
	ntp 1 promote
	ntp 2 start
	wait_rc 10 0 ntp 2 monitor
}

# ------------------------------------------------------------------ metadata

@test "meta-data is valid OCF 1.0 (ocf-tester's DTD) and OCF 1.1 lists the promotable actions" {
	run --separate-stderr env -i "$AGENT" meta-data
	[ "$status" -eq 0 ]
	local dtd=/usr/share/resource-agents/ra-api-1.dtd
	if [ -r "$dtd" ]; then xmllint --noout --dtdvalid "$dtd" - <<<"$output"; fi
	run --separate-stderr env -i OCF_RA_VERSION_MAJOR=1 "$AGENT" meta-data
	[ "$status" -eq 0 ]
	[[ "$output" == *'<action name="monitor" timeout="20s" interval="10s" depth="0" role="Promoted"/>'* ]]
	[[ "$output" == *'interval="11s" depth="0" role="Unpromoted"/>'* ]]
	[[ "$output" == *'<action name="notify"'* ]]
	[[ "$output" == *'<action name="reload-agent"'* ]]
}

# ------------------------------------------------------------------ roles

@test "promoted instance serves its own clock, the unpromoted one follows it at a higher stratum" {
	pair_up
	run ntp 1 monitor
	[ "$status" -eq 8 ]
	run ntp 2 monitor
	[ "$status" -eq 0 ]
	# ntp1: local clock, stratum 10; ntp2: synchronised to it (ntp1's port), stratum 11
	tracking_is 1 "7F7F0101,,10,*"
	tracking_is 2 "7F000001,127.0.0.1,11,*"
	[[ "$(cc 2 -c -n sources)" == '^,*,127.0.0.1,10,'* ]]
	grep -qx "server 127.0.0.1 port $P1 iburst minpoll -2 maxpoll -2 prefer" "$STATE/ntp2/chrony.conf"
	refute grep -q '^server' "$STATE/ntp1/chrony.conf"
	# Never the host clock: -x, and no makestep.
	tr '\0' ' ' <"/proc/$(pid_of 1)/cmdline" | grep -q -- ' -x '
	refute grep -q makestep "$STATE/ntp1/chrony.conf" "$STATE/ntp2/chrony.conf"
	# The command socket's directory is private and chronyd's (chronyd refuses it otherwise);
	# what root writes (config, pid file, role) lives in a directory of root's.
	[ "$(stat -c '%a %U' "$STATE/ntp1/chronyd")" = "700 root" ]   # user=root, the default
	[ "$(stat -c '%a %U' "$STATE/ntp1")" = "755 root" ]
	[ "$(stat -c %U "$STATE/ntp1/role" "$STATE/ntp1/chrony.conf" | sort -u)" = root ]
	ntp 2 stop
	ntp 1 stop
}

@test "roles swapped: demote ntp1, promote ntp2, ntp1 re-points to ntp2" {
	pair_up
	ntp 1 demote
	ntp 2 promote
	grep -qx "server 127.0.0.1 port $P2 iburst minpoll -2 maxpoll -2 prefer" "$STATE/ntp1/chrony.conf"
	refute grep -q '^server' "$STATE/ntp2/chrony.conf"
	wait_rc 10 0 ntp 1 monitor
	run ntp 2 monitor
	[ "$status" -eq 8 ]
	tracking_is 2 "7F7F0101,,10,*"
	tracking_is 1 "7F000001,127.0.0.1,11,*"
	# Idempotent: demoting a demoted and promoting a promoted instance keep chronyd.
	local p1 p2
	p1=$(pid_of 1) p2=$(pid_of 2)
	ntp 1 demote
	ntp 2 promote
	[ "$(pid_of 1)" = "$p1" ]
	[ "$(pid_of 2)" = "$p2" ]
}

@test "a lost primary makes the follower's monitor degraded within seconds, failed with unsync_action=fail" {
	pair_up
	ntp 1 stop
	local t0=$SECONDS
	# poll 2^-2 s: the source goes unreachable after 8 missed polls (~2.2 s measured)
	wait_rc 8 190 ntp 2 monitor
	echo "detected after $((SECONDS - t0)) s"
	run --separate-stderr ntp 2 monitor
	[ "$status" -eq 190 ]
	assert_reason "not following a reachable source"
	run --separate-stderr ntp 2 monitor unsync_action=fail
	[ "$status" -eq 1 ]
	assert_reason "unsynchronised for"
	# The primary is back: healthy again.
	ntp 1 start
	ntp 1 promote
	wait_rc 10 0 ntp 2 monitor
}

@test "max_unsync: unsynchronised is reported only after the grace time" {
	pair_up
	ntp 1 stop
	# Grace of 1 h: healthy as far as the cluster is concerned, reason in the log.
	sleep 3
	run --separate-stderr ntp 2 monitor max_unsync=1h
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"unsynchronised for"*"not following a reachable source"* ]]
	run ntp 2 monitor max_unsync=2s
	[ "$status" -eq 0 ]
	sleep 2.2
	run --separate-stderr ntp 2 monitor max_unsync=2s
	[ "$status" -eq 190 ]
}

@test "a promoted instance that cannot answer is failed promoted (9), a dead one not running (7)" {
	pair_up
	# SIGSTOP: the socket stays, nobody answers; chronyc gives up within its budget.
	kill -STOP "$(pid_of 1)"
	run --separate-stderr timeout 30 env OCF_RESKEY_CRM_meta_timeout=20000 bash -c "$(declare -f ntp ocf_exec); $(declare -p P1 P2 STATE TOOLS AGENT); ntp 1 monitor"
	kill -CONT "$(pid_of 1)"
	echo "$stderr"
	[ "$status" -eq 9 ]
	assert_reason "chronyd does not answer"
	kill -KILL "$(pid_of 1)"
	wait_rc 5 7 ntp 1 monitor
	# stop of the dead instance succeeds and cleans up
	ntp 1 stop
	[ ! -e "$STATE/ntp1/chronyd.pid" ]
}

# ------------------------------------------------------------------ promotion score

@test "promotion score: set when it changes only, deleted on stop" {
	pair_up
	ntp 1 monitor || [ $? -eq 8 ]
	ntp 1 monitor || [ $? -eq 8 ]
	ntp 2 monitor
	ntp 2 monitor
	cat "$T/crm_attribute.calls"
	[ "$(grep -c -- '--promotion=ntp1 --lifetime reboot --update 10' "$T/crm_attribute.calls")" -eq 1 ]
	[ "$(grep -c -- '--promotion=ntp2 --lifetime reboot --update 10' "$T/crm_attribute.calls")" -eq 1 ]
	ntp 2 stop
	grep -qx -- '--promotion=ntp2 --lifetime reboot --delete' "$T/crm_attribute.calls"
	[ ! -e "$STATE/ntp2/promotion-score" ]
}

# ------------------------------------------------------------------ errors

@test "chronyd missing: probe says not running (7), start says not installed (5)" {
	run --separate-stderr ntp 1 monitor OCF_RESKEY_CRM_meta_interval=0 chronyd=/nonexistent/chronyd
	[ "$status" -eq 7 ]
	run --separate-stderr ntp 1 start chronyd=/nonexistent/chronyd
	[ "$status" -eq 5 ]
	assert_reason "chronyd /nonexistent/chronyd is not executable"
	run ntp 1 stop chronyd=/nonexistent/chronyd
	[ "$status" -eq 0 ]
}

@test "hostile server names are configuration errors (6)" {
	local bad
	for bad in '%s%n' 18446744073709551616 1.2.3 -x 'a..b' 'srv_1.example'; do
		run --separate-stderr ntp 1 validate-all upstream_servers="$bad"
		echo "$bad: $status $stderr"
		[ "$status" -eq 6 ]
		assert_reason "upstream_servers.*is not a host name"
	done
	run --separate-stderr ntp 1 validate-all primary_address='%s%n'
	[ "$status" -eq 6 ]
	assert_reason "primary_address"
	run ntp 1 validate-all upstream_servers='ntp.example.org 192.0.2.1 2001:db8::1'
	[ "$status" -eq 0 ]
}

@test "configuration errors are 6 with the parameter named; nothing is started" {
	run --separate-stderr ntp 1 validate-all primary_address= upstream_servers=
	[ "$status" -eq 6 ]
	assert_reason "primary_address or upstream_servers"
	run --separate-stderr ntp 1 validate-all 'upstream_servers=a.example.org b
local stratum 1'
	[ "$status" -eq 6 ]
	assert_reason "upstream_servers"
	run --separate-stderr ntp 1 start makestep=always
	[ "$status" -eq 6 ]
	assert_reason "makestep"
	[ ! -e "$STATE/ntp1/chronyd.pid" ]
}

@test "stop of a stopped instance and monitor of a stopped instance" {
	run ntp 1 stop
	[ "$status" -eq 0 ]
	run ntp 1 monitor
	[ "$status" -eq 7 ]
	run ntp 1 demote
	[ "$status" -eq 7 ]
	run ntp 1 promote
	[ "$status" -eq 1 ]
}

@test "reload-agent applies a changed parameter to the running instance" {
	pair_up
	local p
	p=$(pid_of 1)
	ntp 1 reload-agent local_stratum=7
	grep -qx 'local stratum 7 orphan' "$STATE/ntp1/chrony.conf"
	[ "$(pid_of 1)" != "$p" ]
	tracking_is 1 "7F7F0101,,7,*"
	# unchanged parameters: chronyd keeps running
	p=$(pid_of 1)
	ntp 1 reload-agent local_stratum=7
	[ "$(pid_of 1)" = "$p" ]
}

@test "a chronyd whose pid file was deleted: probe says running, stop stops it" {
	ntp 1 start
	ntp 1 promote
	local p
	p=$(pid_of 1)
	rm "$STATE/ntp1/chronyd.pid"
	run --separate-stderr ntp 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 8 ]
	[[ "$stderr" == *"chronyd runs as pid $p, but its pid file"* ]]
	run ntp 1 stop
	[ "$status" -eq 0 ]
	process_gone "$p"
	run ntp 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
}

@test "chronyd or chronyc gone under a running chronyd: probe is not 7, stop stops it" {
	ntp 1 start
	ntp 1 promote
	local p
	p=$(pid_of 1)
	run --separate-stderr ntp 1 monitor OCF_RESKEY_CRM_meta_interval=0 chronyd=/nonexistent/chronyd
	[ "$status" -eq 5 ]
	assert_reason "not executable.*chronyd runs as pid $p"
	run --separate-stderr ntp 1 monitor OCF_RESKEY_CRM_meta_interval=0 chronyc=/nonexistent/chronyc
	[ "$status" -eq 5 ]
	assert_reason "chronyd runs as pid $p"
	rm "$STATE/ntp1/chronyd.pid"
	run ntp 1 stop chronyd=/nonexistent/chronyd chronyc=/nonexistent/chronyc
	[ "$status" -eq 0 ]
	process_gone "$p"
	run ntp 1 monitor OCF_RESKEY_CRM_meta_interval=0 chronyd=/nonexistent/chronyd
	[ "$status" -eq 7 ]
}

@test "chronyd's user owns only its subdirectory; an old instance directory of its is taken back" {
	getent passwd _chrony >/dev/null || skip "no user _chrony"
	chmod 755 "$T"          # chronyd as _chrony reaches its directory
	# As an older agent left it: the whole directory chronyd's user's.
	mkdir -p "$STATE/ntp1"
	chown _chrony: "$STATE/ntp1"
	chmod 700 "$STATE/ntp1"
	ntp 1 start user=_chrony
	ntp 1 promote user=_chrony
	run ntp 1 monitor user=_chrony
	[ "$status" -eq 8 ]
	[ "$(stat -c '%a %U' "$STATE/ntp1")" = "755 root" ]
	[ "$(stat -c '%a %U' "$STATE/ntp1/chronyd")" = "700 _chrony" ]
	[ "$(stat -c %U "$STATE/ntp1/role" "$STATE/ntp1/chrony.conf" "$STATE/ntp1/chronyd.pid" | sort -u)" = root ]
	ntp 1 stop user=_chrony
	# A symlink in place of an instance directory is refused, nothing written through it.
	mkdir "$T/elsewhere"
	ln -s "$T/elsewhere" "$STATE/ntp2"
	run --separate-stderr ntp 2 start
	[ "$status" -eq 4 ]
	assert_reason "symlink"
	[ -z "$(ls -A "$T/elsewhere")" ]
}

# ------------------------------------------------------------------ ocf-tester

@test "ocf-tester passes" {
	command -v ocf-tester >/dev/null || skip "ocf-tester not installed"
	run env BATON_PCMK_TOOLS_DIR="$TOOLS" ocf-tester -n ntp1 -o state_dir="$STATE" -o control_clock=false \
		-o port=$P1 -o bind_address=127.0.0.1 -o allow=127.0.0.1 -o primary_address=127.0.0.1 \
		-o primary_port=$P2 -o primary_poll=-2 "$AGENT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"passed all tests"* ]]
	[ ! -e "$STATE/ntp1/chronyd.pid" ]
}
