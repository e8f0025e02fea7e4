/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parameters: the pure parsers, loading from an environment array against
 * metadata (defaults, required, types, limits, deprecated names), the exact
 * reasons given, and that private values never reach a reason or a log.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <baton/log.h>
#include <baton/metadata.h>
#include <baton/ocf.h>
#include <baton/param.h>

#include "metadata-xml.h"

#define SECRET "S3cr3t-Value-9"

#define P(name, attrs, content)                                         \
    "<parameter name=\"" name "\" " attrs ">"                           \
    "<longdesc lang=\"en\">l</longdesc><shortdesc lang=\"en\">s</shortdesc>" \
    content "</parameter>"

static const char params_xml[] =
    "<resource-agent name=\"t\" xmlns:baton=\"urn:baton:metadata:1\"><version>1.1</version>"
    "<longdesc lang=\"en\">L</longdesc><shortdesc lang=\"en\">S</shortdesc><parameters>"
    P("ip", "required=\"1\"", "<content type=\"string\"/>")
    P("count", "", "<content type=\"integer\" baton:min=\"1\" baton:max=\"100\" default=\"5\"/>")
    P("big", "", "<content type=\"integer\"/>")
    P("enabled", "", "<content type=\"boolean\" default=\"true\"/>")
    P("verbose", "", "<content type=\"boolean\"/>")
    P("proto", "", "<content type=\"select\" default=\"tcp\"><option value=\"tcp\"/>"
                   "<option value=\"udp\"/></content>")
    P("timeout", "", "<content type=\"string\" baton:type=\"duration\" baton:unit=\"s\""
                     " baton:min=\"500ms\" baton:max=\"1h\" default=\"20s\"/>")
    P("delay", "", "<content type=\"integer\" baton:type=\"duration\" baton:unit=\"ms\"/>")
    P("name", "", "<content type=\"string\" default=\"dflt\"/>")
    P("password", "baton:private=\"1\"", "<content type=\"string\"/>")
    P("pin", "baton:private=\"1\"", "<content type=\"integer\" baton:min=\"1000\" baton:max=\"9999\"/>")
    P("mode", "baton:private=\"1\"", "<content type=\"select\"><option value=\"a\"/>"
                                     "<option value=\"b\"/></content>")
    P("hold", "baton:private=\"1\"", "<content type=\"string\" baton:type=\"duration\"/>")
    P("secret_flag", "baton:private=\"1\"", "<content type=\"boolean\"/>")
    P("old_ip", "", "<deprecated><replaced-with name=\"ip\"/></deprecated><content type=\"string\"/>")
    P("old_key", "", "<deprecated><replaced-with name=\"password\"/></deprecated>"
                     "<content type=\"string\"/>")
    P("legacy", "", "<deprecated/><content type=\"string\"/>")
    "</parameters><actions><action name=\"start\" timeout=\"20s\"/></actions></resource-agent>";

/* An agent replacing ocf:test:old, whose table covers each decision. */
static const char standard_xml[] =
    "<resource-agent name=\"new\" xmlns:baton=\"urn:baton:metadata:1\"><version>1.1</version>"
    "<longdesc lang=\"en\">L</longdesc><shortdesc lang=\"en\">S</shortdesc><parameters>"
    P("ip", "required=\"1\"", "<content type=\"string\"/>")
    P("count", "", "<content type=\"integer\" default=\"5\"/>")
    "</parameters>"
    "<baton:standard agent=\"ocf:test:old\">"
    "<baton:param name=\"ns\" decision=\"refused\" instead=\"run it there\">"
    "only here</baton:param>"
    "<baton:param name=\"lvs\" decision=\"refused\" accept=\"false\" instead=\"use lo\">"
    "no LVS</baton:param>"
    "<baton:param name=\"hash\" decision=\"refused\" accept=\"sip\" instead=\"none\">"
    "no hash</baton:param>"
    "<baton:param name=\"knob\" decision=\"noop\">tuning of the old one</baton:param>"
    "<baton:param name=\"count\" decision=\"differs\">counts twice</baton:param>"
    "</baton:standard>"
    "<actions><action name=\"start\" timeout=\"20s\"/></actions></resource-agent>";

static int setup(void **state)
{
    baton_metadata *md = NULL;

    if (baton_metadata_parse(params_xml, strlen(params_xml), &md, NULL) != 0)
        return -1;
    *state = md;
    return 0;
}

