/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vm agent's actions, separate from main() so that unit tests can run them. */
#ifndef BATON_VM_ACTIONS_H
#define BATON_VM_ACTIONS_H

#include <stdint.h>

#include <libvirt/libvirt.h>

#include <baton/agent.h>

int vm_validate(baton_ctx *ctx);
/* The agent's prove_stopped hook: proof that no domain of this resource runs here. */
int vm_prove_stopped(baton_ctx *ctx);
int vm_start(baton_ctx *ctx);
int vm_stop(baton_ctx *ctx);
int vm_monitor(baton_ctx *ctx);
int vm_reload_agent(baton_ctx *ctx);

/* The resolved domain name (after vm_validate). */
const char *vm_ctx_domain_name(baton_ctx *ctx);

/*
 * Shared with vm-migrate.c and vm-utilization.c (same invocation state, one
 * definition of connecting, the watchdog and the run-directory record).
 */
/* Connect to the hypervisor parameter's URI; an OCF code, with the reason set on failure. */
int vm_ctx_connect(baton_ctx *ctx, virConnectPtr *ret);
/* Arm the process watchdog at the action's deadline, naming what and the domain. */
void vm_ctx_watchdog(baton_ctx *ctx, const char *what);
/* Record that this node runs the resource's domain (<run dir>/vm/<resource>.domain); an OCF code. */
int vm_ctx_state_write(baton_ctx *ctx);
/* An integer MiB parameter in KiB (0 when unset or <= 0). */
uint64_t vm_ctx_param_kib(baton_ctx *ctx, const char *name);

/* For tests: do not arm the process watchdog (it would end the test runner). */
void vm_actions_set_watchdog(bool enabled);

#endif /* BATON_VM_ACTIONS_H */
