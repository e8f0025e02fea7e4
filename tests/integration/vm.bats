#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vm against a real libvirtd + QEMU (TCG) and tiny Linux guests built from Debian's
# kernel (tests/vm/guest-image.sh). Needs root. BATON_BUILDDIR: the build tree (default: the
# source tree). The memory figures use host_memory/host_reserve, so the host's real memory
# does not matter.

VM_TEST_NAME=vm-test
load lib/vm-agent

teardown() {
    vm_destroy_test_domains
}

actual_kib() { virsh -c $URI dommemstat "baton-t-$1" | awk '$1=="actual"{print $2}'; }

# wait until the guest's balloon driver delivers statistics (booted)
wait_ready() {
    local i
    for i in $(seq 600); do
        grep -q BATON-GUEST-READY "$VMT/baton-t-$1.console.log" 2>/dev/null &&
            [ "${2:-coop}" = uncoop -o "$(last_update "$1")" -gt 0 ] 2>/dev/null && return 0
        sleep 0.1
    done
    echo "guest $1 not ready after 60 s" >&2
    return 1
}

wait_actual() { # name KiB [tenths]
    local i
    for i in $(seq "${3:-200}"); do
        [ "$(actual_kib "$1")" = "$2" ] && return 0
        sleep 0.1
    done
    echo "actual of $1: $(actual_kib "$1"), wanted $2" >&2
    return 1
}

@test "vm: start, monitor depths 0, 10 and 20, stop of a cooperative guest" {
    xml a 512 coop
    run agent a monitor
    [ "$status" -eq 7 ]
    run agent a start OCF_RESKEY_min_memory=256
    [ "$status" -eq 0 ]
    [ "$(state a)" = running ]
    run agent a monitor
    [ "$status" -eq 0 ]
    # the config file gone (shared storage lost): a probe still finds the domain by the name
    # recorded at start, and does not call it stopped
    mv "$VMT/a.xml" "$VMT/a.xml.away"
    run agent a monitor
    mv "$VMT/a.xml.away" "$VMT/a.xml"
    [ "$status" -eq 0 ]
    [[ "$output" == *"using domain baton-t-a recorded at start"* ]]
    # while the guest boots, depth 10 accepts missing statistics (boot_grace) ...
    run agent a monitor OCF_CHECK_LEVEL=10
    [ "$status" -eq 0 ]
    wait_ready a
    # ... and then requires fresh ones
    run agent a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_CRM_meta_interval=30000
    [ "$status" -eq 0 ]
    # depth 20 with nothing listening in the guest: within boot_grace of the start the
    # service may still be coming up (logged, not a failure) ...
    run agent a monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_health_tcp=127.0.0.1:9 OCF_RESKEY_health_timeout=1
    [ "$status" -eq 0 ]
    [[ "$output" == *"health check failed "*" s after start, within boot_grace"* ]]
    # ... after it, the health check fails with a reason
    run agent a monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_health_tcp=127.0.0.1:9 OCF_RESKEY_health_timeout=1 \
        OCF_RESKEY_boot_grace=0
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:domain baton-t-a: health check"* ]]
    # ... and so does one of a service that has answered since the start, grace or not
    python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 19876)); s.listen(); time.sleep(30)' &
    local listener=$!
    sleep 0.5
    run agent a monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_health_tcp=127.0.0.1:19876 OCF_RESKEY_health_timeout=1
    kill "$listener"; wait "$listener" 2>/dev/null || true
    [ "$status" -eq 0 ]
    run agent a monitor OCF_CHECK_LEVEL=20 OCF_RESKEY_health_tcp=127.0.0.1:19876 OCF_RESKEY_health_timeout=1
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:domain baton-t-a: health check"* ]]
    run agent a start
    [ "$status" -eq 0 ]                              # already running: idempotent
    t0=$(date +%s%N)
    run agent a stop OCF_RESKEY_CRM_meta_timeout=60000
    t1=$(date +%s%N)
    echo "$output"
    [ "$status" -eq 0 ]
    stopped a
    echo "# graceful stop took $(( (t1 - t0) / 1000000 )) ms" >&3
    [ $(( (t1 - t0) / 1000000 )) -lt 10000 ]
    run agent a monitor
    [ "$status" -eq 7 ]
    run agent a stop
    [ "$status" -eq 0 ]
}

