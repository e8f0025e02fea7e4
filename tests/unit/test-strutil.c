/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host names and addresses as an agent accepts them from its parameters. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <baton/strutil.h>

static void test_addresses(void **state)
{
    (void) state;
    assert_true(baton_ip_address_valid("127.0.0.1"));
    assert_true(baton_ip_address_valid("::1"));
    assert_true(baton_ip_address_valid("2001:db8::42"));
    assert_true(baton_ip_address_valid("fe80::1%eth0"));
    /* Only the usual dotted quad: the forms inet_aton() also reads are surprises. */
    assert_false(baton_ip_address_valid("1.2.3"));
    assert_false(baton_ip_address_valid("0x7f.1"));
    assert_false(baton_ip_address_valid("127.0.0.1 "));
    assert_false(baton_ip_address_valid("256.0.0.1"));
    assert_false(baton_ip_address_valid("fe80::1%"));
    assert_false(baton_ip_address_valid("fe80::1%eth0 x"));
    assert_false(baton_ip_address_valid("fe80::1%a-very-long-interface-name"));
    assert_false(baton_ip_address_valid("127.0.0.1%eth0"));
    assert_false(baton_ip_address_valid("ntp.example.org"));
    assert_false(baton_ip_address_valid(""));
    assert_false(baton_ip_address_valid(NULL));
}

static void test_host_names(void **state)
{
    char label63[64], label64[65], name[300];

    (void) state;
    assert_true(baton_host_name_valid("localhost"));
    assert_true(baton_host_name_valid("ntp.example.org"));
    assert_true(baton_host_name_valid("ntp.example.org."));
    assert_true(baton_host_name_valid("0.pool.ntp.org"));
    assert_true(baton_host_name_valid("3com.example"));        /* RFC 1123: a digit may lead */
    assert_true(baton_host_name_valid("a-b.c"));
    assert_true(baton_host_name_valid("192.0.2.1"));
    assert_true(baton_host_name_valid("2001:db8::1"));

    /* Format strings, numbers that overflow or read as addresses, options. */
    assert_false(baton_host_name_valid("%s%n"));
    assert_false(baton_host_name_valid("18446744073709551616"));
    assert_false(baton_host_name_valid("1.2.3"));
    assert_false(baton_host_name_valid("example.123"));
    assert_false(baton_host_name_valid("-x"));
    assert_false(baton_host_name_valid("--help"));
    assert_false(baton_host_name_valid("a-.example"));
    assert_false(baton_host_name_valid("a..example"));
    assert_false(baton_host_name_valid(".example"));
    assert_false(baton_host_name_valid("."));
    assert_false(baton_host_name_valid(""));
    assert_false(baton_host_name_valid("under_score.example"));
    assert_false(baton_host_name_valid("a b"));
    assert_false(baton_host_name_valid("a\nlocal stratum 1"));
    assert_false(baton_host_name_valid("a/24"));
    assert_false(baton_host_name_valid(NULL));

    memset(label63, 'a', 63);
    label63[63] = '\0';
    memset(label64, 'a', 64);
    label64[64] = '\0';
    assert_true(baton_host_name_valid(label63));
    assert_false(baton_host_name_valid(label64));
    /* 4 * 63 + 3 dots = 255 > 253 */
    snprintf(name, sizeof(name), "%s.%s.%s.%s", label63, label63, label63, label63);
    assert_false(baton_host_name_valid(name));
    snprintf(name, sizeof(name), "%s.%s.%s.%.61s", label63, label63, label63, label63);
    assert_int_equal(strlen(name), 253);
    assert_true(baton_host_name_valid(name));
}

static void test_strv(void **state)
{
    char **v = NULL;
    size_t n = 0;

    (void) state;
    assert_int_equal(baton_strv_push(&v, &n, strdup("a")), 0);
    assert_int_equal(baton_strv_push(&v, &n, strdup("b")), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "a");
    assert_string_equal(v[1], "b");
    assert_null(v[2]);
    /* a failed strdup is -ENOMEM, and the vector stays as it was */
    assert_int_equal(baton_strv_push(&v, &n, NULL), -ENOMEM);
    assert_int_equal(n, 2);
    assert_null(v[2]);
    baton_strv_free(v);
    baton_strv_free(NULL);

    assert_int_equal(baton_strv_split(" \tone  two\nthree ", &v, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "one");
    assert_string_equal(v[1], "two");
    assert_string_equal(v[2], "three");
    assert_null(v[3]);
    baton_strv_free(v);
    /* no quoting: a quote is part of its word */
    assert_int_equal(baton_strv_split("'a b'", &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "'a");
    baton_strv_free(v);
    /* nothing to split: an empty vector, not NULL */
    assert_int_equal(baton_strv_split(NULL, &v, &n), 0);
    assert_int_equal(n, 0);
    assert_non_null(v);
    assert_null(v[0]);
    baton_strv_free(v);
    assert_int_equal(baton_strv_split(" \t\n", &v, &n), 0);
    assert_int_equal(n, 0);
    baton_strv_free(v);
}

static void test_reason_invalid(void **state)
{
    char reason[8] = "";

    (void) state;
    assert_int_equal(baton_reason_invalid(reason, sizeof(reason), "bad %s", "nic"), -EINVAL);
    assert_string_equal(reason, "bad nic");
    /* cut to the buffer, still terminated */
    assert_int_equal(baton_reason_invalid(reason, sizeof(reason), "%s", "too long a reason"), -EINVAL);
    assert_string_equal(reason, "too lon");
    /* no buffer: only the code */
    assert_int_equal(baton_reason_invalid(NULL, 0, "%s", "x"), -EINVAL);
}

static void test_hex_digit(void **state)
{
    static const struct { char c; int v; } cases[] = {
        { '0', 0 }, { '9', 9 }, { 'a', 10 }, { 'f', 15 }, { 'A', 10 }, { 'F', 15 },
        { 'g', -1 }, { 'G', -1 }, { '/', -1 }, { ':', -1 }, { ' ', -1 }, { '\0', -1 },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(baton_hex_digit(cases[i].c), cases[i].v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_host_names),
        cmocka_unit_test(test_strv),
        cmocka_unit_test(test_hex_digit),
        cmocka_unit_test(test_reason_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
