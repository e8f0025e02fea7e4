#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# baton-vm-capacity cluster against saved CIBs: tests/vm/cluster-cib.xml (three
# hosts, see its comment) and copies of it with a ban and an offline node.
# The numbers are the ones test-vm-forecast.c works out. Run by make check.
set -u
srcdir=${srcdir:-.}
C=./agents/vm/baton-vm-capacity
[ -x "$C" ] || { echo "not built: $C"; exit 77; }
CIB="$srcdir/tests/vm/cluster-cib.xml"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/vm/capacity-check.sh
. "$srcdir/tests/vm/capacity-check.sh"

ARGS="cluster --cib $CIB"
check table 0 "a                      8192 MiB      2  ok" \
    "if a failed: 2 VM(s) to restart, all start" \
    "  db                   db                         10  4096 MiB  2048 MiB  starts on b with 4096 MiB" \
    "  web                  web                         0  2048 MiB  1024 MiB  starts on c with 1024 MiB" \
    "  shrink b1 on b: 4096 -> 2048 MiB" \
    "  headroom afterwards: 2048 MiB" \
    "if b failed: 1 VM(s) to restart, all start" \
    "  b1                   b1                          5  4096 MiB  2048 MiB  starts on a with 3072 MiB" \
    "  shrink web on a: 2048 -> 1024 MiB" \
    "if c failed: 1 VM(s) to restart, all start"

ARGS="cluster --cib $CIB --json"
check json 0 '"node": "a",' '"start_mib": 4096' '"shrinks": [' '"from_mib": 4096' '"to_mib": 2048' \
    '"ok": true' '"headroom_mib": 2048'

# --pairs: also two failures at once, which do not change the exit status
ARGS="cluster --cib $CIB --pairs"
check pairs 0 "if a and b failed at once: 3 VM(s) to restart, SOME STAY STOPPED" \
    "  web                  web                         0  2048 MiB  1024 MiB  starts on c with 1024 MiB" \
    "if b and c failed at once: 2 VM(s) to restart, all start" \
    "  shrink db on a: 4096 -> 2048 MiB"
ARGS="cluster --cib $CIB --pairs --json"
check pairs-json 0 '"ok": true'
if ! printf '%s\n' "$out" | tr -d ' \n' | grep -qF '"node":"a","nodes":["a","b"],"published":true,"ok":false,"stopped":2'; then
    echo "FAIL pairs-json: no failure of a and b with 2 stopped"; fails=$((fails + 1))
fi
ARGS="--pairs list"
check pairs-needs-cluster 2 "usage:"

# db banned from b (crm_resource --ban writes such a constraint): c alone, 1024 MiB short
sed 's|<constraints/>|<constraints><rsc_location id="cli-ban-db-on-b" rsc="db" node="b" score="-INFINITY"/></constraints>|' \
    "$CIB" >"$tmp/ban.xml"
ARGS="cluster --cib $tmp/ban.xml"
check ban 1 "if a failed: 2 VM(s) to restart, SOME STAY STOPPED" \
    "STAYS STOPPED: 1024 MiB short of its floor on the best of 1 node(s)" \
    "  web                  web                         0  2048 MiB  1024 MiB  starts on b with 2048 MiB" \
    "  headroom afterwards: -1024 MiB"
ARGS="cluster --cib $tmp/ban.xml --json"
check ban-json 1 '"shortfall_mib": 1024' '"node": null' '"blocking": 1' '"ok": false'
# db has priority 10: below a threshold of 11 it does not count
ARGS="cluster --cib $tmp/ban.xml --min-priority 11"
check threshold 0 "some stay stopped (below --min-priority)"
ARGS="cluster --cib $tmp/ban.xml --min-priority 10"
check threshold-equal 1 "SOME STAY STOPPED"

# c offline: not a target, and no forecast for it. web then starts on b at its
# floor, and the planner takes the rest from db (floors first, priorities only
# order the shrinking)
sed 's|uname="c" in_ccm="true" crmd="online"|uname="c" in_ccm="false" crmd="offline"|' "$CIB" >"$tmp/off.xml"
ARGS="cluster --cib $tmp/off.xml"
check offline 0 "c                      4096 MiB      1  offline" \
    "  web                  web                         0  2048 MiB  1024 MiB  starts on b with 1024 MiB" \
    "  shrink db on b: 4096 -> 3072 MiB"
if printf '%s\n' "$out" | grep -q "if c failed"; then
    echo "FAIL offline: a forecast for the offline node"; fails=$((fails + 1))
fi

ARGS="cluster --cib $tmp/missing.xml"
check missing 2 "cannot read the CIB from $tmp/missing.xml"
echo '<notcib/>' >"$tmp/bad.xml"
ARGS="cluster --cib $tmp/bad.xml"
check not-a-cib 2 "not a CIB"
ARGS="cluster extra"
check usage 2 "usage:"
ARGS="--json list"
check json-needs-cluster 2 "usage:"

# without --cib: cibadmin --query, which reads CIB_file when set
if command -v cibadmin >/dev/null 2>&1; then
    out=$(CIB_file="$tmp/ban.xml" $C cluster 2>&1)
    rc=$?
    if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "STAYS STOPPED: 1024 MiB short"; then
        echo "ok cibadmin"
    else
        echo "FAIL cibadmin: exit $rc"; echo "$out"; fails=$((fails + 1))
    fi
else
    echo "skip cibadmin: not installed"
fi

[ "$fails" = 0 ]