@test "vm: ocf-tester passes" {
    xml t 256 coop
    run ocf-tester -n baton-t-t -o config="$VMT/t.xml" -o hypervisor=$URI -o shutdown_timeout=1 \
        -o host_reserve=0 "$AGENT"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"passed all tests"* ]]
}

@test "vm: the second VM fits only after the first balloons down; memory given back on stop" {
    xml a 512 coop
    xml b 512 coop
    # capacity 768 MiB: a (512, floor 256) alone fits; b (512) needs 256 MiB from a
    run agent a start OCF_RESKEY_host_memory=768 OCF_RESKEY_min_memory=256
    [ "$status" -eq 0 ]
    wait_ready a
    t0=$(date +%s%N)
    run agent b start OCF_RESKEY_host_memory=768
    t1=$(date +%s%N)
    echo "$output"
    [ "$status" -eq 0 ]
    echo "# start of b with a ballooned 512->256 MiB: $(( (t1 - t0) / 1000000 )) ms" >&3
    [ "$(actual_kib a)" = 262144 ]                   # confirmed before b started
    [ "$(state b)" = running ]
    [[ "$output" == *"balloon baton-t-a: reached 256 MiB"* ]]

    # a third VM cannot fit even at its floor: start fails, naming the shortfall, before starting
    xml c 512 coop
    run agent c start OCF_RESKEY_host_memory=768 OCF_RESKEY_min_memory=384
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:not enough memory for domain baton-t-c: 384 MiB short"* ]]
    [ "$(state c)" = gone ]
    [[ "$output" != *"give-back skipped"* ]]

    run agent b stop OCF_RESKEY_host_memory=768 OCF_RESKEY_shutdown_timeout=2
    [ "$status" -eq 0 ]
    wait_actual a 524288                             # grown back to its target
    run agent a stop OCF_RESKEY_host_memory=768
    [ "$status" -eq 0 ]
}

@test "vm: an uncooperative guest is detected, marked and left out of the plan" {
    xml u 512 uncoop
    xml a 512 coop
    xml b 512 coop
    # capacity 1280: u (prio 0) and a (prio 5) fit; b needs 256: u is asked first and never moves
    run agent u start OCF_RESKEY_host_memory=1280 OCF_RESKEY_min_memory=256 OCF_RESKEY_priority=0
    [ "$status" -eq 0 ]
    run agent a start OCF_RESKEY_host_memory=1280 OCF_RESKEY_min_memory=256 OCF_RESKEY_priority=5
    [ "$status" -eq 0 ]
    wait_ready u uncoop
    wait_ready a
    run agent b start OCF_RESKEY_host_memory=1280 OCF_RESKEY_balloon_timeout=4
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"balloon baton-t-u: did not move from 512 MiB"* ]]
    [ "$(actual_kib u)" = 524288 ]
    [ "$(actual_kib a)" = 262144 ]
    virsh -c $URI metadata baton-t-u urn:baton:vm:1 | grep -q 'uncooperative="1"'
    # depth 10 on a guest without balloon driver, after boot_grace: not alive
    run agent u monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_boot_grace=0
    [ "$status" -eq 1 ]
    [[ "$output" == *"delivers no balloon statistics"* ]]
}

@test "vm: a guest ignoring ACPI is destroyed within the stop budget" {
    xml u 256 uncoop
    run agent u start
    [ "$status" -eq 0 ]
    wait_ready u uncoop
    t0=$(date +%s%N)
    run agent u stop OCF_RESKEY_shutdown_timeout=3 OCF_RESKEY_CRM_meta_timeout=30000
    t1=$(date +%s%N)
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"destroying baton-t-u"* ]]
    stopped u
    ms=$(( (t1 - t0) / 1000000 ))
    echo "# stop of an ACPI-ignoring guest with shutdown_timeout=3: $ms ms" >&3
    [ "$ms" -ge 3000 ] && [ "$ms" -lt 8000 ]
}

