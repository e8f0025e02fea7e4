#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vip against the kernel: every test gets a fresh pair of network
# namespaces (tests/integration/lib/netns.bash), the agent runs in one, a
# neighbour sits in the other, and everything is gone after the test, also
# when it fails.
#
# Needs root, tcpdump and ocf-tester. The agent is $BATON_AGENT_DIR/vip,
# by default the installed /usr/lib/ocf/resource.d/baton/vip; for a build
# tree: BATON_AGENT_DIR=_build/<dir>/agents/vip bats tests/integration/vip.bats
# (the libtool wrapper script there works, ocf-tester included).

bats_require_minimum_version 1.5.0

load lib/netns
load lib/ocf-agent

AGENT=$(agent_path vip)
IF=bt0
V4=192.0.2.10
V6=2001:db8:1::10

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
	agent_require || return 1
}

setup() {
	# Unique per test file run and test, so that parallel runs never meet.
	NETNS_PREFIX=bt-vip-$$-$BATS_TEST_NUMBER
	netns_setup
}

teardown() {
	netns_teardown
}

# vip ACTION [NAME=VALUE | OCF_VAR=VALUE]...: the agent in the agent namespace,
# with a clean environment; NAME=VALUE becomes OCF_RESKEY_NAME=VALUE.
vip() {
	local action=$1
	shift
	ocf_exec --netns "$NETNS_AGENT" "$action" OCF_RESOURCE_INSTANCE=vip-test "$@"
}

# addr_line FAMILY ADDR: the agent namespace's `ip -o addr` line for ADDR on bt0, if any
addr_line() { ip -n "$NETNS_AGENT" "-$1" -o addr show dev "$IF" | grep -F " $2/" || true; }
has_v4() { [ -n "$(addr_line 4 "$1")" ]; }
has_v6() { [ -n "$(addr_line 6 "$1")" ]; }

# ------------------------------------------------------------------ metadata

@test "meta-data works with an empty environment and is valid OCF 1.0 (ocf-tester's DTD)" {
	run --separate-stderr env -i "$AGENT" meta-data
	[ "$status" -eq 0 ]
	[[ "$output" == *'<resource-agent name="vip"'* ]]
	local dtd=/usr/share/resource-agents/ra-api-1.dtd
	[ -r "$dtd" ] || skip "no $dtd"
	xmllint --noout --dtdvalid "$dtd" - <<<"$output"
}

@test "meta-data for Pacemaker is OCF 1.1 with reload-agent and reloadable arp_* parameters" {
	run --separate-stderr env -i OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 "$AGENT" meta-data
	[ "$status" -eq 0 ]
	grep -q '<version>1.1</version>' <<<"$output"
	grep -q '<action name="reload-agent"' <<<"$output"
	grep -q '<parameter name="arp_count" .*reloadable="1"' <<<"$output"
	grep -q '<parameter name="ip" .*unique-group="address"' <<<"$output"
	# IPaddr2 parameters baton does not implement are not declared.
	refute grep -q 'name="clusterip_hash"\|name="arp_sender"' <<<"$output"
	grep -q '<parameter name="network_namespace"' <<<"$output"
	grep -q '<parameter name="lvs_support"' <<<"$output"
}

# ------------------------------------------------------------------ IPv4

@test "IPv4: monitor, start, monitor, stop, monitor with nic and cidr_netmask given" {
	run --separate-stderr vip monitor ip=$V4 nic=$IF cidr_netmask=24
	[ "$status" -eq 7 ]
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 $V4)" == *"inet $V4/24 brd 192.0.2.255 "* ]]
	run --separate-stderr vip monitor ip=$V4 nic=$IF cidr_netmask=24 OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 0 ]
	run --separate-stderr vip stop ip=$V4 nic=$IF cidr_netmask=24
	[ "$status" -eq 0 ]
	refute has_v4 $V4
	run --separate-stderr vip monitor ip=$V4 nic=$IF cidr_netmask=24
	[ "$status" -eq 7 ]
	# The base address is not touched.
	has_v4 192.0.2.1
}

@test "IPv4: start and stop are idempotent" {
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=1
	[ "$status" -eq 0 ]
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=1
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"already on $IF"* ]]
	[ "$(ip -n "$NETNS_AGENT" -4 -o addr show | grep -cF " $V4/")" -eq 1 ]
	run --separate-stderr vip stop ip=$V4 nic=$IF
	[ "$status" -eq 0 ]
	run --separate-stderr vip stop ip=$V4 nic=$IF
	[ "$status" -eq 0 ]
	refute has_v4 $V4
}

