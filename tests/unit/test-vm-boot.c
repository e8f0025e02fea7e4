/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the vm agent's boot-storm control (agents/vm/vm-boot.c) and
 * of the boot budget in the policy record (agents/vm/vm-config.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"
#include "vm-boot.h"

#define NOW INT64_C(1700000000)

/* A managed guest started age_s seconds before NOW, its own budget (-1: none), no statistics yet. */
static vm_boot_guest booting(const char *name, int64_t age_s, int64_t budget_s)
{
    return (vm_boot_guest) { .name = name, .managed = true, .started = NOW - age_s, .budget_s = budget_s };
}

static void test_slots(void **state)
{
    (void) state;
    assert_int_equal(vm_boot_slots(0, 2), 2);           /* automatic: the CPU count */
    assert_int_equal(vm_boot_slots(0, 64), 64);
    assert_int_equal(vm_boot_slots(0, 0), 1);           /* unknown CPU count: at least one */
    assert_int_equal(vm_boot_slots(1, 64), 1);          /* strictly one at a time */
    assert_int_equal(vm_boot_slots(3, 2), 3);           /* more than CPUs if asked */
    assert_int_equal(vm_boot_slots(-5, 4), 4);          /* rejected by the metadata; automatic here */
    assert_int_equal(vm_boot_slots(VM_BOOT_MAX_SLOTS, 1), VM_BOOT_MAX_SLOTS);
    assert_int_equal(vm_boot_slots(INT64_MAX, 1), VM_BOOT_MAX_SLOTS);
    assert_int_equal(vm_boot_slots(0, 1000000), VM_BOOT_MAX_SLOTS);
}

static void test_is_booting(void **state)
{
    vm_boot_guest g;

    (void) state;
    g = booting("a", 10, -1);
    assert_true(vm_boot_is_booting(&g, NOW, 120));
    /* alive: the balloon driver reported once, even long ago */
    g.last_update = 1;
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g.last_update = (uint64_t) NOW;
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    /* not started by the agent, or start time unknown: never counted */
    g = booting("a", 10, -1);
    g.managed = false;
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", 10, -1);
    g.started = 0;
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g.started = -5;
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    /* the budget ends the slot: strictly less than the budget ago */
    g = booting("a", 0, -1);
    assert_true(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", 119, -1);
    assert_true(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", 120, -1);
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", 100000, -1);
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    /* the guest's own recorded budget wins over the deciding agent's */
    g = booting("a", 10, 5);
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", 10, 300);
    assert_true(vm_boot_is_booting(&g, NOW, 5));
    g = booting("a", 4, 5);
    assert_true(vm_boot_is_booting(&g, NOW, 0));
    /* budget 0: never holds a slot */
    g = booting("a", 0, 0);
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", 0, -1);
    assert_false(vm_boot_is_booting(&g, NOW, 0));
    assert_false(vm_boot_is_booting(&g, NOW, -3));
}

static void test_clock_backwards(void **state)
{
    vm_boot_guest g;

    (void) state;
    /* started "in the future": the clock was set back after the start */
    g = booting("a", -5, -1);
    assert_true(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", -120, -1);
    assert_true(vm_boot_is_booting(&g, NOW, 120));
    /* more than a budget ahead: not trusted, so a slot is never held for ever */
    g = booting("a", -121, -1);
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    g = booting("a", -100000000, -1);
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    /* an alive guest stays alive whatever the clock says */
    g = booting("a", -5, -1);
    g.last_update = 3;
    assert_false(vm_boot_is_booting(&g, NOW, 120));
    /* no overflow at the edges */
    g = (vm_boot_guest) { .name = "a", .managed = true, .started = INT64_MAX, .budget_s = -1 };
    assert_false(vm_boot_is_booting(&g, INT64_MIN, 120));
    assert_true(vm_boot_is_booting(&g, INT64_MAX, 120));
    g.started = 1;
    assert_false(vm_boot_is_booting(&g, INT64_MAX, 120));
    assert_true(vm_boot_is_booting(&g, INT64_MAX, INT64_MAX));
    assert_false(vm_boot_is_booting(&g, INT64_MIN, 120));
}

static void test_count(void **state)
{
    vm_boot_guest g[] = {
        booting("a", 1, -1),                               /* booting */
        booting("b", 30, -1),                              /* booting */
        booting("c", 500, -1),                             /* budget over */
        booting("d", 10, 5),                               /* own budget over */
        { .name = "e", .managed = false },                 /* not ours */
        { .name = "f", .managed = true, .started = NOW - 3, .budget_s = -1, .last_update = NOW - 1 }, /* alive */
        booting("self", 1, -1),                            /* the starting domain itself */
    };
    size_t n = sizeof(g) / sizeof(g[0]);

    (void) state;
    assert_int_equal(vm_boot_count(g, n, NOW, 120, "self"), 2);
    assert_int_equal(vm_boot_count(g, n, NOW, 120, NULL), 3);
    assert_int_equal(vm_boot_count(g, n, NOW, 120, "nobody"), 3);
    assert_int_equal(vm_boot_count(g, n, NOW, 120, "a"), 2);
    assert_int_equal(vm_boot_count(g, 0, NOW, 120, NULL), 0);
    assert_int_equal(vm_boot_count(NULL, 0, NOW, 120, NULL), 0);
    /* a shorter default budget: b (30 s) no longer counts */
    assert_int_equal(vm_boot_count(g, n, NOW, 20, "self"), 1);
    /* later: every budget ran out */
    assert_int_equal(vm_boot_count(g, n, NOW + 1000, 120, NULL), 0);
    /* earlier than every start, within one budget: the silent guests count, but not d (own budget 5 s) */
    assert_int_equal(vm_boot_count(g, n, NOW - 600, 1000, NULL), 4);
    /* a guest without a name is counted, and never taken for the excluded one */
    g[0].name = NULL;
    assert_int_equal(vm_boot_count(g, n, NOW, 120, "self"), 2);
}

static void test_count_matches_is_booting(void **state)
{
    vm_boot_guest g[16];
    char names[16][24];   /* "g" and any size_t: no truncation warning under -O1 -fsanitize */

    (void) state;
    srand(7);
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t) (rand() % 16), expect = 0, limit;
        int64_t budget = rand() % 200 - 10;
        int ex = rand() % 17;
        char *list;

        for (size_t i = 0; i < n; i++) {
            snprintf(names[i], sizeof(names[i]), "g%zu", i);
            g[i] = (vm_boot_guest) {
                .name = names[i], .managed = rand() % 5 != 0, .started = NOW - (rand() % 400 - 150),
                .budget_s = rand() % 3 ? -1 : rand() % 200, .last_update = rand() % 3 ? 0 : (uint64_t) NOW,
            };
            if (rand() % 10 == 0)
                g[i].started = 0;
            if ((int) i != ex && vm_boot_is_booting(&g[i], NOW, budget))
                expect++;
        }
        assert_int_equal(vm_boot_count(g, n, NOW, budget, ex < 16 ? names[ex] : NULL), expect);
        assert_true(vm_boot_count(g, n, NOW, budget, NULL) >= expect);
        assert_true(vm_boot_count(g, n, NOW, budget, NULL) <= expect + 1);
        /* the names listed are exactly the counted ones, up to the limit */
        limit = (size_t) (rand() % 5);
        list = vm_boot_names(g, n, NOW, budget, ex < 16 ? names[ex] : NULL, limit);
        assert_non_null(list);
        if (expect == 0) {
            assert_string_equal(list, "");
        } else {
            size_t commas = 0;
            for (const char *p = list; *p; p++)
                commas += *p == ',';
            if (expect <= limit) {
                assert_int_equal(commas, expect - 1);
                assert_null(strstr(list, "..."));
            } else {
                assert_non_null(strstr(list, "..."));
                assert_int_equal(commas, limit);
            }
        }
        free(list);
    }
}

static void test_names(void **state)
{
    vm_boot_guest g[] = {
        booting("web1", 1, -1), booting("old", 999, -1), booting("db", 2, -1), booting("mail", 3, -1),
    };
    char *s;

    (void) state;
    s = vm_boot_names(g, 4, NOW, 120, NULL, 8);
    assert_string_equal(s, "web1, db, mail");
    free(s);
    s = vm_boot_names(g, 4, NOW, 120, "db", 8);
    assert_string_equal(s, "web1, mail");
    free(s);
    s = vm_boot_names(g, 4, NOW, 120, NULL, 2);
    assert_string_equal(s, "web1, db, ...");
    free(s);
    s = vm_boot_names(g, 4, NOW, 120, NULL, 0);
    assert_string_equal(s, "...");
    free(s);
    s = vm_boot_names(g, 4, NOW + 1000, 120, NULL, 8);
    assert_string_equal(s, "");
    free(s);
    s = vm_boot_names(NULL, 0, NOW, 120, NULL, 8);
    assert_string_equal(s, "");
    free(s);
    g[0].name = NULL;
    s = vm_boot_names(g, 1, NOW, 120, NULL, 8);
    assert_string_equal(s, "?");
    free(s);
}

static void test_wait_reserve(void **state)
{
    (void) state;
    assert_int_equal(vm_boot_wait_reserve_ms(90000), 10000);     /* default start timeout: 10 s kept */
    assert_int_equal(vm_boot_wait_reserve_ms(30001), 10000);
    assert_int_equal(vm_boot_wait_reserve_ms(30000), 10000);
    assert_int_equal(vm_boot_wait_reserve_ms(15000), 5000);      /* short: a third */
    assert_int_equal(vm_boot_wait_reserve_ms(2), 0);
    assert_int_equal(vm_boot_wait_reserve_ms(0), 0);
    assert_int_equal(vm_boot_wait_reserve_ms(-5), 0);
    assert_int_equal(vm_boot_wait_reserve_ms(INT64_MAX), 10000);  /* no deadline */
}

static void test_policy_boot_grace(void **state)
{
    vm_policy p = { .floor_kib = 1, .target_kib = 2, .priority = 0, .started = NOW, .boot_grace_s = 45 }, q;
    char *s;

    (void) state;
    s = vm_policy_format(&p);
    assert_non_null(s);
    assert_non_null(strstr(s, "boot-grace='45'"));
    assert_int_equal(vm_policy_parse(s, &q), 0);
    assert_int_equal(q.boot_grace_s, 45);
    assert_int_equal(q.started, NOW);
    free(s);
    /* unknown budget: not written, read back as unknown */
    p.boot_grace_s = -1;
    s = vm_policy_format(&p);
    assert_null(strstr(s, "boot-grace"));
    assert_int_equal(vm_policy_parse(s, &q), 0);
    assert_int_equal(q.boot_grace_s, -1);
    free(s);
    p.boot_grace_s = 0;
    s = vm_policy_format(&p);
    assert_int_equal(vm_policy_parse(s, &q), 0);
    assert_int_equal(q.boot_grace_s, 0);
    free(s);
    /* older records (before boot_slots) and nonsense */
    assert_int_equal(vm_policy_parse("<policy floor-kib='1' target-kib='2' priority='3' started='9'/>", &q), 0);
    assert_int_equal(q.boot_grace_s, -1);
    assert_int_equal(vm_policy_parse("<policy floor-kib='1' target-kib='2' priority='3' boot-grace='-4'/>", &q), 0);
    assert_int_equal(q.boot_grace_s, -1);
    assert_int_equal(vm_policy_parse("<policy floor-kib='1' target-kib='2' priority='3' boot-grace='x'/>", &q), 0);
    assert_int_equal(q.boot_grace_s, -1);
}

/* the IDs a waiting start has seen alive: a set, emptied by clear */
static void test_seen(void **state)
{
    vm_boot_seen s = {0};

    (void) state;
    assert_false(vm_boot_seen_has(&s, 0));
    assert_int_equal(vm_boot_seen_add(&s, 7), 0);
    assert_int_equal(vm_boot_seen_add(&s, 3), 0);
    assert_int_equal(vm_boot_seen_add(&s, 7), 0);
    assert_int_equal(s.n, 2);
    assert_true(vm_boot_seen_has(&s, 7));
    assert_true(vm_boot_seen_has(&s, 3));
    assert_false(vm_boot_seen_has(&s, 4));
    for (unsigned id = 100; id < 200; id++)
        assert_int_equal(vm_boot_seen_add(&s, id), 0);
    assert_int_equal(s.n, 102);
    assert_true(vm_boot_seen_has(&s, 199));
    vm_boot_seen_clear(&s);
    assert_int_equal(s.n, 0);
    assert_null(s.ids);
    assert_false(vm_boot_seen_has(&s, 7));
}

/* Hung: silent for more than 3 periods + 5 s; never reported is booting, not hung. */
static void test_hung_age(void **state)
{
    static const struct {
        uint64_t last;
        int64_t now, period, age;
    } cases[] = {
        { 0, NOW, 2, 0 },                       /* never reported: boot_grace decides */
        { NOW, NOW, 2, 0 },
        { NOW - 11, NOW, 2, 0 },                /* 3 x 2 + 5 = 11: still alive */
        { NOW - 12, NOW, 2, 12 },
        { NOW - 12, NOW, 5, 0 },                /* a longer period, more patience */
        { NOW - 21, NOW, 5, 21 },
        { NOW + 30, NOW, 2, 0 },                /* clock set back: not hung */
        { UINT64_MAX, NOW, 2, 0 },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(vm_boot_hung_age(cases[i].last, cases[i].now, cases[i].period), cases[i].age);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots),
        cmocka_unit_test(test_is_booting),
        cmocka_unit_test(test_clock_backwards),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_count_matches_is_booting),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_wait_reserve),
        cmocka_unit_test(test_policy_boot_grace),
        cmocka_unit_test(test_seen),
        cmocka_unit_test(test_hung_age),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
