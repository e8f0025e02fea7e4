#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab scenario 4: a VM under Pacemaker (ocf:baton:vm), its health and its live migration.
# Two nodes, each with its own libvirtd (LAB_LIBVIRT=1) and a bridge br0 carrying its lab
# address (LAB_GUEST_NET=1); the guest (tests/vm/guest-image.sh, variant net: busybox httpd
# serving /health) sits on the lab network at $GUEST_IP with its own MAC.
#   A  health: the monitor at depth 20 fetches health_url. The service inside the guest is
#      broken (/cgi-bin/break removes /health); Pacemaker sees the failure, with the agent's
#      exit reason, and recovers the VM in place (stop + start): /health answers again.
#   B  live migration: while the management namespace pings the guest every 20 ms,
#      crm_resource --move live-migrates it (migrate_to + migrate_from, no stop/start: the
#      guest's uptime goes on); the lost pings and the longest gap are printed.
# Needs root, the lab's tools, libvirtd, qemu-system-x86_64 and the installed agent.
# LAB_KEEP=1 leaves the lab up. Exit status 0 only if every check passed.
set -uo pipefail

LAB_NAME=${LAB_NAME:-blmig}
LAB_LIBVIRT=1
LAB_GUEST_NET=1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lab/scenario-lib.sh
. "$HERE/scenario-lib.sh"

GUEST=blmig-vm
GUEST_IP=${GUEST_IP:-10.98.0.150}
GUEST_MIB=128
URL=http://$GUEST_IP
PING_INTERVAL=0.02
# the first depth-20 monitor after a start waits this long: the guest's boot (~8 s under TCG
# on an idle machine, twice that when other labs load it)
START=$(now)

# ---------------------------------------------------------------- helpers of this scenario

# the guest's web service, seen from the management namespace (the lab's switch)
http() { "$LAB" peer wget -q -T 2 -O - "$URL/$1" 2>/dev/null; }
healthy() { [ "$(http health)" = ok ]; }
unhealthy() { ! healthy; }
uptime_s() { http cgi-bin/uptime | awk '{print $1}'; }
other() { [ "$1" = node1 ] && echo node2 || echo node1; }
num() { sed 's/^node//' <<<"$1"; }
runs_on() { [ "$(where 1 vm)" = "$1" ]; }
started() { [ -n "$(where 1 vm)" ]; }
# crm_mon's XML, from node 1
mon_xml() { lab 1 crm_mon -1 --output-as=xml 2>/dev/null; }
# a failed action of vm recorded in the CIB (crm_mon's <failure>) whose text matches $1
failure_seen() { mon_xml | grep '<failure ' | grep 'op_key="vm_' | grep -q -- "$1"; }
# the failed actions of vm recorded in the CIB, one line each: "op_key node exit-reason"
failures() {
	mon_xml | grep '<failure ' | grep 'op_key="vm_' |
		sed 's/.*op_key="\([^"]*\)".* node="\([^"]*\)".* exitreason="\([^"]*\)".*/\1 \2 \3/'
}
# exactly N failed actions of vm (printed when there are others)
failures_are() {
	local f n
	f=$(failures)
	n=$(grep -c . <<<"$f")
	[ "$n" = "$1" ] && return 0
	printf '  failed action: %s\n' "$f" >&2
	return 1
}
# the recurring depth-20 monitor on node $1 answered ok after time $2 (s.ns)
monitor_ok_after() {
	log_after "$(num "$1")" "Result of monitor operation for vm on $1: ok .*key=vm_monitor_3000" "$2" >/dev/null
}
# log_time with a lower bound: the first matching line at or after time $3
log_after() {
	local k=$1 pattern=$2 after=$3 line stamp
	while read -r line; do
		set -- $line
		stamp=$(date -d "$1 $2 $3" +%s.%N 2>/dev/null) || continue
		[ "$(echo "$stamp >= $after" | bc)" = 1 ] && { echo "$stamp"; return 0; }
	done < <(grep -E -- "$pattern" "$LAB_DIR/node$k/log/pacemaker/pacemaker.log" 2>/dev/null)
	return 1
}
# mark EVENT from the first line matching PATTERN in node K's log after time AFTER; fails if none
mark_log() { # K PATTERN AFTER EVENT
	local t
	t=$(log_after "$1" "$2" "$3") || { printf 'FAILED: no log line /%s/ on node%s\n' "$2" "$1" >&2; exit 1; }
	mark "$4" "$t"
}
# a start of vm logged on any node after time $1
started_after() { log_after 1 "Result of start operation for vm on node1: ok" "$1" >/dev/null ||
	log_after 2 "Result of start operation for vm on node2: ok" "$1" >/dev/null; }
