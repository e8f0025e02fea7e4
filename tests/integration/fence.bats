#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# fence_baton_ipmi against real simulated BMCs (OpenIPMI ipmi_sim on loopback
# UDP ports, one fresh BMC per test) and fence_baton_libvirt against libvirt's
# in-process test driver and a silent TCP endpoint.
#
# The agents are $BATON_FENCE_DIR/fence_baton_{ipmi,libvirt} (default: the
# installed /usr/sbin); plugins come from BATON_STONITH_PLUGIN_DIR when set.
# For a build tree:
#   BATON_FENCE_DIR=_build/<dir>/stonith \
#   BATON_STONITH_PLUGIN_DIR=$PWD/_build/<dir>/stonith/plugins/.libs bats tests/integration/fence.bats
# Needs ipmi_sim (openipmi), ipmitool, python3; root is not required.

bats_require_minimum_version 1.5.0

load lib/ipmi-sim

FENCE_DIR=$(readlink -f "${BATON_FENCE_DIR:-/usr/sbin}")
IPMI_AGENT=$FENCE_DIR/fence_baton_ipmi
LIBVIRT_AGENT=$FENCE_DIR/fence_baton_libvirt
RNG=/usr/share/cluster/relaxng/metadata.rng

setup_file() {
	for a in "$IPMI_AGENT" "$LIBVIRT_AGENT"; do
		if [ ! -x "$a" ]; then
			echo "agent not found: $a (set BATON_FENCE_DIR)" >&2
			return 1
		fi
	done
	command -v ipmi_sim >/dev/null || skip "ipmi_sim (openipmi) not installed"
}

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/baton-fence.XXXXXX")
	BMC=$T/bmc
	# A port per test run and test: parallel runs never share a BMC.
	PORT=$((20000 + ($$ * 7 + BATS_TEST_NUMBER * 13) % 30000))
	PW="pw-$$-$RANDOM-x"   # distinctive, so a leak cannot hide among other strings
}

teardown() {
	[ -n "${LISTENER_PID:-}" ] && kill "$LISTENER_PID" 2>/dev/null
	[ -d "${BMC:-}" ] && ipmi_sim_stop "$BMC"
	rm -rf "$T"
}

bmc_up() { ipmi_sim_start "$BMC" "$PORT" admin "$PW"; }

# ipmi_input ACTION [EXTRA-LINES]: the stdin pacemaker-fenced would write
ipmi_input() {
	printf 'action=%s\nnodename=node1\nip=127.0.0.1\nipport=%s\nusername=admin\npassword=%s\nipmi_workarounds=opensesspriv\n%b' \
		"$1" "$PORT" "$PW" "${2:-}"
}

