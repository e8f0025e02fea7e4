#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scenario-many-vms.sh - the data-centre scenario: many small VMs, a host failure, then the
# loss of the whole site.
#
# Part 1: N VMs (N=${N:-10}) run on node2. node2 loses power; node1 fences it (power off:
# stonith-action=off, a dead host stays off until repaired) and restarts all N VMs. Part 2: both nodes lose power at once; when they are powered on again, the cluster
# forms and starts all N VMs over the two nodes. For each part it prints the time to fencing
# (part 1), the first and last start returned, the first and last guest alive (its ready
# marker on its serial console), and the hung guests (domain running, no marker, or a kernel
# panic on the console), which must be 0.
#
# Every guest boots on the same 2 host cores (TCG): the CPU is the floor. What baton adds is
# the boot-slot limit of ocf:baton:vm (boot_slots; default: one per host CPU), which keeps N
# simultaneous boots from starving each other.
#
# STACK=standard plays the same with ocf:heartbeat:VirtualDomain and fence_ipmilan (no boot
# control): bench/site-restart compares the two. LAB_KEEP=1 leaves the lab running.
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
N=${N:-10}
STACK=${STACK:-baton}
LAB_NAME=${LAB_NAME:-blmany}
LAB_LIBVIRT=1
LAB_BOOT_DELAY=${LAB_BOOT_DELAY:-5}
case $STACK in
baton) LAB_FENCE=baton ;;
standard) LAB_FENCE=ipmilan ;;
*) echo "STACK: baton or standard, not '$STACK'" >&2; exit 2 ;;
esac
ALIVE_BUDGET=${ALIVE_BUDGET:-240}   # seconds after the failure for every guest to be alive
# shellcheck source=tests/lab/scenario-lib.sh
source "$HERE/scenario-lib.sh"

IMAGES=$("$HERE/../vm/guest-image.sh") || { echo "FAILED: guest images" >&2; exit 1; }
export BATON_TEST_CACHE=$IMAGES
VMS=$(seq -f 'vm%02g' 1 "$N")

