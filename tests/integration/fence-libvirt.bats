#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fence_baton_libvirt against a real libvirtd with a QEMU (TCG) guest: the guest is a defined
# (persistent) domain, as a fenced VM node is; off must leave it shut off (QEMU gone), on must
# boot it, reboot must give a new QEMU process, and status/list/list-status tell the truth.
#
# Needs root, libvirtd + QEMU and the test guest images (tests/vm/guest-image.sh).
# The agent is $BATON_FENCE_DIR/fence_baton_libvirt (default: the installed one, /usr/sbin).

bats_require_minimum_version 1.5.0

load lib/libvirtd

SRCDIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
AGENT=${BATON_FENCE_DIR:-/usr/sbin}/fence_baton_libvirt
URI=qemu:///system
DOM=baton-t-fence

fence() { printf 'action=%s\nuri=%s\nplug=%s\n' "$1" "$URI" "${2:-$DOM}" | "$AGENT"; }
qemu_pid() { cat "/run/libvirt/qemu/$DOM.pid" 2>/dev/null; }
dom_state() { virsh -c $URI domstate "$DOM" 2>/dev/null | head -n 1; }
wait_ready() {
	local i
	for i in $(seq 600); do
		grep -q BATON-GUEST-READY "$FT/$DOM.console.log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "guest not ready after 60 s" >&2
	return 1
}

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v libvirtd >/dev/null && command -v qemu-system-x86_64 >/dev/null || return 0
	[ -x "$AGENT" ] || return 0
	export BATON_TEST_CACHE=${BATON_TEST_CACHE:-/var/cache/baton-test}
	"$SRCDIR/tests/vm/guest-image.sh" >/dev/null
	export FT
	FT=$(mktemp -d /tmp/baton-fence-libvirt.XXXXXX)
	libvirtd_up
	BATON_VM_LOGDIR=$FT "$SRCDIR/tests/vm/guest-image.sh" xml "$DOM" 160 coop >"$FT/$DOM.xml"
	virsh -c $URI define "$FT/$DOM.xml" >/dev/null
}

teardown_file() {
	[ -n "${FT:-}" ] || return 0
	virsh -c $URI destroy "$DOM" >/dev/null 2>&1
	virsh -c $URI undefine "$DOM" >/dev/null 2>&1
	libvirtd_down
	rm -rf "$FT"
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v libvirtd >/dev/null && command -v qemu-system-x86_64 >/dev/null || skip "needs libvirtd and QEMU"
	[ -x "$AGENT" ] || skip "fence_baton_libvirt not installed: $AGENT"
}

@test "fence-libvirt: a shut-off guest is status 2; on boots it; status 0" {
	run -2 fence status
	[ "$(dom_state)" = "shut off" ]
	run -0 fence on
	[ "$(dom_state)" = running ]
	wait_ready
	run -0 fence status
}

@test "fence-libvirt: off kills the guest's QEMU and the domain stays defined, shut off" {
	[ "$(dom_state)" = running ] || fence on
	local pid
	pid=$(qemu_pid)
	[ -n "$pid" ] && kill -0 "$pid"
	run -0 fence off
	[ "$(dom_state)" = "shut off" ]
	! kill -0 "$pid" 2>/dev/null
	run -2 fence status
	# off again: already off counts as success
	run -0 fence off
}

@test "fence-libvirt: reboot gives a new QEMU process that boots the guest" {
	[ "$(dom_state)" = running ] || fence on
	local before
	before=$(qemu_pid)
	: >"$FT/$DOM.console.log"
	run -0 fence reboot
	[ "$(dom_state)" = running ]
	[ -n "$(qemu_pid)" ] && [ "$(qemu_pid)" != "$before" ]
	wait_ready
}

@test "fence-libvirt: list and list-status name the guest with its state; unknown plug fails" {
	[ "$(dom_state)" = running ] || fence on
	run -0 bash -c "printf 'action=list-status\nuri=$URI\n' | $AGENT"
	grep -q "^$DOM,.*,ON$" <<<"$output"
	run -0 fence off
	run -0 bash -c "printf 'action=list-status\nuri=$URI\n' | $AGENT"
	grep -q "^$DOM,.*,OFF$" <<<"$output"
	run -0 bash -c "printf 'action=list\nuri=$URI\n' | $AGENT"
	grep -q "^$DOM," <<<"$output"
	run -1 fence status baton-t-no-such-guest
}