@test "IPv4: nic and cidr_netmask found from the connected route" {
	run --separate-stderr vip validate-all ip=$V4
	[ "$status" -eq 0 ]
	run --separate-stderr vip start ip=$V4 arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 $V4)" == *"inet $V4/24 "* ]]
	run --separate-stderr vip monitor ip=$V4
	[ "$status" -eq 0 ]
	run --separate-stderr vip stop ip=$V4
	[ "$status" -eq 0 ]
	refute has_v4 $V4
}

@test "IPv4: the longest connected prefix wins, a route via a gateway does not count (1, as IPaddr2)" {
	ip -n "$NETNS_AGENT" addr add 192.0.2.129/25 dev $IF
	ip -n "$NETNS_AGENT" route add 203.0.113.0/24 via 192.0.2.2 dev $IF
	run --separate-stderr vip start ip=192.0.2.200 arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 192.0.2.200)" == *"/25 "* ]]
	run --separate-stderr vip validate-all ip=203.0.113.5
	[ "$status" -eq 1 ]
	assert_reason "no interface of this node has a directly connected route to 203.0.113.5"
	run --separate-stderr vip start ip=203.0.113.5
	[ "$status" -eq 1 ]
	refute has_v4 203.0.113.5
}

@test "cidr_netmask without nic: IPv4 must fit in a connected network, IPv6 must be its prefix (else 1)" {
	# 192.0.2.0/24 and 2001:db8:1::/64 are bt0's networks (lib/netns.bash)
	run --separate-stderr vip start ip=$V4 cidr_netmask=28 arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 $V4)" == *"inet $V4/28 "* ]]
	run --separate-stderr vip start ip=192.0.2.11 cidr_netmask=16 arp_count=0
	[ "$status" -eq 1 ]
	assert_reason "directly connected network that holds 192.0.2.11/16"
	refute has_v4 192.0.2.11
	run --separate-stderr vip start ip=$V6 cidr_netmask=80 nodad=true arp_count=0
	[ "$status" -eq 1 ]
	assert_reason "of prefix length"
	refute has_v6 $V6
	# with nic the prefix is taken as given
	run --separate-stderr vip start ip=$V6 nic=$IF cidr_netmask=80 nodad=true arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 6 $V6)" == *"inet6 $V6/80 "* ]]
}

@test "a 127.x address without nic goes to lo (IPaddr2's findif), and monitor and stop find it there" {
	run --separate-stderr vip start ip=127.0.0.3
	[ "$status" -eq 0 ]
	ip -n "$NETNS_AGENT" -4 -o addr show dev lo | grep -qF " 127.0.0.3/8 "
	run --separate-stderr vip monitor ip=127.0.0.3 OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 0 ]
	run --separate-stderr vip stop ip=127.0.0.3
	[ "$status" -eq 0 ]
	refute grep -qF " 127.0.0.3/" <<<"$(ip -n "$NETNS_AGENT" -4 -o addr show dev lo)"
	run --separate-stderr vip monitor ip=127.0.0.3 OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
}

@test "IPv4: an existing address of the interface gives the prefix when no route does (noprefixroute)" {
	ip -n "$NETNS_AGENT" addr add 198.51.100.1/26 dev $IF noprefixroute
	run --separate-stderr vip start ip=198.51.100.10 nic=$IF arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 198.51.100.10)" == *"/26 "* ]]
}

@test "IPv4: iflabel, broadcast and noprefixroute reach the kernel" {
	run --separate-stderr vip start ip=198.51.100.10 nic=$IF cidr_netmask=24 iflabel=web \
		broadcast=198.51.100.127 noprefixroute=true arp_count=0
	[ "$status" -eq 0 ]
	local line
	line=$(addr_line 4 198.51.100.10)
	[[ "$line" == *"brd 198.51.100.127 "* ]]
	[[ "$line" == *"noprefixroute $IF:web"* ]]
	[ -z "$(ip -n "$NETNS_AGENT" -4 route show 198.51.100.0/24)" ]
	run --separate-stderr vip stop ip=198.51.100.10 nic=$IF
	[ "$status" -eq 0 ]
	[ -z "$(addr_line 4 198.51.100.10)" ]
}

