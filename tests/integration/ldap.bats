#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ldap with real slapd instances on loopback: ldap1..ldap3 are
# instances of the resource on one host, each with its own cn=config (built
# by tests/ldap/setup.sh with slapadd -n0), database, ldapi socket and port.
# provider_uri of an instance is the other instance's URL (in a cluster it is
# a service address that moves with the Promoted role). The promotion score
# goes to a fake crm_attribute that records its arguments. Every slapd a
# test started is killed in teardown, also when the test fails.
#
# Needs root (SASL EXTERNAL on ldapi as uid 0), slapd and ldap-utils;
# ocf-tester for its test. The agent is $BATON_AGENT_DIR/ldap, by default the
# installed /usr/lib/ocf/resource.d/baton/ldap; for a build tree:
# BATON_AGENT_DIR=_build/<dir>/agents/ldap bats tests/integration/ldap.bats

load lib/ocf-agent

bats_require_minimum_version 1.5.0

AGENT=$(agent_path ldap)
SETUP=$(readlink -f "$BATS_TEST_DIRNAME/../ldap/setup.sh")
SUFFIX=dc=example,dc=com
ROOTDN=cn=admin,$SUFFIX

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root (ldapi SASL EXTERNAL as uid 0)"
	[ -x /usr/sbin/slapd ] && command -v slapadd >/dev/null && command -v ldapadd >/dev/null ||
		skip "slapd or ldap-utils not installed"
	agent_require || return 1
	test_hooks_on
}

teardown_file() {
	test_hooks_off
}

setup() {
	agent_tmp ldap
	# Three ports per test, apart for parallel runs, from anything well known and
	# below the ephemeral range (32768-): a client socket must not hold one.
	P1=$((20000 + ($$ * 16 + BATS_TEST_NUMBER * 3) % 12000))
	P2=$((P1 + 1))
	P3=$((P1 + 2))
	"$SETUP" "$T/s1" 1 >/dev/null
	"$SETUP" "$T/s2" 2 >/dev/null
}

# Kill every slapd that runs one of this test's configurations (SIGCONT first: a stopped
# one), also one whose pid file a test removed: found by its -F argument.
teardown() {
	[ -n "${WRITER:-}" ] && kill "$WRITER" 2>/dev/null || true
	kill_matching "-F $T/s[0-9]+/slapd\.d( |\$)"
	case $T in /tmp/bt-ldap.?*) rm -rf "$T" ;; esac
}

port() { case $1 in 1) echo "$P1" ;; 2) echo "$P2" ;; 3) echo "$P3" ;; esac; }
url() { echo "ldap://127.0.0.1:$(port "$1")/"; }

# ldap N ACTION [NAME=VALUE | OCF_VAR=VALUE]...: instance N of the resource as a
# promotable clone, with a clean environment; its provider is the other of 1 and 2
# (3 follows 1).
ldap() {
	local n=$1 action=$2 peer
	shift 2
	case $n in 1) peer=2 ;; *) peer=1 ;; esac
	ocf_exec "$action" OCF_RESOURCE_INSTANCE="ldap$n" BATON_PCMK_TOOLS_DIR="$TOOLS" \
		OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_promotable=true \
		config="$T/s$n/slapd.d" state_dir="$STATE" services="$(url "$n")" suffix="$SUFFIX" \
		bind_dn="$ROOTDN" password_file="$T/s$n/password" provider_uri="$(url "$peer")" \
		replica_id="$n" "$@"
}

# prim N ACTION [NAME=VALUE | OCF_VAR=VALUE]...: instance N as a plain primitive with
# only what ocf:heartbeat:slapd needs (config, services).
prim() {
	local n=$1 action=$2
	shift 2
	ocf_exec "$action" OCF_RESOURCE_INSTANCE="prim$n" BATON_PCMK_TOOLS_DIR="$TOOLS" \
		OCF_RESKEY_CRM_meta_interval=10000 config="$T/s$n/slapd.d" services="$(url "$n")" "$@"
}

