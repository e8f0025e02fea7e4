#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm-bench.sh AGENT - ocf:baton:vm against ocf:heartbeat:VirtualDomain on the same running
# TCG test guest: the wall and CPU time of a recurring monitor and of a probe (hyperfine:
# median and spread of the runs, mean CPU), VirtualDomain with and without its utilization
# updates; baton's depth-10 monitor; and the balloon time 512 -> 256 MiB through the agent
# (the start of a second VM that only fits after the first shrank), over several rounds.
# Start and stop under load: bench/vm-load. Needs root, hyperfine, resource-agents; starts
# its own libvirtd (tests/integration/lib/libvirtd.bash), builds the guest
# (tests/vm/guest-image.sh). Environment: BENCH_RUNS (30), BENCH_VD_RUNS (20), BENCH_ROUNDS (3).
set -euo pipefail
AGENT=$(readlink -f "${1:?usage: vm-bench.sh path/to/agents/vm/vm}")
# in a build tree the agent is libtool's wrapper script (~8 ms of bash per run): measure the
# real binary, as installed
if [ -x "$(dirname "$AGENT")/.libs/vm" ]; then
    LD_LIBRARY_PATH=$(cd "$(dirname "$AGENT")/../../lib/.libs" && pwd)
    export LD_LIBRARY_PATH
    AGENT=$(dirname "$AGENT")/.libs/vm
fi
SRC=$(cd "$(dirname "$0")/../.." && pwd)
VD=/usr/lib/ocf/resource.d/heartbeat/VirtualDomain
URI=qemu:///system
RUNS=${BENCH_RUNS:-30}          # monitors of baton's agent (hyperfine)
VD_RUNS=${BENCH_VD_RUNS:-20}    # of VirtualDomain's, which take ten times longer
ROUNDS=${BENCH_ROUNDS:-3}       # balloon rounds, each boots a guest first
# shellcheck source=tests/integration/lib/libvirtd.bash
source "$SRC/tests/integration/lib/libvirtd.bash"
source "$SRC/tests/integration/lib/test-hooks.bash"
# shellcheck source=bench/bench-lib.bash
source "$SRC/bench/bench-lib.bash"
W=$(mktemp -d /tmp/baton-vm-bench.XXXXXX)
test_hooks_on "$W"
export BATON_RUN_DIR=$W/run BATON_VM_LOGDIR=$W OCF_ROOT=/usr/lib/ocf HA_LOGFACILITY=none
cleanup() {
    set +e
    virsh -c $URI destroy baton-t-b1 >/dev/null 2>&1
    virsh -c $URI destroy baton-t-b2 >/dev/null 2>&1
    libvirtd_down
    test_hooks_off "$W"
    rm -rf "$W"
}
trap cleanup EXIT

"$SRC/tests/vm/guest-image.sh" >/dev/null
libvirtd_up
"$SRC/tests/vm/guest-image.sh" xml baton-t-b1 512 coop > "$W/b1.xml"
"$SRC/tests/vm/guest-image.sh" xml baton-t-b2 512 coop > "$W/b2.xml"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
die() { echo "vm-bench.sh: $*" >&2; exit 1; }

b=(env OCF_RESOURCE_INSTANCE=b1 OCF_RESKEY_config="$W/b1.xml" OCF_RESKEY_host_reserve=0 "$AGENT")
v=(env OCF_RESOURCE_INSTANCE=vd OCF_RESKEY_config="$W/b1.xml" OCF_RESKEY_hypervisor="$URI" "$VD")
# VirtualDomain's utilization updates (crm_resource writes) are on by default; baton's vm
# publishes none unless asked: without them both do the same work
noutil=(OCF_RESKEY_autoset_utilization_cpu=false OCF_RESKEY_autoset_utilization_host_memory=false
    OCF_RESKEY_autoset_utilization_hv_memory=false)
recurring=OCF_RESKEY_CRM_meta_interval=10000
probe=OCF_RESKEY_CRM_meta_interval=0   # ocf_is_probe wants a 0, not an unset interval

# mon NAME RUNS VAR=value... AGENT...: hyperfine of one monitor; its bench_hyperfine line in M[NAME]
declare -A M=()
mon() {
    local name=$1 runs=$2
    shift 2
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$W/$name.json" "env $* ${MONITOR-monitor}" >/dev/null ||
        die "monitor $name failed"
    M[$name]=$(bench_hyperfine "$W/$name.json")
}

# The floor of any monitor using libvirt's C API: a process that loads the client library
# (Debian links it and its dependencies with BIND_NOW) and asks it one local question.
printf '#include <stddef.h>\n#include <libvirt/libvirt.h>\nint main(void) { unsigned long v; return virGetVersion(&v, NULL, NULL) < 0; }\n' |
    cc -x c -o "$W/libvirt-floor" - -lvirt || die "cannot build the libvirt floor program (libvirt-dev)"