@test "IPv4: start replaces the address when it is there with another prefix length" {
	ip -n "$NETNS_AGENT" addr add $V4/28 dev $IF
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 $V4)" == *"$V4/24 "* ]]
	[ "$(ip -n "$NETNS_AGENT" -4 -o addr show | grep -cF " $V4/")" -eq 1 ]
}

# ------------------------------------------------------------------ IPv6

@test "IPv6: start waits for DAD, then monitor and stop" {
	run --separate-stderr vip monitor ip=$V6
	[ "$status" -eq 7 ]
	run --separate-stderr vip start ip=$V6 arp_count=1
	[ "$status" -eq 0 ]
	local line
	line=$(addr_line 6 $V6)
	[[ "$line" == *"inet6 $V6/64 "* ]]
	# Usable when start returns: DAD done.
	[[ "$line" != *tentative* ]]
	run --separate-stderr vip monitor ip=$V6 OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 0 ]
	run --separate-stderr vip stop ip=$V6
	[ "$status" -eq 0 ]
	refute has_v6 $V6
	run --separate-stderr vip monitor ip=$V6
	[ "$status" -eq 7 ]
}

@test "IPv6: idempotent, nodad, preferred_lft, noprefixroute, and the address in any spelling" {
	run --separate-stderr vip start ip=2001:DB8:1:0::10 nic=$IF cidr_netmask=64 nodad=true preferred_lft=0 noprefixroute=1 arp_count=0
	[ "$status" -eq 0 ]
	run --separate-stderr vip start ip=$V6 nic=$IF cidr_netmask=64 nodad=true preferred_lft=0 noprefixroute=1 arp_count=0
	[ "$status" -eq 0 ]
	local line
	line=$(addr_line 6 $V6)
	[[ "$line" == *"nodad"* ]]
	[[ "$line" == *"noprefixroute"* ]]
	[[ "$line" == *"deprecated"* ]]
	[[ "$line" == *"preferred_lft 0sec"* ]]
	run --separate-stderr vip stop ip=2001:db8:1::0:10 nic=$IF
	[ "$status" -eq 0 ]
	run --separate-stderr vip stop ip=$V6 nic=$IF
	[ "$status" -eq 0 ]
	refute has_v6 $V6
}

@test "IPv6: cidr_netmask auto from the connected route" {
	run --separate-stderr vip start ip=$V6 nodad=1 arp_count=0
	[ "$status" -eq 0 ]
	[[ "$(addr_line 6 $V6)" == *"$V6/64 "* ]]
}

@test "IPv6: monitor reports an address that failed DAD as a failure (1)" {
	ip -n "$NETNS_PEER" addr add $V6/64 dev bt0p nodad
	# Added by hand, with DAD: the peer defends it.
	ip -n "$NETNS_AGENT" addr add $V6/64 dev $IF
	local i
	for i in $(seq 50); do
		[[ "$(addr_line 6 $V6)" == *dadfailed* ]] && break
		sleep 0.1
	done
	[[ "$(addr_line 6 $V6)" == *dadfailed* ]]
	run --separate-stderr vip monitor ip=$V6 OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 1 ]
	assert_reason "duplicate address detection failed"
	# start cleans it up and tries again, and again the peer defends it.
	run --separate-stderr vip start ip=$V6
	[ "$status" -eq 1 ]
	refute has_v6 $V6
}

# ------------------------------------------------------------------ link state

@test "link administratively down: monitor 7 with a reason; check_link_status=false: 0" {
	run --separate-stderr vip start ip=$V4 nic=$IF arp_count=0
	[ "$status" -eq 0 ]
	ip -n "$NETNS_AGENT" link set $IF down
	run --separate-stderr vip monitor ip=$V4 nic=$IF OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 7 ]
	assert_reason "$V4 is configured on $IF, but $IF is administratively down"
	run --separate-stderr vip monitor ip=$V4 nic=$IF check_link_status=false OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 0 ]
}

@test "no carrier (peer end down): monitor 7 with reason, start refuses with 1" {
	run --separate-stderr vip start ip=$V4 nic=$IF arp_count=0
	[ "$status" -eq 0 ]
	ip -n "$NETNS_PEER" link set bt0p down
	local i
	for i in $(seq 50); do
		[ "$(netns_agent cat /sys/class/net/$IF/operstate)" != up ] && break
		sleep 0.1
	done
	run --separate-stderr vip monitor ip=$V4 nic=$IF OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 7 ]
	assert_reason "but $IF is down"
	run --separate-stderr vip start ip=192.0.2.11 nic=$IF arp_count=0
	[ "$status" -eq 1 ]
	assert_reason "interface $IF is down .*check_link_status"
	refute has_v4 192.0.2.11
}

