/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <baton/ocf.h>

static void test_names(void **state)
{
    (void) state;
    assert_string_equal(baton_ocf_rc_name(BATON_OCF_SUCCESS), "OCF_SUCCESS");
    assert_string_equal(baton_ocf_rc_name(BATON_OCF_NOT_RUNNING), "OCF_NOT_RUNNING");
    assert_string_equal(baton_ocf_rc_name(8), "OCF_RUNNING_PROMOTED");
    assert_string_equal(baton_ocf_rc_name(9), "OCF_FAILED_PROMOTED");
    assert_string_equal(baton_ocf_rc_name(190), "OCF_DEGRADED");
    assert_string_equal(baton_ocf_rc_name(191), "OCF_DEGRADED_PROMOTED");
    assert_string_equal(baton_ocf_rc_name(42), "OCF_UNKNOWN");
    assert_string_equal(baton_ocf_rc_str(42), "unknown exit status");
}

static void test_values_match_the_spec(void **state)
{
    (void) state;
    /* These numbers are the OCF contract with Pacemaker; they must never move. */
    assert_int_equal(BATON_OCF_ERR_GENERIC, 1);
    assert_int_equal(BATON_OCF_ERR_ARGS, 2);
    assert_int_equal(BATON_OCF_ERR_UNIMPLEMENTED, 3);
    assert_int_equal(BATON_OCF_ERR_PERM, 4);
    assert_int_equal(BATON_OCF_ERR_INSTALLED, 5);
    assert_int_equal(BATON_OCF_ERR_CONFIGURED, 6);
    assert_int_equal(BATON_OCF_NOT_RUNNING, 7);
    assert_int_equal(BATON_OCF_RUNNING_PROMOTED, 8);
    assert_int_equal(BATON_OCF_FAILED_PROMOTED, 9);
    assert_int_equal(BATON_OCF_DEGRADED, 190);
    assert_int_equal(BATON_OCF_DEGRADED_PROMOTED, 191);
}

static void test_every_code_has_a_description(void **state)
{
    const int codes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191 };

    (void) state;
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        assert_string_not_equal(baton_ocf_rc_name(codes[i]), "OCF_UNKNOWN");
        assert_string_not_equal(baton_ocf_rc_str(codes[i]), "unknown exit status");
    }
}

static void test_from_errno(void **state)
{
    (void) state;
    assert_int_equal(baton_ocf_rc_from_errno(0), BATON_OCF_SUCCESS);
    assert_int_equal(baton_ocf_rc_from_errno(-EPERM), BATON_OCF_ERR_PERM);
    assert_int_equal(baton_ocf_rc_from_errno(-EACCES), BATON_OCF_ERR_PERM);
    assert_int_equal(baton_ocf_rc_from_errno(-EOPNOTSUPP), BATON_OCF_ERR_UNIMPLEMENTED);
    assert_int_equal(baton_ocf_rc_from_errno(-EIO), BATON_OCF_ERR_GENERIC);
    assert_int_equal(baton_ocf_rc_from_errno(-ETIME), BATON_OCF_ERR_GENERIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_values_match_the_spec),
        cmocka_unit_test(test_every_code_has_a_description),
        cmocka_unit_test(test_from_errno),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
