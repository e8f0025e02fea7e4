/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's VMs as the memory planner needs them, and ballooning: apply a
 * plan, confirm it from the balloons' actual sizes, hand memory back.
 */
#ifndef BATON_VM_MEMORY_H
#define BATON_VM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include <baton/deadline.h>

#include "vm.h"
#include "vm-boot.h"
#include "vm-plan.h"

typedef struct vm_host_vm {
    char *name;
    virDomainPtr dom;
    uint64_t actual_kib;        /* balloon actual (what the guest gave up to) */
    uint64_t max_kib;
    uint64_t last_update;       /* guest statistics time, 0 = none (no driver) */
    bool managed;               /* carries a baton policy record */
    bool excluded;              /* did not reach its target in this round */
    vm_policy policy;
} vm_host_vm;

typedef struct vm_host {
    vm_host_vm *vms;
    size_t n;
    uint64_t node_kib;          /* the node's memory (virNodeGetInfo) */
    unsigned node_cpus;         /* the node's CPU count (virNodeGetInfo) */
} vm_host;

/* Balloon actual size and statistics time. 0 or -EIO. */
int vm_memory_stats(virDomainPtr dom, uint64_t *ret_actual_kib, uint64_t *ret_last_update);
/* 0, -ENOENT (no record) or -EIO. */
int vm_policy_get(virDomainPtr dom, vm_policy *ret);
/* On the live domain only: the XML file and any persistent definition stay untouched. */
int vm_policy_set(virDomainPtr dom, const vm_policy *p);

/*
 * Every active domain except exclude (may be NULL). With stats, each balloon's
 * size and statistics time come from the guest's QEMU (a round trip into each,
 * slow while guests boot on a loaded host); without, the size is libvirt's own
 * record of the balloon (virDomainGetInfo, kept current by QEMU's balloon
 * events) and last_update is 0. 0 or -EIO with *ret_err.
 */
int vm_host_collect(virConnectPtr conn, const char *exclude, bool stats, vm_host *ret, char **ret_err);
void vm_host_clear(vm_host *h);
/* Usable capacity: host_kib (0 = the node's memory) minus reserve_kib. */
uint64_t vm_host_capacity_kib(const vm_host *h, uint64_t host_kib, uint64_t reserve_kib);
/* Fill out[h->n] for the planner (unmanaged domains: fixed and uncooperative). */
void vm_host_to_plan(const vm_host *h, vm_plan_vm *out);

/*
 * The host's baton-vm-host value (vm-hostattr.h): the planner's view of every
 * domain (vm_host_to_plan) and the resource that started it. NULL on ENOMEM.
 */
char *vm_host_attr_value(const vm_host *h, uint64_t capacity_kib);

/* The guests holding a boot slot; the list owns their names. */
typedef struct vm_boot_list {
    vm_boot_guest *guests;
    size_t n;
} vm_boot_list;

/*
 * The active domains (exclude left out) holding a boot slot at Unix time now
 * (vm-boot.h), for a start polling for a slot with dozens of guests on the
 * host. Asks only what can change the answer: each domain's policy record
 * (libvirtd alone), the balloon statistics (a round trip into the guest's
 * QEMU) only of a guest still within its budget, and nothing of a domain in
 * *alive, to which the guests found alive are added. 0, or -EIO / -ENOMEM
 * with *ret_err.
 */
int vm_host_booting(virConnectPtr conn, const char *exclude, int64_t now, int64_t default_budget_s,
                    vm_boot_seen *alive, vm_boot_list *ret, char **ret_err);
void vm_boot_list_clear(vm_boot_list *l);

/*
 * Set every change of plan on the live domains and wait (until timeout_ms or
 * the deadline) for the balloons to reach the new sizes, within
 * VM_BALLOON_SLACK_KIB. Guests that did not get there are marked excluded;
 * those whose balloon did not move at all are also recorded as
 * uncooperative in their policy record. actual_kib is updated for all.
 * Returns the number of changes not confirmed.
 */
#define VM_BALLOON_SLACK_KIB 1024
size_t vm_balloon_apply(vm_host *h, const vm_plan *plan, bool confirm, int64_t timeout_ms,
                        baton_deadline deadline);

#endif /* BATON_VM_MEMORY_H */