@test "start brings an administratively down interface up (as IPaddr2 does)" {
	ip -n "$NETNS_AGENT" link set $IF down
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0
	[ "$status" -eq 0 ]
	ip -n "$NETNS_AGENT" link show $IF | grep -q '[<,]UP[,>]'
	has_v4 $V4
}

@test "a down link brought up without carrier: start fails (1), nothing left; check_link_status=false: 0" {
	ip -n "$NETNS_PEER" link set bt0p down
	ip -n "$NETNS_AGENT" link set $IF down
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0
	[ "$status" -eq 1 ]
	assert_reason "interface $IF is down .*check_link_status"
	refute has_v4 $V4
	# the monitor would have said 7 right after a start that answered 0
	run --separate-stderr vip monitor ip=$V4 nic=$IF OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 7 ]
	ip -n "$NETNS_AGENT" link set $IF down
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0 check_link_status=false
	[ "$status" -eq 0 ]
	has_v4 $V4
}

# ------------------------------------------------------------------ announcements

@test "IPv4: the peer sees arp_count gratuitous ARP rounds (request + reply) from the agent's MAC" {
	local mac
	mac=$(netns_mac "$NETNS_AGENT" $IF)
	netns_capture_start arp
	run --separate-stderr vip start ip=$V4 nic=$IF arp_count=3 arp_interval=50
	[ "$status" -eq 0 ]
	run netns_capture_stop
	echo "$output"
	[ "$(grep -c "^.* $mac > ff:ff:ff:ff:ff:ff, ethertype ARP .*Request who-has $V4 tell $V4," <<<"$output")" -eq 3 ]
	[ "$(grep -c "^.* $mac > ff:ff:ff:ff:ff:ff, ethertype ARP .*Reply $V4 is-at $mac," <<<"$output")" -eq 3 ]
}

@test "IPv4: the gratuitous ARP updates the peer's neighbour cache" {
	# The peer believes the address is at another MAC.
	ip -n "$NETNS_PEER" neigh replace $V4 lladdr 02:00:00:00:00:99 dev bt0p nud stale
	run --separate-stderr vip start ip=$V4 nic=$IF arp_count=1
	[ "$status" -eq 0 ]
	ip -n "$NETNS_PEER" neigh show $V4 dev bt0p | grep -qF "lladdr $(netns_mac "$NETNS_AGENT" $IF)"
}

@test "IPv6: the peer sees arp_count unsolicited NAs (override, hop limit 255, to ff02::1)" {
	local mac
	mac=$(netns_mac "$NETNS_AGENT" $IF)
	netns_capture_start 'icmp6 and ip6[40] == 136'
	run --separate-stderr vip start ip=$V6 nodad=true arp_count=4 arp_interval=20ms
	[ "$status" -eq 0 ]
	run netns_capture_stop
	echo "$output"
	[ "$(grep -c "$mac > 33:33:00:00:00:01, .*hlim 255, .*$V6 > ff02::1: \[icmp6 sum ok\] ICMP6, neighbor advertisement, .*tgt is $V6, Flags \[override\]" <<<"$output")" -eq 4 ]
	[ "$(grep -c "link-address option (2), length 8 (1): $mac" <<<"$output")" -eq 4 ]
}

@test "arp_count_refresh re-announces during monitor; 0 (default) sends nothing" {
	run --separate-stderr vip start ip=$V4 nic=$IF arp_count=0
	[ "$status" -eq 0 ]
	netns_capture_start arp
	run --separate-stderr vip monitor ip=$V4 nic=$IF
	[ "$status" -eq 0 ]
	run --separate-stderr vip monitor ip=$V4 nic=$IF arp_count_refresh=2 arp_interval=10
	[ "$status" -eq 0 ]
	run netns_capture_stop
	[ "$(grep -c "Request who-has $V4 tell $V4," <<<"$output")" -eq 2 ]
}