"${b[@]}" start 2>/dev/null || die "baton start failed"
libvirtd_guest_ready baton-t-b1
MONITOR='' mon floor "$RUNS" "$W/libvirt-floor"
mon baton "$RUNS" "$recurring" "${b[@]:1}"
mon baton-probe "$RUNS" "$probe" "${b[@]:1}"
mon baton-depth10 "$RUNS" "$recurring" OCF_CHECK_LEVEL=10 "${b[@]:1}"
mon vd "$VD_RUNS" "$recurring" "${noutil[@]}" "${v[@]:1}"
mon vd-probe "$VD_RUNS" "$probe" "${noutil[@]}" "${v[@]:1}"
mon vd-util "$VD_RUNS" "$recurring" "${v[@]:1}"
"${b[@]}" stop 2>/dev/null || die "baton stop failed"

echo "monitor of the running guest; wall median (min-max) over the runs, mean CPU (agent + children)"
for name in floor baton baton-depth10 baton-probe vd vd-util vd-probe; do
    printf '  %-14s %-28s %s\n' "$name" "$(bench_cell "${M[$name]}" ms 2)" "$(bench_cpu "${M[$name]}" 2)"
done
echo "  (floor: a program that loads libvirt and asks virGetVersion; vd: VirtualDomain with"
echo "  autoset_utilization_*=false, the same work; vd-util: its defaults)"

# balloon 512 -> 256 MiB: capacity 768, b1 (floor 256) runs, b2 (512) needs 256 from it.
# Each round boots b1 afresh at 512 MiB and times b2's start, which shrinks b1 (confirmed by
# the guest's balloon driver) before it creates b2.
b1=(env OCF_RESOURCE_INSTANCE=b1 OCF_RESKEY_config="$W/b1.xml" OCF_RESKEY_host_reserve=0
    OCF_RESKEY_host_memory=768 OCF_RESKEY_min_memory=256 "$AGENT")
b2=(env OCF_RESOURCE_INSTANCE=b2 OCF_RESKEY_config="$W/b2.xml" OCF_RESKEY_host_reserve=0
    OCF_RESKEY_host_memory=768 "$AGENT")
: >"$W/balloon"
for ((r = 1; r <= ROUNDS; r++)); do
    virsh -c $URI destroy baton-t-b2 >/dev/null 2>&1 || true
    virsh -c $URI destroy baton-t-b1 >/dev/null 2>&1 || true
    { "${b2[@]}" stop && "${b1[@]}" stop; } 2>/dev/null || die "stop of a destroyed guest failed"
    "${b1[@]}" start 2>/dev/null || die "b1 start failed"
    libvirtd_guest_ready baton-t-b1
    t=$(date +%s%N)
    "${b2[@]}" start >"$W/b2.out" 2>&1 || { cat "$W/b2.out" >&2; die "b2 start failed"; }
    ms "$t" >>"$W/balloon"
    actual=$(virsh -c $URI dommemstat baton-t-b1 | awk '$1 == "actual" { print $2 }')
    [ "$actual" = 262144 ] || die "b1 has $actual KiB after b2's start, not 256 MiB"
done
BALLOON=$(bench_stats <"$W/balloon")
grep -E 'balloon|fits' "$W/b2.out" || true
echo "start of b2 including the balloon 512->256 MiB of b1 (confirmed): $(bench_cell "$BALLOON" ms 0), $ROUNDS rounds"
echo

row() { # NAME-OF-VD-CASE LABEL: baton's NAME (recurring or probe) against VirtualDomain's
    bench_row "\`bench/vm\` $2, running TCG guest, hyperfine $RUNS / $VD_RUNS runs: wall / CPU" \
        "$(bench_cell "${M[$1]}" ms 1) / $(bench_cpu "${M[$1]}")" \
        "VirtualDomain $3: $(bench_cell "${M[$4]}" ms 1) / $(bench_cpu "${M[$4]}")" \
        "$(bench_ratio "$(bench_median "${M[$4]}")" "$(bench_median "${M[$1]}")") / $(cpu_ratio "$4" "$1")"
}
cpu_ratio() { bench_ratio "$(bench_cpu_ms "${M[$1]}")" "$(bench_cpu_ms "${M[$2]}")"; }
row baton "recurring monitor (interval=10s)" "with autoset_utilization_*=false (the same work)" vd
row baton "recurring monitor (interval=10s)" "with its defaults (utilization written through crm_resource)" vd-util
bench_row "\`bench/vm\` the floor of a monitor through libvirt's C API: a process that loads libvirt and calls virGetVersion" \
    "$(bench_cell "${M[floor]}" ms 1) / $(bench_cpu "${M[floor]}")" "" \
    "baton's monitor is $(bench_ratio "$(bench_median "${M[baton]}")" "$(bench_median "${M[floor]}")") of it"
row baton-probe "probe (interval=0)" "with autoset_utilization_*=false" vd-probe
bench_row "\`bench/vm\` recurring monitor at depth 10 (OCF_CHECK_LEVEL=10: guest agent, boot gate), hyperfine $RUNS runs: wall / CPU" \
    "$(bench_cell "${M[baton-depth10]}" ms 1) / $(bench_cpu "${M[baton-depth10]}")" "(VirtualDomain has no depths)" ""
bench_row "\`bench/vm\` balloon 512→256 MiB, confirmed, with the second guest's start, $ROUNDS rounds" \
    "$(bench_cell "$BALLOON" ms 0)" "(VirtualDomain cannot)" ""
