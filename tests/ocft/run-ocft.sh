#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-ocft.sh CONFIG - run one of resource-agents' stock ocft configs against baton's agent.
#
#   IPaddr2, IPaddr2v4, IPaddr2v6  ocf:baton:vip, inside a network namespace made here
#                                  (eth0/eth1: a veth pair, nothing else in it)
#   VirtualDomain                  ocf:baton:vm, with the project's tiny test guest
#                                  (tests/vm/guest-image.sh) under a test libvirtd
#   drbd.linbit                    ocf:baton:drbd, against the DRBD simulator tests/drbd/drbdsim
#                                  (bind-mounted over drbdadm/drbdsetup in a mount namespace)
#
# The config that runs is made here with sed from the INSTALLED stock config: only Agent,
# AgentRoot and the VARIABLE site values the config itself says to adjust are changed. A case
# where baton answers differently on purpose is replaced by the case of the same number from
# tests/ocft/cases/CONFIG.N (see there: one line says why), and listed in the agent's README.
#
# ocft itself is a private copy with CASES_DIR (and caselib's copy of it) in a temporary
# directory, and a failed check prints the agent's output (stock ocft cats /tmp/.ocft_runlog,
# which does not exist). Everything made here is removed on exit, also on failure.
#
# Environment: BATON_AGENT_DIR (default /usr/lib/ocf/resource.d/baton), OCFT_CONFIGS (the stock
# configs, default /usr/share/resource-agents/ocft/configs), BATON_TEST_CACHE (guest images).
# Exit: 0 when every case ran and every check passed; 1 otherwise; 77 when a prerequisite is
# missing (the message says which).
set -uo pipefail

CONFIG=${1:?usage: run-ocft.sh CONFIG}
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
AGENT_DIR=$(readlink -f "${BATON_AGENT_DIR:-/usr/lib/ocf/resource.d/baton}")
STOCK=${OCFT_CONFIGS:-/usr/share/resource-agents/ocft/configs}
OCFT=/usr/sbin/ocft
OCFT_LIB=/usr/share/resource-agents/ocft