pid_of() { cat "$T/s$1/slapd.pid"; }
cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline"; }
cfg() {
	ldapsearch -LLL -Q -o ldif-wrap=no -Y EXTERNAL -H "ldapi://${STATE//\//%2F}%2Fldap$1%2Fldapi" \
		-b 'olcDatabase={1}mdb,cn=config' -s base "${@:2}"
}
csn() {
	ldapsearch -LLL -x -o ldif-wrap=no -H "$(url "$1")" -D "$ROOTDN" -w secret -s base -b "$SUFFIX" \
		contextCSN | sed -n 's/^contextCSN: //p' | sort | tr '\n' ' '
}
count() {
	ldapsearch -LLL -x -o ldif-wrap=no -H "$(url "$1")" -D "$ROOTDN" -w secret -b "ou=people,$SUFFIX" \
		-s one '(uid=*)' dn | grep -c '^dn:' || true
}
has_entry() { # N UID
	ldapsearch -LLL -x -H "$(url "$1")" -b "uid=$2,ou=people,$SUFFIX" -s base dn 2>/dev/null | grep -q '^dn:'
}
add_person() { # N UID: rc of ldapadd on instance N
	ldapadd -x -H "$(url "$1")" -D "$ROOTDN" -w secret >/dev/null 2>&1 <<-EOF
	dn: uid=$2,ou=people,$SUFFIX
	objectClass: inetOrgPerson
	uid: $2
	cn: $2
	sn: $2
	EOF
}

# wait_for SECONDS COMMAND...: repeat until it succeeds.
wait_for() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	return 1
}
in_sync() { local a; a=$(csn "$1"); [ -n "$a" ] && [ "$a" = "$(csn "$2")" ]; }

# ldap1 promoted (the initial data), ldap2 its replica and in sync.
pair_up() {
	ldap 1 start
	ldap 1 promote
	ldap 2 start
	wait_for 10 in_sync 1 2
}

# ------------------------------------------------------------------ metadata

@test "meta-data is valid OCF 1.0 (ocf-tester's DTD) and OCF 1.1 lists the promotable actions" {
	run --separate-stderr env -i "$AGENT" meta-data
	[ "$status" -eq 0 ]
	local dtd=/usr/share/resource-agents/ra-api-1.dtd
	if [ -r "$dtd" ]; then xmllint --noout --dtdvalid "$dtd" - <<<"$output"; fi
	run --separate-stderr env -i OCF_RA_VERSION_MAJOR=1 "$AGENT" meta-data
	[ "$status" -eq 0 ]
	[[ "$output" == *'<action name="monitor" timeout="20s" interval="10s" depth="0" role="Promoted"/>'* ]]
	[[ "$output" == *'interval="11s" depth="0" role="Unpromoted"/>'* ]]
	[[ "$output" == *'depth="10" role="Unpromoted"/>'* ]]
	[[ "$output" == *'<action name="notify"'* ]]
	[[ "$output" == *'<action name="reload-agent"'* ]]
}

# ------------------------------------------------------------------ start / stop

@test "start comes up as a replica, stop ends slapd, both idempotent; no secret on any command line" {
	run ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	ldap 1 start
	ldap 1 start
	local p
	p=$(pid_of 1)
	run ldap 1 monitor
	[ "$status" -eq 0 ]
	cfg 1 olcUpdateRef | grep -qx "olcUpdateRef: $(url 2)"
	cfg 1 olcSyncrepl | grep -q "provider=$(url 2)"
	# slapd's argv: services and the ldapi socket, no credentials
	refute grep -q secret "/proc/$p/cmdline"
	grep -q "$(url 1)" "/proc/$p/cmdline"
	ldap 1 stop
	[ ! -e "/proc/$p" ] || grep -q '^State:.*Z' "/proc/$p/status"
	ldap 1 stop
	run ldap 1 monitor
	[ "$status" -eq 7 ]
}

