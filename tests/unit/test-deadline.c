/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include <baton/deadline.h>

#define TIMEOUT_ENV "OCF_RESKEY_CRM_meta_timeout"

/*
 * A deadline made "ms from now" must end between before + ms and
 * after + ms, with before/after read around the call.
 */
#define assert_deadline_in(expr, ms)                                    \
    do {                                                                \
        int64_t before_ = baton_now_ms();                               \
        baton_deadline d_ = (expr);                                     \
        int64_t after_ = baton_now_ms();                                \
        assert_in_range(d_.end_ms, before_ + (ms), after_ + (ms));      \
    } while (0)

static void test_now_monotonic(void **state)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = 20 * 1000000L };
    int64_t a = baton_now_ms();
    int64_t b;

    nanosleep(&ts, NULL);
    b = baton_now_ms();
    assert_true(a > 0);
    assert_true(b - a >= 20);
    assert_true(b - a < 2000);
}

static void test_margin(void **state)
{
    /* No timeout: nothing to keep back. */
    assert_int_equal(baton_deadline_margin_ms(0), 0);
    assert_int_equal(baton_deadline_margin_ms(-1), 0);
    assert_int_equal(baton_deadline_margin_ms(INT64_MIN), 0);
    /* Tiny timeouts: never more than half. */
    assert_int_equal(baton_deadline_margin_ms(1), 0);
    assert_int_equal(baton_deadline_margin_ms(2), 1);
    assert_int_equal(baton_deadline_margin_ms(3), 1);
    assert_int_equal(baton_deadline_margin_ms(998), 499);
    assert_int_equal(baton_deadline_margin_ms(999), 499);
    /* The minimum, reached where half the timeout allows it. */
    assert_int_equal(baton_deadline_margin_ms(1000), BATON_DEADLINE_MARGIN_MIN_MS);
    assert_int_equal(baton_deadline_margin_ms(1001), BATON_DEADLINE_MARGIN_MIN_MS);
    assert_int_equal(baton_deadline_margin_ms(4999), BATON_DEADLINE_MARGIN_MIN_MS);
    assert_int_equal(baton_deadline_margin_ms(5000), BATON_DEADLINE_MARGIN_MIN_MS);
    assert_int_equal(baton_deadline_margin_ms(5009), BATON_DEADLINE_MARGIN_MIN_MS);
    /* A tenth in between. */
    assert_int_equal(baton_deadline_margin_ms(5010), 501);
    assert_int_equal(baton_deadline_margin_ms(20000), 2000);
    assert_int_equal(baton_deadline_margin_ms(49999), 4999);
    /* The maximum. */
    assert_int_equal(baton_deadline_margin_ms(50000), BATON_DEADLINE_MARGIN_MAX_MS);
    assert_int_equal(baton_deadline_margin_ms(50009), BATON_DEADLINE_MARGIN_MAX_MS);
    assert_int_equal(baton_deadline_margin_ms(600000), BATON_DEADLINE_MARGIN_MAX_MS);
    assert_int_equal(baton_deadline_margin_ms(INT64_MAX), BATON_DEADLINE_MARGIN_MAX_MS);
}

static void test_in(void **state)
{
    baton_deadline never = baton_deadline_in(-1);
    baton_deadline now = baton_deadline_in(0);

    assert_int_equal(never.end_ms, INT64_MAX);
    assert_int_equal(baton_deadline_in(INT64_MIN).end_ms, INT64_MAX);
    assert_deadline_in(baton_deadline_in(1500), 1500);
    assert_true(baton_deadline_expired(now));
    assert_int_equal(baton_deadline_remaining_ms(now), 0);
    /* Too far to represent: saturates instead of wrapping into the past. */
    assert_false(baton_deadline_expired(baton_deadline_in(INT64_MAX)));
    assert_false(baton_deadline_expired(baton_deadline_in(INT64_MAX - 1)));
}

static void test_for_op_timeout(void **state)
{
    assert_deadline_in(baton_deadline_for_op_timeout(20000), 18000);
    assert_deadline_in(baton_deadline_for_op_timeout(100000), 95000);
    assert_deadline_in(baton_deadline_for_op_timeout(600), 300);
    /* <= 0: the default timeout, margin taken off. */
    assert_deadline_in(baton_deadline_for_op_timeout(0), BATON_DEADLINE_DEFAULT_TIMEOUT_MS -
                       baton_deadline_margin_ms(BATON_DEADLINE_DEFAULT_TIMEOUT_MS));
    assert_deadline_in(baton_deadline_for_op_timeout(-5), 18000);
}

static void check_env(const char *value, int64_t expect_ms)
{
    if (value)
        assert_int_equal(setenv(TIMEOUT_ENV, value, 1), 0);
    else
        assert_int_equal(unsetenv(TIMEOUT_ENV), 0);
    assert_deadline_in(baton_deadline_from_env(), expect_ms);
}

