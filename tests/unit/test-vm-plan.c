/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the vm agent's memory planner (agents/vm/vm-plan.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm-plan.h"

#define MiB 1024ULL
#define GiB (1024ULL * 1024ULL)

static vm_plan_vm vm(const char *name, uint64_t cur, uint64_t floor_, uint64_t target, int prio)
{
    return (vm_plan_vm) { .name = name, .current_kib = cur, .floor_kib = floor_,
                          .target_kib = target, .priority = prio, .cooperative = true };
}

static const vm_plan_change *change_for(const vm_plan *p, size_t index)
{
    for (size_t i = 0; i < p->n_changes; i++)
        if (p->changes[i].index == index)
            return &p->changes[i];
    return NULL;
}

static void apply(vm_plan_vm *vms, const vm_plan *p)
{
    for (size_t i = 0; i < p->n_changes; i++) {
        assert_int_equal(vms[p->changes[i].index].current_kib, p->changes[i].from_kib);
        vms[p->changes[i].index].current_kib = p->changes[i].to_kib;
    }
}

/* ------------------------------------------------------------ the cases, as a table */

#define VM(name_, cur, floor_, target, prio) \
    { .name = name_, .current_kib = cur, .floor_kib = floor_, .target_kib = target, \
      .priority = prio, .cooperative = true }
#define UNCOOPERATIVE(name_, cur, floor_, target, prio) \
    { .name = name_, .current_kib = cur, .floor_kib = floor_, .target_kib = target, \
      .priority = prio, .cooperative = false }
#define DEMAND(name_, want, floor_, prio) \
    { .name = name_, .want_kib = want, .floor_kib = floor_, .priority = prio }

#define ROW_VMS 3

/* A change the plan must hold, in the plan's order; the list ends at to_kib 0. */
typedef struct expected_change {
    size_t index;
    uint64_t to_kib;
} expected_change;

typedef struct plan_case {
    const char *what;
    uint64_t capacity_kib;
    vm_plan_vm vms[ROW_VMS];            /* up to the first without a name */
    vm_plan_demand demand;              /* make room only */
    int rc;
    expected_change changes[ROW_VMS];
    uint64_t start_kib;                 /* make room only */
    uint64_t shortfall_kib;             /* make room only */
} plan_case;

static void expect_u64(const plan_case *c, const char *field, uint64_t got, uint64_t want)
{
    if (got != want)
        fail_msg("%s: %s is %llu, expected %llu", c->what, field, (unsigned long long) got,
                 (unsigned long long) want);
}

static size_t case_vms(const plan_case *c, uint64_t *ret_used)
{
    size_t n = 0;

    *ret_used = 0;
    while (n < ROW_VMS && c->vms[n].name)
        *ret_used += c->vms[n++].current_kib;
    return n;
}

/*
 * What holds for every row: exactly the listed changes, in order, each from
 * the VM's current size; taken_kib their sum; free_kib what the capacity
 * leaves (0 when overcommitted); and a plan carried out asks for nothing more.
 */
static void check_changes(const plan_case *c, size_t n, uint64_t used, const vm_plan *p, bool grow)
{
    uint64_t taken = 0;
    size_t k = 0;

    for (; k < ROW_VMS && c->changes[k].to_kib; k++) {
        if (k >= p->n_changes)
            fail_msg("%s: %zu changes, expected more", c->what, p->n_changes);
        expect_u64(c, "a change's VM", p->changes[k].index, c->changes[k].index);
        expect_u64(c, "a change's size", p->changes[k].to_kib, c->changes[k].to_kib);
        assert_true(p->changes[k].index < n);
        expect_u64(c, "a change's from", p->changes[k].from_kib, c->vms[p->changes[k].index].current_kib);
        taken += grow ? p->changes[k].to_kib - p->changes[k].from_kib
                      : p->changes[k].from_kib - p->changes[k].to_kib;
    }
    expect_u64(c, "n_changes", p->n_changes, k);
    expect_u64(c, "taken_kib", p->taken_kib, taken);
    expect_u64(c, "free_kib", p->free_kib, c->capacity_kib > used ? c->capacity_kib - used : 0);
}

