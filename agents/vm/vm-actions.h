/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vm agent's actions, separate from main() so that unit tests can run them. */
#ifndef BATON_VM_ACTIONS_H
#define BATON_VM_ACTIONS_H

#include <baton/agent.h>

int vm_validate(baton_ctx *ctx);
int vm_start(baton_ctx *ctx);
int vm_stop(baton_ctx *ctx);
int vm_monitor(baton_ctx *ctx);
int vm_reload_agent(baton_ctx *ctx);

/* The resolved domain name (after vm_validate). */
const char *vm_ctx_domain_name(baton_ctx *ctx);

/* For tests: do not arm the process watchdog (it would end the test runner). */
void vm_actions_set_watchdog(bool enabled);

#endif /* BATON_VM_ACTIONS_H */
