#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cost of one steady-state monitor (healthy Secondary, score unchanged) of
# ocf:baton:drbd and of ocf:linbit:drbd, against the same simulator
# (tests/drbd/drbdsim): programs executed per monitor (strace -f, execve)
# and wall time per monitor (mean of N runs).
#
#   tests/drbd/monitor-cost.sh AGENT [N]
#       AGENT: the built baton agent (e.g. _build/x/agents/drbd/.libs/drbd,
#       or the installed /usr/lib/ocf/resource.d/baton/drbd)
#
# Needs root (mknod of a fake /dev/drbd0 node the linbit agent insists on),
# strace, and drbd-utils' /usr/lib/ocf/resource.d/linbit/drbd. The linbit
# agent is run from a copy in which the one test for a loaded module
# (`test -f /proc/drbd`) looks at a file in the temporary directory instead;
# nothing else is changed. Its crm_master runs the fake crm_attribute below
# (first in PATH), which keeps the score in a file like attrd would.
set -euo pipefail

AGENT=$(readlink -f "$1")
N=${2:-50}
SIM=$(readlink -f "$(dirname "$0")/drbdsim")
LINBIT=/usr/lib/ocf/resource.d/linbit

[ "$(id -u)" = 0 ] || { echo "needs root (mknod)" >&2; exit 77; }
command -v strace >/dev/null || { echo "needs strace" >&2; exit 77; }
[ -x "$LINBIT/drbd" ] || { echo "needs drbd-utils ($LINBIT/drbd)" >&2; exit 77; }

T=$(mktemp -d /tmp/baton-drbd-cost.XXXXXX)
# shellcheck source=../integration/lib/test-hooks.bash
source "$(dirname "$0")/../integration/lib/test-hooks.bash"
trap 'test_hooks_off "$T"; rm -rf "$T"' EXIT
test_hooks_on "$T"
export DRBDSIM_STATE=$T/state.json
mkdir -p "$T/bin" "$T/pcmk" "$T/run" "$T/dev" "$T/linbit"
for tool in drbdadm drbdsetup; do
	printf '#!/bin/sh\nDRBDSIM_NODE=node1 DRBDSIM_STATE=%s DRBDSIM_DEVDIR=%s exec %s %s "$@"\n' \
		"$DRBDSIM_STATE" "$T/dev" "$SIM" "$tool" >"$T/bin/$tool"
	chmod 755 "$T/bin/$tool"
done
cat >"$T/pcmk/crm_attribute" <<EOF
#!/bin/sh
# Keeps one value, like attrd: update/-v sets, delete/-D removes, query/-G prints.
f=$T/pcmk/score
while [ \$# -gt 0 ]; do
	case \$1 in
	-v|--update) echo "\$2" >"\$f"; exit 0 ;;
	--update=*) echo "\${1#--update=}" >"\$f"; exit 0 ;;
	-D|--delete) rm -f "\$f"; exit 0 ;;
	-G|--query) [ -f "\$f" ] || exit 105; cat "\$f"; exit 0 ;;
	esac
	shift
done
EOF
printf '#!/bin/sh\necho node1\n' >"$T/pcmk/crm_node"
chmod 755 "$T/pcmk/crm_attribute" "$T/pcmk/crm_node"
mknod "$T/dev/drbd0" b 147 0
touch "$T/proc-drbd"
cp "$LINBIT/drbd" "$LINBIT/drbd.shellfuncs.sh" "$T/linbit/"
sed -i "s|test -f /proc/drbd|test -f $T/proc-drbd|" "$T/linbit/drbd"

"$SIM" ctl init r0 --nodes node1,node2 >/dev/null
DRBDSIM_NODE=node1 "$SIM" drbdadm up r0
DRBDSIM_NODE=node2 "$SIM" drbdadm up r0

common=(PATH="$T/pcmk:$T/bin:/usr/sbin:/usr/bin:/sbin:/bin" OCF_ROOT=/usr/lib/ocf
	OCF_RESOURCE_INSTANCE=drbd-r0 OCF_RESKEY_drbd_resource=r0 OCF_RESKEY_CRM_meta_interval=10000
	OCF_RESKEY_CRM_meta_timeout=20000 BATON_PCMK_TOOLS_DIR="$T/pcmk" HA_SBIN_DIR="$T/pcmk")
baton=(env -i "${common[@]}" OCF_RESKEY_drbdadm="$T/bin/drbdadm" OCF_RESKEY_drbdsetup="$T/bin/drbdsetup"
	OCF_RESKEY_state_dir="$T/run" "$AGENT" monitor)
linbit=(env -i "${common[@]}" OCF_RESKEY_drbdconf=/dev/null "$T/linbit/drbd" monitor)

measure() {
	local name=$1 rc execs start end
	shift
	# Warm up: the first monitor sets the score.
	set +e; "$@" >/dev/null 2>&1; rc=$?; set -e
	[ "$rc" -eq 0 ] || { echo "$name: monitor returned $rc, expected 0" >&2; "$@"; exit 1; }
	execs=$(strace -f -qq -e trace=execve -e signal=none "$@" 2>&1 >/dev/null | grep -c 'execve(' || true)
	sims=$(strace -f -qq -e trace=execve -e signal=none "$@" 2>&1 >/dev/null | grep -c 'execve("[^"]*drbdsim"' || true)
	start=$(date +%s%N)
	for _ in $(seq "$N"); do "$@" >/dev/null 2>&1; done
	end=$(date +%s%N)
	printf '%-16s %3d execve (%d of them the simulator)  %7.1f ms per monitor (mean of %d)\n' \
		"$name" "$execs" "$sims" "$(echo "($end - $start) / $N / 1000000" | bc -l)" "$N"
}

sim_start=$(date +%s%N)
for _ in $(seq "$N"); do env -i PATH=/usr/bin:/bin "$T/bin/drbdsetup" status --json >/dev/null; done
sim_end=$(date +%s%N)
printf '%-16s %7.1f ms per call (the floor both agents pay per simulator call)\n' \
	"drbdsetup (sim)" "$(echo "($sim_end - $sim_start) / $N / 1000000" | bc -l)"
measure "ocf:baton:drbd" "${baton[@]}"
measure "ocf:linbit:drbd" "${linbit[@]}"
