/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory planner (see vm-plan.h).
 *
 * Model. The host has capacity C KiB of memory usable by VMs: host_memory
 * (or the node's total as libvirt reports it) minus the host reserve. Every
 * running VM holds its current balloon size; what no VM holds is free:
 *     free = C - sum(current)          (0 when the host is overcommitted)
 * The planner never looks at the kernel's "free" figure: guest memory is
 * allocated lazily, so the kernel would call memory free that a guest may
 * touch at any moment.
 *
 * Making room for a VM that wants W KiB and can live with F KiB (F <= W):
 *  1. Free memory is used first. If free >= W the VM starts with W and
 *     nothing else changes.
 *  2. Otherwise need = sum(current) + W - C (= W - free, plus the excess of
 *     an already overcommitted host) is taken, step by step, from the
 *     candidates in this order:
 *        - lowest priority first;
 *        - at equal priority, running VMs before the VM being started (it
 *          is the newcomer: the running one already has its memory, but the
 *          newcomer must not be starved by a lower-priority VM);
 *        - then by name, then by position (deterministic for any input).
 *     A running VM is a candidate only when it is cooperative (its balloon
 *     moved when asked; unmanaged domains count as uncooperative) and holds
 *     more than its floor; it gives min(current - floor, need left). The
 *     newcomer "gives" by starting smaller: at most W - F.
 *     A VM is never planned below its floor, and a VM already at or below
 *     its floor is left alone (never grown by this plan either).
 *  3. If the candidates together cannot cover need, the start fails before
 *     anything is changed, with
 *        shortfall = need - (W - F) - sum(current - floor of cooperative VMs)
 *                  = sum(current) + F - C - sum(current - floor ...)
 *     i.e. exactly the KiB that are missing for the newcomer's floor.
 *
 * Applying the changes and planning again for the same demand yields no
 * change and the same start size: the changes freed exactly what step 2
 * took from running VMs, and every VM that gave is now either at its floor
 * or needed for nothing more.
 *
 * Give-back (after a VM stopped or left): free memory goes to cooperative VMs
 * below their target, highest priority first (then name, position), each up
 * to its target, until free memory runs out. Re-running after applying it
 * yields no change: either nothing is free or every VM is at its target.
 *
 * Sizes above VM_PLAN_MAX_KIB and more than VM_PLAN_MAX_VMS VMs are refused
 * (-ERANGE), so that no sum can wrap around and give a wrong "it fits".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vm-plan.h"

uint64_t vm_plan_sat_sub(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

void vm_plan_clear(vm_plan *plan)
{
    if (!plan)
        return;
    free(plan->changes);
    *plan = (vm_plan) {0};
}

typedef struct plan_candidate {
    int priority;
    bool newcomer;
    const char *name;
    size_t index;
    uint64_t room_kib;          /* what it can give (shrink) or take (grow) */
} plan_candidate;

static int name_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int int_cmp(int a, int b)
{
    return (a > b) - (a < b);
}

static int size_cmp(size_t a, size_t b)
{
    return (a > b) - (a < b);
}

/* Lowest priority first; running VMs before the newcomer; name; position. */
static int candidate_cmp_shrink(const void *pa, const void *pb)
{
    const plan_candidate *a = pa, *b = pb;
    int r;

    if ((r = int_cmp(a->priority, b->priority)))
        return r;
    if (a->newcomer != b->newcomer)
        return a->newcomer ? 1 : -1;
    if ((r = name_cmp(a->name, b->name)))
        return r;
    return size_cmp(a->index, b->index);
}

/* Highest priority first; name; position. */
static int candidate_cmp_grow(const void *pa, const void *pb)
{
    const plan_candidate *a = pa, *b = pb;
    int r;

    if ((r = int_cmp(b->priority, a->priority)))
        return r;
    if ((r = name_cmp(a->name, b->name)))
        return r;
    return size_cmp(a->index, b->index);
}

static bool size_ok(uint64_t kib)
{
    return kib <= VM_PLAN_MAX_KIB;
}

/* Check the input and sum up: 0, -EINVAL or -ERANGE. */
static int plan_account(uint64_t capacity_kib, const vm_plan_vm *vms, size_t n, vm_plan *plan)
{
    uint64_t used = 0;

    if (n > 0 && !vms)
        return -EINVAL;
    if (n > VM_PLAN_MAX_VMS || !size_ok(capacity_kib))
        return -ERANGE;
    for (size_t i = 0; i < n; i++) {
        if (!size_ok(vms[i].current_kib) || !size_ok(vms[i].floor_kib) || !size_ok(vms[i].target_kib))
            return -ERANGE;
        used += vms[i].current_kib;
    }
    plan->capacity_kib = capacity_kib;
    plan->used_kib = used;
    plan->free_kib = vm_plan_sat_sub(capacity_kib, used);
    return 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

int vm_plan_make_room(uint64_t capacity_kib, const vm_plan_vm *vms, size_t n,
                      const vm_plan_demand *demand, vm_plan *ret)
{
    plan_candidate *cands;
    size_t n_cands = 0;
    uint64_t need, room = 0;
    int r;

    *ret = (vm_plan) {0};
    if (!demand || demand->want_kib == 0 || demand->floor_kib == 0 ||
        demand->floor_kib > demand->want_kib)
        return -EINVAL;
    if (!size_ok(demand->want_kib))
        return -ERANGE;
    r = plan_account(capacity_kib, vms, n, ret);
    if (r < 0)
        return r;

    ret->start_kib = demand->want_kib;
    need = vm_plan_sat_sub(ret->used_kib + demand->want_kib, capacity_kib);
    ret->need_kib = need;
    if (need == 0)
        return 0;

    cands = calloc(n + 1, sizeof(*cands));
    if (!cands)
        return -ENOMEM;
    ret->changes = calloc(n ? n : 1, sizeof(*ret->changes));
    if (!ret->changes) {
        free(cands);
        return -ENOMEM;
    }

    for (size_t i = 0; i < n; i++) {
        if (!vms[i].cooperative || vms[i].current_kib <= vms[i].floor_kib)
            continue;
        cands[n_cands++] = (plan_candidate) {
            .priority = vms[i].priority, .name = vms[i].name, .index = i,
            .room_kib = vms[i].current_kib - vms[i].floor_kib,
        };
    }
    if (demand->want_kib > demand->floor_kib)
        cands[n_cands++] = (plan_candidate) {
            .priority = demand->priority, .newcomer = true, .name = demand->name,
            .index = n, .room_kib = demand->want_kib - demand->floor_kib,
        };

    for (size_t i = 0; i < n_cands; i++)
        room += cands[i].room_kib;
    if (room < need) {
        ret->shortfall_kib = need - room;
        ret->start_kib = 0;
        free(cands);
        return -ENOSPC;
    }

    qsort(cands, n_cands, sizeof(*cands), candidate_cmp_shrink);
    for (size_t i = 0; i < n_cands && need > 0; i++) {
        uint64_t take = min_u64(cands[i].room_kib, need);

        need -= take;
        if (cands[i].newcomer) {
            ret->start_kib = demand->want_kib - take;
            continue;
        }
        ret->changes[ret->n_changes++] = (vm_plan_change) {
            .index = cands[i].index,
            .from_kib = vms[cands[i].index].current_kib,
            .to_kib = vms[cands[i].index].current_kib - take,
        };
        ret->taken_kib += take;
    }
    free(cands);
    return 0;
}

int vm_plan_give_back(uint64_t capacity_kib, const vm_plan_vm *vms, size_t n, vm_plan *ret)
{
    plan_candidate *cands;
    size_t n_cands = 0;
    uint64_t left;
    int r;

    *ret = (vm_plan) {0};
    r = plan_account(capacity_kib, vms, n, ret);
    if (r < 0)
        return r;
    if (n == 0 || ret->free_kib == 0)
        return 0;

    cands = calloc(n, sizeof(*cands));
    if (!cands)
        return -ENOMEM;
    ret->changes = calloc(n, sizeof(*ret->changes));
    if (!ret->changes) {
        free(cands);
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (!vms[i].cooperative || vms[i].current_kib >= vms[i].target_kib)
            continue;
        cands[n_cands++] = (plan_candidate) {
            .priority = vms[i].priority, .name = vms[i].name, .index = i,
            .room_kib = vms[i].target_kib - vms[i].current_kib,
        };
    }
    qsort(cands, n_cands, sizeof(*cands), candidate_cmp_grow);

    left = ret->free_kib;
    for (size_t i = 0; i < n_cands && left > 0; i++) {
        uint64_t give = min_u64(cands[i].room_kib, left);

        left -= give;
        ret->changes[ret->n_changes++] = (vm_plan_change) {
            .index = cands[i].index,
            .from_kib = vms[cands[i].index].current_kib,
            .to_kib = vms[cands[i].index].current_kib + give,
        };
        ret->taken_kib += give;
    }
    free(cands);
    return 0;
}
