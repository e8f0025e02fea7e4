#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm-bench.sh AGENT - ocf:baton:vm against ocf:heartbeat:VirtualDomain on the same running
# TCG test guest: monitor wall and CPU time (hyperfine), one run each of start and stop, and
# the balloon time 512 -> 256 MiB through the agent (start of a second VM that only fits
# after the first shrank). Needs root, hyperfine, resource-agents; starts its own libvirtd
# (tests/integration/lib/libvirtd.bash) and builds the guest (tests/vm/guest-image.sh).
set -euo pipefail
AGENT=$(readlink -f "${1:?usage: vm-bench.sh path/to/agents/vm/vm}")
# in a build tree the agent is libtool's wrapper script (~8 ms of bash per run): measure the
# real binary, as installed
if [ -x "$(dirname "$AGENT")/.libs/vm" ]; then
    export LD_LIBRARY_PATH=$(cd "$(dirname "$AGENT")/../../lib/.libs" && pwd)
    AGENT=$(dirname "$AGENT")/.libs/vm
fi
SRC=$(cd "$(dirname "$0")/../.." && pwd)
VD=/usr/lib/ocf/resource.d/heartbeat/VirtualDomain
URI=qemu:///system
# shellcheck source=../../tests/integration/lib/libvirtd.bash
source "$SRC/tests/integration/lib/libvirtd.bash"
source "$SRC/tests/integration/lib/test-hooks.bash"
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
wait_ready() { for _ in $(seq 600); do
    u=$(virsh -c $URI dommemstat "$1" 2>/dev/null | awk '$1=="last_update"{print $2}')
    [ "${u:-0}" -gt 0 ] && return 0; sleep 0.1; done; return 1; }

b=(env OCF_RESOURCE_INSTANCE=b1 OCF_RESKEY_config="$W/b1.xml" OCF_RESKEY_host_reserve=0 "$AGENT")
v=(env OCF_RESOURCE_INSTANCE=vd OCF_RESKEY_config="$W/b1.xml" OCF_RESKEY_hypervisor=$URI "$VD")

t=$(date +%s%N); "${b[@]}" start 2>/dev/null; echo "baton start: $(ms "$t") ms"
wait_ready baton-t-b1
hyperfine -N --warmup 3 --runs 30 --export-json "$W/baton.json" "${b[*]} monitor" >/dev/null
hyperfine -N --warmup 3 --runs 30 --export-json "$W/baton10.json" "env OCF_CHECK_LEVEL=10 ${b[*]} monitor" >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-json "$W/vd.json" "${v[*]} monitor" >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-json "$W/vdnu.json" \
    "env OCF_RESKEY_autoset_utilization_cpu=false OCF_RESKEY_autoset_utilization_host_memory=false OCF_RESKEY_autoset_utilization_hv_memory=false ${v[*]} monitor" >/dev/null
for f in baton baton10 vd vdnu; do
    python3 -c "import json,sys; r=json.load(open('$W/$f.json'))['results'][0]; print('monitor %-8s wall mean %7.2f ms  median %7.2f ms  user %6.2f ms  system %6.2f ms' % ('$f', r['mean']*1e3, r['median']*1e3, r['user']*1e3, r['system']*1e3))"
done
t=$(date +%s%N); "${b[@]}" stop 2>/dev/null; echo "baton stop (cooperative guest, ACPI): $(ms "$t") ms"
t=$(date +%s%N); "${v[@]}" start >/dev/null 2>&1; echo "VirtualDomain start: $(ms "$t") ms"
wait_ready baton-t-b1
t=$(date +%s%N); "${v[@]}" stop >/dev/null 2>&1; echo "VirtualDomain stop (cooperative guest, ACPI): $(ms "$t") ms"

# balloon 512 -> 256 MiB: capacity 768, b1 (floor 256) runs, b2 (512) needs 256 from it
env OCF_RESOURCE_INSTANCE=b1 OCF_RESKEY_config="$W/b1.xml" OCF_RESKEY_host_reserve=0 \
    OCF_RESKEY_host_memory=768 OCF_RESKEY_min_memory=256 "$AGENT" start 2>/dev/null
wait_ready baton-t-b1
t=$(date +%s%N)
env OCF_RESOURCE_INSTANCE=b2 OCF_RESKEY_config="$W/b2.xml" OCF_RESKEY_host_reserve=0 \
    OCF_RESKEY_host_memory=768 "$AGENT" start 2>&1 | grep -E 'balloon|fits'
echo "start of b2 including balloon 512->256 MiB of b1 (confirmed): $(ms "$t") ms"
virsh -c $URI dommemstat baton-t-b1 | grep actual
