# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Throw-away network namespaces for the integration tests: an "agent"
# namespace, where the agent under test runs, and a "peer" namespace, a
# neighbour on the same link, joined by a veth pair. Only TEST-NET
# addresses (RFC 5737 / RFC 3849) are used, and nothing outside the two
# namespaces is touched: the veth pair is created inside them.
#
#   netns_setup              create both (names from NETNS_PREFIX, default bt-vip-<pid>)
#   netns_teardown           delete both; safe to call twice or after a failed setup
#   netns_agent CMD...       run CMD in the agent namespace (ns_peer: in the peer's)
#   netns_mac NS IF          the MAC address of interface IF in namespace NS
#   netns_capture_start FILTER   tcpdump on the peer's end, in the background
#   netns_capture_stop       stop it; prints the frames (tcpdump -n -e -v)
#
# After netns_setup:
#   NETNS_AGENT / NETNS_PEER         namespace names
#   NETNS_AGENT_IF / NETNS_PEER_IF   the two ends of the veth pair
#   agent end: 192.0.2.1/24 and 2001:db8:1::1/64; peer end: 192.0.2.2/24, 2001:db8:1::2/64

NETNS_AGENT_IF=bt0
NETNS_PEER_IF=bt0p

netns_agent() { ip netns exec "$NETNS_AGENT" "$@"; }
netns_peer() { ip netns exec "$NETNS_PEER" "$@"; }

netns_mac() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }

# _netns_wait_up NS IF: the kernel reports IF up (operstate UP) within 5 s
_netns_wait_up() {
	local i
	for i in $(seq 50); do
		[ "$(ip netns exec "$1" cat "/sys/class/net/$2/operstate")" = up ] && return 0
		sleep 0.1
	done
	echo "netns: $2 in $1 did not come up" >&2
	return 1
}

netns_setup() {
	local prefix=${NETNS_PREFIX:-bt-vip-$$}
	NETNS_AGENT=$prefix-a
	NETNS_PEER=$prefix-p
	# A namespace left by an earlier, killed run of the same pid.
	netns_teardown
	ip netns add "$NETNS_AGENT" || return 1
	ip netns add "$NETNS_PEER" || return 1
	ip link add "$NETNS_AGENT_IF" netns "$NETNS_AGENT" type veth \
		peer name "$NETNS_PEER_IF" netns "$NETNS_PEER" || return 1
	local ns
	for ns in "$NETNS_AGENT" "$NETNS_PEER"; do
		ip -n "$ns" link set lo up || return 1
		# Fresh namespaces default to these, unless the host's "default" sysctls say otherwise.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.accept_dad=1 || return 1
	done
	ip netns exec "$NETNS_AGENT" sysctl -qw "net.ipv6.conf.$NETNS_AGENT_IF.accept_dad=1" || return 1
	ip -n "$NETNS_AGENT" addr add 192.0.2.1/24 dev "$NETNS_AGENT_IF" || return 1
	ip -n "$NETNS_AGENT" addr add 2001:db8:1::1/64 dev "$NETNS_AGENT_IF" nodad || return 1
	ip -n "$NETNS_PEER" addr add 192.0.2.2/24 dev "$NETNS_PEER_IF" || return 1
	ip -n "$NETNS_PEER" addr add 2001:db8:1::2/64 dev "$NETNS_PEER_IF" nodad || return 1
	ip -n "$NETNS_AGENT" link set "$NETNS_AGENT_IF" up || return 1
	ip -n "$NETNS_PEER" link set "$NETNS_PEER_IF" up || return 1
	_netns_wait_up "$NETNS_AGENT" "$NETNS_AGENT_IF" && _netns_wait_up "$NETNS_PEER" "$NETNS_PEER_IF"
}

netns_teardown() {
	netns_capture_stop >/dev/null 2>&1 || true
	local ns
	for ns in "${NETNS_AGENT:-}" "${NETNS_PEER:-}"; do
		[ -n "$ns" ] || continue
		# Deleting either namespace deletes the veth pair with it.
		if [ -e "/run/netns/$ns" ]; then
			ip netns del "$ns" 2>/dev/null || true
		fi
	done
}

# netns_capture_start FILTER...: capture on the peer's end until netns_capture_stop
netns_capture_start() {
	NETNS_CAPTURE_FILE=${BATS_TEST_TMPDIR:-/tmp}/capture.$$.pcap
	NETNS_CAPTURE_LOG=${BATS_TEST_TMPDIR:-/tmp}/capture.$$.log
	rm -f "$NETNS_CAPTURE_FILE" "$NETNS_CAPTURE_LOG"
	ip netns exec "$NETNS_PEER" tcpdump -i "$NETNS_PEER_IF" -n -U --immediate-mode -Z root -w "$NETNS_CAPTURE_FILE" "$@" \
		</dev/null >/dev/null 2>"$NETNS_CAPTURE_LOG" &
	NETNS_CAPTURE_PID=$!
	# tcpdump says "listening on" once the capture runs; nothing sent before is seen.
	local i
	for i in $(seq 100); do
		grep -q "listening on" "$NETNS_CAPTURE_LOG" 2>/dev/null && return 0
		kill -0 "$NETNS_CAPTURE_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "netns: tcpdump did not start:" >&2
	cat "$NETNS_CAPTURE_LOG" >&2
	return 1
}

netns_capture_stop() {
	[ -n "${NETNS_CAPTURE_PID:-}" ] || return 1
	# Let frames sent just now reach the capture file (-U writes each one at once).
	sleep 0.2
	kill -INT "$NETNS_CAPTURE_PID" 2>/dev/null || true
	wait "$NETNS_CAPTURE_PID" 2>/dev/null || true
	NETNS_CAPTURE_PID=
	tcpdump -n -e -v -r "$NETNS_CAPTURE_FILE" 2>/dev/null
}