# fence_ipmi ACTION [EXTRA-LINES]: run the agent (use with bats' run)
fence_ipmi() { ipmi_input "$@" | "$IPMI_AGENT"; }
fence_libvirt() { printf 'action=%s\n%b' "$1" "${2:-}" | "$LIBVIRT_AGENT"; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---------------------------------------------------------------- IPMI

@test "ipmi: status, off, on, reboot with confirmation, exit codes 0/2" {
	bmc_up
	run fence_ipmi status
	[ "$status" -eq 0 ]
	[[ "$output" == *"Status: ON"* ]]

	run fence_ipmi off
	[ "$status" -eq 0 ]
	[ "$(ipmi_sim_power "$BMC")" = 0 ]
	run fence_ipmi status
	[ "$status" -eq 2 ]
	[[ "$output" == *"Status: OFF"* ]]

	run fence_ipmi on
	[ "$status" -eq 0 ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]

	: >"$BMC/commands"
	run fence_ipmi reboot
	[ "$status" -eq 0 ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	# a real off, then a real on: no power cycle trusted blindly
	[ "$(ipmi_sim_log "$BMC")" = "$(printf 'set power 0\nset power 1')" ]
}

@test "ipmi: an already-off chassis counts as off, and reboot powers it on" {
	bmc_up
	ipmi_sim_set_power "$BMC" 0
	run fence_ipmi off
	[ "$status" -eq 0 ]
	[[ "$output" == *"already OFF"* ]]
	[ -z "$(ipmi_sim_log "$BMC")" ]

	run fence_ipmi reboot
	[ "$status" -eq 0 ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	[ "$(ipmi_sim_log "$BMC")" = "set power 1" ]
}

@test "ipmi: method=cycle sends one chassis power cycle and confirms ON; an off chassis is only powered on" {
	bmc_up
	run -0 fence_ipmi reboot 'method=cycle\nverbose=1\nstonith_status_sleep=0.2\n'
	[[ "$output" == *"Success: Rebooted"* ]]
	# one command: the cycle, no separate down and up as method=onoff sends
	[[ "$output" == *"chassis power cycle sent"* ]]
	[[ "$output" != *"chassis power down sent"* && "$output" != *"chassis power up sent"* ]]
	# ipmi_sim carries out a cycle as power 0, then 1 after about a second: it went down and came back
	[ "$(ipmi_sim_log "$BMC")" = "$(printf 'set power 0\nset power 1')" ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]

	# many BMCs refuse to cycle a chassis that is off: it is powered up instead
	ipmi_sim_set_power "$BMC" 0
	: >"$BMC/commands"
	run -0 fence_ipmi reboot 'method=cycle\nverbose=1\nstonith_status_sleep=0.2\n'
	[[ "$output" == *"chassis power up sent"* && "$output" != *"chassis power cycle sent"* ]]
	[ "$(ipmi_sim_log "$BMC")" = "set power 1" ]
	run -1 fence_ipmi reboot 'method=reset\n'
	[[ "$output" == *"method: 'reset' is not one of the allowed values"* ]]
}

@test "ipmi: diag sends the chassis' pulse diagnostic interrupt; ipmi_sim refuses it and the error is reported" {
	bmc_up
	run -0 "$IPMI_AGENT" -o metadata
	[[ "$output" == *'<action name="diag"/>'* ]]
	# OpenIPMI's ipmi_sim answers chassis control 4 (pulse diagnostic interrupt) with
	# "invalid data field" (ipmitool chassis power diag says so too): the request went
	# out in an open session and the BMC's refusal is what the agent reports
	run -1 fence_ipmi diag 'verbose=1\n'
	[[ "$output" == *"session to 127.0.0.1:$PORT open"* ]]
	[[ "$output" == *"Failed: diag: unsupported: BMC 127.0.0.1:$PORT: chassis pulse diagnostic interrupt: command invalid or unsupported"* ]]
	[[ "$output" != *"Success"* ]]
	# nothing else was switched
	[ -z "$(ipmi_sim_log "$BMC")" ]
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	# a device without a diagnostic interrupt says so before it connects
	run -1 fence_libvirt diag 'uri=test:///default\nplug=test\n'
	[[ "$output" == *"the libvirt device has no diagnostic interrupt"* ]]
	run -0 "$LIBVIRT_AGENT" -o metadata
	[[ "$output" != *'<action name="diag"/>'* ]]
}

@test "ipmi: fence_ipmilan's options as pacemaker passes them: each one used, noted or refused with what to use" {
	bmc_up
	# a device configured for fence_ipmilan, agent changed only (lanplus=1 as such BMCs need)
	local copied="lanplus=1\nipmitool_path=/usr/bin/ipmitool\nipmitool_timeout=2\npower_wait=2\nretry_on=1\nport_as_ip=0\nplug=node1\n"
	run -0 bash -c "printf 'action=off\nip=127.0.0.1\nipport=$PORT\nlogin=admin\npasswd=$PW\n$copied' | '$IPMI_AGENT'"
	[[ "$output" == *"Success: Powered OFF"* ]]
	[[ "$output" == *"parameter ipmitool_path of fence_ipmilan has no effect in fence_baton_ipmi: no ipmitool is run"* ]]
	[[ "$output" == *"parameter ipmitool_timeout of fence_ipmilan has no effect"*"ipmi_timeout"* ]]
	[[ "$output" == *"parameter retry_on of fence_ipmilan is 1, which is what fence_baton_ipmi does anyway"* ]]
	[[ "$output" == *"parameter port_as_ip of fence_ipmilan is false, which is what"* ]]
	[[ "$output" != *"unknown to"* ]]
	[ "$(ipmi_sim_power "$BMC")" = 0 ]

	# refused: the agent fails before any packet, naming what to use instead
	: >"$BMC/commands"
	run -1 fence_ipmi on 'target=0x82\n'
	[[ "$output" == *"Failed: parameter target of fence_ipmilan is not supported by fence_baton_ipmi: bridging requests to another controller (ipmitool -t) is not implemented; address the target's own BMC with ip="* ]]
	run -1 fence_ipmi on 'port_as_ip=1\n'
	[[ "$output" == *"configure one fence_baton_ipmi device per BMC"* ]]
	run -1 fence_ipmi on 'debug_file=/tmp/x\n'
	[[ "$output" == *"set verbose=1"* ]]
	run -1 "$IPMI_AGENT" -o on --target 0x82 -a 127.0.0.1
	[[ "$output" == *"unknown option"* ]]
	[ -z "$(ipmi_sim_log "$BMC")" ]
	# a key neither fence_ipmilan's nor ours is not silently dropped either
	run -2 fence_ipmi status 'no_such_option=1\n'
	[[ "$output" == *"parameter no_such_option is unknown to fence_baton_ipmi: ignored"* ]]
	# quiet: nothing on stderr (syslog only); verbose_level is verbose
	run -2 --separate-stderr fence_ipmi status 'quiet=1\nno_such_option=1\n'
	[ -z "$stderr" ]
	[[ "$output" == *"Status: OFF"* ]]
	run -2 fence_ipmi status 'verbose_level=2\n'
	[[ "$output" == *"DEBUG"* ]]
}

@test "libvirt: fence_virsh's ssh options are refused with the URI to use instead" {
	# what pacemaker passes for a fence_virsh device
	local virsh='ip=192.0.2.10\nusername=root\npassword=x\nplug=test\n'
	run -1 fence_libvirt status "$virsh"
	[[ "$output" == *"Failed: parameter ip of fence_virsh is not supported by fence_baton_libvirt"*"set uri=qemu+ssh://LOGIN@IP/system"* ]]
	run -1 fence_libvirt status 'uri=test:///default\nplug=test\nidentity_file=/root/.ssh/id_rsa\n'
	[[ "$output" == *"uri=qemu+ssh://LOGIN@IP/system?keyfile=PATH"* ]]
	run -1 fence_libvirt status 'uri=test:///default\nplug=test\nipport=2222\n'
	[[ "$output" == *"uri=qemu+ssh://LOGIN@IP:PORT/system"* ]]
	run -1 fence_libvirt status 'uri=test:///default\nplug=test\nuse_sudo=1\n'
	[[ "$output" == *"qemu+ssh://root@IP/system"* ]]
	# the values that ask for what libvirt does anyway, and the shell's knobs, pass with a note
	run -0 fence_libvirt status 'uri=test:///default\nplug=test\nipport=22\nssh=1\nuse_sudo=0\ncmd_prompt=#\nlogin_timeout=5\n'
	[[ "$output" == *"Status: ON"* ]]
	[[ "$output" == *"parameter ipport of fence_virsh is 22, which is what fence_baton_libvirt does anyway"* ]]
	[[ "$output" == *"parameter cmd_prompt of fence_virsh has no effect in fence_baton_libvirt"* ]]
	[[ "$output" == *"parameter login_timeout of fence_virsh has no effect"* ]]
}

@test "ipmi: a slow power-off is waited for, and one that never comes times out" {
	bmc_up
	ipmi_sim_set_off_delay "$BMC" 2
	local t0=$(now_ms)
	run fence_ipmi off 'stonith_status_sleep=0.2\n'
	local took=$(($(now_ms) - t0))
	[ "$status" -eq 0 ]
	[ "$took" -ge 1900 ]
	[ "$(ipmi_sim_power "$BMC")" = 0 ]

	ipmi_sim_set_power "$BMC" 1
	ipmi_sim_set_off_delay "$BMC" 30
	t0=$(now_ms)
	run fence_ipmi off 'power_timeout=1\nstonith_status_sleep=0.2\n'
	took=$(($(now_ms) - t0))
	[ "$status" -eq 1 ]
	[[ "$output" == *"timed out"*"still ON"* ]]
	[ "$took" -lt 3000 ]
}

@test "ipmi: wrong password fails fast with a clear message" {
	bmc_up
	local t0=$(now_ms)
	run -1 bash -c "printf 'action=reboot\nip=127.0.0.1\nipport=$PORT\nusername=admin\npassword=wrong\nipmi_workarounds=opensesspriv\n' | '$IPMI_AGENT'"
	local took=$(($(now_ms) - t0))
	[[ "$output" == *"authentication failed"*"password invalid"* ]]
	[ "$took" -lt 2000 ]
	# nothing was switched
	[ "$(ipmi_sim_power "$BMC")" = 1 ]
	[ -z "$(ipmi_sim_log "$BMC")" ]
}

@test "ipmi: an ip that is neither an address nor a host name is refused before any packet" {
	local bad
	for bad in -h '%s%n' 'a..b' 18446744073709551616 'bmc 1'; do
		run -1 bash -c "printf 'action=status\nip=%s\nusername=admin\npassword=x\n' '$bad' | '$IPMI_AGENT'"
		[[ "$output" == *"ip '$bad' is neither an IP address nor a host name"* ]]
	done
	run -1 bash -c "printf 'action=status\nip=bmc-1.example.invalid\nusername=admin\npassword=x\nipmi_timeout=500\n' | '$IPMI_AGENT'"
	[[ "$output" != *"neither an IP address"* ]]
}

@test "ipmi: without opensesspriv the refused session is retried with it, and the log says what to set" {
	bmc_up
	# fence_ipmilan's options (lanplus=1, no workaround): ipmi_sim refuses FreeIPMI's first Open Session
	run -0 bash -c "printf 'action=off\nip=127.0.0.1\nipport=$PORT\nusername=admin\npassword=$PW\nlanplus=1\n' | '$IPMI_AGENT'"
	[[ "$output" == *"session refused (privilege level cannot be obtained for this user); opened it again with the opensesspriv workaround"* ]]
	[[ "$output" == *"set ipmi_workarounds=opensesspriv to skip the first attempt"* ]]
	[[ "$output" == *"Success: Powered OFF"* ]]
	[ "$(ipmi_sim_power "$BMC")" = 0 ]
	# one retry per session, not per request: the note appears once for the whole off
	[ "$(grep -c 'session refused' <<<"$output")" -eq 1 ]
	# with the flag set there is nothing to retry, hence no note
	run -2 fence_ipmi status
	[[ "$output" != *"session refused"* ]]
	# a wrong password is not retried: the BMC's answer is another one
	run -1 bash -c "printf 'action=status\nip=127.0.0.1\nipport=$PORT\nusername=admin\npassword=wrong\n' | '$IPMI_AGENT'"
	[[ "$output" == *"password invalid"* ]]
	[[ "$output" != *"session refused"* ]]
}

@test "ipmi: a dead BMC fails within the deadline" {
	bmc_up
	ipmi_sim_kill "$BMC"
	local t0=$(now_ms)
	run fence_ipmi reboot 'timeout=4\n'
	local took=$(($(now_ms) - t0))
	[ "$status" -eq 1 ]
	[[ "$output" == *"unreachable"* ]]
	[ "$took" -lt 4500 ]
	t0=$(now_ms)
	run fence_ipmi status 'ipmi_timeout=1\n'
	took=$(($(now_ms) - t0))
	[ "$status" -eq 1 ]
	[ "$took" -lt 2500 ]
}

@test "ipmi: monitor proves credentials; IPMI 1.5; getopt mode with a password script" {
	bmc_up
	run fence_ipmi monitor
	[ "$status" -eq 0 ]
	run fence_ipmi status 'lanplus=0\nipmi_workarounds=\n'
	[ "$status" -eq 0 ]
	[[ "$output" == *"Status: ON"* ]]

	printf '#!/bin/sh\necho %s\n' "$PW" >"$T/pw.sh"
	chmod 700 "$T/pw.sh"
	run "$IPMI_AGENT" -o status -a 127.0.0.1 -u "$PORT" -l admin -S "$T/pw.sh" --ipmi-workarounds opensesspriv
	[ "$status" -eq 0 ]
	printf '%s\n' "$PW" >"$T/pw"
	chmod 600 "$T/pw"
	run "$IPMI_AGENT" -o off -a 127.0.0.1 -u "$PORT" -l admin --password-file "$T/pw" --ipmi-workarounds opensesspriv
	[ "$status" -eq 0 ]
	[ "$(ipmi_sim_power "$BMC")" = 0 ]
	# deprecated names from old configurations still work
	run bash -c "printf 'action=status\nipaddr=127.0.0.1\nipport=$PORT\nlogin=admin\npasswd=$PW\nipmi_workarounds=opensesspriv\n' | '$IPMI_AGENT'"
	[ "$status" -eq 2 ]
}

@test "ipmi: the password never appears in any /proc/*/cmdline or environ" {
	bmc_up
	ipmi_sim_set_off_delay "$BMC" 3
	printf '%s' "$PW" >"$T/pattern"   # grep reads the pattern from a file, never from argv
	printf '#!/bin/sh\nsleep 1\necho %s\n' "$PW" >"$T/pw.sh"
	chmod 700 "$T/pw.sh"
	local input="$T/input" mode leaks=0 polls=0
	for mode in stdin script; do
		if [ $mode = stdin ]; then
			ipmi_input reboot 'stonith_status_sleep=0.2\n' >"$input"
		else
			ipmi_input reboot 'stonith_status_sleep=0.2\n' | grep -v '^password=' >"$input"
			echo "password_script=$T/pw.sh" >>"$input"
		fi
		ipmi_sim_set_power "$BMC" 1
		"$IPMI_AGENT" <"$input" >"$T/out" 2>&1 &
		local pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			if grep -qsF -f "$T/pattern" /proc/[0-9]*/cmdline /proc/[0-9]*/environ; then
				grep -lsF -f "$T/pattern" /proc/[0-9]*/cmdline /proc/[0-9]*/environ >&2
				leaks=$((leaks + 1))
			fi
			polls=$((polls + 1))
			sleep 0.05
		done
		wait "$pid"
		cat "$T/out"
		[ "$(ipmi_sim_power "$BMC")" = 1 ]
	done
	rm -f "$input"
	echo "polls: $polls, leaks: $leaks"
	[ "$leaks" -eq 0 ]
	# the agent ran for seconds (slow off, slow script): the polls saw it at work
	[ "$polls" -ge 40 ]
}

@test "ipmi: a fence agent installed in /usr/sbin loads packaged plugins only, whatever the environment says" {
	run env BATON_STONITH_PLUGIN_DIR="$T/nowhere" "$IPMI_AGENT" -o metadata
	if [ "$FENCE_DIR" = /usr/sbin ]; then
		[ "$status" -eq 0 ]
		[[ "$output" == *"BATON_STONITH_PLUGIN_DIR ignored"* ]]
		[[ "$output" == *'<parameter name="ip"'* ]]
	else
		# a build tree's front end takes the variable: there is no plugin there
		[ "$status" -ne 0 ]
		[[ "$output" == *"$T/nowhere"* ]]
	fi
}

@test "ipmi: metadata is valid fence-agents metadata" {
	run "$IPMI_AGENT" -o metadata
	[ "$status" -eq 0 ]
	[[ "$output" == *'<parameter name="ip" unique="0" required="1" obsoletes="ipaddr">'* ]]
	[[ "$output" == *'<parameter name="ipmi_workarounds"'* ]]
	echo "$output" >"$T/md.xml"
	if [ -r "$RNG" ]; then xmllint --noout --relaxng "$RNG" "$T/md.xml"; else xmllint --noout "$T/md.xml"; fi
	run bash -c "echo action=validate-all | '$IPMI_AGENT'"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ip is missing"* ]]
	run bash -c "printf 'action=validate-all\nip=x\ncipher=99\n' | '$IPMI_AGENT'"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cipher suite 99"* ]]
}

# ---------------------------------------------------------------- libvirt

@test "libvirt: test driver: status, off, reboot, on, list, list-status, monitor" {
	local d='uri=test:///default\nplug=test\n'
	run fence_libvirt status "$d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Status: ON"* ]]
	# one process, one in-memory driver: the off is confirmed as shut off in-process
	run fence_libvirt off "$d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Powered OFF"* ]]
	run fence_libvirt reboot "$d"
	[ "$status" -eq 0 ]
	run fence_libvirt on "$d"
	[ "$status" -eq 0 ]
	run fence_libvirt list 'uri=test:///default\n'
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^test,[0-9a-f-]{36}$ ]]
	run fence_libvirt list-status 'uri=test:///default\n'
	[[ "$output" =~ ^test,[0-9a-f-]{36},ON$ ]]
	# by UUID as well
	local uuid=${output#test,}
	uuid=${uuid%,ON}
	run fence_libvirt status "uri=test:///default\nport=$uuid\n"
	[ "$status" -eq 0 ]
	run fence_libvirt monitor 'uri=test:///default\n'
	[ "$status" -eq 0 ]
}