static int teardown(void **state)
{
    baton_metadata_free(*state);
    return 0;
}

/* Load with the given NULL-terminated environment; the result must be success. */
static baton_params *load_ok(const baton_metadata *md, char *const *envp)
{
    baton_params *p = NULL;
    char *reason = NULL;
    int rc = baton_params_load(md, envp, &p, &reason);

    if (rc != BATON_OCF_SUCCESS)
        fail_msg("load failed (%d): %s", rc, reason ? reason : "(no reason)");
    assert_null(reason);
    assert_non_null(p);
    return p;
}

/* ------------------------------------------------------------------ pure parsers */

static void test_value_means(void **state)
{
    (void) state;
    assert_true(baton_value_means("false", "no"));
    assert_true(baton_value_means("false", "0"));
    assert_true(baton_value_means("1", "yes"));
    assert_false(baton_value_means("false", "true"));
    assert_true(baton_value_means(",", ","));
    assert_false(baton_value_means(",", ";"));
    assert_false(baton_value_means("1", "10"));
    assert_false(baton_value_means(NULL, "no"));
}

static void test_parse_bool(void **state)
{
    static const char *const yes[] = { "1", "true", "TRUE", "True", "yes", "YES", "y", "Y", "on", "On" };
    static const char *const no[] = { "0", "false", "FALSE", "no", "No", "n", "N", "off", "OFF" };
    static const char *const bad[] = { "", "2", "tru", "truee", " true", "true ", "oui", "-1", "nein" };
    bool b;

    (void) state;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        b = false;
        assert_int_equal(baton_parse_bool(yes[i], &b), 0);
        assert_true(b);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        b = true;
        assert_int_equal(baton_parse_bool(no[i], &b), 0);
        assert_false(b);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        b = true;
        if (baton_parse_bool(bad[i], &b) != -EINVAL)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(b);         /* untouched on failure */
    }
    assert_int_equal(baton_parse_bool(NULL, &b), -EINVAL);
}

static void test_parse_int64(void **state)
{
    static const struct {
        const char *s;
        int r;
        int64_t v;
    } cases[] = {
        { "0", 0, 0 },
        { "42", 0, 42 },
        { "+42", 0, 42 },
        { "-42", 0, -42 },
        { "007", 0, 7 },
        { "-0", 0, 0 },
        { "9223372036854775807", 0, INT64_MAX },
        { "-9223372036854775808", 0, INT64_MIN },
        { "9223372036854775808", -ERANGE, 0 },
        { "-9223372036854775809", -ERANGE, 0 },
        { "99999999999999999999999999", -ERANGE, 0 },
        { "99999999999999999999999999x", -EINVAL, 0 },
        { "", -EINVAL, 0 },
        { "+", -EINVAL, 0 },
        { "-", -EINVAL, 0 },
        { "--1", -EINVAL, 0 },
        { " 1", -EINVAL, 0 },
        { "1 ", -EINVAL, 0 },
        { "0x10", -EINVAL, 0 },
        { "1e3", -EINVAL, 0 },
        { "1.0", -EINVAL, 0 },
        { "12a", -EINVAL, 0 },
        { "abc", -EINVAL, 0 },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = 12345;
        int r = baton_parse_int64(cases[i].s, &v);

        if (r != cases[i].r)
            fail_msg("'%s': got %d, want %d", cases[i].s, r, cases[i].r);
        assert_int_equal(v, r == 0 ? cases[i].v : 12345);
    }
    assert_int_equal(baton_parse_int64(NULL, &(int64_t){ 0 }), -EINVAL);
}