missing() { echo "run-ocft: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || missing "needs root (ocft refuses to run otherwise)"
[ -x "$OCFT" ] && [ -r "$OCFT_LIB/caselib" ] || missing "no $OCFT (package resource-agents)"
[ -r "$STOCK/$CONFIG" ] || missing "no stock config $STOCK/$CONFIG"

T=$(mktemp -d /tmp/baton-ocft.XXXXXX)
NS=
GUEST=
LV=             # the private libvirt's directory (VirtualDomain)
HOOKS=0
USER_MADE=
DRBD=           # the simulated DRBD's directory (drbd.linbit)
STATEDIR_MADE=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[ -n "$STATEDIR_MADE" ] && rmdir /run/baton/drbd 2>/dev/null
	[ -n "$LV" ] && lv_down
	[ -n "$USER_MADE" ] && userdel libvirt-qemu 2>/dev/null
	[ -n "$USER_MADE" ] && groupdel libvirt-qemu 2>/dev/null
	[ "$HOOKS" = 1 ] && test_hooks_off "$T"
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	[ "${OCFT_KEEP:-0}" = 1 ] && echo "run-ocft: kept $T" >&2 || rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$T/configs" "$T/cases" "$T/lib" "$T/rsctmp"

# ---------------------------------------------------------------- private ocft

# caselib keeps its own copy of CASES_DIR (for the remote-host FIFOs); both point at $T/cases.
# check_success also prints what the agent said last: it is the only trace of why a step failed.
sed -e "s|^__OCFT__CASES_DIR=.*|__OCFT__CASES_DIR=$T/cases|" \
	-e 's|^    echo "${__OCFT__showhost}ERROR: '"'"'${msg}'"'"' failed, the return code is ${ret}."$|&\n    echo "--- last agent output:"; cat "$HA_RSCTMP/.ocft_runlog" 2>/dev/null; echo "---"|' \
	"$OCFT_LIB/caselib" >"$T/lib/caselib"
grep -q 'last agent output' "$T/lib/caselib" || { echo "run-ocft: cannot patch caselib" >&2; exit 1; }
ln -s "$OCFT_LIB/helpers.sh" "$T/lib/helpers.sh"
sed -e "s|^CASES_DIR=.*|CASES_DIR=$T/cases|" \
	-e "s|^OCFT_DIR=.*|OCFT_DIR=$T/lib|" \
	-e 's|cat /tmp/.ocft_runlog|cat $HA_RSCTMP/.ocft_runlog|' \
	"$OCFT" >"$T/ocft"
chmod 755 "$T/ocft"
# the agents' output and ocft's runlog stay in here, not in the machine's /run/resource-agents
export HA_RSCTMP=$T/rsctmp

# ---------------------------------------------------------------- the config

# adjust AGENT SED-SCRIPT: the stock config with Agent/AgentRoot changed, then SED-SCRIPT
# (site values), then the cases of tests/ocft/cases/CONFIG.N in place of stock case N
adjust() {
	local agent=$1 script=$2 out=$T/configs/$CONFIG root=$AGENT_DIR
	if [ "${OCFT_STOCK_AGENT:-0}" = 1 ]; then
		# the reference: the standard agent the config was written for, same site values
		agent=$(sed -n 's/^[[:space:]]*Agent[[:space:]]\{1,\}//p' "$STOCK/$CONFIG")
		root=$(sed -n 's/^[[:space:]]*AgentRoot[[:space:]]\{1,\}//p' "$STOCK/$CONFIG")
	fi
	# a build tree has each agent in a directory of its own (agents/AGENT/AGENT)
	[ -x "$root/$agent" ] || root=$(readlink -f "$root/../$agent")
	[ -x "$root/$agent" ] || missing "agent not found: $AGENT_DIR/$agent (set BATON_AGENT_DIR)"
	AGENT=$root/$agent
	sed -e "s|^\([[:space:]]*Agent\)[[:space:]].*|\1 $agent|" \
		-e "s|^\([[:space:]]*AgentRoot\)[[:space:]].*|\1 $root|" \
		-e "$script" "$STOCK/$CONFIG" >"$out.sed"
	awk -v dir="$HERE/cases" -v cfg="$CONFIG" '
		function flush() { if (skip) { skip = 0 } }
		/^CASE / {
			f = dir "/" cfg "." n
			n++
			if ((getline line < f) > 0) {
				# the replacement: its comment lines and its CASE block, verbatim
				print "# baton: case " n - 1 " from tests/ocft/cases/" cfg "." n - 1
				print line
				while ((getline line < f) > 0) print line
				close(f)
				skip = 1
				next
			}
			skip = 0
		}
		/^(CASE-BLOCK|SETUP-AGENT|CLEANUP-AGENT|VARIABLE|CONFIG)/ { skip = 0 }
		!skip' "$out.sed" >"$out"
	rm -f "$out.sed"
	echo "# config $CONFIG: stock $STOCK/$CONFIG with these changes:"
	diff "$STOCK/$CONFIG" "$out" | sed 's/^/#   /'
	return 0
}

# ---------------------------------------------------------------- per config

# IPaddr2*: the configs use eth0 (base network) and eth1 (another nic); both ends of one
# veth pair in a namespace of our own, so the cases touch no address of the machine
net_setup() {
	NS=bt-ocft-$$
	ip netns add "$NS" || return 1
	ip -n "$NS" link set lo up
	ip link add eth0 netns "$NS" type veth peer name eth1 netns "$NS" || return 1
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
	ip -n "$NS" link set eth0 up && ip -n "$NS" link set eth1 up
}

# in_env CMD...: where the cases run (a network or mount namespace, or here)
in_env() {
	if [ -n "$NS" ]; then
		ip netns exec "$NS" "$@"
	elif [ -n "$LV" ]; then
		lv_exec "$@"
	elif [ -n "$DRBD" ]; then
		drbd_ns "$DRBD/node1" "$@"
	else
		"$@"
	fi
}

# the agents' private run directory (BATON_RUN_DIR), honoured while the test marker exists
hooks_on() {
	source "$SRCDIR/tests/integration/lib/test-hooks.bash"
	test_hooks_on "$T" && HOOKS=1
	export BATON_RUN_DIR=$T/run
	mkdir -p "$BATON_RUN_DIR"
}

# VirtualDomain: the project's test guest (tests/vm/guest-image.sh) as the domain the config
# stops and starts, under a libvirtd of its own: in a mount namespace with a tmpfs on
# /run/libvirt and private /etc, /var/lib, /var/cache and /var/log libvirt directories (as
# lib/libvirtd.bash's migration nodes), so that no other libvirtd, guest or test is touched
# and no other guest takes this one's boot slot. The cases run in that namespace.
vm_setup() {
	local c i
	for c in virsh libvirtd virtlogd qemu-system-x86_64 unshare nsenter; do
		command -v "$c" >/dev/null || missing "needs $c (libvirt, QEMU, util-linux)"
	done
	export BATON_TEST_CACHE=${BATON_TEST_CACHE:-/var/cache/baton-test}
	"$SRCDIR/tests/vm/guest-image.sh" >/dev/null || { echo "run-ocft: no guest image" >&2; return 1; }
	GUEST=baton-t-ocft-$$
	BATON_VM_LOGDIR=$T "$SRCDIR/tests/vm/guest-image.sh" xml "$GUEST" 256 coop >"$T/$GUEST.xml" || return 1
	hooks_on
	# libvirt 9 resolves its compiled-in user before reading qemu.conf (tests/vm/README.md)
	if ! getent passwd libvirt-qemu >/dev/null; then
		getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu || return 1
		useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu || return 1
		USER_MADE=1
	fi
	LV=$T/libvirt
	mkdir -p "$LV"/{etc/qemu,etc/secrets,etc/nwfilter,lib/qemu,cache,log/qemu,ns} /run/libvirt \
		/var/lib/libvirt /var/cache/libvirt /var/log/libvirt
	cat >"$LV/etc/qemu.conf" <<'CONF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
cgroup_controllers = [ ]
namespaces = [ ]
CONF
	# the namespace lives as long as its libvirtd; a holder keeps it until the daemons run
	unshare --mount --propagation private -- sh -c "
		mount -t tmpfs tmpfs /run/libvirt &&
		mount --bind '$LV/etc' /etc/libvirt &&
		mount --bind '$LV/lib' /var/lib/libvirt &&
		mount --bind '$LV/cache' /var/cache/libvirt &&
		mount --bind '$LV/log' /var/log/libvirt &&
		virtlogd -d -p '$LV/virtlogd.pid' &&
		libvirtd -d -p '$LV/libvirtd.pid'" || return 1
	for i in $(seq 150); do
		[ -s "$LV/libvirtd.pid" ] && lv_exec virsh -c qemu:///system version >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "run-ocft: the private libvirtd did not answer within 15 s" >&2
	return 1
}
lv_exec() { nsenter -t "$(cat "$LV/libvirtd.pid")" -m -- "$@"; }
lv_down() {
	local p i
	if [ -s "$LV/libvirtd.pid" ]; then
		lv_exec virsh -c qemu:///system destroy "$GUEST" >/dev/null 2>&1
	fi
	for p in libvirtd virtlogd; do
		[ -s "$LV/$p.pid" ] || continue
		i=$(cat "$LV/$p.pid")
		kill "$i" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$i" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$i" 2>/dev/null
	done
}

# drbd.linbit: DRBD is tests/drbd/drbdsim, one resource ocft0 on two simulated nodes: this one
# (the config's NAME_1, this host's name) and its peer (NAME_2, reached by the config's
# "@IP_2" steps, which ocft runs over "ssh root@IP_2": a stand-in ssh runs them here as the
# peer). Each node runs in a mount namespace where /usr/sbin/drbdadm and drbdsetup (the agent's
# defaults) are the simulator as that node and /run/baton/drbd (its state_dir) is the node's
# own; crm_attribute is a stand-in (BATON_PCMK_TOOLS_DIR), and the peer's `uname -n` is NAME_2.
drbd_node() { # DIR NAME
	local d=$1 n=$2 tool
	mkdir -p "$d/bin" "$d/pcmk" "$d/state"
	chmod 700 "$d/state"
	for tool in drbdadm drbdsetup; do
		printf '#!/bin/sh\nDRBDSIM_NODE=%s DRBDSIM_STATE=%s exec %s %s "$@"\n' \
			"$n" "$DRBD/state.json" "$SRCDIR/tests/drbd/drbdsim" "$tool" >"$d/bin/$tool"
		chmod 755 "$d/bin/$tool"
	done
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/calls"\n' "$d/pcmk" >"$d/pcmk/crm_attribute"
	chmod 755 "$d/pcmk/crm_attribute"
}
# drbd_ns DIR CMD...: CMD as the node of DIR
drbd_ns() {
	local d=$1
	shift
	unshare --mount --propagation private -- sh -c '
		mount --bind "$0/bin/drbdadm" /usr/sbin/drbdadm &&
		mount --bind "$0/bin/drbdsetup" /usr/sbin/drbdsetup &&
		mount --bind "$0/state" /run/baton/drbd &&
		exec env PATH="$0/bin:$PATH" BATON_PCMK_TOOLS_DIR="$0/pcmk" "$@"' "$d" "$@"
}
drbd_setup() {
	local c
	for c in python3 unshare; do
		command -v "$c" >/dev/null || missing "needs $c (the simulator, the node's namespace)"
	done
	# the mount points of the simulated tools (drbd-utils installs them)
	[ -e /usr/sbin/drbdadm ] && [ -e /usr/sbin/drbdsetup ] || missing "needs drbd-utils (/usr/sbin/drbdadm)"
	if [ ! -d /run/baton/drbd ]; then
		mkdir -p -m 0700 /run/baton/drbd && STATEDIR_MADE=1
	fi
	hooks_on
	DRBD=$T/drbd
	mkdir -p "$DRBD"
	DRBD_NAME1=$(uname -n)
	DRBD_NAME2=ocft-peer
	DRBDSIM_STATE=$DRBD/state.json "$SRCDIR/tests/drbd/drbdsim" ctl init ocft0 \
		--nodes "$DRBD_NAME1,$DRBD_NAME2" --size 65536 >/dev/null || return 1
	drbd_node "$DRBD/node1" "$DRBD_NAME1"
	drbd_node "$DRBD/node2" "$DRBD_NAME2"
	printf '#!/bin/sh\n[ "$1" = -n ] && exec echo %s\nexec /bin/uname "$@"\n' "$DRBD_NAME2" \
		>"$DRBD/node2/bin/uname"
	chmod 755 "$DRBD/node2/bin/uname"
	# ssh root@HOST SCRIPT (caselib's backbash_start): SCRIPT as the peer (with our HA_RSCTMP:
	# caselib names the peer's log file on this side)
	mkdir -p "$DRBD/node1/bin"
	cat >"$DRBD/node1/bin/ssh" <<-SSH
	#!/bin/bash
	# run-ocft.sh: the drbd.linbit config's peer is simulated on this host
	script=\${!#}
	exec unshare --mount --propagation private -- sh -c '
		mount --bind "\$0/bin/drbdadm" /usr/sbin/drbdadm &&
		mount --bind "\$0/bin/drbdsetup" /usr/sbin/drbdsetup &&
		mount --bind "\$0/state" /run/baton/drbd &&
		exec env PATH="\$0/bin:\$PATH" BATON_PCMK_TOOLS_DIR="\$0/pcmk" \
			bash -c "\$1"' "$DRBD/node2" "\$script"
	SSH
	chmod 755 "$DRBD/node1/bin/ssh"
}

case $CONFIG in
drbd.linbit)
	drbd_setup || { echo "run-ocft: cannot set up the DRBD simulator" >&2; exit 1; }
	# "should be this machine's hostname/ip", the peer's, "the block device just for test";
	# and no "InstallPackage drbd": ocft would apt-get install a package Debian does not have
	# (./lab deps installs drbd-utils; the simulator stands for the kernel module)
	adjust drbd "/^[[:space:]]*InstallPackage[[:space:]]/d
		s|^\([[:space:]]*NAME_1=\).*|\1$DRBD_NAME1|
		s|^\([[:space:]]*IP_1=\).*|\1127.0.0.1|
		s|^\([[:space:]]*NAME_2=\).*|\1$DRBD_NAME2|
		s|^\([[:space:]]*IP_2=\).*|\1127.0.0.2|
		s|^\([[:space:]]*DISK_1=\).*|\1/dev/simulated-1|
		s|^\([[:space:]]*DISK_2=\).*|\1/dev/simulated-2|" || exit 1
	;;
VirtualDomain)
	# "set OCFT_config to the libvirt configuration file"
	vm_setup || { echo "run-ocft: cannot set up libvirtd and the guest" >&2; exit 1; }
	adjust vm "s|^\([[:space:]]*OCFT_config=\).*|\1$T/$GUEST.xml|" || exit 1
	;;