static void check_make_room(const plan_case *c)
{
    vm_plan_vm after[ROW_VMS];
    uint64_t used;
    size_t n = case_vms(c, &used);
    vm_plan p, q;

    expect_u64(c, "rc", (uint64_t) vm_plan_make_room(c->capacity_kib, n ? c->vms : NULL, n, &c->demand, &p),
               (uint64_t) c->rc);
    check_changes(c, n, used, &p, false);
    expect_u64(c, "start_kib", p.start_kib, c->start_kib);
    expect_u64(c, "shortfall_kib", p.shortfall_kib, c->shortfall_kib);
    if (c->rc == 0) {
        memcpy(after, c->vms, sizeof(after));
        apply(after, &p);
        expect_u64(c, "rc again", (uint64_t) vm_plan_make_room(c->capacity_kib, n ? after : NULL, n,
                                                               &c->demand, &q), 0);
        expect_u64(c, "changes again", q.n_changes, 0);
        expect_u64(c, "start again", q.start_kib, p.start_kib);
        vm_plan_clear(&q);
    }
    vm_plan_clear(&p);
}

static void check_give_back(const plan_case *c)
{
    vm_plan_vm after[ROW_VMS];
    uint64_t used;
    size_t n = case_vms(c, &used);
    vm_plan p, q;

    expect_u64(c, "rc", (uint64_t) vm_plan_give_back(c->capacity_kib, n ? c->vms : NULL, n, &p),
               (uint64_t) c->rc);
    check_changes(c, n, used, &p, true);
    memcpy(after, c->vms, sizeof(after));
    apply(after, &p);
    expect_u64(c, "rc again", (uint64_t) vm_plan_give_back(c->capacity_kib, n ? after : NULL, n, &q), 0);
    expect_u64(c, "changes again", q.n_changes, 0);
    vm_plan_clear(&q);
    vm_plan_clear(&p);
}

/* ------------------------------------------------------------ make room */

