# SPDX-License-Identifier: GPL-2.0-or-later
# Simulated BMCs for fence tests: OpenIPMI's ipmi_sim on a loopback UDP port,
# its chassis power kept in a file by a chassis_control hook (no machine
# behind it). Source it from bats; every function takes the BMC's directory.
#
#   ipmi_sim_start DIR PORT [USER PASS]   write lan.conf + emu + hook, start, wait until it answers
#   ipmi_sim_stop DIR                     SIGTERM (then SIGKILL) the BMC started in DIR
#   ipmi_sim_kill DIR                     SIGKILL: a dead BMC
#   ipmi_sim_power DIR                    print the chassis power (0|1) from the state file
#   ipmi_sim_set_power DIR 0|1            set it behind the BMC's back
#   ipmi_sim_set_off_delay DIR SECONDS    power-down takes this long to reach 0 (slow chassis)
#   ipmi_sim_log DIR                      chassis commands the BMC ran, one per line
#
# The hook runs under ipmi_sim's popen(), which leaks the BMC's sockets into
# it: it closes every fd above 2 first, answers fast, and detaches anything
# slow, so the BMC is never blocked.

IPMI_SIM_USER=${IPMI_SIM_USER:-admin}
IPMI_SIM_PASS=${IPMI_SIM_PASS:-s3cr3t-bmc-pw}

ipmi_sim_write_hook() { # DIR
	cat >"$1/chassis" <<'HOOK'
#!/bin/bash
# chassis_control hook: chassis DIR get power | set power 0|1 | set reset 1 ...
for fd in $(ls /proc/$$/fd 2>/dev/null); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
d=$1 op=$2; shift 2
exec 9>"$d/lock"; flock 9
pw=$(cat "$d/power" 2>/dev/null || echo 0)
case $op in
get)
	for what in "$@"; do
		case $what in
		power) echo "power:$pw" ;;
		boot) echo "boot:default" ;;
		esac
	done ;;
set)
	echo "set $*" >>"$d/commands"
	while [ $# -ge 2 ]; do
		case $1 in
		power)
			delay=$(cat "$d/off_delay" 2>/dev/null || echo 0)
			if [ "$2" = 0 ] && [ "$delay" != 0 ]; then
				# not holding the lock (fd 9): the BMC must keep answering meanwhile
				setsid bash -c "echo \$\$ >'$d/sleeper'; sleep $delay; echo 0 >'$d/power'" \
					</dev/null >/dev/null 2>&1 9>&- &
			else
				echo "$2" >"$d/power"
			fi ;;
		reset) echo 1 >"$d/power" ;;
		esac
		shift 2
	done ;;
esac
exit 0
HOOK
	chmod 755 "$1/chassis"
}

ipmi_sim_start() { # DIR PORT [USER PASS]
	local d=$1 port=$2 user=${3:-$IPMI_SIM_USER} pass=${4:-$IPMI_SIM_PASS} i
	mkdir -p "$d/state"
	[ -f "$d/power" ] || echo 1 >"$d/power"
	echo "$port" >"$d/port"
	ipmi_sim_write_hook "$d"
	cat >"$d/lan.conf" <<-CONF
	name "baton-test-bmc"
	set_working_mc 0x20
	startlan 1
	  addr 127.0.0.1 $port
	  priv_limit admin
	  allowed_auths_callback none md2 md5 straight
	  allowed_auths_user none md2 md5 straight
	  allowed_auths_operator none md2 md5 straight
	  allowed_auths_admin none md2 md5 straight
	  guid a123456789abcdefa123456789abcdef
	endlan
	chassis_control "$d/chassis $d"
	user 2 true "$user" "$pass" admin 10 none md2 md5 straight
	CONF
	cat >"$d/bmc.emu" <<-EMU
	mc_setbmc 0x20
	mc_add 0x20 0 has-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
	mc_enable 0x20
	EMU
	setsid ipmi_sim -c "$d/lan.conf" -f "$d/bmc.emu" -n -s "$d/state" \
		</dev/null >"$d/ipmi_sim.log" 2>&1 &
	echo $! >"$d/pid"
	# Ready when it answers a session-less ping (Get Channel Auth Capabilities).
	for i in $(seq 1 50); do
		if ipmiping -c 1 -t 1 -p "$port" 127.0.0.1 >/dev/null 2>&1 ||
			ipmitool -I lan -H 127.0.0.1 -p "$port" -U "$user" -P "$pass" -N 1 -R 1 \
				chassis power status >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$(cat "$d/pid")" 2>/dev/null || break
		sleep 0.1
	done
	echo "ipmi_sim on port $port did not come up:" >&2
	cat "$d/ipmi_sim.log" >&2
	return 1
}

ipmi_sim_kill() { # DIR
	local pid
	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	kill -KILL "$pid" 2>/dev/null
	rm -f "$1/pid"
	return 0
}

ipmi_sim_stop() { # DIR
	local pid i
	# a slow power-off still pending in the hook
	pid=$(cat "$1/sleeper" 2>/dev/null) && kill -- "-$pid" 2>/dev/null
	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || { rm -f "$1/pid"; return 0; }
		sleep 0.1
	done
	ipmi_sim_kill "$1"
}

ipmi_sim_power() { cat "$1/power"; }
ipmi_sim_set_power() { echo "$2" >"$1/power"; }
ipmi_sim_set_off_delay() { echo "$2" >"$1/off_delay"; }
ipmi_sim_log() { cat "$1/commands" 2>/dev/null; }
