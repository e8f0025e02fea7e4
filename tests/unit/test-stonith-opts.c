/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fence-agents option protocol: stdin lines, getopt, aliases, checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <baton/strutil.h>

#include "stonith/stonith-internal.h"
#include "tests/stonith/fake-plugin.h"

typedef struct fixture {
    baton__stonith_module *m;
    baton__fence_table *t;
    baton__fence_opts *o;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    char *reason = NULL;

    assert_non_null(f);
    assert_int_equal(baton__stonith_module_from_plugin(&fake_plugin, &f->m, &reason), 0);
    assert_int_equal(baton__fence_table_build(f->m, &f->t, &reason), 0);
    f->o = baton__fence_opts_new();
    assert_non_null(f->o);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    baton__fence_opts_free(f->o);
    baton__fence_table_free(f->t);
    baton__stonith_module_free(f->m);
    free(f);
    return 0;
}

static void parse(baton__fence_opts *o, const char *text)
{
    assert_int_equal(baton__fence_opts_parse_stdin(o, text, strlen(text)), 0);
}

static void test_stdin_basic(void **state)
{
    fixture *f = *state;

    parse(f->o, "# pacemaker-fenced\naction=off\n\n  ip = 192.0.2.7  \nport=node1\n"
                "ipport=623\nipport=624\nnot a pair\n=nokey\n");
    assert_string_equal(baton__fence_opts_get(f->o, "action"), "off");
    assert_string_equal(baton__fence_opts_get(f->o, "ip"), "192.0.2.7");
    /* the last value wins */
    assert_string_equal(baton__fence_opts_get(f->o, "ipport"), "624");
    assert_string_equal(baton__fence_opts_get(f->o, "port"), "node1");
    assert_null(baton__fence_opts_get(f->o, "not a pair"));
    assert_null(baton__fence_opts_get(f->o, ""));
}

static void test_stdin_quotes_dashes_crlf(void **state)
{
    fixture *f = *state;

    parse(f->o, "password=\"with # hash\"\r\nusername='admin'\npower-timeout=30\n"
                "plug=\"unbalanced'\nip=\"\"\nnodename=a=b\n");
    assert_string_equal(baton__fence_opts_get(f->o, "password"), "with # hash");
    assert_string_equal(baton__fence_opts_get(f->o, "username"), "admin");
    /* '-' in keys is '_' */
    assert_string_equal(baton__fence_opts_get(f->o, "power_timeout"), "30");
    assert_string_equal(baton__fence_opts_get(f->o, "plug"), "\"unbalanced'");
    assert_string_equal(baton__fence_opts_get(f->o, "ip"), "");
    /* only the first '=' splits */
    assert_string_equal(baton__fence_opts_get(f->o, "nodename"), "a=b");
}

static void test_stdin_no_final_newline_and_nul(void **state)
{
    fixture *f = *state;
    const char text[] = "action=status\nip=x\0ip=y\n";

    assert_int_equal(baton__fence_opts_parse_stdin(f->o, text, sizeof(text) - 1), 0);
    assert_string_equal(baton__fence_opts_get(f->o, "ip"), "x");
    parse(f->o, "action=on");
    assert_string_equal(baton__fence_opts_get(f->o, "action"), "on");
}

static void test_aliases(void **state)
{
    fixture *f = *state;

    parse(f->o, "ipaddr=198.51.100.1\nlogin=root\npasswd=pw\nport=vm1\nplug=vm2\n");
    baton__fence_resolve_aliases(f->t, f->o);
    assert_string_equal(baton__fence_opts_get(f->o, "ip"), "198.51.100.1");
    assert_string_equal(baton__fence_opts_get(f->o, "username"), "root");
    assert_string_equal(baton__fence_opts_get(f->o, "password"), "pw");
    /* the current name wins over the deprecated one */
    assert_string_equal(baton__fence_opts_get(f->o, "plug"), "vm2");
    assert_null(baton__fence_opts_get(f->o, "ipaddr"));
    assert_null(baton__fence_opts_get(f->o, "port"));
}

