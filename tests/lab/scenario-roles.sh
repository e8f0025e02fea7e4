#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scenario-roles.sh - relocatable services with roles: a directory and a time server.
#
# Two nodes, each with its own slapd (own cn=config and database, same suffix, in a private
# per-node directory) and its own chronyd. Pacemaker runs both as promotable clones:
# ocf:baton:ldap (one provider, one syncrepl replica) with the service address 10.98.0.100
# (ocf:baton:vip) colocated with the Promoted role and started after promote, and
# ocf:baton:ntp (the primary serves its own clock, the follower follows it) with its own
# service address 10.98.0.101. A client in the management namespace writes numbered entries
# to ldap://10.98.0.100/ without pause; the node of both primaries is crashed; the survivor
# fences it, is promoted, takes the addresses, and the client's writes resume. At the end
# every write the client saw acknowledged must be on the new provider, except, as the
# ldap agent's README says (replication is asynchronous), writes acknowledged by the old
# provider in the last instant before the crash: those are listed and counted.
#
# Prints every command a user would type, the checks, and a timeline (t0 = the crash). Exit
# 0 only if every check passed. LAB_KEEP=1 leaves the lab running; LAB_NAME (blrole) names
# its namespaces. Needs root, the installed baton packages, slapd, ldap-utils, chrony and
# ipmi_sim. control_clock=false: chronyd never touches the host clock.
#
# Helpers beyond scenario-lib.sh: the client in ldap-client.bash (reads, adds, the writer),
# in_sync (equal contextCSN), stratum (of a node's chronyd).
# (single quotes on purpose: those commands expand inside the node or the client)
# shellcheck disable=SC2016
set -uo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
LAB_NAME=${LAB_NAME:-blrole}
# slapd's configuration and database: one directory, private to each node, same path on all
DATA=/var/lib/baton-lab-$LAB_NAME
# shellcheck disable=SC2034 # exported by scenario-lib.sh
LAB_NODE_DIRS=$DATA
# shellcheck source=tests/lab/scenario-lib.sh
source "$HERE/scenario-lib.sh"
# shellcheck source=tests/lab/ldap-client.bash
source "$HERE/ldap-client.bash"

NET=10.98.0
LDAP_IP=$NET.100
NTP_IP=$NET.101
PASSWORD=lab-ldap-secret
# the agent's default state_dir, on each node's own /run (a freshly booted node has no
# /run/baton at all: the agent creates it)
LDAP_STATE=/run/baton/ldap

for x in slapd slapadd slapcat slappasswd ldapadd ldapsearch chronyd chronyc ipmi_sim; do
	command -v "$x" >/dev/null || [ -x "/usr/sbin/$x" ] || { echo "FAILED: $x is missing" >&2; exit 1; }
done
for a in ldap ntp vip; do
	[ -x "/usr/lib/ocf/resource.d/baton/$a" ] || { echo "FAILED: ocf:baton:$a not installed" >&2; exit 1; }
done
ldap_client_init || { echo "FAILED: the client's directory" >&2; exit 1; }

on_exit() {
	local rc=$?
	writer_kill
	ldap_client_cleanup
	if [ "$LAB_KEEP" != 1 ]; then
		# as lab_down_on_exit does: the logs stay after a failure
		if [ "$rc" = 0 ]; then "$LAB" down --purge; else "$LAB" down; fi >/dev/null 2>&1
		rmdir "$DATA" 2>/dev/null   # the empty mount point the nodes made on the host
	fi
	(exit "$rc")
	lab_down_on_exit
}

# ---------------------------------------------------------------- helpers