@test "announcing never outlasts the operation timeout; start returns with no process left behind" {
	local t0 t1
	t0=$(date +%s%N)
	# 50 rounds 200 ms apart would take 9.8 s; the timeout leaves about 2.5 s.
	run --separate-stderr vip start ip=$V4 nic=$IF arp_count=50 arp_interval=200 OCF_RESKEY_CRM_meta_timeout=3000
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ $(((t1 - t0) / 1000000)) -lt 3000 ]
	[[ "$stderr" == *"only "*" of 50 times"* ]]
	# Nothing of the agent runs on (IPaddr2's backgrounded send_arp did).
	refute pgrep -f "$AGENT" >/dev/null
	# And the action's output reaches EOF as soon as the agent exits: $(...) does not wait.
	t0=$(date +%s%N)
	local out
	out=$(vip start ip=$V4 nic=$IF arp_count=1 2>&1)
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -lt 1000 ]
	[[ "$out" == *"already on"* ]]
}

@test "start, monitor and stop run no other program (no fork, no exec)" {
	command -v strace >/dev/null || skip "strace not installed"
	local trace=$BATS_TEST_TMPDIR/trace
	local action
	for action in start monitor stop; do
		# The libtool wrapper of a build tree is a shell script; trace its binary's children only.
		ip netns exec "$NETNS_AGENT" env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_ip=$V4 \
			OCF_RESKEY_arp_count=1 strace -f -qq -e trace=execve,fork,vfork,clone,clone3 \
			-o "$trace.$action" "$AGENT" $action
		# After the binary itself was exec'd (by the wrapper's process, in a build
		# tree), that process must neither fork nor clone nor exec anything.
		grep -qE 'execve\(".*/(lt-)?vip", .* = 0$' "$trace.$action"
		awk '
			NR == FNR { if (/execve\(".*\/(lt-)?vip", .* = 0$/) { last = FNR; bin = $1 }; next }
			FNR > last && $1 == bin && /(fork|vfork|clone|clone3|execve)\(/ { print; bad = 1 }
			END { exit bad }
		' "$trace.$action" "$trace.$action"
	done
	refute has_v4 $V4
}

# ------------------------------------------------------------------ duplicate addresses

@test "IPv4 dad_check: a peer holding the address makes start fail (1) naming its MAC" {
	local peer_mac
	peer_mac=$(netns_mac "$NETNS_PEER" bt0p)
	ip -n "$NETNS_PEER" addr add $V4/24 dev bt0p
	run --separate-stderr vip start ip=$V4 nic=$IF dad_check=true dad_timeout=1s
	[ "$status" -eq 1 ]
	assert_reason "$V4 is already in use .* by MAC $peer_mac"
	refute has_v4 $V4
}

@test "IPv4 dad_check: a free address starts after probing for dad_timeout" {
	local t0 t1
	t0=$(date +%s%N)
	run --separate-stderr vip start ip=$V4 nic=$IF dad_check=true dad_timeout=400ms arp_count=0
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	has_v4 $V4
	[ $(((t1 - t0) / 1000000)) -ge 400 ]
	[[ "$stderr" == *"nobody answered ARP probes"* ]]
}

@test "IPv4 dad_check: the peer sees RFC 5227 probes (sender 0.0.0.0)" {
	netns_capture_start arp
	run --separate-stderr vip start ip=$V4 nic=$IF dad_check=true dad_timeout=300ms arp_count=0
	[ "$status" -eq 0 ]
	run netns_capture_stop
	echo "$output"
	[ "$(grep -c "Request who-has $V4 tell 0.0.0.0," <<<"$output")" -eq 3 ]
}

@test "IPv6: a peer holding the address makes start fail (1) naming its MAC, nothing left behind" {
	local peer_mac
	peer_mac=$(netns_mac "$NETNS_PEER" bt0p)
	ip -n "$NETNS_PEER" addr add $V6/64 dev bt0p nodad
	run --separate-stderr vip start ip=$V6 nic=$IF dad_check=true
	[ "$status" -eq 1 ]
	assert_reason "$V6 is already in use .* by MAC $peer_mac"
	refute has_v6 $V6
	# Without dad_check the kernel's DAD still protects the address.
	run --separate-stderr vip start ip=$V6 nic=$IF
	[ "$status" -eq 1 ]
	assert_reason "by MAC $peer_mac"
	refute has_v6 $V6
}

# ------------------------------------------------------------------ validation

@test "IPaddr2 parameters: a refused one fails validate-all and start (6, with what to use), stop answers 0" {
	run --separate-stderr vip validate-all ip=$V4 nic=$IF cidr_netmask=24 clusterip_hash=sourceip
	[ "$status" -eq 6 ]
	assert_reason "parameter clusterip_hash of ocf:heartbeat:IPaddr2 is not supported by ocf:baton:vip: .*; run vip as a primitive"
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 clusterip_hash=sourceip
	[ "$status" -eq 6 ]
	assert_reason "clusterip_hash"
	refute has_v4 $V4
	run --separate-stderr vip stop ip=$V4 nic=$IF cidr_netmask=24 clusterip_hash=sourceip
	[ "$status" -eq 0 ]
	run --separate-stderr vip validate-all ip=$V4 nic=$IF cidr_netmask=24 flush_routes=true
	[ "$status" -eq 6 ]
	assert_reason "parameter flush_routes of ocf:heartbeat:IPaddr2 is not supported"
}

@test "IPaddr2 parameters: a no-op one, or a refused one at what vip does anyway, starts with a notice" {
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_bg=true flush_routes=false
	[ "$status" -eq 0 ]
	has_v4 $V4
	grep -q "NOTICE: parameter arp_bg of ocf:heartbeat:IPaddr2 has no effect in ocf:baton:vip" <<<"$stderr"
	grep -q "NOTICE: parameter flush_routes of ocf:heartbeat:IPaddr2 is false" <<<"$stderr"
	run --separate-stderr vip stop ip=$V4 nic=$IF cidr_netmask=24 arp_bg=true flush_routes=false
	[ "$status" -eq 0 ]
	refute has_v4 $V4
}

@test "validate-all: a good configuration is 0" {
	run --separate-stderr vip validate-all ip=$V4 nic=$IF cidr_netmask=24
	[ "$status" -eq 0 ]
	run --separate-stderr vip validate-all ip=$V6 nic=$IF cidr_netmask=64 preferred_lft=forever
	[ "$status" -eq 0 ]
}

@test "validate-all: what is wrong everywhere is 6 (OCF_ERR_CONFIGURED) with a reason" {
	run --separate-stderr vip validate-all ip=192.0.2.300
	[ "$status" -eq 6 ]
	assert_reason "'ip'"
	run --separate-stderr vip validate-all
	[ "$status" -eq 6 ]
	assert_reason "ip"
	run --separate-stderr vip validate-all ip=$V4 cidr_netmask=33
	[ "$status" -eq 6 ]
	assert_reason "cidr_netmask"
	run --separate-stderr vip validate-all ip=$V4 cidr_netmask=abc
	[ "$status" -eq 6 ]
	assert_reason "cidr_netmask"
	run --separate-stderr vip validate-all ip=$V6 cidr_netmask=129
	[ "$status" -eq 6 ]
	assert_reason "cidr_netmask"
	run --separate-stderr vip validate-all ip=$V4 nic=enp0s31f6 iflabel=toolong
	[ "$status" -eq 6 ]
	assert_reason "iflabel"
	run --separate-stderr vip validate-all ip=$V6 iflabel=x
	[ "$status" -eq 6 ]
	run --separate-stderr vip validate-all ip=$V4 arp_count=-1
	[ "$status" -eq 6 ]
	assert_reason "arp_count"
	run --separate-stderr vip validate-all ip=fe80::10
	[ "$status" -eq 6 ]
	assert_reason "nic"
	run --separate-stderr vip validate-all ip=$V6 nodad=true dad_check=true
	[ "$status" -eq 6 ]
}

@test "validate-all/start: a nic missing on this node is 2 (OCF_ERR_ARGS), the probe says 7, a recurring monitor 1, stop 0" {
	run --separate-stderr vip validate-all ip=$V4 nic=eth9
	[ "$status" -eq 2 ]
	assert_reason "interface eth9 does not exist on this node"
	run --separate-stderr vip start ip=$V4 nic=eth9
	[ "$status" -eq 2 ]
	assert_reason "eth9"
	run --separate-stderr vip monitor ip=$V4 nic=eth9 OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	run --separate-stderr vip monitor ip=$V4 nic=eth9 OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 1 ]
	assert_reason "eth9 does not exist"
	run --separate-stderr vip stop ip=$V4 nic=eth9
	[ "$status" -eq 0 ]
}

@test "a label too long for this node's auto-detected nic is 2, not 6" {
	ip -n "$NETNS_AGENT" link set $IF down
	ip -n "$NETNS_AGENT" link set $IF name longername0
	ip -n "$NETNS_AGENT" link set longername0 up
	run --separate-stderr vip validate-all ip=$V4 iflabel=web12
	[ "$status" -eq 2 ]
	assert_reason "longer than 15"
}

@test "an action the agent does not have is 3; start without root is 4" {
	run --separate-stderr vip promote ip=$V4
	[ "$status" -eq 3 ]
	command -v setpriv >/dev/null || skip "setpriv not installed"
	run --separate-stderr ip netns exec "$NETNS_AGENT" setpriv --reuid=65534 --regid=65534 --clear-groups \
		env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_ip=$V4 OCF_RESKEY_nic=$IF "$AGENT" start
	[ "$status" -eq 4 ]
	assert_reason "permission denied"
	# monitor needs no privileges
	run --separate-stderr ip netns exec "$NETNS_AGENT" setpriv --reuid=65534 --regid=65534 --clear-groups \
		env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_ip=$V4 OCF_RESKEY_nic=$IF "$AGENT" monitor
	[ "$status" -eq 7 ]
}

@test "reload-agent accepts new arp_* values" {
	run --separate-stderr vip reload-agent ip=$V4 nic=$IF arp_count=2 arp_interval=1s
	[ "$status" -eq 0 ]
	run --separate-stderr vip reload-agent ip=$V4 nic=$IF arp_interval=0
	[ "$status" -eq 6 ]
}

@test "monitor ignores the address on the loopback (not this resource)" {
	ip -n "$NETNS_AGENT" addr add $V4/32 dev lo
	run --separate-stderr vip monitor ip=$V4
	[ "$status" -eq 7 ]
	run --separate-stderr vip stop ip=$V4
	[ "$status" -eq 0 ]
	ip -n "$NETNS_AGENT" -4 -o addr show dev lo | grep -qF " $V4/32"
}

# ------------------------------------------------------------------ network_namespace

# The agent runs in the agent namespace and is told to work in the peer's:
# the peer namespace is one the test made, with a name unique to the test.
@test "network_namespace: the address is found, added, monitored and removed in that namespace only" {
	local ns=$NETNS_PEER
	# No nic: bt0p and the prefix come from the peer namespace's connected route.
	run --separate-stderr vip validate-all ip=$V4 network_namespace=$ns
	[ "$status" -eq 0 ]
	run --separate-stderr vip start ip=$V4 arp_count=0 network_namespace=$ns
	[ "$status" -eq 0 ]
	ip -n "$ns" -4 -o addr show dev bt0p | grep -qF " $V4/24 "
	[ -z "$(ip -n "$NETNS_AGENT" -4 -o addr show | grep -F " $V4/")" ]
	run --separate-stderr vip monitor ip=$V4 network_namespace=$ns OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 0 ]
	# Without the parameter the agent looks in its own namespace, where the address is not.
	run --separate-stderr vip monitor ip=$V4
	[ "$status" -eq 7 ]
	run --separate-stderr vip stop ip=$V4 network_namespace=$ns
	[ "$status" -eq 0 ]
	[ -z "$(ip -n "$ns" -4 -o addr show | grep -F " $V4/")" ]
	run --separate-stderr vip monitor ip=$V4 network_namespace=$ns
	[ "$status" -eq 7 ]
	# The peer's own address is not touched.
	ip -n "$ns" -4 -o addr show dev bt0p | grep -qF " 192.0.2.2/24 "
}