break_service() { [ "$(http cgi-bin/break)" = break ]; }
failcount_is() { lab 1 crm_failcount --query --resource vm --node "$1" 2>/dev/null | grep -q "value=$2\$"; }
later() { [ -n "$1" ] && [ -n "$2" ] && [ "$(echo "$1 < $2" | bc)" = 1 ]; }  # A < B
# what a guest that stopped answering is doing: its state, the age of its balloon
# statistics, whether its vCPU moves, its console
guest_diagnosis() {
	local k=$1
	echo "--- guest diagnosis on node$k ($(date +%T)):"
	lab "$k" virsh -c qemu:///system domstate --reason "$GUEST"
	lab "$k" virsh -c qemu:///system dommemstat "$GUEST" | grep last_update
	echo "now $(date +%s)"
	for _ in 1 2 3; do
		lab "$k" virsh -c qemu:///system qemu-monitor-command --hmp "$GUEST" 'info registers' | grep -E '^RIP'
		sleep 1
	done
	"$LAB" peer ping -c 3 -i 0.5 -W 1 "$GUEST_IP" | tail -n 2
	grep -v '^busybox' "$LAB_DIR/node$k/log/libvirt/qemu/$GUEST.console.log" | tail -n 20
	tail -n 5 "$LAB_DIR/node$k/log/libvirt/qemu/$GUEST.log"
}
secs() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }

# ---------------------------------------------------------------- the lab and the VM

command -v qemu-system-x86_64 >/dev/null || { echo "FAILED: qemu-system-x86_64 missing" >&2; exit 1; }
[ -x /usr/lib/ocf/resource.d/baton/vm ] || { echo "FAILED: ocf:baton:vm not installed" >&2; exit 1; }
CACHE=$("$HERE/../vm/guest-image.sh") || { echo "FAILED: guest-image.sh" >&2; exit 1; }
[ -f "$CACHE/net.cpio.gz" ] || { echo "FAILED: no net guest image in $CACHE" >&2; exit 1; }

lab_up 2

# the domain XML: a file both nodes read (the lab directory is shared); the serial console
# goes to the node's private /var/log ($LAB_DIR/nodeK/log on the host)
XML=$SCENARIO_DIR/$GUEST.xml
mkdir -p "$(dirname "$XML")"
BATON_TEST_CACHE=$CACHE BATON_VM_LOGDIR=/var/log/libvirt/qemu \
	"$HERE/../vm/guest-image.sh" xml "$GUEST" "$GUEST_MIB" net "$GUEST_MIB" "$GUEST_IP/24" >"$XML" ||
	{ echo "FAILED: guest XML" >&2; exit 1; }
console() { cat "$LAB_DIR"/node*/log/libvirt/qemu/$GUEST.console.log 2>/dev/null; }

# No start-delay on the monitor: until the guest's service has answered once, a failed health
# check within boot_grace of the start is not a failure (the agent's boot grace). Stickiness
# keeps the VM where it is after --clear.
crm_config 1 <<EOF || { echo "FAILED: crm configure" >&2; exit 1; }
primitive vm ocf:baton:vm params config=$XML health_url=$URL/health health_timeout=2s migration_transport=tcp op start timeout=90s op stop timeout=90s op migrate_to timeout=60s op migrate_from timeout=60s op monitor interval=3s timeout=30s OCF_CHECK_LEVEL=20 meta allow-migrate=true resource-stickiness=100
EOF
T_CFG=$(now)
wait_for 60 "vm started" started
SRC=$(where 1 vm)
wait_for 60 "the guest answers $URL/health from the management namespace" healthy
echo "guest console: $(console | grep BATON-GUEST-READY | tail -1)"
wait_for 40 "the depth-20 monitor on $SRC answers ok" monitor_ok_after "$SRC" "$T_CFG"
# until the agent's check has once seen the service up, a failure within boot_grace of the
# start counts as "still booting": the agent records that success in its state directory
wait_for 30 "the agent's health check has seen the service up on $SRC" \
	lab "$(num "$SRC")" test -e /run/baton/vm/vm.healthy
