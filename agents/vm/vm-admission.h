/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Admission control's edge in the agent: publish this host's baton-vm-host
 * attribute (vm-hostattr.h) and keep the cluster's answer current on every
 * node: baton-failover-ok (1: if this node failed now, all its VMs would
 * start again elsewhere; 0: not) and baton-failover-headroom-mib (vm-forecast.h).
 *
 * When: start and stop (force: placement changed), and the monitor, which
 * looks at the host at most every VM_ADM_CHECK_S seconds (a migration, a
 * balloon moved by hand, a changed host_reserve) and recomputes the forecast
 * when the host's value changed, and otherwise (other nodes' changes, nodes
 * joining or leaving, new constraints) every VM_ADM_FORECAST_S seconds on
 * the cluster's forecaster (vm_cib_forecaster, as the last forecast found
 * it) and every VM_ADM_REPUBLISH_S seconds on the other hosts. An
 * unchanged value is written again when that forecast finds the CIB without
 * it (an attribute manager that restarted lost it), and every
 * VM_ADM_REPUBLISH_S seconds. Best effort: it never fails the
 * action, and it uses at most half of the action's remaining time.
 */
#ifndef BATON_VM_ADMISSION_H
#define BATON_VM_ADMISSION_H

#include <stdbool.h>

#include <libvirt/libvirt.h>

#include <baton/agent.h>

#define VM_ADM_CHECK_S 10
#define VM_ADM_FORECAST_S 60
#define VM_ADM_REPUBLISH_S 600

void vm_admission_update(baton_ctx *ctx, virConnectPtr conn, bool force);

#endif /* BATON_VM_ADMISSION_H */
