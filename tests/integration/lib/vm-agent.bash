# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# What the vm agent's bats files share: a libvirtd for the file (lib/libvirtd.bash), the test
# guests (tests/vm/guest-image.sh), the agent from the build tree, and the domains named
# baton-t-* that a test starts. A file sets VM_TEST_NAME (its temporary directory's name)
# before "load lib/vm-agent" and defines its own teardown, which calls vm_destroy_test_domains.
#
#   xml NAME MiB coop|uncoop      write the domain XML $VMT/NAME.xml (domain baton-t-NAME)
#   agent RESOURCE ACTION [VAR=value...]
#                                 run the agent with OCF_RESKEY_config=$VMT/RESOURCE.xml
#   state NAME / stopped NAME     the domain's state ("gone" when libvirt has forgotten it)
#   last_update NAME              the guest's last balloon statistics time (0: never)

# (bats resolves "load" against the test file's directory, not this one)
source "$BATS_TEST_DIRNAME/lib/libvirtd.bash"
source "$BATS_TEST_DIRNAME/lib/test-hooks.bash"

SRCDIR=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILDDIR=${BATON_BUILDDIR:-$SRCDIR}
AGENT=$BUILDDIR/agents/vm/vm
URI=qemu:///system

setup_file() {
    [ "$(id -u)" = 0 ] || skip "needs root"
    export BATON_TEST_CACHE=${BATON_TEST_CACHE:-/var/cache/baton-test}
    "$SRCDIR/tests/vm/guest-image.sh" >/dev/null
    export VMT=$(mktemp -d "/tmp/baton-${VM_TEST_NAME:-vm-test}.XXXXXX")
    export BATON_RUN_DIR=$VMT/run
    export BATON_VM_LOGDIR=$VMT     # the guests' console logs (tests/vm/guest-image.sh)
    test_hooks_on
    libvirtd_up
}

teardown_file() {
    libvirtd_down
    test_hooks_off
    [ -n "${VMT:-}" ] && rm -rf "$VMT"
}

setup() {
    [ -x "$AGENT" ] || skip "agent not built: $AGENT"
}

vm_destroy_test_domains() {
    local d
    for d in $(virsh -c $URI list --name 2>/dev/null | grep '^baton-t-'); do
        virsh -c $URI destroy "$d" >/dev/null 2>&1 || true
    done
}

xml() {
    "$SRCDIR/tests/vm/guest-image.sh" xml "baton-t-$1" "$2" "$3" > "$VMT/$1.xml"
    echo "$VMT/$1.xml"
}

agent() {
    local res=$1 action=$2
    shift 2
    env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE="$res" OCF_RESKEY_config="$VMT/$res.xml" \
        OCF_RESKEY_hypervisor=$URI OCF_RESKEY_host_reserve=0 HA_LOGFACILITY=none "$@" "$AGENT" "$action"
}

last_update() { virsh -c $URI dommemstat "baton-t-$1" 2>/dev/null | awk '$1=="last_update"{print $2}'; }
# virsh prints an empty line before its error: take the text only when it succeeded
state() { local s; if s=$(virsh -c $URI domstate "baton-t-$1" 2>/dev/null); then echo "$s" | head -1; else echo gone; fi; }
# a transient domain is "shut off" for a moment before libvirt forgets it
stopped() { local s; s=$(state "$1"); [ "$s" = gone ] || [ "$s" = "shut off" ]; }