static void test_parse_duration(void **state)
{
    static const struct {
        const char *s;
        int64_t unit;
        int r;
        int64_t v;
    } cases[] = {
        { "250ms", 1000, 0, 250 },
        { "5s", 1000, 0, 5000 },
        { "5", 1000, 0, 5000 },
        { "5", 1, 0, 5 },
        { "5", 60000, 0, 300000 },
        { "0", 1000, 0, 0 },
        { "2m", 1000, 0, 120000 },
        { "2min", 1000, 0, 120000 },
        { "1h", 1, 0, 3600000 },
        { "5S", 1000, 0, 5000 },
        { "3MS", 1000, 0, 3 },
        { "10Min", 1000, 0, 600000 },
        { "9223372036854775807ms", 1000, 0, INT64_MAX },
        { "9223372036854775807", 1, 0, INT64_MAX },
        { "9223372036854775807s", 1000, -ERANGE, 0 },
        { "9223372036854775808", 1, -ERANGE, 0 },
        { "9223372036854775", 1000, 0, INT64_C(9223372036854775000) },
        { "9223372036854776", 1000, -ERANGE, 0 },
        { "2562047788016h", 1000, -ERANGE, 0 },
        { "2562047788015h", 1000, 0, INT64_C(2562047788015) * 3600000 },
        { "99999999999999999999ms", 1000, -ERANGE, 0 },
        { "99999999999999999999x", 1000, -EINVAL, 0 },
        { "", 1000, -EINVAL, 0 },
        { "s", 1000, -EINVAL, 0 },
        { "ms", 1000, -EINVAL, 0 },
        { "-5s", 1000, -EINVAL, 0 },
        { "+5s", 1000, -EINVAL, 0 },
        { "5 s", 1000, -EINVAL, 0 },
        { " 5s", 1000, -EINVAL, 0 },
        { "5s ", 1000, -EINVAL, 0 },
        { "5sec", 1000, -EINVAL, 0 },
        { "5x", 1000, -EINVAL, 0 },
        { "1.5s", 1000, -EINVAL, 0 },
        { "5ss", 1000, -EINVAL, 0 },
        { "5", 0, -EINVAL, 0 },
        { "5", -1000, -EINVAL, 0 },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = 12345;
        int r = baton_parse_duration_ms(cases[i].s, cases[i].unit, &v);

        if (r != cases[i].r)
            fail_msg("'%s' (unit %lld): got %d, want %d", cases[i].s,
                     (long long) cases[i].unit, r, cases[i].r);
        assert_int_equal(v, r == 0 ? cases[i].v : 12345);
    }
    assert_int_equal(baton_parse_duration_ms(NULL, 1000, &(int64_t){ 0 }), -EINVAL);
}

static void test_parse_seconds(void **state)
{
    static const struct {
        const char *s;
        int r;
        int64_t ms;
    } cases[] = {
        { "20", 0, 20000 },
        { "0.5", 0, 500 },
        { "1.2345", 0, 1234 },          /* milliseconds are the resolution */
        { "0", 0, 0 },
        { "", -EINVAL, 0 },
        { "1.", -EINVAL, 0 },
        { ".5", -EINVAL, 0 },
        { "5s", -EINVAL, 0 },
        { "-1", -EINVAL, 0 },
        { "99999999999999999999", -ERANGE, 0 },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t ms = -1;
        int r = baton_parse_seconds_ms(cases[i].s, &ms);

        if (r != cases[i].r)
            fail_msg("'%s': got %d, want %d", cases[i].s, r, cases[i].r);
        assert_int_equal(ms, r == 0 ? cases[i].ms : -1);
    }
    assert_int_equal(baton_parse_seconds_ms(NULL, &(int64_t){ 0 }), -EINVAL);
}

/* ------------------------------------------------------------------ loading */

static void test_defaults(void **state)
{
    char *env[] = { "OCF_RESKEY_ip=192.0.2.10", "PATH=/bin", NULL };
    baton_autoptr(baton_params) p = load_ok(*state, env);

    assert_string_equal(baton_params_get(p, "ip"), "192.0.2.10");
    assert_true(baton_params_is_set(p, "ip"));
    /* a default is a value, not a setting */
    assert_int_equal(baton_params_get_int(p, "count"), 5);
    assert_string_equal(baton_params_get(p, "count"), "5");
    assert_false(baton_params_is_set(p, "count"));
    assert_true(baton_params_get_bool(p, "enabled"));
    assert_string_equal(baton_params_get(p, "proto"), "tcp");
    assert_int_equal(baton_params_get_ms(p, "timeout"), 20000);
    assert_string_equal(baton_params_get(p, "name"), "dflt");
    /* optional without a default: absent, and zero to the typed getters */
    assert_null(baton_params_get(p, "verbose"));
    assert_false(baton_params_is_set(p, "verbose"));
    assert_false(baton_params_get_bool(p, "verbose"));
    assert_null(baton_params_get(p, "big"));
    assert_int_equal(baton_params_get_int(p, "big"), 0);
    assert_null(baton_params_get(p, "delay"));
    assert_int_equal(baton_params_get_ms(p, "delay"), 0);
    assert_null(baton_params_get(p, "password"));
    assert_string_equal(baton_params_loggable(p, "ip"), "192.0.2.10");
    assert_string_equal(baton_params_loggable(p, "verbose"), "(unset)");
    assert_string_equal(baton_params_loggable(p, "proto"), "tcp");
    assert_string_equal(baton_params_loggable(p, "password"), "<private>");
}