@test "network_namespace missing here: start and validate-all 2, stop 0, probe 7, recurring monitor 7 with a reason" {
	local ns=$NETNS_PREFIX-none
	[ ! -e "/run/netns/$ns" ]
	run --separate-stderr vip validate-all ip=$V4 network_namespace=$ns
	[ "$status" -eq 2 ]
	assert_reason "network namespace $ns (/run/netns/$ns) does not exist on this node"
	run --separate-stderr vip start ip=$V4 nic=$IF network_namespace=$ns
	[ "$status" -eq 2 ]
	refute has_v4 $V4
	run --separate-stderr vip stop ip=$V4 nic=$IF network_namespace=$ns
	[ "$status" -eq 0 ]
	run --separate-stderr vip monitor ip=$V4 network_namespace=$ns OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	run --separate-stderr vip monitor ip=$V4 network_namespace=$ns OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 7 ]
	assert_reason "network namespace $ns does not exist"
}

@test "network_namespace: a name that cannot be one is 6; entering without privilege is 4" {
	local bad
	for bad in ../$NETNS_PEER . .. -x a/b; do
		run --separate-stderr vip validate-all ip=$V4 "network_namespace=$bad"
		[ "$status" -eq 6 ]
		assert_reason "network_namespace"
	done
	command -v setpriv >/dev/null || skip "setpriv not installed"
	run --separate-stderr ip netns exec "$NETNS_AGENT" setpriv --reuid=65534 --regid=65534 --clear-groups \
		env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_ip=$V4 OCF_RESKEY_network_namespace=$NETNS_PEER \
		OCF_RESKEY_CRM_meta_interval=10000 "$AGENT" monitor
	[ "$status" -eq 4 ]
	assert_reason "permission denied"
}