static void test_argv(void **state)
{
    fixture *f = *state;
    char a0[] = "fence_baton_fake", a1[] = "-o", a2[] = "status", a3[] = "--ip=203.0.113.5",
         a4[] = "-P", a5[] = "-l", a6[] = "admin", a7[] = "--power-timeout", a8[] = "7.5",
         a9[] = "-p", a10[] = "topsecret", a11[] = "--password-script=/bin/pw";
    char *argv[] = { a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, NULL };
    const char *secret = NULL;
    char *reason = NULL;

    assert_int_equal(baton__fence_parse_argv(f->t, f->o, 12, argv, &secret, &reason), 0);
    assert_string_equal(baton__fence_opts_get(f->o, "action"), "status");
    assert_string_equal(baton__fence_opts_get(f->o, "ip"), "203.0.113.5");
    assert_string_equal(baton__fence_opts_get(f->o, "lanplus"), "1");
    assert_string_equal(baton__fence_opts_get(f->o, "username"), "admin");
    assert_string_equal(baton__fence_opts_get(f->o, "power_timeout"), "7.5");
    assert_string_equal(baton__fence_opts_get(f->o, "password"), "topsecret");
    assert_string_equal(baton__fence_opts_get(f->o, "password_script"), "/bin/pw");
    /* the secret was taken, its argv copy wiped, and the caller told */
    assert_string_equal(secret, "password");
    assert_int_equal(a10[0], '\0');
    assert_int_equal(memcmp(a10, "\0\0\0\0\0\0\0\0\0", sizeof(a10)), 0);
}

static void test_argv_errors(void **state)
{
    fixture *f = *state;
    char a0[] = "fence", a1[] = "--no-such-option", a2[] = "-a", a3[] = "stray";
    char *bad_opt[] = { a0, a1, NULL };
    char *missing[] = { a0, a2, NULL };
    char *stray[] = { a0, a3, NULL };
    char *reason = NULL;

    assert_int_equal(baton__fence_parse_argv(f->t, f->o, 2, bad_opt, NULL, &reason), -EINVAL);
    assert_non_null(strstr(reason, "--no-such-option"));
    free(reason);
    reason = NULL;
    assert_int_equal(baton__fence_parse_argv(f->t, f->o, 2, missing, NULL, &reason), -EINVAL);
    assert_non_null(strstr(reason, "missing argument"));
    free(reason);
    reason = NULL;
    assert_int_equal(baton__fence_parse_argv(f->t, f->o, 2, stray, NULL, &reason), -EINVAL);
    assert_non_null(strstr(reason, "stray"));
    free(reason);
}

static void expect_invalid(fixture *f, const char *text, const char *needle)
{
    baton__fence_opts *o = baton__fence_opts_new();
    char *reason = NULL;

    parse(o, text);
    assert_int_equal(baton__fence_validate(f->t, o, true, &reason), -EINVAL);
    assert_non_null(reason);
    assert_non_null(strstr(reason, needle));
    free(reason);
    baton__fence_opts_free(o);
}

static void test_validate(void **state)
{
    fixture *f = *state;
    baton__fence_opts *o = baton__fence_opts_new();
    char *reason = NULL;

    parse(o, "ip=x\npassword=p\nipport=1623\nlanplus=off\nprivlvl=operator\npower_timeout=0.25\n");
    assert_int_equal(baton__fence_validate(f->t, o, true, &reason), 0);
    baton__fence_opts_free(o);

    expect_invalid(f, "password=p\n", "ip is missing");
    expect_invalid(f, "ip=x\n", "password is missing");
    expect_invalid(f, "ip=x\npassword=p\nipport=6x\n", "'6x' is not an integer");
    expect_invalid(f, "ip=x\npassword=p\nlanplus=maybe\n", "not a boolean");
    expect_invalid(f, "ip=x\npassword=p\nprivlvl=root\n", "not one of the allowed values");
    expect_invalid(f, "ip=x\npassword=p\npower_timeout=-1\n", "not a number of seconds");
    expect_invalid(f, "ip=x\npassword=p\nmethod=twice\n", "method");
}