static void test_every_type_set(void **state)
{
    char *env[] = {
        "OCF_RESKEY_ip=2001:db8::1",
        "OCF_RESKEY_count=100",
        "OCF_RESKEY_big=-9223372036854775808",
        "OCF_RESKEY_enabled=off",
        "OCF_RESKEY_verbose=Yes",
        "OCF_RESKEY_proto=udp",
        "OCF_RESKEY_timeout=500ms",
        "OCF_RESKEY_delay=1500",
        "OCF_RESKEY_name=with spaces = and 'quotes'",
        "OCF_RESKEY_password=" SECRET,
        "OCF_RESKEY_pin=1234",
        "OCF_RESKEY_mode=b",
        "OCF_RESKEY_hold=2min",
        "OCF_RESKEY_secret_flag=1",
        "OCF_RESKEY_CRM_meta_timeout=20000",      /* Pacemaker's own: ignored */
        "OCF_RESKEY_undeclared=whatever",
        NULL,
    };
    baton_autoptr(baton_params) p = load_ok(*state, env);

    assert_string_equal(baton_params_get(p, "ip"), "2001:db8::1");
    assert_int_equal(baton_params_get_int(p, "count"), 100);
    assert_true(baton_params_is_set(p, "count"));
    assert_int_equal(baton_params_get_int(p, "big"), INT64_MIN);
    assert_false(baton_params_get_bool(p, "enabled"));
    assert_true(baton_params_get_bool(p, "verbose"));
    assert_string_equal(baton_params_get(p, "verbose"), "Yes");
    assert_string_equal(baton_params_get(p, "proto"), "udp");
    assert_int_equal(baton_params_get_ms(p, "timeout"), 500);
    assert_string_equal(baton_params_get(p, "timeout"), "500ms");
    assert_int_equal(baton_params_get_ms(p, "delay"), 1500);
    assert_string_equal(baton_params_get(p, "name"), "with spaces = and 'quotes'");
    assert_string_equal(baton_params_get(p, "password"), SECRET);
    assert_string_equal(baton_params_loggable(p, "password"), "<private>");
    assert_int_equal(baton_params_get_int(p, "pin"), 1234);
    assert_string_equal(baton_params_loggable(p, "pin"), "<private>");
    assert_string_equal(baton_params_get(p, "mode"), "b");
    assert_int_equal(baton_params_get_ms(p, "hold"), 120000);
    assert_true(baton_params_get_bool(p, "secret_flag"));
}

static void test_durations_in_units(void **state)
{
    static const struct {
        const char *value;
        int64_t ms;
    } ok[] = {
        { "1", 1000 },          /* bare number: the parameter's unit, seconds */
        { "3600", 3600000 },
        { "1h", 3600000 },
        { "60min", 3600000 },
        { "500ms", 500 },
        { "0m", -1 },           /* below the minimum: see below */
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char var[64];
        char *env[] = { "OCF_RESKEY_ip=x", var, NULL };
        baton_params *p = NULL;
        char *reason = NULL;
        int rc;

        snprintf(var, sizeof(var), "OCF_RESKEY_timeout=%s", ok[i].value);
        rc = baton_params_load(*state, env, &p, &reason);
        if (ok[i].ms < 0) {
            assert_int_equal(rc, BATON_OCF_ERR_CONFIGURED);
            assert_string_equal(reason, "parameter 'timeout': '0m' is out of range (500ms to 1h)");
            free(reason);
            continue;
        }
        if (rc != 0)
            fail_msg("'%s' rejected: %s", ok[i].value, reason);
        assert_int_equal(baton_params_get_ms(p, "timeout"), ok[i].ms);
        baton_params_free(p);
    }
}