csn() { # K: contextCSN values of the suffix on node K
	peer ldapsearch -LLL -x -o ldif-wrap=no -o nettimeout=3 -H "ldap://$NET.$1/" -D "$ROOTDN" \
		-y "$CLIENT/pw" -s base -b "$SUFFIX" contextCSN | sed -n 's/^contextCSN: //p' | sort | tr '\n' ' '
}
in_sync() { local a; a=$(csn "$1"); [ -n "$a" ] && [ "$a" = "$(csn "$2")" ]; }
# the replication attributes of node K's database in its cn=config (over its ldapi socket)
ldap_cfg() {
	lab "$1" sh -c 'ldapsearch -LLL -Q -o ldif-wrap=no -Y EXTERNAL \
		-H "ldapi://$(ls -d '"$LDAP_STATE"'/*/ldapi | head -n 1 | sed "s|/|%2F|g")" \
		-b "olcDatabase={1}mdb,cn=config" -s base olcReadOnly olcUpdateRef olcSyncrepl' |
		sed 's/credentials=[^ ]*/credentials=***/'
}
stratum() { # K: stratum of node K's chronyd (3rd field of chronyc -c tracking)
	lab "$1" sh -c 'chronyc -h "$(ls /run/baton/ntp/*/chronyd/chronyd.sock | head -n 1)" -c tracking' 2>/dev/null |
		awk -F, '{print $3}'
}
stratum_is() { [ "$(stratum "$1")" = "$2" ]; }
# the ntp follower on node K tracks the primary's address, one stratum below local_stratum
follows_ntp() { [ "$(lab "$1" sh -c 'chronyc -h "$(ls /run/baton/ntp/*/chronyd/chronyd.sock | head -n 1)" -c tracking' 2>/dev/null | cut -d, -f2,3)" = "$NTP_IP,9" ]; }
# RSC K: the promotable clone RSC is Promoted on node K and active on both nodes
roles_ok() { [ "$(promoted_on 1 "$1")" = "node$2" ] && [ "$(where 1 "$1" | sort | tr '\n' ' ')" = "node1 node2 " ]; }
# no process of either node (slapd, the agents' children, chronyd...) shows the password
password_hidden() {
	local k p
	for k in 1 2; do
		for p in $(ip netns pids "$LAB_NAME$k"); do
			grep -qaF -- "$PASSWORD" "/proc/$p/cmdline" 2>/dev/null && { echo "pid $p: $(tr '\0' ' ' <"/proc/$p/cmdline")" >&2; return 1; }
		done
	done
	return 0
}
ip_on() { lab "$1" ip -o -4 addr show dev eth0 | grep -q " $2/24 "; }
num() { sed 's/^node//'; }

# ---------------------------------------------------------------- the lab and the two slapd

echo "== a two-node lab cluster with IPMI fencing; $DATA is private to each node"
lab_up 2
trap on_exit EXIT
# a copy the nodes can see: a checkout under /tmp is not visible inside a node (private /tmp)
SETUP=$SCENARIO_DIR/ldap-setup.sh
install -m 755 "$HERE/../ldap/setup.sh" "$SETUP" || { echo "FAILED: copy tests/ldap/setup.sh" >&2; exit 1; }
echo
echo "== each node gets its own slapd instance (cn=config in $DATA/slapd.d, database in $DATA/db)"
# node1's is built with the first entries; node2's database is seeded from node1's with
# slapcat | slapadd (entryUUIDs, entryCSNs and the contextCSN kept), the usual way to start
# a replica: both may become the first provider, and either one's replica then has nothing
# to undo.
for k in 1 2; do
	printf 'node%s# tests/ldap/setup.sh %s %s PASSWORD\n' "$k" "$DATA" "$k"
	lab "$k" "$SETUP" "$DATA" "$k" "$PASSWORD" >/dev/null || { echo "FAILED: slapd instance on node$k" >&2; exit 1; }
done
printf 'node1# slapcat -n1 -F %s/slapd.d | node2# slapadd -q -n1 -F %s/slapd.d\n' "$DATA" "$DATA"
lab 1 slapcat -n1 -F "$DATA/slapd.d" | lab 2 slapadd -q -n1 -F "$DATA/slapd.d" ||
	{ echo "FAILED: seeding node2's database" >&2; exit 1; }
check "the password file is 0400 on both nodes" \
	test "$(lab 1 stat -c %a "$DATA/password")$(lab 2 stat -c %a "$DATA/password")" = 400400

echo
echo "== ldap and ntp as promotable clones, each with a service address that follows its primary"
# ntp: its own address, colocated with its own Promoted role; an advisory colocation (100)
# puts it with the ldap primary while that node can run it, so one node is "the primary".
# the directory with pcs, the rest with crm: both tools a user would type
show 1 pcs resource create ldap ocf:baton:ldap config="$DATA/slapd.d" suffix="$SUFFIX" \
	bind_dn="$ROOTDN" password_file="$DATA/password" provider_uri="ldap://$LDAP_IP/" services=ldap:/// \
	op start timeout=30s stop timeout=30s promote timeout=30s demote timeout=30s notify timeout=20s \
	monitor role=Promoted interval=5s timeout=20s monitor role=Unpromoted interval=6s timeout=20s \
	promotable promoted-max=1 clone-max=2 notify=true ||
	{ echo "FAILED: pcs resource create ldap ... promotable" >&2; exit 1; }
crm_config 1 <<EOF
primitive ldap-ip ocf:baton:vip params ip=$LDAP_IP cidr_netmask=24 nic=eth0 op monitor interval=5s timeout=20s
colocation ldap-ip-with-primary inf: ldap-ip ldap-clone:Promoted
order ldap-ip-after-promote Mandatory: ldap-clone:promote ldap-ip:start
primitive ntp ocf:baton:ntp params control_clock=false primary_address=$NTP_IP primary_poll=-2 local_stratum=8 allow=$NET.0/24 op start timeout=30s op stop timeout=30s op promote timeout=30s op demote timeout=30s op monitor role=Promoted interval=5s timeout=20s op monitor role=Unpromoted interval=6s timeout=20s
clone ntp-clone ntp meta promotable=true promoted-max=1 clone-max=2
primitive ntp-ip ocf:baton:vip params ip=$NTP_IP cidr_netmask=24 nic=eth0 op monitor interval=5s timeout=20s
colocation ntp-ip-with-primary inf: ntp-ip ntp-clone:Promoted
order ntp-ip-after-promote Mandatory: ntp-clone:promote ntp-ip:start
colocation ntp-primary-with-ldap-primary 100: ntp-clone:Promoted ldap-clone:Promoted
rsc_defaults resource-stickiness=100
EOF
promoted() { [ -n "$(promoted_on 1 "$1")" ]; }
wait_for 60 "ldap is promoted somewhere" promoted ldap-clone
wait_for 60 "ntp is promoted somewhere" promoted ntp-clone
"$LAB" settle 60 >/dev/null
P=$(promoted_on 1 ldap-clone | num)
S=$((3 - P))
echo "primary: node$P, replica: node$S"
show 1 crm_mon -1
wait_for 30 "ldap: Promoted on node$P, Unpromoted on node$S" roles_ok ldap-clone "$P"
wait_for 30 "ntp: Promoted on node$P (with the ldap primary), Unpromoted on node$S" roles_ok ntp-clone "$P"
wait_for 30 "$LDAP_IP is on node$P's eth0" ip_on "$P" "$LDAP_IP"
wait_for 30 "$NTP_IP is on node$P's eth0" ip_on "$P" "$NTP_IP"
check "the bind password is on no command line of either node" password_hidden
printf 'node%s# ldapsearch -LLL -Q -Y EXTERNAL -H ldapi://... -b "olcDatabase={1}mdb,cn=config" -s base olcReadOnly olcUpdateRef olcSyncrepl\n' "$S"
CFG=$(ldap_cfg "$S")
printf '%s\n' "$CFG"
check "node$S's slapd follows ldap://$LDAP_IP/ (olcSyncrepl) and refers writes there (olcUpdateRef)" \
	grep -q "^olcUpdateRef: ldap://$LDAP_IP/" <<<"$CFG"
check "node$S's consumer's provider is ldap://$LDAP_IP/" grep -q "provider=ldap://$LDAP_IP/" <<<"$CFG"

echo
echo "== replication: a write through the service address is read back on the replica"
echo "mgmt\$ ldapadd -x -H ldap://$LDAP_IP/ -D $ROOTDN -y PWFILE   # uid=first"
check "ldapadd through ldap://$LDAP_IP/ succeeds" add_uid "$LDAP_IP" first
wait_for 30 "uid=first is on the replica node$S (ldap://$NET.$S/)" has_uid "$S" first
wait_for 30 "both have the same contextCSN" in_sync "$P" "$S"
add_uid "$NET.$S" on-replica >/dev/null 2>&1
RC=$?
check "a write to the replica itself is refused with a referral (rc 10, got $RC)" test "$RC" = 10
wait_for 30 "the ntp follower on node$S is synchronised to $NTP_IP at stratum 9" follows_ntp "$S"
check "the ntp primary on node$P serves its own clock at stratum 8" stratum_is "$P" 8

# ---------------------------------------------------------------- the primary's node crashes

logged() { [ -n "$(log_time "$1" "$2")" ]; }   # K PATTERN: in node K's log since t0
promoted_is() { [ "$(promoted_on "$1" "$2")" = "node$1" ]; }   # K RSC, seen from K
# ex-primary back: RSC active on both nodes, Promoted on node K
back_as_unpromoted() { roles_ok "$2" "$1"; }
writes_since() { awk -v t="$1" '$2 > t' "$CLIENT/acked" | grep -q .; }   # an add begun after T acknowledged

echo
echo "== a client in the management namespace writes numbered entries to ldap://$LDAP_IP/"
echo "mgmt\$ while :; do ldapadd -x -H ldap://$LDAP_IP/ -D $ROOTDN -y PWFILE -f uid=wN; done"
writer_start "$LDAP_IP"
wait_for 30 "the client's writes are acknowledged" test -s "$CLIENT/acked"
sleep 2
echo "acknowledged before the crash: $(acked_count)"

echo
echo "== node$P, primary of ldap and ntp and holder of both addresses, crashes"
t0
KILLED=$("$LAB" kill "$P") || { echo "FAILED: lab-cluster.sh kill $P" >&2; exit 1; }
echo "$KILLED"
# t0 is the SIGKILL itself (lab-cluster.sh prints its time), not the call of the script
T0=$(date -d "$(awk '{ print $1 }' <<<"$KILLED")" +%s.%N)
wait_for 30 "node$S sees node$P lost" logged "$S" "Node node$P state is now lost"
wait_for 60 "node$S fenced node$P through its BMC" \
	logged "$S" "Peer node$P was terminated \(reboot\) by node$S.*OK"
wait_for 60 "ldap is promoted on node$S" promoted_is "$S" ldap-clone
wait_for 30 "$LDAP_IP is up on node$S" ip_on "$S" "$LDAP_IP"
wait_for 60 "ntp is promoted on node$S" promoted_is "$S" ntp-clone
wait_for 30 "$NTP_IP is up on node$S" ip_on "$S" "$NTP_IP"
wait_for 30 "the start of ldap-ip returned on node$S" \
	logged "$S" "Result of start operation for ldap-ip on node$S: ok"
LOST=$(log_time "$S" "Node node$P state is now lost")
VIPUP=$(log_time "$S" "Result of start operation for ldap-ip on node$S: ok")
wait_for 30 "the client's writes resume on node$S" writes_since "$VIPUP"
wait_for 20 "node$S's chronyd serves its own clock at stratum 8" stratum_is "$S" 8
sleep 1
writer_stop

mark "node$P killed (crash of the primary's node)" "$T0"
mark "node$S sees node$P lost" "$LOST"
mark "fencing of node$P confirmed (fence_baton_ipmi reboot)" \
	"$(log_time "$S" "Peer node$P was terminated \(reboot\) by node$S.*OK")"
mark "ldap promote returned on node$S" "$(log_time "$S" "Result of promote operation for ldap on node$S: ok")"
mark "$LDAP_IP started on node$S" "$VIPUP"
mark "ntp promote returned on node$S" "$(log_time "$S" "Result of promote operation for ntp on node$S: ok")"
mark "$NTP_IP started on node$S" "$(log_time "$S" "Result of start operation for ntp-ip on node$S: ok")"
# node P answered until it died, node S only after its promotion: an add acknowledged
# before node S saw node P lost was node P's, one begun after it node S's
LAST_OLD=$(awk -v t="$LOST" '$3 < t { e = $3 } END { print e }' "$CLIENT/acked")
FIRST_NEW=$(awk -v t="$LOST" '$2 > t { print $3; exit }' "$CLIENT/acked")
mark "last write acknowledged by node$P" "$LAST_OLD"
mark "first write acknowledged by node$S" "$FIRST_NEW"
timeline
printf '\nldap promote took %s on node%s; no write was acknowledged for %.2f s\n' \
	"$(grep -E "ldap promote \(call [0-9]+, PID [0-9]+\) exited with status 0" \
		"$LAB_DIR/node$S/log/pacemaker/pacemaker.log" | tail -n 1 | sed -n 's/.*execution time \([^)]*\)).*/\1/p')" \
	"$S" "$(echo "$FIRST_NEW - $LAST_OLD" | bc)"
show "$S" crm_mon -1

echo
echo "== every acknowledged write is on the new provider node$S"
# README (agents/ldap): replication is asynchronous, so the old provider's acknowledgements
# of its last instant may be lost with it; anything else missing is a defect.
ACKED=$(acked_count)
OLD=$(awk -v t="$LOST" '$3 < t' "$CLIENT/acked" | wc -l)
TAIL=$(awk -v t="$LOST" '$3 < t { print "w" $1 }' "$CLIENT/acked" | tail -n 2 | tr '\n' ' ')
MISSING=$(missing_on "$S" | tr '\n' ' ')
MISSING=${MISSING% }
PRESENT=$(ldap_count "$S")
printf 'acknowledged: %s (%s by node%s before the crash, %s by node%s); the client saw %s adds fail\n' \
	"$ACKED" "$OLD" "$P" "$((ACKED - OLD))" "$S" "$(wc -l <"$CLIENT/failed")"
printf 'entries on node%s: %s (uid=first and acknowledged or in-flight writes)\n' "$S" "$PRESENT"
printf 'acknowledged but missing on node%s: %s\n' "$S" "${MISSING:-none}"
check "the client wrote through both providers" test "$OLD" -gt 0 -a "$((ACKED - OLD))" -gt 0
for u in $MISSING; do
	check "$u, missing, is one of node$P's last two acknowledged writes ($TAIL)" grep -qw "$u" <<<"$TAIL"
done
NEW_MISSING=$(comm -12 <(awk -v t="$LOST" '$3 >= t { print "w" $1 }' "$CLIENT/acked" | sort) \
	<(tr ' ' '\n' <<<"$MISSING" | sort))
check "every write acknowledged by node$S is on node$S (missing: ${NEW_MISSING:-none})" test -z "$NEW_MISSING"

echo
echo "== node$P is back (fencing rebooted it): its slapd follows node$S, never writable"
wait_for 90 "node$P is online again" "$LAB" wait-online 1 1 2
wait_for 60 "ldap: Promoted on node$S, Unpromoted on node$P" back_as_unpromoted "$S" ldap-clone
wait_for 60 "ntp: Promoted on node$S, Unpromoted on node$P" back_as_unpromoted "$S" ntp-clone
mark "node$P online again" "$(log_time "$S" "Node node$P state is now member")"
mark "ldap started on node$P (as a replica)" "$(log_time "$P" "Result of start operation for ldap on node$P: ok")"
add_uid "$NET.$P" after-return >/dev/null 2>&1
RC=$?
check "a write to the ex-primary is refused with a referral (rc 10, got $RC)" test "$RC" = 10
wait_for 30 "node$P has node$S's data (same contextCSN)" in_sync "$S" "$P"
check "node$P has the same entries as node$S" test "$(ldap_uids "$P" | sort | md5sum)" = "$(ldap_uids "$S" | sort | md5sum)"
wait_for 30 "the ntp follower on node$P follows $NTP_IP at stratum 9" follows_ntp "$P"
show "$S" crm_mon -1
timeline
printf '\nresult: %s acknowledged writes, %s lost in the crash%s\n' "$ACKED" \
	"$(wc -w <<<"$MISSING")" "${MISSING:+ ($MISSING)}"
# for the caller's check that nothing of the lab outlives it: the daemons' host PIDs
for k in 1 2; do
	for p in $(ip netns pids "$LAB_NAME$k" 2>/dev/null); do
		case $(cat "/proc/$p/comm" 2>/dev/null) in slapd | chronyd) printf 'daemon pid: %s %s\n' "$(cat "/proc/$p/comm")" "$p" ;; esac
	done
done