static void test_from_env(void **state)
{
    const int64_t dflt = BATON_DEADLINE_DEFAULT_TIMEOUT_MS -
                         baton_deadline_margin_ms(BATON_DEADLINE_DEFAULT_TIMEOUT_MS);

    check_env(NULL, dflt);
    check_env("", dflt);
    check_env("abc", dflt);
    check_env("20s", dflt);
    check_env("1000 ", dflt);
    check_env(" 1000", dflt);
    check_env("+1000", dflt);
    check_env("-1000", dflt);
    check_env("0", dflt);
    check_env("0x100", dflt);
    check_env("99999999999999999999999", dflt);
    check_env("60000", 55000);
    check_env("10000", 9000);
    check_env("1000", 500);
    check_env("120000", 115000);
    assert_int_equal(unsetenv(TIMEOUT_ENV), 0);
}

static void test_remaining_expired(void **state)
{
    baton_deadline never = baton_deadline_in(-1);
    baton_deadline past = { .end_ms = baton_now_ms() - 1000 };
    baton_deadline soon = baton_deadline_in(1000);
    int64_t left = baton_deadline_remaining_ms(soon);

    assert_int_equal(baton_deadline_remaining_ms(never), INT64_MAX);
    assert_false(baton_deadline_expired(never));
    assert_int_equal(baton_deadline_remaining_ms(past), 0);
    assert_true(baton_deadline_expired(past));
    assert_in_range(left, 900, 1000);
    assert_false(baton_deadline_expired(soon));
}

static void test_poll_timeout(void **state)
{
    baton_deadline past = { .end_ms = baton_now_ms() - 1 };
    int t = baton_deadline_poll_timeout(baton_deadline_in(2000));

    assert_int_equal(baton_deadline_poll_timeout(baton_deadline_in(-1)), -1);
    assert_int_equal(baton_deadline_poll_timeout(past), 0);
    assert_int_equal(baton_deadline_poll_timeout(baton_deadline_in(0)), 0);
    assert_in_range(t, 1900, 2000);
    /* Far but finite: clamped, not -1 and not wrapped negative. */
    assert_int_equal(baton_deadline_poll_timeout(baton_deadline_in((int64_t) INT_MAX * 4)), INT_MAX);
}

static void test_cap(void **state)
{
    baton_deadline never = baton_deadline_in(-1);
    baton_deadline far = baton_deadline_in(60000);
    baton_deadline past = { .end_ms = baton_now_ms() - 10 };

    assert_deadline_in(baton_deadline_cap(never, 100), 100);
    assert_deadline_in(baton_deadline_cap(far, 5000), 5000);
    /* The deadline is earlier than the cap: unchanged. */
    assert_int_equal(baton_deadline_cap(far, 120000).end_ms, far.end_ms);
    assert_int_equal(baton_deadline_cap(past, 5000).end_ms, past.end_ms);
    /* A negative cap is no cap. */
    assert_int_equal(baton_deadline_cap(far, -1).end_ms, far.end_ms);
    assert_int_equal(baton_deadline_cap(never, -1).end_ms, INT64_MAX);
    assert_true(baton_deadline_expired(baton_deadline_cap(far, 0)));
}

static void test_reserve(void **state)
{
    baton_deadline never = baton_deadline_in(-1);
    baton_deadline d = baton_deadline_in(10000);
    baton_deadline r;
    int64_t before, after;

    /* Reserve off a finite deadline. */
    assert_int_equal(baton_deadline_reserve(d, 3000).end_ms, d.end_ms - 3000);
    assert_int_equal(baton_deadline_reserve(d, 0).end_ms, d.end_ms);
    assert_int_equal(baton_deadline_reserve(d, -5).end_ms, d.end_ms);
    /* More than what is left: now, never earlier. */
    before = baton_now_ms();
    r = baton_deadline_reserve(d, 20000);
    after = baton_now_ms();
    assert_in_range(r.end_ms, before, after);
    assert_true(baton_deadline_expired(r));
    r = baton_deadline_reserve(d, INT64_MAX);
    assert_true(r.end_ms >= before);
    assert_true(baton_deadline_expired(r));
    /* Never minus anything is still never. */
    assert_int_equal(baton_deadline_reserve(never, 5000).end_ms, INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_now_monotonic),
        cmocka_unit_test(test_margin),
        cmocka_unit_test(test_in),
        cmocka_unit_test(test_for_op_timeout),
        cmocka_unit_test(test_from_env),
        cmocka_unit_test(test_remaining_expired),
        cmocka_unit_test(test_poll_timeout),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_reserve),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