@test "a stop that SIGTERM does not end escalates to SIGKILL within the budget" {
	ldap 1 start
	local p t0
	p=$(pid_of 1)
	kill -STOP "$p"
	t0=$(date +%s%N)
	ldap 1 stop stop_escalate=1s OCF_RESKEY_CRM_meta_timeout=10000
	(($(date +%s%N) - t0 < 5000000000))
	[ ! -e "/proc/$p" ] || grep -q '^State:.*Z' "/proc/$p/status"
}

# ------------------------------------------------------------------ roles

@test "promoted is a writable provider, unpromoted a replica that refers writes to it" {
	pair_up
	run ldap 1 monitor
	[ "$status" -eq 8 ]
	run ldap 2 monitor OCF_CHECK_LEVEL=10
	[ "$status" -eq 0 ]
	[ -z "$(cfg 1 olcUpdateRef olcSyncrepl | grep '^olc')" ]
	[ -z "$(cfg 1 olcReadOnly | grep -i 'olcReadOnly: TRUE')" ]
	add_person 1 alice
	wait_for 5 has_entry 2 alice
	# the replica refers writes to the provider: rc 10
	run add_person 2 bob
	[ "$status" -eq 10 ]
	# scores: provider 1000, in-sync replica 900
	grep -qx -- "--promotion=ldap1 --lifetime reboot --update 1000" "$T/crm_attribute.calls"
	grep -qx -- "--promotion=ldap2 --lifetime reboot --update 900" "$T/crm_attribute.calls"
}

@test "roles swapped: demote ldap1, promote ldap2 after catching up, ldap1 follows ldap2" {
	pair_up
	add_person 1 before
	ldap 1 demote
	ldap 2 promote
	[ "$(count 2)" = 1 ]
	run ldap 2 monitor
	[ "$status" -eq 8 ]
	run ldap 1 monitor
	[ "$status" -eq 0 ]
	cfg 1 olcSyncrepl | grep -q "provider=$(url 2)"
	add_person 2 after
	wait_for 10 in_sync 1 2
	[ "$(count 1)" = 2 ]
	run add_person 1 refused
	[ "$status" -eq 10 ]
	# idempotent: the same pids, nothing changed
	local p1 p2
	p1=$(pid_of 1) p2=$(pid_of 2)
	ldap 1 demote
	ldap 2 promote
	[ "$(pid_of 1)" = "$p1" ] && [ "$(pid_of 2)" = "$p2" ]
	# and back
	ldap 2 demote
	ldap 1 promote
	run ldap 1 monitor
	[ "$status" -eq 8 ]
}

@test "an ex-provider restarted after a crash never comes up writable" {
	pair_up
	kill -KILL "$(pid_of 1)"
	ldap 2 promote
	add_person 2 newer
	ldap 1 start
	run ldap 1 monitor
	[ "$status" -eq 0 ]
	cfg 1 olcUpdateRef | grep -qx "olcUpdateRef: $(url 2)"
	run add_person 1 split
	[ "$status" -eq 10 ]
	wait_for 10 in_sync 1 2
	[ "$(count 1)" = 1 ]
}

# writer: one ldapadd per entry to ldap1, else ldap2 (a fenced or read-only
# side refuses: rc 53 or 10); "N wI" in $T/acked for every acknowledged add.
start_writer() {
	(
		i=0
		while [ ! -e "$T/stop-writer" ]; do
			i=$((i + 1))
			for n in 1 2; do
				if add_person "$n" "w$i"; then echo "$n w$i" >>"$T/acked"; break; fi
			done
		done
	) &
	WRITER=$!
	wait_for 10 test -s "$T/acked"
	sleep 1
}
stop_writer() {
	touch "$T/stop-writer"
	wait "$WRITER"
	WRITER=
}
# missing_on N: the acknowledged entries instance N lacks
missing_on() {
	local n u
	while read -r n u; do
		has_entry "$1" "$u" || echo "$n $u"
	done <"$T/acked"
}

