/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ldap-slapd-args.h"

static void test_promotable(void **state)
{
    (void) state;
    assert_true(ldap_promotable_from_meta("true", NULL));
    assert_true(ldap_promotable_from_meta("yes", "0"));
    assert_false(ldap_promotable_from_meta("false", NULL));
    assert_false(ldap_promotable_from_meta("bogus", NULL));
    /* Pacemaker 1.1 master/slave: master_max above 0 (resource-agents' ocf_is_ms) */
    assert_true(ldap_promotable_from_meta(NULL, "1"));
    assert_true(ldap_promotable_from_meta("false", "1"));
    assert_false(ldap_promotable_from_meta(NULL, "0"));
    assert_false(ldap_promotable_from_meta(NULL, "x"));
    /* a primitive, a plain clone, by hand */
    assert_false(ldap_promotable_from_meta(NULL, NULL));
}

static char **parse_ok(const char *s, size_t expect_n)
{
    char reason[256];
    char **argv = NULL;
    size_t n = 99;

    assert_int_equal(ldap_slapd_args_parse(s, &argv, &n, reason, sizeof(reason)), 0);
    assert_int_equal(n, expect_n);
    assert_non_null(argv);
    assert_null(argv[n]);
    return argv;
}

static void parse_refused(const char *s, const char *why)
{
    char reason[256];
    char **argv = NULL;
    size_t n = 99;

    assert_int_equal(ldap_slapd_args_parse(s, &argv, &n, reason, sizeof(reason)), -EINVAL);
    assert_null(argv);
    assert_int_equal(n, 99);
    if (!strstr(reason, why))
        fail_msg("'%s': reason '%s' does not say '%s'", s, reason, why);
    assert_non_null(strstr(reason, "parameters"));
}

static void test_args_split(void **state)
{
    char **a;

    (void) state;
    a = parse_ok(NULL, 0);
    baton_strv_free(a);
    a = parse_ok("  \t ", 0);
    baton_strv_free(a);
    a = parse_ok("-4 -o slp=off  -s 256\t-l LOCAL5", 7);
    assert_string_equal(a[0], "-4");
    assert_string_equal(a[1], "-o");
    assert_string_equal(a[2], "slp=off");
    assert_string_equal(a[5], "-l");
    assert_string_equal(a[6], "LOCAL5");
    baton_strv_free(a);
    /* getopt forms: clustered flags, a value in the same word, a value looking like an option */
    a = parse_ok("-46 -sDEBUG -n -x", 4);
    assert_string_equal(a[1], "-sDEBUG");
    baton_strv_free(a);
    a = parse_ok("-4o slp=off", 2);
    baton_strv_free(a);
    baton_strv_free(NULL);
}

static void test_args_refused(void **state)
{
    (void) state;
    parse_refused("-f /etc/ldap/slapd.conf", "'config'");
    parse_refused("-F/etc/ldap/slapd.d", "'config'");
    parse_refused("-4 -h ldap:///", "'services'");
    parse_refused("-u openldap", "'user'");
    parse_refused("-46g openldap", "'group'");
    parse_refused("-d 256", "foreground");
    parse_refused("-T cat", "tool");
    parse_refused("-t", "tests");
    parse_refused("-VV", "version");
    parse_refused("-r /var/chroot", "chroot");
    parse_refused("-x", "no option -x");
    parse_refused("-4 extra", "not a slapd option");
    parse_refused("--", "not a slapd option");
    parse_refused("-", "not a slapd option");
    parse_refused("-s", "needs a value");
    parse_refused("-o \"slp=off\"", "quotes");
    parse_refused("-o slp\\=off", "backslashes");
    parse_refused("-o 'a b'", "quotes");
    parse_refused("-4\x01", "control");
    /* the option's value is not read as an option */
    baton_strv_free(parse_ok("-o -h", 2));
}

static void test_ldif_values(void **state)
{
    const char *text =
        "dn: olcDatabase={1}mdb\n"
        "objectClass: olcDatabaseConfig\n"
        "olcSuffix: dc=example,dc=com\r\n"
        "olcsuffix: ou=a-very-long-organizational-unit-name,ou=another-long-one,dc=examp\n"
        " le,dc=org\n"
        "olcSuffixX: no\n"
        "olcSuffix:: ZGM9YmFzZTY0\n"
        "olcSuffix:dc=tight\n";
    char **v = NULL;

    (void) state;
    assert_int_equal(ldap_ldif_values(text, "olcSuffix", &v), 3);
    assert_string_equal(v[0], "dc=example,dc=com");
    assert_string_equal(v[1], "ou=a-very-long-organizational-unit-name,ou=another-long-one,dc=example,dc=org");
    assert_string_equal(v[2], "dc=tight");
    assert_null(v[3]);
    baton_strv_free(v);
    assert_int_equal(ldap_ldif_values("", "olcSuffix", &v), 0);
    assert_null(v[0]);
    baton_strv_free(v);
}

static void test_suffixes(void **state)
{
    const char *have[] = { "dc=a", "dc=b", "DC=C" };
    const char *out[4];

    (void) state;
    assert_true(ldap_dn_in_list("dc=c", " dc=a\tDC=C "));
    assert_false(ldap_dn_in_list("dc=c", "dc=cc dc=a"));
    assert_false(ldap_dn_in_list("dc=c", NULL));

    /* nothing said: every database */
    assert_int_equal(ldap_suffixes_to_check(have, 3, NULL, "", "", out), 3);
    /* ignore_suffix */
    assert_int_equal(ldap_suffixes_to_check(have, 3, NULL, NULL, "dc=b dc=c", out), 1);
    assert_string_equal(out[0], "dc=a");
    /* watch_suffix: only those, and ignore_suffix is not looked at */
    assert_int_equal(ldap_suffixes_to_check(have, 3, NULL, "dc=c dc=b dc=nowhere", "dc=b", out), 2);
    assert_string_equal(out[0], "dc=b");
    assert_string_equal(out[1], "DC=C");
    /* suffix (the replicated database) stands for the configuration's */
    assert_int_equal(ldap_suffixes_to_check(have, 3, "dc=b", "", "", out), 1);
    assert_string_equal(out[0], "dc=b");
    assert_int_equal(ldap_suffixes_to_check(have, 3, "dc=b", "", "dc=b", out), 0);
    assert_int_equal(ldap_suffixes_to_check(have, 3, "dc=b", "dc=a dc=c", "", out), 2);
    assert_string_equal(out[0], "dc=a");
    assert_int_equal(ldap_suffixes_to_check(NULL, 0, NULL, "", "", out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_promotable),
        cmocka_unit_test(test_args_split),
        cmocka_unit_test(test_args_refused),
        cmocka_unit_test(test_ldif_values),
        cmocka_unit_test(test_suffixes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