IPaddr2 | IPaddr2v4 | IPaddr2v6)
	command -v ip >/dev/null || missing "needs ip (iproute2)"
	# the site values (eth0, eth1, the TEST-NET prefixes) fit the namespace as they are
	adjust vip '' || exit 1
	net_setup || { echo "run-ocft: cannot make the namespace" >&2; exit 1; }
	;;
*)
	missing "no recipe for config $CONFIG"
	;;
esac

# ---------------------------------------------------------------- run

expected=$(grep -c '^CASE ' "$T/configs/$CONFIG")
"$T/ocft" make -d "$T/configs" "$CONFIG" >"$T/make.log" 2>&1 || {
	cat "$T/make.log"
	echo "run-ocft: ocft make failed" >&2
	exit 1
}
t0=$SECONDS
# (the cases cd into $T/cases: ocft's fakebin and logs are made there)
in_env timeout -k 10 "${OCFT_TIMEOUT:-900}" "$T/ocft" test -v "$CONFIG" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$T/test.log"
rc=${PIPESTATUS[0]}
cat "$T/test.log"

cases=$(grep -c "^Starting '.*' case [0-9]* " "$T/test.log")
ok=$(grep -c 'OK\. The return value' "$T/test.log")
failed=$(grep -cE "FAILED\. The return value|^ERROR: '.*' failed, the return code|^ERROR: The agent was hanging|^WARNING: (SETUP|core)" "$T/test.log")
echo "ocft $CONFIG against $AGENT: $cases/$expected cases run, $ok checks OK, $failed failed ($((SECONDS - t0)) s)"
if [ "$failed" -gt 0 ]; then
	echo "first failure:"
	awk '/^Starting / { if (bad) exit; block = "" }
		{ block = block $0 "\n" }
		/FAILED\. The return value|^ERROR: / { bad = 1 }
		END { if (bad) printf "%s", block }' "$T/test.log" | head -n 60
fi
[ "$rc" = 0 ] && [ "$failed" = 0 ] && [ "$cases" = "$expected" ]