check "no failed actions of vm" failures_are 0
T_START=$(log_after "$(num "$SRC")" "Result of start operation for vm on $SRC: ok" "$T_CFG")
echo "vm on $SRC, monitored healthy $(secs "$T_CFG") s after crm configure (started after $(printf '%.1f' "$(echo "$T_START - $T_CFG" | bc)") s)"

# ---------------------------------------------------------------- A: the service breaks

echo
echo "=== A: the service inside the guest breaks; Pacemaker recovers the VM"
t0
A0=$T0
printf '%s$ wget -O - %s/cgi-bin/break\n' "${LAB_NAME}0" "$URL"
check "break the guest's service" break_service
mark "guest service broken (/health removed)"
check "/health fails now" unhealthy
wait_for 30 "Pacemaker records the failed monitor with the agent's reason" failure_seen "health check: $URL/health answered with status 404"
mark_log "$(num "$SRC")" "Result of monitor operation for vm on $SRC: error .*health check" "$A0" \
	"monitor on $SRC: error (health check)"
show 1 crm_mon -1 --failcounts | sed -n '/Migration Summary/,$p'
check "fail-count of vm on $SRC is 1" failcount_is "$SRC" 1
echo "pacemaker.log of $SRC:"
grep -E "controld.*Result of (monitor operation for vm on $SRC: error|(stop|start) operation for vm)" \
	"$LAB_DIR/node$(num "$SRC")/log/pacemaker/pacemaker.log" | awk -v t="$(date -d @"${A0%.*}" '+%H:%M:%S')" '$3 >= t' |
	head -n 3 | cut -c1-220 | sed 's/^/  /'
wait_for 60 "Pacemaker stopped the VM on $SRC" log_after "$(num "$SRC")" "Result of stop operation for vm on $SRC: ok" "$A0"
mark_log "$(num "$SRC")" "Result of stop operation for vm on $SRC: ok" "$A0" "stop on $SRC: ok"
wait_for 60 "Pacemaker started the VM again" started_after "$A0"
for k in 1 2; do
	t=$(log_after "$k" "Result of start operation for vm on node$k: ok" "$A0") && mark "start on node$k: ok" "$t"
done
wait_for 60 "the guest serves /health again" healthy
mark "guest serves /health again (seen from the management namespace)"
UP=$(uptime_s)
SINCE=$(secs "$A0")
check "the guest was restarted (uptime ${UP:-?} s < $SINCE s since the break)" later "$UP" "$SINCE"
AT=$(where 1 vm)
wait_for 40 "the depth-20 monitor on $AT answers ok again" monitor_ok_after "$AT" "$A0"
mark_log "$(num "$AT")" "Result of monitor operation for vm on $AT: ok .*key=vm_monitor_3000" "$A0" \
	"monitor on $AT: ok"
timeline
echo "A: recovered in $(secs "$A0") s (guest service back and monitored)"

# ---------------------------------------------------------------- B: live migration