@test "vm: libvirtd stopped: a monitor waits for it, then answers from QEMU's pid file; stop needs proof" {
    xml a 256 uncoop
    run agent a start
    [ "$status" -eq 0 ]
    libvirtd_stop
    # recurring monitor, 4 s timeout: waits half its time, then the live QEMU process says running
    run agent a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=4000
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"waiting up to"*"ms for the daemon"* ]]
    [[ "$output" == *"QEMU process"*"of domain baton-t-a is alive: running"* ]]
    run agent a monitor                              # probe: QEMU still runs, so not "stopped"
    [ "$status" -eq 1 ]
    [[ "$output" == *"QEMU process"*"is alive"* ]]
    [[ "$output" != *"waiting up to"* ]]             # a probe asks the pid files at once
    run agent a stop OCF_RESKEY_CRM_meta_timeout=4000
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$(tail -n 1 <<<"$output")" == *"domain baton-t-a is not known to be stopped (its QEMU process is alive)" ]]
    # the daemon restarts while a monitor waits for it: the monitor ends normally
    ( sleep 1.5; libvirtd_start ) &
    run agent a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=20000
    wait
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"connected to qemu:///system after"* ]]
    [ "$(state a)" = running ]
    run agent a stop OCF_RESKEY_force_stop=true
    [ "$status" -eq 0 ]
    # libvirtd down and the domain gone: a probe says 7, a stop proves it stopped
    libvirtd_stop
    run agent a monitor
    echo "$output"
    [ "$status" -eq 7 ]
    [[ "$output" == *"domain baton-t-a does not run on this node"* ]]
    run agent a stop OCF_RESKEY_CRM_meta_timeout=3000
    [ "$status" -eq 0 ]
    [[ "$output" == *"does not run on this node: stopped"* ]]
    libvirtd_start
}

@test "vm: libvirtd frozen (SIGSTOP): a monitor answers from QEMU's pid file at half its time; stop ends at its deadline" {
    xml a 256 uncoop
    local pid t0 took
    pid=$(cat "$LIBVIRTD_PIDFILE")
    # timeout 3 s: deadline 2.5 s (baton's margin), before keepalive (about 6 s) would notice;
    # the monitor's verdict comes at half of that
    kill -STOP "$pid"
    t0=$(date +%s%N)
    run agent a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=3000
    took=$(( ($(date +%s%N) - t0) / 1000000 ))
    kill -CONT "$pid"
    echo "$output"
    [ "$status" -eq 7 ]
    [ "$took" -ge 1200 ] && [ "$took" -lt 2500 ]
    [[ "$(tail -n 1 <<<"$output")" == "ocf-exit-reason:qemu:///system has not answered for "*" ms; domain baton-t-a does not run on this node" ]]
    run agent a start
    [ "$status" -eq 0 ]
    kill -STOP "$pid"
    # a running guest: the recurring monitor says running, with a warning; a probe cannot tell
    run agent a monitor OCF_RESKEY_CRM_meta_interval=10000 OCF_RESKEY_CRM_meta_timeout=3000
    local mon=$status mon_out=$output
    run agent a monitor OCF_RESKEY_CRM_meta_timeout=3000
    local probe=$status probe_out=$output
    # stop has no such answer: "stopped" needs proof, so the watchdog ends it at the deadline
    t0=$(date +%s%N)
    run agent a stop OCF_RESKEY_CRM_meta_timeout=3000
    took=$(( ($(date +%s%N) - t0) / 1000000 ))
    kill -CONT "$pid"
    echo "$mon_out"; echo "$probe_out"; echo "$output"
    [ "$mon" -eq 0 ]
    [[ "$mon_out" == *"WARNING: qemu:///system has not answered for "*"QEMU process"*"of domain baton-t-a is alive: running"* ]]
    [[ "$mon_out" != *"ocf-exit-reason"* ]]
    [ "$probe" -eq 1 ]
    [[ "$probe_out" == *"ocf-exit-reason:qemu:///system has not answered for "*"and QEMU process"*"is alive" ]]
    [ "$status" -eq 1 ]
    [ "$took" -ge 2400 ] && [ "$took" -lt 3000 ]
    [[ "$output" == *"ERROR: stop of domain baton-t-a did not finish before the operation's deadline"* ]]
    # the exit reason is the last line, where Pacemaker takes it from
    [ "$(tail -n 1 <<<"$output")" = "ocf-exit-reason:stop of domain baton-t-a did not finish before the operation's deadline" ]
    [ "$(state a)" = running ]
    run agent a stop OCF_RESKEY_force_stop=true
    [ "$status" -eq 0 ]
}

