# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# An LDAP client in the lab's management namespace, for the scenarios that run slapd
# (tests/lab/scenario-roles.sh, scenario-switch.sh): reads as the root DN, single adds, and a
# writer that adds numbered entries without pause and records which the server acknowledged.
# Source after scenario-lib.sh, with NET and PASSWORD set; the directory is the one
# tests/ldap/setup.sh makes (SUFFIX, ROOTDN, PEOPLE below). Call ldap_client_init first and
# writer_kill on exit. A HOST is an address or a node number K (the node's own address $NET.K).
#
#   ldap_client_init        $CLIENT: a private directory with the password file (0400)
#   ldap_client_cleanup     remove it
#   ldap_uids HOST          uids of the people on HOST, read as the root DN: no size limit
#   ldap_count HOST         how many
#   has_uid HOST UID        the entry exists
#   add_uid HOST UID        ldapadd's exit status
#   writer_start ADDR       the writer, to ldap://ADDR/: lines "N START END" in $CLIENT/acked
#                           for every add that returned 0, "N START RC" in $CLIENT/failed
#   writer_stop | writer_kill
#   acked_count             acknowledged adds so far
#   missing_on HOST         uids of acknowledged adds HOST lacks
# (single quotes on purpose: the writer's commands expand in its own shell)
# shellcheck disable=SC2016

SUFFIX=dc=example,dc=com
ROOTDN=cn=admin,$SUFFIX
PEOPLE=ou=people,$SUFFIX

peer() { "$LAB" peer "$@"; }
ldap_host() { [[ $1 == *.* ]] && echo "$1" || echo "$NET.$1"; }

ldap_client_init() {
	# host /tmp: the management namespace shares the host's file system
	CLIENT=$(mktemp -d /tmp/baton-ldap-client.XXXXXX) || return 1
	printf '%s' "$PASSWORD" >"$CLIENT/pw"   # ldapadd -y uses the whole file, newline included
	chmod 400 "$CLIENT/pw"
}

ldap_client_cleanup() {
	case ${CLIENT:-} in /tmp/baton-ldap-client.?*) rm -rf "$CLIENT" ;; esac
}

ldap_uids() {
	peer ldapsearch -LLL -x -o ldif-wrap=no -o nettimeout=3 -H "ldap://$(ldap_host "$1")/" \
		-D "$ROOTDN" -y "$CLIENT/pw" -b "$PEOPLE" -s one '(uid=*)' uid | sed -n 's/^uid: //p'
}
ldap_count() { ldap_uids "$1" | grep -c . ; }
has_uid() {
	peer ldapsearch -LLL -x -o nettimeout=3 -H "ldap://$(ldap_host "$1")/" -D "$ROOTDN" \
		-y "$CLIENT/pw" -b "uid=$2,$PEOPLE" -s base dn 2>/dev/null | grep -q '^dn:'
}
add_uid() {
	peer ldapadd -x -o nettimeout=3 -H "ldap://$(ldap_host "$1")/" -D "$ROOTDN" -y "$CLIENT/pw" <<-EOF
	dn: uid=$2,$PEOPLE
	objectClass: inetOrgPerson
	uid: $2
	cn: $2
	sn: $2
	EOF
}

# One ldapadd per numbered entry, at most 3 s each: an exchange with a node that just died
# must not hang the writer. Runs in the management namespace until $CLIENT/stop exists.
WRITER_PID=
writer_start() {
	: >"$CLIENT/acked"
	: >"$CLIENT/failed"
	rm -f "$CLIENT/stop"
	peer bash -c '
		echo $$ >"$1/writer.pid"
		i=0
		while [ ! -e "$1/stop" ]; do
			i=$((i + 1))
			t=$(date +%s.%N)
			printf "dn: uid=w%s,%s\nobjectClass: inetOrgPerson\nuid: w%s\ncn: w%s\nsn: w%s\n" \
				$i "$3" $i $i $i >"$1/entry"
			timeout 3 ldapadd -x -o nettimeout=1 -H "ldap://$2/" -D "$4" -y "$1/pw" \
				-f "$1/entry" >/dev/null 2>>"$1/writer.err"
			rc=$?
			if [ $rc = 0 ]; then echo "$i $t $(date +%s.%N)" >>"$1/acked"
			else echo "$i $t $rc" >>"$1/failed"; sleep 0.05; fi
			sleep 0.01
		done' writer "$CLIENT" "$1" "$PEOPLE" "$ROOTDN" &
	WRITER_PID=$!
}
writer_stop() {
	touch "$CLIENT/stop"
	[ -n "$WRITER_PID" ] && wait "$WRITER_PID" 2>/dev/null
	WRITER_PID=
}
writer_kill() {
	local p
	[ -n "${WRITER_PID:-}" ] || return 0
	p=$(cat "$CLIENT/writer.pid" 2>/dev/null)
	[ -n "$p" ] && kill "$p" 2>/dev/null
	wait "$WRITER_PID" 2>/dev/null
	WRITER_PID=
}
acked_count() { wc -l <"$CLIENT/acked"; }
missing_on() { comm -23 <(awk '{print "w" $1}' "$CLIENT/acked" | sort) <(ldap_uids "$1" | sort); }
