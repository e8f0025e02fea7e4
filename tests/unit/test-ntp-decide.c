/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/ntp/ntp-decide.c: the health rule, monitor codes and the promotion score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <baton/ocf.h>

#include "ntp-decide.h"

static ntp_tracking T(const char *csv)
{
    ntp_tracking t;

    assert_int_equal(ntp_tracking_parse(csv, &t), 0);
    return t;
}

static ntp_source S(const char *csv)
{
    ntp_source *list = NULL, s;
    size_t n = 0;

    assert_int_equal(ntp_sources_parse(csv, &list, &n), 0);
    assert_int_equal(n, 1);
    s = list[0];
    free(list);
    return s;
}

#define LOCAL8 "7F7F0101,,8,1.0,0.000000000,0,0,0,0,0,0,0,0.0,Normal"
#define FOLLOW9 "7F000001,127.0.0.1,9,1.0,-0.000004017,0,0,0,0,0,0,0,0.1,Normal"
#define UPSTREAM3 "C0000201,192.0.2.1,3,1.0,0.000100000,0,0,0,0,0,0,0,64.0,Normal"
#define FRESH "00000000,,0,0.0,0.0,0,0,0,0,0,1,1,0.0,Not synchronised"
#define OFF2S "7F000001,127.0.0.1,9,1.0,-2.000000000,0,0,0,0,0,0,0,0.1,Normal"

static ntp_assessment assess(ntp_role role, bool upstreams, const char *tracking,
                             const ntp_source *src, size_t n)
{
    ntp_tracking t = T(tracking);
    ntp_assessment a;
    ntp_assess_in in = {
        .role = role, .has_upstreams = upstreams, .primary_address = "127.0.0.1",
        .max_offset_ms = 500, .tracking = &t, .sources = src, .n_sources = n,
    };

    ntp_assess(&in, &a);
    return a;
}

static void test_source_usable(void **state)
{
    (void) state;
    /* services.md: synced, then the two ways a lost source shows. */
    assert_true(ntp_source_usable(&(ntp_source) { .state = '*', .poll = -2, .reach = 017, .last_rx_s = 0 }));
    assert_false(ntp_source_usable(&(ntp_source) { .state = '?', .poll = -2, .reach = 0, .last_rx_s = 3 }));
    /* poll 2 (4 s): 13 s since the last sample > 3 x 4 s, still '*' with reach 374 */
    assert_false(ntp_source_usable(&(ntp_source) { .state = '*', .poll = 2, .reach = 0374, .last_rx_s = 13 }));
    assert_true(ntp_source_usable(&(ntp_source) { .state = '*', .poll = 2, .reach = 0374, .last_rx_s = 12 }));
    /* At least 2 s: the field is whole seconds. */
    assert_true(ntp_source_usable(&(ntp_source) { .state = '*', .poll = -6, .reach = 1, .last_rx_s = 2 }));
    assert_false(ntp_source_usable(&(ntp_source) { .state = '*', .poll = -6, .reach = 1, .last_rx_s = 3 }));
    assert_false(ntp_source_usable(&(ntp_source) { .state = '+', .poll = 6, .reach = 0377, .last_rx_s = 1 }));
    assert_false(ntp_source_usable(&(ntp_source) { .state = '*', .poll = 6, .reach = 0377, .last_rx_s = -1 }));
}

static void test_promoted_local(void **state)
{
    ntp_assessment a = assess(NTP_ROLE_PROMOTED, false, LOCAL8, NULL, 0);

    (void) state;
    assert_true(a.synced);
    assert_false(a.upstream);
    assert_string_equal(a.reason, "");
    assert_int_equal(ntp_score(true, &a), 10);
}

static void test_promoted_upstreams_lost(void **state)
{
    ntp_source s = S("^,?,192.0.2.1,0,6,0,-,0,0,0");
    ntp_assessment a = assess(NTP_ROLE_PROMOTED, true, LOCAL8, &s, 1);

    (void) state;
    assert_false(a.synced);
    assert_non_null(strstr(a.reason, "no upstream server is usable"));
    assert_non_null(strstr(a.reason, "192.0.2.1"));
    /* Still the best a cluster without upstreams has: promotable. */
    assert_int_equal(ntp_score(true, &a), 10);
}

static void test_promoted_upstream(void **state)
{
    ntp_source s = S("^,*,192.0.2.1,2,6,377,30,0.0001,0,0");
    ntp_assessment a = assess(NTP_ROLE_PROMOTED, true, UPSTREAM3, &s, 1);

    (void) state;
    assert_true(a.synced);
    assert_true(a.upstream);
    assert_int_equal(ntp_score(true, &a), 970);
}