static const plan_case make_room_cases[] = {
    { .what = "free memory first",
      .capacity_kib = 6 * GiB,
      .vms = { VM("a", 4 * GiB, 1 * GiB, 4 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB, 0),
      .start_kib = 2 * GiB },
    { .what = "only the missing part is taken (1 GiB free: 2 GiB come from a)",
      .capacity_kib = 5 * GiB,
      .vms = { VM("a", 4 * GiB, 1 * GiB, 4 * GiB, 0) },
      .demand = DEMAND("new", 3 * GiB, 3 * GiB, 0),
      .changes = { { 0, 2 * GiB } },
      .start_kib = 3 * GiB },
    { .what = "lowest priority first: batch gives 2 (to its floor), web 1",
      .capacity_kib = 9 * GiB,
      .vms = { VM("db", 3 * GiB, 1 * GiB, 3 * GiB, 10), VM("batch", 3 * GiB, 1 * GiB, 3 * GiB, 1),
               VM("web", 3 * GiB, 1 * GiB, 3 * GiB, 5) },
      .demand = DEMAND("new", 3 * GiB, 3 * GiB, 100),
      .changes = { { 1, 1 * GiB }, { 2, 2 * GiB } },
      .start_kib = 3 * GiB },
    /* used 5 GiB, free 256 MiB, need 1792 MiB; room: a 512 + newcomer 1024 = 1536 */
    { .what = "a floor is never crossed, nor a VM below it grown: 256 MiB short",
      .capacity_kib = 5 * GiB + 256 * MiB,
      .vms = { VM("a", 2 * GiB, 1536 * MiB, 2 * GiB, 0),
               VM("b", 2 * GiB, 2 * GiB, 2 * GiB, 0),           /* at its floor */
               VM("c", 1 * GiB, 2 * GiB, 2 * GiB, 0) },         /* below its floor */
      .demand = DEMAND("new", 2 * GiB, 1 * GiB, 0),
      .rc = -ENOSPC, .shortfall_kib = 256 * MiB },
    { .what = "256 MiB more: a and the newcomer at their floors",
      .capacity_kib = 5 * GiB + 512 * MiB,
      .vms = { VM("a", 2 * GiB, 1536 * MiB, 2 * GiB, 0), VM("b", 2 * GiB, 2 * GiB, 2 * GiB, 0),
               VM("c", 1 * GiB, 2 * GiB, 2 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 1 * GiB, 0),
      .changes = { { 0, 1536 * MiB } },
      .start_kib = 1 * GiB },
    { .what = "the shortfall is what the newcomer's floor misses after free and a's 512 MiB",
      .capacity_kib = 5 * GiB + 256 * MiB,
      .vms = { VM("a", 2 * GiB, 1536 * MiB, 2 * GiB, 0), VM("b", 2 * GiB, 2 * GiB, 2 * GiB, 0),
               VM("c", 1 * GiB, 2 * GiB, 2 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB - 100, 0),
      .rc = -ENOSPC, .shortfall_kib = 2 * GiB - 100 - 256 * MiB - 512 * MiB },
    { .what = "exactly the shortfall more: fits, everything at its floor",
      .capacity_kib = 5 * GiB + 256 * MiB + (2 * GiB - 100 - 256 * MiB - 512 * MiB),
      .vms = { VM("a", 2 * GiB, 1536 * MiB, 2 * GiB, 0), VM("b", 2 * GiB, 2 * GiB, 2 * GiB, 0),
               VM("c", 1 * GiB, 2 * GiB, 2 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB - 100, 0),
      .changes = { { 0, 1536 * MiB } },
      .start_kib = 2 * GiB - 100 },
    { .what = "one KiB less: one KiB short",
      .capacity_kib = 5 * GiB + 256 * MiB + (2 * GiB - 100 - 256 * MiB - 512 * MiB) - 1,
      .vms = { VM("a", 2 * GiB, 1536 * MiB, 2 * GiB, 0), VM("b", 2 * GiB, 2 * GiB, 2 * GiB, 0),
               VM("c", 1 * GiB, 2 * GiB, 2 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB - 100, 0),
      .rc = -ENOSPC, .shortfall_kib = 1 },
    { .what = "boundary: free 1 GiB - 1, room 1 GiB: 1 KiB short",
      .capacity_kib = 5 * GiB - 1,
      .vms = { VM("a", 4 * GiB, 3 * GiB, 4 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB, 0),
      .rc = -ENOSPC, .shortfall_kib = 1 },
    { .what = "boundary: exactly enough, a goes to its floor",
      .capacity_kib = 5 * GiB,
      .vms = { VM("a", 4 * GiB, 3 * GiB, 4 * GiB, 0) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB, 0),
      .changes = { { 0, 3 * GiB } },
      .start_kib = 2 * GiB },
    { .what = "an uncooperative VM is left out, whatever its priority",
      .capacity_kib = 8 * GiB,
      .vms = { UNCOOPERATIVE("low", 4 * GiB, 1 * GiB, 4 * GiB, 0), VM("high", 4 * GiB, 1 * GiB, 4 * GiB, 9) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB, 5),
      .changes = { { 1, 2 * GiB } },
      .start_kib = 2 * GiB },
    { .what = "with both uncooperative nothing can be taken: the whole demand is short",
      .capacity_kib = 8 * GiB,
      .vms = { UNCOOPERATIVE("low", 4 * GiB, 1 * GiB, 4 * GiB, 0),
               UNCOOPERATIVE("high", 4 * GiB, 1 * GiB, 4 * GiB, 9) },
      .demand = DEMAND("new", 2 * GiB, 2 * GiB, 5),
      .rc = -ENOSPC, .shortfall_kib = 2 * GiB },
    { .what = "need 3: low gives 1, the newcomer (priority 5) 2 before high (9)",
      .capacity_kib = 7 * GiB,
      .vms = { VM("low", 3 * GiB, 2 * GiB, 3 * GiB, 1), VM("high", 3 * GiB, 1 * GiB, 3 * GiB, 9) },
      .demand = DEMAND("new", 4 * GiB, 2 * GiB, 5),
      .changes = { { 0, 2 * GiB } },
      .start_kib = 2 * GiB },
    { .what = "need 4: low 1, the newcomer 2, high 1",
      .capacity_kib = 6 * GiB,
      .vms = { VM("low", 3 * GiB, 2 * GiB, 3 * GiB, 1), VM("high", 3 * GiB, 1 * GiB, 3 * GiB, 9) },
      .demand = DEMAND("new", 4 * GiB, 2 * GiB, 5),
      .changes = { { 0, 2 * GiB }, { 1, 2 * GiB } },
      .start_kib = 2 * GiB },
    { .what = "ties: running VMs before the newcomer, then by name (alpha 1, zeta 0.5)",
      .capacity_kib = 4 * GiB + 512 * MiB,
      .vms = { VM("zeta", 2 * GiB, 1 * GiB, 2 * GiB, 5), VM("alpha", 2 * GiB, 1 * GiB, 2 * GiB, 5) },
      .demand = DEMAND("aaa", 2 * GiB, 1 * GiB, 5),
      .changes = { { 1, 1 * GiB }, { 0, 1536 * MiB } },
      .start_kib = 2 * GiB },
    { .what = "ties of the same name: by position",
      .capacity_kib = 4 * GiB,
      .vms = { VM("x", 2 * GiB, 1 * GiB, 2 * GiB, 0), VM("x", 2 * GiB, 1 * GiB, 2 * GiB, 0) },
      .demand = DEMAND("n", 1 * GiB, 1 * GiB, 0),
      .changes = { { 0, 1 * GiB } },
      .start_kib = 1 * GiB },
    { .what = "no VMs at all, no capacity",
      .capacity_kib = 0,
      .demand = DEMAND("n", 1 * GiB, 1 * GiB, 0),
      .rc = -ENOSPC, .shortfall_kib = 1 * GiB },
    { .what = "no VMs, room for the newcomer",
      .capacity_kib = 1 * GiB,
      .demand = DEMAND("n", 1 * GiB, 1 * GiB, 0),
      .start_kib = 1 * GiB },
};

static void test_make_room_cases(void **state)
{
    for (size_t i = 0; i < sizeof(make_room_cases) / sizeof(make_room_cases[0]); i++)
        check_make_room(&make_room_cases[i]);
}

static void test_idempotent(void **state)
{
    vm_plan_vm vms[] = {
        vm("a", 3 * GiB, 1 * GiB, 3 * GiB, 1),
        vm("b", 3 * GiB, 2 * GiB, 3 * GiB, 2),
    };
    vm_plan_demand d = { .name = "n", .want_kib = 4 * GiB, .floor_kib = 2 * GiB, .priority = 3 };
    vm_plan p, q;

    assert_int_equal(vm_plan_make_room(6 * GiB + 512 * MiB, vms, 2, &d, &p), 0);
    apply(vms, &p);
    assert_int_equal(vm_plan_make_room(6 * GiB + 512 * MiB, vms, 2, &d, &q), 0);
    assert_int_equal(q.n_changes, 0);
    assert_int_equal(q.start_kib, p.start_kib);
    vm_plan_clear(&p);
    vm_plan_clear(&q);
}

static void test_overcommitted_host(void **state)
{
    vm_plan_vm vms[] = { vm("a", 8 * GiB, 1 * GiB, 8 * GiB, 0) };
    vm_plan_demand d = { .name = "n", .want_kib = 1 * GiB, .floor_kib = 1 * GiB };
    vm_plan p, q;

    /* used 8 > capacity 4: free is 0, not negative, and the 4 GiB excess is taken too */
    assert_int_equal(vm_plan_make_room(4 * GiB, vms, 1, &d, &p), 0);
    assert_int_equal(p.free_kib, 0);
    assert_int_equal(p.need_kib, 5 * GiB);
    assert_int_equal(p.n_changes, 1);
    assert_int_equal(p.changes[0].to_kib, 3 * GiB);
    apply(vms, &p);
    assert_int_equal(vm_plan_make_room(4 * GiB, vms, 1, &d, &q), 0);
    assert_int_equal(q.n_changes, 0);
    vm_plan_clear(&p);
    vm_plan_clear(&q);
}

static void test_invalid(void **state)
{
    vm_plan_demand d = { .name = "n", .want_kib = 1 * GiB, .floor_kib = 1 * GiB };
    vm_plan_demand bad;
    vm_plan p;

    /* without VMs: make_room_cases */
    bad = d;
    bad.want_kib = 0;
    bad.floor_kib = 0;
    assert_int_equal(vm_plan_make_room(1 * GiB, NULL, 0, &bad, &p), -EINVAL);
    vm_plan_clear(&p);
    bad = d;
    bad.floor_kib = d.want_kib + 1;
    assert_int_equal(vm_plan_make_room(1 * GiB, NULL, 0, &bad, &p), -EINVAL);
    vm_plan_clear(&p);
    bad = d;
    bad.floor_kib = 0;
    assert_int_equal(vm_plan_make_room(1 * GiB, NULL, 0, &bad, &p), -EINVAL);
    vm_plan_clear(&p);
    assert_int_equal(vm_plan_make_room(1 * GiB, NULL, 0, NULL, &p), -EINVAL);
    vm_plan_clear(&p);
    assert_int_equal(vm_plan_make_room(1 * GiB, NULL, 2, &d, &p), -EINVAL);
    vm_plan_clear(&p);
    /* clearing twice is harmless */
    vm_plan_clear(&p);
    vm_plan_clear(NULL);
}

static void test_overflow_refused(void **state)
{
    vm_plan_vm vms[] = {
        vm("a", VM_PLAN_MAX_KIB, 1, VM_PLAN_MAX_KIB, 0),
        vm("b", VM_PLAN_MAX_KIB, 1, VM_PLAN_MAX_KIB, 0),
    };
    vm_plan_demand d = { .name = "n", .want_kib = VM_PLAN_MAX_KIB, .floor_kib = 1 };
    vm_plan p;

    assert_int_equal(vm_plan_sat_sub(1, 2), 0);
    assert_int_equal(vm_plan_sat_sub(5, 2), 3);

    /* the largest sizes accepted still add up exactly */
    assert_int_equal(vm_plan_make_room(VM_PLAN_MAX_KIB, vms, 2, &d, &p), 0);
    assert_int_equal(p.used_kib, 2 * VM_PLAN_MAX_KIB);
    assert_int_equal(p.free_kib, 0);
    assert_int_equal(p.need_kib, 2 * VM_PLAN_MAX_KIB);
    for (size_t i = 0; i < p.n_changes; i++)
        assert_true(p.changes[i].to_kib >= vms[p.changes[i].index].floor_kib);
    assert_true(p.start_kib >= d.floor_kib);
    vm_plan_clear(&p);

    /* beyond them: refused, never a wrapped-around "it fits" */
    vms[1].current_kib = UINT64_MAX - 10;
    assert_int_equal(vm_plan_make_room(UINT64_MAX, vms, 2, &d, &p), -ERANGE);
    vm_plan_clear(&p);
    assert_int_equal(vm_plan_make_room(VM_PLAN_MAX_KIB, vms, 2, &d, &p), -ERANGE);
    vm_plan_clear(&p);
    assert_int_equal(vm_plan_give_back(VM_PLAN_MAX_KIB, vms, 2, &p), -ERANGE);
    vm_plan_clear(&p);
    vms[1].current_kib = 1;
    vms[1].floor_kib = VM_PLAN_MAX_KIB + 1;
    assert_int_equal(vm_plan_give_back(VM_PLAN_MAX_KIB, vms, 2, &p), -ERANGE);
    vm_plan_clear(&p);
    vms[1].floor_kib = 1;
    d.want_kib = VM_PLAN_MAX_KIB + 1;
    assert_int_equal(vm_plan_make_room(VM_PLAN_MAX_KIB, vms, 2, &d, &p), -ERANGE);
    vm_plan_clear(&p);
    d.want_kib = 1;
    assert_int_equal(vm_plan_make_room(1, vms, VM_PLAN_MAX_VMS + 1, &d, &p), -ERANGE);
    vm_plan_clear(&p);
}

/* ------------------------------------------------------------ give back */

static const plan_case give_back_cases[] = {
    { .what = "highest priority first: free 3, high takes 2 (to its target), low 1",
      .capacity_kib = 9 * GiB,
      .vms = { VM("low", 1 * GiB, 1 * GiB, 4 * GiB, 1), VM("high", 2 * GiB, 1 * GiB, 4 * GiB, 9),
               VM("full", 3 * GiB, 1 * GiB, 3 * GiB, 20) },
      .changes = { { 1, 4 * GiB }, { 0, 2 * GiB } } },
    { .what = "an uncooperative VM is skipped; growth stops at the target",
      .capacity_kib = 100 * GiB,
      .vms = { UNCOOPERATIVE("u", 1 * GiB, 1 * GiB, 4 * GiB, 50), VM("c", 1 * GiB, 1 * GiB, 2 * GiB, 1) },
      .changes = { { 1, 2 * GiB } } },
    { .what = "no VMs: nothing to give",
      .capacity_kib = 100 * GiB },
};

static void test_give_back_cases(void **state)
{
    vm_plan p;

    for (size_t i = 0; i < sizeof(give_back_cases) / sizeof(give_back_cases[0]); i++)
        check_give_back(&give_back_cases[i]);
    assert_int_equal(vm_plan_give_back(1, NULL, 3, &p), -EINVAL);
    vm_plan_clear(&p);
}

/* ------------------------------------------------------------ properties */

/* A small deterministic generator, so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(uint64_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? rng_state % n : 0;
}

static const char *const names[] = { "a", "b", "c", "d", "e", "f", "g", "h" };

/* Returns 0 (fits without change), 1 (fits with changes), 2 (newcomer smaller), 3 (short). */
static int check_make_room_properties(uint64_t cap, vm_plan_vm *vms, size_t n,
                                      const vm_plan_demand *d)
{
    int kind;
    vm_plan p, q;
    uint64_t used = 0, room = 0, freed = 0;
    int r;

    for (size_t i = 0; i < n; i++) {
        used += vms[i].current_kib;
        if (vms[i].cooperative && vms[i].current_kib > vms[i].floor_kib)
            room += vms[i].current_kib - vms[i].floor_kib;
    }
    r = vm_plan_make_room(cap, vms, n, d, &p);
    uint64_t free_ = cap > used ? cap - used : 0;
    assert_int_equal(p.free_kib, free_);

    if (r == -ENOSPC) {
        /* exact: what the newcomer's floor lacks after everything that could be had */
        assert_true(used + d->floor_kib > cap + room);
        assert_int_equal(p.shortfall_kib, used + d->floor_kib - cap - room);
        assert_int_equal(p.n_changes, 0);
        vm_plan_clear(&p);
        return 3;
    }
    assert_int_equal(r, 0);
    assert_int_equal(p.shortfall_kib, 0);
    assert_true(p.start_kib >= d->floor_kib && p.start_kib <= d->want_kib);

    for (size_t k = 0; k < p.n_changes; k++) {
        const vm_plan_change *c = &p.changes[k];
        const vm_plan_vm *v = &vms[c->index];

        assert_true(c->index < n);
        assert_true(v->cooperative);                    /* uncooperative never asked */
        assert_true(c->to_kib < c->from_kib);           /* shrink only */
        assert_true(c->to_kib >= v->floor_kib);         /* floors never crossed */
        assert_int_equal(c->from_kib, v->current_kib);
        freed += c->from_kib - c->to_kib;
        /* priority order: every cooperative VM of lower priority is at its floor */
        for (size_t j = 0; j < n; j++) {
            const vm_plan_change *cj = change_for(&p, j);
            uint64_t after = cj ? cj->to_kib : vms[j].current_kib;

            if (vms[j].cooperative && vms[j].priority < v->priority && vms[j].current_kib > vms[j].floor_kib)
                assert_int_equal(after, vms[j].floor_kib);
        }
        /* a VM of higher priority than the newcomer gives only once the newcomer is at its floor */
        if (v->priority > d->priority)
            assert_int_equal(p.start_kib, d->floor_kib);
    }
    /* the newcomer starts smaller only when no running VM of lower or equal priority has room left */
    if (p.start_kib < d->want_kib) {
        for (size_t j = 0; j < n; j++) {
            const vm_plan_change *cj = change_for(&p, j);
            uint64_t after = cj ? cj->to_kib : vms[j].current_kib;

            if (vms[j].cooperative && vms[j].priority <= d->priority && vms[j].current_kib > vms[j].floor_kib)
                assert_int_equal(after, vms[j].floor_kib);
        }
    }
    assert_int_equal(freed, p.taken_kib);
    /* free memory first; when more was needed, exactly that much and nothing more */
    if (used + d->want_kib <= cap) {
        assert_int_equal(p.n_changes, 0);
        assert_int_equal(p.start_kib, d->want_kib);
    } else {
        assert_int_equal(used - freed + p.start_kib, cap);
    }

    /* idempotent */
    vm_plan_vm *after = calloc(n ? n : 1, sizeof(*after));
    assert_non_null(after);
    memcpy(after, vms, n * sizeof(*vms));
    apply(after, &p);
    assert_int_equal(vm_plan_make_room(cap, after, n, d, &q), 0);
    assert_int_equal(q.n_changes, 0);
    assert_int_equal(q.start_kib, p.start_kib);
    vm_plan_clear(&q);

    /* deterministic whatever the input order: the same VMs get the same sizes */
    vm_plan_vm *rev = calloc(n ? n : 1, sizeof(*rev));
    assert_non_null(rev);
    for (size_t i = 0; i < n; i++)
        rev[i] = vms[n - 1 - i];
    assert_int_equal(vm_plan_make_room(cap, rev, n, d, &q), 0);
    assert_int_equal(q.n_changes, p.n_changes);
    assert_int_equal(q.start_kib, p.start_kib);
    for (size_t k = 0; k < q.n_changes; k++) {
        const vm_plan_change *c = change_for(&p, n - 1 - q.changes[k].index);
        assert_non_null(c);
        assert_int_equal(c->to_kib, q.changes[k].to_kib);
    }
    vm_plan_clear(&q);
    kind = p.start_kib < d->want_kib ? 2 : p.n_changes > 0 ? 1 : 0;
    free(rev);
    free(after);
    vm_plan_clear(&p);
    return kind;
}

static void test_make_room_random_properties(void **state)
{
    int seen[4] = {0};

    for (int round = 0; round < 20000; round++) {
        vm_plan_vm vms[8];
        size_t n = rnd(9);
        vm_plan_demand d;

        for (size_t i = 0; i < n; i++) {
            /* unique names: ties by name are tested above */
            vms[i] = vm(names[i], rnd(64) * 64 * MiB, rnd(64) * 64 * MiB, rnd(64) * 64 * MiB,
                        (int) rnd(4) - 1);
            vms[i].cooperative = rnd(5) != 0;
            if (rnd(10) == 0)
                vms[i].current_kib += rnd(1000);   /* odd sizes */
        }
        d.name = rnd(2) ? "new" : "a0";
        d.want_kib = (1 + rnd(64)) * 64 * MiB;
        d.floor_kib = 1 + rnd(d.want_kib);
        d.priority = (int) rnd(4) - 1;
        seen[check_make_room_properties(rnd(20) * 512 * MiB + rnd(3), vms, n, &d)]++;
    }
    /* every outcome was exercised many times */
    for (int k = 0; k < 4; k++)
        assert_true(seen[k] > 500);
}

static void test_give_back_random_properties(void **state)
{
    for (int round = 0; round < 20000; round++) {
        vm_plan_vm vms[8];
        size_t n = rnd(9);
        uint64_t cap = rnd(40) * 256 * MiB, used = 0, given = 0;
        vm_plan p, q;

        for (size_t i = 0; i < n; i++) {
            vms[i] = vm(names[i], rnd(32) * 64 * MiB, 0, rnd(32) * 64 * MiB, (int) rnd(4));
            vms[i].cooperative = rnd(5) != 0;
            used += vms[i].current_kib;
        }
        assert_int_equal(vm_plan_give_back(cap, vms, n, &p), 0);
        for (size_t k = 0; k < p.n_changes; k++) {
            const vm_plan_change *c = &p.changes[k];
            const vm_plan_vm *v = &vms[c->index];

            assert_true(v->cooperative);
            assert_true(c->to_kib > c->from_kib && c->to_kib <= v->target_kib);
            given += c->to_kib - c->from_kib;
            /* a higher-priority VM below its target means this one got nothing */
            for (size_t j = 0; j < n; j++) {
                const vm_plan_change *cj = change_for(&p, j);
                uint64_t after = cj ? cj->to_kib : vms[j].current_kib;

                if (vms[j].cooperative && vms[j].priority > v->priority)
                    assert_true(after >= vms[j].target_kib);
            }
        }
        assert_int_equal(given, p.taken_kib);
        assert_true(used + given <= (cap > used ? cap : used));
        apply(vms, &p);
        assert_int_equal(vm_plan_give_back(cap, vms, n, &q), 0);
        assert_int_equal(q.n_changes, 0);
        vm_plan_clear(&p);
        vm_plan_clear(&q);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_room_cases),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_overcommitted_host),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_overflow_refused),
        cmocka_unit_test(test_give_back_cases),
        cmocka_unit_test(test_make_room_random_properties),
        cmocka_unit_test(test_give_back_random_properties),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
