/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ldap-csn.h"

static void test_parse(void **state)
{
    ldap_csn c;

    (void) state;
    assert_int_equal(ldap_csn_parse("20261125184512.123456Z#000000#001#000000", &c), 0);
    /* 2026-11-25 18:45:12 UTC = 1795718712 s since the epoch */
    assert_int_equal(c.usec, 1795632312LL * 1000000 + 123456);
    assert_int_equal(c.sid, 1);
    assert_int_equal(c.count, 0);
    assert_int_equal(ldap_csn_parse("19700101000000.000000Z#00000a#fff#000002", &c), 0);
    assert_int_equal(c.usec, 0);
    assert_int_equal(c.count, 10);
    assert_int_equal(c.sid, 0xfff);
    assert_int_equal(c.mod, 2);
    /* leap year day */
    assert_int_equal(ldap_csn_parse("20240229120000.000000Z#000000#002#000000", &c), 0);
    assert_int_equal(c.usec, 1709208000LL * 1000000);
}

static void test_parse_invalid(void **state)
{
    ldap_csn c = { .usec = 42 };

    (void) state;
    assert_int_equal(ldap_csn_parse(NULL, &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("", &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("20261125184512.123456Z#000000#001", &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("20261125184512.123456Z#000000#001#0000000", &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("2026112518451x.123456Z#000000#001#000000", &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("20261325184512.123456Z#000000#001#000000", &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("20261125184512.123456Z#00000g#001#000000", &c), -EINVAL);
    assert_int_equal(ldap_csn_parse("20261125184512-123456Z#000000#001#000000", &c), -EINVAL);
    assert_int_equal(c.usec, 42);   /* untouched on failure */
}

static void test_cmp(void **state)
{
    ldap_csn a, b;

    (void) state;
    assert_int_equal(ldap_csn_parse("20261125184512.123456Z#000000#001#000000", &a), 0);
    assert_int_equal(ldap_csn_parse("20261125184512.123457Z#000000#001#000000", &b), 0);
    assert_true(ldap_csn_cmp(&a, &b) < 0);
    assert_true(ldap_csn_cmp(&b, &a) > 0);
    assert_int_equal(ldap_csn_cmp(&a, &a), 0);
    /* same microsecond: the change counter decides */
    assert_int_equal(ldap_csn_parse("20261125184512.123456Z#000001#001#000000", &b), 0);
    assert_true(ldap_csn_cmp(&a, &b) < 0);
}

static void test_set_add_keeps_newest_per_sid(void **state)
{
    ldap_csn_set s = { .n = 0 };

    (void) state;
    assert_int_equal(ldap_csn_set_add(&s, "20261125184512.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&s, "20261125184510.000000Z#000000#002#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&s, "20261125184500.000000Z#000000#001#000000"), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(ldap_csn_set_find(&s, 1)->usec, 1795632312LL * 1000000);
    assert_int_equal(ldap_csn_set_newest(&s)->sid, 1);
    assert_null(ldap_csn_set_find(&s, 3));
    assert_int_equal(ldap_csn_set_add(&s, "junk"), -EINVAL);
    assert_int_equal(s.n, 2);
}

static void test_set_full(void **state)
{
    ldap_csn_set s = { .n = 0 };
    char buf[64];

    (void) state;
    for (unsigned i = 0; i < LDAP_CSN_MAX; i++) {
        snprintf(buf, sizeof(buf), "20261125184512.000000Z#000000#%03x#000000", i);
        assert_int_equal(ldap_csn_set_add(&s, buf), 0);
    }
    assert_int_equal(ldap_csn_set_add(&s, "20261125184512.000000Z#000000#fff#000000"), -ENOSPC);
    assert_null(ldap_csn_set_newest(&(ldap_csn_set) { .n = 0 }));
}

static void test_lag(void **state)
{
    ldap_csn_set local = { .n = 0 }, ref = { .n = 0 };
    bool behind = true;
    int64_t lag = -1;

    (void) state;
    /* equal: not behind */
    assert_int_equal(ldap_csn_set_add(&local, "20261125184512.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&ref, "20261125184512.000000Z#000000#001#000000"), 0);
    ldap_csn_set_lag(&local, &ref, &behind, &lag);
    assert_false(behind);
    assert_int_equal(lag, 0);
    /* provider 2.5 s newer for sid 1 */
    assert_int_equal(ldap_csn_set_add(&ref, "20261125184514.500000Z#000000#001#000000"), 0);
    ldap_csn_set_lag(&local, &ref, &behind, &lag);
    assert_true(behind);
    assert_int_equal(lag, 2500);
    /* local newer than the reference: not behind */
    ldap_csn_set_lag(&ref, &local, &behind, &lag);
    assert_false(behind);
    /* same microsecond, later change counter: behind by at least 1 ms */
    local = (ldap_csn_set) { .n = 0 };
    ref = (ldap_csn_set) { .n = 0 };
    assert_int_equal(ldap_csn_set_add(&local, "20261125184512.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&ref, "20261125184512.000000Z#000001#001#000000"), 0);
    ldap_csn_set_lag(&local, &ref, &behind, &lag);
    assert_true(behind);
    assert_int_equal(lag, 1);
    /* a server ID local has never seen: behind */
    assert_int_equal(ldap_csn_set_add(&ref, "20261125184500.000000Z#000000#002#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&local, "20261125184512.000000Z#000001#001#000000"), 0);
    ldap_csn_set_lag(&local, &ref, &behind, &lag);
    assert_true(behind);
    assert_true(lag > 1000LL * 86400 * 365);
    /* local has an extra server ID the reference lacks: not behind */
    ldap_csn_set_lag(&ref, &ref, &behind, &lag);
    assert_false(behind);
}

static void test_freshest(void **state)
{
    ldap_csn_set local = { .n = 0 }, others[4] = { { .n = 0 } };

    (void) state;
    assert_int_equal(ldap_csn_set_add(&local, "20261125184512.000000Z#000000#001#000000"), 0);
    /* nobody answered: nothing to catch up from */
    assert_int_equal(ldap_csn_set_freshest(&local, others, 4), -1);
    assert_int_equal(ldap_csn_set_freshest(&local, others, 0), -1);
    /* 0 as fresh as local, 1 older, 2 one second newer, 3 three seconds newer */
    assert_int_equal(ldap_csn_set_add(&others[0], "20261125184512.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&others[1], "20261125184510.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_freshest(&local, others, 2), -1);
    assert_int_equal(ldap_csn_set_add(&others[2], "20261125184513.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_add(&others[3], "20261125184515.000000Z#000000#001#000000"), 0);
    assert_int_equal(ldap_csn_set_freshest(&local, others, 4), 3);
    assert_int_equal(ldap_csn_set_freshest(&local, others, 3), 2);
    /* a server ID local never saw outweighs any lag within one */
    assert_int_equal(ldap_csn_set_add(&others[1], "20261125184400.000000Z#000000#002#000000"), 0);
    assert_int_equal(ldap_csn_set_freshest(&local, others, 4), 1);
    /* equals: the first */
    others[3] = others[2];
    assert_int_equal(ldap_csn_set_freshest(&local, &others[2], 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_set_add_keeps_newest_per_sid),
        cmocka_unit_test(test_set_full),
        cmocka_unit_test(test_lag),
        cmocka_unit_test(test_freshest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