static void test_validate_secret_by_companion(void **state)
{
    fixture *f = *state;
    baton__fence_opts *o = baton__fence_opts_new();
    char *reason = NULL;

    /* a required secret is satisfied by its _script or _file companion */
    parse(o, "ip=x\npassword_script=/usr/bin/pw\n");
    assert_int_equal(baton__fence_validate(f->t, o, true, &reason), 0);
    baton__fence_opts_free(o);
    o = baton__fence_opts_new();
    parse(o, "ip=x\npassword_file=/etc/pw\n");
    assert_int_equal(baton__fence_validate(f->t, o, true, &reason), 0);
    /* not checking required (metadata, help) */
    baton__fence_opts_free(o);
    o = baton__fence_opts_new();
    assert_int_equal(baton__fence_validate(f->t, o, false, &reason), 0);
    baton__fence_opts_free(o);
}

static void test_split_cmdline(void **state)
{
    char **v = NULL;
    size_t n = 0;

    (void) state;
    assert_int_equal(baton__split_cmdline("  /usr/bin/get-pw  --host 'bmc 1' \"a\\\"b\" c\\ d ''", &v, &n), 0);
    assert_int_equal(n, 6);
    assert_string_equal(v[0], "/usr/bin/get-pw");
    assert_string_equal(v[1], "--host");
    assert_string_equal(v[2], "bmc 1");
    assert_string_equal(v[3], "a\"b");
    assert_string_equal(v[4], "c d");
    assert_string_equal(v[5], "");
    assert_null(v[6]);
    baton_strv_free(v);
    assert_int_equal(baton__split_cmdline("   ", &v, &n), -EINVAL);
    assert_int_equal(baton__split_cmdline("echo 'open", &v, &n), -EINVAL);
}

static void test_table_generic_and_companions(void **state)
{
    fixture *f = *state;
    const baton_stonith_param *p;

    p = baton__fence_table_find(f->t, "password_script");
    assert_non_null(p);
    assert_int_equal(p->getopt_short, 'S');
    assert_string_equal(p->getopt_long, "password-script");
    assert_string_equal(p->deprecated_name, "passwd_script");
    assert_non_null(baton__fence_table_find(f->t, "password_file"));
    assert_non_null(baton__fence_table_find(f->t, "plug"));
    /* the fake plugin has a reboot of its own: method=cycle exists */
    assert_non_null(baton__fence_table_find(f->t, "method"));
    assert_null(baton__fence_table_find(f->t, "ipaddr"));
}

static const baton_stonith_standard_param *find_std(const baton__fence_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_std; i++)
        if (strcmp(t->std[i].name, name) == 0)
            return &t->std[i];
    return NULL;
}

static int check_std(fixture *f, const char *text, char **ret_reason)
{
    parse(f->o, text);
    baton__fence_resolve_aliases(f->t, f->o);
    return baton__fence_check_standard(f->t, f->o, "fence_baton_fake", ret_reason);
}

static void test_standard_table(void **state)
{
    fixture *f = *state;

    assert_string_equal(f->t->standard_agent, "fence_fake");
    /* the plugin's decisions, and fence-agents' common options added by the front end */
    assert_int_equal(find_std(f->t, "bridge")->decision, BATON_STONITH_DECISION_REFUSED);
    assert_int_equal(find_std(f->t, "debug_file")->decision, BATON_STONITH_DECISION_REFUSED);
    assert_int_equal(find_std(f->t, "plug_separator")->decision, BATON_STONITH_DECISION_NOOP);
    /* the plugin's own decision wins over the common one */
    assert_int_equal(find_std(f->t, "retry_on")->decision, BATON_STONITH_DECISION_NOOP);
    /* declared by the front end: not a decision (quiet, verbose_level are implemented) */
    assert_null(find_std(f->t, "quiet"));
    assert_null(find_std(f->t, "verbose_level"));
    assert_non_null(baton__fence_table_find(f->t, "quiet"));
}