@test "planned failover under a writer (demote, promote): every acknowledged write survives" {
	pair_up
	start_writer
	ldap 1 demote
	ldap 2 promote
	sleep 1
	stop_writer
	# the fenced ex-provider refuses writes (rc 53) and follows the new
	# provider on the post-promote notification, as it has all its changes
	run add_person 1 fenced
	[ "$status" -eq 53 ] || [ "$status" -eq 10 ]
	ldap 1 notify OCF_RESKEY_CRM_meta_notify_type=post OCF_RESKEY_CRM_meta_notify_operation=promote
	cfg 1 olcSyncrepl | grep -q "provider=$(url 2)"
	local acked
	acked=$(wc -l <"$T/acked")
	echo "acknowledged writes: $acked ($(grep -c '^1 ' "$T/acked") on ldap1, $(grep -c '^2 ' "$T/acked") on ldap2)"
	grep -q '^1 ' "$T/acked"
	grep -q '^2 ' "$T/acked"
	[ -z "$(missing_on 2)" ]
	[ "$(count 2)" -eq "$acked" ]
	wait_for 10 in_sync 1 2
	[ -z "$(missing_on 1)" ]
}

@test "crash failover under a writer: only writes in flight at the crash can be lost" {
	pair_up
	start_writer
	kill -KILL "$(pid_of 1)"
	ldap 2 promote
	sleep 1
	stop_writer
	local acked missing last
	acked=$(wc -l <"$T/acked")
	missing=$(missing_on 2)
	echo "acknowledged writes: $acked; missing on the new provider: ${missing:-none}"
	grep -q '^2 ' "$T/acked"
	# syncrepl is asynchronous: an add acknowledged by ldap1 in the last
	# instant before SIGKILL may not have reached ldap2. Anything else missing
	# is a defect.
	last=$(grep '^1 ' "$T/acked" | tail -2)
	while read -r line; do
		[ -z "$line" ] || grep -qxF -- "$line" <<<"$last"
	done <<<"$missing"
}

# cut_off N: instance N's consumer follows a port nobody serves (a replica
# cut off from the provider, as by a partial partition).
cut_off() {
	ldapmodify -Q -Y EXTERNAL -H "ldapi://${STATE//\//%2F}%2Fldap$1%2Fldapi" >/dev/null <<-EOF
	dn: olcDatabase={1}mdb,cn=config
	changetype: modify
	replace: olcSyncrepl
	olcSyncrepl: {0}rid=00$1 provider=ldap://127.0.0.1:1/ bindmethod=simple binddn="$ROOTDN" credentials=secret searchbase="$SUFFIX" type=refreshAndPersist retry="1 +"
	EOF
}

# ldap1 promoted, ldap2 and ldap3 its replicas in sync, then ldap3 cut off from it.
trio_third_cut_off() {
	"$SETUP" "$T/s3" 3 >/dev/null
	pair_up
	ldap 3 start OCF_RESKEY_provider_uri="$(url 1)"
	wait_for 10 in_sync 1 3
	cut_off 3
}

@test "a replica that is behind scores below an in-sync one, also after the provider is gone" {
	trio_third_cut_off
	add_person 1 one
	sleep 2.2
	add_person 1 two
	wait_for 10 in_sync 1 2
	ldap 2 monitor
	run --separate-stderr ldap 3 monitor OCF_RESKEY_provider_uri="$(url 1)" OCF_CHECK_LEVEL=10 max_lag=1s
	[ "$status" -eq 190 ]
	assert_reason "replication lags"
	local s2 s3
	s2=$(grep -- '--promotion=ldap2 ' "$T/crm_attribute.calls" | tail -1 | awk '{print $NF}')
	s3=$(grep -- '--promotion=ldap3 ' "$T/crm_attribute.calls" | tail -1 | awk '{print $NF}')
	echo "scores: ldap2 $s2, ldap3 $s3"
	[ "$s2" -eq 900 ]
	[ "$s3" -lt 800 ]
	# the provider's node fails: what was known last stands
	kill -KILL "$(pid_of 1)"
	ldap 2 monitor
	ldap 3 monitor OCF_RESKEY_provider_uri="$(url 1)"
	[ "$(grep -- '--promotion=ldap2 ' "$T/crm_attribute.calls" | tail -1 | awk '{print $NF}')" -eq 900 ]
	[ "$(grep -- '--promotion=ldap3 ' "$T/crm_attribute.calls" | tail -1 | awk '{print $NF}')" -eq "$s3" ]
	# set only when changed: one call per instance and value
	[ "$(grep -c -- '--promotion=ldap2 .*--update 900' "$T/crm_attribute.calls")" -eq 1 ]
}