ready() { grep -q BATON-GUEST-READY "$DOMAINS/$1.console.log" 2>/dev/null; }
panicked() { grep -q 'Kernel panic' "$DOMAINS/$1.console.log" 2>/dev/null; }
n_started() { # resources started, seen from node K
	lab "$1" crm_mon -1 --output-as=xml 2>/dev/null |
		grep -c '<resource id="vm[0-9]*" .*role="Started".*nodes_running_on="1"'
}
all_started() { [ "$(n_started "$1")" = "$N" ]; }
# FILE of watch_ready has a line per guest alive; read by the shell itself, as every poll
# here must cost next to nothing: it competes with the booting guests for the same CPUs
all_ready() { local l; mapfile -t l <"$1" 2>/dev/null && ((${#l[@]} >= N)); }

# Host-side watch: the time each guest's ready marker first appears (console logs are
# truncated at every new QEMU, so the logs are cleared before the failure). One grep a round
# for all the guests not seen yet.
watch_ready() { # OUTFILE
	local -A seen=()
	local vm t found logs
	while ((${#seen[@]} < N)); do
		logs=()
		for vm in $VMS; do [ -n "${seen[$vm]:-}" ] || logs+=("$DOMAINS/$vm.console.log"); done
		found=$(grep -l -F BATON-GUEST-READY "${logs[@]}" 2>/dev/null)
		t=${EPOCHREALTIME/[!0-9]/.}   # now(), without a subshell
		for vm in $found; do
			vm=${vm##*/}
			vm=${vm%.console.log}
			seen[$vm]=1
			echo "$vm $t" >>"$1"
		done
		sleep 0.2
	done
}

# The starts the survivor's log reports after t0: "vmNN TIME"
start_times() { # K...
	local k
	for k in "$@"; do
		grep -E "Result of start operation for vm[0-9]+ on node$k: ok" \
			"$LAB_DIR/node$k/log/pacemaker/pacemaker.log" 2>/dev/null |
			while read -r mon day hms rest; do
				t=$(date -d "$mon $day $hms" +%s.%N) || continue
				[ "$(echo "$t >= $T0" | bc)" = 1 ] && echo "$t"
			done
	done | sort -n
}

# report PART READYFILE K...: the part's figures, and the checks on them
report() {
	local part=$1 file=$2 starts hung=0 vm
	shift 2
	starts=$(start_times "$@")
	mark "$part: first start returned" "$(head -n 1 <<<"$starts")"
	mark "$part: last start returned ($(grep -c . <<<"$starts") starts)" "$(tail -n 1 <<<"$starts")"
	mark "$part: first guest alive" "$(sort -k2 -n "$file" | head -n 1 | cut -d' ' -f2)"
	mark "$part: last guest alive ($(wc -l <"$file") of $N)" "$(sort -k2 -n "$file" | tail -n 1 | cut -d' ' -f2)"
	for vm in $VMS; do
		if ! grep -q "^$vm " "$file" || panicked "$vm"; then
			hung=$((hung + 1))
			echo "hung: $vm ($(tail -c 300 "$DOMAINS/$vm.console.log" 2>/dev/null | tr '\n' ' '))"
		fi
	done
	timeline
	echo "$part: hung guests: $hung"
	check "$part: every guest came alive, none hung" test "$hung" = 0
}

# ---------------------------------------------------------------- N VMs on node2

echo "== a two-node lab cluster with IPMI fencing and a libvirtd per node; $N VMs ($STACK agents)"
lab_up 2
DOMAINS=$SCENARIO_DIR/domains
mkdir -p "$DOMAINS"
for vm in $VMS; do
	BATON_VM_LOGDIR=$DOMAINS "$HERE/../vm/guest-image.sh" xml "$vm" 160 coop 160 >"$DOMAINS/$vm.xml" ||
		{ echo "FAILED: domain XML for $vm" >&2; exit 1; }
done
{
	for vm in $VMS; do
		if [ "$STACK" = standard ]; then
			echo "primitive $vm ocf:heartbeat:VirtualDomain params config=$DOMAINS/$vm.xml hypervisor=qemu:///system autoset_utilization_cpu=false autoset_utilization_hv_memory=false autoset_utilization_host_memory=false op start timeout=90s op stop timeout=90s op monitor interval=10s timeout=30s"
		else
			echo "primitive $vm ocf:baton:vm params config=$DOMAINS/$vm.xml boot_grace=150s op start timeout=240s op stop timeout=90s op monitor interval=10s timeout=30s OCF_CHECK_LEVEL=10"
		fi
		echo "location $vm-on-node2 $vm 50: node2"
	done
	echo "rsc_defaults resource-stickiness=100"
	# a dead host stays off until someone repairs it: all its VMs run on the survivor
	echo "property stonith-action=off"
} | crm_config 1
wait_for 300 "all $N VMs started on node2" all_started 1
: >"$SCENARIO_DIR/ready-0"
t0
watch_ready "$SCENARIO_DIR/ready-0" &
WATCHER=$!
wait_for 300 "all $N guests booted on node2" all_ready "$SCENARIO_DIR/ready-0"
kill "$WATCHER" 2>/dev/null
"$LAB" settle 120 >/dev/null

# ---------------------------------------------------------------- part 1: node2 dies

echo
echo "== part 1: node2 loses power with its $N VMs; node1 fences it and restarts them all"
for vm in $VMS; do : >"$DOMAINS/$vm.console.log"; done
READY=$SCENARIO_DIR/ready-1
: >"$READY"
t0
"$LAB" kill 2
watch_ready "$READY" &
WATCHER=$!
wait_for 60 "node1 fenced node2 through its BMC (power off)" logged 1 "Peer node2 was terminated \(off\) by node1.*OK"
mark "node2 killed (power lost)" "$T0"
mark "part 1: fencing of node2 confirmed" "$(log_time 1 "Peer node2 was terminated \(off\) by node1.*OK")"
# a timeout is reported after the figures: which guests hung, and how, is the point
ALIVE=0
(wait_for "$ALIVE_BUDGET" "all $N guests alive on node1" all_ready "$READY") && ALIVE=1
kill "$WATCHER" 2>/dev/null
report "part 1" "$READY" 1
[ "$ALIVE" = 1 ] || exit 1
show 1 crm_mon -1 --failcounts | grep -E 'fail-count|Failed|failed' || echo "(no failures)"

# ---------------------------------------------------------------- part 2: the site

echo
echo "== part 2: the whole site loses power; both nodes come back; the pinning to node2 is"
echo "   removed first, so that the cluster spreads the VMs over both hosts"
show 1 crm_mon -1 | grep -E 'OFFLINE|Online'
"$LAB" start 2 >/dev/null
wait_for 120 "node2, repaired and powered on, is online again" "$LAB" wait-online 1 1 2
for vm in $VMS; do echo "$vm-on-node2"; done | sed 's/^/delete /' | crm_config 1 >/dev/null
printf 'node1# crm configure delete vm01-on-node2 ... %s-on-node2\n' "vm$(printf %02d "$N")"
"$LAB" settle 120 >/dev/null
for vm in $VMS; do : >"$DOMAINS/$vm.console.log"; done
READY=$SCENARIO_DIR/ready-2
: >"$READY"
MARKS=()
t0
"$LAB" power 1 off >/dev/null
"$LAB" power 2 off >/dev/null
mark "site down (both chassis off)" "$(now)"
"$LAB" power 1 on >/dev/null
"$LAB" power 2 on >/dev/null
mark "both chassis on" "$(now)"
watch_ready "$READY" &
WATCHER=$!
wait_for 120 "the cluster formed again" "$LAB" wait-online 1
mark "cluster formed (both nodes online)" "$(now)"
ALIVE=0
(wait_for "$ALIVE_BUDGET" "all $N guests alive" all_ready "$READY") && ALIVE=1
kill "$WATCHER" 2>/dev/null
report "part 2" "$READY" 1 2
[ "$ALIVE" = 1 ] || exit 1
show 1 crm_mon -1