static void test_empty_is_unset(void **state)
{
    char *env[] = {
        "OCF_RESKEY_ip=x",
        "OCF_RESKEY_count=",
        "OCF_RESKEY_enabled=",
        "OCF_RESKEY_big=",
        "OCF_RESKEY_proto=",
        NULL,
    };
    baton_autoptr(baton_params) p = load_ok(*state, env);
    char *env_required[] = { "OCF_RESKEY_ip=", NULL };
    baton_params *q = NULL;
    char *reason = NULL;

    assert_int_equal(baton_params_get_int(p, "count"), 5);
    assert_false(baton_params_is_set(p, "count"));
    assert_true(baton_params_get_bool(p, "enabled"));
    assert_null(baton_params_get(p, "big"));
    assert_string_equal(baton_params_get(p, "proto"), "tcp");

    assert_int_equal(baton_params_load(*state, env_required, &q, &reason), BATON_OCF_ERR_CONFIGURED);
    assert_null(q);
    assert_string_equal(reason, "parameter 'ip' is required");
    free(reason);
}

static void test_errors(void **state)
{
    static const struct {
        const char *var;
        const char *reason;
    } cases[] = {
        { NULL, "parameter 'ip' is required" },
        { "OCF_RESKEY_count=abc", "parameter 'count': 'abc' is not an integer" },
        { "OCF_RESKEY_count=5 ", "parameter 'count': '5 ' is not an integer" },
        { "OCF_RESKEY_count=0", "parameter 'count': '0' is out of range (1 to 100)" },
        { "OCF_RESKEY_count=101", "parameter 'count': '101' is out of range (1 to 100)" },
        { "OCF_RESKEY_count=-3", "parameter 'count': '-3' is out of range (1 to 100)" },
        { "OCF_RESKEY_count=99999999999999999999",
          "parameter 'count': '99999999999999999999' is out of range (1 to 100)" },
        { "OCF_RESKEY_big=9223372036854775808",
          "parameter 'big': '9223372036854775808' is out of range" },
        { "OCF_RESKEY_big=1.5", "parameter 'big': '1.5' is not an integer" },
        { "OCF_RESKEY_enabled=maybe",
          "parameter 'enabled': 'maybe' is not a boolean (use true or false)" },
        { "OCF_RESKEY_proto=x", "parameter 'proto': 'x' is not one of: tcp, udp" },
        { "OCF_RESKEY_proto=TCP", "parameter 'proto': 'TCP' is not one of: tcp, udp" },
        { "OCF_RESKEY_timeout=5x",
          "parameter 'timeout': '5x' is not a duration (such as 500ms, 30s, 5min or 1h)" },
        { "OCF_RESKEY_timeout=100ms", "parameter 'timeout': '100ms' is out of range (500ms to 1h)" },
        { "OCF_RESKEY_timeout=3601", "parameter 'timeout': '3601' is out of range (500ms to 1h)" },
        { "OCF_RESKEY_timeout=61min", "parameter 'timeout': '61min' is out of range (500ms to 1h)" },
        { "OCF_RESKEY_timeout=99999999999999999999h",
          "parameter 'timeout': '99999999999999999999h' is out of range (500ms to 1h)" },
        { "OCF_RESKEY_delay=1s5", "parameter 'delay': '1s5' is not a duration (such as 500ms, 30s, 5min or 1h)" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *env[] = { "OCF_RESKEY_ip=192.0.2.1", (char *) cases[i].var, NULL };
        baton_params *p = (baton_params *) 0x1;
        char *reason = NULL;

        if (!cases[i].var)
            env[0] = "OCF_RESKEY_other=1";
        assert_int_equal(baton_params_load(*state, env, &p, &reason), BATON_OCF_ERR_CONFIGURED);
        assert_ptr_equal(p, (baton_params *) 0x1);     /* untouched on failure */
        assert_non_null(reason);
        if (strcmp(reason, cases[i].reason) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].var ? cases[i].var : "(none)",
                     reason, cases[i].reason);
        free(reason);
    }
}