@test "provider gone: promote first catches up from the freshest instance that answers (peer_uris)" {
	trio_third_cut_off
	add_person 1 one
	add_person 1 two
	wait_for 10 in_sync 1 2
	kill -KILL "$(pid_of 1)"
	[ "$(count 3)" = 0 ]
	# ldap1's address no longer answers, ldap2 has both entries, ldap3 (itself) neither
	local peers="$(url 1) $(url 2) $(url 3)"
	run --separate-stderr ldap 3 promote OCF_RESKEY_provider_uri="$(url 1)" peer_uris="$peers"
	echo "$stderr"
	[ "$status" -eq 0 ]
	grep -q "catching up from $(url 2)" <<<"$stderr"
	[ "$(count 3)" = 2 ]
	run ldap 3 monitor OCF_RESKEY_provider_uri="$(url 1)" peer_uris="$peers"
	[ "$status" -eq 8 ]
	run cfg 3 olcSyncrepl olcUpdateRef
	[ "$status" -eq 0 ]
	refute grep -q "olcSyncrepl\|olcUpdateRef" <<<"$output"
	add_person 3 three
	# a fenced ex-provider serves the catching up too (ldap2's provider_uri is ldap1's)
	ldap 3 demote
	run --separate-stderr ldap 2 promote peer_uris="$(url 2) $(url 3)"
	echo "$stderr"
	[ "$status" -eq 0 ]
	grep -q "catching up from $(url 3)" <<<"$stderr"
	[ "$(count 2)" = 3 ]
	# peer_uris must be LDAP URLs that olcSyncrepl can carry
	run --separate-stderr ldap 3 monitor peer_uris="ldap://127.0.0.1/ http://x/"
	[ "$status" -eq 6 ]
	assert_reason "peer_uris: 'http://x/'"
}

# ------------------------------------------------------------------ failures

@test "wrong credentials: monitor reports degraded with the reason, slapd keeps serving" {
	pair_up
	run --separate-stderr ldap 2 monitor password=wrong
	[ "$status" -eq 190 ]
	assert_reason "Invalid credentials"
	run --separate-stderr ldap 1 monitor password=wrong
	[ "$status" -eq 191 ]
	# the password file must be private
	chmod 644 "$T/s2/password"
	run --separate-stderr ldap 2 monitor
	[ "$status" -eq 2 ]
	assert_reason "readable by others"
}

@test "a SIGSTOPped slapd: monitor fails cleanly within its deadline" {
	pair_up
	local p t0 ms
	p=$(pid_of 2)
	kill -STOP "$p"
	t0=$(date +%s%N)
	run --separate-stderr ldap 2 monitor OCF_RESKEY_CRM_meta_timeout=3000
	ms=$((($(date +%s%N) - t0) / 1000000))
	kill -CONT "$p"
	echo "monitor took $ms ms"
	[ "$status" -eq 1 ]
	assert_reason "Timed out\|Can't contact"
	[ "$ms" -lt 3000 ]
	kill -STOP "$(pid_of 1)"
	run --separate-stderr ldap 1 monitor OCF_RESKEY_CRM_meta_timeout=3000
	kill -CONT "$(pid_of 1)"
	[ "$status" -eq 9 ]
}

