#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vm live migration between two libvirtd instances on this machine: two network
# namespaces joined by a veth pair (192.0.2.1 and .2, TEST-NET-1, nothing on the host's
# interfaces), each with a private /run and libvirt directories, its own virtlogd + libvirtd
# (TCP without auth) and host UUID (tests/integration/lib/libvirtd.bash). The agent runs
# inside the node's namespaces, as Pacemaker would run it there. Needs root.

load lib/libvirtd
load lib/test-hooks

SRCDIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILDDIR=${BATON_BUILDDIR:-$SRCDIR}
AGENT=$BUILDDIR/agents/vm/vm

setup_file() {
    [ "$(id -u)" = 0 ] || skip "needs root"
    command -v nsenter >/dev/null && command -v unshare >/dev/null || skip "needs nsenter and unshare"
    ! ip netns list | grep -q '^baton-mig-' || skip "namespaces baton-mig-* exist (another run?)"
    export BATON_TEST_CACHE=${BATON_TEST_CACHE:-/var/cache/baton-test}
    "$SRCDIR/tests/vm/guest-image.sh" >/dev/null
    export MIGT=$(mktemp -d /tmp/baton-vm-mig.XXXXXX)
    export BATON_VM_LOGDIR=$MIGT
    test_hooks_on
    libvirtd_up     # the libvirt-qemu account and qemu.conf (and the host's daemon, unused)
    libvirtd_ns_up "$MIGT"
    libvirtd_ns_wait 1
    libvirtd_ns_wait 2
    # each node has a /run of its own (a tmpfs gone with it): the marker goes there too
    libvirtd_ns_exec 1 sh -c ": >$BATON_TEST_MARKER"
    libvirtd_ns_exec 2 sh -c ": >$BATON_TEST_MARKER"
    "$SRCDIR/tests/vm/guest-image.sh" xml baton-t-mig 256 coop > "$MIGT/mig.xml"
}

teardown_file() {
    [ -n "${MIGT:-}" ] && libvirtd_ns_down "$MIGT"
    libvirtd_down
    test_hooks_off
    [ -n "${MIGT:-}" ] && rm -rf "$MIGT"
}

setup() {
    [ -x "$AGENT" ] || skip "agent not built: $AGENT"
}

# agent NODE ACTION [VAR=value...]: the agent in node NODE (1 or 2), resource "mig"
agent() {
    local k=$1 action=$2
    shift 2
    libvirtd_ns_exec "$k" env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=mig OCF_RESKEY_config="$MIGT/mig.xml" \
        BATON_RUN_DIR="$MIGT/run$k" OCF_RESKEY_host_reserve=0 OCF_RESKEY_host_memory=1024 \
        OCF_RESKEY_migration_transport=tcp OCF_RESKEY_migrateuri=tcp://%n HA_LOGFACILITY=none \
        "$@" "$AGENT" "$action"
}