static void test_unpromoted(void **state)
{
    ntp_source ok = S("^,*,127.0.0.1,8,-2,17,0,0.000014655,0.000015224,0.000020839");
    ntp_source lost = S("^,?,127.0.0.1,8,-2,0,3,0,0,0");
    ntp_source held = S("^,*,127.0.0.1,8,2,374,13,0,0,0");
    ntp_assessment a;

    (void) state;
    a = assess(NTP_ROLE_UNPROMOTED, false, FOLLOW9, &ok, 1);
    assert_true(a.synced);
    /* Following the primary is not an upstream: it must not outscore the primary. */
    assert_false(a.upstream);
    assert_int_equal(ntp_score(true, &a), 10);

    /* Holdover: tracking still Normal, the source says it is gone. */
    a = assess(NTP_ROLE_UNPROMOTED, false, FOLLOW9, &lost, 1);
    assert_false(a.synced);
    assert_non_null(strstr(a.reason, "not following a reachable source"));
    assert_non_null(strstr(a.reason, "127.0.0.1"));
    a = assess(NTP_ROLE_UNPROMOTED, false, FOLLOW9, &held, 1);
    assert_false(a.synced);
    assert_non_null(strstr(a.reason, "13s ago"));

    /* No primary yet (cluster start): unsynchronised but promotable. */
    a = assess(NTP_ROLE_UNPROMOTED, false, FRESH, &lost, 1);
    assert_false(a.synced);
    assert_non_null(strstr(a.reason, "Not synchronised"));
    assert_int_equal(ntp_score(true, &a), 10);
}

static void test_unpromoted_upstream_beats_primary(void **state)
{
    ntp_source up = S("^,*,192.0.2.1,2,6,377,30,0.0001,0,0");
    ntp_assessment a = assess(NTP_ROLE_UNPROMOTED, true, UPSTREAM3, &up, 1);
    ntp_assessment b;
    ntp_source up1 = S("^,*,192.0.2.2,1,6,377,30,0.0001,0,0");

    (void) state;
    assert_true(a.synced && a.upstream);
    b = assess(NTP_ROLE_UNPROMOTED, true, "C0000202,192.0.2.2,2,1.0,0.0001,0,0,0,0,0,0,0,64.0,Normal", &up1, 1);
    /* Lower stratum, higher score. */
    assert_true(ntp_score(true, &b) > ntp_score(true, &a));
}

static void test_offset(void **state)
{
    ntp_source ok = S("^,*,127.0.0.1,8,-2,17,0,0,0,0");
    ntp_assessment a = assess(NTP_ROLE_UNPROMOTED, false, OFF2S, &ok, 1);

    (void) state;
    assert_false(a.synced);
    assert_false(a.offset_ok);
    assert_non_null(strstr(a.reason, "max_offset"));
    assert_int_equal(ntp_score(true, &a), NTP_SCORE_NONE);
    assert_int_equal(ntp_score(false, &a), NTP_SCORE_NONE);
}

static void test_verdict(void **state)
{
    (void) state;
    assert_int_equal(ntp_unsync_verdict(true, 5, 100000, 60000, false), NTP_VERDICT_OK);
    /* First seen now: grace, unless there is none. */
    assert_int_equal(ntp_unsync_verdict(false, -1, 100000, 60000, false), NTP_VERDICT_GRACE);
    assert_int_equal(ntp_unsync_verdict(false, -1, 100000, 0, false), NTP_VERDICT_DEGRADED);
    assert_int_equal(ntp_unsync_verdict(false, 50000, 100000, 60000, false), NTP_VERDICT_GRACE);
    assert_int_equal(ntp_unsync_verdict(false, 40000, 100000, 60000, false), NTP_VERDICT_DEGRADED);
    assert_int_equal(ntp_unsync_verdict(false, 40000, 100000, 60000, true), NTP_VERDICT_FAILED);
}

static void test_monitor_rc(void **state)
{
    (void) state;
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_PROMOTED, NTP_VERDICT_OK), BATON_OCF_RUNNING_PROMOTED);
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_PROMOTED, NTP_VERDICT_GRACE), BATON_OCF_RUNNING_PROMOTED);
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_PROMOTED, NTP_VERDICT_DEGRADED), BATON_OCF_DEGRADED_PROMOTED);
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_PROMOTED, NTP_VERDICT_FAILED), BATON_OCF_FAILED_PROMOTED);
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_UNPROMOTED, NTP_VERDICT_OK), BATON_OCF_SUCCESS);
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_UNPROMOTED, NTP_VERDICT_DEGRADED), BATON_OCF_DEGRADED);
    assert_int_equal(ntp_monitor_rc(NTP_ROLE_UNPROMOTED, NTP_VERDICT_FAILED), BATON_OCF_ERR_GENERIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_usable),
        cmocka_unit_test(test_promoted_local),
        cmocka_unit_test(test_promoted_upstreams_lost),
        cmocka_unit_test(test_promoted_upstream),
        cmocka_unit_test(test_unpromoted),
        cmocka_unit_test(test_unpromoted_upstream_beats_primary),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_verdict),
        cmocka_unit_test(test_monitor_rc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