@test "missing slapd binary: probe 7, start 5; missing config on probe 7" {
	run ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0 slapd=/nonexistent/slapd
	[ "$status" -eq 7 ]
	run --separate-stderr ldap 1 start slapd=/nonexistent/slapd
	[ "$status" -eq 5 ]
	assert_reason "not executable"
	run ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0 config="$T/nothing"
	[ "$status" -eq 7 ]
	run ldap 1 stop config="$T/nothing"
	[ "$status" -eq 0 ]
}

@test "a state directory others could write is refused (4): the role there decides how slapd starts" {
	mkdir -p "$STATE/ldap1"
	chmod 777 "$STATE/ldap1"
	run --separate-stderr ldap 1 start
	[ "$status" -eq 4 ]
	assert_reason "state directory .*writable"
	[ ! -e "$T/s1/slapd.pid" ]
	rmdir "$STATE/ldap1"
	mkdir -p "$T/elsewhere"
	ln -s "$T/elsewhere" "$STATE/ldap1"
	run --separate-stderr ldap 1 start
	[ "$status" -eq 4 ]
	assert_reason "state directory .*symbolic link"
	[ -z "$(ls -A "$T/elsewhere")" ]
}

@test "a slapd whose pid file was deleted: probe says running, stop stops it" {
	ldap 1 start
	local p
	p=$(pid_of 1)
	rm "$T/s1/slapd.pid"
	run --separate-stderr ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"slapd runs as pid $p, but its pid file"* ]]
	run ldap 1 stop
	[ "$status" -eq 0 ]
	process_gone "$p"
	run ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
}

@test "binary or config gone under a running slapd: probe is not 7, stop stops it (never 0 while it runs)" {
	ldap 1 start
	local p
	p=$(pid_of 1)
	run --separate-stderr ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0 slapd=/nonexistent/slapd
	[ "$status" -eq 5 ]
	assert_reason "not executable.*slapd runs as pid $p"
	# The binary is not needed to stop it.
	run ldap 1 stop slapd=/nonexistent/slapd
	[ "$status" -eq 0 ]
	process_gone "$p"

	ldap 1 start
	p=$(pid_of 1)
	# Config directory and pid file gone: nothing on disk names the process any more.
	mv "$T/s1/slapd.d" "$T/s1/slapd.d.away"
	rm "$T/s1/slapd.pid"
	run --separate-stderr ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 5 ]
	assert_reason "not a directory on this node.*slapd runs as pid $p"
	kill -0 "$p"
	run --separate-stderr ldap 1 stop
	echo "$stderr"
	[ "$status" -eq 0 ]
	process_gone "$p"
	run ldap 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	run ldap 1 stop
	[ "$status" -eq 0 ]
}

# ------------------------------------------------------------------ ocf-tester

@test "ocf-tester passes" {
	command -v ocf-tester >/dev/null || skip "ocf-tester not installed"
	run env BATON_PCMK_TOOLS_DIR="$TOOLS" ocf-tester -n ldap1 -o config="$T/s1/slapd.d" \
		-o state_dir="$STATE" -o services="$(url 1)" -o suffix="$SUFFIX" -o bind_dn="$ROOTDN" \
		-o password_file="$T/s1/password" -o provider_uri="$(url 2)" -o CRM_meta_promotable=true "$AGENT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"passed all tests"* ]]
	[ ! -s "$T/s1/slapd.pid" ] || ! kill -0 "$(pid_of 1)" 2>/dev/null
	# the plain primitive, with what ocf:heartbeat:slapd needs
	run env ocf-tester -n prim1 -o config="$T/s1/slapd.d" -o services="$(url 1)" "$AGENT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"passed all tests"* ]]
	[ ! -s "$T/s1/slapd.pid" ] || ! kill -0 "$(pid_of 1)" 2>/dev/null
}

# ------------------------------------------------------------------ plain primitive (ocf:heartbeat:slapd)