v() { local k=$1; shift; libvirtd_ns_exec "$k" virsh -c qemu:///system "$@"; }
state() { local s; if s=$(v "$1" domstate baton-t-mig 2>/dev/null); then echo "$s" | head -1; else echo gone; fi; }
last_update() { v "$1" dommemstat baton-t-mig | awk '$1=="last_update"{print $2}'; }

# running on node K with a booted guest
wait_ready() { libvirtd_guest_ready baton-t-mig v "$1"; }

# migrate FROM TO [VAR=value...]: migrate_to on FROM, then migrate_from on TO, stop on FROM
migrate() {
    local from=$1 to=$2
    shift 2
    agent "$from" migrate_to OCF_RESKEY_CRM_meta_migrate_target="192.0.2.$to" OCF_RESKEY_CRM_meta_timeout=60000 "$@"
}

@test "vm-migrate: live migration there and back (managed, then p2p); policy record and guest survive" {
    local t0 t1 lu
    run agent 1 start
    [ "$status" -eq 0 ]
    wait_ready 1

    # migrate_options as flags (issue 15), and the data URI from migrateport (no migrateuri)
    t0=$(date +%s%N)
    run migrate 1 2 OCF_RESKEY_migrateuri= OCF_RESKEY_migrateport=49300 \
        OCF_RESKEY_migrate_options="--compressed --auto-converge --verbose"
    t1=$(date +%s%N)
    echo "$output"
    [ "$status" -eq 0 ]
    echo "# migrate_to 1->2 (managed): $(( (t1 - t0) / 1000000 )) ms" >&3
    [[ "$output" == *"pre-flight: qemu+tcp://192.0.2.2/system has 1024 MiB free"* ]]
    # LIVE | ABORT_ON_ERROR | COMPRESSED | AUTO_CONVERGE
    [[ "$output" == *"(qemu+tcp://192.0.2.2/system, data tcp://192.0.2.2:49300), flags 0x3801,"* ]]
    run agent 2 migrate_from
    [ "$status" -eq 0 ]
    [ -f "$MIGT/run2/vm/mig.domain" ]
    [ "$(state 2)" = running ]
    [ "$(state 1)" = gone ]
    # Pacemaker's stop on the source finds nothing; monitor on the target: running
    run agent 1 stop
    [ "$status" -eq 0 ]
    run agent 2 monitor
    [ "$status" -eq 0 ]
    [ "$(state 2)" = running ]      # the source's stop did not touch the target
    # the memory policy travelled with the live XML; the guest keeps reporting
    v 2 metadata baton-t-mig urn:baton:vm:1 | grep -q 'target-kib="262144"'
    lu=$(last_update 2)
    sleep 3
    [ "$(last_update 2)" -gt "$lu" ]

    t0=$(date +%s%N)
    run migrate 2 1 OCF_RESKEY_migration_mode=p2p OCF_RESKEY_migration_speed=100 OCF_RESKEY_migration_downtime=500 \
        OCF_RESKEY_migrate_options="--parallel --parallel-connections=2"
    t1=$(date +%s%N)
    echo "$output"
    [ "$status" -eq 0 ]
    echo "# migrate_to 2->1 (p2p): $(( (t1 - t0) / 1000000 )) ms" >&3
    # LIVE | PEER2PEER | ABORT_ON_ERROR | PARALLEL; uri, bandwidth, parallel.connections
    [[ "$output" == *", flags 0x21003, 3 parameter(s),"* ]]
    run agent 1 migrate_from
    [ "$status" -eq 0 ]
    [ "$(state 1)" = running ]
    [ "$(state 2)" = gone ]
    run agent 1 monitor OCF_CHECK_LEVEL=10
    [ "$status" -eq 0 ]
}

@test "vm-migrate: the pre-flight refuses a target without the free memory; the guest stays" {
    [ "$(state 1)" = running ] || { run agent 1 start; wait_ready 1; }
    run migrate 1 2 OCF_RESKEY_host_memory=200
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:migration pre-flight: qemu+tcp://192.0.2.2/system has 200 MiB free for domain baton-t-mig of 256 MiB (56 MiB short"* ]]
    [ "$(state 1)" = running ]
    [ "$(state 2)" = gone ]
}

@test "vm-migrate: a migration too slow for its timeout is aborted before the deadline; the guest stays" {
    local t0 t1
    [ "$(state 1)" = running ] || { run agent 1 start; wait_ready 1; }
    # 1 MiB/s for ~80 MiB: cannot finish in a 15 s operation
    t0=$(date +%s%N)
    run agent 1 migrate_to OCF_RESKEY_CRM_meta_migrate_target=192.0.2.2 OCF_RESKEY_CRM_meta_timeout=15000 \
        OCF_RESKEY_migration_speed=1
    t1=$(date +%s%N)
    echo "$output"
    echo "# aborted migrate_to returned after $(( (t1 - t0) / 1000000 )) ms (timeout 15000)" >&3
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:migration of baton-t-mig to 192.0.2.2 aborted after"* ]]
    [[ "$output" == *"the domain keeps running on this node"* ]]
    [[ "$output" == *"MiB transferred"* ]]
    [ $(( (t1 - t0) / 1000000 )) -lt 15000 ]
    [ "$(state 1)" = running ]
    [ "$(state 2)" = gone ]
    run agent 1 monitor
    [ "$status" -eq 0 ]
    run agent 1 stop
    [ "$status" -eq 0 ]
}
