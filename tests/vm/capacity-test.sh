#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# baton-vm-capacity against libvirt's test:/// driver with tests/vm/capacity-node.xml
# (4 GiB; web 2048 MiB floor 1024 prio 10, db 1024 MiB floor 512 prio 5, other 512 MiB
# unmanaged) and test:///default (domain "test", 2048 MiB, unmanaged). Run by make check.
set -u
srcdir=${srcdir:-.}
C=./agents/vm/baton-vm-capacity
[ -x "$C" ] || { echo "not built: $C"; exit 77; }
U="test://$(cd "$srcdir" && pwd)/tests/vm/capacity-node.xml"
# shellcheck source=tests/vm/capacity-check.sh
. "$srcdir/tests/vm/capacity-check.sh"

ARGS="-c $U --host-reserve 0"
check list 0 "capacity 4096 MiB (node 4096 MiB - reserve 0 MiB), used 3584 MiB, free 512 MiB" \
    "db                            1024       512      1024        5  managed" \
    "web                           2048      1024      2048       10  managed" \
    "other                          512         -         -        -  not managed"
# sorted by name
[ "$(printf '%s\n' "$out" | awk 'NR>2{print $1}' | tr '\n' ' ')" = "db other web " ] || {
    echo "FAIL list order"; fails=$((fails + 1)); }

ARGS="-c $U --host-reserve 0 fit 512"
check fit-free 0 "fits: it would start with 512 MiB (wants 512 MiB), from free memory; nothing shrunk"

ARGS="-c $U --host-reserve 0 fit 1024"
check fit-shrink 0 "after shrinking 1 VM(s) by 512 MiB:" "shrink db                            1024 -> 512 MiB"

# lowest priority first: db, then web, each down to its floor
ARGS="-c $U --host-reserve 0 fit 2048"
check fit-two 0 "after shrinking 2 VM(s) by 1536 MiB:" "shrink db                            1024 -> 512 MiB" \
    "shrink web                           2048 -> 1024 MiB"
[ "$(printf '%s\n' "$out" | awk '$1=="shrink"{print $2}' | tr '\n' ' ')" = "db web " ] || {
    echo "FAIL fit-two order"; fails=$((fails + 1)); }
# every floor: 512 + 1024 + 512 (unmanaged) leaves 2048 MiB
ARGS="-c $U --host-reserve 0 fit 2600"
check fit-short 1 "the new VM (2600 MiB, floor 2600 MiB) does NOT fit: 552 MiB short"

ARGS="-c $U --host-reserve 0 fit 2048 --floor 1024"
check fit-floor 0 "it would start with 1024 MiB (wants 2048 MiB)"

ARGS="-c $U fit 1100"
check reserve 1 "capacity 3072 MiB (node 4096 MiB - reserve 1024 MiB)" "does NOT fit: 76 MiB short"

ARGS="-c $U --host-memory 8192 fit 3584"
check host-memory 0 "capacity 7168 MiB (host_memory 8192 MiB - reserve 1024 MiB)" "from free memory"

# the peer's domain at its current size (2048 MiB, unmanaged: floor = size)
ARGS="-c $U fit-domain test --from test:///default"
check fit-domain 1 "test (2048 MiB, floor 2048 MiB) does NOT fit: 1024 MiB short"
ARGS="-c $U --host-reserve 0 fit-domain test --from test:///default"
check fit-domain-ok 0 "test fits: it would start with 2048 MiB" "shrink db" "shrink web"

ARGS="-c $U fit-domain nosuch --from test:///default"
check no-domain 2 "domain nosuch"
ARGS="-c test+unix:///default?socket=/nonexistent/sock"
check no-daemon 2 "cannot connect"
ARGS="-c $U fit"
check usage 2 "usage:"
ARGS="-c $U fit x5"
check bad-size 2 "bad value"

[ "$fails" = 0 ]