static void test_standard_refused(void **state)
{
    fixture *f = *state;
    char *reason = NULL;

    assert_int_equal(check_std(f, "ip=x\nbridge=0x82\n", &reason), -EINVAL);
    assert_string_equal(reason, "parameter bridge of fence_fake is not supported by "
                                "fence_baton_fake: bridging is not implemented; use ip");
    free(reason);
    reason = NULL;
    /* a common option refused unless its value asks for what baton does anyway */
    baton__fence_opts_unset(f->o, "bridge");
    assert_int_equal(check_std(f, "debug=/tmp/x\n", &reason), -EINVAL);
    assert_non_null(strstr(reason, "set verbose=1"));
    free(reason);
}

static void test_standard_accepted(void **state)
{
    fixture *f = *state;
    char *reason = NULL;

    /* the accepted value, as a boolean: "no" asks for what "false" does */
    assert_int_equal(check_std(f, "legacy=no\n", &reason), 0);
    assert_int_equal(check_std(f, "legacy=\n", &reason), 0);   /* empty: not given */
    assert_int_equal(check_std(f, "tool_path=/usr/bin/tool\nretry_on=3\n", &reason), 0);
    assert_int_equal(check_std(f, "separator=,\nplug_separator=+\n", &reason), 0);
    /* declared, differing and unknown keys pass (the unknown one with a warning) */
    assert_int_equal(check_std(f, "lanplus=1\nno_such_option=1\n", &reason), 0);
    assert_null(reason);
    assert_int_equal(check_std(f, "legacy=yes\n", &reason), -EINVAL);
    assert_non_null(strstr(reason, "leave legacy off"));
    free(reason);
    reason = NULL;
    baton__fence_opts_unset(f->o, "legacy");
    assert_int_equal(check_std(f, "separator=;\n", &reason), -EINVAL);
    free(reason);
}

/* A plugin's table that the front end could not enforce is a load error. */
static void test_standard_table_errors(void **state)
{
    static const struct {
        baton_stonith_standard_param sp;
        const char *needle;
    } cases[] = {
        { { .name = "ip", .decision = BATON_STONITH_DECISION_NOOP, .why = "x" }, "noop but declared" },
        { { .name = "ipaddr", .decision = BATON_STONITH_DECISION_REFUSED, .why = "x", .instead = "y" },
          "refused but declared" },
        { { .name = "nothere", .decision = BATON_STONITH_DECISION_DIFFERS, .why = "x" },
          "differs but not declared" },
        { { .name = "nothere", .decision = BATON_STONITH_DECISION_REFUSED, .why = "x" },
          "without saying what to use instead" },
        { { .name = "nothere", .decision = BATON_STONITH_DECISION_NOOP }, "no reason" },
        { { .name = "nothere", .decision = BATON_STONITH_DECISION_MAX, .why = "x" }, "unknown decision" },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        baton_stonith_standard_param table[2] = { cases[i].sp, { .name = NULL } };
        baton_stonith_plugin p = fake_plugin;
        baton__stonith_module *m = NULL;
        baton__fence_table *t = NULL;
        char *reason = NULL;

        p.standard_params = table;
        assert_int_equal(baton__stonith_module_from_plugin(&p, &m, &reason), 0);
        assert_int_equal(baton__fence_table_build(m, &t, &reason), -EPROTO);
        if (!strstr(reason, cases[i].needle))
            fail_msg("case %zu: reason '%s' lacks '%s'", i, reason, cases[i].needle);
        free(reason);
        baton__stonith_module_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stdin_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stdin_quotes_dashes_crlf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stdin_no_final_newline_and_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_argv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_argv_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_secret_by_companion, setup, teardown),
        cmocka_unit_test(test_split_cmdline),
        cmocka_unit_test_setup_teardown(test_table_generic_and_companions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_accepted, setup, teardown),
        cmocka_unit_test(test_standard_table_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