# ------------------------------------------------------------------ lvs_support

# lo_line ADDR: the agent namespace's `ip -o addr` lines for ADDR on lo, if any
lo_line() { ip -n "$NETNS_AGENT" -4 -o addr show dev lo | grep -F " $1/" || true; }

@test "lvs_support: stop leaves ip/32 on lo, which is not running; start moves it back to the nic" {
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0 lvs_support=true
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 $V4)" == *"inet $V4/24 "* ]]
	[ -z "$(lo_line $V4)" ]
	run --separate-stderr vip stop ip=$V4 nic=$IF cidr_netmask=24 lvs_support=true
	[ "$status" -eq 0 ]
	refute has_v4 $V4
	[[ "$(lo_line $V4)" == *"inet $V4/32 "* ]]
	# Stopped, with the address on lo: not running, for the probe, a recurring
	# monitor, and without nic (where any interface but the loopback counts).
	run --separate-stderr vip monitor ip=$V4 nic=$IF cidr_netmask=24 lvs_support=true
	[ "$status" -eq 7 ]
	run --separate-stderr vip monitor ip=$V4 nic=$IF cidr_netmask=24 lvs_support=true OCF_RESKEY_CRM_meta_interval=10000
	[ "$status" -eq 7 ]
	run --separate-stderr vip monitor ip=$V4 lvs_support=true
	[ "$status" -eq 7 ]
	# A second stop keeps the one copy on lo.
	run --separate-stderr vip stop ip=$V4 nic=$IF cidr_netmask=24 lvs_support=true
	[ "$status" -eq 0 ]
	[ "$(lo_line $V4 | wc -l)" -eq 1 ]
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0 lvs_support=true
	[ "$status" -eq 0 ]
	[[ "$(addr_line 4 $V4)" == *"inet $V4/24 "* ]]
	[ -z "$(lo_line $V4)" ]
	run --separate-stderr vip monitor ip=$V4 nic=$IF cidr_netmask=24 lvs_support=true
	[ "$status" -eq 0 ]
	# The neighbour reaches the address on the nic.
	ip netns exec "$NETNS_PEER" ping -c1 -W2 $V4 >/dev/null
}

