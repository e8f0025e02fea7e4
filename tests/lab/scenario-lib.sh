# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# What every lab scenario (tests/lab/scenario-*.sh) shares: the lab's front door, printed
# commands, checks that end the scenario with a reason, waits with a deadline, and the
# timeline. A scenario sources this file, sets LAB_NAME (each scenario its own lab, so two
# never collide) and calls lab_up; the lab goes down on any exit unless LAB_KEEP=1. A scenario
# keeps its own files in $SCENARIO_DIR ($LAB_DIR/scenario): removed with the lab when the
# scenario passed, kept with the logs when it failed.
#
#   lab K CMD...            run CMD inside node K, quietly
#   show K CMD...           print "nodeK# CMD", then run it inside node K (K may be a
#                           node's name: remoteJ)
#   crm_config K            print the crm configuration read from stdin, then commit it on K
#   check DESC CMD...       CMD must succeed: "ok: DESC", else "FAILED: DESC" and exit 1
#   wait_for SECS DESC CMD...   poll CMD every 0.1 s until it succeeds, or fail like check
#                           (SECS: whole seconds)
#   t0                      start the timeline clock (now)
#   mark EVENT [SECS]       record EVENT at SECS after t0 (default: now); printed by timeline
#   timeline [TITLE]        print the marks in time order (TITLE: what t0 was; default
#                           "seconds after the failure")
#   where K RSC             node names where RSC is active (crm_resource --locate), seen from K
#   promoted_on K RSC       the node where the promotable clone RSC is promoted, seen from K
#   log_time K PATTERN      host time (s.ns) of the first line matching PATTERN (grep -E) in
#                           node K's pacemaker.log written after t0
#   logged K PATTERN        such a line exists (for wait_for: its command runs at each poll)
set -uo pipefail

LAB=${LAB:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab-cluster.sh}
LAB_KEEP=${LAB_KEEP:-0}
export LAB_NAME LAB_LIBVIRT LAB_GUEST_NET LAB_NODE_DIRS LAB_FENCE LAB_BOOT_DELAY

lab() { "$LAB" exec "$@"; }
# The scenarios poll while guests boot on the same CPUs: the clock is read without a process
# (its decimal point is the locale's: made a '.' for bc and the timelines).
now() { echo "${EPOCHREALTIME/[!0-9]/.}"; }

balloon_mib() { # K DOMAIN: the balloon's actual size in MiB, from node K's own libvirtd
	lab "$1" virsh -q -c qemu:///system dommemstat "$2" 2>/dev/null | awk '$1 == "actual" { print int($2 / 1024) }'
}
# the prompt of node K: "nodeK#", or "remoteJ#" when K is a remote node's name
prompt() { if [[ $1 == [0-9]* ]]; then printf 'node%s#' "$1"; else printf '%s#' "$1"; fi; }

show() {
	local k=$1
	shift
	printf '%s %s\n' "$(prompt "$k")" "$*"
	"$LAB" exec "$k" "$@"
}

crm_config() {
	local k=$1 cfg
	cfg=$(cat)
	printf '%s crm configure <<EOF\n%s\ncommit\nEOF\n' "$(prompt "$k")" "$cfg"
	printf '%s\ncommit\n' "$cfg" | "$LAB" exec "$k" crm configure
}

check() {
	local desc=$1
	shift
	if "$@"; then
		printf 'ok: %s\n' "$desc"
	else
		printf 'FAILED: %s\n' "$desc" >&2
		exit 1
	fi
}

wait_for() {
	local secs=$1 desc=$2 end
	shift 2
	end=$((${EPOCHREALTIME/[!0-9]/} + secs * 1000000))   # microseconds
	until "$@" >/dev/null 2>&1; do
		if ((${EPOCHREALTIME/[!0-9]/} > end)); then
			printf 'FAILED: %s (not within %s s)\n' "$desc" "$secs" >&2
			exit 1
		fi
		sleep 0.1
	done
	printf 'ok: %s\n' "$desc"
}

T0=
MARKS=()
t0() { T0=$(now); MARKS=(); }
mark() {
	local at=${2-$(now)}
	if [ -z "$at" ]; then
		MARKS+=("$(printf '%8s    %s (not seen)' '?' "$1")")
		return 0
	fi
	MARKS+=("$(printf '%8.2f s  %s' "$(echo "$at - $T0" | bc)" "$1")")
}
timeline() {
	printf '\ntimeline (%s)\n' "${1:-seconds after the failure}"
	printf '%s\n' "${MARKS[@]}" | sort -n
}

where() { lab "$1" crm_resource --locate --resource "$2" 2>/dev/null | sed -n 's/.* is running on: \([^ ]*\).*/\1/p'; }
promoted_on() {
	lab "$1" crm_resource --locate --resource "$2" 2>/dev/null |
		sed -n 's/.* is running on: \([^ ]*\) Promoted.*/\1/p'
}

# Pacemaker's log lines start "Nov 25 22:15:34.123 node1 ..." (local time, ms): the host
# and the nodes share one clock, so a line's time is comparable with t0.
log_time() {
	local k=$1 pattern=$2 line stamp
	line=$(grep -E -- "$pattern" "$LAB_DIR/node$k/log/pacemaker/pacemaker.log" 2>/dev/null |
		while read -r mon day hms rest; do
			stamp=$(date -d "$mon $day $hms" +%s.%N 2>/dev/null) || continue
			[ "$(echo "$stamp >= $T0 - 1" | bc)" = 1 ] && { echo "$stamp"; break; }
		done)
	[ -n "$line" ] && echo "$line"
}

logged() { [ -n "$(log_time "$1" "$2")" ]; }

lab_down_on_exit() {
	local rc=$?
	trap - EXIT
	if [ "$LAB_KEEP" = 1 ]; then
		printf 'LAB_KEEP=1: the lab stays up; "LAB_NAME=%s %s down --purge" removes it\n' \
			"$LAB_NAME" "$LAB"
	elif [ "$rc" = 0 ]; then
		rm -rf "$SCENARIO_DIR"
		"$LAB" down --purge >/dev/null 2>&1
	else
		"$LAB" down >/dev/null 2>&1
		printf 'the lab is down; its logs stay in %s (node*/log)\n' "${LAB_DIR:-/var/lib/baton-lab/$LAB_NAME}" >&2
	fi
	exit "$rc"
}

# lab_up N [--remote R]: a fresh lab of N nodes (and R remote nodes); a left-over one of the
# same name is removed first
lab_up() {
	"$LAB" down --purge >/dev/null 2>&1
	trap lab_down_on_exit EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	"$LAB" up "$@" || exit 1
	eval "$("$LAB" env)"
	SCENARIO_DIR=$LAB_DIR/scenario
	mkdir -p "$SCENARIO_DIR"
}