@test "vm: config unreadable and no record: stop and probe find the domain by its name or fail" {
    xml a 256 uncoop
    run agent a start
    [ "$status" -eq 0 ]
    # what start recorded is gone with /run (a reboot would take the domain too; a
    # careless clean-up does not), and the config's shared storage is lost
    rm -f "$BATON_RUN_DIR/vm/a.domain"
    mv "$VMT/a.xml" "$VMT/a.xml.away"
    # nothing names the domain: a guest runs here, so neither "stopped" nor "not running"
    run agent a monitor
    echo "$output"
    [ "$status" -eq 5 ]
    [[ "$output" == *"ocf-exit-reason:config $VMT/a.xml cannot be read"*"nobody can tell"* ]]
    run agent a stop
    [ "$status" -eq 5 ]
    [ "$(state a)" = running ]
    # the domain parameter names it: the probe sees it, the stop stops it
    run agent a monitor OCF_RESKEY_domain=baton-t-a
    [ "$status" -eq 0 ]
    [[ "$output" == *"using domain baton-t-a from the domain parameter"* ]]
    run agent a stop OCF_RESKEY_domain=baton-t-a OCF_RESKEY_force_stop=true
    [ "$status" -eq 0 ]
    stopped a
    # with no guest at all on the host, the same probe and stop have their proof
    [ -z "$(virsh -c $URI list --name | tr -d '[:space:]')" ]
    run agent a monitor
    [ "$status" -eq 7 ]
    run agent a stop
    [ "$status" -eq 0 ]
    mv "$VMT/a.xml.away" "$VMT/a.xml"
}

@test "vm: a start that cannot record the domain for stop fails and starts nothing" {
    xml a 256 uncoop
    mkdir -p "$BATON_RUN_DIR"
    rm -rf "$BATON_RUN_DIR/vm"
    : >"$BATON_RUN_DIR/vm"          # not a directory: nothing can be recorded below it
    run agent a start
    rm -f "$BATON_RUN_DIR/vm"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:cannot record the domain name in $BATON_RUN_DIR/vm"* ]]
    [ "$(state a)" = gone ]
}

# ---------------------------------------------------------------- issue 15: VirtualDomain's parameters

@test "vm: migrate_options, migrateport and migration_user are checked at validate-all" {
    xml a 256 uncoop
    run agent a validate-all OCF_RESKEY_migrate_options="--unsafe --compressed --auto-converge --postcopy --tls --abort-on-error --persistent --undefinesource --parallel --parallel-connections 4 --bandwidth=100" \
        OCF_RESKEY_migrateport=49152 OCF_RESKEY_migration_user=ha
    echo "$output"
    [ "$status" -eq 0 ]
    run agent a validate-all OCF_RESKEY_migrate_options="--unsafe --frobnicate"
    [ "$status" -eq 6 ]
    [[ "$output" == *"ocf-exit-reason:migrate_options: '--frobnicate' is not a virsh migrate option"* ]]
    run agent a validate-all OCF_RESKEY_migrate_options="--dname other"
    [ "$status" -eq 6 ]
    [[ "$output" == *"'--dname' is refused"* ]]
    run agent a validate-all OCF_RESKEY_migrate_options="--compressed; reboot"
    [ "$status" -eq 6 ]
    run agent a validate-all OCF_RESKEY_migrate_options='--graphicsuri "$(id)"'
    [ "$status" -eq 6 ]
    [[ "$output" == *"is not interpreted (options are split at blanks, without a shell)"* ]]
    run agent a validate-all OCF_RESKEY_migration_user=ha OCF_RESKEY_remoteuri=qemu+ssh://%n/system
    [ "$status" -eq 6 ]
    run agent a validate-all OCF_RESKEY_sync_config_on_stop=true
    [ "$status" -eq 6 ]
    [[ "$output" == *"csync2 has no library"* ]]
    # a stop is never refused for them
    run agent a stop OCF_RESKEY_migrate_options="--frobnicate"
    [ "$status" -eq 0 ]
}

