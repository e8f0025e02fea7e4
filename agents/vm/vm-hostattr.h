/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What each host tells the cluster about its VM memory: the transient node
 * attribute baton-vm-host, written by the vm agent (monitor, start, stop) and
 * read by the cluster-wide forecast (vm-forecast.h, baton-vm-capacity cluster).
 * Pure encode/decode; the value is the planner's own input, so the forecast
 * plans with exactly the numbers the agent would.
 *
 * Value, version 1 (one line, fields separated by single spaces):
 *
 *     1 cap=<KiB> <vm> <vm> ...
 *     <vm> = <resource>:<domain>:<current KiB>:<floor KiB>:<target KiB>:<priority>:<c|u>
 *
 * cap is the host's usable VM memory (host_memory or the node's memory, minus
 * host_reserve). resource is the Pacemaker resource (clone suffix removed)
 * that started the domain, "-" for a domain no vm resource started (never
 * restarted elsewhere, never shrunk). c = cooperative (the planner may
 * balloon it), u = not. resource and domain are percent-encoded: every byte
 * outside [A-Za-z0-9._-] is written %XX. VMs are sorted by domain name, so
 * the value changes only when the numbers do. Example:
 *
 *     1 cap=7340032 db:db:2097152:1048576:2097152:10:c -:other:524288:524288:524288:0:u
 *
 * A reader refuses another leading version (a later format may change the
 * meaning of the fields) rather than plan with it.
 */
#ifndef BATON_VM_HOSTATTR_H
#define BATON_VM_HOSTATTR_H

#include <stddef.h>
#include <stdint.h>

#include "vm-plan.h"

#define VM_HOSTATTR_NAME "baton-vm-host"
#define VM_HOSTATTR_VERSION 1

typedef struct vm_hostattr_vm {
    char *resource;             /* NULL: no vm resource started it */
    vm_plan_vm vm;              /* vm.name is owned (cast away const on free) */
} vm_hostattr_vm;

typedef struct vm_hostattr {
    uint64_t capacity_kib;
    vm_hostattr_vm *vms;
    size_t n;
} vm_hostattr;

/*
 * The value for a host of capacity_kib with the n VMs vms (the planner's
 * view, vm_host_to_plan) started by resources[i] (NULL entries, or resources
 * NULL: none). Newly allocated; NULL on ENOMEM or invalid input (NULL name).
 */
char *vm_hostattr_encode(uint64_t capacity_kib, const vm_plan_vm *vms, const char *const *resources, size_t n);

/*
 * Parse a value. 0; -EPROTONOSUPPORT for another version; -EINVAL when
 * malformed; -ERANGE for sizes above VM_PLAN_MAX_KIB or too many VMs;
 * -ENOMEM. *ret is initialised first; release it with vm_hostattr_clear().
 */
int vm_hostattr_decode(const char *s, vm_hostattr *ret);
void vm_hostattr_clear(vm_hostattr *h);

#endif /* BATON_VM_HOSTATTR_H */