static void test_private_values_never_shown(void **state)
{
    static const struct {
        const char *var;
        const char *reason;
    } cases[] = {
        { "OCF_RESKEY_pin=" SECRET, "parameter 'pin': invalid value: not an integer" },
        { "OCF_RESKEY_pin=12", "parameter 'pin': invalid value: out of range (1000 to 9999)" },
        { "OCF_RESKEY_pin=99999999999999999999999",
          "parameter 'pin': invalid value: out of range (1000 to 9999)" },
        { "OCF_RESKEY_mode=" SECRET, "parameter 'mode': invalid value: not one of: a, b" },
        { "OCF_RESKEY_hold=" SECRET,
          "parameter 'hold': invalid value: not a duration (such as 500ms, 30s, 5min or 1h)" },
        { "OCF_RESKEY_secret_flag=" SECRET,
          "parameter 'secret_flag': invalid value: not a boolean (use true or false)" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *env[] = { "OCF_RESKEY_ip=x", (char *) cases[i].var, NULL };
        const char *value = strchr(cases[i].var, '=') + 1;
        baton_params *p = NULL;
        char *reason = NULL;

        assert_int_equal(baton_params_load(*state, env, &p, &reason), BATON_OCF_ERR_CONFIGURED);
        assert_string_equal(reason, cases[i].reason);
        assert_null(strstr(reason, value));
        free(reason);
    }
}

/* With debugging on, nothing the library logs while loading may carry a secret. */
static void test_private_values_never_logged(void **state)
{
    char *env[] = { "OCF_RESKEY_old_key=" SECRET, "OCF_RESKEY_old_ip=192.0.2.7",
                    "OCF_RESKEY_legacy=" SECRET, NULL };
    char *env_bad[] = { "OCF_RESKEY_ip=x", "OCF_RESKEY_pin=" SECRET, NULL };
    char path[] = "/tmp/test-param-log.XXXXXX";
    char log[4096] = "";
    baton_params *p = NULL;
    char *reason = NULL;
    int fd = mkstemp(path), saved;
    ssize_t n;

    assert_true(fd >= 0);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(setenv("HA_debug", "1", 1), 0);
    baton_log_open("test-param", NULL);
    baton_log_set_targets(true, false);
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);

    assert_int_equal(baton_params_load(*state, env, &p, &reason), BATON_OCF_SUCCESS);
    assert_string_equal(baton_params_get(p, "password"), SECRET);
    assert_string_equal(baton_params_get(p, "ip"), "192.0.2.7");
    baton_params_free(p);
    assert_int_equal(baton_params_load(*state, env_bad, &p, &reason), BATON_OCF_ERR_CONFIGURED);
    free(reason);

    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    unsetenv("HA_debug");
    baton_log_open("test-param", NULL);
    n = pread(fd, log, sizeof(log) - 1, 0);
    close(fd);
    assert_true(n > 0);
    /* The capture works: the deprecation notes are there, without values. */
    assert_non_null(strstr(log, "'old_key' is deprecated; its value is used for 'password'"));
    assert_non_null(strstr(log, "'old_ip' is deprecated; its value is used for 'ip'"));
    assert_non_null(strstr(log, "'legacy' is deprecated"));
    assert_null(strstr(log, SECRET));
    assert_null(strstr(log, "192.0.2.7"));
}

static int setup_standard(void **state)
{
    baton_metadata *md = NULL;
    char *error = NULL;

    if (baton_metadata_parse(standard_xml, strlen(standard_xml), &md, &error) != 0) {
        fprintf(stderr, "standard_xml: %s\n", error ? error : "?");
        free(error);
        return -1;
    }
    *state = md;
    return 0;
}

/* A refused parameter of the old agent fails the load, whatever else is right or wrong. */
static void test_standard_refused(void **state)
{
    static const struct {
        const char *var;
        const char *reason;
    } cases[] = {
        { "OCF_RESKEY_ns=foo", "parameter ns of ocf:test:old is not supported by ocf:baton:new: "
                               "only here; run it there" },
        { "OCF_RESKEY_lvs=true", "parameter lvs of ocf:test:old is not supported by "
                                 "ocf:baton:new: no LVS; use lo" },
        { "OCF_RESKEY_lvs=maybe", "parameter lvs of ocf:test:old is not supported by "
                                  "ocf:baton:new: no LVS; use lo" },
        { "OCF_RESKEY_hash=SIP", "parameter hash of ocf:test:old is not supported by "
                                 "ocf:baton:new: no hash; none" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* ip missing and count wrong too: the refusal is what the user must hear first. */
        char *env[] = { "OCF_RESKEY_count=x", (char *) cases[i].var, NULL };
        baton_params *p = (baton_params *) 0x1;
        char *reason = NULL;

        assert_int_equal(baton_params_load(*state, env, &p, &reason), BATON_OCF_ERR_CONFIGURED);
        assert_ptr_equal(p, (baton_params *) 0x1);
        if (!reason || strcmp(reason, cases[i].reason) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].var, reason ? reason : "(null)",
                     cases[i].reason);
        /* The value itself is never quoted: the table does not know the old agent's secrets. */
        assert_null(strstr(reason, strchr(cases[i].var, '=') + 1));
        free(reason);
    }
}

