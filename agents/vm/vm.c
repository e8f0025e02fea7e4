/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:vm - a libvirt virtual machine with memory ballooning.
 * The actions are in vm-actions.c (validate in vm-validate.c); see README.md
 * in this directory.
 */
#include <signal.h>

#include <baton/agent.h>

#include "vm-actions.h"
#include "vm-migrate.h"

extern const baton_metadata vm_metadata;    /* compiled from xml-metadata/vm.xml */

static const baton_action vm_actions[] = {
    { .name = "start", .fn = vm_start },
    { .name = "stop", .fn = vm_stop },
    { .name = "monitor", .fn = vm_monitor },
    { .name = "reload-agent", .fn = vm_reload_agent },
    { .name = "migrate_to", .fn = vm_migrate_to },
    { .name = "migrate_from", .fn = vm_migrate_from },
};

int main(int argc, char **argv)
{
    struct sigaction ign = { .sa_handler = SIG_IGN };
    const baton_agent agent = {
        .name = "vm",
        .metadata = &vm_metadata,
        .actions = vm_actions,
        .n_actions = sizeof(vm_actions) / sizeof(vm_actions[0]),
        .validate = vm_validate,
        .prove_stopped = vm_prove_stopped,
    };

    /*
     * libvirt's client writes to the daemon's socket from whichever thread
     * holds the connection (the keepalive event loop's too): a daemon that
     * closed it must make the call fail with EPIPE, not end the agent by
     * SIGPIPE (a probe was seen "interrupted by Broken pipe signal" in the
     * lab). Set before any thread exists; libbaton's command API gives the
     * children the default disposition back.
     */
    if (sigaction(SIGPIPE, &ign, NULL) < 0)
        return BATON_OCF_ERR_GENERIC;
    return baton_agent_main(&agent, argc, argv);
}