@test "vm: start_resources starts an inactive network; save_config_on_stop writes the config" {
    local net=baton-t-net
    virsh -c $URI net-destroy $net >/dev/null 2>&1 || true
    virsh -c $URI net-undefine $net >/dev/null 2>&1 || true
    # a network on a bridge of the host: starting it needs no firewall (no iptables here)
    ip link del batontnet0 2>/dev/null || true
    ip link add batontnet0 type bridge
    printf "<network><name>%s</name><forward mode='bridge'/><bridge name='batontnet0'/></network>\n" $net \
        > "$VMT/net.xml"
    virsh -c $URI net-define "$VMT/net.xml"
    [ "$(virsh -c $URI net-info $net | awk '$1=="Active:"{print $2}')" = no ]
    xml a 256 uncoop
    sed -i "s|  </devices>|    <interface type='network'><source network='$net'/><model type='virtio'/></interface>\n  </devices>|" "$VMT/a.xml"
    ! grep -q '<uuid>' "$VMT/a.xml" || false
    chmod 0640 "$VMT/a.xml"
    # without start_resources libvirt refuses the inactive network
    run agent a start
    [ "$status" -eq 1 ]
    [ "$(state a)" = gone ]
    run agent a start OCF_RESKEY_start_resources=true OCF_RESKEY_save_config_on_stop=true
    echo "$output"
    virsh -c $URI net-info $net
    [ "$status" -eq 0 ]
    [[ "$output" == *"starting network $net"* ]]
    [ "$(virsh -c $URI net-info $net | awk '$1=="Active:"{print $2}')" = yes ]
    [ "$(state a)" = running ]
    # a device attached to the running guest survives its stop in the file
    truncate -s 1M "$VMT/extra.img"
    virsh -c $URI attach-disk baton-t-a "$VMT/extra.img" vdz --targetbus virtio --live
    run agent a stop OCF_RESKEY_save_config_on_stop=true OCF_RESKEY_CRM_meta_timeout=30000 OCF_RESKEY_force_stop=true
    echo "$output"
    [ "$status" -eq 0 ]
    stopped a
    [[ "$output" == *"saved the configuration of domain baton-t-a to $VMT/a.xml"* ]]
    grep -q '<uuid>' "$VMT/a.xml"
    grep -q "target dev=\"vdz\"" "$VMT/a.xml"
    ! grep -q 'urn:baton:vm:1' "$VMT/a.xml" || false
    [ "$(stat -c %a "$VMT/a.xml")" = 640 ]
    [ -z "$(find "$VMT" -maxdepth 1 -name 'a.xml.tmp.*')" ]     # no temporary file left
    virsh -c $URI net-destroy $net
    virsh -c $URI net-undefine $net
    ip link del batontnet0
}

@test "vm: snapshot: stop saves the guest, start restores it and consumes the image" {
    mkdir -p "$VMT/snap"
    xml a 256 coop
    run agent a start OCF_RESKEY_snapshot="$VMT/snap"
    [ "$status" -eq 0 ]
    wait_ready a
    run agent a stop OCF_RESKEY_snapshot="$VMT/snap" OCF_RESKEY_CRM_meta_timeout=60000
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"domain baton-t-a saved to $VMT/snap/baton-t-a.state"* ]]
    [[ "$output" != *"requesting shutdown"* ]]
    stopped a
    [ -s "$VMT/snap/baton-t-a.state" ]
    run agent a monitor OCF_RESKEY_snapshot="$VMT/snap"
    [ "$status" -eq 7 ]
    run agent a start OCF_RESKEY_snapshot="$VMT/snap"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"domain baton-t-a restored; image $VMT/snap/baton-t-a.state removed"* ]]
    [ ! -e "$VMT/snap/baton-t-a.state" ]
    # restored, not booted: libvirt records the reason (a fresh start says "booted")
    virsh -c $URI domstate --reason baton-t-a | grep -q 'running (restored)'
    run agent a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_snapshot="$VMT/snap"
    [ "$status" -eq 0 ]
    run agent a stop OCF_RESKEY_force_stop=true
    [ "$status" -eq 0 ]
    stopped a
}

@test "vm: snapshot: a failed restore fails the start and keeps the image" {
    mkdir -p "$VMT/snap"
    xml a 256 uncoop
    echo garbage > "$VMT/snap/baton-t-a.state"
    run agent a start OCF_RESKEY_snapshot="$VMT/snap"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:cannot restore domain baton-t-a from $VMT/snap/baton-t-a.state"*"the image is kept"* ]]
    [ -e "$VMT/snap/baton-t-a.state" ]
    [ "$(state a)" = gone ]
    rm -f "$VMT/snap/baton-t-a.state"
    run agent a validate-all OCF_RESKEY_snapshot="$VMT/snap" OCF_RESKEY_force_stop=true
    [ "$status" -eq 6 ]
}