/* Run a load with stderr captured into log (NUL-terminated); returns the load's code. */
static int load_logged(const baton_metadata *md, char *const *envp, char *log, size_t size)
{
    char path[] = "/tmp/test-param-std.XXXXXX";
    baton_params *p = NULL;
    char *reason = NULL;
    int fd = mkstemp(path), saved, rc;
    ssize_t n;

    assert_true(fd >= 0);
    assert_int_equal(unlink(path), 0);
    baton_log_open("test-param", NULL);
    baton_log_set_targets(true, false);
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    rc = baton_params_load(md, envp, &p, &reason);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    n = pread(fd, log, size - 1, 0);
    close(fd);
    log[n > 0 ? n : 0] = '\0';
    baton_params_free(p);
    free(reason);
    return rc;
}

static size_t count_lines_with(const char *log, const char *needle)
{
    size_t k = 0;

    for (const char *q = log; (q = strstr(q, needle)); q += strlen(needle))
        k++;
    return k;
}

/* No-op ones and refused ones set to what baton does anyway load, with one notice each. */
static void test_standard_noted(void **state)
{
    char *env[] = { "OCF_RESKEY_ip=192.0.2.1", "OCF_RESKEY_knob=7", "OCF_RESKEY_lvs=no",
                    "OCF_RESKEY_hash=sip", "OCF_RESKEY_count=2", NULL };
    char log[4096];

    assert_int_equal(load_logged(*state, env, log, sizeof(log)), BATON_OCF_SUCCESS);
    assert_int_equal(count_lines_with(log, "NOTICE: parameter knob of ocf:test:old has no effect "
                                           "in ocf:baton:new: tuning of the old one\n"), 1);
    assert_int_equal(count_lines_with(log, "NOTICE: parameter lvs of ocf:test:old is false, "
                                           "which is what ocf:baton:new does anyway: no LVS\n"), 1);
    assert_int_equal(count_lines_with(log, "NOTICE: parameter hash of ocf:test:old is sip"), 1);
    /* differs: implemented by the agent, nothing to say outside debugging */
    assert_null(strstr(log, "counts twice"));
}

/* Unset or empty (Pacemaker's way of clearing a parameter) is no use of it at all. */
static void test_standard_unset(void **state)
{
    char *env[] = { "OCF_RESKEY_ip=192.0.2.1", "OCF_RESKEY_ns=", "OCF_RESKEY_knob=", NULL };
    char log[4096];

    assert_int_equal(load_logged(*state, env, log, sizeof(log)), BATON_OCF_SUCCESS);
    assert_string_equal(log, "");
}

static void test_deprecated(void **state)
{
    char *env_old[] = { "OCF_RESKEY_old_ip=192.0.2.7", NULL };
    char *env_both[] = { "OCF_RESKEY_old_ip=192.0.2.7", "OCF_RESKEY_ip=192.0.2.8", NULL };
    baton_autoptr(baton_params) p = load_ok(*state, env_old);
    baton_autoptr(baton_params) q = load_ok(*state, env_both);

    /* the old name satisfies the required new one */
    assert_string_equal(baton_params_get(p, "ip"), "192.0.2.7");
    assert_true(baton_params_is_set(p, "ip"));
    assert_string_equal(baton_params_get(p, "old_ip"), "192.0.2.7");
    assert_false(baton_params_is_set(p, "password"));
    /* the new name wins */
    assert_string_equal(baton_params_get(q, "ip"), "192.0.2.8");
    assert_string_equal(baton_params_get(q, "old_ip"), "192.0.2.7");
}