@test "lvs_support: start takes an address the administrator put on lo; without it start and stop leave lo alone" {
	ip -n "$NETNS_AGENT" addr add $V4/32 dev lo
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0
	[ "$status" -eq 0 ]
	[ -n "$(lo_line $V4)" ]
	run --separate-stderr vip stop ip=$V4 nic=$IF
	[ "$status" -eq 0 ]
	[ -n "$(lo_line $V4)" ]
	run --separate-stderr vip start ip=$V4 nic=$IF cidr_netmask=24 arp_count=0 lvs_support=true
	[ "$status" -eq 0 ]
	[ -z "$(lo_line $V4)" ]
	has_v4 $V4
}

@test "lvs_support: IPv6 (as in IPaddr2) and nic=lo are refused (6)" {
	run --separate-stderr vip validate-all ip=$V6 lvs_support=true
	[ "$status" -eq 6 ]
	assert_reason "lvs_support"
	run --separate-stderr vip validate-all ip=$V4 nic=lo cidr_netmask=32 lvs_support=true
	[ "$status" -eq 6 ]
	assert_reason "lvs_support"
}

# ------------------------------------------------------------------ ocf-tester

@test "ocf-tester passes (IPv4)" {
	command -v ocf-tester >/dev/null || skip "ocf-tester not installed"
	run ip netns exec "$NETNS_AGENT" ocf-tester -n vip -o ip=$V4 -o nic=$IF -o cidr_netmask=24 "$AGENT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"passed all tests"* ]]
	refute has_v4 $V4
}

@test "ocf-tester passes (IPv6, nic and prefix auto-detected)" {
	command -v ocf-tester >/dev/null || skip "ocf-tester not installed"
	run ip netns exec "$NETNS_AGENT" ocf-tester -n vip -o ip=$V6 -o arp_count=1 "$AGENT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"passed all tests"* ]]
	refute has_v6 $V6
}