@test "primitive: start, monitor (depth 0 and 10), probe, stop with only config and services; no roles" {
	run --separate-stderr prim 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	prim 1 start
	local p
	p=$(pid_of 1)
	# slapd as ocf:heartbeat:slapd runs it: its services only, no ldapi socket, no state
	[[ "$(cmdline_of "$p")" == "/usr/sbin/slapd -h $(url 1) -F $T/s1/slapd.d " ]]
	[ ! -e "$STATE" ]
	prim 1 start
	[ "$(pid_of 1)" = "$p" ]
	prim 1 monitor
	prim 1 monitor OCF_CHECK_LEVEL=10
	prim 1 monitor OCF_RESKEY_CRM_meta_interval=0
	# bound as the root DN instead of anonymously
	prim 1 monitor bind_dn="$ROOTDN" password_file="$T/s1/password"
	run --separate-stderr prim 1 monitor bind_dn="$ROOTDN" password=wrong
	[ "$status" -eq 190 ]
	assert_reason "refuses these credentials"
	# the configuration on disk is not turned into a replica: still writable
	add_person 1 alice
	run --separate-stderr prim 1 promote
	[ "$status" -eq 3 ]
	assert_reason "not a promotable clone"
	run --separate-stderr prim 1 demote
	[ "$status" -eq 3 ]
	prim 1 notify OCF_RESKEY_CRM_meta_notify_type=post OCF_RESKEY_CRM_meta_notify_operation=promote
	prim 1 stop
	process_gone "$p"
	run prim 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	prim 1 stop
}

@test "primitive: a slapd started by ocf:heartbeat:slapd is found by the probe, monitored and stopped" {
	local hb=/usr/lib/ocf/resource.d/heartbeat/slapd
	[ -x "$hb" ] || skip "ocf:heartbeat:slapd not installed"
	command -v ldapsearch >/dev/null || skip "ldapsearch not installed"
	env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=prim1 \
		OCF_RESKEY_config="$T/s1/slapd.d" OCF_RESKEY_services="$(url 1)" \
		OCF_RESKEY_parameters="-4" "$hb" start
	local p
	p=$(pid_of 1)
	# how it runs it: -u and -g of the agent's own user, the extra parameters last
	[[ "$(cmdline_of "$p")" == *"-u root -g root -F $T/s1/slapd.d -4 "* ]]
	prim 1 monitor OCF_RESKEY_CRM_meta_interval=0 parameters="-4"
	prim 1 monitor parameters="-4"
	# start on it is a no-op: the same process
	prim 1 start parameters="-4"
	[ "$(pid_of 1)" = "$p" ]
	prim 1 stop
	process_gone "$p"
	run prim 1 monitor OCF_RESKEY_CRM_meta_interval=0
	[ "$status" -eq 7 ]
	# and back: one baton started, the heartbeat agent sees and stops
	prim 1 start
	p=$(pid_of 1)
	env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_config="$T/s1/slapd.d" \
		OCF_RESKEY_services="$(url 1)" "$hb" monitor
	env -i PATH="$PATH" OCF_ROOT=/usr/lib/ocf OCF_RESKEY_config="$T/s1/slapd.d" \
		OCF_RESKEY_services="$(url 1)" "$hb" stop
	process_gone "$p"
}

@test "primitive: parameters and maxfiles reach slapd (argv, /proc/PID/limits)" {
	prim 1 start parameters="-4  -l LOCAL5 -s0" maxfiles=2345
	local p
	p=$(pid_of 1)
	[[ "$(cmdline_of "$p")" == *"-F $T/s1/slapd.d -4 -l LOCAL5 -s0 " ]]
	grep -E '^Max open files +2345 +2345 ' "/proc/$p/limits"
	prim 1 stop
	process_gone "$p"
	# the promotable clone takes them too
	ldap 1 start maxfiles=3000 parameters=-4
	p=$(pid_of 1)
	grep -E '^Max open files +3000 +3000 ' "/proc/$p/limits"
	[[ "$(cmdline_of "$p")" == *"-F $T/s1/slapd.d -4 " ]]
	ldap 1 stop
}