static void test_process_environment(void **state)
{
    baton_params *p = NULL;

    assert_int_equal(setenv("OCF_RESKEY_ip", "198.51.100.4", 1), 0);
    assert_int_equal(setenv("OCF_RESKEY_count", "7", 1), 0);
    p = load_ok(*state, NULL);
    assert_string_equal(baton_params_get(p, "ip"), "198.51.100.4");
    assert_int_equal(baton_params_get_int(p, "count"), 7);
    baton_params_free(p);
    unsetenv("OCF_RESKEY_ip");
    unsetenv("OCF_RESKEY_count");
}

static void test_reason_optional(void **state)
{
    char *env[] = { NULL };
    baton_params *p = NULL;

    assert_int_equal(baton_params_load(*state, env, &p, NULL), BATON_OCF_ERR_CONFIGURED);
    assert_null(p);
    assert_null(baton_params_free(NULL));
}

static void test_no_parameters(void **state)
{
    static const char xml[] =
        "<resource-agent name=\"t\"><version>1.1</version><longdesc lang=\"en\">L</longdesc>"
        "<shortdesc lang=\"en\">S</shortdesc>"
        "<actions><action name=\"start\" timeout=\"20s\"/></actions></resource-agent>";
    baton_autoptr(baton_metadata) md = NULL;
    char *env[] = { "OCF_RESKEY_x=1", NULL };

    (void) state;
    assert_int_equal(baton_metadata_parse(xml, strlen(xml), &md, NULL), 0);
    baton_params_free(load_ok(md, env));
}

/* ------------------------------------------------------------------ misuse aborts */

typedef enum misuse {
    MISUSE_GET_UNDECLARED,
    MISUSE_IS_SET_UNDECLARED,
    MISUSE_LOGGABLE_UNDECLARED,
    MISUSE_INT_OF_STRING,
    MISUSE_BOOL_OF_INT,
    MISUSE_MS_OF_INT,
    MISUSE_INT_OF_DURATION,
    MISUSE_NULL_PARAMS,
    MISUSE_MAX,
} misuse;

static void do_misuse(const baton_params *p, misuse m)
{
    switch (m) {
    case MISUSE_GET_UNDECLARED: baton_params_get(p, "nope"); break;
    case MISUSE_IS_SET_UNDECLARED: baton_params_is_set(p, "nope"); break;
    case MISUSE_LOGGABLE_UNDECLARED: baton_params_loggable(p, "nope"); break;
    case MISUSE_INT_OF_STRING: baton_params_get_int(p, "ip"); break;
    case MISUSE_BOOL_OF_INT: baton_params_get_bool(p, "count"); break;
    case MISUSE_MS_OF_INT: baton_params_get_ms(p, "count"); break;
    case MISUSE_INT_OF_DURATION: baton_params_get_int(p, "timeout"); break;
    case MISUSE_NULL_PARAMS: baton_params_get_int(NULL, "count"); break;
    case MISUSE_MAX: break;
    }
}

static void test_misuse_aborts(void **state)
{
    char *env[] = { "OCF_RESKEY_ip=x", NULL };
    baton_autoptr(baton_params) p = load_ok(*state, env);

    for (misuse m = 0; m < MISUSE_MAX; m++) {
        int status = 0;
        pid_t pid = fork();

        assert_true(pid >= 0);
        if (pid == 0) {
            int devnull = open("/dev/null", O_WRONLY);

            if (devnull >= 0)
                dup2(devnull, STDERR_FILENO);
            do_misuse(p, m);
            _exit(0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
            fail_msg("misuse %d did not abort (status 0x%x)", (int) m, status);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_value_means),
        cmocka_unit_test(test_parse_int64),
        cmocka_unit_test(test_parse_duration),
        cmocka_unit_test(test_parse_seconds),
        cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_type_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_durations_in_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_is_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_private_values_never_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_private_values_never_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deprecated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_process_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reason_optional, setup, teardown),
        cmocka_unit_test(test_no_parameters),
        cmocka_unit_test_setup_teardown(test_standard_refused, setup_standard, teardown),
        cmocka_unit_test_setup_teardown(test_standard_noted, setup_standard, teardown),
        cmocka_unit_test_setup_teardown(test_standard_unset, setup_standard, teardown),
        cmocka_unit_test_setup_teardown(test_misuse_aborts, setup, teardown),
    };

    /* Library debug output would clutter the test log; one test turns it on itself. */
    unsetenv("HA_debug");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
