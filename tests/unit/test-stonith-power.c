/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared power logic against an in-process fake device. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "stonith/stonith-internal.h"
#include "tests/stonith/fake-plugin.h"

typedef struct rig {
    baton__fence_call call;
    baton__power_dev dev;
    baton__power_opts opts;
} rig;

/* Short timings: the logic is the same at 20 s, the tests are not. */
static void rig_init(rig *r, baton_stonith_power initial, int64_t deadline_ms)
{
    fake_reset(initial);
    baton__fence_call_init(&r->call, baton_deadline_in(deadline_ms));
    r->dev = (baton__power_dev) { .plugin = &fake_plugin, .device = NULL, .plug = "n1",
                                  .call = &r->call };
    r->opts = (baton__power_opts) {
        .power_timeout_ms = 300,
        .power_wait_ms = 0,
        .status_interval_ms = 10,
    };
}

static void test_off_from_on(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF), BATON_STONITH_OK);
    assert_int_equal(fake.n_off, 1);
    assert_int_equal(fake.power, BATON_STONITH_POWER_OFF);
    /* one status before the command, at least one to confirm */
    assert_true(fake.n_status >= 2);
}

static void test_already_off(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_OFF, 5000);
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF), BATON_STONITH_OK);
    assert_int_equal(fake.n_off, 0);
    assert_int_equal(fake.n_status, 1);
}

static void test_transitional_then_off(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    fake.transitional_polls = 5;
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF), BATON_STONITH_OK);
    assert_int_equal(fake.power, BATON_STONITH_POWER_OFF);
    assert_int_equal(fake.transitional_polls, 0);
    /* it waited through the transitional answers */
    assert_true(fake.n_status >= 6);
}

static void test_transient_status_failures_are_waited_on(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    /* the device stops answering for a while right after the command */
    fake.failures_after_command = 3;
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF), BATON_STONITH_OK);
    assert_int_equal(fake.status_failures, 0);
    assert_int_equal(fake.n_status, 1 + 3 + 1);
}

static void test_unreachable_after_command_times_out(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    fake.failures_after_command = 1000000;
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF),
                     BATON_STONITH_TIMED_OUT);
    assert_non_null(strstr(baton__fence_call_error(&r.call), "device unreachable"));
}

static void test_never_off_times_out(void **state)
{
    rig r;
    int64_t start = baton_now_ms(), took;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    fake.never_off = true;
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF),
                     BATON_STONITH_TIMED_OUT);
    took = baton_now_ms() - start;
    /* bounded by power_timeout (300 ms), not by the 5 s deadline */
    assert_true(took >= 290);
    assert_true(took < 2000);
    assert_non_null(baton__fence_call_error(&r.call));
    assert_non_null(strstr(baton__fence_call_error(&r.call), "still ON"));
}

static void test_deadline_bounds_power_timeout(void **state)
{
    rig r;
    int64_t start = baton_now_ms(), took;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 100);
    r.opts.power_timeout_ms = 20000;
    fake.never_off = true;
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF),
                     BATON_STONITH_TIMED_OUT);
    took = baton_now_ms() - start;
    assert_true(took < 1000);
}

static void test_auth_failure_is_final(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    fake.status_result = BATON_STONITH_AUTH_FAILED;
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF),
                     BATON_STONITH_AUTH_FAILED);
    assert_int_equal(fake.n_off, 0);
    assert_int_equal(fake.n_status, 1);
}

static void test_reboot_on(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    assert_int_equal(baton__power_reboot(&r.dev, &r.opts), BATON_STONITH_OK);
    assert_int_equal(fake.n_off, 1);
    assert_int_equal(fake.n_on, 1);
    assert_int_equal(fake.power, BATON_STONITH_POWER_ON);
}

static void test_reboot_of_off_chassis_powers_on(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_OFF, 5000);
    assert_int_equal(baton__power_reboot(&r.dev, &r.opts), BATON_STONITH_OK);
    assert_int_equal(fake.n_off, 0);
    assert_int_equal(fake.n_on, 1);
    assert_int_equal(fake.power, BATON_STONITH_POWER_ON);
}

static void test_reboot_fails_when_off_fails(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    fake.never_off = true;
    assert_int_equal(baton__power_reboot(&r.dev, &r.opts), BATON_STONITH_TIMED_OUT);
    assert_int_equal(fake.n_on, 0);
}

static void test_missing_as_off(void **state)
{
    rig r;
    baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    fake.status_result = BATON_STONITH_NO_SUCH_TARGET;
    assert_int_equal(baton__power_status(&r.dev, &r.opts, &p), BATON_STONITH_NO_SUCH_TARGET);
    r.opts.missing_as_off = true;
    assert_int_equal(baton__power_status(&r.dev, &r.opts, &p), BATON_STONITH_OK);
    assert_int_equal(p, BATON_STONITH_POWER_OFF);
    assert_int_equal(baton__power_set(&r.dev, &r.opts, BATON_STONITH_POWER_OFF), BATON_STONITH_OK);
    assert_int_equal(fake.n_off, 0);
}

static void test_cycle(void **state)
{
    rig r;

    (void) state;
    rig_init(&r, BATON_STONITH_POWER_ON, 5000);
    assert_int_equal(baton__power_cycle(&r.dev, &r.opts), BATON_STONITH_OK);
    assert_int_equal(fake.n_reboot, 1);
    /* an off chassis is powered on, not cycled */
    rig_init(&r, BATON_STONITH_POWER_OFF, 5000);
    assert_int_equal(baton__power_cycle(&r.dev, &r.opts), BATON_STONITH_OK);
    assert_int_equal(fake.n_reboot, 0);
    assert_int_equal(fake.n_on, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_from_on),
        cmocka_unit_test(test_already_off),
        cmocka_unit_test(test_transitional_then_off),
        cmocka_unit_test(test_transient_status_failures_are_waited_on),
        cmocka_unit_test(test_unreachable_after_command_times_out),
        cmocka_unit_test(test_never_off_times_out),
        cmocka_unit_test(test_deadline_bounds_power_timeout),
        cmocka_unit_test(test_auth_failure_is_final),
        cmocka_unit_test(test_reboot_on),
        cmocka_unit_test(test_reboot_of_off_chassis_powers_on),
        cmocka_unit_test(test_reboot_fails_when_off_fails),
        cmocka_unit_test(test_missing_as_off),
        cmocka_unit_test(test_cycle),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
