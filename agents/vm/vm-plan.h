/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory planner of ocf:baton:vm: pure functions that decide which
 * running VMs give how much memory (balloon) so that another VM fits on this
 * host, and how freed memory is handed back. No I/O, no libvirt: the agent
 * gathers the facts, asks the planner, applies the answer.
 *
 * All sizes are in KiB (libvirt's unit).
 */
#ifndef BATON_VM_PLAN_H
#define BATON_VM_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The largest size the planner accepts (2^48 KiB = 256 PiB) and the most VMs:
 * with these limits no sum can overflow 64 bits.
 */
#define VM_PLAN_MAX_KIB (UINT64_C(1) << 48)
#define VM_PLAN_MAX_VMS 32768

/* One VM running on the host, as the planner sees it. */
typedef struct vm_plan_vm {
    const char *name;           /* domain name; orders ties (must be unique) */
    uint64_t current_kib;       /* what it holds now (balloon actual) */
    uint64_t floor_kib;         /* never balloon below (min_memory) */
    uint64_t target_kib;        /* the size it wants (give-back grows toward it) */
    int priority;               /* higher = shrunk later, grown earlier */
    bool cooperative;           /* false: never asked to move (no driver, unmanaged) */
} vm_plan_vm;

/* The VM about to start (or arrive by migration). */
typedef struct vm_plan_demand {
    const char *name;
    uint64_t want_kib;          /* its target size */
    uint64_t floor_kib;         /* the least it may start with (<= want_kib) */
    int priority;
} vm_plan_demand;

/* One balloon change: vms[index] goes from from_kib to to_kib. */
typedef struct vm_plan_change {
    size_t index;
    uint64_t from_kib;
    uint64_t to_kib;
} vm_plan_change;

typedef struct vm_plan {
    vm_plan_change *changes;    /* in the order to apply them */
    size_t n_changes;
    uint64_t capacity_kib;      /* the host's usable memory (input) */
    uint64_t used_kib;          /* sum of the VMs' current sizes */
    uint64_t free_kib;          /* capacity - used, 0 when overcommitted */
    uint64_t start_kib;         /* the size the demanding VM starts with; 0 on shortfall */
    uint64_t taken_kib;         /* sum of what the changes take (shrink) or give (grow) */
    uint64_t need_kib;          /* what had to be found beyond free memory */
    uint64_t shortfall_kib;     /* > 0: what is missing for the demand's floor */
} vm_plan;

/*
 * Plan room for demand on a host with capacity_kib usable memory, given the
 * n VMs on it. Returns 0 with the plan (possibly no changes), -ENOSPC when
 * even shrinking every cooperative VM to its floor and starting the new one
 * at its floor would not fit (then ret->shortfall_kib says by how much and
 * no change is planned), -EINVAL for a demand with floor > want or a zero
 * want or floor, -ERANGE for a size above VM_PLAN_MAX_KIB or more than
 * VM_PLAN_MAX_VMS VMs, -ENOMEM. *ret must be released with vm_plan_clear() in all cases
 * (it is initialised first).
 */
int vm_plan_make_room(uint64_t capacity_kib, const vm_plan_vm *vms, size_t n,
                      const vm_plan_demand *demand, vm_plan *ret);

/*
 * Plan the give-back: grow cooperative VMs below their target toward it,
 * within the free memory, highest priority first. 0, -EINVAL, -ERANGE (as
 * above) or -ENOMEM.
 */
int vm_plan_give_back(uint64_t capacity_kib, const vm_plan_vm *vms, size_t n, vm_plan *ret);

void vm_plan_clear(vm_plan *plan);

/* a - b, or 0 when b > a. */
uint64_t vm_plan_sat_sub(uint64_t a, uint64_t b);

#endif /* BATON_VM_PLAN_H */