echo
echo "=== B: live migration under a continuous ping"
# part A's failure stays recorded (a cleanup would re-probe the resource)
SRC=$(where 1 vm)
DST=$(other "$SRC")
wait_for 60 "the guest is healthy on $SRC" healthy
U0=$(uptime_s)
echo "guest uptime before the move: $U0 s"
PING=$SCENARIO_DIR/ping.txt
PINGPID=$SCENARIO_DIR/ping.pid
rm -f "$PING" "$PINGPID"
printf '%s$ ping -D -i %s %s\n' "${LAB_NAME}0" "$PING_INTERVAL" "$GUEST_IP"
# exec: the pid written is ping's, which SIGINT makes print its statistics
"$LAB" peer bash -c "echo \$\$ > '$PINGPID'; exec ping -D -i $PING_INTERVAL -w 120 $GUEST_IP" >"$PING" 2>&1 &
stop_ping() { [ -s "$PINGPID" ] && kill -INT "$(cat "$PINGPID")" 2>/dev/null; }
# shellcheck disable=SC2154 # r is set by the trap itself
trap 'r=$?; stop_ping; (exit $r); lab_down_on_exit' EXIT
wait_for 5 "ping answered" grep -q 'bytes from' "$PING"
sleep 1
t0
B0=$T0
show 1 crm_resource --move --resource vm --node "$DST" || { echo "FAILED: crm_resource --move" >&2; exit 1; }
mark "crm_resource --move vm to $DST"
wait_for 60 "vm runs on $DST" runs_on "$DST"
mark "crm_resource --locate: $DST"
wait_for 30 "migrate_to on $SRC logged" log_after "$(num "$SRC")" "Result of migrate_to operation for vm on $SRC: ok" "$B0"
wait_for 30 "migrate_from on $DST logged" log_after "$(num "$DST")" "Result of migrate_from operation for vm on $DST: ok" "$B0"
mark_log "$(num "$SRC")" "Result of migrate_to operation for vm on $SRC: ok" "$B0" "migrate_to on $SRC: ok"
mark_log "$(num "$DST")" "Result of migrate_from operation for vm on $DST: ok" "$B0" "migrate_from on $DST: ok"
mark_log "$(num "$SRC")" "Result of stop operation for vm on $SRC: ok" "$B0" "stop on $SRC: ok (finds nothing)"
check "no start of vm after the move (a migration, not stop + start)" eval '! started_after "$B0"'
echo "pacemaker.log of $SRC (the agent's migrate_to output):"
grep -hE "vm_migrate_to_0.*baton-vm" "$LAB_DIR/node$(num "$SRC")/log/pacemaker/pacemaker.log" |
	awk -v t="$(date -d @"${B0%.*}" '+%H:%M:%S')" '$3 >= t' | sed 's/.*baton-vm(vm): /  /; s/ \]$//' | head -n 4
if ! (wait_for 20 "the guest answers /health on $DST" healthy); then
	guest_diagnosis "$(num "$DST")"
	exit 1
fi
mark "guest serves /health on $DST"
U1=$(uptime_s)
check "the guest was not rebooted (uptime $U0 s -> $U1 s)" later "$U0" "$U1"
sleep 2
stop_ping
wait_for 5 "ping statistics" grep -q 'packets transmitted' "$PING"
SENT=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$PING")
RECV=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$PING")
LOST=$((SENT - RECV))
# the longest gap between two answers (ping -D: [epoch] at the start of each reply line)
GAP=$(sed -n 's/^\[\([0-9.]*\)\] [0-9]* bytes from.*/\1/p' "$PING" |
	awk 'NR > 1 { d = $1 - p; if (d > m) m = d } { p = $1 } END { printf "%.2f", m }')
tail -n 2 "$PING" | sed 's/^/  /'
printf 'ping: %s sent, %s answered, %s lost (~%.2f s at %s s intervals); longest gap between answers %s s\n' \
	"$SENT" "$RECV" "$LOST" "$(echo "$LOST * $PING_INTERVAL" | bc)" "$PING_INTERVAL" "$GAP"
check "the guest answered pings during the migration ($RECV of $SENT, gap $GAP s < 5 s)" \
	later "$GAP" 5
show 1 crm_resource --clear --resource vm
sleep 2
check "vm stays on $DST after --clear" runs_on "$DST"
wait_for 40 "the depth-20 monitor on $DST answers ok" monitor_ok_after "$DST" "$B0"
mark_log "$(num "$DST")" "Result of monitor operation for vm on $DST: ok .*key=vm_monitor_3000" "$B0" \
	"monitor on $DST: ok"
check "no failed action of vm but part A's" failures_are 1
show 1 crm_mon -1 | sed -n '/Full List of Resources/,$p;/Active Resources/,$p'
echo
echo "(B: t = 0 is crm_resource --move)"
timeline
echo
echo "scenario health-migrate passed in $(secs "$START") s"
