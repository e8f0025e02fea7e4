/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vm agent's actions, separate from main() so that unit tests can run them. */
#ifndef BATON_VM_ACTIONS_H
#define BATON_VM_ACTIONS_H

#include <stdint.h>
#include <sys/types.h>

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
/*
 * Connect to the hypervisor parameter's URI, waiting for a libvirtd that is
 * not running (vm_ctx_conn_open_waiting); an OCF code, with the reason set on
 * failure (vm-reach.c, as the five below, down to vm_monitor_verdict_clear).
 */
int vm_ctx_connect(baton_ctx *ctx, virConnectPtr *ret);
/*
 * vm_conn_open to uri; a daemon not running (-ECONNREFUSED) is asked again
 * every 0.5 s for at most half the action's remaining time (30 s at most),
 * except by a probe. 0, or vm_conn_open's error with *ret_err.
 */
int vm_ctx_conn_open_waiting(baton_ctx *ctx, const char *uri, virConnectPtr *ret, char **ret_err);
/*
 * Whether domain name runs here, asked without libvirt: 1 (its QEMU process
 * *ret_pid lives), 0 provably not, -ENOENT when nothing here can tell.
 */
int vm_domain_alive_without_hypervisor(const char *uri, const char *name, pid_t *ret_pid);
/* The monitor's answer when libvirt stayed unreachable (err: why); an OCF code. */
int vm_monitor_without_hypervisor(baton_ctx *ctx, const char *uri, const char *err);
/*
 * While libvirt may not answer: let the watchdog answer for the monitor from
 * the host's QEMU processes when it has not finished by half its remaining
 * time (after vm_ctx_watchdog); clear it for checks that are not libvirt's.
 */
void vm_monitor_verdict_arm(baton_ctx *ctx);
void vm_monitor_verdict_clear(void);
/* Arm the process watchdog at the action's deadline, naming what and the domain. */
void vm_ctx_watchdog(baton_ctx *ctx, const char *what);
/* Record that this node runs the resource's domain (<run dir>/vm/<resource>.domain); an OCF code. */
int vm_ctx_state_write(baton_ctx *ctx);
/* An integer MiB parameter in KiB (0 when unset or <= 0). */
uint64_t vm_ctx_param_kib(baton_ctx *ctx, const char *name);

/* For tests: do not arm the process watchdog (it would end the test runner). */
void vm_actions_set_watchdog(bool enabled);

#endif /* BATON_VM_ACTIONS_H */
