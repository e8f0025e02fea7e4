#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The short chaos run (tests/lab/chaos.sh): fixed seeds, a few steps each, on a 3-node lab
# cluster under client load; every invariant holds and every step recovers within the bound.
# The seeds and the number of steps keep it at a few minutes (CI budget).
#
# Needs root, the installed baton packages, libvirtd + QEMU, slapd + ldap-utils, chrony,
# ipmi_sim, crmsh and the test guest images.

bats_require_minimum_version 1.5.0

LAB_SCENARIO="$BATS_TEST_DIRNAME/chaos.sh"
LAB_NAME=blchaos
LAB_NEEDS="libvirtd virtlogd qemu-system-x86_64 slapd ldapadd chronyd ping wget"
LAB_AGENTS="vm vip ldap ntp"
# seed 7 begins with a link cut between node1 and node2 (split): the promotion after it must
# not lose the writes only the third node has (tests/lab/README.md, "Found so far")
CHAOS_SEEDS=${CHAOS_SEEDS:-8,2,7}
CHAOS_STEPS=${CHAOS_STEPS:-3}
LAB_ENV="CHAOS_SEED=$CHAOS_SEEDS CHAOS_FAULTS=$CHAOS_STEPS"
LAB_TIMEOUT=1080
load lab

@test "chaos: a seed replays the same faults, another seed draws others" {
	local a b c
	a=$("$LAB_SCENARIO" --plan --seed 8 --faults 8)
	b=$("$LAB_SCENARIO" --plan --seed 8 --faults 8)
	c=$("$LAB_SCENARIO" --plan --seed 9 --faults 8)
	[ "$(grep -c '^seed 8 step [0-9]*: ' <<<"$a")" = 8 ]
	[ "$a" = "$b" ]
	[ "$a" != "$c" ]
	# never two nodes lost in one step
	! grep -E "(loses power|crashes|links cut|link between).*s later: (node[0-9]( loses power| crashes|'s corosync links)|the link between)" <<<"$a$c"
}

@test "chaos: the run passed, with no invariant violation and no agent timeout" {
	[ "$LAB_RC" = 0 ]
	! grep -q '^VIOLATION' <<<"$output"
	has_re 'result: [0-9]+ steps, 0 invariant violations, 0 agent timeouts'
	has_re 'invariant violations: 0'
	has_re 'agent timeouts: 0'
}

@test "chaos: every step of every seed was injected and recovered" {
	local n
	n=$(( $(tr ',' '\n' <<<"$CHAOS_SEEDS" | grep -c .) * CHAOS_STEPS ))
	[ "$(grep -c '^== step [0-9]* (seed ' <<<"$output")" = "$n" ]
	[ "$(grep -c '\] recovered after [0-9.]* s' <<<"$output")" = "$n" ]
	has_re "all steps +$n +$n +[0-9.]+ +[0-9.]+"
	# the checks ran: the observer went round, the guests' uptime was read
	has_re 'observer: [1-9][0-9]+ rounds'
	has_re 'guest g1: [1-9][0-9]* uptime readings, .*'
	# the memory check ran on a node holding both guests, one of them ballooned below 192 MiB
	has_re '^    (node|remote)[0-9]+: g1 [0-9]+ MiB, g2 [0-9]+ MiB$'
	awk '/^    (node|remote)[0-9]+: g1 [0-9]+ MiB, g2 [0-9]+ MiB$/ && ($3 < 192 || $6 < 192) { ok = 1 }
		END { exit !ok }' <<<"$output"
}

@test "chaos: the client load ran: writes acknowledged, none lost outside a node-loss window" {
	has_re 'LDAP: [1-9][0-9]* writes acknowledged, [0-9]+ failed or refused; lost: 0 outside a node-loss window, [0-9]+ inside one'
	has_re 'fencing: [0-9]+ succeeded, [0-9]+ failed attempts \(each retried until it succeeded: every'
}
