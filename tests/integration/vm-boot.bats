#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vm boot-storm control (boot_slots) and guests that hang while or after booting,
# against a real libvirtd + QEMU (TCG) and the tiny guests of tests/vm/guest-image.sh.
# Needs root. BATON_BUILDDIR: the build tree (default: the source tree).

VM_TEST_NAME=vm-boot-test
load lib/vm-agent

teardown() {
    local p
    # agents started in the background by a test that failed half-way
    for p in $(cat "$VMT"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    rm -f "$VMT"/*.pid
    vm_destroy_test_domains
}

# agent_bg RESOURCE ACTION [VAR=value...]: the same in the background; output in
# $VMT/RESOURCE.out, exit status in $VMT/RESOURCE.rc when done
agent_bg() {
    local res=$1
    rm -f "$VMT/$res.rc"
    ( agent "$@" > "$VMT/$res.out" 2>&1; echo $? > "$VMT/$res.rc" ) &
    echo $! > "$VMT/$res.pid"
}

# wait_bg RESOURCE [tenths]: wait for a background agent; prints its exit status
wait_bg() {
    local i
    for i in $(seq "${2:-1200}"); do
        [ -s "$VMT/$1.rc" ] && { rm -f "$VMT/$1.pid"; cat "$VMT/$1.rc"; return 0; }
        sleep 0.1
    done
    echo "agent for $1 did not finish" >&2
    return 1
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
alive() { local l; l=$(last_update "$1"); [ -n "$l" ] && [ "$l" -gt 0 ]; }

wait_alive() {
    local i
    for i in $(seq 600); do
        alive "$1" && return 0
        sleep 0.1
    done
    echo "guest $1 delivered no statistics within 60 s" >&2
    return 1
}

@test "vm boot: boot_slots=1, two guests started at once boot one after the other" {
    xml a 256 coop
    xml b 256 coop
    agent_bg a start OCF_RESKEY_boot_slots=1 OCF_RESKEY_CRM_meta_timeout=120000
    agent_bg b start OCF_RESKEY_boot_slots=1 OCF_RESKEY_CRM_meta_timeout=120000
    # watch both, round by round: when each domain appears and when each guest first reports
    # statistics. Existence is looked at before liveness in every round: a domain seen in
    # round k was created before the liveness checks of round k, so if the second guest is
    # seen in round k, the first must be seen alive in round k or earlier.
    local i t
    declare -A seen alive_r alive_t seen_t
    for i in $(seq 1500); do
        t=$(now_ms)
        for g in a b; do
            [ -z "${seen[$g]:-}" ] && [ "$(state $g)" != gone ] && { seen[$g]=$i; seen_t[$g]=$t; }
        done
        for g in a b; do
            [ -z "${alive_r[$g]:-}" ] && alive $g && { alive_r[$g]=$i; alive_t[$g]=$(now_ms); }
        done
        [ -n "${alive_r[a]:-}" ] && [ -n "${alive_r[b]:-}" ] && break
        sleep 0.05
    done
    [ "$(wait_bg a)" = 0 ]
    [ "$(wait_bg b)" = 0 ]
    cat "$VMT/a.out" "$VMT/b.out"
    [ -n "${alive_r[a]:-}" ] && [ -n "${alive_r[b]:-}" ] && [ -n "${seen[a]:-}" ] && [ -n "${seen[b]:-}" ]
    # exactly one waited for the other, and said so
    if grep -q "waiting for a boot slot" "$VMT/b.out"; then first=a second=b; else first=b second=a; fi
    ! grep -q "waiting for a boot slot" "$VMT/$first.out"
    grep -q "waiting for a boot slot: 1 guest(s) booting (baton-t-$first), limit 1" "$VMT/$second.out"
    grep -q "domain baton-t-$second got a boot slot after waiting [0-9]* ms" "$VMT/$second.out"
    echo "# boot_slots=1: $first alive $(( alive_t[$first] - seen_t[$first] )) ms after it appeared;" \
         "$second appeared $(( seen_t[$second] - alive_t[$first] )) ms after that (rounds ${alive_r[$first]}, ${seen[$second]})" >&3
    [ "${seen[$second]}" -ge "${alive_r[$first]}" ]
    [ "${seen[$second]}" -gt "${seen[$first]}" ]
    [ "$(state a)" = running ]
    [ "$(state b)" = running ]
    run agent a monitor OCF_CHECK_LEVEL=10
    [ "$status" -eq 0 ]
    run agent b monitor OCF_CHECK_LEVEL=10
    [ "$status" -eq 0 ]
}

@test "vm boot: a guest that never comes alive holds its slot only for its own boot_grace" {
    xml u 256 uncoop
    xml a 256 coop
    run agent u start OCF_RESKEY_boot_slots=1 OCF_RESKEY_boot_grace=6
    [ "$status" -eq 0 ]
    virsh -c $URI metadata baton-t-u urn:baton:vm:1 | grep -q "boot-grace=\"6\""
    # a's own boot_grace (120 s) does not matter: u is judged by its recorded budget
    t0=$(now_ms)
    run agent a start OCF_RESKEY_boot_slots=1 OCF_RESKEY_CRM_meta_timeout=60000
    t1=$(now_ms)
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"waiting for a boot slot: 1 guest(s) booting (baton-t-u), limit 1"* ]]
    [[ "$output" == *"domain baton-t-a got a boot slot after waiting"* ]]
    waited=$(echo "$output" | sed -n 's/.*got a boot slot after waiting \([0-9]*\) ms.*/\1/p')
    echo "# start of a behind a silent guest with boot_grace=6: waited $waited ms, start took $(( t1 - t0 )) ms" >&3
    # started-time granularity is 1 s: the slot frees between 5 and 6 s after u's start
    # (plus polling; the bound is loose for a loaded host)
    [ "$waited" -ge 3000 ] && [ "$waited" -lt 9000 ]
    [ $(( t1 - t0 )) -lt 20000 ]
    [ "$(state u)" = running ]                       # freed by its budget, not by dying
    [ "$(state a)" = running ]
    # with two slots nobody waits
    xml c 256 coop
    run agent c start OCF_RESKEY_boot_slots=2
    [ "$status" -eq 0 ]
    [[ "$output" != *"waiting for a boot slot"* ]]
}

@test "vm boot: no slot before the deadline: start fails naming the booting guest, creates nothing" {
    xml u 256 uncoop
    xml a 256 coop
    run agent u start OCF_RESKEY_boot_grace=300
    [ "$status" -eq 0 ]
    t0=$(now_ms)
    run agent a start OCF_RESKEY_boot_slots=1 OCF_RESKEY_CRM_meta_timeout=9000
    t1=$(now_ms)
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:no boot slot for domain baton-t-a after waiting "*" ms: 1 guest(s) booting (baton-t-u), limit 1"* ]]
    echo "# start without a slot gave up after $(( t1 - t0 )) ms (timeout 9 s)" >&3
    [ $(( t1 - t0 )) -lt 9000 ]
    [ "$(state a)" = gone ]
    # the slot is freed at once when the booting guest goes away
    run agent u stop OCF_RESKEY_force_stop=true
    [ "$status" -eq 0 ]
    run agent a start OCF_RESKEY_boot_slots=1 OCF_RESKEY_CRM_meta_timeout=9000
    [ "$status" -eq 0 ]
    [[ "$output" != *"waiting for a boot slot"* ]]
}

@test "vm boot: stop of a guest still booting: the shutdown request is repeated, no destroy" {
    xml a 256 coop
    run agent a start
    [ "$status" -eq 0 ]
    # at once: the guest has no ACPI handler yet and misses the first request
    t0=$(now_ms)
    run agent a stop OCF_RESKEY_shutdown_timeout=80 OCF_RESKEY_CRM_meta_timeout=120000
    t1=$(now_ms)
    echo "$output"
    [ "$status" -eq 0 ]
    stopped a
    echo "# graceful stop of a booting guest: $(( t1 - t0 )) ms" >&3
    [[ "$output" == *"requesting shutdown of baton-t-a"* ]]
    [[ "$output" == *"domain baton-t-a still running after 1 shutdown request(s): asking again"* ]]
    [[ "$output" != *"destroying"* ]]
}

@test "vm boot: a guest hung after boot (kernel panic without pvpanic) fails the depth 10 monitor; stop destroys it at once" {
    xml a 256 coop
    # an NMI of unknown reason makes this kernel panic; the panicked guest stays "running"
    sed -i 's|<cmdline>console=ttyS0 quiet</cmdline>|<cmdline>console=ttyS0 quiet unknown_nmi_panic=1</cmdline>|' "$VMT/a.xml"
    grep -q unknown_nmi_panic=1 "$VMT/a.xml"
    run agent a start OCF_RESKEY_stats_period=1
    [ "$status" -eq 0 ]
    wait_alive a
    run agent a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_stats_period=1
    [ "$status" -eq 0 ]
    virsh -c $URI inject-nmi baton-t-a
    # stale after 3 periods + 5 s
    for i in $(seq 40); do
        run agent a monitor OCF_CHECK_LEVEL=10 OCF_RESKEY_stats_period=1
        [ "$status" -ne 0 ] && break
        sleep 0.5
    done
    echo "$output"
    [ "$status" -eq 1 ]
    [[ "$output" == *"ocf-exit-reason:domain baton-t-a: the guest's last balloon statistics are "*" s old (hung?)"* ]]
    [ "$(state a)" = running ]                       # libvirt alone would not notice
    grep -q "Kernel panic" "$VMT/baton-t-a.console.log"
    # stop sends no shutdown request to a hung kernel: it destroys at once, whatever
    # shutdown_timeout allows (here: all of the 60 s timeout)
    t0=$(now_ms)
    run agent a stop OCF_RESKEY_stats_period=1 OCF_RESKEY_CRM_meta_timeout=60000
    t1=$(now_ms)
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"balloon statistics are "*" s old: its kernel is hung, no shutdown request"* ]]
    [[ "$output" != *"requesting shutdown"* ]]
    [[ "$output" == *"destroying baton-t-a"* ]]
    stopped a
    echo "# stop of a hung guest: $(( t1 - t0 )) ms" >&3
    [ $(( t1 - t0 )) -lt 30000 ]
}