# padded_input N OPTIONS LAST: exactly N bytes of stdin: OPTIONS, one comment line, LAST
padded_input() { # N OPTIONS LAST
	python3 -c '
import sys
n, opts, last = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode()
pad = n - len(opts) - len(last)
assert pad > 2
sys.stdout.buffer.write(opts + b"#" + b"x" * (pad - 2) + b"\n" + last)' "$@"
}

@test "stdin over 64 KiB is refused, never cut: lines, and one long line" {
	# Exactly 64 KiB still works.
	padded_input 65536 "$(printf 'action=status\nuri=test:///default\n')" "$(printf 'plug=test\n.')" >"$T/in"
	[ "$(stat -c %s "$T/in")" -eq 65536 ]
	run --separate-stderr "$LIBVIRT_AGENT" <"$T/in"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Status: ON"* ]]
	# The cut fell after "plug=test" of "plug=test-not-this-one": it acted on "test".
	padded_input 65549 "$(printf 'action=status\nuri=test:///default\n')" "plug=test-not-this-one" >"$T/in"
	run --separate-stderr "$LIBVIRT_AGENT" <"$T/in"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"longer than 65536 bytes"* ]]
	[[ "$output" != *"Status: ON"* ]]
	# One long line: "action=off" followed by spaces and junk past the limit was read as off.
	{ printf 'uri=test:///default\nplug=test\naction=off'; head -c 70000 /dev/zero | tr '\0' ' '; printf 'junk\n'; } >"$T/in"
	run --separate-stderr "$LIBVIRT_AGENT" <"$T/in"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"longer than 65536 bytes"* ]]
	[[ "$stderr" != *"Powered OFF"* && "$output" != *"Powered OFF"* ]]
}