@test "primitive: watch_suffix and ignore_suffix choose the databases monitor reads" {
	# a second database whose suffix entry does not exist: a base search answers 32
	rm -rf "$T/s3"
	LDAP_SETUP_EMPTY_DB=1 "$SETUP" "$T/s3" 1 >/dev/null
	# start waits until monitor passes: with every database checked it cannot
	run --separate-stderr prim 3 start OCF_RESKEY_CRM_meta_timeout=4000
	[ "$status" -eq 1 ]
	assert_reason "base search of 'dc=empty,dc=org'.*No such object"
	prim 3 start ignore_suffix="dc=empty,dc=org"
	run --separate-stderr prim 3 monitor
	[ "$status" -eq 1 ]
	assert_reason "dc=empty,dc=org"
	prim 3 monitor ignore_suffix="dc=other dc=empty,dc=org"
	prim 3 monitor watch_suffix="$SUFFIX"
	prim 3 monitor watch_suffix="DC=EXAMPLE,DC=COM"
	# watch_suffix set: ignore_suffix is not looked at
	run --separate-stderr prim 3 monitor watch_suffix="dc=empty,dc=org $SUFFIX" ignore_suffix="dc=empty,dc=org"
	[ "$status" -eq 1 ]
	# a watched suffix that no database has is not checked (as ocf:heartbeat:slapd)
	prim 3 monitor watch_suffix="dc=nowhere"
	# suffix (the replicated database of the clone) stands for the configuration's
	prim 3 monitor suffix="$SUFFIX"
	run --separate-stderr prim 3 monitor suffix="$SUFFIX" watch_suffix="dc=empty,dc=org"
	[ "$status" -eq 1 ]
	prim 3 stop
}

@test "bad values are refused with 6 and a reason naming what to use; maxfiles above fs.nr_open 2" {
	local v
	for v in "-F /etc/ldap/slapd.d|'config'" "-f x.conf|'config'" "-4 -hldap:///|'services'" \
		"-u openldap|'user'" "-g openldap|'group'" "-d 256|foreground" "-o 'slp=off'|quotes" \
		"-x|no option" "stray|not a slapd option"; do
		run --separate-stderr prim 1 validate-all parameters="${v%%|*}"
		echo "$v: $status $stderr"
		[ "$status" -eq 6 ]
		assert_reason "parameters.*${v#*|}"
		run --separate-stderr prim 1 start parameters="${v%%|*}"
		[ "$status" -eq 6 ]
		run --separate-stderr ldap 1 start parameters="${v%%|*}"
		[ "$status" -eq 6 ]
	done
	for v in abc 0 -5 1073741817; do
		run --separate-stderr prim 1 validate-all maxfiles="$v"
		[ "$status" -eq 6 ]
		assert_reason "maxfiles"
	done
	if [ "$(cat /proc/sys/fs/nr_open)" -lt 1073741816 ]; then
		run --separate-stderr prim 1 start maxfiles=$(($(cat /proc/sys/fs/nr_open) + 1))
		[ "$status" -eq 2 ]
		assert_reason "fs.nr_open"
		# only start and validate-all look at it
		run prim 1 stop maxfiles=$(($(cat /proc/sys/fs/nr_open) + 1))
		[ "$status" -eq 0 ]
	fi
	# bind_dn without a password
	run --separate-stderr prim 1 validate-all bind_dn="$ROOTDN"
	[ "$status" -eq 6 ]
	assert_reason "password"
	# the promotable clone needs its provider, database and bind DN
	for v in provider_uri suffix bind_dn; do
		run --separate-stderr ldap 1 validate-all "$v="
		[ "$status" -eq 6 ]
		assert_reason "'$v' is required for a promotable clone"
	done
	# a stop with a refused value answers 0: such a resource never started
	run prim 1 stop parameters="-d 1"
	[ "$status" -eq 0 ]
	[ ! -s "$T/s1/slapd.pid" ]
}