@test "libvirt: a shut-off domain reports 2 and is started; missing domain or plug" {
	# test:runstate 5 = VIR_DOMAIN_SHUTOFF: a defined, stopped VM
	cat >"$T/node.xml" <<-'XML'
	<node>
	  <domain type="test" xmlns:test="http://libvirt.org/schemas/domain/test/1.0">
	    <name>vm-off</name>
	    <memory>65536</memory>
	    <os><type>hvm</type></os>
	    <test:runstate>5</test:runstate>
	  </domain>
	</node>
	XML
	local d="uri=test://$T/node.xml\nplug=vm-off\n"
	run fence_libvirt status "$d"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Status: OFF"* ]]
	run fence_libvirt list-status "uri=test://$T/node.xml\n"
	[[ "$output" =~ ^vm-off,[0-9a-f-]{36},OFF$ ]]
	run fence_libvirt off "$d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already OFF"* ]]
	# on starts it and confirms it running
	run fence_libvirt on "$d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Powered ON"* ]]
	run fence_libvirt reboot "$d"
	[ "$status" -eq 0 ]

	run fence_libvirt status "uri=test:///default\nplug=no-such-vm\n"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no such target"* ]]
	run fence_libvirt off "uri=test:///default\nplug=no-such-vm\nmissing_as_off=1\n"
	[ "$status" -eq 0 ]
	run fence_libvirt off "uri=test:///default\n"
	[ "$status" -eq 1 ]
	[[ "$output" == *"needs a plug"* ]]
}

@test "libvirt: a daemon that never answers fails within connect_timeout" {
	command -v python3 >/dev/null || skip "python3 needed for the silent listener"
	python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)   # accept, then say nothing
' "$PORT" &
	LISTENER_PID=$!
	sleep 0.3
	local t0=$(now_ms)
	run fence_libvirt status "uri=qemu+tcp://127.0.0.1:$PORT/system\nplug=x\nconnect_timeout=2\n"
	local took=$(($(now_ms) - t0))
	[ "$status" -eq 1 ]
	[[ "$output" == *"no connection within"* ]]
	[ "$took" -lt 3500 ]
}

@test "libvirt: metadata is valid and lists list/list-status" {
	run "$LIBVIRT_AGENT" -o metadata
	[ "$status" -eq 0 ]
	[[ "$output" == *'<action name="list-status"/>'* ]]
	echo "$output" >"$T/md.xml"
	if [ -r "$RNG" ]; then xmllint --noout --relaxng "$RNG" "$T/md.xml"; else xmllint --noout "$T/md.xml"; fi
}
